// The blocks beyond CORS (test/lab/page/{corp,coep,orb,mixed-content,coop,local-network}.html) in real
// Chromium and Firefox. The page's own signals are the judges (the element's error event, the
// fetch's rejection, the frame's or popup's missing message): every load the page saw fail
// is exported `blocked` with a reason of its family, every load it saw succeed is not, and a
// log read back (session log, HAR) is judged the same way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judgeRecord } from '../../src/core/session/judge';
import { newRecord, type RequestRecord } from '../../src/core/session/record';
import { parseSessionLog, toSessionLog } from '../../src/core/log/session-log';
import { toHar } from '../../src/core/log/har-export';
import { readLogFile } from '../../src/core/log/log-file';
import { analyze } from '../../src/core/log/analyze';
import { sessionFindings } from '../../src/core/session/findings';
import { stepWords } from '../../src/core/words/steps';
import { consoleWords, loadFacts } from '../../src/core/words/words';
import { startLab, type Lab } from '../lab/server.mjs';
import { BROWSERS, launch, launchChromium, type BrowserName, type ExtensionBrowser, type Tab } from './browsers';
import { askBackgroundUntil, findTabId, waitReady } from './extension';

type Result = { ok: boolean; expect: 'blocked' | 'loads'; url: string; kind: string; text: string };
type Api = { tabs: { query(q: object): Promise<{ id?: number; url?: string }[]> } };

// Each page and the reason family of what it blocks (a COEP page's resources are CORP's).
const PAGES: Array<[string, RegExp]> = [
  ['corp.html', /^Corp/],
  ['coep.html?coep=require-corp&coop=same-origin', /^(Corp|Coep)/],
  ['coep.html?coep=credentialless&coop=same-origin', /^(Corp|Coep)/],
  ['orb.html', /^Orb/],
  ['mixed-content.html', /^MixedContent/],
  // More failed loads than the bridge forwards batches in a second: each must still be reported.
  ['mixed-content.html?many=50', /^MixedContent/],
  ['coop.html', /^Coop/],
  ['coop.html?coop=same-origin', /^Coop/],
  ['coop.html?coop=same-origin-allow-popups', /^Coop/],
];

/** A browser and the pages it runs. */
interface Setup {
  name: BrowserName;
  pages: Array<[string, RegExp]>;
  /** Extra Chromium flags, given the lab. */
  flags?: (lab: Lab) => string[];
}
const SETUPS: Array<[string, Setup]> = [
  ...BROWSERS.map((name): [string, Setup] => [name, { name, pages: PAGES }]),
  // Local network access is Chromium's alone; the flag makes the lab's HTTPS origins "public"
  // (the page's address is still 127.0.0.1: only the browser's error shows the check).
  [
    'chromium, the lab page public',
    { name: 'chromium', pages: [['local-network.html', /LocalNetwork/]], flags: (lab) => [`--ip-address-space-overrides=127.0.0.1:${lab.httpsPort}=public`] },
  ],
];

// Marionette hands a field the record leaves out (undefined) over as null: those are dropped
// again, so the records are as the background holds them.
const OPTIONAL = Object.entries(newRecord({ id: '', seq: 0, url: '', method: '', type: '', initiatorOrigin: null, startTime: 0 }))
  .filter(([, v]) => v === undefined)
  .map(([k]) => k);
function asHeld(r: RequestRecord): RequestRecord {
  const fields = r as unknown as Record<string, unknown>;
  for (const k of OPTIONAL) if (fields[k] === null) delete fields[k];
  return r;
}

// An <iframe src="http:…"> on an https page: neither browser tells extensions (no webRequest
// event), and the element fires neither `error` nor `load` (docs/verdicts.md).
const UNSEEN = 'mixed-frame';
// Loads only the page saw (a fetch call, an element's error event): the network never did.
const PAGE_ONLY = /^mixed-(fetch|script|stylesheet)\b/;

// The pages whose blocks the browser's console names (measured, docs/verdicts.md): Chromium logs
// nothing for ORB, a frame refused by COEP or a popup cut off by COOP; Firefox nothing for COOP.
const LOGGED: Record<BrowserName, RegExp> = { chromium: /^(corp|coep|mixed-content|local-network)\.html/, firefox: /^(corp|coep|orb|mixed-content)\.html/ };

/** The record of case `id`: its URL ends with `id=ID` (blocks.js adds it to every load). */
const recordOf = (records: RequestRecord[], id: string) => records.find((r) => r.url.endsWith(`id=${id}`) && !r.isPreflight);

