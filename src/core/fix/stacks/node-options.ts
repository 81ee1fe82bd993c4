// The options object the `cors` package (Express) and @fastify/cors share: same names, same meaning.
import type { ServerRequirements } from '../requirements';
import { allowedMethods, quotedList } from '../render';

/** `{ origin: [...], ... }` over several lines, indented for a call's argument. */
export function nodeCorsOptions(req: ServerRequirements): string {
  const lines = [
    `origin: ${quotedList(req.origins)},`,
    `methods: ${quotedList(allowedMethods(req))},`,
    // Always set: left out, both packages echo Access-Control-Request-Headers back, whatever it asks for.
    `allowedHeaders: ${quotedList(req.requestHeaders)},`,
    ...(req.exposedHeaders.length > 0 ? [`exposedHeaders: ${quotedList(req.exposedHeaders)},`] : []),
    ...(req.credentials ? ['credentials: true,'] : []),
    `maxAge: ${req.maxAge},`,
  ];
  return `{\n${lines.map((l) => `  ${l}`).join('\n')}\n}`;
}
