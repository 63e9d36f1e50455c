/* The SQLite statements of the registration record (see record.h). */
#include <stdio.h>
#include <string.h>

#include "record.h"
#include "sqlite_internal.h"

enum rstmt {
	R_CODE_VALID,
	R_CODE_LIST,
	R_STUDENT_INSERT,
	R_STUDENT_GET,
	R_STUDENT_GET_ID,
	R_STUDENT_UPDATE,
	R_STUDENT_LIST,
	R_STUDENT_ALL,
	R_STUDENT_RESEAL,
	R_LIVING_ADD,
	R_LIVING_LIST,
	R_CONSENT_ADD,
	R_CONSENT_GET,
	R_CONSENT_WITHDRAW,
	R_CONSENT_LIST,
	R_CONSENT_IN_FORCE,
	R_SAK_INSERT,
	R_SAK_GET,
	R_SAK_UPDATE,
	R_SAK_LIST_STUDENT,
	R_SAK_ALL,
	R_REASON_ADD,
	R_REASON_CLEAR,
	R_REASON_LIST,
	R_PARTNER_ADD,
	R_PARTNER_CLEAR,
	R_PARTNER_LIST,
	R_CONTACT_INSERT,
	R_CONTACT_GET,
	R_CONTACT_LIST,
	R_FOLLOWUP_ADD,
	R_FOLLOWUP_LIST,
	R_CONTACT_RESEAL,
	R_CONTACT_ALL_NOTES,
	R_DECISION_INSERT,
	R_DECISION_GET,
	R_DECISION_LIST,
	R_MEASURE_INSERT,
	R_MEASURE_GET,
	R_MEASURE_LIST,
	R_OUTCOME_SET,
	R_OUTCOME_LIST,
	R_REFERRAL_INSERT,
	R_REFERRAL_GET,
	R_REFERRAL_DECIDE,
	R_REFERRAL_RESEAL,
	R_REFERRAL_LIST_SCOPE,
	R_REFERRAL_LIST_REFERRER,
	R_REFERRAL_ALL,
	R_CASELOAD,
	R_CHANGE_ADD,
	R_CHANGE_LIST,
	R_GLASS_OPEN,
	R_GLASS_ACTIVE,
	R_GLASS_LIST,
	R__MAX
};
_Static_assert(R__MAX <= DBI_SLOTS_RECORD, "record statements overflow their slots");

#define STUDENT_COLS                                                                               \
	"s.id, s.pseudonym, s.pilot_id, p.code, p.path, coalesce(sc.code, ''), s.name_sealed,"     \
	" s.fnr_sealed, s.fnr_hash, coalesce(s.birth_year, 0), coalesce(s.gender, ''),"            \
	" coalesce(s.level, ''), coalesce(s.programme, ''), coalesce(s.minority, ''), s.created_at"
#define STUDENT_FROM                                                                               \
	" FROM student s JOIN unit p ON p.id = s.pilot_id LEFT JOIN unit sc ON sc.id = s.school_id"
#define SAK_COLS                                                                                   \
	"k.id, k.student_id, s.pseudonym, k.pilot_id, p.path, k.opened_on, k.referral_source,"     \
	" coalesce(k.referred_on, ''), coalesce(k.first_contact_on, ''), k.main_reason,"           \
	" k.interagency, k.responsibility_group, coalesce(k.closed_on, ''),"                       \
	" coalesce(k.close_reason, '')"
#define SAK_FROM " FROM sak k JOIN student s ON s.id = k.student_id JOIN unit p ON p.id = k.pilot_id"
#define REFERRAL_COLS                                                                              \
	"r.id, r.pilot_id, p.path, sc.code, r.referrer_id, a.username, r.name_sealed,"             \
	" coalesce(r.level, ''), r.reason, r.consent_given_by, r.referred_on, r.status,"           \
	" coalesce(r.decline_reason, ''), coalesce(r.sak_id, 0), coalesce(r.decided_on, ''),"      \
	" coalesce(r.decided_by, '')"
#define REFERRAL_FROM                                                                              \
	" FROM referral r JOIN unit p ON p.id = r.pilot_id JOIN unit sc ON sc.id = r.school_id"    \
	" JOIN account a ON a.id = r.referrer_id"
#define IN_SCOPE(col) " substr(" col ", 1, length(?1)) = ?1 "

