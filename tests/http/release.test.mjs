// Statistics releases: created with the CLI, approved and published by an analyst, frozen
// after; what is published has no count from 1 to k-1; the same inputs give the same hash; a
// leader sees their pilot's figures of published releases only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as L from './lib.mjs';

let demo, srv, rel;
const c = {};

before(async () => {
	demo = await L.demoDb();
	srv = await L.startServer(demo.db);
	for (const u of ['analytiker', 'leder', 'veileder', 'admin']) {
		c[u] = srv.client();
		await c[u].loginOk(u, demo.users[u].password);
	}
});

after(async () => {
	await srv?.stop();
});

const g = (fn) => L.guarded(() => srv, fn);

function schoolYear() {
	const d = new Date();
	const y = d.getMonth() >= 7 ? d.getFullYear() : d.getFullYear() - 1;
	return `${y}/${String((y + 1) % 100).padStart(2, '0')}`;
}

test('draft → approved → published, each step once, by an analyst; then frozen', g(async () => {
	const year = schoolYear();
	const made = await L.cliOk(['release', 'create', '--db', demo.db, '--year', year, '--note', 'første versjon']);
	const id = Number(/release (\d+): .* version 1, draft/.exec(made.stdout)[1]);
	assert.equal((await c.leder.get(`/api/v1/releases/${id}`)).status, 404, 'a leader sees no draft');
	assert.equal((await c.veileder.get(`/api/v1/releases/${id}`)).status, 403);
	assert.equal((await c.admin.get(`/api/v1/releases/${id}`)).status, 403);
	const a = c.analytiker;
	let r = await a.req('POST', `/api/v1/releases/${id}/publish`, { json: {}, csrf: a.csrf });
	assert.equal(r.status, 409, 'not before it is approved');
	const approved = await L.apiOk(a, 'POST', `/api/v1/releases/${id}/approve`, {}, 200);
	assert.equal(approved.status, 'approved');
	assert.equal(approved.approved_by, 'analytiker');
	r = await a.req('POST', `/api/v1/releases/${id}/approve`, { json: {}, csrf: a.csrf });
	assert.equal(r.status, 409);
	const published = await L.apiOk(a, 'POST', `/api/v1/releases/${id}/publish`, {}, 200);
	assert.equal(published.status, 'published');
	r = await a.req('POST', `/api/v1/releases/${id}/publish`, { json: {}, csrf: a.csrf });
	assert.equal(r.status, 409);
	// Not even the database's owner changes a published release without it being refused.
	for (const sql of [`UPDATE release SET content = '{}' WHERE id = ${id}`, `UPDATE release SET note = 'x' WHERE id = ${id}`,
		`DELETE FROM release WHERE id = ${id}`]) {
		assert.throws(() => execFileSync('sqlite3', [demo.db, sql], { stdio: 'pipe' }), /never changes|release|kept/);
	}
	rel = { id, year };
}));

test('no published count from 1 to k-1; percentages only where both counts are shown', g(async () => {
	const body = await L.apiOk(c.analytiker, 'GET', `/api/v1/releases/${rel.id}`, undefined, 200);
	assert.equal(body.format, 'elevlos-release');
	assert.equal(body.protection.k, 5);
	const values = Object.values(body.cells);
	assert.ok(values.length > 500, `cells: ${values.length}`);
	assert.ok(values.some((v) => v === null), 'the demo has small counts: some are suppressed');
	for (const [k, v] of Object.entries(body.cells))
		if (v !== null) assert.ok(v === 0 || v >= 5, `${k} = ${v} is published`);
	for (const [unit, w] of Object.entries(body.waits))
		if (w) assert.ok(body.cells[`S10.n|${unit}`] >= 5, `S10 of ${unit} only with its count`);
	assert.equal(body.cells_suppressed, values.filter((v) => v === null).length);
}));

