// Disk full (docs/security.md): the database on a small tmpfs (needs root for mount), the disk
// filled up to the last byte while the server runs. Writes must fail with a clear message (507,
// "Lagringsplassen er full" / "The storage is full") through the API and the HTML forms, reads
// must keep working, integrity_check must stay ok, and once space is freed writes work again,
// without a restart. Skipped with a message when not root. Writes build/security/diskfull.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import * as L from '../http/lib.mjs';
import * as S from './lib.mjs';

const isRoot = process.getuid?.() === 0;
const SIZE = process.env.DISKFULL_SIZE || '6m';

function fill(dir) {
	// Fill the file system: a big file first, then small ones for the last blocks.
	const files = [];
	let i = 0;
	for (const chunk of [1 << 20, 64 << 10, 4 << 10, 512, 1]) {
		const buf = Buffer.alloc(chunk, 0x55);
		for (;;) {
			const f = path.join(dir, `filler-${i++}`);
			try {
				fs.writeFileSync(f, buf);
				files.push(f);
			} catch (e) {
				if (e.code !== 'ENOSPC') throw e;
				try {
					fs.rmSync(f, { force: true });
				} catch {
					/* nothing */
				}
				break;
			}
		}
	}
	return files;
}

test('disk full: writes fail with a clear message, reads work, nothing corrupted, writes work again after freeing space',
	{ skip: isRoot ? false : 'not root: mounting a small tmpfs needs root (run make security-report as root)', timeout: 300000 }, async () => {
		const mnt = L.tempDir('elevlos-diskfull-');
		execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${SIZE},mode=0700`, 'tmpfs', mnt]);
		let srv;
		const figures = { tmpfs: SIZE };
		try {
			const db = await L.initDb(mnt);
			await L.addUser(db, 'full.admin', 'admin', 'NO', 'a long enough password 1');
			const token = await L.createToken(db, 'full.admin');
			srv = await L.startServer(db);
			const api = srv.client();
			api.bearer = token;
			const web = srv.client();
			await web.loginOk('full.admin', 'a long enough password 1');
			let n = 0;
			const postUnit = () => api.post('/api/v1/units', { json: { code: `FULL-${++n}`, name: `Full ${n}`, kind: 'pilot', parent: '03' } });
			const r0 = await postUnit();
			assert.equal(r0.status, 201, r0.text);

			// Fill the disk; then write until the database's spare pages are used up too.
			const fillers = fill(mnt);
			figures.fillerFiles = fillers.length;
			const statuses = {};
			let failed = null;
			const acked = [`FULL-${n}`]; // the write before the disk filled
			for (let i = 0; i < 2000 && !failed; i++) {
				const r = await postUnit();
				statuses[r.status] = (statuses[r.status] ?? 0) + 1;
				if (r.status === 201) acked.push(`FULL-${n}`);
				else failed = r;
			}
			assert.ok(failed, 'a write fails once the disk is full');
			figures.writesAcceptedAfterFilling = acked.length - 1; // what the WAL still had room for
			figures.apiStatus = failed.status;
			figures.apiBody = failed.json ?? failed.text.slice(0, 300);
			assert.equal(failed.status, 507, `the API says the storage is full: ${failed.status} ${failed.text}`);
			assert.equal(failed.json?.error?.code, 'storage_full', failed.text);
			assert.match(failed.json?.error?.message ?? '', /Lagringsplassen er full|storage is full/i);

			// The HTML form: a page that says so, in Norwegian.
			const form = await web.post('/units', { form: { csrf: web.csrf, code: 'FULL-FORM', name: 'Full form', kind: 'pilot', parent: '03' } });
			figures.formStatus = form.status;
			assert.equal(form.status, 507, `the form says the storage is full: ${form.status}`);
			assert.match(form.text, /Lagringsplassen er full/);
			figures.formMessage = /Lagringsplassen er full[^<]*/.exec(form.text)?.[0];

			// Reads keep working: the API, a page, the health check.
			const reads = [await api.get('/api/v1/units'), await web.get('/units'), await api.get('/api/v1/me')];
			figures.readStatuses = reads.map((r) => r.status);
			assert.deepEqual(figures.readStatuses, [200, 200, 200]);
			const listed = new Set(reads[0].json.units.map((u) => u.code));
			figures.acknowledgedMissing = acked.filter((code) => !listed.has(code)).length;
			assert.equal(figures.acknowledgedMissing, 0, 'every write acknowledged before the disk filled is there');
			assert.ok(!listed.has(`FULL-${n}`), 'the failed write left nothing');
			figures.integrityWhileFull = await S.sqlite(db, 'PRAGMA integrity_check');
			assert.equal(figures.integrityWhileFull, 'ok');

			// Space freed: writes work again without a restart.
			for (const f of fillers) fs.rmSync(f);
			const again = await postUnit();
			figures.statusAfterFreeing = again.status;
			assert.equal(again.status, 201, again.text);
			const form2 = await web.post('/units', { form: { csrf: web.csrf, code: 'FULL-FORM2', name: 'Full form 2', kind: 'pilot', parent: '03' } });
			assert.ok([200, 303].includes(form2.status), `${form2.status} ${form2.text.slice(0, 300)}`);
			const after = (await api.get('/api/v1/units')).json.units.map((u) => u.code);
			assert.ok(after.includes(`FULL-${n}`) && after.includes('FULL-FORM2'), 'the writes after freeing space are there');
			assert.ok(!after.includes('FULL-FORM'), 'the form write refused while full left nothing');
			await srv.stop();
			srv = null;
			figures.integrityAfter = await S.sqlite(db, 'PRAGMA integrity_check');
			assert.equal(figures.integrityAfter, 'ok');
			const v = await L.auditVerify(db);
			figures.auditVerify = v.code === 0 ? `ok: ${v.rows} rows` : v.out.slice(0, 300);
			assert.equal(v.code, 0, v.out);
			figures.ok = true;
		} catch (e) {
			if (srv) console.error(`--- server stderr ---\n${srv.stderrText.split('\n').filter((l) => !/"status":20/.test(l)).slice(-40).join('\n')}`);
			throw e;
		} finally {
			if (srv) await srv.kill();
			try {
				execFileSync('umount', [mnt]);
			} catch {
				/* mounted nothing */
			}
			S.writeFigures('diskfull', figures);
			console.log(`diskfull: ${JSON.stringify(figures)}`);
		}
	});

if (!isRoot) S.writeFigures('diskfull', { skipped: 'not root' });
