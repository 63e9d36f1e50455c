/* The SQLite backend: every SQL statement elevlos runs outside migrations is in sql[] below. */
#include "db.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "migrations.h"
#include "sqlite_internal.h"

enum stmt {
	S_BEGIN,
	S_BEGIN_READ,
	S_COMMIT,
	S_ROLLBACK,
	S_UNIT_PARENT,
	S_UNIT_INSERT,
	S_UNIT_GET,
	S_UNIT_LIST,
	S_UNIT_COUNT,
	S_ACCOUNT_INSERT,
	S_ACCOUNT_GET,
	S_ACCOUNT_GET_ID,
	S_ACCOUNT_LIST,
	S_ACCOUNT_DIRECTORATE,
	S_ACCOUNT_DISABLE,
	S_ACCOUNT_PASSWORD,
	S_SESSION_INSERT,
	S_SESSION_GET,
	S_SESSION_TOUCH,
	S_SESSION_DELETE,
	S_SESSION_DELETE_ACCOUNT,
	S_SESSION_PURGE,
	S_TOKEN_INSERT,
	S_TOKEN_LOOKUP,
	S_AUDIT_LAST,
	S_AUDIT_INSERT,
	S_AUDIT_SCAN,
	S_AUDIT_FOR_USER,
	S_AUDIT_FOR_STUDENT,
	S_SETTING_GET,
	S_SETTING_SET,
	S_INTEGRITY,
	S_CHECKPOINT,
	S__MAX
};

#define UNIT_COLS                                                                                  \
	"u.id, u.code, u.name, u.kind, coalesce(p.code, ''), u.path, coalesce(u.valid_from, 0),"   \
	" coalesce(u.valid_to, 0)"
#define ACCOUNT_COLS                                                                               \
	"a.id, a.username, a.role, u.code, u.path, u.name, a.disabled, a.pw_hash, a.created_at,"     \
	" coalesce(a.directorate, '')"

