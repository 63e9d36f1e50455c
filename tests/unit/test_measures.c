/* src/stats/measures.c on small hand-made data with hand-computed answers: cases spanning
 * two school years, a reopened case, a student with two cases, a withdrawn consent; periods
 * of school years; and every pilot at once (a release's way) against one unit at a time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "db/db.h"
#include "db/record.h"
#include "stats/measures.h"

static char path[64];
static db_t *db;

static int64_t student(const char *pseudonym, const char *pilot, const char *programme, const char *level,
		       const char *consent_on, const char *withdrawn_on)
{
	struct unit p;
	assert_int_equal(db_unit_get(db, pilot, &p), DB_OK);
	struct student_row s;
	memset(&s, 0, sizeof s);
	snprintf(s.pseudonym, sizeof s.pseudonym, "%s", pseudonym);
	s.pilot_id = p.id;
	snprintf(s.programme, sizeof s.programme, "%s", programme);
	snprintf(s.level, sizeof s.level, "%s", level);
	assert_int_equal(db_student_insert(db, &s), DB_OK);
	struct consent_row c = {.student_id = s.id};
	snprintf(c.kind, sizeof c.kind, "REGISTRERING");
	snprintf(c.given_on, sizeof c.given_on, "%s", consent_on);
	snprintf(c.given_by, sizeof c.given_by, "FORESATT");
	int64_t cid;
	assert_int_equal(db_consent_add(db, &c, &cid), DB_OK);
	if (withdrawn_on)
		assert_int_equal(db_consent_withdraw(db, cid, withdrawn_on), DB_OK);
	return s.id;
}

static int64_t sak(int64_t student_id, const char *opened, const char *source, const char *referred,
		   const char *first, const char *reason, int interagency, const char *closed)
{
	struct student_row s;
	assert_int_equal(db_student_get_id(db, student_id, &s), DB_OK);
	struct sak_row k;
	memset(&k, 0, sizeof k);
	k.student_id = student_id;
	k.pilot_id = s.pilot_id;
	snprintf(k.opened_on, sizeof k.opened_on, "%s", opened);
	snprintf(k.referral_source, sizeof k.referral_source, "%s", source);
	snprintf(k.referred_on, sizeof k.referred_on, "%s", referred ? referred : "");
	snprintf(k.first_contact_on, sizeof k.first_contact_on, "%s", first ? first : "");
	snprintf(k.main_reason, sizeof k.main_reason, "%s", reason);
	k.interagency = interagency;
	assert_int_equal(db_sak_insert(db, &k), DB_OK);
	if (closed) {
		snprintf(k.closed_on, sizeof k.closed_on, "%s", closed);
		snprintf(k.close_reason, sizeof k.close_reason, "AVSLUTTET");
		assert_int_equal(db_sak_update(db, &k), DB_OK);
	}
	return k.id;
}

static void decision(int64_t sak_id, const char *code, int granted, const char *on, const char *duration)
{
	struct decision_row d;
	memset(&d, 0, sizeof d);
	d.sak_id = sak_id;
	snprintf(d.code, sizeof d.code, "%s", code);
	d.granted = granted;
	snprintf(d.on_date, sizeof d.on_date, "%s", on);
	snprintf(d.duration, sizeof d.duration, "%s", duration ? duration : "");
	assert_int_equal(db_decision_insert(db, &d), DB_OK);
}

static void contact(int64_t sak_id, const char *on, const char *f1, const char *f2)
{
	struct contact_row c;
	memset(&c, 0, sizeof c);
	c.sak_id = sak_id;
	snprintf(c.on_date, sizeof c.on_date, "%s", on);
	snprintf(c.kind, sizeof c.kind, "SAMTALE");
	c.minutes = 30;
	snprintf(c.created_by, sizeof c.created_by, "test");
	assert_int_equal(db_contact_insert(db, &c), DB_OK);
	if (f1)
		assert_int_equal(db_contact_followup_add(db, c.id, f1), DB_OK);
	if (f2)
		assert_int_equal(db_contact_followup_add(db, c.id, f2), DB_OK);
}

static void measure(int64_t sak_id, const char *side, const char *code, const char *start, const char *end)
{
	struct measure_row m;
	memset(&m, 0, sizeof m);
	m.sak_id = sak_id;
	snprintf(m.side, sizeof m.side, "%s", side);
	snprintf(m.code, sizeof m.code, "%s", code);
	snprintf(m.start_on, sizeof m.start_on, "%s", start);
	snprintf(m.end_on, sizeof m.end_on, "%s", end ? end : "");
	assert_int_equal(db_measure_insert(db, &m), DB_OK);
}

/* The data set; the expected figures in the tests below are worked out by hand from it. */
static int setup(void **state)
{
	(void)state;
	char err[256];
	snprintf(path, sizeof path, "/tmp/elevlos-measures-%d.db", (int)getpid());
	unlink(path);
	if (db_open(path, NULL, &db, err, sizeof err) != DB_OK || db_migrate(db, NULL, NULL, err, sizeof err) != DB_OK)
		return -1;
	if (db_unit_add(db, "P-A", "Pilot A", "pilot", "02", 0, 0) != DB_OK ||
	    db_unit_add(db, "P-B", "Pilot B", "pilot", "03", 0, 0) != DB_OK)
		return -1;
	/* A1: one case over two school years, economic assistance in both, both kinds of measure. */
	int64_t a1 = student("E-AAAAA1", "P-A", "YRKESFAG", "VG1", "2016-08-01", NULL);
	assert_int_equal(db_living_add(db, a1, "HOS_FORELDRE", "2016-01-01"), DB_OK);
	int64_t c1 = sak(a1, "2016-09-01", "RADGIVER", "2016-08-25", "2016-09-05", "OKONOMI", 1, "2017-10-15");
	decision(c1, "SOSTJL_18", 1, "2016-10-01", "KORTTID");
	decision(c1, "SOSTJL_19", 1, "2017-09-01", "LANGTID");
	contact(c1, "2016-09-05", "MOTIVASJON", NULL);
	contact(c1, "2017-09-10", "OKONOMISK_RADGIVNING", NULL);
	measure(c1, "nav", "SOMMERJOBB", "2017-06-01", "2017-07-31");
	measure(c1, "school", "TILRETTELAGT", "2016-10-01", NULL);
	assert_int_equal(db_outcome_set(db, c1, "2016/17", "GAR_OM"), DB_OK);
	assert_int_equal(db_outcome_set(db, c1, "2017/18", "FULLFORT"), DB_OK);
	/* A2: two cases; moved out before the decision. */
	int64_t a2 = student("E-AAAAA2", "P-A", "STUDIEFORBEREDENDE", "VG2", "2016-08-01", NULL);
	assert_int_equal(db_living_add(db, a2, "HOS_FORELDRE", "2015-01-01"), DB_OK);
	assert_int_equal(db_living_add(db, a2, "ALENE", "2017-01-01"), DB_OK);
	int64_t c2 = sak(a2, "2016-11-01", "ELEV", NULL, NULL, "BOSITUASJON", 0, "2017-01-31");
	assert_int_equal(db_outcome_set(db, c2, "2016/17", "FORTSETTER"), DB_OK);
	int64_t c3 = sak(a2, "2017-03-01", "RADGIVER", "2017-02-20", "2017-03-30", "OKONOMI", 0, NULL);
	decision(c3, "SOSTJL_18", 1, "2017-03-15", "ENGANG");
	decision(c3, "SOSTJL_17", 1, "2017-03-15", NULL);
	contact(c3, "2017-03-30", "BO_HJEM", "MOTIVASJON");
	/* A3: consent withdrawn: in no figure at all. */
	int64_t a3 = student("E-AAAAA3", "P-A", "YRKESFAG", "VG1", "2016-08-01", "2017-05-01");
	int64_t c4 = sak(a3, "2016-09-10", "ELEV", "2016-09-01", "2016-09-12", "OKONOMI", 1, NULL);
	decision(c4, "SOSTJL_18", 1, "2016-09-20", "LANGTID");
	contact(c4, "2016-09-12", "MOTIVASJON", NULL);
	/* A4: a case closed in 2016 and reopened (closed_on cleared): open from 2015 on. */
	int64_t a4 = student("E-AAAAA4", "P-A", "YRKESFAG", "VG3", "2015-01-01", NULL);
	int64_t c5 = sak(a4, "2015-10-01", "OT", NULL, NULL, "FRAVAER", 0, "2016-06-01");
	struct sak_row k;
	assert_int_equal(db_sak_get(db, c5, &k), DB_OK);
	k.closed_on[0] = k.close_reason[0] = '\0';
	assert_int_equal(db_sak_update(db, &k), DB_OK);
	/* B1: another pilot and county; a refused decision; measures in different years. */
	int64_t b1 = student("E-BBBBB1", "P-B", "YRKESFAG", "VG1", "2016-08-01", NULL);
	int64_t c6 = sak(b1, "2017-01-10", "RADGIVER", "2017-01-03", "2017-01-05", "OKONOMI", 0, "2017-06-30");
	decision(c6, "SOSTJL_18", 0, "2017-01-20", NULL);
	measure(c6, "nav", "ARBEIDSPRAKSIS", "2017-02-01", "2017-03-01");
	measure(c6, "school", "FLEKSIBELT_LOP", "2016-01-01", "2016-06-30");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	db_close(db);
	unlink(path);
	char wal[80];
	snprintf(wal, sizeof wal, "%s-wal", path);
	unlink(wal);
	snprintf(wal, sizeof wal, "%s-shm", path);
	unlink(wal);
	return 0;
}

