export declare const planted: { jwt: string; accessToken: string; apiKey: string; cookie: string };
export declare const secretCookieLine: string;
