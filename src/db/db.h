/*
 * All SQL of elevlos lives behind this interface. The SQLite implementation is db_sqlite.c;
 * a PostgreSQL backend is a second file implementing the same functions. Every statement is
 * prepared once per connection from one table and run with bound parameters.
 */
#ifndef ELEVLOS_DB_H
#define ELEVLOS_DB_H

#include <stddef.h>
#include <stdint.h>

typedef struct db db_t;

enum db_rc {
	DB_OK = 0,
	DB_ERROR = -1,    /* I/O, lock timeout, constraint we did not expect */
	DB_NOTFOUND = -2,
	DB_CONFLICT = -3, /* unique key taken */
	DB_INVALID = -4,  /* a reference (parent, unit) does not exist */
};

struct db_opts {
	int busy_timeout_ms;
	int readonly;
};

#define DB_SCHEMA_VERSION 10

int db_open(const char *path, const struct db_opts *opts, db_t **out, char *err, size_t errsz);
/* A full disk (SQLITE_FULL) is told apart from other failures so that the user reads "the storage
 * is full" rather than "something went wrong": a failed statement or the rollback after it marks
 * it for the calling thread (a request runs on one thread). db_full_clear() before a request,
 * db_full_seen() after it. */
void db_full_clear(void);
int db_full_seen(void);
void db_close(db_t *db);
const char *db_errmsg(db_t *db);

/* Creates or migrates the schema. Refuses (DB_ERROR, message in err) a newer schema. */
int db_migrate(db_t *db, int *from, int *to, char *err, size_t errsz);
int db_schema_version(db_t *db);

int db_begin(db_t *db); /* BEGIN IMMEDIATE: the writer lock is taken up front */
/* A read transaction: one consistent snapshot, no lock on writers (end it with db_commit). */
int db_begin_read(db_t *db);
int db_commit(db_t *db);
int db_rollback(db_t *db);
int db_in_tx(db_t *db);
/* After a unit of work on a long-lived connection (a request on a server thread): a statement
 * left stepping (not reset) keeps its read snapshot open, so every later read on that
 * connection sees the database as it was, and a later write fails as busy. Resets every such
 * statement and rolls back a transaction left open. Returns how many statements were left
 * stepping (plus one for an open transaction), 0 when the connection was clean; the text of
 * the first such statement goes to what (without values: bound parameters are not shown). */
int db_end_of_work(db_t *db, char *what, size_t whatsz);

/* ---- units ---- */
struct unit {
	int64_t id;
	char code[33];
	char name[201];
	char kind[16];
	char parent_code[33]; /* "" for the nation */
	char path[512];       /* "/NO/02/P-X/" – scope checks are prefix tests on this */
	int valid_from;       /* year, 0 when open */
	int valid_to;
};

int db_unit_add(db_t *db, const char *code, const char *name, const char *kind,
		const char *parent_code, int valid_from, int valid_to);
int db_unit_get(db_t *db, const char *code, struct unit *out);
typedef int (*db_unit_cb)(const struct unit *u, void *ctx);
/* Units whose path starts with scope_path ("/" for all), in path order. */
int db_unit_list(db_t *db, const char *scope_path, db_unit_cb cb, void *ctx);
int db_unit_count(db_t *db, int64_t *n);

/* ---- accounts ---- */
struct account {
	int64_t id;
	char username[65];
	char role[16];
	char unit_code[33];
	char unit_path[512];
	char unit_name[201];
	int disabled;
	char pw_hash[160];
	char created_at[21];
	char directorate[8]; /* an analyst's: "avdir", "udir" or "" */
};

int db_account_add(db_t *db, const char *username, const char *role, const char *unit_code,
		   const char *pw_hash, int64_t *id_out);
int db_account_get(db_t *db, const char *username, struct account *out);
/* "avdir", "udir" or NULL/"" for none. DB_NOTFOUND: no such user; DB_ERROR also for any other
 * value (the column's check). */
int db_account_set_directorate(db_t *db, const char *username, const char *directorate);
int db_account_get_id(db_t *db, int64_t id, struct account *out);
typedef int (*db_account_cb)(const struct account *a, void *ctx);
int db_account_list(db_t *db, const char *scope_path, db_account_cb cb, void *ctx);
int db_account_set_disabled(db_t *db, int64_t id, int disabled);
int db_account_set_password(db_t *db, int64_t id, const char *pw_hash);

/* ---- sessions and API tokens (only hashes of the secrets are stored) ---- */
struct session {
	int64_t id;
	int64_t account_id;
	char csrf[64];
	int64_t created_at;
	int64_t last_seen;
};

int db_session_insert(db_t *db, const unsigned char hash[32], int64_t account_id,
		      const char *csrf, int64_t now);
int db_session_get(db_t *db, const unsigned char hash[32], struct session *out);
int db_session_touch(db_t *db, int64_t id, int64_t now);
int db_session_delete(db_t *db, int64_t id);
int db_session_delete_account(db_t *db, int64_t account_id);
int db_session_purge(db_t *db, int64_t idle_before, int64_t created_before);

int db_token_insert(db_t *db, const unsigned char hash[32], int64_t account_id,
		    const char *label, int64_t now);
int db_token_lookup(db_t *db, const unsigned char hash[32], int64_t *account_id);

/* ---- access log (hash chain computed by audit.c) ---- */
struct audit_row {
	int64_t seq;
	char at[21];
	char username[65];
	char role[16];
	char unit[33];
	char action[33];
	char object[129];
	char purpose[201];
	char outcome[17];
	char prev_hash[65];
	char hash[65];
	int malformed; /* a stored field did not fit the sizes above or held a NUL: tampered */
};

int db_audit_last(db_t *db, int64_t *seq, char hash[65]);
int db_audit_insert(db_t *db, const struct audit_row *r);
typedef int (*db_audit_cb)(const struct audit_row *r, void *ctx);
/* Rows in storage order (rowid), which verify compares against seq. */
int db_audit_scan(db_t *db, db_audit_cb cb, void *ctx);
/* Rows about one object, newest first, at most limit. */
int db_audit_for_user(db_t *db, const char *username, int limit, db_audit_cb cb, void *ctx);
/* Every row about one student, oldest first: the student, their cases and what is in them, the
 * referrals that became their cases, and the exports of all students since the student was
 * registered. */
int db_audit_for_student(db_t *db, int64_t student_id, db_audit_cb cb, void *ctx);

/* ---- settings (key/value) ---- */
int db_setting_get(db_t *db, const char *key, char *out, size_t outsz);
int db_setting_set(db_t *db, const char *key, const char *value);

/* ---- maintenance ---- */
int db_backup(db_t *db, const char *out_path, char *err, size_t errsz);
int db_integrity_ok(db_t *db);
/* Copies the WAL into the database file and empties it (after erasing or re-sealing). */
int db_checkpoint(db_t *db);
/* Runs fn(db, ctx) inside BEGIN IMMEDIATE … COMMIT; rolls back when fn fails. */
int db_tx(db_t *db, int (*fn)(db_t *db, void *ctx), void *ctx);

#endif
