export const HOSTS: { app: string; api: string; other: string };
export interface LabLogEntry {
  method: string;
  host: string;
  path: string;
  origin: string | null;
  cookie: string | null;
  upgrade?: 'websocket';
}
export interface Lab {
  port: number;
  origins: { app: string; api: string; other: string };
  log: LabLogEntry[];
  close(): Promise<void>;
}
export function startLab(options?: { port?: number; host?: string }): Promise<Lab>;
