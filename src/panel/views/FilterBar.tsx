import { useEffect, useRef, useState } from 'preact/hooks';
import type { Outcome } from '../../core/cors/reasons';
import { OUTCOME_BUTTONS, TECHNIQUES, type Filter, type FilterResult, type SortKey } from '../filter';
import { useDisclosure } from './disclosure';

interface Props {
  filter: Filter;
  onFilter: (filter: Filter) => void;
  sort: SortKey;
  onSort: (sort: SortKey) => void;
  /** How many requests each outcome and technique button would show. */
  counts: Pick<FilterResult, 'outcomes' | 'techniques'>;
}

type Toggle = 'credentialedOnly' | 'withheldCookiesOnly' | 'findingsOnly' | 'showSameOrigin' | 'showPreflights';
const TOGGLES: { key: Toggle; label: string; title?: string }[] = [
  { key: 'credentialedOnly', label: 'Credentialed' },
  { key: 'withheldCookiesOnly', label: 'Cookies held back', title: 'Requests the browser sent without a cookie it holds for them' },
  { key: 'findingsOnly', label: 'Has findings' },
  { key: 'showSameOrigin', label: 'Same-origin' },
  { key: 'showPreflights', label: 'Preflights as rows' },
];

/** Wide enough for every outcome button on the line; narrower, the less-used ones go to the popover. */
const ROOMY = '(min-width: 900px)';
/** The outcome buttons always on the line. */
const MAIN_OUTCOMES = 4;
/** Wide enough for the technique buttons and the sort too. */
const WIDE = '(min-width: 1300px)';

function useMedia(query: string): boolean {
  const [matches, setMatches] = useState(() => matchMedia(query).matches);
  useEffect(() => {
    const list = matchMedia(query);
    const onChange = () => setMatches(list.matches);
    list.addEventListener('change', onChange);
    onChange();
    return () => list.removeEventListener('change', onChange);
  }, [query]);
  return matches;
}

function toggle<T>(set: Set<T>, value: T): Set<T> {
  const next = new Set(set);
  if (next.has(value)) next.delete(value);
  else next.add(value);
  return next;
}

/**
 * The requests view's filters on one line from 600 px up: the text and the outcome buttons with
 * their counts; the less-used filters behind a Filters button, in a popover. Below 900 px the
 * less-used outcomes join them; from 1300 px the technique buttons and the sort are on the line.
 */
export function FilterBar({ filter, onFilter, sort, onSort, counts }: Props) {
  const roomy = useMedia(ROOMY);
  const wide = useMedia(WIDE);
  const menu = useRef<HTMLDivElement>(null);
  const { open, toggle: toggleMenu, button } = useDisclosure(menu);
  const outcomes = OUTCOME_BUTTONS.filter((o) => o !== 'same-origin' || filter.showSameOrigin);
  const lineOutcomes = roomy ? outcomes : outcomes.slice(0, MAIN_OUTCOMES);
  const menuOutcomes = roomy ? [] : outcomes.slice(MAIN_OUTCOMES);
  const hiddenOn =
    TOGGLES.filter((t) => filter[t.key]).length + menuOutcomes.filter((o) => filter.outcomes.has(o)).length + (wide ? 0 : filter.techniques.size);

  /** A group of toggle buttons, each with how many requests it would show. */
  const chips = <T extends string>(label: string, shown: T[], on: Set<T>, count: Map<T, number>, set: (next: Set<T>) => void) => (
    <div class="chips" role="group" aria-label={label}>
      {shown.map((value) => (
        <button key={value} class={`chip ${on.has(value) ? 'on' : ''}`} aria-pressed={on.has(value)} onClick={() => set(toggle(on, value))}>
          {value} {count.get(value) ?? 0}
        </button>
      ))}
    </div>
  );
  const outcomeChips = (shown: Outcome[], label: string) => chips(label, shown, filter.outcomes, counts.outcomes, (outcomes) => onFilter({ ...filter, outcomes }));
  const techniques = chips(
    'Technique',
    TECHNIQUES.filter((t) => t !== 'same-origin' || filter.showSameOrigin),
    filter.techniques,
    counts.techniques,
    (techniques) => onFilter({ ...filter, techniques }),
  );
  const sorting = (
    <label>
      Sort{' '}
      <select value={sort} onChange={(e) => onSort((e.currentTarget as HTMLSelectElement).value as SortKey)}>
        <option value="time">time</option>
        <option value="origin">origin</option>
        <option value="outcome">outcome</option>
      </select>
    </label>
  );

  return (
    <div class="filters">
      <input
        type="search"
        placeholder="Filter: URL, origin, method, reason…"
        value={filter.text}
        onInput={(e) => onFilter({ ...filter, text: (e.currentTarget as HTMLInputElement).value })}
        aria-label="Filter requests"
      />
      {outcomeChips(lineOutcomes, 'Outcome')}
      {wide && (
        <>
          <span class="sep" />
          {techniques}
        </>
      )}
      <div class="filter-menu" ref={menu}>
        <button ref={button} class={hiddenOn > 0 ? 'on' : ''} aria-expanded={open} aria-controls="filter-menu" onClick={toggleMenu} title="More filters">
          Filters{hiddenOn > 0 && ` (${hiddenOn})`} <span aria-hidden="true">▾</span>
        </button>
        {/* Over the rows, below its button: it closes when a click or the focus goes elsewhere. */}
        <div id="filter-menu" class="popover" role="group" aria-label="More filters" hidden={!open}>
          {menuOutcomes.length > 0 && outcomeChips(menuOutcomes, 'More outcomes')}
          {!wide && techniques}
          {TOGGLES.map(({ key, label, title }) => (
            <label key={key} title={title}>
              <input type="checkbox" checked={filter[key]} onChange={() => onFilter({ ...filter, [key]: !filter[key] })} />
              {label}
            </label>
          ))}
          {!wide && sorting}
        </div>
      </div>
      {wide && sorting}
    </div>
  );
}
