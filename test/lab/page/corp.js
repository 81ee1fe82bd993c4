// The Cross-Origin-Resource-Policy page of the lab (see blocks.js).
import { res, run } from '/page/blocks.js';
import { origins } from '/page/origins.js';
run([
  { id: 'corp-same-origin-from-same-site', kind: 'img', url: res(origins.api, { corp: 'same-origin' }), expect: 'blocked', what: 'image from the same site, CORP same-origin' },
  { id: 'corp-same-site-from-same-site', kind: 'img', url: res(origins.api, { corp: 'same-site' }), expect: 'loads', what: 'image from the same site, CORP same-site' },
  { id: 'corp-same-site-from-other-site', kind: 'img', url: res(origins.other, { corp: 'same-site' }), expect: 'blocked', what: 'image from another site, CORP same-site' },
  { id: 'corp-cross-origin', kind: 'img', url: res(origins.other, { corp: 'cross-origin' }), expect: 'loads', what: 'image from another site, CORP cross-origin' },
  { id: 'corp-same-origin-own', kind: 'img', url: res(origins.app, { corp: 'same-origin' }), expect: 'loads', what: 'image from this origin, CORP same-origin' },
  { id: 'corp-script', kind: 'script', url: res(origins.other, { as: 'js', corp: 'same-origin' }), expect: 'blocked', what: 'script from another site, CORP same-origin' },
  { id: 'corp-no-cors-fetch', kind: 'fetch', init: { mode: 'no-cors' }, url: res(origins.other, { corp: 'same-origin' }), expect: 'blocked', what: 'no-cors fetch from another site, CORP same-origin' },
]);
