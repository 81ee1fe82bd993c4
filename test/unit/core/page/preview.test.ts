import { describe, expect, it } from 'vitest';
import { preview, previewBytes, previewText, utf8Length } from '../../../../src/core/page/preview';

describe('preview', () => {
  it('shows plain data compactly, like JSON', () => {
    expect(preview({ kind: 'hello', n: 1, ok: true, list: [1, 'a', null] }).text).toBe('{kind:"hello",n:1,ok:true,list:[1,"a",null]}');
    expect(preview('hi').text).toBe('"hi"');
    expect(preview(undefined).text).toBe('undefined');
    expect(preview(10n).text).toBe('10n');
  });

  it('survives cycles', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    expect(preview(a).text).toBe('{name:"a",self:[Circular]}');
  });

  it('bounds huge values in text and in work', () => {
    const big = Array.from({ length: 1_000_000 }, (_, i) => i);
    const started = performance.now();
    const p = preview(big, { maxChars: 100 });
    expect(performance.now() - started).toBeLessThan(150);
    expect(p.text.length).toBeLessThanOrEqual(100);
    expect(p.text).toContain('…+999980');
    expect(preview('x'.repeat(1e6), { maxChars: 50 }).text.length).toBeLessThanOrEqual(50);
    expect(preview('x'.repeat(1e6)).size).toBe(1e6);
    let deep: unknown = 'end';
    for (let i = 0; i < 10_000; i++) deep = { d: deep };
    expect(preview(deep).text).toBe('{d:{d:{d:{d:{…}}}}}');
  });

  it('never calls getters, and survives ones that throw and hostile proxies', () => {
    let called = 0;
    const o = Object.defineProperty({ a: 1 }, 'secret', { enumerable: true, get: () => (called++, 1) });
    expect(preview(o).text).toBe('{a:1,secret:[getter]}');
    expect(called).toBe(0);
    const hostile = new Proxy({}, { ownKeys: () => { throw new Error('no'); } });
    expect(preview(hostile).text).toBe('{?}');
    const hostile2 = new Proxy({ a: 1 }, { getOwnPropertyDescriptor: () => { throw new Error('no'); } });
    expect(() => preview(hostile2)).not.toThrow();
  });

  it('names functions, binary data, Blob-likes and host objects without reading them', () => {
    expect(preview(function named() {}).text).toBe('[Function named]');
    expect(preview(() => 1).text).toMatch(/^\[Function/);
    const buf = new ArrayBuffer(16);
    expect(preview(buf)).toEqual({ text: 'ArrayBuffer(16)', size: 16 });
    expect(preview(new Uint8Array([1, 2, 3, 4]))).toEqual({ text: 'Uint8Array(4)', size: 4 });
    expect(preview(new Float64Array(2)).size).toBe(16);
    expect(preview(new DataView(buf)).text).toBe('DataView(16)');
    const blobLike = { size: 5, [Symbol.toStringTag]: 'Blob' };
    expect(preview(blobLike)).toEqual({ text: 'Blob(5)', size: 5 });
    const throwingBlob = { get size(): number { throw new Error('x'); }, [Symbol.toStringTag]: 'Blob' };
    expect(preview(throwingBlob).text).toBe('Blob(0)');
    expect(preview({ [Symbol.toStringTag]: 'HTMLDivElement' }).text).toBe('[HTMLDivElement]');
    expect(preview(new Map()).text).toBe('[Map]');
  });

  it('estimates size also for what the preview leaves out', () => {
    const p = preview({ a: 'x'.repeat(100), b: 'y'.repeat(100) }, { maxChars: 20 });
    expect(p.size).toBe(202);
  });

  it('text helpers', () => {
    expect(previewText('abc', 10)).toBe('abc');
    expect(previewText('abcdef', 4)).toBe('abc…');
    expect(utf8Length('aé€😀')).toBe(1 + 2 + 3 + 4);
    expect(previewBytes([1, 2, 255])).toBe('01 02 ff');
  });
});
