// The pilot register: who may do what to a pilot, its grants and its reports, and when; the
// grant arithmetic (the fourth-year rule, a pilot starting mid-year, no negative amounts, a paid
// line frozen); every report version kept; every change in the access log; the analysts of
// Avdir and Udir alike.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { inkShare } from '../lib/files.mjs';
import * as L from './lib.mjs';

let demo, srv, rel;
const c = {};
const USERS = ['analytiker', 'analytiker.udir', 'leder', 'leder.styring', 'veileder', 'radgiver', 'admin'];

before(async () => {
	demo = await L.demoDb();
	srv = await L.startServer(demo.db);
	for (const u of USERS) {
		c[u] = srv.client();
		await c[u].loginOk(u, demo.users[u].password);
	}
	// A leader of another pilot, for the scope checks.
	await L.addUser(demo.db, 'leder.oslo', 'leder', 'P-STOVNER', 'a password of some length');
	c['leder.oslo'] = srv.client();
	await c['leder.oslo'].loginOk('leder.oslo', 'a password of some length');
	// A published release of this school year: the reports' statistics.
	rel = await L.releaseFixture(demo.db, c.analytiker);
});

after(async () => {
	await srv?.stop();
});

const g = (fn) => L.guarded(() => srv, fn);
const sql = (q) => execFileSync('sqlite3', [demo.db, q], { stdio: 'pipe' }).toString().trim();
const post = (who, path, form = {}) => c[who].post(path, { form: { ...form, csrf: c[who].csrf } });
const text = (html) => html.replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/\s+/g, ' ');

const FULL = {
	activities: 'Aktiviteter: fast kontortid på skolen.', challenges: 'Utfordringer: samtykke.',
	funds: 'Midlene gikk til lønn.', goal1: 'Mål 1: færre avbrudd.', goal2: 'Mål 2: arbeidstrening.',
	goal3: 'Mål 3: faste møter.', goal4: 'Mål 4: økonomi og bolig.',
};

test('the overview: an analyst sees every pilot per county and school year; a leader their own', g(async () => {
	const a = await c.analytiker.get('/pilots');
	assert.equal(a.status, 200);
	const t = text(a.text);
	for (const name of ['Pilot Akershus (Jessheim og Skedsmo)', 'Pilot Finnmark – Alta', 'Pilot Østfold'])
		assert.ok(t.includes(name), name);
	assert.ok(t.includes('2013/14') && t.includes('2016/17'), 'a column per school year');
	assert.ok(t.includes('Jessheim videregående skole') && t.includes('NAV Ullensaker'), 'schools and NAV offices');
	// 2016/17: every pilot of the demo was running.
	const per = /Piloter i drift per skoleår((?:\s+\d+)+)/.exec(t);
	assert.ok(per, 'pilots running per school year');
	assert.ok(per[1].trim().split(/\s+/).map(Number).includes(23), per[1]);
	const l = await c.leder.get('/pilots');
	assert.equal(l.status, 200);
	const lt = text(l.text);
	assert.ok(lt.includes('Pilot Akershus'));
	assert.ok(!lt.includes('Pilot Finnmark'), 'a leader sees only their pilot');
	for (const who of ['veileder', 'radgiver', 'admin']) assert.equal((await c[who].get('/pilots')).status, 403, who);
}));

test('a pilot page: both directorates see the same register, grants and reports; another pilot is 404', g(async () => {
	const pages = [];
	for (const who of ['analytiker', 'analytiker.udir', 'leder']) {
		const r = await c[who].get('/pilots/P-AKERSHUS');
		assert.equal(r.status, 200, who);
		const t = text(r.text);
		assert.ok(t.includes('2013-08-01 – 2017-07-31'), 'period');
		assert.ok(t.includes('Videreført lokalt'), 'status');
		assert.ok(t.includes('Syntetisk medlem A') && t.includes('Rektor'), 'steering group');
		assert.ok(t.includes('0621.63') && t.includes('0621.21'), 'grants by post');
		assert.ok(t.includes('Årsrapport 2014/15') && t.includes('Lukket'), 'reports with their state');
		pages.push(t.replace(/Logg ut.*?\)/, ''));
	}
	assert.equal((await c['leder.oslo'].get('/pilots/P-AKERSHUS')).status, 404, "another pilot's leader");
	assert.equal((await c.analytiker.get('/pilots/S-JESSHEIM')).status, 404, 'a school is no pilot');
	assert.equal((await c.analytiker.get('/pilots/NOPE')).status, 404);
	// Only the analyst gets the forms that change the register.
	assert.ok((await c.analytiker.get('/pilots/P-AKERSHUS')).text.includes('action="/pilots/P-AKERSHUS/grants"'));
	assert.ok(!(await c.leder.get('/pilots/P-AKERSHUS')).text.includes('action="/pilots/P-AKERSHUS/grants"'));
}));

