// What the postMessage hooks share, made once per page and passed to each of them.
import type { MainChannel } from '../channel';
import type { Recorder } from '../recorder';
import type { PortTaps } from './ports';
import type { WindowListeners } from './window-listeners';
import type { WindowRefs } from './window-refs';

export interface PostMessageContext {
  readonly rec: Recorder;
  /** Tells our own handoff message apart from page traffic. */
  readonly channel: MainChannel;
  readonly listeners: WindowListeners;
  readonly ports: PortTaps;
  readonly refs: WindowRefs;
}

/** Previews of message data: bounded, built later, off the page's call. */
export const PREVIEW = { maxChars: 200 } as const;
