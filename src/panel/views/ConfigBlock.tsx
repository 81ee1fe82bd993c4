import type { Rendered } from '../../core/fix/render';
import { copy } from '../clipboard';

/** A rendered configuration: the text to paste, a copy button, and the notes that go with it. */
export function ConfigBlock({ render, label }: { render: () => Rendered; label: string }) {
  let rendered: Rendered;
  try {
    rendered = render();
  } catch (e) {
    // A renderer refuses values it cannot print safely: say so instead of writing them.
    return <p class="warning">⚠ {(e as Error).message}</p>;
  }
  return (
    <div class="config">
      <pre aria-label={label}>{rendered.text}</pre>
      <button class="small" onClick={() => copy(rendered.text)}>
        Copy {label}
      </button>
      <ul class="notes">
        {rendered.notes.map((n) => (
          <li key={n}>{n}</li>
        ))}
      </ul>
    </div>
  );
}
