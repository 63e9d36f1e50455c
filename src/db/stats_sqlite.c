/* The SQLite statements behind the statistics (see stats.h and docs/statistics.md). */
#include <stdlib.h>
#include <string.h>

#include "sqlite_internal.h"
#include "stats.h"

/*
 * Every statement starts from the same two sets: s, the students of the scope (and programme
 * and level, when given) who have a registration consent not withdrawn; k, their cases open on
 * any day of the school year or period [?2, ?3]. These per-unit statements are what
 * measures_compute uses; a release counts every unit at once with T_BY_PILOT further down,
 * and tests/unit/test_measures.c checks that the two agree.
 */
#define BASE                                                                                       \
	"WITH s AS (SELECT st.id FROM student st JOIN unit p ON p.id = st.pilot_id"                \
	"  WHERE substr(p.path, 1, length(?1)) = ?1"                                               \
	"  AND (?4 = '' OR st.programme = ?4) AND (?5 = '' OR st.level = ?5)"                      \
	"  AND EXISTS (SELECT 1 FROM consent c WHERE c.student_id = st.id"                         \
	"              AND c.kind = 'REGISTRERING' AND c.withdrawn_on IS NULL)),"                  \
	" k AS (SELECT sak.* FROM sak JOIN s ON s.id = sak.student_id"                             \
	"  WHERE sak.opened_on <= ?3 AND (sak.closed_on IS NULL OR sak.closed_on >= ?2)),"         \
	" a AS (SELECT k.student_id,"                                                              \
	"  max(CASE d.duration WHEN 'LANGTID' THEN 3 WHEN 'KORTTID' THEN 2 WHEN 'ENGANG' THEN 1"   \
	"      ELSE 0 END) AS cls, min(d.on_date) AS first"                                        \
	"  FROM k JOIN decision d ON d.sak_id = k.id"                                              \
	"  WHERE d.granted = 1 AND d.code IN ('SOSTJL_18', 'SOSTJL_19')"                           \
	"  AND d.on_date BETWEEN ?2 AND ?3 GROUP BY k.student_id) "

enum sstmt {
	T_FOLLOWED,
	T_NEW_BY_SOURCE,
	T_NEW_BY_REASON,
	T_ECONOMY,
	T_ASSIST,
	T_ASSIST_LIVING,
	T_INTERAGENCY,
	T_REPEAT,
	T_FOLLOWUP_N,
	T_FOLLOWUP_BY,
	T_WAITS,
	T_BOTH,
	T_BY_PILOT,
	T_FOLLOWUP_CODES,
	T_BULK_MMAP_ON,
	T_BULK_MMAP_OFF,
	T__MAX
};
_Static_assert(T__MAX <= DBI_SLOTS_STATS, "statistics statements overflow their slots");

