// The students' rights (docs/privacy.md): the subject-access export as PDF; withdrawing the
// registration consent erases the student after a confirmation, leaving no trace of them in the
// database file, its WAL or shared-memory file, and published releases byte for byte as they
// were; `elevlos retention run` while the server runs: a dry run changes nothing, a run erases
// who is due, a second run does nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import * as L from './lib.mjs';

let demo, srv, fix;
const c = {};

before(async () => {
	demo = await L.demoDb();
	srv = await L.startServer(demo.db);
	for (const u of ['veileder', 'veileder.oslo', 'radgiver', 'analytiker']) {
		c[u] = srv.client();
		await c[u].loginOk(u, demo.users[u].password);
	}
	fix = await L.recordFixture(c.veileder, c.radgiver);
});

after(async () => {
	await srv?.stop();
});

const g = (fn) => L.guarded(() => srv, fn);
const sql = (q) => execFileSync('sqlite3', [demo.db, q], { stdio: 'pipe' }).toString().trim();
const files = () => ['', '-wal', '-shm'].map((x) => demo.db + x).filter((f) => fs.existsSync(f));
const occurrences = (needle) => {
	let n = 0;
	for (const f of files()) {
		const b = fs.readFileSync(f);
		for (let i = b.indexOf(needle); i >= 0; i = b.indexOf(needle, i + 1)) n++;
	}
	return n;
};

async function pdf(client, path) {
	const res = await fetch(srv.base + path, { headers: { Cookie: client.cookieHeader() } });
	const dir = L.tempDir('elevlos-sar-');
	const file = `${dir}/x.pdf`;
	fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
	return { res, file };
}

test('the subject-access export as PDF holds the record, the notes and the access-log rows, with page numbers', g(async () => {
	const page = await c.veileder.get(`/students/${fix.pseudonym}/access`);
	assert.equal(page.status, 200);
	assert.ok(page.text.includes(`href="/students/${fix.pseudonym}/export?format=pdf"`), 'the access report links the PDF');
	const before = Number(sql(`SELECT count(*) FROM access_log WHERE action = 'export' AND object = 'student:${fix.pseudonym}'`));
	const { res, file } = await pdf(c.veileder, `/students/${fix.pseudonym}/export?format=pdf`);
	assert.equal(res.status, 200);
	assert.equal(res.headers.get('content-type'), 'application/pdf');
	assert.match(res.headers.get('content-disposition'), new RegExp(`elevlos-innsyn-${fix.pseudonym}\\.pdf`));
	assert.equal(Number(sql(`SELECT count(*) FROM access_log WHERE action = 'export' AND object = 'student:${fix.pseudonym}'`)),
		before + 1, 'the PDF export is logged like the JSON one');
	const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file]).toString())[1]);
	assert.ok(pages >= 1);
	const pt = execFileSync('pdftotext', [file, '-']).toString();
	for (const s of [`Innsyn: alt elevlos har om ${fix.pseudonym}`, 'Fixture Elev', 'fixture note', 'Fødselsår', '2005',
		'Samtykker', 'REGISTRERING', 'DELING', 'Saker', 'OKONOMI', 'SOSTJL_18', 'TILRETTELAGT', 'Endringshistorikk',
		'Tilgangsloggen', 'Registrert', 'Eksportert', `Side 1 av ${pages}`])
		assert.ok(pt.includes(s), `the PDF says ${s}`);
	// Every access-log row of the JSON export is a line of the PDF (its object and who).
	const j = await c.veileder.get(`/students/${fix.pseudonym}/export`);
	assert.equal(j.status, 200);
	const rows = j.json.access_log;
	assert.ok(rows.length >= 5, `access rows: ${rows.length}`);
	const lines = pt.split('\n').filter((l) => l.includes(' · veileder (veileder, '));
	assert.ok(lines.length >= rows.length - 1, `PDF access lines ${lines.length} for ${rows.length} rows (the JSON's own export row is newer)`);
	// In English, too.
	const en = srv.client();
	await en.loginOk('veileder', demo.users.veileder.password);
	await en.post('/language', { form: { csrf: en.csrf, lang: 'en', next: '/start' } });
	const e = await pdf(en, `/students/${fix.pseudonym}/export?format=pdf`);
	const et = execFileSync('pdftotext', [e.file, '-']).toString();
	assert.ok(et.includes(`Subject access: everything elevlos holds about ${fix.pseudonym}`) && /Page 1 of \d+/.test(et), et.slice(0, 400));
	assert.equal((await c.veileder.get(`/students/${fix.pseudonym}/export?format=xlsx`)).status, 422);
	assert.equal((await c['veileder.oslo'].get(`/students/${fix.pseudonym}/export?format=pdf`)).status, 404, 'another pilot: none');
}));

