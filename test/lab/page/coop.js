// The Cross-Origin-Opener-Policy page of the lab (see blocks.js).
import { res, run } from '/page/blocks.js';
import { origins } from '/page/origins.js';
const coop = new URLSearchParams(location.search).get('coop') ?? 'none';
const severs = coop === 'same-origin';
run([
  { id: 'coop-popup-same-origin', kind: 'popup', url: res(origins.other, { as: 'doc', coop: 'same-origin' }), expect: 'blocked', what: 'popup that sends COOP same-origin' },
  { id: 'coop-popup-none', kind: 'popup', url: res(origins.other, { as: 'doc' }), expect: severs ? 'blocked' : 'loads', what: 'popup without COOP' },
].map((c) => ({ ...c, id: `${c.id}-${coop}` })));
