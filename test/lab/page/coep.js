// The Cross-Origin-Embedder-Policy page of the lab (see blocks.js).
import { res, run } from '/page/blocks.js';
import { origins } from '/page/origins.js';
const coep = new URLSearchParams(location.search).get('coep');
const both = [
  { id: 'coep-corp-cross-origin', kind: 'img', url: res(origins.other, { corp: 'cross-origin' }), expect: 'loads', what: 'image from another site, CORP cross-origin' },
  { id: 'coep-cors-image', kind: 'img', crossOrigin: 'anonymous', url: res(origins.other, { acao: '*' }), expect: 'loads', what: 'CORS-enabled image (crossorigin, ACAO *) from another site, no CORP' },
  { id: 'coep-corp-same-origin', kind: 'img', url: res(origins.other, { corp: 'same-origin' }), expect: 'blocked', what: 'image from another site, CORP same-origin' },
  { id: 'coep-frame-without-coep', kind: 'frame', url: res(origins.other, { as: 'doc' }), expect: 'blocked', what: 'frame from another site without COEP' },
  { id: 'coep-frame-with-coep', kind: 'frame', url: res(origins.other, { as: 'doc', coep: 'require-corp', corp: 'cross-origin' }), expect: 'loads', what: 'frame from another site with COEP require-corp and CORP cross-origin' },
];
const byPolicy = {
  'require-corp': [
    { id: 'coep-no-corp', kind: 'img', url: res(origins.other), expect: 'blocked', what: 'image from another site without CORP' },
    { id: 'coep-no-corp-same-site', kind: 'img', url: res(origins.api), expect: 'blocked', what: 'image from the same site (another origin) without CORP' },
  ],
  credentialless: [
    { id: 'coep-credentialless-no-corp', kind: 'img', url: res(origins.other), expect: 'loads', what: 'image from another site without CORP (fetched without credentials)' },
  ],
};
run([...(byPolicy[coep] ?? []), ...both].map((c) => ({ ...c, id: `${c.id}-${coep}` })));
