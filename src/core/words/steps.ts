// Origin Lens's own sentences for a verdict's steps and warnings, from their codes and
// parameters. Page data appears only as text (the panel renders strings, never markup).
import type { StepCode, StepParams, Verdict, VerdictStep, VerdictWarning, WarningCode } from '../cors/verdict';

const MODE_SOURCES: Readonly<Record<string, string>> = {
  hook: "the page's fetch/XHR call",
  'sec-fetch-mode': 'the Sec-Fetch-Mode header',
  'resource-type': 'the resource type',
  'origin-header': 'the resource type and Origin header',
  guessed: 'a guess from the request headers (no resource type, no Sec-Fetch-Mode): Accept and Origin',
};

const SPACES = (p: StepParams) => ` (initiator ${p.initiatorSpace ?? 'unknown'}, target ${p.targetSpace ?? 'unknown'})`;

/** What made a preflight necessary: the method, the unsafe headers, an upload listener or streamed body. */
function why(p: StepParams): string {
  const parts: string[] = [];
  if (p.methodUnsafe === true) parts.push(`method ${p.method ?? ''}`);
  if (p.names !== undefined && p.names.length > 0) parts.push(`headers ${p.names.join(', ')}`);
  if (p.forced === true) parts.push('an upload listener or streamed body');
  return parts.join('; ');
}

function cachedBy(p: StepParams): string {
  if (p.preflightId === undefined || p.preflightId === '') return '';
  return ` (preflight ${p.preflightId}, cached for ${p.maxAge ?? '?'} s by its Access-Control-Max-Age)`;
}

const STEPS: { readonly [C in StepCode]: (p: StepParams, v: Pick<Verdict, 'mode' | 'credentials'> | null) => string } = {
  mode: (p, v) => `Request mode '${v?.mode ?? '?'}', from ${MODE_SOURCES[p.source ?? ''] ?? p.source ?? 'unknown'}; credentials '${v?.credentials ?? '?'}'.`,
  'url-invalid': (p) => `The URL "${p.url ?? ''}" cannot be parsed.`,
  navigation: () => 'A document navigation: no CORS check applies.',
  'answered-by-worker': () => 'The service worker answered with a response it made itself: nothing went to the network, so no CORS check applied.',
  'local-scheme': (p) => `A ${p.scheme ?? ''}: URL is fetched locally: no CORS check applies.`,
  'no-origin': () => 'No initiator origin and no Origin header: treated as same-origin.',
  'same-origin': (p) => `Same origin (${p.origin ?? ''}): no CORS check applies.`,
  'same-origin-hops': () => 'Every hop stayed on the same origin.',
  'mode-same-origin': (p) => `Mode 'same-origin' but ${p.url ?? ''} is another origin than ${p.origin ?? ''}.`,
  'scheme-not-cors': (p) => `The ${p.scheme ?? ''}: scheme does not support CORS.`,
  'network-failure': (p) => `${p.error ?? 'Failed'}: the request failed below HTTP.`,
  websocket: () => 'WebSocket handshakes are not subject to CORS; the server must check the Origin header itself.',
  'websocket-refused': (p) => `Handshake answered ${p.status ?? '?'}, not 101.`,
  'no-cors-redirect-mode': (p) => `A 'no-cors' request with redirect mode '${p.value ?? ''}'.`,
  'no-cors': () => "Cross-origin 'no-cors' load: it goes through, and the page gets an opaque response it cannot read.",
  'local-network-target-mismatch': (p) => `The request declared targetAddressSpace '${p.value ?? ''}'${SPACES(p)}.`,
  'local-network-insecure': (p) => `A non-secure page asked for a more private address space${SPACES(p)}.`,
  'local-network-denied': (p) => `Local network access was not granted${SPACES(p)}.`,
  'local-network-granted': (p) => `Local network request went through (permission granted)${SPACES(p)}.`,
  'local-network': (p) => `Local network request${SPACES(p)}.`,
  'allow-origin': (p) => {
    const seen = p.value === undefined || p.value === '' ? 'no Access-Control-Allow-Origin' : `Access-Control-Allow-Origin: ${p.value}`;
    return `${seen}; request origin ${p.origin ?? '?'}${p.credentialed === true ? ', with credentials' : ''}${p.status === undefined ? '' : ` (status ${p.status})`}.`;
  },
  'preflight-cached': (p) => `A preflight was needed (${why(p)}) and none was sent: served from the preflight cache${cachedBy(p)}.`,
  'preflight-not-observed': (p) => `A preflight was needed (${why(p)}) but none was observed.`,
  'simple-request': () => 'No preflight needed: a simple request.',
  'first-hop-same-origin': () => 'No preflight: the first hop is same-origin.',
  'preflight-redirected': (p) => `The preflight was redirected${p.value ? ` to ${p.value}` : ''}; preflights may not redirect.`,
  'preflight-no-response': (p) => `The preflight got no valid HTTP response${p.error ? ` (${p.error})` : ''}.`,
  'preflight-status': (p) => `Preflight status ${p.status ?? '?'}${p.status !== undefined && p.status >= 200 && p.status <= 299 ? '' : ': not 2xx'}.`,
  'method-allowed': (p) => `Method ${p.method ?? ''} allowed.`,
  'method-not-allowed': (p) => `Method ${p.method ?? ''} is not allowed by Access-Control-Allow-Methods: ${p.value || '(absent)'}.`,
  'headers-allowed': (p) => (p.names === undefined || p.names.length === 0 ? 'No non-safelisted request headers.' : `Headers ${p.names.join(', ')} allowed.`),
  'header-not-allowed': (p) => `Access-Control-Allow-Headers (${p.value || 'absent'}) does not allow ${p.names?.join(', ') ?? ''}.`,
  redirect: (p) =>
    `Redirect ${p.index ?? '?'} (${p.status ?? '?'}) to ${p.url ?? ''}${p.tainted === true ? ': a cross-origin hop after a cross-origin hop, so the request\'s origin is now "null"' : ''}.`,
  'redirect-credentials': (p) => `Redirect ${p.index ?? '?'} points to a URL with credentials (user:pass@).`,
  'redirect-scheme': (p) => `Redirect ${p.index ?? '?'} points to a ${p.scheme ?? ''}: URL, which does not support CORS.`,
  'response-not-saved': (p) => `The browser refused the request${p.error ? ` (${p.error})` : ''}; the log saved no response to check (only provisional request headers).`,
  'no-response': (p) => `No response to check${p.error ? `; the browser reported ${p.error}` : ''}.`,
  'invalid-status': (p) => `No valid HTTP status (${p.status ?? '?'}).`,
};

