// Writes a synthetic case file (docs/formats.md) with N students, one case each, with
// contacts, decisions, measures and outcomes: node tests/import/gen-cases.mjs N FILE [SEED]
// Units used: P-AKERSHUS (S-JESSHEIM, S-SKEDSMO) and P-STOVNER (S-STOVNER), as in the demo.
import { createWriteStream } from 'node:fs';

const [n = '1000', file = '/dev/stdout', seedArg = '1'] = process.argv.slice(2);
let seed = Number(seedArg) >>> 0 || 1;
function rnd(k) { // xorshift32: the same file for the same seed
  seed ^= seed << 13; seed >>>= 0; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0;
  return seed % k;
}
const pick = (a) => a[rnd(a.length)];
const ALPHA = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
function pseudonym(i) {
  let s = '';
  for (let k = 0; k < 6; k++) { s = ALPHA[i % 32] + s; i = Math.floor(i / 32); }
  return `E-${s}`;
}
function date(y, doy) {
  const d = new Date(Date.UTC(y, 0, 1) + doy * 86400000);
  return d.toISOString().slice(0, 10);
}
const pilots = [['P-AKERSHUS', ['S-JESSHEIM', 'S-SKEDSMO']], ['P-STOVNER', ['S-STOVNER']]];
const reasons = ['OKONOMI', 'BOSITUASJON', 'HJEMMESITUASJON', 'PSYKISK_HELSE', 'FRAVAER', 'ARBEID'];
const sources = ['ELEV', 'RADGIVER', 'KONTAKTLAERER', 'OT', 'FORESATT'];

const out = createWriteStream(file);
out.write('{"format":"elevlos-cases","version":1}\n');
for (let i = 0; i < Number(n); i++) {
  const [pilot, schools] = pilots[i % 2];
  const year = 2014 + rnd(4);
  const start = 220 + rnd(120); // autumn term
  const opened = date(year, start);
  const contacts = [];
  const nc = 1 + rnd(4);
  for (let c = 0; c < nc; c++) {
    contacts.push({ on_date: date(year, start + 3 + c * 20), kind: pick(['SAMTALE', 'TELEFON', 'DIGITAL']),
      minutes: 30, followups: [pick(['MOTIVASJON', 'OKONOMISK_RADGIVNING', 'BO_HJEM'])], note: null, by: 'veileder' });
  }
  const economic = rnd(5) === 0;
  const line = {
    pseudonym: pseudonym(i), pilot, school: pick(schools), name: null, fnr: null, birth_year: 1997 + rnd(5),
    gender: pick(['KVINNE', 'MANN']), level: pick(['VG1', 'VG2', 'VG3']), programme: pick(['YRKESFAG', 'STUDIEFORBEREDENDE']),
    minority: pick(['JA', 'NEI', 'UKJENT']), living: [{ code: pick(['HOS_FORELDRE', 'HYBEL', 'EN_FORELDER']), from: date(year, start - 30) }],
    consents: [{ kind: 'REGISTRERING', partner: null, given_on: date(year, start - 1), given_by: 'ELEV', withdrawn_on: null }],
    cases: [{
      opened_on: opened, referral_source: pick(sources), referred_on: date(year, start - 2), first_contact_on: contacts[0].on_date,
      main_reason: pick(reasons), reasons: [], partners: [], interagency: rnd(2) === 0, responsibility_group: false,
      closed_on: date(year + 1, 150), close_reason: 'AVSLUTTET', contacts,
      decisions: economic ? [{ code: 'SOSTJL_18', granted: true, on_date: date(year, start + 10), duration: 'KORTTID' }] : [],
      measures: rnd(4) === 0 ? [{ side: 'school', code: 'TILRETTELAGT', start_on: date(year, start + 5), end_on: null }] : [],
      outcomes: [{ school_year: `${year}/${String((year + 1) % 100).padStart(2, '0')}`, outcome: pick(['FORTSETTER', 'FULLFORT', 'GAR_OM', 'SLUTTET']) }],
    }],
  };
  if (!out.write(JSON.stringify(line) + '\n')) await new Promise((r) => out.once('drain', r));
}
out.end();
