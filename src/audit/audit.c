#include "audit.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"

static void field(crypto_hash_sha256_state *st, const char *s)
{
	/* Length-prefixed, so ("ab","c") and ("a","bc") hash differently. */
	size_t n = strlen(s);
	unsigned char len[8];
	for (int i = 0; i < 8; i++)
		len[i] = (unsigned char)(n >> (8 * i));
	crypto_hash_sha256_update(st, len, sizeof len);
	crypto_hash_sha256_update(st, (const unsigned char *)s, n);
}

void audit_hash(const struct audit_row *r, char out[65])
{
	crypto_hash_sha256_state st;
	unsigned char h[crypto_hash_sha256_BYTES];
	char seq[24];
	snprintf(seq, sizeof seq, "%lld", (long long)r->seq);
	crypto_hash_sha256_init(&st);
	field(&st, "elevlos-access-log-v1");
	field(&st, r->prev_hash);
	field(&st, seq);
	field(&st, r->at);
	field(&st, r->username);
	field(&st, r->role);
	field(&st, r->unit);
	field(&st, r->action);
	field(&st, r->object);
	field(&st, r->purpose);
	field(&st, r->outcome);
	crypto_hash_sha256_final(&st, h);
	hex_encode(h, sizeof h, out);
}

static void put(char *dst, size_t n, const char *s)
{
	snprintf(dst, n, "%s", s ? s : "-");
}

int audit_write(db_t *db, const struct audit_entry *e)
{
	struct audit_row r;
	memset(&r, 0, sizeof r);
	int64_t last = 0;
	int rc = db_audit_last(db, &last, r.prev_hash);
	if (rc == DB_NOTFOUND) {
		last = 0;
		snprintf(r.prev_hash, sizeof r.prev_hash, "%s", AUDIT_GENESIS);
	} else if (rc != DB_OK) {
		return DB_ERROR;
	}
	r.seq = last + 1;
	iso8601(now_utc(), r.at);
	put(r.username, sizeof r.username, e->username);
	put(r.role, sizeof r.role, e->role);
	put(r.unit, sizeof r.unit, e->unit);
	put(r.action, sizeof r.action, e->action);
	put(r.object, sizeof r.object, e->object);
	put(r.purpose, sizeof r.purpose, e->purpose);
	put(r.outcome, sizeof r.outcome, e->outcome ? e->outcome : "ok");
	audit_hash(&r, r.hash);
	return db_audit_insert(db, &r);
}

struct walk {
	struct audit_verdict *v;
	int64_t expect_seq;
	char prev[65];
	int64_t want_seq;  /* a head kept elsewhere: this row must carry want_hash */
	const char *want_hash;
	int want_seen;
};

static int bad(struct walk *w, int64_t seq, const char *reason)
{
	w->v->ok = 0;
	w->v->bad_seq = seq;
	snprintf(w->v->reason, sizeof w->v->reason, "%s", reason);
	return 1; /* stop the scan */
}

static int check_row(const struct audit_row *r, void *ctx)
{
	struct walk *w = ctx;
	char h[65];
	w->v->rows++;
	if (r->malformed)
		return bad(w, r->seq, "row altered: a field is longer than any elevlos writes or holds a NUL");
	if (r->seq < w->expect_seq)
		return bad(w, r->seq, "row out of order (sequence goes backwards)");
	if (r->seq > w->expect_seq)
		return bad(w, w->expect_seq, "row missing (gap in sequence)");
	if (strcmp(r->prev_hash, w->prev) != 0)
		return bad(w, r->seq, "chain broken: prev_hash does not match the row before");
	audit_hash(r, h);
	if (strcmp(h, r->hash) != 0)
		return bad(w, r->seq, "row altered: its hash does not match its fields");
	if (r->seq == w->want_seq) {
		w->want_seen = 1;
		if (strcmp(h, w->want_hash) != 0)
			return bad(w, r->seq, "row differs from the head kept elsewhere");
	}
	memcpy(w->prev, r->hash, 65);
	w->expect_seq++;
	return 0;
}

int audit_verify(db_t *db, const char *expected_head, struct audit_verdict *v)
{
	memset(v, 0, sizeof *v);
	v->ok = 1;
	struct walk w = {.v = v, .expect_seq = 1, .want_seq = -1};
	snprintf(w.prev, sizeof w.prev, "%s", AUDIT_GENESIS);
	if (expected_head && *expected_head) {
		/* "SEQ:HASH" as printed by `elevlos audit head`. */
		char *end = NULL;
		long long seq = strtoll(expected_head, &end, 10);
		if (!end || *end != ':' || seq < 1 || strlen(end + 1) != 64) {
			v->ok = 0;
			snprintf(v->reason, sizeof v->reason,
				 "the kept head must look like SEQ:HASH (from 'elevlos audit head')");
			return DB_INVALID;
		}
		w.want_seq = seq;
		w.want_hash = end + 1;
	}
	if (db_audit_scan(db, check_row, &w) != DB_OK) {
		v->ok = 0;
		snprintf(v->reason, sizeof v->reason, "cannot read the access log: %s",
			 db_errmsg(db));
		return DB_ERROR;
	}
	snprintf(v->head, sizeof v->head, "%s", w.prev);
	if (v->ok && w.want_seq > 0 && !w.want_seen) {
		/* Rows cut off the end leave no gap in the chain: only a kept head finds it. */
		v->ok = 0;
		v->bad_seq = w.expect_seq;
		snprintf(v->reason, sizeof v->reason,
			 "rows missing at the end: the kept head is at row %lld",
			 (long long)w.want_seq);
	}
	return DB_OK;
}
