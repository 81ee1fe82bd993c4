import type { Browser } from '../core/browser';
import { cookieDomainOf } from '../core/cookies/verdict';
import { cookieContext, FrameIndex, namesSetSince, recordCookies } from '../core/session/cookies';
import type { RequestRecord } from '../core/session/record';
import type { TabSession } from '../core/session/session';
import type { JarReader } from './cookie-jar';
import { QuietTimer } from './quiet-timer';

/**
 * The jar is read once requests have been quiet for QUIET_MS (at the latest every MAX_WAIT_MS),
 * one cookies API call per site for all the requests that finished meanwhile: nothing runs on
 * the webRequest path, and a burst of requests to one API costs one call. Both come before the
 * collector writes records (quiet 500 ms, at the latest 5 s), so that a record is written once,
 * with its cookie verdict, not once before it and again after.
 */
const QUIET_MS = 300;
const MAX_WAIT_MS = 4000;

/** Gives finished requests their cookie verdict, reading the cookie jar in batches. */
export class CookieReader {
  private pending = new Map<TabSession, Set<string>>();
  private readonly timer = new QuietTimer(QUIET_MS, MAX_WAIT_MS, () => void this.run());
  private running = 0;
  private judged: () => void = () => undefined;

  constructor(
    private readonly engine: Browser,
    private readonly jar: JarReader,
  ) {}

  /** `f` runs when records got their verdict (the collector then sends and keeps them). */
  onJudged(f: () => void): void {
    this.judged = f;
  }

  get idle(): boolean {
    return !this.timer.pending && this.running === 0;
  }

  /** Records of `session` that changed: those finished without a cookie verdict wait for the next quiet moment. */
  note(session: TabSession, records: readonly RequestRecord[]): void {
    let ids = this.pending.get(session);
    for (const r of records) {
      if (r.cookies !== undefined || r.state === 'pending' || r.isPreflight || cookieDomainOf(r.url) === null) continue;
      if (!ids) this.pending.set(session, (ids = new Set()));
      ids.add(r.id);
    }
    if (ids) this.timer.touch();
  }

  private async run(): Promise<void> {
    const pending = this.pending;
    this.pending = new Map();
    this.running++;
    try {
      const stores = await this.jar.stores();
      for (const [session, ids] of pending) await this.judge(session, ids, stores?.get(session.tabId));
    } catch (e) {
      console.error('Origin Lens: could not judge cookies', e);
    } finally {
      this.running--;
      this.judged();
    }
  }

  private async judge(session: TabSession, ids: Set<string>, storeId: string | undefined): Promise<void> {
    const records = [...ids].flatMap((id) => session.get(id) ?? []);
    const frames = new FrameIndex(session.records());
    const setSince = namesSetSince(session.records(), records);
    const byDomain = new Map<string, RequestRecord[]>();
    for (const r of records) {
      const domain = cookieDomainOf(r.url)!;
      const group = byDomain.get(domain);
      if (group) group.push(r);
      else byDomain.set(domain, [r]);
    }
    for (const [domain, group] of byDomain) {
      const jar = await this.jar.read(domain, storeId);
      // Read once per site: most often none, and then nothing more per record.
      const added = this.jar.added(domain, storeId);
      const now = Date.now();
      for (const r of group) {
        const late = added.filter((a) => a.at >= r.startTime);
        const since = late.length === 0 ? setSince.get(r)! : new Set([...setSince.get(r)!, ...late.map((a) => a.name)]);
        const verdict = recordCookies(r, cookieContext(r, frames, this.engine), jar, since, now);
        if (verdict) session.setCookies(r.id, verdict);
      }
    }
  }
}
