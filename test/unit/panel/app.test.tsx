// @vitest-environment happy-dom
import { act } from 'preact/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Finding } from '../../../src/core/cors/findings';
import type { MessageRecord } from '../../../src/core/page/records';
import { ROW_HEIGHT } from '../../../src/panel/views/RequestTable';
import { judged, messageRecord, PAGE, record, syntheticRecords } from '../../support/records';
import { DEFAULT_SETTINGS } from '../../../src/core/session/settings';
import { $, $$, button, checkbox, click, frame, key, mount, rowIds, socket, type, unmount } from './mounted';

describe('requests view', () => {
  it('lists cross-origin requests with their verdict, reason in words, preflight link and credentials', () => {
    mount(syntheticRecords(8));
    expect(rowIds()).toEqual(['r0', 'r1', 'r3', 'r4', 'r5', 'r6']);
    const row = (id: string) => $(`.row[data-id="${id}"]`)!;
    expect($('.badge', row('r1'))!.textContent).toBe('blocked');
    expect($('.c-reason', row('r1'))!.textContent).toBe("No 'Access-Control-Allow-Origin' header is present on the requested resource.");
    expect($('.c-origins', row('r0'))!.textContent).toBe(`${PAGE} → https://api0.example`);
    expect($('.preflight-link', row('r3'))!.textContent).toBe('✈ preflight 204');
    expect($$('.tag', row('r4')).map((t) => t.textContent)).toEqual(['cookies']);
    expect($('.c-type', row('r5'))!.textContent).toBe('jsonp');
    expect(button(/^Requests/).textContent).toBe('Requests (6)');
  });

  it('filters as the user types, with the counts following', () => {
    mount(syntheticRecords(8));
    type('put');
    expect(rowIds()).toEqual(['r3']);
    expect(button(/^Requests/).textContent).toBe('Requests (1)');
    expect(button(/^blocked/).textContent).toBe('blocked 1');
    type('no such request');
    expect(rowIds()).toEqual([]);
    expect($('.empty')!.textContent).toContain('No request matches the filters.');
    type('');
    expect(rowIds()).toHaveLength(6);
  });

  it('narrows to an outcome or a technique from its chip, and shows same-origin and preflights on request', () => {
    mount(syntheticRecords(8));
    click(button(/^blocked/));
    expect(button(/^blocked/).getAttribute('aria-pressed')).toBe('true');
    expect(rowIds()).toEqual(['r1', 'r3', 'r4']);
    click(button(/^blocked/));
    click(button(/^jsonp/));
    expect(rowIds()).toEqual(['r5']);
    click(button(/^jsonp/));
    // The same-origin chips (outcome and technique) come with the toggle.
    const sameOriginChips = () => $$('button').filter((b) => b.textContent?.startsWith('same-origin')).length;
    expect(sameOriginChips()).toBe(0);
    click(checkbox('Same-origin'));
    expect(sameOriginChips()).toBe(2);
    click(checkbox('Preflights as rows'));
    expect(rowIds()).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7']);
    click(checkbox('Credentialed'));
    expect(rowIds()).toEqual(['r4']);
  });

  it('puts filters on the bar or in the Filters menu by the panel\'s width, and counts those on in the menu', () => {
    const window = globalThis as unknown as { happyDOM: { setWindowSize(size: { width: number; height: number }): void } };
    const groups = () => Object.fromEntries($$('.filters .chips').map((g) => [`${g.closest('#filter-menu') ? 'menu' : 'bar'}: ${g.getAttribute('aria-label')}`, $$('button', g).map((b) => b.textContent!.split(' ')[0])]));
    try {
      window.happyDOM.setWindowSize({ width: 1400, height: 800 });
      mount(syntheticRecords(8));
      expect(groups()).toEqual({
        'bar: Outcome': ['blocked', 'allowed', 'opaque', 'failed', 'pending', 'navigation'],
        'bar: Technique': ['cors', 'no-cors', 'jsonp', 'websocket', 'navigation'],
      });
      expect($('#filter-menu select')).toBeNull();
      unmount();
      window.happyDOM.setWindowSize({ width: 600, height: 800 });
      mount(syntheticRecords(8));
      expect(groups()).toEqual({
        'bar: Outcome': ['blocked', 'allowed', 'opaque', 'failed'],
        'menu: More outcomes': ['pending', 'navigation'],
        'menu: Technique': ['cors', 'no-cors', 'jsonp', 'websocket', 'navigation'],
      });
      expect($('#filter-menu select')).not.toBeNull();
      click(button(/^pending/));
      click(button(/^jsonp/));
      click(checkbox('Has findings'));
      expect(button(/^Filters/).textContent).toBe('Filters (3) ▾');
    } finally {
      window.happyDOM.setWindowSize({ width: 1024, height: 768 });
    }
  });

  it('sorts with the worst outcome first', () => {
    mount(syntheticRecords(8));
    const select = $<HTMLSelectElement>('.filters select')!;
    act(() => {
      select.value = 'outcome';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    expect(rowIds()).toEqual(['r1', 'r3', 'r4', 'r5', 'r6', 'r0']);
  });

  // Building 100,000 records takes seconds on a loaded machine: a wider time limit (speed is the panel bench's job).
  it('keeps only the rows in view in the DOM with 100,000 requests, and follows the scroll', () => {
    const records = syntheticRecords(100_000);
    mount(records);
    const grid = $('[role=grid]')!;
    // The header row is the grid's first.
    const shown = Number(grid.getAttribute('aria-rowcount')) - 1;
    expect(shown).toBeGreaterThan(70_000);
    expect($$('.row').length).toBeLessThan(60);
    expect(button(/^Requests/).textContent).toBe(`Requests (${shown})`);
    act(() => {
      grid.scrollTop = ROW_HEIGHT * 50_000;
      grid.dispatchEvent(new Event('scroll'));
    });
    const rows = $$('.row');
    expect(rows.length).toBeLessThan(60);
    // The rows in the DOM are those around the 50,000th, placed where they belong and numbered so.
    const row = rows.find((r) => r.style.top === `${ROW_HEIGHT * 50_000}px`)!;
    expect(row.getAttribute('aria-rowindex')).toBe(String(50_000 + 2));
  }, 60_000);
});

describe('opening a request', () => {
  beforeEach(() => {
    Object.defineProperty(navigator, 'clipboard', { value: { writeText: vi.fn(async () => undefined) }, configurable: true });
  });
  const clipboard = () => (navigator.clipboard.writeText as ReturnType<typeof vi.fn>).mock.calls.map((c) => c[0]);

  it('explains the verdict step by step with the offending value and the header lines that fix it', () => {
    mount(syntheticRecords(8));
    click($('.row[data-id="r3"]')!);
    const detail = $('.detail')!;
    expect($('.row.selected')!.dataset.id).toBe('r3');
    expect($('.reason', detail)!.textContent).toBe('MethodDisallowedByPreflightResponse: Method PUT is not allowed by Access-Control-Allow-Methods in preflight response.');
    expect($('code.failing', detail)!.textContent).toBe('PUT');
    expect($('.fix pre', detail)!.textContent).toBe('Access-Control-Allow-Methods: PUT');
    const steps = $$('.steps li', detail);
    expect(steps.length).toBeGreaterThan(1);
    expect(steps.at(-1)!.className).toBe('fail');
    expect(steps.slice(0, -1).every((s) => s.className === 'pass')).toBe(true);
    expect($$('.exchange h3', detail).map((h) => h.firstChild?.textContent)).toEqual(['Preflight', 'Actual request']);
    expect($$('.exchange', detail)[1]!.textContent).toBe('Actual request: PUT not sentThe browser stopped at the failed preflight: this request never went out (net::ERR_FAILED).');
    expect($('a[href^="https://developer.mozilla.org/"]', detail)).not.toBeNull();

    click(button('Copy header lines'));
    $$<HTMLButtonElement>('.exchange button', detail).forEach((b) => click(b));
    expect(clipboard()).toEqual([
      'Access-Control-Allow-Methods: PUT',
      "curl 'https://api2.example/put/2' -X 'OPTIONS' -H 'Origin: https://app.example' -H 'Access-Control-Request-Method: PUT'",
    ]);
    // A request that went out has its own cURL line.
    click($('.row[data-id="r1"]')!);
    click($$<HTMLButtonElement>('.detail .exchange button')[0]!);
    expect(clipboard().at(-1)).toBe("curl 'https://api1.example/missing/1' -H 'Origin: https://app.example' -H 'Sec-Fetch-Mode: cors'");
  });

  it("shows the page's isolation, and a block beyond CORS with the offending header and its fix", () => {
    const isolated = { url: `${PAGE}/`, coep: 'require-corp', coop: 'same-origin', remoteAddress: null };
    const [r] = judged([
      record({
        url: 'https://other.example/i.gif',
        type: 'image',
        requestHeaders: [{ name: 'Sec-Fetch-Mode', value: 'no-cors' }],
        status: 200,
        responseHeaders: [{ name: 'Content-Type', value: 'image/gif' }, { name: 'Cross-Origin-Resource-Policy', value: 'same-site' }],
        state: 'error',
        error: 'net::ERR_BLOCKED_BY_RESPONSE',
        document: isolated,
      }),
    ]);
    mount([r!]);
    click($('.row')!);
    const detail = $('.detail')!;
    expect($('.isolation', detail)!.textContent).toBe(
      `Made by ${PAGE}/: Cross-Origin-Opener-Policy same-origin · Cross-Origin-Embedder-Policy require-corp · crossOriginIsolated true`,
    );
    expect($('.reason', detail)!.textContent).toBe('CorpNotSameSite: net::ERR_BLOCKED_BY_RESPONSE.NotSameSite');
    expect($('code.failing', detail)!.textContent).toBe('same-site');
    expect($('.fix pre', detail)!.textContent).toBe('Cross-Origin-Resource-Policy: cross-origin');
  });

  it("speaks Firefox's console words in a Firefox panel, its key beside the code, and links MDN's page for that key", () => {
    mount(syntheticRecords(8), { browser: 'firefox' });
    expect($('.c-reason', $('.row[data-id="r1"]')!)!.textContent).toBe('CORS header ‘Access-Control-Allow-Origin’ missing');
    click($('.row[data-id="r3"]')!);
    const detail = $('.detail')!;
    expect($('.reason', detail)!.textContent).toBe('MethodDisallowedByPreflightResponse (CORSMethodNotFound): Did not find method in CORS header ‘Access-Control-Allow-Methods’');
    expect($('.console-line', detail)!.textContent).toBe(
      'Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api2.example/put/2. (Reason: Did not find method in CORS header ‘Access-Control-Allow-Methods’).',
    );
    expect($('a[href^="https://developer.mozilla.org/"]', detail)!.getAttribute('href')).toBe('https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS/Errors/CORSMethodNotFound');
  });

  it('marks the response headers the script cannot read', () => {
    const [r] = judged([
      record({
        url: 'https://api0.example/x',
        responseHeaders: [
          { name: 'Access-Control-Allow-Origin', value: PAGE },
          { name: 'Content-Type', value: 'text/plain' },
          { name: 'X-Secret', value: '1' },
        ],
      }),
    ]);
    mount([r!]);
    click($('.row')!);
    const hidden = $$('.exchange .hidden-header dt').map((d) => d.textContent);
    expect(hidden).toEqual(['Access-Control-Allow-Origin', 'X-Secret']);
  });

  it('moves with the arrow keys, opens with Enter, closes with Escape', () => {
    mount(syntheticRecords(8));
    key('ArrowDown');
    expect($('.row.selected')!.dataset.id).toBe('r0');
    expect($('.detail')).toBeNull();
    key('ArrowDown');
    key('ArrowDown');
    expect($('.row.selected')!.dataset.id).toBe('r3');
    key('Enter');
    expect($('.detail h2 .url')!.textContent).toBe('https://api2.example/put/2');
    // With the detail open, the arrows carry it along.
    key('ArrowUp');
    expect($('.detail h2 .url')!.textContent).toBe('https://api1.example/missing/1');
    key('Escape');
    expect($('.detail')).toBeNull();
    expect($('.row.selected')!.dataset.id).toBe('r1');
  });

  it('does not move the selection while the user types in the filter', () => {
    mount(syntheticRecords(8));
    key('ArrowDown');
    const input = $<HTMLInputElement>('input[type=search]')!;
    act(() => void input.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true })));
    expect($('.row.selected')!.dataset.id).toBe('r0');
  });

  it('says when storage is full and how many requests the budget across tabs took', () => {
    const m = mount(syntheticRecords(4));
    expect($('.storage-full')).toBeNull();
    m.model.apply({ type: 'update', reset: false, updated: [], removed: [], dropped: 5, droppedForBudget: 3, pageUrl: `${PAGE}/`, storageFull: true });
    m.refresh();
    expect($('.storage-full')!.textContent).toMatch(/^Storage is full: recording goes on in memory/);
    expect(document.body.textContent).toContain('5 older requests were dropped to stay within the per-tab limit and the budget across all tabs (3 for the budget).');
  });

  it('says one dropped request in the singular', () => {
    const m = mount(syntheticRecords(4));
    m.model.apply({ type: 'update', reset: false, updated: [], removed: [], dropped: 1, droppedForBudget: 0, pageUrl: `${PAGE}/`, storageFull: false });
    m.refresh();
    expect(document.body.textContent).toContain('1 older request was dropped to stay within the per-tab limit.');
  });

  it('keeps the selection and the open detail while live updates arrive', () => {
    const records = syntheticRecords(12);
    const m = mount(records.slice(0, 8));
    click($('.row[data-id="r4"]')!);
    m.model.apply({ type: 'update', reset: false, updated: [{ ...records[1]!, status: 503 }, ...records.slice(8)], removed: [], dropped: 0, droppedForBudget: 0, pageUrl: `${PAGE}/`, storageFull: false });
    m.refresh();
    expect($('.row.selected')!.dataset.id).toBe('r4');
    expect($('.detail h2 .url')!.textContent).toBe(records[4]!.url);
    expect($('.row[data-id="r1"] .c-status')!.textContent).toBe('503');
    expect(rowIds()).toContain('r9');
  });

  it('opens the preflight from its link and goes back to the request it guarded', () => {
    mount(syntheticRecords(8));
    click($('.row[data-id="r3"] .preflight-link')!);
    expect($('.detail h2')!.textContent).toContain('OPTIONS');
    click($$('.detail a').find((a) => a.textContent === 'the request it guarded')!);
    expect($('.detail h2')!.textContent).toContain('PUT');
  });
});