test('the same data gives the same hash; a change gives a new version with its note', g(async () => {
	const first = (await L.apiOk(c.analytiker, 'GET', `/api/v1/releases/${rel.id}`, undefined, 200)).inputs_hash;
	const again = await L.cliOk(['release', 'create', '--db', demo.db, '--year', rel.year]);
	assert.match(again.stdout, /version 2, draft/);
	assert.ok(again.stdout.includes(first), 'reproduced: the same inputs hash');
	// A new registration in the year changes the inputs.
	const v = c.veileder;
	const s = await L.apiOk(v, 'POST', '/api/v1/students', { birth_year: '2005', consent_on: L.today(-1), consent_by: 'ELEV' }, 201);
	await L.apiOk(v, 'POST', `/api/v1/students/${s.pseudonym}/cases`, { referral_source: 'ELEV', main_reason: 'RUS', opened_on: L.today(0) }, 201);
	const fixed = await L.cliOk(['release', 'create', '--db', demo.db, '--year', rel.year, '--note', 'retting: ny registrering']);
	assert.match(fixed.stdout, /version 3, draft/);
	assert.ok(!fixed.stdout.includes(first), 'another inputs hash');
	const list = await L.apiOk(c.analytiker, 'GET', '/api/v1/releases', undefined, 200);
	const v3 = list.releases.find((x) => x.version === 3 && x.school_year === rel.year);
	assert.equal(v3.note, 'retting: ny registrering');
	assert.equal((await L.apiOk(c.analytiker, 'GET', `/api/v1/releases/${rel.id}`, undefined, 200)).inputs_hash, first,
		'the published version 1 is unchanged');
}));

test('a leader sees published releases, and only their own pilot', g(async () => {
	const list = await L.apiOk(c.leder, 'GET', '/api/v1/releases', undefined, 200);
	assert.ok(list.releases.length >= 1 && list.releases.every((x) => x.status === 'published'));
	const body = await L.apiOk(c.leder, 'GET', `/api/v1/releases/${rel.id}`, undefined, 200);
	const keys = Object.keys(body.cells);
	assert.ok(keys.length > 50);
	assert.ok(keys.every((k) => k.endsWith('|P-AKERSHUS')), keys.find((k) => !k.endsWith('|P-AKERSHUS')));
	assert.deepEqual(Object.keys(body.waits), ['P-AKERSHUS']);
}));

test('elevlos stats prints the published figures as CSV and JSON, suppressed ones empty', g(async () => {
	const csv = await L.cliOk(['stats', '--db', demo.db, '--year', rel.year, '--unit', 'P-AKERSHUS', '--format', 'csv']);
	const lines = csv.stdout.trim().split('\r\n');
	assert.equal(lines[0], 'school_year,release_version,unit,unit_name,table,table_title,code,label,count,of,share,status,text');
	assert.ok(lines.length > 40);
	for (const l of lines.slice(1)) {
		// Fields, some quoted (titles with a comma); tests/stats/export.test.mjs checks the format.
		const f = [...l.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)].map((m) => m[1]);
		assert.equal(f.length, 13, l);
		for (const v of [f[8], f[9]]) assert.ok(v === '' || Number(v) === 0 || Number(v) >= 5, l);
		assert.equal(f[11], f[8] === '' && f[12] === '' ? 'suppressed' : f[12] === '–' ? 'suppressed' : 'published', l);
	}
	const json = JSON.parse((await L.cliOk(['stats', '--db', demo.db, '--year', rel.year])).stdout);
	assert.equal(json.unit, 'NO');
	assert.equal(json.release_version, 1, 'the newest published version, not the drafts');
}));

