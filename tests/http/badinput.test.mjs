// Bad input is refused with a clear 4xx before anything is written: oversized bodies and
// headers, broken encodings, unknown keys, overlong fields, bad JSON, unknown content types.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as L from './lib.mjs';

const MAX_BODY = 4096;
let demo, srv, api, web, baseline;

before(async () => {
	demo = await L.demoDb();
	srv = await L.startServer(demo.db, { ELEVLOS_MAX_BODY: String(MAX_BODY) });
	api = srv.client();
	api.bearer = await L.createToken(demo.db, 'admin');
	web = srv.client();
	await web.loginOk('admin', demo.users.admin.password);
	baseline = await state();
});

after(async () => {
	await srv?.stop();
});

const g = (fn) => L.guarded(() => srv, fn);

async function state() {
	const r = await api.get('/api/v1/units');
	assert.equal(r.status, 200);
	const [units, users] = await Promise.all([L.listUnits(demo.db), L.listUsers(demo.db)]);
	return { apiUnits: r.json.units, units, users };
}

async function unchanged(what) {
	assert.deepEqual(await state(), baseline, `${what}: nothing was written`);
}

/* A valid unit body, so that only the one defect under test can be the reason for a refusal. */
const unit = (code) => ({ code, name: 'Bad input test', kind: 'pilot', parent: '03' });
const formOf = (o) => new URLSearchParams(o).toString();

function expectError(r, status, re, what) {
	assert.equal(r.status, status, `${what}: ${r.status} ${r.text.slice(0, 300)}`);
	if (r.json) {
		assert.equal(r.json.error.status, status, what);
		if (re) assert.match(r.json.error.message, re, what);
	} else if (re) {
		assert.match(r.text, re, what);
	}
}