/** A step in words; a step from an older session log keeps the words it was saved with. */
export function stepWords(s: VerdictStep, v: Pick<Verdict, 'mode' | 'credentials'> | null = null): string {
  if (s.detail !== undefined) return s.detail;
  const render = (STEPS as Partial<Record<string, (typeof STEPS)[StepCode]>>)[s.code ?? ''];
  return render === undefined ? '' : render(s.params ?? {}, v);
}

const WARNINGS: { readonly [C in WarningCode]: (p: StepParams) => string } = {
  'authorization-wildcard': () =>
    "Authorization is allowed only by 'Access-Control-Allow-Headers: *'. The standard says '*' never covers Authorization; browsers still allow it (Firefox logs CORSAllowHeaderFromPreflightDeprecation) but will stop. List Authorization explicitly.",
  'wildcard-with-credentials-header': () =>
    "The response sends 'Access-Control-Allow-Origin: *' with 'Access-Control-Allow-Credentials: true'. Browsers never accept that pair for credentialed requests: it only works here because this request carried none.",
  'credentials-unknown': (p) =>
    `The credentials mode was not observable. Without credentials the headers pass, but the browser refused the request (${p.error ?? 'an error'}): it must have been credentialed.`,
  'origin-unknown': () => "The initiator's origin is unknown and the request carried no Origin header, so it was not a cross-origin CORS request.",
  'browser-reported-success': () =>
    'Firefox reported this request as completed with no error, as it does for CORS-blocked requests; the page still got a network error.',
  'browser-disagrees': () => 'Chromium reported no error for this request; the inferred mode or credentials may be wrong.',
  'preflight-not-observed': (p) => `A preflight was needed (${why(p)}) but none was observed; its result is unknown.`,
  'headers-provisional': () =>
    'Only provisional request headers were saved (the request got no response): Origin, Cookie and Sec-Fetch-* are unknown, so the mode and credentials are inferred from the request type.',
  'aborted-after-response': (p) => `The response arrived, then the load was cancelled (${p.error ?? 'aborted'}): the verdict is the response's.`,
  'allow-origin-lines-merged': (p) =>
    `A guess: Firefox hands extensions repeated header lines joined with ", ", so 'Access-Control-Allow-Origin: ${p.value ?? ''}' may have been one line (Firefox: "does not match") or several ("Multiple CORS header"). ${
      p.twoLines === true
        ? 'Read as two lines: a repeated value, or * or null beside an origin, is what two layers each adding the header send.'
        : 'Read as one line: a list of distinct origins is what a server configured with a list sends.'
    } The browser console tells which.`,
  'engine-error': (p) => `The verdict engine failed on this request: ${p.error ?? ''}`,
};

/** A warning in words; one from an older session log keeps the words it was saved with. */
export function warningWords(w: VerdictWarning): string {
  if (w.text !== undefined) return w.text;
  const render = (WARNINGS as Partial<Record<string, (p: StepParams) => string>>)[w.code];
  return render === undefined ? w.code : render(w.params ?? {});
}
