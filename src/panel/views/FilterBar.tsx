import type { Outcome } from '../../core/cors/reasons';
import { OUTCOME_BUTTONS, TECHNIQUES, type Filter, type FilterResult, type SortKey, type Technique } from '../filter';

interface Props {
  filter: Filter;
  onFilter: (filter: Filter) => void;
  sort: SortKey;
  onSort: (sort: SortKey) => void;
  /** How many requests each outcome and technique button would show. */
  counts: Pick<FilterResult, 'outcomes' | 'techniques'>;
}

function toggle<T>(set: Set<T>, value: T): Set<T> {
  const next = new Set(set);
  if (next.has(value)) next.delete(value);
  else next.add(value);
  return next;
}

/** The requests view's filters: text, outcome and technique buttons with their counts, toggles, sort. */
export function FilterBar({ filter, onFilter, sort, onSort, counts }: Props) {
  const flip = (key: 'credentialedOnly' | 'withheldCookiesOnly' | 'findingsOnly' | 'showSameOrigin' | 'showPreflights') => onFilter({ ...filter, [key]: !filter[key] });
  return (
    <div class="filters">
      <input
        type="search"
        placeholder="Filter: URL, origin, method, reason…"
        value={filter.text}
        onInput={(e) => onFilter({ ...filter, text: (e.currentTarget as HTMLInputElement).value })}
        aria-label="Filter requests"
      />
      {OUTCOME_BUTTONS.filter((o) => o !== 'same-origin' || filter.showSameOrigin).map((o: Outcome) => (
        <button
          key={o}
          class={`chip chip-${o} ${filter.outcomes.has(o) ? 'on' : ''}`}
          aria-pressed={filter.outcomes.has(o)}
          onClick={() => onFilter({ ...filter, outcomes: toggle(filter.outcomes, o) })}
        >
          {o} {counts.outcomes.get(o) ?? 0}
        </button>
      ))}
      <span class="sep" />
      {TECHNIQUES.filter((t) => t !== 'same-origin' || filter.showSameOrigin).map((t: Technique) => (
        <button
          key={t}
          class={`chip ${filter.techniques.has(t) ? 'on' : ''}`}
          aria-pressed={filter.techniques.has(t)}
          onClick={() => onFilter({ ...filter, techniques: toggle(filter.techniques, t) })}
        >
          {t} {counts.techniques.get(t) ?? 0}
        </button>
      ))}
      <span class="sep" />
      <label>
        <input type="checkbox" checked={filter.credentialedOnly} onChange={() => flip('credentialedOnly')} />
        Credentialed
      </label>
      <label title="Requests the browser sent without a cookie it holds for them">
        <input type="checkbox" checked={filter.withheldCookiesOnly} onChange={() => flip('withheldCookiesOnly')} />
        Cookies held back
      </label>
      <label>
        <input type="checkbox" checked={filter.findingsOnly} onChange={() => flip('findingsOnly')} />
        Has findings
      </label>
      <label>
        <input type="checkbox" checked={filter.showSameOrigin} onChange={() => flip('showSameOrigin')} />
        Same-origin
      </label>
      <label>
        <input type="checkbox" checked={filter.showPreflights} onChange={() => flip('showPreflights')} />
        Preflights as rows
      </label>
      <label>
        Sort
        <select value={sort} onChange={(e) => onSort((e.currentTarget as HTMLSelectElement).value as SortKey)}>
          <option value="time">time</option>
          <option value="origin">origin</option>
          <option value="outcome">outcome</option>
        </select>
      </label>
    </div>
  );
}
