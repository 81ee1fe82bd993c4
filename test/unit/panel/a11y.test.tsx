// @vitest-environment happy-dom
import axe from 'axe-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { act } from 'preact/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/core/cors/findings';
import { judged, messageRecord, record, syntheticRecords } from '../../support/records';
import { DEFAULT_SETTINGS } from '../../../src/core/session/settings';
import { $, $$, button, click, frame, mount, socket, unmount } from './mounted';

// axe-core's WCAG 2 A and AA rules over every view of the panel, in both themes; and the
// keyboard alone reaching every control and every scrolling region. happy-dom lays nothing out,
// so colour contrast is judged in real browsers (test/e2e/panel.test.ts).

const panelDir = join(import.meta.dirname, '..', '..', '..', 'src', 'panel');
const panelHtml = readFileSync(join(panelDir, 'panel.html'), 'utf8');
const css = readFileSync(join(panelDir, 'panel.css'), 'utf8');
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

beforeAll(() => {
  // What panel.html gives the document the App renders into.
  document.documentElement.lang = /<html lang="([^"]+)"/.exec(panelHtml)![1]!;
  document.title = /<title>([^<]+)<\/title>/.exec(panelHtml)![1]!;
  const style = document.createElement('style');
  style.textContent = css;
  document.head.append(style);
});
afterAll(() => {
  delete document.documentElement.dataset.theme;
});

async function violations(): Promise<string[]> {
  const result = await axe.run(document, { runOnly: { type: 'tag', values: WCAG }, rules: { 'color-contrast': { enabled: false } } });
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const records = () => {
  const rs = syntheticRecords(12);
  const [redirected] = judged([
    record({ seq: 12, url: 'https://api0.example/old', redirects: [{ status: 302, url: 'https://api0.example/old', location: 'https://api1.example/new', responseHeaders: [{ name: 'Location', value: 'https://api1.example/new' }], time: 0 }] as never }),
  ]);
  return [...rs, redirected!];
};
const findings: Finding[] = [
  { id: 'f1', code: 'jsonp-endpoint', severity: 'low', title: 'JSONP endpoint', explanation: 'Any site can read it.', confidence: 'likely', subject: 'https://api4.example', evidence: ['r5'] },
  { id: 'f2', code: 'reflected-origin-with-credentials', severity: 'high', title: 'Reflected origin', explanation: 'Any site reads as the user.', confidence: 'certain', subject: 'https://api3.example', evidence: ['r4', 'm1'] },
] as Finding[];
const messages = [messageRecord({ id: 'm1' }), messageRecord({ id: 'm2', targetOrigin: '*', originChecked: 'no' })];
const websockets = [socket({ frames: [frame({}), frame({ direction: 'received', binary: true, preview: '01 02' })] })];
const full = () => mount(records(), { findings, messages, websockets, settings: DEFAULT_SETTINGS, onClear: () => undefined, onPreserveLog: () => undefined });

/** Each view, reached as a user reaches it. */
const VIEWS: Record<string, () => void> = {
  requests: () => void full(),
  'requests, a blocked request open': () => {
    full();
    click($('.row[data-id="r3"]')!);
  },
  'requests, a preflight open': () => {
    full();
    click($('.row[data-id="r3"] .preflight-link')!);
  },
  'requests, the toolbar menu open': () => {
    full();
    click(button(/^Export \/ import/));
  },
  'requests, the filter menu open': () => {
    full();
    click(button(/^Filters/));
  },
  'requests, none yet': () => void mount([]),
  'requests, an error and a notice': () => void mount(records(), { error: 'Could not open x.json: not JSON', notice: 'This HAR has no timings.', live: false }),
  findings: () => {
    full();
    click(button(/^Findings/));
  },
  servers: () => {
    full();
    click(button(/^Servers/));
  },
  'findings, none': () => {
    mount([]);
    click(button(/^Findings/));
  },
  messages: () => {
    full();
    click(button(/^Messages/));
  },
  websockets: () => {
    full();
    click(button(/^WebSockets/));
  },
};

describe.each(['light', 'dark'])('axe-core, WCAG 2 A and AA, %s theme', (theme) => {
  it.each(Object.keys(VIEWS))('finds nothing in the view: %s', async (view) => {
    document.documentElement.dataset.theme = theme;
    VIEWS[view]!();
    expect(await violations()).toEqual([]);
    // axe takes seconds on a loaded machine: a wider limit (its speed is not what is tested).
  }, 30_000);
});

/** What Tab visits, in order: focusable, not taken out of the order, not hidden (HTML's sequential focus order). */
function tabOrder(): HTMLElement[] {
  const candidates = $$('a[href], button, input, select, textarea, summary, [tabindex]').filter(
    (el) => el.tabIndex >= 0 && !(el as HTMLButtonElement).disabled && el.closest('[hidden]') === null && !(el instanceof HTMLInputElement && el.type === 'hidden'),
  );
  const positive = candidates.filter((el) => el.tabIndex > 0).sort((a, b) => a.tabIndex - b.tabIndex);
  return [...positive, ...candidates.filter((el) => el.tabIndex === 0)];
}

/** Presses Tab: the focus moves to the next stop, as a browser moves it. */
function tab(): HTMLElement {
  const order = tabOrder();
  const next = order[order.indexOf(document.activeElement as HTMLElement) + 1] ?? order[0]!;
  act(() => next.focus());
  expect(document.activeElement).toBe(next);
  return next;
}

const press = (k: string) => act(() => void (document.activeElement ?? document.body).dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true })));
const controls = () => $$('a[href], button, input:not([type=file]), select');
/** Elements that scroll their content: each must take the focus for the keyboard to scroll it. */
const scrollers = () =>
  $$('div:not(.row), aside, section, nav, ul, pre').filter((el) => {
    const style = getComputedStyle(el);
    // happy-dom leaves the longhands empty when the stylesheet sets the shorthand.
    return [style.overflow, style.overflowX, style.overflowY].some((o) => /\b(auto|scroll)\b/.test(o));
  });

