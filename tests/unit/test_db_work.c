/*
 * Unit tests for how src/db/db_sqlite.c uses a long-lived connection, the way a server thread
 * does: db_end_of_work leaves it clean after a request (no statement left holding a read
 * snapshot, no transaction left open), and the access report's work grows with the rows about
 * the student, not with their square (it runs inside the request's write transaction, so
 * seconds there made every other writer time out: the soak's failed logins).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit.h"
#include "db/db.h"
#include "db/record.h"
#include "db/sqlite_internal.h"

struct fx {
	char dir[64];
	char path[96];
	db_t *db;
};

static int group_setup(void **state)
{
	(void)state;
	return sodium_init() < 0 ? -1 : 0;
}

static int fx_setup(void **state)
{
	struct fx *x = calloc(1, sizeof *x);
	if (!x)
		return -1;
	snprintf(x->dir, sizeof x->dir, "/tmp/elevlos-work-XXXXXX");
	if (!mkdtemp(x->dir))
		return -1;
	snprintf(x->path, sizeof x->path, "%s/w.db", x->dir);
	char err[256];
	if (db_open(x->path, NULL, &x->db, err, sizeof err) != DB_OK ||
	    db_migrate(x->db, NULL, NULL, err, sizeof err) != DB_OK) {
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
	const char *suffix[] = {"", "-wal", "-shm"};
	for (int i = 0; i < 3; i++) {
		char p[128];
		snprintf(p, sizeof p, "%s%s", x->path, suffix[i]);
		unlink(p);
	}
	rmdir(x->dir);
	free(x);
	return 0;
}

static void clean_connection_is_left_alone(void **state)
{
	struct fx *x = *state;
	char what[64] = "unchanged";
	assert_int_equal(db_end_of_work(x->db, what, sizeof what), 0);
	assert_string_equal(what, "");
	assert_int_equal(db_in_tx(x->db), 0);
}

/* A statement stepped once and not reset holds a read snapshot: rows committed afterwards by
 * another connection stay invisible on this one until it is reset. */
static void statement_left_stepping_is_reset(void **state)
{
	struct fx *x = *state;
	assert_int_equal(db_unit_add(x->db, "P-A", "Pilot A", "pilot", "02", 0, 0), DB_OK);
	sqlite3 *h = dbi_handle(x->db);
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(h, "SELECT code FROM unit", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_true(sqlite3_stmt_busy(st));

	db_t *other = NULL;
	char err[256];
	assert_int_equal(db_open(x->path, NULL, &other, err, sizeof err), DB_OK);
	assert_int_equal(db_unit_add(other, "P-B", "Pilot B", "pilot", "02", 0, 0), DB_OK);
	db_close(other);
	struct unit u;
	assert_int_equal(db_unit_get(x->db, "P-B", &u), DB_NOTFOUND); /* the frozen view */

	char what[64];
	assert_int_equal(db_end_of_work(x->db, what, sizeof what), 1);
	assert_string_equal(what, "SELECT code FROM unit");
	assert_false(sqlite3_stmt_busy(st));
	assert_int_equal(db_unit_get(x->db, "P-B", &u), DB_OK);
	assert_int_equal(db_end_of_work(x->db, what, sizeof what), 0);
	sqlite3_finalize(st);
}

static void open_transaction_is_rolled_back(void **state)
{
	struct fx *x = *state;
	assert_int_equal(db_begin(x->db), DB_OK);
	assert_int_equal(db_unit_add(x->db, "P-C", "Pilot C", "pilot", "02", 0, 0), DB_OK);
	char what[64];
	assert_int_equal(db_end_of_work(x->db, what, sizeof what), 1);
	assert_string_equal(what, "an open transaction");
	assert_int_equal(db_in_tx(x->db), 0);
	struct unit u;
	assert_int_equal(db_unit_get(x->db, "P-C", &u), DB_NOTFOUND);
	/* Another writer is not locked out by what was left. */
	db_t *other = NULL;
	char err[256];
	assert_int_equal(db_open(x->path, NULL, &other, err, sizeof err), DB_OK);
	assert_int_equal(db_unit_add(other, "P-C", "Pilot C", "pilot", "02", 0, 0), DB_OK);
	db_close(other);
}

static int count_row(const struct audit_row *r, void *ctx)
{
	(void)r;
	(*(int *)ctx)++;
	return 0;
}

static sqlite3_stmt *find_stmt(db_t *db, const char *head)
{
	for (sqlite3_stmt *st = sqlite3_next_stmt(dbi_handle(db), NULL); st;
	     st = sqlite3_next_stmt(dbi_handle(db), st))
		if (!strncmp(sqlite3_sql(st), head, strlen(head)))
			return st;
	return NULL;
}

#define READS 2000

/* The soak's shape: one student read READS times (and an erasure of another object, so the
 * "erased since?" lookup has something to find). The report's virtual-machine steps are counted
 * by SQLite itself: a fixed number per row found, where indexing the log by object alone took
 * a walk through all READS rows for each of them (some 10^7 steps here). */
static void access_report_work_is_linear(void **state)
{
	struct fx *x = *state;
	int64_t account_id;
	assert_int_equal(db_unit_add(x->db, "P-A", "Pilot A", "pilot", "02", 0, 0), DB_OK);
	assert_int_equal(db_account_add(x->db, "veil", "veileder", "P-A", "x", &account_id), DB_OK);
	struct unit p;
	assert_int_equal(db_unit_get(x->db, "P-A", &p), DB_OK);
	struct student_row s;
	memset(&s, 0, sizeof s);
	snprintf(s.pseudonym, sizeof s.pseudonym, "E-WORK01");
	s.pilot_id = p.id;
	snprintf(s.gender, sizeof s.gender, "KVINNE");
	assert_int_equal(db_student_insert(x->db, &s), DB_OK);

	assert_int_equal(db_begin(x->db), DB_OK);
	struct audit_entry e = {"veil", "veileder", "P-A", "read", "student:E-WORK01", "oppfolging", "ok"};
	for (int i = 0; i < READS; i++)
		assert_int_equal(audit_write(x->db, &e), DB_OK);
	struct audit_entry gone = {"veil", "veileder", "P-A", "erase", "student:E-GONE01", "retention", "ok"};
	assert_int_equal(audit_write(x->db, &gone), DB_OK);
	assert_int_equal(db_commit(x->db), DB_OK);

	int n = 0;
	assert_int_equal(db_audit_for_student(x->db, s.id, count_row, &n), DB_OK);
	assert_int_equal(n, READS);
	sqlite3_stmt *st = find_stmt(x->db, "WITH objs(o)");
	assert_non_null(st);
	int steps = sqlite3_stmt_status(st, SQLITE_STMTSTATUS_VM_STEP, 0);
	print_message("access report: %d rows, %d VM steps\n", n, steps);
	assert_true(steps < 200 * READS);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, fx_setup, fx_teardown)
	const struct CMUnitTest tests[] = {
		T(clean_connection_is_left_alone),
		T(statement_left_stepping_is_reset),
		T(open_transaction_is_rolled_back),
		T(access_report_work_is_linear),
	};
#undef T
	return cmocka_run_group_tests_name("db_work", tests, group_setup, NULL);
}
