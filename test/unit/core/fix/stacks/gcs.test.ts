import { describe, expect, it } from 'vitest';
import { gcs } from '../../../../../src/core/fix/stacks/gcs';
import { REQ } from './requirements';

describe('Google Cloud Storage (cors.json)', () => {
  it("writes one entry with the bucket resource's cors field names", () => {
    expect(JSON.parse(gcs.render(REQ).text)).toEqual([
      {
        origin: ['https://app.example', 'http://localhost:5173'],
        method: ['GET', 'HEAD', 'POST', 'PATCH', 'PUT'],
        responseHeader: ['authorization', 'x-lab-token', 'x-request-id'],
        maxAgeSeconds: 7200,
      },
    ]);
  });

  it('says that credentials cannot be allowed', () => {
    expect(gcs.render(REQ).notes.some((n) => n.includes('Access-Control-Allow-Credentials'))).toBe(true);
  });
});
