import { describe, expect, it } from 'vitest';
import { analyzeListenerSource, combineCheck } from '../../../../src/core/page/listener-check';

const a = (f: string) => analyzeListenerSource(f);

describe('analyzeListenerSource', () => {
  it('strict comparisons and allow-lists', () => {
    expect(a('(event) => { if (event.origin !== origins.other) return; }').origin).toBe('strict');
    expect(a('function(e){if(e.origin!=="https://a.test")return}').origin).toBe('strict');
    expect(a('e => { if (!ALLOWED.includes(e.origin)) return; }').origin).toBe('strict');
    expect(a('e => { if (!allowed.has(e.origin)) return; }').origin).toBe('strict');
    expect(a('e => { const o = e.origin; if (o === "https://a.test") go(); }').origin).toBe('strict');
    expect(a('({ origin, data }) => { if (origin !== "https://a.test") return; }').origin).toBe('strict');
    expect(a('e => { if (/^https:\\/\\/a\\.test$/.test(e.origin)) go(); }').origin).toBe('strict');
    expect(a('e => { switch (e.origin) { case "https://a.test": go(); } }').origin).toBe('strict');
  });

  it('weak comparisons', () => {
    expect(a("(event) => { if (event.origin.indexOf('other.test') === -1) return; }").origin).toBe('weak');
    expect(a('e => { if (!e.origin.includes("a.test")) return; }').origin).toBe('weak');
    expect(a('e => { if (!e.origin.startsWith("https://a.test")) return; }').origin).toBe('weak');
    expect(a('e => { if (!e.origin.endsWith("a.test")) return; }').origin).toBe('weak');
    expect(a('e => { if (/a\\.test/.test(e.origin)) go(); }').origin).toBe('weak');
    expect(a('e => { if (/^https:\\/\\/a\\.test/.test(e.origin)) go(); }').origin).toBe('weak');
    expect(a('e => { var o=e.origin; if (o.search("a.test") > -1) go(); }').origin).toBe('weak');
    expect(a('e => { if (e.origin.match(/a.test/)) go(); }').origin).toBe('weak');
    // substring tests on a string: "https://evil.test/?https://a.example" passes them
    expect(a('e => { if ("https://a.example".indexOf(e.origin) !== -1) go(); }').origin).toBe('weak');
    expect(a("e => { if ('https://a.example https://b.example'.includes(e.origin)) go(); }").origin).toBe('weak');
    expect(a('e => { const list = "https://a.example,https://b.example"; if (list.includes(e.origin)) go(); }').origin).toBe('weak');
    expect(a('e => { if (ORIGINS.join(",").includes(e.origin)) go(); }').origin).toBe('weak');
    expect(a('e => { if (cfg.allowed.indexOf(e.origin) >= 0) go(); }').origin).toBe('strict');
    expect(a('e => { const list = ["https://a.example"]; if (list.includes(e.origin)) go(); }').origin).toBe('strict');
    expect(a('e => { if (["https://a.example"].indexOf(e.origin) !== -1) go(); }').origin).toBe('strict');
    // a weak path next to a strict one still lets an attacker through
    expect(a('e => { if (e.origin === A || e.origin.indexOf(B) >= 0) go(); }').origin).toBe('weak');
  });

  it('no comparison, and source identity checks', () => {
    expect(a('(event) => { if (event.data && event.data.kind === "reply") push(event.data); }').origin).toBe('none');
    expect(a('(e) => { if (e.source !== popup) return; }')).toEqual({ origin: 'none', sourceCompared: true });
    expect(a('e => log(e.origin)').origin).toBe('none');
  });
});

describe('combineCheck', () => {
  const strict = { origin: 'strict', sourceCompared: false } as const;
  const weak = { origin: 'weak', sourceCompared: false } as const;
  const none = { origin: 'none', sourceCompared: false } as const;
  it('a listener that read neither origin nor source did not check', () => {
    expect(combineCheck({ origin: false, source: false }, strict)).toBe('no');
    expect(combineCheck({ origin: false, source: false }, null)).toBe('no');
  });
  it('reading plus the source text decides', () => {
    expect(combineCheck({ origin: true, source: false }, strict)).toBe('yes');
    expect(combineCheck({ origin: true, source: false }, weak)).toBe('weak');
    expect(combineCheck({ origin: true, source: false }, none)).toBe('unknown');
    expect(combineCheck({ origin: true, source: false }, null)).toBe('unknown');
    expect(combineCheck({ origin: false, source: true }, { origin: 'none', sourceCompared: true })).toBe('yes');
  });
});
