// The server's sandbox (docs/operations.md, "Sandboxing"): started as root it binds its socket,
// switches to --user, sets no_new_privs and applies Landlock and the seccomp allow-list, and
// still serves, logs in and writes; `elevlos sandbox-check` shows what it blocks; started as
// root without an account to switch to it refuses to run.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as L from './lib.mjs';

const skip = L.IS_ROOT ? false : 'the sandbox tests start the server as root: run the suite as root';

/* Under valgrind the server runs with sandbox=off (Makefile, target valgrind): valgrind cannot
 * pass the seccomp and Landlock calls on. */
const MODE = process.env.ELEVLOS_SANDBOX || 'on';

let demo, srv;

before(async () => {
	if (skip) return;
	demo = await L.demoDb();
});

after(async () => {
	await srv?.stop();
});

function status(pid) {
	const out = {};
	for (const line of fs.readFileSync(`/proc/${pid}/status`, 'utf8').split('\n')) {
		const m = /^(\w+):\s*(.*)$/.exec(line);
		if (m) out[m[1]] = m[2].split(/\s+/);
	}
	return out;
}

test('as root with --user nobody: not root, no_new_privs, seccomp filter; serves, logs in, writes', { skip }, L.guarded(() => srv, async () => {
	const { uid, gid } = L.runAsIdsSync();
	srv = await L.startServer(demo.db); // lib.mjs adds --user nobody when root
	const st = status(srv.child.pid);
	assert.deepEqual(st.Uid, [String(uid), String(uid), String(uid), String(uid)], 'real, effective, saved, fs uid');
	assert.deepEqual(st.Gid, [String(gid), String(gid), String(gid), String(gid)]);
	assert.ok(!st.Groups || st.Groups.filter(Boolean).length === 0, `no supplementary groups: ${st.Groups}`);
	assert.deepEqual(st.CapEff, ['0000000000000000'], 'no capabilities left');
	const ev = srv.events().find((e) => e.event === 'sandbox');
	assert.ok(ev, 'the server logs what it applied');
	assert.equal(ev.mode, MODE);
	assert.equal(ev.uid, uid);
	if (MODE === 'off') {
		// make valgrind: valgrind cannot pass seccomp or Landlock on; root is dropped all the same.
		assert.equal(ev.seccomp, false);
	} else {
		assert.deepEqual(st.NoNewPrivs, ['1']);
		assert.deepEqual(st.Seccomp, ['2'], 'seccomp in filter mode');
		assert.equal(ev.no_new_privs, true);
		assert.equal(ev.seccomp, true);
		assert.ok(ev.landlock_abi >= 1, `Landlock applied (this kernel: ABI ${ev.landlock_abi})`);
	}

	// Still a working server: pages, login, a write, and what it wrote is the account's.
	const c = srv.client();
	assert.equal((await c.get('/login')).status, 200);
	await c.loginOk('veileder', demo.users.veileder.password);
	const made = await L.apiOk(c, 'POST', '/api/v1/students', { student_name: 'Sandkasse Elev', birth_year: '2007',
		school: 'S-JESSHEIM', consent_on: L.today(-1), consent_by: 'ELEV' }, 201);
	assert.ok(made.pseudonym);
	const page = await c.get(`/students/${made.pseudonym}`);
	assert.equal(page.status, 200);
	assert.ok(page.text.includes('Sandkasse Elev'));
	const wal = fs.statSync(demo.db + '-wal');
	assert.equal(wal.uid, uid, 'the write-ahead log belongs to the account the server runs as');
	// An export that goes through temporary files and fonts (XLSX and PDF) still works.
	const a = srv.client();
	await a.loginOk('analytiker', demo.users.analytiker.password);
	const rel = await L.releaseFixture(demo.db, a);
	for (const [format, magic] of [['xlsx', 'PK'], ['pdf', '%PDF']]) {
		const r = await a.get(`/statistics/export?school_year=${encodeURIComponent(rel.year)}&unit=NO&format=${format}`);
		assert.equal(r.status, 200, `${format} export under the sandbox`);
		assert.ok(r.text.startsWith(magic), `${format} export has its file signature`);
	}
	await srv.stop();
	srv = null;
}));

