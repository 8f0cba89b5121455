const { Client } = require('pg');
const { PostgresSessionStore } = require('./dist/readmodel/PostgresSessionStore');
const { sessionLines } = require('./dist/readmodel/sessionRows');
const url = 'postgres://postgres@127.0.0.1:5432/test';
const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
const now = () => Number(process.hrtime.bigint()) / 1e6;
(async () => {
  const store = new PostgresSessionStore({ connectionString: url, schema: 'expx_query' });
  const c = new Client(url); await c.connect();
  const id = (await c.query('select station_id from expx_query.sessions limit 1 offset 50000')).rows[0].station_id;
  const sql = `SELECT stream_id, counter, body, emsp_id, emsp_source, token_uid, token_type, token_source FROM expx_query.sessions WHERE station_id = $1 AND end_time >= $2 AND end_time < $3 ORDER BY stream_id, length(counter), counter`;
  const best = { b: Infinity, bc: Infinity, s: Infinity, sc: Infinity };
  for (let k = 0; k < 12; k++) {
    let t = now(), c0 = cpu(); await c.query('BEGIN'); await c.query({ text: `DECLARE bare NO SCROLL CURSOR FOR ${sql}`, values: [id, '2025-01-01', '2026-01-01'] });
    let n = 0; for (;;) { const r = await c.query('FETCH 1000 FROM bare'); for (const row of r.rows) n += row.body.length; if (r.rows.length < 1000) break; } await c.query('COMMIT');
    best.b = Math.min(best.b, now() - t); best.bc = Math.min(best.bc, cpu() - c0);
    t = now(); c0 = cpu(); let bytes = 0; for await (const rows of store.stationRows(id, '2025-01-01', '2026-01-01')) bytes += sessionLines(rows).length;
    best.s = Math.min(best.s, now() - t); best.sc = Math.min(best.sc, cpu() - c0);
  }
  console.log(`bare ${best.b.toFixed(0)} ms (${best.bc.toFixed(0)} CPU), service path ${best.s.toFixed(0)} ms (${best.sc.toFixed(0)} CPU): ratio ${(best.b / best.s).toFixed(2)}`);
  await c.end(); await store.close();
})();
