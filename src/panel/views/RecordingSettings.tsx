import { REQUEST_CAPS, type RecordingScope, type Settings } from '../../core/session/settings';

interface Props {
  settings: Settings;
  onChange: (patch: Partial<Settings>) => void;
}

/** The background's recording settings: which tabs it observes and how much it keeps per tab. */
export function RecordingSettings({ settings, onChange }: Props) {
  return (
    <>
      <label title="Recording every tab costs every tab a little; 'inspected tabs' records only tabs with an Origin Lens panel open">
        Record
        <select value={settings.scope} onChange={(e) => onChange({ scope: (e.currentTarget as HTMLSelectElement).value as RecordingScope })}>
          <option value="all">all tabs</option>
          <option value="inspected">inspected tabs only</option>
        </select>
      </label>
      <label title="Beyond this many requests in a tab, the oldest are dropped first (and counted)">
        Keep
        <select value={String(settings.maxRequests)} onChange={(e) => onChange({ maxRequests: Number((e.currentTarget as HTMLSelectElement).value) })}>
          {REQUEST_CAPS.map((cap) => (
            <option key={cap} value={String(cap)}>
              {cap.toLocaleString('en')}
            </option>
          ))}
        </select>
        per tab
      </label>
    </>
  );
}
