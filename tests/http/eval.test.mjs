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
	assert.match(p.text, /<svg class="app-chart" role="img"[^>]*aria-labelledby="chart-event" aria-describedby="chart-event-summary"><title id="chart-event">/);
	assert.match(p.text, /<\/svg><p class="app-chart-summary" id="chart-event-summary">[^<]+<\/p><div class="app-scroll"[^>]*><table[^>]*><caption class="app-caption">Effekt per år før og etter start/);
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
	// The chart's text summary: the range of the estimates after the start, in bokmål's number
	// format, and which years before the start have an interval without zero, from the JSON.
	const post = j1.event_time.filter((e) => e.e >= 0 && e.estimate !== null).map((e) => e.estimate);
	const pre = j1.event_time.filter((e) => e.e < 0 && e.low !== null && (e.low > 0 || e.high < 0)).map((e) => e.e);
	const summary = /<p class="app-chart-summary" id="chart-event-summary">([^<]+)<\/p>/.exec(p.text)[1];
	assert.equal(summary, `Effekten etter start ligger mellom ${L.nbSigned(Math.min(...post), 1)} og ` +
		`${L.nbSigned(Math.max(...post), 1)} prosentpoeng; ` + (pre.length
		? `${pre.length} av årene før start skiller seg sikkert fra null (${pre.map((e) => `\u2212${-e}`).join(', ')}).`
		: 'ingen av årene før start skiller seg sikkert fra null.'));
	// Effects in the tables: signed, decimal comma, a real minus sign.
	assert.match(p.text, /<td class="aksel-table__data-cell app-num">[+\u2212]?\d+,\d\d<\/td><td class="aksel-table__data-cell app-num">\u2212?\d+,\d\d – \u2212?\d+,\d\d<\/td>/);
	assert.doesNotMatch(p.text, /app-num">[+-]?\d+\.\d\d</, 'no C-locale decimals on the page');
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
	assert.match(p.text, /<svg class="app-chart"[^>]*aria-labelledby="chart-trend" aria-describedby="chart-trend-summary">/);
	assert.match(p.text, /<th scope="row" class="aksel-table__data-cell">2015\/16<\/th><td class="aksel-table__data-cell app-num">10,4<\/td>/);
	const csv = await c.leder.get('/evaluation/schools/990000018?track=yrkesfag&format=csv');
	assert.equal(csv.status, 200);
	const rows = csv.text.trim().split('\r\n');
	assert.equal(rows[0], 'school_year,school,county,nation');
	assert.ok(rows.includes('2017/18,8.7,' + rows.find((r) => r.startsWith('2017/18')).split(',').slice(2).join(',')));
	assert.match(rows.find((r) => r.startsWith('2016/17')), /,6\.4$/, 'the nation 6.4 % in 2016/17');
	// The chart's text summary: each line's first and last published share, from the CSV.
	const names = ['Jessheim videregående skole', 'Fylket', 'Hele landet'];
	const parts = names.map((name, k) => {
		const have = rows.slice(1).map((r) => r.split(',')).filter((f) => f[k + 1] !== '');
		const pct = (f) => `${L.nbNum(Number(f[k + 1]), 1)}\u00a0%`;
		if (!have.length) return `${name}: ikke publisert`;
		const [a, z] = [have[0], have[have.length - 1]];
		return have.length === 1 ? `${name}: ${pct(a)} i ${a[0]}` : `${name}: ${pct(a)} i ${a[0]} … ${pct(z)} i ${z[0]}`;
	});
	const summary = /<\/svg><p class="app-chart-summary" id="chart-trend-summary">([^<]+)<\/p>/.exec(p.text)?.[1];
	assert.equal(summary, `${parts.join('; ')}.`);
	// In English: the same numbers with a decimal point and no space before %.
	const en = srv.client();
	await en.loginOk('leder', demo.users.leder.password);
	await en.post('/language', { form: { csrf: en.csrf, lang: 'en', next: '/start' } });
	const pe = await en.get('/evaluation/schools/990000018?track=yrkesfag');
	assert.match(pe.text, /<html lang="en">/);
	assert.match(pe.text, /app-num">10\.4<\/td>/);
	const se = /<p class="app-chart-summary" id="chart-trend-summary">([^<]+)<\/p>/.exec(pe.text)[1];
	assert.match(se, /^Jessheim videregående skole: \d+\.\d% in \d{4}\/\d\d … \d+\.\d% in \d{4}\/\d\d; The county: .*; The nation: .*\.$/);
	assert.equal((await c.leder.get('/evaluation/schools/999999999')).status, 404);
	assert.equal((await c.leder.get('/evaluation/schools/abc')).status, 404);
}));
