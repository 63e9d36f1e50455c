// Helpers for the HTTP suite: temp databases, the elevlos CLI, servers on free ports and a
// cookie-jar client. No npm packages: global fetch, node:child_process, node:fs, node:os.
//
// ELEVLOS_BIN  the binary under test (default build/elevlos)
// ELEVLOS_WRAP words put before the server command (e.g. "valgrind --error-exitcode=99 ...")
import { spawn, execFile, execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';

export const BIN = path.resolve(process.env.ELEVLOS_BIN || 'build/elevlos');
export const WRAP = (process.env.ELEVLOS_WRAP || '').split(/\s+/).filter(Boolean);
/* Under valgrind everything is ~20-50x slower: stretch waits accordingly. */
export const SLOW = WRAP.length > 0 ? 20 : /asan/.test(BIN) ? 3 : 1;

/* Fast password hashing for tests; generous throttling unless a test asks otherwise. */
export const FAST_ENV = {
	ELEVLOS_ARGON2_MEMLIMIT: '1048576',
	ELEVLOS_ARGON2_OPSLIMIT: '1',
	ELEVLOS_LOGIN_MAX_FAILURES: '1000',
};

const tmpDirs = [];
process.on('exit', () => {
	if (process.env.ELEVLOS_KEEP_TMP) return;
	for (const d of tmpDirs) {
		try {
			fs.rmSync(d, { recursive: true, force: true });
		} catch {
			/* best effort */
		}
	}
});

export function tempDir(prefix = 'elevlos-test-') {
	const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	tmpDirs.push(d);
	return d;
}

export const sleep = (ms) => new Promise((res) => setTimeout(res, ms));

/* Runs the elevlos CLI (never wrapped: only the server runs under ELEVLOS_WRAP).
 * Resolves {code, stdout, stderr}; never rejects on a non-zero exit. */
export function cli(args, { input, env } = {}) {
	return new Promise((resolve, reject) => {
		const child = execFile(
			BIN,
			args,
			{ env: { ...process.env, ...FAST_ENV, ...env }, maxBuffer: 64 << 20, timeout: 120000 },
			(err, stdout, stderr) => {
				if (err && typeof err.code !== 'number') return reject(err);
				resolve({ code: err ? err.code : 0, stdout, stderr });
			},
		);
		if (input !== undefined) child.stdin.end(input);
		else child.stdin.end();
	});
}

/* Like cli() but the command must succeed. */
export async function cliOk(args, opts) {
	const r = await cli(args, opts);
	assert.equal(r.code, 0, `elevlos ${args.join(' ')} exited ${r.code}: ${r.stderr}${r.stdout}`);
	return r;
}

export async function initDb(dir = tempDir()) {
	const db = path.join(dir, 'elevlos.db');
	await cliOk(['init', '--db', db]);
	return db;
}

export async function addUser(db, username, role, unit, password) {
	await cliOk(['user', 'add', '--db', db, '--username', username, '--role', role, '--unit', unit,
		'--password-stdin'], { input: password + '\n' });
}

export async function addUnit(db, code, name, kind, parent) {
	await cliOk(['unit', 'add', '--db', db, '--code', code, '--name', name, '--kind', kind,
		'--parent', parent]);
}

export async function createToken(db, username) {
	const r = await cliOk(['token', 'create', '--db', db, '--username', username]);
	const tok = r.stdout.trim();
	assert.match(tok, /^[A-Za-z0-9_-]{20,}$/);
	return tok;
}

/* `elevlos demo`: returns {db, users: {name: {role, unit, password}}}. */
export async function demoDb(dir = tempDir()) {
	const db = path.join(dir, 'demo.db');
	const r = await cliOk(['demo', '--db', db]);
	const users = {};
	for (const line of r.stdout.split('\n')) {
		const m = /^\s+(\S+)\s+(\S+)\s+(\S+)\s+password:\s+(\S+)\s*$/.exec(line);
		if (m) users[m[1]] = { username: m[1], role: m[2], unit: m[3], password: m[4] };
	}
	for (const role of ['veileder', 'radgiver', 'leder', 'analytiker', 'admin'])
		assert.ok(users[role], `demo did not print a password for ${role}:\n${r.stdout}`);
	return { db, dir, users };
}

/* `elevlos audit verify`: {code, rows, out}. */
export async function auditVerify(db, head) {
	const args = ['audit', 'verify', '--db', db];
	if (head) args.push('--head', head);
	const r = await cli(args);
	const m = /ok: (\d+) rows/.exec(r.stdout);
	return { code: r.code, rows: m ? Number(m[1]) : -1, out: r.stdout + r.stderr };
}

export async function listUnits(db) {
	const r = await cliOk(['unit', 'list', '--db', db, '--format', 'json']);
	return JSON.parse(r.stdout);
}

export async function listUsers(db) {
	const r = await cliOk(['user', 'list', '--db', db, '--format', 'json']);
	return JSON.parse(r.stdout);
}

export function routeTableSync() {
	return JSON.parse(execFileSync(BIN, ['routes', '--format', 'json']).toString());
}

export async function routeTable() {
	const r = await cliOk(['routes', '--format', 'json']);
	const routes = JSON.parse(r.stdout);
	assert.ok(Array.isArray(routes) && routes.length > 10, 'routes --format json gave a table');
	return routes;
}

export function freePort() {
	return new Promise((resolve, reject) => {
		const s = net.createServer();
		s.unref();
		s.on('error', reject);
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address();
			s.close(() => resolve(port));
		});
	});
}