static long code_n(const struct code_count *c, int n, const char *code)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(c[i].code, code))
			return c[i].n;
	return 0;
}

static void compute(struct measures *m, const char *year, const char *unit, const char *programme)
{
	char err[256];
	assert_int_equal(measures_compute(db, year, unit, programme, NULL, m, err, sizeof err), 0);
}

/* 2016/17 for the nation: every measure. */
static void nation_2016(void **state)
{
	(void)state;
	struct measures m;
	compute(&m, "2016/17", "NO", NULL);
	assert_int_equal(m.s1_students, 4); /* A1 A2 A4 B1; A3 withdrew */
	assert_int_equal(m.s1_cases, 5);    /* c1 c2 c3 c5 (reopened) c6 */
	assert_int_equal(m.s1_new_cases, 4); /* c5 was opened in 2015 */
	assert_int_equal(code_n(m.s2, m.s2_n, "RADGIVER"), 3);
	assert_int_equal(code_n(m.s2, m.s2_n, "ELEV"), 1);
	assert_int_equal(code_n(m.s2, m.s2_n, "OT"), 0);
	assert_int_equal(code_n(m.s3, m.s3_n, "OKONOMI"), 3);
	assert_int_equal(code_n(m.s3, m.s3_n, "BOSITUASJON"), 1);
	assert_int_equal(m.s4_students, 3); /* A1 A2 B1 */
	assert_int_equal(m.s4_granted, 2);  /* B1 was refused */
	assert_int_equal(m.s5_students, 2);
	assert_int_equal(code_n(m.s5, m.s5_n, "KORTTID"), 1); /* A1's LANGTID is 2017/18 */
	assert_int_equal(code_n(m.s5, m.s5_n, "ENGANG"), 1);
	assert_int_equal(code_n(m.s5, m.s5_n, "LANGTID"), 0);
	assert_int_equal(m.s6_known, 2);
	assert_int_equal(m.s6_with_parents, 1); /* A2 lived alone by then */
	assert_int_equal(m.s7_cases, 5);
	assert_int_equal(m.s7_interagency, 1);
	assert_int_equal(m.s8_students, 2);
	assert_int_equal(m.s8_repeats, 1);
	assert_int_equal(m.s9_students, 2);
	assert_int_equal(code_n(m.s9, m.s9_n, "MOTIVASJON"), 2);
	assert_int_equal(code_n(m.s9, m.s9_n, "BO_HJEM"), 1);
	assert_int_equal(code_n(m.s9, m.s9_n, "OKONOMISK_RADGIVNING"), 0);
	assert_int_equal(m.s10_n, 3); /* 11, 38 and 2 days */
	assert_true(m.s10_median == 11.0);
	assert_true(m.s10_p90 == 38.0);
	assert_int_equal(m.s11_students, 1); /* A1; B1's school measure ended in 2016 */
	assert_int_equal(m.s12_granted, 2);
	assert_int_equal(m.s12_students, 4);
}

