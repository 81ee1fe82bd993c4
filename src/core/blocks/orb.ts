// Opaque Response Blocking: https://fetch.spec.whatwg.org/#corb (the opaque-response-safelist
// check). ORB reads the Content-Type, X-Content-Type-Options and the first bytes of the body;
// webRequest shows no body, so a verdict that needed the bytes rests on the browser's own
// refusal and says so.
import { errorKind } from '../net/errors';
import { getHeader, type HeaderList } from '../net/headers';
import { passed, refused, type BlockCheck } from './block';

// https://fetch.spec.whatwg.org/#opaque-blocklisted-never-sniffed-mime-type
const NEVER_SNIFFED = new Set([
  'application/dash+xml', 'application/gzip', 'application/msexcel', 'application/mspowerpoint', 'application/msword',
  'application/msword-template', 'application/pdf', 'application/vnd.apple.mpegurl', 'application/vnd.ces-quickpoint',
  'application/vnd.ces-quicksheet', 'application/vnd.ces-quickword', 'application/vnd.ms-excel',
  'application/vnd.ms-excel.sheet.macroenabled.12', 'application/vnd.ms-powerpoint',
  'application/vnd.ms-powerpoint.presentation.macroenabled.12', 'application/vnd.ms-word',
  'application/vnd.ms-word.document.12', 'application/vnd.ms-word.document.macroenabled.12',
  'application/vnd.msword', 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.openxmlformats-officedocument.presentationml.template',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.template',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.template', 'application/vnd.presentation-openxml',
  'application/vnd.presentation-openxmlmacroenabled', 'application/vnd.spreadsheet-openxml',
  'application/vnd.wordprocessing-openxml', 'application/x-gzip', 'application/x-protobuf', 'application/x-protobuffer',
  'application/zip', 'audio/mpegurl', 'multipart/byteranges', 'multipart/signed', 'text/event-stream', 'text/csv', 'text/vtt',
]);

// https://mimesniff.spec.whatwg.org/#javascript-mime-type
const JAVASCRIPT = /^(application|text)\/(x-)?(java|ecma)script$|^text\/(javascript1\.[0-5]|jscript|livescript)$/;

/** The Content-Type's essence (type/subtype, lowercased), null when absent. */
export function mimeEssence(headers: HeaderList): string | null {
  const v = getHeader(headers, 'content-type');
  if (v === null) return null;
  // One slice, not a split into every parameter (this runs on every cross-origin no-cors load).
  const semi = v.indexOf(';');
  const essence = (semi === -1 ? v : v.slice(0, semi)).trim().toLowerCase();
  return essence === '' ? null : essence;
}

const isHtml = (m: string) => m === 'text/html';
const isJson = (m: string) => m === 'application/json' || m === 'text/json' || m.endsWith('+json');
const isXml = (m: string) => m !== 'image/svg+xml' && (m === 'application/xml' || m === 'text/xml' || m.endsWith('+xml'));

/** JavaScript, CSS, SVG: ORB lets them through without looking further. */
function safelisted(m: string): boolean {
  // Every JavaScript MIME type names "script": the regex runs only on those.
  return (m.includes('script') && JAVASCRIPT.test(m)) || m === 'text/css' || m === 'image/svg+xml';
}

const ORB_ERROR = 'net::ERR_BLOCKED_BY_ORB';

/**
 * A cross-origin no-cors response through ORB. A refusal is reported only when the browser
 * refused the load: a no-cors fetch of JSON, for one, gets an empty opaque response instead.
 */
export function orbCheck(headers: HeaderList, error: string | null): BlockCheck {
  // Chromium names ORB; Firefox fails the load after the response (an abort for the types it
  // never sniffs, another error after sniffing): measured, docs/verdicts.md.
  const namedOrb = error === ORB_ERROR;
  const refusedByBrowser = error !== null;
  const mime = mimeEssence(headers);
  const nosniff = getHeader(headers, 'x-content-type-options')?.split(',')[0]?.trim().toLowerCase() === 'nosniff';
  const shown = mime ?? '(no Content-Type)';
  if (mime !== null && safelisted(mime) && !namedOrb) return passed('orb', 'orb-safelisted', { value: mime });
  const fixType = 'Content-Type: the type the element expects (an image/*, text/javascript, text/css)';
  if (mime !== null && NEVER_SNIFFED.has(mime)) {
    if (!refusedByBrowser) return passed('orb', 'orb-never-sniffed-loaded', { value: mime });
    return refused(
      'orb',
      'OrbBlockedNeverSniffedMimeType',
      'orb-never-sniffed',
      { value: mime },
      mime,
      [fixType],
      `This is a ${mime} response loaded as an image, script or style from another origin; ORB never lets those through. Load it with CORS (fetch with Access-Control-Allow-Origin), or serve what the element expects.`,
    );
  }
  const blocklisted = mime !== null && (isHtml(mime) || isJson(mime) || isXml(mime));
  if (nosniff && (blocklisted || mime === 'text/plain')) {
    if (!refusedByBrowser) return passed('orb', 'orb-nosniff-loaded', { value: mime ?? '' });
    return refused(
      'orb',
      'OrbBlockedNosniffMimeType',
      'orb-nosniff',
      { value: mime ?? '' },
      mime,
      [fixType],
      `The server says this is ${mime} and forbids guessing otherwise, so it cannot be an image or script for another origin. Serve it with the type it really is (text/javascript for a script), or load it with CORS.`,
    );
  }
  // A load cancelled after its response (a navigation away) says nothing of what a sniff found.
  if (!namedOrb && (!refusedByBrowser || errorKind(error) === 'aborted')) {
    return passed('orb', 'orb-sniffed', { value: shown });
  }
  if (!namedOrb && mime !== null && !blocklisted && !/^(image|audio|video)\//.test(mime) && mime !== 'text/plain' && mime !== 'application/octet-stream') {
    // Another type that failed to load: not ORB's doing as far as the headers tell.
    return passed('orb', 'orb-not-refused', { value: mime });
  }
  return refused(
    'orb',
    'OrbBlockedAfterSniffing',
    'orb-sniff-refused',
    { value: shown },
    shown,
    [fixType],
    blocklisted
      ? `A ${mime} response (a page or data) was loaded as an image or script from another origin, and ORB refuses those. Point the element at the real resource (an error page or a login redirect often hides here), or read the data with a CORS fetch.`
      : 'The body was not what the element expects (an image, media or a script), so ORB refused it. Check what the URL really returns.',
  );
}
