/* src/registration/erasure.c and src/db/privacy_sqlite.c: which students are due for erasure
 * (hand-made dates around the retention period, a reopened case, two cases, a withdrawn
 * consent), the erasure itself — no marker byte left in the database file, its WAL or its
 * shared-memory file; the other students untouched — and retention_run: a dry run changes
 * nothing, a run erases, a second run finds nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "admin/actor.h"
#include "audit/audit.h"
#include "db/db.h"
#include "db/privacy.h"
#include "db/record.h"
#include "registration/registration.h"

static char path[64];
static db_t *db;
static int64_t account_id;

#define TODAY "2026-06-15"
#define DAYS 730 /* cutoff 2024-06-15 */

static void sealed_of(struct sealed *s, const char *marker)
{
	s->n = strlen(marker);
	memcpy(s->b, marker, s->n);
}

static int64_t student(const char *pseudonym, const char *consent_on, const char *withdrawn_on)
{
	struct unit p;
	assert_int_equal(db_unit_get(db, "P-A", &p), DB_OK);
	struct student_row s;
	memset(&s, 0, sizeof s);
	snprintf(s.pseudonym, sizeof s.pseudonym, "%s", pseudonym);
	s.pilot_id = p.id;
	snprintf(s.school_code, sizeof s.school_code, "S-A");
	snprintf(s.gender, sizeof s.gender, "KVINNE");
	s.birth_year = 2001;
	assert_int_equal(db_student_insert(db, &s), DB_OK);
	struct consent_row c = {.student_id = s.id};
	snprintf(c.kind, sizeof c.kind, "REGISTRERING");
	snprintf(c.given_on, sizeof c.given_on, "%s", consent_on);
	snprintf(c.given_by, sizeof c.given_by, "ELEV");
	int64_t cid;
	assert_int_equal(db_consent_add(db, &c, &cid), DB_OK);
	if (withdrawn_on)
		assert_int_equal(db_consent_withdraw(db, cid, withdrawn_on), DB_OK);
	return s.id;
}

static int64_t sak(int64_t student_id, const char *opened, const char *closed)
{
	struct student_row s;
	assert_int_equal(db_student_get_id(db, student_id, &s), DB_OK);
	struct sak_row k;
	memset(&k, 0, sizeof k);
	k.student_id = student_id;
	k.pilot_id = s.pilot_id;
	snprintf(k.opened_on, sizeof k.opened_on, "%s", opened);
	snprintf(k.referral_source, sizeof k.referral_source, "RADGIVER");
	snprintf(k.main_reason, sizeof k.main_reason, "OKONOMI");
	assert_int_equal(db_sak_insert(db, &k), DB_OK);
	if (closed) {
		snprintf(k.closed_on, sizeof k.closed_on, "%s", closed);
		snprintf(k.close_reason, sizeof k.close_reason, "AVSLUTTET");
		assert_int_equal(db_sak_update(db, &k), DB_OK);
	}
	return k.id;
}

static const char *why_of(int64_t id)
{
	static char why[12];
	char cutoff[11];
	assert_int_equal(retention_cutoff(TODAY, DAYS, cutoff), 0);
	int rc = db_privacy_due_one(db, id, TODAY, cutoff, why);
	assert_true(rc == DB_OK || rc == DB_NOTFOUND);
	return rc == DB_OK ? why : "";
}

static int setup(void **state)
{
	(void)state;
	char err[256];
	snprintf(path, sizeof path, "/tmp/elevlos-erasure-%d.db", (int)getpid());
	unlink(path);
	if (db_open(path, NULL, &db, err, sizeof err) != DB_OK || db_migrate(db, NULL, NULL, err, sizeof err) != DB_OK)
		return -1;
	if (db_unit_add(db, "P-A", "Pilot A", "pilot", "02", 0, 0) != DB_OK ||
	    db_unit_add(db, "S-A", "School A", "school", "P-A", 0, 0) != DB_OK ||
	    db_account_add(db, "veil", "veileder", "P-A", "x", &account_id) != DB_OK)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	db_close(db);
	char f[80];
	unlink(path);
	snprintf(f, sizeof f, "%s-wal", path);
	unlink(f);
	snprintf(f, sizeof f, "%s-shm", path);
	unlink(f);
	return 0;
}

