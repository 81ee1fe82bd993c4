// nginx: a `map` (http block) picks the allowed origin, add_header ... always (location block)
// sends it on every response, errors included; preflights are answered in place.
import { corsHeaders, lines, stack } from '../render';

export const nginx = stack('nginx', 'nginx', 'server', (req) => {
  const mapping = (variable: string, value: string) =>
    [`map $http_origin ${variable} {`, '    default "";', ...req.origins.map((o) => `    "${o}" ${value};`), '}'];
  const text = lines([
    '# In the http block:',
    ...mapping('$cors_allow_origin', '$http_origin'),
    ...(req.credentials ? mapping('$cors_allow_credentials', '"true"') : []),
    '',
    `# In the location block that serves ${req.server}:`,
    ...[...corsHeaders(req, '$cors_allow_origin', '$cors_allow_credentials'), ['Vary', 'Origin']].map(([name, value]) => `add_header ${name} "${value}" always;`),
    'if ($request_method = OPTIONS) {',
    '    return 204;',
    '}',
  ]);
  return {
    text,
    notes: [
      "A map is the one exact-match allow-list nginx has, and it lives in the http block only; inside the location an empty value means nginx sends no such header, so other origins get none.",
      'add_header lines are inherited only by blocks that have none of their own: a nested location or if with its own add_header must repeat these lines.',
      'The if only returns (the one use of if in a location that is always safe); the 204 carries the headers above.',
    ],
  };
}, (headers, server) => ({
  text: lines([`# In the location block that serves ${server}:`, ...headers.map(([name, value]) => `add_header ${name} "${value}" always;`)]),
  notes: [
    'add_header lines are inherited only by blocks that have none of their own: a nested location with its own add_header must repeat these.',
    'An application behind the proxy that sends its own value makes two, which browsers ignore: change it there, or drop it with proxy_hide_header.',
  ],
}));
