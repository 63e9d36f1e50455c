// The evaluation's downloads on the demo's synthetic Udir figures, as an analyst: the pilot
// schools and one school's trend as XLSX, converted by LibreOffice and compared with the CSV the
// same page gives (":" where the CSV is empty); the trend's workbook carries a line chart; the
// estimate as an A4 PDF that renders (pdftoppm) with the title, "Side 1 av N", the overall
// estimate as the JSON API gives it and Norwegian letters (pdftotext); other formats are 400.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as L from '../http/lib.mjs';
import { parseCsv, inkShare } from '../lib/files.mjs';

const JESSHEIM = '990000018';
let demo, srv, dir, analyst;
const files = {};

/* A download that must succeed: the bytes, with its type and attachment name checked. */
async function download(url, type, name) {
	const r = await fetch(srv.base + url, { headers: { Cookie: analyst.cookieHeader() } });
	assert.equal(r.status, 200, `${url}: ${r.status}`);
	assert.equal(r.headers.get('content-type'), type, url);
	assert.equal(r.headers.get('content-disposition'), `attachment; filename="${name}"`, url);
	return Buffer.from(await r.arrayBuffer());
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const year = (y) => `${y}/${String((y + 1) % 100).padStart(2, '0')}`;

before(async () => {
	dir = L.tempDir('elevlos-evalx-');
	demo = await L.demoDb(dir);
	srv = await L.startServer(demo.db);
	analyst = srv.client();
	await analyst.loginOk('analytiker', demo.users.analytiker.password);
	files.schools = path.join(dir, 'schools.xlsx');
	fs.writeFileSync(files.schools, await download('/evaluation/schools?track=yrkesfag&format=xlsx', XLSX,
		'elevlos-pilot-schools-2016-2017.xlsx'));
	files.trend = path.join(dir, 'trend.xlsx');
	fs.writeFileSync(files.trend, await download(`/evaluation/schools/${JESSHEIM}?track=yrkesfag&format=xlsx`, XLSX,
		`elevlos-school-${JESSHEIM}-yrkesfag.xlsx`));
	// Both workbooks in one LibreOffice run (a private profile): every sheet to its own CSV
	// (token 12: -1), cells as shown (token 9), UTF-8 (76).
	execFileSync('libreoffice', [`-env:UserInstallation=file://${path.join(dir, 'lo-profile')}`, '--headless',
		'--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1',
		'--outdir', path.join(dir, 'lo'), files.schools, files.trend], { stdio: 'pipe', timeout: 180000 });
});

after(async () => {
	await srv?.stop();
});

const g = (fn) => L.guarded(() => srv, fn);
const sheet = (name) => parseCsv(fs.readFileSync(path.join(dir, 'lo', `${name}.csv`), 'utf8'));

/* A share cell of the workbook against the CSV's field: the mark for an empty one, else the
 * same number with one decimal. */
function sameShare(got, want, what) {
	if (want === '') assert.equal(got, ':', `${what}: an unpublished share shows the mark`);
	else assert.equal(got, want, what);
}

test('pilot schools XLSX: the CSV\'s rows, classes counted in "Oversikt", ":" and its legend', g(async () => {
	const csv = parseCsv((await analyst.get('/evaluation/schools?track=yrkesfag&format=csv')).text);
	const head = csv.shift();
	assert.equal(head.join(','), 'orgnr,name,pilot,county_2024,start,end,share_from,share_to,class,share_before_start,share_last');
	assert.equal(csv.length, 28);

	const overview = sheet('schools-Oversikt');
	assert.equal(overview[0][0], 'Pilotskolene – Yrkesfag');
	assert.equal(overview[1][0], 'Pilotskoler etter endring 2016/17 → 2017/18');
	const counts = Object.fromEntries(overview.slice(4, 8).map((r) => [r[0], Number(r[1])]));
	const n = (cls) => csv.filter((r) => r[8] === cls).length;
	assert.deepEqual(counts, { Falt: n('fell'), Økte: n('rose'), Uendret: n('same'), 'Ikke publisert tall': n('none') });
	assert.deepEqual([counts.Falt, counts.Økte, counts['Ikke publisert tall']], [8, 4, 10], 'as the trial\'s report');

	const rows = sheet('schools-Pilotskoler');
	assert.deepEqual(rows[3], ['Organisasjonsnummer', 'Skole', 'Pilot', 'Fylke (2024)', 'Startår', 'Sluttår', '2016/17',
		'2017/18', 'Endring', 'Året før start', 'Siste pilotår']);
	const body = rows.slice(4, 4 + csv.length);
	const label = { fell: 'Falt', rose: 'Økte', same: 'Uendret', none: 'Ikke publisert tall' };
	let marks = 0, numbers = 0;
	csv.forEach((want, i) => {
		const got = body[i];
		const what = `${want[0]} ${want[1]}`;
		assert.deepEqual(got.slice(0, 4), want.slice(0, 4), `${what}: orgnr (text, leading digits kept), name, pilot, county`);
		assert.equal(got[4], year(Number(want[4])), `${what}: start`);
		assert.equal(got[5], want[5] === '' ? '' : year(Number(want[5])), `${what}: end`);
		for (const [col, csvCol] of [[6, 6], [7, 7], [9, 9], [10, 10]]) {
			sameShare(got[col], want[csvCol], `${what}: column ${col}`);
			if (want[csvCol] === '') marks++;
			else numbers++;
		}
		assert.equal(got[8], label[want[8]], `${what}: class`);
	});
	assert.ok(marks >= 20 && numbers > 50, `marks ${marks}, numbers ${numbers}`);
	assert.ok(body.some((r) => /Alta/.test(r[1]) && r[6] === '9.3' && r[7] === '6.3' && r[8] === 'Falt'), 'Alta 9.3 → 6.3');
	const legend = rows.find((r, i) => i > 4 + csv.length - 1 && r[0] === ':');
	assert.ok(legend && /Udir publiserte ikke tallet/.test(legend[1]), 'a legend line under the table');
}));

test('school trend XLSX: the CSV\'s shares with ":" for unpublished, and a line chart', g(async () => {
	const csv = parseCsv((await analyst.get(`/evaluation/schools/${JESSHEIM}?track=yrkesfag&format=csv`)).text);
	assert.deepEqual(csv.shift(), ['school_year', 'school', 'county', 'nation']);
	const rows = sheet('trend-Andel som sluttet');
	assert.equal(rows[0][0], 'Jessheim videregående skole');
	assert.deepEqual(rows[3].slice(0, 4), ['Skoleår', 'Jessheim videregående skole', 'Fylket', 'Hele landet']);
	const body = rows.slice(4, 4 + csv.length);
	csv.forEach((want, i) => {
		assert.equal(body[i][0], want[0]);
		for (let k = 1; k <= 3; k++) sameShare(body[i][k], want[k], `${want[0]} column ${k}`);
	});
	assert.ok(body.some((r) => r[0] === '2015/16' && r[1] === '10.4'));
	assert.ok(rows.some((r) => r[0] === ':' && /Udir publiserte ikke tallet/.test(r[1])), 'the legend');
	// A native chart: a chart part in the zip, a line chart over the hidden data sheet.
	const zip = fs.readFileSync(files.trend).toString('latin1');
	assert.ok(zip.includes('xl/charts/chart1.xml'), 'the workbook holds a chart');
	const data = sheet('trend-Diagramdata');
	assert.deepEqual(data[0].slice(0, 4), ['Skoleår', 'Jessheim videregående skole', 'Fylket', 'Hele landet']);
	assert.equal(data.length - 1, csv.length, 'the chart\'s data: one row per school year');
	csv.forEach((want, i) => assert.deepEqual(data[i + 1].slice(0, 4), want, 'empty (a gap) where unpublished'));
}));

/* The share of dark pixels of a PGM (P5) image. */
const signed = (v) => (v >= 0 ? '+' : '') + v.toFixed(2);

test('PDF: A4, renders, the title, "Side 1 av N", the JSON\'s overall estimate, Norwegian letters', g(async () => {
	const file = path.join(dir, 'evaluation.pdf');
	const bytes = await download('/evaluation?track=yrkesfag&format=pdf', 'application/pdf', 'elevlos-evaluation-yrkesfag.pdf');
	assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
	fs.writeFileSync(file, bytes);
	const info = execFileSync('pdfinfo', [file]).toString();
	const pages = Number(/Pages:\s+(\d+)/.exec(info)[1]);
	assert.ok(pages >= 1, `pages: ${pages}`);
	assert.match(info, /Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)/);
	execFileSync('pdftoppm', ['-png', '-r', '50', '-f', '1', '-l', '1', file, path.join(dir, 'page')]);
	const png = fs.readFileSync(path.join(dir, pages >= 10 ? 'page-01.png' : 'page-1.png'));
	assert.equal(png.subarray(1, 4).toString(), 'PNG');
	const ink = inkShare(execFileSync('pdftoppm', ['-gray', '-r', '50', '-f', '1', '-l', '1', file]));
	assert.ok(ink > 0.005 && ink < 0.5, `page 1 is neither blank nor black: ${(ink * 100).toFixed(2)} % dark`);

	const text = execFileSync('pdftotext', [file, '-']).toString();
	assert.match(text, /Evaluering: virker NAV-veileder i skolen\?/);
	assert.match(text, new RegExp(`Side 1 av ${pages}\\b`));
	assert.match(text, new RegExp(`Side ${pages} av ${pages}\\b`));
	const j = await L.apiOk(analyst, 'GET', '/api/v1/evaluation?track=yrkesfag', undefined, 200);
	for (const k of ['overall', 'simple', 'twfe']) {
		assert.ok(text.includes(signed(j[k].estimate)), `${k} ${signed(j[k].estimate)} in the PDF`);
		assert.ok(text.includes(`${j[k].low.toFixed(2)} – ${j[k].high.toFixed(2)}`), `${k}'s interval`);
	}
	const layout = execFileSync('pdftotext', ['-layout', file, '-']).toString();
	assert.match(layout, /Pilotskoler\s+28\n/);
	assert.match(layout, new RegExp(`Sammenligningsskoler \\(aldri\\s+${j.control_schools}\\n`));
	assert.ok(text.includes(`B = ${j.bootstrap.replicates}, seed ${j.bootstrap.seed}`));
	for (const c of j.cohorts) assert.ok(text.includes(c.start), `the cohort ${c.start}`);
	assert.match(text, /Effekt per år før og etter start/);
	assert.match(text, /Før start \(placebo\)/);
	assert.match(text, /Sammenligningsskoler/);
	assert.match(text, /Økonomi|Årene før start|sluttet/);
	assert.match(text, /æ/);
	assert.match(text, /ø/);
	assert.match(text, /å/);
	if (j.warning) assert.match(text, /forutsetningen om parallelle trender|motsatt fortegn/);
	if (j.notes.includes('small_cohort')) assert.match(text, /færre enn ti skoler/);

	const en = srv.client();
	await en.loginOk('analytiker', demo.users.analytiker.password);
	en.jar.set('elevlos_lang', 'en');
	const r = await fetch(`${srv.base}/evaluation?track=yrkesfag&format=pdf`, { headers: { Cookie: en.cookieHeader() } });
	assert.equal(r.status, 200);
	const enFile = path.join(dir, 'evaluation-en.pdf');
	fs.writeFileSync(enFile, Buffer.from(await r.arrayBuffer()));
	const enText = execFileSync('pdftotext', [enFile, '-']).toString();
	assert.match(enText, /Evaluation: do NAV counsellors in schools work\?/);
	assert.match(enText, /Page 1 of \d+/);
}));

test('the pages link the downloads; any other format is 400', g(async () => {
	const p = await analyst.get('/evaluation?track=yrkesfag');
	assert.match(p.text, /href="\/evaluation\?track=yrkesfag&amp;format=pdf"[^>]*>Last ned som PDF</);
	const s = await analyst.get('/evaluation/schools?track=yrkesfag');
	assert.match(s.text, /href="\/evaluation\/schools\?track=yrkesfag&amp;from=2016&amp;to=2017&amp;format=xlsx"[^>]*>Last ned som Excel/);
	const one = await analyst.get(`/evaluation/schools/${JESSHEIM}?track=yrkesfag`);
	assert.match(one.text, new RegExp(`href="/evaluation/schools/${JESSHEIM}\\?track=yrkesfag&amp;format=xlsx"`));
	for (const url of ['/evaluation?format=xlsx', '/evaluation?format=csv', '/evaluation?format=docx',
		'/evaluation/schools?format=pdf', `/evaluation/schools/${JESSHEIM}?format=pdf`, '/evaluation/schools?format=ods'])
		assert.equal((await analyst.get(url)).status, 400, url);
}));
