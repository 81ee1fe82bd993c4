// What every stack renderer shares: its shape, the safety check every value passes before it
// is printed (`stack` applies it), and the pieces several syntaxes need (methods, header pairs,
// quoting, lines).
import { isToken } from '../net/headers';
import { parseOrigin } from '../net/origin';
import type { ServerRequirements } from './requirements';

export type StackGroup = 'node' | 'server' | 'framework' | 'storage';

export interface Rendered {
  /** The configuration text, ready to paste. */
  text: string;
  /** Where it goes, what it needs, and what the stack cannot express. */
  notes: string[];
}

export interface Stack {
  id: string;
  /** Display name (the stack and what it configures). */
  name: string;
  group: StackGroup;
  /** Throws, writing nothing, when a value is not safe to print (see `checked`). */
  render(requirements: ServerRequirements): Rendered;
}

/** Fixed [name, value] headers a stack sends on every response of `server`; null for a stack that cannot (storage services). */
export type HeaderRenderer = ((headers: readonly [string, string][], server: string) => Rendered) | null;

// Values end up inside config files of many syntaxes. Only plain serialized origins and plain
// names get through, so no quoting rule of any target can be broken by page data.
const PLAIN_ORIGIN = /^https?:\/\/(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::[0-9]{1,5})?$/;
const PLAIN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const PLAIN_TOKEN = /^[a-z][a-z-]*$/;
// A URL path of RFC 3986 characters, without quotes: it is only ever printed in a note.
const PLAIN_PATH = /^\/[A-Za-z0-9._~!$&()*+,;=:@%/-]*$/;

function refuse(what: string, value: string): never {
  throw new Error(`Refusing to write ${what} ${JSON.stringify(value)} into a server configuration.`);
}

/** The origin, unchanged, once it is safe to print; throws when it is not. */
export function checkedOrigin(o: string): string {
  return parseOrigin(o) !== null && PLAIN_ORIGIN.test(o) ? o : refuse('the origin', o);
}

/** The requirements, unchanged, once every value is safe to print; throws on the first that is not. */
function checked(req: ServerRequirements): ServerRequirements {
  for (const o of [req.server, ...req.origins]) checkedOrigin(o);
  for (const m of req.methods) if (!isToken(m) || !PLAIN_NAME.test(m)) refuse('the method', m);
  for (const h of [...req.requestHeaders, ...req.exposedHeaders]) if (!isToken(h) || !PLAIN_NAME.test(h)) refuse('the header name', h);
  if (!Number.isSafeInteger(req.maxAge) || req.maxAge < 0) refuse('the max-age', String(req.maxAge));
  if (req.cors && req.origins.length === 0) throw new Error(`No page origin to allow on ${req.server}.`);
  for (const p of req.policies) if (!PLAIN_NAME.test(p.name) || !PLAIN_TOKEN.test(p.value)) refuse('the header', `${p.name}: ${p.value}`);
  for (const c of req.contentTypes) if (!PLAIN_PATH.test(c.path) || !/^[a-z]+\/[a-z-]+$/.test(c.type)) refuse('the path', c.path);
  return req;
}

/** GET, HEAD and POST plus the methods the session needs: for stacks that check actual requests' methods too. */
export function allowedMethods(req: ServerRequirements): string[] {
  return [...new Set(['GET', 'HEAD', 'POST', ...req.methods])];
}

/**
 * The CORS response headers as [name, value] pairs, for stacks that set headers one by one:
 * `origin` and `credentials` are the stack's expressions for the allowed origin and "true";
 * a list header is left out when its list is empty.
 */
export function corsHeaders(req: ServerRequirements, origin: string, credentials: string): [string, string][] {
  const pairs: [string, string][] = [['Access-Control-Allow-Origin', origin]];
  if (req.credentials) pairs.push(['Access-Control-Allow-Credentials', credentials]);
  pairs.push(['Access-Control-Allow-Methods', allowedMethods(req).join(', ')]);
  if (req.requestHeaders.length > 0) pairs.push(['Access-Control-Allow-Headers', req.requestHeaders.join(', ')]);
  if (req.exposedHeaders.length > 0) pairs.push(['Access-Control-Expose-Headers', req.exposedHeaders.join(', ')]);
  pairs.push(['Access-Control-Max-Age', String(req.maxAge)]);
  return pairs;
}

/** A double-quoted string literal: valid JavaScript, JSON, Python, Java and C# for the plain values `checked` lets through. */
export const quote = (s: string): string => JSON.stringify(s);

/** `[a, b]` with each item quoted. */
export const quotedList = (items: readonly string[]): string => `[${items.map(quote).join(', ')}]`;

/**
 * A stack whose renderers only ever see checked requirements: `render` writes the CORS
 * configuration (when CORS requests need it), `headers` the headers beyond CORS.
 */
export function stack(id: string, name: string, group: StackGroup, render: (req: ServerRequirements) => Rendered, headers: HeaderRenderer): Stack {
  return { id, name, group, render: (requirements) => renderAll(checked(requirements), render, headers) };
}

function renderAll(req: ServerRequirements, cors: (req: ServerRequirements) => Rendered, headers: HeaderRenderer): Rendered {
  const parts: Rendered[] = req.cors ? [cors(req)] : [];
  if (req.policies.length > 0) {
    const pairs = req.policies.map((p): [string, string] => [p.name, p.value]);
    const listed = pairs.map(([name, value]) => `${name}: ${value}`).join(', ');
    parts.push(headers?.(pairs, req.server) ?? { text: '', notes: [`This service's settings cannot add ${listed} to its responses: send it from a CDN or proxy in front of ${req.server}.`] });
  }
  const types = req.contentTypes.map((c) => `Serve ${c.path} with Content-Type: ${c.type} (what the element loading it expects): ORB refused it for its type. The body must really be that.`);
  return {
    text: parts.map((p) => p.text).filter((t) => t !== '').join('\n'),
    notes: [...parts.flatMap((p) => p.notes), ...types],
  };
}

/** Lines of a config file, newline-terminated. */
export const lines = (list: readonly string[]): string => `${list.join('\n')}\n`;
