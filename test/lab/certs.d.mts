/** The CA certificate's file and the server's key and certificate (PEM), made once per process. */
export function labCertificates(): { caFile: string; key: Buffer; cert: Buffer };
/** Makes a Firefox profile folder trust the lab's CA: a fresh NSS database holding it. */
export function trustLabCaInFirefoxProfile(profile: string): void;
/** The Chromium flag that accepts the lab's certificate (and no other bad one): its key's SHA-256. */
export function chromiumTrustFlag(): string;
