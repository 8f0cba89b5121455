import type { SessionView } from '../domain/SessionView';
import { sessionFromRow, storedBody, type SessionRow } from '../readmodel/sessionRows';
import { datasetExportLines, type DatasetFormat } from './datasetExportLines';

const session = { stationId: 'CP-1', streamId: 's', publicKey: 'ab', counter: '1', transactionId: '-1+1', emspId: 'E', ocmf: 'OCMF|{"PG":"T1"}|{}', conflictingOcmf: ['OCMF|{"PG":"T1","X":1}|{}'], energy: '1.5' } as unknown as SessionView;

const row: SessionRow = { body: storedBody(session), emsp_id: 'E', emsp_source: 'message', token_uid: null, token_type: null, token_source: null };

async function lines(format: DatasetFormat): Promise<string[]> {
  async function* rows() {
    yield [row];
  }
  const out: string[] = [];
  for await (const l of datasetExportLines(rows(), format)) out.push(l.toString());
  return out;
}

describe('datasetExportLines', () => {
  it('writes NDJSON, one whole line per session', async () => {
    const out = await lines('ndjson');
    expect(out).toHaveLength(1);
    expect(out[0].endsWith('}\n')).toBe(true);
    expect(JSON.parse(out[0])).toEqual(sessionFromRow(row));
    expect(JSON.parse(out[0])).toMatchObject({ counter: '1', transactionId: '-1+1', emspId: 'E', emspSource: 'message' });
  });

  it('writes a chunk of rows as one text, a line per row', async () => {
    async function* rows() {
      yield [row, { ...row, emsp_id: 'F' }];
    }
    const out: string[] = [];
    for await (const l of datasetExportLines(rows(), 'ndjson')) out.push(l.toString());
    expect(out).toHaveLength(1);
    expect(out[0].split('\n').slice(0, -1).map((l) => JSON.parse(l).emspId)).toEqual(['E', 'F']);
  });

  it('writes CSV through the CSV writer: header, then a neutralised row', async () => {
    const out = await lines('csv');
    expect(out[0]).toMatch(/^stationId,streamId,publicKey,counter,/);
    expect(out[1]).toContain(`,"'-1+1",E,`);
  });

  it('writes SAFE XML with every packet, the conflicting ones included', async () => {
    const out = (await lines('safe-xml')).join('');
    expect(out.match(/<value /g)).toHaveLength(2);
    expect(out).toMatch(/<\/values>\n$/);
  });
});
