/*
 * Erasure and retention (docs/privacy.md). A student is erased when the registration consent
 * that their record rests on is withdrawn (the counsellor confirms it on the page) or, by
 * `elevlos retention run`, when no registration consent is in force or the retention period
 * after their last case closed has run out. Each erased object gets an "erase" row in the
 * access log, naming only the object; then the WAL is checkpointed so no erased byte is left in
 * it (the connection runs with secure_delete on, so freed pages are zeroed in the file).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/log.h"
#include "../db/privacy.h"
#include "registration.h"

struct objs {
	char (*v)[48];
	size_t n, cap;
};

static int push_obj(const char *o, void *ctx)
{
	struct objs *x = ctx;
	if (x->n == x->cap) {
		size_t cap = x->cap ? 2 * x->cap : 16;
		char(*v)[48] = realloc(x->v, cap * sizeof *v);
		if (!v)
			return 1;
		x->v = v;
		x->cap = cap;
	}
	snprintf(x->v[x->n++], sizeof x->v[0], "%s", o);
	return 0;
}

const char *erase_purpose(const char *why)
{
	return !strcmp(why, ERASE_WHY_CONSENT) ? "consent withdrawn" : "retention period ended";
}

int student_erase(db_t *db, const struct actor *who, int64_t student_id, const char *on, const char *why)
{
	struct objs o = {0};
	int rc = db_privacy_objects(db, student_id, push_obj, &o);
	if (rc == DB_OK && o.n == 0)
		rc = DB_NOTFOUND;
	if (rc == DB_OK)
		rc = db_privacy_erase(db, student_id, on, why);
	for (size_t i = 0; rc == DB_OK && i < o.n; i++)
		if (actor_audit(db, who, "erase", o.v[i], erase_purpose(why)) != 0)
			rc = DB_ERROR;
	free(o.v);
	return rc;
}

int erase_checkpoint(db_t *db)
{
	/* A reader (a page being served) holds the WAL for a moment: wait for it, a while. */
	for (int i = 0; i < 50; i++) {
		if (db_checkpoint(db) == DB_OK)
			return 0;
		struct timespec ts = {0, 100000000L}; /* 100 ms */
		nanosleep(&ts, NULL);
	}
	return -1;
}

int erase_commit(db_t *db)
{
	if (db_commit(db) != DB_OK) {
		db_rollback(db);
		return -1;
	}
	if (erase_checkpoint(db))
		log_event(LOG_WARN, "erase_checkpoint",
			  json_pack("{s:s}", "note", "a reader kept the WAL; the next retention run empties it"));
	return db_begin(db) == DB_OK ? 0 : -1;
}

int retention_cutoff(const char *today, int days, char out[11])
{
	struct tm tm = {0};
	if (strlen(today) != 10 || sscanf(today, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_mday -= days;
	tm.tm_hour = 12;
	time_t t = timegm(&tm);
	if (t == (time_t)-1 || !gmtime_r(&t, &tm))
		return -1;
	return strftime(out, 11, "%Y-%m-%d", &tm) == 10 ? 0 : -1;
}

struct due_list {
	struct due_row *v;
	size_t n, cap;
};

static int push_due(const struct due_row *d, void *ctx)
{
	struct due_list *l = ctx;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		struct due_row *v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return 1;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *d;
	return 0;
}

struct id_list {
	int64_t *v;
	size_t n, cap;
};

static int push_id(int64_t id, void *ctx)
{
	struct id_list *l = ctx;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		int64_t *v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return 1;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = id;
	return 0;
}

int retention_run(db_t *db, const struct actor *who, const char *today, int days, int dry_run,
		  struct retention_summary *out)
{
	memset(out, 0, sizeof *out);
	char cutoff[11];
	if (retention_cutoff(today, days, cutoff))
		return -1;
	struct due_list due = {0};
	struct id_list refs = {0};
	int rc = 0;
	if (db_privacy_due(db, today, cutoff, push_due, &due) != DB_OK ||
	    db_privacy_declined_due(db, cutoff, push_id, &refs) != DB_OK) {
		rc = -1;
		goto end;
	}
	for (size_t i = 0; i < due.n; i++) {
		if (!strcmp(due.v[i].why, ERASE_WHY_CONSENT))
			out->due_consent++;
		else
			out->due_retention++;
	}
	out->due_referrals = (long)refs.n;
	if (dry_run)
		goto end;
	/* One short transaction per student, so the server's writers wait little; each one
	 * tests again whether the student is still due (a counsellor may have acted since, or a
	 * second run may have erased it), which makes a run safe to repeat and to overlap. */
	for (size_t i = 0; i < due.n && rc == 0; i++) {
		if (db_begin(db) != DB_OK) {
			rc = -1;
			break;
		}
		char why[12];
		int d = db_privacy_due_one(db, due.v[i].id, today, cutoff, why);
		if (d == DB_OK)
			d = student_erase(db, who, due.v[i].id, today, why);
		if (d == DB_OK && db_commit(db) == DB_OK) {
			out->erased++;
		} else {
			db_rollback(db);
			if (d != DB_NOTFOUND)
				rc = -1;
		}
	}
	for (size_t i = 0; i < refs.n && rc == 0; i++) {
		if (db_begin(db) != DB_OK) {
			rc = -1;
			break;
		}
		char obj[48];
		snprintf(obj, sizeof obj, "referral:%lld", (long long)refs.v[i]);
		int d = db_privacy_declined_erase(db, refs.v[i], cutoff);
		if (d == DB_OK && actor_audit(db, who, "erase", obj, erase_purpose(ERASE_WHY_RETENTION)) != 0)
			d = DB_ERROR;
		if (d == DB_OK && db_commit(db) == DB_OK) {
			out->referrals_erased++;
		} else {
			db_rollback(db);
			if (d != DB_NOTFOUND)
				rc = -1;
		}
	}
	/* Always, also when nothing was erased now: a checkpoint an earlier erasure could not
	 * finish (a long reader) is finished here. */
	if (erase_checkpoint(db))
		rc = rc ? rc : -2;
end:
	free(due.v);
	free(refs.v);
	return rc;
}