test('a body over ELEVLOS_MAX_BODY is 413', g(async () => {
	const big = JSON.stringify({ ...unit('BIG-1'), name: 'x'.repeat(MAX_BODY) });
	expectError(await api.post('/api/v1/units', { body: big, contentType: 'application/json' }), 413, null, 'JSON with Content-Length');
	const bigForm = formOf({ ...unit('BIG-2'), csrf: web.csrf, name: 'y'.repeat(MAX_BODY) });
	expectError(await web.post('/units', { body: bigForm, contentType: 'application/x-www-form-urlencoded' }), 413, null, 'form');
	// Without Content-Length (chunked): refused while reading.
	const chunks = [Buffer.from('{"code":"BIG-3","name":"'), Buffer.alloc(MAX_BODY * 2, 'z'), Buffer.from('","kind":"pilot","parent":"03"}')];
	const stream = new ReadableStream({
		start(ctl) {
			for (const c of chunks) ctl.enqueue(c);
			ctl.close();
		},
	});
	const r = await fetch(`${srv.base}/api/v1/units`, {
		method: 'POST', body: stream, duplex: 'half', redirect: 'manual',
		headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${api.bearer}` },
	});
	assert.equal(r.status, 413, `chunked: ${r.status} ${await r.text()}`);
	// just under the limit is fine
	const fits = JSON.stringify({ ...unit('FITS-1') });
	assert.ok(fits.length < MAX_BODY);
	await unchanged('413');
	assert.equal((await srv.client().get('/healthz')).status, 200, 'still serving');
}));

test('malformed percent-encoding in body or query is 400', g(async () => {
	for (const bad of ['%ZZ', '%4', '%', 'ab%g1']) {
		const body = `code=PCT-1&name=${bad}&kind=pilot&parent=03`;
		expectError(await api.post('/api/v1/units', { body, contentType: 'application/x-www-form-urlencoded' }),
			400, /percent-encoding/, `body name=${bad}`);
		expectError(await web.post('/units', { body: `csrf=${web.csrf}&${body}`, contentType: 'application/x-www-form-urlencoded' }),
			400, /feil prosentkoding/, `HTML form name=${bad}`);
	}
	expectError(await api.post('/api/v1/units?code=%ZZ', { json: { name: 'x', kind: 'pilot', parent: '03' } }),
		400, /percent-encoding/, 'query on POST');
	expectError(await srv.client().get('/login?next=%G0'), 400, /feil prosentkoding/, 'query on an HTML GET');
	expectError(await api.get('/api/v1/units?x=%'), 400, /percent-encoding/, 'query on an API GET');
	await unchanged('percent-encoding');
}));

test('a refused value on a page is told in the reader\'s language from the catalogue; the API keeps English', g(async () => {
	const body = `csrf=${web.csrf}&code=LANG-1&name=Spr%C3%A5k&kind=planet&parent=03`;
	let r = await web.post('/units', { body, contentType: 'application/x-www-form-urlencoded' });
	expectError(r, 400, /Feltet «kind» må være fylke, pilot, skole eller NAV-kontor\./, 'bokmål');
	assert.ok(!/must be|county, pilot/.test(r.text), 'no English on a Norwegian page');
	const en = srv.client();
	await en.loginOk('admin', demo.users.admin.password);
	await en.post('/language', { form: { csrf: en.csrf, lang: 'en', next: '/start' } });
	r = await en.post('/units', { body: `csrf=${en.csrf}&code=LANG-2&name=x&kind=pilot&parent=03&name=y`, contentType: 'application/x-www-form-urlencoded' });
	expectError(r, 400, /The field “name” was sent more than once\./, 'English');
	r = await en.post('/units', { body: `csrf=${en.csrf}&code=LANG-3&name=${'x'.repeat(300)}&kind=pilot&parent=03`, contentType: 'application/x-www-form-urlencoded' });
	expectError(r, 400, /The field “name” is too long \(at most 200 bytes\)\./, 'too long');
	r = await en.get('/no/such/page');
	expectError(r, 404, /There is nothing here, or you have no access to it\./, 'a 404 page in English');
	r = await web.get('/no/such/page');
	expectError(r, 404, /Det finnes ingenting her/, 'a 404 page in bokmål');
	expectError(await api.post('/api/v1/units', { json: { ...unit('LANG-4'), kind: 'planet' } }), 400, /field 'kind' must be county/, 'API');
	await unchanged('refused values');
}));

test('invalid UTF-8 in a field is 400', g(async () => {
	expectError(await api.post('/api/v1/units', { body: formOf(unit('UTF-1')).replace('name=Bad', 'name=%FF%FEBad'), contentType: 'application/x-www-form-urlencoded' }),
		400, /UTF-8/, 'percent-encoded bytes in a form');
	expectError(await api.post('/api/v1/units', { body: formOf(unit('UTF-2')).replace('name=Bad', 'name=%C3%28Bad'), contentType: 'application/x-www-form-urlencoded' }),
		400, /UTF-8/, 'a broken two-byte sequence');
	expectError(await api.post('/api/v1/units', { body: formOf(unit('UTF-3')).replace('name=Bad', 'name=%ED%A0%80Bad'), contentType: 'application/x-www-form-urlencoded' }),
		400, /UTF-8/, 'a UTF-16 surrogate');
	const raw = Buffer.concat([Buffer.from('{"code":"UTF-4","name":"'), Buffer.from([0xc0, 0xaf, 0xff]), Buffer.from('","kind":"pilot","parent":"03"}')]);
	expectError(await api.post('/api/v1/units', { body: raw, contentType: 'application/json' }), 400, /UTF-8/, 'raw bytes in JSON');
	expectError(await api.post('/api/v1/units', { json: { ...unit('UTF-5'), name: 'a\u0000b' } }), 400, null, 'a NUL in JSON');
	expectError(await api.post('/api/v1/units', { body: formOf(unit('UTF-6')).replace('name=Bad', 'name=a%00Bad'), contentType: 'application/x-www-form-urlencoded' }),
		400, null, 'a NUL in a form');
	await unchanged('UTF-8');
}));

test('an unknown key is 400 and the message names it', g(async () => {
	expectError(await api.post('/api/v1/units', { json: { ...unit('KEY-1'), colour: 'red' } }), 400, /colour/, 'JSON');
	expectError(await api.post('/api/v1/units', { body: formOf({ ...unit('KEY-2'), flavour: 'x' }), contentType: 'application/x-www-form-urlencoded' }),
		400, /flavour/, 'form');
	expectError(await web.post('/units', { form: { ...unit('KEY-3'), csrf: web.csrf, texture: 'y' } }), 400, /texture/, 'HTML form');
	expectError(await api.get('/api/v1/units?sort=name'), 400, /sort/, 'query');
	// a key that exists but is not this route's is unknown here too
	expectError(await api.post('/api/v1/units', { json: { ...unit('KEY-4'), role: 'admin' } }), 400, /role/, 'key of another route');
	expectError(await api.post('/api/v1/units', { body: `${formOf(unit('KEY-5'))}&code=KEY-6`, contentType: 'application/x-www-form-urlencoded' }),
		400, /more than once/, 'a duplicate key');
	expectError(await api.post('/api/v1/units', { body: '{"code":"KEY-7","code":"KEY-8","name":"n","kind":"pilot","parent":"03"}', contentType: 'application/json' }),
		400, null, 'a duplicate JSON key');
	await unchanged('unknown key');
}));

test('an overlong field is 400', g(async () => {
	expectError(await api.post('/api/v1/units', { json: { ...unit('LONG-1'), name: 'n'.repeat(201) } }), 400, /name/, 'name of 201 bytes');
	expectError(await api.post('/api/v1/units', { json: { ...unit('LONG-2'), name: 'æ'.repeat(101) } }), 400, /name/, 'name of 202 bytes in 101 characters');
	expectError(await api.post('/api/v1/units', { json: { ...unit('C'.repeat(33)) } }), 400, /code/, 'code of 33 bytes');
	expectError(await web.post('/users', { form: { csrf: web.csrf, username: 'u'.repeat(65), role: 'veileder', unit: 'P-ALNA', password: 'long enough password' } }),
		400, /username/, 'username of 65 bytes');
	await unchanged('overlong');
	// control: exactly 200 bytes is accepted
	const ok = await api.post('/api/v1/units', { json: { ...unit('LONG-OK'), name: 'n'.repeat(200) } });
	assert.equal(ok.status, 201, ok.text);
	baseline = await state();
}));

test('invalid JSON is 400', g(async () => {
	for (const body of ['{', '{"code":', 'null', '[]', '"text"', '{"code":"J-1",}', '{"code":"J-2"} trailing', '']) {
		if (body === '') continue; // an empty body is no body
		expectError(await api.post('/api/v1/units', { body, contentType: 'application/json' }), 400, null, `JSON ${body}`);
	}
	expectError(await api.post('/api/v1/units', { json: { ...unit('J-3'), name: { nested: 1 } } }), 400, /name/, 'an object as a value');
	expectError(await api.post('/api/v1/units', { json: { ...unit('J-4'), name: ['x'] } }), 400, /name/, 'an array as a value');
	await unchanged('invalid JSON');
}));

test('an unsupported content type is 415', g(async () => {
	for (const ct of ['text/plain', 'multipart/form-data; boundary=x', 'application/xml', 'application/jsonp',
		'application/json-seq', 'application/x-www-form-urlencodedX', 'text/json']) {
		const r = await api.post('/api/v1/units', { body: JSON.stringify(unit('CT-1')), contentType: ct });
		expectError(r, 415, /application\/json/, ct);
	}
	const noType = await api.post('/api/v1/units', { body: JSON.stringify(unit('CT-2')), headers: { 'Content-Type': '' } });
	expectError(noType, 415, null, 'an empty content type');
	await unchanged('415');
	// control: media types are case-insensitive and may carry parameters
	const ok = await api.post('/api/v1/units', { body: JSON.stringify(unit('CT-OK')), contentType: 'Application/JSON; charset=utf-8' });
	assert.equal(ok.status, 201, ok.text);
	baseline = await state();
}));

test('oversized request headers are refused with a 4xx and the server keeps serving', g(async () => {
	const big = 'A'.repeat(64 * 1024);
	const r = await L.rawRequest(srv.port, `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${big}\r\n\r\n`);
	if (r.error === undefined) assert.ok(r.status >= 400 && r.status < 500, `status ${r.status}`);
	// (a server may also just close the connection; either way it must not serve it)
	assert.notEqual(r.status, 200);
	const many = Array.from({ length: 2000 }, (_, i) => `X-H${i}: ${'v'.repeat(30)}\r\n`).join('');
	const r2 = await L.rawRequest(srv.port, `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n${many}\r\n`);
	assert.notEqual(r2.status, 200);
	const cookie = await L.rawRequest(srv.port, `GET /api/v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: elevlos_session=${big}\r\n\r\n`);
	assert.notEqual(cookie.status, 200);
	// still serving, also an authenticated request
	assert.equal((await srv.client().get('/healthz')).status, 200);
	assert.equal((await api.get('/api/v1/me')).status, 200);
	assert.equal((await web.get('/account')).status, 200);
	await unchanged('big headers');
}));

test('garbage request lines do not hurt the server', g(async () => {
	for (const raw of ['GARBAGE\r\n\r\n', 'GET\r\n\r\n', 'GET /healthz HTTP/9.9\r\n\r\n', `GET /${'a'.repeat(70000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
		'POST /api/v1/units HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n',
		'POST /api/v1/units HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n']) {
		const r = await L.rawRequest(srv.port, raw, 3000 * L.SLOW);
		assert.notEqual(r.status, 200, raw.slice(0, 40));
		if (r.status) assert.ok(r.status >= 400, `${raw.slice(0, 40)}: ${r.status}`);
	}
	assert.equal((await srv.client().get('/healthz')).status, 200);
	await unchanged('garbage');
}));
