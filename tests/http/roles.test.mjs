// Roles × routes: for every route of `elevlos routes --format json` and each of the five roles
// (the users of `elevlos demo`) plus anonymous: allowed is not 401/403, refused is 403,
// anonymous on a role-restricted route is 401 or a redirect to /login. Then unit scope: out of
// scope is 404, exactly like "does not exist".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as L from './lib.mjs';

const ROLES = ['veileder', 'radgiver', 'leder', 'analytiker', 'admin'];
const PASSWORD = 'a long enough password 1';
const routes = await L.routeTable();

let demo, srv, fix;
const clients = {}; // role → logged-in client (for GET requests)
let seq = 0;

before(async () => {
	demo = await L.demoDb();
	srv = await L.startServer(demo.db);
	for (const role of ROLES) {
		clients[role] = srv.client();
		await clients[role].loginOk(role, demo.users[role].password);
	}
	fix = await L.recordFixture(clients.veileder, clients.radgiver);
	fix.release = (await L.releaseFixture(demo.db, clients.analytiker)).id;
});

after(async () => {
	await srv?.stop();
});

const g = (fn) => L.guarded(() => srv, fn);

function inputFor(route, caller, n) {
	const v = {
		username: route.path === '/login' ? caller.username : `roles-new-${n}`,
		password: route.path === '/login' ? caller.password : route.path === '/account/password' ? 'not the current password' : PASSWORD,
		new_password: 'another long password 2',
		role: 'veileder',
		unit: caller.unit,
		code: `ROLES-${n}`,
		name: 'Roles test unit',
		kind: 'pilot',
		parent: '03',
		lang: 'en', next: '/start',
		// the registration record: plausible values; refusals of content are 409/422
		student_name: 'Roles Elev', birth_year: '2005', consent_on: L.today(-1), consent_by: 'ELEV',
		consent_kind: 'STATISTIKK', referral_source: 'ELEV', main_reason: 'OKONOMI', opened_on: L.today(-1),
		contact_kind: 'TELEFON', on_date: L.today(-1), decision: 'SOSTJL_17', granted: 'true',
		side: 'nav', measure: 'SOMMERJOBB', start_on: L.today(-1), school_year: '2017/18', outcome: 'FORTSETTER',
		close_reason: 'ANNET', decline_reason: 'Ikke i målgruppen', q: 'fixture', case: String(fix.case),
	};
	const out = {};
	for (const k of route.keys) if (k !== 'csrf' && k in v) out[k] = v[k];
	return out;
}

/* A client logged in afresh, so a POST's side effects (logout, login, password) stay local: as a
 * new account of the role and unit, since each login of veileder, leder and analytiker uses up
 * an authenticator or recovery code of that account, of which there are only so many per 30
 * seconds (a code is good once). */
async function freshClient(role) {
	const c = srv.client();
	if (role) {
		const u = demo.users[role];
		const name = `roles-${role}-${++seq}`;
		await L.cliOk(['user', 'add', '--db', demo.db, '--username', name, '--role', role, '--unit', u.unit,
			...(role === 'analytiker' ? ['--directorate', 'avdir'] : []), '--password-stdin'], { input: `${PASSWORD}\n` });
		await c.loginOk(name, PASSWORD);
	}
	return c;
}

async function callAs(role, route) {
	const n = ++seq;
	const caller = role ? demo.users[role] : { username: 'veileder', password: demo.users.veileder.password, unit: 'P-AKERSHUS' };
	const allowed = route.roles.length === 0 || (role && route.roles.includes(role));
	// Path parameters: an object in the caller's scope. When the caller may act on a user, a
	// fresh one it may manage.
	let username = role ? caller.username : 'veileder';
	if (allowed && route.method !== 'GET' && route.path.includes('{username}')) {
		username = `roles-victim-${n}`;
		await L.addUser(demo.db, username, 'veileder', caller.unit === 'NO' ? 'P-ALNA' : caller.unit, PASSWORD);
	}
	// A pilot's pages: the leader's own pilot, which the analyst sees too; its register is
	// changed on another pilot, so that the reports' years stay as the demo made them.
	const code = route.path.startsWith('/pilots/')
		? (route.method === 'POST' && route.path === '/pilots/{code}' ? 'P-OSTFOLD' : 'P-AKERSHUS')
		: role ? caller.unit : 'NO';
	const path = L.fillPath(route.path, { username, code, file: 'app.css',
		...L.recordParams(fix, route.path) });
	if (route.method === 'GET') {
		const c = role ? clients[role] : srv.client();
		return { allowed, path, r: await c.get(path) };
	}
	const c = await freshClient(role);
	if (!role) await c.get('/login'); // the pre-login token, for POST /login
	const input = inputFor(route, caller, n);
	const csrf = c.csrf;
	const r = route.api
		? await c.req(route.method, path, { json: input, headers: csrf ? { 'X-CSRF-Token': csrf } : {} })
		: await c.req(route.method, path, { form: csrf ? { ...input, csrf } : input });
	return { allowed, path, r };
}

test('the route table names only known roles', () => {
	for (const r of routes) for (const role of r.roles) assert.ok(ROLES.includes(role), `${r.path}: ${role}`);
});

