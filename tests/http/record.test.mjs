// The registration record over HTTP: scope (pilot B's counsellor gets 404 for every object of
// pilot A), what a school counsellor sees with and without a sharing consent, that analysts and
// administrators see no individual record, consent rules, and encryption at rest.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import * as L from './lib.mjs';

let demo, srv, fix;
const c = {};

before(async () => {
	demo = await L.demoDb();
	srv = await L.startServer(demo.db);
	for (const u of ['veileder', 'veileder.oslo', 'radgiver', 'leder', 'analytiker', 'admin']) {
		c[u] = srv.client();
		await c[u].loginOk(u, demo.users[u].password);
	}
	fix = await L.recordFixture(c.veileder, c.radgiver);
});

after(async () => {
	await srv?.stop();
});

const g = (fn) => L.guarded(() => srv, fn);

/* Every object route of the table, filled with the fixture's objects (all in P-AKERSHUS). */
function objectPaths() {
	return L.routeTableSync().filter((r) => r.roles.includes('veileder') &&
		['student', 'case', 'contact', 'decision', 'measure', 'referral'].includes(r.object))
		.map((r) => ({ ...r, filled: L.fillPath(r.path, L.recordParams(fix, r.path)) }));
}

test('a counsellor of another pilot gets 404 for every object, like for one that does not exist', g(async () => {
	const routes = objectPaths();
	assert.ok(routes.length >= 20, `object routes: ${routes.length}`);
	const missing = { pseudonym: 'E-ZZZZZZ', id: '999999', list: 'reason' };
	for (const r of routes) {
		const other = c['veileder.oslo'];
		const opts = { csrf: other.csrf, ...(r.method === 'GET' ? {} : r.api ? { json: {} } : { form: {} }) };
		const a = await other.req(r.method, r.filled, opts);
		assert.equal(a.status, 404, `${r.method} ${r.filled} as veileder.oslo → ${a.status} ${a.text.slice(0, 120)}`);
		const b = await other.req(r.method, L.fillPath(r.path, missing), opts);
		assert.equal(b.status, 404, `${r.method} ${r.path} missing → ${b.status}`);
		if (r.api) assert.deepEqual(a.json, b.json, `${r.path}: the same answer as for a missing object`);
		// and the owner reaches it
		if (r.method === 'GET') {
			const own = await c.veileder.get(r.filled);
			assert.equal(own.status, 200, `${r.filled} as its own counsellor → ${own.status}`);
		}
	}
	// Nothing of it leaked into the other pilot's lists.
	const list = await c['veileder.oslo'].get('/api/v1/students');
	assert.ok(!list.text.includes(fix.pseudonym));
	const load = await c['veileder.oslo'].get('/api/v1/caseload');
	assert.ok(!load.text.includes(fix.pseudonym) && !load.text.includes('Fixture'));
}));

test('analysts, administrators and leaders see no individual record', g(async () => {
	for (const who of ['analytiker', 'admin', 'leder']) {
		for (const p of [`/api/v1/students/${fix.pseudonym}`, `/api/v1/cases/${fix.case}`, `/api/v1/contacts/${fix.contact}`,
			'/api/v1/caseload', '/api/v1/students', `/students/${fix.pseudonym}`, `/cases/${fix.case}`, `/referrals/${fix.referral}`]) {
			const r = await c[who].get(p);
			assert.equal(r.status, 403, `${who} GET ${p} → ${r.status}`);
			assert.ok(!r.text.includes('Fixture'), `${who} ${p} shows no name`);
		}
	}
}));

