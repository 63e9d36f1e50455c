-- A national data set for `make bench`, written straight into a database that `elevlos demo`
-- created and bench/release.sh gave more pilots: 200,000 students spread over every pilot,
-- about 250,000 cases opened between 1 August 2014 and 31 July 2018, 2,000,000 contacts, with
-- follow-up codes, decisions, measures, living situations and outcomes. Pseudo-random but
-- deterministic: multiplicative hashes of the row number, so the same database comes out every time.
-- Rows go in with plain INSERTs (no sealing, no change history): this is load, not a record.
.bail on
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
PRAGMA cache_size = -200000;
BEGIN;

-- Pilots of very different sizes, as in the trial (Oslo's against Finnmark's): pilot i weighs
-- 0.93^i, so the largest has about 7 % of the students and the smallest a dozen, whose small
-- counts the disclosure control must suppress. hi is where its share of 0 .. total ends.
CREATE TEMP TABLE pilot_w AS
  WITH RECURSIVE w(i, weight) AS (SELECT 0, 1000000 UNION ALL SELECT i + 1, weight * 93 / 100 FROM w WHERE i < 500)
  SELECT p.i, p.id, w.weight FROM (SELECT row_number() OVER (ORDER BY id) - 1 AS i, id FROM unit WHERE kind = 'pilot') p
  JOIN w ON w.i = p.i;
CREATE TEMP TABLE pilot (hi INTEGER PRIMARY KEY, id INTEGER NOT NULL);
INSERT INTO pilot SELECT sum(weight) OVER (ORDER BY i), id FROM pilot_w;
CREATE TEMP TABLE base AS
  SELECT (SELECT coalesce(max(id), 0) FROM student) AS student,
         (SELECT coalesce(max(id), 0) FROM sak) AS sak,
         (SELECT coalesce(max(id), 0) FROM contact) AS contact,
         (SELECT max(hi) FROM pilot) AS total;
CREATE TEMP TABLE n(i INTEGER PRIMARY KEY);
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 2000000)
INSERT INTO n SELECT i FROM c;

-- Students: the pilot whose share holds a hash of the row number.
INSERT INTO student (id, pseudonym, pilot_id, birth_year, gender, level, programme, minority)
SELECT b.student + n.i, 'B-' || n.i,
       (SELECT id FROM pilot WHERE pilot.hi > ((n.i * 2654435761) % 4294967291) % b.total ORDER BY hi LIMIT 1),
       1996 + (n.i * 7 % 6),
       CASE (n.i * 13 % 3) WHEN 0 THEN 'KVINNE' WHEN 1 THEN 'MANN' ELSE 'UKJENT' END,
       CASE (n.i * 17 % 5) WHEN 0 THEN 'VG1' WHEN 1 THEN 'VG2' WHEN 2 THEN 'VG3' WHEN 3 THEN 'VG1' ELSE 'LAERLING' END,
       CASE (n.i * 19 % 2) WHEN 0 THEN 'YRKESFAG' ELSE 'STUDIEFORBEREDENDE' END,
       CASE (n.i * 23 % 3) WHEN 0 THEN 'JA' WHEN 1 THEN 'NEI' ELSE 'UKJENT' END
FROM n, base b WHERE n.i <= 200000;

-- Registration consent; one in a hundred withdrawn.
INSERT INTO consent (student_id, kind, given_on, given_by, withdrawn_on)
SELECT b.student + n.i, 'REGISTRERING', '2014-06-01', 'ELEV',
       CASE WHEN (n.i * 2246822519) % 100 = 7 THEN '2019-01-15' END
FROM n, base b WHERE n.i <= 200000;

-- Living situation: one row before everything, a move for a fifth of them in 2016.
INSERT INTO living (student_id, code, from_date)
SELECT b.student + n.i,
       CASE (n.i * 3266489917) % 6 WHEN 0 THEN 'HOS_FORELDRE' WHEN 1 THEN 'EN_FORELDER' WHEN 2 THEN 'HYBEL'
         WHEN 3 THEN 'ALENE' WHEN 4 THEN 'HOS_FORELDRE' ELSE 'FOSTERHJEM_INSTITUSJON' END, '2013-08-01'