static void cutoff_arithmetic(void **state)
{
	(void)state;
	char out[11];
	assert_int_equal(retention_cutoff("2026-06-15", 730, out), 0);
	assert_string_equal(out, "2024-06-15");
	assert_int_equal(retention_cutoff("2024-03-01", 1, out), 0);
	assert_string_equal(out, "2024-02-29");
	assert_int_equal(retention_cutoff("2026-01-01", 1, out), 0);
	assert_string_equal(out, "2025-12-31");
	assert_int_equal(retention_cutoff("2026-1-1", 1, out), -1);
}

static void due_selection(void **state)
{
	(void)state;
	/* Closed retention_days − 1 days ago: kept one more day. */
	int64_t a = student("E-DUE001", "2020-01-01", NULL);
	sak(a, "2023-01-01", "2024-06-16");
	/* Closed retention_days + 1 days ago: due. */
	int64_t b = student("E-DUE002", "2020-01-01", NULL);
	sak(b, "2023-01-01", "2024-06-14");
	/* Exactly retention_days ago: due. */
	int64_t c = student("E-DUE003", "2020-01-01", NULL);
	sak(c, "2023-01-01", "2024-06-15");
	/* Two cases, the old one long closed, the new one open: kept. */
	int64_t d = student("E-DUE004", "2018-01-01", NULL);
	sak(d, "2018-02-01", "2019-01-01");
	sak(d, "2025-09-01", NULL);
	/* Two cases, both closed, the later one recently: kept; the last close counts. */
	int64_t e = student("E-DUE005", "2018-01-01", NULL);
	sak(e, "2018-02-01", "2019-01-01");
	sak(e, "2025-01-01", "2025-06-01");
	/* A case closed long ago and reopened (closed_on cleared): open, kept. */
	int64_t f = student("E-DUE006", "2018-01-01", NULL);
	int64_t fk = sak(f, "2018-02-01", "2019-01-01");
	struct sak_row k;
	assert_int_equal(db_sak_get(db, fk, &k), DB_OK);
	k.closed_on[0] = k.close_reason[0] = '\0';
	assert_int_equal(db_sak_update(db, &k), DB_OK);
	/* Registration consent withdrawn: due at once, open case or not. */
	int64_t g = student("E-DUE007", "2025-01-01", "2026-06-01");
	sak(g, "2025-02-01", NULL);
	/* Registered today, no case yet: kept (the period counts from registration). */
	int64_t h = student("E-DUE008", "2026-06-01", NULL);
	/* Withdrawn, but a second registration consent (the student's own, at 16) is in force. */
	int64_t i = student("E-DUE009", "2024-01-01", "2025-01-01");
	struct consent_row c2 = {.student_id = i};
	snprintf(c2.kind, sizeof c2.kind, "REGISTRERING");
	snprintf(c2.given_on, sizeof c2.given_on, "2025-01-01");
	snprintf(c2.given_by, sizeof c2.given_by, "ELEV");
	int64_t cid;
	assert_int_equal(db_consent_add(db, &c2, &cid), DB_OK);
	sak(i, "2025-02-01", NULL);

	assert_string_equal(why_of(a), "");
	assert_string_equal(why_of(b), ERASE_WHY_RETENTION);
	assert_string_equal(why_of(c), ERASE_WHY_RETENTION);
	assert_string_equal(why_of(d), "");
	assert_string_equal(why_of(e), "");
	assert_string_equal(why_of(f), "");
	assert_string_equal(why_of(g), ERASE_WHY_CONSENT);
	assert_string_equal(why_of(h), "");
	assert_string_equal(why_of(i), "");

	/* One day later the first is due too. */
	char cutoff[11], why[12];
	assert_int_equal(retention_cutoff("2026-06-16", DAYS, cutoff), 0);
	assert_int_equal(db_privacy_due_one(db, a, "2026-06-16", cutoff, why), DB_OK);
	assert_string_equal(why, ERASE_WHY_RETENTION);

	/* A dry run counts, changes nothing. */
	struct retention_summary sum;
	int64_t seq0 = 0, seq1 = 0;
	char head[65];
	/* The log is empty so far (DB_NOTFOUND): seq 0. */
	assert_true(db_audit_last(db, &seq0, head) != DB_ERROR);
	assert_int_equal(retention_run(db, &actor_cli, TODAY, DAYS, 1, &sum), 0);
	assert_int_equal(sum.due_consent, 1);
	assert_int_equal(sum.due_retention, 2);
	assert_int_equal(sum.erased, 0);
	assert_true(db_audit_last(db, &seq1, head) != DB_ERROR);
	assert_int_equal(seq1, seq0);
	struct student_row s;
	assert_int_equal(db_student_get_id(db, b, &s), DB_OK);
	assert_int_equal(db_student_get_id(db, g, &s), DB_OK);

	/* The run erases exactly those three. */
	assert_int_equal(retention_run(db, &actor_cli, TODAY, DAYS, 0, &sum), 0);
	assert_int_equal(sum.erased, 3);
	int64_t kept[] = {a, d, e, f, h, i}, gone[] = {b, c, g};
	for (size_t n = 0; n < 6; n++)
		assert_int_equal(db_student_get_id(db, kept[n], &s), DB_OK);
	for (size_t n = 0; n < 3; n++)
		assert_int_equal(db_student_get_id(db, gone[n], &s), DB_NOTFOUND);
	int64_t tomb;
	assert_int_equal(db_privacy_erased_count(db, &tomb), DB_OK);
	assert_int_equal(tomb, 3);
	/* Each erasure is in the access log, by object only. */
	assert_int_equal(db_audit_last(db, &seq1, head), DB_OK);
	assert_true(seq1 >= seq0 + 6); /* 3 students + their 3 cases */
	struct audit_verdict v;
	assert_int_equal(audit_verify(db, NULL, &v), 0);
	assert_true(v.ok);

	/* A second run finds nothing. */
	assert_int_equal(retention_run(db, &actor_cli, TODAY, DAYS, 0, &sum), 0);
	assert_int_equal(sum.due_consent + sum.due_retention, 0);
	assert_int_equal(sum.erased, 0);
	int64_t seq2;
	assert_int_equal(db_audit_last(db, &seq2, head), DB_OK);
	assert_int_equal(seq2, seq1);
}

