// Prints the reform tables of migration m004 (src/db/migrations.c) as C string lines, from the
// reference files in ../shared/data. Run by hand when the data changes; the product never reads
// those files. Usage: node tools/gen-reforms.mjs [DATA_DIR]
import fs from 'node:fs';
import path from 'node:path';

const dir = process.argv[2] || path.join(import.meta.dirname, '../../shared/data');
const rows = (file, sep) =>
	fs.readFileSync(path.join(dir, file), 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/)
		.slice(1).map((l) => l.split(sep).map((f) => f.replace(/^"|"$/g, '')));

const family = { '30': ['31', '32', '33'], '38': ['39', '40'], '54': ['55', '56'] };
const norm = (n) => n.toLowerCase().replace(/\s*\(.*\)$/, '').split(' - ').map((s) => s.trim());
// Renamed or spelt differently in the 2024 file (its Sámi names lost a letter in the older file).
const renamed = { '3040': '3322', '5437': '5610' };
const same = (a, b) => norm(a).some((x) => norm(b).includes(x));

const now = rows('kommuner_2024_navikt_paw.csv', ','); // county, county name, number, name
const wide = rows('alle_kommunenummer_fra2013_til2020_wide.csv', ';');
const out = [];
const problems = [];
for (const w of wide) {
	const [m13, , m17, , , m18, , , m19, n19, , m20, n20] = w;
	if (m13 === '9999') continue; // 'Uoppgitt', not a place
	if (renamed[m20]) {
		out.push([m13, m17, m18, m19, m20, renamed[m20], now.find((k) => k[2] === renamed[m20])[3]]);
		continue;
	}
	const fam = family[m20.slice(0, 2)] || [m20.slice(0, 2)];
	const inFam = now.filter((k) => fam.includes(k[0]));
	let hit = inFam.filter((k) => same(k[3], n19));
	if (hit.length !== 1) hit = inFam.filter((k) => same(k[3], n20));
	if (hit.length !== 1) hit = now.filter((k) => k[2] === m20);
	if (hit.length !== 1) { problems.push(w.join(';')); continue; }
	out.push([m13, m17, m18, m19, m20, hit[0][2], hit[0][3]]);
}
const seen = new Set(out.map((r) => r[5]));
for (const k of now) if (!seen.has(k[2])) problems.push('2024 without history: ' + k.join(','));
// A code must lead to one 2024 municipality, whatever era it is read in (Snillfjord, split in
// 2020, is the one exception and is reported as ambiguous by the lookup).
const byCode = new Map();
for (const r of out)
	for (const c of r.slice(0, 5)) {
		if (!byCode.has(c)) byCode.set(c, new Set());
		byCode.get(c).add(r[5]);
	}
for (const [c, s] of byCode) if (s.size > 1) problems.push(`code ${c} leads to ${[...s].join(',')}`);
for (const p of problems) console.error('check:', p);

const q = (s) => `'${s.replace(/'/g, "''")}'`;
const lines = out.map((r) => '(' + r.map(q).join(',') + ')');
const per = 4;
const chunks = [];
for (let i = 0; i < lines.length; i += per) chunks.push(lines.slice(i, i + per).join(','));
console.log(chunks.map((c, i) => `\t" ${c}${i === chunks.length - 1 ? ';' : ','}"`).join('\n'));