test('withdrawing the registration consent asks first, then erases the student and leaves no trace', g(async () => {
	const day = L.today(-20);
	const MARK = 'Zq9Marker';
	const s = await L.apiOk(c.veileder, 'POST', '/api/v1/students', {
		student_name: `Navn ${MARK}Name`, fnr: '', birth_year: '2006', gender: 'MANN', school: 'S-JESSHEIM',
		consent_on: day, consent_by: 'ELEV' }, 201);
	const p = s.pseudonym;
	const reg = s.consents.find((x) => x.kind === 'REGISTRERING').id;
	const ref = await L.apiOk(c.radgiver, 'POST', '/api/v1/referrals',
		{ student_name: `Henvist ${MARK}Ref`, main_reason: 'FRAVAER', consent_by: 'ELEV', level: 'VG1' }, 201);
	const k = await L.apiOk(c.veileder, 'POST', `/api/v1/referrals/${ref.id}/accept`,
		{ student: p, main_reason: 'FRAVAER', consent_on: day, consent_by: 'ELEV' }, [200, 201]);
	await L.apiOk(c.veileder, 'POST', `/api/v1/cases/${k.id}/contacts`,
		{ contact_kind: 'SAMTALE', on_date: L.today(0), minutes: '20', note: `Notat ${MARK}Note om eleven` }, 201);
	await L.apiOk(c.veileder, 'POST', `/api/v1/cases/${k.id}/decisions`,
		{ decision: 'SOSTJL_18', granted: 'true', on_date: L.today(0), duration: 'ENGANG' }, 201);
	await L.apiOk(c.veileder, 'POST', `/api/v1/cases/${k.id}/measures`,
		{ side: 'nav', measure: 'SOMMERJOBB', start_on: L.today(0) }, 201);
	const oslo = c['veileder.oslo'];
	const gl = await oslo.post('/glass', { form: { csrf: oslo.csrf, student: p, purpose: `Dekker for ${MARK}Glass i dag` } });
	assert.equal(gl.status, 303);
	// What is about the student in the file before: the sealed bytes too (name, note, referral).
	const sealed = sql(`SELECT hex(name_sealed) FROM student WHERE pseudonym = '${p}'`
		+ ` UNION ALL SELECT hex(note_sealed) FROM contact WHERE sak_id = ${k.id}`
		+ ` UNION ALL SELECT hex(name_sealed) FROM referral WHERE id = ${ref.id}`).split('\n');
	assert.equal(sealed.length, 3);
	const needles = [...sealed.map((h) => Buffer.from(h, 'hex').subarray(0, 40)), Buffer.from(`${MARK}Glass`)];
	sql('PRAGMA wal_checkpoint(PASSIVE)');
	for (const n of needles) assert.ok(occurrences(n) > 0, 'the scan finds what is there');
	// A published release, byte for byte.
	const rel = await L.releaseFixture(demo.db, c.analytiker);
	const relBefore = sql(`SELECT hex(content) || ' ' || inputs_hash || ' ' || status FROM release WHERE id = ${rel.id}`);
	const relSha = crypto.createHash('sha256').update(relBefore).digest('hex');

	// The page asks first; nothing is written.
	let r = await c.veileder.post(`/students/${p}/consents/${reg}/withdraw`, { form: { csrf: c.veileder.csrf } });
	assert.equal(r.status, 200);
	assert.ok(r.text.includes('Trekke samtykket og slette eleven?'), r.text.slice(0, 500));
	assert.ok(r.text.includes('Publisert statistikk endres ikke'));
	assert.ok(r.text.includes('name="erase" value="true"'));
	assert.equal(sql(`SELECT count(*) FROM consent WHERE id = ${reg} AND withdrawn_on IS NULL`), '1');
	assert.equal((await c.veileder.get(`/students/${p}`)).status, 200);
	// So does the API.
	r = await c.veileder.req('POST', `/api/v1/students/${p}/consents/${reg}/withdraw`, { json: {}, csrf: c.veileder.csrf });
	assert.equal(r.status, 409);
	assert.match(r.text, /erase=true/);
	// A sharing consent is withdrawn without erasing anything.
	assert.equal((await c.veileder.post(`/students/${fix.pseudonym}/consents/${fix.consent}/withdraw`,
		{ form: { csrf: c.veileder.csrf } })).status, 303);
	assert.equal((await c.veileder.get(`/students/${fix.pseudonym}`)).status, 200);

	r = await c.veileder.post(`/students/${p}/consents/${reg}/withdraw`, { form: { csrf: c.veileder.csrf, erase: 'true' } });
	assert.equal(r.status, 303);
	assert.equal(r.location, '/caseload?ok=consent.erased');
	assert.ok((await c.veileder.get(r.location)).text.includes('eleven er slettet fra elevlos'));
	assert.equal((await c.veileder.get(`/students/${p}`)).status, 404);
	assert.equal((await c.veileder.get(`/cases/${k.id}`)).status, 404);
	assert.equal(sql(`SELECT erased_why || ' ' || (name_sealed IS NULL) || (birth_year IS NULL) FROM student WHERE pseudonym = '${p}'`),
		'consent 11', 'a tombstone');
	assert.equal(sql(`SELECT count(*) FROM sak WHERE id = ${k.id}`), '0');
	assert.equal(sql(`SELECT count(*) FROM referral WHERE id = ${ref.id}`), '0');
	assert.equal(sql(`SELECT count(*) FROM consent c JOIN student s ON s.id = c.student_id WHERE s.pseudonym = '${p}'`), '0');
	assert.equal(sql(`SELECT count(*) FROM change c JOIN student s ON s.id = c.student_id WHERE s.pseudonym = '${p}'`), '0');
	const erased = sql(`SELECT object || ' ' || purpose || ' ' || username FROM access_log WHERE action = 'erase' ORDER BY seq`).split('\n');
	assert.ok(erased.includes(`student:${p} consent withdrawn veileder`) && erased.includes(`case:${k.id} consent withdrawn veileder`)
		&& erased.includes(`referral:${ref.id} consent withdrawn veileder`), erased.join('\n'));
	await L.auditVerify(demo.db);
	for (const n of needles) assert.equal(occurrences(n), 0, `no trace of ${n.toString('hex').slice(0, 16)}… in ${files().join(', ')}`);
	assert.equal(sql('PRAGMA integrity_check'), 'ok');
	// The release is as it was.
	const relAfter = sql(`SELECT hex(content) || ' ' || inputs_hash || ' ' || status FROM release WHERE id = ${rel.id}`);
	assert.equal(crypto.createHash('sha256').update(relAfter).digest('hex'), relSha);
	assert.ok(relAfter.endsWith(' published'));
	// The other students are untouched: the fixture's note still opens.
	const other = await c.veileder.get(`/api/v1/contacts/${fix.contact}`);
	assert.equal(other.status, 200);
	assert.equal(other.json.note, 'fixture note');
	// The opening stays for the pilot's leaders, its words gone.
	assert.equal(sql(`SELECT reason FROM glass_access g JOIN student s ON s.id = g.student_id WHERE s.pseudonym = '${p}'`),
		'[slettet / erased]');
}));

