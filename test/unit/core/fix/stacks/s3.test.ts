import { describe, expect, it } from 'vitest';
import { s3 } from '../../../../../src/core/fix/stacks/s3';
import { REQ } from './requirements';

describe('Amazon S3 / Cloudflare R2 (CORSRules)', () => {
  it("writes one CORSRule with S3's element names", () => {
    expect(JSON.parse(s3.render({ ...REQ, methods: ['DELETE', 'PUT'] }).text)).toEqual({
      CORSRules: [
        {
          AllowedOrigins: ['https://app.example', 'http://localhost:5173'],
          AllowedMethods: ['GET', 'HEAD', 'POST', 'DELETE', 'PUT'],
          AllowedHeaders: ['authorization', 'x-lab-token'],
          ExposeHeaders: ['x-request-id'],
          MaxAgeSeconds: 7200,
        },
      ],
    });
  });

  it('leaves out a method S3 cannot allow, and says so', () => {
    const { text, notes } = s3.render(REQ);
    expect(JSON.parse(text).CORSRules[0].AllowedMethods).toEqual(['GET', 'HEAD', 'POST', 'PUT']);
    expect(notes).toContain('S3 cannot allow PATCH: requests using it stay blocked.');
  });
});