static const char *const rsql[R__MAX] = {
	[R_CODE_VALID] = "SELECT 1 FROM code WHERE list = ?1 AND code = ?2",
	[R_CODE_LIST] = "SELECT code, label_nb, label_en FROM code WHERE list = ?1 ORDER BY sort",
	[R_STUDENT_INSERT] =
		"INSERT INTO student (pseudonym, pilot_id, school_id, name_sealed, fnr_sealed,"
		" fnr_hash, birth_year, gender, level, programme, minority)"
		" VALUES (?1, ?2, (SELECT id FROM unit WHERE code = ?3 AND kind = 'school'), ?4, ?5,"
		" ?6, nullif(?7, 0), nullif(?8, ''), nullif(?9, ''), nullif(?10, ''), nullif(?11, ''))",
	[R_STUDENT_GET] = "SELECT " STUDENT_COLS STUDENT_FROM " WHERE s.pseudonym = ?1 AND s.erased_on IS NULL",
	[R_STUDENT_GET_ID] = "SELECT " STUDENT_COLS STUDENT_FROM " WHERE s.id = ?1 AND s.erased_on IS NULL",
	[R_STUDENT_UPDATE] =
		"UPDATE student SET school_id = (SELECT id FROM unit WHERE code = ?2 AND kind = 'school'),"
		" name_sealed = ?3, fnr_sealed = ?4, fnr_hash = ?5, birth_year = nullif(?6, 0),"
		" gender = nullif(?7, ''), level = nullif(?8, ''), programme = nullif(?9, ''),"
		" minority = nullif(?10, '') WHERE id = ?1",
	[R_STUDENT_LIST] = "SELECT " STUDENT_COLS STUDENT_FROM " WHERE s.erased_on IS NULL AND" IN_SCOPE("p.path")
			   "ORDER BY s.pseudonym",
	[R_STUDENT_ALL] = "SELECT " STUDENT_COLS STUDENT_FROM " WHERE s.erased_on IS NULL ORDER BY s.id",
	[R_STUDENT_RESEAL] = "UPDATE student SET name_sealed = ?2, fnr_sealed = ?3, fnr_hash = ?4"
			     " WHERE id = ?1",
	[R_LIVING_ADD] = "INSERT INTO living (student_id, code, from_date) VALUES (?1, ?2, ?3)",
	[R_LIVING_LIST] = "SELECT id, code, from_date FROM living WHERE student_id = ?1"
			  " ORDER BY from_date DESC, id DESC",
	[R_CONSENT_ADD] = "INSERT INTO consent (student_id, kind, partner, given_on, given_by)"
			  " VALUES (?1, ?2, nullif(?3, ''), ?4, ?5)",
	[R_CONSENT_GET] = "SELECT id, student_id, kind, coalesce(partner, ''), given_on, given_by,"
			  " coalesce(withdrawn_on, '') FROM consent WHERE id = ?1",
	[R_CONSENT_WITHDRAW] = "UPDATE consent SET withdrawn_on = ?2 WHERE id = ?1"
			       " AND withdrawn_on IS NULL",
	[R_CONSENT_LIST] = "SELECT id, student_id, kind, coalesce(partner, ''), given_on, given_by,"
			   " coalesce(withdrawn_on, '') FROM consent WHERE student_id = ?1"
			   " ORDER BY given_on, id",
	[R_CONSENT_IN_FORCE] =
		"SELECT 1 FROM consent WHERE student_id = ?1 AND kind = ?2"
		" AND coalesce(partner, '') = ?3 AND given_on <= ?4"
		" AND (withdrawn_on IS NULL OR withdrawn_on > ?4) LIMIT 1",
	[R_SAK_INSERT] = "INSERT INTO sak (student_id, pilot_id, opened_on, referral_source,"
			 " referred_on, first_contact_on, main_reason, interagency,"
			 " responsibility_group)"
			 " VALUES (?1, ?2, ?3, ?4, nullif(?5, ''), nullif(?6, ''), ?7, ?8, ?9)",
	[R_SAK_GET] = "SELECT " SAK_COLS SAK_FROM " WHERE k.id = ?1",
	[R_SAK_UPDATE] = "UPDATE sak SET referral_source = ?2, referred_on = nullif(?3, ''),"
			 " first_contact_on = nullif(?4, ''), main_reason = ?5, interagency = ?6,"
			 " responsibility_group = ?7, closed_on = nullif(?8, ''),"
			 " close_reason = nullif(?9, ''), opened_on = ?10 WHERE id = ?1",
	[R_SAK_LIST_STUDENT] = "SELECT " SAK_COLS SAK_FROM " WHERE k.student_id = ?1"
			       " ORDER BY k.opened_on DESC, k.id DESC",
	[R_SAK_ALL] = "SELECT " SAK_COLS SAK_FROM " ORDER BY k.id",
	[R_REASON_ADD] = "INSERT OR IGNORE INTO sak_reason (sak_id, code) VALUES (?1, ?2)",
	[R_REASON_CLEAR] = "DELETE FROM sak_reason WHERE sak_id = ?1",
	[R_REASON_LIST] = "SELECT code FROM sak_reason WHERE sak_id = ?1 ORDER BY code",
	[R_PARTNER_ADD] = "INSERT OR IGNORE INTO sak_partner (sak_id, code) VALUES (?1, ?2)",
	[R_PARTNER_CLEAR] = "DELETE FROM sak_partner WHERE sak_id = ?1",
	[R_PARTNER_LIST] = "SELECT code FROM sak_partner WHERE sak_id = ?1 ORDER BY code",
	[R_CONTACT_INSERT] = "INSERT INTO contact (sak_id, on_date, kind, minutes, note_sealed,"
			     " created_by) VALUES (?1, ?2, ?3, nullif(?4, -1), ?5, ?6)",
	[R_CONTACT_GET] = "SELECT id, sak_id, on_date, kind, coalesce(minutes, -1), note_sealed,"
			  " created_by FROM contact WHERE id = ?1",
	[R_CONTACT_LIST] = "SELECT id, sak_id, on_date, kind, coalesce(minutes, -1), note_sealed,"
			   " created_by FROM contact WHERE sak_id = ?1 ORDER BY on_date DESC, id DESC",
	[R_FOLLOWUP_ADD] = "INSERT OR IGNORE INTO contact_followup (contact_id, code) VALUES (?1, ?2)",
	[R_FOLLOWUP_LIST] = "SELECT code FROM contact_followup WHERE contact_id = ?1 ORDER BY code",
	[R_CONTACT_RESEAL] = "UPDATE contact SET note_sealed = ?2 WHERE id = ?1",
	[R_CONTACT_ALL_NOTES] = "SELECT id, sak_id, on_date, kind, coalesce(minutes, -1),"
				" note_sealed, created_by FROM contact"
				" WHERE note_sealed IS NOT NULL ORDER BY id",
	[R_DECISION_INSERT] = "INSERT INTO decision (sak_id, code, granted, on_date, duration)"
			      " VALUES (?1, ?2, ?3, ?4, nullif(?5, ''))",
	[R_DECISION_GET] = "SELECT id, sak_id, code, granted, on_date, coalesce(duration, '')"
			   " FROM decision WHERE id = ?1",
	[R_DECISION_LIST] = "SELECT id, sak_id, code, granted, on_date, coalesce(duration, '')"
			    " FROM decision WHERE sak_id = ?1 ORDER BY on_date DESC, id DESC",
	[R_MEASURE_INSERT] = "INSERT INTO measure (sak_id, side, code, start_on, end_on)"
			     " VALUES (?1, ?2, ?3, ?4, nullif(?5, ''))",
	[R_MEASURE_GET] = "SELECT id, sak_id, side, code, start_on, coalesce(end_on, '')"
			  " FROM measure WHERE id = ?1",
	[R_MEASURE_LIST] = "SELECT id, sak_id, side, code, start_on, coalesce(end_on, '')"
			   " FROM measure WHERE sak_id = ?1 ORDER BY start_on DESC, id DESC",
	[R_OUTCOME_SET] = "INSERT INTO outcome (sak_id, school_year, code) VALUES (?1, ?2, ?3)"
			  " ON CONFLICT (sak_id, school_year) DO UPDATE SET code = excluded.code",
	[R_OUTCOME_LIST] = "SELECT school_year, code FROM outcome WHERE sak_id = ?1"
			   " ORDER BY school_year",
	[R_REFERRAL_INSERT] =
		"INSERT INTO referral (pilot_id, school_id, referrer_id, name_sealed, level, reason,"
		" consent_given_by, referred_on)"
		" VALUES (?1, (SELECT id FROM unit WHERE code = ?2 AND kind = 'school'), ?3, ?4,"
		" nullif(?5, ''), ?6, ?7, ?8)",
	[R_REFERRAL_GET] = "SELECT " REFERRAL_COLS REFERRAL_FROM " WHERE r.id = ?1",
	[R_REFERRAL_DECIDE] = "UPDATE referral SET status = ?2, decline_reason = nullif(?3, ''),"
			      " sak_id = nullif(?4, 0), decided_on = ?5, decided_by = ?6"
			      " WHERE id = ?1 AND status = 'NY'",
	[R_REFERRAL_RESEAL] = "UPDATE referral SET name_sealed = ?2 WHERE id = ?1",
	[R_REFERRAL_LIST_SCOPE] = "SELECT " REFERRAL_COLS REFERRAL_FROM " WHERE" IN_SCOPE("p.path")
				  "ORDER BY r.status <> 'NY', r.referred_on DESC, r.id DESC",
	[R_REFERRAL_LIST_REFERRER] = "SELECT " REFERRAL_COLS REFERRAL_FROM " WHERE r.referrer_id = ?1"
				     " ORDER BY r.referred_on DESC, r.id DESC",
	[R_REFERRAL_ALL] = "SELECT " REFERRAL_COLS REFERRAL_FROM " ORDER BY r.id",
	[R_CASELOAD] =
		"SELECT s.pseudonym, s.name_sealed, k.id, k.opened_on, k.main_reason,"
		" coalesce((SELECT max(c.on_date) FROM contact c WHERE c.sak_id = k.id), '') AS last"
		" FROM sak k JOIN student s ON s.id = k.student_id JOIN unit p ON p.id = k.pilot_id"
		" WHERE k.closed_on IS NULL AND" IN_SCOPE("p.path")
		"ORDER BY coalesce(nullif(last, ''), k.opened_on), s.pseudonym",
	[R_CHANGE_ADD] = "INSERT INTO change (at, username, student_id, sak_id, entity, entity_id,"
			 " field, old, new) VALUES (strftime('%Y-%m-%dT%H:%M:%SZ','now'), ?1, ?2,"
			 " nullif(?3, 0), ?4, ?5, ?6, nullif(?7, ''), nullif(?8, ''))",
	[R_CHANGE_LIST] = "SELECT at, username, coalesce(sak_id, 0), entity, entity_id, field,"
			  " coalesce(old, ''), coalesce(new, '') FROM change WHERE student_id = ?1"
			  " ORDER BY id DESC LIMIT ?2",
	[R_GLASS_OPEN] = "INSERT INTO glass_access (account_id, student_id, pilot_id, reason, expires_at)"
			 " VALUES (?1, ?2, ?3, ?4, ?5)",
	[R_GLASS_ACTIVE] = "SELECT max(expires_at) FROM glass_access WHERE account_id = ?1 AND student_id = ?2"
			   " AND expires_at > ?3",
	[R_GLASS_LIST] = "SELECT g.id, a.username, ua.code, s.pseudonym, g.reason, g.at, g.expires_at"
			 " FROM glass_access g JOIN account a ON a.id = g.account_id JOIN unit ua ON ua.id = a.unit_id"
			 " JOIN student s ON s.id = g.student_id JOIN unit p ON p.id = g.pilot_id"
			 " WHERE substr(p.path, 1, length(?1)) = ?1 ORDER BY g.id DESC",
};

