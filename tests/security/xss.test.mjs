// XSS (docs/security.md): a payload corpus stored in every free-text field the forms and the JSON
// API take, sent in every key of every POST route and every query key and path parameter of every
// GET route (reflection), then every page of the route table fetched as every role that may see it
// (and its JSON and CSV forms). An unescaped occurrence is a payload that became markup: a tag or
// attribute of its own, an event handler, a javascript: URL, or script text. There must be none.
// Also: every HTML answer says text/html; charset=utf-8 with a CSP whose script-src has no
// 'unsafe-inline', and nothing is served without X-Content-Type-Options: nosniff.
// XSS_FAST=1 (make security) sends fewer payloads in the reflection sweep; the stored part is whole.
// Writes build/security/xss.json.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as L from '../http/lib.mjs';
import * as S from './lib.mjs';

const FAST = process.env.XSS_FAST === '1';
const PASSWORD = 'a long enough password 1';

/* M is replaced by a marker naming the field and the payload: xss_LABEL_N. */
export const PAYLOADS = [
	"<script>alert('M')</script>",
	"\"><img src=x onerror=alert('M')>",
	"'><svg onload=alert('M')>",
	"</textarea><script>alert('M')</script>",
	"javascript:alert('M')",
	"\" autofocus onfocus=\"alert('M')",
	"' autofocus onfocus='alert('M')",
	"<a href=\"javascript:alert('M')\">M</a>",
	"<ScRiPt>alert('M')</sCrIpT>",
	"%3Cscript%3Ealert('M')%3C/script%3E",
	"&lt;script&gt;alert('M')&lt;/script&gt;",
	"\uff1cscript\uff1ealert('M')\uff1c/script\uff1e",
	"\\u003cscript\\u003ealert('M')\\u003c/script\\u003e",
	"</script><script>alert('M')</script>",
	"<iframe srcdoc=\"<script>alert('M')</script>\">",
	"+ADw-script+AD4-alert('M')+ADw-/script+AD4-",
	"<div style=\"background:url(javascript:alert('M'))\">M</div>",
	"<math><mtext><table><mglyph><style><img src=x onerror=alert('M')>",
];
const payload = (i, label) => PAYLOADS[i % PAYLOADS.length].replaceAll('M', `xss_${label}_${i}`);

// Keys that take free text (validators valid_text_line, valid_note, valid_password in
// src/http/form.c); every other key takes a code, number, date or token. A key the route table
// names that is in neither list fails the test, so a new text field cannot be missed.
const TEXT_KEYS = new Set(['name', 'q', 'purpose', 'student_name', 'note', 'decline_reason', 'organisation',
	'member_role', 'shares', 'summary', 'activities', 'challenges', 'funds', 'goal1', 'goal2', 'goal3', 'goal4',
	'lessons', 'feedback', 'password', 'new_password']);
const CONSTRAINED_KEYS = new Set(['csrf', 'username', 'role', 'unit', 'code', 'kind', 'parent', 'next', 'lang',
	'format', 'limit', 'student', 'fnr', 'birth_year', 'gender', 'level', 'programme', 'minority', 'school',
	'living', 'living_from', 'consent_kind', 'consent_on', 'consent_by', 'partner', 'withdrawn_on', 'opened_on',
	'referral_source', 'referred_on', 'first_contact_on', 'main_reason', 'reasons', 'on_date', 'contact_kind',
	'minutes', 'followups', 'decision', 'granted', 'duration', 'measure', 'side', 'start_on', 'end_on',
	'partners', 'interagency', 'responsibility_group', 'school_year', 'outcome', 'close_reason', 'closed_on',
	'case', 'ok', 'error', 'track', 'from', 'to', 'status', 'project_years', 'project_year', 'post', 'share',
	'salary_base', 'amount', 'paid_on', 'version', 'directorate', 'unit',
	'otp', 'erase']); // otp: digits or a recovery code (valid_otp); erase: true or false

/* ---- the scanner ---- */

