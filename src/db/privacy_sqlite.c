/* The SQLite statements of erasure and retention (see privacy.h). Slots 240..271. */
#include <stdio.h>
#include <string.h>

#include "privacy.h"
#include "sqlite_internal.h"

enum pstmt {
	V_DUE,
	V_DUE_ONE,
	V_OBJECTS,
	V_ERASE_REFERRALS,
	V_ERASE_SAK,
	V_ERASE_LIVING,
	V_ERASE_CONSENT,
	V_ERASE_CHANGE,
	V_ERASE_GLASS,
	V_ERASE_STUDENT,
	V_DECLINED_DUE,
	V_DECLINED_ERASE,
	V_ERASED_COUNT,
	V_GLASS_LAST,
	V__MAX
};
_Static_assert(V__MAX <= DBI_SLOTS_PRIVACY, "privacy statements overflow their slots");
_Static_assert(DBI_SLOTS_PRIVACY_BASE + DBI_SLOTS_PRIVACY <= DBI_SLOTS, "privacy slots outside the cache");

/* ?1 today, ?2 cutoff. The reason a student is due, or NULL. */
#define DUE_WHY                                                                                    \
	"CASE WHEN NOT EXISTS (SELECT 1 FROM consent c WHERE c.student_id = s.id"                  \
	"    AND c.kind = 'REGISTRERING' AND c.given_on <= ?1"                                     \
	"    AND (c.withdrawn_on IS NULL OR c.withdrawn_on > ?1)) THEN '" ERASE_WHY_CONSENT "'"    \
	"  WHEN NOT EXISTS (SELECT 1 FROM sak k WHERE k.student_id = s.id AND k.closed_on IS NULL)" \
	"    AND coalesce((SELECT max(k.closed_on) FROM sak k WHERE k.student_id = s.id),"        \
	"                 substr(s.created_at, 1, 10)) <= ?2 THEN '" ERASE_WHY_RETENTION "'"        \
	"  END"

static const char *const vsql[V__MAX] = {
	[V_DUE] = "SELECT id, pseudonym, why FROM (SELECT s.id, s.pseudonym, " DUE_WHY " AS why"
		  " FROM student s WHERE s.erased_on IS NULL) WHERE why IS NOT NULL ORDER BY id",
	[V_DUE_ONE] = "SELECT " DUE_WHY " FROM student s WHERE s.id = ?3 AND s.erased_on IS NULL",
	[V_OBJECTS] = "SELECT 'student:' || pseudonym FROM student WHERE id = ?1"
		      " UNION ALL SELECT 'case:' || id FROM sak WHERE student_id = ?1"
		      " UNION ALL SELECT 'contact:' || c.id FROM contact c JOIN sak s ON s.id = c.sak_id"
		      "  WHERE s.student_id = ?1"
		      " UNION ALL SELECT 'decision:' || d.id FROM decision d JOIN sak s ON s.id = d.sak_id"
		      "  WHERE s.student_id = ?1"
		      " UNION ALL SELECT 'measure:' || m.id FROM measure m JOIN sak s ON s.id = m.sak_id"
		      "  WHERE s.student_id = ?1"
		      " UNION ALL SELECT 'referral:' || r.id FROM referral r JOIN sak s ON s.id = r.sak_id"
		      "  WHERE s.student_id = ?1",
	[V_ERASE_REFERRALS] = "DELETE FROM referral WHERE sak_id IN (SELECT id FROM sak WHERE student_id = ?1)",
	/* Contacts, follow-ups, decisions, measures, outcomes, reasons and partners go with
	 * their case (ON DELETE CASCADE). */
	[V_ERASE_SAK] = "DELETE FROM sak WHERE student_id = ?1",
	[V_ERASE_LIVING] = "DELETE FROM living WHERE student_id = ?1",
	[V_ERASE_CONSENT] = "DELETE FROM consent WHERE student_id = ?1",
	[V_ERASE_CHANGE] = "DELETE FROM change WHERE student_id = ?1",
	/* The openings are kept (who opened which pseudonym when); the reason may name the
	 * student and is overwritten. */
	[V_ERASE_GLASS] = "UPDATE glass_access SET reason = '" ERASED_TEXT "' WHERE student_id = ?1",
	[V_ERASE_STUDENT] = "UPDATE student SET school_id = NULL, name_sealed = NULL, fnr_sealed = NULL,"
			    " fnr_hash = NULL, birth_year = NULL, gender = NULL, level = NULL,"
			    " programme = NULL, minority = NULL, erased_on = ?2, erased_why = ?3"
			    " WHERE id = ?1 AND erased_on IS NULL",
	[V_DECLINED_DUE] = "SELECT id FROM referral WHERE status = 'AVVIST' AND decided_on <= ?1 ORDER BY id",
	[V_DECLINED_ERASE] = "DELETE FROM referral WHERE id = ?1 AND status = 'AVVIST' AND decided_on <= ?2",
	[V_ERASED_COUNT] = "SELECT count(*) FROM student WHERE erased_on IS NOT NULL",
	[V_GLASS_LAST] = "SELECT max(id) FROM glass_access WHERE account_id = ?1 AND student_id = ?2",
};

