// Helpers for the security checks (docs/security.md): figures written as JSON for the report
// generator, the sqlite3 shell, and registration fixtures in any pilot. Logins, servers and
// databases come from tests/http/lib.mjs and nowhere else.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile, execFileSync } from 'node:child_process';
import * as L from '../http/lib.mjs';

export const OUT = path.resolve(process.env.SECURITY_OUT || 'build/security');

/* Writes build/security/NAME.json: {name, when, machine, ...figures}. */
export function writeFigures(name, figures) {
	fs.mkdirSync(OUT, { recursive: true });
	const doc = {
		name,
		when: new Date().toISOString(),
		machine: `${os.hostname()}: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}`,
		binary: path.relative(process.cwd(), L.BIN),
		...figures,
	};
	fs.writeFileSync(path.join(OUT, `${name}.json`), JSON.stringify(doc, null, 1) + '\n');
	return doc;
}

export function sqlite(db, sql) {
	return new Promise((resolve, reject) => {
		execFile('sqlite3', ['-cmd', '.timeout 10000', db, sql], (err, stdout, stderr) => {
			if (err) reject(new Error(`sqlite3 ${sql}: ${err.message} ${stderr}`));
			else resolve(stdout.trim());
		});
	});
}

export function sqliteSync(db, sql) {
	return execFileSync('sqlite3', ['-cmd', '.timeout 10000', db, sql]).toString().trim();
}

/* A student with a case, a contact, a decision, a measure and a sharing consent, made by a
 * logged-in veileder of the school's pilot, and a referral made by a radgiver of the school. */
export async function recordIn(veileder, radgiver, school, label = 'Sikkerhet') {
	const day = L.today(-10);
	const s = await L.apiOk(veileder, 'POST', '/api/v1/students', {
		student_name: `${label} Elev`, birth_year: '2005', gender: 'KVINNE', level: 'VG2',
		programme: 'YRKESFAG', school, consent_on: day, consent_by: 'ELEV',
	}, 201);
	const withConsent = await L.apiOk(veileder, 'POST', `/api/v1/students/${s.pseudonym}/consents`,
		{ consent_kind: 'DELING', partner: 'RADGIVER', consent_on: day, consent_by: 'ELEV' }, 201);
	const k = await L.apiOk(veileder, 'POST', `/api/v1/students/${s.pseudonym}/cases`,
		{ referral_source: 'RADGIVER', referred_on: day, opened_on: day, main_reason: 'OKONOMI' }, 201);
	const c = await L.apiOk(veileder, 'POST', `/api/v1/cases/${k.id}/contacts`,
		{ contact_kind: 'SAMTALE', on_date: L.today(-9), minutes: '30', followups: 'MOTIVASJON', note: `${label} note` }, 201);
	const d = await L.apiOk(veileder, 'POST', `/api/v1/cases/${k.id}/decisions`,
		{ decision: 'SOSTJL_18', granted: 'true', on_date: L.today(-8), duration: 'KORTTID' }, 201);
	const m = await L.apiOk(veileder, 'POST', `/api/v1/cases/${k.id}/measures`,
		{ side: 'school', measure: 'TILRETTELAGT', start_on: L.today(-8) }, 201);
	const ref = await L.apiOk(radgiver, 'POST', '/api/v1/referrals',
		{ student_name: `${label} Henvist`, main_reason: 'FRAVAER', consent_by: 'ELEV', level: 'VG1' }, 201);
	return {
		pseudonym: s.pseudonym,
		consent: withConsent.consents.find((x) => x.kind === 'DELING').id,
		case: k.id, contact: c.id, decision: d.id, measure: m.id, referral: ref.id,
	};
}

/* Percentile of a sorted copy. */
export function percentile(values, p) {
	if (values.length === 0) return 0;
	const s = [...values].sort((a, b) => a - b);
	return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

/* Resident set size of a process in KiB (VmRSS of /proc/PID/status). */
export function rssKiB(pid) {
	const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
	return m ? Number(m[1]) : NaN;
}
