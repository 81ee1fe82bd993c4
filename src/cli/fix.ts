// `origin-lens fix FILE --stack STACK [--origin URL] [--json]`: per server origin with blocked
// requests, the configuration in STACK that lets them through; and, when the page ran on a
// dev server, the proxy that makes the calls same-origin instead.
import { proxiesFor } from '../core/fix/dev-proxies';
import { devServerFixes } from '../core/fix/dev-server';
import { fixPlan, type FixPlan, type ServerRequirements } from '../core/fix/requirements';
import { STACKS, stackById } from '../core/fix/stacks';
import type { Stack } from '../core/fix/render';
import { judgedRecords } from '../core/log/analyze';
import { originOf, parseOrigin } from '../core/net/origin';
import type { RequestRecord } from '../core/session/record';
import { loadLog, parseArgs, UsageError } from './input';

const STACK_LIST = STACKS.map((s) => s.id).join(', ');

export const FIX_USAGE = `origin-lens fix FILE --stack STACK [--origin URL] [--json]

Prints, for each server origin of the log with blocked CORS requests (or only for --origin),
the configuration in STACK that lets every one of them through and keeps the allowed ones
working; when the page ran on a dev server (Vite, webpack-dev-server, Next.js on localhost),
also the dev-server proxy that makes those calls same-origin.

  --stack STACK          one of: ${STACK_LIST}
  --origin URL           only this server origin (e.g. https://api.example.com)
  --json                 print { "servers": [{ "origin", "stack", "config", "notes" }], "devServers", "unfixable" }`;

interface Options {
  file: string;
  stack: Stack;
  origin: string | null;
  json: boolean;
}

function parse(args: readonly string[]): Options {
  const { file, flags, values } = parseArgs(args, { flags: ['--json'], options: ['--stack', '--origin'] });
  const picked = values.get('--stack');
  if (picked === undefined) throw new UsageError(`no --stack given; the stacks are: ${STACK_LIST}`);
  const stack = stackById(picked);
  if (stack === undefined) throw new UsageError(`unknown stack "${picked}"; the stacks are: ${STACK_LIST}`);
  const only = values.get('--origin');
  const origin = only === undefined ? null : originOf(only);
  if (origin !== null && parseOrigin(origin) === null) throw new UsageError(`--origin takes a server origin such as https://api.example.com, not "${only}"`);
  return { file, stack, origin, json: flags.has('--json') };
}

interface ServerFix {
  origin: string;
  stack: string;
  config: string;
  notes: string[];
}

interface DevServerOutput {
  origin: string;
  kind: string;
  evidence: string;
  routes: { prefix: string; target: string }[];
  proxies: { tool: string; name: string; config: string; notes: string[] }[];
}

interface FixOutput {
  servers: ServerFix[];
  devServers: DevServerOutput[];
  unfixable: { url: string; why: string }[];
}

function blockedCount(s: ServerRequirements, byId: ReadonlyMap<string, RequestRecord>): number {
  return s.requests.filter((id) => byId.get(id)?.verdict?.outcome === 'blocked').length;
}

function fixes(records: RequestRecord[], plan: FixPlan, options: Options): FixOutput {
  const byId = new Map(records.map((r) => [r.id, r]));
  const wanted = (origin: string) => options.origin === null || origin === options.origin;
  const servers = plan.servers
    .filter((s) => wanted(s.server) && blockedCount(s, byId) > 0)
    .map((s) => {
      const rendered = options.stack.render(s);
      return { origin: s.server, stack: options.stack.id, config: rendered.text, notes: rendered.notes };
    });
  const devServers = devServerFixes(records).flatMap(({ server, routes }) => {
    const kept = routes.filter((r) => wanted(r.target));
    if (kept.length === 0) return [];
    return [
      {
        origin: server.origin,
        kind: server.kind,
        evidence: server.evidence,
        routes: kept.map(({ prefix, target }) => ({ prefix, target })),
        proxies: proxiesFor(server.kind).map((p) => {
          const rendered = p.render(kept);
          return { tool: p.id, name: p.name, config: rendered.text, notes: rendered.notes };
        }),
      },
    ];
  });
  const unfixable = plan.unfixable.filter((u) => wanted(originOf(u.url))).map(({ url, why }) => ({ url, why }));
  return { servers, devServers, unfixable };
}

