// A synthetic registration dataset of the national trial 2014/15–2017/18 whose true figures are
// the trial's published ones (DOMAIN.md section 4: S1–S8, S12), as a case file for
// `elevlos import cases` (docs/formats.md), with the exact counts it was built to give.
//
//   node tests/stats/gen-trial.mjs FILE [SEED]
//
// writes FILE and FILE.expected.json (the counts per school year and over the period, and
// which of them are the trial's published shares) and prints a one-line summary. Every
// count is fixed as an integer first and then met by construction: the seed only moves
// students between pilots, dates inside their windows and codes between students. Before
// writing, the generator counts the file it made by the rules of docs/statistics.md
// (countFigures below) and refuses to write anything if a single count differs.
// docs/trial-data.md explains how each figure is met.
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export const YEARS = ['2014/15', '2015/16', '2016/17', '2017/18'];
export const PERIOD = '2014/15-2017/18';
const FIRST = 2014; // the calendar year the first school year starts

// ---- the targets: integers, fixed before anything is placed ----

// Students with a case open in each year (S1). 2014/15 and 2017/18 are the trial's; the two
// years between are ours, growing as pilots joined in 2015.
const STUDENTS = [377, 520, 602, 759];
// Of each year's students: cases carried on from the year before (opened then, closed in this
// year), students back with a new case after an earlier one was closed, and carried-on students
// who close that case in the autumn and open a second one in the spring (two cases in one year).
const CARRIED = [0, 55, 70, 80];
const RETURNING = [0, 6, 6, 8];
const TWO_CASES = [0, 4, 5, 7];
const DISTINCT = 2033; // S1 over the period
// Shares in percent; trial figures where DOMAIN.md gives them, ours (plausible, on the trend)
// where it does not. `trial` marks the published ones.
const ELEV = [27, 30, 33, 36]; // S2, trial: 2014/15 and 2017/18
const RADGIVER = [24, 30, 35, 41]; // S2, trial: 2014/15 and 2017/18
const OKONOMI = [46, 47, 48, 49]; // S3, trial: 2017/18
const BOSITUASJON = [24, 25, 26, 27]; // S3, trial: 2017/18
const S4_PCT = 26; // S4 in every year and over the period
const ASSISTED = 392; // S5 students over the period
const DURATION_PCT = { LANGTID: 43, KORTTID: 48, ENGANG: 9 }; // S5 over the period
const S6_PCT = 33; // S6 over the period
const S6_UNKNOWN = 12; // assisted students whose living situation was registered only afterwards
const S7_PCT = [45, 49, 52, 55]; // S7, trial: 2016/17 and 2017/18
const S8_PCT = 27; // S8 "over a quarter", in every year
const OUTCOME_MISSING_PCT = 8; // students without an outcome registered for a year

// The demo's pilots (src/demo/demo.c) with their schools, a weight for their share of the
// students and the school year they began registering (the 2015 extension from 2015/16).
const PILOTS = [
  ['P-AKERSHUS', ['S-JESSHEIM', 'S-SKEDSMO'], 14, 0],
  ['P-STOVNER', ['S-STOVNER'], 8, 0],
  ['P-ALNA', ['S-HELLERUD', 'S-ALNA'], 10, 0],
  ['P-GODALEN', ['S-GODALEN'], 7, 0],
  ['P-KRISTIANSAND', ['S-TANGEN', 'S-KVADRATUREN'], 8, 0],
  ['P-VENNESLA', ['S-VENNESLA'], 4, 0],
  ['P-BREIVIKA', ['S-BREIVIKA'], 6, 0],
  ['P-ALTA', ['S-ALTA'], 4, 1],
  ['P-HAMMERFEST', ['S-HAMMERFEST'], 3, 1],
  ['P-KAUTOKEINO', ['S-KAUTOKEINO'], 2, 1],
  ['P-ARSTAD', ['S-ARSTAD'], 6, 1],
  ['P-FAERDER', ['S-FAERDER'], 5, 1],
  ['P-NORDLAND', [], 4, 1],
  ['P-NTROENDELAG', [], 3, 1],
  ['P-STROENDELAG', [], 5, 1],
  ['P-MOREROMSDAL', [], 4, 1],
  ['P-SOGNFJORDANE', [], 2, 1],
  ['P-AUSTAGDER', [], 3, 1],
  ['P-TELEMARK', [], 4, 1],
  ['P-BUSKERUD', [], 4, 1],
  ['P-OPPLAND', [], 3, 1],
  ['P-HEDMARK', [], 3, 1],
  ['P-OSTFOLD', [], 5, 1],
].map(([code, schools, weight, from]) => ({ code, schools, weight, from }));

const SOURCES = ['ELEV', 'RADGIVER', 'KONTAKTLAERER', 'HELSESYKEPLEIER', 'OT', 'PPT', 'FORESATT', 'NAV_KONTOR', 'ANNEN'];
const OTHER_SOURCE_WEIGHTS = [30, 20, 18, 8, 10, 8, 6]; // the sources after ELEV and RADGIVER
const REASONS = ['OKONOMI', 'BOSITUASJON', 'HJEMMESITUASJON', 'PSYKISK_HELSE', 'SOMATISK_HELSE', 'RUS', 'FRAVAER',
  'ARBEID', 'UTDANNINGSVALG', 'ANNET'];
