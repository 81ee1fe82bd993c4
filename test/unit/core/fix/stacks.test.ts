import { describe, expect, it } from 'vitest';
import { STACKS, stackById } from '../../../../src/core/fix/stacks';
import { POLICIES, REQ } from './stacks/requirements';

describe('the stack registry', () => {
  it('lists every stack once, with a display name and a group', () => {
    expect(STACKS.map((s) => s.id)).toEqual(['express', 'fastify', 'nginx', 'apache', 'caddy', 'spring', 'django', 'fastapi', 'aspnet', 's3', 'gcs', 'azure']);
    expect(new Set(STACKS.map((s) => s.name)).size).toBe(STACKS.length);
    expect(stackById('nginx')?.name).toBe('nginx');
    expect(stackById('iis')).toBeUndefined();
  });

  it.each(STACKS.map((s) => [s.id, s] as const))('%s never allows any origin or echoes an unlisted one', (_id, stack) => {
    const { text } = stack.render(REQ);
    expect(text).toContain('http://localhost:5173');
    expect(text).not.toMatch(/"\*"|\* *$|origin: true|reflect/im);
  });

  // Page data decides these values: none may break out of the syntax it is written into.
  const hostile: [string, typeof REQ][] = [
    ['an origin with a quote', { ...REQ, origins: ['https://a.example";evil'] }],
    ['an origin with a path', { ...REQ, origins: ['https://a.example/x'] }],
    ['an origin with a newline', { ...REQ, origins: ['https://a.example\nadd_header X 1'] }],
    ['the null origin', { ...REQ, origins: ['null'] }],
    ['a wildcard origin', { ...REQ, origins: ['*'] }],
    ['an uppercase origin (not serialized)', { ...REQ, origins: ['https://App.example'] }],
    ['a header name with $', { ...REQ, requestHeaders: ['x-$host'] }],
    ['a header name with a brace', { ...REQ, exposedHeaders: ['x-{a}'] }],
    ['a method with a space', { ...REQ, methods: ['PUT X'] }],
    ['no origin at all', { ...REQ, origins: [] }],
    ['a header value with a quote', { ...POLICIES, policies: [{ name: 'Cross-Origin-Resource-Policy', value: 'cross-origin";evil' }] }],
    ['a header value with a newline', { ...POLICIES, policies: [{ name: 'Cross-Origin-Embedder-Policy', value: 'require-corp\nadd_header X 1' }] }],
    ['a path with a quote', { ...POLICIES, contentTypes: [{ path: '/a"b.js', type: 'text/javascript' }] }],
  ];
  it.each(STACKS.flatMap((s) => hostile.map(([what, req]) => [s.id, what, req] as const)))('%s refuses %s', (id, _what, req) => {
    expect(() => stackById(id)!.render(req)).toThrow();
  });

  const storage = ['s3', 'gcs', 'azure'];
  it.each(STACKS.map((s) => [s.id, s] as const))('%s sends the headers beyond CORS, and only those when no CORS request needs more', (id, stack) => {
    const { text, notes } = stack.render(POLICIES);
    expect(text).not.toMatch(/Access-Control|localhost/);
    for (const value of ['Cross-Origin-Embedder-Policy', 'require-corp', 'Cross-Origin-Resource-Policy', 'cross-origin']) {
      expect(storage.includes(id) ? notes.join('\n') : text).toContain(value);
    }
    expect(notes.some((n) => n.includes('/app.js') && n.includes('Content-Type: text/javascript'))).toBe(true);
  });

  it.each(STACKS.map((s) => [s.id, s] as const))('%s writes CORS and the headers beyond it side by side', (_id, stack) => {
    const { text } = stack.render({ ...REQ, policies: POLICIES.policies });
    expect(text).toContain('http://localhost:5173');
    expect(`${text}${stack.render({ ...REQ, policies: POLICIES.policies }).notes.join('\n')}`).toContain('Cross-Origin-Resource-Policy');
  });
});
