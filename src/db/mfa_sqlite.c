/* The SQLite statements of the second factor (see mfa.h). */
#include <string.h>

#include "mfa.h"
#include "sqlite_internal.h"

enum mstmt {
	M_GET,
	M_BEGIN,
	M_CONFIRM,
	M_USE_STEP,
	M_DELETE,
	M_RESEAL,
	M_LIST,
	R_DELETE,
	R_INSERT,
	R_USE,
	R_LEFT,
	PD_INSERT,
	PD_GET,
	PD_DELETE,
	PD_PURGE,
	PD_DELETE_ACCOUNT,
	M__MAX
};
_Static_assert(M__MAX <= DBI_SLOTS_MFA, "mfa statements overflow their slots");

static const char *const msql[M__MAX] = {
	[M_GET] = "SELECT account_id, secret, confirmed_at IS NOT NULL, last_step, created_at FROM mfa"
		  " WHERE account_id = ?1",
	[M_BEGIN] = "INSERT INTO mfa (account_id, secret, created_at) VALUES (?1, ?2, ?3)"
		    " ON CONFLICT (account_id) DO UPDATE SET secret = excluded.secret,"
		    " created_at = excluded.created_at, last_step = -1 WHERE mfa.confirmed_at IS NULL",
	[M_CONFIRM] = "UPDATE mfa SET confirmed_at = ?3, last_step = ?2"
		      " WHERE account_id = ?1 AND confirmed_at IS NULL AND last_step < ?2",
	/* The replay guard: one statement, so two requests with the same code cannot both win. */
	[M_USE_STEP] = "UPDATE mfa SET last_step = ?2"
		       " WHERE account_id = ?1 AND confirmed_at IS NOT NULL AND last_step < ?2",
	[M_DELETE] = "DELETE FROM mfa WHERE account_id = ?1",
	[M_RESEAL] = "UPDATE mfa SET secret = ?2 WHERE account_id = ?1",
	[M_LIST] = "SELECT account_id, secret, confirmed_at IS NOT NULL, last_step, created_at FROM mfa"
		   " ORDER BY account_id",
	[R_DELETE] = "DELETE FROM mfa_recovery WHERE account_id = ?1",
	[R_INSERT] = "INSERT INTO mfa_recovery (account_id, code_hash) VALUES (?1, ?2)",
	[R_USE] = "UPDATE mfa_recovery SET used_at = ?3"
		  " WHERE account_id = ?1 AND code_hash = ?2 AND used_at IS NULL",
	[R_LEFT] = "SELECT count(*) FROM mfa_recovery WHERE account_id = ?1 AND used_at IS NULL",
	[PD_INSERT] = "INSERT INTO mfa_pending (token_hash, account_id, csrf, next, created_at)"
		      " VALUES (?1, ?2, ?3, ?4, ?5)",
	[PD_GET] = "SELECT id, account_id, csrf, next, created_at FROM mfa_pending WHERE token_hash = ?1",
	[PD_DELETE] = "DELETE FROM mfa_pending WHERE id = ?1",
	[PD_PURGE] = "DELETE FROM mfa_pending WHERE created_at < ?1",
	[PD_DELETE_ACCOUNT] = "DELETE FROM mfa_pending WHERE account_id = ?1",
};

static sqlite3_stmt *mp(db_t *db, enum mstmt s)
{
	return dbi_prep(db, DBI_SLOTS_CORE + DBI_SLOTS_RECORD + DBI_SLOTS_STATS + DBI_SLOTS_EVAL + DBI_SLOTS_PILOT + (int)s,
			msql[s]);
}

/* An UPDATE that must change exactly one row: DB_NOTFOUND when it changed none. */
static int change_one(db_t *db, sqlite3_stmt *st)
{
	int rc = dbi_exec(db, st);
	if (rc != DB_OK)
		return rc;
	return sqlite3_changes(dbi_handle(db)) == 1 ? DB_OK : DB_NOTFOUND;
}

static void read_row(sqlite3_stmt *st, struct mfa_row *out)
{
	memset(out, 0, sizeof *out);
	out->account_id = sqlite3_column_int64(st, 0);
	int n = sqlite3_column_bytes(st, 1);
	const void *b = sqlite3_column_blob(st, 1);
	if (b && n > 0 && (size_t)n <= sizeof out->secret) {
		memcpy(out->secret, b, (size_t)n);
		out->secret_n = (size_t)n;
	}
	out->confirmed = sqlite3_column_int(st, 2);
	out->last_step = sqlite3_column_int64(st, 3);
	out->created_at = sqlite3_column_int64(st, 4);
}

int db_mfa_get(db_t *db, int64_t account_id, struct mfa_row *out)
{
	sqlite3_stmt *st = mp(db, M_GET);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_row(st, out);
	int e = rc == SQLITE_ROW ? DB_OK : rc == SQLITE_DONE ? DB_NOTFOUND : dbi_rc(db, rc);
	dbi_done(st);
	return e;
}

