// The JSON API: the OpenAPI document against the route table, creating units with a bearer
// token, health, metrics, HEAD, and the access log and backups at the end.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as L from './lib.mjs';

let demo, srv, admin;
const routes = await L.routeTable();

before(async () => {
	demo = await L.demoDb();
	srv = await L.startServer(demo.db);
	admin = srv.client();
	admin.bearer = await L.createToken(demo.db, 'admin');
});

after(async () => {
	await srv?.stop();
	// After a clean stop the log still verifies.
	const v = await L.auditVerify(demo.db);
	assert.equal(v.code, 0, v.out);
});

const g = (fn) => L.guarded(() => srv, fn);

test('/api/v1/openapi.json is OpenAPI 3 with exactly the API routes of the route table', g(async () => {
	const r = await srv.client().get('/api/v1/openapi.json');
	assert.equal(r.status, 200);
	assert.match(r.headers.get('content-type'), /^application\/json/);
	const doc = JSON.parse(r.text);
	assert.match(doc.openapi, /^3\.\d+\.\d+$/);
	assert.ok(doc.info?.title && doc.info?.version);
	const inDoc = new Set();
	for (const [p, item] of Object.entries(doc.paths)) {
		for (const [method, op] of Object.entries(item)) {
			inDoc.add(`${method.toUpperCase()} ${p}`);
			assert.ok(op.responses, `${method} ${p} has responses`);
			for (const m of p.matchAll(/\{(\w+)\}/g))
				assert.ok(op.parameters.some((x) => x.in === 'path' && x.name === m[1]), `${method} ${p}: {${m[1]}} described`);
		}
	}
	const inTable = new Set(routes.filter((x) => x.api).map((x) => `${x.method} ${x.path}`));
	assert.ok(inTable.size >= 5);
	for (const k of inTable) assert.ok(inDoc.has(k), `route ${k} is documented`);
	for (const k of inDoc) assert.ok(inTable.has(k), `documented ${k} is a route`);
	// and every /api/ route of the table is flagged api
	for (const x of routes) assert.equal(x.api, x.path.startsWith('/api/'), x.path);
	// roles and CSRF as in the table
	for (const x of routes.filter((y) => y.api)) {
		const op = doc.paths[x.path][x.method.toLowerCase()];
		assert.deepEqual(op['x-roles'], x.roles, `${x.method} ${x.path} roles`);
		assert.equal(op['x-csrf'], x.csrf, `${x.method} ${x.path} csrf`);
	}
}));

test('admin creates a unit with a bearer token; duplicates and wrong parents are refused', g(async () => {
	const before0 = await admin.get('/api/v1/units');
	const r = await admin.post('/api/v1/units', { json: { code: 'API-1', name: 'API pilot', kind: 'pilot', parent: '03' } });
	assert.equal(r.status, 201, r.text);
	assert.deepEqual({ code: r.json.code, name: r.json.name, kind: r.json.kind, parent: r.json.parent },
		{ code: 'API-1', name: 'API pilot', kind: 'pilot', parent: '03' });
	const got = await admin.get('/api/v1/units/API-1');
	assert.equal(got.status, 200);
	assert.equal(got.json.name, 'API pilot');
	assert.equal(got.json.parent, '03');
	const list = await admin.get('/api/v1/units');
	assert.equal(list.json.units.length, before0.json.units.length + 1);
	assert.ok(list.json.units.some((u) => u.code === 'API-1'));

	// a form body works as well, and a school below the new pilot
	const s = await admin.post('/api/v1/units', { form: { code: 'API-1-S', name: 'API school', kind: 'school', parent: 'API-1' } });
	assert.equal(s.status, 201, s.text);

	const dup = await admin.post('/api/v1/units', { json: { code: 'API-1', name: 'Other name', kind: 'pilot', parent: '03' } });
	assert.equal(dup.status, 409, dup.text);
	assert.equal(dup.json.error.status, 409);
	assert.equal((await admin.get('/api/v1/units/API-1')).json.name, 'API pilot', 'the duplicate changed nothing');

	for (const [kind, parent] of [['pilot', 'P-ALNA'], ['school', '03'], ['county', '03'], ['nav_office', 'NO'], ['pilot', 'S-ALNA']]) {
		const w = await admin.post('/api/v1/units', { json: { code: `API-W-${kind}`, name: 'Wrong', kind, parent } });
		assert.equal(w.status, 422, `${kind} under ${parent}: ${w.status} ${w.text}`);
		assert.equal(w.json.error.status, 422);
	}
	const np = await admin.post('/api/v1/units', { json: { code: 'API-NP', name: 'No parent', kind: 'pilot', parent: 'NO-SUCH' } });
	assert.equal(np.status, 422);
	const missing = await admin.post('/api/v1/units', { json: { code: 'API-M', kind: 'pilot', parent: '03' } });
	assert.equal(missing.status, 422);
	const after0 = await admin.get('/api/v1/units');
	assert.equal(after0.json.units.length, before0.json.units.length + 2, 'only the two good units were added');
	assert.equal(after0.json.units.filter((u) => u.code.startsWith('API-W') || u.code === 'API-NP' || u.code === 'API-M').length, 0);
}));

