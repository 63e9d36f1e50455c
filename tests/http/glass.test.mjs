// Break the glass: a counsellor of another pilot opens one student after stating why, for a
// while; everything done then is flagged in the access log and listed for the student's pilot's
// leaders; nothing else of that pilot opens, and the opening ends.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as L from './lib.mjs';

let demo, srv, fix, other;
const c = {};

before(async () => {
	demo = await L.demoDb();
	srv = await L.startServer(demo.db);
	for (const u of ['veileder', 'veileder.oslo', 'radgiver', 'leder', 'analytiker']) {
		c[u] = srv.client();
		await c[u].loginOk(u, demo.users[u].password);
	}
	fix = await L.recordFixture(c.veileder, c.radgiver);
	// Another Akershus student, which the glass does not open.
	other = (await L.apiOk(c.veileder, 'POST', '/api/v1/students', { student_name: 'Annen Elev', birth_year: '2006',
		school: 'S-JESSHEIM', consent_on: L.today(-3), consent_by: 'ELEV' }, 201)).pseudonym;
});

after(async () => {
	await srv?.stop();
});

const g = (fn) => L.guarded(() => srv, fn);
const sql = (q) => execFileSync('sqlite3', [demo.db, q], { stdio: 'pipe' }).toString().trim();
const oslo = () => c['veileder.oslo'];
const open = (form) => oslo().post('/glass', { form: { ...form, csrf: oslo().csrf } });
const REASON = 'Dekker for Kari som er syk denne uka';

test('outside their pilot a counsellor sees nothing until they break the glass with a reason', g(async () => {
	assert.equal((await oslo().get(`/students/${fix.pseudonym}`)).status, 404);
	assert.equal((await oslo().get(`/cases/${fix.case}`)).status, 404);
	let r = await open({ student: fix.pseudonym, purpose: 'syk' });
	assert.equal(r.status, 422, 'a reason of at least 10 characters');
	assert.ok(r.text.includes('href="#f-purpose"'));
	r = await open({ student: 'E-ZZZZZZ', purpose: REASON });
	assert.equal(r.status, 404);
	assert.ok(r.text.includes('Fant ingen elev med det pseudonymet.'));
	assert.equal(sql("SELECT count(*) FROM access_log WHERE action = 'break_glass_refused' AND object = 'student:E-ZZZZZZ'"), '1',
		'the failed attempt is logged');
	assert.equal(sql('SELECT count(*) FROM glass_access'), '0');
	r = await open({ student: fix.pseudonym, purpose: REASON });
	assert.equal(r.status, 303);
	assert.match(r.location, new RegExp(`/students/${fix.pseudonym}\\?ok=glass.opened`));
	r = await oslo().get(`/students/${fix.pseudonym}`);
	assert.equal(r.status, 200);
	assert.ok(r.text.includes('Du har åpnet denne eleven som vikar fra en annen pilot'));
	assert.equal((await oslo().get(`/cases/${fix.case}`)).status, 200, "the student's case opens too");
	assert.equal((await oslo().get(`/api/v1/contacts/${fix.contact}`)).status, 200, 'and what is in it');
	assert.equal((await oslo().get(`/students/${other}`)).status, 404, 'one student, not the pilot');
	// What they do is flagged.
	r = await oslo().post(`/cases/${fix.case}/contacts`, { form: { csrf: oslo().csrf, contact_kind: 'TELEFON', on_date: L.today(0) } });
	assert.equal(r.status, 303);
	const flagged = sql("SELECT action || ' ' || object FROM access_log WHERE username = 'veileder.oslo' AND outcome = 'glass' ORDER BY seq").split('\n');
	assert.ok(flagged.includes(`break_glass student:${fix.pseudonym}`));
	assert.ok(flagged.includes(`read student:${fix.pseudonym}`));
	assert.ok(flagged.includes(`read case:${fix.case}`));
	assert.ok(flagged.some((x) => x.startsWith('create contact:')), `the contact added is flagged: ${flagged}`);
	// The reason is kept with the opening, which erasing the student can overwrite; the append-only
	// log names the opening, never the words (they may name the student).
	assert.equal(sql(`SELECT purpose FROM access_log WHERE action = 'break_glass'`),
		`glass:${sql('SELECT id FROM glass_access')}`, 'the log names the opening');
	assert.equal(sql(`SELECT reason FROM glass_access`), REASON, 'the reason is kept with the opening');
	assert.equal(sql(`SELECT count(*) FROM access_log WHERE purpose LIKE '%Kari%'`), '0');
	await L.auditVerify(demo.db);
}));

test("the student's pilot's leaders see every opening; others do not; the student's access report shows it", g(async () => {
	let r = await c.leder.get('/glass/log');
	assert.equal(r.status, 200);
	const t = r.text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
	assert.ok(t.includes(`veileder.oslo (P-STOVNER) ${fix.pseudonym} ${REASON}`), t.slice(0, 2000));
	const stovner = srv.client();
	await L.addUser(demo.db, 'leder.stovner', 'leder', 'P-STOVNER', 'a password of some length');
	await stovner.loginOk('leder.stovner', 'a password of some length');
	r = await stovner.get('/glass/log');
	assert.ok(r.text.includes('Ingen elever er åpnet av vikarer.'), "another pilot's leader sees none of it");
	for (const who of ['veileder', 'analytiker', 'radgiver']) assert.equal((await c[who].get('/glass/log')).status, 403, who);
	r = await c.veileder.get(`/students/${fix.pseudonym}/access`);
	assert.ok(r.text.includes('Åpnet som vikar fra en annen pilot') && r.text.includes(REASON));
	for (const who of ['radgiver', 'leder', 'analytiker']) {
		const x = await c[who].post('/glass', { form: { csrf: c[who].csrf, student: fix.pseudonym, purpose: REASON } });
		assert.equal(x.status, 403, `${who} may not break the glass`);
	}
}));

test('the opening ends: after it has expired the record is closed again', g(async () => {
	sql("UPDATE glass_access SET expires_at = '2000-01-01T00:00:00Z'");
	assert.equal((await oslo().get(`/students/${fix.pseudonym}`)).status, 404);
	assert.equal((await oslo().get(`/cases/${fix.case}`)).status, 404);
	assert.throws(() => sql('DELETE FROM glass_access'), /kept/);
	// Breaking it for one's own pilot's student grants nothing: the page is simply there.
	const own = await c.veileder.post('/glass', { form: { csrf: c.veileder.csrf, student: fix.pseudonym, purpose: REASON } });
	assert.equal(own.status, 303);
	assert.equal(sql("SELECT count(*) FROM glass_access WHERE account_id = (SELECT id FROM account WHERE username = 'veileder')"), '0');
}));
