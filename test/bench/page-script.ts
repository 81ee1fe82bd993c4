import type { Tab } from '../e2e/browsers';

/**
 * Runs `source` as a script of the page itself. Marionette's own scripts run in a sandbox that
 * sees the page's natives, not the hooks: a measure must run as the page's.
 */
export function pageScript(tab: Tab, source: string): Promise<void> {
  return tab.evaluate((text: string) => {
    const el = document.createElement('script');
    el.textContent = text;
    document.head.append(el);
    el.remove();
  }, source);
}
