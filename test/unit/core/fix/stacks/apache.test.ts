import { describe, expect, it } from 'vitest';
import { apache } from '../../../../../src/core/fix/stacks/apache';
import { expectAll, REQ } from './requirements';

describe('Apache httpd', () => {
  const text = apache.render(REQ).text;

  it('marks allowed origins with an anchored, escaped SetEnvIf each', () => {
    expectAll(text, [
      'SetEnvIf Origin "^https://app\\.example$" CORS_ALLOW_ORIGIN=$0',
      'SetEnvIf Origin "^http://localhost:5173$" CORS_ALLOW_ORIGIN=$0',
    ]);
  });

  it('sets the headers with Header always set, for marked origins only', () => {
    expectAll(text, [
      'Header always set Access-Control-Allow-Origin "%{CORS_ALLOW_ORIGIN}e" env=CORS_ALLOW_ORIGIN',
      'Header always set Access-Control-Allow-Credentials "true" env=CORS_ALLOW_ORIGIN',
      'Header always set Access-Control-Allow-Headers "authorization, x-lab-token" env=CORS_ALLOW_ORIGIN',
      'Header always set Access-Control-Max-Age "7200" env=CORS_ALLOW_ORIGIN',
      'Header always merge Vary "Origin"',
    ]);
  });

  it('answers preflights with a RewriteRule [R=204]', () => {
    expect(text).toContain('RewriteCond %{REQUEST_METHOD} =OPTIONS\nRewriteRule ^ - [R=204,L]');
  });

  it('escapes the brackets of an IPv6 origin', () => {
    expect(apache.render({ ...REQ, origins: ['http://[::1]:8080'] }).text).toContain('SetEnvIf Origin "^http://\\[::1\\]:8080$"');
  });
});
