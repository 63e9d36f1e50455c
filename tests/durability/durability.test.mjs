// Crash durability: a client writes units as fast as it can while the server is SIGKILLed at
// random moments and restarted on the same database. Every write the server acknowledged
// (201) must be there afterwards, and the database and its access log must be intact.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as L from '../http/lib.mjs';

const TARGET_ACKS = 2000;
const MIN_KILLS = 20;
const WORKERS = 4;
const DEADLINE_MS = 150000;

const rand = (lo, hi) => lo + Math.floor(Math.random() * (hi - lo + 1));

function sqlite(db, sql) {
	return new Promise((resolve, reject) => {
		execFile('sqlite3', [db, sql], (err, stdout, stderr) => {
			if (err) reject(new Error(`sqlite3: ${err.message} ${stderr}`));
			else resolve(stdout.trim());
		});
	});
}

test('acknowledged writes survive SIGKILL; the database stays intact', { timeout: 180000 }, async () => {
	const t0 = Date.now();
	const dir = L.tempDir('elevlos-durability-');
	const db = await L.initDb(dir);
	await L.addUser(db, 'dur.admin', 'admin', 'NO', 'a long enough password 1');
	const token = await L.createToken(db, 'dur.admin');
	const srv = new L.Server(db, {}, await L.freePort());
	await srv.start();

	const acked = new Set(); // got 201
	const committedOnRetry = new Set(); // a retry got 409: the lost answer's write was committed
	let next = 0;
	let stopping = false;
	let kills = 0;
	let retries = 0;
	let acksSinceRestart = 0;
	const failures = [];

	async function post(code) {
		const r = await fetch(`${srv.base}/api/v1/units`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
			body: JSON.stringify({ code, name: `Durability ${code}`, kind: 'pilot', parent: '03' }),
		});
		await r.text();
		return r.status;
	}

	async function worker() {
		while (!stopping && failures.length === 0) {
			const code = `DUR-${next++}`;
			for (let attempt = 0; ; attempt++) {
				let status;
				try {
					status = await post(code);
				} catch {
					status = 0; // connection refused or reset: the server is down
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
				if (Date.now() - t0 > DEADLINE_MS) {
					failures.push(`${code}: still unanswered at the deadline`);
					return;
				}
				await L.sleep(5);
			}
		}
	}

	async function killer() {
		while ((acked.size < TARGET_ACKS || kills < MIN_KILLS) && failures.length === 0) {
			if (Date.now() - t0 > DEADLINE_MS) {
				failures.push(`deadline: ${acked.size} acknowledged, ${kills} kills`);
				break;
			}
			// Let a random amount of work happen, then kill at a random moment of it.
			const want = rand(10, 140);
			while (acksSinceRestart < want && failures.length === 0 && Date.now() - t0 < DEADLINE_MS)
				await L.sleep(1);
			await L.sleep(rand(0, 15));
			await srv.kill();
			kills++;
			assert.equal(srv.exit.signal, 'SIGKILL', `the server was killed, not exited: ${JSON.stringify(srv.exit)}`);
			await L.sleep(rand(0, 20));
			acksSinceRestart = 0;
			await srv.start();
		}
		stopping = true;
	}

	try {
		await Promise.all([killer(), ...Array.from({ length: WORKERS }, worker)]);
		assert.deepEqual(failures, []);

		// Everything acknowledged (or found committed on a retry) is there.
		const c = srv.client();
		c.bearer = token;
		const r = await c.get('/api/v1/units');
		assert.equal(r.status, 200);
		const present = new Set(r.json.units.map((u) => u.code));
		const lost = [...acked, ...committedOnRetry].filter((code) => !present.has(code));
		console.log(`durability: ${acked.size} writes acknowledged, ${committedOnRetry.size} found committed on retry, ` +
			`${kills} kills, ${retries} retries, ${next} codes tried, ${lost.length} lost, ${Date.now() - t0} ms`);
		assert.deepEqual(lost, [], 'no acknowledged write is lost');
		assert.ok(acked.size >= TARGET_ACKS, `${acked.size} acknowledged writes`);
		assert.ok(kills >= MIN_KILLS, `${kills} kills`);
		// No unit appeared that was never asked for, and none twice.
		const dur = r.json.units.filter((u) => u.code.startsWith('DUR-'));
		assert.equal(new Set(dur.map((u) => u.code)).size, dur.length);
		for (const u of dur) assert.ok(Number(u.code.slice(4)) < next, u.code);
	} catch (e) {
		console.error(`--- server stderr (last 100 lines) ---\n${srv.stderrText.split('\n').slice(-100).join('\n')}`);
		throw e;
	} finally {
		await srv.stop();
	}

	assert.equal(await sqlite(db, 'PRAGMA integrity_check'), 'ok');
	assert.equal(await sqlite(db, 'PRAGMA foreign_key_check'), '');
	const v = await L.auditVerify(db);
	assert.equal(v.code, 0, v.out);
	// Each unit was created with its access-log row in the same transaction.
	const units = Number(await sqlite(db, "SELECT count(*) FROM unit WHERE code LIKE 'DUR-%'"));
	assert.ok(units >= acked.size + committedOnRetry.size);
	const rows = Number(await sqlite(db, "SELECT count(*) FROM access_log WHERE action = 'create' AND object LIKE 'unit:DUR-%'"));
	assert.equal(rows, units, 'one access-log row per created unit, no more, no less');
	console.log(`durability: integrity ok, access log ok (${v.rows} rows), ${units} units`);
});
