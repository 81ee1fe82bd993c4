// From a failed check to its root cause and the fix: the "Diagnoses" of docs/verdicts.md in
// plain words, and the exact response header lines the server must send.
import type { HeaderList } from '../net/headers';
import { countHeader, getAll, getHeader, parseTokenList } from '../net/headers';
import type { Outcome, ReasonCode } from './reasons';
import { preflightBase } from './reasons';
import { parseUrl } from '../net/origin';
import type { Browser } from '../browser';
import type { Hop } from './verdict';

export interface DiagnosisInput {
  browser: Browser;
  outcome: Outcome;
  reason: ReasonCode | null;
  hop: Hop | null;
  failedParameter: string | null;
  /** The origin the failing check compared against ("null" once tainted by a redirect). */
  origin: string | null;
  /** The page's own origin. */
  pageOrigin: string | null;
  tainted: boolean;
  include: boolean;
  method: string;
  methodUnsafe: boolean;
  unsafeHeaders: string[];
  failedStatus: number | null;
  failedHeaders: HeaderList | null;
  /** Where the failing redirect pointed (hop 'redirect'), or the first redirect's target. */
  redirectTarget: string | null;
  /** The request went through at least one redirect before failing. */
  redirected: boolean;
  /** fetch/XHR (not an element load). */
  scripted: boolean;
  /** XMLHttpRequest (withCredentials hint). */
  xhr: boolean;
  url: string;
}

export interface Diagnosis {
  diagnosis: string | null;
  fix: string[];
}

const LOGIN_HINT = /login|signin|sign-in|auth|sso|account/i;

/** Exact difference between an ACAO value and the origin, for near-miss diagnoses. */
function nearMiss(acao: string, origin: string): string | null {
  if (acao === `${origin}/`) return `it has a trailing slash ('${acao}'); an origin never ends with '/'`;
  if (acao.toLowerCase() === origin && acao !== origin) return `it differs only in letter case ('${acao}'); the comparison is byte-for-byte`;
  const a = parseUrl(acao);
  const o = parseUrl(origin);
  if (a === null || o === null || origin === 'null') return null;
  if (a.origin === origin && a.rest !== '/' && a.rest !== '') return `it is a URL with a path ('${acao}'); send only the origin '${origin}'`;
  if (a.origin === origin) return `it is not the exact serialization '${origin}'`;
  const sameHost = a.host === o.host;
  const samePort = a.port === o.port;
  if (sameHost && samePort && a.scheme !== o.scheme) return `the scheme differs: '${a.scheme}' in the header, '${o.scheme}' for the page`;
  if (sameHost && a.scheme === o.scheme && !samePort) {
    return `the port differs: ${a.port ?? 'default'} in the header, ${o.port ?? 'default'} for the page`;
  }
  const loop = (h: string) => h === 'localhost' || h === '127.0.0.1' || h === '[::1]';
  if (loop(a.host) && loop(o.host) && a.host !== o.host) {
    return `'${a.host}' and '${o.host}' are different origins, even though both are this machine`;
  }
  if (a.host === `www.${o.host}` || o.host === `www.${a.host}`) {
    return `'${a.host}' and '${o.host}' are different origins ('www.' vs the bare domain)`;
  }
  return null;
}

function statusWords(status: number | null): string {
  return status === null ? 'without a status' : String(status);
}

/** ACAO / ACAC lines for `origin`, plus the preflight's allow lists when the preflight is at fault. */
function allowLines(d: DiagnosisInput, preflight: boolean): string[] {
  const lines = [`Access-Control-Allow-Origin: ${d.origin ?? '<the page origin>'}`];
  if (d.include) lines.push('Access-Control-Allow-Credentials: true');
  if (preflight) {
    if (d.methodUnsafe) lines.push(`Access-Control-Allow-Methods: ${mergeList(d.failedHeaders, 'access-control-allow-methods', [d.method], false)}`);
    if (d.unsafeHeaders.length > 0) {
      lines.push(`Access-Control-Allow-Headers: ${mergeList(d.failedHeaders, 'access-control-allow-headers', d.unsafeHeaders, true)}`);
    }
  }
  return lines;
}

/** The server's current list plus what is missing (valid tokens kept, '*' dropped with credentials). */
function mergeList(headers: HeaderList | null, name: string, needed: readonly string[], lower: boolean): string {
  const current = parseTokenList(getHeader(headers ?? [], name)).tokens;
  const out: string[] = [];
  const seen = new Set<string>();
  for (const t of [...current, ...needed]) {
    const key = lower ? t.toLowerCase() : t;
    if (t === '*' || seen.has(key)) continue;
    seen.add(key);
    out.push(lower ? t.toLowerCase() : t);
  }
  return out.join(', ');
}

