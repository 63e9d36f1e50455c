// Writes docs/security.md from the figures of the security checks (build/security/*.json, written
// by tests/security/*.test.mjs) and the hand-kept ASVS mapping (tests/security/asvs.json).
// Every test a mapping row names must exist: the file, and in it the test's title (node:test) or
// function name (cmocka); otherwise the report is not written and the command fails.
//
//   node tests/security/report.mjs [--out docs/security.md] [--figures build/security]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const STATUSES = {
	test: 'covered by a test',
	partial: 'partly met',
	build: 'checked by the build',
	inspected: 'met by the code, no test',
	doc: 'documented',
	na: 'not applicable',
	'not met': 'not met',
	pending: 'pending (another branch)',
};
export const SECTIONS = {
	V2: 'Authentication', V3: 'Session management', V4: 'Access control', V5: 'Validation, sanitisation and encoding',
	V7: 'Error handling and logging', V8: 'Data protection', V14: 'Configuration',
};
export const CHECKS = ['idor', 'xss', 'sqlmap', 'killrestart', 'diskfull', 'soak'];

/* A test reference is found when its file exists and holds the title: as written, with its
 * quotes escaped as in a JS string, or as a C function name. */
export function verifyMapping(rows, root = '.') {
	const problems = [];
	const seen = new Set();
	const cache = new Map();
	const read = (f) => {
		if (!cache.has(f)) cache.set(f, fs.existsSync(path.join(root, f)) ? fs.readFileSync(path.join(root, f), 'utf8') : null);
		return cache.get(f);
	};
	for (const r of rows) {
		const where = `ASVS ${r.id ?? '?'}`;
		if (!/^\d+\.\d+\.\d+$/.test(r.id ?? '')) problems.push(`${where}: no id like 2.1.1`);
		if (seen.has(r.id)) problems.push(`${where}: listed twice`);
		seen.add(r.id);
		if (!SECTIONS[`V${String(r.id).split('.')[0]}`]) problems.push(`${where}: not in V2, V3, V4, V5, V7, V8 or V14`);
		if (![1, 2].includes(r.level)) problems.push(`${where}: level must be 1 or 2 (L2 includes L1)`);
		if (!r.text) problems.push(`${where}: no requirement text`);
		if (!(r.status in STATUSES)) problems.push(`${where}: unknown status ${r.status}`);
		if (r.status === 'test' && !(r.tests?.length)) problems.push(`${where}: status test names no test`);
		if (r.status !== 'test' && !r.reason) problems.push(`${where}: status ${r.status} needs a reason`);
		for (const t of r.tests ?? []) {
			const text = read(t.file);
			if (text === null) {
				problems.push(`${where}: test file ${t.file} does not exist`);
				continue;
			}
			const escaped = t.title.replace(/'/g, "\\'");
			const found = t.file.endsWith('.c')
				? new RegExp(`\\b${t.title}\\s*\\(`).test(text)
				: text.includes(`'${t.title}'`) || text.includes(`'${escaped}'`) || text.includes(`"${t.title}"`) || text.includes(`\`${t.title}`);
			if (!found) problems.push(`${where}: ${t.file} has no test titled "${t.title}"`);
		}
	}
	for (const v of Object.keys(SECTIONS))
		if (!rows.some((r) => `V${String(r.id).split('.')[0]}` === v)) problems.push(`no requirement of ${v}`);
	return problems;
}

const esc = (s) => String(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');
const num = (n) => (typeof n === 'number' ? n.toLocaleString('en-GB') : String(n ?? '–'));
const ok = (b) => (b ? 'pass' : '**FAIL**');

function loadFigures(dir) {
	const out = {};
	const missing = [];
	for (const name of CHECKS) {
		const f = path.join(dir, `${name}.json`);
		if (fs.existsSync(f)) out[name] = JSON.parse(fs.readFileSync(f, 'utf8'));
		else missing.push(f);
	}
	return { figures: out, missing };
}

export function render(rows, fig, { notes = '', commit = '' } = {}) {
	const L = [];
	const p = (s = '') => L.push(s);
	const i = fig.idor, x = fig.xss, q = fig.sqlmap, k = fig.killrestart, d = fig.diskfull, s = fig.soak;
	const when = Object.values(fig).map((f) => f.when).sort();
	const at = (f) => ` (${f.when.slice(0, 16).replace('T', ' ')} UTC)`;
	p('# Security, privacy and reliability: the figures');
	p();
	p('<!-- Written by `make security-report` (tests/security/report.mjs) from build/security/*.json and');
	p('     tests/security/asvs.json. Do not edit by hand: change the checks, the mapping or');
	p('     tests/security/notes.md, and regenerate. -->');
	p();
	p(`Measured ${when[0]?.slice(0, 10) ?? '?'}${when.length > 1 && when.at(-1).slice(0, 10) !== when[0].slice(0, 10) ? ` to ${when.at(-1).slice(0, 10)}` : ''}` +
		` on ${Object.values(fig)[0]?.machine ?? os.hostname()}${commit ? `, commit ${commit}` : ''}.`);
	p('Each check is a script in `tests/security/` that writes its figures to `build/security/NAME.json`;');
	p('`make security-report` runs them all (as root, for the disk-full check) and writes this file.');
	p('`make security` (part of `make check`) runs the IDOR and XSS checks and the small ASVS checks.');
	p();
	p('## The acceptance checks');
	p();
	p('| check | what was measured (when) | result |');
	p('|---|---|---|');
	if (i) p(`| IDOR matrix | ${num(i.routes.length)} object routes × ${num(i.actors.length)} callers (${[...new Set(i.actors.map((a) => a.role))].join(', ')}) × own pilot, other pilot, deleted object: ${num(i.requests)} requests, ${num(i.shouldRefuse)} that must be refused${at(i)} | **${num(i.unauthorised2xx)} unauthorised 2xx**, ${num(i.serverErrors)} 5xx — ${ok(i.unauthorised2xx === 0 && i.serverErrors === 0)} |`);
	if (x) p(`| XSS | ${x.payloads} payloads stored ${num(x.storedWrites)} times in ${x.storedFields.length} text fields; ${num(x.pagesFetched)} pages fetched per role (HTML, JSON, CSV); ${num(x.reflectionRequests)} reflection requests${at(x)} | **${x.unescapedStored + x.unescapedReflected} unescaped**, ${x.headerProblems.length} header problems — ${ok(x.unescapedStored + x.unescapedReflected === 0 && x.headerProblems.length === 0)} |`);
	if (q) p(`| sqlmap | ${q.version}, level ${q.level}, risk ${q.risk}, DBMS ${q.dbms}: ${q.runs.length} targets (login form, a logged-in form, JSON API body and path parameters), ${num(q.requests)} requests${at(q)} | **${q.injectable} injectable** — ${ok(q.injectable === 0)} |`);
	if (k) p(`| Kill under load | SIGKILL and restart ${k.kills} times under wrk (${num(k.wrk?.requests)} wrk requests) and a writer: ${num(k.acknowledgedWrites)} acknowledged writes${at(k)} | **${k.lost} lost**, integrity_check ok ${k.integrityOk}/${k.integrityChecks} — ${ok(k.lost === 0 && k.integrityOk === k.kills)} |`);
	if (d) p(d.skipped ? `| Disk full | not run: ${d.skipped} | **not measured** |`
		: `| Disk full | database on a ${d.tmpfs} tmpfs, filled${at(d)} | writes ${d.apiStatus} / ${d.formStatus} "${esc(d.formMessage ?? '')}"; reads ${d.readStatuses?.join('/')}; integrity ${d.integrityWhileFull}/${d.integrityAfter}; after freeing: ${d.statusAfterFreeing} — ${ok(d.ok)} |`);
	if (s) p(`| Soak | ${Math.round(s.seconds / 60 * 10) / 10} min of mixed load, ${s.workers} clients, ${num(s.requests)} requests (${s.perSecond}/s)${at(s)} | **${s.errors} errors**, RSS ${num(s.rssKiB.afterWarmup)} → ${num(s.rssKiB.end)} KiB (**${s.rssGrowthPct} %**) — ${ok(s.errors === 0 && s.rssGrowthPct < 10)}${s.seconds < 1800 ? ` (shorter than the 30 minutes asked)` : ''} |`);
	p('| Fuzzing | each harness ≥ 1,000,000 executions under ASan + UBSan | 8 harnesses × 1,000,000 executions, **0 findings** (table and date in docs/fuzzing.md) — pass |');
	p();

	if (i) {
		p('## IDOR matrix');
		p();
		p('Every route of `elevlos routes` with a path parameter naming an object, called by every');
		p('role (the demo\'s users, a leder and a radgiver of a second pilot, and anonymous) on the object');
		p('in their own pilot, in another pilot, and on a deleted one (a student removed with its cases,');
		p('contacts, decisions, measures and consents; a referral, a unit and pilot, an account and a draft');
		p('release removed). A success is a 2xx or a redirect that is not to the login page or an error.');
		p(`Not object routes: ${i.excluded.map((e) => `\`${e}\``).join(', ')} (static files, code lists, the public school register).`);
		p('The national roles (analytiker, admin) have both pilots in scope; for them "other pilot" is allowed');
		p('where their role is. Every allowed GET must answer 200, so the matrix cannot pass on broken fixtures.');
		p();
		p('| role | variant | requests | allowed | must be refused | unauthorised 2xx |');
		p('|---|---|---:|---:|---:|---:|');
		for (const c of i.cells) p(`| ${c.role} | ${c.variant} | ${c.requests} | ${c.allowed} | ${c.refused} | ${c.unauthorised2xx} |`);
		p();
		p(`Answers: ${Object.entries(i.byStatus).map(([st, n]) => `${st} × ${n}`).join(', ')}. Allowed GETs: ${i.allowedGets}, of which not 200: ${i.allowedGetsNot200}.`);
		p();
	}
	if (x) {
		p('## XSS');
		p();
		p('Payloads (each with a marker naming field and payload): `<script>`, attribute-breaking quotes');
		p('(double and single), `javascript:` URLs, `</textarea>`, SVG `onload`, `<img onerror>`, mixed-case');
		p('tags, URL- and entity-encoded, fullwidth and `\\u003c` forms, `</script>` breakouts, `srcdoc`, CSS');
		p('`url(javascript:)`, mXSS nesting and UTF-7. Stored through the forms and the JSON API by turns in:');
		p(`${x.storedFields.map((f) => `\`${f}\``).join(', ')}. Then every GET route of the route table was`);
		p('fetched as every role allowed, for every stored object, with its JSON and CSV forms; and a payload');
		p('was sent in every key of every POST route and every query key and path parameter of every GET');
		p(`route (${num(x.reflectionRequests)} requests). An "unescaped occurrence" is a payload that became`);
		p('markup: a tag or attribute of its own, an event handler, a `javascript:` URL or text inside `<script>`');
		p('(a tag-level scanner, itself tested on escaped and unescaped payloads).');
		p();
		p(`Pages: ${Object.entries(x.pagesByType).map(([t, n]) => `${t} × ${n}`).join(', ')}. Escaped appearances per field: ` +
			`${Object.entries(x.escapedAppearances).map(([f, n]) => `${f} ${n}`).join(', ')}.`);
		p(`Unescaped: stored ${x.unescapedStored}, reflected ${x.unescapedReflected}. Every HTML answer had`);
		p('`text/html; charset=utf-8` and a CSP whose script-src allows neither `unsafe-inline` nor `unsafe-eval`,');
		p(`and every answer \`X-Content-Type-Options: nosniff\` (${x.headerProblems.length} exceptions). Lines of the server log holding typed text: ${x.logLinesWithTypedText ?? 'not counted'}.`);
		p();
	}
	if (q) {
		p('## sqlmap');
		p();
		p('| target | requests | answers | injectable | seconds |');
		p('|---|---:|---|---|---:|');
		for (const r of q.runs) p(`| ${r.name} (\`${r.route}\`) | ${num(r.requests)} | ${Object.entries(r.statuses).map(([st, n]) => `${st}×${n}`).join(' ')} | ${r.injectable ? '**yes**' : 'no'} | ${r.seconds} |`);
		p();
		p('Forms are tested with a fresh CSRF token per request (`--csrf-token`), the logged-in form with a');
		p('session cookie, the API with a bearer token. Payloads in a path mostly match no route (404 before');
		p('any handler); in a body, the validators refuse most (400) before any SQL. The login form\'s 429s are');
		p('the login throttle (1,000 failures per address in this run).');
		p();
	}
	if (k) {
		p('## SIGKILL under load');
		p();
		p(`wrk (${'1 thread, 8 connections'}, \`tests/security/wrk-mixed.lua\`: reads of the account, a unit and /healthz, one`);
		p('write in eight) and three writers that record every 201 run while the server is SIGKILLed at a random');
		p(`moment and restarted, ${k.kills} times. After each restart \`PRAGMA integrity_check\` ran on the live database.`);
		p();
		p(`- acknowledged writes: ${num(k.acknowledgedWrites)} (+${k.committedOnRetry} found committed when a retry got 409); lost: **${k.lost}**`);
		p(`- integrity_check ok after ${k.integrityOk} of ${k.integrityChecks} restarts; at the end: ${k.finalIntegrity}; access log: ${k.auditVerify}`);
		p(`- units written (writer and wrk): ${num(k.unitsWritten)}, access-log rows for them: ${num(k.accessLogRowsForThem)}`);
		p(`- restart to first /healthz: median ${k.restartMsMedian} ms, max ${k.restartMsMax} ms; whole run ${k.seconds} s`);
		p(`- wrk: ${num(k.wrk?.requests)} answered requests; socket errors while the server was down: connect ${k.wrk?.connect_errors}, read ${k.wrk?.read_errors}, write ${k.wrk?.write_errors}; non-2xx ${k.wrk?.status_errors}`);
		p();
	}
	if (d) {
		p('## Disk full');
		p();
		if (d.skipped) p(`Not run: ${d.skipped}.`);
		else {
			p(`The database on a ${d.tmpfs} tmpfs; the rest of the file system filled (${d.fillerFiles} files). Then:`);
			p();
			p(`- API write: **${d.apiStatus}** \`${esc(JSON.stringify(d.apiBody))}\``);
			p(`- form write: **${d.formStatus}**, the page says "${esc(d.formMessage)}"`);
			p(`- reads (API list, units page, own account): ${d.readStatuses.join(', ')}; acknowledged writes missing: ${d.acknowledgedMissing}`);
			p(`- integrity_check while full: ${d.integrityWhileFull}; after: ${d.integrityAfter}; access log: ${d.auditVerify}`);
			p(`- after deleting the filler, without a restart: the next write ${d.statusAfterFreeing}`);
			p();
			p('Before this work a full disk gave an opaque 500 "Something went wrong on our side". The DB layer');
			p('now notes SQLITE_FULL per thread (`db_full_seen()`), and the server answers 507 with the message');
			p('above (API code `storage_full`); tests/unit/test_db_full.c covers the signal with `max_page_count`.');
		}
		p();
	}
	if (s) {
		p('## Soak');
		p();
		p(`${Math.round(s.seconds / 60 * 10) / 10} minutes, ${s.workers} clients, each looping: log in, ten page and API reads, a search`);
		p('by form and by API, a contact by form and by API, a student\'s access report and export, a statistics export (CSV,');
		p('XLSX or PDF in turn), the statistics or evaluation page now and then, log out.');
		p();
		p(`- requests: ${num(s.requests)} (${s.perSecond}/s); errors: **${s.errors}**; latency p50 ${s.latencyMs.p50} ms, p99 ${s.latencyMs.p99} ms, max ${s.latencyMs.max} ms`);
		p(`- VmRSS: start ${num(s.rssKiB.start)} KiB, after the ${s.warmupSeconds} s warm-up ${num(s.rssKiB.afterWarmup)} KiB, end ${num(s.rssKiB.end)} KiB, max ${num(s.rssKiB.max)} KiB: growth **${s.rssGrowthPct} %** (medians of windows)`);
		if (s.latencyByKindMs) {
			p('- per kind of request (a kind whose time grows with the data shows here first):');
			p();
			p('| request | count | p50 ms | p99 ms | max ms |');
			p('|---|---:|---:|---:|---:|');
			for (const [w, n] of Object.entries(s.counts)) {
				const l = s.latencyByKindMs[w] ?? {};
				p(`| ${w} | ${num(n)} | ${l.p50 ?? ''} | ${l.p99 ?? ''} | ${l.max ?? ''} |`);
			}
			p();
		} else {
			p(`- per kind: ${Object.entries(s.counts).map(([w, n]) => `${w} ${n}`).join(', ')}`);
		}
		if (s.errorSamples?.length) p(`- first errors: ${s.errorSamples.slice(0, 5).map((e) => `\`${esc(e.slice(0, 120))}\``).join('; ')}`);
		p();
	}

	p('## ASVS 4.0.3 level 2: V2, V3, V4, V5, V7, V8, V14');
	p();
	p('Every level 1 and level 2 requirement of these chapters, mapped by hand in `tests/security/asvs.json`');
	p('to the tests that cover it, or why it is not applicable, not met, or waiting for another branch.');
	p('The generator checks that every named test exists in its file.');
	p();
	const counts = {};
	for (const r of rows) counts[r.status] = (counts[r.status] ?? 0) + 1;
	p('| status | requirements |');
	p('|---|---:|');
	for (const [st, label] of Object.entries(STATUSES)) if (counts[st]) p(`| ${label} | ${counts[st]} |`);
	p(`| all | ${rows.length} |`);
	p();
	for (const [v, title] of Object.entries(SECTIONS)) {
		p(`### ${v} ${title}`);
		p();
		p('| # | L | requirement | status | evidence |');
		p('|---|---|---|---|---|');
		for (const r of rows.filter((x) => `V${x.id.split('.')[0]}` === v)) {
			const tests = (r.tests ?? []).map((t) => `\`${t.file.replace(/^tests\//, '')}\`: ${esc(t.title)}`).join('<br>');
			const ev = [tests, r.reason ? esc(r.reason) : ''].filter(Boolean).join('<br>');
			p(`| ${r.id} | ${r.level} | ${esc(r.text)} | ${STATUSES[r.status]} | ${ev} |`);
		}
		p();
	}
	if (notes.trim()) {
		p(notes.trim());
		p();
	}
	return L.join('\n');
}

