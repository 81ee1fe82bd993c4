import type { Finding } from '../cors/findings';
import { readDocument, type DocumentInfo } from '../blocks/block';
import type { StepParams, Verdict } from '../cors/verdict';
import type { HeaderList } from '../net/headers';
import type { MessageRecord, RequestHookRecord, WebSocketRecord } from '../page/records';
import type { RequestRecord } from '../session/record';

// Exports without "Include secrets" mask what looks secret: credentials in headers, tokens in
// URLs, frame payloads and message previews. A masked value keeps its length and its
// punctuation (each letter, digit or other character becomes `*`; `. - _ ~ + / = %` stay), so
// a JWT still shows its three parts and a record keeps its size; no letter or digit of it is
// left. docs/session-log.md ("Secrets") lists the rules.

const MASKED = /[^.\-_~+/=%]/g;

/** `value` with every character but token punctuation replaced by `*`, same length. */
export function mask(value: string): string {
  return value.replace(MASKED, '*');
}

const SECRET_WORDS = new Set([
  'token', 'tokens', 'secret', 'secrets', 'password', 'passwd', 'pwd', 'pass', 'passphrase',
  'auth', 'authorization', 'authentication', 'credential', 'credentials', 'key', 'apikey',
  'session', 'sessionid', 'sess', 'sid', 'sig', 'signature', 'hmac', 'jwt', 'bearer',
  'csrf', 'xsrf', 'ticket', 'otp', 'saml', 'samlresponse', 'assertion', 'cookie',
]);
/** Words glued together (`accesstoken`, `phpsessid`): the ending says what they are. */
const SECRET_ENDINGS = ['token', 'secret', 'password', 'passwd', 'apikey', 'sessid', 'sessionid', 'signature', 'auth', 'key'];
/** `code` alone is an OAuth authorization code; with these words too (`auth_code`), also secret. */
const CODE_WORDS = new Set(['auth', 'authorization', 'access', 'verification', 'reset', 'otp', 'mfa', 'device', 'login']);

/** A parameter, header, cookie or JSON key named like a secret: tokens, keys, codes, sessions, signatures, passwords. */
export function isSecretName(name: string): boolean {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  if (words.some((w) => SECRET_WORDS.has(w) || SECRET_ENDINGS.some((e) => w.endsWith(e)))) return true;
  return words.includes('code') && (words.length === 1 || words.some((w) => CODE_WORDS.has(w)));
}

/** Three base64url parts, the first a JSON header (`{"` is `eyJ`): a JWT (or the first three parts of a JWE). */
const JWT = /eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}(?:\.[A-Za-z0-9_-]*){1,3}/g;
const SCHEME_CREDENTIAL = /\b([Bb]earer|Basic)(\s+)([A-Za-z0-9._~+/-]+=*)/g;
/** `name=value`, as in a query string, a form body or a cookie line inside free text. */
const ASSIGNMENT = /([A-Za-z0-9_.[\]-]+)=([^&\s"'<>;,}\])]*)/g;
/** `key: value` in JSON or a preview (`{token:"…"}`): the value a string (perhaps cut short) or a number. */
const KEYED_VALUE = /(["']?)([A-Za-z_$][\w$-]*)\1(\s*:\s*)("(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?|-?\d[\d.eE+-]*)/g;

/** A quoted value keeps its quotes; what they hold is masked. */
function maskLiteral(value: string): string {
  const q = value[0];
  if (q !== '"' && q !== "'") return mask(value);
  const closed = value.length > 1 && value.endsWith(q);
  return q + mask(value.slice(1, closed ? -1 : undefined)) + (closed ? q : '');
}

/** Free text (a frame payload, a message preview, a header value): JWTs, Bearer/Basic credentials, values of secret-named keys. */
export function redactText(text: string): string {
  return text
    .replace(JWT, mask)
    .replace(SCHEME_CREDENTIAL, (_, scheme: string, space: string, credential: string) => scheme + space + mask(credential))
    .replace(KEYED_VALUE, (all, q: string, key: string, colon: string, value: string) => (isSecretName(key) ? q + key + q + colon + maskLiteral(value) : all))
    .replace(ASSIGNMENT, (all, name: string, value: string) => (isSecretName(name) ? `${name}=${mask(value)}` : all));
}

/**
 * A long value that looks random: base64-like with upper case, lower case and digits, or a
 * long hex string. Keys and tokens look like this whatever their parameter is called.
 */
function looksRandom(value: string): boolean {
  if (value.length >= 32 && /^[0-9a-f]+$/i.test(value)) return true;
  return value.length >= 24 && /^[A-Za-z0-9._~+/=%-]+$/.test(value) && /[a-z]/.test(value) && /[A-Z]/.test(value) && /\d/.test(value);
}

function redactParams(params: string): string {
  return params
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair.replace(JWT, mask);
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name);
      } catch {
        // a broken escape: judge the name as written
      }
      return isSecretName(decoded) || looksRandom(value) ? `${name}=${mask(value)}` : `${name}=${value.replace(JWT, mask)}`;
    })
    .join('&');
}

/**
 * A URL with its secrets masked: user and password, values of secret-named or random-looking
 * query and fragment parameters (OAuth puts tokens in the fragment), JWTs anywhere. The rest,
 * and the URL's length, stay as they were.
 */
