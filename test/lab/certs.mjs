// The lab's HTTPS: a throwaway CA and a server certificate for every lab name, made with
// `openssl` the first time a process asks (nothing secret lives in the repository), and how
// each browser comes to accept it: a fresh Firefox profile trusts the CA (its NSS database,
// through `certutil`); Chromium keeps trusted CAs outside its profile, so it is told the
// server's key instead.
import { execFileSync } from 'node:child_process';
import { X509Certificate, createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const NAMES = ['lab.test', '*.lab.test', 'other.test', '*.other.test'];

// Firefox refuses a CA certificate as the server's own, so the leaf says it is no CA and
// only serves TLS.
const LEAF_EXTENSIONS = `basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = ${NAMES.map((n) => `DNS:${n}`).join(', ')}
`;

/** Runs a command-line tool; `pkg` is the Debian package that provides it, named if it fails. */
function run(tool, pkg, args, cwd) {
  try {
    execFileSync(tool, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    throw new Error(`lab: ${tool} ${args[0]} failed (package ${pkg}): ${e.stderr ?? e.message}`);
  }
}
const openssl = (dir, args) => run('openssl', 'openssl', args, dir);

let made = null;

/** The CA certificate's file and the server's key and certificate (PEM), made once per process. */
export function labCertificates() {
  if (made) return made;
  const dir = mkdtempSync(join(tmpdir(), 'ol-lab-ca-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(dir, ['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '30', '-subj', '/CN=Origin Lens lab CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  openssl(dir, ['req', '-new', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=lab.test']);
  writeFileSync(join(dir, 'server.ext'), LEAF_EXTENSIONS);
  openssl(dir, ['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', `0x${Date.now().toString(16)}`,
    '-days', '30', '-extfile', 'server.ext', '-out', 'server.pem']);
  made = { caFile: join(dir, 'ca.pem'), key: readFileSync(join(dir, 'server.key')), cert: readFileSync(join(dir, 'server.pem')) };
  return made;
}

/** Makes a Firefox profile folder trust the lab's CA: a fresh NSS database holding it. */
export function trustLabCaInFirefoxProfile(profile) {
  const certutil = (args) => run('certutil', 'libnss3-tools', [...args, '-d', `sql:${profile}`], profile);
  certutil(['-N', '--empty-password']);
  certutil(['-A', '-n', 'Origin Lens lab CA', '-t', 'C,,', '-i', labCertificates().caFile]);
}

/** The Chromium flag that accepts the lab's certificate (and no other bad one): its key's SHA-256. */
export function chromiumTrustFlag() {
  const key = new X509Certificate(labCertificates().cert).publicKey.export({ type: 'spki', format: 'der' });
  return `--ignore-certificate-errors-spki-list=${createHash('sha256').update(key).digest('base64')}`;
}