static sqlite3_stmt *rp(db_t *db, enum rstmt s)
{
	return dbi_prep(db, DBI_SLOTS_CORE + (int)s, rsql[s]);
}

static void text(sqlite3_stmt *st, int i, const char *v)
{
	sqlite3_bind_text(st, i, v ? v : "", -1, SQLITE_TRANSIENT);
}

static void blob(sqlite3_stmt *st, int i, const unsigned char *b, size_t n)
{
	if (n)
		sqlite3_bind_blob(st, i, b, (int)n, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

static void col_blob(sqlite3_stmt *st, int col, unsigned char *dst, size_t cap, size_t *n)
{
	int len = sqlite3_column_bytes(st, col);
	const void *p = sqlite3_column_blob(st, col);
	*n = p && len > 0 && (size_t)len <= cap ? (size_t)len : 0;
	if (*n)
		memcpy(dst, p, *n);
}

#define COPY(dst, col) dbi_copy(dst, sizeof(dst), st, col)

/* One row or none: DB_OK, DB_NOTFOUND or DB_ERROR. */
static int one(sqlite3_stmt *st, void (*row)(sqlite3_stmt *, void *), void *out)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		row(st, out);
	dbi_done(st);
	return rc == SQLITE_ROW ? DB_OK : rc == SQLITE_DONE ? DB_NOTFOUND : DB_ERROR;
}

/* Every row to cb until it returns non-zero; a macro so each callback keeps its own type. */
#define EACH(st, rowfn, T, cb, ctx)                                                                \
	do {                                                                                       \
		T each_row_;                                                                       \
		int each_rc_;                                                                      \
		while ((each_rc_ = sqlite3_step(st)) == SQLITE_ROW) {                              \
			rowfn(st, &each_row_);                                                     \
			if (cb(&each_row_, ctx) != 0)                                              \
				break;                                                             \
		}                                                                                  \
		dbi_done(st);                                                                      \
		return each_rc_ == SQLITE_DONE || each_rc_ == SQLITE_ROW ? DB_OK : DB_ERROR;       \
	} while (0)

static int insert_id(db_t *db, sqlite3_stmt *st, int64_t *id)
{
	int rc = dbi_exec(db, st);
	if (rc == DB_OK && id)
		*id = sqlite3_last_insert_rowid(dbi_handle(db));
	return rc;
}

static int changed_one(db_t *db, sqlite3_stmt *st)
{
	int rc = dbi_exec(db, st);
	if (rc == DB_OK && sqlite3_changes(dbi_handle(db)) == 0)
		return DB_NOTFOUND;
	return rc;
}

/* ---- code lists ---- */

int db_code_valid(db_t *db, const char *list, const char *code)
{
	sqlite3_stmt *st = rp(db, R_CODE_VALID);
	if (!st)
		return DB_ERROR;
	text(st, 1, list);
	text(st, 2, code);
	int rc = sqlite3_step(st);
	dbi_done(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : DB_ERROR;
}

int db_code_list(db_t *db, const char *list, db_code_cb cb, void *ctx)
{
	sqlite3_stmt *st = rp(db, R_CODE_LIST);
	if (!st)
		return DB_ERROR;
	text(st, 1, list);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (cb((const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
		       (const char *)sqlite3_column_text(st, 2), ctx) != 0)
			break;
	}
	dbi_done(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? DB_OK : DB_ERROR;
}

/* ---- students ---- */

static void student_row(sqlite3_stmt *st, void *out)
{
	struct student_row *s = out;
	memset(s, 0, sizeof *s);
	s->id = sqlite3_column_int64(st, 0);
	COPY(s->pseudonym, 1);
	s->pilot_id = sqlite3_column_int64(st, 2);
	COPY(s->pilot_code, 3);
	COPY(s->pilot_path, 4);
	COPY(s->school_code, 5);
	col_blob(st, 6, s->name.b, sizeof s->name.b, &s->name.n);
	col_blob(st, 7, s->fnr.b, sizeof s->fnr.b, &s->fnr.n);
	size_t hn;
	col_blob(st, 8, s->fnr_hash, sizeof s->fnr_hash, &hn);
	s->has_fnr_hash = hn == 32;
	s->birth_year = sqlite3_column_int(st, 9);
	COPY(s->gender, 10);
	COPY(s->level, 11);
	COPY(s->programme, 12);
	COPY(s->minority, 13);
	COPY(s->created_at, 14);
}

int db_student_insert(db_t *db, struct student_row *s)
{
	sqlite3_stmt *st = rp(db, R_STUDENT_INSERT);
	if (!st)
		return DB_ERROR;
	text(st, 1, s->pseudonym);
	sqlite3_bind_int64(st, 2, s->pilot_id);
	text(st, 3, s->school_code);
	blob(st, 4, s->name.b, s->name.n);
	blob(st, 5, s->fnr.b, s->fnr.n);
	blob(st, 6, s->fnr_hash, s->has_fnr_hash ? 32 : 0);
	sqlite3_bind_int(st, 7, s->birth_year);
	text(st, 8, s->gender);
	text(st, 9, s->level);
	text(st, 10, s->programme);
	text(st, 11, s->minority);
	return insert_id(db, st, &s->id);
}

int db_student_get(db_t *db, const char *pseudonym, struct student_row *out)
{
	sqlite3_stmt *st = rp(db, R_STUDENT_GET);
	if (!st)
		return DB_ERROR;
	text(st, 1, pseudonym);
	return one(st, student_row, out);
}

int db_student_get_id(db_t *db, int64_t id, struct student_row *out)
{
	sqlite3_stmt *st = rp(db, R_STUDENT_GET_ID);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, id);
	return one(st, student_row, out);
}

int db_student_update(db_t *db, const struct student_row *s)
{
	sqlite3_stmt *st = rp(db, R_STUDENT_UPDATE);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, s->id);
	text(st, 2, s->school_code);
	blob(st, 3, s->name.b, s->name.n);
	blob(st, 4, s->fnr.b, s->fnr.n);
	blob(st, 5, s->fnr_hash, s->has_fnr_hash ? 32 : 0);
	sqlite3_bind_int(st, 6, s->birth_year);
	text(st, 7, s->gender);
	text(st, 8, s->level);
	text(st, 9, s->programme);
	text(st, 10, s->minority);
	return changed_one(db, st);
}

int db_student_list(db_t *db, const char *scope_path, db_student_cb cb, void *ctx)
{
	sqlite3_stmt *st = rp(db, R_STUDENT_LIST);
	if (!st)
		return DB_ERROR;
	text(st, 1, scope_path);
	EACH(st, student_row, struct student_row, cb, ctx);
}

int db_student_all(db_t *db, db_student_cb cb, void *ctx)
{
	sqlite3_stmt *st = rp(db, R_STUDENT_ALL);
	if (!st)
		return DB_ERROR;
	EACH(st, student_row, struct student_row, cb, ctx);
}

int db_student_reseal(db_t *db, int64_t id, const struct sealed *name, const struct sealed *fnr,
		      const unsigned char *fnr_hash)
{
	sqlite3_stmt *st = rp(db, R_STUDENT_RESEAL);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, id);
	blob(st, 2, name->b, name->n);
	blob(st, 3, fnr->b, fnr->n);
	blob(st, 4, fnr_hash, fnr_hash ? 32 : 0);
	return changed_one(db, st);
}

