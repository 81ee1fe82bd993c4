import type { HeaderList } from '../net/headers';

// Exports are sanitized by default: the values of these headers are secrets (sessions,
// tokens); their names stay so the log still shows that they were sent.
const SECRET_HEADERS = new Set(['cookie', 'set-cookie', 'authorization', 'proxy-authorization']);
const REDACTED = '[redacted by Origin Lens]';

export function redactHeaders(headers: HeaderList): HeaderList {
  return headers.map((h) => (SECRET_HEADERS.has(h.name.toLowerCase()) ? { name: h.name, value: REDACTED } : h));
}