static const char *const sql[S__MAX] = {
	[S_BEGIN] = "BEGIN IMMEDIATE",
	[S_BEGIN_READ] = "BEGIN DEFERRED",
	[S_COMMIT] = "COMMIT",
	[S_ROLLBACK] = "ROLLBACK",
	[S_UNIT_PARENT] = "SELECT id, path, kind FROM unit WHERE code = ?1",
	[S_UNIT_INSERT] = "INSERT INTO unit (code, name, kind, parent_id, path, valid_from, valid_to)"
			  " VALUES (?1, ?2, ?3, ?4, ?5, nullif(?6, 0), nullif(?7, 0))",
	[S_UNIT_GET] = "SELECT " UNIT_COLS " FROM unit u LEFT JOIN unit p ON p.id = u.parent_id"
		       " WHERE u.code = ?1",
	[S_UNIT_LIST] = "SELECT " UNIT_COLS " FROM unit u LEFT JOIN unit p ON p.id = u.parent_id"
			" WHERE substr(u.path, 1, length(?1)) = ?1 ORDER BY u.path",
	[S_UNIT_COUNT] = "SELECT count(*) FROM unit",
	[S_ACCOUNT_INSERT] = "INSERT INTO account (username, role, unit_id, pw_hash)"
			     " SELECT ?1, ?2, id, ?4 FROM unit WHERE code = ?3",
	[S_ACCOUNT_GET] = "SELECT " ACCOUNT_COLS " FROM account a JOIN unit u ON u.id = a.unit_id"
			  " WHERE a.username = ?1",
	[S_ACCOUNT_GET_ID] = "SELECT " ACCOUNT_COLS " FROM account a JOIN unit u ON u.id = a.unit_id"
			     " WHERE a.id = ?1",
	[S_ACCOUNT_LIST] = "SELECT " ACCOUNT_COLS " FROM account a JOIN unit u ON u.id = a.unit_id"
			   " WHERE substr(u.path, 1, length(?1)) = ?1 ORDER BY a.username",
	[S_ACCOUNT_DIRECTORATE] = "UPDATE account SET directorate = nullif(?2, '') WHERE username = ?1",
	[S_ACCOUNT_DISABLE] = "UPDATE account SET disabled = ?2 WHERE id = ?1",
	[S_ACCOUNT_PASSWORD] = "UPDATE account SET pw_hash = ?2,"
			       " pw_changed_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?1",
	[S_SESSION_INSERT] = "INSERT INTO session (token_hash, account_id, csrf, created_at, last_seen)"
			     " VALUES (?1, ?2, ?3, ?4, ?4)",
	[S_SESSION_GET] = "SELECT id, account_id, csrf, created_at, last_seen FROM session"
			  " WHERE token_hash = ?1",
	[S_SESSION_TOUCH] = "UPDATE session SET last_seen = ?2 WHERE id = ?1",
	[S_SESSION_DELETE] = "DELETE FROM session WHERE id = ?1",
	[S_SESSION_DELETE_ACCOUNT] = "DELETE FROM session WHERE account_id = ?1",
	[S_SESSION_PURGE] = "DELETE FROM session WHERE last_seen < ?1 OR created_at < ?2",
	[S_TOKEN_INSERT] = "INSERT INTO api_token (token_hash, account_id, label, created_at)"
			   " VALUES (?1, ?2, ?3, ?4)",
	[S_TOKEN_LOOKUP] = "SELECT account_id FROM api_token WHERE token_hash = ?1 AND revoked = 0",
	[S_AUDIT_LAST] = "SELECT seq, hash FROM access_log ORDER BY seq DESC LIMIT 1",
	[S_AUDIT_INSERT] = "INSERT INTO access_log (seq, at, username, role, unit, action, object,"
			   " purpose, outcome, prev_hash, hash)"
			   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	[S_AUDIT_SCAN] = "SELECT seq, at, username, role, unit, action, object, purpose, outcome,"
			 " prev_hash, hash FROM access_log ORDER BY rowid",
	[S_AUDIT_FOR_USER] = "SELECT seq, at, username, role, unit, action, object, purpose, outcome,"
			     " prev_hash, hash FROM access_log WHERE username = ?1"
			     " ORDER BY seq DESC LIMIT ?2",
	[S_AUDIT_FOR_STUDENT] =
		"WITH objs(o) AS ("
		"  SELECT 'student:' || pseudonym FROM student WHERE id = ?1"
		"  UNION ALL SELECT 'case:' || id FROM sak WHERE student_id = ?1"
		"  UNION ALL SELECT 'contact:' || c.id FROM contact c JOIN sak s ON s.id = c.sak_id WHERE s.student_id = ?1"
		"  UNION ALL SELECT 'decision:' || d.id FROM decision d JOIN sak s ON s.id = d.sak_id WHERE s.student_id = ?1"
		"  UNION ALL SELECT 'measure:' || m.id FROM measure m JOIN sak s ON s.id = m.sak_id WHERE s.student_id = ?1"
		"  UNION ALL SELECT 'referral:' || r.id FROM referral r JOIN sak s ON s.id = r.sak_id WHERE s.student_id = ?1)"
		/* A break-the-glass row names its opening ("glass:N"); the reason stated is kept
		 * there, where erasing the student can overwrite it, and shown here. */
		" SELECT seq, at, username, role, unit, action, object,"
		"  CASE WHEN action = 'break_glass' AND purpose GLOB 'glass:[0-9]*' THEN coalesce("
		"   (SELECT g.reason FROM glass_access g WHERE g.id = CAST(substr(purpose, 7) AS INTEGER)),"
		"   purpose) ELSE purpose END, outcome, prev_hash, hash"
		" FROM access_log a WHERE object IN (SELECT o FROM objs)"
		/* An erased student's objects' ids may be given again: what was logged about an
		 * object before its erasure is not about whoever holds the id now. */
		" AND seq > coalesce((SELECT max(e.seq) FROM access_log e WHERE e.object = a.object"
		"  AND e.action = 'erase'), 0)"
		" UNION SELECT seq, at, username, role, unit, action, object, purpose, outcome, prev_hash, hash"
		" FROM access_log WHERE object = 'students' AND action = 'export'"
		" AND at >= (SELECT created_at FROM student WHERE id = ?1)"
		" ORDER BY seq",
	[S_SETTING_GET] = "SELECT value FROM setting WHERE key = ?1",
	[S_SETTING_SET] = "INSERT INTO setting (key, value) VALUES (?1, ?2)"
			  " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
	[S_INTEGRITY] = "PRAGMA integrity_check",
	[S_CHECKPOINT] = "PRAGMA wal_checkpoint(TRUNCATE)",
};

