// `elevlos stats --format csv|xlsx|pdf`: the exports of a published demo release. The CSV is
// RFC 4180 with neutralised formula text; the XLSX, converted by LibreOffice, has the CSV's
// numbers and marks its suppressed cells; the PDF renders (pdftoppm) with the unit's name,
// "Side 1 av N" and Norwegian letters (pdftotext); a failed export leaves the target alone.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as L from '../http/lib.mjs';
import { parseCsv, inkShare } from '../lib/files.mjs';

const EVIL = '=SUM(1,2) "Pilot Åsane"';
let demo, dir, year, prevYear;

function schoolYear(back = 0) {
	const d = new Date();
	const y = (d.getMonth() >= 7 ? d.getFullYear() : d.getFullYear() - 1) - back;
	return `${y}/${String((y + 1) % 100).padStart(2, '0')}`;
}

const HEADER = ['school_year', 'release_version', 'unit', 'unit_name', 'table', 'table_title', 'code', 'label', 'count',
	'of', 'share', 'status', 'text'];

function records(text) {
	const [head, ...rows] = parseCsv(text);
	assert.deepEqual(head, HEADER);
	return rows.map((r) => {
		assert.equal(r.length, HEADER.length, `a line with ${r.length} fields: ${r.join('|')}`);
		return Object.fromEntries(HEADER.map((h, i) => [h, r[i]]));
	});
}

async function exportTo(file, args) {
	await L.cliOk(['stats', '--db', demo.db, '--year', year, ...args, '--out', file]);
	return fs.readFileSync(file);
}

/* A demo database with P-EQ (a name a spreadsheet would run) and this and last school year's
 * releases published, so that the trend has two years. */
before(async () => {
	dir = L.tempDir('elevlos-export-');
	demo = await L.demoDb(dir);
	await L.addUnit(demo.db, 'P-EQ', EVIL, 'pilot', '02');
	year = schoolYear();
	prevYear = schoolYear(1);
	const srv = await L.startServer(demo.db);
	try {
		const a = srv.client();
		await a.loginOk('analytiker', demo.users.analytiker.password);
		for (const y of [prevYear, year]) {
			const r = await L.cliOk(['release', 'create', '--db', demo.db, '--year', y]);
			const id = Number(/release (\d+):/.exec(r.stdout)[1]);
			await L.apiOk(a, 'POST', `/api/v1/releases/${id}/approve`, {}, 200);
			await L.apiOk(a, 'POST', `/api/v1/releases/${id}/publish`, {}, 200);
		}
	} finally {
		await srv.stop();
	}
});

test('CSV: RFC 4180 with CRLF, one line per table row, suppressed counts empty and marked', async () => {
	// Last school year's release: the demo's cases of then give small counts to suppress.
	const r = await L.cliOk(['stats', '--db', demo.db, '--year', prevYear, '--unit', 'P-AKERSHUS', '--format', 'csv']);
	const text = r.stdout;
	assert.ok(text.endsWith('\r\n'));
	assert.doesNotMatch(text.replace(/\r\n/g, ''), /[\r\n]/, 'every line ends in CRLF, and no field here holds a line break');
	assert.ok(!text.startsWith('\ufeff'), 'no byte order mark');
	const rows = records(text);
	assert.ok(rows.length > 40, `rows: ${rows.length}`);
	const tables = [...new Set(rows.map((x) => x.table))];
	assert.deepEqual(tables, ['S1', 'S2', 'S3', 'S5', 'shares', 'S9']);
	let suppressed = 0;
	for (const x of rows) {
		assert.equal(x.school_year, prevYear);
		assert.equal(x.release_version, '1');
		assert.equal(x.unit, 'P-AKERSHUS');
		assert.equal(x.unit_name, 'Pilot Akershus (Jessheim og Skedsmo)');
		assert.ok(x.status === 'published' || x.status === 'suppressed', x.status);
		for (const n of [x.count, x.of])
			assert.ok(n === '' || /^(0|[5-9]|[1-9]\d+)$/.test(n), `no count from 1 to 4: ${n}`);
		if (x.text === '') {
			assert.equal(x.status === 'suppressed', x.count === '', `status follows the count: ${JSON.stringify(x)}`);
			if (x.count === '') suppressed++;
		}
		if (x.share !== '') {
			assert.match(x.share, /^\d{1,3}\.\d$/);
			assert.ok(Math.abs(Number(x.share) - (100 * Number(x.count)) / Number(x.of)) <= 0.05, JSON.stringify(x));
		}
	}
	assert.ok(suppressed > 0, 'the demo has small counts: some are suppressed');
	assert.ok(rows.some((x) => x.label === 'Rådgiver'), 'labels in UTF-8 bokmål');
	assert.ok(rows.some((x) => x.table_title === 'Elever og saker (S1, S10)'), 'a title with a comma, quoted');
	assert.match(text, /,"Elever og saker \(S1, S10\)",/);
	const en = records((await L.cliOk(['stats', '--db', demo.db, '--year', prevYear, '--unit', 'P-AKERSHUS', '--format', 'csv',
		'--lang', 'en'])).stdout);
	assert.ok(en.some((x) => x.label === 'Students followed up'));
	assert.deepEqual(en.map((x) => [x.code, x.count, x.of, x.share, x.status]),
		rows.map((x) => [x.code, x.count, x.of, x.share, x.status]), 'the same figures in either language');
});