test('the register: an analyst of either directorate changes it, a leader may not; bad dates refused', g(async () => {
	let r = await post('analytiker.udir', '/pilots/P-OSTFOLD', { start_on: '2016-08-01', end_on: '2020-07-31', project_years: '4', status: 'fourth_year' });
	assert.equal(r.status, 303, r.text.slice(0, 300));
	assert.equal(sql("SELECT start_on||' '||end_on||' '||project_years||' '||status||' '||updated_by FROM pilot p JOIN unit u ON u.id = p.unit_id WHERE u.code = 'P-OSTFOLD'"),
		'2016-08-01 2020-07-31 4 fourth_year analytiker.udir');
	r = await post('analytiker', '/pilots/P-OSTFOLD', { start_on: '2016-08-01', end_on: '2015-07-31' });
	assert.equal(r.status, 422);
	assert.ok(text(r.text).includes('Slutt kan ikke være før oppstart.'));
	assert.match(r.text, /aria-invalid="true"[^>]*aria-describedby="f-end_on-error"|id="f-end_on"[^>]*aria-invalid="true"/);
	r = await post('analytiker', '/pilots/P-OSTFOLD', { start_on: '2016-08-01', project_years: '11' });
	assert.equal(r.status, 422);
	assert.equal(sql("SELECT project_years FROM pilot p JOIN unit u ON u.id = p.unit_id WHERE u.code = 'P-OSTFOLD'"), '4', 'nothing written');
	assert.equal((await post('leder', '/pilots/P-AKERSHUS', { start_on: '2013-08-01' })).status, 403);
	// Steering group: add, then remove (kept, not listed).
	r = await post('analytiker', '/pilots/P-OSTFOLD/members', { name: 'Kari Testesen', organisation: 'NAV Fredrikstad', member_role: 'NAV-leder' });
	assert.equal(r.status, 303);
	const id = sql("SELECT max(id) FROM steering_member");
	assert.ok(text((await c.analytiker.get('/pilots/P-OSTFOLD')).text).includes('Kari Testesen'));
	r = await post('analytiker', '/pilots/P-OSTFOLD/members', { name: 'Uten organisasjon' });
	assert.equal(r.status, 422);
	assert.ok(r.text.includes('href="#f-organisation"'), 'the error links to the missing field');
	assert.equal((await post('analytiker', `/pilots/P-AKERSHUS/members/${id}/remove`)).status, 404, "another pilot's member");
	assert.equal((await post('analytiker', `/pilots/P-OSTFOLD/members/${id}/remove`)).status, 303);
	assert.equal((await post('analytiker', `/pilots/P-OSTFOLD/members/${id}/remove`)).status, 404, 'gone already');
	assert.ok(!text((await c.analytiker.get('/pilots/P-OSTFOLD')).text).includes('Kari Testesen'));
	assert.equal(sql(`SELECT removed_at IS NOT NULL FROM steering_member WHERE id = ${id}`), '1', 'kept for the history');
}));

