// Kill and restart under load (docs/security.md): wrk drives reads and writes through the JSON API
// while a writer in this process records every write the server acknowledged (201); the server is
// SIGKILLed at a random moment and restarted KILLS times (default 100). After each restart
// PRAGMA integrity_check must say ok; at the end every acknowledged write must be there, and the
// access log must verify. Writes build/security/killrestart.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import * as L from '../http/lib.mjs';
import * as S from './lib.mjs';

const KILLS = Number(process.env.KILLS || 100);
const WORKERS = 3;
const rand = (lo, hi) => lo + Math.floor(Math.random() * (hi - lo + 1));

function startWrk(base, token) {
	const script = path.resolve('tests/security/wrk-mixed.lua');
	const child = spawn('wrk', ['-t1', '-c8', '-d3600s', '--timeout', '5s', '-s', script, base],
		{ env: { ...process.env, WRK_TOKEN: token }, stdio: ['ignore', 'pipe', 'pipe'] });
	let out = '';
	child.stdout.on('data', (d) => (out += d));
	child.stderr.on('data', (d) => (out += d));
	const exited = new Promise((resolve) => child.on('exit', () => resolve(out)));
	return { child, exited };
}

test(`SIGKILL and restart ${KILLS} times under wrk load: no acknowledged write lost, integrity ok each time`, { timeout: 1800000 }, async () => {
	const t0 = Date.now();
	const dir = L.tempDir('elevlos-killrestart-');
	const db = await L.initDb(dir);
	await L.addUser(db, 'kill.admin', 'admin', 'NO', 'a long enough password 1');
	const token = await L.createToken(db, 'kill.admin');
	const srv = new L.Server(db, {}, await L.freePort());
	await srv.start();
	const wrk = startWrk(srv.base, token);

	const acked = new Set();
	const committedOnRetry = new Set();
	const failures = [];
	const integrity = [];
	const restartMs = [];
	let next = 0;
	let stopping = false;
	let kills = 0;
	let retries = 0;
	let acksSinceRestart = 0;

	async function post(code) {
		const r = await fetch(`${srv.base}/api/v1/units`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
			body: JSON.stringify({ code, name: `Kill ${code}`, kind: 'pilot', parent: '03' }),
		});
		await r.text();
		return r.status;
	}

	async function writer() {
		while (!stopping && failures.length === 0) {
			const code = `KILL-${next++}`;
			for (let attempt = 0; ; attempt++) {
				let status;
				try {
					status = await post(code);
				} catch {
					status = 0;
				}
				if (status === 201) {
					acked.add(code);
					acksSinceRestart++;
					break;
				}
				if (status === 409) {
					if (attempt === 0) failures.push(`${code}: 409 on its first attempt`);
					else committedOnRetry.add(code);
					break;
				}
				if (status !== 0 && status !== 503 && status !== 500) {
					failures.push(`${code}: unexpected status ${status}`);
					break;
				}
				retries++;
				if (stopping) break;
				await L.sleep(5);
			}
		}
	}

	async function killer() {
		while (kills < KILLS && failures.length === 0) {
			const want = rand(3, 40);
			const until = Date.now() + 10000;
			while (acksSinceRestart < want && Date.now() < until) await L.sleep(2);
			await L.sleep(rand(0, 25));
			await srv.kill();
			kills++;
			if (srv.exit.signal !== 'SIGKILL') failures.push(`kill ${kills}: the server exited by itself: ${JSON.stringify(srv.exit)}`);
			acksSinceRestart = 0;
			const ts = Date.now();
			await srv.start();
			restartMs.push(Date.now() - ts);
			const ok = await S.sqlite(db, 'PRAGMA integrity_check');
			integrity.push(ok);
			if (ok !== 'ok') failures.push(`after restart ${kills}: integrity_check says ${ok}`);
		}
		stopping = true;
	}

	let wrkOut = '';
	try {
		await Promise.all([killer(), ...Array.from({ length: WORKERS }, writer)]);
	} finally {
		wrk.child.kill('SIGINT');
		wrkOut = await wrk.exited;
	}
	const wrkFig = JSON.parse(/WRK-JSON (\{.*\})/.exec(wrkOut)?.[1] ?? '{}');

	const c = srv.client();
	c.bearer = token;
	const present = new Set((await S.sqlite(db, "SELECT code FROM unit WHERE code LIKE 'KILL-%'")).split('\n'));
	const lost = [...acked, ...committedOnRetry].filter((code) => !present.has(code));
	await srv.stop();
	const finalIntegrity = await S.sqlite(db, 'PRAGMA integrity_check');
	const v = await L.auditVerify(db);
	const units = Number(await S.sqlite(db, "SELECT count(*) FROM unit WHERE code LIKE 'KILL-%' OR code LIKE 'WRK-%'"));
	const logRows = Number(await S.sqlite(db, "SELECT count(*) FROM access_log WHERE action = 'create' AND (object LIKE 'unit:KILL-%' OR object LIKE 'unit:WRK-%')"));
	const figures = {
		kills,
		acknowledgedWrites: acked.size,
		committedOnRetry: committedOnRetry.size,
		lost: lost.length,
		retries,
		integrityOk: integrity.filter((x) => x === 'ok').length,
		integrityChecks: integrity.length,
		finalIntegrity,
		auditVerify: v.code === 0 ? `ok: ${v.rows} rows` : v.out.slice(0, 300),
		unitsWritten: units,
		accessLogRowsForThem: logRows,
		restartMsMedian: S.percentile(restartMs, 50),
		restartMsMax: Math.max(...restartMs),
		wrk: wrkFig,
		failures: failures.slice(0, 20),
		seconds: Math.round((Date.now() - t0) / 1000),
	};
	S.writeFigures('killrestart', figures);
	console.log(`killrestart: ${kills} kills, ${acked.size} acknowledged writes (+${committedOnRetry.size} on retry), ${lost.length} lost, ` +
		`integrity ok ${figures.integrityOk}/${integrity.length}, wrk ${wrkFig.requests} requests, ${figures.seconds} s`);
	assert.deepEqual(failures, []);
	assert.equal(kills, KILLS);
	assert.deepEqual(lost, [], 'no acknowledged write is lost');
	assert.ok(acked.size >= KILLS, `${acked.size} acknowledged writes`);
	assert.equal(figures.integrityOk, KILLS);
	assert.equal(finalIntegrity, 'ok');
	assert.equal(v.code, 0, v.out);
	assert.equal(logRows, units, 'one access-log row per unit created');
	assert.ok(wrkFig.requests > 0, 'wrk made requests');
});
