// Two-factor login (TOTP with recovery codes): the half-finished login grants nothing, enrolment
// with a QR code, wrong and replayed codes refused and throttled, recovery codes once, an
// administrator's reset (page and CLI), voluntary enrolment, expiry, bearer tokens untouched.
// Codes are computed here as an authenticator app does (RFC 6238, lib.mjs totpAt).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as L from './lib.mjs';

const PW = 'a long enough password for mfa';
const MFA = 'elevlos_mfa';
let demo, srv;
const routes = await L.routeTable();

before(async () => {
	demo = await L.demoDb();
	srv = await L.startServer(demo.db);
});

after(async () => {
	await srv?.stop();
});

const g = (fn) => L.guarded(() => srv, fn);
const pw = (u) => demo.users[u].password;
let seq = 0;

/* A fresh account of role: analysts and admins at the nation, the others in P-AKERSHUS. */
async function newUser(role) {
	const name = `mfa-${role}-${++seq}`;
	await L.addUser(demo.db, name, role, ['analytiker', 'admin'].includes(role) ? 'NO' : 'P-AKERSHUS', PW);
	return name;
}

/* The password step only: the client holds the half-finished login. */
async function passwordOnly(c, username, password = PW) {
	const r = await c.login(username, password, { mfa: false });
	assert.equal(r.status, 303, `password step for ${username}: ${r.status}`);
	return r;
}

/* Enrolment by hand: the page, its secret, a first code; returns {secret, codes, step, page}. */
async function enrolByHand(c, where = '/login/enrol', action = where) {
	const p = await c.get(where);
	assert.equal(p.status, 200);
	const secret = L.secretFrom(p.text);
	assert.match(secret, /^[A-Z2-7]{32}$/, '160 bits as base32');
	const step = L.stepNow();
	const r = await c.post(action, { form: { csrf: L.csrfFrom(p.text), otp: L.totpAt(secret, step) } });
	assert.equal(r.status, 200, r.text.slice(0, 300));
	const codes = L.recoveryCodesFrom(r.text);
	assert.equal(codes.length, 10);
	assert.equal(new Set(codes).size, 10);
	return { secret, codes, step, page: p, done: r };
}

async function accessLog(c) {
	const r = await c.get('/account');
	assert.equal(r.status, 200);
	return r.text;
}

test('veileder, leder and analytiker must enrol; before the second step nothing but it is reachable', g(async () => {
	for (const role of ['veileder', 'leder', 'analytiker']) {
		const user = await newUser(role);
		const c = srv.client();
		const r = await passwordOnly(c, user);
		assert.equal(r.location, '/login/enrol', `${role} goes to enrolment`);
		assert.equal(c.session, undefined, 'no session after the password alone');
		assert.ok(c.jar.get(MFA), 'the half-finished login has its own cookie');
		assert.ok(r.setCookies.some((s) => s.startsWith(`${MFA}=`) && /HttpOnly/.test(s) && /SameSite=Strict/.test(s)));
		// Every route that needs a login treats the half-finished login as logged out.
		const p = await c.get('/login/enrol');
		const csrf = L.csrfFrom(p.text);
		for (const rt of routes.filter((x) => x.roles.length > 0)) {
			const path = L.fillPath(rt.path, { username: user, code: 'P-AKERSHUS', pseudonym: 'E-AAAAAA', id: '1',
				list: 'reason', orgnr: '990000018', year: '2016', file: 'x' });
			const res = rt.method === 'GET' ? await c.get(path)
				: rt.api ? await c.req(rt.method, path, { json: {}, csrf })
				: await c.req(rt.method, path, { form: { csrf } });
			const what = `${role} half-logged-in ${rt.method} ${path} → ${res.status}`;
			if (rt.method === 'GET' && !rt.api) {
				assert.equal(res.status, 303, what);
				assert.match(res.location, /^\/login(\?|$)/, what);
			} else {
				assert.equal(res.status, 401, what);
			}
		}
		assert.equal((await c.get('/')).location, '/login');
	}
}));

