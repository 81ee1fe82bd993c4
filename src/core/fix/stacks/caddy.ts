// Caddy: a @cors matcher on the exact allowed origins, `header` for the CORS headers, and
// preflights from those origins answered in place with 204.
import { corsHeaders, lines, stack } from '../render';

export const caddy = stack('caddy', 'Caddy', 'server', (req) => {
  const text = lines([
    `# In the site block of ${req.server}:`,
    '@cors {',
    ...req.origins.map((o) => `\theader Origin ${o}`),
    '}',
    '@preflight {',
    '\tmethod OPTIONS',
    ...req.origins.map((o) => `\theader Origin ${o}`),
    '}',
    'header +Vary Origin',
    'header @cors {',
    ...corsHeaders(req, '{http.request.header.Origin}', 'true').map(([name, value]) => `\t${name} ${/[ ,]/.test(value) ? `"${value}"` : value}`),
    '\tdefer',
    '}',
    'respond @preflight 204',
  ]);
  return {
    text,
    notes: [
      'Header values in a matcher are compared exactly (these origins hold no * wildcard); several values of one header are alternatives.',
      "'defer' sets the headers as the response goes out, after a reverse_proxy upstream has set its own.",
    ],
  };
}, (headers, server) => ({
  text: lines([`# In the site block of ${server}:`, 'header {', ...headers.map(([name, value]) => `\t${name} ${value}`), '\tdefer', '}']),
  notes: ["'defer' sets the headers as the response goes out, after a reverse_proxy upstream has set its own."],
}));
