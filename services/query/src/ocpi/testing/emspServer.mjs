// Tests only: an eMSP with its own OCPI 2.2.1 endpoints, run as a separate process (plain node:http),
// so the CPO side is tested against a real peer over HTTP. Never shipped.
//
//   node emspServer.mjs --port 0 --state /tmp/emsp.json [--country DE --party EMP] [--role HUB --relays DE*AAA,DE*BBB]
//
// With --role HUB it plays a roaming hub: its credentials name the HUB role, and each CDR it receives
// must be addressed (OCPI-to-*) to one of the --relays parties and name that party in cdr_token.
//
// Prints one JSON line {"port": n} when it listens. Its state (tokens, received CDRs) lives in the
// --state file, so a restart on the same port (the eMSP "down, then back") keeps it. Test control
// under /admin (no auth: the test's own channel): register/update/unregister against a CPO, the
// answer mode (ok | garbage | error | huge), and the CDRs received, each checked against OCPI 2.2.1 and its
// OCMF signature verified with libs/ocmf.
import { createServer } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { verifyOcmf } from '@metrology-ledger/ocmf';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const stateFile = args.state;
const country = args.country ?? 'DE';
const party = args.party ?? 'EMP';
const role = args.role ?? 'EMSP';
const relays = (args.relays ?? '').split(',').filter(Boolean);
const state = existsSync(stateFile) ? JSON.parse(readFileSync(stateFile, 'utf8')) : { tokenB: randomBytes(24).toString('base64url'), tokenC: null, cpoVersionsUrl: null, mode: 'ok', received: [], posts: 0 };
const save = () => writeFileSync(stateFile, JSON.stringify(state));
save();

let base = '';
const envelope = (data, status_code = 1000, status_message) => JSON.stringify({ data, status_code, status_message, timestamp: new Date().toISOString() });
const auth = (token) => `Token ${Buffer.from(token, 'utf8').toString('base64')}`;