test('grants: the fourth-year rule, a mid-year start pro-rated, defaults, no negatives, paid lines frozen', g(async () => {
	const a = 'analytiker';
	// A pilot of its own: starts 15 October 2020 with three project years.
	await L.addUnit(demo.db, 'P-GRANT', 'Pilot Tilskudd', 'pilot', '03');
	let r = await post(a, '/pilots/P-GRANT/grants', { project_year: '1', post: '63', salary_base: '600000' });
	assert.equal(r.status, 422, 'no grant before the register has a start');
	assert.ok(text(r.text).includes('Registrer pilotens oppstart før tilskudd.'));
	assert.equal((await post(a, '/pilots/P-GRANT', { start_on: '2020-10-15', project_years: '3', status: 'active' })).status, 303);
	const line = (py, post) => sql(`SELECT budget_year||' '||coalesce(share_pct,'-')||' '||coalesce(salary_base,'-')||' '||months||' '||amount FROM grant_line g JOIN unit u ON u.id = g.pilot_id WHERE u.code = 'P-GRANT' AND project_year = ${py} AND post = '${post}'`);
	// Year 1: October to December of 2020, 3 of 12 months, the default 100 %.
	assert.equal((await post(a, '/pilots/P-GRANT/grants', { project_year: '1', post: '63', salary_base: '600000' })).status, 303);
	assert.equal(line(1, '63'), '2020 100 600000 3 150000');
	// Year 2: a whole year; an explicit share; rounding to the krone, halves up (612345 × 0.75 = 459258.75).
	assert.equal((await post(a, '/pilots/P-GRANT/grants', { project_year: '2', post: '63', salary_base: '612345', share: '75' })).status, 303);
	assert.equal(line(2, '63'), '2021 75 612345 12 459259');
	// The fourth year: refused while the pilot has three project years …
	r = await post(a, '/pilots/P-GRANT/grants', { project_year: '4', post: '63', salary_base: '650000' });
	assert.equal(r.status, 422);
	assert.ok(text(r.text).includes('Ingen tilskudd etter pilotens siste prosjektår.'));
	assert.ok(r.text.includes('href="#f-project_year"'), 'linked to the project year');
	assert.equal(line(4, '63'), '', 'nothing written');
	// … and given, at the default 50 %, once the register has a fourth year.
	assert.equal((await post(a, '/pilots/P-GRANT', { start_on: '2020-10-15', project_years: '4', status: 'fourth_year' })).status, 303);
	assert.equal((await post(a, '/pilots/P-GRANT/grants', { project_year: '4', post: '63', salary_base: '650000' })).status, 303);
	assert.equal(line(4, '63'), '2023 50 650000 12 325000');
	// The end date bounds it too: ending July 2023, year 4 (2023) has 7 months.
	assert.equal((await post(a, '/pilots/P-GRANT', { start_on: '2020-10-15', end_on: '2023-07-31', project_years: '4', status: 'ended' })).status, 303);
	assert.equal((await post(a, '/pilots/P-GRANT/grants', { project_year: '4', post: '63', salary_base: '650000' })).status, 303);
	assert.equal(line(4, '63'), '2023 50 650000 7 189583', '650000 × 50 % × 7/12 = 189583.33');
	// No negative amounts, for either post.
	for (const form of [{ project_year: '3', post: '63', salary_base: '-1' }, { project_year: '3', post: '21', amount: '-500' }]) {
		r = await post(a, '/pilots/P-GRANT/grants', form);
		assert.equal(r.status, 422, JSON.stringify(form));
		assert.ok(text(r.text).includes('kan ikke være negative'));
	}
	assert.equal(line(3, '63'), '');
	// Post 21: the amount as given.
	assert.equal((await post(a, '/pilots/P-GRANT/grants', { project_year: '2', post: '21', amount: '45000' })).status, 303);
	assert.equal(line(2, '21'), '2021 - - 12 45000');
	// Changing a line replaces it; once paid it is frozen (the page and the database both say no).
	assert.equal((await post(a, '/pilots/P-GRANT/grants', { project_year: '1', post: '63', salary_base: '620000' })).status, 303);
	assert.equal(line(1, '63'), '2020 100 620000 3 155000');
	const id = sql("SELECT g.id FROM grant_line g JOIN unit u ON u.id = g.pilot_id WHERE u.code = 'P-GRANT' AND project_year = 1 AND post = '63'");
	assert.equal((await post(a, `/pilots/P-GRANT/grants/${id}/pay`, { paid_on: '2020-11-01' })).status, 303);
	r = await post(a, '/pilots/P-GRANT/grants', { project_year: '1', post: '63', salary_base: '999999' });
	assert.equal(r.status, 409);
	assert.ok(text(r.text).includes('Tilskuddet er utbetalt og kan ikke endres.'));
	assert.equal((await post(a, `/pilots/P-GRANT/grants/${id}/pay`)).status, 409, 'paid once');
	assert.equal((await post(a, `/pilots/P-AKERSHUS/grants/${id}/pay`)).status, 404, "another pilot's line");
	assert.equal(line(1, '63'), '2020 100 620000 3 155000');
	assert.throws(() => sql(`UPDATE grant_line SET amount = 1 WHERE id = ${id}`), /paid grant never changes/);
	// A leader sees the grants but changes none.
	assert.equal((await post('leder', '/pilots/P-AKERSHUS/grants', { project_year: '1', post: '21', amount: '1' })).status, 403);
	// Configurable default shares.
	r = await post(a, '/grants/shares', { shares: '100,100,80,40' });
	assert.equal(r.status, 303);
	assert.equal((await post(a, '/pilots/P-GRANT/grants', { project_year: '3', post: '63', salary_base: '600000' })).status, 303);
	assert.equal(line(3, '63'), '2022 80 600000 12 480000');
	r = await post(a, '/grants/shares', { shares: '100,101' });
	assert.equal(r.status, 422);
	assert.equal(sql("SELECT value FROM setting WHERE key = 'grant.shares'"), '100,100,80,40', 'nothing written');
}));

