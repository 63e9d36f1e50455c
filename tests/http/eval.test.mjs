// The evaluation pages on the demo's synthetic Udir figures: the effect estimate (HTML with
// its event-study chart and tables, JSON reproducible from the seed), the pilot schools
// classified as the trial's report did (8 fell, 4 rose, 10 without a published figure, from
// 2016/17 to 2017/18), one school's trend against its county and the nation, CSV downloads.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as L from './lib.mjs';

let demo, srv;
const c = {};

before(async () => {
	demo = await L.demoDb();
	srv = await L.startServer(demo.db);
	for (const u of ['analytiker', 'leder', 'veileder']) {
		c[u] = srv.client();
		await c[u].loginOk(u, demo.users[u].password);
	}
});

after(async () => {
	await srv?.stop();
});

const g = (fn) => L.guarded(() => srv, fn);

test('the effect estimate: tables, an event-study chart, a JSON twin that the seed reproduces', g(async () => {
	const p = await c.analytiker.get('/evaluation');
	assert.equal(p.status, 200);
	assert.match(p.text, /<h1[^>]*>Evaluering/);
	assert.match(p.text, /Samlet effekt på andelen som sluttet/);
	assert.match(p.text, /<svg class="app-chart" role="img"[^>]*aria-labelledby="chart-event"><title id="chart-event">/);
	assert.match(p.text, /<\/svg><div class="app-scroll"[^>]*><table[^>]*><caption class="app-caption">Effekt per år før og etter start/);
	assert.match(p.text, /Pilotskoler<\/dt><dd>28</);
	assert.match(p.text, /Sammenligningsskoler \(aldri pilot\)<\/dt><dd>400</);
	const j1 = await L.apiOk(c.analytiker, 'GET', '/api/v1/evaluation?track=yrkesfag', undefined, 200);
	const j2 = await L.apiOk(c.leder, 'GET', '/api/v1/evaluation?track=yrkesfag', undefined, 200);
	assert.deepEqual(j1, j2, 'the same seed gives the same estimate and intervals');
	assert.equal(j1.programme, 'yrkesfag');
	assert.equal(j1.pilot_schools, 28);
	assert.equal(j1.event_time.length, 9);
	assert.deepEqual(j1.event_time.map((e) => e.e), [-4, -3, -2, -1, 0, 1, 2, 3, 4]);
	for (const k of ['overall', 'simple', 'twfe']) {
		const e = j1[k];
		assert.ok(e.low <= e.estimate && e.estimate <= e.high, `${k}: ${JSON.stringify(e)}`);
	}
	assert.equal(j1.bootstrap.replicates, 999);
	assert.equal(typeof j1.pretrend, 'boolean');
	const general = await L.apiOk(c.analytiker, 'GET', '/api/v1/evaluation?track=studieforberedende', undefined, 200);
	assert.notDeepEqual(general.overall, j1.overall, 'another programme, another estimate');
	assert.equal((await c.analytiker.get('/api/v1/evaluation?track=medisin')).status, 400);
	assert.equal((await c.veileder.get('/evaluation')).status, 403);
}));

test('the pilot schools: 8 fell, 4 rose, 10 not published from 2016/17 to 2017/18; CSV alike', g(async () => {
	const p = await c.analytiker.get('/evaluation/schools?track=yrkesfag');
	assert.equal(p.status, 200);
	const count = (label) => Number(new RegExp(`>${label}</th><td class="aksel-table__data-cell app-num">(\\d+)<`).exec(p.text)?.[1]);
	assert.equal(count('Falt'), 8);
	assert.equal(count('Økte'), 4);
	assert.equal(count('Ikke publisert tall'), 10);
	assert.equal(count('Falt') + count('Økte') + count('Uendret') + count('Ikke publisert tall'), 28);
	assert.match(p.text, /href="\/evaluation\/schools\/990000018\?track=yrkesfag"[^>]*>Jessheim videregående skole</);
	const csv = await c.analytiker.get('/evaluation/schools?track=yrkesfag&format=csv');
	assert.equal(csv.status, 200);
	assert.match(csv.headers.get('content-type'), /^text\/csv/);
	assert.match(csv.headers.get('content-disposition'), /^attachment; filename="elevlos-pilot-schools-2016-2017\.csv"$/);
	const lines = csv.text.trim().split('\r\n');
	assert.equal(lines.length, 29, 'a header and 28 schools');
	const cls = lines.slice(1).map((l) => l.split(',')[8]);
	assert.equal(cls.filter((x) => x === 'fell').length, 8);
	assert.equal(cls.filter((x) => x === 'none').length, 10);
	// Alta fell 9.3 → 6.3, as the report says.
	assert.ok(lines.some((l) => /Alta/.test(l) && /,9\.3,6\.3,fell,/.test(l)), 'Alta 9.3 → 6.3');
	// Another pair of years may be asked for.
	const other = await c.analytiker.get('/evaluation/schools?track=yrkesfag&from=2014&to=2017');
	assert.match(other.text, /2014\/15 → 2017\/18/);
	assert.equal((await c.analytiker.get('/evaluation/schools?format=pdf')).status, 400);
}));

test('one school against its county and the nation: chart, table, CSV; unknown school 404', g(async () => {
	const p = await c.leder.get('/evaluation/schools/990000018?track=yrkesfag');
	assert.equal(p.status, 200);
	assert.match(p.text, /<h1[^>]*>Jessheim videregående skole/);
	assert.match(p.text, /<svg class="app-chart"[^>]*aria-labelledby="chart-trend">/);
	assert.match(p.text, /<th scope="row" class="aksel-table__data-cell">2015\/16<\/th><td class="aksel-table__data-cell app-num">10\.4<\/td>/);
	const csv = await c.leder.get('/evaluation/schools/990000018?track=yrkesfag&format=csv');
	assert.equal(csv.status, 200);
	const rows = csv.text.trim().split('\r\n');
	assert.equal(rows[0], 'school_year,school,county,nation');
	assert.ok(rows.includes('2017/18,8.7,' + rows.find((r) => r.startsWith('2017/18')).split(',').slice(2).join(',')));
	assert.match(rows.find((r) => r.startsWith('2016/17')), /,6\.4$/, 'the nation 6.4 % in 2016/17');
	assert.equal((await c.leder.get('/evaluation/schools/999999999')).status, 404);
	assert.equal((await c.leder.get('/evaluation/schools/abc')).status, 404);
}));
