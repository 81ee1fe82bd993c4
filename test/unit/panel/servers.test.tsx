// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fixPlan } from '../../../src/core/fix/requirements';
import { stackById } from '../../../src/core/fix/stacks';
import type { RequestRecord } from '../../../src/core/session/record';
import { App } from '../../../src/panel/App';
import { SessionModel } from '../../../src/panel/model';
import { scenarioRecords } from '../../servers/scenario-records';
import { judged, record } from '../../support/records';

const APP = 'http://app.lab.test:8710';
const API = 'http://api.lab.test:8710';
const DEV = 'http://localhost:5173';

let root: HTMLElement | null = null;

function mount(records: RequestRecord[]): void {
  const model = new SessionModel();
  model.load({ tabId: 1, pageUrl: `${APP}/`, startedAt: 0, records, navigations: [], dropped: 0 }, false);
  root = document.createElement('div');
  document.body.append(root);
  const app = <App model={model} version={model.version} findings={[]} live={false} title="test" onExport={vi.fn()} onImport={vi.fn()} error={null} notice={null} />;
  act(() => render(app, root!));
}

beforeEach(() => localStorage.clear());
afterEach(() => {
  if (root) act(() => render(null, root!));
  root?.remove();
  root = null;
});

const $ = <T extends Element = HTMLElement>(sel: string) => document.querySelector<T>(sel);
const $$ = <T extends Element = HTMLElement>(sel: string) => [...document.querySelectorAll<T>(sel)];
const click = (el: Element) => act(() => (el as HTMLElement).click());
const tab = (label: string) => click($$('[role=tab]').find((b) => b.textContent?.startsWith(label))!);
function pick(stack: string) {
  const select = $<HTMLSelectElement>('.stack-picker select')!;
  act(() => {
    select.value = stack;
    select.dispatchEvent(new Event('change', { bubbles: true }));
  });
}
const configs = () => $$('.config pre').map((p) => p.textContent);

describe('Servers view', () => {
  it("lists each server origin with its configuration in the picked stack, and remembers the pick", () => {
    const records = scenarioRecords([APP], API);
    const requirements = fixPlan(records).servers[0]!;
    mount(records);
    tab('Servers');
    expect($$('.server h3').map((h) => h.textContent)).toEqual([API]);
    expect(configs()).toEqual([stackById('express')!.render(requirements).text]);
    pick('nginx');
    expect(configs()).toEqual([stackById('nginx')!.render(requirements).text]);
    expect(localStorage.getItem('origin-lens.fix-stack')).toBe('nginx');
    act(() => render(null, root!));
    root!.remove();
    mount(records);
    tab('Servers');
    expect($<HTMLSelectElement>('.stack-picker select')!.value).toBe('nginx');
  });

  it('copies the configuration', () => {
    const writeText = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    mount(scenarioRecords([APP], API));
    tab('Servers');
    click($$('button').find((b) => b.textContent === 'Copy Express (cors package) config')!);
    expect(writeText).toHaveBeenCalledWith(configs()[0]);
  });

  it('shows what the preflights cost per server and per page', () => {
    const records = scenarioRecords([APP], API);
    mount(records);
    tab('Servers');
    const rows = $$('table.preflight-cost tbody tr').map((tr) => [...tr.children].slice(0, 2).map((c) => c.textContent));
    const preflights = String(records.filter((r) => r.isPreflight).length);
    expect(rows).toEqual([
      [API, preflights],
      [`${APP}/`, preflights],
    ]);
    expect($('table.preflight-cost td:last-child')!.textContent).toContain('Chromium (cap 7,200 s)');
  });

  it('offers the dev-server proxy when the page runs on one', () => {
    const viteClient = record({ seq: 5000, url: `${DEV}/@vite/client`, type: 'script', initiatorOrigin: DEV, crossOrigin: false });
    mount([...scenarioRecords([DEV], API), ...judged([viteClient])]);
    tab('Servers');
    expect($('.dev-proxy h4')!.textContent).toBe(`Or skip CORS: ${DEV} runs on a Vite dev server`);
    expect($$('.dev-proxy summary').map((s) => s.textContent)).toEqual(['Vite (vite.config.js server.proxy)', 'Angular CLI (proxy.conf.json)']);
    expect($('.dev-proxy .config pre')!.textContent).toContain(`target: "${API}",`);
  });

  it('says so when there is nothing to configure', () => {
    mount([]);
    tab('Servers');
    expect($('.servers .empty')!.textContent).toContain('no server needs a CORS configuration');
  });
});

describe("the detail's fix in the user's stack", () => {
  it('shows the configuration of the blocked request’s server in the picked stack, with the picker', () => {
    localStorage.setItem('origin-lens.fix-stack', 'caddy');
    const records = scenarioRecords([APP], API);
    mount(records);
    const blocked = records.find((r) => r.url === `${API}/s/missing-allow-origin`)!;
    click($(`.row[data-id="${blocked.id}"]`)!);
    act(() => void document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true })));
    expect($('.stack-fix h4')!.textContent).toContain(`what ${API} must allow`);
    expect($<HTMLSelectElement>('.stack-fix select')!.value).toBe('caddy');
    expect($('.stack-fix .config pre')!.textContent).toBe(stackById('caddy')!.render(fixPlan(records).servers[0]!).text);
  });

  it("offers the dev server's proxy beside it when the page runs on one", () => {
    const viteClient = record({ seq: 5000, url: `${DEV}/@vite/client`, type: 'script', initiatorOrigin: DEV, crossOrigin: false });
    const records = [...scenarioRecords([DEV], API), ...judged([viteClient])];
    mount(records);
    const blocked = records.find((r) => r.url === `${API}/s/missing-allow-origin`)!;
    click($(`.row[data-id="${blocked.id}"]`)!);
    act(() => void document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true })));
    expect($('.stack-fix .dev-proxy h4')!.textContent).toBe(`Or skip CORS: ${DEV} runs on a Vite dev server`);
  });

  it('is left out for an allowed request', () => {
    const records = judged([record({ seq: 0, url: `${API}/ok`, responseHeaders: [{ name: 'Access-Control-Allow-Origin', value: 'https://app.example' }] })]);
    mount(records);
    click($('.row[data-id="r0"]')!);
    act(() => void document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true })));
    expect($('.detail')).not.toBeNull();
    expect($('.stack-fix')).toBeNull();
  });
});
