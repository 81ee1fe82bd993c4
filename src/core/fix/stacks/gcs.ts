// Google Cloud Storage: the bucket's cors.json.
import { allowedMethods, stack } from '../render';

export const gcs = stack('gcs', 'Google Cloud Storage (cors.json)', 'storage', (req) => {
  const entry = {
    origin: req.origins,
    method: allowedMethods(req),
    // One list serves both directions: the request headers a preflight may ask for and the response headers exposed.
    responseHeader: [...new Set([...req.requestHeaders, ...req.exposedHeaders])],
    maxAgeSeconds: req.maxAge,
  };
  return {
    text: `${JSON.stringify([entry], null, 2)}\n`,
    notes: [
      `gcloud storage buckets update gs://BUCKET --cors-file=cors.json (for ${req.server}).`,
      ...(req.credentials ? ['Cloud Storage has no setting for Access-Control-Allow-Credentials: credentialed requests need another way in (signed URLs, or a server in front).'] : []),
    ],
  };
}, null);
