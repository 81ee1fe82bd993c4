// The lab's origins as this page sees them: the page's own scheme and port, another host name.
const here = location.origin;
const at = (host) => here.replace('//app.lab.test', `//${host}`);
export const origins = { app: here, api: at('api.lab.test'), other: at('other.test'), otherApi: at('api.other.test') };