const OTHER_REASON_WEIGHTS = [25, 20, 5, 4, 25, 8, 8, 5]; // the reasons after OKONOMI and BOSITUASJON
const DURATIONS = ['LANGTID', 'KORTTID', 'ENGANG'];
const PARENTS = ['HOS_FORELDRE', 'EN_FORELDER'];

// ---- small helpers ----

function rng(seed) { // xorshift32: the same file for the same seed
  let s = (seed >>> 0) || 1;
  const next = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
  const int = (n) => next() % n;
  return {
    int,
    between: (lo, hi) => lo + int(hi - lo + 1),
    chance: (pct) => int(100) < pct,
    pick: (a) => a[int(a.length)],
    weighted(items, weight) {
      const total = items.reduce((t, x) => t + weight(x), 0);
      let r = int(total);
      for (const x of items) if ((r -= weight(x)) < 0) return x;
      return items[items.length - 1];
    },
    shuffle(a) {
      for (let i = a.length - 1; i > 0; i--) { const j = int(i + 1); [a[i], a[j]] = [a[j], a[i]]; }
      return a;
    },
  };
}

/* round(pct % of n) as the integer count; the caller checks it reads back as pct. */
const share = (pct, n) => Math.round((pct * n) / 100);

/* Splits total into integers proportional to weights (largest remainder). */
function apportion(total, weights) {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k++, left--) out[order[k][1]]++;
  return out;
}

/* The date `days` after 1 August of school year y (0 = 2014/15). */
function day(y, days) {
  return new Date(Date.UTC(FIRST + y, 7, 1) + days * 86400000).toISOString().slice(0, 10);
}
const addDays = (iso, n) => new Date(Date.parse(iso) + n * 86400000).toISOString().slice(0, 10);
const yearStart = (y) => day(y, 0);
const yearEnd = (y) => `${FIRST + y + 1}-07-31`;

const ALPHA = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
function pseudonym(i) {
  let s = '';
  for (let k = 0; k < 6; k++) { s = ALPHA[i % 32] + s; i = Math.floor(i / 32); }
  return `E-${s}`;
}

function fail(what) { throw new Error(`gen-trial: ${what}`); }

// ---- the counting rules of docs/statistics.md, over the generated lines ----

/* The figures of one window [start, end] (a school year or the period). `label` is the school
 * year whose outcomes S8 counts (null over the period: S8 is a per-year measure). */
export function countFigures(lines, start, end, label) {
  const f = { 'S1.students': 0, 'S1.cases': 0, 'S1.new': 0 };
  for (const c of SOURCES) f[`S2.${c}`] = 0;
  for (const c of REASONS) f[`S3.${c}`] = 0;
  Object.assign(f, { 'S4.group': 0, 'S4.yes': 0, 'S5.total': 0, 'S5.LANGTID': 0, 'S5.KORTTID': 0, 'S5.ENGANG': 0,
    'S5.UKJENT': 0, 'S6.group': 0, 'S6.yes': 0, 'S7.yes': 0 });
  if (label) Object.assign(f, { 'S8.group': 0, 'S8.yes': 0 });
  const rank = { LANGTID: 3, KORTTID: 2, ENGANG: 1 };
  for (const st of lines) {
    if (!st.consents.some((c) => c.kind === 'REGISTRERING' && c.withdrawn_on === null)) continue;
    const open = st.cases.filter((k) => k.opened_on <= end && (k.closed_on === null || k.closed_on >= start));
    if (!open.length) continue;
    f['S1.students']++;
    f['S1.cases'] += open.length;
    for (const k of open) {
      if (k.opened_on >= start) {
        f['S1.new']++;
        f[`S2.${k.referral_source}`]++;
        f[`S3.${k.main_reason}`]++;
      }
      if (k.interagency) f['S7.yes']++;
    }
    const granted = open.flatMap((k) => k.decisions).filter((d) => d.granted && (d.code === 'SOSTJL_18' || d.code === 'SOSTJL_19')
      && d.on_date >= start && d.on_date <= end);
    const economy = open.some((k) => k.main_reason === 'OKONOMI');
    if (economy) { f['S4.group']++; if (granted.length) f['S4.yes']++; }
    if (granted.length) {
      f['S5.total']++;
      const cls = Math.max(...granted.map((d) => rank[d.duration] || 0));
      f[`S5.${['UKJENT', 'ENGANG', 'KORTTID', 'LANGTID'][cls]}`]++;
      const first = granted.map((d) => d.on_date).sort()[0];
      let living = null; // the newest registered on or before the first decision; later rows win ties
      for (const l of st.living) if (l.from <= first && (!living || l.from >= living.from)) living = l;
      if (living) { f['S6.group']++; if (PARENTS.includes(living.code)) f['S6.yes']++; }
    }
    if (label) {
      const outcomes = open.flatMap((k) => k.outcomes).filter((o) => o.school_year === label);
      if (outcomes.length) { f['S8.group']++; if (outcomes.some((o) => o.outcome === 'GAR_OM')) f['S8.yes']++; }
    }
  }
  return f;
}

