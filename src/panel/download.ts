/** Hands a file to the browser's ordinary download (the Downloads list, the save dialog). */
export function download(filename: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  // Revoke after the click has been handled; the download keeps its own reference.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** A file name safe on every OS, from the page's host and the time. */
export function exportName(pageUrl: string | null, extension: string, now = new Date()): string {
  let host = 'session';
  try {
    if (pageUrl) host = new URL(pageUrl).host.replace(/[^a-z0-9.-]/gi, '_');
  } catch {
    // keep the default
  }
  const stamp = now.toISOString().replace(/[:.]/g, '-').slice(0, 19);
  return `origin-lens-${host}-${stamp}.${extension}`;
}

/** Exports of more requests than this are written without indentation: smaller, and read back faster. */
const INDENTED_UP_TO = 10_000;

/** An export's JSON text: indented to be read by eye, unless it is large. */
export function exportText(value: unknown, requests: number): string {
  return requests > INDENTED_UP_TO ? JSON.stringify(value) : JSON.stringify(value, null, 1);
}
