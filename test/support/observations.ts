import type { Header } from '../../src/core/net/headers';
import type { CorsObservation, PreflightObservation } from '../../src/core/cors/verdict';

export const APP = 'https://app.lab.test';
export const API = 'https://api.lab.test/data';

/** Headers from "Name: value" lines. */
export function hs(...lines: string[]): Header[] {
  return lines.map((l) => {
    const i = l.indexOf(':');
    return { name: l.slice(0, i), value: l.slice(i + 1).trim() };
  });
}

/** An ordinary cross-origin fetch from APP to API; override what a case needs. */
export function obs(over: Partial<CorsObservation> = {}): CorsObservation {
  return {
    browser: 'chromium',
    url: API,
    method: 'GET',
    type: 'xmlhttprequest',
    initiatorOrigin: APP,
    requestHeaders: hs(`Origin: ${APP}`, 'Sec-Fetch-Mode: cors', 'Accept: */*'),
    redirects: [],
    response: { status: 200, headers: hs(`Access-Control-Allow-Origin: ${APP}`) },
    error: null,
    completed: true,
    preflight: null,
    ...over,
  };
}

export function preflight(status: number | null, headers: Header[], over: Partial<PreflightObservation> = {}): PreflightObservation {
  return { url: API, status, responseHeaders: headers, error: null, redirected: false, ...over };
}

/** Response with the given header lines. */
export function resp(status: number, ...lines: string[]) {
  return { status, headers: hs(...lines) };
}
