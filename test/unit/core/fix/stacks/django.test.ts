import { describe, expect, it } from 'vitest';
import { django } from '../../../../../src/core/fix/stacks/django';
import { PLAIN, REQ } from './requirements';

/** The settings as name -> value (Python literals of this shape read as JSON once True/False are lowercased). */
function settings(text: string): Record<string, unknown> {
  const lines = text.split('\n').filter((l) => /^[A-Z_]+ = /.test(l));
  return Object.fromEntries(lines.map((l) => l.split(' = ')).map(([k, v]) => [k, JSON.parse(v!.replace(/^True$/, 'true').replace(/^False$/, 'false'))]));
}

describe('Django (django-cors-headers)', () => {
  it('writes the documented settings', () => {
    expect(settings(django.render(REQ).text)).toEqual({
      CORS_ALLOWED_ORIGINS: ['https://app.example', 'http://localhost:5173'],
      CORS_ALLOW_METHODS: ['GET', 'HEAD', 'POST', 'PATCH', 'PUT'],
      CORS_ALLOW_HEADERS: ['authorization', 'x-lab-token'],
      CORS_ALLOW_CREDENTIALS: true,
      CORS_EXPOSE_HEADERS: ['x-request-id'],
      CORS_PREFLIGHT_MAX_AGE: 7200,
    });
  });

  it('writes False, not a missing setting, without credentials', () => {
    expect(settings(django.render(PLAIN).text).CORS_ALLOW_CREDENTIALS).toBe(false);
  });
});
