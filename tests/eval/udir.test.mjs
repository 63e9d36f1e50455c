// The evaluation's CLI (docs/udir.md): import schools and udir through the binary, all or nothing
// with line numbers, idempotent re-import, pilot-school add|list, and the demo's synthetic
// dropout figures against the trial report's numbers (read with the sqlite3 shell).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { cli, cliOk, demoDb, initDb, tempDir, FAST_ENV } from '../http/lib.mjs';

const sql = (db, q) => execFileSync('sqlite3', [db, q], { encoding: 'utf8' }).trim();

test('import schools and udir from the CLI: errors listed, nothing written, then idempotent', async () => {
	const dir = tempDir();
	const db = await initDb(dir);
	const vtfk = path.resolve('../shared/data/vtfk_schools.csv');
	if (fs.existsSync(vtfk)) {
		const r = await cli(['import', 'schools', '--db', db, vtfk]);
		assert.equal(r.code, 1);
		assert.match(r.stderr, /line 26: /);
		assert.match(r.stderr, /line 27: /);
		assert.match(r.stderr, /nothing was imported/);
	}
	const schools = path.join(dir, 's.csv');
	fs.writeFileSync(schools, '\uFEFForgnr;navn;kommunenr;fylkesnr;enhet\n' +
		'974568098;Bamble videregående skole;3813;;\n974567997;Bø vidaregåande skule;;08;\n');
	let r = await cliOk(['import', 'schools', '--db', db, schools]);
	assert.match(r.stdout, /2 new, 0 updated, 0 unchanged/);
	r = await cliOk(['import', 'schools', '--db', db, schools]);
	assert.match(r.stdout, /0 new, 0 updated, 2 unchanged/);

	const udir = path.join(dir, 'u.csv');
	fs.writeFileSync(udir, 'Orgnr,Skoleår,Utdanningsprogram,Antall elever,Andel sluttet\n' +
		'974568098,2016-17,Yrkesfag,"1\u00a0000","6,3"\n974568098,2017/18,Yrkesfag,950,*\n' +
		'974567997,2016-2017,Studieforberedende,"5.943",".."\n');
	r = await cliOk(['import', 'udir', '--db', db, udir]);
	assert.match(r.stdout, /3 new, 0 updated, 0 unchanged \(2 suppressed\)/);
	r = await cliOk(['import', 'udir', '--db', db, udir]);
	assert.match(r.stdout, /0 new, 0 updated, 3 unchanged/);
	assert.equal(sql(db, "SELECT students, dropout_share IS NULL, suppressed FROM udir_dropout" +
		" WHERE school_year = 2016 AND programme = 'studieforberedende'"), '5943|1|1');

	const bad = path.join(dir, 'bad.csv');
	fs.writeFileSync(bad, 'orgnr;skoleår;program;elever;andel\n974568098;2018-19;yrkesfag;10;5\n' +
		'974568099;2018-19;yrkesfag;10;5\n974568098;2018-20;yrkesfag;10;5\n');
	r = await cli(['import', 'udir', '--db', db, bad]);
	assert.equal(r.code, 1);
	assert.match(r.stderr, /line 3: organisation number/);
	assert.match(r.stderr, /line 4: school year/);
	assert.match(r.stderr, /2 errors/);
	assert.equal(sql(db, 'SELECT count(*) FROM udir_dropout WHERE school_year = 2018'), '0');
});

test('demo: synthetic Udir figures around the trial report, pilot schools listed', async () => {
	const { db } = await demoDb();
	const r = await cliOk(['pilot-school', 'list', '--db', db], { env: FAST_ENV });
	assert.equal(r.stdout.trim().split('\n').length, 28);
	const share = (unit, year) => sql(db, 'SELECT d.dropout_share FROM udir_dropout d JOIN school s' +
		' ON s.id = d.school_id JOIN unit u ON u.id = s.unit_id' +
		` WHERE u.code = '${unit}' AND d.school_year = ${year} AND d.programme = 'yrkesfag'`);
	assert.equal(share('S-ALTA', 2016), '9.3');
	assert.equal(share('S-ALTA', 2017), '6.3');
	assert.equal(share('S-HELLERUD', 2017), '19.6');
	assert.equal(share('S-STOVNER', 2016), '12.9');
	const national = (year) => sql(db, 'SELECT round(sum(dropout_share * students) / sum(students), 1)' +
		` FROM udir_dropout WHERE programme = 'yrkesfag' AND suppressed = 0 AND school_year = ${year}`);
	assert.equal(national(2016), '6.4');
	assert.equal(national(2017), '6.3');
	const pilot = (code, year) => sql(db, 'SELECT round(sum(d.dropout_share * d.students) / sum(d.students), 1)' +
		' FROM udir_dropout d JOIN pilot_school p ON p.school_id = d.school_id JOIN unit u ON u.id = p.pilot_id' +
		` WHERE u.code = '${code}' AND d.programme = 'yrkesfag' AND d.school_year = ${year}`);
	assert.equal(pilot('P-AKERSHUS', 2014), '5.4');
	assert.equal(pilot('P-AKERSHUS', 2017), '8.3');
	assert.equal(pilot('P-GODALEN', 2016), '8.4');
	assert.equal(pilot('P-GODALEN', 2017), '8.8');
	const trend = sql(db, 'SELECT CASE WHEN a.suppressed OR b.suppressed THEN \'s\'' +
		' WHEN b.dropout_share < a.dropout_share THEN \'f\' WHEN b.dropout_share > a.dropout_share' +
		' THEN \'r\' ELSE \'u\' END AS t, count(*) FROM pilot_school p' +
		' JOIN udir_dropout a ON a.school_id = p.school_id AND a.school_year = 2016 AND a.programme = \'yrkesfag\'' +
		' JOIN udir_dropout b ON b.school_id = p.school_id AND b.school_year = 2017 AND b.programme = \'yrkesfag\'' +
		' GROUP BY t ORDER BY t');
	assert.equal(trend, 'f|8\nr|4\ns|10\nu|6');
	assert.equal(sql(db, 'SELECT count(*) FROM school WHERE id NOT IN (SELECT school_id FROM pilot_school)'), '400');
});
