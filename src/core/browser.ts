/** The engine whose rules a verdict follows: Chromium (Chrome, Edge, ...) or Firefox. */
export type Browser = 'chromium' | 'firefox';