/* The sentences a chart's summary may be, rebuilt from its data table (bokmål). */
function expectedSummary(id, table) {
	const cells = (row) => [...row.matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/g)].map((c) => c[1]);
	const rows = [...table.matchAll(/<tr class="aksel-table__row">(.*?)<\/tr>/g)].map((r) => cells(r[1]));
	const count = (s) => (/^[\d\u00a0]+$/.test(s) ? Number(s.replaceAll('\u00a0', '')) : null);
	if (id.startsWith('chart-trend-')) {
		const sentence = (name, col) => {
			const shown = rows.filter((r) => count(r[col]) !== null);
			if (!shown.length) return `${name}: alle tall er skjult.`;
			const [a, z] = [shown[0], shown[shown.length - 1]];
			if (a === z) return `${name}: ${a[col]} i ${a[0]}.`;
			const verb = count(z[col]) > count(a[col]) ? 'steg fra' : count(z[col]) < count(a[col]) ? 'falt fra' : null;
			return verb ? `${name} ${verb} ${a[col]} i ${a[0]} til ${z[col]} i ${z[0]}.`
				: `${name} var uendret: ${a[col]} i ${a[0]} og ${z[col]} i ${z[0]}.`;
		};
		return [`${sentence('Elever fulgt opp', 1)} ${sentence('Nye saker', 2)}`];
	}
	const shares = rows.filter((r) => /^\d+\u00a0%$/.test(r[3])).map((r) => ({ label: r[0], pct: r[3], v: Number.parseInt(r[3]) }));
	const hidden = rows.filter((r) => r[3] === '–' && (r[1].includes('>:<') || r[2].includes('>:<'))).length;
	const tail = hidden === 0 ? '' : hidden === 1 ? ' 1 kategori er skjult.' : ` ${hidden} kategorier er skjult.`;
	if (shares.length === 0) return [`Ingen andeler er vist.${tail}`];
	// The largest first. The page compares unrounded shares, the table shows them rounded: any
	// of the shares that round to the largest may come first, and so on for the second.
	const out = [];
	for (const a of shares.filter((x) => x.v === Math.max(...shares.map((y) => y.v)))) {
		const rest = shares.filter((x) => x !== a);
		if (!rest.length) out.push(`Størst: ${a.label} (${a.pct}).${tail}`);
		for (const b of rest.filter((x) => x.v === Math.max(...rest.map((y) => y.v))))
			out.push(`Størst: ${a.label} (${a.pct}), deretter ${b.label} (${b.pct}).${tail}`);
	}
	return out;
}

test('the statistics page shows the published figures, with no count from 1 to 4', g(async () => {
	const a = await c.analytiker.get(`/statistics?school_year=${encodeURIComponent(rel.year)}&unit=P-AKERSHUS`);
	assert.equal(a.status, 200);
	assert.match(a.text, /Nye saker etter hvem som tok kontakt/);
	// Counts in bokmål's format: thousands apart by a no-break space.
	const nums = [...a.text.matchAll(/<td class="aksel-table__data-cell app-num">(\d{1,3}(?:\u00a0\d{3})*)<\/td>/g)]
		.map((m) => Number(m[1].replaceAll('\u00a0', '')));
	assert.ok(nums.length > 10, `numbers shown: ${nums.length}`);
	for (const n of nums) assert.ok(n === 0 || n >= 5, `a count of ${n} is shown`);
	assert.match(a.text, /title="skjult \/ suppressed">:</, 'suppressed counts are marked');
	assert.match(a.text, /app-num">\d+\u00a0%<\/td>/, 'shares as "41 %" with a no-break space');
	// Every chart is an SVG image with a title, followed by a text summary that it names with
	// aria-describedby, then its data table with the same caption. The summary says what the
	// table says: the trend's first and last year, a distribution's two largest shares.
	const charts = [...a.text.matchAll(/<svg class="app-chart" role="img"[^>]*aria-labelledby="([^"]+)" aria-describedby="([^"]+)"[^>]*><title id="([^"]+)">([^<]+)<\/title>/g)];
	assert.equal(charts.length, 5, 'trend, S2, S3, S5 and S9');
	for (const [, labelled, described, id, title] of charts) {
		assert.equal(labelled, id);
		assert.equal(described, `${id}-summary`);
		const after = a.text.slice(a.text.indexOf(`<title id="${id}">`));
		const m = /<\/svg><p class="app-chart-summary" id="([^"]+)">([^<]+)<\/p><div class="app-scroll"[^>]*><table[^>]*><caption class="app-caption">([^<]+)<\/caption>([^]*?)<\/table>/.exec(after);
		assert.ok(m, `the chart "${title}" is followed by its summary and its table`);
		const [, sid, summary, caption, table] = m;
		assert.equal(sid, described);
		assert.equal(caption, title);
		const want = expectedSummary(id, table);
		assert.ok(want.includes(summary), `the summary of "${title}": ${summary}\nexpected one of ${want.join('\n')}`);
	}
	for (const svg of a.text.match(/<svg[^]*?<\/svg>/g)) assert.doesNotMatch(svg, /<script|on\w+=|href=/i, 'charts are inert');
	const l = await c.leder.get('/statistics?unit=NO');
	assert.equal(l.status, 200);
	assert.match(l.text, /\(P-AKERSHUS\)<\/h2>/, 'a leader asking for the nation gets their own pilot');
	assert.doesNotMatch(l.text, /\(NO\)<\/h2>/);
	const own = await c.leder.get('/statistics');
	assert.equal(own.status, 200);
	assert.match(own.text, /P-AKERSHUS/);
	assert.equal((await c.veileder.get('/statistics')).status, 403);
}));