/* ---- the server ---- */

/* The server refuses to run as root without an account to switch to (docs/operations.md,
 * "Sandboxing"). The suites run as root on the test machine: every server then runs as
 * ELEVLOS_TEST_USER (default nobody), sandboxed as in production, and the database's directory
 * and files are handed to that account first. Returns the extra serve arguments. */
export const IS_ROOT = typeof process.getuid === 'function' && process.getuid() === 0;
export const RUN_AS = process.env.ELEVLOS_TEST_USER || 'nobody';
let runAsIds = null;
export function runAsIdsSync() {
	if (!runAsIds) {
		const id = (flag) => Number(execFileSync('id', [flag, RUN_AS]).toString().trim());
		runAsIds = { uid: id('-u'), gid: id('-g') };
	}
	return runAsIds;
}
export function serveAs(db) {
	if (!IS_ROOT) return [];
	const { uid, gid } = runAsIdsSync();
	const dir = path.dirname(path.resolve(db));
	const st = fs.statSync(dir);
	/* Never a shared directory such as /tmp itself (sticky): only one of the suite's own. */
	if (!(st.mode & 0o1000)) fs.chownSync(dir, uid, gid);
	const base = path.basename(db);
	for (const f of fs.readdirSync(dir))
		if (f === base || f.startsWith(base + '-')) fs.chownSync(path.join(dir, f), uid, gid);
	return ['--user', RUN_AS];
}

/* Servers still running when the test process ends (a crashed test) are killed, not orphaned. */
const live = new Set();
process.on('exit', () => {
	for (const child of live) {
		try {
			child.kill('SIGKILL');
		} catch {
			/* already gone */
		}
	}
});

export class Server {
	constructor(db, env = {}, port) {
		this.db = db;
		this.env = env;
		this.port = port;
		this.stderrText = '';
		this.exit = null;
		this.leftBusy = [];
	}

	get base() {
		return `http://127.0.0.1:${this.port}`;
	}

	/* stderr as parsed JSON lines (non-JSON lines, e.g. from valgrind, are skipped). */
	events() {
		const out = [];
		for (const line of this.stderrText.split('\n')) {
			if (!line.startsWith('{')) continue;
			try {
				out.push(JSON.parse(line));
			} catch {
				/* a partial line */
			}
		}
		return out;
	}

