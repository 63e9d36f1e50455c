// Reading what the exports write, for the tests of tests/stats and tests/eval.
import assert from 'node:assert/strict';

/* RFC 4180: records of fields; quoted fields may hold , " CR LF. */
export function parseCsv(text) {
	const rows = [];
	let row = [], field = '', i = 0, quoted = false;
	while (i < text.length) {
		const c = text[i];
		if (quoted) {
			if (c === '"' && text[i + 1] === '"') { field += '"'; i += 2; continue; }
			if (c === '"') { quoted = false; i++; continue; }
			field += c; i++; continue;
		}
		if (c === '"' && field === '') { quoted = true; i++; continue; }
		if (c === ',') { row.push(field); field = ''; i++; continue; }
		if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i += 2; continue; }
		if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; continue; }
		field += c; i++;
	}
	if (field !== '' || row.length) { row.push(field); rows.push(row); }
	return rows;
}

/* The share of dark pixels in a binary PGM (pdftoppm -gray): a rendered page has ink. */
export function inkShare(pgm) {
	const m = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 64).toString('latin1'));
	assert.ok(m, 'a PGM image');
	const px = pgm.subarray(m[0].length);
	let dark = 0;
	for (const v of px) if (v < 128) dark++;
	return dark / px.length;
}
