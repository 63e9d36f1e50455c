// The outcome of a school year on a case: one school year the case spans, never a period
// (the form key school_year also takes periods, for statistics releases).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as L from './lib.mjs';

let demo, srv, fix;
const c = {};

before(async () => {
	demo = await L.demoDb();
	srv = await L.startServer(demo.db);
	for (const u of ['veileder', 'radgiver']) {
		c[u] = srv.client();
		await c[u].loginOk(u, demo.users[u].password);
	}
	fix = await L.recordFixture(c.veileder, c.radgiver);
});

after(async () => {
	await srv?.stop();
});

function schoolYear(d = new Date()) {
	const y = d.getMonth() >= 7 ? d.getFullYear() : d.getFullYear() - 1;
	return `${y}/${String((y + 1) % 100).padStart(2, '0')}`;
}

test('an outcome for a school year the case spans; a period or another year is refused', L.guarded(() => srv, async () => {
	const year = schoolYear(new Date(Date.now() - 10 * 86400000));
	const path = `/api/v1/cases/${fix.case}/outcomes`;
	await L.apiOk(c.veileder, 'POST', path, { school_year: year, outcome: 'FORTSETTER' }, [200, 201]);
	const y = Number(year.slice(0, 4));
	const period = `${y - 1}/${String(y % 100).padStart(2, '0')}-${year}`;
	const r = await c.veileder.req('POST', path, { json: { school_year: period, outcome: 'FORTSETTER' }, csrf: c.veileder.csrf });
	assert.equal(r.status, 422, r.text);
	const old = await c.veileder.req('POST', path, { json: { school_year: '2001/02', outcome: 'FORTSETTER' }, csrf: c.veileder.csrf });
	assert.equal(old.status, 422, old.text);
}));
