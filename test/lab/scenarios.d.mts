export interface ResponseSpec {
  status: number;
  headers?: Record<string, string | string[]>;
}
export interface Scenario {
  id: string;
  title: string;
  technique: 'same-origin' | 'cors' | 'no-cors' | 'proxy';
  target: 'app' | 'api' | 'other';
  path?: string;
  repeat?: number;
  read?: string[];
  request: { method: string; headers?: Record<string, string>; body?: string; credentials?: RequestCredentials; mode?: RequestMode };
  preflight?: ResponseSpec;
  response?: ResponseSpec;
  expect: { outcome: 'allowed' | 'blocked' | 'opaque' | 'same-origin'; reason?: string; firefoxReason?: string; cookies?: boolean };
}
export const scenarios: Scenario[];
export const endpoints: Record<string, ResponseSpec>;
export function expectedReason(scenario: Scenario, browser: 'chromium' | 'firefox'): string | undefined;