function main() {
	const args = process.argv.slice(2);
	const opt = (name, def) => {
		const i = args.indexOf(name);
		return i >= 0 ? args[i + 1] : def;
	};
	const out = opt('--out', 'docs/security.md');
	const figDir = opt('--figures', 'build/security');
	const rows = JSON.parse(fs.readFileSync('tests/security/asvs.json', 'utf8'));
	const problems = verifyMapping(rows);
	if (problems.length) {
		console.error(`security report: the ASVS mapping has ${problems.length} problems:\n  ${problems.join('\n  ')}`);
		process.exit(1);
	}
	const { figures, missing } = loadFigures(figDir);
	if (missing.length) {
		console.error(`security report: missing figures (run make security-report): ${missing.join(', ')}`);
		process.exit(1);
	}
	let commit = '';
	try {
		commit = execFileSync('git', ['rev-parse', '--short', 'HEAD']).toString().trim();
	} catch {
		/* not a checkout */
	}
	const notesFile = 'tests/security/notes.md';
	const notes = fs.existsSync(notesFile) ? fs.readFileSync(notesFile, 'utf8') : '';
	fs.writeFileSync(out, render(rows, figures, { notes, commit }) + '\n');
	console.log(`security report: wrote ${out} (${rows.length} ASVS requirements, ${Object.keys(figures).length} checks)`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
