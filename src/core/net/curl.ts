import type { HeaderList } from './headers';

// "Copy as cURL": the request as a shell command a developer can paste to replay it.

/** Single-quotes a value for POSIX shells. */
function quote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

// Headers curl computes itself or that describe the connection, not the request.
const SKIP = new Set(['host', 'content-length', 'connection', 'accept-encoding']);

export function toCurl(method: string, url: string, headers: HeaderList): string {
  const parts = ['curl', quote(url)];
  if (method.toUpperCase() !== 'GET') parts.push('-X', quote(method.toUpperCase()));
  for (const h of headers) {
    if (SKIP.has(h.name.toLowerCase())) continue;
    parts.push('-H', quote(`${h.name}: ${h.value}`));
  }
  return parts.join(' ');
}
