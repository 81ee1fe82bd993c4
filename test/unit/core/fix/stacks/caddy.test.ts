import { describe, expect, it } from 'vitest';
import { caddy } from '../../../../../src/core/fix/stacks/caddy';
import { expectAll, REQ } from './requirements';

describe('Caddy', () => {
  const text = caddy.render(REQ).text;

  it('matches the allowed origins in a @cors matcher and answers their preflights with 204', () => {
    expectAll(text, [
      '@cors {\n\theader Origin https://app.example\n\theader Origin http://localhost:5173\n}',
      '@preflight {\n\tmethod OPTIONS\n\theader Origin https://app.example\n\theader Origin http://localhost:5173\n}',
      'respond @preflight 204',
    ]);
  });

  it('sets the CORS headers for matched requests only, and Vary for all', () => {
    expectAll(text, [
      'header @cors {\n\tAccess-Control-Allow-Origin {http.request.header.Origin}\n\tAccess-Control-Allow-Credentials true\n',
      '\tAccess-Control-Allow-Methods "GET, HEAD, POST, PATCH, PUT"\n',
      '\tAccess-Control-Max-Age 7200\n\tdefer\n}',
      'header +Vary Origin',
    ]);
  });
});