FROM n, base b WHERE n.i <= 200000;
INSERT INTO living (student_id, code, from_date)
SELECT b.student + n.i, 'HYBEL', '2016-03-01' FROM n, base b WHERE n.i <= 200000 AND n.i % 5 = 2;

-- Cases: every student one, a quarter of them a second (250,000). Case j belongs to student
-- ((j - 1) % 200000) + 1; opened on a day of 2014-08-01 .. 2018-07-31; closed 30 .. 529 days
-- later, or still open when that is after 2019-06-30.
CREATE TEMP TABLE kc AS
SELECT n.i AS j, ((n.i - 1) % 200000) + 1 AS s,
       date('2014-08-01', '+' || (((n.i * 2654435761) % 4294967291) % 1461) || ' days') AS opened,
       30 + ((n.i * 2246822519) % 4294967291) % 500 AS len
FROM n WHERE n.i <= 250000;
INSERT INTO sak (id, student_id, pilot_id, opened_on, referral_source, referred_on, first_contact_on, main_reason,
                 interagency, closed_on, close_reason)
SELECT b.sak + kc.j, b.student + kc.s, st.pilot_id, kc.opened,
       CASE (kc.j * 40503) % 12 WHEN 0 THEN 'ELEV' WHEN 1 THEN 'ELEV' WHEN 2 THEN 'RADGIVER' WHEN 3 THEN 'RADGIVER'
         WHEN 4 THEN 'RADGIVER' WHEN 5 THEN 'KONTAKTLAERER' WHEN 6 THEN 'FORESATT' WHEN 7 THEN 'OT'
         WHEN 8 THEN 'HELSESYKEPLEIER' WHEN 9 THEN 'NAV_KONTOR' WHEN 10 THEN 'PPT' ELSE 'ANNEN' END,
       CASE WHEN kc.j % 10 <> 3 THEN date(kc.opened, '-' || (kc.j * 31 % 9) || ' days') END,
       CASE WHEN kc.j % 10 <> 3 THEN date(kc.opened, '+' || ((kc.j * 2654435761) % 97 % 60) || ' days') END,
       CASE (kc.j * 69069) % 14 WHEN 0 THEN 'OKONOMI' WHEN 1 THEN 'OKONOMI' WHEN 2 THEN 'OKONOMI' WHEN 3 THEN 'OKONOMI'
         WHEN 4 THEN 'BOSITUASJON' WHEN 5 THEN 'BOSITUASJON' WHEN 6 THEN 'HJEMMESITUASJON' WHEN 7 THEN 'PSYKISK_HELSE'
         WHEN 8 THEN 'FRAVAER' WHEN 9 THEN 'ARBEID' WHEN 10 THEN 'RUS' WHEN 11 THEN 'SOMATISK_HELSE'
         WHEN 12 THEN 'UTDANNINGSVALG' ELSE 'ANNET' END,
       (kc.j * 1103515245 / 65536) % 2,
       CASE WHEN date(kc.opened, '+' || kc.len || ' days') <= '2019-06-30' THEN date(kc.opened, '+' || kc.len || ' days') END,
       CASE WHEN date(kc.opened, '+' || kc.len || ' days') <= '2019-06-30' THEN 'AVSLUTTET' END
FROM kc, base b JOIN student st ON st.id = b.student + kc.s;

-- Contacts: 2,000,000, each in a case chosen by hash, on a day between its opening and its
-- closing (or 529 days on).
INSERT INTO contact (id, sak_id, on_date, kind, minutes, created_by)
SELECT b.contact + n.i, b.sak + kc.j,
       date(kc.opened, '+' || (((n.i * 3266489917) % 4294967291) % kc.len) || ' days'),
       CASE n.i % 4 WHEN 0 THEN 'SAMTALE' WHEN 1 THEN 'TELEFON' WHEN 2 THEN 'DIGITAL' ELSE 'SAMTALE' END,
       30, 'bench'
FROM n, base b JOIN kc ON kc.j = 1 + ((n.i * 2654435761) % 4294967291) % 250000;

