// The offline analyzer on a HAR recorded on the wire: each browser runs the lab over plain http
// through a recording proxy (test/support/wire-recorder.ts), which keeps what crossed the wire
// and nothing a browser alone knows: no resource types, no initiators, no Sec-Fetch-* (plain
// http). The page's own fetch results and the browser's console judge every verdict.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze, type Analysis } from '../../src/core/log/analyze';
import { readLogFile } from '../../src/core/log/log-file';
import { consoleWords } from '../../src/core/words/words';
import { expectedReason, scenarios, type Scenario } from '../lab/scenarios.mjs';
import { startLab, type Lab } from '../lab/server.mjs';
import { startWireRecorder, type WireRecorder } from '../support/wire-recorder';
import { BROWSERS, LAB_HOSTS, launch, type ExtensionBrowser } from './browsers';
import { consoleReason } from './console-reasons';

type LabResult = { attempts?: { ok: boolean }[] };

let lab: Lab;
beforeAll(async () => {
  lab = await startLab();
});
afterAll(async () => {
  await lab?.close();
});

/** The browser sends no preflight for it: a safelisted method and no header of the page's own. */
const simple = (s: Scenario) => ['GET', 'HEAD', 'POST'].includes(s.request.method) && s.request.headers === undefined;

/**
 * In the page: a cross-origin fetch POST of text/plain (Accept: *\/*, Origin: cors) and a form
 * post of the same URL into a frame (Accept: text/html: a navigation). Resolves with whether the
 * fetch could read its response, once the form's answer has loaded in the frame.
 */
async function postBothWays(api: string): Promise<boolean> {
  const read = await fetch(`${api}/s/simple-allowed?by=fetch`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'x' }).then(
    () => true,
    () => false,
  );
  const frame = document.createElement('iframe');
  frame.name = 'form-sink';
  document.body.append(frame);
  const form = Object.assign(document.createElement('form'), { method: 'post', action: `${api}/s/simple-allowed?by=form`, target: 'form-sink', enctype: 'text/plain' });
  document.body.append(form);
  await new Promise<void>((resolve) => {
    // The frame is another origin's once the answer has loaded: reading its location throws.
    frame.addEventListener('load', () => {
      try {
        void frame.contentWindow!.location.href;
      } catch {
        resolve();
      }
    });
    form.submit();
  });
  return read;
}

describe.each(BROWSERS)('offline analyzer on a wire HAR of %s', (name) => {
  let recorder: WireRecorder;
  let browser: ExtensionBrowser;
  let har: ReturnType<WireRecorder['har']>;
  let analysis: Analysis;
  let results: Record<string, LabResult>;
  let consoleLog: string[];
  /** Where each request ended up (the console names the last hop). */
  let finalUrl: Map<string, string>;
  let posted: boolean;
  const urlOf = (s: Scenario) => `${lab.origins[s.target]}${s.path ?? `/s/${s.id}`}`;

  beforeAll(async () => {
    recorder = await startWireRecorder((host) => (LAB_HOSTS.includes(host) ? '127.0.0.1' : null));
    browser = await launch(name, undefined, { proxyPort: recorder.port });
    const page = await browser.open(`${lab.origins.app}/`);
    await page.waitFor(() => document.documentElement.dataset.labDone === 'true');
    results = await page.evaluate(() => (window as unknown as { labResults: Record<string, LabResult> }).labResults);
    posted = await page.evaluate(postBothWays, lab.origins.api);
    consoleLog = await browser.consoleMessages();
    await recorder.idle();
    har = recorder.har();
    const log = readLogFile(JSON.stringify(har), name);
    analysis = analyze(log, name);
    finalUrl = new Map(log.records.map((r) => [r.id, r.finalUrl]));
  });
  afterAll(async () => {
    await browser?.close();
    await recorder?.close();
  });

  it('holds what a wire recorder holds: every scenario request, the preflights, no browser-only field', () => {
    const entries = har.log.entries;
    for (const s of scenarios) expect(entries.some((e) => e.request.url === urlOf(s)), s.id).toBe(true);
    expect(entries.some((e) => e.request.method === 'OPTIONS' && e.request.url === urlOf(scenarios.find((s) => s.id === 'preflight-allowed')!))).toBe(true);
    expect(JSON.stringify(har)).not.toMatch(/"_\w+"|"pages"/);
    // Plain http: no Sec-Fetch-* to tell the mode (Chromium puts Sec-Fetch-Mode only on its preflights).
    const marked = entries.filter((e) => e.request.method !== 'OPTIONS' && e.request.headers.some((h) => /^sec-fetch-/i.test(h.name)));
    expect(marked.map((e) => e.request.url)).toEqual([]);
    expect(analysis.rows.filter((r) => r.verdict.modeGuessed).length).toBeGreaterThan(0);
  });

  it.each(scenarios.map((s) => [s.id, s] as const))('judges %s as the browser did', (_id, s) => {
    const rows = analysis.rows.filter((r) => r.url === urlOf(s));
    expect(rows).toHaveLength(s.repeat ?? 1);
    for (const [i, row] of rows.entries()) {
      const v = row.verdict;
      const sawOk = results[s.id]!.attempts![i]!.ok;
      expect(v.outcome === 'blocked', `${s.id}: ${v.outcome} ${v.reason ?? ''} (mode ${v.mode})`).toBe(!sawOk);
      expect(v.outcome).toBe(s.expect.outcome);
      expect(v.reason).toBe(expectedReason(s, name) ?? null);
      // Only a request the browser preflights, or could not have sent otherwise, is cors for certain.
      expect(v.modeGuessed, `${s.id}: mode ${v.mode}`).toBe(simple(s));
      if (s.target !== 'app') expect(v.mode).toBe(s.request.mode ?? 'cors');
      // The wire keeps header lines apart and shows no browser's decision to doubt the verdict with.
      expect(v.warnings.filter((w) => ['allow-origin-lines-merged', 'browser-disagrees', 'browser-reported-success'].includes(w.code))).toEqual([]);
    }
    // The browser's console gave the same reason.
    const v = rows[0]!.verdict;
    const said = consoleReason(name, consoleLog, finalUrl.get(rows[0]!.id)!);
    if (v.reason === null) expect(said).toBeNull();
    else expect(said?.key).toBe(consoleWords(name).key(v.reason));
  });

  it('tells a fetch POST from a form post by what each carries, and marks both guesses', () => {
    const row = (by: string) => analysis.rows.find((r) => r.url === `${lab.origins.api}/s/simple-allowed?by=${by}`)?.verdict;
    expect(posted).toBe(true);
    expect(row('fetch')).toMatchObject({ outcome: 'allowed', mode: 'cors', modeGuessed: true });
    expect(row('form')).toMatchObject({ outcome: 'navigation', mode: 'navigate', modeGuessed: true });
  });
});