static void living_row(sqlite3_stmt *st, void *out)
{
	struct living_row *l = out;
	l->id = sqlite3_column_int64(st, 0);
	COPY(l->code, 1);
	COPY(l->from_date, 2);
}

int db_living_add(db_t *db, int64_t student_id, const char *code, const char *from_date)
{
	sqlite3_stmt *st = rp(db, R_LIVING_ADD);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, student_id);
	text(st, 2, code);
	text(st, 3, from_date);
	return dbi_exec(db, st);
}

int db_living_list(db_t *db, int64_t student_id, db_living_cb cb, void *ctx)
{
	sqlite3_stmt *st = rp(db, R_LIVING_LIST);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, student_id);
	EACH(st, living_row, struct living_row, cb, ctx);
}

/* ---- consent ---- */

static void consent_row(sqlite3_stmt *st, void *out)
{
	struct consent_row *c = out;
	c->id = sqlite3_column_int64(st, 0);
	c->student_id = sqlite3_column_int64(st, 1);
	COPY(c->kind, 2);
	COPY(c->partner, 3);
	COPY(c->given_on, 4);
	COPY(c->given_by, 5);
	COPY(c->withdrawn_on, 6);
}

int db_consent_add(db_t *db, const struct consent_row *c, int64_t *id)
{
	sqlite3_stmt *st = rp(db, R_CONSENT_ADD);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, c->student_id);
	text(st, 2, c->kind);
	text(st, 3, c->partner);
	text(st, 4, c->given_on);
	text(st, 5, c->given_by);
	return insert_id(db, st, id);
}

