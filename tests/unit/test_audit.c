/*
 * Unit tests for src/audit/audit.c against a real SQLite file: the hash chain must reveal
 * every kind of tampering an attacker with write access to the file can do.
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

#define ROWS 10

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

/* A fresh database in its own temp folder, with ROWS rows written in one transaction. */
static int fx_setup(void **state)
{
	struct fx *x = calloc(1, sizeof *x);
	if (!x)
		return -1;
	snprintf(x->dir, sizeof x->dir, "/tmp/elevlos-audit-XXXXXX");
	if (!mkdtemp(x->dir))
		return -1;
	snprintf(x->path, sizeof x->path, "%s/a.db", x->dir);
	char err[256];
	if (db_open(x->path, NULL, &x->db, err, sizeof err) != DB_OK) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	int from = 0, to = 0;
	if (db_migrate(x->db, &from, &to, err, sizeof err) != DB_OK) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	if (db_begin(x->db) != DB_OK)
		return -1;
	for (int i = 1; i <= ROWS; i++) {
		char object[32];
		snprintf(object, sizeof object, "user:u%d", i);
		struct audit_entry e = {
			.username = "kari",
			.role = "leder",
			.unit = "P-JESSHEIM",
			.action = i % 2 ? "read" : "search",
			.object = object,
			.purpose = "oppfolging",
			.outcome = "ok",
		};
		if (audit_write(x->db, &e) != DB_OK)
			return -1;
	}
	if (db_commit(x->db) != DB_OK)
		return -1;
	*state = x;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *x = *state;
	db_close(x->db);
	static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
	for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		char p[128];
		snprintf(p, sizeof p, "%s%s", x->path, suffix[i]);
		unlink(p);
	}
	rmdir(x->dir);
	free(x);
	return 0;
}

/* Runs SQL on a second, raw connection to the same file (the attacker's). Returns sqlite's rc. */
static int raw_exec(struct fx *x, const char *sql)
{
	sqlite3 *h = NULL;
	assert_int_equal(sqlite3_open(x->path, &h), SQLITE_OK);
	sqlite3_busy_timeout(h, 2000);
	int rc = sqlite3_exec(h, sql, NULL, NULL, NULL);
	sqlite3_close(h);
	return rc;
}

static void raw_exec_ok(struct fx *x, const char *sql)
{
	int rc = raw_exec(x, sql);
	if (rc != SQLITE_OK)
		fail_msg("'%s' failed: %d", sql, rc);
}

static void drop_triggers(struct fx *x)
{
	raw_exec_ok(x, "DROP TRIGGER access_log_no_update; DROP TRIGGER access_log_no_delete;");
}

struct rows {
	int n;
	struct audit_row r[ROWS + 2];
};

static int collect(const struct audit_row *r, void *ctx)
{
	struct rows *rs = ctx;
	if (rs->n < (int)(sizeof rs->r / sizeof rs->r[0]))
		rs->r[rs->n++] = *r;
	return 0;
}

static void read_rows(struct fx *x, struct rows *rs)
{
	memset(rs, 0, sizeof *rs);
	assert_int_equal(db_audit_scan(x->db, collect, rs), DB_OK);
}

static void expect_bad(struct fx *x, const char *head, int64_t bad_seq)
{
	struct audit_verdict v;
	assert_int_equal(audit_verify(x->db, head, &v), DB_OK);
	if (v.ok != 0 || v.bad_seq != bad_seq)
		fail_msg("verdict ok=%d bad_seq=%lld (%s), want ok=0 bad_seq=%lld", v.ok,
			 (long long)v.bad_seq, v.reason, (long long)bad_seq);
	assert_true(v.reason[0] != '\0');
}

/* An untouched log verifies, counts its rows and reports the last row's hash as head. */
static void verify_intact(void **state)
{
	struct fx *x = *state;
	struct audit_verdict v;
	assert_int_equal(audit_verify(x->db, NULL, &v), DB_OK);
	assert_int_equal(v.ok, 1);
	assert_int_equal(v.rows, ROWS);
	int64_t seq = 0;
	char last[65];
	assert_int_equal(db_audit_last(x->db, &seq, last), DB_OK);
	assert_int_equal(seq, ROWS);
	assert_string_equal(v.head, last);
	assert_int_equal(strlen(v.head), 64);
	/* With the head kept elsewhere it verifies too. */
	char head[80];
	snprintf(head, sizeof head, "%d:%s", ROWS, last);
	assert_int_equal(audit_verify(x->db, head, &v), DB_OK);
	assert_int_equal(v.ok, 1);
	/* A head for an earlier row checks that row. */
	struct rows rs;
	read_rows(x, &rs);
	snprintf(head, sizeof head, "5:%s", rs.r[4].hash);
	assert_int_equal(audit_verify(x->db, head, &v), DB_OK);
	assert_int_equal(v.ok, 1);
}