test('enrolment shows a QR code and the secret, takes a first code, then shows ten recovery codes once', g(async () => {
	const user = await newUser('veileder');
	const c = srv.client();
	await passwordOnly(c, user);
	const p = await c.get('/login/enrol');
	assert.equal(p.status, 200);
	assert.match(p.text, /<svg[^>]*class="app-qr"[^>]*role="img"[^>]*aria-label="QR-kode for autentiseringsappen"/);
	assert.match(p.text, /<path fill="#000" d="(M\d+ \d+h\d+v1h-\d+z){50,}"/, 'the QR code has modules');
	const secret = L.secretFrom(p.text);
	assert.match(secret, /^[A-Z2-7]{32}$/);
	assert.match(p.text, /<input[^>]*name="otp"[^>]*autocomplete="one-time-code"[^>]*inputmode="numeric"/);
	assert.match(p.text, /<label for="f-enrol-otp"/);
	// A reload shows the same secret (the phone may already have it).
	assert.equal(L.secretFrom((await c.get('/login/enrol')).text), secret);
	// A wrong code: refused with an error summary linked to the field.
	const step = L.stepNow();
	const good = L.totpAt(secret, step);
	const wrong = good === '000000' ? '000001' : '000000';
	let r = await c.post('/login/enrol', { form: { csrf: L.csrfFrom(p.text), otp: wrong } });
	assert.equal(r.status, 401);
	assert.match(r.text, /role="alert"/);
	assert.match(r.text, /href="#f-enrol-otp"/);
	assert.match(r.text, /aria-invalid="true"/);
	assert.equal(c.session, undefined);
	r = await c.post('/login/enrol', { form: { csrf: L.csrfFrom(p.text), otp: good } });
	assert.equal(r.status, 200);
	assert.ok(c.session, 'logged in after the first code');
	assert.ok(!c.jar.get(MFA), 'the half-finished login is gone');
	const codes = L.recoveryCodesFrom(r.text);
	assert.equal(codes.length, 10);
	for (const code of codes) assert.match(code, /^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/);
	assert.equal((await c.get('/caseload')).status, 200);
	// The secret and the codes are in no log line.
	await L.sleep(50);
	assert.ok(!srv.stderrText.includes(secret), 'the secret is not logged');
	for (const code of codes) assert.ok(!srv.stderrText.includes(code), 'no recovery code is logged');
	// The secret is not in the database file in the clear (sealed with the key file).
	const fs = await import('node:fs');
	const raw = Buffer.concat([fs.readFileSync(demo.db), fs.existsSync(`${demo.db}-wal`) ? fs.readFileSync(`${demo.db}-wal`) : Buffer.alloc(0)]);
	assert.equal(raw.indexOf(L.base32Decode(secret)), -1, 'the secret bytes are not in the database file');
	// The account page says it is on.
	assert.match(await accessLog(c), /Tofaktorinnlogging er på\. Ubrukte gjenopprettingskoder: 10\./);
}));