int db_consent_get(db_t *db, int64_t id, struct consent_row *out)
{
	sqlite3_stmt *st = rp(db, R_CONSENT_GET);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, id);
	return one(st, consent_row, out);
}

int db_consent_withdraw(db_t *db, int64_t id, const char *on)
{
	sqlite3_stmt *st = rp(db, R_CONSENT_WITHDRAW);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, id);
	text(st, 2, on);
	return changed_one(db, st);
}

int db_consent_list(db_t *db, int64_t student_id, db_consent_cb cb, void *ctx)
{
	sqlite3_stmt *st = rp(db, R_CONSENT_LIST);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, student_id);
	EACH(st, consent_row, struct consent_row, cb, ctx);
}

int db_consent_in_force(db_t *db, int64_t student_id, const char *kind, const char *partner,
			const char *on)
{
	sqlite3_stmt *st = rp(db, R_CONSENT_IN_FORCE);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, student_id);
	text(st, 2, kind);
	text(st, 3, partner);
	text(st, 4, on);
	int rc = sqlite3_step(st);
	dbi_done(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : DB_ERROR;
}

/* ---- cases ---- */

static void sak_row(sqlite3_stmt *st, void *out)
{
	struct sak_row *k = out;
	k->id = sqlite3_column_int64(st, 0);
	k->student_id = sqlite3_column_int64(st, 1);
	COPY(k->pseudonym, 2);
	k->pilot_id = sqlite3_column_int64(st, 3);
	COPY(k->pilot_path, 4);
	COPY(k->opened_on, 5);
	COPY(k->referral_source, 6);
	COPY(k->referred_on, 7);
	COPY(k->first_contact_on, 8);
	COPY(k->main_reason, 9);
	k->interagency = sqlite3_column_int(st, 10);
	k->responsibility_group = sqlite3_column_int(st, 11);
	COPY(k->closed_on, 12);
	COPY(k->close_reason, 13);
}