async function callCpo(method, url, token, body, headers = {}) {
  const res = await fetch(url, { method, headers: { Authorization: auth(token), 'Content-Type': 'application/json', 'X-Request-ID': randomUUID(), 'X-Correlation-ID': randomUUID(), ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = { notJson: text.slice(0, 200) };
  }
  return { status: res.status, body: json, headers: Object.fromEntries(res.headers) };
}

const ours = () => ({ token: state.tokenB, url: `${base}/ocpi/emsp/versions`, roles: [{ role, party_id: party, country_code: country, business_details: { name: role === 'HUB' ? 'Test hub' : 'Test eMSP' } }] });

async function credentialsUrl(versionsUrl, token) {
  const versions = await callCpo('GET', versionsUrl, token);
  const v = versions.body?.data?.find?.((x) => x.version === '2.2.1');
  if (!v) return { error: versions };
  const details = await callCpo('GET', v.url, token);
  const cred = details.body?.data?.endpoints?.find?.((e) => e.identifier === 'credentials');
  return cred ? { url: cred.url, details: details.body } : { error: details };
}

const REQUIRED = ['country_code', 'party_id', 'id', 'start_date_time', 'end_date_time', 'cdr_token', 'auth_method', 'cdr_location', 'currency', 'charging_periods', 'total_cost', 'total_energy', 'total_time', 'last_updated'];
function checkCdr(cdr, to) {
  const problems = [];
  for (const k of REQUIRED) if (cdr?.[k] === undefined) problems.push(`missing ${k}`);
  if (typeof cdr?.id !== 'string' || cdr.id.length > 36) problems.push('id must be CiString(36)');
  for (const k of ['uid', 'type', 'contract_id', 'country_code', 'party_id']) if (typeof cdr?.cdr_token?.[k] !== 'string') problems.push(`cdr_token.${k}`);
  for (const k of ['id', 'address', 'city', 'country', 'evse_uid', 'evse_id', 'connector_id', 'connector_standard', 'connector_format', 'connector_power_type']) if (typeof cdr?.cdr_location?.[k] !== 'string') problems.push(`cdr_location.${k}`);
  if (typeof cdr?.cdr_location?.coordinates?.latitude !== 'string') problems.push('cdr_location.coordinates');
  if (!Array.isArray(cdr?.charging_periods) || cdr.charging_periods.length === 0) problems.push('charging_periods must hold one period or more');
  if (typeof cdr?.total_energy !== 'number') problems.push('total_energy must be a number');
  // An eMSP takes its own CDRs; a hub, those of the parties it relays, addressed to them (OCPI-to-*) and naming them.
  const owner = role === 'HUB' ? to : [country, party];
  if (role === 'HUB' && !relays.includes(`${to[0]}*${to[1]}`)) problems.push(`addressed to ${to[0]}*${to[1]}, a party this hub does not relay`);
  if (cdr?.cdr_token?.country_code !== owner[0] || cdr?.cdr_token?.party_id !== owner[1]) problems.push('cdr_token names another eMSP');
  const sd = cdr?.signed_data;
  let ocmf = null;
  let verdict = null;
  if (sd?.encoding_method !== 'OCMF' || !Array.isArray(sd?.signed_values) || sd.signed_values.length === 0) problems.push('signed_data must be OCMF with signed values');
  else {
    ocmf = Buffer.from(sd.signed_values[0].signed_data, 'base64').toString('utf8');
    if (!ocmf.startsWith('OCMF|')) problems.push('signed_data is not base64 of an OCMF dataset');
    const publicKey = Buffer.from(sd.public_key ?? '', 'base64').toString('hex');
    verdict = verifyOcmf(ocmf, { publicKey }).verdict;
    if (verdict !== 'valid') problems.push(`the OCMF signature does not verify with public_key (${verdict})`);
  }
  if (state.received.some((r) => r.cdr?.id === cdr?.id && r.problems.length === 0)) problems.push(`CDR ${cdr?.id} was received already (CDRs cannot be replaced)`);
  if (cdr?.credit !== undefined || cdr?.credit_reference_id !== undefined) problems.push(...checkCredit(cdr));
  return { problems, ocmf, verdict };
}

// OCPI 2.2.1 mod_cdrs "Credit CDRs": a new id, credit true, credit_reference_id the id of a CDR received
// before, all the data of that CDR, and only the amounts of total_cost negated.
const MAY_DIFFER = ['id', 'credit', 'credit_reference_id', 'total_cost', 'remark', 'last_updated'];
function checkCredit(cdr) {
  if (cdr.credit !== true) return ['credit must be true when credit_reference_id is given'];
  const original = state.received.find((r) => r.problems.length === 0 && r.cdr.id === cdr.credit_reference_id && r.cdr.credit !== true)?.cdr;
  if (!original) return [`credit_reference_id ${JSON.stringify(cdr.credit_reference_id)} names no CDR received before`];
  const problems = [];
  if (cdr.id === original.id) problems.push('a credit CDR must have an id of its own');
  const negated = (x) => (x === 0 ? 0 : -x);
  if (cdr.total_cost?.excl_vat !== negated(original.total_cost.excl_vat)) problems.push('total_cost must be the negated total_cost of the CDR credited');
  for (const k of new Set([...Object.keys(original), ...Object.keys(cdr)])) {
    if (!MAY_DIFFER.includes(k) && JSON.stringify(cdr[k]) !== JSON.stringify(original[k])) problems.push(`${k} differs from the CDR credited`);
  }
  return problems;
}

const server = createServer(async (req, res) => {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  const raw = Buffer.concat(chunks).toString('utf8');
  const body = raw ? JSON.parse(raw) : undefined;
  const send = (status, text, headers = {}) => {
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    res.end(text);
  };
  const url = new URL(req.url, base);
  try {
    if (url.pathname.startsWith('/admin/')) {
      if (url.pathname === '/admin/mode') {
        state.mode = body.mode;
        save();
        return send(200, '{}');
      }
      if (url.pathname === '/admin/state') return send(200, JSON.stringify({ ...state, tokenB: undefined, tokenC: state.tokenC ? 'set' : null, previousTokenC: undefined }));
      if (url.pathname === '/admin/register' || url.pathname === '/admin/update') {
        const token = url.pathname === '/admin/register' ? body.tokenA : state.tokenC;
        const versionsUrl = body.versionsUrl ?? state.cpoVersionsUrl;
        const found = await credentialsUrl(versionsUrl, token);
        if (!found.url) return send(200, JSON.stringify({ failed: 'no credentials endpoint', detail: found.error }));
        if (body.tokenB) state.tokenB = body.tokenB;
        const answer = await callCpo(url.pathname === '/admin/register' ? 'POST' : 'PUT', found.url, token, body.credentials ?? ours());
        if (answer.status === 200 && answer.body.status_code === 1000) {
          state.previousTokenC = state.tokenC;
          state.tokenC = answer.body.data.token;
          state.cpoVersionsUrl = versionsUrl;
          state.cpoCredentialsUrl = found.url;
          save();
        }
        return send(200, JSON.stringify({ ...answer, body: { ...answer.body, data: answer.body.data ? { ...answer.body.data, token: answer.body.data.token ? 'received' : undefined } : undefined } }));
      }
      if (url.pathname === '/admin/unregister') {
        const answer = await callCpo('DELETE', state.cpoCredentialsUrl, state.tokenC);
        return send(200, JSON.stringify(answer));
      }
      if (url.pathname === '/admin/cpo') {
        // A call to the CPO with this eMSP's token C (to read its CDRs or push a token, for instance), with the body and headers given.
        const answer = await callCpo(body.method ?? 'GET', body.url, body.previous ? state.previousTokenC : state.tokenC, body.body, body.headers);
        return send(200, JSON.stringify(answer));
      }
      return send(404, '{}');
    }
    // The eMSP's own OCPI endpoints: token B only.
    if (req.headers.authorization !== auth(state.tokenB)) return send(401, envelope(undefined, 2000, 'unknown token'));
    if (url.pathname === '/ocpi/emsp/versions') return send(200, envelope([{ version: '2.2.1', url: `${base}/ocpi/emsp/2.2.1` }]));
    if (url.pathname === '/ocpi/emsp/2.2.1')
      return send(200, envelope({ version: '2.2.1', endpoints: [{ identifier: 'credentials', role: 'SENDER', url: `${base}/ocpi/emsp/2.2.1/credentials` }, { identifier: 'cdrs', role: 'RECEIVER', url: `${base}/ocpi/emsp/2.2.1/cdrs` }] }));
    if (url.pathname === '/ocpi/emsp/2.2.1/cdrs' && req.method === 'POST') {
      state.posts++;
      save();
      if (state.mode === 'garbage') return send(200, '<html>proxy error</html>');
      if (state.mode === 'error') return send(200, envelope(undefined, 3000, 'try later'));
      if (state.mode === 'huge') return send(200, 'x'.repeat(2 * 1024 * 1024));
      const to = [req.headers['ocpi-to-country-code'], req.headers['ocpi-to-party-id']];
      const check = checkCdr(body, to);
      state.received.push({ cdr: body, problems: check.problems, verdict: check.verdict, ocmf: check.ocmf, from: [req.headers['ocpi-from-country-code'], req.headers['ocpi-from-party-id']], to });
      save();
      if (check.problems.length) return send(400, envelope(undefined, 2001, check.problems.join('; ')));
      return send(200, envelope(undefined), { Location: `${base}/ocpi/emsp/2.2.1/cdrs/${body.id}` });
    }
    return send(404, envelope(undefined, 2000, 'no such endpoint'));
  } catch (e) {
    return send(500, JSON.stringify({ error: String(e) }));
  }
});

server.listen(Number(args.port ?? 0), '127.0.0.1', () => {
  base = `http://127.0.0.1:${server.address().port}`;
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