function preflightStatusDiagnosis(status: number | null): string | null {
  if (status === 401 || status === 403) {
    return `Preflight rejected by authentication or a firewall: the OPTIONS request got ${status}. Preflights never carry cookies or Authorization, so the server must answer OPTIONS before it authenticates.`;
  }
  if (status === 404 || status === 405) {
    return `No OPTIONS route: the preflight got ${status}, the default of a framework with no handler for OPTIONS on this URL. Add one (CORS middleware usually does) that answers 204 with the CORS headers.`;
  }
  if (status !== null && status >= 500) {
    return `A server error dressed as CORS: the preflight got ${status}; its error path sends no CORS headers. Fix the error, and let the error handler send the CORS headers too.`;
  }
  return null;
}

function accessDiagnosis(d: DiagnosisInput, base: ReasonCode): string | null {
  const on = d.hop === 'preflight' ? 'The preflight response' : d.hop === 'redirect' ? 'The redirect response' : 'The response';
  const acao = d.failedParameter ?? '';
  switch (base) {
    case 'MissingAllowOriginHeader':
      if (d.hop === 'redirect') {
        const login = d.redirectTarget !== null && LOGIN_HINT.test(d.redirectTarget) ? ' It looks like a login page: the session probably expired or the request lacked credentials.' : '';
        return `Redirected away: the request was redirected (${statusWords(d.failedStatus)}${d.redirectTarget ? ` to ${d.redirectTarget}` : ''}) and that hop sends no CORS headers.${login}`;
      }
      if (d.failedStatus !== null && d.failedStatus >= 400) {
        return `A server error dressed as CORS: the server answered ${d.failedStatus}; its error path sends no CORS headers. Fix the error, and make the error handler send the CORS headers too.`;
      }
      return `${on} carries no Access-Control-Allow-Origin header: the server does not allow ${d.origin ?? 'this origin'} (or does not do CORS at all).`;
    case 'MultipleAllowOriginValues': {
      const lines = countHeader(d.failedHeaders ?? [], 'access-control-allow-origin');
      // Firefox shows duplicate lines merged with ", ".
      if (lines > 1 || (d.browser === 'firefox' && acao.includes(', '))) {
        const values = getAll(d.failedHeaders ?? [], 'access-control-allow-origin').join("' and '");
        return `Two layers add the header: ${on.toLowerCase()} has ${lines > 1 ? lines : 'several'} Access-Control-Allow-Origin lines ('${values}'), typically a proxy and the application both adding it. Let only one of them set it.`;
      }
      return `${on} lists several origins in one Access-Control-Allow-Origin value ('${acao}'). The header takes exactly one origin: echo the request's Origin when it is on your list.`;
    }
    case 'InvalidAllowOriginValue':
      return `${on} has Access-Control-Allow-Origin '${acao}', which is neither '*', 'null' nor an origin (scheme://host[:port]).`;
    case 'AllowOriginMismatch': {
      if (d.tainted && d.pageOrigin !== null && acao === d.pageOrigin) {
        return `Redirected away: after a cross-origin redirect the browser sends 'Origin: null', but the server echoed '${acao}'. Avoid the redirect (request the final URL directly).`;
      }
      if (acao === 'null' && d.origin !== 'null') {
        return `${on} allows the origin 'null' (sandboxed or file: pages), not ${d.origin}.`;
      }
      const diff = d.origin === null ? null : nearMiss(acao, d.origin);
      if (diff !== null) return `Near-miss origin: the server allows '${acao}' but the page is '${d.origin}': ${diff}.`;
      return `${on} allows '${acao}', another origin than the page's '${d.origin}'. The server probably has one fixed origin configured; echo the request's Origin when it is on its list.`;
    }
    case 'WildcardOriginNotAllowed':
      return `The request is credentialed (cookies or HTTP auth${d.xhr ? ': withCredentials is set' : ''}), and 'Access-Control-Allow-Origin: *' never allows that. Echo the origin and send 'Access-Control-Allow-Credentials: true'${d.xhr ? ', or drop withCredentials' : ", or send the request with credentials: 'omit'/'same-origin'"}.`;
    case 'InvalidAllowCredentials':
      return `The request is credentialed and ${on.toLowerCase()} ${acao === '' ? 'has no Access-Control-Allow-Credentials header' : `has 'Access-Control-Allow-Credentials: ${acao}'`}; it must be exactly 'true' (lowercase).`;
    default:
      return null;
  }
}

/** An opaque (no-cors) response's diagnosis: only a script's own no-cors call gets one. */
export function opaqueDiagnosis(scripted: boolean): string | null {
  return scripted
    ? "mode: 'no-cors' used to silence a CORS error? The response is opaque: the page gets status 0 and an empty body. To read it, the server must allow the origin and the request must use mode 'cors'."
    : null;
}

