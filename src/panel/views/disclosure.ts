import { useEffect, useRef, useState } from 'preact/hooks';
import type { RefObject } from 'preact';

/**
 * A button that shows and hides a group of controls. Escape closes the group from anywhere, the
 * focus going back to the button. Given `within` (the button and its group), a click or the focus
 * landing outside it closes the group too: a popover over the rows must not stay in their way.
 */
export function useDisclosure(within?: RefObject<HTMLElement>) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      e.stopPropagation();
      setOpen(false);
      button.current?.focus();
    };
    const onOutside = (e: Event) => {
      if (within?.current && e.target instanceof Node && !within.current.contains(e.target)) setOpen(false);
    };
    document.addEventListener('keydown', onKey, true);
    document.addEventListener('pointerdown', onOutside, true);
    document.addEventListener('focusin', onOutside, true);
    return () => {
      document.removeEventListener('keydown', onKey, true);
      document.removeEventListener('pointerdown', onOutside, true);
      document.removeEventListener('focusin', onOutside, true);
    };
  }, [open]);

  return { open, toggle: () => setOpen(!open), button };
}