static int rc_of(db_t *db, int rc);
static void note_full(db_t *db);
static int exec_done(db_t *db, sqlite3_stmt *st);

_Static_assert(S__MAX <= DBI_SLOTS_CORE, "core statements overflow their slots");

struct db {
	sqlite3 *h;
	sqlite3_stmt *st[DBI_SLOTS];
	int in_tx;
};

sqlite3_stmt *dbi_prep(db_t *db, int slot, const char *text)
{
	if (!db->st[slot]) {
		if (sqlite3_prepare_v3(db->h, text, -1, SQLITE_PREPARE_PERSISTENT, &db->st[slot],
				       NULL) != SQLITE_OK)
			return NULL;
	}
	sqlite3_reset(db->st[slot]);
	sqlite3_clear_bindings(db->st[slot]);
	return db->st[slot];
}

sqlite3 *dbi_handle(db_t *db)
{
	return db->h;
}

static sqlite3_stmt *prep(db_t *db, enum stmt s)
{
	return dbi_prep(db, (int)s, sql[s]);
}

static void done(sqlite3_stmt *st)
{
	dbi_done(st);
}

void dbi_done(sqlite3_stmt *st)
{
	if (st)
		sqlite3_reset(st);
}

void dbi_copy(char *dst, size_t dstsz, sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	snprintf(dst, dstsz, "%s", t ? (const char *)t : "");
}

static void copy_col(char *dst, size_t dstsz, sqlite3_stmt *st, int col)
{
	dbi_copy(dst, dstsz, st, col);
}

/* Like copy_col, but says (returns -1) when the stored text was cut: too long for dst or with
 * a NUL inside. The access log must compare what is stored, not a shortened copy of it. */
static int copy_col_exact(char *dst, size_t dstsz, sqlite3_stmt *st, int col)
{
	copy_col(dst, dstsz, st, col);
	size_t stored = (size_t)sqlite3_column_bytes(st, col);
	return stored == strlen(dst) ? 0 : -1;
}

int dbi_rc(db_t *db, int rc)
{
	return rc_of(db, rc);
}

static int rc_of(db_t *db, int rc)
{
	if (rc == SQLITE_DONE || rc == SQLITE_OK)
		return DB_OK;
	int ext = sqlite3_extended_errcode(db->h);
	note_full(db);
	if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
		return DB_CONFLICT;
	if (ext == SQLITE_CONSTRAINT_FOREIGNKEY)
		return DB_INVALID;
	return DB_ERROR;
}

int dbi_exec(db_t *db, sqlite3_stmt *st)
{
	return exec_done(db, st);
}

/* Runs a statement that returns no rows. */
static int exec_done(db_t *db, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	int out = rc_of(db, rc);
	done(st);
	return out;
}

/* Set when a statement of this thread failed for a full disk (db.h). */
static _Thread_local int full_seen;

static void note_full(db_t *db)
{
	if ((sqlite3_extended_errcode(db->h) & 0xff) == SQLITE_FULL)
		full_seen = 1;
}

void db_full_clear(void)
{
	full_seen = 0;
}

int db_full_seen(void)
{
	return full_seen;
}

