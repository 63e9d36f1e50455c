// CSRF: every state-changing route (csrf:true in `elevlos routes --format json`, enumerated so a
// new route cannot be forgotten) refuses a logged-in request without the right token, and
// changes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as L from './lib.mjs';

const routes = await L.routeTable();
const csrfRoutes = routes.filter((r) => r.csrf);

/* The unit a user of each role lives in (demo database). */
const HOME = { veileder: 'P-AKERSHUS', radgiver: 'S-JESSHEIM', leder: 'P-AKERSHUS', analytiker: 'NO', admin: 'NO' };
const PASSWORD = 'a long enough password 1';
const WRONG = 'wRoNgCsRfToKeNwRoNgCsRfToKeNwRoNgCsRfToKeN0';

let demo, srv;
let seq = 0;

before(async () => {
	demo = await L.demoDb();
	srv = await L.startServer(demo.db);
});

after(async () => {
	await srv?.stop();
});

const g = (fn) => L.guarded(() => srv, fn);

/* What must not change when a request is refused. */
async function snapshot(db) {
	const [units, users] = await Promise.all([L.listUnits(db), L.listUsers(db)]);
	return { units, users };
}

/* Plausible input for a route's keys, so that with the right token the request would work. */
function inputFor(route, caller, fresh) {
	const v = {
		username: route.path === '/login' ? caller.username : `new-${fresh}`,
		password: route.path === '/login' || route.path === '/account/password' ? caller.password : PASSWORD,
		new_password: 'another long password 2',
		role: 'veileder',
		unit: caller.unit,
		code: `CSRF-${fresh}`,
		name: 'CSRF test unit',
		kind: 'pilot',
		parent: '03',
		next: '/start',
		lang: 'en',
	};
	const out = {};
	for (const k of route.keys) if (k !== 'csrf' && k in v) out[k] = v[k];
	return out;
}

test('no GET route changes state; every other method needs a CSRF token', () => {
	assert.ok(csrfRoutes.length >= 5, 'the table has state-changing routes');
	for (const r of routes) {
		if (r.method === 'GET' || r.method === 'HEAD')
			assert.equal(r.csrf, false, `${r.method} ${r.path} must not be state-changing`);
		else assert.equal(r.csrf, true, `${r.method} ${r.path} must require a CSRF token`);
		if (r.csrf) assert.ok(r.keys.includes('csrf'), `${r.method} ${r.path} accepts the csrf key`);
	}
});

for (const route of csrfRoutes) {
	test(`${route.method} ${route.path} refuses a missing or wrong CSRF token`, g(async () => {
		const n = ++seq;
		const role = route.roles.length ? route.roles[0] : 'veileder';
		const caller = { username: `csrf-${n}`, password: PASSWORD, unit: HOME[role] };
		assert.ok(caller.unit, `a home unit for role ${role}`);
		await L.addUser(demo.db, caller.username, role, caller.unit, caller.password);
		// An object in the caller's scope for path parameters; a user the caller may manage.
		const victim = `victim-${n}`;
		await L.addUser(demo.db, victim, 'veileder', { NO: 'P-ALNA', 'S-JESSHEIM': 'P-AKERSHUS' }[caller.unit] ?? caller.unit, PASSWORD);
		const path = L.fillPath(route.path, { username: victim, code: caller.unit, file: 'app.css',
			pseudonym: 'E-AAAAAA', id: '1', list: 'reason', year: '2016' });

		const c = srv.client();
		await c.loginOk(caller.username, caller.password);
		const session = c.session;
		const good = c.csrf;
		// Another live session's token is not this session's token (the victim's: a fresh login of
		// its own, where the demo veileder would use up its one-time codes).
		const other = srv.client();
		await other.loginOk(victim, PASSWORD);
		assert.notEqual(other.csrf, good);

		const input = inputFor(route, caller, n);
		const send = (extraFields, headers = {}) =>
			route.api
				? c.req(route.method, path, { json: { ...input, ...extraFields }, headers })
				: c.req(route.method, path, { form: { ...input, ...extraFields }, headers });

		const variants = [
			['no token', {}, {}],
			['an empty token', { csrf: '' }, {}],
			['a wrong token in the body', { csrf: WRONG }, {}],
			['a wrong token in X-CSRF-Token', {}, { 'X-CSRF-Token': WRONG }],
			["another session's token", { csrf: other.csrf }, {}],
			["another session's token in X-CSRF-Token", {}, { 'X-CSRF-Token': other.csrf }],
		];
		const before0 = await snapshot(demo.db);
		for (const [what, fields, headers] of variants) {
			const r = await send(fields, headers);
			assert.equal(r.status, 403, `${what}: expected 403, got ${r.status} ${r.text.slice(0, 200)}`);
			if (route.api) assert.equal(r.json?.error?.status, 403, `${what}: JSON error envelope`);
			assert.ok(!r.setCookies.some((s) => s.startsWith(`${L.SESSION}=`)), `${what}: no session cookie change`);
			assert.equal(c.session, session);
			const me = await c.get('/api/v1/me');
			assert.equal(me.status, 200, `${what}: the session is untouched`);
			assert.equal(me.json.username, caller.username);
		}
		assert.deepEqual(await snapshot(demo.db), before0, 'no unit or user changed');

		// Control: the same request with the right token is not refused, so the 403s above
		// were the token's doing.
		const ok = route.api
			? await c.req(route.method, path, { json: input, headers: { 'X-CSRF-Token': good } })
			: await c.req(route.method, path, { form: { ...input, csrf: good } });
		assert.ok(![401, 403].includes(ok.status),
			`with the right token: got ${ok.status} ${ok.text.slice(0, 300)}`);
		assert.ok(ok.status < 500, `with the right token: got ${ok.status}`);
		await other.post('/logout', { form: { csrf: other.csrf } });
	}));
}

test('anonymous POST /login needs the pre-login token of its own cookie', g(async () => {
	const before0 = await L.auditVerify(demo.db);
	const cases = [
		['no token', async (c) => c.post('/login', { form: { username: 'admin', password: demo.users.admin.password } })],
		['a wrong token', async (c) => {
			await c.get('/login');
			return c.post('/login', { form: { csrf: WRONG, username: 'admin', password: demo.users.admin.password } });
		}],
		['a token without its cookie', async (c) => {
			const f = await c.get('/login');
			const tok = L.csrfFrom(f.text);
			c.jar.delete(L.PRE);
			return c.post('/login', { form: { csrf: tok, username: 'admin', password: demo.users.admin.password } });
		}],
		["someone else's token", async (c) => {
			const o = srv.client();
			const tok = L.csrfFrom((await o.get('/login')).text);
			await c.get('/login');
			return c.post('/login', { form: { csrf: tok, username: 'admin', password: demo.users.admin.password } });
		}],
	];
	for (const [what, run] of cases) {
		const c = srv.client();
		const r = await run(c);
		assert.equal(r.status, 403, `${what}: ${r.status}`);
		assert.equal(c.session, undefined, `${what}: no session`);
	}
	const after0 = await L.auditVerify(demo.db);
	assert.equal(after0.code, 0, after0.out);
	assert.ok(after0.rows >= before0.rows);
}));
