// The names the MAIN world and the bridge meet by (channel.ts has the handshake itself): plain
// strings, with nothing of the browser, so that tests and benchmarks can speak them too.
export const HELLO = 'origin-lens:bridge-hello';
export const READY = 'origin-lens:main-ready';
export const HANDOFF = 'origin-lens:handoff:';