test('grant totals per budget year, county and post, as a page and an XLSX download', g(async () => {
	const r = await c.analytiker.get('/grants');
	assert.equal(r.status, 200);
	const t = text(r.text);
	const sum = Number(sql("SELECT sum(amount) FROM grant_line WHERE post = '63' AND budget_year = 2016"));
	const sum21 = Number(sql("SELECT sum(amount) FROM grant_line WHERE post = '21' AND budget_year = 2016"));
	assert.ok(sum > 0);
	const n = (v) => L.nbNum(v).replace(/\s/g, ' ');
	assert.ok(t.includes(`2016 ${n(sum)} ${n(sum21)} ${n(sum + sum21)}`), `2016's totals: ${n(sum)}`);
	assert.ok(t.indexOf('01 Østfold') < t.indexOf('02 Akershus'), 'counties in code order');
	assert.ok(t.includes('Akershus'), 'per county');
	const x = await c['analytiker.udir'].get('/grants?format=xlsx');
	assert.equal(x.status, 200);
	assert.match(x.headers.get('content-type'), /spreadsheetml/);
	assert.match(x.headers.get('content-disposition'), /attachment/);
	assert.equal((await c.leder.get('/grants')).status, 403, 'totals are national');
}));

const report = '/pilots/P-AKERSHUS/reports/2016';