for (const route of routes) {
	test(`${route.method} ${route.path}: role matrix`, g(async () => {
		for (const role of [...ROLES, null]) {
			const who = role ?? 'anonymous';
			const { allowed, path, r } = await callAs(role, route);
			const what = `${who} ${route.method} ${path} → ${r.status} ${r.text.slice(0, 200)}`;
			if (process.env.ROLES_DEBUG) console.log(`${who} ${route.method} ${path} → ${r.status}`);
			if (allowed) {
				if (route.method === 'GET') assert.ok([200, 303].includes(r.status), what);
				else assert.ok([200, 201, 303, 409, 422].includes(r.status), what);
			} else if (role) {
				assert.equal(r.status, 403, what);
				if (route.api) assert.equal(r.json?.error?.status, 403, what);
			} else if (route.api || route.method !== 'GET') {
				assert.equal(r.status, 401, what);
			} else {
				assert.equal(r.status, 303, what);
				assert.match(r.location ?? '', /^\/login(\?|$)/, what);
			}
		}
	}));
}

test('scope: a leder of P-AKERSHUS sees neither a user nor a unit of P-STOVNER', g(async () => {
	const c = clients.leder;
	assert.equal((await c.get('/users/veileder.oslo')).status, 404);
	assert.equal((await c.get('/api/v1/users/veileder.oslo')).status, 404);
	assert.equal((await c.get('/api/v1/units/P-STOVNER')).status, 404);
	assert.equal((await c.get('/api/v1/units/S-STOVNER')).status, 404);
	assert.equal((await c.get('/api/v1/units/02')).status, 404, 'not even the parent county');
	const own = await c.get('/api/v1/units/P-AKERSHUS');
	assert.equal(own.status, 200);
	assert.equal(own.json.code, 'P-AKERSHUS');
	assert.equal((await c.get('/api/v1/units/S-JESSHEIM')).status, 200, 'a school below the pilot');
	assert.equal((await c.get('/users/veileder')).status, 200, 'a user of the own pilot');

	const units = (await c.get('/api/v1/units')).json.units.map((u) => u.code);
	assert.ok(units.includes('P-AKERSHUS') && units.includes('S-JESSHEIM'));
	assert.ok(!units.includes('P-STOVNER') && !units.includes('NO') && !units.includes('02'), units.join(','));
	const users = (await c.get('/api/v1/users')).json.users.map((u) => u.username);
	assert.ok(users.includes('veileder') && users.includes('radgiver'));
	assert.ok(!users.includes('veileder.oslo') && !users.includes('admin'), users.join(','));

	// Others than the admin and analytiker see only their own part of the tree.
	const v = (await clients.radgiver.get('/api/v1/units')).json.units.map((u) => u.code);
	assert.deepEqual(v, ['S-JESSHEIM']);
	assert.equal((await clients.admin.get('/api/v1/units/P-STOVNER')).status, 200);
	assert.equal((await clients.admin.get('/users/veileder.oslo')).status, 200);
}));

test('scope: out of scope and nonexistent give the identical 404', g(async () => {
	const c = clients.leder;
	const pairs = [
		['/users/veileder.oslo', '/users/no.such.user'],
		['/api/v1/users/veileder.oslo', '/api/v1/users/no.such.user'],
		['/api/v1/units/P-STOVNER', '/api/v1/units/NO-SUCH-UNIT'],
	];
	for (const [hidden, missing] of pairs) {
		const a = await c.get(hidden);
		const b = await c.get(missing);
		assert.equal(a.status, 404, hidden);
		assert.equal(b.status, 404, missing);
		assert.equal(a.text, b.text, `${hidden} and ${missing} answer the same body`);
		assert.equal(a.headers.get('content-type'), b.headers.get('content-type'));
		assert.equal(a.headers.get('content-length'), b.headers.get('content-length'));
	}
}));

test('scope: acting on an out-of-scope user is 404 and changes nothing', g(async () => {
	const c = await freshClient('leder');
	const r = await c.post('/api/v1/users/veileder.oslo/disable', { headers: { 'X-CSRF-Token': c.csrf } });
	assert.equal(r.status, 404);
	const h = await c.post('/users/veileder.oslo/disable', { form: { csrf: c.csrf } });
	assert.equal(h.status, 404);
	const u = (await L.listUsers(demo.db)).find((x) => x.username === 'veileder.oslo');
	assert.equal(u.disabled, false);
	// Creating a user in a unit outside the scope is refused as well.
	const cr = await c.post('/api/v1/users', {
		json: { username: 'scope-escape', role: 'veileder', unit: 'P-STOVNER', password: PASSWORD },
		headers: { 'X-CSRF-Token': c.csrf },
	});
	assert.ok([404, 422].includes(cr.status), `${cr.status}`);
	assert.ok(!(await L.listUsers(demo.db)).some((x) => x.username === 'scope-escape'));
}));

test('a refused action on a visible object is 403', g(async () => {
	const rad = await freshClient('radgiver');
	const r = await rad.post('/api/v1/users', {
		json: { username: 'by-radgiver', role: 'veileder', unit: 'S-JESSHEIM', password: PASSWORD },
		headers: { 'X-CSRF-Token': rad.csrf },
	});
	assert.equal(r.status, 403);
	const leder = srv.client(); // the demo's leder itself: it tries to disable itself below
	await leder.loginOk('leder', demo.users.leder.password);
	// leder may not grant admin, nor disable themselves
	const a = await leder.post('/api/v1/users', {
		json: { username: 'leder-made-admin', role: 'admin', unit: 'P-AKERSHUS', password: PASSWORD },
		headers: { 'X-CSRF-Token': leder.csrf },
	});
	assert.equal(a.status, 403);
	const self = await leder.post('/api/v1/users/leder/disable', { headers: { 'X-CSRF-Token': leder.csrf } });
	assert.equal(self.status, 403);
	const users = await L.listUsers(demo.db);
	assert.ok(!users.some((x) => x.username === 'by-radgiver' || x.username === 'leder-made-admin'));
	assert.equal(users.find((x) => x.username === 'leder').disabled, false);
}));