// ---- building the dataset ----

export function generate(seed = 2014) {
  const R = rng(seed);
  const targets = { years: YEARS.map(() => ({})), period: {} };
  const T = targets.years;

  // S1: who is followed up in which year, and with which cases.
  const students = []; // {i, pilot, cases: [{y0, y1, ...}], years:Set}
  const newCount = STUDENTS.map((n, y) => n - CARRIED[y] - RETURNING[y]);
  if (newCount.reduce((a, b) => a + b, 0) !== DISTINCT) fail('the year figures do not add up to the distinct students');
  const addCase = (st, y, spans, opened, closed) => {
    const k = { y, last: y + spans - 1, opened_on: opened, closed_on: closed, decisions: [], outcomes: [] };
    st.cases.push(k);
    return k;
  };
  const carriedInto = YEARS.map(() => []); // students whose case goes on into y
  const singleYear = YEARS.map(() => []); // students whose every case so far lies within y
  for (let y = 0; y < YEARS.length; y++) {
    const pilots = PILOTS.filter((p) => p.from <= y);
    const fresh = [];
    for (let n = 0; n < newCount[y]; n++) {
      const st = { i: students.length, pilot: R.weighted(pilots, (p) => p.weight), cases: [] };
      students.push(st);
      fresh.push(st);
    }
    // Of the new students, CARRIED[y+1] keep their case into the next year.
    const carry = y + 1 < YEARS.length ? CARRIED[y + 1] : 0;
    R.shuffle(fresh).forEach((st, n) => {
      if (n < carry) {
        addCase(st, y, 2, day(y, R.between(20, 300)), day(y + 1, R.between(45, 320)));
        carriedInto[y + 1].push(st);
      } else {
        const opened = R.between(14, 250);
        addCase(st, y, 1, day(y, opened), day(y, R.between(opened + 40, 345)));
        singleYear[y].push(st);
      }
    });
    // Carried-on students closing in the autumn and opening a second case in the spring.
    R.shuffle(carriedInto[y]).slice(0, TWO_CASES[y]).forEach((st) => {
      st.cases[0].closed_on = day(y, R.between(30, 110));
      addCase(st, y, 1, day(y, R.between(150, 250)), day(y, R.between(300, 345)));
    });
    // Students back with a new case after a single-year case closed in an earlier year.
    const back = R.shuffle(singleYear.slice(0, y).flat().filter((st) => st.cases.length === 1)).slice(0, RETURNING[y]);
    if (back.length !== RETURNING[y]) fail(`not enough students to come back in ${YEARS[y]}`);
    for (const st of back) {
      const opened = R.between(14, 250);
      addCase(st, y, 1, day(y, opened), day(y, R.between(opened + 40, 345)));
    }
  }
  const cases = students.flatMap((st) => st.cases.map((k) => Object.assign(k, { st })));
  const openIn = (k, y) => k.opened_on <= yearEnd(y) && k.closed_on >= yearStart(y);
  const inYear = YEARS.map((_, y) => students.filter((st) => st.cases.some((k) => openIn(k, y))));
  const newIn = YEARS.map((_, y) => cases.filter((k) => k.y === y));
  YEARS.forEach((_, y) => {
    if (inYear[y].length !== STUDENTS[y]) fail(`${YEARS[y]}: ${inYear[y].length} students, not ${STUDENTS[y]}`);
    Object.assign(T[y], { 'S1.students': STUDENTS[y], 'S1.new': newIn[y].length,
      'S1.cases': cases.filter((k) => openIn(k, y)).length });
  });

  // S2 and S3: exact counts of each code among each year's new cases, dealt out at random.
  for (let y = 0; y < YEARS.length; y++) {
    const n = newIn[y].length;
    const elev = share(ELEV[y], n), radgiver = share(RADGIVER[y], n);
    const src = [elev, radgiver, ...apportion(n - elev - radgiver, OTHER_SOURCE_WEIGHTS)];
    const ok = share(OKONOMI[y], n), bo = share(BOSITUASJON[y], n);
    const why = [ok, bo, ...apportion(n - ok - bo, OTHER_REASON_WEIGHTS)];
    const deal = (counts, codes) => R.shuffle(counts.flatMap((c, i) => Array(c).fill(codes[i])));
    const sources = deal(src, SOURCES), reasons = deal(why, REASONS);
    newIn[y].forEach((k, i) => { k.referral_source = sources[i]; k.main_reason = reasons[i]; });
    SOURCES.forEach((c, i) => { T[y][`S2.${c}`] = src[i]; });
    REASONS.forEach((c, i) => { T[y][`S3.${c}`] = why[i]; });
  }

  // S7: each year's share of open cases with interagency collaboration. A carried-on case has
  // its flag from the year it was opened; the new cases make up the rest.
  for (let y = 0; y < YEARS.length; y++) {
    const open = cases.filter((k) => openIn(k, y));
    const want = share(S7_PCT[y], open.length);
    const have = open.filter((k) => k.y < y && k.interagency).length;
    const fresh = R.shuffle(newIn[y].slice());
    if (want - have < 0 || want - have > fresh.length) fail(`S7 cannot be met in ${YEARS[y]}`);
    fresh.forEach((k, i) => { k.interagency = i < want - have; });
    T[y]['S7.yes'] = want;
  }

  // S4 and S5: who gets economic assistance in which year. `economy[y]`: the students with an
  // OKONOMI case open in y. Per year exactly 26 % of them are assisted; a few carried-on ones in
  // both of their years (`twice`), chosen so that over the period, where each counts once,
  // it is 26 % again. The rest of the 392 are students who never had an OKONOMI case.
  const economy = YEARS.map((_, y) => inYear[y].filter((st) => st.cases.some((k) => openIn(k, y) && k.main_reason === 'OKONOMI')));
  const everEconomy = new Set(economy.flat());
  const perYear = economy.map((e) => share(S4_PCT, e.length));
  const periodYes = share(S4_PCT, everEconomy.size);
  const twiceTotal = perYear.reduce((a, b) => a + b, 0) - periodYes;
  const candidates = YEARS.map((_, y) => (y ? carriedInto[y].filter((st) => st.cases[0].main_reason === 'OKONOMI') : []));
  const twiceN = apportion(twiceTotal, candidates.map((c) => c.length));
  const twice = candidates.map((c, y) => R.shuffle(c.slice()).slice(0, twiceN[y])); // assisted in y-1 and y
  const assistedIn = YEARS.map(() => new Set());
  const assisted = new Set();
  const help = (st, y) => { assistedIn[y].add(st); assisted.add(st); };
  for (let y = 1; y < YEARS.length; y++) for (const st of twice[y]) { help(st, y - 1); help(st, y); }
  const twiceSet = new Set(twice.flat());
  for (let y = 0; y < YEARS.length; y++) {
    const pool = R.shuffle(economy[y].filter((st) => !assisted.has(st) && !twiceSet.has(st)));
    const more = perYear[y] - economy[y].filter((st) => assistedIn[y].has(st)).length;
    if (more < 0 || more > pool.length) fail(`S4 cannot be met in ${YEARS[y]}`);
    pool.slice(0, more).forEach((st) => help(st, y));
    Object.assign(T[y], { 'S4.group': economy[y].length, 'S4.yes': perYear[y] });
  }
  Object.assign(targets.period, { 'S4.group': everEconomy.size, 'S4.yes': periodYes });
  if (assisted.size !== periodYes) fail('S4 over the period does not add up');
  // The others: spread over the years like the students, housing and home first.
  const others = apportion(ASSISTED - periodYes, STUDENTS);
  const rankOther = { BOSITUASJON: 0, HJEMMESITUASJON: 0 };
  for (let y = 0; y < YEARS.length; y++) {
    const pool = R.shuffle(inYear[y].filter((st) => !everEconomy.has(st) && !assisted.has(st)))
      .sort((a, b) => (rankOther[a.cases[0].main_reason] ?? 1) - (rankOther[b.cases[0].main_reason] ?? 1));
    if (pool.length < others[y]) fail(`not enough students for assistance in ${YEARS[y]}`);
    pool.slice(0, others[y]).forEach((st) => help(st, y));
  }
  if (assisted.size !== ASSISTED) fail(`${assisted.size} assisted students, not ${ASSISTED}`);

  // S5 duration classes. Over the period: 43 / 48 / 9 % of the 392 by longest class. Those
  // assisted twice get long-term help in their second year, after long- or (every other one)
  // short-term help in the first; the classes of the others are split over the years so that
  // each year comes near the same shares.
  const periodClass = apportionExact(ASSISTED, DURATION_PCT);
  const classOf = new Map(); // student -> {year: class}
  const fixed = YEARS.map(() => ({ LANGTID: 0, KORTTID: 0, ENGANG: 0 }));
  for (let y = 1; y < YEARS.length; y++) {
    twice[y].forEach((st, i) => {
      const before = i % 2 ? 'KORTTID' : 'LANGTID';
      classOf.set(st, { [y - 1]: before, [y]: 'LANGTID' });
      fixed[y - 1][before]++;
      fixed[y].LANGTID++;
    });
  }
  const singles = YEARS.map((_, y) => [...assistedIn[y]].filter((st) => !classOf.has(st)));
  const need = { LANGTID: periodClass.LANGTID - twiceSet.size, KORTTID: periodClass.KORTTID, ENGANG: periodClass.ENGANG };
  const grid = splitClasses(singles.map((s) => s.length), need, YEARS.map((_, y) => Object.fromEntries(DURATIONS.map((c) =>
    [c, (DURATION_PCT[c] * assistedIn[y].size) / 100 - fixed[y][c]]))));
  singles.forEach((list, y) => {
    const codes = R.shuffle(DURATIONS.flatMap((c) => Array(grid[y][c]).fill(c)));
    list.forEach((st, i) => classOf.set(st, { [y]: codes[i] }));
  });
  Object.assign(targets.period, { 'S5.total': ASSISTED, 'S5.LANGTID': periodClass.LANGTID,
    'S5.KORTTID': periodClass.KORTTID, 'S5.ENGANG': periodClass.ENGANG, 'S5.UKJENT': 0 });
  for (let y = 0; y < YEARS.length; y++) {
    const n = { LANGTID: 0, KORTTID: 0, ENGANG: 0 };
    for (const st of assistedIn[y]) n[classOf.get(st)[y]]++;
    Object.assign(T[y], { 'S5.total': assistedIn[y].size, 'S5.LANGTID': n.LANGTID, 'S5.KORTTID': n.KORTTID,
      'S5.ENGANG': n.ENGANG, 'S5.UKJENT': 0 });
  }

  // The decisions themselves, inside a case open in the year and inside the year: the class
  // decision, sometimes a smaller one before it (the longest counts) and sometimes a refusal.
  const firstDecision = new Map(), lastDecision = new Map();
  for (const st of assisted) {
    for (const [ys, cls] of Object.entries(classOf.get(st))) {
      const y = Number(ys);
      const [k, lo, hi] = widestIn(st, y, openIn);
      const on = addDays(lo, R.between(Math.min(10, hi - 1), hi - 1)); // leaves a day for an earlier one
      const code = cls === 'KORTTID' && R.chance(30) ? 'SOSTJL_19' : 'SOSTJL_18';
      const list = [{ code, granted: true, on_date: on, duration: cls }];
      if (cls !== 'ENGANG' && R.chance(25)) list.push({ code: 'SOSTJL_18', granted: true, on_date: addDays(lo, R.between(0, daysBetween(lo, on) - 1)), duration: 'ENGANG' });
      if (R.chance(10)) list.push({ code: 'SOSTJL_18', granted: false, on_date: addDays(lo, R.between(0, daysBetween(lo, on))), duration: cls });
      k.decisions.push(...list);
      const dates = list.filter((d) => d.granted).map((d) => d.on_date).sort();
      if (!firstDecision.has(st) || dates[0] < firstDecision.get(st)) firstDecision.set(st, dates[0]);
      if (!lastDecision.has(st) || dates[dates.length - 1] > lastDecision.get(st)) lastDecision.set(st, dates[dates.length - 1]);
    }
  }
  // Decisions that must not count: refusals for economy students not assisted, and housing
  // help (§ 27) and advice (§ 17), which are not economic assistance.
  for (const k of cases) {
    if (assisted.has(k.st)) continue;
    const lo = k.opened_on, span = daysBetween(k.opened_on, k.closed_on);
    if (k.main_reason === 'OKONOMI' && R.chance(15))
      k.decisions.push({ code: R.pick(['SOSTJL_18', 'SOSTJL_19']), granted: false, on_date: addDays(lo, R.between(1, span)), duration: null });
    if (k.main_reason === 'BOSITUASJON' && R.chance(30))
      k.decisions.push({ code: 'SOSTJL_27', granted: true, on_date: addDays(lo, R.between(1, span)), duration: null });
    if (R.chance(10)) k.decisions.push({ code: 'SOSTJL_17', granted: true, on_date: addDays(lo, R.between(0, span)), duration: null });
  }

  // S6: the living situation at each assisted student's first decision. Over the period 380
  // are known (12 registered only after their decisions) and 33 % of them live with parents,
  // dealt out year by year so each year is near 33 % too.
  const order = YEARS.flatMap((_, y) => R.shuffle(singles[y].slice()).concat(twice[y + 1] || []));
  const unknown = new Set(R.shuffle(order.filter((st) => !twiceSet.has(st))).slice(0, S6_UNKNOWN));
  const known = order.filter((st) => !unknown.has(st));
  const withParents = share(S6_PCT, known.length);
  const parentsOf = new Map();
  known.forEach((st, i) => { // cumulative rounding: exactly withParents in all, evenly in order
    parentsOf.set(st, Math.round(((i + 1) * withParents) / known.length) > Math.round((i * withParents) / known.length));
  });
  Object.assign(targets.period, { 'S6.group': known.length, 'S6.yes': withParents });

  // Living rows for everyone: assisted students as decided above (some moved before their
  // first decision, some after their last, some registered on the day), the others at random.
  for (const st of students) {
    const since = addDays(st.cases[0].opened_on, -R.between(30, 400));
    if (!assisted.has(st)) {
      st.living = R.chance(4) ? [] : [{ code: R.weighted(['HOS_FORELDRE', 'EN_FORELDER', 'HYBEL', 'ALENE', 'FOSTERHJEM_INSTITUSJON', 'ANNET'],
        (c) => ({ HOS_FORELDRE: 45, EN_FORELDER: 15, HYBEL: 20, ALENE: 10 })[c] || 5), from: since }];
      continue;
    }
    const first = firstDecision.get(st), last = lastDecision.get(st);
    if (unknown.has(st)) { st.living = [{ code: R.pick(['HOS_FORELDRE', 'HYBEL']), from: addDays(last, R.between(5, 60)) }]; continue; }
    const atDecision = parentsOf.get(st) ? R.weighted(PARENTS, (c) => (c === 'HOS_FORELDRE' ? 3 : 2))
      : R.weighted(['HYBEL', 'ALENE', 'FOSTERHJEM_INSTITUSJON', 'ANNET'], (c) => ({ HYBEL: 5, ALENE: 4 })[c] || 1);
    const r = R.int(10);
    if (r === 0 && since < first) { // moved (to or from the parents) shortly before the decision
      const before = parentsOf.get(st) ? 'HYBEL' : 'HOS_FORELDRE';
      const moved = addDays(first, -R.between(0, Math.min(20, daysBetween(since, first) - 1)));
      st.living = [{ code: before, from: since }, { code: atDecision, from: moved }];
    } else if (r === 1) { // registered on the day of the decision
      st.living = [{ code: atDecision, from: first }];
    } else {
      st.living = [{ code: atDecision, from: since }];
    }
    if (R.chance(10)) st.living.push({ code: parentsOf.get(st) ? 'ALENE' : 'HOS_FORELDRE', from: addDays(last, R.between(1, 90)) });
  }
  for (let y = 0; y < YEARS.length; y++) {
    let group = 0, yes = 0;
    for (const st of assistedIn[y]) {
      const dates = st.cases.flatMap((k) => k.decisions).filter((d) => d.granted && d.duration && d.on_date >= yearStart(y) && d.on_date <= yearEnd(y)).map((d) => d.on_date).sort();
      const l = st.living.filter((v) => v.from <= dates[0]).pop();
      if (l) { group++; if (PARENTS.includes(l.code)) yes++; }
    }
    Object.assign(T[y], { 'S6.group': group, 'S6.yes': yes });
  }

  // S8: one outcome per student and year (on the case open at the year's end), for all but
  // about 8 % of them; exactly 27 % of those with one repeat the level.
  for (let y = 0; y < YEARS.length; y++) {
    const holders = [];
    for (const st of inYear[y]) {
      if (R.chance(OUTCOME_MISSING_PCT)) continue;
      const k = st.cases.filter((c) => openIn(c, y)).sort((a, b) => (a.closed_on < b.closed_on ? 1 : -1))[0];
      holders.push(k);
    }
    const repeats = share(S8_PCT, holders.length);
    R.shuffle(holders).forEach((k, i) => {
      const outcome = i < repeats ? 'GAR_OM'
        : k.last > y ? R.pick(['FORTSETTER', 'FORTSETTER', 'FORTSETTER', 'FULLFORT'])
          : R.weighted(['FORTSETTER', 'FULLFORT', 'SLUTTET', 'LAERLING', 'ARBEID', 'ANNEN_UTDANNING', 'UKJENT'],
            (c) => ({ FORTSETTER: 30, FULLFORT: 25, SLUTTET: 12, LAERLING: 8, ARBEID: 8 })[c] || 5);
      k.outcomes.push({ school_year: YEARS[y], outcome });
    });
    Object.assign(T[y], { 'S8.group': holders.length, 'S8.yes': repeats });
  }

  // The lines, as docs/formats.md has them.
  const lines = students.map((st) => toLine(st, R));
  Object.assign(targets.period, { 'S1.students': DISTINCT, 'S1.cases': cases.length, 'S1.new': cases.length });

  // Count what was made by the rules and compare with every target.
  const got = YEARS.map((label, y) => countFigures(lines, yearStart(y), yearEnd(y), label));
  const gotPeriod = countFigures(lines, yearStart(0), yearEnd(YEARS.length - 1), null);
  YEARS.forEach((label, y) => {
    for (const [key, v] of Object.entries(T[y])) if (got[y][key] !== v) fail(`${label} ${key}: counted ${got[y][key]}, built for ${v}`);
  });
  for (const [key, v] of Object.entries(targets.period)) if (gotPeriod[key] !== v) fail(`${PERIOD} ${key}: counted ${gotPeriod[key]}, built for ${v}`);
  const expected = {
    format: 'elevlos-trial-expected', version: 1, seed, units: PILOTS.map((p) => [p.code, p.schools]),
    years: Object.fromEntries(YEARS.map((label, y) => [label, got[y]])),
    period: { year: PERIOD, counts: gotPeriod },
    published: publishedShares(),
    published_counts: [
      { year: YEARS[0], key: 'S1.students', value: STUDENTS[0] }, { year: YEARS[3], key: 'S1.students', value: STUDENTS[3] },
      { year: PERIOD, key: 'S1.students', value: DISTINCT }, { year: PERIOD, key: 'S5.total', value: ASSISTED },
    ],
  };
  for (const p of expected.published) {
    const c = p.year === PERIOD ? gotPeriod : got[YEARS.indexOf(p.year)];
    const pct = (100 * c[p.num]) / c[p.den];
    if (Math.abs(pct - p.percent) > 0.5) fail(`${p.year} ${p.num}/${p.den} = ${pct.toFixed(2)} %, not ${p.percent} %`);
  }
  return { lines, expected };
}

