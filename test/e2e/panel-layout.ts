// What a panel's layout must hold at the widths DevTools panels get: the toolbar and the filter
// bar each on one line, nothing pushed past their right edge, no cell of the requests table
// cut whose column is sized to its words (the URL, origins and reason columns share what is left),
// and from 900 px on a Why column wide enough to read a reason in.

/** The widths a DevTools panel is checked at: docked narrow, half a screen, a wide window. */
export const PANEL_WIDTHS = [600, 900, 1400];

/**
 * Run in a panel's window (it is serialized: it must not close over anything): what is wrong
 * with the layout of `doc`, in words; none when all holds.
 */
export function layoutFaults(doc: Document): string[] {
  const faults: string[] = [];
  for (const selector of ['.toolbar', '.filters']) {
    const bar = doc.querySelector<HTMLElement>(selector);
    if (!bar) {
      faults.push(`no ${selector}`);
      continue;
    }
    // A group of buttons may wrap inside itself: its buttons are the items.
    const items = [...bar.children].flatMap((c) => (c.classList.contains('chips') ? [...c.children] : [c]));
    const boxes = items.map((c) => c.getBoundingClientRect()).filter((r) => r.width > 0);
    // An item wrapped onto a second line starts below the bottom of the first line's items.
    const firstBottom = Math.min(...boxes.map((r) => r.bottom));
    if (boxes.some((r) => r.top >= firstBottom)) faults.push(`${selector} wraps`);
    if (bar.scrollWidth > bar.clientWidth + 1) faults.push(`${selector} overflows: ${bar.scrollWidth} px in ${bar.clientWidth}`);
  }
  const cells = [...doc.querySelectorAll<HTMLElement>('.requests .thead > span')].map((cell, i) => ({ cell, column: i + 1 }));
  for (const column of [1, 4, 5, 6]) {
    for (const cell of doc.querySelectorAll<HTMLElement>(`.requests .row > span:nth-child(${column})`)) cells.push({ cell, column });
  }
  for (const { cell, column } of cells) {
    if (cell.clientWidth > 0 && cell.scrollWidth > cell.clientWidth + 1) faults.push(`column ${column} cut: "${cell.textContent}" needs ${cell.scrollWidth} px, has ${cell.clientWidth}`);
  }
  // The full table (900 px and wider, no detail open) gives the Why column at least 14em.
  const win = doc.defaultView;
  const why = doc.querySelector<HTMLElement>('.requests .thead > .c-reason');
  if (win !== null && win.innerWidth >= 900 && why !== null && doc.querySelector('.main.with-detail') === null) {
    const least = 14 * parseFloat(win.getComputedStyle(why).fontSize);
    if (why.clientWidth < least) faults.push(`Why column ${why.clientWidth} px wide, under 14em (${least} px)`);
  }
  return faults;
}