export function diagnose(d: DiagnosisInput): Diagnosis {
  if (d.outcome === 'opaque') return { diagnosis: opaqueDiagnosis(d.scripted), fix: [] };
  const reason = d.reason;
  if (reason === null) return { diagnosis: null, fix: [] };
  const base = preflightBase(reason);
  if (base !== null) {
    const byStatus = d.failedStatus !== null && (d.failedStatus < 200 || d.failedStatus > 299) ? preflightStatusDiagnosis(d.failedStatus) : null;
    return { diagnosis: byStatus ?? accessDiagnosis(d, base), fix: allowLines(d, true) };
  }
  switch (reason) {
    case 'MissingAllowOriginHeader':
    case 'MultipleAllowOriginValues':
    case 'InvalidAllowOriginValue':
    case 'AllowOriginMismatch':
    case 'WildcardOriginNotAllowed':
    case 'InvalidAllowCredentials':
      return { diagnosis: accessDiagnosis(d, reason), fix: allowLines(d, false) };
    case 'PreflightInvalidStatus':
      return {
        diagnosis:
          preflightStatusDiagnosis(d.failedStatus) ??
          `The preflight got ${statusWords(d.failedStatus)}; it must get a 2xx status (204 No Content is usual).`,
        fix: ['HTTP/1.1 204 No Content', ...allowLines(d, true)],
      };
    case 'PreflightDisallowedRedirect':
      return {
        diagnosis: `The preflight was redirected${d.failedParameter ? ` to ${d.failedParameter}` : ''}. Browsers never follow a redirect for a preflight: request the final URL directly (often a missing trailing slash, or http redirected to https).`,
        fix: ['HTTP/1.1 204 No Content', ...allowLines(d, true)],
      };
    case 'InvalidAllowMethodsPreflightResponse':
      return {
        diagnosis: `The preflight's Access-Control-Allow-Methods holds '${d.failedParameter}', which is not a method token: use a comma-separated list of methods.`,
        fix: [`Access-Control-Allow-Methods: ${mergeList(null, '', [d.method], false)}`],
      };
    case 'InvalidAllowHeadersPreflightResponse':
      return {
        diagnosis: `The preflight's Access-Control-Allow-Headers holds '${d.failedParameter}', which is not a header name: use a comma-separated list of names.`,
        fix: [`Access-Control-Allow-Headers: ${d.unsafeHeaders.join(', ')}`],
      };
    case 'MethodDisallowedByPreflightResponse':
      return {
        diagnosis: `The preflight does not allow the method ${d.failedParameter}${d.include ? " ('*' does not count for credentialed requests)" : ''}. Note the comparison is case-sensitive: send methods in upper case.`,
        fix: [`Access-Control-Allow-Methods: ${mergeList(d.failedHeaders, 'access-control-allow-methods', [d.method], false)}`],
      };
    case 'HeaderDisallowedByPreflightResponse':
      return {
        diagnosis: `The preflight does not allow the request header '${d.failedParameter}'${d.include ? " ('*' does not count for credentialed requests)" : ''}.`,
        fix: [`Access-Control-Allow-Headers: ${mergeList(d.failedHeaders, 'access-control-allow-headers', d.unsafeHeaders, true)}`],
      };
    case 'RedirectContainsCredentials': {
      const target = d.failedParameter ?? '';
      return {
        diagnosis: 'The redirect points to a URL with a user name or password (user:pass@host); browsers refuse such redirects for CORS requests.',
        fix: [`Location: ${target.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1')}`],
      };
    }
    case 'CorsDisabledScheme':
      return {
        diagnosis: `The ${d.hop === 'redirect' ? 'redirect points to' : 'request goes to'} a '${d.failedParameter}:' URL; CORS works only over http and https. Serve the resource over HTTP(S).`,
        fix: [],
      };
    case 'DisallowedByMode':
      return { diagnosis: "The page asked for mode 'same-origin', so any cross-origin URL fails before it is sent. Use mode 'cors', or a same-origin URL.", fix: [] };
    case 'NoCorsRedirectModeNotFollow':
      return { diagnosis: "A 'no-cors' request must follow redirects; redirect: 'error' or 'manual' is refused for it.", fix: [] };
    case 'InvalidResponse':
      return {
        diagnosis:
          d.hop === 'preflight'
            ? `The browser refused the request${d.failedParameter ? ` (${d.failedParameter})` : ''} and no preflight response was recorded to check: the preflight that decided it was not captured, or got no HTTP answer.`
            : `There was no HTTP response to check${d.failedParameter ? ` (${d.failedParameter})` : ''}: the server closed the connection or sent something that is not HTTP.`,
        fix: [],
      };
    case 'InsecureLocalNetwork':
      return {
        diagnosis: `A page that is not a secure context (http:) asked for a resource in a more private address space (${d.failedParameter ?? 'local'}). Chromium blocks that: serve the page over HTTPS.`,
        fix: [],
      };
    case 'InvalidLocalNetworkAccess':
      return { diagnosis: `The request's targetAddressSpace does not match the server's address space (${d.failedParameter ?? 'unknown'}).`, fix: [] };
    case 'UnknownNoResponseSaved':
      return {
        diagnosis: `The browser refused this request${d.failedParameter ? ` (${d.failedParameter})` : ''}, but the log holds neither its response nor the headers the browser added, so which CORS check failed cannot be told. The browser console names it; Origin Lens records it live.`,
        fix: [],
      };
    case 'LocalNetworkAccessPermissionDenied':
      return {
        diagnosis: `The page asked to reach the ${d.failedParameter ?? 'local'} network and the user (or a policy) did not grant the local network access permission.`,
        fix: [],
      };
    default:
      return { diagnosis: null, fix: [] };
  }
}