/* Integers that sum to total with each class's share rounding to its percent. */
function apportionExact(total, pct) {
  const codes = Object.keys(pct);
  const n = apportion(total, codes.map((c) => pct[c]));
  return Object.fromEntries(codes.map((c, i) => [c, n[i]]));
}

/* A years × classes table of whole counts with the given row sums (students per year) and
 * column sums (students per class), as near the ideal real numbers as a greedy fix gets. */
function splitClasses(rows, cols, ideal) {
  const grid = rows.map((n, y) => {
    const w = DURATIONS.map((c) => Math.max(0, ideal[y][c]));
    const parts = apportion(n, w.some((x) => x > 0) ? w : [1, 1, 1]);
    return Object.fromEntries(DURATIONS.map((c, i) => [c, parts[i]]));
  });
  const colSum = (c) => grid.reduce((t, r) => t + r[c], 0);
  for (let guard = 0; guard < 10000; guard++) {
    const over = DURATIONS.find((c) => colSum(c) > cols[c]);
    const under = DURATIONS.find((c) => colSum(c) < cols[c]);
    if (!over || !under) break;
    // move one student of a year from `over` to `under` where it costs least
    let best = -1, bestCost = Infinity;
    grid.forEach((r, y) => {
      if (r[over] === 0) return;
      const cost = (r[over] - 1 - ideal[y][over]) ** 2 - (r[over] - ideal[y][over]) ** 2
        + (r[under] + 1 - ideal[y][under]) ** 2 - (r[under] - ideal[y][under]) ** 2;
      if (cost < bestCost) { bestCost = cost; best = y; }
    });
    grid[best][over]--;
    grid[best][under]++;
  }
  for (const c of DURATIONS) if (colSum(c) !== cols[c]) fail(`duration class ${c} cannot be met`);
  return grid;
}