describe('page data is shown as text', () => {
  const HOSTILE = '<img src=x onerror="window.pwned=1"><script>window.pwned=1</script>';

  it('in the table, the detail, the messages and the sockets', () => {
    const [r] = judged([
      record({
        url: `https://api0.example/${encodeURIComponent(HOSTILE)}?q=${HOSTILE}`,
        method: HOSTILE,
        initiatorOrigin: HOSTILE,
        requestHeaders: [{ name: 'X-Evil', value: HOSTILE }],
        responseHeaders: [{ name: 'Access-Control-Allow-Origin', value: HOSTILE }],
      }),
    ]);
    mount([r!], { messages: [messageRecord({ dataPreview: HOSTILE, senderOrigin: HOSTILE })], websockets: [socket({ url: `wss://x/${HOSTILE}`, frames: [frame({ preview: HOSTILE })] })] });
    click($('.row')!);
    expect($('.row .c-method')!.textContent).toBe(HOSTILE);
    expect($$('.detail dd').some((d) => d.textContent === HOSTILE)).toBe(true);
    click(button(/^Messages/));
    expect($('.messages .preview')!.textContent).toContain(HOSTILE);
    click(button(/^WebSockets/));
    expect($('.socket .preview')!.textContent).toBe(HOSTILE);
    expect($$('img, script').length).toBe(0);
    expect((window as unknown as { pwned?: number }).pwned).toBeUndefined();
  });
});