	async start() {
		if (!this.port) this.port = await freePort();
		const args = [...WRAP, BIN, 'serve', '--db', this.db, '--listen', `127.0.0.1:${this.port}`,
			'--plain-http', ...(this.env.ELEVLOS_USER === undefined ? serveAs(this.db) : [])];
		this.stderrText = this.stderrText ? this.stderrText + '--- restart ---\n' : '';
		this.exit = null;
		const child = spawn(args[0], args.slice(1), {
			env: { ...process.env, ...FAST_ENV, ...this.env },
			stdio: ['ignore', 'ignore', 'pipe'],
		});
		this.child = child;
		live.add(child);
		child.stderr.setEncoding('utf8');
		let partial = '';
		child.stderr.on('data', (d) => {
			this.stderrText += d;
			// A request that left a statement stepping or a transaction open (db_left_busy) is a
			// bug even when its own answer was right: it freezes its thread's view of the
			// database. Kept apart from stderrText, which long runs trim.
			const lines = (partial + d).split('\n');
			partial = lines.pop();
			for (const line of lines) if (line.includes('"db_left_busy"')) this.leftBusy.push(line);
		});
		this.exited = new Promise((resolve) => {
			child.on('exit', (code, signal) => {
				live.delete(child);
				this.exit = { code, signal };
				resolve(this.exit);
			});
		});
		const deadline = Date.now() + 15000 * Math.min(SLOW, 4);
		for (;;) {
			if (this.exit)
				throw new Error(`server exited during start (${JSON.stringify(this.exit)}):\n${this.stderrText}`);
			try {
				const r = await fetch(this.base + '/healthz');
				const body = await r.text();
				if (r.status === 200) break;
				void body;
			} catch {
				/* not listening yet */
			}
			if (Date.now() > deadline) {
				child.kill('SIGKILL');
				throw new Error(`server did not answer /healthz in time:\n${this.stderrText}`);
			}
			await sleep(25);
		}
		return this;
	}

	/* SIGTERM, and the exit code must be 0 (valgrind: 99 on errors or leaks; ASan: non-zero on leaks). */
	async stop() {
		if (!this.child || this.exit) {
			if (this.exit) this.checkExit();
			return;
		}
		this.child.kill('SIGTERM');
		const timer = setTimeout(() => this.child.kill('SIGKILL'), 30000 * Math.min(SLOW, 4));
		await this.exited;
		clearTimeout(timer);
		this.checkExit();
	}

	checkExit() {
		if (this.exit.code !== 0) {
			console.error(`--- server stderr (port ${this.port}) ---\n${this.stderrText}`);
			assert.fail(`server exited with ${JSON.stringify(this.exit)}, expected code 0`);
		}
		assert.deepEqual(this.leftBusy.slice(0, 5), [], 'no request left a statement stepping or a transaction open');
	}

	/* SIGKILL: for crash tests; no exit code check. */
	async kill() {
		if (!this.child || this.exit) return;
		this.child.kill('SIGKILL');
		await this.exited;
	}

	client() {
		return new Client(this.base, this.db);
	}
}

export async function startServer(db, env = {}) {
	const s = new Server(db, env);
	await s.start();
	return s;
}

/* Wraps a test function: when it fails, the servers' stderr (JSON lines) is printed. */
export function guarded(getServers, fn) {
	return async (t) => {
		try {
			await fn(t);
		} catch (e) {
			const servers = [getServers()].flat().filter(Boolean);
			for (const s of servers) {
				const lines = s.stderrText.split('\n');
				console.error(`--- server stderr (port ${s.port}, last ${Math.min(lines.length, 200)} lines) ---\n` +
					lines.slice(-200).join('\n'));
			}
			throw e;
		}
	};
}

/* ---- the client ---- */

export const SESSION = 'elevlos_session';
export const PRE = 'elevlos_pre';

export function csrfFrom(html) {
	const m = /<input[^>]*\bname="csrf"[^>]*>/.exec(html);
	if (!m) return null;
	const v = /\bvalue="([^"]*)"/.exec(m[0]);
	return v ? v[1] : null;
}

/* ---- two-factor login: what an authenticator app does ---- */