int db_open(const char *path, const struct db_opts *opts, db_t **out, char *err, size_t errsz)
{
	db_t *db = xcalloc(1, sizeof *db);
	int flags = opts && opts->readonly ? SQLITE_OPEN_READONLY
					   : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	flags |= SQLITE_OPEN_NOMUTEX; /* one connection per thread */
	if (sqlite3_open_v2(path, &db->h, flags, NULL) != SQLITE_OK) {
		snprintf(err, errsz, "cannot open database %s: %s", path,
			 db->h ? sqlite3_errmsg(db->h) : "out of memory");
		db_close(db);
		return DB_ERROR;
	}
	sqlite3_extended_result_codes(db->h, 1);
	sqlite3_busy_timeout(db->h, opts && opts->busy_timeout_ms ? opts->busy_timeout_ms : 5000);
	/* WAL for concurrent readers; FULL so an acknowledged commit survives power loss. */
	static const char *const pragmas[] = {
		"PRAGMA journal_mode = WAL",    "PRAGMA synchronous = FULL",
		"PRAGMA foreign_keys = ON",     "PRAGMA secure_delete = ON",
		"PRAGMA trusted_schema = OFF",
	};
	for (size_t i = 0; i < ARRAY_LEN(pragmas); i++) {
		if (opts && opts->readonly && i == 0)
			continue;
		sqlite3_stmt *st = NULL;
		int rc = sqlite3_prepare_v2(db->h, pragmas[i], -1, &st, NULL);
		if (rc == SQLITE_OK) {
			while ((rc = sqlite3_step(st)) == SQLITE_ROW)
				;
		}
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE) {
			snprintf(err, errsz, "cannot set up database %s: %s", path,
				 sqlite3_errmsg(db->h));
			db_close(db);
			return DB_ERROR;
		}
	}
	*out = db;
	return DB_OK;
}

void db_close(db_t *db)
{
	if (!db)
		return;
	for (int i = 0; i < DBI_SLOTS; i++)
		sqlite3_finalize(db->st[i]);
	sqlite3_close(db->h);
	free(db);
}

const char *db_errmsg(db_t *db)
{
	return db && db->h ? sqlite3_errmsg(db->h) : "no database";
}

