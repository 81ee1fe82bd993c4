import type { Browser } from '../core/browser';
import type { Finding } from '../core/cors/findings';
import { toHar } from '../core/log/har-export';
import { toSessionLog } from '../core/log/session-log';
import { download, exportName, exportText } from './download';
import type { SessionModel } from './model';

export type ExportFormat = 'session' | 'har';

export interface ExportOptions {
  includeSecrets: boolean;
  /** The live tab's id; null for an imported file. */
  tabId: number | null;
  browser: Browser;
  extensionVersion: string;
  /** The session's findings, computed when a session log is written: the panel's copy may still wait for an idle moment. */
  findings: () => Finding[];
}

/** Downloads what the panel holds, as a session log or as HAR. */
export function exportSession(model: SessionModel, format: ExportFormat, { includeSecrets, tabId, browser, extensionVersion, findings }: ExportOptions): void {
  const startedAt = model.records[0]?.startTime ?? Date.now();
  if (format === 'har') {
    const har = toHar(model.records, model.websockets, { includeSecrets, extensionVersion, pageUrl: model.pageUrl, startedAt, browser });
    download(exportName(model.pageUrl, 'har'), exportText(har, model.records.length), 'application/json');
    return;
  }
  const log = toSessionLog(
    {
      tabId,
      pageUrl: model.pageUrl,
      startedAt,
      records: model.records,
      navigations: model.navigations,
      messages: model.messages,
      websockets: model.websockets,
      findings: findings(),
      dropped: {
        requests: model.dropped, requestsForBudget: model.droppedForBudget, messages: model.pageDropped.messages, websockets: model.pageDropped.websockets,
        rejected: model.pageDropped.rejected, rejectedBatches: model.pageDropped.rejectedBatches ?? 0,
      },
    },
    { includeSecrets, browser, extensionVersion, now: Date.now() },
  );
  download(exportName(model.pageUrl, 'json'), exportText(log, model.records.length), 'application/json');
}