/* RFC 4648 base32 (no padding) to bytes. */
export function base32Decode(s) {
	const al = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
	let bits = 0, acc = 0;
	const out = [];
	for (const ch of s.replace(/[\s=]/g, '').toUpperCase()) {
		const v = al.indexOf(ch);
		assert.ok(v >= 0, `base32 character ${ch}`);
		acc = (acc << 5) | v;
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			out.push((acc >> bits) & 0xff);
		}
	}
	return Buffer.from(out);
}

/* RFC 6238 with HMAC-SHA1: the code of time step `step` (30-second steps since the epoch). */
export function totpAt(secret, step, digits = 6) {
	const key = typeof secret === 'string' ? base32Decode(secret) : secret;
	const msg = Buffer.alloc(8);
	msg.writeBigUInt64BE(BigInt(step));
	const h = crypto.createHmac('sha1', key).update(msg).digest();
	const o = h[h.length - 1] & 0xf;
	const v = ((h[o] & 0x7f) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3];
	return String(v % 10 ** digits).padStart(digits, '0');
}

export const stepNow = () => Math.floor(Date.now() / 1000 / 30);

/* What the helper knows of each enrolled account: {secret, lastStep, recovery: [codes]}, by
 * database (or server) and username. Tests may read and change it (mfaState.get(key)). */
export const mfaState = new Map();

/* The enrolment page's secret (the text an app's manual entry takes). */
export function secretFrom(html) {
	const m = /id="mfa-secret"[^>]*data-secret="([A-Z2-7]+)"/.exec(html) || /data-secret="([A-Z2-7]+)"[^>]*id="mfa-secret"/.exec(html);
	return m ? m[1] : null;
}

export function recoveryCodesFrom(html) {
	return [...html.matchAll(/<li><code>([a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4})<\/code><\/li>/g)].map((m) => m[1]);
}

/* An authenticator code the server has not seen for this account: the current step's, else the
 * next step's (the server allows one step of clock drift), else wait for the next step. A used
 * code is refused by design (no replay). null instead of waiting when wait is false. */
export async function freshTotp(st, { wait = true } = {}) {
	for (;;) {
		const cur = stepNow();
		if (st.lastStep < cur) {
			st.lastStep = cur;
			return totpAt(st.secret, cur);
		}
		if (st.lastStep === cur) {
			st.lastStep = cur + 1;
			return totpAt(st.secret, cur + 1);
		}
		if (!wait) return null;
		// Until the step after the last used one: then its code and the next are both fresh.
		await sleep(((st.lastStep + 1) * 30 + 0.2) * 1000 - Date.now());
	}
}

/* A tiny browser: a cookie jar for our own cookies, no redirects followed. `key` names whose
 * accounts these are (the database path; the server address when not given) for mfaState. */
export class Client {
	constructor(base, key) {
		this.base = base;
		this.key = key || base;
		this.jar = new Map();
		this.csrf = null;
		this.bearer = null;
	}

	cookieHeader() {
		return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
	}

