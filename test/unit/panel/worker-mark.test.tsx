// @vitest-environment happy-dom
import { render } from 'preact';
import { describe, expect, it } from 'vitest';
import { WorkerMark } from '../../../src/panel/views/RequestTable';
import type { RequestRecord } from '../../../src/core/session/record';
import { record } from '../../support/records';

function shown(over: Partial<RequestRecord>): HTMLElement {
  const root = document.createElement('div');
  render(<WorkerMark r={record({ url: 'https://api.test/x', ...over })} />, root);
  return root;
}

describe('WorkerMark', () => {
  it('puts a gear on a worker\'s request, named for screen readers', () => {
    const gear = shown({ worker: { kind: 'service', scriptUrl: 'https://app.test/sw.js', inferred: false } }).querySelector('[role="img"]')!;
    expect(gear.textContent).toBe('⚙');
    expect(gear.getAttribute('aria-label')).toBe('made by a service worker');
    const inferred = shown({ worker: { kind: 'dedicated', scriptUrl: null, inferred: true } }).querySelector('[role="img"]')!;
    expect(inferred.getAttribute('title')).toMatch(/dedicated worker \(inferred/);
  });

  it('says "worker" when the kind is unknown or not one it knows (an imported log)', () => {
    expect(shown({ worker: { kind: null, scriptUrl: null, inferred: false } }).querySelector('[role="img"]')!.getAttribute('aria-label')).toBe('made by a worker');
    const odd = { kind: 'toString', scriptUrl: null, inferred: false } as unknown as RequestRecord['worker'];
    expect(shown({ worker: odd }).querySelector('[role="img"]')!.getAttribute('aria-label')).toBe('made by a worker');
  });

  it("tags a page request the service worker answered, and marks nothing on a page's own", () => {
    expect(shown({ answeredBy: { requestId: null } }).textContent).toBe('answered by SW');
    expect(shown({}).innerHTML).toBe('');
  });
});
