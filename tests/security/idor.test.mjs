// IDOR matrix (docs/security.md): every object route of the route table × every role (the demo's
// users, one more leder and radgiver in a second pilot, anonymous) × the object in the caller's own
// pilot, in another pilot, and deleted. A 2xx (or a redirect that is not to /login nor an error)
// that the caller should not get is a finding; there must be none. Writes build/security/idor.json.
//
// Who should get what: a route's roles (the route table) and the unit scope (an object below the
// caller's unit); the national roles (analytiker, admin) have both pilots in scope, so for them
// "other pilot" is allowed when their role is. A deleted object is never served.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as L from '../http/lib.mjs';
import * as S from './lib.mjs';

const PASSWORD = 'a long enough password 1';
const routes = await L.routeTable();
// Routes with a path parameter that do not name a pilot's object: static files, the code lists
// and the public school register (Udir's figures per school, the same for every leder/analytiker).
const NOT_OBJECTS = new Set(['/static/{file}', '/api/v1/codes/{list}', '/evaluation/schools/{orgnr}']);
const objectRoutes = routes.filter((r) => r.path.includes('{') && !NOT_OBJECTS.has(r.path))
	// GETs first: the allowed POSTs change state (close a case, accept a referral).
	.sort((a, b) => (a.method === b.method ? 0 : a.method === 'GET' ? -1 : 1));

let demo, srv;
const actors = {}; // name → {name, role, unit, scope: 'A'|'B'|'NO', client}
const fx = {}; // 'A' (P-AKERSHUS), 'B' (P-STOVNER), 'D' (deleted) → path values
const results = [];
let victims = 0;

before(async () => {
	demo = await L.demoDb();
	await L.addUser(demo.db, 'leder.oslo', 'leder', 'P-STOVNER', PASSWORD);
	await L.addUser(demo.db, 'radgiver.oslo', 'radgiver', 'S-STOVNER', PASSWORD);
	demo.users['leder.oslo'] = { username: 'leder.oslo', role: 'leder', unit: 'P-STOVNER', password: PASSWORD };
	demo.users['radgiver.oslo'] = { username: 'radgiver.oslo', role: 'radgiver', unit: 'S-STOVNER', password: PASSWORD };
	srv = await L.startServer(demo.db);
	for (const u of Object.values(demo.users)) {
		const c = srv.client();
		await c.loginOk(u.username, u.password);
		const scope = u.unit === 'NO' ? 'NO' : /STOVNER/.test(u.unit) ? 'B' : 'A';
		actors[u.username] = { name: u.username, role: u.role, unit: u.unit, scope, client: c };
	}
	actors.anonymous = { name: 'anonymous', role: null, unit: null, scope: null, client: srv.client() };

	// The record to delete is made first: the tables' ids are not AUTOINCREMENT, so a deleted
	// highest id would be given again to the next row made (docs/security.md, findings).
	const d = await S.recordIn(actors.veileder.client, actors.radgiver.client, 'S-SKEDSMO', 'Slettet');
	const a = await S.recordIn(actors.veileder.client, actors.radgiver.client, 'S-JESSHEIM', 'Akershus');
	const b = await S.recordIn(actors['veileder.oslo'].client, actors['radgiver.oslo'].client, 'S-STOVNER', 'Stovner');
	const rel = await L.releaseFixture(demo.db, actors.analytiker.client);
	const idOf = (sql) => Number(S.sqliteSync(demo.db, sql));
	const pilotIds = (code) => ({
		member: idOf(`SELECT min(m.id) FROM steering_member m JOIN unit u ON u.id = m.pilot_id WHERE u.code = '${code}'`),
		grant: idOf(`SELECT min(g.id) FROM grant_line g JOIN unit u ON u.id = g.pilot_id WHERE u.code = '${code}'`),
	});
	fx.A = { ...a, pilot: 'P-AKERSHUS', unit: 'P-AKERSHUS', school: 'S-JESSHEIM', user: 'radgiver', ...pilotIds('P-AKERSHUS'), release: rel.id };
	fx.B = { ...b, pilot: 'P-STOVNER', unit: 'P-STOVNER', school: 'S-STOVNER', user: 'veileder.oslo', ...pilotIds('P-STOVNER'), release: rel.id };

	// The deleted objects: the third record removed from the database (its student with every
	// case, contact, decision, measure and consent; the referral), a unit and pilot, an account and
	// a draft release removed as well. Their ids and names are the ones the server once served.
	await L.addUnit(demo.db, 'P-SLETTET', 'Slettet pilot', 'pilot', '02');
	await L.addUser(demo.db, 'slettet.bruker', 'veileder', 'P-AKERSHUS', PASSWORD);
	const y = new Date().getFullYear() - 3;
	const draft = await L.cliOk(['release', 'create', '--db', demo.db, '--year', `${y}/${String((y + 1) % 100).padStart(2, '0')}`]);
	const draftId = Number(/release (\d+):/.exec(draft.stdout)[1]);
	assert.equal(await S.sqlite(demo.db, `PRAGMA foreign_keys = ON;
		DELETE FROM referral WHERE id = ${d.referral};
		DELETE FROM student WHERE pseudonym = '${d.pseudonym}';
		DELETE FROM account WHERE username = 'slettet.bruker';
		DELETE FROM unit WHERE code = 'P-SLETTET';
		DELETE FROM release WHERE id = ${draftId};
		SELECT (SELECT count(*) FROM sak WHERE id = ${d.case}) + (SELECT count(*) FROM contact WHERE id = ${d.contact})
		     + (SELECT count(*) FROM consent WHERE id = ${d.consent});`), '0', 'the deleted record is gone with its parts');
	fx.D = { ...d, pilot: 'P-SLETTET', unit: 'P-SLETTET', school: 'P-SLETTET', user: 'slettet.bruker', member: 999999, grant: 999999, release: draftId };
});