int db_sak_insert(db_t *db, struct sak_row *k)
{
	sqlite3_stmt *st = rp(db, R_SAK_INSERT);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, k->student_id);
	sqlite3_bind_int64(st, 2, k->pilot_id);
	text(st, 3, k->opened_on);
	text(st, 4, k->referral_source);
	text(st, 5, k->referred_on);
	text(st, 6, k->first_contact_on);
	text(st, 7, k->main_reason);
	sqlite3_bind_int(st, 8, k->interagency);
	sqlite3_bind_int(st, 9, k->responsibility_group);
	return insert_id(db, st, &k->id);
}

int db_sak_get(db_t *db, int64_t id, struct sak_row *out)
{
	sqlite3_stmt *st = rp(db, R_SAK_GET);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, id);
	return one(st, sak_row, out);
}

int db_sak_update(db_t *db, const struct sak_row *k)
{
	sqlite3_stmt *st = rp(db, R_SAK_UPDATE);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, k->id);
	text(st, 2, k->referral_source);
	text(st, 3, k->referred_on);
	text(st, 4, k->first_contact_on);
	text(st, 5, k->main_reason);
	sqlite3_bind_int(st, 6, k->interagency);
	sqlite3_bind_int(st, 7, k->responsibility_group);
	text(st, 8, k->closed_on);
	text(st, 9, k->close_reason);
	text(st, 10, k->opened_on);
	return changed_one(db, st);
}

int db_sak_list_student(db_t *db, int64_t student_id, db_sak_cb cb, void *ctx)
{
	sqlite3_stmt *st = rp(db, R_SAK_LIST_STUDENT);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, student_id);
	EACH(st, sak_row, struct sak_row, cb, ctx);
}

int db_sak_all(db_t *db, db_sak_cb cb, void *ctx)
{
	sqlite3_stmt *st = rp(db, R_SAK_ALL);
	if (!st)
		return DB_ERROR;
	EACH(st, sak_row, struct sak_row, cb, ctx);
}

static int set_stmt(const char *list, enum rstmt reason, enum rstmt partner, enum rstmt *out)
{
	if (!strcmp(list, "reason"))
		*out = reason;
	else if (!strcmp(list, "partner"))
		*out = partner;
	else
		return -1;
	return 0;
}

int db_sak_codes_add(db_t *db, const char *list, int64_t sak_id, const char *code)
{
	enum rstmt s;
	if (set_stmt(list, R_REASON_ADD, R_PARTNER_ADD, &s) < 0)
		return DB_INVALID;
	sqlite3_stmt *st = rp(db, s);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, sak_id);
	text(st, 2, code);
	return dbi_exec(db, st);
}

int db_sak_codes_clear(db_t *db, const char *list, int64_t sak_id)
{
	enum rstmt s;
	if (set_stmt(list, R_REASON_CLEAR, R_PARTNER_CLEAR, &s) < 0)
		return DB_INVALID;
	sqlite3_stmt *st = rp(db, s);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, sak_id);
	return dbi_exec(db, st);
}

static int strings(sqlite3_stmt *st, db_str_cb cb, void *ctx)
{
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (cb((const char *)sqlite3_column_text(st, 0), ctx) != 0)
			break;
	dbi_done(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? DB_OK : DB_ERROR;
}

int db_sak_codes(db_t *db, const char *list, int64_t sak_id, db_str_cb cb, void *ctx)
{
	enum rstmt s;
	if (set_stmt(list, R_REASON_LIST, R_PARTNER_LIST, &s) < 0)
		return DB_INVALID;
	sqlite3_stmt *st = rp(db, s);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, sak_id);
	return strings(st, cb, ctx);
}

/* ---- contacts ---- */

static void contact_row(sqlite3_stmt *st, void *out)
{
	struct contact_row *c = out;
	c->id = sqlite3_column_int64(st, 0);
	c->sak_id = sqlite3_column_int64(st, 1);
	COPY(c->on_date, 2);
	COPY(c->kind, 3);
	c->minutes = sqlite3_column_int(st, 4);
	col_blob(st, 5, c->note, sizeof c->note, &c->note_n);
	COPY(c->created_by, 6);
}

int db_contact_insert(db_t *db, struct contact_row *c)
{
	sqlite3_stmt *st = rp(db, R_CONTACT_INSERT);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, c->sak_id);
	text(st, 2, c->on_date);
	text(st, 3, c->kind);
	sqlite3_bind_int(st, 4, c->minutes);
	blob(st, 5, c->note, c->note_n);
	text(st, 6, c->created_by);
	return insert_id(db, st, &c->id);
}

int db_contact_get(db_t *db, int64_t id, struct contact_row *out)
{
	sqlite3_stmt *st = rp(db, R_CONTACT_GET);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, id);
	return one(st, contact_row, out);
}

int db_contact_list(db_t *db, int64_t sak_id, db_contact_cb cb, void *ctx)
{
	sqlite3_stmt *st = rp(db, R_CONTACT_LIST);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, sak_id);
	EACH(st, contact_row, struct contact_row, cb, ctx);
}

int db_contact_followup_add(db_t *db, int64_t contact_id, const char *code)
{
	sqlite3_stmt *st = rp(db, R_FOLLOWUP_ADD);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, contact_id);
	text(st, 2, code);
	return dbi_exec(db, st);
}

int db_contact_followups(db_t *db, int64_t contact_id, db_str_cb cb, void *ctx)
{
	sqlite3_stmt *st = rp(db, R_FOLLOWUP_LIST);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, contact_id);
	return strings(st, cb, ctx);
}

