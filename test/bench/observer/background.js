// The bare observer: the same webRequest listeners as src/background/platform.ts (same events,
// same filter, same opt_extraInfoSpec, extraHeaders wherever this Chromium offers it), each of
// which only counts. What an observer with extraHeaders pays before doing any work of its own.
const wr = chrome.webRequest;
const extra = (options) => (options && 'EXTRA_HEADERS' in options ? ['extraHeaders'] : []);
const filter = { urls: ['<all_urls>'] };
const counts = (globalThis.counts = {});
const listen = (name, spec) => {
  counts[name] = 0;
  wr[name].addListener(() => {
    counts[name]++;
  }, filter, spec);
};
listen('onBeforeRequest', extra(wr.OnBeforeRequestOptions));
listen('onSendHeaders', ['requestHeaders', ...extra(wr.OnSendHeadersOptions)]);
listen('onHeadersReceived', ['responseHeaders', ...extra(wr.OnHeadersReceivedOptions)]);
listen('onBeforeRedirect', ['responseHeaders', ...extra(wr.OnBeforeRedirectOptions)]);
listen('onCompleted', extra(wr.OnCompletedOptions));
listen('onErrorOccurred', extra(wr.OnErrorOccurredOptions));
