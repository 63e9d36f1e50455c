/*
 * Shared by the files of the SQLite backend only: the per-connection cache of prepared
 * statements and small helpers. Each backend file owns a range of statement slots.
 */
#ifndef ELEVLOS_SQLITE_INTERNAL_H
#define ELEVLOS_SQLITE_INTERNAL_H

#include <sqlite3.h>
#include <stddef.h>

#include "db.h"

#define DBI_SLOTS_CORE 64  /* db_sqlite.c: 0..63 */
#define DBI_SLOTS_RECORD 64 /* record_sqlite.c: 64..127 */
#define DBI_SLOTS_STATS 32 /* stats_sqlite.c: 128..159 */
#define DBI_SLOTS_EVAL 32  /* eval_sqlite.c: 160..191 */
#define DBI_SLOTS_PILOT 32 /* pilot_sqlite.c: 192..223 */
#define DBI_SLOTS_MFA 16   /* mfa_sqlite.c: 224..239 */
#define DBI_SLOTS_PRIVACY_BASE 240 /* privacy_sqlite.c: 240..271 */
#define DBI_SLOTS_PRIVACY 32
#define DBI_SLOTS 272

/* The statement in slot, prepared on first use, reset and with no bindings. */
sqlite3_stmt *dbi_prep(db_t *db, int slot, const char *text);
void dbi_done(sqlite3_stmt *st);
/* Steps a statement that returns no rows; maps the result to enum db_rc. */
int dbi_exec(db_t *db, sqlite3_stmt *st);
int dbi_rc(db_t *db, int rc);
void dbi_copy(char *dst, size_t dstsz, sqlite3_stmt *st, int col);
sqlite3 *dbi_handle(db_t *db);

#endif