/* 2017/18: the cases that span into it, none new. */
static void nation_2017(void **state)
{
	(void)state;
	struct measures m;
	compute(&m, "2017/18", "NO", NULL);
	assert_int_equal(m.s1_students, 3); /* A1 (c1 until October), A2 (c3), A4 */
	assert_int_equal(m.s1_cases, 3);
	assert_int_equal(m.s1_new_cases, 0);
	assert_int_equal(m.s5_students, 1);
	assert_int_equal(code_n(m.s5, m.s5_n, "LANGTID"), 1);
	assert_int_equal(m.s8_students, 1);
	assert_int_equal(m.s8_repeats, 0);
	assert_int_equal(m.s9_students, 1);
	assert_int_equal(code_n(m.s9, m.s9_n, "OKONOMISK_RADGIVNING"), 1);
	assert_int_equal(m.s10_n, 0);
	assert_int_equal(m.s11_students, 0); /* the summer job ended 31 July 2017 */
}

/* Units and filters: pilot, county, programme; a year before everything. */
static void units_and_filters(void **state)
{
	(void)state;
	struct measures m;
	compute(&m, "2016/17", "P-A", NULL);
	assert_int_equal(m.s1_students, 3);
	assert_int_equal(m.s1_new_cases, 3);
	compute(&m, "2016/17", "03", NULL);
	assert_int_equal(m.s1_students, 1);
	assert_int_equal(m.s4_granted, 0);
	compute(&m, "2016/17", "NO", "YRKESFAG");
	assert_int_equal(m.s1_students, 3); /* A2 is on general studies */
	compute(&m, "2013/14", "NO", NULL);
	assert_int_equal(m.s1_students, 0);
	char err[128];
	assert_int_equal(measures_compute(db, "2016/18", "NO", NULL, NULL, &m, err, sizeof err), -1);
	assert_int_equal(measures_compute(db, "2016/17", "S-X", NULL, NULL, &m, err, sizeof err), -1);
}

