// The student and case pages hold several forms, some with the same field names. A refused POST
// answers with its status and the page again: the form it came from open with the values sent,
// the error summary (role=alert) linking to that form's field, only that field marked, nothing
// written, and the read of the page still in the access log.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as L from './lib.mjs';

let demo, srv, fix;
const c = {};

before(async () => {
	demo = await L.demoDb();
	srv = await L.startServer(demo.db);
	for (const u of ['veileder', 'radgiver']) {
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
const post = (path, form) => c.veileder.post(path, { form: { ...form, csrf: c.veileder.csrf } });
const attrs = (html, id) => (new RegExp(`<(?:input|select|textarea)[^>]*id="${id}"[^>]*>`).exec(html) || [''])[0];

/* The error is linked to field id, which alone is marked; the summary says text. */
function linked(html, id, text) {
	const alert = /<div[^>]*role="alert"[^>]*>([\s\S]*?)<\/div>/.exec(html);
	assert.ok(alert, 'an error summary');
	assert.ok(alert[1].includes(`href="#${id}"`), `the summary links to #${id}: ${alert[1]}`);
	assert.ok(alert[1].includes(text), `the summary says: ${text}`);
	const field = attrs(html, id);
	assert.match(field, /aria-invalid="true"/, `${id} is marked`);
	assert.match(field, new RegExp(`aria-describedby="${id}-error"`));
	assert.ok(html.includes(`id="${id}-error"`), 'the message beside the field');
	assert.equal((html.match(/aria-invalid="true"/g) || []).length, 1, 'only that field is marked');
}

test('a contact dated in the future: the contact form again, its date marked, not the decision form\'s', g(async () => {
	const count = () => sql(`SELECT count(*) FROM contact WHERE sak_id = ${fix.case}`);
	const before0 = count();
	const reads = () => Number(sql(`SELECT count(*) FROM access_log WHERE object = 'case:${fix.case}' AND action = 'read'`));
	const reads0 = reads();
	const r = await post(`/cases/${fix.case}/contacts`, { on_date: L.today(3), contact_kind: 'TELEFON', minutes: '15', note: 'Skrevet før feilen' });
	assert.equal(r.status, 422);
	linked(r.text, 'f-contact-on_date', 'Datoen kan ikke være frem i tid.');
	assert.match(attrs(r.text, 'f-decision-on_date'), /^(?![\s\S]*aria-invalid)/, "the decision form's date is not marked");
	assert.ok(r.text.includes('>Skrevet før feilen</textarea>'), 'the note sent is shown again');
	assert.match(attrs(r.text, 'f-contact-minutes'), /value="15"/);
	assert.match(r.text, /<details class="app-details" open><summary>Registrer kontakt/, 'the contact form is open');
	assert.equal(count(), before0, 'nothing written');
	assert.equal(reads(), reads0 + 1, 'the page shown is a logged read');
}));

test('a measure ending before it starts: the school-side form, its end marked', g(async () => {
	const r = await post(`/cases/${fix.case}/measures`, { side: 'school', measure: 'TILRETTELAGT', start_on: L.today(-2), end_on: L.today(-5) });
	assert.equal(r.status, 422);
	linked(r.text, 'f-school-end_on', 'Slutt kan ikke være før start.');
	assert.match(attrs(r.text, 'f-school-measure'), /id="f-school-measure"/);
	assert.ok(/<option value="TILRETTELAGT" selected>/.test(r.text), 'the measure chosen is kept');
}));

test('a missing field on the case form links to it', g(async () => {
	const r = await post(`/cases/${fix.case}/outcomes`, { school_year: '2017/18' });
	assert.equal(r.status, 422);
	linked(r.text, 'f-outcome-outcome', 'Fyll ut');
	assert.match(attrs(r.text, 'f-outcome-school_year'), /value="2017\/18"/);
}));

test('a consent dated in the future on the student page: the consent form, its date marked', g(async () => {
	const r = await post(`/students/${fix.pseudonym}/consents`, { consent_kind: 'STATISTIKK', consent_on: L.today(2), consent_by: 'ELEV' });
	assert.equal(r.status, 422);
	linked(r.text, 'f-consent-consent_on', 'frem i tid');
	assert.ok(r.text.includes(`value="${L.today(2)}"`), 'the date sent is shown again');
	// In English the same, from the English catalogue.
	const en = srv.client();
	await en.loginOk('veileder', demo.users.veileder.password);
	await en.post('/language', { form: { csrf: en.csrf, lang: 'en', next: '/start' } });
	const e = await en.post(`/students/${fix.pseudonym}/consents`, { form: { csrf: en.csrf, consent_kind: 'STATISTIKK', consent_on: L.today(2), consent_by: 'ELEV' } });
	assert.equal(e.status, 422);
	assert.ok(/role="alert"[\s\S]*?in the future/.test(e.text), 'English');
}));

test("the caseload's quick contact: refused, the caseload again with the student still chosen and the text kept", g(async () => {
	const r = await post('/caseload/contact', { case: String(fix.case), on_date: L.today(5), contact_kind: 'TELEFON', note: 'Ringte mor' });
	assert.equal(r.status, 422);
	linked(r.text, 'f-on_date', 'Datoen kan ikke være frem i tid.');
	assert.ok(new RegExp(`<option value="${fix.case}" selected>`).test(r.text), 'the student chosen is kept');
	assert.ok(r.text.includes('>Ringte mor</textarea>'));
	assert.match(attrs(r.text, 'f-q'), /^(?![\s\S]*aria-invalid)/, 'the search field is not marked');
	const none = await post('/caseload/contact', { contact_kind: 'TELEFON' });
	assert.equal(none.status, 422);
	linked(none.text, 'f-case', 'Fyll ut alle feltene.');
}));

test('declining a referral without a reason: the decline form, its reason marked', g(async () => {
	const r = await post(`/referrals/${fix.referral}/decline`, {});
	assert.equal(r.status, 422);
	linked(r.text, 'f-decline-decline_reason', 'Skriv en begrunnelse.');
	assert.equal(sql(`SELECT status FROM referral WHERE id = ${fix.referral}`), 'NY', 'nothing written');
}));

test('a unit with a taken code: the units form again, the code marked', g(async () => {
	const admin = srv.client();
	await admin.loginOk('admin', demo.users.admin.password);
	const r = await admin.post('/units', { form: { csrf: admin.csrf, code: 'P-AKERSHUS', name: 'Igjen', kind: 'pilot', parent: '02' } });
	assert.equal(r.status, 409);
	linked(r.text, 'f-code', 'finnes');
	assert.match(attrs(r.text, 'f-name'), /value="Igjen"/);
}));

test('a common password is refused on change, linked to the new password, in the reader\'s words', g(async () => {
	const u = srv.client();
	await L.addUser(demo.db, 'common.pw', 'veileder', 'P-AKERSHUS', 'et langt nok passord');
	await u.loginOk('common.pw', 'et langt nok passord');
	const r = await u.post('/account/password', { form: { csrf: u.csrf, password: 'et langt nok passord', new_password: 'Qwerty123456' } });
	assert.equal(r.status, 422);
	linked(r.text, 'f-new_password', 'blant de 10 000 vanligste');
	const ok = await u.post('/account/password', { form: { csrf: u.csrf, password: 'et langt nok passord', new_password: 'sju lange ord er bedre enn ett' } });
	assert.ok([200, 303].includes(ok.status), `an uncommon phrase is taken: ${ok.status}`);
	const cli = await L.cli(['user', 'add', '--db', demo.db, '--username', 'common.cli', '--role', 'veileder', '--unit', 'P-AKERSHUS',
		'--password-stdin'], { input: '1qaz2wsx3edc\n' });
	assert.notEqual(cli.code, 0, 'the CLI refuses it too');
	assert.match(cli.stderr, /common/);
}));

test("a student's access report: every open, search hit, change and export of the record, in words, and only for counsellors", g(async () => {
	const path = `/students/${fix.pseudonym}/access`;
	// A search that shows the student, and one that does not.
	await c.veileder.post('/search', { form: { csrf: c.veileder.csrf, q: 'Fixture Elev' } });
	await c.veileder.post('/search', { form: { csrf: c.veileder.csrf, q: 'Ingen slik elev' } });
	await L.apiOk(c.veileder, 'POST', '/api/v1/students/search', { q: 'fixture' }, 200);
	await c.veileder.get(`/cases/${fix.case}`);
	const exported = await L.cli(['export', 'cases', '--db', demo.db, '--out', `${L.tempDir()}/all.json`]);
	assert.equal(exported.code, 0, exported.stderr);
	const r = await c.veileder.get(path);
	assert.equal(r.status, 200);
	const t = r.text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
	assert.ok(t.includes('Innsynslogg for Fixture Elev'));
	for (const s of ['Registrert Sak', 'Åpnet Sak', 'Oppfølging', 'Vist i et søk Eleven Vist i søkeresultat',
		'Eksportert Alle elever (eksport) Eksport av saksfil', 'Innsynslogg til eleven'])
		assert.ok(t.includes(s), `the report lists: ${s}`);
	const hits = (t.match(/Vist i et søk/g) || []).length;
	assert.equal(hits, 2, 'the page search and the API search that found the student, not the one that did not');
	const rows = Number(sql(`SELECT count(*) FROM access_log WHERE object IN ('student:${fix.pseudonym}', 'case:${fix.case}')`));
	assert.ok((r.text.match(/<tr class="aksel-table__row">/g) || []).length >= rows, 'every row about the student and the case');
	assert.ok(!t.includes('Fixture Henvist'), "another student's rows are not in it");
	for (const who of ['radgiver']) assert.equal((await c[who].get(path)).status, 403);
	const oslo = srv.client();
	await oslo.loginOk('veileder.oslo', demo.users['veileder.oslo'].password);
	assert.equal((await oslo.get(path)).status, 404, "another pilot's counsellor");
}));

test('the subject-access export: everything about the student as JSON, access-log rows included, and itself logged', g(async () => {
	const r = await c.veileder.get(`/students/${fix.pseudonym}/export`);
	assert.equal(r.status, 200);
	assert.match(r.headers.get('content-type'), /^application\/json/);
	assert.match(r.headers.get('content-disposition'), new RegExp(`attachment; filename="elevlos-innsyn-${fix.pseudonym}\\.json"`));
	const j = JSON.parse(r.text);
	assert.equal(j.format, 'elevlos-subject-access/1');
	assert.equal(j.student.pseudonym, fix.pseudonym);
	assert.equal(j.student.name, 'Fixture Elev');
	assert.ok(j.student.consents.length >= 2 && j.student.cases.length >= 1, 'consents and cases');
	const k = j.student.cases.find((x) => x.id === fix.case);
	assert.ok(k.contacts.some((x) => x.note === 'fixture note'), 'the notes, opened');
	assert.ok(j.access_log.some((a) => a.object === `student:${fix.pseudonym}` && a.action === 'read'));
	assert.ok(j.access_log.some((a) => a.object === `case:${fix.case}`));
	const last = j.access_log[j.access_log.length - 1];
	assert.deepEqual([last.action, last.object, last.username], ['export', `student:${fix.pseudonym}`, 'veileder'], 'the export is in itself');
	assert.ok(!j.access_log.some((a) => /student:E-/.test(a.object) && a.object !== `student:${fix.pseudonym}`), 'no other student');
	// The access log is written row by row after the rest: the document keeps its shape.
	assert.deepEqual(Object.keys(j), ['format', 'made_at', 'made_by', 'controller_note', 'student', 'changes', 'access_log']);
	assert.ok(j.access_log.every((a, i) => i === 0 || a.seq > j.access_log[i - 1].seq), 'oldest first, each row once');
	assert.deepEqual(Object.keys(last), ['seq', 'at', 'username', 'role', 'unit', 'action', 'object', 'purpose', 'outcome']);
	const logged = Number(sql(`SELECT count(*) FROM access_log WHERE seq <= ${last.seq} AND (object IN ('student:${fix.pseudonym}', 'case:${fix.case}')` +
		` OR object LIKE 'contact:%' OR object LIKE 'decision:%' OR object LIKE 'measure:%' OR object LIKE 'referral:%' OR (object = 'students' AND action = 'export'))`));
	assert.ok(j.access_log.length >= 3 && j.access_log.length <= logged, `${j.access_log.length} rows of at most ${logged}`);
	assert.equal((await c.radgiver.get(`/students/${fix.pseudonym}/export`)).status, 403);
}));
