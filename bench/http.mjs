// HTTP benchmark: a real server on 127.0.0.1 and a demo database; for each scenario a fixed
// number of requests from C concurrent clients. Prints median and p95 latency and throughput.
// Targets (checked here, not in unit tests): a counsellor's page must answer fast enough to
// feel instant — p95 under 50 ms for reads at 8 concurrent clients on the 2-core CI machine.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import net from 'node:net';

const BIN = resolve(process.env.ELEVLOS_BIN || 'build/elevlos');
const N = Number(process.env.BENCH_REQUESTS || 4000);
const C = Number(process.env.BENCH_CONCURRENCY || 8);

const port = await new Promise((ok) => {
  const s = net.createServer();
  s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => ok(p)); });
});
const dir = mkdtempSync(join(tmpdir(), 'elevlos-bench-'));
const db = join(dir, 'bench.db');
execFileSync(BIN, ['demo', '--db', db]);
const token = execFileSync(BIN, ['token', 'create', '--db', db, '--username', 'admin']).toString().trim();
const vtoken = execFileSync(BIN, ['token', 'create', '--db', db, '--username', 'veileder']).toString().trim();
const server = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--plain-http', '--log-level', 'warn'],
  { stdio: ['ignore', 'ignore', 'inherit'] });
const base = `http://127.0.0.1:${port}`;
for (let i = 0; i < 100; i++) {
  try { if ((await fetch(`${base}/healthz`)).ok) break; } catch { /* starting */ }
  await new Promise((r) => setTimeout(r, 50));
}

const auth = { authorization: `Bearer ${token}` };
const vauth = { authorization: `Bearer ${vtoken}` };
let seq = 0;
// A case of the demo's to register contacts on.
const load = await (await fetch(`${base}/api/v1/caseload`, { headers: vauth })).json();
const caseId = load.students[0].case;
const today = new Date().toISOString().slice(0, 10);
const scenarios = [
  ['GET /healthz', () => fetch(`${base}/healthz`)],
  ['GET /api/v1/units (token)', () => fetch(`${base}/api/v1/units`, { headers: auth })],
  ['GET /api/v1/users (token, access-logged)', () => fetch(`${base}/api/v1/users`, { headers: auth })],
  ['GET /api/v1/caseload (20 students, decrypted)', () => fetch(`${base}/api/v1/caseload`, { headers: vauth })],
  ['POST contact (durable, sealed note, logged)', () => fetch(`${base}/api/v1/cases/${caseId}/contacts`, {
    method: 'POST', headers: { ...vauth, 'content-type': 'application/json' },
    body: JSON.stringify({ contact_kind: 'SAMTALE', on_date: today, minutes: '30', note: 'Benk' }),
  })],
  ['POST /api/v1/units (durable write)', () => fetch(`${base}/api/v1/units`, {
    method: 'POST', headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ code: `B-${process.pid}-${seq++}`, name: 'Benk', kind: 'pilot', parent: '03' }),
  })],
];

function pct(sorted, p) { return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]; }

console.log(`elevlos HTTP benchmark: ${N} requests per scenario, ${C} concurrent clients`);
for (let i = 0; i < 500; i++) await (await fetch(`${base}/healthz`)).arrayBuffer(); // warm up client and server
for (const [name, call] of scenarios) {
  const lat = [];
  let next = 0, bad = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: C }, async () => {
    while (next < N) {
      next++;
      const s = performance.now();
      const r = await call();
      await r.arrayBuffer();
      if (r.status >= 400) bad++;
      lat.push(performance.now() - s);
    }
  }));
  const secs = (performance.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  console.log(`${name.padEnd(42)} median ${pct(lat, 0.5).toFixed(2)} ms  p95 ${pct(lat, 0.95).toFixed(2)} ms  ` +
    `${(lat.length / secs).toFixed(0)} req/s  errors ${bad}`);
}
server.kill('SIGTERM');
await new Promise((r) => server.on('exit', r));
rmSync(dir, { recursive: true, force: true });
