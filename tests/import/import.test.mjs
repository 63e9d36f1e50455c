// `elevlos import cases` and `elevlos export cases`: a generated file of 100,000 cases with
// their contacts imports in one run; a file with bad rows imports nothing and lists every bad
// row; a second import changes nothing; export → import into an empty database → export gives
// identical bytes, names, id numbers and notes included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const BIN = resolve(process.env.ELEVLOS_BIN || 'build/elevlos');
const GEN = resolve('tests/import/gen-cases.mjs');
const N = Number(process.env.IMPORT_CASES || 100000);
const env = { ...process.env, ELEVLOS_ARGON2_MEMLIMIT: '1048576', ELEVLOS_ARGON2_OPSLIMIT: '1' };
const dir = mkdtempSync(join(tmpdir(), 'elevlos-import-'));

function run(args, opts = {}) {
  const r = spawnSync(BIN, args, { env, encoding: 'utf8', maxBuffer: 1 << 30, ...opts });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/* An empty database with the units the generator uses. */
function emptyDb(name) {
  const db = join(dir, name);
  assert.equal(run(['init', '--db', db]).code, 0);
  for (const [code, kind, parent] of [['P-AKERSHUS', 'pilot', '02'], ['S-JESSHEIM', 'school', 'P-AKERSHUS'],
    ['S-SKEDSMO', 'school', 'P-AKERSHUS'], ['P-STOVNER', 'pilot', '03'], ['S-STOVNER', 'school', 'P-STOVNER']])
    assert.equal(run(['unit', 'add', '--db', db, '--code', code, '--name', code, '--kind', kind, '--parent', parent]).code, 0);
  return db;
}

function count(db, table) {
  return Number(execFileSync('sqlite3', [db, `SELECT count(*) FROM ${table}`]).toString().trim());
}

test(`${N} generated cases with their contacts import in one run; a second run changes nothing`, () => {
  const file = join(dir, 'big.jsonl');
  execFileSync(process.execPath, [GEN, String(N), file, '7']);
  const db = emptyDb('big.db');
  const t0 = performance.now();
  const r = run(['import', 'cases', '--db', db, file]);
  const secs = (performance.now() - t0) / 1000;
  assert.equal(r.code, 0, r.err);
  if (N >= 10000) assert.match(r.err, /line 10000 \(\d+%\)/, 'progress is shown');
  console.log(`import of ${N} cases (${(statSync(file).size / 1e6).toFixed(0)} MB): ${secs.toFixed(1)} s — ${r.out.trim()}`);
  assert.equal(count(db, 'sak'), N);
  assert.equal(count(db, 'student'), N);
  const contacts = count(db, 'contact');
  assert.ok(contacts >= N, `contacts: ${contacts}`);
  const log = count(db, 'access_log');
  const again = run(['import', 'cases', '--db', db, file]);
  assert.equal(again.code, 0, again.err);
  assert.match(again.out, new RegExp(`imported 0 students .* ${N} already there unchanged`));
  assert.equal(count(db, 'sak'), N);
  assert.equal(count(db, 'contact'), contacts);
  assert.equal(count(db, 'access_log'), log, 'not even a log row: nothing changed');
});

test('a file with bad rows imports nothing and lists every bad row with its line', () => {
  const small = join(dir, 'small.jsonl');
  execFileSync(process.execPath, [GEN, '6', small, '3']);
  const good = readFileSync(small, 'utf8').trim().split('\n');
  const lines = [...good];
  const bad = (i, f) => { const o = JSON.parse(lines[i]); f(o); lines[i] = JSON.stringify(o); };
  bad(2, (o) => { o.cases[0].main_reason = 'PENGER'; });              // line 3: not a code
  bad(3, (o) => { o.consents = []; });                                 // line 4: no registration consent
  bad(4, (o) => { o.cases[0].contacts[0].on_date = '2017-02-30'; });   // line 5: no such date
  bad(4, (o) => { o.cases[0].reasons = Array(40).fill('PSYKISK_HELSE').concat('ARBEID'); }); // and a repeated code
  lines.splice(5, 0, '{"pseudonym": ');                                // line 6: not JSON
  bad(6, (o) => { o.pilot = 'P-NOWHERE'; o.extra = 1; });              // line 7: two errors
  bad(1, (o) => { o.name = 'x'.repeat(20000); o.cases[0].outcomes.push(o.cases[0].outcomes[0]); }); // line 2
  const file = join(dir, 'bad.jsonl');
  writeFileSync(file, lines.join('\n') + '\n');
  const db = emptyDb('bad.db');
  const r = run(['import', 'cases', '--db', db, file]);
  assert.equal(r.code, 1);
  for (const [line, what] of [[2, /name: is longer than 200 bytes/], [2, /the same school year twice/], [3, /main_reason.*reason/], [4, /registration consent/], [5, /on_date/], [5, /reasons\[1\]: repeats a code/],
    [6, /not valid JSON/], [7, /pilot/], [7, /extra: unknown field/]])
    assert.match(r.err, new RegExp(`line ${line}: .*${what.source}`), `line ${line} is listed:\n${r.err}`);
  assert.match(r.err, /nothing was imported/);
  assert.equal(count(db, 'student'), 0, 'the good lines were not imported either');
  assert.equal(count(db, 'sak'), 0);
});

test('a second import changes nothing also when the file lists things in another order', () => {
  const small = join(dir, 'order.jsonl');
  execFileSync(process.execPath, [GEN, '3', small, '5']);
  const lines = readFileSync(small, 'utf8').trim().split('\n');
  const o = JSON.parse(lines[1]);
  o.cases[0].reasons = ['RUS', 'OKONOMI'];           // not sorted
  delete o.cases[0].contacts[0].by;                  // filled in on import
  delete o.school;                                   // absent instead of null
  o.cases[0].contacts.reverse();                     // newest first
  lines[1] = JSON.stringify(o);
  writeFileSync(small, lines.join('\n') + '\n');
  const db = emptyDb('order.db');
  assert.equal(run(['import', 'cases', '--db', db, small]).code, 0);
  const again = run(['import', 'cases', '--db', db, small]);
  assert.equal(again.code, 0, again.err);
  assert.match(again.out, /imported 0 students .* 3 already there unchanged/);
});

test('export → import into an empty database → export gives identical output', () => {
  const a = join(dir, 'demo.db');
  assert.equal(run(['demo', '--db', a]).code, 0);
  // Names, id numbers and notes too: a student registered by hand through the CLI path.
  const first = join(dir, 'first.jsonl');
  assert.equal(run(['export', 'cases', '--db', a, '--out', first]).code, 0);
  const text = readFileSync(first, 'utf8');
  assert.match(text, /"name":"Syntetisk/);
  assert.match(text, /"note":"Syntetisk notat/);
  assert.equal(statSync(first).mode & 0o777, 0o600, 'the export is readable by its owner only');
  const b = emptyDb('copy.db');
  const imp = run(['import', 'cases', '--db', b, first]);
  assert.equal(imp.code, 0, imp.err);
  const second = join(dir, 'second.jsonl');
  assert.equal(run(['export', 'cases', '--db', b, '--out', second]).code, 0);
  assert.equal(readFileSync(second, 'utf8'), text);
  rmSync(dir, { recursive: true, force: true });
});