test('elevlos sandbox-check: every forbidden action blocked, every needed one works', { skip }, async () => {
	const dir = L.tempDir();
	const { uid, gid } = L.runAsIdsSync();
	fs.chownSync(dir, uid, gid);
	const db = path.join(dir, 'x.db');
	const r = await L.cli(['sandbox-check', '--user', L.RUN_AS, '--db', db, '--sandbox', 'on']);
	assert.equal(r.code, 0, r.stdout + r.stderr);
	const lines = r.stdout.split('\n');
	for (const what of ['execve /bin/true', 'fork a process', 'create a file outside the allowed paths', 'read /etc/passwd',
		'ptrace the parent process', 'socket(AF_NETLINK)', 'setuid(0)', 'signal a process outside the sandbox',
		'connect to a TCP port on 127.0.0.1']) {
		const l = lines.find((x) => x.includes(what));
		assert.match(l || '', /^\s+blocked\s/, `${what}: ${l}`);
	}
	// Each of these is stopped by the seccomp filter itself (the process is killed). The
	// sanitizer build lets ptrace through the filter for LeakSanitizer (src/core/sandbox.c):
	// there Landlock and the account's permissions refuse it.
	for (const what of ['execve', 'fork a process', ...(/asan/.test(L.BIN) ? [] : ['ptrace']), 'AF_NETLINK', 'setuid(0)'])
		assert.match(lines.find((x) => x.includes(what)), /SIGSYS/, what);
	// ... and these by Landlock (the account's own permissions would allow them).
	for (const what of ['outside the allowed paths', '/etc/passwd'])
		assert.match(lines.find((x) => x.includes(what)), /refused: Permission denied/, what);
	for (const what of ['database directory', 'fontconfig', 'tmpfile', 'thread'])
		assert.match(lines.find((x) => x.includes(what)) || '', /^\s+works\s/, what);
	assert.match(r.stdout, /all 9 forbidden actions blocked, all 4 needed actions work/);
	assert.equal(fs.readdirSync(dir).length, 0, 'the probes leave nothing behind');

	// log mode only logs what the filter does not list: the netlink socket is then open, and the
	// check says so and fails.
	const log = await L.cli(['sandbox-check', '--user', L.RUN_AS, '--db', db, '--sandbox', 'log']);
	assert.equal(log.code, 1, log.stdout);
	assert.match(log.stdout, /OPEN\s+socket\(AF_NETLINK\)/);
	assert.match(log.stdout, /blocked\s+execve \/bin\/true: refused/, 'Landlock still forbids executing');
	// off: nothing but the account's permissions.
	const off = await L.cli(['sandbox-check', '--user', L.RUN_AS, '--db', db, '--sandbox', 'off']);
	assert.equal(off.code, 1);
	assert.match(off.stdout, /OPEN\s+execve/);
	// A database directory the account cannot write is reported, not hidden.
	const roDir = L.tempDir();
	fs.chmodSync(roDir, 0o755);
	const bad = await L.cli(['sandbox-check', '--user', L.RUN_AS, '--db', path.join(roDir, 'x.db'), '--sandbox', 'on']);
	assert.equal(bad.code, 1);
	assert.match(bad.stdout, /BROKEN\s+write, fsync and remove a file in the database directory: refused: Permission denied/);
	// One it cannot even enter: the sandbox cannot be set up, and the check says so.
	const closed = await L.cli(['sandbox-check', '--user', L.RUN_AS, '--db', path.join(L.tempDir(), 'x.db'), '--sandbox', 'on']);
	assert.equal(closed.code, 1);
	assert.match(closed.stdout, /ERROR\s+execve \/bin\/true: the sandbox could not be applied/);
	assert.match(closed.stderr, /landlock: cannot open .*: Permission denied/);
});

test('as root without a usable account the server refuses to start', { skip }, async () => {
	const db = await L.initDb();
	const port = await L.freePort();
	const serve = (extra, env = {}) => L.cli(['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--plain-http', ...extra],
		{ env: { ELEVLOS_USER: '', ...env } });
	let r = await serve([]);
	assert.equal(r.code, 2);
	assert.match(r.stderr, /started as root: name an unprivileged account to run as with --user NAME/);
	r = await serve(['--user', 'no-such-account']);
	assert.equal(r.code, 2);
	assert.match(r.stderr, /there is no account named 'no-such-account'; elevlos does not serve as root/);
	r = await serve(['--user', 'root']);
	assert.equal(r.code, 2);
	assert.match(r.stderr, /'root' is root/);
	// Even with the sandbox off: dropping root is not optional.
	r = await serve([], { ELEVLOS_SANDBOX: 'off' });
	assert.equal(r.code, 2);
	assert.match(r.stderr, /does not serve as root/);
	r = await serve(['--sandbox', 'maybe', '--user', 'nobody']);
	assert.equal(r.code, 2);
	assert.match(r.stderr, /--sandbox must be on, log or off/);
	// None of them ever listened.
	await assert.rejects(fetch(`http://127.0.0.1:${port}/healthz`));
});
