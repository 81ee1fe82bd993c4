// The raw error strings browsers report (Chromium net::ERR_*, Firefox NS_*), sorted into what
// they mean for a verdict. Neither browser says *why* CORS failed; these only tell CORS-ish
// refusals apart from network failures.

export type ErrorKind =
  /** No error reported. */
  | 'none'
  /** The browser refused the response (Chromium net::ERR_FAILED, Firefox NS_ERROR_DOM_BAD_URI). */
  | 'refused'
  /** Chromium's local-network-access checks. */
  | 'local-network'
  /** Cancelled: navigation away, AbortController, tab closed. */
  | 'aborted'
  /** Something answered, but not with usable HTTP. */
  | 'invalid-response'
  /** DNS, refused or reset connection, TLS, timeout, offline, too many redirects. */
  | 'network'
  /** Blocked by something other than CORS: an extension, CSP, ORB/CORB, CORP, mixed content. */
  | 'blocked-other';

const EXACT = new Map<string, ErrorKind>([
  ['net::ERR_FAILED', 'refused'],
  ['NS_ERROR_DOM_BAD_URI', 'refused'],
  ['net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS', 'local-network'],
  ['net::ERR_BLOCKED_BY_PRIVATE_NETWORK_ACCESS_CHECKS', 'local-network'],
  ['net::ERR_ABORTED', 'aborted'],
  ['NS_BINDING_ABORTED', 'aborted'],
  ['NS_ERROR_ABORT', 'aborted'],
  ['NS_BINDING_REDIRECTED', 'aborted'],
  ['net::ERR_INVALID_RESPONSE', 'invalid-response'],
  ['net::ERR_EMPTY_RESPONSE', 'invalid-response'],
  ['net::ERR_INVALID_HTTP_RESPONSE', 'invalid-response'],
  ['NS_ERROR_NET_INVALID_HTTP_RESPONSE', 'invalid-response'],
  ['NS_ERROR_CORRUPTED_CONTENT', 'invalid-response'],
  ['net::ERR_BLOCKED_BY_CLIENT', 'blocked-other'],
  ['net::ERR_BLOCKED_BY_ORB', 'blocked-other'],
  ['net::ERR_BLOCKED_BY_RESPONSE', 'blocked-other'],
  ['net::ERR_BLOCKED_BY_CSP', 'blocked-other'],
  ['net::ERR_BLOCKED_BY_ADMINISTRATOR', 'blocked-other'],
  ['NS_ERROR_DOM_CORP_FAILED', 'blocked-other'],
  ['NS_ERROR_CONTENT_BLOCKED', 'blocked-other'],
  ['NS_ERROR_CONTENT_BLOCKED_SHOW_ALT', 'blocked-other'],
  ['NS_ERROR_DOM_COEP_FAILED', 'blocked-other'],
]);

export function errorKind(error: unknown): ErrorKind {
  if (typeof error !== 'string' || error === '') return 'none';
  const exact = EXACT.get(error);
  if (exact !== undefined) return exact;
  if (error.startsWith('net::ERR_BLOCKED_BY_')) return 'blocked-other';
  return 'network';
}

/** A short plain-words gloss of a network error, for diagnoses. */
export function describeError(error: string): string {
  if (/NAME_NOT_RESOLVED|UNKNOWN_HOST/.test(error)) return 'the host name did not resolve (DNS)';
  if (/CONNECTION_REFUSED/.test(error)) return 'the connection was refused (nothing listens on that port)';
  if (/CONNECTION_RESET|NET_RESET|CONNECTION_CLOSED|NET_INTERRUPT/.test(error)) return 'the connection was reset';
  if (/TIMED_OUT|TIMEOUT/.test(error)) return 'the connection timed out';
  if (/CERT|SSL|SEC_ERROR|SSL_ERROR/.test(error)) return 'the TLS handshake failed (certificate or protocol)';
  if (/INTERNET_DISCONNECTED|OFFLINE/.test(error)) return 'the browser is offline';
  if (/TOO_MANY_REDIRECTS|REDIRECT_LOOP/.test(error)) return 'too many redirects';
  if (/ABORTED|ABORT/.test(error)) return 'the request was cancelled (navigation, AbortController or a closed tab)';
  if (/BLOCKED_BY_CLIENT/.test(error)) return 'an extension (such as an ad blocker) blocked it';
  if (/ORB|CORP|BLOCKED_BY_RESPONSE/.test(error)) return 'the response was blocked by ORB or Cross-Origin-Resource-Policy, not by CORS';
  if (/CSP/.test(error)) return "the page's Content-Security-Policy blocked it";
  return 'a network error';
}
