// Security headers on every kind of response, including errors and a 500; and the acceptance
// test that a request whose access-log row cannot be written fails instead of being served.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as L from './lib.mjs';

let demo, srv, admin, radgiver, anon;

before(async () => {
	demo = await L.demoDb();
	srv = await L.startServer(demo.db);
	admin = srv.client();
	await admin.loginOk('admin', demo.users.admin.password);
	radgiver = srv.client();
	await radgiver.loginOk('radgiver', demo.users.radgiver.password);
	anon = srv.client();
});

after(async () => {
	await srv?.stop();
});

const g = (fn) => L.guarded(() => srv, fn);

function sqlite(db, sql) {
	return new Promise((resolve, reject) => {
		execFile('sqlite3', ['-bail', '-cmd', '.timeout 10000', db, sql], (err, stdout, stderr) => {
			if (err) reject(new Error(`sqlite3 ${sql}: ${err.message} ${stderr}`));
			else resolve(stdout);
		});
	});
}

function checkHeaders(r, what, { cacheable = false } = {}) {
	const h = r.headers;
	const csp = h.get('content-security-policy');
	assert.ok(csp, `${what}: Content-Security-Policy`);
	assert.ok(!csp.includes('unsafe-inline'), `${what}: no 'unsafe-inline' in ${csp}`);
	assert.ok(!csp.includes('unsafe-eval'), `${what}: no 'unsafe-eval' in ${csp}`);
	assert.match(csp, /(^|;)\s*frame-ancestors 'none'\s*(;|$)/, `${what}: frame-ancestors 'none'`);
	assert.match(csp, /(^|;)\s*default-src 'none'\s*(;|$)/, `${what}: default-src 'none'`);
	assert.equal(h.get('x-content-type-options'), 'nosniff', `${what}: nosniff`);
	assert.ok(h.get('referrer-policy'), `${what}: Referrer-Policy`);
	assert.match(h.get('referrer-policy'), /^(no-referrer|same-origin|strict-origin)/, what);
	assert.ok(h.get('content-type'), `${what}: Content-Type`);
	const cc = h.get('cache-control') ?? '';
	if (cacheable) assert.ok(!/no-store/.test(cc) && cc.length > 0, `${what}: cacheable static file (${cc})`);
	else assert.match(cc, /\bno-store\b/, `${what}: Cache-Control no-store (${cc})`);
}

test('security headers on every kind of response', g(async () => {
	const cases = [
		['200 HTML page', () => admin.get('/account'), 200, /^text\/html/],
		['200 login form (anonymous)', () => srv.client().get('/login'), 200, /^text\/html/],
		['200 JSON API', () => admin.get('/api/v1/me'), 200, /^application\/json/],
		['200 healthz', () => anon.get('/healthz'), 200, /^application\/json/],
		['200 metrics', () => anon.get('/metrics'), 200, /^text\/plain/],
		['303 redirect', () => anon.get('/'), 303, null],
		['303 to login', () => anon.get('/users'), 303, null],
		['404 HTML', () => admin.get('/no/such/page'), 404, /^text\/html/],
		['404 HTML, odd path', () => admin.get('/a%20b'), 404, /^text\/html/],
		['404 API', () => admin.get('/api/v1/nothing-here'), 404, /^application\/json/],
		['404 API object', () => admin.get('/api/v1/units/NO-SUCH-UNIT'), 404, /^application\/json/],
		['404 static', () => anon.get('/static/nope.css'), 404, /^text\/html/],
		['405', () => admin.req('PUT', '/login'), 405, /^text\/html/],
		['405 API', () => admin.req('DELETE', '/api/v1/units'), 405, /^application\/json/],
		['401 API', () => anon.get('/api/v1/me'), 401, /^application\/json/],
		['401 POST', () => anon.post('/logout', { form: {} }), 401, /^text\/html/],
		['403 HTML', () => radgiver.get('/users'), 403, /^text\/html/],
		['403 API', () => radgiver.get('/api/v1/users'), 403, /^application\/json/],
		['403 CSRF', () => admin.post('/logout', { form: {} }), 403, /^text\/html/],
		['400', () => admin.get('/api/v1/units?bogus=1'), 400, /^application\/json/],
		['415', () => admin.post('/api/v1/units', { body: 'x', contentType: 'text/plain', csrf: admin.csrf }), 415, /^application\/json/],
	];
	for (const [what, run, status, ctype] of cases) {
		const r = await run();
		assert.equal(r.status, status, `${what}: status ${r.status} ${r.text.slice(0, 200)}`);
		checkHeaders(r, what);
		if (ctype) assert.match(r.headers.get('content-type'), ctype, `${what}: content type`);
		if (status === 405) assert.ok(r.headers.get('allow'), `${what}: Allow`);
		else assert.equal(r.headers.get('allow'), null, `${what}: Allow only on 405`);
	}
	for (const file of ['app.css', 'app.js', 'ds.css']) {
		const r = await anon.get(`/static/${file}`);
		assert.equal(r.status, 200, file);
		checkHeaders(r, `static ${file}`, { cacheable: true });
		assert.ok(r.text.length > 0);
	}
	const head = await anon.req('HEAD', '/static/app.css');
	assert.equal(head.status, 200);
	checkHeaders(head, 'HEAD static', { cacheable: true });
}));

test('a request whose access-log row cannot be written fails with 500 (and the headers are there)', g(async () => {
	const acc = await admin.get('/account');
	assert.equal(acc.status, 200);
	assert.match(acc.text, /name="new_password"/, 'the account page, normally');
	const v0 = await L.auditVerify(demo.db);
	assert.equal(v0.code, 0, v0.out);
	await sqlite(demo.db, "CREATE TRIGGER t_fail BEFORE INSERT ON access_log BEGIN SELECT RAISE(ABORT, 'simulated failure'); END;");
	try {
		for (const [p, ctype] of [['/account', /^text\/html/], ['/api/v1/users', /^application\/json/], ['/users', /^text\/html/]]) {
			const r = await admin.get(p);
			assert.equal(r.status, 500, `${p}: ${r.status}`);
			checkHeaders(r, `500 ${p}`);
			assert.match(r.headers.get('content-type'), ctype);
			assert.ok(!r.text.includes('name="new_password"'), `${p}: the page content is not served`);
			assert.ok(!r.text.includes('veileder.oslo'), `${p}: no personal data served`);
		}
		await L.sleep(50);
		assert.ok(srv.events().some((e) => e.event === 'audit_write_failed'), 'the failure is logged');
	} finally {
		await sqlite(demo.db, 'DROP TRIGGER t_fail;');
	}
	const ok = await admin.get('/account');
	assert.equal(ok.status, 200, 'served again once the log can be written');
	const v1 = await L.auditVerify(demo.db);
	assert.equal(v1.code, 0, v1.out);
	assert.equal(v1.rows, v0.rows + 1, 'only the last read was logged; the failed ones left nothing');
}));