test('the school counsellor sees status only, then exactly what a sharing consent covers', g(async () => {
	// A referral, accepted into a new student's case; no sharing consent yet.
	const ref = await L.apiOk(c.radgiver, 'POST', '/api/v1/referrals',
		{ student_name: 'Deling Testesen', main_reason: 'OKONOMI', consent_by: 'ELEV' }, 201);
	const k = await L.apiOk(c.veileder, 'POST', `/api/v1/referrals/${ref.id}/accept`,
		{ consent_on: L.today(0), consent_by: 'FORESATT', birth_year: '2008' }, 200);
	await L.apiOk(c.veileder, 'POST', `/api/v1/cases/${k.id}/contacts`,
		{ contact_kind: 'SAMTALE', note: 'HEMMELIG NOTAT' }, 201);
	await L.apiOk(c.veileder, 'POST', `/api/v1/cases/${k.id}/decisions`,
		{ decision: 'SOSTJL_18', granted: 'true', duration: 'ENGANG' }, 201);
	await L.apiOk(c.veileder, 'POST', `/api/v1/cases/${k.id}/measures`,
		{ side: 'school', measure: 'FLEKSIBELT_LOP', start_on: L.today(0) }, 201);

	let r = await c.radgiver.get(`/api/v1/referrals/${ref.id}`);
	assert.equal(r.status, 200);
	assert.equal(r.json.status, 'AKSEPTERT');
	assert.equal(r.json.shared, undefined, 'no case content without a sharing consent');
	assert.equal(r.json.case, undefined, 'not even the case number');
	assert.equal((await c.radgiver.get(`/api/v1/cases/${k.id}`)).status, 403, 'no case route for a radgiver');
	let page = await c.radgiver.get(`/referrals/${ref.id}`);
	assert.ok(!page.text.includes('Fleksibelt') && !page.text.includes('HEMMELIG'));

	// With the student's consent to share with the school counsellor.
	await L.apiOk(c.veileder, 'POST', `/api/v1/students/${k.student}/consents`,
		{ consent_kind: 'DELING', partner: 'RADGIVER', consent_on: L.today(0), consent_by: 'FORESATT' }, 201);
	r = await c.radgiver.get(`/api/v1/referrals/${ref.id}`);
	assert.ok(r.json.shared, 'case content under the sharing consent');
	assert.equal(r.json.shared.contacts.length, 1);
	assert.deepEqual(Object.keys(r.json.shared.contacts[0]).sort(), ['kind', 'on_date']);
	assert.equal(r.json.shared.measures[0].code, 'FLEKSIBELT_LOP');
	assert.ok(!r.text.includes('HEMMELIG') && !r.text.includes('SOSTJL') && !r.text.includes('decisions'),
		'never notes or decisions');
	page = await c.radgiver.get(`/referrals/${ref.id}`);
	assert.ok(page.text.includes('Fleksibelt løp') && !page.text.includes('HEMMELIG'));

	// A sharing consent with another partner does not cover the school counsellor.
	const sid = k.student;
	const st = await L.apiOk(c.veileder, 'GET', `/api/v1/students/${sid}`, undefined, 200);
	const deling = st.consents.find((x) => x.kind === 'DELING');
	await L.apiOk(c.veileder, 'POST', `/api/v1/students/${sid}/consents/${deling.id}/withdraw`, {}, 200);
	await L.apiOk(c.veileder, 'POST', `/api/v1/students/${sid}/consents`,
		{ consent_kind: 'DELING', partner: 'HELSESYKEPLEIER', consent_on: L.today(0), consent_by: 'FORESATT' }, 201);
	r = await c.radgiver.get(`/api/v1/referrals/${ref.id}`);
	assert.equal(r.json.shared, undefined, 'withdrawn: sharing stops at once');

	// Another school counsellor's referral is not visible to this one.
	assert.equal((await c.radgiver.get(`/api/v1/referrals/${fix.referral}`)).status, 200);
	await L.addUser(demo.db, 'radgiver2', 'radgiver', 'S-SKEDSMO', 'a long enough password 1');
	const other = srv.client();
	await other.loginOk('radgiver2', 'a long enough password 1');
	assert.equal((await other.get(`/api/v1/referrals/${ref.id}`)).status, 404);
}));

