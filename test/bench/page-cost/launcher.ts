// What test/bench/page-cost.bench.ts needs of a browser: a configuration (no extension, an
// unpacked extension, Origin Lens) started in a fresh profile with one tab to load the burst in.
import type { SessionState } from '../../../src/core/session/session';

export interface Config {
  key: string;
  label: string;
  /** The unpacked extension; null for the browser without one. */
  dir: string | null;
  originLens: boolean;
}

/** The burst page's own figures for one load. */
export interface BurstResult {
  ms: number;
  ok: number;
  failed: number;
}

export interface Running {
  readonly config: Config;
  /** Loads `url`, awaits the page's own done promise and, for Origin Lens, its background's "settled" status. */
  round(url: string): Promise<BurstResult>;
  /** Origin Lens's session of the tab at `url`; null for other configurations. */
  session(url: string): Promise<SessionState | null>;
  /** The bare observer's event counts; null for other configurations. */
  counts(): Promise<Record<string, number> | null>;
  /** The browser's full version. */
  version(): Promise<string>;
  /** The extension background's JS heap (bytes, before and after a GC); absent where this browser does not let the bench read it. */
  heap?(): Promise<{ used: number; afterGc: number } | null>;
  /** CPU time used so far by each kind of process (ms: the parent, the pages', the extensions'), where this browser tells it. */
  cpu?(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

export interface Launcher {
  /** The browser's name in the report. */
  name: string;
  /** Origin Lens's unpacked build for this browser inside a dist folder. */
  originLensDir(dist: string): string;
  start(config: Config): Promise<Running>;
}
