const Database = require('better-sqlite3');
const { SessionReadModel } = require('./dist/readmodel/SessionReadModel');
const { sessionLines } = require('./dist/readmodel/sessionRows');
const m = new SessionReadModel('/tmp/exp/query.sqlite');
const db = new Database('/tmp/exp/query.sqlite', { readonly: true });
const id = db.prepare('select station_id from sessions limit 1 offset 50000').get().station_id;
const bare = db.prepare(`SELECT stream_id, counter, body, emsp_id, emsp_source, token_uid, token_type, token_source FROM sessions WHERE station_id = ? AND end_time >= ? AND end_time < ? ORDER BY stream_id, length(counter), counter`);
const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
(async () => {
  const best = { b: Infinity, r: Infinity, s: Infinity };
  for (let k = 0; k < 40; k++) {
    let c0 = cpu(); let n = 0; for (const r of bare.iterate(id, '2025-01-01', '2026-01-01')) n += r.body.length; best.b = Math.min(best.b, cpu() - c0);
    c0 = cpu(); let bytes = 0; for await (const rows of m.stationRows(id, '2025-01-01', '2026-01-01')) bytes += sessionLines(rows).length; best.s = Math.min(best.s, cpu() - c0);
    c0 = cpu(); let rr = 0; for await (const rows of m.stationRows(id, '2025-01-01', '2026-01-01')) rr += rows.length; best.r = Math.min(best.r, cpu() - c0);
  }
  console.log(process.env.CHUNK, `bare ${best.b.toFixed(0)} ms, rows ${best.r.toFixed(0)} ms, rows+lines ${best.s.toFixed(0)} ms, ratio ${(best.b / best.s).toFixed(2)}`);
})();