test('an annual report: draft → submitted → approved → feedback → closed, each by whom it belongs to', g(async () => {
	const version = () => Number(sql(`SELECT version FROM pilot_report r JOIN unit u ON u.id = r.pilot_id WHERE u.code = 'P-AKERSHUS' AND r.kind = 'annual' AND r.school_year = 2016`) || 0);
	// Not started: nothing to approve or give feedback on.
	let r = await c.leder.get(report);
	assert.equal(r.status, 200);
	assert.ok(text(r.text).includes('Ikke påbegynt'));
	r = await post('analytiker', `${report}/feedback`, { feedback: 'For tidlig' });
	assert.equal(r.status, 409);
	// Only leaders write; an analyst or another pilot's leader may not.
	assert.equal((await post('analytiker', report, FULL)).status, 403);
	assert.equal((await post('leder.oslo', report, FULL)).status, 404);
	assert.equal((await post('veileder', report, FULL)).status, 403);
	// The first save starts it; each save is a version.
	r = await post('leder', report, { activities: 'Første utkast', version: '0' });
	assert.equal(r.status, 303, r.text.slice(0, 300));
	assert.equal(version(), 2, 'created (1) and saved (2)');
	r = await post('leder', report, { ...FULL, version: '2' });
	assert.equal(r.status, 303);
	assert.equal(version(), 3);
	// A save from a page that is out of date is refused, and the text sent is shown again.
	r = await post('leder.styring', report, { ...FULL, activities: 'Gammel side', version: '2' });
	assert.equal(r.status, 409);
	assert.ok(text(r.text).includes('endret av noen andre'));
	assert.ok(r.text.includes('Gammel side'), 'nothing typed is lost');
	assert.equal(version(), 3);
	// Submitting needs every part.
	r = await post('leder', `${report}/submit`, { ...FULL, goal3: '   ', version: '3' });
	assert.equal(r.status, 422);
	assert.ok(r.text.includes('href="#f-goal3"'), 'linked to the empty part');
	assert.equal(version(), 3);
	// Not approved or given feedback before it is submitted.
	assert.equal((await post('leder.styring', `${report}/approve`, { version: '3' })).status, 409);
	r = await post('leder', `${report}/submit`, { ...FULL, version: '3' });
	assert.equal(r.status, 303);
	assert.equal(sql(`SELECT state||' '||submitted_by FROM pilot_report WHERE school_year = 2016 AND kind = 'annual'`), 'submitted leder');
	// Submitted: no more saves; the submitter does not approve their own report; an analyst does not approve.
	r = await post('leder', report, { ...FULL, version: '4' });
	assert.equal(r.status, 409);
	assert.ok(text(r.text).includes('ikke et utkast'));
	r = await post('leder', `${report}/approve`, { version: '4' });
	assert.equal(r.status, 403);
	assert.ok(text(r.text).includes('kan ikke også godkjenne'));
	assert.equal((await post('analytiker', `${report}/approve`, { version: '4' })).status, 403);
	// Returned to draft and submitted again, then approved by the steering group's other leader.
	assert.equal((await post('leder.styring', `${report}/return`, { version: '4' })).status, 303);
	assert.equal((await post('leder', `${report}/submit`, { ...FULL, version: '5' })).status, 303);
	assert.equal((await post('leder.styring', `${report}/approve`, { version: '6' })).status, 303);
	// Approved: feedback is the analysts' (either directorate), with text; leaders give none; not closed before.
	assert.equal((await post('leder', `${report}/feedback`, { feedback: 'x', version: '7' })).status, 403);
	assert.equal((await post('analytiker', `${report}/close`, { version: '7' })).status, 409);
	r = await post('analytiker.udir', `${report}/feedback`, { version: '7' });
	assert.equal(r.status, 422, 'feedback needs text');
	assert.equal((await post('analytiker.udir', `${report}/feedback`, { feedback: 'Fin rapport fra Udir.', version: '7' })).status, 303);
	assert.equal((await post('analytiker', `${report}/feedback`, { feedback: 'En gang til', version: '8' })).status, 409, 'once');
	// The leader sees the feedback and who gave it.
	r = await c.leder.get(report);
	const t = text(r.text);
	assert.ok(t.includes('Fin rapport fra Udir.'));
	assert.ok(t.includes('Tilbakemelding gitt'));
	assert.ok(t.includes('analytiker.udir (analytiker, Udir)'), 'the version names the directorate');
	assert.equal((await post('leder', `${report}/close`, { version: '8' })).status, 403);
	assert.equal((await post('analytiker', `${report}/close`, { version: '8' })).status, 303);
	assert.equal((await post('analytiker', `${report}/close`, { version: '9' })).status, 409, 'closed already');
	assert.equal(sql(`SELECT state||' '||version FROM pilot_report WHERE school_year = 2016 AND kind = 'annual'`), 'closed 9');
}));

test('report versions: every one kept, readable, never changed; each change in the access log', g(async () => {
	const rows = sql(`SELECT v.version||':'||v.action||':'||v.state||':'||v.by_user||':'||coalesce(v.by_directorate,'') FROM pilot_report_version v JOIN pilot_report r ON r.id = v.report_id WHERE r.school_year = 2016 AND r.kind = 'annual' ORDER BY v.version`).split('\n');
	assert.deepEqual(rows, ['1:created:draft:leder:', '2:saved:draft:leder:', '3:saved:draft:leder:', '4:submitted:submitted:leder:',
		'5:returned:draft:leder.styring:', '6:submitted:submitted:leder:', '7:approved:approved:leder.styring:',
		'8:feedback:feedback:analytiker.udir:udir', '9:closed:closed:analytiker:avdir']);
	// An old version reads as it was.
	let r = await c.analytiker.get(`${report}?version=2`);
	assert.equal(r.status, 200);
	assert.ok(text(r.text).includes('Første utkast'));
	assert.ok(text(r.text).includes('eldre versjon'));
	assert.equal((await c.analytiker.get(`${report}?version=99`)).status, 404);
	for (const q of ['UPDATE pilot_report_version SET activities = \'x\'', 'DELETE FROM pilot_report_version'])
		assert.throws(() => sql(q), /report version/);
	const id = sql(`SELECT id FROM pilot_report WHERE school_year = 2016 AND kind = 'annual'`);
	const log = sql(`SELECT action||' '||username FROM access_log WHERE object = 'pilot_report:${id}' AND action <> 'read' ORDER BY seq`).split('\n');
	assert.deepEqual(log, ['create leder', 'saved leder', 'saved leder', 'submitted leder', 'returned leder.styring', 'submitted leder',
		'approved leder.styring', 'feedback analytiker.udir', 'closed analytiker']);
	assert.ok(Number(sql(`SELECT count(*) FROM access_log WHERE object = 'pilot_report:${id}' AND action = 'read'`)) > 0, 'reads logged');
	for (const obj of ['pilot:P-OSTFOLD', 'setting:grant.shares'])
		assert.ok(Number(sql(`SELECT count(*) FROM access_log WHERE object = '${obj}'`)) > 0, obj);
	assert.ok(Number(sql(`SELECT count(*) FROM access_log WHERE object LIKE 'grant:%' AND action IN ('update','pay')`)) >= 8);
	assert.ok(Number(sql(`SELECT count(*) FROM access_log WHERE object LIKE 'steering_member:%'`)) >= 2);
	await L.auditVerify(demo.db);
}));

