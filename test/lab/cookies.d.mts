import type { LabHost } from './server.mjs';
export interface LabCookie {
  name: string;
  attributes: string;
}
export interface CookieRequest {
  id: string;
  kind: 'fetch' | 'xhr' | 'img';
  credentials?: RequestCredentials;
  target: LabHost;
}
export const jar: LabCookie[];
export const login: LabCookie[];
export const setters: { id: string; target: LabHost }[];
export const requests: CookieRequest[];
export function setCookieLine(cookie: LabCookie): string;
