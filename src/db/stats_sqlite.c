/* The SQLite statements behind the statistics (see stats.h and docs/statistics.md). */
#include <string.h>

#include "sqlite_internal.h"
#include "stats.h"

/*
 * Every statement starts from the same two sets: s, the students of the scope (and programme
 * and level, when given) who have a registration consent not withdrawn; k, their cases open on
 * any day of the school year [?2, ?3].
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
			  " FROM k JOIN outcome o ON o.sak_id = k.id WHERE o.school_year = ?6"
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

int db_stats_repeat(db_t *db, const struct stats_filter *f, const char *school_year, long *students,
		    long *repeats)
{
	sqlite3_stmt *st = tp(db, T_REPEAT, f);
	if (st)
		sqlite3_bind_text(st, 6, school_year, -1, SQLITE_TRANSIENT);
	return counts(st, students, repeats, NULL);
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