describe.each(SETUPS)('%s', (_title, { name, pages, flags }) => {
  let lab: Lab;
  let browser: ExtensionBrowser;
  let control: Tab;
  const runs = new Map<string, { results: Record<string, Result>; records: RequestRecord[]; console: string[] }>();

  /** The session of the tab whose URL holds `part`, once `done` holds for it. */
  async function sessionOf(part: string, done: (records: RequestRecord[]) => boolean): Promise<RequestRecord[]> {
    const tabId = await control.evaluate(async (p) => {
      const api = (globalThis as unknown as { browser?: Api }).browser ?? (globalThis as unknown as { chrome: Api }).chrome;
      return (await api.tabs.query({})).find((t) => t.url?.includes(p))?.id ?? null;
    }, part);
    expect(tabId, `a tab at ${part}`).not.toBeNull();
    const s = await askBackgroundUntil(control, 'session', { tabId: tabId! }, (s) => s !== null && done(s.records.map(asHeld)));
    return s!.records.map(asHeld);
  }

  beforeAll(async () => {
    lab = await startLab();
    browser = flags ? await launchChromium(undefined, { args: flags(lab) }) : await launch(name);
    control = await browser.openExtensionPage('panel.html');
    await waitReady(control);
    for (const [path] of pages) {
      const logged = (await browser.consoleMessages()).length;
      const url = `${lab.httpsOrigins.app}/page/${path}`;
      const page = await browser.open(url);
      await page.waitFor(() => document.documentElement.dataset.blocksDone === 'true');
      const results = await page.evaluate(() => (window as unknown as { blockResults: Record<string, Result> }).blockResults);
      await findTabId(control, url);
      const ids = Object.keys(results);
      const judged = (records: RequestRecord[], id: string) => {
        const r = recordOf(records, id);
        return r !== undefined && r.verdict !== null && r.verdict.outcome !== 'pending';
      };
      const inPage = ids.filter((id) => results[id]!.kind !== 'popup' && id !== UNSEEN);
      const records = await sessionOf(url, (rs) => inPage.every((id) => judged(rs, id)));
      // A popup is a tab of its own, judged once its opener is known.
      for (const id of ids.filter((i) => results[i]!.kind === 'popup')) {
        records.push(recordOf(await sessionOf(`id=${id}`, (rs) => judged(rs, id) && recordOf(rs, id)!.opener !== undefined), id)!);
      }
      runs.set(path, { results, records, console: (await browser.consoleMessages()).slice(logged) });
    }
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await lab?.close();
  });

  /** The runs' records as the panel exports them, read back. */
  const exported = (path: string) => {
    const run = runs.get(path)!;
    const log = toSessionLog(
      { tabId: null, pageUrl: null, startedAt: 0, records: run.records, navigations: [], messages: [], websockets: [], findings: [], dropped: { requests: 0, messages: 0, websockets: 0 } },
      { includeSecrets: false, browser: name, extensionVersion: 'test', now: 0 },
    );
    return parseSessionLog(JSON.stringify(log)).requests;
  };

  it.each(pages)('%s: the page saw each load as the browsers were measured to', (path) => {
    const { results } = runs.get(path)!;
    for (const [id, r] of Object.entries(results)) expect({ id, ok: r.ok }, r.text).toEqual({ id, ok: r.expect === 'loads' });
  });

  it.each(pages)('%s: every load the page saw fail is exported blocked with a reason of its family', (path, family) => {
    const { results } = runs.get(path)!;
    const records = exported(path);
    for (const [id, r] of Object.entries(results)) {
      if (r.ok) continue;
      if (id === UNSEEN) {
        expect(recordOf(records, id)).toBeUndefined();
        continue;
      }
      const record = recordOf(records, id);
      expect({ id, pageOnly: record?.pageOnly }).toEqual({ id, pageOnly: PAGE_ONLY.test(id) ? true : undefined });
      const v = record?.verdict;
      // On failure, what the verdict rested on.
      const why = JSON.stringify({ steps: v?.steps.map((s) => stepWords(s)), opener: record?.opener, error: record?.error, redirects: record?.redirects.length });
      expect({ id, outcome: v?.outcome }, why).toEqual({ id, outcome: 'blocked' });
      expect(v?.reason, id).toMatch(family);
      expect(v?.diagnosis, id).toBeTruthy();
    }
  });

  it.each(pages)('%s: every load the page saw succeed is not blocked', (path) => {
    const { results } = runs.get(path)!;
    const records = exported(path);
    for (const [id, r] of Object.entries(results)) {
      if (!r.ok) continue;
      const v = recordOf(records, id)?.verdict;
      expect({ id, outcome: v?.outcome }).toEqual({ id, outcome: expect.stringMatching(/^(opaque|allowed|same-origin|navigation)$/) });
    }
  });

  it.each(pages)("%s: each block's console line is the one the browser logged, where it logs one", (path) => {
    const { console } = runs.get(path)!;
    const words = consoleWords(name);
    const compared: string[] = [];
    for (const r of exported(path)) {
      const v = r.verdict;
      if (v?.outcome !== 'blocked' || v.reason === null) continue;
      const line = words.consoleLine(v.reason, v.failedParameter, r.finalUrl, r.initiatorOrigin, r.status, loadFacts(r));
      if (line === null) continue;
      expect(console.some((m) => m.includes(line)), `${line}\nnot among:\n${console.join('\n')}`).toBe(true);
      // The panel's Why column shows Chromium's own words: a part of that line.
      if (name === 'chromium') expect(line).toContain(words.reason(v.reason, v.failedParameter, loadFacts(r)));
      compared.push(r.url);
    }
    expect({ path, compared: compared.length > 0 }).toEqual({ path, compared: LOGGED[name].test(path) });
  });

  it('never calls a load the page saw fail allowed or opaque (every page)', () => {
    const wrong = [];
    for (const [path, { results, records }] of runs) {
      for (const [id, r] of Object.entries(results)) {
        const outcome = recordOf(records, id)?.verdict?.outcome;
        if (!r.ok && (outcome === 'allowed' || outcome === 'opaque')) wrong.push({ path, id, outcome });
      }
    }
    expect(wrong).toEqual([]);
  });

  it('makes a finding of each popup that lost its opener, naming Cross-Origin-Opener-Policy', () => {
    for (const path of ['coop.html', 'coop.html?coop=same-origin'].filter((p) => runs.has(p))) {
      const { results, records } = runs.get(path)!;
      for (const [id, r] of Object.entries(results)) {
        const finding = sessionFindings([recordOf(records, id)!], [], name).find((f) => f.code === 'coop-severed-opener');
        expect({ id, finding: finding !== undefined }).toEqual({ id, finding: !r.ok });
        if (finding) expect(finding.explanation).toMatch(/Cross-Origin-Opener-Policy/);
      }
    }
  });

  it("shows each popup cut off by COOP in its opener's tab too, with the finding naming the side and the fix", async () => {
    for (const path of ['coop.html', 'coop.html?coop=same-origin'].filter((p) => runs.has(p))) {
      const { results } = runs.get(path)!;
      const severed = Object.entries(results).filter(([, r]) => !r.ok).map(([id]) => id);
      const copyOf = (rs: RequestRecord[], id: string) => rs.find((r) => r.popupTab !== undefined && r.url.endsWith(`id=${id}`));
      const records = await sessionOf(`${lab.httpsOrigins.app}/page/${path}`, (rs) => severed.every((id) => copyOf(rs, id)?.verdict?.reason === 'CoopSeveredOpener'));
      expect(records.filter((r) => r.popupTab !== undefined).map((r) => r.url.split('id=')[1]).sort()).toEqual([...severed].sort());
      const findings = sessionFindings(records, [], name).filter((f) => f.code === 'coop-severed-opener');
      expect(findings).toHaveLength(severed.length);
      for (const f of findings) expect(f.explanation).toMatch(/Cross-Origin-Opener-Policy: same-origin.*(same-origin-allow-popups|flow that does not need the opener)/);
    }
  });

  it('judges each exported record again the same way (the analyzer)', () => {
    for (const [path] of runs) {
      for (const r of exported(path)) {
        const again = judgeRecord(r, null, name);
        expect({ url: r.url, outcome: again.outcome, reason: again.reason }).toEqual({ url: r.url, outcome: r.verdict?.outcome, reason: r.verdict?.reason });
      }
    }
  });

  it('judges CORP and ORB blocks the same from an exported HAR (headers and the browser error)', () => {
    for (const path of ['corp.html', 'orb.html'].filter((p) => runs.has(p))) {
      const { results, records } = runs.get(path)!;
      const har = toHar(records, [], { includeSecrets: false, extensionVersion: 'test', pageUrl: null, startedAt: 0, browser: name });
      const rows = analyze(readLogFile(JSON.stringify(har))).rows;
      for (const [id, r] of Object.entries(results)) {
        const row = rows.find((x) => x.url.endsWith(`id=${id}`));
        expect({ id, outcome: row?.verdict.outcome, reason: row?.verdict.reason }).toEqual({ id, outcome: r.ok ? expect.not.stringMatching(/^blocked$/) : 'blocked', reason: r.ok ? null : recordOf(records, id)?.verdict?.reason });
      }
    }
  });
});