describe('a malformed record in an imported file', () => {
  it('costs only the view that shows it, which says what went wrong', () => {
    const broken = { ...messageRecord({}), listeners: 'not a list' } as unknown as MessageRecord;
    mount(syntheticRecords(8), { messages: [broken], live: false });
    click(button('Messages (1)'));
    expect($('[role=alert]')!.textContent).toMatch(/^Could not show the messages: /);
    click(button(/^Requests/));
    expect(rowIds()).toHaveLength(6);
    expect($('[role=alert]')).toBeNull();
  });
});

describe('messages view', () => {
  it('lists each message with its origins, targetOrigin and listener check, and makes wildcards and unchecked listeners stand out', () => {
    mount([], {
      messages: [
        messageRecord({}),
        messageRecord({ targetOrigin: '*', originChecked: 'no', listeners: [{ location: null, readOrigin: false, readSource: false, check: 'no' }] }),
        messageRecord({ senderFrameId: 0, senderFrameUrl: `${PAGE}/`, senderOrigin: PAGE, frameId: null, frameUrl: null, receiverOrigin: null, targetOrigin: 'https://widget.example', observed: 'send', listenerCount: null, originChecked: 'unknown' }),
      ],
    });
    click(button('Messages (3)'));
    const rows = $$('.message-list .row');
    expect(rows.map((r) => [...r.children].slice(1, 6).map((c) => c.textContent))).toEqual([
      [`https://widget.example → ${PAGE}`, PAGE, 'window', 'both', 'origin checked (1)'],
      [`https://widget.example → ${PAGE}`, '*', 'window', 'both', 'origin never checked (1)'],
      [`${PAGE} → ?`, 'https://widget.example', 'window', 'send', 'not seen'],
    ]);
    expect(rows[0]!.firstElementChild!.textContent).toBe('12:00:00.005');
    expect(rows[1]!.className).toContain('wildcard');
    expect($('.warn', rows[1])!.textContent).toBe('*');
    expect(rows[0]!.querySelector('.check')!.getAttribute('title')).toBe(`${PAGE}/app.js:12`);
    // The picture: one box per origin, one arrow per direction, the wildcard and unchecked flagged.
    expect($$('.picture .frame-label').map((t) => t.textContent)).toEqual(['https://widget.example', PAGE, 'unknown origin']);
    const edges = $$('.picture .edge');
    expect(edges).toHaveLength(2);
    expect(edges[0]!.getAttribute('class')).toContain('edge-wildcard');
    expect(edges[0]!.getAttribute('class')).toContain('edge-unchecked');
    expect(edges[0]!.textContent).toContain('2×');
    // The frame tree: the page, and the widget's frame inside it (its parent unknown here).
    const tree = $('.frame-tree')!;
    expect($$(':scope > ul > li > .frame-origin', tree).map((o) => o.textContent)).toEqual([PAGE]);
    const widget = $(':scope > ul > li > ul > li', tree)!;
    expect(widget.textContent).toBe(`https://widget.example frame 3 · https://widget.example/frame ↑ 2 sent↓ 1 received1 to '*'`);
    expect($('h4', tree)).toBeNull();
    expect($$('.tag.warn', tree).map((t) => t.textContent)).toEqual(['1 to unchecked listeners', "1 to '*'"]);
  });

  it('draws at most twelve origins, the rest in one box, however many a log holds', () => {
    mount([], { messages: Array.from({ length: 3000 }, (_, i) => messageRecord({ id: `m${i}`, senderOrigin: `https://s${i}.example` })) });
    click(button('Messages (3000)'));
    const labels = $$('.picture .frame-label').map((t) => t.textContent);
    expect(labels).toHaveLength(12);
    expect(labels.slice(0, 2)).toEqual(['https://s0.example', PAGE]);
    expect(labels[11]).toBe('2990 more origins');
  });

  it("marks the page's messages with its worker, and filters the list by channel", () => {
    const toWorker = messageRecord({ id: 'w1', channel: 'worker', observed: 'send', receiverOrigin: null, targetOrigin: null, frameId: null, frameUrl: null, senderOrigin: PAGE });
    const fromWorker = messageRecord({ id: 'w2', channel: 'worker', observed: 'receive', senderOrigin: null, targetOrigin: null });
    const port = messageRecord({ id: 'p1', channel: 'message-port', targetOrigin: null });
    mount([], { messages: [messageRecord({ id: 'win' }), toWorker, fromWorker, port] });
    click(button('Messages (4)'));
    const cells = () => $$('.message-list .row').map((r) => [r.id, r.children[1]!.textContent, r.children[3]!.textContent]);
    expect(cells()).toEqual([
      ['message-win', `https://widget.example → ${PAGE}`, 'window'],
      ['message-w1', `${PAGE} → worker`, '⚙ worker'],
      ['message-w2', `worker → ${PAGE}`, '⚙ worker'],
      ['message-p1', `https://widget.example → ${PAGE}`, 'MessagePort'],
    ]);
    const select = $$<HTMLSelectElement>('label').find((l) => l.textContent?.startsWith('Channel'))!.querySelector('select')!;
    expect([...select.options].map((o) => o.textContent)).toEqual(['all', 'window', 'worker', 'MessagePort', 'BroadcastChannel']);
    const choose = (value: string) =>
      act(() => {
        select.value = value;
        select.dispatchEvent(new Event('change', { bubbles: true }));
      });
    choose('worker');
    expect(cells().map((c) => c[0])).toEqual(['message-w1', 'message-w2']);
    expect($('[role=grid]')!.getAttribute('aria-rowcount')).toBe('3');
    choose('broadcast-channel');
    expect(cells()).toEqual([]);
    choose('all');
    expect(cells()).toHaveLength(4);
  });

  it("lists the popups Cross-Origin-Opener-Policy cut off, this tab's own and those it opened, with the diagnosis", () => {
    const opener = { url: `${PAGE}/`, coep: null, coop: 'same-origin', remoteAddress: null };
    const popup = (seq: number, popupTab?: number) =>
      record({ seq, url: 'https://login.example/auth', type: 'main_frame', initiatorOrigin: null, requestHeaders: [{ name: 'Sec-Fetch-Mode', value: 'navigate' }], responseHeaders: [{ name: 'Content-Type', value: 'text/html' }], opener, popupTab });
    mount(judged([popup(0, 7), popup(1)]));
    click(button('Messages (0)'));
    const items = $$('.severed-popups li');
    expect(items.map((li) => $('.muted', li)!.textContent)).toEqual(['(tab 7, opened from this tab)', `(this tab, opened by ${PAGE}/)`]);
    for (const li of items) expect($('p', li)!.textContent).toMatch(/same-origin-allow-popups/);
  });

  it('says so when there is no message', () => {
    mount([]);
    click(button('Messages (0)'));
    expect($('.empty')!.textContent).toContain('No postMessage');
  });
});