static const char *const tsql[T__MAX] = {
	[T_FOLLOWED] = BASE "SELECT (SELECT count(DISTINCT student_id) FROM k), (SELECT count(*) FROM k),"
			    " (SELECT count(*) FROM k WHERE opened_on BETWEEN ?2 AND ?3)",
	[T_NEW_BY_SOURCE] = BASE "SELECT referral_source, count(*) FROM k"
				 " WHERE opened_on BETWEEN ?2 AND ?3 GROUP BY 1 ORDER BY 1",
	[T_NEW_BY_REASON] = BASE "SELECT main_reason, count(*) FROM k"
				 " WHERE opened_on BETWEEN ?2 AND ?3 GROUP BY 1 ORDER BY 1",
	[T_ECONOMY] = BASE ", e AS (SELECT DISTINCT student_id FROM k WHERE main_reason = 'OKONOMI')"
			   " SELECT (SELECT count(*) FROM e),"
			   " (SELECT count(*) FROM e JOIN a ON a.student_id = e.student_id)",
	[T_ASSIST] = BASE "SELECT CASE cls WHEN 3 THEN 'LANGTID' WHEN 2 THEN 'KORTTID'"
			  " WHEN 1 THEN 'ENGANG' ELSE '' END, count(*) FROM a GROUP BY cls ORDER BY cls DESC",
	[T_ASSIST_LIVING] = BASE ", l AS (SELECT (SELECT v.code FROM living v WHERE v.student_id = a.student_id"
				 " AND v.from_date <= a.first ORDER BY v.from_date DESC, v.id DESC LIMIT 1)"
				 " AS code FROM a)"
				 " SELECT count(code), count(CASE WHEN code IN ('HOS_FORELDRE', 'EN_FORELDER')"
				 " THEN 1 END) FROM l",
	[T_INTERAGENCY] = BASE "SELECT count(*), count(CASE WHEN interagency = 1 THEN 1 END) FROM k",
	[T_REPEAT] = BASE ", o AS (SELECT k.student_id, max(o.code = 'GAR_OM') AS rep"
			  " FROM k JOIN outcome o ON o.sak_id = k.id WHERE o.school_year BETWEEN ?6 AND ?7"
			  " GROUP BY k.student_id) SELECT count(*), coalesce(sum(rep), 0) FROM o",
	[T_FOLLOWUP_N] = BASE "SELECT count(DISTINCT k.student_id) FROM k JOIN contact c ON c.sak_id = k.id"
			      " WHERE c.on_date BETWEEN ?2 AND ?3",
	[T_FOLLOWUP_BY] = BASE "SELECT f.code, count(DISTINCT k.student_id) FROM k"
			       " JOIN contact c ON c.sak_id = k.id JOIN contact_followup f ON f.contact_id = c.id"
			       " WHERE c.on_date BETWEEN ?2 AND ?3 GROUP BY f.code ORDER BY f.code",
	[T_WAITS] = BASE "SELECT CAST(julianday(first_contact_on) - julianday(referred_on) AS INTEGER)"
			 " FROM k WHERE opened_on BETWEEN ?2 AND ?3 AND referred_on IS NOT NULL"
			 " AND first_contact_on IS NOT NULL ORDER BY 1",
	[T_BOTH] = BASE ", m AS (SELECT k.student_id, m.side FROM k JOIN measure m ON m.sak_id = k.id"
			" WHERE m.start_on <= ?3 AND (m.end_on IS NULL OR m.end_on >= ?2))"
			" SELECT count(*) FROM (SELECT student_id FROM m GROUP BY student_id"
			" HAVING count(DISTINCT side) = 2)",
	/*
	 * The same counts for every pilot of the scope in one statement (see stats.h for the
	 * rows). k is derived once, from a scan of the cases (a student's cases and the student
	 * are looked up by key); a, the students with economic assistance, once from k. Every
	 * count is one GROUP BY the student's pilot: a student belongs to one pilot, so the
	 * counts of a county or the nation are sums of its pilots' counts. S9 is the exception:
	 * its rows are the contacts of the period (pilot, student, contact), whose follow-up
	 * codes the caller takes from T_FOLLOWUP_CODES and counts once per student, because
	 * joining every contact to its codes here costs more than all other measures together.
	 * bench/release.sql is this statement in plain SQL (S9 counted in SQL) for the sqlite3
	 * shell.
	 */
	[T_BY_PILOT] =
		"WITH k AS MATERIALIZED (SELECT sak.id, sak.student_id, st.pilot_id AS pilot,"
		"  sak.opened_on BETWEEN ?2 AND ?3 AS new, sak.referral_source, sak.main_reason, sak.interagency,"
		"  sak.referred_on, sak.first_contact_on"
		"  FROM sak CROSS JOIN student st ON st.id = sak.student_id"
		"  WHERE sak.opened_on <= ?3 AND (sak.closed_on IS NULL OR sak.closed_on >= ?2)"
		"  AND st.pilot_id IN (SELECT id FROM unit WHERE substr(path, 1, length(?1)) = ?1)"
		"  AND (?4 = '' OR st.programme = ?4) AND (?5 = '' OR st.level = ?5)"
		"  AND EXISTS (SELECT 1 FROM consent c WHERE c.student_id = st.id"
		"              AND c.kind = 'REGISTRERING' AND c.withdrawn_on IS NULL)),"
		" a AS MATERIALIZED (SELECT k.pilot, k.student_id,"
		"  max(CASE d.duration WHEN 'LANGTID' THEN 3 WHEN 'KORTTID' THEN 2 WHEN 'ENGANG' THEN 1"
		"      ELSE 0 END) AS cls, min(d.on_date) AS first"
		"  FROM k JOIN decision d ON d.sak_id = k.id"
		"  WHERE d.granted = 1 AND d.code IN ('SOSTJL_18', 'SOSTJL_19')"
		"  AND d.on_date BETWEEN ?2 AND ?3 GROUP BY k.student_id)"
		" SELECT 'S1', pilot, '', count(DISTINCT student_id), count(*), sum(new) FROM k GROUP BY pilot"
		" UNION ALL SELECT 'S2', pilot, referral_source, count(*), 0, 0 FROM k WHERE new"
		"  GROUP BY pilot, referral_source"
		" UNION ALL SELECT 'S3', pilot, main_reason, count(*), 0, 0 FROM k WHERE new GROUP BY pilot, main_reason"
		" UNION ALL SELECT 'S4', e.pilot, '', count(*), count(a.student_id), 0"
		"  FROM (SELECT DISTINCT pilot, student_id FROM k WHERE main_reason = 'OKONOMI') e"
		"  LEFT JOIN a ON a.student_id = e.student_id GROUP BY e.pilot"
		" UNION ALL SELECT 'S5', pilot, CASE cls WHEN 3 THEN 'LANGTID' WHEN 2 THEN 'KORTTID'"
		"  WHEN 1 THEN 'ENGANG' ELSE '' END, count(*), 0, 0 FROM a GROUP BY pilot, cls"
		" UNION ALL SELECT 'S6', pilot, '', count(code),"
		"  count(CASE WHEN code IN ('HOS_FORELDRE', 'EN_FORELDER') THEN 1 END), 0"
		"  FROM (SELECT a.pilot, (SELECT v.code FROM living v WHERE v.student_id = a.student_id"
		"  AND v.from_date <= a.first ORDER BY v.from_date DESC, v.id DESC LIMIT 1) AS code FROM a) GROUP BY pilot"
		" UNION ALL SELECT 'S7', pilot, '', count(*), count(CASE WHEN interagency = 1 THEN 1 END), 0"
		"  FROM k GROUP BY pilot"
		" UNION ALL SELECT 'S8', pilot, '', count(*), sum(rep), 0"
		"  FROM (SELECT k.pilot, k.student_id, max(o.code = 'GAR_OM') AS rep FROM k"
		"  JOIN outcome o ON o.sak_id = k.id WHERE o.school_year BETWEEN ?6 AND ?7 GROUP BY k.student_id)"
		"  GROUP BY pilot"
		" UNION ALL SELECT 'S9c', pilot, '', k.student_id, c.id, 0 FROM k"
		"  JOIN contact c ON c.sak_id = k.id WHERE c.on_date BETWEEN ?2 AND ?3"
		" UNION ALL SELECT 'S10', pilot, '',"
		"  CAST(julianday(first_contact_on) - julianday(referred_on) AS INTEGER) AS days, count(*), 0 FROM k"
		"  WHERE new AND referred_on IS NOT NULL AND first_contact_on IS NOT NULL GROUP BY pilot, days"
		" UNION ALL SELECT 'S11', pilot, '', count(*), 0, 0"
		"  FROM (SELECT k.pilot, k.student_id FROM k JOIN measure m ON m.sak_id = k.id"
		"  WHERE m.start_on <= ?3 AND (m.end_on IS NULL OR m.end_on >= ?2)"
		"  GROUP BY k.student_id HAVING count(DISTINCT m.side) = 2) GROUP BY pilot",
	/* Read in key order, one pass: cheaper than a lookup per contact of the period. */
	[T_FOLLOWUP_CODES] = "SELECT contact_id, code FROM contact_followup ORDER BY contact_id",
	[T_BULK_MMAP_ON] = "PRAGMA mmap_size = 4294967296",
	[T_BULK_MMAP_OFF] = "PRAGMA mmap_size = 0",
};

