// Soak (docs/security.md): SOAK_SECONDS (default 60; make security-report: 1800) of mixed load on
// the demo database — logins and logouts, page reads, writes through forms and the API, searches,
// and exports (CSV, XLSX, PDF, the student's export) — from SOAK_WORKERS clients at once. Every
// answer must be the expected one (0 errors) and the server's resident memory (VmRSS) at the end
// must be less than 10 % above what it was after the warm-up (the first tenth, at least 10 s):
// the median of the last tenth against the median of the tenth after the warm-up.
// Writes build/security/soak.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as L from '../http/lib.mjs';
import * as S from './lib.mjs';

const SECONDS = Number(process.env.SOAK_SECONDS || 60);
const WORKERS = Number(process.env.SOAK_WORKERS || 4);
const SAMPLE_MS = 2000;

test(`soak: ${SECONDS} s of mixed load, 0 errors, RSS growth under 10 %`, { timeout: (SECONDS + 600) * 1000 }, async () => {
	const demo = await L.demoDb();
	// Four clients log in as the demo's veileder over and over, a few times a minute each: with two-
	// factor login each login would need a fresh code (a code works once, two per 30 s at most), so
	// the soak runs with the second factor off. The login path with codes is tested in
	// tests/http/mfa.test.mjs; this measures errors and memory under load.
	const srv = await L.startServer(demo.db, { ELEVLOS_MFA_ROLES: 'none' });
	const pid = srv.child.pid;
	const v = srv.client();
	await v.loginOk('veileder', demo.users.veileder.password);
	const r = srv.client();
	await r.loginOk('radgiver', demo.users.radgiver.password);
	const a = srv.client();
	await a.loginOk('analytiker', demo.users.analytiker.password);
	const fix = await L.recordFixture(v, r);
	// Writes go to a case of their own that the reads do not fetch: the pages read stay the same
	// size, so memory growth means a leak, not a page that grew.
	const writes = await S.recordIn(v, r, 'S-JESSHEIM', 'Soak');
	fix.release = (await L.releaseFixture(demo.db, a)).id;
	const token = await L.createToken(demo.db, 'veileder');

	const counts = {};
	const errors = [];
	const latencies = [];
	const byKind = {};
	const samples = [];
	let stop = false;
	const t0 = Date.now();
	const warmupMs = Math.max(10000, SECONDS * 100);

	async function call(what, fn, want) {
		const ts = Date.now();
		let res;
		try {
			res = await fn();
		} catch (e) {
			errors.push(`${what}: ${e.message}`);
			return null;
		}
		const ms = Date.now() - ts;
		latencies.push(ms);
		(byKind[what] ??= []).push(ms);
		counts[what] = (counts[what] ?? 0) + 1;
		if (!want.includes(res.status)) errors.push(`${what}: ${res.status} ${String(res.text).slice(0, 200)}`);
		return res;
	}

	const reads = [
		['caseload', (c) => c.get('/caseload')],
		['student page', (c) => c.get(`/students/${fix.pseudonym}`)],
		['case page', (c) => c.get(`/cases/${fix.case}`)],
		['referrals', (c) => c.get('/referrals')],
		['api caseload', (c) => c.get('/api/v1/caseload')],
		['api student', (c) => c.get(`/api/v1/students/${fix.pseudonym}`)],
	];
	// The access report and the subject-access export list every access-log row of their student,
	// and every read adds one: on one student read over and over they grow without end (the first
	// 30-minute run measured that, not a leak). They go round the demo's students instead.
	const others = (await v.get('/api/v1/students')).json.students.map((x) => x.pseudonym).filter((p) => p !== fix.pseudonym);
	assert.ok(others.length >= 20, `${others.length} demo students`);

	async function worker(n) {
		let i = 0;
		while (!stop) {
			i++;
			// A fresh login now and then, logged out again (sessions do not pile up).
			const c = srv.client();
			const li = await call('login', () => c.login('veileder', demo.users.veileder.password), [303]);
			// A refused login is counted above; the rest of the round would only fail after it.
			if (!li || li.status !== 303) continue;
			await c.fetchCsrf();
			for (let k = 0; k < 10 && !stop; k++) {
				const [what, fn] = reads[(i * 7 + k + n) % reads.length];
				await call(what, () => fn(c), [200]);
			}
			await call('search form', () => c.post('/search', { form: { csrf: c.csrf, q: 'Syntetisk' } }), [200]);
			await call('contact form', () => c.post(`/cases/${writes.case}/contacts`, { form: { csrf: c.csrf,
				contact_kind: 'TELEFON', on_date: L.today(-1), minutes: '5', note: `soak ${n}-${i}` } }), [303]);
			const api = srv.client();
			api.bearer = token;
			await call('api search', () => api.post('/api/v1/students/search', { json: { q: 'Syntetisk' } }), [200]);
			await call('api contact', () => api.post(`/api/v1/cases/${writes.case}/contacts`, { json: {
				contact_kind: 'SAMTALE', on_date: L.today(-1), minutes: '10', note: `soak api ${n}-${i}` } }), [201]);
			const other = others[(i * WORKERS + n) % others.length];
			await call('student access report', () => c.get(`/students/${other}/access`), [200]);
			await call('student export', () => c.get(`/students/${other}/export`), [200]);
			const fmt = ['csv', 'xlsx', 'pdf'][i % 3];
			await call(`statistics ${fmt}`, () => a.get(`/statistics/export?format=${fmt}`), [200]);
			if (i % 3 === 1) await call('statistics page', () => a.get('/statistics'), [200]);
			if (i % 3 === 0) await call('evaluation', () => a.get('/evaluation'), [200]);
			await call('logout', () => c.post('/logout', { form: { csrf: c.csrf } }), [303]);
		}
	}

	const sampler = setInterval(() => {
		try {
			samples.push({ t: Date.now() - t0, rssKiB: S.rssKiB(pid) });
		} catch (e) {
			errors.push(`RSS sample: ${e.message}`);
		}
		// The server's log is kept in memory by the test harness: only its tail is needed.
		if (srv.stderrText.length > 1 << 20) srv.stderrText = srv.stderrText.slice(-(256 << 10));
	}, SAMPLE_MS);
	const timer = setTimeout(() => (stop = true), SECONDS * 1000);
	try {
		await Promise.all(Array.from({ length: WORKERS }, (_, n) => worker(n)));
	} finally {
		clearTimeout(timer);
		clearInterval(sampler);
	}
	samples.push({ t: Date.now() - t0, rssKiB: S.rssKiB(pid) });
	await srv.stop();

	// RSS jumps while an export is being made: compare medians of windows, not single samples —
	// the tenth of the run right after the warm-up against the last tenth.
	const win = Math.max(warmupMs / 2, SECONDS * 100);
	const med = (xs) => S.percentile(xs.map((s) => s.rssKiB), 50);
	const warm = med(samples.filter((s) => s.t >= warmupMs && s.t < warmupMs + win));
	const end = med(samples.filter((s) => s.t >= SECONDS * 1000 - win));
	const growth = warm ? (end - warm) / warm : NaN;
	const requests = Object.values(counts).reduce((x, y) => x + y, 0);
	const figures = {
		seconds: SECONDS, workers: WORKERS, requests, perSecond: Math.round(requests / SECONDS),
		counts, errors: errors.length, errorSamples: errors.slice(0, 20),
		latencyMs: { p50: S.percentile(latencies, 50), p99: S.percentile(latencies, 99), max: latencies.reduce((m, x) => Math.max(m, x), 0) },
		// Per kind of request, so that one growing with the data (the access report once did, in
		// its square) shows here before it makes others time out.
		latencyByKindMs: Object.fromEntries(Object.entries(byKind).map(([k, xs]) => [k,
			{ p50: S.percentile(xs, 50), p99: S.percentile(xs, 99), max: xs.reduce((m, x) => Math.max(m, x), 0) }])),
		rssKiB: { start: samples[0]?.rssKiB, afterWarmup: warm, end, max: samples.reduce((m, x) => Math.max(m, x.rssKiB), 0) },
		rssGrowthPct: Math.round(growth * 1000) / 10,
		warmupSeconds: warmupMs / 1000,
		samples: samples.filter((_, k) => k % Math.max(1, Math.floor(samples.length / 60)) === 0),
	};
	S.writeFigures('soak', figures);
	console.log(`soak: ${SECONDS} s, ${requests} requests (${figures.perSecond}/s), ${errors.length} errors, ` +
		`RSS ${warm} → ${end} KiB (${figures.rssGrowthPct} %), p99 ${figures.latencyMs.p99} ms`);
	assert.deepEqual(errors, [], 'no errors');
	assert.ok(requests > SECONDS, `${requests} requests`);
	assert.ok(growth < 0.10, `RSS grew ${figures.rssGrowthPct} % after the warm-up`);
});