static long count_in(const char *file, const char *marker)
{
	FILE *fp = fopen(file, "rb");
	if (!fp)
		return 0; /* no file: nothing in it */
	fseek(fp, 0, SEEK_END);
	long n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	char *b = malloc((size_t)n + 1);
	assert_non_null(b);
	assert_int_equal(fread(b, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	long hits = 0;
	size_t m = strlen(marker);
	for (const char *p = b; (p = memmem(p, (size_t)(b + n - p), marker, m)) != NULL; p++)
		hits++;
	free(b);
	return hits;
}

static long count_all(const char *marker)
{
	char f[80];
	long n = count_in(path, marker);
	snprintf(f, sizeof f, "%s-wal", path);
	n += count_in(f, marker);
	snprintf(f, sizeof f, "%s-shm", path);
	return n + count_in(f, marker);
}

static int count_sak(const struct sak_row *k, void *ctx)
{
	(void)k;
	++*(int *)ctx;
	return 0;
}

/* Every text field about a student carries a marker; the erased student's are gone from every
 * file, the other student's are all still there. */
static void erase_leaves_no_trace(void **state)
{
	(void)state;
	const char *const who[2] = {"GONE", "KEEP"};
	int64_t ids[2];
	static const char *const fields[] = {"NAME", "FNR", "NOTE", "REFNAME", "REFTEXT", "GLASS", "CHOLD", "CHNEW"};
	for (int w = 0; w < 2; w++) {
		char m[8][64];
		for (int f = 0; f < 8; f++)
			snprintf(m[f], sizeof m[f], "MRK-%s-%s-Zq7", who[w], fields[f]);
		ids[w] = student(w ? "E-KEEP01" : "E-GONE01", "2025-01-01", NULL);
		struct student_row s;
		assert_int_equal(db_student_get_id(db, ids[w], &s), DB_OK);
		sealed_of(&s.name, m[0]);
		sealed_of(&s.fnr, m[1]);
		assert_int_equal(db_student_update(db, &s), DB_OK);
		int64_t k = sak(ids[w], "2025-02-01", NULL);
		struct contact_row c;
		memset(&c, 0, sizeof c);
		c.sak_id = k;
		snprintf(c.on_date, sizeof c.on_date, "2025-02-02");
		snprintf(c.kind, sizeof c.kind, "SAMTALE");
		c.minutes = 30;
		c.note_n = strlen(m[2]);
		memcpy(c.note, m[2], c.note_n);
		snprintf(c.created_by, sizeof c.created_by, "veil");
		assert_int_equal(db_contact_insert(db, &c), DB_OK);
		struct referral_row r;
		memset(&r, 0, sizeof r);
		struct unit p;
		assert_int_equal(db_unit_get(db, "P-A", &p), DB_OK);
		r.pilot_id = p.id;
		snprintf(r.school_code, sizeof r.school_code, "S-A");
		r.referrer_id = account_id;
		sealed_of(&r.name, m[3]);
		snprintf(r.reason, sizeof r.reason, "OKONOMI");
		snprintf(r.consent_given_by, sizeof r.consent_given_by, "ELEV");
		snprintf(r.referred_on, sizeof r.referred_on, "2025-01-20");
		assert_int_equal(db_referral_insert(db, &r), DB_OK);
		snprintf(r.status, sizeof r.status, "AKSEPTERT");
		snprintf(r.decline_reason, sizeof r.decline_reason, "%s", m[4]);
		r.sak_id = k;
		snprintf(r.decided_on, sizeof r.decided_on, "2025-02-01");
		snprintf(r.decided_by, sizeof r.decided_by, "veil");
		assert_int_equal(db_referral_decide(db, &r), DB_OK);
		assert_int_equal(db_glass_open(db, account_id, ids[w], p.id, m[5], "2025-02-01T12:00:00Z"), DB_OK);
		struct change_row ch;
		memset(&ch, 0, sizeof ch);
		snprintf(ch.username, sizeof ch.username, "veil");
		ch.sak_id = k;
		snprintf(ch.entity, sizeof ch.entity, "case");
		ch.entity_id = k;
		snprintf(ch.field, sizeof ch.field, "main_reason");
		snprintf(ch.old, sizeof ch.old, "%s", m[6]);
		snprintf(ch.new_, sizeof ch.new_, "%s", m[7]);
		assert_int_equal(db_change_add(db, ids[w], &ch), DB_OK);
		assert_int_equal(db_living_add(db, ids[w], "HOS_FORELDRE", "2025-01-01"), DB_OK);
	}
	assert_int_equal(db_checkpoint(db), DB_OK);
	char m[64];
	for (int f = 0; f < 8; f++) {
		snprintf(m, sizeof m, "MRK-GONE-%s-Zq7", fields[f]);
		assert_true(count_all(m) > 0); /* the scan finds what is there */
	}

	assert_int_equal(db_begin(db), DB_OK);
	assert_int_equal(student_erase(db, &actor_cli, ids[0], TODAY, ERASE_WHY_CONSENT), DB_OK);
	assert_int_equal(db_commit(db), DB_OK);
	assert_int_equal(erase_checkpoint(db), 0);
	assert_true(db_integrity_ok(db));

	for (int f = 0; f < 8; f++) {
		snprintf(m, sizeof m, "MRK-GONE-%s-Zq7", fields[f]);
		if (count_all(m) != 0)
			fail_msg("%s is still in the files", m);
		snprintf(m, sizeof m, "MRK-KEEP-%s-Zq7", fields[f]);
		if (count_all(m) == 0)
			fail_msg("%s, another student's, is gone", m);
	}
	/* The tombstone: not found as a student; erasing again finds nothing. */
	struct student_row s;
	assert_int_equal(db_student_get(db, "E-GONE01", &s), DB_NOTFOUND);
	assert_int_equal(db_student_get(db, "E-KEEP01", &s), DB_OK);
	assert_int_equal(db_begin(db), DB_OK);
	assert_int_equal(student_erase(db, &actor_cli, ids[0], TODAY, ERASE_WHY_CONSENT), DB_NOTFOUND);
	assert_int_equal(db_rollback(db), DB_OK);
	/* The other student's case, contact and consent are all there. */
	int n = 0;
	assert_int_equal(db_sak_list_student(db, ids[1], count_sak, &n), DB_OK);
	assert_int_equal(n, 1);
	n = 0;
	assert_int_equal(db_sak_list_student(db, ids[0], count_sak, &n), DB_OK);
	assert_int_equal(n, 0);
	assert_int_equal(db_consent_in_force(db, ids[1], "REGISTRERING", "", TODAY), 1);
	assert_int_equal(db_consent_in_force(db, ids[0], "REGISTRERING", "", TODAY), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cutoff_arithmetic),
		cmocka_unit_test(due_selection),
		cmocka_unit_test(erase_leaves_no_trace),
	};
	return cmocka_run_group_tests_name("erasure", tests, setup, teardown);
}