	/* Returns {status, headers, text, json, setCookies, location}. */
	async req(method, p, { form, json, body, headers = {}, csrf, contentType } = {}) {
		const h = { ...headers };
		const cookie = this.cookieHeader();
		if (cookie && !('Cookie' in h)) h.Cookie = cookie;
		if (this.bearer && !('Authorization' in h)) h.Authorization = `Bearer ${this.bearer}`;
		let b = body;
		if (form !== undefined) {
			b = new URLSearchParams(form).toString();
			h['Content-Type'] = 'application/x-www-form-urlencoded';
		} else if (json !== undefined) {
			b = typeof json === 'string' ? json : JSON.stringify(json);
			h['Content-Type'] = 'application/json';
		}
		if (contentType) h['Content-Type'] = contentType;
		if (csrf) h['X-CSRF-Token'] = csrf;
		const r = await fetch(this.base + p, { method, headers: h, body: b, redirect: 'manual' });
		const text = method === 'HEAD' ? '' : await r.text();
		const setCookies = r.headers.getSetCookie();
		for (const sc of setCookies) {
			const [pair, ...attrs] = sc.split(';');
			const eq = pair.indexOf('=');
			const name = pair.slice(0, eq).trim();
			const value = pair.slice(eq + 1).trim();
			const gone = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a));
			if (gone) this.jar.delete(name);
			else this.jar.set(name, value);
		}
		let parsed;
		if ((r.headers.get('content-type') || '').startsWith('application/json')) {
			try {
				parsed = JSON.parse(text);
			} catch {
				parsed = undefined;
			}
		}
		const c = csrfFrom(text);
		if (c) this.csrf = c;
		return { status: r.status, headers: r.headers, text, json: parsed, setCookies,
			location: r.headers.get('location') };
	}

	get(p, o) {
		return this.req('GET', p, o);
	}

	post(p, o) {
		return this.req('POST', p, o);
	}

	get session() {
		return this.jar.get(SESSION);
	}

	/* GET /login for the pre-login token, then POST the form. Returns the POST's response; when
	 * the password leads to the second step (/login/code, /login/enrol), the helper answers it
	 * as an authenticator app would and returns that answer instead (mfa: false stops at the
	 * password's redirect). */
	async login(username, password, { next, mfa = true } = {}) {
		const f = await this.get('/login');
		assert.equal(f.status, 200, `GET /login: ${f.status}`);
		const csrf = csrfFrom(f.text);
		assert.ok(csrf, 'the login form has a csrf field');
		const form = { csrf, username, password };
		if (next) form.next = next;
		let r = await this.post('/login', { form });
		if (mfa && r.status === 303 && /^\/login\/(code|enrol)$/.test(r.location)) r = await this.secondStep(username, r.location);
		if (r.status === 303) this.csrf = null;
		return r;
	}

	get mfaKey() {
		return this.key;
	}

	/* The login's second step for username: enrolment (remembering the secret and the recovery
	 * codes in mfaState) or a code. Enrolment ends on the recovery codes' page (200); its
	 * continue link stands in for the redirect: {status: 303, location, page}.
	 * The suites log the same users in hundreds of times, while an authenticator code is good
	 * once and there are two fresh ones per 30 seconds. So the helper logs in with the recovery
	 * codes, and when they run low renews them (POST /account/mfa/recovery) with a fresh
	 * authenticator code, if one is to be had without waiting; only when both are used up does it
	 * wait for the next step. */
	async secondStep(username, where) {
		const k = `${this.key}|${username}`;
		const p = await this.get(where);
		assert.equal(p.status, 200, `GET ${where}: ${p.status} ${p.text.slice(0, 200)}`);
		const csrf = csrfFrom(p.text);
		if (where === '/login/enrol') {
			const secret = secretFrom(p.text);
			assert.ok(secret, 'the enrolment page shows the secret');
			const st = { secret, lastStep: -1, recovery: [] };
			const r = await this.post('/login/enrol', { form: { csrf, otp: await freshTotp(st) } });
			assert.equal(r.status, 200, `POST /login/enrol: ${r.status} ${r.text.slice(0, 300)}`);
			st.recovery = recoveryCodesFrom(r.text);
			assert.equal(st.recovery.length, 10, 'ten recovery codes are shown');
			mfaState.set(k, st);
			const m = /<a href="([^"]*)"[^>]*id="mfa-continue"/.exec(r.text);
			assert.ok(m, 'the recovery codes page links on');
			return { ...r, status: 303, location: m[1].replace(/&amp;/g, '&'), page: r };
		}
		const st = mfaState.get(k);
		assert.ok(st, `no authenticator secret known for ${username} (${this.key})`);
		const otp = st.recovery.length ? st.recovery.shift() : await freshTotp(st);
		const r = await this.post('/login/code', { form: { csrf, otp } });
		if (r.status === 303 && st.recovery.length < 4) await this.renewRecovery(st);
		return r;
	}

	/* New recovery codes for the logged-in account of st, when a fresh code is to be had now. */
	async renewRecovery(st) {
		const otp = await freshTotp(st, { wait: false });
		if (!otp) return;
		const a = await this.get('/account');
		const csrf = csrfFrom(a.text);
		const r = await this.post('/account/mfa/recovery', { form: { csrf, otp } });
		assert.equal(r.status, 200, `renewing recovery codes: ${r.status} ${r.text.slice(0, 300)}`);
		st.recovery = recoveryCodesFrom(r.text);
		assert.equal(st.recovery.length, 10);
	}

	/* Login that must work; also fetches the session's CSRF token. */
	async loginOk(username, password) {
		const r = await this.login(username, password);
		assert.equal(r.status, 303, `login ${username}: ${r.status} ${r.text.slice(0, 300)}`);
		assert.ok(this.session, 'a session cookie was set');
		await this.fetchCsrf();
		return r;
	}

	/* The logged-in CSRF token, from the hidden input of a page. */
	async fetchCsrf() {
		const r = await this.get('/start');
		assert.equal(r.status, 200, `GET /start: ${r.status}`);
		this.csrf = csrfFrom(r.text);
		assert.ok(this.csrf, 'a page carries the csrf token');
		return this.csrf;
	}
}

