// nginx, Apache httpd and Caddy run for real with a rendered CORS config: each in the
// foreground with its own config, pid and logs in a temp dir, on a free loopback port,
// proxying to the backend. No system service is involved.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Running } from './backend';

export type WebServer = 'nginx' | 'apache' | 'caddy';

const BINARY: Record<WebServer, string> = { nginx: 'nginx', apache: 'apache2', caddy: 'caddy' };

/** The binary's path, or null when it is not installed (Debian puts nginx and apache2 in /usr/sbin). */
export function binary(server: WebServer): string | null {
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/sbin'];
  return dirs.map((d) => join(d, BINARY[server])).find((p) => existsSync(p)) ?? null;
}

const NGINX_TEMP_DIRS = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'];

/** Resolves once `port` accepts a connection; rejects when the process exits first. */
function accepting(port: number, child: ChildProcess, log: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    let done = false;
    child.once('exit', (code) => {
      if (!done) reject(new Error(`exited (${code}) before listening:\n${log()}`));
      done = true;
    });
    const attempt = () => {
      if (done) return;
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        done = true;
        resolve();
      });
      // Not listening yet: try again once the refusal arrives (a few ms on loopback).
      socket.once('error', () => setImmediate(attempt));
    };
    attempt();
  });
}

/** Splits a rendered nginx config into its http-block and location-block parts, at the comment that says where each goes. */
function nginxParts(config: string): { http: string; location: string } {
  const at = config.indexOf('# In the location block');
  return { http: config.slice(0, at), location: config.slice(at) };
}

function configFile(server: WebServer, dir: string, port: number, backend: number, config: string): { args: string[]; env: NodeJS.ProcessEnv } {
  if (server === 'nginx') {
    const { http, location } = nginxParts(config);
    const file = join(dir, 'nginx.conf');
    for (const t of NGINX_TEMP_DIRS) mkdirSync(join(dir, t));
    writeFileSync(
      file,
      `daemon off;\nmaster_process off;\npid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\nevents {}\nhttp {\n  access_log off;\n` +
        NGINX_TEMP_DIRS.map((t) => `  ${t}_temp_path ${dir}/${t};\n`).join('') +
        `${http}\n  server {\n    listen 127.0.0.1:${port};\n    location / {\n${location}\n      proxy_pass http://127.0.0.1:${backend};\n    }\n  }\n}\n`,
    );
    return { args: ['-p', dir, '-c', file, '-e', `${dir}/error.log`], env: process.env };
  }
  if (server === 'apache') {
    const modules = ['mpm_event', 'authz_core', 'headers', 'setenvif', 'rewrite', 'proxy', 'proxy_http'];
    const file = join(dir, 'httpd.conf');
    writeFileSync(
      file,
      `ServerRoot ${dir}\nPidFile ${dir}/httpd.pid\nErrorLog ${dir}/error.log\nMutex file:${dir} default\nServerName api.lab.test\nListen 127.0.0.1:${port}\n` +
        modules.map((m) => `LoadModule ${m}_module /usr/lib/apache2/modules/mod_${m}.so\n`).join('') +
        `<VirtualHost 127.0.0.1:${port}>\n${config}\nProxyPass / http://127.0.0.1:${backend}/\n</VirtualHost>\n`,
    );
    return { args: ['-f', file, '-X'], env: process.env };
  }
  const file = join(dir, 'Caddyfile');
  writeFileSync(file, `{\n\tadmin off\n\tauto_https off\n}\n:${port} {\n\tbind 127.0.0.1\n${config}\n\treverse_proxy 127.0.0.1:${backend}\n}\n`);
  return {
    args: ['run', '--config', file, '--adapter', 'caddyfile'],
    env: { ...process.env, HOME: dir, XDG_DATA_HOME: join(dir, 'data'), XDG_CONFIG_HOME: join(dir, 'config') },
  };
}

/** Runs `server` with the rendered `config` on `port`, proxying to `backend`. */
export async function startWebServer(server: WebServer, config: string, port: number, backend: Running): Promise<Running> {
  const path = binary(server);
  if (path === null) throw new Error(`${BINARY[server]} is not installed`);
  const dir = mkdtempSync(join(tmpdir(), `ol-${server}-`));
  const { args, env } = configFile(server, dir, port, backend.port, config);
  const child = spawn(path, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const log = () => {
    let errors = '';
    try {
      errors = readFileSync(join(dir, 'error.log'), 'utf8');
    } catch {
      // No log written yet.
    }
    return `${output}${errors}`.slice(-4000);
  };
  try {
    await accepting(port, child, log);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    port,
    close: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