/* Median and p90 by nearest rank. */
static void quantiles(void **state)
{
	(void)state;
	double med, p90;
	const long one[] = {5}, four[] = {1, 2, 3, 4}, ten[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
	measures_quantiles(one, 1, &med, &p90);
	assert_true(med == 5 && p90 == 5);
	measures_quantiles(four, 4, &med, &p90);
	assert_true(med == 2.5 && p90 == 4);
	measures_quantiles(ten, 10, &med, &p90);
	assert_true(med == 5.5 && p90 == 9);
	measures_quantiles(NULL, 0, &med, &p90);
	assert_true(med == 0 && p90 == 0);
}

/* A period of school years: every measure over its dates, a student once. */
static void period_2016_2018(void **state)
{
	(void)state;
	struct measures m;
	compute(&m, "2016/17-2017/18", "NO", NULL);
	assert_string_equal(m.school_year, "2016/17-2017/18");
	assert_int_equal(m.s1_students, 4); /* A1 A2 A4 B1: A1 is in both years (4 + 3), counted once */
	assert_int_equal(m.s1_cases, 5);    /* c1 c2 c3 c5 c6 */
	assert_int_equal(m.s1_new_cases, 4); /* c1 c2 c3 c6; c5 is from 2015 */
	assert_int_equal(code_n(m.s2, m.s2_n, "RADGIVER"), 3);
	assert_int_equal(code_n(m.s3, m.s3_n, "OKONOMI"), 3);
	assert_int_equal(m.s4_students, 3); /* A1 A2 B1 */
	assert_int_equal(m.s4_granted, 2);
	assert_int_equal(m.s5_students, 2); /* A1 once, with two decisions */
	assert_int_equal(code_n(m.s5, m.s5_n, "LANGTID"), 1); /* A1: KORTTID 2016, LANGTID 2017: the longest */
	assert_int_equal(code_n(m.s5, m.s5_n, "KORTTID"), 0);
	assert_int_equal(code_n(m.s5, m.s5_n, "ENGANG"), 1); /* A2 */
	assert_int_equal(m.s6_known, 2);
	assert_int_equal(m.s6_with_parents, 1); /* A1 at home at its first decision (2016-10-01) */
	assert_int_equal(m.s7_cases, 5);
	assert_int_equal(m.s7_interagency, 1);
	assert_int_equal(m.s8_students, 2); /* A1 (GAR_OM 2016/17, FULLFORT 2017/18), A2 (c2) */
	assert_int_equal(m.s8_repeats, 1);  /* A1: GAR_OM in one of its years */
	assert_int_equal(m.s9_students, 2);
	assert_int_equal(code_n(m.s9, m.s9_n, "MOTIVASJON"), 2);
	assert_int_equal(code_n(m.s9, m.s9_n, "OKONOMISK_RADGIVNING"), 1);
	assert_int_equal(m.s10_n, 3); /* 11, 38, 2 */
	assert_true(m.s10_median == 11.0 && m.s10_p90 == 38.0);
	assert_int_equal(m.s11_students, 1);
	assert_int_equal(m.s12_granted, 2);
	assert_int_equal(m.s12_students, 4);
	/* From 2015/16 on, A4's case is new in the period too. */
	compute(&m, "2015/16-2017/18", "NO", NULL);
	assert_int_equal(m.s1_students, 4);
	assert_int_equal(m.s1_new_cases, 5);
	assert_int_equal(code_n(m.s2, m.s2_n, "OT"), 1);
	/* A period of one year is that year. */
	struct measures one;
	compute(&m, "2016/17-2016/17", "NO", NULL);
	compute(&one, "2016/17", "NO", NULL);
	assert_int_equal(m.s1_students, one.s1_students);
	assert_int_equal(m.s5_students, one.s5_students);
	assert_int_equal(code_n(m.s5, m.s5_n, "KORTTID"), 1);
	assert_int_equal(m.s8_students, one.s8_students);
}

static void period_syntax(void **state)
{
	(void)state;
	struct measures_period p;
	assert_int_equal(measures_period_parse("2014/15-2017/18", &p), 1);
	assert_string_equal(p.first, "2014/15");
	assert_string_equal(p.last, "2017/18");
	assert_string_equal(p.start, "2014-08-01");
	assert_string_equal(p.end, "2018-07-31");
	assert_int_equal(measures_period_parse("2017/18", &p), 1);
	assert_string_equal(p.start, "2017-08-01");
	assert_string_equal(p.end, "2018-07-31");
	assert_int_equal(measures_period_parse("1999/00-2000/01", &p), 1);
	assert_string_equal(p.end, "2001-07-31");
	static const char *const bad[] = {"2017/18-2014/15", "2014/15-2017/19", "2014/16-2017/18", "2014/15 - 2017/18",
					  "2014/15-", "-2017/18", "2014/15-2017/18-2018/19", "2014/15/2017/18",
					  "2014-2018", "", "2014/15\xe2\x80\x93" "2017/18" /* an en dash */};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(measures_period_parse(bad[i], &p), 0);
	struct measures m;
	char err[128];
	assert_int_equal(measures_compute(db, "2017/18-2016/17", "NO", NULL, NULL, &m, err, sizeof err), -1);
}

static void same_measures(const struct measures *a, const struct measures *b)
{
	assert_int_equal(a->s1_students, b->s1_students);
	assert_int_equal(a->s1_cases, b->s1_cases);
	assert_int_equal(a->s1_new_cases, b->s1_new_cases);
	assert_int_equal(a->s4_students, b->s4_students);
	assert_int_equal(a->s4_granted, b->s4_granted);
	assert_int_equal(a->s5_students, b->s5_students);
	assert_int_equal(a->s6_known, b->s6_known);
	assert_int_equal(a->s6_with_parents, b->s6_with_parents);
	assert_int_equal(a->s7_cases, b->s7_cases);
	assert_int_equal(a->s7_interagency, b->s7_interagency);
	assert_int_equal(a->s8_students, b->s8_students);
	assert_int_equal(a->s8_repeats, b->s8_repeats);
	assert_int_equal(a->s9_students, b->s9_students);
	assert_int_equal(a->s10_n, b->s10_n);
	assert_true(a->s10_median == b->s10_median);
	assert_true(a->s10_p90 == b->s10_p90);
	assert_int_equal(a->s11_students, b->s11_students);
	assert_int_equal(a->s12_granted, b->s12_granted);
	assert_int_equal(a->s12_students, b->s12_students);
	/* The code lists: every code of either with the same count in both. */
	const struct code_count *lists[4][2] = {{a->s2, b->s2}, {a->s3, b->s3}, {a->s5, b->s5}, {a->s9, b->s9}};
	const int ns[4][2] = {{a->s2_n, b->s2_n}, {a->s3_n, b->s3_n}, {a->s5_n, b->s5_n}, {a->s9_n, b->s9_n}};
	for (int l = 0; l < 4; l++)
		for (int side = 0; side < 2; side++)
			for (int i = 0; i < ns[l][side]; i++) {
				const char *code = lists[l][side][i].code;
				assert_int_equal(code_n(lists[l][0], ns[l][0], code), code_n(lists[l][1], ns[l][1], code));
			}
}

/*
 * A release counts every pilot in one pass and sums pilots up the unit tree; measures_compute
 * counts one unit with its own statements. Both must give the same numbers for every unit,
 * year and period. Runs last: it adds a third pilot under county 02 with a student whose
 * contacts have no follow-up code, cases in two years, and a second student with waits.
 */
static void by_pilot_equals_per_unit(void **state)
{
	(void)state;
	assert_int_equal(db_unit_add(db, "P-C", "Pilot C", "pilot", "02", 0, 0), DB_OK);
	int64_t c1 = student("E-CCCCC1", "P-C", "YRKESFAG", "VG2", "2015-08-01", NULL);
	assert_int_equal(db_living_add(db, c1, "EN_FORELDER", "2014-01-01"), DB_OK);
	int64_t k1 = sak(c1, "2015-09-01", "ELEV", "2015-08-20", "2015-09-15", "OKONOMI", 1, "2016-09-30");
	contact(k1, "2015-10-01", NULL, NULL);
	contact(k1, "2016-09-01", "MOTIVASJON", NULL);
	decision(k1, "SOSTJL_19", 1, "2016-08-15", NULL);
	assert_int_equal(db_outcome_set(db, k1, "2015/16", "GAR_OM"), DB_OK);
	int64_t k2 = sak(c1, "2017-10-01", "OT", "2017-09-01", "2017-10-03", "RUS", 0, NULL);
	contact(k2, "2017-10-03", NULL, NULL);
	measure(k2, "school", "TILRETTELAGT", "2017-10-10", NULL);
	measure(k2, "nav", "LAEREPLASS", "2018-03-01", NULL);
	int64_t c2 = student("E-CCCCC2", "P-C", "STUDIEFORBEREDENDE", "VG1", "2016-08-01", NULL);
	int64_t k3 = sak(c2, "2016-08-10", "RADGIVER", "2016-08-01", "2016-08-20", "ARBEID", 0, "2017-05-01");
	contact(k3, "2016-08-20", "ARBEID_JOBB", "MOTIVASJON");

	static const char *const years[] = {"2013/14", "2015/16", "2016/17", "2017/18", "2018/19",
					    "2015/16-2017/18", "2016/17-2017/18", "2014/15-2018/19"};
	static const char *const units[] = {"NO", "02", "03", "P-A", "P-B", "P-C"};
	for (size_t y = 0; y < sizeof years / sizeof years[0]; y++) {
		struct measures_set set;
		char err[256];
		assert_int_equal(measures_by_pilot(db, years[y], &set, err, sizeof err), 0);
		for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
			struct unit unit;
			assert_int_equal(db_unit_get(db, units[u], &unit), DB_OK);
			struct measures grouped, alone;
			measures_sum(&set, unit.path, &grouped);
			compute(&alone, years[y], units[u], NULL);
			same_measures(&grouped, &alone);
		}
		measures_set_free(&set);
	}
	/* The new pilot's figures by hand, for 2016/17: C1's first case (until September
	 * 2016) with the §19 decision and a contact with MOTIVASJON; C2 new, 19 days' wait. */
	struct measures m;
	compute(&m, "2016/17", "P-C", NULL);
	assert_int_equal(m.s1_students, 2);
	assert_int_equal(m.s1_new_cases, 1);
	assert_int_equal(m.s5_students, 1);
	assert_int_equal(code_n(m.s5, m.s5_n, ""), 1); /* no duration given */
	assert_int_equal(m.s6_with_parents, 1);
	assert_int_equal(m.s9_students, 2);
	assert_int_equal(code_n(m.s9, m.s9_n, "MOTIVASJON"), 2);
	assert_int_equal(code_n(m.s9, m.s9_n, "ARBEID_JOBB"), 1);
	assert_true(m.s10_n == 1 && m.s10_median == 19.0);
	/* 2015/16-2017/18: C1 once with two cases; a contact without a follow-up code counts in S9. */
	compute(&m, "2015/16-2017/18", "P-C", NULL);
	assert_int_equal(m.s1_students, 2);
	assert_int_equal(m.s1_cases, 3);
	assert_int_equal(m.s9_students, 2);
	assert_int_equal(m.s11_students, 1); /* C1: school and NAV measure, both in 2017/18 */
	assert_int_equal(m.s8_students, 1);
	assert_int_equal(m.s8_repeats, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nation_2016),
		cmocka_unit_test(nation_2017),
		cmocka_unit_test(units_and_filters),
		cmocka_unit_test(quantiles),
		cmocka_unit_test(period_2016_2018),
		cmocka_unit_test(period_syntax),
		cmocka_unit_test(by_pilot_equals_per_unit), /* last: adds data */
	};
	return cmocka_run_group_tests_name("measures", tests, setup, teardown);
}