test('an enrolled user gets the second step; wrong codes refused; a used code cannot be replayed', g(async () => {
	const user = await newUser('leder');
	const c = srv.client();
	await passwordOnly(c, user);
	const { secret, step } = await enrolByHand(c);
	const d = srv.client();
	const r0 = await passwordOnly(d, user);
	assert.equal(r0.location, '/login/code');
	const p = await d.get('/login/code');
	assert.equal(p.status, 200);
	assert.match(p.text, /<input[^>]*name="otp"[^>]*autocomplete="one-time-code"[^>]*inputmode="numeric"/);
	const csrf = L.csrfFrom(p.text);
	// The enrolment's code again: a replay.
	let r = await d.post('/login/code', { form: { csrf, otp: L.totpAt(secret, step) } });
	assert.equal(r.status, 401);
	assert.match(r.text, /Koden er allerede brukt/);
	// The code of two steps ahead is outside the window.
	r = await d.post('/login/code', { form: { csrf, otp: L.totpAt(secret, L.stepNow() + 2) } });
	assert.equal(r.status, 401);
	assert.match(r.text, /Feil kode/);
	assert.equal(d.session, undefined);
	// The next step's code works once.
	const next = L.totpAt(secret, step + 1);
	r = await d.post('/login/code', { form: { csrf, otp: next } });
	assert.equal(r.status, 303, r.text.slice(0, 300));
	assert.equal(r.location, '/start');
	assert.ok(d.session);
	// Captured and replayed from elsewhere, at once: refused.
	const e = srv.client();
	await passwordOnly(e, user);
	const pe = await e.get('/login/code');
	r = await e.post('/login/code', { form: { csrf: L.csrfFrom(pe.text), otp: next } });
	assert.equal(r.status, 401);
	assert.match(r.text, /Koden er allerede brukt/);
	assert.equal(e.session, undefined);
	assert.ok(srv.events().some((ev) => ev.event === 'mfa_failed' && ev.reason === 'replay'));
}));

test('wrong codes count toward the login throttle', g(async () => {
	const user = await newUser('analytiker');
	const thr = await L.startServer(demo.db, { ELEVLOS_LOGIN_MAX_FAILURES: '3', ELEVLOS_LOGIN_LOCKOUT: '600' });
	try {
		const c = thr.client();
		await passwordOnly(c, user);
		const { secret, step } = await enrolByHand(c);
		const d = thr.client();
		await passwordOnly(d, user);
		const p = await d.get('/login/code');
		const csrf = L.csrfFrom(p.text);
		const good = L.totpAt(secret, step + 1);
		const wrong = ['000000', '111111', '222222', '333333'].filter((x) => x !== good && x !== L.totpAt(secret, step) &&
			x !== L.totpAt(secret, step - 1) && x !== L.totpAt(secret, step + 2));
		for (let i = 0; i < 3; i++) {
			const r = await d.post('/login/code', { form: { csrf, otp: wrong[i % wrong.length] } });
			assert.equal(r.status, 401, `wrong code ${i + 1}`);
		}
		// Now even the right code waits.
		let r = await d.post('/login/code', { form: { csrf, otp: good } });
		assert.equal(r.status, 429);
		assert.match(r.text, /For mange mislykkede forsøk/);
		assert.equal(d.session, undefined);
		// And the password step too: the account is throttled.
		r = await thr.client().login(user, PW, { mfa: false });
		assert.equal(r.status, 429);
		// A right password does not clear the count of wrong codes.
		assert.ok(thr.events().filter((ev) => ev.event === 'mfa_failed').length >= 3);
	} finally {
		await thr.stop();
	}
}));

test('a recovery code logs in once, and its use is in the access log', g(async () => {
	const user = await newUser('veileder');
	const c = srv.client();
	await passwordOnly(c, user);
	const { codes } = await enrolByHand(c);
	const d = srv.client();
	await passwordOnly(d, user);
	let p = await d.get('/login/code');
	assert.match(p.text, /<input[^>]*id="f-recovery-otp"[^>]*autocomplete="off"/);
	// Typed loosely: upper case, spaces for dashes.
	let r = await d.post('/login/code', { form: { csrf: L.csrfFrom(p.text), otp: codes[0].toUpperCase().replace(/-/g, ' ') } });
	assert.equal(r.status, 303, r.text.slice(0, 300));
	assert.ok(d.session);
	assert.match(await accessLog(d), /mfa_recovery_used/);
	assert.match(await accessLog(d), /Ubrukte gjenopprettingskoder: 9\./);
	const e = srv.client();
	await passwordOnly(e, user);
	p = await e.get('/login/code');
	r = await e.post('/login/code', { form: { csrf: L.csrfFrom(p.text), otp: codes[0] } });
	assert.equal(r.status, 401, 'the same recovery code again');
	assert.match(r.text, /href="#f-recovery-otp"/, 'the error points at the recovery field');
	assert.equal(e.session, undefined);
	r = await e.post('/login/code', { form: { csrf: L.csrfFrom(p.text), otp: codes[1] } });
	assert.equal(r.status, 303);
}));

