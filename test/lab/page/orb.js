// The Opaque Response Blocking page of the lab (see blocks.js).
import { res, run } from '/page/blocks.js';
import { origins } from '/page/origins.js';
run([
  { id: 'orb-json-script', kind: 'script', url: res(origins.other, { as: 'json' }), expect: 'blocked', what: 'script answered with application/json' },
  { id: 'orb-html-image', kind: 'img', url: res(origins.other, { as: 'html' }), expect: 'blocked', what: 'image answered with text/html' },
  { id: 'orb-pdf-image', kind: 'img', url: res(origins.other, { as: 'pdf' }), expect: 'blocked', what: 'image answered with application/pdf' },
  { id: 'orb-nosniff-plain-script', kind: 'script', url: res(origins.other, { as: 'js', ct: 'text/plain', nosniff: '1' }), expect: 'blocked', what: 'script answered with text/plain and nosniff' },
  { id: 'orb-json-fetch', kind: 'fetch', init: { mode: 'no-cors' }, url: res(origins.other, { as: 'json' }), expect: 'loads', what: 'no-cors fetch of JSON (the opaque response resolves, empty)' },
  { id: 'orb-script', kind: 'script', url: res(origins.other, { as: 'js' }), expect: 'loads', what: 'script answered with text/javascript' },
  { id: 'orb-image', kind: 'img', url: res(origins.other), expect: 'loads', what: 'image answered with image/gif' },
]);