/* Rows are numbered 1..n, start from the genesis hash, link to their predecessor and carry
 * the fields written (NULL fields become "-", a NULL outcome "ok"). */
static void rows_form_a_chain(void **state)
{
	struct fx *x = *state;
	struct audit_entry e = {.username = NULL, .action = "login_failed", .object = "user:x"};
	assert_int_equal(db_begin(x->db), DB_OK);
	assert_int_equal(audit_write(x->db, &e), DB_OK);
	assert_int_equal(db_commit(x->db), DB_OK);
	struct rows rs;
	read_rows(x, &rs);
	assert_int_equal(rs.n, ROWS + 1);
	assert_string_equal(rs.r[0].prev_hash, AUDIT_GENESIS);
	for (int i = 0; i < rs.n; i++) {
		char h[65];
		assert_int_equal(rs.r[i].seq, i + 1);
		audit_hash(&rs.r[i], h);
		assert_string_equal(h, rs.r[i].hash);
		if (i > 0)
			assert_string_equal(rs.r[i].prev_hash, rs.r[i - 1].hash);
		assert_int_equal(strlen(rs.r[i].at), 20);
	}
	assert_string_equal(rs.r[3].object, "user:u4");
	assert_string_equal(rs.r[3].action, "search");
	const struct audit_row *last = &rs.r[ROWS];
	assert_string_equal(last->username, "-");
	assert_string_equal(last->role, "-");
	assert_string_equal(last->purpose, "-");
	assert_string_equal(last->outcome, "ok");
	assert_string_equal(last->action, "login_failed");
}

/* The hash covers every field, and fields are length-prefixed so boundaries cannot shift. */
static void hash_covers_fields(void **state)
{
	struct fx *x = *state;
	struct rows rs;
	read_rows(x, &rs);
	struct audit_row r = rs.r[0];
	char h0[65], h[65];
	audit_hash(&r, h0);
	char *const fields[] = {r.at, r.username, r.role, r.unit, r.action, r.object, r.purpose, r.outcome, r.prev_hash};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		char saved = fields[i][0];
		fields[i][0] = saved == 'Z' ? 'Y' : 'Z';
		audit_hash(&r, h);
		if (strcmp(h, h0) == 0)
			fail_msg("field %zu is not covered by the hash", i);
		fields[i][0] = saved;
	}
	r.seq = 2;
	audit_hash(&r, h);
	assert_string_not_equal(h, h0);
	r.seq = 1;
	/* ("ab","c") and ("a","bc") in adjacent fields hash differently. */
	snprintf(r.role, sizeof r.role, "ab");
	snprintf(r.unit, sizeof r.unit, "c");
	audit_hash(&r, h0);
	snprintf(r.role, sizeof r.role, "a");
	snprintf(r.unit, sizeof r.unit, "bc");
	audit_hash(&r, h);
	assert_string_not_equal(h, h0);
}

/* (a) An edited field is found at that row. */
static void tamper_edit(void **state)
{
	struct fx *x = *state;
	drop_triggers(x);
	raw_exec_ok(x, "UPDATE access_log SET object = 'user:x' WHERE seq = 4");
	expect_bad(x, NULL, 4);
}

/* An edited row given a fresh, correct hash of its own still breaks the link of the next row. */
static void tamper_edit_and_rehash(void **state)
{
	struct fx *x = *state;
	struct rows rs;
	read_rows(x, &rs);
	struct audit_row r = rs.r[3];
	snprintf(r.object, sizeof r.object, "user:x");
	audit_hash(&r, r.hash);
	drop_triggers(x);
	char sql[256];
	snprintf(sql, sizeof sql, "UPDATE access_log SET object = 'user:x', hash = '%s' WHERE seq = 4",
		 r.hash);
	raw_exec_ok(x, sql);
	expect_bad(x, NULL, 5);
}

/* (b) A deleted row is found as a gap at its position. */
static void tamper_delete(void **state)
{
	struct fx *x = *state;
	drop_triggers(x);
	raw_exec_ok(x, "DELETE FROM access_log WHERE seq = 5");
	expect_bad(x, NULL, 5);
}