static sqlite3_stmt *tp(db_t *db, enum sstmt s, const struct stats_filter *f)
{
	sqlite3_stmt *st = dbi_prep(db, DBI_SLOTS_CORE + DBI_SLOTS_RECORD + (int)s, tsql[s]);
	if (!st)
		return NULL;
	sqlite3_bind_text(st, 1, f->scope_path, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, f->year_start, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, f->year_end, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, f->programme ? f->programme : "", -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, f->level ? f->level : "", -1, SQLITE_TRANSIENT);
	if (sqlite3_bind_parameter_count(st) >= 7) {
		sqlite3_bind_text(st, 6, f->first_year, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 7, f->last_year, -1, SQLITE_TRANSIENT);
	}
	return st;
}

/* One row of up to three counts. */
static int counts(sqlite3_stmt *st, long *a, long *b, long *c)
{
	if (!st)
		return DB_ERROR;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		if (a)
			*a = (long)sqlite3_column_int64(st, 0);
		if (b)
			*b = (long)sqlite3_column_int64(st, 1);
		if (c)
			*c = (long)sqlite3_column_int64(st, 2);
	}
	dbi_done(st);
	return rc == SQLITE_ROW ? DB_OK : DB_ERROR;
}

static int by_code(sqlite3_stmt *st, db_stats_code_cb cb, void *ctx)
{
	if (!st)
		return DB_ERROR;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (cb((const char *)sqlite3_column_text(st, 0), (long)sqlite3_column_int64(st, 1), ctx) != 0)
			break;
	dbi_done(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? DB_OK : DB_ERROR;
}

int db_stats_followed(db_t *db, const struct stats_filter *f, long *students, long *cases, long *new_cases)
{
	return counts(tp(db, T_FOLLOWED, f), students, cases, new_cases);
}

int db_stats_new_by(db_t *db, const struct stats_filter *f, const char *column, db_stats_code_cb cb, void *ctx)
{
	if (!strcmp(column, "referral_source"))
		return by_code(tp(db, T_NEW_BY_SOURCE, f), cb, ctx);
	if (!strcmp(column, "main_reason"))
		return by_code(tp(db, T_NEW_BY_REASON, f), cb, ctx);
	return DB_INVALID;
}

int db_stats_economy(db_t *db, const struct stats_filter *f, long *students, long *granted)
{
	return counts(tp(db, T_ECONOMY, f), students, granted, NULL);
}

int db_stats_assistance(db_t *db, const struct stats_filter *f, db_stats_code_cb cb, void *ctx)
{
	return by_code(tp(db, T_ASSIST, f), cb, ctx);
}

int db_stats_assistance_living(db_t *db, const struct stats_filter *f, long *known, long *with_parents)
{
	return counts(tp(db, T_ASSIST_LIVING, f), known, with_parents, NULL);
}

int db_stats_interagency(db_t *db, const struct stats_filter *f, long *cases, long *interagency)
{
	return counts(tp(db, T_INTERAGENCY, f), cases, interagency, NULL);
}

int db_stats_repeat(db_t *db, const struct stats_filter *f, long *students, long *repeats)
{
	return counts(tp(db, T_REPEAT, f), students, repeats, NULL);
}

int db_stats_followup(db_t *db, const struct stats_filter *f, long *students, db_stats_code_cb cb, void *ctx)
{
	int rc = counts(tp(db, T_FOLLOWUP_N, f), students, NULL, NULL);
	return rc == DB_OK ? by_code(tp(db, T_FOLLOWUP_BY, f), cb, ctx) : rc;
}

int db_stats_waits(db_t *db, const struct stats_filter *f, db_stats_days_cb cb, void *ctx)
{
	sqlite3_stmt *st = tp(db, T_WAITS, f);
	if (!st)
		return DB_ERROR;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (cb((long)sqlite3_column_int64(st, 0), ctx) != 0)
			break;
	dbi_done(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? DB_OK : DB_ERROR;
}

int db_stats_both_measures(db_t *db, const struct stats_filter *f, long *students)
{
	return counts(tp(db, T_BOTH, f), students, NULL, NULL);
}

int db_stats_by_pilot(db_t *db, const struct stats_filter *f, db_stats_row_cb cb, void *ctx)
{
	sqlite3_stmt *st = tp(db, T_BY_PILOT, f);
	if (!st)
		return DB_ERROR;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *code = (const char *)sqlite3_column_text(st, 2);
		if (cb((const char *)sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1), code ? code : "",
		       sqlite3_column_int64(st, 3), sqlite3_column_int64(st, 4), sqlite3_column_int64(st, 5), ctx) != 0)
			break;
	}
	dbi_done(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? DB_OK : DB_ERROR;
}

int db_stats_followup_codes(db_t *db, db_stats_followup_cb cb, void *ctx)
{
	sqlite3_stmt *st = dbi_prep(db, DBI_SLOTS_CORE + DBI_SLOTS_RECORD + (int)T_FOLLOWUP_CODES,
				    tsql[T_FOLLOWUP_CODES]);
	if (!st)
		return DB_ERROR;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (cb(sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1), ctx) != 0)
			break;
	dbi_done(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? DB_OK : DB_ERROR;
}

static void pragma_run(db_t *db, enum sstmt s)
{
	sqlite3_stmt *st = dbi_prep(db, DBI_SLOTS_CORE + DBI_SLOTS_RECORD + (int)s, tsql[s]);
	if (!st)
		return;
	while (sqlite3_step(st) == SQLITE_ROW)
		;
	dbi_done(st);
}

/*
 * A release reads most of the database. With SQLite's page cache (2 MB by default) most of
 * those page reads are read() calls copying from the operating system's cache: more than half
 * the time of a national release. Mapped reads take the pages from that cache directly.
 */
void db_stats_bulk_begin(db_t *db)
{
	pragma_run(db, T_BULK_MMAP_ON);
}

void db_stats_bulk_end(db_t *db)
{
	pragma_run(db, T_BULK_MMAP_OFF);
}

/* ---- releases ---- */

enum rlstmt { L_INSERT, L_GET, L_PUBLISHED, L_ADVANCE_APPROVE, L_ADVANCE_PUBLISH, L_LIST, L__MAX };
_Static_assert(T__MAX + L__MAX <= DBI_SLOTS_STATS, "release statements overflow their slots");

#define RELEASE_COLS                                                                               \
	"id, school_year, version, status, inputs_hash, content, coalesce(note, ''), created_at,"   \
	" created_by, coalesce(approved_by, ''), coalesce(approved_at, ''),"                        \
	" coalesce(published_by, ''), coalesce(published_at, '')"

static const char *const lsql[L__MAX] = {
	[L_INSERT] = "INSERT INTO release (school_year, version, inputs_hash, content, note, created_by)"
		     " VALUES (?1, (SELECT coalesce(max(version), 0) + 1 FROM release WHERE school_year = ?1),"
		     " ?2, ?3, nullif(?4, ''), ?5) RETURNING id, version",
	[L_GET] = "SELECT " RELEASE_COLS " FROM release WHERE id = ?1",
	[L_PUBLISHED] = "SELECT " RELEASE_COLS " FROM release WHERE school_year = ?1 AND status = 'published'"
			" ORDER BY version DESC LIMIT 1",
	[L_ADVANCE_APPROVE] = "UPDATE release SET status = 'approved', approved_by = ?2,"
			      " approved_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?1 AND status = 'draft'",
	[L_ADVANCE_PUBLISH] = "UPDATE release SET status = 'published', published_by = ?2,"
			      " published_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?1 AND status = 'approved'",
	[L_LIST] = "SELECT id, school_year, version, status, inputs_hash, NULL, coalesce(note, ''), created_at,"
		   " created_by, coalesce(approved_by, ''), coalesce(approved_at, ''), coalesce(published_by, ''),"
		   " coalesce(published_at, '') FROM release ORDER BY school_year DESC, version DESC",
};

static sqlite3_stmt *lp(db_t *db, enum rlstmt s)
{
	return dbi_prep(db, DBI_SLOTS_CORE + DBI_SLOTS_RECORD + T__MAX + (int)s, lsql[s]);
}

void release_row_free(struct release_row *r)
{
	if (r) {
		free(r->content);
		r->content = NULL;
	}
}

static void release_row(sqlite3_stmt *st, struct release_row *r, int with_content)
{
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(st, 0);
	dbi_copy(r->school_year, sizeof r->school_year, st, 1);
	r->version = sqlite3_column_int(st, 2);
	dbi_copy(r->status, sizeof r->status, st, 3);
	dbi_copy(r->inputs_hash, sizeof r->inputs_hash, st, 4);
	if (with_content) {
		const unsigned char *t = sqlite3_column_text(st, 5);
		r->content = t ? strdup((const char *)t) : NULL;
	}
	dbi_copy(r->note, sizeof r->note, st, 6);
	dbi_copy(r->created_at, sizeof r->created_at, st, 7);
	dbi_copy(r->created_by, sizeof r->created_by, st, 8);
	dbi_copy(r->approved_by, sizeof r->approved_by, st, 9);
	dbi_copy(r->approved_at, sizeof r->approved_at, st, 10);
	dbi_copy(r->published_by, sizeof r->published_by, st, 11);
	dbi_copy(r->published_at, sizeof r->published_at, st, 12);
}

int db_release_insert(db_t *db, struct release_row *r)
{
	sqlite3_stmt *st = lp(db, L_INSERT);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_text(st, 1, r->school_year, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, r->inputs_hash, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, r->content, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, r->note, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, r->created_by, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		r->id = sqlite3_column_int64(st, 0);
		r->version = sqlite3_column_int(st, 1);
		rc = sqlite3_step(st);
	}
	dbi_done(st);
	return dbi_rc(db, rc);
}

static int release_one(sqlite3_stmt *st, struct release_row *out)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		release_row(st, out, 1);
	dbi_done(st);
	return rc == SQLITE_ROW ? DB_OK : rc == SQLITE_DONE ? DB_NOTFOUND : DB_ERROR;
}