test('refusals: no version, an old page, blank feedback, a step in the wrong state; each says why and logs its read', g(async () => {
	const path = '/pilots/P-AKERSHUS/reports/2017';
	const id = () => sql(`SELECT r.id FROM pilot_report r JOIN unit u ON u.id = r.pilot_id WHERE u.code = 'P-AKERSHUS' AND r.kind = 'annual' AND r.school_year = 2017`);
	assert.equal((await post('leder', path, { activities: 'Start', version: '0' })).status, 303);
	let r = await post('leder', path, { activities: 'Uten versjon' });
	assert.equal(r.status, 422, 'a change must name its version');
	assert.ok(text(r.text).includes('Skjemaet mangler versjonen'));
	assert.ok(r.text.includes('Uten versjon'), 'the text sent is shown again');
	const reads = () => Number(sql(`SELECT count(*) FROM access_log WHERE object = 'pilot_report:${id()}' AND action = 'read'`));
	const before = reads();
	r = await post('leder', `${path}/return`, { version: '2' });
	assert.equal(r.status, 409);
	assert.ok(text(r.text).includes('Rapporten er ikke sendt inn.'), 'return outside submitted');
	assert.equal(reads(), before + 1, 'the refused page still logs its read');
	r = await post('analytiker', `${path}/close`, { version: '2' });
	assert.equal(r.status, 409);
	assert.ok(text(r.text).includes('Rapporten kan lukkes først når tilbakemelding er gitt.'));
	r = await post('analytiker', `${path}/feedback`, { feedback: 'For tidlig', version: '2' });
	assert.equal(r.status, 409);
	assert.ok(text(r.text).includes('Tilbakemelding kan gis først når styringsgruppen har godkjent rapporten.'));
	assert.equal((await post('leder', `${path}/submit`, { ...FULL, version: '2' })).status, 303);
	assert.equal((await post('leder.styring', `${path}/approve`, { version: '3' })).status, 303);
	r = await post('analytiker', `${path}/feedback`, { feedback: '  \n\t ', version: '4' });
	assert.equal(r.status, 422, 'blank feedback is no feedback');
	assert.ok(r.text.includes('href="#f-feedback"'));
	assert.equal(sql(`SELECT state||' '||version FROM pilot_report WHERE id = ${id()}`), 'approved 4');
}));