int db_mfa_begin(db_t *db, int64_t account_id, const unsigned char *sealed, size_t n, int64_t now)
{
	sqlite3_stmt *st = mp(db, M_BEGIN);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_blob(st, 2, sealed, (int)n, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, now);
	int rc = change_one(db, st);
	return rc == DB_NOTFOUND ? DB_CONFLICT : rc;
}

int db_mfa_confirm(db_t *db, int64_t account_id, int64_t step, int64_t now)
{
	sqlite3_stmt *st = mp(db, M_CONFIRM);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_int64(st, 2, step);
	sqlite3_bind_int64(st, 3, now);
	return change_one(db, st);
}

int db_mfa_use_step(db_t *db, int64_t account_id, int64_t step)
{
	sqlite3_stmt *st = mp(db, M_USE_STEP);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_int64(st, 2, step);
	return change_one(db, st);
}

static int by_account(db_t *db, enum mstmt s, int64_t account_id)
{
	sqlite3_stmt *st = mp(db, s);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	return dbi_exec(db, st);
}

int db_mfa_reset(db_t *db, int64_t account_id)
{
	int rc = by_account(db, R_DELETE, account_id);
	if (rc == DB_OK)
		rc = by_account(db, PD_DELETE_ACCOUNT, account_id);
	if (rc == DB_OK)
		rc = by_account(db, M_DELETE, account_id);
	return rc;
}

int db_mfa_reseal(db_t *db, int64_t account_id, const unsigned char *sealed, size_t n)
{
	sqlite3_stmt *st = mp(db, M_RESEAL);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_blob(st, 2, sealed, (int)n, SQLITE_TRANSIENT);
	return change_one(db, st);
}

int db_mfa_list(db_t *db, db_mfa_cb cb, void *ctx)
{
	sqlite3_stmt *st = mp(db, M_LIST);
	if (!st)
		return DB_ERROR;
	int rc;
	struct mfa_row m;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		read_row(st, &m);
		if (cb(&m, ctx) != 0) {
			dbi_done(st);
			return DB_OK;
		}
	}
	int e = dbi_rc(db, rc);
	dbi_done(st);
	return e;
}

int db_mfa_recovery_set(db_t *db, int64_t account_id, const unsigned char (*hashes)[32], int n)
{
	int rc = by_account(db, R_DELETE, account_id);
	for (int i = 0; rc == DB_OK && i < n; i++) {
		sqlite3_stmt *st = mp(db, R_INSERT);
		if (!st)
			return DB_ERROR;
		sqlite3_bind_int64(st, 1, account_id);
		sqlite3_bind_blob(st, 2, hashes[i], 32, SQLITE_TRANSIENT);
		rc = dbi_exec(db, st);
	}
	return rc;
}

int db_mfa_recovery_use(db_t *db, int64_t account_id, const unsigned char hash[32], int64_t now)
{
	sqlite3_stmt *st = mp(db, R_USE);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_blob(st, 2, hash, 32, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, now);
	return change_one(db, st);
}

int db_mfa_recovery_left(db_t *db, int64_t account_id, int64_t *n)
{
	sqlite3_stmt *st = mp(db, R_LEFT);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	int rc = sqlite3_step(st);
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	int e = rc == SQLITE_ROW ? DB_OK : dbi_rc(db, rc);
	dbi_done(st);
	return e;
}

int db_mfa_pending_insert(db_t *db, const unsigned char hash[32], int64_t account_id, const char *csrf,
			  const char *next, int64_t now)
{
	sqlite3_stmt *st = mp(db, PD_INSERT);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_blob(st, 1, hash, 32, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, account_id);
	sqlite3_bind_text(st, 3, csrf, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, next ? next : "", -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 5, now);
	return dbi_exec(db, st);
}

int db_mfa_pending_get(db_t *db, const unsigned char hash[32], struct mfa_pending *out)
{
	sqlite3_stmt *st = mp(db, PD_GET);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_blob(st, 1, hash, 32, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(st, 0);
		out->account_id = sqlite3_column_int64(st, 1);
		dbi_copy(out->csrf, sizeof out->csrf, st, 2);
		dbi_copy(out->next, sizeof out->next, st, 3);
		out->created_at = sqlite3_column_int64(st, 4);
	}
	int e = rc == SQLITE_ROW ? DB_OK : rc == SQLITE_DONE ? DB_NOTFOUND : dbi_rc(db, rc);
	dbi_done(st);
	return e;
}

int db_mfa_pending_delete(db_t *db, int64_t id)
{
	sqlite3_stmt *st = mp(db, PD_DELETE);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, id);
	return dbi_exec(db, st);
}

int db_mfa_pending_purge(db_t *db, int64_t created_before)
{
	sqlite3_stmt *st = mp(db, PD_PURGE);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, created_before);
	return dbi_exec(db, st);
}
