-- The counts of a statistics release in plain SQL, for the sqlite3 shell: what `make bench`
-- times against `elevlos release create` on the same database. It is T_BY_PILOT of
-- src/db/stats_sqlite.c (every measure per pilot, the base sets derived once) with S9 counted
-- in SQL as well (elevlos reads the follow-up codes in one pass and counts S9 in C).
-- Parameters, set by bench/release.sh: :scope '/', :start and :end (1 August, 31 July),
-- :prog and :level ('' for all), :first and :last (the school years of the outcomes, S8).
-- Memory-mapped reads as elevlos uses them for a release (db_stats_bulk_begin).
PRAGMA mmap_size = 4294967296;
WITH k AS MATERIALIZED (SELECT sak.id, sak.student_id, st.pilot_id AS pilot,
  sak.opened_on BETWEEN :start AND :end AS new, sak.referral_source, sak.main_reason, sak.interagency,
  sak.referred_on, sak.first_contact_on
  FROM sak CROSS JOIN student st ON st.id = sak.student_id
  WHERE sak.opened_on <= :end AND (sak.closed_on IS NULL OR sak.closed_on >= :start)
  AND st.pilot_id IN (SELECT id FROM unit WHERE substr(path, 1, length(:scope)) = :scope)
  AND (:prog = '' OR st.programme = :prog) AND (:level = '' OR st.level = :level)
  AND EXISTS (SELECT 1 FROM consent c WHERE c.student_id = st.id
              AND c.kind = 'REGISTRERING' AND c.withdrawn_on IS NULL)),
 a AS MATERIALIZED (SELECT k.pilot, k.student_id,
  max(CASE d.duration WHEN 'LANGTID' THEN 3 WHEN 'KORTTID' THEN 2 WHEN 'ENGANG' THEN 1 ELSE 0 END) AS cls,
  min(d.on_date) AS first
  FROM k JOIN decision d ON d.sak_id = k.id
  WHERE d.granted = 1 AND d.code IN ('SOSTJL_18', 'SOSTJL_19') AND d.on_date BETWEEN :start AND :end
  GROUP BY k.student_id)
SELECT 'S1', pilot, '', count(DISTINCT student_id), count(*), sum(new) FROM k GROUP BY pilot
UNION ALL SELECT 'S2', pilot, referral_source, count(*), 0, 0 FROM k WHERE new GROUP BY pilot, referral_source
UNION ALL SELECT 'S3', pilot, main_reason, count(*), 0, 0 FROM k WHERE new GROUP BY pilot, main_reason
UNION ALL SELECT 'S4', e.pilot, '', count(*), count(a.student_id), 0
  FROM (SELECT DISTINCT pilot, student_id FROM k WHERE main_reason = 'OKONOMI') e
  LEFT JOIN a ON a.student_id = e.student_id GROUP BY e.pilot
UNION ALL SELECT 'S5', pilot, CASE cls WHEN 3 THEN 'LANGTID' WHEN 2 THEN 'KORTTID' WHEN 1 THEN 'ENGANG' ELSE '' END,
  count(*), 0, 0 FROM a GROUP BY pilot, cls
UNION ALL SELECT 'S6', pilot, '', count(code), count(CASE WHEN code IN ('HOS_FORELDRE', 'EN_FORELDER') THEN 1 END), 0
  FROM (SELECT a.pilot, (SELECT v.code FROM living v WHERE v.student_id = a.student_id
  AND v.from_date <= a.first ORDER BY v.from_date DESC, v.id DESC LIMIT 1) AS code FROM a) GROUP BY pilot
UNION ALL SELECT 'S7', pilot, '', count(*), count(CASE WHEN interagency = 1 THEN 1 END), 0 FROM k GROUP BY pilot
UNION ALL SELECT 'S8', pilot, '', count(*), sum(rep), 0
  FROM (SELECT k.pilot, k.student_id, max(o.code = 'GAR_OM') AS rep FROM k
  JOIN outcome o ON o.sak_id = k.id WHERE o.school_year BETWEEN :first AND :last GROUP BY k.student_id)
  GROUP BY pilot
UNION ALL SELECT 'S9', pilot, '', count(DISTINCT k.student_id), 0, 0 FROM k
  JOIN contact c ON c.sak_id = k.id WHERE c.on_date BETWEEN :start AND :end GROUP BY pilot
UNION ALL SELECT 'S9', pilot, f.code, count(DISTINCT k.student_id), 0, 0 FROM k
  JOIN contact c ON c.sak_id = k.id JOIN contact_followup f ON f.contact_id = c.id
  WHERE c.on_date BETWEEN :start AND :end GROUP BY pilot, f.code
UNION ALL SELECT 'S10', pilot, '', CAST(julianday(first_contact_on) - julianday(referred_on) AS INTEGER) AS days,
  count(*), 0 FROM k WHERE new AND referred_on IS NOT NULL AND first_contact_on IS NOT NULL GROUP BY pilot, days
UNION ALL SELECT 'S11', pilot, '', count(*), 0, 0
  FROM (SELECT k.pilot, k.student_id FROM k JOIN measure m ON m.sak_id = k.id
  WHERE m.start_on <= :end AND (m.end_on IS NULL OR m.end_on >= :start)
  GROUP BY k.student_id HAVING count(DISTINCT m.side) = 2) GROUP BY pilot;