test('consent: no registration without it; nothing new after a withdrawal', g(async () => {
	const v = c.veileder;
	let r = await v.req('POST', '/api/v1/students', { json: { student_name: 'Uten Samtykke', birth_year: '2005' }, csrf: v.csrf });
	assert.equal(r.status, 422, 'registration without consent is refused');
	r = await v.req('POST', '/api/v1/students', { json: { birth_year: '2012', consent_on: L.today(0), consent_by: 'ELEV' }, csrf: v.csrf });
	assert.equal(r.status, 422, 'a 14-year-old cannot consent alone (default age 16)');
	assert.match(r.json.error.message, /guardian/);
	const s = await L.apiOk(v, 'POST', '/api/v1/students', { birth_year: '2012', consent_on: L.today(-5), consent_by: 'FORESATT' }, 201);
	r = await v.req('POST', `/api/v1/students/${s.pseudonym}/consents`,
		{ json: { consent_kind: 'DELING', consent_on: L.today(0), consent_by: 'FORESATT' }, csrf: v.csrf });
	assert.equal(r.status, 422, 'sharing needs a partner');
	const k = await L.apiOk(v, 'POST', `/api/v1/students/${s.pseudonym}/cases`,
		{ referral_source: 'ELEV', main_reason: 'FRAVAER', opened_on: L.today(-4) }, 201);
	await L.apiOk(v, 'POST', `/api/v1/cases/${k.id}/contacts`, { contact_kind: 'TELEFON', on_date: L.today(-3) }, 201);
	// Withdraw the registration consent today: the record rests on it, so that erases the
	// student (docs/privacy.md), and only when the caller says so.
	r = await v.req('POST', `/api/v1/students/${s.pseudonym}/consents/${s.consents[0].id}/withdraw`, { json: {}, csrf: v.csrf });
	assert.equal(r.status, 409, 'not without erase=true');
	assert.equal((await v.get(`/api/v1/cases/${k.id}`)).json.contacts.length, 1, 'nothing was changed');
	const w = await L.apiOk(v, 'POST', `/api/v1/students/${s.pseudonym}/consents/${s.consents[0].id}/withdraw`, { erase: 'true' }, 200);
	assert.deepEqual(w, { pseudonym: s.pseudonym, erased: true });
	for (const [path, body] of [
		[`/api/v1/cases/${k.id}/contacts`, { contact_kind: 'TELEFON' }],
		[`/api/v1/cases/${k.id}/decisions`, { decision: 'SOSTJL_17', granted: 'true' }],
		[`/api/v1/cases/${k.id}/measures`, { side: 'nav', measure: 'SOMMERJOBB', start_on: L.today(0) }],
		[`/api/v1/students/${s.pseudonym}/cases`, { referral_source: 'ELEV', main_reason: 'FRAVAER' }],
		[`/api/v1/students/${s.pseudonym}`, { level: 'VG2' }],
		[`/api/v1/students/${s.pseudonym}/consents`, { consent_kind: 'DELING', partner: 'RADGIVER', consent_on: L.today(0), consent_by: 'FORESATT' }],
	]) {
		r = await v.req('POST', path, { json: body, csrf: v.csrf });
		assert.equal(r.status, 404, `${path} after withdrawal → ${r.status} ${r.text.slice(0, 100)}`);
	}
	// Nothing of the record is left to read.
	assert.equal((await v.get(`/api/v1/cases/${k.id}`)).status, 404);
	assert.equal((await v.get(`/api/v1/students/${s.pseudonym}`)).status, 404);
}));

test('history shows who changed what, old → new; names never in it', g(async () => {
	const v = c.veileder;
	await L.apiOk(v, 'POST', `/api/v1/students/${fix.pseudonym}`, { level: 'VG3', student_name: 'Nytt Navn' }, 200);
	const h = await L.apiOk(v, 'GET', `/api/v1/students/${fix.pseudonym}/history`, undefined, 200);
	const level = h.changes.find((x) => x.field === 'level');
	assert.deepEqual([level.old, level.new, level.by], ['VG2', 'VG3', 'veileder']);
	const name = h.changes.find((x) => x.field === 'name');
	assert.equal(name.new, '(endret)');
	assert.ok(!JSON.stringify(h).includes('Nytt Navn') && !JSON.stringify(h).includes('Fixture Elev'));
}));

