export type LabHost = 'app' | 'api' | 'other' | 'otherApi' | 'dev';
export type Scheme = 'http' | 'https';
export const HOSTS: Record<LabHost, string>;
export interface LabLogEntry {
  method: string;
  scheme: Scheme;
  host: string;
  path: string;
  /** The request's `id` query parameter (the cookie lab gives each request one). */
  id: string | null;
  origin: string | null;
  cookie: string | null;
  upgrade?: 'websocket';
}
export interface Lab {
  port: number;
  httpsPort: number;
  origins: Record<LabHost, string>;
  httpsOrigins: Record<LabHost, string>;
  /** The PEM file of the CA that signed the lab's HTTPS certificate. */
  caFile: string;
  log: LabLogEntry[];
  /** Resolves with the first log entry (already there or still to come) that `match` accepts. */
  seen(match: (entry: LabLogEntry) => boolean): Promise<LabLogEntry>;
  close(): Promise<void>;
}
export function startLab(options?: { port?: number; httpsPort?: number; host?: string }): Promise<Lab>;