/* Raw HTTP/1.1 over a socket, for what fetch will not send (huge headers, raw bytes).
 * Resolves {status, head, body} or {error} when the server closed without an answer. */
export function rawRequest(port, data, timeoutMs = 10000 * SLOW) {
	return new Promise((resolve) => {
		const sock = net.connect(port, '127.0.0.1');
		const chunks = [];
		let done = false;
		const finish = () => {
			if (done) return;
			done = true;
			clearTimeout(timer);
			sock.destroy();
			const text = Buffer.concat(chunks).toString('latin1');
			const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
			if (!m) return resolve({ error: 'no response', text });
			const i = text.indexOf('\r\n\r\n');
			resolve({ status: Number(m[1]), head: text.slice(0, i), body: text.slice(i + 4) });
		};
		const timer = setTimeout(finish, timeoutMs);
		sock.on('data', (d) => chunks.push(d));
		sock.on('end', finish);
		sock.on('close', finish);
		sock.on('error', finish);
		sock.write(data);
	});
}

/* Fills a route path's {parameters}. */
export function fillPath(p, values) {
	return p.replace(/\{(\w+)\}/g, (_, name) => {
		assert.ok(name in values, `no value for path parameter {${name}} in ${p}`);
		return encodeURIComponent(values[name]);
	});
}

/* ---- registration fixtures ---- */

