import type { SessionView } from '../domain/SessionView';
import { CsvWriter } from './CsvWriter';
import { ndjsonLine } from './ndjsonLines';
import { SafeXmlWriter } from './SafeXmlWriter';

export const DATASET_FORMATS = ['ndjson', 'csv', 'safe-xml'] as const;
export type DatasetFormat = (typeof DATASET_FORMATS)[number];

export const DATASET_CSV = new CsvWriter(['stationId', 'streamId', 'publicKey', 'counter', 'pagination', 'transactionId', 'emspId', 'connector', 'startTime', 'endTime', 'energy', 'unit', 'status', 'verdict', 'verifier'] as const);

export const DATASET_CONTENT_TYPES: Record<DatasetFormat, string> = { ndjson: 'application/x-ndjson', csv: 'text/csv; charset=utf-8', 'safe-xml': 'application/xml; charset=utf-8' };

/**
 * The lines of a dataset export, one session at a time: NDJSON (every field), CSV (one row per session,
 * through the CSV writer) or SAFE XML (every packet, conflicting ones included, for the transparency
 * software).
 */
export async function* datasetExportLines(rows: AsyncIterable<SessionView>, format: DatasetFormat): AsyncGenerator<string> {
  if (format === 'ndjson') {
    for await (const s of rows) yield ndjsonLine(s);
  } else if (format === 'csv') {
    yield DATASET_CSV.header();
    for await (const s of rows) yield DATASET_CSV.row(s);
  } else {
    yield SafeXmlWriter.open();
    for await (const s of rows) for (const ocmf of [s.ocmf, ...s.conflictingOcmf]) yield SafeXmlWriter.value({ ocmf, publicKey: s.publicKey, transactionId: s.transactionId });
    yield SafeXmlWriter.close();
  }
}