const decode = (s) => s.replace(/&#x([0-9a-f]+);?/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
	.replace(/&#(\d+);?/g, (_, d) => String.fromCodePoint(Number(d)))
	.replace(/&(quot|apos|lt|gt|amp|colon|tab|newline);/gi, (m, n) => ({ quot: '"', apos: "'", lt: '<', gt: '>', amp: '&',
		colon: ':', tab: '\t', newline: '\n' })[n.toLowerCase()]);
const TAG = /<([a-zA-Z][\w:-]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*\/?>/g;
const ATTR = /([^\s=>/]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?/g;
const URL_ATTRS = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster', 'background', 'srcdoc', 'style']);

/* Unescaped occurrences of our payloads in an HTML body: [{what, excerpt}]. */
export function scanHtml(body) {
	const out = [];
	const hit = (what, at) => out.push({ what, excerpt: body.slice(Math.max(0, at - 60), at + 100) });
	for (const m of body.matchAll(TAG)) {
		const [whole, name, attrs] = m;
		const tag = name.toLowerCase();
		if (/xss_/.test(whole) && ['script', 'img', 'svg', 'iframe', 'a', 'div', 'math', 'style', 'object', 'embed'].includes(tag))
			hit(`a <${tag}> tag of a payload`, m.index);
		for (const a of attrs.matchAll(ATTR)) {
			const an = a[1].toLowerCase();
			const raw = (a[2] ?? '').replace(/^["']|["']$/g, '');
			const val = decode(raw).replace(/[\s\u0000-\u001f]+/g, '').toLowerCase();
			if (an.startsWith('on') && /xss_/.test(decode(raw) + whole)) hit(`an event handler ${an}= in <${tag}>`, m.index);
			else if (URL_ATTRS.has(an) && (val.startsWith('javascript:') || val.includes('url(javascript:') ||
				(an === 'srcdoc' && val.includes('<script'))))
				hit(`a javascript: URL in ${an}= of <${tag}>`, m.index);
			else if (/xss_/.test(an)) hit(`an attribute name from a payload in <${tag}>`, m.index);
		}
	}
	for (const m of body.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi))
		if (/xss_/.test(m[1])) hit('payload text inside a <script> element', m.index);
	return out;
}

/* ---- the run ---- */

let demo, srv;
const c = {}; // username → logged-in client
const stored = []; // {label, marker, via, status}
const pages = []; // {path, as, status, type, findings}
const headerProblems = [];
const markersSeen = new Map(); // label → count of escaped appearances in HTML
let fix;

before(async () => {
	demo = await L.demoDb();
	await L.addUser(demo.db, 'leder.oslo', 'leder', 'P-STOVNER', PASSWORD);
	demo.users['leder.oslo'] = { username: 'leder.oslo', password: PASSWORD };
	srv = await L.startServer(demo.db);
	for (const u of Object.values(demo.users)) {
		c[u.username] = srv.client();
		await c[u.username].loginOk(u.username, u.password);
	}
	fix = await L.recordFixture(c.veileder, c.radgiver);
	fix.release = (await L.releaseFixture(demo.db, c.analytiker)).id;
});

after(async () => {
	await srv?.stop();
});

const g = (fn) => L.guarded(() => srv, fn);

async function send(client, method, path, input, api) {
	return api
		? client.req(method, path, { json: input, headers: client.csrf ? { 'X-CSRF-Token': client.csrf } : {} })
		: client.req(method, path, { form: client.csrf ? { ...input, csrf: client.csrf } : input });
}

async function store(label, who, path, input, api, want = [200, 201, 303]) {
	const r = await send(c[who], 'POST', path, input, api);
	stored.push({ label, via: `${api ? 'API' : 'form'} POST ${path.replace(/\d+/g, '{id}')}`, status: r.status });
	assert.ok(want.includes(r.status), `${label}: POST ${path} → ${r.status} ${r.text.slice(0, 300)}`);
	return r;
}

const reportVersion = (year) => S.sqliteSync(demo.db, `SELECT coalesce((SELECT version FROM pilot_report r JOIN unit u ON u.id = r.pilot_id WHERE u.code = 'P-AKERSHUS' AND ${year === 'final' ? "r.kind = 'final'" : `r.kind = 'annual' AND r.school_year = ${year}`}), 0)`);

test('XSS: payloads stored in every text field, every page fetched, no unescaped occurrence', { timeout: 900000 }, g(async () => {
	const t0 = Date.now();
	const routes = await L.routeTable();
	const unknownKeys = [...new Set(routes.flatMap((r) => r.keys))].filter((k) => !TEXT_KEYS.has(k) && !CONSTRAINED_KEYS.has(k));
	assert.deepEqual(unknownKeys, [], 'every input key is known as free text or constrained (add new text keys to TEXT_KEYS)');

	// 1. Stored: every payload in every free-text field, through the HTML forms and the JSON API by turns.
	const students = [];
	const referrals = [];
	const N = PAYLOADS.length;
	const REPORT_FIELDS = ['summary', 'activities', 'challenges', 'funds', 'goal1', 'goal2', 'goal3', 'goal4', 'lessons'];
	for (let i = 0; i < N; i++) {
		const api = i % 2 === 0;
		await store('unitname', 'admin', api ? '/api/v1/units' : '/units',
			{ code: `XSS-U${i}`, name: payload(i, 'unitname'), kind: 'school', parent: 'P-AKERSHUS' }, api);
		const s = await store('studentname', 'veileder', api ? '/api/v1/students' : '/students', {
			student_name: payload(i, 'studentname'), birth_year: '2005', gender: 'MANN', level: 'VG1',
			programme: 'YRKESFAG', school: 'S-JESSHEIM', consent_on: L.today(-3), consent_by: 'ELEV' }, api);
		const pseudonym = api ? s.json.pseudonym : /\/students\/(E-[A-Z0-9]+)/.exec(s.location ?? '')?.[1];
		assert.ok(pseudonym, `a pseudonym for the stored student (${s.location})`);
		students.push(pseudonym);
		await store('note', 'veileder', `${api ? '/api/v1' : ''}/cases/${fix.case}/contacts`,
			{ contact_kind: 'SAMTALE', on_date: L.today(-2), minutes: '20', note: payload(i, 'note') }, api);
		await store('caseloadnote', 'veileder', '/caseload/contact',
			{ case: String(fix.case), contact_kind: 'TELEFON', on_date: L.today(-1), minutes: '5', note: payload(i, 'caseloadnote') }, false);
		const ref = await store('referralname', 'radgiver', api ? '/api/v1/referrals' : '/referrals',
			{ student_name: payload(i, 'referralname'), main_reason: 'FRAVAER', consent_by: 'ELEV', level: 'VG1' }, api);
		const refId = api ? ref.json.id : Number(/\/referrals\/(\d+)/.exec(ref.location ?? '')?.[1]);
		assert.ok(refId > 0, `a referral id (${ref.location})`);
		referrals.push(refId);
		await store('declinereason', 'veileder', `${api ? '/api/v1' : ''}/referrals/${refId}/decline`,
			{ decline_reason: payload(i, 'declinereason') }, api);
		await store('glasspurpose', 'veileder.oslo', '/glass', { student: fix.pseudonym, purpose: payload(i, 'glasspurpose') }, false);
		await store('member', 'analytiker', '/pilots/P-AKERSHUS/members',
			{ name: payload(i, 'membername'), organisation: payload(i, 'memberorg'), member_role: payload(i, 'memberrole') }, false);
		const fields = Object.fromEntries(REPORT_FIELDS.map((f) => [f, payload(i, `report${f}`)]));
		// The annual report shows some of the parts, the final report all of them.
		await store('report', 'leder', '/pilots/P-AKERSHUS/reports/2016', { ...fields, version: reportVersion(2016) }, false);
		await store('report', 'leder', '/pilots/P-AKERSHUS/reports/final', { ...fields, version: reportVersion('final') }, false);
		await store('search', 'veileder', api ? '/api/v1/students/search' : '/search', { q: payload(i, 'search') }, api, [200, 303, 422]);
	}
	// Feedback is given once per report: the 2016 report submitted, approved by the other leader,
	// then the analyst's feedback carries a payload.
	const fields = Object.fromEntries(REPORT_FIELDS.map((f) => [f, payload(0, `report${f}`)]));
	await store('report', 'leder', '/pilots/P-AKERSHUS/reports/2016/submit', { ...fields, version: reportVersion(2016) }, false);
	await store('report', 'leder.styring', '/pilots/P-AKERSHUS/reports/2016/approve', { version: reportVersion(2016) }, false);
	await store('feedback', 'analytiker', '/pilots/P-AKERSHUS/reports/2016/feedback', { feedback: payload(3, 'feedback'), version: reportVersion(2016) }, false);

	// 2. Reflected: a payload in every key of every POST route, every query key of every GET
	// route and every path parameter; each answer scanned.
	const reflected = { requests: 0, findings: [] };
	const valid = {
		username: 'xss-user', password: PASSWORD, new_password: 'another long password 2', role: 'veileder', unit: 'P-AKERSHUS',
		code: 'XSS-R', name: 'Xss', kind: 'school', parent: 'P-AKERSHUS', next: '/start', lang: 'en', q: 'Fixture',
		student_name: 'Xss Elev', birth_year: '2005', consent_on: L.today(-1), consent_by: 'ELEV', consent_kind: 'STATISTIKK',
		referral_source: 'ELEV', main_reason: 'OKONOMI', opened_on: L.today(-1), contact_kind: 'TELEFON', on_date: L.today(-1),
		decision: 'SOSTJL_17', granted: 'true', side: 'nav', measure: 'SOMMERJOBB', start_on: L.today(-1), school_year: '2017/18',
		outcome: 'FORTSETTER', close_reason: 'ANNET', decline_reason: 'Nei', purpose: 'Vikar', student: fix.pseudonym,
		case: String(fix.case), minutes: '5', note: 'x', organisation: 'Org', member_role: 'Medlem', feedback: 'x',
		summary: 'x', shares: '100,100,100,50', format: 'html', track: 'alle', project_year: '1', post: '21', amount: '1',
	};
	const asWho = (route) => {
		if (route.roles.length === 0) return null;
		if (route.path.startsWith('/users') || route.path.startsWith('/api/v1/users')) return route.roles.includes('leder') ? 'leder' : route.roles[0];
		return route.roles.includes('veileder') ? 'veileder' : route.roles.includes('analytiker') ? 'analytiker' : route.roles[0];
	};
	const params = (p) => L.fillPath(p, { ...L.recordParams(fix, p), username: 'veileder', code: p.startsWith('/pilots/') ? 'P-AKERSHUS' : 'P-AKERSHUS', file: 'app.css' });
	let n = 0;
	const scanAnswer = (what, r) => {
		reflected.requests++;
		const type = r.headers.get('content-type') ?? '';
		if (type.startsWith('text/html')) for (const f of scanHtml(r.text)) reflected.findings.push({ what, ...f });
		else if (/xss_/.test(r.text) && !/^(application\/json|text\/csv)/.test(type))
			reflected.findings.push({ what, what2: `a payload served as ${type}` });
	};
	for (const route of routes) {
		if (route.path === '/logout' || route.path.endsWith('/disable') || route.path === '/account/password') continue;
		const who = asWho(route);
		const keys = route.keys.filter((k) => k !== 'csrf');
		const payloadsHere = FAST ? [n % N] : PAYLOADS.map((_, i) => i);
		for (const k of keys) {
			for (const pi of payloadsHere) {
				const client = who ? c[who] : srv.client();
				if (!who) await client.get('/login');
				const marker = `refl${++n}`;
				const input = {};
				for (const kk of keys) if (kk in valid) input[kk] = valid[kk];
				input[k] = payload(pi, marker);
				let r;
				if (route.method === 'GET') r = await client.get(`${params(route.path)}?${new URLSearchParams({ [k]: input[k] })}`);
				else r = await send(client, 'POST', params(route.path), input, route.api);
				scanAnswer(`${route.method} ${route.path} ${k}=payload ${pi} → ${r.status}`, r);
			}
		}
		// Path parameters (a GET's): a payload in place of each.
		if (route.method === 'GET' && route.path.includes('{') && route.path !== '/static/{file}') {
			for (const pi of FAST ? [n % N] : PAYLOADS.map((_, i) => i)) {
				const p = payload(pi, `path${++n}`);
				const path = route.path.replace(/\{\w+\}/, encodeURIComponent(p)).replace(/\{(\w+)\}/g, (m0) => params(m0));
				const r = await (who ? c[who] : srv.client()).get(path);
				scanAnswer(`GET ${route.path} path=payload ${pi} → ${r.status}`, r);
			}
		}
	}

	// 3. Every page, as every role that may see it, for every stored object; JSON and CSV forms too.
	const userOf = { veileder: 'veileder', radgiver: 'radgiver', leder: 'leder', analytiker: 'analytiker', admin: 'admin' };
	const gets = [];
	for (const route of routes.filter((r) => r.method === 'GET' && r.path !== '/static/{file}')) {
		const fills = [];
		if (route.path.includes('{pseudonym}')) for (const s of students) fills.push({ ...L.recordParams(fix, route.path), pseudonym: s });
		else if (route.path.includes('/referrals/{id}')) for (const id of referrals) fills.push({ ...L.recordParams(fix, route.path), id });
		else if (route.path.includes('/api/v1/units/{code}')) for (let i = 0; i < N; i++) fills.push({ code: `XSS-U${i}` });
		else if (route.path.includes('{year}')) for (const year of ['2015', '2016', 'final']) fills.push({ ...L.recordParams(fix, route.path), code: 'P-AKERSHUS', year });
		else fills.push({ ...L.recordParams(fix, route.path), username: 'veileder', code: 'P-AKERSHUS' });
		const formats = route.keys.includes('format') ? ['', 'json', 'csv'] : [''];
		const roles = route.roles.length ? route.roles : [null];
		for (const role of roles) for (const f of fills) for (const fmt of formats) {
			const path = L.fillPath(route.path, f) + (fmt ? `?format=${fmt}` : '');
			// Not every page has every format (400 or 422), a radgiver sees units of the own school
			// only (404), / sends the anonymous to the login page (303), and /account/mfa sends a
			// user who has enrolled on to the account page (303).
			const expect = fmt ? [200, 400, 422] : route.path === '/api/v1/units/{code}' && role === 'radgiver' ? [404]
				: route.path === '/account/mfa' ? [200, 303] : role ? [200] : [200, 303];
			gets.push({ as: role ? userOf[role] : null, path, expect });
		}
	}
	gets.push({ as: 'leder', path: '/glass/log', expect: [200] }, { as: 'leder.oslo', path: '/glass/log', expect: [200] },
		{ as: 'leder.styring', path: '/pilots/P-AKERSHUS/reports/2016', expect: [200] });
	for (const { as, path, expect } of gets) {
		const r = await (as ? c[as] : srv.client()).get(path);
		const type = r.headers.get('content-type') ?? '';
		const findings = type.startsWith('text/html') ? scanHtml(r.text) : [];
		if (type.startsWith('text/html')) {
			for (const m of r.text.matchAll(/xss_([a-z0-9]+)_\d+/g)) markersSeen.set(m[1], (markersSeen.get(m[1]) ?? 0) + 1);
			if (!/^text\/html;\s*charset=utf-8$/i.test(type)) headerProblems.push(`${path}: Content-Type ${type}`);
			const csp = r.headers.get('content-security-policy') ?? '';
			const scriptSrc = /script-src([^;]*)/.exec(csp)?.[1] ?? /default-src([^;]*)/.exec(csp)?.[1];
			if (!csp || scriptSrc === undefined || /unsafe-inline|unsafe-eval|\*/.test(scriptSrc)) headerProblems.push(`${path}: CSP ${csp}`);
		} else if (/xss_/.test(r.text) && !/^(application\/json|text\/csv)/.test(type)) {
			findings.push({ what: `a payload served as ${type}` });
		}
		if (r.status !== 304 && r.headers.get('x-content-type-options') !== 'nosniff') headerProblems.push(`${path}: no nosniff`);
		pages.push({ path, as: as ?? 'anonymous', status: r.status, expected: expect.includes(r.status), type: type.split(';')[0], findings });
	}

	const storedFindings = pages.flatMap((p) => p.findings.map((f) => ({ path: p.path, as: p.as, ...f })));
	const labelsStored = [...new Set(stored.map((s) => s.label === 'member' ? ['membername', 'memberorg', 'memberrole'] : s.label === 'report' ? REPORT_FIELDS.map((f) => `report${f}`) : [s.label]).flat())];
	const notShown = labelsStored.filter((l) => l !== 'search' && !markersSeen.has(l));
	const figures = {
		payloads: PAYLOADS.length,
		textFields: [...TEXT_KEYS],
		storedWrites: stored.length,
		storedFields: labelsStored,
		storedFieldsNotShownOnAnyPage: notShown,
		escapedAppearances: Object.fromEntries([...markersSeen].filter(([k]) => !k.startsWith('refl') && !k.startsWith('path')).sort()),
		pagesFetched: pages.length,
		pagesByType: pages.reduce((o, p) => ({ ...o, [p.type]: (o[p.type] ?? 0) + 1 }), {}),
		pages200: pages.filter((p) => p.status === 200).length,
		pagesUnexpectedStatus: pages.filter((p) => !p.expected).map((p) => `${p.as} ${p.path} ${p.status}`),
		unescapedStored: storedFindings.length,
		reflectionRequests: reflected.requests,
		unescapedReflected: reflected.findings.length,
		headerProblems,
		logLinesWithTypedText: srv.stderrText.split('\n').filter((l) => /xss_/.test(l)).length,
		findings: [...storedFindings, ...reflected.findings].slice(0, 50),
		fast: FAST,
		ms: Date.now() - t0,
	};
	S.writeFigures(FAST ? 'xss-fast' : 'xss', figures);
	console.log(`xss: ${PAYLOADS.length} payloads, ${stored.length} stored writes, ${pages.length} pages fetched, ` +
		`${storedFindings.length} unescaped (stored), ${reflected.requests} reflection requests, ` +
		`${reflected.findings.length} unescaped (reflected), ${headerProblems.length} header problems, ${Date.now() - t0} ms`);
	assert.deepEqual(storedFindings, [], 'no stored payload is unescaped on any page');
	assert.deepEqual(reflected.findings, [], 'no reflected payload is unescaped');
	assert.deepEqual(headerProblems, [], 'every HTML answer has charset and a strict CSP; every answer nosniff');
	// It means something only when the payloads reach the pages: each stored field is shown.
	assert.deepEqual(notShown, [], 'every stored field appears (escaped) on some page');
	assert.deepEqual(figures.pagesUnexpectedStatus, [], 'every page fetched answers as expected (200)');
}));

test('nothing typed into a field reaches the server log', () => {
	// Every payload above carried a marker; the log names routes and ids, never what was typed.
	const leaks = srv.stderrText.split('\n').filter((l) => /xss_/.test(l));
	assert.ok(srv.stderrText.length > 10000, 'the server logged its requests');
	assert.deepEqual(leaks.slice(0, 5), [], 'no marker in the log');
});

test('XSS scanner: finds each payload when it is not escaped, and nothing when it is', () => {
	const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
	// The payloads meant to become markup in the contexts our pages write text in.
	const live = [0, 1, 2, 3, 5, 6, 7, 8, 13, 14, 16, 17];
	for (const i of live) {
		const p = payload(i, 'self');
		const inText = `<p>${p}</p>`;
		const inAttr = `<input value="${p}"><input value='${p}'>`;
		const inArea = `<textarea>${p}</textarea>`;
		assert.ok(scanHtml(inText + inAttr + inArea).length > 0, `payload ${i} unescaped is found: ${p}`);
		assert.deepEqual(scanHtml(`<p>${esc(p)}</p><input value="${esc(p)}"><textarea>${esc(p)}</textarea>`), [], `payload ${i} escaped is clean`);
	}
	assert.ok(scanHtml(`<a href="${payload(4, 'self')}">x</a>`).length > 0, 'a javascript: URL in href is found');
	assert.ok(scanHtml(`<a href="jav&#x61;script:alert(1)">x</a>`).length > 0, 'an entity-encoded javascript: URL is found');
	assert.deepEqual(scanHtml(`<a href="/students/E-ABC">${esc(payload(4, 'self'))}</a>`), []);
});
