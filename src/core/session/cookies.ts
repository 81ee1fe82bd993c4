// A record's cookie verdict: its context from the tab's frames and the page hook, the Cookie
// header and Set-Cookie lines webRequest showed, and the jar the background read afterwards.
import type { Browser } from '../browser';
import { setCookieLines, setCookieName } from '../cookies/set-cookie';
import { cookieVerdict, setCookieResults, type CookieContext, type CookieVerdict, type JarCookie } from '../cookies/verdict';
import { getHeader } from '../net/headers';
import { originOf, sameSite } from '../net/origin';
import type { RequestRecord } from './record';

const isFrame = (r: RequestRecord) => r.type === 'main_frame' || r.type === 'sub_frame';

/** The documents a tab's frames held, from its main_frame and sub_frame records. */
export class FrameIndex {
  private readonly byFrame = new Map<number, RequestRecord[]>();

  /** `records` in arrival order. */
  constructor(records: Iterable<RequestRecord>) {
    for (const r of records) {
      if (!isFrame(r)) continue;
      const list = this.byFrame.get(r.frameId);
      if (list) list.push(r);
      else this.byFrame.set(r.frameId, [r]);
    }
  }

  /** The navigation that loaded frame `frameId`'s document before request `seq` was made (a frame navigates over time). */
  document(frameId: number, seq: number): RequestRecord | null {
    const list = this.byFrame.get(frameId);
    if (!list) return null;
    let found: RequestRecord | null = null;
    for (const r of list) if (r.seq <= seq) found = r;
    return found;
  }
}

/** What decides `record`'s cookies besides the jar. The third-party cookie setting is not read (docs/verdicts.md says why). */
export function cookieContext(record: RequestRecord, frames: FrameIndex, browser: Browser): CookieContext {
  const navigation = record.type === 'main_frame';
  const documentUrl = (frameId: number): string | null => frames.document(frameId, record.seq)?.finalUrl ?? (frameId === record.frameId ? record.frameUrl : null);
  const topUrl = navigation ? record.url : documentUrl(0);
  const top = topUrl === null ? null : originOf(topUrl);
  // The site for cookies is the top's only when every frame from the requesting one up is same-site with it.
  let crossSiteAncestor = false;
  let frameId = record.type === 'sub_frame' ? (record.parentFrameId ?? -1) : record.frameId;
  for (let hops = 0; top !== null && frameId > 0 && hops < 64 && !crossSiteAncestor; hops++) {
    const url = documentUrl(frameId);
    if (url !== null && !sameSite(top, originOf(url))) crossSiteAncestor = true;
    frameId = frames.document(frameId, record.seq)?.parentFrameId ?? -1;
  }
  return {
    browser,
    url: record.url,
    method: record.method,
    initiator: record.initiatorOrigin,
    topLevelOrigin: top === 'null' ? null : top,
    crossSiteAncestor,
    topLevelNavigation: navigation,
    credentials: record.credentials.mode === 'unknown' ? null : record.credentials.mode,
    thirdPartyCookies: null,
  };
}

/** Whether any response of the record carried a Set-Cookie header. */
function setsCookies(record: RequestRecord): boolean {
  return getHeader(record.responseHeaders, 'set-cookie') !== null || record.redirects.some((h) => getHeader(h.responseHeaders, 'set-cookie') !== null);
}

function setNames(record: RequestRecord): string[] {
  return [record.responseHeaders, ...record.redirects.map((h) => h.responseHeaders)].flatMap((headers) =>
    setCookieLines(headers).map(setCookieName),
  );
}

/**
 * For each of `targets`, the names of the cookies set by responses to requests of the tab that
 * started no earlier (its own included): the jar read afterwards holds them, though the request
 * could not have carried them.
 */
export function namesSetSince(tab: Iterable<RequestRecord>, targets: readonly RequestRecord[]): Map<RequestRecord, Set<string>> {
  const setters: Array<{ start: number; names: string[] }> = [];
  for (const r of tab) if (setsCookies(r)) setters.push({ start: r.startTime, names: setNames(r) });
  const out = new Map<RequestRecord, Set<string>>();
  for (const t of targets) out.set(t, new Set(setters.filter((s) => s.start >= t.startTime).flatMap((s) => s.names)));
  return out;
}

/**
 * The record's cookie verdict. `jar` is what the cookies API holds for the URL's domain, in
 * every partition (null when it could not be read); `setSince` from namesSetSince.
 */
export function recordCookies(record: RequestRecord, ctx: CookieContext, jar: readonly JarCookie[] | null, setSince: ReadonlySet<string>, now: number): CookieVerdict | null {
  // The cookies are the first hop's; a record that never sent its headers shows none.
  const first = record.redirects[0]?.requestHeaders ?? record.requestHeaders;
  const visible = first.length > 0 && record.requestHeadersProvisional !== true;
  const verdict = cookieVerdict(ctx, visible ? (getHeader(first, 'cookie') ?? '') : null, [], jar, now);
  if (verdict === null) return null;
  const hops = [...record.redirects.map((h) => ({ url: h.url, headers: h.responseHeaders })), { url: record.finalUrl, headers: record.responseHeaders }];
  return {
    ...verdict,
    withheld: verdict.withheld.filter((w) => !setSince.has(w.name)),
    set: hops.flatMap((hop) => {
      const lines = setCookieLines(hop.headers);
      if (lines.length === 0) return [];
      // A navigation's every hop is the top-level document of its moment.
      return setCookieResults({ ...ctx, url: hop.url, topLevelOrigin: ctx.topLevelNavigation ? originOf(hop.url) : ctx.topLevelOrigin }, lines, now);
    }),
  };
}
