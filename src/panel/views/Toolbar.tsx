import { useRef, useState } from 'preact/hooks';
import type { Settings } from '../../core/session/settings';
import type { ExportFormat } from '../export';
import { useDisclosure } from './disclosure';
import { RecordingSettings } from './RecordingSettings';

export type View = 'requests' | 'findings' | 'servers' | 'messages' | 'websockets';
const VIEWS: View[] = ['requests', 'findings', 'servers', 'messages', 'websockets'];

interface Props {
  title: string;
  view: View;
  onView: (view: View) => void;
  /** A view's tab label, with how many things it holds. */
  viewLabel: (view: View) => string;
  /** Live hosts get Preserve log, Clear and the recording settings; an imported file does not. */
  live: boolean;
  preserveLog: boolean;
  onPreserveLog: (preserve: boolean) => void;
  onClear?: () => void;
  settings: Settings | null;
  onSettings?: (patch: Partial<Settings>) => void;
  onExport: (format: ExportFormat, includeSecrets: boolean) => void;
  onImport: (file: File) => void;
}

/**
 * The panel's header on one line at the widths DevTools panels get (600 px up): the page, the
 * view tabs and the live controls; export, import and the recording settings wait behind a
 * button that discloses them in a bar below.
 */
export function Toolbar({ title, view, onView, viewLabel, live, preserveLog, onPreserveLog, onClear, settings, onSettings, onExport, onImport }: Props) {
  const [includeSecrets, setIncludeSecrets] = useState(false);
  const { open: menuOpen, toggle: toggleMenu, button: menuButton } = useDisclosure();
  const fileInput = useRef<HTMLInputElement>(null);

  return (
    <>
      <header class="toolbar">
        <nav class="views" role="tablist" aria-label="Views">
          {VIEWS.map((v) => (
            <button role="tab" aria-selected={view === v} class={view === v ? 'active' : ''} onClick={() => onView(v)} key={v}>
              {viewLabel(v)}
            </button>
          ))}
        </nav>
        <span class="muted page" title={title}>
          {title}
        </span>
        {live && (
          <>
            <label title="Keep the log across page loads">
              <input type="checkbox" checked={preserveLog} onChange={(e) => onPreserveLog((e.currentTarget as HTMLInputElement).checked)} />
              Preserve log
            </label>
            <button onClick={onClear} title="Clear this tab's session">
              Clear
            </button>
          </>
        )}
        <button
          ref={menuButton}
          class="menu-button"
          aria-label="Export / import"
          aria-expanded={menuOpen}
          aria-controls="toolbar-menu"
          onClick={toggleMenu}
          title="Export, import and recording settings"
        >
          <span class="menu-label">Export / import </span>
          <span aria-hidden="true">▾</span>
        </button>
      </header>
      {/* Opens below the toolbar, in the flow: it covers nothing the user may want to click. */}
      <div id="toolbar-menu" class="menu-items" role="group" aria-label="Export, import and recording settings" hidden={!menuOpen}>
        <button onClick={() => onExport('session', includeSecrets)}>Export session log</button>
        <button onClick={() => onExport('har', includeSecrets)}>Export HAR</button>
        <label title="Exports replace Cookie, Set-Cookie, Authorization and Proxy-Authorization values unless this is on">
          <input type="checkbox" checked={includeSecrets} onChange={(e) => setIncludeSecrets((e.currentTarget as HTMLInputElement).checked)} />
          Include secrets
        </label>
        <button onClick={() => fileInput.current?.click()}>Import</button>
        <input
          ref={fileInput}
          type="file"
          accept=".json,.har,application/json"
          aria-label="Session log or HAR file to import"
          hidden
          onChange={(e) => {
            const file = (e.currentTarget as HTMLInputElement).files?.[0];
            if (file) onImport(file);
            (e.currentTarget as HTMLInputElement).value = '';
          }}
        />
        {live && settings && <RecordingSettings settings={settings} onChange={(patch) => onSettings?.(patch)} />}
      </div>
    </>
  );
}
