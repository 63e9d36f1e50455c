/*
 * The access log: one row per read, search, export or change of personal data, written in
 * the same transaction as the access. Rows form a hash chain (each row's hash covers its
 * fields and the previous row's hash), so an edit, deletion, reordering or insertion is found
 * by audit_verify(); exporting the head lets an operator keep proof outside the database.
 */
#ifndef ELEVLOS_AUDIT_H
#define ELEVLOS_AUDIT_H

#include "../db/db.h"

#define AUDIT_GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

struct audit_entry {
	const char *username; /* who: the account, or "-" before login */
	const char *role;
	const char *unit;
	const char *action;  /* read, search, export, create, update, login, login_failed, denied … */
	const char *object;  /* "user:kari", "unit:P-JESSHEIM"; never a name or id number */
	const char *purpose; /* why, as stated or implied by the route */
	const char *outcome; /* ok, denied, failed */
};

/* Appends one row. The caller holds a write transaction (db_begin). */
int audit_write(db_t *db, const struct audit_entry *e);

/* Computes a row's hash from its fields and prev_hash. */
void audit_hash(const struct audit_row *r, char out[65]);

struct audit_verdict {
	int ok;
	int64_t rows;
	int64_t bad_seq;  /* the first bad row (its seq, or the position where one is missing) */
	char reason[160];
	char head[65];    /* hash of the last row */
};

int audit_verify(db_t *db, const char *expected_head, struct audit_verdict *v);

#endif