static int pragma_int(db_t *db, const char *pragma)
{
	sqlite3_stmt *st = NULL;
	int v = -1;
	if (sqlite3_prepare_v2(db->h, pragma, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

int db_schema_version(db_t *db)
{
	return pragma_int(db, "PRAGMA user_version");
}

int db_migrate(db_t *db, int *from, int *to, char *err, size_t errsz)
{
	if (db_begin(db) != DB_OK) {
		snprintf(err, errsz, "cannot lock database: %s", db_errmsg(db));
		return DB_ERROR;
	}
	int v = db_schema_version(db);
	if (from)
		*from = v;
	if (v < 0) {
		snprintf(err, errsz, "cannot read schema version: %s", db_errmsg(db));
		goto fail;
	}
	if (v > db_migrations_count) {
		snprintf(err, errsz,
			 "database schema version %d is newer than this elevlos understands (%d); "
			 "use a newer elevlos",
			 v, db_migrations_count);
		goto fail;
	}
	for (int i = v; i < db_migrations_count; i++) {
		char *msg = NULL;
		if (sqlite3_exec(db->h, db_migrations[i], NULL, NULL, &msg) != SQLITE_OK) {
			snprintf(err, errsz, "migration %d failed: %s", i + 1, msg ? msg : "?");
			sqlite3_free(msg);
			goto fail;
		}
		char pragma[48];
		snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", i + 1);
		if (sqlite3_exec(db->h, pragma, NULL, NULL, NULL) != SQLITE_OK) {
			snprintf(err, errsz, "cannot record schema version: %s", db_errmsg(db));
			goto fail;
		}
	}
	if (db_commit(db) != DB_OK) {
		snprintf(err, errsz, "cannot commit migration: %s", db_errmsg(db));
		goto fail;
	}
	if (to)
		*to = db_migrations_count;
	return DB_OK;
fail:
	db_rollback(db);
	return DB_ERROR;
}

static int begin_with(db_t *db, enum stmt s)
{
	sqlite3_stmt *st = prep(db, s);
	if (!st)
		return DB_ERROR;
	int rc = exec_done(db, st);
	if (rc == DB_OK)
		db->in_tx = 1;
	return rc;
}

int db_begin(db_t *db)
{
	return begin_with(db, S_BEGIN);
}

int db_begin_read(db_t *db)
{
	return begin_with(db, S_BEGIN_READ);
}

int db_commit(db_t *db)
{
	sqlite3_stmt *st = prep(db, S_COMMIT);
	if (!st)
		return DB_ERROR;
	int rc = exec_done(db, st);
	if (rc == DB_OK)
		db->in_tx = 0;
	return rc;
}

int db_rollback(db_t *db)
{
	if (sqlite3_get_autocommit(db->h)) {
		db->in_tx = 0;
		return DB_OK;
	}
	/* A failed write is rolled back: the failure may have come from a statement whose code
	 * was not mapped through rc_of, and is still the connection's last error. */
	note_full(db);
	sqlite3_stmt *st = prep(db, S_ROLLBACK);
	int rc = st ? exec_done(db, st) : DB_ERROR;
	db->in_tx = 0;
	return rc;
}

int db_in_tx(db_t *db)
{
	return !sqlite3_get_autocommit(db->h);
}

int db_end_of_work(db_t *db, char *what, size_t whatsz)
{
	int n = 0;
	if (whatsz)
		what[0] = '\0';
	for (sqlite3_stmt *st = sqlite3_next_stmt(db->h, NULL); st; st = sqlite3_next_stmt(db->h, st)) {
		if (!sqlite3_stmt_busy(st))
			continue;
		if (!n++ && whatsz)
			snprintf(what, whatsz, "%s", sqlite3_sql(st));
		sqlite3_reset(st);
	}
	if (!sqlite3_get_autocommit(db->h)) {
		if (!n++ && whatsz)
			snprintf(what, whatsz, "an open transaction");
		db_rollback(db);
	}
	return n;
}

int db_tx(db_t *db, int (*fn)(db_t *db, void *ctx), void *ctx)
{
	int rc = db_begin(db);
	if (rc != DB_OK)
		return rc;
	rc = fn(db, ctx);
	if (rc != DB_OK) {
		db_rollback(db);
		return rc;
	}
	rc = db_commit(db);
	if (rc != DB_OK)
		db_rollback(db);
	return rc;
}

/* ---- units ---- */

static void unit_row(sqlite3_stmt *st, struct unit *u)
{
	u->id = sqlite3_column_int64(st, 0);
	copy_col(u->code, sizeof u->code, st, 1);
	copy_col(u->name, sizeof u->name, st, 2);
	copy_col(u->kind, sizeof u->kind, st, 3);
	copy_col(u->parent_code, sizeof u->parent_code, st, 4);
	copy_col(u->path, sizeof u->path, st, 5);
	u->valid_from = sqlite3_column_int(st, 6);
	u->valid_to = sqlite3_column_int(st, 7);
}

int db_unit_add(db_t *db, const char *code, const char *name, const char *kind,
		const char *parent_code, int valid_from, int valid_to)
{
	sqlite3_stmt *st = prep(db, S_UNIT_PARENT);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_text(st, 1, parent_code, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		done(st);
		return rc == SQLITE_DONE ? DB_INVALID : DB_ERROR;
	}
	int64_t parent_id = sqlite3_column_int64(st, 0);
	char path[512];
	int n = snprintf(path, sizeof path, "%s%s/", (const char *)sqlite3_column_text(st, 1), code);
	done(st);
	if (n < 0 || (size_t)n >= sizeof path)
		return DB_INVALID; /* tree too deep */
	st = prep(db, S_UNIT_INSERT);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, kind, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 4, parent_id);
	sqlite3_bind_text(st, 5, path, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 6, valid_from);
	sqlite3_bind_int(st, 7, valid_to);
	return exec_done(db, st);
}

int db_unit_get(db_t *db, const char *code, struct unit *out)
{
	sqlite3_stmt *st = prep(db, S_UNIT_GET);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		unit_row(st, out);
	done(st);
	return rc == SQLITE_ROW ? DB_OK : rc == SQLITE_DONE ? DB_NOTFOUND : DB_ERROR;
}

int db_unit_list(db_t *db, const char *scope_path, db_unit_cb cb, void *ctx)
{
	sqlite3_stmt *st = prep(db, S_UNIT_LIST);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_text(st, 1, scope_path, -1, SQLITE_TRANSIENT);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct unit u;
		unit_row(st, &u);
		if (cb(&u, ctx) != 0) {
			done(st);
			return DB_OK;
		}
	}
	done(st);
	return rc == SQLITE_DONE ? DB_OK : DB_ERROR;
}

int db_unit_count(db_t *db, int64_t *n)
{
	sqlite3_stmt *st = prep(db, S_UNIT_COUNT);
	if (!st)
		return DB_ERROR;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*n = sqlite3_column_int64(st, 0);
	done(st);
	return rc == SQLITE_ROW ? DB_OK : DB_ERROR;
}

/* ---- accounts ---- */

static void account_row(sqlite3_stmt *st, struct account *a)
{
	a->id = sqlite3_column_int64(st, 0);
	copy_col(a->username, sizeof a->username, st, 1);
	copy_col(a->role, sizeof a->role, st, 2);
	copy_col(a->unit_code, sizeof a->unit_code, st, 3);
	copy_col(a->unit_path, sizeof a->unit_path, st, 4);
	copy_col(a->unit_name, sizeof a->unit_name, st, 5);
	a->disabled = sqlite3_column_int(st, 6);
	copy_col(a->pw_hash, sizeof a->pw_hash, st, 7);
	copy_col(a->created_at, sizeof a->created_at, st, 8);
	copy_col(a->directorate, sizeof a->directorate, st, 9);
}

int db_account_add(db_t *db, const char *username, const char *role, const char *unit_code,
		   const char *pw_hash, int64_t *id_out)
{
	sqlite3_stmt *st = prep(db, S_ACCOUNT_INSERT);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_text(st, 1, username, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, role, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, unit_code, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, pw_hash, -1, SQLITE_TRANSIENT);
	int rc = exec_done(db, st);
	if (rc == DB_OK && sqlite3_changes(db->h) == 0)
		return DB_INVALID; /* no such unit */
	if (rc == DB_OK && id_out)
		*id_out = sqlite3_last_insert_rowid(db->h);
	return rc;
}

static int account_one(db_t *db, sqlite3_stmt *st, struct account *out)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		account_row(st, out);
	done(st);
	(void)db;
	return rc == SQLITE_ROW ? DB_OK : rc == SQLITE_DONE ? DB_NOTFOUND : DB_ERROR;
}

