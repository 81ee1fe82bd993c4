// Amazon S3 and S3-compatible stores (Cloudflare R2's S3 API): the bucket's CORSRules.
import { stack } from '../render';
import { storeMethods } from './storage';

export const s3 = stack('s3', 'Amazon S3 / Cloudflare R2 (CORSRules)', 'storage', (req) => {
  const { methods, notes } = storeMethods(req, ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'], 'S3');
  const rule = {
    AllowedOrigins: req.origins,
    AllowedMethods: methods,
    AllowedHeaders: req.requestHeaders,
    ExposeHeaders: req.exposedHeaders,
    MaxAgeSeconds: req.maxAge,
  };
  return {
    text: `${JSON.stringify({ CORSRules: [rule] }, null, 2)}\n`,
    notes: [
      `aws s3api put-bucket-cors --bucket BUCKET --cors-configuration file://cors.json (for ${req.server}; R2: the same through its S3 endpoint).`,
      ...(req.credentials ? ['S3 sends Access-Control-Allow-Credentials: true by itself for a listed origin.'] : []),
      ...notes,
    ],
  };
}, null);