describe('the keyboard alone', () => {
  it('reaches every control and every scrolling region of every view by Tab', () => {
    const regionsSeen = new Set<string>();
    for (const view of Object.keys(VIEWS)) {
      unmount();
      VIEWS[view]!();
      // Tab visits these, one after the other: each takes the focus.
      const order = tabOrder();
      for (const stop of order) {
        act(() => stop.focus());
        expect(document.activeElement, view).toBe(stop);
      }
      const regions = scrollers();
      regions.forEach((r) => regionsSeen.add(r.className));
      const unreached = [...controls().filter((c) => c.closest('[hidden]') === null), ...regions].filter((el) => !order.includes(el));
      expect(unreached.map((el) => `${el.tagName}.${el.className} ${el.textContent?.slice(0, 30)}`), view).toEqual([]);
    }
    expect([...regionsSeen].sort()).toEqual(['detail', 'findings', 'messages-top', 'servers', 'table message-list', 'table requests', 'websockets']);
  }, 60_000);

  it('moves through the requests grid, opens a request, reads its detail and comes back', () => {
    full();
    const grid = $('[role=grid]')!;
    while (document.activeElement !== grid) tab();
    press('ArrowDown');
    press('ArrowDown');
    expect(grid.getAttribute('aria-activedescendant')).toBe('request-r1');
    expect($('#request-r1')!.getAttribute('aria-selected')).toBe('true');
    press('End');
    expect(grid.getAttribute('aria-activedescendant')).toBe(`request-${$$('.row').at(-1)!.dataset.id}`);
    press('Home');
    press('Enter');
    expect($('.detail h2 .url')!.textContent).toBe('https://api0.example/items/0');
    // The detail scrolls, and comes after the grid (and the preflight links in its rows).
    while (document.activeElement !== $('.detail')) expect(tab().closest('.detail, [role=grid]')).not.toBeNull();
    press('Escape');
    expect($('.detail')).toBeNull();
    expect(document.activeElement).toBe(grid);
  });

  it('opens the export menu, reaches its controls, and closes it with Escape', () => {
    full();
    const menuButton = button(/^Export \/ import/);
    while (document.activeElement !== menuButton) tab();
    expect(menuButton.getAttribute('aria-expanded')).toBe('false');
    click(menuButton);
    expect(menuButton.getAttribute('aria-expanded')).toBe('true');
    expect(tab().textContent).toBe('Export session log');
    press('Escape');
    expect($('#toolbar-menu')!.hidden).toBe(true);
    expect(document.activeElement).toBe(menuButton);
  });

  it('opens the filter menu, tabs through its controls, leaves it by Tab, and closes it with Escape', () => {
    full();
    const menuButton = button(/^Filters/);
    while (document.activeElement !== menuButton) tab();
    expect(menuButton.getAttribute('aria-expanded')).toBe('false');
    click(menuButton);
    expect(menuButton.getAttribute('aria-expanded')).toBe('true');
    const menu = $('#filter-menu')!;
    expect(menuButton.getAttribute('aria-controls')).toBe(menu.id);
    // Right after its button, in the order of the page: every control of the menu, then out.
    const inMenu = controls().filter((c) => menu.contains(c));
    const names = inMenu.map((c) => (c.closest('label') ?? c).textContent!.trim().replace(/ \d+$/, ''));
    expect(names).toEqual(['cors', 'no-cors', 'jsonp', 'websocket', 'navigation', 'Credentialed', 'Cookies held back', 'Has findings', 'Same-origin', 'Preflights as rows', expect.stringMatching(/^Sort/)]);
    for (const control of inMenu) expect(tab()).toBe(control);
    click($('input[type=checkbox]', menu)!);
    expect(menuButton.textContent).toBe('Filters (1) ▾');
    // The focus going on past the menu closes it.
    expect(menu.contains(tab())).toBe(false);
    expect(menu.hidden).toBe(true);
    click(menuButton);
    act(() => menuButton.focus());
    tab();
    press('Escape');
    expect(menu.hidden).toBe(true);
    expect(menuButton.getAttribute('aria-expanded')).toBe('false');
    expect(document.activeElement).toBe(menuButton);
  });
});