int db_account_get(db_t *db, const char *username, struct account *out)
{
	sqlite3_stmt *st = prep(db, S_ACCOUNT_GET);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_text(st, 1, username, -1, SQLITE_TRANSIENT);
	return account_one(db, st, out);
}

int db_account_set_directorate(db_t *db, const char *username, const char *directorate)
{
	sqlite3_stmt *st = prep(db, S_ACCOUNT_DIRECTORATE);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_text(st, 1, username, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, directorate ? directorate : "", -1, SQLITE_TRANSIENT);
	int rc = exec_done(db, st);
	if (rc == DB_OK && sqlite3_changes(db->h) == 0)
		return DB_NOTFOUND;
	return rc;
}

int db_account_get_id(db_t *db, int64_t id, struct account *out)
{
	sqlite3_stmt *st = prep(db, S_ACCOUNT_GET_ID);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, id);
	return account_one(db, st, out);
}

int db_account_list(db_t *db, const char *scope_path, db_account_cb cb, void *ctx)
{
	sqlite3_stmt *st = prep(db, S_ACCOUNT_LIST);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_text(st, 1, scope_path, -1, SQLITE_TRANSIENT);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct account a;
		account_row(st, &a);
		if (cb(&a, ctx) != 0) {
			done(st);
			return DB_OK;
		}
	}
	done(st);
	return rc == SQLITE_DONE ? DB_OK : DB_ERROR;
}

static int update_one(db_t *db, sqlite3_stmt *st)
{
	int rc = exec_done(db, st);
	if (rc == DB_OK && sqlite3_changes(db->h) == 0)
		return DB_NOTFOUND;
	return rc;
}

int db_account_set_disabled(db_t *db, int64_t id, int disabled)
{
	sqlite3_stmt *st = prep(db, S_ACCOUNT_DISABLE);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, disabled ? 1 : 0);
	return update_one(db, st);
}