test('names, id numbers and notes are not in the database file or its WAL', g(async () => {
	const v = c.veileder;
	await L.apiOk(v, 'POST', '/api/v1/students', {
		student_name: 'Sigrid Klartekstsen', fnr: '29029648784', birth_year: '2005', consent_on: L.today(0), consent_by: 'ELEV',
	}, 201);
	// A duplicate id number in the same pilot is found although it is stored encrypted.
	const dup = await v.req('POST', '/api/v1/students', { json: { fnr: '29029648784', birth_year: '2005', consent_on: L.today(0), consent_by: 'ELEV' }, csrf: v.csrf });
	assert.equal(dup.status, 409);
	for (const f of [demo.db, `${demo.db}-wal`]) {
		if (!existsSync(f)) continue;
		const bytes = readFileSync(f);
		for (const secret of ['Sigrid', 'Klartekstsen', '29029648784', 'fixture note', 'Fixture Elev'])
			assert.equal(bytes.indexOf(Buffer.from(secret)), -1, `${secret} found in ${f}`);
	}
	assert.ok(existsSync(`${demo.db}-wal`) || existsSync(demo.db));
}));

test('a code set can be emptied: unticking every box clears it', g(async () => {
	const v = c.veileder;
	const s = await L.apiOk(v, 'POST', '/api/v1/students', { birth_year: '2004', consent_on: L.today(-2), consent_by: 'ELEV' }, 201);
	const k = await L.apiOk(v, 'POST', `/api/v1/students/${s.pseudonym}/cases`,
		{ referral_source: 'ELEV', main_reason: 'FRAVAER', reasons: 'RUS', partners: 'OT', opened_on: L.today(-1) }, 201);
	assert.deepEqual([k.reasons, k.partners], [['RUS'], ['OT']]);
	// What the HTML form sends: NONE beside the (here: no) ticked boxes.
	const page = await v.get(`/cases/${k.id}`);
	assert.match(page.text, /name="partners" value="NONE"/);
	const r = await v.req('POST', `/cases/${k.id}`, { form: { csrf: v.csrf, partners: 'NONE', reasons: 'NONE', main_reason: 'FRAVAER', referral_source: 'ELEV' } });
	assert.equal(r.status, 303);
	assert.match(r.location, /ok=/);
	const after = await L.apiOk(v, 'GET', `/api/v1/cases/${k.id}`, undefined, 200);
	assert.deepEqual([after.reasons, after.partners], [[], []]);
	// and NONE beside ticked boxes keeps just the ticked ones
	const r2 = await v.req('POST', `/cases/${k.id}`, { body: `csrf=${v.csrf}&partners=NONE&partners=BUP&partners=PPT`, contentType: 'application/x-www-form-urlencoded' });
	assert.equal(r2.status, 303);
	assert.deepEqual((await L.apiOk(v, 'GET', `/api/v1/cases/${k.id}`, undefined, 200)).partners, ['BUP', 'PPT']);
}));