-- Follow-up codes: nine in ten contacts one, one in five a second.
INSERT INTO contact_followup (contact_id, code)
SELECT b.contact + n.i,
       CASE (n.i * 40503) % 9 WHEN 0 THEN 'MOTIVASJON' WHEN 1 THEN 'MOTIVASJON' WHEN 2 THEN 'OKONOMISK_RADGIVNING'
         WHEN 3 THEN 'BO_HJEM' WHEN 4 THEN 'UTDANNING' WHEN 5 THEN 'HELSE' WHEN 6 THEN 'ARBEID_JOBB'
         WHEN 7 THEN 'NETTVERK' ELSE 'FRITID' END
FROM n, base b WHERE n.i % 10 <> 0;
INSERT INTO contact_followup (contact_id, code)
SELECT b.contact + n.i, 'ANNET' FROM n, base b WHERE n.i % 5 = 1;

-- Decisions: a fifth of the cases a §18 or §19 (one in seven refused), some a second later.
INSERT INTO decision (sak_id, code, granted, on_date, duration)
SELECT b.sak + kc.j, CASE kc.j % 2 WHEN 0 THEN 'SOSTJL_18' ELSE 'SOSTJL_19' END, kc.j % 7 <> 3,
       date(kc.opened, '+' || (kc.j % 40 + 5) || ' days'),
       CASE kc.j * 11 % 8 WHEN 0 THEN 'LANGTID' WHEN 1 THEN 'LANGTID' WHEN 2 THEN 'LANGTID' WHEN 3 THEN 'KORTTID'
         WHEN 4 THEN 'KORTTID' WHEN 5 THEN 'KORTTID' WHEN 6 THEN 'ENGANG' END
FROM kc, base b WHERE (kc.j * 2654435761) % 4294967291 % 5 = 0;
INSERT INTO decision (sak_id, code, granted, on_date, duration)
SELECT b.sak + kc.j, 'SOSTJL_19', 1, date(kc.opened, '+' || (kc.len - 10) || ' days'), 'ENGANG'
FROM kc, base b WHERE (kc.j * 2654435761) % 4294967291 % 25 = 0;
INSERT INTO decision (sak_id, code, granted, on_date)
SELECT b.sak + kc.j, 'SOSTJL_17', 1, date(kc.opened, '+3 days') FROM kc, base b WHERE kc.j % 9 = 4;

-- Measures: a school measure for a quarter of the cases, a NAV one for a sixth.
INSERT INTO measure (sak_id, side, code, start_on, end_on)
SELECT b.sak + kc.j, 'school', CASE kc.j % 3 WHEN 0 THEN 'TILRETTELAGT' WHEN 1 THEN 'FLEKSIBELT_LOP' ELSE 'ANNET' END,
       date(kc.opened, '+14 days'), CASE WHEN kc.j % 2 = 0 THEN date(kc.opened, '+200 days') END
FROM kc, base b WHERE kc.j % 4 = 1;
INSERT INTO measure (sak_id, side, code, start_on, end_on)
SELECT b.sak + kc.j, 'nav', CASE kc.j % 2 WHEN 0 THEN 'SOMMERJOBB' ELSE 'ARBEIDSPRAKSIS' END,
       date(kc.opened, '+60 days'), date(kc.opened, '+120 days')
FROM kc, base b WHERE kc.j % 6 = 1;

-- Outcomes: for the school year the case was opened in, for most cases.
INSERT INTO outcome (sak_id, school_year, code)
SELECT b.sak + kc.j,
       (CAST(substr(kc.opened, 1, 4) AS INTEGER) - (substr(kc.opened, 6, 2) < '08')) || '/' ||
       substr('0' || ((CAST(substr(kc.opened, 1, 4) AS INTEGER) - (substr(kc.opened, 6, 2) < '08') + 1) % 100), -2),
       CASE (kc.j * 69069) % 8 WHEN 0 THEN 'GAR_OM' WHEN 1 THEN 'GAR_OM' WHEN 2 THEN 'FULLFORT' WHEN 3 THEN 'FORTSETTER'
         WHEN 4 THEN 'FORTSETTER' WHEN 5 THEN 'SLUTTET' WHEN 6 THEN 'LAERLING' ELSE 'ARBEID' END
FROM kc, base b WHERE kc.j % 8 <> 5;

COMMIT;
PRAGMA journal_mode = WAL;
