// @vitest-environment happy-dom
// The detail's credentials section: the cookies sent and held back, each reason in words with
// what to change, Firefox's console key and message in a Firefox session, and each Set-Cookie.
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import type { Browser } from '../../../src/core/browser';
import type { RequestRecord } from '../../../src/core/session/record';
import { JudgingBrowser } from '../../../src/panel/judging-browser';
import { Detail } from '../../../src/panel/views/Detail';
import { judged, record } from '../../support/records';

let root: HTMLElement | null = null;
afterEach(() => {
  if (root) act(() => render(null, root!));
  root?.remove();
  root = null;
});

function show(r: RequestRecord, browser: Browser = 'chromium'): HTMLElement {
  root = document.createElement('div');
  document.body.append(root);
  act(() =>
    render(
      <JudgingBrowser.Provider value={browser}>
        <Detail r={r} preflight={undefined} onClose={() => undefined} onOpen={() => undefined} />
      </JudgingBrowser.Provider>,
      root!,
    ),
  );
  return root.querySelector<HTMLElement>('section.cookies')!;
}

const crossSite = (cookies: RequestRecord['cookies']) =>
  judged([record({ url: 'https://api.other.test/me', credentials: { mode: 'include', cookiesSent: true, authorization: false, withCredentials: null }, cookies })])[0]!;
const items = (section: HTMLElement, heading: string) => {
  const h = [...section.querySelectorAll('h4')].find((e) => e.textContent?.startsWith(heading));
  return [...(h?.nextElementSibling?.querySelectorAll('li') ?? [])].map((li) => li.textContent ?? '');
};

describe('the detail’s cookies', () => {
  const verdict: RequestRecord['cookies'] = {
    sent: [{ name: 'chips', partitioned: true }],
    withheld: [
      { name: 'sid', reason: 'ThirdPartyPhaseout' },
      { name: 'pref', reason: 'SameSiteLax' },
    ],
    set: [
      { name: 'ok', stored: true, reason: null },
      { name: 'bad', stored: false, reason: 'SameSiteNoneInsecure' },
    ],
  };

  it('lists the cookies sent and held back, each with its reason and what to change', () => {
    const section = show(crossSite(verdict));
    expect(section.querySelector('h3')!.textContent).toBe('Credentials and cookies');
    expect(items(section, 'Sent')).toEqual(['chips (from this top-level site’s partition)']);
    const held = items(section, 'Held back');
    expect(held).toHaveLength(2);
    expect(held[0]).toContain('sid: ThirdPartyPhaseout: Third-party cookies are blocked');
    expect(held[0]).toContain('Partitioned');
    expect(held[0]).toContain('Storage Access API');
    expect(held[1]).toContain('SameSite=None; Secure');
    expect(items(section, 'Set-Cookie')).toEqual(['ok: stored', expect.stringContaining('bad: refused (SameSiteNoneInsecure: SameSite=None without Secure')]);
    expect(section.textContent).not.toContain('Firefox console');
  });

  it('names Firefox’s console key and message, with the cookie’s name, in a Firefox session', () => {
    const section = show(crossSite({ sent: [], withheld: [{ name: 'login', reason: 'OtherPartition' }], set: [{ name: 'bad', stored: false, reason: 'SameSiteNoneInsecure' }] }), 'firefox');
    expect(items(section, 'Held back')[0]).toContain('Firefox console: CookiePartitionedForeign2 “Partitioned cookie or storage access was provided to “login”');
    expect(items(section, 'Set-Cookie')[0]).toContain('CookieRejectedNonRequiresSecure2 “Cookie “bad” rejected because it has the “SameSite=None” attribute but is missing the “secure” attribute.”');
  });

  it('says what it could not see, and when there is no verdict yet', () => {
    expect(show(crossSite({ sent: [], withheld: [], set: [], unknown: ['jar'] })).textContent).toContain('Not seen: the cookies the browser holds');
    act(() => render(null, root!));
    expect(show(crossSite(undefined)).textContent).toContain('No cookie verdict');
  });
});