const daysBetween = (a, b) => Math.round((Date.parse(b) - Date.parse(a)) / 86400000);

/* The case of st open in year y with the longest stretch inside y, and that stretch. */
function widestIn(st, y, openIn) {
  let best = null;
  for (const k of st.cases) {
    if (!openIn(k, y)) continue;
    const lo = k.opened_on > yearStart(y) ? k.opened_on : yearStart(y);
    const hi = k.closed_on < yearEnd(y) ? k.closed_on : yearEnd(y);
    const span = daysBetween(lo, hi);
    if (!best || span > best[2]) best = [k, lo, span];
  }
  if (!best || best[2] < 20) fail('no room for a decision');
  return best;
}

/* One student line of the case file; contacts and measures are only for realism (S9–S11). */
function toLine(st, R) {
  const first = st.cases[0].opened_on;
  const age = R.between(16, 19);
  const given = addDays(first, -R.between(0, 10));
  return {
    pseudonym: pseudonym(st.i + 1000), pilot: st.pilot.code,
    school: st.pilot.schools.length ? R.pick(st.pilot.schools) : null, name: null, fnr: null,
    birth_year: Number(first.slice(0, 4)) - age, gender: R.weighted(['KVINNE', 'MANN', 'ANNET', 'UKJENT'], (c) => ({ KVINNE: 48, MANN: 48 })[c] || 2),
    level: R.weighted(['VG1', 'VG2', 'VG3', 'PABYGG', 'LAERLING', 'UTENFOR'], (c) => ({ VG1: 40, VG2: 28, VG3: 12, PABYGG: 8 })[c] || 6),
    programme: R.chance(68) ? 'YRKESFAG' : 'STUDIEFORBEREDENDE', minority: R.weighted(['JA', 'NEI', 'UKJENT'], (c) => ({ JA: 25, NEI: 70 })[c] || 5),
    living: st.living,
    consents: [{ kind: 'REGISTRERING', partner: null, given_on: given, given_by: age < 18 && R.chance(50) ? 'FORESATT' : 'ELEV', withdrawn_on: null }]
      .concat(R.chance(40) ? [{ kind: 'DELING', partner: 'RADGIVER', given_on: given, given_by: 'ELEV', withdrawn_on: null }] : []),
    cases: st.cases.map((k) => {
      const span = daysBetween(k.opened_on, k.closed_on);
      const contacts = [];
      for (let d = R.between(0, 6); d <= span && contacts.length < 4; d += R.between(20, 90)) {
        contacts.push({ on_date: addDays(k.opened_on, d), kind: R.pick(['SAMTALE', 'SAMTALE', 'TELEFON', 'DIGITAL', 'NETTVERKSMOTE', 'HJEMMEBESOK']),
          minutes: 15 * R.between(1, 4), followups: [...new Set([R.pick(['MOTIVASJON', 'MOTIVASJON', 'OKONOMISK_RADGIVNING', 'BO_HJEM', 'UTDANNING', 'NETTVERK', 'ARBEID_JOBB', 'HELSE']), R.pick(['MOTIVASJON', 'OKONOMISK_RADGIVNING', 'FRITID'])])].sort(),
          note: null, by: 'veileder' });
      }
      const measures = [];
      if (R.chance(15)) measures.push({ side: 'nav', code: R.pick(['ARBEIDSPRAKSIS', 'ARBEIDSTRENING', 'SOMMERJOBB', 'KOMBINASJON', 'LAEREPLASS']), start_on: addDays(k.opened_on, R.between(5, 30)), end_on: k.closed_on });
      if (R.chance(25)) measures.push({ side: 'school', code: R.pick(['TILRETTELAGT', 'SPESIALUNDERVISNING', 'FLEKSIBELT_LOP', 'SKOLE_PA_ARBEIDSPLASS']), start_on: addDays(k.opened_on, R.between(0, 20)), end_on: null });
      const other = R.shuffle(REASONS.filter((c) => c !== k.main_reason)).slice(0, R.int(3)).sort();
      return {
        opened_on: k.opened_on, referral_source: k.referral_source, referred_on: addDays(k.opened_on, -R.between(0, 14)),
        first_contact_on: contacts.length ? contacts[0].on_date : null, main_reason: k.main_reason, reasons: other,
        partners: k.interagency ? R.shuffle(['OT', 'PPT', 'BUP', 'BARNEVERN', 'KOMMUNE', 'HELSESYKEPLEIER']).slice(0, 2).sort() : [],
        interagency: Boolean(k.interagency), responsibility_group: Boolean(k.interagency) && R.chance(30),
        closed_on: k.closed_on, close_reason: R.weighted(['AVSLUTTET', 'FLYTTET', 'OVERFORT', 'ONSKER_IKKE', 'ANNET'], (c) => ({ AVSLUTTET: 70, OVERFORT: 12 })[c] || 6),
        contacts, decisions: k.decisions.sort((a, b) => (a.on_date < b.on_date ? -1 : a.on_date > b.on_date ? 1 : 0)),
        measures, outcomes: k.outcomes.sort((a, b) => (a.school_year < b.school_year ? -1 : 1)),
      };
    }),
  };
}

