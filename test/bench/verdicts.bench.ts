// Verdicts per second on one core for a realistic mix of ordinary observations (target:
// 500,000/s). Bundled and run by test/bench/run.mjs: `node test/bench/run.mjs verdicts`.
import { computeVerdict, type CorsObservation } from '../../src/core/cors/verdict';

const APP = 'https://app.lab.test';
const h = (name: string, value: string) => ({ name, value });
const common = [
  h('Accept', '*/*'),
  h('Accept-Language', 'en-US,en;q=0.9'),
  h('User-Agent', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36'),
  h('Sec-Fetch-Site', 'same-site'),
];
const served = [
  h('Content-Type', 'application/json; charset=utf-8'),
  h('Content-Length', '512'),
  h('Date', 'Mon, 24 Nov 2025 18:00:00 GMT'),
  h('Cache-Control', 'no-store'),
];

function obs(over: Partial<CorsObservation>): CorsObservation {
  return {
    browser: 'chromium',
    url: 'https://api.lab.test/v1/items?page=2',
    method: 'GET',
    type: 'xmlhttprequest',
    initiatorOrigin: APP,
    requestHeaders: [...common, h('Origin', APP), h('Sec-Fetch-Mode', 'cors')],
    redirects: [],
    response: { status: 200, headers: [...served, h('Access-Control-Allow-Origin', APP), h('Vary', 'Origin')] },
    error: null,
    completed: true,
    preflight: null,
    ...over,
  };
}

const mix: CorsObservation[] = [
  obs({}), // allowed simple GET
  obs({ url: `${APP}/app.js`, type: 'script', requestHeaders: [...common, h('Sec-Fetch-Mode', 'no-cors')], response: { status: 200, headers: served } }),
  obs({ url: 'https://cdn.other.test/logo.png', type: 'image', requestHeaders: [...common, h('Sec-Fetch-Mode', 'no-cors')], response: { status: 200, headers: served } }),
  obs({ response: { status: 200, headers: served }, error: 'net::ERR_FAILED', completed: false }), // missing ACAO
  obs({
    method: 'PUT',
    requestHeaders: [...common, h('Origin', APP), h('Content-Type', 'application/json'), h('Cookie', 'sid=1')],
    preflight: {
      url: 'https://api.lab.test/v1/items?page=2',
      status: 204,
      responseHeaders: [h('Access-Control-Allow-Origin', APP), h('Access-Control-Allow-Credentials', 'true'), h('Access-Control-Allow-Methods', 'GET, PUT, DELETE'), h('Access-Control-Allow-Headers', 'content-type, x-trace')],
      requestHeaders: [h('Access-Control-Request-Method', 'PUT'), h('Access-Control-Request-Headers', 'content-type')],
      error: null,
      redirected: false,
    },
    response: { status: 200, headers: [...served, h('Access-Control-Allow-Origin', APP), h('Access-Control-Allow-Credentials', 'true')] },
  }),
  obs({ url: `${APP}/`, type: 'main_frame', requestHeaders: [...common, h('Sec-Fetch-Mode', 'navigate')], response: { status: 200, headers: served } }),
  obs({ url: `${APP}/api/me`, requestHeaders: [...common, h('Sec-Fetch-Mode', 'cors')] }), // same-origin fetch
  obs({ browser: 'firefox', response: { status: 200, headers: [...served, h('Access-Control-Allow-Origin', '*')] } }),
];

const N = 200_000;
function round(): number {
  const t0 = process.hrtime.bigint();
  let sink = 0;
  for (let i = 0; i < N; i++) sink += computeVerdict(mix[i % mix.length] as CorsObservation).steps.length;
  const ns = Number(process.hrtime.bigint() - t0);
  if (sink === 0) throw new Error('unreachable');
  return (N / ns) * 1e9;
}

for (let i = 0; i < 3; i++) round(); // warm-up: let the JIT settle
const rates: number[] = [];
for (let i = 0; i < 7; i++) rates.push(round());
rates.sort((a, b) => a - b);
const median = rates[Math.floor(rates.length / 2)] as number;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
console.log(`verdicts: mix of ${mix.length} ordinary observations, ${N.toLocaleString('en-US')} verdicts per round, 7 rounds after 3 warm-up rounds`);
console.log(`  min ${fmt(rates[0] as number)}/s  median ${fmt(median)}/s  max ${fmt(rates[rates.length - 1] as number)}/s`);
console.log(`  median vs target 500,000/s: ${(median / 500_000).toFixed(2)}x`);