const counted = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** The reasons of blocked requests, most frequent first: "2 MixedContentBlocked, 1 DisallowedByMode". */
function reasonCounts(blocked: readonly RequestRecord[]): string {
  const counts = new Map<string, number>();
  for (const r of blocked) {
    const reason = r.verdict?.reason ?? 'no reason named';
    counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  return [...counts].sort(([, a], [, b]) => b - a).map(([reason, n]) => `${n} ${reason}`).join(', ');
}

/**
 * What the log holds when no server it asks about has anything to change, so that "nothing to
 * fix" never hides blocked requests: how many requests (to --origin, or whose fix it would send),
 * how many blocked, and by what. A blocked request with a plan here has its fix on another server
 * than --origin (a popup's opener); one without is blocked by nothing a server's header lets
 * through (requirements.ts, block-fixes.ts), and the unfixable list names it if it can.
 */
function nothingToFix(records: readonly RequestRecord[], plan: FixPlan, options: Options): string {
  const fixedOn = new Map<string, string[]>();
  for (const s of plan.servers) for (const id of s.requests) fixedOn.set(id, [...(fixedOn.get(id) ?? []), s.server]);
  const only = options.origin;
  const requests = records.filter((r) => !r.isPreflight && (only === null || originOf(r.url) === only || fixedOn.get(r.id)?.includes(only)));
  const head = `Nothing to fix${only === null ? '' : ` on ${only}`} in ${options.file}`;
  if (requests.length === 0) return `${head}: no request${only === null ? '' : ' to it'}.`;
  const blocked = requests.filter((r) => r.verdict?.outcome === 'blocked');
  if (blocked.length === 0) return `${head}: ${counted(requests.length, 'request')}, none blocked.`;
  const elsewhere = blocked.filter((r) => fixedOn.has(r.id));
  const unfixed = blocked.filter((r) => !fixedOn.has(r.id));
  const parts = [];
  if (unfixed.length > 0) {
    const which = unfixed.length === blocked.length ? 'none of them' : `${unfixed.length} of them not`;
    parts.push(`${which} by CORS or another header the server can send: ${reasonCounts(unfixed)}`);
  }
  if (elsewhere.length > 0) {
    const servers = [...new Set(elsewhere.flatMap((r) => fixedOn.get(r.id) ?? []))].join(', ');
    parts.push(`${elsewhere.length === blocked.length ? 'all' : elsewhere.length} fixed by a header on ${servers} (run without --origin): ${reasonCounts(elsewhere)}`);
  }
  return `${head}: ${counted(requests.length, 'request')}, ${blocked.length} blocked, ${parts.join('; ')}.`;
}

function formatText(out: FixOutput, options: Options, nothing: string | null): string {
  const lines: string[] = [];
  if (nothing !== null) lines.push(nothing);
  for (const s of out.servers) {
    lines.push(`== ${s.origin}: ${options.stack.name}`, '', s.config.trimEnd(), '', ...s.notes.map((n) => `  - ${n}`), '');
  }
  for (const d of out.devServers) {
    lines.push(
      `== ${d.origin} runs on a dev server (${d.kind}, seen in ${d.evidence})`,
      'Its proxy makes these calls same-origin, so no CORS check happens at all:',
      '',
    );
    for (const p of d.proxies) lines.push(`-- ${p.name}`, '', p.config.trimEnd(), '', ...p.notes.map((n) => `  - ${n}`), '');
  }
  if (out.unfixable.length > 0) {
    lines.push('Not fixed by any server setting:', ...out.unfixable.map((u) => `  - ${u.url}: ${u.why}`));
  }
  return lines.join('\n').trimEnd();
}

/** Runs the command; returns what to print. */
export function runFix(args: readonly string[]): string {
  const options = parse(args);
  const log = loadLog(options.file);
  const records = judgedRecords(log);
  const plan = fixPlan(records);
  const out = fixes(records, plan, options);
  if (options.json) return JSON.stringify(out, null, 2);
  return formatText(out, options, out.servers.length === 0 ? nothingToFix(records, plan, options) : null);
}
