// Findings over the requests' cookie verdicts: credentialed requests that the browser sent
// without any of the cookies it holds for them, and Set-Cookie lines it refused.
import { COOKIE_REASON_INFO, type CookieReason } from '../cookies/reasons';
import type { Finding } from '../cors/findings';
import { originOf } from '../net/origin';
import type { RequestRecord } from './record';

const MAX_EVIDENCE = 50;
// A cookie of another path or host is not the URL's: its absence is no surprise.
const NOT_FOR_THE_URL: ReadonlySet<CookieReason> = new Set(['NotOnPath', 'DomainMismatch']);

interface Group {
  ids: string[];
  /** Cookie name → reason, the first seen. */
  cookies: Map<string, CookieReason>;
}

function add(groups: Map<string, Group>, key: string, id: string, cookies: Array<{ name: string; reason: CookieReason }>): void {
  let g = groups.get(key);
  if (!g) groups.set(key, (g = { ids: [], cookies: new Map() }));
  if (g.ids.length < MAX_EVIDENCE) g.ids.push(id);
  for (const c of cookies) if (!g.cookies.has(c.name)) g.cookies.set(c.name, c.reason);
}

/** "a (SameSiteLax), b (ThirdPartyPhaseout)": the cookies of a group with their reasons. */
function listed(g: Group): string {
  return [...g.cookies].map(([name, reason]) => `${name || '(no name)'} (${reason})`).join(', ');
}

/** The reasons' fixes, each once. */
function fixes(g: Group): string {
  return [...new Set([...g.cookies.values()].map((r) => COOKIE_REASON_INFO[r].fix))].join(' ');
}

export function cookieFindings(records: readonly RequestRecord[]): Finding[] {
  const bare = new Map<string, Group>();
  const rejected = new Map<string, Group>();
  for (const r of records) {
    const c = r.cookies;
    if (c === undefined) continue;
    const server = originOf(r.url);
    const held = c.withheld.filter((w) => !NOT_FOR_THE_URL.has(w.reason));
    if (r.credentials.mode === 'include' && c.sent.length === 0 && held.length > 0) add(bare, server, r.id, held);
    const refused = c.set.flatMap((s) => (s.stored || s.reason === null ? [] : [{ name: s.name, reason: s.reason }]));
    if (refused.length > 0) add(rejected, server, r.id, refused);
  }
  const out: Finding[] = [];
  for (const [server, g] of bare) {
    out.push({
      id: `credentialed-request-without-cookies:${server}`,
      code: 'credentialed-request-without-cookies',
      severity: 'medium',
      title: 'A credentialed request carried none of the cookies the browser holds for it',
      explanation: `${g.ids.length} credentialed request(s) to ${server} went without a cookie, though the browser holds ${listed(g)} for it. ${fixes(g)}`,
      confidence: 'certain',
      subject: server,
      evidence: g.ids,
    });
  }
  for (const [server, g] of rejected) {
    out.push({
      id: `set-cookie-rejected:${server}`,
      code: 'set-cookie-rejected',
      severity: 'low',
      title: 'Set-Cookie rejected',
      explanation: `The browser did not store ${listed(g)} from ${server}'s responses. ${fixes(g)}`,
      confidence: 'certain',
      subject: server,
      evidence: g.ids,
    });
  }
  return out;
}
