import type { RequestRecord } from '../core/session/record';

// A tab's requests are kept in IndexedDB as a log of chunks: each write adds a value holding the
// records changed since the previous one, as JSON text, and the ids removed meanwhile. One put of
// a string costs the browser far less than a put of an object per record (in Firefox each put
// is a structured clone, a request sent to the parent process and a row in its database).
// Loading replays a tab's chunks in order; once they hold far more entries than the tab has
// records, the tab is written anew from its records.

/** One write of a tab's records. */
export interface RequestChunk {
  tabId: number;
  /** Order of writing (across tabs): the order in which chunks are replayed. */
  n: number;
  /** The records, a JSON array. */
  records: string;
  /** Ids removed since the tab's previous chunk (applied before `records`). */
  removed: string[];
}

/** About how long a chunk's text may grow (a single larger record makes a chunk alone). */
const CHUNK_CHARS = 512 * 1024;
/** Entries the log may hold beyond twice the tab's records before it is rewritten. */
const REWRITE_SLACK = 1000;

/** `records` as JSON arrays of at most about CHUNK_CHARS each. */
export function encodeRecords(records: Iterable<RequestRecord>): string[] {
  const texts: string[] = [];
  let part: string[] = [];
  let length = 0;
  for (const record of records) {
    const json = JSON.stringify(record);
    if (part.length > 0 && length + json.length > CHUNK_CHARS) {
      texts.push(`[${part.join(',')}]`);
      part = [];
      length = 0;
    }
    part.push(json);
    length += json.length + 1;
  }
  if (part.length > 0) texts.push(`[${part.join(',')}]`);
  return texts;
}

/** Each tab's records as its chunks leave them, in `seq` order, and how many entries (records and removals) the chunks hold. */
export function replay(chunks: readonly RequestChunk[]): Map<number, { records: RequestRecord[]; entries: number }> {
  const tabs = new Map<number, { byId: Map<string, RequestRecord>; entries: number }>();
  for (const chunk of [...chunks].sort((a, b) => a.n - b.n)) {
    let tab = tabs.get(chunk.tabId);
    if (!tab) tabs.set(chunk.tabId, (tab = { byId: new Map(), entries: 0 }));
    for (const id of chunk.removed) tab.byId.delete(id);
    const records = JSON.parse(chunk.records) as RequestRecord[];
    for (const r of records) tab.byId.set(r.id, r);
    tab.entries += chunk.removed.length + records.length;
  }
  return new Map([...tabs].map(([tabId, tab]) => [tabId, { records: [...tab.byId.values()].sort((a, b) => a.seq - b.seq), entries: tab.entries }]));
}

/** The log of a tab with `live` records holds `entries`: written anew from the records, it would be much smaller. */
export function rewriteDue(entries: number, live: number): boolean {
  return entries > 2 * live + REWRITE_SLACK;
}