test('CSV: a unit name that starts with = is neutralised with a leading quote', async () => {
	const r = await L.cliOk(['stats', '--db', demo.db, '--year', year, '--unit', 'P-EQ', '--format', 'csv']);
	const lines = r.stdout.split('\r\n');
	assert.ok(lines[1].startsWith(`${year},1,P-EQ,"'=SUM(1,2) ""Pilot Åsane""",`), lines[1]);
	const rows = records(r.stdout);
	for (const x of rows) {
		assert.equal(x.unit_name, `'${EVIL}`);
		for (const [k, v] of Object.entries(x)) assert.doesNotMatch(v, /^[=+\-@\t\r]/, `${k} starts a formula: ${v}`);
	}
});

test('XLSX: LibreOffice reads the CSV export\'s numbers, sheet by sheet, and the mark in suppressed cells', async () => {
	const csv = records((await L.cliOk(['stats', '--db', demo.db, '--year', year, '--unit', 'P-AKERSHUS', '--format', 'csv'])).stdout);
	const file = path.join(dir, 'akershus.xlsx');
	const bytes = await exportTo(file, ['--unit', 'P-AKERSHUS', '--format', 'xlsx']);
	assert.equal(bytes.subarray(0, 2).toString(), 'PK', 'a zip file');
	const out = path.join(dir, 'lo');
	// Every sheet to its own CSV (token 12: -1), cells as shown (token 9), UTF-8 (76).
	execFileSync('libreoffice', [`-env:UserInstallation=file://${path.join(dir, 'lo-profile')}`, '--headless',
		'--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1', '--outdir', out, file],
	{ stdio: 'pipe', timeout: 180000 });
	const about = parseCsv(fs.readFileSync(path.join(out, 'akershus-Om tallene.csv'), 'utf8'));
	const facts = Object.fromEntries(about.filter((r) => r.length >= 2).map((r) => [r[0], r[1]]));
	assert.equal(facts['Enhet'], 'Pilot Akershus (Jessheim og Skedsmo) (P-AKERSHUS)');
	assert.equal(facts['Skoleår'], year);
	assert.equal(facts['Versjon av utgivelsen'], '1');
	assert.match(facts['Inndata-hash (SHA-256)'], /^[0-9a-f]{64}$/);
	assert.equal(facts['Minste antall som vises (k)'], '5');
	assert.match(facts[':'], /^: = skjult/, 'the legend says what the mark means');
	let compared = 0, marks = 0;
	for (const id of ['S1', 'S2', 'S3', 'S5', 'shares', 'S9']) {
		const sheet = parseCsv(fs.readFileSync(path.join(out, `akershus-${id}.csv`), 'utf8'));
		const byCode = new Map(sheet.slice(4).filter((r) => r[0] && r[0] !== ':').map((r) => [r[0], r]));
		assert.ok(sheet.some((r) => r[0] === ':' && /skjult/.test(r[1])), `${id}: a legend line`);
		for (const x of csv.filter((c) => c.table === id)) {
			const row = byCode.get(x.code);
			assert.ok(row, `${id}: a row for ${x.code}`);
			assert.equal(row[1], x.label);
			if (x.text !== '') {
				assert.equal(row[2], x.text);
				continue;
			}
			const cells = id === 'S1' ? [[row[2], x.count]] : [[row[2], x.count], [row[3], x.of]];
			for (const [got, want] of cells) {
				if (want === '') {
					assert.equal(got, ':', `${id} ${x.code}: a suppressed cell shows the mark`);
					marks++;
				} else {
					assert.equal(Number(got), Number(want), `${id} ${x.code}`);
					compared++;
				}
			}
			if (id !== 'S1') {
				if (x.share === '') assert.equal(row[4] ?? '', '');
				else assert.ok(Math.abs(Number(row[4].replace('%', '')) - Number(x.share)) <= 0.05, `${id} ${x.code}: ${row[4]} vs ${x.share}`);
			}
		}
	}
	assert.ok(compared > 30 && marks > 0, `numbers compared: ${compared}, marks: ${marks}`);
});

