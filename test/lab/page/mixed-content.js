// The Mixed content page of the lab (see blocks.js). With ?many=N it also loads N more http:
// scripts, each refused before any request: more failed loads than the extension's bridge sends
// batches in a second.
import { labOrigins, res, run } from '/page/blocks.js';
const { http, https } = await labOrigins();
const httpOnTlsPort = https.other.replace('https:', 'http:');
const many = Number(new URLSearchParams(location.search).get('many') ?? 0);
run([
  { id: 'mixed-fetch', kind: 'fetch', url: res(http.api, { as: 'json', acao: '*' }), expect: 'blocked', what: 'fetch of an http: URL' },
  { id: 'mixed-script', kind: 'script', url: res(http.other, { as: 'js' }), expect: 'blocked', what: 'script from an http: URL' },
  { id: 'mixed-stylesheet', kind: 'stylesheet', url: res(http.other, { as: 'js', ct: 'text/css' }), expect: 'blocked', what: 'stylesheet from an http: URL' },
  { id: 'mixed-frame', kind: 'frame', url: res(http.other, { as: 'doc' }), expect: 'blocked', what: 'frame of an http: URL' },
  { id: 'mixed-image-upgraded', kind: 'img', url: res(httpOnTlsPort), expect: 'loads', what: 'image from an http: URL, upgraded to https:' },
  { id: 'mixed-https-fetch', kind: 'fetch', url: res(https.api, { as: 'json', acao: '*' }), expect: 'loads', what: 'fetch of the https: URL' },
  ...Array.from({ length: many }, (_, i) => ({ id: `mixed-script-${i + 1}`, kind: 'script', url: res(http.other, { as: 'js' }), expect: 'blocked', what: `script ${i + 1} of ${many} from an http: URL` })),
]);