describe('what the page hooks could not record', () => {
  it('says it as text in the Messages and WebSockets views, even when they list nothing', () => {
    const m = mount([]);
    click(button('Messages (0)'));
    expect($('.page-drops')).toBeNull();
    m.model.apply({ type: 'page-update', messages: [], websockets: [], dropped: { messages: 3, websockets: 0, requests: 0, rejected: 1234, rejectedBatches: 1 } });
    m.refresh();
    expect($('.empty')!.textContent).toMatch(/^No postMessage/);
    expect($('.page-drops')!.textContent).toBe(
      '3 older messages were dropped to stay within the per-tab limit. 1234 page events were not recorded: over the rate limit, or malformed. ' +
        '1 batch of page events was refused whole (over the rate of batches, too large, or not JSON): their events are not counted.',
    );
    click(button('WebSockets (0)'));
    expect($('.page-drops')!.textContent).toMatch(/^1234 page events were not recorded: over the rate limit, or malformed\. 1 batch of page events was refused whole/);
    click(button(/^Requests/));
    expect($('.page-drops')).toBeNull();
  });
});

describe('websockets view', () => {
  it('shows each socket with its handshake verdict and its frames, text and binary', () => {
    const [hs] = judged([record({ url: 'wss://api0.example/live', type: 'websocket', status: 101, requestHeaders: [{ name: 'Origin', value: PAGE }] })]);
    const s = socket({
      handshake: { origin: PAGE, status: 101, requestId: hs!.id },
      framesSent: 1,
      framesReceived: 1,
      closeCode: 1000,
      closeReason: 'bye',
      frames: [frame({}), frame({ direction: 'received', binary: true, size: 3, preview: '01 02 03' })],
    });
    mount([hs!], { websockets: [s] });
    click(button('WebSockets (1)'));
    const section = $('.socket')!;
    expect($('h3', section)!.textContent).toContain('wss://api0.example/live');
    expect($('h3 .badge', section)).not.toBeNull();
    expect($('p.muted', section)!.textContent).toContain(`Handshake Origin ${PAGE} · status 101`);
    expect($('p.muted', section)!.textContent).toContain('closed 1000 bye');
    expect($$('tbody tr', section).map((r) => [...r.children].slice(1).map((c) => c.textContent))).toEqual([
      ['↑ sent', '5 B', 'text', 'hello'],
      ['↓ received', '3 B', 'binary', '01 02 03'],
    ]);
  });
});

