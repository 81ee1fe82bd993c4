// S3 and Azure Storage accept only a fixed set of methods in a CORS rule.
import type { ServerRequirements } from '../requirements';
import { allowedMethods } from '../render';

/** The methods to list, and a note for each the store cannot allow. */
export function storeMethods(req: ServerRequirements, supported: readonly string[], store: string): { methods: string[]; notes: string[] } {
  const wanted = allowedMethods(req);
  return {
    methods: wanted.filter((m) => supported.includes(m)),
    notes: wanted.filter((m) => !supported.includes(m)).map((m) => `${store} cannot allow ${m}: requests using it stay blocked.`),
  };
}
