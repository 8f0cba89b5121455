import { sessionFromRow, sessionLines, type SessionRow } from '../readmodel/sessionRows';
import { CsvWriter } from './CsvWriter';
import { SafeXmlWriter } from './SafeXmlWriter';

export const DATASET_FORMATS = ['ndjson', 'csv', 'safe-xml'] as const;
export type DatasetFormat = (typeof DATASET_FORMATS)[number];

export const DATASET_CSV = new CsvWriter(['stationId', 'streamId', 'publicKey', 'counter', 'pagination', 'transactionId', 'emspId', 'connector', 'startTime', 'endTime', 'energy', 'unit', 'status', 'verdict', 'verifier'] as const);

export const DATASET_CONTENT_TYPES: Record<DatasetFormat, string> = { ndjson: 'application/x-ndjson', csv: 'text/csv; charset=utf-8', 'safe-xml': 'application/xml; charset=utf-8' };

/**
 * The text of a dataset export, a chunk of the read model's rows at a time (`SessionStore.stationRows`):
 * NDJSON (every field, one line per session, from the stored text without parsing it), CSV (one row
 * per session, through the CSV writer) or SAFE XML (every packet, conflicting ones included, for the
 * transparency software).
 */
export async function* datasetExportLines(chunks: AsyncIterable<SessionRow[]>, format: DatasetFormat): AsyncGenerator<string | Buffer> {
  if (format === 'ndjson') {
    for await (const rows of chunks) yield sessionLines(rows);
  } else if (format === 'csv') {
    yield DATASET_CSV.header();
    for await (const rows of chunks) for (const r of rows) yield DATASET_CSV.row(sessionFromRow(r));
  } else {
    yield SafeXmlWriter.open();
    for await (const rows of chunks) {
      for (const s of rows.map(sessionFromRow)) for (const ocmf of [s.ocmf, ...s.conflictingOcmf]) yield SafeXmlWriter.value({ ocmf, publicKey: s.publicKey, transactionId: s.transactionId });
    }
    yield SafeXmlWriter.close();
  }
}