describe('messages view, many messages', () => {
  it('keeps only the rows in view in the DOM, and a finding brings its message into view', () => {
    const messages = Array.from({ length: 5000 }, (_, i) => messageRecord({ id: `many${i}`, dataPreview: `n=${i}` }));
    const finding: Finding = { id: 'f', code: 'postmessage-wildcard-target', severity: 'medium', title: 'Wildcard', explanation: 'x', confidence: 'certain', subject: 's', evidence: ['many4000'] };
    mount([], { messages, findings: [finding] });
    click(button('Messages (5000)'));
    expect($$('.message-list .row').length).toBeLessThan(60);
    expect($('[role=grid]')!.getAttribute('aria-rowcount')).toBe('5001');
    click(button('Findings (1)'));
    click($('.finding .evidence a')!);
    expect(button('Messages (5000)').getAttribute('aria-selected')).toBe('true');
    expect($('#message-many4000')!.className).toContain('selected');
    expect($('#message-many4000')!.getAttribute('aria-selected')).toBe('true');
  });
});

describe('findings view', () => {
  it('groups findings by severity, most severe first, and opens the evidence', () => {
    const findings: Finding[] = [
      { id: 'f1', code: 'jsonp-endpoint', severity: 'low', title: 'JSONP endpoint', explanation: 'Any site can read it.', confidence: 'tentative', subject: 'https://api4.example', evidence: ['r5'] },
      { id: 'f2', code: 'reflected-origin-with-credentials', severity: 'high', title: 'Reflected origin', explanation: 'Any site reads as the user.', confidence: 'certain', subject: 'https://api3.example', evidence: ['r4', 'r0'] },
    ];
    mount(syntheticRecords(8), { findings });
    click(button('Findings (2)'));
    expect($$('.findings h3').map((h) => h.textContent)).toEqual(['high (1)', 'low (1)']);
    const links = $$('.finding .evidence a');
    expect(links.map((a) => a.textContent)).toEqual(['GET https://api3.example/me/4', 'GET https://api0.example/items/0', 'GET https://api4.example/feed?callback=cb5']);
    click(links[0]!);
    expect(button(/^Requests/).getAttribute('aria-selected')).toBe('true');
    expect($('.detail h2 .url')!.textContent).toBe('https://api3.example/me/4');
    expect($('.row.selected')!.dataset.id).toBe('r4');
  });
});