test('the releases page: an analyst previews a draft, approves it (not their own), publishes it', g(async () => {
	const year = '2019/20';
	const made = await L.cliOk(['release', 'create', '--db', demo.db, '--year', year, '--note', 'til godkjenning']);
	const id = Number(/release (\d+):/.exec(made.stdout)[1]);
	const a = c.analytiker;
	const list = await a.get('/statistics/releases');
	assert.equal(list.status, 200);
	assert.match(list.text, new RegExp(`action="/statistics/releases/${id}/approve"`), 'a draft offers approval');
	assert.doesNotMatch(list.text, new RegExp(`action="/statistics/releases/${id}/publish"`));
	assert.match(list.text, /til godkjenning/);
	const pre = await a.get(`/statistics/releases/${id}?unit=NO`);
	assert.equal(pre.status, 200);
	assert.match(pre.text, /ikke publisert/, 'a preview says it is not published');
	assert.match(pre.text, /Utkast/);
	assert.match(pre.text, /Nye saker etter hovedårsak/);
	assert.equal((await a.get(`/statistics/releases/${id}?unit=P-NOWHERE`)).status, 404);
	assert.equal((await a.get('/statistics/releases/999999')).status, 404);
	assert.equal((await c.leder.get(`/statistics/releases/${id}`)).status, 403, 'leaders see no drafts');
	assert.equal((await c.leder.get('/statistics/releases')).status, 403);
	// Publishing a draft is refused: approval comes first.
	await a.fetchCsrf();
	let r = await a.post(`/statistics/releases/${id}/publish`, { form: { csrf: a.csrf } });
	assert.equal(r.status, 303);
	assert.match(r.headers.get('location'), /error=release\.not_approved/);
	r = await a.post(`/statistics/releases/${id}/approve`, { form: { csrf: a.csrf } });
	assert.equal(r.status, 303);
	assert.match(r.headers.get('location'), /ok=release\.approved/);
	const shown = await a.get(r.headers.get('location'));
	assert.match(shown.text, /Utgivelsen er godkjent/);
	assert.match(shown.text, new RegExp(`action="/statistics/releases/${id}/publish"`));
	r = await a.post(`/statistics/releases/${id}/approve`, { form: { csrf: a.csrf } });
	assert.match(r.headers.get('location'), /error=release\.not_draft/, 'approved once only');
	r = await a.post(`/statistics/releases/${id}/publish`, { form: { csrf: a.csrf } });
	assert.match(r.headers.get('location'), /ok=release\.published/);
	const api = await L.apiOk(a, 'GET', `/api/v1/releases/${id}`, undefined, 200);
	assert.equal(api.release.status, 'published');
	assert.equal(api.release.approved_by, 'analytiker');
	const page = await a.get(`/statistics?school_year=${encodeURIComponent(year)}&unit=NO`);
	assert.match(page.text, /Statistikk 2019\/20/);
	// The trend now spans both published school years, oldest first.
	const trend = /<caption class="app-caption">Elever fulgt opp og nye saker per skoleår \(S1\)<\/caption>[^]*?<\/table>/.exec(page.text)[0];
	const years = [...trend.matchAll(/<th scope="row"[^>]*>(\d{4}\/\d{2})<\/th>/g)].map((m) => m[1]);
	assert.deepEqual(years, [...years].sort());
	assert.ok(years.includes('2019/20') && years.length >= 2, years.join(','));
}));