/* (c) Two rows swapped (all but seq) are found at the first of them. */
static void tamper_reorder(void **state)
{
	struct fx *x = *state;
	drop_triggers(x);
	raw_exec_ok(x,
		    "CREATE TEMP TABLE t AS SELECT * FROM access_log WHERE seq IN (6, 7);"
		    "UPDATE access_log SET (at, username, role, unit, action, object, purpose,"
		    "  outcome, prev_hash, hash) = (SELECT at, username, role, unit, action, object,"
		    "  purpose, outcome, prev_hash, hash FROM t WHERE t.seq = 13 - access_log.seq)"
		    " WHERE seq IN (6, 7);");
	struct rows rs;
	read_rows(x, &rs);
	assert_string_equal(rs.r[5].object, "user:u7"); /* the swap really happened */
	assert_string_equal(rs.r[6].object, "user:u6");
	expect_bad(x, NULL, 6);
}

/* (d) A forged row slipped in with a correct hash of its own breaks the link of the next row. */
static void tamper_insert(void **state)
{
	struct fx *x = *state;
	struct rows rs;
	read_rows(x, &rs);
	drop_triggers(x);
	for (int s = ROWS; s >= 3; s--) {
		char sql[96];
		snprintf(sql, sizeof sql, "UPDATE access_log SET seq = seq + 1 WHERE seq = %d", s);
		raw_exec_ok(x, sql);
	}
	struct audit_row f;
	memset(&f, 0, sizeof f);
	f.seq = 3;
	snprintf(f.at, sizeof f.at, "%s", rs.r[1].at);
	snprintf(f.username, sizeof f.username, "kari");
	snprintf(f.role, sizeof f.role, "leder");
	snprintf(f.unit, sizeof f.unit, "P-JESSHEIM");
	snprintf(f.action, sizeof f.action, "read");
	snprintf(f.object, sizeof f.object, "user:alibi");
	snprintf(f.purpose, sizeof f.purpose, "oppfolging");
	snprintf(f.outcome, sizeof f.outcome, "ok");
	snprintf(f.prev_hash, sizeof f.prev_hash, "%s", rs.r[1].hash);
	audit_hash(&f, f.hash);

	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_open(x->path, &h), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h,
					    "INSERT INTO access_log (seq, at, username, role, unit, action,"
					    " object, purpose, outcome, prev_hash, hash)"
					    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
					    -1, &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_int64(st, 1, f.seq);
	const char *const cols[] = {f.at,     f.username, f.role,      f.unit,  f.action,
				    f.object, f.purpose,  f.outcome, f.prev_hash, f.hash};
	for (int i = 0; i < 10; i++)
		sqlite3_bind_text(st, i + 2, cols[i], -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	sqlite3_close(h);

	read_rows(x, &rs);
	assert_int_equal(rs.n, ROWS + 1);
	assert_string_equal(rs.r[2].object, "user:alibi");
	expect_bad(x, NULL, 4);
}

/* (e) Cutting rows off the end leaves a valid chain: only a head kept elsewhere finds it. */
static void tamper_truncate(void **state)
{
	struct fx *x = *state;
	struct audit_verdict v;
	assert_int_equal(audit_verify(x->db, NULL, &v), DB_OK);
	assert_int_equal(v.ok, 1);
	char head[80];
	snprintf(head, sizeof head, "%d:%s", ROWS, v.head);

	drop_triggers(x);
	raw_exec_ok(x, "DELETE FROM access_log WHERE seq > 8");

	assert_int_equal(audit_verify(x->db, NULL, &v), DB_OK);
	assert_int_equal(v.ok, 1); /* the limit of a bare hash chain */
	assert_int_equal(v.rows, 8);
	assert_string_not_equal(v.head, head + 3);

	assert_int_equal(audit_verify(x->db, head, &v), DB_OK);
	assert_int_equal(v.ok, 0);
	assert_int_equal(v.bad_seq, 9);
}

/*
 * An edit that only appends to a column is an edit too: the stored `at` of row 4 made longer
 * (e.g. "2026-…Z (backdated)") must be found at row 4, not hidden by a fixed-size read.
 */
static void tamper_append_to_full_column(void **state)
{
	struct fx *x = *state;
	drop_triggers(x);
	raw_exec_ok(x, "UPDATE access_log SET at = at || ' (backdated)' WHERE seq = 4");
	expect_bad(x, NULL, 4);
}

/* Likewise text hidden after a NUL byte inside a column must not pass as the original. */
static void tamper_append_after_nul(void **state)
{
	struct fx *x = *state;
	drop_triggers(x);
	raw_exec_ok(x, "UPDATE access_log SET object = object || char(0) || 'user:other' WHERE seq = 4");
	expect_bad(x, NULL, 4);
}

/* A kept head that does not match its row (log rewritten from there on) is found at that row. */
static void tamper_head_mismatch(void **state)
{
	struct fx *x = *state;
	char head[80];
	snprintf(head, sizeof head, "7:%064d", 0);
	expect_bad(x, head, 7);
}

/* (f) With the triggers in place, UPDATE and DELETE on the log fail with a constraint error. */
static void triggers_block_changes(void **state)
{
	struct fx *x = *state;
	assert_int_equal(raw_exec(x, "UPDATE access_log SET object = 'user:x' WHERE seq = 4") & 0xff,
			 SQLITE_CONSTRAINT);
	assert_int_equal(raw_exec(x, "DELETE FROM access_log WHERE seq = 5") & 0xff,
			 SQLITE_CONSTRAINT);
	assert_int_equal(raw_exec(x, "DELETE FROM access_log") & 0xff, SQLITE_CONSTRAINT);
	struct audit_verdict v;
	assert_int_equal(audit_verify(x->db, NULL, &v), DB_OK);
	assert_int_equal(v.ok, 1);
	assert_int_equal(v.rows, ROWS);
}

/* A kept head that is not "SEQ:HASH" is refused with DB_INVALID, not silently ignored. */
static void malformed_head(void **state)
{
	struct fx *x = *state;
	char h64[65];
	memset(h64, 'a', 64);
	h64[64] = '\0';
	char bad[8][96];
	snprintf(bad[0], sizeof bad[0], "garbage");
	snprintf(bad[1], sizeof bad[1], "10");
	snprintf(bad[2], sizeof bad[2], "10:abc");
	snprintf(bad[3], sizeof bad[3], "0:%s", h64);
	snprintf(bad[4], sizeof bad[4], "-1:%s", h64);
	snprintf(bad[5], sizeof bad[5], ":%s", h64);
	snprintf(bad[6], sizeof bad[6], "10:%sa", h64);
	snprintf(bad[7], sizeof bad[7], "10-%s", h64);
	for (int i = 0; i < 8; i++) {
		struct audit_verdict v;
		int rc = audit_verify(x->db, bad[i], &v);
		if (rc != DB_INVALID || v.ok != 0)
			fail_msg("head '%s': rc %d ok %d, want DB_INVALID", bad[i], rc, v.ok);
	}
}

/* An empty log verifies with the genesis hash as head. */
static void empty_log(void **state)
{
	(void)state;
	char dir[] = "/tmp/elevlos-audit-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[96], err[256];
	snprintf(path, sizeof path, "%s/e.db", dir);
	db_t *db = NULL;
	assert_int_equal(db_open(path, NULL, &db, err, sizeof err), DB_OK);
	int from, to;
	assert_int_equal(db_migrate(db, &from, &to, err, sizeof err), DB_OK);
	struct audit_verdict v;
	assert_int_equal(audit_verify(db, NULL, &v), DB_OK);
	assert_int_equal(v.ok, 1);
	assert_int_equal(v.rows, 0);
	assert_string_equal(v.head, AUDIT_GENESIS);
	db_close(db);
	static const char *const suffix[] = {"", "-wal", "-shm"};
	for (int i = 0; i < 3; i++) {
		char p[128];
		snprintf(p, sizeof p, "%s%s", path, suffix[i]);
		unlink(p);
	}
	rmdir(dir);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, fx_setup, fx_teardown)
	const struct CMUnitTest tests[] = {
		T(verify_intact),
		T(rows_form_a_chain),
		T(hash_covers_fields),
		T(tamper_edit),
		T(tamper_edit_and_rehash),
		T(tamper_delete),
		T(tamper_reorder),
		T(tamper_insert),
		T(tamper_truncate),
		T(tamper_append_to_full_column),
		T(tamper_append_after_nul),
		T(tamper_head_mismatch),
		T(triggers_block_changes),
		T(malformed_head),
		cmocka_unit_test(empty_log),
	};
#undef T
	return cmocka_run_group_tests_name("audit", tests, group_setup, NULL);
}