int db_account_set_password(db_t *db, int64_t id, const char *pw_hash)
{
	sqlite3_stmt *st = prep(db, S_ACCOUNT_PASSWORD);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, pw_hash, -1, SQLITE_TRANSIENT);
	return update_one(db, st);
}

/* ---- sessions and tokens ---- */

int db_session_insert(db_t *db, const unsigned char hash[32], int64_t account_id,
		      const char *csrf, int64_t now)
{
	sqlite3_stmt *st = prep(db, S_SESSION_INSERT);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_blob(st, 1, hash, 32, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, account_id);
	sqlite3_bind_text(st, 3, csrf, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 4, now);
	return exec_done(db, st);
}

int db_session_get(db_t *db, const unsigned char hash[32], struct session *out)
{
	sqlite3_stmt *st = prep(db, S_SESSION_GET);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_blob(st, 1, hash, 32, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(st, 0);
		out->account_id = sqlite3_column_int64(st, 1);
		copy_col(out->csrf, sizeof out->csrf, st, 2);
		out->created_at = sqlite3_column_int64(st, 3);
		out->last_seen = sqlite3_column_int64(st, 4);
	}
	done(st);
	return rc == SQLITE_ROW ? DB_OK : rc == SQLITE_DONE ? DB_NOTFOUND : DB_ERROR;
}

int db_session_touch(db_t *db, int64_t id, int64_t now)
{
	sqlite3_stmt *st = prep(db, S_SESSION_TOUCH);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, now);
	return exec_done(db, st);
}

int db_session_delete(db_t *db, int64_t id)
{
	sqlite3_stmt *st = prep(db, S_SESSION_DELETE);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, id);
	return exec_done(db, st);
}

int db_session_delete_account(db_t *db, int64_t account_id)
{
	sqlite3_stmt *st = prep(db, S_SESSION_DELETE_ACCOUNT);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	return exec_done(db, st);
}

int db_session_purge(db_t *db, int64_t idle_before, int64_t created_before)
{
	sqlite3_stmt *st = prep(db, S_SESSION_PURGE);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, idle_before);
	sqlite3_bind_int64(st, 2, created_before);
	return exec_done(db, st);
}

int db_token_insert(db_t *db, const unsigned char hash[32], int64_t account_id,
		    const char *label, int64_t now)
{
	sqlite3_stmt *st = prep(db, S_TOKEN_INSERT);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_blob(st, 1, hash, 32, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, account_id);
	sqlite3_bind_text(st, 3, label, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 4, now);
	return exec_done(db, st);
}

int db_token_lookup(db_t *db, const unsigned char hash[32], int64_t *account_id)
{
	sqlite3_stmt *st = prep(db, S_TOKEN_LOOKUP);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_blob(st, 1, hash, 32, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*account_id = sqlite3_column_int64(st, 0);
	done(st);
	return rc == SQLITE_ROW ? DB_OK : rc == SQLITE_DONE ? DB_NOTFOUND : DB_ERROR;
}

/* ---- access log ---- */

int db_audit_last(db_t *db, int64_t *seq, char hash[65])
{
	sqlite3_stmt *st = prep(db, S_AUDIT_LAST);
	if (!st)
		return DB_ERROR;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*seq = sqlite3_column_int64(st, 0);
		copy_col(hash, 65, st, 1);
	}
	done(st);
	return rc == SQLITE_ROW ? DB_OK : rc == SQLITE_DONE ? DB_NOTFOUND : DB_ERROR;
}

int db_audit_insert(db_t *db, const struct audit_row *r)
{
	sqlite3_stmt *st = prep(db, S_AUDIT_INSERT);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, r->seq);
	const char *const cols[] = {r->at,      r->username, r->role,    r->unit,     r->action,
				    r->object,  r->purpose,  r->outcome, r->prev_hash, r->hash};
	for (int i = 0; i < 10; i++)
		sqlite3_bind_text(st, i + 2, cols[i], -1, SQLITE_TRANSIENT);
	return exec_done(db, st);
}