int db_contact_reseal(db_t *db, int64_t id, const unsigned char *note, size_t n)
{
	sqlite3_stmt *st = rp(db, R_CONTACT_RESEAL);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, id);
	blob(st, 2, note, n);
	return changed_one(db, st);
}

int db_contact_all_notes(db_t *db, db_contact_cb cb, void *ctx)
{
	sqlite3_stmt *st = rp(db, R_CONTACT_ALL_NOTES);
	if (!st)
		return DB_ERROR;
	EACH(st, contact_row, struct contact_row, cb, ctx);
}

/* ---- decisions and measures ---- */

static void decision_row(sqlite3_stmt *st, void *out)
{
	struct decision_row *d = out;
	d->id = sqlite3_column_int64(st, 0);
	d->sak_id = sqlite3_column_int64(st, 1);
	COPY(d->code, 2);
	d->granted = sqlite3_column_int(st, 3);
	COPY(d->on_date, 4);
	COPY(d->duration, 5);
}

int db_decision_insert(db_t *db, struct decision_row *d)
{
	sqlite3_stmt *st = rp(db, R_DECISION_INSERT);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, d->sak_id);
	text(st, 2, d->code);
	sqlite3_bind_int(st, 3, d->granted);
	text(st, 4, d->on_date);
	text(st, 5, d->duration);
	return insert_id(db, st, &d->id);
}

int db_decision_get(db_t *db, int64_t id, struct decision_row *out)
{
	sqlite3_stmt *st = rp(db, R_DECISION_GET);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, id);
	return one(st, decision_row, out);
}

int db_decision_list(db_t *db, int64_t sak_id, db_decision_cb cb, void *ctx)
{
	sqlite3_stmt *st = rp(db, R_DECISION_LIST);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, sak_id);
	EACH(st, decision_row, struct decision_row, cb, ctx);
}

static void measure_row(sqlite3_stmt *st, void *out)
{
	struct measure_row *m = out;
	m->id = sqlite3_column_int64(st, 0);
	m->sak_id = sqlite3_column_int64(st, 1);
	COPY(m->side, 2);
	COPY(m->code, 3);
	COPY(m->start_on, 4);
	COPY(m->end_on, 5);
}

int db_measure_insert(db_t *db, struct measure_row *m)
{
	sqlite3_stmt *st = rp(db, R_MEASURE_INSERT);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, m->sak_id);
	text(st, 2, m->side);
	text(st, 3, m->code);
	text(st, 4, m->start_on);
	text(st, 5, m->end_on);
	return insert_id(db, st, &m->id);
}

int db_measure_get(db_t *db, int64_t id, struct measure_row *out)
{
	sqlite3_stmt *st = rp(db, R_MEASURE_GET);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, id);
	return one(st, measure_row, out);
}

int db_measure_list(db_t *db, int64_t sak_id, db_measure_cb cb, void *ctx)
{
	sqlite3_stmt *st = rp(db, R_MEASURE_LIST);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, sak_id);
	EACH(st, measure_row, struct measure_row, cb, ctx);
}

int db_outcome_set(db_t *db, int64_t sak_id, const char *school_year, const char *code)
{
	sqlite3_stmt *st = rp(db, R_OUTCOME_SET);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, sak_id);
	text(st, 2, school_year);
	text(st, 3, code);
	return dbi_exec(db, st);
}

int db_outcome_list(db_t *db, int64_t sak_id, db_pair_cb cb, void *ctx)
{
	sqlite3_stmt *st = rp(db, R_OUTCOME_LIST);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, sak_id);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (cb((const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
		       ctx) != 0)
			break;
	dbi_done(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? DB_OK : DB_ERROR;
}

/* ---- referrals ---- */

static void referral_row(sqlite3_stmt *st, void *out)
{
	struct referral_row *r = out;
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(st, 0);
	r->pilot_id = sqlite3_column_int64(st, 1);
	COPY(r->pilot_path, 2);
	COPY(r->school_code, 3);
	r->referrer_id = sqlite3_column_int64(st, 4);
	COPY(r->referrer, 5);
	col_blob(st, 6, r->name.b, sizeof r->name.b, &r->name.n);
	COPY(r->level, 7);
	COPY(r->reason, 8);
	COPY(r->consent_given_by, 9);
	COPY(r->referred_on, 10);
	COPY(r->status, 11);
	COPY(r->decline_reason, 12);
	r->sak_id = sqlite3_column_int64(st, 13);
	COPY(r->decided_on, 14);
	COPY(r->decided_by, 15);
}

int db_referral_insert(db_t *db, struct referral_row *r)
{
	sqlite3_stmt *st = rp(db, R_REFERRAL_INSERT);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, r->pilot_id);
	text(st, 2, r->school_code);
	sqlite3_bind_int64(st, 3, r->referrer_id);
	blob(st, 4, r->name.b, r->name.n);
	text(st, 5, r->level);
	text(st, 6, r->reason);
	text(st, 7, r->consent_given_by);
	text(st, 8, r->referred_on);
	return insert_id(db, st, &r->id);
}

int db_referral_get(db_t *db, int64_t id, struct referral_row *out)
{
	sqlite3_stmt *st = rp(db, R_REFERRAL_GET);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, id);
	return one(st, referral_row, out);
}

int db_referral_decide(db_t *db, const struct referral_row *r)
{
	sqlite3_stmt *st = rp(db, R_REFERRAL_DECIDE);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, r->id);
	text(st, 2, r->status);
	text(st, 3, r->decline_reason);
	sqlite3_bind_int64(st, 4, r->sak_id);
	text(st, 5, r->decided_on);
	text(st, 6, r->decided_by);
	return changed_one(db, st);
}