test('the users API: create, read, disable', g(async () => {
	const c = await admin.post('/api/v1/users', { json: { username: 'api.user', role: 'veileder', unit: 'P-ALNA', password: 'a long enough password 1' } });
	assert.equal(c.status, 201, c.text);
	assert.equal(c.json.username, 'api.user');
	assert.ok(!('password' in c.json) && !c.text.includes('a long enough password 1'), 'no password echoed');
	assert.equal((await admin.post('/api/v1/users', { json: { username: 'api.user', role: 'veileder', unit: 'P-ALNA', password: 'a long enough password 1' } })).status, 409);
	assert.equal((await admin.post('/api/v1/users', { json: { username: 'api.short', role: 'veileder', unit: 'P-ALNA', password: 'short' } })).status, 422);
	const u = await admin.get('/api/v1/users/api.user');
	assert.equal(u.status, 200);
	assert.equal(u.json.disabled, false);
	const web = srv.client();
	await web.loginOk('api.user', 'a long enough password 1');
	const d = await admin.post('/api/v1/users/api.user/disable');
	assert.equal(d.status, 200, d.text);
	assert.equal(d.json.disabled, true);
	assert.equal((await admin.get('/api/v1/users/api.user')).json.disabled, true);
	assert.equal((await web.get('/api/v1/me')).status, 401, 'their session ended');
}));

test('/healthz', g(async () => {
	const r = await srv.client().get('/healthz');
	assert.equal(r.status, 200);
	assert.equal(r.json.status, 'ok');
	assert.ok(Number.isInteger(r.json.schema) && r.json.schema > 0);
}));

test('/metrics from loopback is Prometheus text', g(async () => {
	const r = await srv.client().get('/metrics');
	assert.equal(r.status, 200);
	assert.match(r.headers.get('content-type'), /^text\/plain/);
	assert.match(r.text, /^# TYPE elevlos_http_requests_total counter$/m);
	assert.match(r.text, /^elevlos_http_requests_total\{method="GET",route="\/healthz",status="2xx"\} \d+$/m);
	assert.match(r.text, /^elevlos_http_requests_total\{method="POST",route="\/api\/v1\/units",status="2xx"\} \d+$/m);
	for (const line of r.text.split('\n')) {
		if (!line || line.startsWith('#')) continue;
		assert.match(line, /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_]\w*="([^"\\\n]|\\.)*",?)*\})? [0-9.e+-]+$/, `a Prometheus sample line: ${line}`);
	}
	// Through a proxy the peer is loopback but the client is not: then the admin token is needed.
	const proxied = await srv.client().get('/metrics', { headers: { 'X-Forwarded-For': '203.0.113.9' } });
	assert.equal(proxied.status, 403);
	assert.equal((await admin.get('/metrics', { headers: { 'X-Forwarded-For': '203.0.113.9' } })).status, 200);
}));

test('HEAD works like GET without a body', g(async () => {
	for (const [p, c] of [['/healthz', srv.client()], ['/api/v1/me', admin], ['/api/v1/units/03', admin], ['/static/app.css', srv.client()]]) {
		const get = await c.get(p);
		const head = await c.req('HEAD', p);
		assert.equal(head.status, 200, `HEAD ${p}`);
		assert.equal(head.status, get.status, p);
		assert.equal(head.headers.get('content-type'), get.headers.get('content-type'), p);
		assert.ok(head.headers.get('content-security-policy'), p);
	}
	const raw = await L.rawRequest(srv.port, `HEAD /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
	assert.equal(raw.status, 200);
	assert.equal(raw.body, '', 'no body after HEAD');
	assert.equal((await srv.client().req('HEAD', '/api/v1/me')).status, 401);
}));

test('backup while serving gives a database whose access log verifies', g(async () => {
	// writes in flight while the backup runs
	const writes = Array.from({ length: 20 }, (_, i) =>
		admin.post('/api/v1/units', { json: { code: `BK-${i}`, name: `Backup ${i}`, kind: 'pilot', parent: '03' } }));
	const out = path.join(demo.dir, 'backup.db');
	const b = await L.cli(['backup', '--db', demo.db, out]);
	const results = await Promise.all(writes);
	assert.equal(b.code, 0, b.stderr);
	for (const r of results) assert.equal(r.status, 201, r.text);
	assert.ok(fs.statSync(out).size > 0);
	const v = await L.auditVerify(out);
	assert.equal(v.code, 0, v.out);
	assert.ok(v.rows > 0);
	const units = await L.listUnits(out);
	assert.ok(units.some((u) => u.code === 'API-1'), 'the backup has the data');
	// a second backup to the same file is refused
	assert.notEqual((await L.cli(['backup', '--db', demo.db, out])).code, 0);
}));

test('the access log verifies; audit head then verify --head passes', g(async () => {
	const v = await L.auditVerify(demo.db);
	assert.equal(v.code, 0, v.out);
	assert.ok(v.rows > 5, `rows: ${v.rows}`);
	const h = await L.cliOk(['audit', 'head', '--db', demo.db]);
	const head = h.stdout.trim();
	assert.match(head, /^\d+:[0-9a-f]{64}$/);
	const vh = await L.auditVerify(demo.db, head);
	assert.equal(vh.code, 0, vh.out);
	// more rows after the head still verify against it
	await admin.get('/api/v1/users');
	const vh2 = await L.auditVerify(demo.db, head);
	assert.equal(vh2.code, 0, vh2.out);
	assert.ok(vh2.rows > vh.rows);
	// a head that is not this log's is refused
	const [seq, hash] = head.split(':');
	const bad = `${seq}:${hash.slice(0, -1)}${hash.endsWith('0') ? '1' : '0'}`;
	assert.notEqual((await L.auditVerify(demo.db, bad)).code, 0, 'a wrong head fails');
	assert.notEqual((await L.auditVerify(demo.db, `${Number(seq) + 100000}:${hash}`)).code, 0, 'a head past the end fails');
}));
