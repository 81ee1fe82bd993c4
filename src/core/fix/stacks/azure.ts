// Azure Blob Storage: a CorsRule in the Blob service properties (REST XML).
import { lines, stack } from '../render';
import { storeMethods } from './storage';

export const azure = stack('azure', 'Azure Blob Storage (CorsRule)', 'storage', (req) => {
  const { methods, notes } = storeMethods(req, ['DELETE', 'GET', 'HEAD', 'MERGE', 'POST', 'OPTIONS', 'PUT', 'PATCH'], 'Azure Storage');
  // Lists are comma-separated; `checked` lets through no character XML would need escaped.
  const text = lines([
    '<Cors>',
    '  <CorsRule>',
    `    <AllowedOrigins>${req.origins.join(',')}</AllowedOrigins>`,
    `    <AllowedMethods>${methods.join(',')}</AllowedMethods>`,
    `    <AllowedHeaders>${req.requestHeaders.join(',')}</AllowedHeaders>`,
    `    <ExposedHeaders>${req.exposedHeaders.join(',')}</ExposedHeaders>`,
    `    <MaxAgeInSeconds>${req.maxAge}</MaxAgeInSeconds>`,
    '  </CorsRule>',
    '</Cors>',
  ]);
  return {
    text,
    notes: [
      `Inside <StorageServiceProperties> of Set Blob Service Properties for ${req.server} (az storage cors add takes the same lists).`,
      ...(req.credentials ? ['Azure Storage sends Access-Control-Allow-Credentials: true by itself for a listed origin.'] : []),
      ...notes,
    ],
  };
}, null);
