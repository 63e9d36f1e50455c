// The report generator (tests/security/report.mjs): the ASVS mapping in the tree passes its
// checks, and a mapping that names a missing file or a test title that is not there is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { verifyMapping, render, CHECKS } from './report.mjs';

const rows = JSON.parse(fs.readFileSync('tests/security/asvs.json', 'utf8'));

test('the ASVS mapping names only tests that exist, and covers V2, V3, V4, V5, V7, V8 and V14', () => {
	assert.deepEqual(verifyMapping(rows), []);
	assert.ok(rows.length >= 150, `${rows.length} requirements`);
	// Every row is mapped: nothing left pending; the TOTP replay rows name the tests that prove them.
	assert.deepEqual(rows.filter((r) => r.status === 'pending').map((r) => r.id), []);
	for (const id of ['2.8.1', '2.8.4']) assert.equal(rows.find((r) => r.id === id)?.status, 'test', id);
});

test('a mapping naming a missing file, a missing test title or no evidence is refused', () => {
	const base = { level: 1, text: 'x' };
	const bad = [
		{ ...base, id: '2.1.1', status: 'test', tests: [{ file: 'tests/http/no-such.test.mjs', title: 'anything' }] },
		{ ...base, id: '2.1.2', status: 'test', tests: [{ file: 'tests/http/session.test.mjs', title: 'a test that was never written' }] },
		{ ...base, id: '2.1.3', status: 'test', tests: [{ file: 'tests/unit/test_password.c', title: 'no_such_function' }] },
		{ ...base, id: '2.1.4', status: 'na' },
		{ ...base, id: '2.1.4', status: 'test', tests: [{ file: 'tests/unit/test_password.c', title: 'policy_lengths' }] },
		{ ...base, id: '9.9.9', status: 'maybe', reason: 'r' },
	];
	const problems = verifyMapping(bad);
	for (const want of [/no-such\.test\.mjs does not exist/, /never written/, /no_such_function/, /2\.1\.4: status na needs a reason/,
		/2\.1\.4: listed twice/, /unknown status maybe/, /9\.9\.9: not in V2/, /no requirement of V3/])
		assert.ok(problems.some((p) => want.test(p)), `${want} in:\n${problems.join('\n')}`);
	// The good rows of the same kind pass.
	assert.deepEqual(verifyMapping(rows.filter((r) => r.status === 'test')).filter((p) => !/no requirement of/.test(p)), []);
});

test('the report renders every check and every requirement', () => {
	const fig = {};
	for (const name of CHECKS) {
		const f = `build/security/${name}.json`;
		if (fs.existsSync(f)) fig[name] = JSON.parse(fs.readFileSync(f, 'utf8'));
	}
	const md = render(rows, fig, { notes: '## Notes\n\nhand-kept' });
	for (const r of rows) assert.ok(md.includes(`| ${r.id} |`), r.id);
	for (const name of Object.keys(fig)) assert.ok(md.length > 1000, name);
	assert.ok(md.includes('hand-kept'));
});