test('downloads: CSV, XLSX and PDF of the figures a reader may see, as attachments', g(async () => {
	const q = (unit, format) => `/statistics/export?school_year=${encodeURIComponent(rel.year)}&unit=${unit}&format=${format}`;
	const page = await c.analytiker.get(`/statistics?school_year=${encodeURIComponent(rel.year)}&unit=NO`);
	for (const f of ['csv', 'xlsx', 'pdf'])
		assert.ok(page.text.includes(`href="${q('NO', f).replace(/&/g, '&amp;').replace('%2F', '/')}"`), `the page links the ${f}`);
	const y = rel.year.replace('/', '-');
	const csv = await c.analytiker.get(q('NO', 'csv'));
	assert.equal(csv.status, 200);
	assert.match(csv.headers.get('content-type'), /^text\/csv/);
	assert.equal(csv.headers.get('content-disposition'), `attachment; filename="elevlos-${y}-NO.csv"`);
	assert.equal(csv.headers.get('x-content-type-options'), 'nosniff');
	assert.equal(csv.headers.get('cache-control'), 'no-store');
	assert.match(csv.text, /^school_year,/);
	assert.ok(csv.text.split('\r\n').length > 40, 'a line per table row');
	for (const [f, magic] of [['xlsx', 'PK'], ['pdf', '%PDF']]) {
		const r = await fetch(srv.base + q('NO', f), { headers: { Cookie: c.analytiker.cookieHeader() } });
		assert.equal(r.status, 200, f);
		assert.equal(r.headers.get('content-disposition'), `attachment; filename="elevlos-${y}-NO.${f}"`);
		const bytes = Buffer.from(await r.arrayBuffer());
		assert.equal(bytes.subarray(0, magic.length).toString('latin1'), magic, `${f} starts with ${magic}`);
		assert.ok(bytes.length > 2000, `${f}: ${bytes.length} bytes`);
	}
	// A leader gets their own pilot whatever they ask for.
	const l = await c.leder.get(q('NO', 'csv'));
	assert.equal(l.status, 200);
	assert.equal(l.headers.get('content-disposition'), `attachment; filename="elevlos-${y}-P-AKERSHUS.csv"`);
	assert.doesNotMatch(l.text, /,NO,/);
	assert.equal((await c.veileder.get(q('NO', 'csv'))).status, 403);
	assert.equal((await c.analytiker.get(q('NO', 'html'))).status, 400);
	assert.equal((await c.analytiker.get(q('NO', 'exe'))).status, 400);
	assert.equal((await c.analytiker.get(q('P-NOWHERE', 'csv'))).status, 404);
	const none = await c.analytiker.get(`/statistics/export?school_year=2001%2F02&unit=NO&format=pdf`);
	assert.equal(none.status, 404);
	assert.equal(none.headers.get('content-disposition'), null, 'an error is no download');
}));

test('a period of school years: released, published, shown and exported like a year', g(async () => {
	const y = Number(rel.year.slice(0, 4));
	const period = `${y - 1}/${String(y % 100).padStart(2, '0')}-${rel.year}`;
	const made = await L.cliOk(['release', 'create', '--db', demo.db, '--year', period]);
	const id = Number(/release (\d+):/.exec(made.stdout)[1]);
	await L.apiOk(c.analytiker, 'POST', `/api/v1/releases/${id}/approve`, {}, 200);
	await L.apiOk(c.analytiker, 'POST', `/api/v1/releases/${id}/publish`, {}, 200);
	const page = await c.analytiker.get(`/statistics?school_year=${encodeURIComponent(period)}&unit=NO`);
	assert.equal(page.status, 200);
	assert.ok(page.text.includes(`Statistikk ${period} – Norge (NO)`), 'the period as the heading');
	assert.ok(page.text.includes(`<option value="${period}" selected>`), 'the period in the list of releases');
	const csv = (await L.cliOk(['stats', '--db', demo.db, '--year', period, '--format', 'csv'])).stdout;
	assert.ok(csv.split('\r\n')[1].startsWith(`${period},1,NO,`), csv.slice(0, 200));
	const bad = await L.cli(['stats', '--db', demo.db, '--year', `${rel.year}-${period.slice(0, 7)}`]);
	assert.equal(bad.code, 2, 'a period that ends before it starts is refused');
	assert.equal((await c.analytiker.get('/statistics?school_year=2017%2F18-2014%2F15')).status, 400);
}));
