// Small checks for ASVS requirements that no other test covered (tests/security/asvs.json maps
// each requirement to its test): default accounts, long passwords, files outside the assets, the
// binary's hardening, CORS and version headers, and personal data kept out of URLs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as L from '../http/lib.mjs';

let db, srv;

before(async () => {
	db = await L.initDb();
	srv = await L.startServer(db);
});

after(async () => {
	await srv?.stop();
});

test('no default accounts: a new database has no user', async () => {
	assert.deepEqual(await L.listUsers(db), []);
});

test('passwords of 64 and 128 characters, with spaces and any Unicode, are accepted in full', async () => {
	const long64 = [...'æøå ÆØÅ 密码 🙂 '.repeat(8)].slice(0, 64).join('');
	const long128 = 'a correct horse battery staple, '.repeat(4);
	assert.equal([...long64].length, 64);
	assert.equal(long128.length, 128);
	await L.addUser(db, 'long.one', 'admin', 'NO', long64);
	await L.addUser(db, 'long.two', 'admin', 'NO', long128);
	const a = srv.client();
	await a.loginOk('long.one', long64);
	const b = srv.client();
	await b.loginOk('long.two', long128);
	// No truncation: the same password less its last character is refused.
	const c = srv.client();
	assert.equal((await c.login('long.two', long128.slice(0, -1))).status, 401);
});

test('no directory listing and no file outside the embedded assets', async () => {
	const c = srv.client();
	for (const p of ['/.git/config', '/static/', '/static/..%2f..%2fetc%2fpasswd', '/static/../README.md', '/etc/passwd',
		'/static/app.css.bak', '/build/elevlos', '/elevlos.db', '/../main.c']) {
		const r = await c.get(p);
		assert.ok([400, 404].includes(r.status), `${p} → ${r.status}`);
		assert.ok(!/root:x:0|\[core\]|SQLite format/.test(r.text), p);
	}
	assert.equal((await c.get('/static/app.css')).status, 200, 'the assets themselves are served');
});

test('the binary is built hardened: PIE, full RELRO, non-executable stack, stack protector, fortify',
	{ skip: /asan|fuzz/.test(L.BIN) ? 'a sanitizer build is not the hardened one' : false }, () => {
	const bin = L.BIN;
	const h = execFileSync('readelf', ['-h', '-W', bin]).toString();
	assert.match(h, /Type:\s+DYN/, 'position-independent executable');
	const l = execFileSync('readelf', ['-l', '-W', bin]).toString();
	assert.match(l, /GNU_RELRO/);
	const stack = /GNU_STACK.*$/m.exec(l)?.[0] ?? '';
	assert.ok(stack && !/RWE/.test(stack), `non-executable stack: ${stack}`);
	const d = execFileSync('readelf', ['-d', '-W', bin]).toString();
	assert.match(d, /BIND_NOW|FLAGS.*NOW/, 'full RELRO (immediate binding)');
	const syms = execFileSync('readelf', ['--dyn-syms', '-W', bin]).toString();
	assert.match(syms, /__stack_chk_fail/, 'stack protector');
	assert.match(syms, /__\w+_chk@/, 'FORTIFY_SOURCE checks');
});

test('no CORS and no version in the headers', async () => {
	for (const p of ['/login', '/api/v1/openapi.json', '/healthz']) {
		const r = await fetch(srv.base + p, { headers: { Origin: 'https://evil.example' } });
		await r.text();
		assert.equal(r.headers.get('access-control-allow-origin'), null, p);
		assert.equal(r.headers.get('access-control-allow-credentials'), null, p);
		assert.equal(r.headers.get('x-powered-by'), null, p);
		const server = r.headers.get('server');
		assert.ok(server === null || !/\d/.test(server), `Server: ${server}`);
	}
	const pre = await fetch(srv.base + '/api/v1/units', { method: 'OPTIONS', headers: { Origin: 'https://evil.example',
		'Access-Control-Request-Method': 'POST' } });
	await pre.text();
	assert.ok(pre.status >= 400, `a CORS preflight is refused: ${pre.status}`);
	assert.equal(pre.headers.get('access-control-allow-origin'), null);
});

test('personal data travels in bodies, not URLs: no GET route takes free text, a name or an id number', async () => {
	const routes = await L.routeTable();
	const personal = ['q', 'student_name', 'fnr', 'note', 'password', 'new_password', 'purpose', 'decline_reason', 'name'];
	for (const r of routes.filter((x) => x.method === 'GET'))
		for (const k of r.keys) assert.ok(!personal.includes(k), `GET ${r.path} takes ${k} in its query`);
	// The objects' paths carry pseudonyms and numbers, never names or id numbers.
	for (const r of routes) assert.doesNotMatch(r.path, /\{(fnr|name|student_name)\}/, r.path);
});

test('changing a password needs the current one; the login form lets password managers fill and paste', async () => {
	await L.addUser(db, 'change.me', 'analytiker', 'NO', 'the first long password');
	const who = 'change.me';
	const c = srv.client();
	await c.loginOk(who, 'the first long password');
	const wrong = await c.post('/account/password', { form: { csrf: c.csrf, password: 'not the current one', new_password: 'the second long password' } });
	assert.ok(wrong.status >= 400, `a wrong current password is refused: ${wrong.status}`);
	const none = await c.post('/account/password', { form: { csrf: c.csrf, new_password: 'the second long password' } });
	assert.ok(none.status >= 400, `no current password is refused: ${none.status}`);
	assert.equal((await srv.client().login(who, 'the second long password')).status, 401, 'nothing changed');
	const ok = await c.post('/account/password', { form: { csrf: c.csrf, password: 'the first long password', new_password: 'the second long password' } });
	assert.ok([200, 303].includes(ok.status), `${ok.status}`);
	await srv.client().loginOk(who, 'the second long password');
	const form = await srv.client().get('/login');
	assert.match(form.text, /autocomplete="current-password"/);
	assert.doesNotMatch(form.text, /onpaste|autocomplete="off"/);
});