int db_referral_reseal(db_t *db, int64_t id, const struct sealed *name)
{
	sqlite3_stmt *st = rp(db, R_REFERRAL_RESEAL);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, id);
	blob(st, 2, name->b, name->n);
	return changed_one(db, st);
}

int db_referral_list_scope(db_t *db, const char *scope_path, db_referral_cb cb, void *ctx)
{
	sqlite3_stmt *st = rp(db, R_REFERRAL_LIST_SCOPE);
	if (!st)
		return DB_ERROR;
	text(st, 1, scope_path);
	EACH(st, referral_row, struct referral_row, cb, ctx);
}

int db_referral_list_referrer(db_t *db, int64_t referrer_id, db_referral_cb cb, void *ctx)
{
	sqlite3_stmt *st = rp(db, R_REFERRAL_LIST_REFERRER);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, referrer_id);
	EACH(st, referral_row, struct referral_row, cb, ctx);
}

int db_referral_all(db_t *db, db_referral_cb cb, void *ctx)
{
	sqlite3_stmt *st = rp(db, R_REFERRAL_ALL);
	if (!st)
		return DB_ERROR;
	EACH(st, referral_row, struct referral_row, cb, ctx);
}

/* ---- caseload and history ---- */

static void caseload_row(sqlite3_stmt *st, void *out)
{
	struct caseload_row *c = out;
	COPY(c->pseudonym, 0);
	col_blob(st, 1, c->name.b, sizeof c->name.b, &c->name.n);
	c->sak_id = sqlite3_column_int64(st, 2);
	COPY(c->opened_on, 3);
	COPY(c->main_reason, 4);
	COPY(c->last_contact, 5);
}

int db_caseload(db_t *db, const char *scope_path, db_caseload_cb cb, void *ctx)
{
	sqlite3_stmt *st = rp(db, R_CASELOAD);
	if (!st)
		return DB_ERROR;
	text(st, 1, scope_path);
	EACH(st, caseload_row, struct caseload_row, cb, ctx);
}

int db_change_add(db_t *db, int64_t student_id, const struct change_row *c)
{
	sqlite3_stmt *st = rp(db, R_CHANGE_ADD);
	if (!st)
		return DB_ERROR;
	text(st, 1, c->username);
	sqlite3_bind_int64(st, 2, student_id);
	sqlite3_bind_int64(st, 3, c->sak_id);
	text(st, 4, c->entity);
	sqlite3_bind_int64(st, 5, c->entity_id);
	text(st, 6, c->field);
	text(st, 7, c->old);
	text(st, 8, c->new_);
	return dbi_exec(db, st);
}

static void change_row(sqlite3_stmt *st, void *out)
{
	struct change_row *c = out;
	COPY(c->at, 0);
	COPY(c->username, 1);
	c->sak_id = sqlite3_column_int64(st, 2);
	COPY(c->entity, 3);
	c->entity_id = sqlite3_column_int64(st, 4);
	COPY(c->field, 5);
	COPY(c->old, 6);
	COPY(c->new_, 7);
}

int db_change_list(db_t *db, int64_t student_id, int limit, db_change_cb cb, void *ctx)
{
	sqlite3_stmt *st = rp(db, R_CHANGE_LIST);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, student_id);
	sqlite3_bind_int(st, 2, limit);
	EACH(st, change_row, struct change_row, cb, ctx);
}

/* ---- break the glass ---- */

int db_glass_open(db_t *db, int64_t account_id, int64_t student_id, int64_t pilot_id, const char *reason,
		  const char *expires_at)
{
	sqlite3_stmt *st = rp(db, R_GLASS_OPEN);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_int64(st, 2, student_id);
	sqlite3_bind_int64(st, 3, pilot_id);
	text(st, 4, reason);
	text(st, 5, expires_at);
	return dbi_exec(db, st);
}

int db_glass_active(db_t *db, int64_t account_id, int64_t student_id, const char *now, char expires_at[21])
{
	sqlite3_stmt *st = rp(db, R_GLASS_ACTIVE);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_int64(st, 2, student_id);
	text(st, 3, now);
	int rc = sqlite3_step(st);
	int r = DB_NOTFOUND;
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
		dbi_copy(expires_at, 21, st, 0);
		r = DB_OK;
	} else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		r = dbi_rc(db, rc);
	}
	dbi_done(st);
	return r;
}

int db_glass_list(db_t *db, const char *scope_path, db_glass_cb cb, void *ctx)
{
	sqlite3_stmt *st = rp(db, R_GLASS_LIST);
	if (!st)
		return DB_ERROR;
	text(st, 1, scope_path);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct glass_row g;
		g.id = sqlite3_column_int64(st, 0);
		dbi_copy(g.username, sizeof g.username, st, 1);
		dbi_copy(g.user_unit, sizeof g.user_unit, st, 2);
		dbi_copy(g.pseudonym, sizeof g.pseudonym, st, 3);
		dbi_copy(g.reason, sizeof g.reason, st, 4);
		dbi_copy(g.at, sizeof g.at, st, 5);
		dbi_copy(g.expires_at, sizeof g.expires_at, st, 6);
		if (cb(&g, ctx) != 0) {
			dbi_done(st);
			return DB_OK;
		}
	}
	int e = dbi_rc(db, rc);
	dbi_done(st);
	return e;
}
