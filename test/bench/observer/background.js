// The bare observer: the same webRequest listeners as src/background/platform.ts (same events,
// same filter, same opt_extraInfoSpec: extraHeaders wherever the browser offers it, as Chromium
// does; none in Firefox, which shows every header without it), each of which only counts. What
// an observer pays before doing any work of its own. Chromium runs this as a service worker,
// Firefox as an event page (manifest.json names both).
const wr = chrome.webRequest;
const extra = (options) => (options && 'EXTRA_HEADERS' in options ? ['extraHeaders'] : []);
const filter = { urls: ['<all_urls>'] };
const counts = (globalThis.counts = {});
const listen = (name, spec) => {
  counts[name] = 0;
  const listener = () => {
    counts[name]++;
  };
  // Firefox's onErrorOccurred takes no third argument at all, not even an empty list.
  if (spec.length) wr[name].addListener(listener, filter, spec);
  else wr[name].addListener(listener, filter);
};
listen('onBeforeRequest', extra(wr.OnBeforeRequestOptions));
listen('onSendHeaders', ['requestHeaders', ...extra(wr.OnSendHeadersOptions)]);
listen('onHeadersReceived', ['responseHeaders', ...extra(wr.OnHeadersReceivedOptions)]);
listen('onBeforeRedirect', ['responseHeaders', ...extra(wr.OnBeforeRedirectOptions)]);
listen('onCompleted', extra(wr.OnCompletedOptions));
listen('onErrorOccurred', extra(wr.OnErrorOccurredOptions));
// The bench reads the counts from counts.html in Firefox, where it cannot reach the event page.
chrome.runtime.onMessage.addListener((message, _sender, reply) => {
  if (message === 'counts') reply(counts);
});