int db_release_get(db_t *db, int64_t id, struct release_row *out)
{
	sqlite3_stmt *st = lp(db, L_GET);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, id);
	return release_one(st, out);
}

int db_release_published(db_t *db, const char *school_year, struct release_row *out)
{
	sqlite3_stmt *st = lp(db, L_PUBLISHED);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_text(st, 1, school_year, -1, SQLITE_TRANSIENT);
	return release_one(st, out);
}

int db_release_advance(db_t *db, int64_t id, const char *from_status, const char *to_status, const char *who)
{
	enum rlstmt s;
	if (!strcmp(from_status, "draft") && !strcmp(to_status, "approved"))
		s = L_ADVANCE_APPROVE;
	else if (!strcmp(from_status, "approved") && !strcmp(to_status, "published"))
		s = L_ADVANCE_PUBLISH;
	else
		return DB_INVALID;
	sqlite3_stmt *st = lp(db, s);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, who, -1, SQLITE_TRANSIENT);
	int rc = dbi_exec(db, st);
	if (rc == DB_OK && sqlite3_changes(dbi_handle(db)) == 0)
		return DB_NOTFOUND;
	return rc;
}

int db_release_list(db_t *db, db_release_cb cb, void *ctx)
{
	sqlite3_stmt *st = lp(db, L_LIST);
	if (!st)
		return DB_ERROR;
	int rc;
	struct release_row r;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		release_row(st, &r, 0);
		if (cb(&r, ctx) != 0)
			break;
	}
	dbi_done(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? DB_OK : DB_ERROR;
}