after(async () => {
	await srv?.stop();
});

const g = (fn) => L.guarded(() => srv, fn);

function inputFor(route, n) {
	const v = {
		username: `idor-new-${n}`, password: PASSWORD, role: 'veileder', unit: 'P-AKERSHUS', directorate: 'avdir',
		student_name: 'Idor Elev', birth_year: '2005', consent_on: L.today(-1), consent_by: 'ELEV',
		consent_kind: 'STATISTIKK', referral_source: 'ELEV', main_reason: 'OKONOMI', opened_on: L.today(-1),
		contact_kind: 'TELEFON', on_date: L.today(-1), decision: 'SOSTJL_17', granted: 'true', minutes: '15',
		side: 'nav', measure: 'SOMMERJOBB', start_on: L.today(-1), school_year: '2017/18', outcome: 'FORTSETTER',
		close_reason: 'ANNET', closed_on: L.today(), decline_reason: 'Ikke i målgruppen', withdrawn_on: L.today(),
		name: 'Idor Medlem', organisation: 'Idor org', member_role: 'medlem', project_year: '1', post: '21',
		amount: '1000', paid_on: L.today(), summary: 'Idor', feedback: 'Idor', status: 'active', project_years: '4',
	};
	const out = {};
	for (const k of route.keys) if (k !== 'csrf' && k in v) out[k] = v[k];
	return out;
}

/* The objects a call is about, for an actor and a variant ('own', 'other', 'deleted'). */
function target(actor, variant) {
	if (variant === 'deleted') return 'D';
	const own = actor.scope === 'B' ? 'B' : 'A';
	return variant === 'own' ? own : own === 'A' ? 'B' : 'A';
}

async function pathFor(route, actor, key, allowedHere) {
	const f = fx[key];
	let username = f.user;
	if (route.method === 'POST' && route.path.includes('{username}') && key !== 'D') {
		// Acting on an account changes it: a fresh victim in the target pilot.
		username = `idor-victim-${++victims}`;
		await L.addUser(demo.db, username, 'veileder', f.pilot, PASSWORD);
	}
	let id = f.case;
	const p = route.path;
	if (p.includes('/consents/{id}')) id = f.consent;
	else if (/\/contacts\/\{id\}$/.test(p)) id = f.contact;
	else if (/\/decisions\/\{id\}$/.test(p)) id = f.decision;
	else if (/\/measures\/\{id\}$/.test(p)) id = f.measure;
	else if (p.includes('/referrals/{id}')) id = f.referral;
	else if (p.includes('/releases/{id}')) id = f.release;
	else if (p.includes('/members/{id}')) id = f.member;
	else if (p.includes('/grants/{id}')) id = f.grant;
	let code = p.startsWith('/pilots/') ? f.pilot : f.unit;
	// A radgiver's own unit is the school.
	if (p.startsWith('/api/v1/units/') && actor.role === 'radgiver' && key !== 'D') code = f.school;
	void allowedHere;
	return L.fillPath(p, { pseudonym: f.pseudonym, id, username, code, year: '2016' });
}

