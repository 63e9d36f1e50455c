// Every catalogue key the source asks for exists in both languages: T() answers a missing key
// with the key itself, which would put "consent.no_registration" on a counsellor's screen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function files(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.c') ? [p] : [];
  });
}

const catalogue = readFileSync('src/i18n/i18n.c', 'utf8');
const have = new Set([...catalogue.matchAll(/^\t\{"([^"]+)", "([^"]*)", "([^"]*)"\},$/gm)].map((m) => m[1]));

test('the catalogue has every key the source uses', () => {
  assert.ok(have.size > 200, `catalogue entries: ${have.size}`);
  const missing = [];
  // Keys appear as tr(r, "a.b"), T(lang, "a.b"), bad(status, "a.b"), {status, "a.b"}, *_key args.
  const patterns = [/\btr\(r, "([a-z_]+\.[a-z0-9_]+)"\)/g, /\bT\([^,]+, "([a-z_]+\.[a-z0-9_]+)"\)/g,
    /\bbad\(\d+, "([a-z_]+\.[a-z0-9_]+)"\)/g, /\{\s*\d{3}, "([a-z_]+\.[a-z0-9_]+)"\s*\}/g,
    /\bfk_\w+\(r, "[a-z_]+", "([a-z_]+\.[a-z0-9_]+)"/g, /\b(?:rp_fact|fk_submit|fk_heading)\(r, (?:\d, )?"([a-z_]+\.[a-z0-9_]+)"/g,
    /"([a-z_]+\.[a-z0-9_]+)", NULL\}/g];
  let used = 0;
  for (const f of files('src')) {
    if (f.endsWith('i18n.c')) continue;
    const text = readFileSync(f, 'utf8');
    for (const re of patterns)
      for (const m of text.matchAll(re)) {
        used++;
        if (!have.has(m[1])) missing.push(`${f}: ${m[1]}`);
      }
  }
  assert.ok(used > 150, `keys found in the source: ${used}`);
  assert.deepEqual(missing, []);
});

test('keys built at run time exist: statuses, roles, kinds, yes/no', () => {
  for (const k of ['referral.status_NY', 'referral.status_AKSEPTERT', 'referral.status_AVVIST',
    'bool.0', 'bool.1', 'granted.0', 'granted.1', 'role.veileder', 'role.radgiver', 'role.leder', 'role.analytiker',
    'role.admin', 'kind.county', 'kind.pilot', 'kind.school', 'kind.nav_office', 'start.veileder', 'start.admin',
    'error.400', 'error.401', 'error.403', 'error.404', 'error.500', 'error.503'])
    assert.ok(have.has(k), k);
});