test('new recovery codes need a current code and replace the old ones', g(async () => {
	const user = await newUser('leder');
	const c = srv.client();
	await passwordOnly(c, user);
	const { secret, codes, step } = await enrolByHand(c);
	let a = await c.get('/account');
	let r = await c.post('/account/mfa/recovery', { form: { csrf: L.csrfFrom(a.text), otp: '12345' } });
	assert.equal(r.status, 422);
	assert.match(r.text, /href="#f-recovery-otp"/);
	r = await c.post('/account/mfa/recovery', { form: { csrf: L.csrfFrom(a.text), otp: L.totpAt(secret, step + 1) } });
	assert.equal(r.status, 200, r.text.slice(0, 300));
	const fresh = L.recoveryCodesFrom(r.text);
	assert.equal(fresh.length, 10);
	assert.ok(!fresh.includes(codes[0]));
	assert.match(await accessLog(c), /mfa_recovery_renew/);
	const d = srv.client();
	await passwordOnly(d, user);
	const p = await d.get('/login/code');
	assert.equal((await d.post('/login/code', { form: { csrf: L.csrfFrom(p.text), otp: codes[2] } })).status, 401, 'an old code');
	assert.equal((await d.post('/login/code', { form: { csrf: L.csrfFrom(p.text), otp: fresh[2] } })).status, 303, 'a new code');
}));

test('an administrator resets a user\'s second factor (page and CLI); the reset is in the access log', g(async () => {
	const user = await newUser('veileder');
	const c = srv.client();
	await passwordOnly(c, user);
	await enrolByHand(c);
	const admin = srv.client();
	await admin.loginOk('admin', pw('admin'));
	let page = await admin.get(`/users/${user}`);
	assert.match(page.text, /Tofaktorinnlogging er på\./);
	assert.match(page.text, new RegExp(`action="/users/${user}/mfa/reset"`));
	// A leader may see users but not reset their second factor.
	const leder = srv.client();
	await leder.loginOk('leder', pw('leder'));
	const lp = await leder.get(`/users/${user}`);
	assert.doesNotMatch(lp.text, /mfa\/reset/);
	assert.equal((await leder.post(`/users/${user}/mfa/reset`, { form: { csrf: leder.csrf } })).status, 403);
	let r = await admin.post(`/users/${user}/mfa/reset`, { form: { csrf: admin.csrf } });
	assert.equal(r.status, 303);
	assert.equal(r.location, `/users/${user}`);
	page = await admin.get(`/users/${user}`);
	assert.match(page.text, /Tofaktorinnlogging er ikke satt opp\./);
	assert.match(await accessLog(admin), new RegExp(`mfa_reset[\\s\\S]*user:${user}|user:${user}[\\s\\S]*mfa_reset`));
	// The next login enrols anew, with a new secret.
	const d = srv.client();
	r = await passwordOnly(d, user);
	assert.equal(r.location, '/login/enrol');
	await enrolByHand(d);
	// The CLI does the same.
	const cl = await L.cliOk(['user', 'mfa-reset', '--db', demo.db, '--username', user]);
	assert.match(cl.stdout, /second factor removed/);
	r = await passwordOnly(srv.client(), user);
	assert.equal(r.location, '/login/enrol');
	const v = await L.auditVerify(demo.db);
	assert.equal(v.code, 0, v.out);
	assert.equal((await L.cli(['user', 'mfa-reset', '--db', demo.db, '--username', 'nobody-such'])).code !== 0, true);
}));