/* Is this a success the server gave (as opposed to a refusal)? */
function succeeded(r) {
	if (r.status >= 200 && r.status < 300) return true;
	if (r.status >= 300 && r.status < 400) return !/^\/login(\?|$)/.test(r.location ?? '') && !/[?&]error=/.test(r.location ?? '');
	return false;
}

test('IDOR: every object route × every role × own pilot, other pilot, deleted object', { timeout: 600000 }, g(async () => {
	const t0 = Date.now();
	let n = 0;
	for (const route of objectRoutes) {
		// Releases are national: no pilot of their own, so no "other pilot" variant.
		const variants = route.path.includes('/releases/{id}') ? ['own', 'deleted'] : ['own', 'other', 'deleted'];
		for (const actor of Object.values(actors)) {
			for (const variant of variants) {
				const key = target(actor, variant);
				const roleOk = actor.role !== null && route.roles.includes(actor.role);
				const inScope = key !== 'D' && (actor.scope === 'NO' || actor.scope === key);
				const should = roleOk && inScope;
				const path = await pathFor(route, actor, key, should);
				const c = actor.client;
				let r;
				if (route.method === 'GET') r = await c.get(path);
				else {
					const input = inputFor(route, ++n);
					r = route.api
						? await c.req('POST', path, { json: input, headers: c.csrf ? { 'X-CSRF-Token': c.csrf } : {} })
						: await c.req('POST', path, { form: c.csrf ? { ...input, csrf: c.csrf } : input });
				}
				results.push({ route: `${route.method} ${route.path}`, path, actor: actor.name, role: actor.role ?? 'anonymous',
					variant, should, status: r.status, ok: succeeded(r), location: r.location ?? undefined });
			}
		}
	}
	const findings = results.filter((x) => !x.should && x.ok);
	const errors = results.filter((x) => x.status >= 500);
	const allowedGets = results.filter((x) => x.should && x.route.startsWith('GET '));
	const allowedGetFailures = allowedGets.filter((x) => x.status !== 200);
	const byStatus = {};
	for (const x of results) byStatus[x.status] = (byStatus[x.status] ?? 0) + 1;
	const cells = {};
	for (const x of results) {
		const k = `${x.role}|${x.variant}`;
		cells[k] ??= { role: x.role, variant: x.variant, requests: 0, allowed: 0, refused: 0, unauthorised2xx: 0 };
		cells[k].requests++;
		if (x.should) cells[k].allowed++;
		else cells[k].refused++;
		if (!x.should && x.ok) cells[k].unauthorised2xx++;
	}
	S.writeFigures('idor', {
		routes: objectRoutes.map((r) => `${r.method} ${r.path}`),
		excluded: [...NOT_OBJECTS],
		actors: Object.values(actors).map((a) => ({ name: a.name, role: a.role ?? 'anonymous', unit: a.unit })),
		requests: results.length,
		shouldRefuse: results.filter((x) => !x.should).length,
		unauthorised2xx: findings.length,
		serverErrors: errors.length,
		allowedGets: allowedGets.length,
		allowedGetsNot200: allowedGetFailures.length,
		byStatus,
		cells: Object.values(cells),
		findings: findings.slice(0, 50),
		ms: Date.now() - t0,
	});
	console.log(`idor: ${objectRoutes.length} object routes, ${Object.keys(actors).length} callers, ${results.length} requests, ` +
		`${results.filter((x) => !x.should).length} to refuse, ${findings.length} unauthorised 2xx, ${errors.length} 5xx, ${Date.now() - t0} ms`);
	assert.ok(objectRoutes.length >= 40, `${objectRoutes.length} object routes`);
	assert.deepEqual(findings, [], 'no caller gets an object it should not');
	assert.deepEqual(errors, [], 'no 5xx');
	// The matrix means something only when the allowed calls work: every allowed GET is a 200.
	assert.ok(allowedGets.length >= 40, `${allowedGets.length} allowed GETs`);
	assert.deepEqual(allowedGetFailures, [], 'every allowed GET of an existing object answers 200');
}));
