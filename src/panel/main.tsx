import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { TabSummary } from '../core/protocol';
import { ask } from '../shared/messaging';

const tabId = Number(new URLSearchParams(location.search).get('tabId'));

function App() {
  const [summary, setSummary] = useState<TabSummary | null>(null);
  useEffect(() => {
    if (Number.isInteger(tabId)) void ask('tab-summary', { tabId }).then(setSummary);
  }, []);
  if (!summary) return <p>Origin Lens</p>;
  return (
    <main>
      <h1>Origin Lens</h1>
      <p>
        {summary.crossOrigin} cross-origin of {summary.requests} requests
      </p>
    </main>
  );
}

const root = document.getElementById('app');
if (root) render(<App />, root);
