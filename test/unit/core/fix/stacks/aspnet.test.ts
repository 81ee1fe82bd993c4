import { describe, expect, it } from 'vitest';
import { aspnet } from '../../../../../src/core/fix/stacks/aspnet';
import { expectAll, PLAIN, REQ } from './requirements';

describe('ASP.NET Core (CORS policy)', () => {
  it('builds the policy with CorsPolicyBuilder methods and uses it', () => {
    const text = aspnet.render(REQ).text;
    expectAll(text, [
      'builder.Services.AddCors(options =>',
      '.WithOrigins("https://app.example", "http://localhost:5173")',
      '.WithMethods("GET", "HEAD", "POST", "PATCH", "PUT")',
      '.WithHeaders("authorization", "x-lab-token")',
      '.WithExposedHeaders("x-request-id")',
      '.AllowCredentials()',
      '.SetPreflightMaxAge(TimeSpan.FromSeconds(7200)));',
      'app.UseCors("PageOrigins");',
    ]);
  });

  it('leaves out AllowCredentials and WithExposedHeaders when nothing needs them', () => {
    const text = aspnet.render(PLAIN).text;
    expect(text).not.toContain('AllowCredentials');
    expect(text).not.toContain('WithExposedHeaders');
  });
});