test('elevlos retention run beside the running server: a dry run changes nothing, a run erases who is due, a second nothing', g(async () => {
	const mk = async (closedAgo) => {
		const s = await L.apiOk(c.veileder, 'POST', '/api/v1/students', {
			student_name: 'Gammel Sak', birth_year: '2004', school: 'S-JESSHEIM', consent_on: L.today(-900), consent_by: 'ELEV' }, 201);
		const k = await L.apiOk(c.veileder, 'POST', `/api/v1/students/${s.pseudonym}/cases`,
			{ referral_source: 'ELEV', opened_on: L.today(-880), main_reason: 'OKONOMI' }, 201);
		await L.apiOk(c.veileder, 'POST', `/api/v1/cases/${k.id}/contacts`,
			{ contact_kind: 'SAMTALE', on_date: L.today(-870), note: 'Zq9Retention note' }, 201);
		await L.apiOk(c.veileder, 'POST', `/api/v1/cases/${k.id}/close`,
			{ closed_on: L.today(-closedAgo), close_reason: 'AVSLUTTET' }, 200);
		return s.pseudonym;
	};
	const due = await mk(751), kept = await mk(749);
	const args = ['retention', 'run', '--db', demo.db, '--retention-days', '750'];
	const erasedBefore = Number(sql('SELECT count(*) FROM student WHERE erased_on IS NOT NULL'));
	const logBefore = sql('SELECT max(seq) FROM access_log');
	let r = await L.cliOk([...args, '--dry-run']);
	assert.match(r.stdout, /dry run, nothing changed/);
	assert.match(r.stdout, /due: 1 students \(0 consent withdrawn, 1 retention period ended\)/);
	assert.equal(Number(sql('SELECT count(*) FROM student WHERE erased_on IS NOT NULL')), erasedBefore);
	assert.equal(sql('SELECT max(seq) FROM access_log'), logBefore, 'a dry run writes nothing, not even a log row');
	assert.ok(!r.stdout.includes(due) && !r.stdout.includes('Gammel'), 'counts only: no pseudonym, no name');
	r = await L.cliOk(args);
	assert.match(r.stdout, /erased: 1 students/);
	assert.ok(!r.stdout.includes(due) && !r.stderr.includes(due));
	assert.equal((await c.veileder.get(`/students/${due}`)).status, 404);
	assert.equal((await c.veileder.get(`/students/${kept}`)).status, 200);
	assert.equal(sql(`SELECT erased_why FROM student WHERE pseudonym = '${due}'`), 'retention');
	assert.equal(sql(`SELECT username || ' ' || purpose FROM access_log WHERE action = 'erase' AND object = 'student:${due}'`),
		'cli retention period ended');
	r = await L.cliOk(args);
	assert.match(r.stdout, /due: 0 students/);
	assert.match(r.stdout, /erased: 0 students/);
	assert.equal(fs.statSync(demo.db + '-wal', { throwIfNoEntry: false })?.size ?? 0, 0, 'the WAL is emptied');
	await L.auditVerify(demo.db);
	// The server goes on serving and writing.
	assert.equal((await c.veileder.get(`/students/${kept}`)).status, 200);
}));