/* The share of dark pixels of a PGM (P5) image. */
test('PDF: A4 pages that render, with the unit, "Side 1 av N" and Norwegian letters', async () => {
	const file = path.join(dir, 'norge.pdf');
	const bytes = await exportTo(file, ['--format', 'pdf']);
	assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
	const info = execFileSync('pdfinfo', [file]).toString();
	const pages = Number(/Pages:\s+(\d+)/.exec(info)[1]);
	assert.ok(pages >= 2, `pages: ${pages}`);
	assert.match(info, /Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)/);
	execFileSync('pdftoppm', ['-png', '-r', '50', '-f', '1', '-l', '1', file, path.join(dir, 'page')]);
	const png = fs.readFileSync(path.join(dir, 'page-1.png'));
	assert.equal(png.subarray(1, 4).toString(), 'PNG');
	const gray = execFileSync('pdftoppm', ['-gray', '-r', '50', '-f', '1', '-l', '1', file]);
	const ink = inkShare(gray);
	assert.ok(ink > 0.005 && ink < 0.5, `page 1 is neither blank nor black: ${(ink * 100).toFixed(2)} % dark`);
	const text = execFileSync('pdftotext', [file, '-']).toString();
	assert.match(text, /Statistikk – Norge/);
	assert.match(text, new RegExp(`Side 1 av ${pages}\\b`));
	assert.match(text, new RegExp(`Side ${pages} av ${pages}\\b`));
	assert.match(text, /Skoleår/);
	assert.match(text, /Rådgiver/);
	assert.match(text, /Økonomi/);
	assert.match(text, /skjult for å verne enkeltelever/);
	for (const y of [prevYear, year]) assert.ok(text.includes(y), `the trend has ${y}`);
	const en = path.join(dir, 'akershus-en.pdf');
	await exportTo(en, ['--unit', 'P-AKERSHUS', '--format', 'pdf', '--lang', 'en']);
	const enText = execFileSync('pdftotext', [en, '-']).toString();
	assert.match(enText, /Pilot Akershus \(Jessheim og Skedsmo\)/);
	assert.match(enText, /Page 1 of \d+/);
	assert.match(enText, /Students followed up/);
});

test('a written export replaces its target whole and leaves no temporary file behind', async () => {
	const file = path.join(dir, 'replace', 'out.csv');
	fs.mkdirSync(path.dirname(file));
	fs.writeFileSync(file, 'old\n');
	await exportTo(file, ['--unit', 'P-AKERSHUS', '--format', 'csv']);
	assert.match(fs.readFileSync(file, 'utf8'), /^school_year,/);
	assert.deepEqual(fs.readdirSync(path.dirname(file)), ['out.csv']);
	// A failed export (no such unit) leaves the old file as it was.
	const r = await L.cli(['stats', '--db', demo.db, '--year', year, '--unit', 'P-NOWHERE', '--format', 'pdf', '--out', file]);
	assert.equal(r.code, 2);
	assert.match(fs.readFileSync(file, 'utf8'), /^school_year,/);
	assert.deepEqual(fs.readdirSync(path.dirname(file)), ['out.csv']);
});

test('clear errors: no published release, unknown unit, unwritable path, binary without --out', async () => {
	const cases = [
		[['--year', '2010/11', '--format', 'csv'], /no published release for 2010\/11/],
		[['--year', year, '--unit', 'P-NOWHERE', '--format', 'csv'], /unit P-NOWHERE is not in the published release/],
		[['--year', year, '--unit', 'P-NOWHERE'], /unit P-NOWHERE is not in the published release/],
		[['--year', year, '--format', 'pdf', '--out', path.join(dir, 'no-such-dir', 'x.pdf')], /cannot write .*no-such-dir.*No such file/],
		[['--year', year, '--format', 'xlsx'], /needs --out PATH/],
		[['--year', year, '--format', 'ods', '--out', 'x'], /--format: json, csv, xlsx or pdf/],
		[['--year', year, '--format', 'csv', '--lang', 'de'], /--lang: nb or en/],
	];
	for (const [args, want] of cases) {
		const r = await L.cli(['stats', '--db', demo.db, ...args]);
		assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
		assert.match(r.stderr, want);
		assert.equal(r.stdout, '');
	}
	assert.ok(!fs.existsSync(path.join(dir, 'no-such-dir')));
});

test('--out - pipes a PDF; JSON is the release\'s cells as before', async () => {
	const r = execFileSync(L.BIN, ['stats', '--db', demo.db, '--year', year, '--format', 'pdf', '--out', '-'], { env: { ...process.env, ...L.FAST_ENV } });
	assert.equal(r.subarray(0, 5).toString(), '%PDF-');
	const j = JSON.parse((await L.cliOk(['stats', '--db', demo.db, '--year', year, '--unit', 'P-AKERSHUS'])).stdout);
	assert.deepEqual(Object.keys(j), ['cells', 'inputs_hash', 'protection', 'release_version', 'school_year', 'unit']);
	assert.equal(j.unit, 'P-AKERSHUS');
	assert.ok(Object.keys(j.cells).every((k) => k.endsWith('|P-AKERSHUS')));
});
