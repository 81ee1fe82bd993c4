import type { ComponentChildren } from 'preact';
import { useErrorBoundary } from 'preact/hooks';

/**
 * Keeps one view's failure (a malformed record in an imported file, a bug) from taking the whole
 * panel down: the view says what went wrong, the rest of the panel goes on working.
 */
export function Guard({ what, children }: { what: string; children: ComponentChildren }) {
  const [error, reset] = useErrorBoundary();
  if (error) {
    return (
      <div class="error" role="alert">
        Could not show {what}: {error instanceof Error ? error.message : String(error)}{' '}
        <button onClick={reset}>Try again</button>
      </div>
    );
  }
  return <>{children}</>;
}