describe('findings view, many pieces of evidence', () => {
  it('lists the first 20 and the rest on request', () => {
    const records = syntheticRecords(80);
    const evidence = records.filter((r) => !r.isPreflight).map((r) => r.id);
    const finding: Finding = { id: 'f', code: 'dynamic-acao-without-vary', severity: 'low', title: 'Vary', explanation: 'x', confidence: 'firm', subject: 's', evidence };
    mount(records, { findings: [finding] });
    click(button('Findings (1)'));
    expect($$('.finding .evidence a')).toHaveLength(20);
    click(button(`${evidence.length - 20} more`));
    expect($$('.finding .evidence a')).toHaveLength(evidence.length);
  });
});

describe('toolbar', () => {
  it('exports with secrets only when asked, and shows errors as alerts', () => {
    const m = mount(syntheticRecords(3));
    click(button('Export session log'));
    click(checkbox('Include secrets'));
    click(button('Export HAR'));
    expect((m.props.onExport as ReturnType<typeof vi.fn>).mock.calls).toEqual([
      ['session', false],
      ['har', true],
    ]);
    m.refresh({ error: 'Could not open x.json: not JSON' });
    expect($('[role=alert]')!.textContent).toBe('Could not open x.json: not JSON');
  });

  it('offers preserve log, clear and the recording settings only on a live tab', () => {
    const onClear = vi.fn();
    const onPreserveLog = vi.fn();
    const onSettings = vi.fn();
    const m = mount([], { onClear, onPreserveLog, onSettings, settings: DEFAULT_SETTINGS });
    expect($('.empty')!.textContent).toContain('No requests yet');
    click(checkbox('Preserve log'));
    click(button('Clear'));
    const keep = $$<HTMLSelectElement>('select').find((s) => s.closest('label')?.textContent?.startsWith('Keep'))!;
    act(() => {
      keep.value = '100000';
      keep.dispatchEvent(new Event('change', { bubbles: true }));
    });
    expect(onPreserveLog).toHaveBeenCalledWith(true);
    expect(onClear).toHaveBeenCalledOnce();
    expect(onSettings).toHaveBeenCalledWith({ maxRequests: 100_000 });
    m.refresh({ live: false, settings: null });
    expect($$('button').some((b) => b.textContent === 'Clear')).toBe(false);
    expect($('.empty')!.textContent).toContain('Import a session log or HAR file');
  });

  it('hands the chosen file to the import', () => {
    const m = mount([]);
    const input = $<HTMLInputElement>('input[type=file]')!;
    const file = new File(['{}'], 'log.json', { type: 'application/json' });
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    act(() => void input.dispatchEvent(new Event('change', { bubbles: true })));
    expect(m.props.onImport).toHaveBeenCalledWith(file);
  });
});
