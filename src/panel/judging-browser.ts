import { createContext } from 'preact';
import type { Browser } from '../core/browser';

/** The browser whose rules judged the records shown: the panel speaks its console's words. */
export const JudgingBrowser = createContext<Browser>('chromium');
