// Set by build.mjs for the extension bundles; Node contexts (tests, CLI) never read it.
declare const __BROWSER__: import('./core/browser').Browser;
