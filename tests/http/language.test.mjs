// The language switch: POST /language remembers nb or en in a cookie (logged in or not) and
// goes back to the page it came from; <html lang> and the text follow. The way back is a local
// path only: absolute URLs, "//host" and the like are refused (no open redirect).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as L from './lib.mjs';

const LANG = 'elevlos_lang';
let demo, srv;

before(async () => {
	demo = await L.demoDb();
	srv = await L.startServer(demo.db);
});

after(async () => {
	await srv?.stop();
});

const g = (fn) => L.guarded(() => srv, fn);

/* The hidden next field of the header's language form. */
function switchForm(html) {
	const m = /<form method="post" action="\/language"[^>]*>(.*?)<\/form>/s.exec(html);
	assert.ok(m, 'the header has a language form');
	const next = /name="next" value="([^"]*)"/.exec(m[1])?.[1].replaceAll('&amp;', '&');
	const button = /<button[^>]*name="lang" value="(nb|en)"[^>]*>([^<]*)<\/button>/.exec(m[1]);
	assert.ok(button, 'a lang button');
	return { next, lang: button[1], label: button[2], html: m[0] };
}

test('logged out: the login page switches to English and back, remembered in a cookie', g(async () => {
	const c = srv.client();
	let p = await c.get('/login?next=/statistics');
	assert.equal(p.status, 200);
	assert.match(p.text, /<html lang="nb">/);
	assert.match(p.text, /<h1[^>]*>Logg inn<\/h1>/);
	let f = switchForm(p.text);
	assert.deepEqual([f.lang, f.label, f.next], ['en', 'English', '/login?next=/statistics']);
	// Logged out it follows the form (in the footer), so the keyboard reaches the username first.
	assert.ok(p.text.indexOf('action="/language"') > p.text.indexOf('<footer'), 'the switch is in the footer');
	assert.match(f.html, /<button[^>]*lang="en"/, 'the button is marked as English');

	let r = await c.post('/language', { form: { csrf: c.csrf, lang: 'en', next: f.next } });
	assert.equal(r.status, 303, r.text);
	assert.equal(r.location, '/login?next=/statistics');
	const sc = r.setCookies.find((s) => s.startsWith(`${LANG}=`));
	assert.ok(sc, `a ${LANG} cookie: ${r.setCookies}`);
	assert.match(sc, /^elevlos_lang=en; Path=\/; HttpOnly; SameSite=(Strict|Lax)/);
	const age = Number(/Max-Age=(\d+)/.exec(sc)?.[1]);
	assert.ok(age >= 180 * 86400, `remembered for long: Max-Age=${age}`);

	p = await c.get(r.location);
	assert.match(p.text, /<html lang="en">/);
	assert.match(p.text, /<h1[^>]*>Log in<\/h1>/);
	f = switchForm(p.text);
	assert.deepEqual([f.lang, f.label], ['nb', 'Norsk (bokmål)']);
	assert.match(f.html, /<button[^>]*lang="nb"/);

	// The choice survives logging in.
	r = await c.login('analytiker', demo.users.analytiker.password, { next: '/statistics' });
	assert.equal(r.status, 303);
	p = await c.get('/statistics');
	assert.match(p.text, /<html lang="en">/);
	assert.match(p.text, /<h1[^>]*>Statistics<\/h1>/);

	// And back to bokmål from a logged-in page, where the switch stands in the header.
	assert.match(p.text, /<header[^]*action="\/language"[^]*<\/header>/);
	f = switchForm(p.text);
	assert.equal(f.next, '/statistics');
	r = await c.post('/language', { form: { csrf: c.csrf, lang: f.lang, next: f.next } });
	assert.equal(r.status, 303);
	assert.equal(r.location, '/statistics');
	assert.match(r.setCookies.find((s) => s.startsWith(`${LANG}=`)) ?? '', /^elevlos_lang=nb;/);
	p = await c.get('/statistics');
	assert.match(p.text, /<html lang="nb">/);
	assert.match(p.text, /<h1[^>]*>Statistikk<\/h1>/);
	assert.equal(switchForm(p.text).lang, 'en');
}));

test('without next the switch goes to the front door; a wrong language is refused', g(async () => {
	const c = srv.client();
	await c.loginOk('veileder', demo.users.veileder.password);
	let r = await c.post('/language', { form: { csrf: c.csrf, lang: 'en' } });
	assert.equal(r.status, 303);
	assert.equal(r.location, '/');
	const p = await c.get('/caseload');
	assert.match(p.text, /<html lang="en">/);
	for (const lang of ['de', 'EN', '', 'en; Path=/']) {
		r = await c.post('/language', { form: { csrf: c.csrf, lang, next: '/start' } });
		assert.ok([400, 422].includes(r.status), `lang=${JSON.stringify(lang)}: ${r.status}`);
		assert.ok(!r.setCookies.some((s) => s.startsWith(`${LANG}=`)), `lang=${JSON.stringify(lang)}: no cookie`);
	}
}));

test('open redirects are refused: next must be a path on this site', g(async () => {
	const c = srv.client();
	await c.get('/login');
	for (const next of ['https://evil.example/', 'http:/evil.example', '//evil.example/x', '/\\evil.example',
		'\\\\evil.example', 'javascript:alert(1)', 'evil.example', '/%2F%2Fevil.example', ' /start',
		'/start\r\nLocation: https://evil.example']) {
		const r = await c.post('/language', { form: { csrf: c.csrf, lang: 'en', next } });
		const what = `next=${JSON.stringify(next)} → ${r.status} ${r.location}`;
		assert.equal(r.status, 400, what);
		assert.equal(r.location, null, what);
		assert.ok(!r.setCookies.some((s) => s.startsWith(`${LANG}=`)), `${what}: no cookie`);
	}
	// The same request with a local path works, so the 400s above were next's doing.
	const ok = await c.post('/language', { form: { csrf: c.csrf, lang: 'en', next: '/login' } });
	assert.equal(ok.status, 303);
	assert.equal(ok.location, '/login');
}));

test('the switch needs the CSRF token, logged in or not', g(async () => {
	const anon = srv.client();
	await anon.get('/login');
	let r = await anon.post('/language', { form: { lang: 'en', next: '/login' } });
	assert.equal(r.status, 403);
	assert.ok(!r.setCookies.some((s) => s.startsWith(`${LANG}=`)));
	const c = srv.client();
	await c.loginOk('leder', demo.users.leder.password);
	r = await c.post('/language', { form: { csrf: 'x'.repeat(43), lang: 'en', next: '/start' } });
	assert.equal(r.status, 403);
	assert.ok(!r.setCookies.some((s) => s.startsWith(`${LANG}=`)));
}));