test('review fixes: role fits unit kind; birth year cannot undo the guardian rule; reads in answers are logged', g(async () => {
	// A counsellor account at the nation would see every pilot: refused.
	await c.admin.fetchCsrf();
	let r = await c.admin.req('POST', '/api/v1/users', { json: { username: 'v.nation', role: 'veileder', unit: 'NO', password: 'a long enough password 1' }, csrf: c.admin.csrf });
	assert.equal(r.status, 422, r.text);
	r = await c.admin.req('POST', '/api/v1/users', { json: { username: 'r.pilot', role: 'radgiver', unit: 'P-ALNA', password: 'a long enough password 1' }, csrf: c.admin.csrf });
	assert.equal(r.status, 422, 'a school counsellor belongs to a school');
	// The birth year cannot be moved under the age a student may consent alone.
	const v = c.veileder;
	const s = await L.apiOk(v, 'POST', '/api/v1/students', { birth_year: '2004', consent_on: L.today(-1), consent_by: 'ELEV' }, 201);
	r = await v.req('POST', `/api/v1/students/${s.pseudonym}`, { json: { birth_year: '2013' }, csrf: v.csrf });
	assert.equal(r.status, 422);
	assert.match(r.json.error.message, /guardian/);
	// A write that answers with the whole case logs a read of it; adding a contact answers
	// with the contact only, and logs its creation.
	const k = await L.apiOk(v, 'POST', `/api/v1/students/${s.pseudonym}/cases`, { referral_source: 'ELEV', main_reason: 'ARBEID' }, 201);
	let before = (await L.auditVerify(demo.db)).rows;
	const contact = await L.apiOk(v, 'POST', `/api/v1/cases/${k.id}/contacts`, { contact_kind: 'TELEFON', note: 'kort' }, 201);
	assert.equal(contact.note, 'kort');
	assert.equal(contact.contacts, undefined, 'not the whole case');
	assert.equal((await L.auditVerify(demo.db)).rows, before + 1, 'a create row');
	before = (await L.auditVerify(demo.db)).rows;
	await L.apiOk(v, 'POST', `/api/v1/cases/${k.id}`, { interagency: 'true' }, 200);
	assert.equal((await L.auditVerify(demo.db)).rows, before + 2, 'an update row and a read row');
	// Search goes in the body; a query string is not taken.
	const hit = await L.apiOk(v, 'POST', '/api/v1/students/search', { q: 'NYTT navn' }, 200); // renamed above
	assert.ok(hit.students.length >= 1);
	assert.equal((await v.get('/api/v1/students?q=fixture')).status, 400, 'no names in URLs');
}));

test('dates: a measure not before the case, a close not before the last contact, nothing in the future', g(async () => {
	const v = c.veileder;
	const s = await L.apiOk(v, 'POST', '/api/v1/students', { birth_year: '2004', consent_on: L.today(-30), consent_by: 'ELEV' }, 201);
	const k = await L.apiOk(v, 'POST', `/api/v1/students/${s.pseudonym}/cases`,
		{ referral_source: 'ELEV', main_reason: 'ARBEID', opened_on: L.today(-20), referred_on: L.today(-25) }, 201);
	const post = (path, json) => v.req('POST', path, { json, csrf: v.csrf });
	assert.equal((await post(`/api/v1/cases/${k.id}/measures`, { side: 'nav', measure: 'SOMMERJOBB', start_on: L.today(-21) })).status, 422);
	assert.equal((await post(`/api/v1/cases/${k.id}/contacts`, { contact_kind: 'SAMTALE', on_date: L.today(1) })).status, 422);
	assert.equal((await post(`/api/v1/cases/${k.id}/contacts`, { contact_kind: 'SAMTALE', on_date: L.today(-21) })).status, 422);
	await L.apiOk(v, 'POST', `/api/v1/cases/${k.id}/contacts`, { contact_kind: 'SAMTALE', on_date: L.today(-5) }, 201);
	assert.equal((await post(`/api/v1/cases/${k.id}/close`, { close_reason: 'AVSLUTTET', closed_on: L.today(-6) })).status, 422);
	assert.equal((await post(`/api/v1/cases/${k.id}`, { first_contact_on: L.today(-26) })).status, 422, 'first contact before the referral');
	const closed = await L.apiOk(v, 'POST', `/api/v1/cases/${k.id}/close`, { close_reason: 'AVSLUTTET', closed_on: L.today(-5) }, 200);
	assert.equal(closed.closed_on, L.today(-5));
	assert.equal((await post(`/api/v1/cases/${k.id}/contacts`, { contact_kind: 'SAMTALE' })).status, 409, 'closed');
	const re = await L.apiOk(v, 'POST', `/api/v1/cases/${k.id}/reopen`, {}, 200);
	assert.equal(re.closed_on, null);
}));
