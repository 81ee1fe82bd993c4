import { describe, expect, it } from 'vitest';
import { azure } from '../../../../../src/core/fix/stacks/azure';
import { REQ } from './requirements';

describe('Azure Blob Storage (CorsRule)', () => {
  it('writes a CorsRule with its five elements, in order, as comma-separated lists', () => {
    expect(azure.render(REQ).text).toBe(
      [
        '<Cors>',
        '  <CorsRule>',
        '    <AllowedOrigins>https://app.example,http://localhost:5173</AllowedOrigins>',
        '    <AllowedMethods>GET,HEAD,POST,PATCH,PUT</AllowedMethods>',
        '    <AllowedHeaders>authorization,x-lab-token</AllowedHeaders>',
        '    <ExposedHeaders>x-request-id</ExposedHeaders>',
        '    <MaxAgeInSeconds>7200</MaxAgeInSeconds>',
        '  </CorsRule>',
        '</Cors>',
        '',
      ].join('\n'),
    );
  });

  it('leaves out a method Azure Storage cannot allow, and says so', () => {
    const { text, notes } = azure.render({ ...REQ, methods: ['PROPFIND'] });
    expect(text).toContain('<AllowedMethods>GET,HEAD,POST</AllowedMethods>');
    expect(notes).toContain('Azure Storage cannot allow PROPFIND: requests using it stay blocked.');
  });
});
