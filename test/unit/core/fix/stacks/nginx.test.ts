import { describe, expect, it } from 'vitest';
import { nginx } from '../../../../../src/core/fix/stacks/nginx';
import { expectAll, PLAIN, POLICIES, REQ } from './requirements';

describe('nginx', () => {
  const text = nginx.render(REQ).text;

  it('maps each allowed origin exactly, defaulting to no header', () => {
    expectAll(text, [
      'map $http_origin $cors_allow_origin {\n    default "";\n    "https://app.example" $http_origin;\n    "http://localhost:5173" $http_origin;\n}',
      'map $http_origin $cors_allow_credentials {',
    ]);
    expect(text).not.toMatch(/if \(\$http_origin/);
  });

  it('adds every header with always, and answers preflights in place', () => {
    expectAll(text, [
      'add_header Access-Control-Allow-Origin "$cors_allow_origin" always;',
      'add_header Access-Control-Allow-Credentials "$cors_allow_credentials" always;',
      'add_header Access-Control-Allow-Methods "GET, HEAD, POST, PATCH, PUT" always;',
      'add_header Access-Control-Allow-Headers "authorization, x-lab-token" always;',
      'add_header Access-Control-Expose-Headers "x-request-id" always;',
      'add_header Access-Control-Max-Age "7200" always;',
      'add_header Vary "Origin" always;',
      'if ($request_method = OPTIONS) {\n    return 204;\n}',
    ]);
    for (const line of text.split('\n').filter((l) => l.startsWith('add_header'))) expect(line).toMatch(/ always;$/);
  });

  it('sends no credentials header and no empty lists when none is needed', () => {
    const plain = nginx.render(PLAIN).text;
    expect(plain).not.toContain('Credentials');
    expect(plain).not.toContain('Allow-Headers');
    expect(plain).not.toContain('Expose-Headers');
  });

  it('adds the headers beyond CORS with always, and no CORS header when no CORS request needs one', () => {
    expect(nginx.render(POLICIES).text).toBe(
      '# In the location block that serves https://api.example:\nadd_header Cross-Origin-Embedder-Policy "require-corp" always;\nadd_header Cross-Origin-Resource-Policy "cross-origin" always;\n',
    );
  });
});
