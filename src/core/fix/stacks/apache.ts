// Apache httpd: SetEnvIf marks allowed origins, `Header always set` sends the headers on every
// response (errors included) for those only, a RewriteRule answers preflights with 204.
import { corsHeaders, lines, stack } from '../render';

/** An anchored regular expression matching exactly `s` (a plain origin: only `.` and brackets are special). */
const exactly = (s: string) => `^${s.replace(/[.[\]]/g, '\\$&')}$`;

export const apache = stack('apache', 'Apache httpd', 'server', (req) => {
  const text = lines([
    `# In the <VirtualHost> that serves ${req.server} (mod_headers, mod_setenvif, mod_rewrite):`,
    ...req.origins.map((o) => `SetEnvIf Origin "${exactly(o)}" CORS_ALLOW_ORIGIN=$0`),
    ...corsHeaders(req, '%{CORS_ALLOW_ORIGIN}e', 'true').map(([name, value]) => `Header always set ${name} "${value}" env=CORS_ALLOW_ORIGIN`),
    'Header always merge Vary "Origin"',
    'RewriteEngine On',
    'RewriteCond %{REQUEST_METHOD} =OPTIONS',
    'RewriteRule ^ - [R=204,L]',
  ]);
  return {
    text,
    notes: [
      'a2enmod headers setenvif rewrite. The SetEnvIf lines match the whole Origin header exactly, so no other origin gets the headers.',
      "'always' puts the headers on error responses and on the 204 that the RewriteRule sends for preflights.",
    ],
  };
}, (headers, server) => ({
  text: lines([`# In the <VirtualHost> that serves ${server} (mod_headers):`, ...headers.map(([name, value]) => `Header always set ${name} "${value}"`)]),
  notes: ["a2enmod headers. 'always' puts the headers on error responses too."],
}));