test('an admin, not required, may enrol voluntarily; then the login asks for the code', g(async () => {
	const user = await newUser('admin');
	const c = srv.client();
	let r = await c.login(user, PW, { mfa: false });
	assert.equal(r.status, 303);
	assert.equal(r.location, '/start', 'no second step for an admin without one');
	assert.ok(c.session);
	await c.fetchCsrf();
	const acc = await c.get('/account');
	assert.match(acc.text, /Tofaktorinnlogging er ikke satt opp\. Den gjør kontoen din tryggere\./);
	assert.match(acc.text, /href="\/account\/mfa"/);
	const p = await c.get('/account/mfa');
	assert.match(p.text, /class="app-qr"/);
	r = await c.post('/account/mfa', { form: { csrf: L.csrfFrom(p.text), otp: '99999a' } });
	assert.equal(r.status, 422);
	const { secret, step } = await enrolByHand(c, '/account/mfa');
	assert.match(await accessLog(c), /mfa_enrol/);
	// Enrolled: the account page offers no second enrolment.
	assert.equal((await c.get('/account/mfa')).status, 303);
	const d = srv.client();
	r = await passwordOnly(d, user);
	assert.equal(r.location, '/login/code');
	const pc = await d.get('/login/code');
	r = await d.post('/login/code', { form: { csrf: L.csrfFrom(pc.text), otp: L.totpAt(secret, step + 1) } });
	assert.equal(r.status, 303);
	assert.equal(r.location, '/start');
}));

test('the half-finished login expires; then the password is asked again', g(async () => {
	const secs = 2 * L.SLOW; // long enough for the enrolment page under valgrind
	const short = await L.startServer(demo.db, { ELEVLOS_MFA_PENDING: String(secs) });
	try {
		const user = await newUser('veileder');
		const c = short.client();
		await passwordOnly(c, user);
		const p = await c.get('/login/enrol');
		assert.equal(p.status, 200);
		await L.sleep(secs * 1000 + 1200);
		let r = await c.get('/login/enrol');
		assert.equal(r.status, 303);
		assert.equal(r.location, '/login');
		r = await c.post('/login/enrol', { form: { csrf: L.csrfFrom(p.text), otp: '123456' } });
		assert.equal(r.status, 303);
		assert.equal(r.location, '/login?error=mfa.expired');
		r = await c.get(r.location);
		assert.match(r.text, /Innloggingen tok for lang tid/);
		assert.equal(c.session, undefined);
	} finally {
		await short.stop();
	}
}));

test('mfa_roles: "none" lets unenrolled users in with the password; an unknown role is refused at start', g(async () => {
	const off = await L.startServer(demo.db, { ELEVLOS_MFA_ROLES: 'none' });
	try {
		const fresh = await newUser('veileder');
		const r = await off.client().login(fresh, PW, { mfa: false });
		assert.equal(r.status, 303);
		assert.equal(r.location, '/caseload');
		// Whoever enrolled keeps the second step.
		const user = await newUser('leder');
		const c = off.client();
		await c.login(user, PW, { mfa: false });
		await c.fetchCsrf();
		await enrolByHand(c, '/account/mfa');
		assert.equal((await off.client().login(user, PW, { mfa: false })).location, '/login/code');
	} finally {
		await off.stop();
	}
	const bad = await L.cli(['serve', '--db', demo.db, '--listen', '127.0.0.1:1', '--mfa-roles', 'veileder,ledr']);
	assert.notEqual(bad.code, 0);
	assert.match(bad.stderr, /mfa_roles/);
}));

test('bearer API tokens are unaffected by the second factor', g(async () => {
	const tok = await L.createToken(demo.db, 'veileder');
	const c = srv.client();
	c.bearer = tok;
	const r = await c.get('/api/v1/me');
	assert.equal(r.status, 200);
	assert.equal(r.json.username, 'veileder');
}));
