// Django with django-cors-headers: settings.
import { allowedMethods, lines, quote, quotedList as pyList, stack } from '../render';
import { pyBool } from './python';

export const django = stack('django', 'Django (django-cors-headers)', 'framework', (req) => {
  const text = lines([
    `# settings.py, for ${req.server}`,
    `CORS_ALLOWED_ORIGINS = ${pyList(req.origins)}`,
    `CORS_ALLOW_METHODS = ${pyList(allowedMethods(req))}`,
    `CORS_ALLOW_HEADERS = ${pyList(req.requestHeaders)}`,
    `CORS_ALLOW_CREDENTIALS = ${pyBool(req.credentials)}`,
    `CORS_EXPOSE_HEADERS = ${pyList(req.exposedHeaders)}`,
    `CORS_PREFLIGHT_MAX_AGE = ${req.maxAge}`,
  ]);
  return {
    text,
    notes: [
      "Needs django-cors-headers: 'corsheaders' in INSTALLED_APPS and 'corsheaders.middleware.CorsMiddleware' in MIDDLEWARE, above CommonMiddleware. It answers preflights and sends Vary: Origin.",
    ],
  };
}, (headers, server) => ({
  text: lines([
    `# a middleware for ${server}: add its dotted path to MIDDLEWARE`,
    'def cross_origin_policy_headers(get_response):',
    '    def middleware(request):',
    '        response = get_response(request)',
    ...headers.map(([name, value]) => `        response[${quote(name)}] = ${quote(value)}`),
    '        return response',
    '    return middleware',
  ]),
  notes: ['Put it first in MIDDLEWARE, so that it sees every response on the way out.'],
}));
