import { useLayoutEffect, useRef, useState } from 'preact/hooks';

/** Rows rendered beyond the visible ones, so fast scrolling shows no blank band. */
const OVERSCAN = 10;

/**
 * A virtualized grid's window: which of `count` rows of `rowHeight` px are in view of the
 * scroller (plus the overscan), so that only those are in the DOM, whatever the count. The
 * scroller is the grid itself, its header row (as high as a row) sticky at its top.
 */
export function useVirtualRows(count: number, rowHeight: number) {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(400);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    setHeight(el.clientHeight);
    return () => observer.disconnect();
  }, []);

  return {
    scroller,
    first: Math.max(0, Math.floor(scrollTop / rowHeight) - OVERSCAN),
    last: Math.min(count, Math.ceil((scrollTop + height) / rowHeight) + OVERSCAN),
    onScroll: (e: Event) => setScrollTop((e.currentTarget as HTMLElement).scrollTop),
    /** Scrolls the least that brings row `i` into view, below the sticky header. */
    reveal(i: number) {
      const el = scroller.current;
      if (!el || i < 0) return;
      const top = i * rowHeight;
      if (top < el.scrollTop) el.scrollTop = top;
      else if (top + 2 * rowHeight > el.scrollTop + el.clientHeight) el.scrollTop = top + 2 * rowHeight - el.clientHeight;
      // Render the new window now, not on the scroll event that follows.
      setScrollTop(el.scrollTop);
    },
  };
}
