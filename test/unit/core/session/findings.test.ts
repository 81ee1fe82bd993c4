import { describe, expect, it } from 'vitest';
import { sessionFindings } from '../../../../src/core/session/findings';
import { judged, messageRecord, record } from '../../../support/records';

describe('sessionFindings', () => {
  it('holds the findings over the requests and over the messages', () => {
    const records = judged([record({ url: 'https://api0.example/feed?callback=cb', type: 'script', requestHeaders: [{ name: 'Sec-Fetch-Mode', value: 'no-cors' }] })]);
    const messages = [messageRecord({ targetOrigin: '*' })];
    expect(sessionFindings(records, messages, 'chromium').map((f) => f.code).sort()).toEqual(['jsonp-endpoint', 'postmessage-wildcard-target']);
  });
});
