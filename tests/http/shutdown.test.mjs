// SIGTERM finishes requests in flight: a write whose body is still arriving when the signal
// comes is completed, acknowledged and stored; then the server exits 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import * as L from './lib.mjs';

test('a request in flight at SIGTERM is answered and stored; the server then exits 0', async () => {
	const { db } = await L.demoDb();
	const token = await L.createToken(db, 'admin');
	const srv = await L.startServer(db);
	const body = JSON.stringify({ code: 'SHUTDOWN-1', name: 'Written during shutdown', kind: 'pilot', parent: '03' });
	const head = `POST /api/v1/units HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n` +
		`Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n`;
	const sock = net.connect(srv.port, '127.0.0.1');
	const chunks = [];
	sock.on('data', (d) => chunks.push(d));
	const closed = new Promise((res) => sock.on('close', res));
	await new Promise((res) => sock.on('connect', res));
	// Half the body, then the signal, then the rest.
	sock.write(head + body.slice(0, 20));
	await L.sleep(200 * L.SLOW);
	srv.child.kill('SIGTERM');
	await L.sleep(200 * L.SLOW);
	sock.write(body.slice(20));
	await closed;
	const answer = Buffer.concat(chunks).toString();
	assert.match(answer, /^HTTP\/1\.1 201/, answer.slice(0, 300));
	const exit = await srv.exited;
	assert.equal(exit.code, 0, `exit ${JSON.stringify(exit)}\n${srv.stderrText}`);
	const units = await L.listUnits(db);
	assert.ok(units.some((u) => u.code === 'SHUTDOWN-1'), 'the acknowledged write is stored');
	// Stopped means stopped: no new connections are taken.
	await assert.rejects(fetch(`${srv.base}/healthz`));
});