test('changing the register keeps the grant lines right: unpaid recomputed, paid never moved', g(async () => {
	const a = 'analytiker';
	await L.addUnit(demo.db, 'P-MOVE', 'Pilot Flytt', 'pilot', '03');
	assert.equal((await post(a, '/pilots/P-MOVE', { start_on: '2020-01-01', project_years: '3', status: 'active' })).status, 303);
	assert.equal((await post(a, '/pilots/P-MOVE/grants', { project_year: '1', post: '63', salary_base: '600000' })).status, 303);
	assert.equal((await post(a, '/pilots/P-MOVE/grants', { project_year: '2', post: '63', salary_base: '600000' })).status, 303);
	const line = (py) => sql(`SELECT budget_year||' '||months||' '||amount FROM grant_line g JOIN unit u ON u.id = g.pilot_id WHERE u.code = 'P-MOVE' AND project_year = ${py} AND post = '63'`);
	assert.equal(line(1), '2020 12 600000');
	// A later start (August): year 1 has 5 months now, recomputed because it is not paid.
	assert.equal((await post(a, '/pilots/P-MOVE', { start_on: '2020-08-01', project_years: '3', status: 'active' })).status, 303);
	assert.equal(line(1), '2020 5 250000');
	// Fewer project years than a line: refused, nothing written.
	let r = await post(a, '/pilots/P-MOVE', { start_on: '2020-08-01', project_years: '1', status: 'active' });
	assert.equal(r.status, 409);
	assert.ok(text(r.text).includes('senere prosjektår enn det nye antallet'));
	assert.equal(sql("SELECT project_years FROM pilot p JOIN unit u ON u.id = p.unit_id WHERE u.code = 'P-MOVE'"), '3');
	// A paid line is never moved by a register change.
	const id = sql("SELECT g.id FROM grant_line g JOIN unit u ON u.id = g.pilot_id WHERE u.code = 'P-MOVE' AND project_year = 1");
	assert.equal((await post(a, `/pilots/P-MOVE/grants/${id}/pay`, { paid_on: '2020-09-01' })).status, 303);
	r = await post(a, '/pilots/P-MOVE', { start_on: '2021-08-01', project_years: '3', status: 'active' });
	assert.equal(r.status, 409);
	assert.ok(text(r.text).includes('utbetalte tilskudd'));
	assert.equal(line(1), '2020 5 250000');
	assert.equal(line(2), '2021 12 600000', 'the unpaid line was not moved either: all or nothing');
	// A project year beyond the default shares needs its share.
	assert.equal((await post(a, '/pilots/P-MOVE', { start_on: '2020-08-01', project_years: '6', status: 'active' })).status, 303);
	r = await post(a, '/pilots/P-MOVE/grants', { project_year: '5', post: '63', salary_base: '600000' });
	assert.equal(r.status, 422);
	assert.ok(r.text.includes('href="#f-share"'));
	assert.equal((await post(a, '/pilots/P-MOVE/grants', { project_year: '5', post: '63', salary_base: '600000', share: '25' })).status, 303);
	assert.equal(line(5), '2024 12 150000');
}));

test('a submitted annual report carries the published statistics of its year, protected', g(async () => {
	const autumn = Number(rel.year.slice(0, 4));
	const path = `/pilots/P-AKERSHUS/reports/${autumn}`;
	assert.equal((await post('leder', `${path}/submit`, { ...FULL, version: '0' })).status, 303);
	const stored = sql(`SELECT v.release_id FROM pilot_report_version v JOIN pilot_report r ON r.id = v.report_id WHERE r.school_year = ${autumn} AND v.action = 'submitted'`);
	assert.equal(Number(stored), rel.id, 'the release in force at submission');
	// Returned to draft it follows the newest published release again; submitted anew, fixed anew.
	assert.equal((await post('leder.styring', `${path}/return`, { version: '2' })).status, 303);
	const fixed = () => sql(`SELECT coalesce(v.release_id, 0) FROM pilot_report_version v JOIN pilot_report r ON r.id = v.report_id WHERE r.school_year = ${autumn} AND r.kind = 'annual' ORDER BY v.version DESC LIMIT 1`);
	assert.equal(fixed(), '0');
	assert.ok(text((await c.leder.get(path)).text).includes('den låses når rapporten sendes inn'));
	assert.equal((await post('leder', `${path}/submit`, { ...FULL, version: '3' })).status, 303);
	assert.equal(Number(fixed()), rel.id);
	const r = await c['analytiker.udir'].get(path);
	assert.equal(r.status, 200);
	const t = text(r.text);
	assert.ok(t.includes('Pilotens statistikk (skjermet)'));
	assert.ok(t.includes(`Statistikkfrigivelse ${rel.year}`) || t.includes(rel.year), 'the year of the figures');
	assert.ok(/<abbr title="skjult \/ suppressed">:<\/abbr>/.test(r.text), 'a suppressed count shows ":"');
	const pdf = await c.leder.get(`${path}?format=pdf`);
	assert.equal(pdf.status, 200);
	assert.equal(pdf.headers.get('content-type'), 'application/pdf');
}));