/* Today as the server sees it (YYYY-MM-DD, local time). */
export function today(offsetDays = 0) {
	const d = new Date(Date.now() + offsetDays * 86400000);
	const p = (n) => String(n).padStart(2, '0');
	return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/* A JSON API call that must answer `want`; returns the parsed answer. */
export async function apiOk(client, method, path, json, want = [200, 201]) {
	const r = await client.req(method, path, { json, csrf: client.csrf });
	const ok = Array.isArray(want) ? want.includes(r.status) : r.status === want;
	assert.ok(ok, `${method} ${path} → ${r.status} ${r.text.slice(0, 300)}`);
	return r.json;
}

/* One of everything in the registration record, made by a logged-in veileder of P-AKERSHUS
 * and a radgiver of S-JESSHEIM: a student with registration and sharing consent, a case with a
 * contact, a decision and a measure, and a referral. Returns their ids. */
export async function recordFixture(veileder, radgiver) {
	const day = today(-10);
	const s = await apiOk(veileder, 'POST', '/api/v1/students', {
		student_name: 'Fixture Elev', birth_year: '2005', gender: 'KVINNE', level: 'VG2',
		programme: 'YRKESFAG', school: 'S-JESSHEIM', consent_on: day, consent_by: 'ELEV',
	}, 201);
	const withConsent = await apiOk(veileder, 'POST', `/api/v1/students/${s.pseudonym}/consents`,
		{ consent_kind: 'DELING', partner: 'RADGIVER', consent_on: day, consent_by: 'ELEV' }, 201);
	const k = await apiOk(veileder, 'POST', `/api/v1/students/${s.pseudonym}/cases`,
		{ referral_source: 'RADGIVER', referred_on: day, opened_on: day, main_reason: 'OKONOMI' }, 201);
	const withContact = await apiOk(veileder, 'POST', `/api/v1/cases/${k.id}/contacts`,
		{ contact_kind: 'SAMTALE', on_date: today(-9), minutes: '30', followups: 'MOTIVASJON', note: 'fixture note' }, 201);
	const withDecision = await apiOk(veileder, 'POST', `/api/v1/cases/${k.id}/decisions`,
		{ decision: 'SOSTJL_18', granted: 'true', on_date: today(-8), duration: 'KORTTID' }, 201);
	const withMeasure = await apiOk(veileder, 'POST', `/api/v1/cases/${k.id}/measures`,
		{ side: 'school', measure: 'TILRETTELAGT', start_on: today(-8) }, 201);
	const ref = await apiOk(radgiver, 'POST', '/api/v1/referrals',
		{ student_name: 'Fixture Henvist', main_reason: 'FRAVAER', consent_by: 'ELEV', level: 'VG1' }, 201);
	return {
		pseudonym: s.pseudonym,
		consent: withConsent.consents.find((c) => c.kind === 'DELING').id,
		case: k.id,
		contact: withContact.id,
		decision: withDecision.id,
		measure: withMeasure.id,
		referral: ref.id,
	};
}

/* Path parameters for any route: {id} means the object the path is about. */
export function recordParams(fix, path) {
	let id = fix.case;
	if (path.includes('/consents/{id}')) id = fix.consent;
	else if (path.startsWith('/api/v1/contacts/') || path.startsWith('/contacts/')) id = fix.contact;
	else if (path.startsWith('/api/v1/decisions/') || path.startsWith('/decisions/')) id = fix.decision;
	else if (path.startsWith('/api/v1/measures/') || path.startsWith('/measures/')) id = fix.measure;
	else if (path.startsWith('/api/v1/referrals/') || path.startsWith('/referrals/')) id = fix.referral;
	else if (path.startsWith('/api/v1/releases/') || path.startsWith('/statistics/releases/')) id = fix.release;
	// The demo's pilot register: P-AKERSHUS's first steering-group member and first grant line
	// (paid) are number 1; its annual report of 2016/17 is not started.
	if (path.startsWith('/pilots/')) id = 1;
	return { pseudonym: fix.pseudonym, id, list: 'reason', orgnr: '990000018' /* the demo's Jessheim */, year: '2016' };
}

/* A statistics release of the current school year, created with the CLI and approved and
 * published by the given analyst client. Returns its id. */
export async function releaseFixture(db, analyst) {
	const d = new Date();
	const y = d.getMonth() >= 7 ? d.getFullYear() : d.getFullYear() - 1;
	const year = `${y}/${String((y + 1) % 100).padStart(2, '0')}`;
	const r = await cliOk(['release', 'create', '--db', db, '--year', year]);
	const id = Number(/release (\d+):/.exec(r.stdout)[1]);
	await apiOk(analyst, 'POST', `/api/v1/releases/${id}/approve`, {}, 200);
	await apiOk(analyst, 'POST', `/api/v1/releases/${id}/publish`, {}, 200);
	return { id, year };
}

/* Numbers as the pages write them in bokmål: a no-break space between thousands, a decimal
 * comma, U+2212 for minus (src/i18n/format.h). Rounding as C's printf (the value's binary
 * expansion), which toFixed matches. */
export function nbNum(v, decimals = 0) {
	const s = Math.abs(v).toFixed(decimals);
	const zero = /^[0.]+$/.test(s);
	const [int, frac] = s.split('.');
	const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
	return `${v < 0 && !zero ? '\u2212' : ''}${grouped}${frac ? `,${frac}` : ''}`;
}

/* The same with "+" before a positive value ("+0,36"); zero has no sign. */
export function nbSigned(v, decimals = 0) {
	const s = nbNum(v, decimals);
	return v > 0 && !/^[0,]+$/.test(s) ? `+${s}` : s;
}
