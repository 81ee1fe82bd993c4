import { useState } from 'preact/hooks';
import { SEVERITIES, type Finding } from '../../core/cors/findings';

/** Evidence links listed before a "more" button: a finding over a big session can name thousands. */
const EVIDENCE_SHOWN = 20;

interface Props {
  findings: Finding[];
  onEvidence: (id: string) => void;
  /** What to call a piece of evidence (a request's method and URL); the id when unknown. */
  describe?: (id: string) => string | null;
}

/** The engine's findings, grouped by severity, each linked to the requests or messages that show it. */
export function Findings({ findings, onEvidence, describe }: Props) {
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  if (findings.length === 0) return <div class="empty">No findings: nothing in this session's traffic shows a CORS or postMessage weakness.</div>;
  return (
    <div class="findings" role="region" aria-label="Findings" tabIndex={0}>
      {SEVERITIES.map((severity) => {
        const group = findings.filter((f) => f.severity === severity);
        if (group.length === 0) return null;
        return (
          <section key={severity}>
            <h3 class={`sev sev-${severity}`}>
              {severity} ({group.length})
            </h3>
            {group.map((f) => (
              <article class="finding" key={f.id}>
                <h4>
                  {f.title} <span class="muted">· {f.subject} · {f.confidence}</span>
                </h4>
                <p>{f.explanation}</p>
                <p class="evidence">
                  Evidence:{' '}
                  {(expanded.has(f.id) ? f.evidence : f.evidence.slice(0, EVIDENCE_SHOWN)).map((id) => (
                    <a
                      key={id}
                      href="#"
                      onClick={(e) => {
                        e.preventDefault();
                        onEvidence(id);
                      }}
                    >
                      {describe?.(id) ?? id}
                    </a>
                  ))}
                  {f.evidence.length > EVIDENCE_SHOWN && !expanded.has(f.id) && (
                    <button class="small" onClick={() => setExpanded(new Set(expanded).add(f.id))}>
                      {f.evidence.length - EVIDENCE_SHOWN} more
                    </button>
                  )}
                </p>
              </article>
            ))}
          </section>
        );
      })}
    </div>
  );
}