static sqlite3_stmt *vp(db_t *db, enum pstmt s)
{
	return dbi_prep(db, DBI_SLOTS_PRIVACY_BASE + (int)s, vsql[s]);
}

static void text(sqlite3_stmt *st, int i, const char *v)
{
	sqlite3_bind_text(st, i, v ? v : "", -1, SQLITE_TRANSIENT);
}

int db_privacy_due(db_t *db, const char *today, const char *cutoff, db_due_cb cb, void *ctx)
{
	sqlite3_stmt *st = vp(db, V_DUE);
	if (!st)
		return DB_ERROR;
	text(st, 1, today);
	text(st, 2, cutoff);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct due_row d = {.id = sqlite3_column_int64(st, 0)};
		dbi_copy(d.pseudonym, sizeof d.pseudonym, st, 1);
		dbi_copy(d.why, sizeof d.why, st, 2);
		if (cb(&d, ctx) != 0)
			break;
	}
	dbi_done(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? DB_OK : DB_ERROR;
}

int db_privacy_due_one(db_t *db, int64_t student_id, const char *today, const char *cutoff, char why[12])
{
	sqlite3_stmt *st = vp(db, V_DUE_ONE);
	if (!st)
		return DB_ERROR;
	text(st, 1, today);
	text(st, 2, cutoff);
	sqlite3_bind_int64(st, 3, student_id);
	int rc = sqlite3_step(st);
	int out = DB_NOTFOUND;
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
		dbi_copy(why, 12, st, 0);
		out = DB_OK;
	} else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		out = DB_ERROR;
	}
	dbi_done(st);
	return out;
}

int db_privacy_objects(db_t *db, int64_t student_id, db_obj_cb cb, void *ctx)
{
	sqlite3_stmt *st = vp(db, V_OBJECTS);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, student_id);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *o = sqlite3_column_text(st, 0);
		if (cb(o ? (const char *)o : "", ctx) != 0)
			break;
	}
	dbi_done(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? DB_OK : DB_ERROR;
}

static int by_id(db_t *db, enum pstmt s, int64_t id)
{
	sqlite3_stmt *st = vp(db, s);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, id);
	return dbi_exec(db, st);
}

int db_privacy_erase(db_t *db, int64_t student_id, const char *on, const char *why)
{
	/* The student row first: it says whether there is anything to erase. */
	sqlite3_stmt *st = vp(db, V_ERASE_STUDENT);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, student_id);
	text(st, 2, on);
	text(st, 3, why);
	int rc = dbi_exec(db, st);
	if (rc != DB_OK)
		return rc;
	if (sqlite3_changes(dbi_handle(db)) == 0)
		return DB_NOTFOUND;
	static const enum pstmt steps[] = {V_ERASE_REFERRALS, V_ERASE_SAK,    V_ERASE_LIVING,
					   V_ERASE_CONSENT,   V_ERASE_CHANGE, V_ERASE_GLASS};
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
		if ((rc = by_id(db, steps[i], student_id)) != DB_OK)
			return rc;
	return DB_OK;
}

int db_privacy_declined_due(db_t *db, const char *cutoff, db_id_cb cb, void *ctx)
{
	sqlite3_stmt *st = vp(db, V_DECLINED_DUE);
	if (!st)
		return DB_ERROR;
	text(st, 1, cutoff);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (cb(sqlite3_column_int64(st, 0), ctx) != 0)
			break;
	dbi_done(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? DB_OK : DB_ERROR;
}

int db_privacy_declined_erase(db_t *db, int64_t referral_id, const char *cutoff)
{
	sqlite3_stmt *st = vp(db, V_DECLINED_ERASE);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, referral_id);
	text(st, 2, cutoff);
	int rc = dbi_exec(db, st);
	if (rc == DB_OK && sqlite3_changes(dbi_handle(db)) == 0)
		return DB_NOTFOUND;
	return rc;
}

int db_privacy_erased_count(db_t *db, int64_t *n)
{
	sqlite3_stmt *st = vp(db, V_ERASED_COUNT);
	if (!st)
		return DB_ERROR;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*n = sqlite3_column_int64(st, 0);
	dbi_done(st);
	return rc == SQLITE_ROW ? DB_OK : DB_ERROR;
}

int db_privacy_glass_last(db_t *db, int64_t account_id, int64_t student_id, int64_t *id)
{
	sqlite3_stmt *st = vp(db, V_GLASS_LAST);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_int64(st, 2, student_id);
	int rc = sqlite3_step(st);
	int out = rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL ? DB_OK : rc == SQLITE_ROW ? DB_NOTFOUND : DB_ERROR;
	if (out == DB_OK)
		*id = sqlite3_column_int64(st, 0);
	dbi_done(st);
	return out;
}
