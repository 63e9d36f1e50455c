// `elevlos key rotate`: every name, id number, note and referral name is re-sealed under a new
// key, the old key leaves the key file, and what can be read is unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const BIN = resolve(process.env.ELEVLOS_BIN || 'build/elevlos');
const env = { ...process.env, ELEVLOS_ARGON2_MEMLIMIT: '1048576', ELEVLOS_ARGON2_OPSLIMIT: '1' };
const run = (args) => {
  const r = spawnSync(BIN, args, { env, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

test('key rotation re-seals everything and drops the old key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'elevlos-key-'));
  const db = join(dir, 'demo.db');
  assert.equal(run(['demo', '--db', db]).code, 0);
  const keyFile = `${db}.key`;
  assert.equal(statSync(keyFile).mode & 0o777, 0o600);
  const before = readFileSync(keyFile, 'utf8');
  assert.match(before, /^elevlos-key 1 1 \S+\n$/);
  assert.equal(run(['export', 'cases', '--db', db, '--out', join(dir, 'a.jsonl')]).code, 0);

  const r = run(['key', 'rotate', '--db', db]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /key rotated to id 2: 40 students, \d+ notes, 0 referrals, 0 two-factor secrets re-sealed/);
  const after = readFileSync(keyFile, 'utf8');
  assert.match(after, /^elevlos-key 1 2 \S+\n$/, 'only the new key is left');
  assert.notEqual(after.split(' ')[3], before.split(' ')[3]);

  assert.equal(run(['export', 'cases', '--db', db, '--out', join(dir, 'b.jsonl')]).code, 0);
  assert.equal(readFileSync(join(dir, 'b.jsonl'), 'utf8'), readFileSync(join(dir, 'a.jsonl'), 'utf8'),
    'everything reads the same under the new key');
  assert.equal(run(['audit', 'verify', '--db', db]).code, 0);

  // With the old key file nothing opens any more, and export refuses rather than leave gaps.
  const old = join(dir, 'old.key');
  writeFileSync(old, before, { mode: 0o600 });
  assert.match(readFileSync(join(dir, 'a.jsonl'), 'utf8'), /"name":"Syntetisk/);
  const stale = run(['export', 'cases', '--db', db, '--key-file', old, '--out', join(dir, 'c.jsonl')]);
  assert.equal(stale.code, 2, stale.err);
  assert.match(stale.err, /key file/);
  assert.equal(existsSync(join(dir, 'c.jsonl')), false, 'no partial file is left');
  rmSync(dir, { recursive: true, force: true });
});

test('duplicate id numbers are found while a rotation is half done (two keys in the file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'elevlos-key2-'));
  const db = join(dir, 'x.db');
  assert.equal(run(['init', '--db', db]).code, 0);
  assert.equal(run(['unit', 'add', '--db', db, '--code', 'P-A', '--name', 'A', '--kind', 'pilot', '--parent', '02']).code, 0);
  const line = (p) => JSON.stringify({ pseudonym: p, pilot: 'P-A', fnr: '13097248022', birth_year: 2004,
    consents: [{ kind: 'REGISTRERING', given_on: '2020-01-01', given_by: 'ELEV' }] });
  const head = '{"format":"elevlos-cases","version":1}\n';
  writeFileSync(join(dir, 'a.jsonl'), head + line('E-AAAAAA') + '\n');
  assert.equal(run(['import', 'cases', '--db', db, join(dir, 'a.jsonl')]).code, 0);
  // What an interrupted rotation leaves: the old key and a new one after it.
  const keyFile = `${db}.key`;
  const k1 = readFileSync(keyFile, 'utf8');
  writeFileSync(keyFile, k1 + 'elevlos-key 1 2 ' + Buffer.alloc(32, 7).toString('base64') + '\n', { mode: 0o600 });
  writeFileSync(join(dir, 'b.jsonl'), head + line('E-BBBBBB') + '\n');
  const r = run(['import', 'cases', '--db', db, join(dir, 'b.jsonl')]);
  assert.equal(r.code, 1);
  assert.match(r.err, /registered in the pilot already/);
  // and the rotation then finishes cleanly, with one key left
  const rot = run(['key', 'rotate', '--db', db]);
  assert.equal(rot.code, 0, rot.err);
  assert.equal(readFileSync(keyFile, 'utf8').trim().split('\n').length, 1);
  assert.equal(run(['import', 'cases', '--db', db, join(dir, 'b.jsonl')]).code, 1, 'still found after the rotation');
  rmSync(dir, { recursive: true, force: true });
});