/* The shares the trial published, each as numerator / denominator cells and its percent. */
function publishedShares() {
  const s = (year, measure, num, den, percent) => ({ year, measure, num, den, percent });
  return [
    s('2014/15', 'S2', 'S2.ELEV', 'S1.new', ELEV[0]), s('2017/18', 'S2', 'S2.ELEV', 'S1.new', ELEV[3]),
    s('2014/15', 'S2', 'S2.RADGIVER', 'S1.new', RADGIVER[0]), s('2017/18', 'S2', 'S2.RADGIVER', 'S1.new', RADGIVER[3]),
    s('2017/18', 'S3', 'S3.OKONOMI', 'S1.new', OKONOMI[3]), s('2017/18', 'S3', 'S3.BOSITUASJON', 'S1.new', BOSITUASJON[3]),
    ...YEARS.map((y) => s(y, 'S4', 'S4.yes', 'S4.group', S4_PCT)), s(PERIOD, 'S4', 'S4.yes', 'S4.group', S4_PCT),
    ...DURATIONS.map((c) => s(PERIOD, 'S5', `S5.${c}`, 'S5.total', DURATION_PCT[c])),
    s(PERIOD, 'S6', 'S6.yes', 'S6.group', S6_PCT),
    s('2016/17', 'S7', 'S7.yes', 'S1.cases', S7_PCT[2]), s('2017/18', 'S7', 'S7.yes', 'S1.cases', S7_PCT[3]),
    ...YEARS.map((y) => s(y, 'S8', 'S8.yes', 'S8.group', S8_PCT)),
    s(PERIOD, 'S12', 'S5.total', 'S1.students', (100 * ASSISTED) / DISTINCT),
  ];
}

export function writeTrial(file, seed = 2014) {
  const { lines, expected } = generate(seed);
  writeFileSync(file, ['{"format":"elevlos-cases","version":1}', ...lines.map((l) => JSON.stringify(l))].join('\n') + '\n');
  writeFileSync(`${file}.expected.json`, JSON.stringify(expected, null, 1) + '\n');
  return expected;
}

if (import.meta.url === pathToFileURL(process.argv[1] || '').href) {
  const [file, seedArg = '2014'] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node tests/stats/gen-trial.mjs FILE [SEED]');
    process.exit(2);
  }
  const e = writeTrial(file, Number(seedArg));
  const y = (label, k) => e.years[label][k];
  console.log(`${file}: ${e.period.counts['S1.students']} students, ${e.period.counts['S1.cases']} cases; `
    + `S1 ${YEARS.map((l) => y(l, 'S1.students')).join(' / ')}; S5 ${e.period.counts['S5.total']} over the period; `
    + `expected counts in ${file}.expected.json`);
}
