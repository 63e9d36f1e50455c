// Sessions: login, logout, rotation, expiry, ending sessions from the CLI, bearer tokens,
// login throttling, and what login attempts leave in the logs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as L from './lib.mjs';

let demo, srv;
const extra = [];

before(async () => {
	demo = await L.demoDb();
	srv = await L.startServer(demo.db);
});

after(async () => {
	const errs = [];
	for (const s of [srv, ...extra]) {
		try {
			await s?.stop();
		} catch (e) {
			errs.push(e);
		}
	}
	if (errs.length) throw errs[0];
});

const g = (fn) => L.guarded(() => [srv, ...extra], fn);
const pw = (name) => demo.users[name].password;

/* GET /api/v1/me with exactly this session cookie value. */
async function meWith(sessionValue) {
	const c = srv.client();
	c.jar.set(L.SESSION, sessionValue);
	return c.get('/api/v1/me');
}

test('login answers 303 to the role\'s first page with an HttpOnly, SameSite=Strict session cookie', g(async () => {
	const c = srv.client();
	const r = await c.login('veileder', pw('veileder'));
	assert.equal(r.status, 303);
	assert.equal(r.location, '/caseload', "a counsellor's day starts at the caseload");
	const sc = r.setCookies.find((s) => s.startsWith(`${L.SESSION}=`));
	assert.ok(sc, `a ${L.SESSION} cookie is set: ${r.setCookies}`);
	assert.match(sc, /;\s*HttpOnly/i);
	assert.match(sc, /;\s*SameSite=Strict/i);
	assert.match(sc, /;\s*Path=\//);
	const me = await c.get('/api/v1/me');
	assert.equal(me.status, 200);
	assert.equal(me.json.username, 'veileder');
}));

test('a wrong password gives a 401 page and no session', g(async () => {
	const c = srv.client();
	const r = await c.login('veileder', 'not the password at all');
	assert.equal(r.status, 401);
	assert.match(r.headers.get('content-type'), /^text\/html/);
	assert.ok(!r.setCookies.some((s) => s.startsWith(`${L.SESSION}=`)), 'no session cookie');
	assert.equal(c.session, undefined);
	assert.equal((await c.get('/api/v1/me')).status, 401);
	// An unknown user gets the same answer.
	const u = await srv.client().login('nobody-here', 'not the password at all');
	assert.equal(u.status, 401);
}));

test('logout ends the session on the server', g(async () => {
	const c = srv.client();
	await c.loginOk('veileder', pw('veileder'));
	const old = c.session;
	assert.equal((await meWith(old)).status, 200);
	const r = await c.post('/logout', { form: { csrf: c.csrf } });
	assert.equal(r.status, 303);
	assert.equal(r.location, '/login');
	assert.equal(c.session, undefined, 'the browser is told to drop the cookie');
	// Replaying the old cookie must not work: the server forgot the session.
	const me = await meWith(old);
	assert.equal(me.status, 401);
	const html = srv.client();
	html.jar.set(L.SESSION, old);
	const start = await html.get('/start');
	assert.equal(start.status, 303);
	assert.match(start.location, /^\/login/);
}));

test('login rotates the session token; the old one is dead', g(async () => {
	// A token planted before login (session fixation) is not adopted.
	const c = srv.client();
	const planted = 'plantedplantedplanted123';
	c.jar.set(L.SESSION, planted);
	await c.loginOk('veileder', pw('veileder'));
	assert.notEqual(c.session, planted);
	assert.equal((await meWith(planted)).status, 401);

	// A live session that logs in again gets a new token, and the old one stops working.
	const before = c.session;
	assert.equal((await meWith(before)).status, 200);
	let r = await c.post('/login', { form: { csrf: c.csrf, username: 'veileder', password: pw('veileder') } });
	// veileder needs a second factor: the old session ends with the password, before the code.
	assert.equal(r.status, 303);
	assert.equal(r.location, '/login/code');
	assert.equal(c.session, undefined, 'the session cookie is cleared');
	assert.equal((await meWith(before)).status, 401, 'the old session is dead before the second step');
	r = await c.secondStep('veileder', r.location);
	assert.equal(r.status, 303);
	assert.ok(c.session, 'a new session cookie');
	assert.notEqual(c.session, before);
	assert.equal((await meWith(before)).status, 401, 'the pre-login session is dead');
	assert.equal((await meWith(c.session)).status, 200);
}));

test('sessions expire when idle and after their absolute lifetime', { concurrency: 2 }, g(async (t) => {
	const idleSrv = new L.Server(demo.db, { ELEVLOS_SESSION_IDLE: '2' });
	const absSrv = new L.Server(demo.db, { ELEVLOS_SESSION_ABSOLUTE: '3' });
	extra.push(idleSrv, absSrv);
	await Promise.all([idleSrv.start(), absSrv.start()]);
	await Promise.all([
		t.test('idle: 3.5 s without a request ends the session', async () => {
			const c = idleSrv.client();
			await c.loginOk('radgiver', pw('radgiver'));
			assert.equal((await c.get('/api/v1/me')).status, 200);
			await L.sleep(3500);
			assert.equal((await c.get('/api/v1/me')).status, 401);
		}),
		t.test('absolute: activity every second does not keep a session past 3 s', async () => {
			const c = absSrv.client();
			const t0 = Date.now(); // before the session exists, so "> 3 s" holds however slow we are
			await c.loginOk('analytiker', pw('analytiker'));
			let expiredAt = null;
			while (Date.now() - t0 < 7000) {
				await L.sleep(900);
				const s = (await c.get('/api/v1/me')).status;
				const el = Date.now() - t0;
				if (s === 401) {
					expiredAt = el;
					break;
				}
				assert.equal(s, 200, `at ${el} ms`);
			}
			assert.ok(expiredAt !== null, 'the session ended');
			assert.ok(expiredAt > 3000, `not before 3 s (ended at ${expiredAt} ms)`);
		}),
	]);
}));

test('disabling a user ends their live session at once', g(async () => {
	await L.addUser(demo.db, 'to.disable', 'veileder', 'P-AKERSHUS', 'a password of some length');
	const c = srv.client();
	await c.loginOk('to.disable', 'a password of some length');
	assert.equal((await c.get('/api/v1/me')).status, 200);
	await L.cliOk(['user', 'disable', '--db', demo.db, '--username', 'to.disable']);
	assert.equal((await c.get('/api/v1/me')).status, 401);
	assert.equal((await c.get('/start')).status, 303);
	// and they cannot log in again
	assert.equal((await srv.client().login('to.disable', 'a password of some length')).status, 401);
}));

test('changing a password from the CLI ends the user\'s sessions at once', g(async () => {
	await L.addUser(demo.db, 'to.passwd', 'veileder', 'P-AKERSHUS', 'the first password here');
	const c = srv.client();
	await c.loginOk('to.passwd', 'the first password here');
	assert.equal((await c.get('/api/v1/me')).status, 200);
	await L.cliOk(['user', 'passwd', '--db', demo.db, '--username', 'to.passwd', '--password-stdin'],
		{ input: 'the second password here\n' });
	assert.equal((await c.get('/api/v1/me')).status, 401);
	assert.equal((await srv.client().login('to.passwd', 'the first password here')).status, 401);
	await srv.client().loginOk('to.passwd', 'the second password here');
}));

test('a bearer token from `token create` works; a garbage bearer is 401', g(async () => {
	const tok = await L.createToken(demo.db, 'admin');
	const c = srv.client();
	c.bearer = tok;
	const me = await c.get('/api/v1/me');
	assert.equal(me.status, 200);
	assert.equal(me.json.username, 'admin');
	for (const bad of ['garbage', 'A'.repeat(43), tok.slice(0, -1) + (tok.endsWith('A') ? 'B' : 'A')]) {
		const b = srv.client();
		b.bearer = bad;
		const r = await b.get('/api/v1/me');
		assert.equal(r.status, 401, `bearer ${bad}`);
		assert.equal(r.json.error.status, 401);
	}
	const basic = await srv.client().get('/api/v1/me', { headers: { Authorization: 'Basic YWRtaW46YWRtaW4=' } });
	assert.equal(basic.status, 401);
	// A bearer whose user is disabled stops working.
	await L.addUser(demo.db, 'tok.user', 'leder', 'P-AKERSHUS', 'a password of some length');
	const t2 = await L.createToken(demo.db, 'tok.user');
	const d = srv.client();
	d.bearer = t2;
	assert.equal((await d.get('/api/v1/me')).status, 200);
	await L.cliOk(['user', 'disable', '--db', demo.db, '--username', 'tok.user']);
	assert.equal((await d.get('/api/v1/me')).status, 401);
}));

test('logins and failed logins are recorded in the access log; the password never in stderr', g(async () => {
	const v0 = await L.auditVerify(demo.db);
	assert.equal(v0.code, 0, v0.out);
	const c = srv.client();
	await c.loginOk('leder', pw('leder'));
	const v1 = await L.auditVerify(demo.db);
	assert.equal(v1.code, 0, v1.out);
	assert.ok(v1.rows > v0.rows, `a login adds access-log rows (${v0.rows} → ${v1.rows})`);

	const secret = 'Secret-Wrong-Pw-4711';
	const f = await srv.client().login('leder', secret);
	assert.equal(f.status, 401);
	const v2 = await L.auditVerify(demo.db);
	assert.equal(v2.code, 0, v2.out);
	assert.ok(v2.rows > v1.rows, `a failed login adds an access-log row (${v1.rows} → ${v2.rows})`);

	await L.sleep(50);
	assert.ok(srv.events().some((e) => e.event === 'login_failed'), 'stderr has a login_failed event');
	assert.ok(!srv.stderrText.includes(secret), 'the wrong password is not in stderr');
	assert.ok(!srv.stderrText.includes(pw('leder')), 'the right password is not in stderr');
	for (const e of srv.events()) assert.ok(!('password' in e), `no password field: ${JSON.stringify(e)}`);
}));

test('login throttling: after 3 failures even the right password gets 429', g(async () => {
	const thr = new L.Server(demo.db, { ELEVLOS_LOGIN_MAX_FAILURES: '3' });
	extra.push(thr);
	await thr.start();
	for (let i = 0; i < 3; i++) {
		const r = await thr.client().login('veileder', `wrong password number ${i}`);
		assert.equal(r.status, 401, `attempt ${i + 1}`);
	}
	const c = thr.client();
	const r = await c.login('veileder', pw('veileder'));
	assert.equal(r.status, 429);
	assert.equal(c.session, undefined, 'no session while throttled');
	await L.sleep(50);
	assert.ok(thr.events().some((e) => e.event === 'login_throttled' || e.event === 'login_failed'));
	for (let i = 0; i < 3; i++) assert.ok(!thr.stderrText.includes(`wrong password number ${i}`));
	await thr.stop();
}));
