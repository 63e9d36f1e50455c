/*
 * Unit tests for the full-disk signal of src/db/db_sqlite.c (db_full_seen): a write that fails
 * because the database may not grow (SQLITE_FULL, here by PRAGMA max_page_count, as a full disk
 * gives it) is told apart from other failures, so that the server answers 507 "the storage is
 * full" instead of an opaque 500. The real disk-full run is tests/security/diskfull.test.mjs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"
#include "db/sqlite_internal.h"

struct fx {
	char dir[64];
	char path[96];
	db_t *db;
};

static int fx_setup(void **state)
{
	struct fx *x = calloc(1, sizeof *x);
	if (!x)
		return -1;
	snprintf(x->dir, sizeof x->dir, "/tmp/elevlos-full-XXXXXX");
	if (!mkdtemp(x->dir))
		return -1;
	snprintf(x->path, sizeof x->path, "%s/f.db", x->dir);
	char err[256];
	int from = 0, to = 0;
	if (db_open(x->path, NULL, &x->db, err, sizeof err) != DB_OK ||
	    db_migrate(x->db, &from, &to, err, sizeof err) != DB_OK) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	*state = x;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *x = *state;
	db_close(x->db);
	char p[128];
	const char *suffix[] = {"", "-wal", "-shm"};
	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof p, "%s%s", x->path, suffix[i]);
		unlink(p);
	}
	rmdir(x->dir);
	free(x);
	return 0;
}

/* The database may not grow past its current size: the next pages written fail as on a full disk. */
static void cap_size(db_t *db)
{
	sqlite3 *h = dbi_handle(db);
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(h, "PRAGMA page_count", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	long long pages = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lld", pages);
	assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
}

static void test_full_is_seen_and_cleared(void **state)
{
	struct fx *x = *state;
	cap_size(x->db);
	db_full_clear();
	assert_int_equal(db_begin(x->db), DB_OK);
	int rc = DB_OK;
	char name[200];
	memset(name, 'n', sizeof name - 1);
	name[sizeof name - 1] = '\0';
	for (int i = 0; i < 5000 && rc == DB_OK; i++) {
		char code[32];
		snprintf(code, sizeof code, "FULL-%d", i);
		rc = db_unit_add(x->db, code, name, "pilot", "03", 0, 0);
	}
	assert_int_equal(rc, DB_ERROR);
	assert_true(db_full_seen());
	db_rollback(x->db);
	assert_true(db_full_seen());
	/* A new request starts without it; the database still reads. */
	db_full_clear();
	assert_false(db_full_seen());
	struct unit u;
	assert_int_equal(db_unit_get(x->db, "03", &u), DB_OK);
	assert_false(db_full_seen());
}

static void test_other_failures_are_not_full(void **state)
{
	struct fx *x = *state;
	db_full_clear();
	assert_int_equal(db_begin(x->db), DB_OK);
	assert_int_equal(db_unit_add(x->db, "DUP-1", "Dup", "pilot", "03", 0, 0), DB_OK);
	assert_int_equal(db_unit_add(x->db, "DUP-1", "Dup", "pilot", "03", 0, 0), DB_CONFLICT);
	assert_int_equal(db_unit_add(x->db, "ORPHAN", "Orphan", "pilot", "NO-SUCH", 0, 0), DB_INVALID);
	db_rollback(x->db);
	assert_false(db_full_seen());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_full_is_seen_and_cleared, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_other_failures_are_not_full, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