export function redactUrl(url: string): string {
  const hash = url.indexOf('#');
  const beforeHash = hash < 0 ? url : url.slice(0, hash);
  const query = beforeHash.indexOf('?');
  const path = (query < 0 ? beforeHash : beforeHash.slice(0, query)).replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/@]*)@/i, (_, scheme: string, user: string) => `${scheme}${user.split(':').map(mask).join(':')}@`);
  let out = path.replace(JWT, mask);
  if (query >= 0) out += '?' + redactParams(beforeHash.slice(query + 1));
  if (hash >= 0) {
    const fragment = url.slice(hash + 1);
    out += '#' + (fragment.includes('=') ? redactParams(fragment) : fragment.replace(JWT, mask));
  }
  return out;
}

function redactCookie(value: string): string {
  return value
    .split(';')
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq < 0 ? mask(pair) : pair.slice(0, eq + 1) + mask(pair.slice(eq + 1));
    })
    .join(';');
}

/** The name=value of each Set-Cookie line (Chromium joins them with newlines); its attributes stay. */
function redactSetCookie(value: string): string {
  return value
    .split('\n')
    .map((line) => {
      const end = line.indexOf(';');
      return end < 0 ? redactCookie(line) : redactCookie(line.slice(0, end)) + line.slice(end);
    })
    .join('\n');
}

/** `Scheme credentials`: the scheme stays. */
function redactCredentials(value: string): string {
  const m = /^(\s*\S+)(\s+)([\s\S]*)$/.exec(value);
  return m ? m[1]! + m[2]! + mask(m[3]!) : mask(value);
}

const URL_HEADERS = new Set(['location', 'referer', 'content-location']);

function redactHeaderValue(name: string, value: string): string {
  const n = name.toLowerCase();
  if (n === 'cookie') return redactCookie(value);
  if (n === 'set-cookie') return redactSetCookie(value);
  if (n === 'authorization' || n === 'proxy-authorization') return redactCredentials(value);
  // CORS and WebSocket protocol headers are read by the verdicts and hold no secret by name
  // (Access-Control-Allow-Credentials, Sec-WebSocket-Key).
  const protocol = n.startsWith('access-control-') || n.startsWith('sec-');
  if (!protocol && isSecretName(n)) return mask(value);
  if (URL_HEADERS.has(n)) return redactUrl(value);
  return redactText(value);
}

/** Header names stay, so the log still shows that a cookie or a key was sent. */
export function redactHeaders(headers: HeaderList): HeaderList {
  return headers.map((h) => ({ name: h.name, value: redactHeaderValue(h.name, h.value) }));
}

const urlOrNull = (url: string | null) => (url === null ? null : redactUrl(url));

/** The facts a step or warning names: a header value (a Location among them), a URL, an error. */
function redactFacts(p: StepParams): StepParams {
  return { ...p, value: p.value && redactText(p.value), url: p.url && redactUrl(p.url), error: p.error && redactText(p.error) };
}

function redactVerdict(v: Verdict): Verdict {
  return {
    ...v,
    failedParameter: v.failedParameter === null ? null : redactText(v.failedParameter),
    fix: v.fix.map(redactText),
    diagnosis: v.diagnosis === null ? null : redactText(v.diagnosis),
    // Words are written out only by older versions; newer steps and warnings carry their facts.
    warnings: v.warnings.map((w) => ({ ...w, params: w.params && redactFacts(w.params), text: w.text && redactText(w.text) })),
    steps: v.steps.map((s) => ({ ...s, params: s.params && redactFacts(s.params), detail: s.detail && redactText(s.detail) })),
  };
}

function redactHook(hook: RequestHookRecord): RequestHookRecord {
  return { ...hook, url: redactUrl(hook.url), ...(hook.frameUrl === undefined ? {} : { frameUrl: redactUrl(hook.frameUrl) }) };
}

export function redactRecord(r: RequestRecord): RequestRecord {
  return {
    ...r,
    url: redactUrl(r.url),
    finalUrl: redactUrl(r.finalUrl),
    frameUrl: urlOrNull(r.frameUrl),
    requestHeaders: redactHeaders(r.requestHeaders),
    responseHeaders: redactHeaders(r.responseHeaders),
    redirects: r.redirects.map((h) => ({
      ...h,
      url: redactUrl(h.url),
      location: redactUrl(h.location),
      requestHeaders: redactHeaders(h.requestHeaders),
      responseHeaders: redactHeaders(h.responseHeaders),
    })),
    hook: r.hook === null ? null : redactHook(r.hook),
    verdict: r.verdict === null ? null : redactVerdict(r.verdict),
    document: redactDocument(r.document),
    opener: redactDocument(r.opener),
  };
}

/** The page a request came from (or a popup's opener): its URL may carry secrets too. */
function redactDocument(d: unknown): DocumentInfo | undefined {
  const doc = readDocument(d);
  return doc === null ? undefined : { ...doc, url: redactUrl(doc.url) };
}

export function redactMessage(m: MessageRecord): MessageRecord {
  return {
    ...m,
    frameUrl: urlOrNull(m.frameUrl),
    senderFrameUrl: urlOrNull(m.senderFrameUrl),
    dataPreview: redactText(m.dataPreview),
    listeners: m.listeners.map((l) => (l.location === null ? l : { ...l, location: { ...l.location, url: redactUrl(l.location.url) } })),
  };
}

export function redactWebSocket(w: WebSocketRecord): WebSocketRecord {
  return {
    ...w,
    url: redactUrl(w.url),
    protocols: w.protocols.map(redactText),
    frameUrl: redactUrl(w.frameUrl),
    closeReason: w.closeReason === null ? null : redactText(w.closeReason),
    frames: w.frames.map((f) => ({ ...f, preview: redactText(f.preview) })),
  };
}

export function redactFinding(f: Finding): Finding {
  return { ...f, id: redactText(f.id), title: redactText(f.title), explanation: redactText(f.explanation), subject: redactUrl(f.subject) };
}
