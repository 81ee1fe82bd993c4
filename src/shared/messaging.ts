import browser from 'webextension-polyfill';
import { PROTOCOL_VERSION, type BackgroundRequests, type RequestType } from '../core/protocol';

/** Sends a typed one-shot request to the background and returns its typed answer. */
export async function ask<K extends RequestType>(
  type: K,
  request: BackgroundRequests[K]['request'],
): Promise<BackgroundRequests[K]['response']> {
  return (await browser.runtime.sendMessage({ v: PROTOCOL_VERSION, type, ...request })) as BackgroundRequests[K]['response'];
}