static int audit_rows(sqlite3_stmt *st, db_audit_cb cb, void *ctx)
{
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct audit_row r;
		char *const cols[] = {r.at,     r.username, r.role,    r.unit,      r.action,
				      r.object, r.purpose,  r.outcome, r.prev_hash, r.hash};
		const size_t sizes[] = {sizeof r.at,     sizeof r.username, sizeof r.role,
					sizeof r.unit,   sizeof r.action,   sizeof r.object,
					sizeof r.purpose, sizeof r.outcome, sizeof r.prev_hash,
					sizeof r.hash};
		r.seq = sqlite3_column_int64(st, 0);
		r.malformed = sqlite3_column_type(st, 0) != SQLITE_INTEGER;
		for (int i = 0; i < 10; i++)
			if (copy_col_exact(cols[i], sizes[i], st, i + 1) != 0)
				r.malformed = 1;
		if (cb(&r, ctx) != 0) {
			done(st);
			return DB_OK;
		}
	}
	done(st);
	return rc == SQLITE_DONE ? DB_OK : DB_ERROR;
}

int db_audit_scan(db_t *db, db_audit_cb cb, void *ctx)
{
	sqlite3_stmt *st = prep(db, S_AUDIT_SCAN);
	return st ? audit_rows(st, cb, ctx) : DB_ERROR;
}

int db_audit_for_user(db_t *db, const char *username, int limit, db_audit_cb cb, void *ctx)
{
	sqlite3_stmt *st = prep(db, S_AUDIT_FOR_USER);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_text(st, 1, username, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 2, limit);
	return audit_rows(st, cb, ctx);
}

int db_audit_for_student(db_t *db, int64_t student_id, db_audit_cb cb, void *ctx)
{
	sqlite3_stmt *st = prep(db, S_AUDIT_FOR_STUDENT);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, student_id);
	return audit_rows(st, cb, ctx);
}

/* ---- settings ---- */

int db_setting_get(db_t *db, const char *key, char *out, size_t outsz)
{
	sqlite3_stmt *st = prep(db, S_SETTING_GET);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		copy_col(out, outsz, st, 0);
	done(st);
	return rc == SQLITE_ROW ? DB_OK : rc == SQLITE_DONE ? DB_NOTFOUND : DB_ERROR;
}

int db_setting_set(db_t *db, const char *key, const char *value)
{
	sqlite3_stmt *st = prep(db, S_SETTING_SET);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_TRANSIENT);
	return exec_done(db, st);
}

/* ---- maintenance ---- */

int db_backup(db_t *db, const char *out_path, char *err, size_t errsz)
{
	sqlite3 *dst = NULL;
	int rc = sqlite3_open_v2(out_path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errsz, "cannot create %s: %s", out_path,
			 dst ? sqlite3_errmsg(dst) : "out of memory");
		sqlite3_close(dst);
		return DB_ERROR;
	}
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", db->h, "main");
	if (!b) {
		snprintf(err, errsz, "cannot start backup: %s", sqlite3_errmsg(dst));
		sqlite3_close(dst);
		return DB_ERROR;
	}
	/* Copy in steps so a running server's writers are not locked out for long; a write
	 * between steps restarts the copy, so the result is one consistent snapshot. */
	do {
		rc = sqlite3_backup_step(b, 256);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(20);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	int out = DB_OK;
	if (rc != SQLITE_DONE) {
		snprintf(err, errsz, "backup failed: %s", sqlite3_errmsg(dst));
		out = DB_ERROR;
	}
	sqlite3_close(dst);
	return out;
}

int db_integrity_ok(db_t *db)
{
	sqlite3_stmt *st = prep(db, S_INTEGRITY);
	if (!st)
		return 0;
	int ok = sqlite3_step(st) == SQLITE_ROW &&
		 strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0;
	done(st);
	return ok;
}

int db_checkpoint(db_t *db)
{
	sqlite3_stmt *st = prep(db, S_CHECKPOINT);
	if (!st)
		return DB_ERROR;
	int rc = sqlite3_step(st);
	/* The row's first column is 1 when the checkpoint could not finish (a reader). */
	int busy = rc == SQLITE_ROW && sqlite3_column_int(st, 0) != 0;
	done(st);
	return rc == SQLITE_ROW && !busy ? DB_OK : DB_ERROR;
}
