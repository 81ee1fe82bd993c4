// FastAPI / Starlette: CORSMiddleware.
import { allowedMethods, lines, quote, quotedList as pyList, stack } from '../render';
import { pyBool } from './python';

export const fastapi = stack('fastapi', 'FastAPI / Starlette (CORSMiddleware)', 'framework', (req) => {
  const text = lines([
    'app.add_middleware(',
    '    CORSMiddleware,',
    `    allow_origins=${pyList(req.origins)},`,
    `    allow_methods=${pyList(allowedMethods(req))},`,
    `    allow_headers=${pyList(req.requestHeaders)},`,
    `    allow_credentials=${pyBool(req.credentials)},`,
    `    expose_headers=${pyList(req.exposedHeaders)},`,
    `    max_age=${req.maxAge},`,
    ')',
  ]);
  return {
    text,
    notes: [
      `from fastapi.middleware.cors import CORSMiddleware (Starlette: from starlette.middleware.cors import CORSMiddleware), on the app serving ${req.server}. It answers preflights and sends Vary: Origin.`,
    ],
  };
}, (headers, server) => ({
  text: lines([
    '@app.middleware("http")',
    'async def cross_origin_policy_headers(request, call_next):',
    '    response = await call_next(request)',
    ...headers.map(([name, value]) => `    response.headers[${quote(name)}] = ${quote(value)}`),
    '    return response',
  ]),
  notes: [`On the app serving ${server}.`],
}));