test('the final report: the template prefilled with every year and the Udir trend; HTML and PDF', g(async () => {
	const path = '/pilots/P-AKERSHUS/reports/final';
	let r = await c.leder.get(path);
	assert.equal(r.status, 200);
	assert.ok(r.text.includes('name="summary"') && r.text.includes('name="lessons"'), 'the template sections');
	assert.equal((await post('leder', path, { summary: 'Sammendrag av forsøket', version: '0' })).status, 303);
	r = await c.analytiker.get(path);
	const t = text(r.text);
	assert.ok(t.includes('Sammendrag av forsøket'));
	assert.ok(t.includes('Mål 1: Forebygge frafall'), 'the four national goals');
	assert.ok(t.includes('Ingen publisert statistikk for 2013/14.'), 'years without a release say so');
	assert.ok(t.includes('Frafall i yrkesfag (Udir): Jessheim videregående skole'), 'the Udir trend per school');
	assert.ok(r.text.includes('<svg'), 'drawn');
	// The PDF: it renders, and its statistics carry the suppression marks the page shows.
	const res = await fetch(srv.base + `${path}?format=pdf`, { headers: { Cookie: c.analytiker.cookieHeader() } });
	assert.equal(res.status, 200);
	assert.equal(res.headers.get('content-type'), 'application/pdf');
	assert.match(res.headers.get('content-disposition'), /P-AKERSHUS-final\.pdf/);
	const dir = L.tempDir('elevlos-final-');
	const file = `${dir}/final.pdf`;
	fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
	const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file]).toString())[1]);
	assert.ok(pages >= 2, `pages: ${pages}`);
	const ink = inkShare(execFileSync('pdftoppm', ['-gray', '-r', '50', '-f', '1', '-l', '1', file]));
	assert.ok(ink > 0.005 && ink < 0.5, `page 1 renders: ${(ink * 100).toFixed(2)} % dark`);
	execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', file, `${dir}/page`]);
	assert.equal(fs.readFileSync(`${dir}/page-1.png`).subarray(1, 4).toString(), 'PNG');
	const pt = execFileSync('pdftotext', [file, '-']).toString();
	for (const s of ['Sluttrapport – Pilot Akershus', 'Sammendrag av forsøket', 'Mål 4: Kunnskap om levekår',
		'Pilotens statistikk (skjermet)', 'Ingen publisert statistikk for 2013/14.', `Side 1 av ${pages}`])
		assert.ok(pt.includes(s), `the PDF says ${s}`);
	const marks = (pt.match(/^:$/gm) || []).length;
	const onPage = (r.text.match(/<abbr title="skjult \/ suppressed">:<\/abbr>/g) || []).length;
	assert.ok(onPage > 0, 'the demo pilot has suppressed counts');
	assert.equal(marks, onPage, 'every suppressed count of the page is marked ":" in the PDF');
	assert.equal((await c.analytiker.get('/pilots/P-AKERSHUS/reports/2001')).status, 404, 'not a year of the pilot');
	assert.equal((await c.analytiker.get('/pilots/P-AKERSHUS/reports/abcd')).status, 404);
}));

test("an analyst's directorate: set by the admin on creation, only for analysts, shown with the user", g(async () => {
	const form = { username: 'ny.udir', role: 'analytiker', unit: 'NO', password: 'et langt nok passord', directorate: 'udir' };
	let r = await post('admin', '/users', form);
	assert.equal(r.status, 200, r.text.slice(0, 300));
	assert.equal(sql("SELECT directorate FROM account WHERE username = 'ny.udir'"), 'udir');
	r = await c.admin.get('/api/v1/users/ny.udir');
	assert.equal(r.json.directorate, 'udir');
	assert.ok(text((await c.admin.get('/users/ny.udir')).text).includes('Direktorat (for analytikere) Udir'));
	r = await post('admin', '/users', { ...form, username: 'ny.leder', role: 'leder', unit: 'P-ALTA' });
	assert.equal(r.status, 422);
	assert.ok(text(r.text).includes('Bare analytikere hører til et direktorat.'));
	assert.equal(sql("SELECT count(*) FROM account WHERE username = 'ny.leder'"), '0', 'nothing written');
	r = await post('admin', '/users', { ...form, username: 'ny.x', directorate: 'nav' });
	assert.equal(r.status, 400, 'only avdir or udir');
	const made = await L.cli(['user', 'add', '--db', demo.db, '--username', 'cli.avdir', '--role', 'analytiker', '--unit', 'NO',
		'--directorate', 'avdir', '--password-stdin'], { input: 'et langt nok passord\n' });
	assert.equal(made.code, 0, made.stderr);
	assert.equal(sql("SELECT directorate FROM account WHERE username = 'cli.avdir'"), 'avdir');
}));
