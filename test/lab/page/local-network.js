// The Local network access page of the lab (see blocks.js).
import { labOrigins, res, run } from '/page/blocks.js';
const { http, https } = await labOrigins();
const loopback = http.app.replace('app.lab.test', 'localhost');
run([
  { id: 'lna-loopback', kind: 'fetch', url: res(loopback, { as: 'json', acao: '*' }), expect: 'blocked', what: 'fetch of a loopback address (localhost)' },
  { id: 'lna-same-space', kind: 'fetch', url: res(https.api, { as: 'json', acao: '*' }), expect: 'loads', what: 'fetch in the same address space' },
]);
