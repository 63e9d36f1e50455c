// sqlmap (docs/security.md) against the login form, a logged-in HTML form (session cookie and
// CSRF token) and the JSON API with a bearer token: it must find no injection. Level and risk
// are limited (SQLMAP_LEVEL, SQLMAP_RISK; default 3 and 2) and the DBMS is given as SQLite so a
// run takes minutes. Each target must have reached its handler (answers that are not 401/403/429),
// or the run proves nothing. Writes build/security/sqlmap.json.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as L from '../http/lib.mjs';
import * as S from './lib.mjs';

const LEVEL = process.env.SQLMAP_LEVEL || '3';
const RISK = process.env.SQLMAP_RISK || '2';
const OUTDIR = path.join(S.OUT, 'sqlmap');

let demo, srv, token, fix, web;
const runs = [];

before(async () => {
	demo = await L.demoDb();
	// Enough room for sqlmap's failed logins before the throttle pauses the address.
	srv = await L.startServer(demo.db, { ELEVLOS_LOGIN_MAX_FAILURES: '1000' });
	const v = srv.client();
	await v.loginOk('veileder', demo.users.veileder.password);
	const r = srv.client();
	await r.loginOk('radgiver', demo.users.radgiver.password);
	fix = await L.recordFixture(v, r);
	token = await L.createToken(demo.db, 'veileder');
	web = srv.client();
	await web.loginOk('veileder', demo.users.veileder.password);
	fs.rmSync(OUTDIR, { recursive: true, force: true });
	fs.mkdirSync(OUTDIR, { recursive: true });
});

after(async () => {
	await srv?.stop();
});

/* The server's request log lines since a mark: [{route, status}]. */
function requestsSince(mark) {
	const out = [];
	for (const line of srv.stderrText.slice(mark).split('\n')) {
		if (!line.includes('"event":"request"')) continue;
		try {
			const j = JSON.parse(line);
			out.push({ route: j.route, status: j.status });
		} catch {
			/* partial */
		}
	}
	return out;
}

function sqlmap(name, args) {
	return new Promise((resolve) => {
		const all = ['--batch', `--level=${LEVEL}`, `--risk=${RISK}`, '--dbms=SQLite', '--flush-session',
			'--disable-coloring', '--timeout=10', '--retries=1',
			// All UNION tests, not the reduced set sqlmap proposes when nothing else hinted at an injection.
			'--answers=reduce the number of requests=N', `--output-dir=${OUTDIR}/${name}`, ...args];
		const child = spawn('sqlmap', all, { stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		child.stdout.on('data', (d) => (out += d));
		child.stderr.on('data', (d) => (out += d));
		child.on('exit', (code) => {
			fs.writeFileSync(path.join(OUTDIR, `${name}.log`), out);
			resolve({ code, out });
		});
	});
}

async function target(name, route, args) {
	const mark = srv.stderrText.length;
	const t0 = Date.now();
	const { code, out } = await sqlmap(name, args);
	// A payload in a path often matches no route at all (404 before any handler): every request of
	// the run counts, the CSRF page fetches included.
	const reqs = requestsSince(mark);
	const toRoute = reqs.filter((x) => x.route === route).length;
	const statuses = {};
	for (const x of reqs) statuses[x.status] = (statuses[x.status] ?? 0) + 1;
	const injectable = /identified the following injection point|is vulnerable|appears to be '.*' injectable/i.test(out) &&
		!/do not appear to be injectable/i.test(out.split('\n').filter((l) => /injection point/i.test(l)).join('\n'));
	const notInjectable = /all tested parameters do not appear to be injectable/i.test(out);
	const reached = reqs.filter((x) => ![401, 403, 429].includes(x.status)).length;
	const run = {
		name, route, exit: code, injectable, allParametersClean: notInjectable, requests: reqs.length, requestsMatchingTheRoute: toRoute,
		answeredNot401or403or429: reached,
		statuses, seconds: Math.round((Date.now() - t0) / 1000),
		findings: out.split('\n').filter((l) => /injectable|injection point|CRITICAL|ERROR/.test(l)).slice(0, 12),
	};
	runs.push(run);
	console.log(`sqlmap ${name}: ${reqs.length} requests, ${toRoute} to ${route} (${JSON.stringify(statuses)}), ` +
		`injectable: ${injectable}, all clean: ${notInjectable}, ${run.seconds} s`);
	return run;
}

const g = (fn) => L.guarded(() => srv, fn);

test('sqlmap finds no injection in the login form, a logged-in form or the JSON API', { timeout: 3600000 }, g(async () => {
	const base = srv.base;
	const bearer = `Authorization: Bearer ${token}`;
	const session = `${L.SESSION}=${web.session}`;
	const runsWanted = [
		['login-form', '/login', [`-u`, `${base}/login`, '--data=csrf=x&username=veileder&password=wrongpassword1',
			'--csrf-token=csrf', `--csrf-url=${base}/login`, '-p', 'username,password', '--ignore-code=401']],
		['search-form', '/search', [`-u`, `${base}/search`, '--data=csrf=x&q=Fixture', `--cookie=${session}`,
			'--csrf-token=csrf', `--csrf-url=${base}/start`, '-p', 'q']],
		['api-search', '/api/v1/students/search', [`-u`, `${base}/api/v1/students/search`, '--data={"q":"Fixture"}',
			`--headers=${bearer}\nContent-Type: application/json`]],
		['api-student', '/api/v1/students/{pseudonym}', [`-u`, `${base}/api/v1/students/${fix.pseudonym}*`, `--headers=${bearer}`]],
		['api-case', '/api/v1/cases/{id}', [`-u`, `${base}/api/v1/cases/${fix.case}*`, `--headers=${bearer}`]],
		['api-unit', '/api/v1/units/{code}', [`-u`, `${base}/api/v1/units/P-AKERSHUS*`, `--headers=${bearer}`]],
		['api-contact', '/api/v1/cases/{id}/contacts', [`-u`, `${base}/api/v1/cases/${fix.case}/contacts`,
			`--data={"contact_kind":"SAMTALE","on_date":"${L.today(-1)}","minutes":"10","note":"sqlmap"}`,
			`--headers=${bearer}\nContent-Type: application/json`, '-p', 'note,minutes,contact_kind']],
	];
	for (const [name, route, args] of runsWanted) await target(name, route, args);
	S.writeFigures('sqlmap', {
		version: 'sqlmap ' + (await new Promise((res) => {
			const c = spawn('sqlmap', ['--version']);
			let o = '';
			c.stdout.on('data', (d) => (o += d));
			c.on('exit', () => res(o.split('\n').find((l) => /^\d+\.\d+/.test(l.trim()))?.trim() ?? 'unknown'));
		})),
		level: Number(LEVEL), risk: Number(RISK), dbms: 'SQLite',
		runs,
		injectable: runs.filter((r) => r.injectable).length,
		requests: runs.reduce((s, r) => s + r.requests, 0),
	});
	for (const r of runs) {
		assert.equal(r.injectable, false, `${r.name}: sqlmap found an injection:\n${r.findings.join('\n')}`);
		assert.ok(r.requests >= 20, `${r.name}: sqlmap sent only ${r.requests} requests to ${r.route}`);
		assert.ok(r.answeredNot401or403or429 >= r.requests / 2, `${r.name}: most requests must reach the handler: ${JSON.stringify(r.statuses)}`);
	}
}));
