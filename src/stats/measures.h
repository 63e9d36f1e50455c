/*
 * The trial's measures S1-S12 (DOMAIN.md section 4) for one school year or a period of whole
 * school years and one unit (nation, county or pilot), optionally one programme and one level. These are raw counts for the
 * disclosure control of a statistics release: nothing here is ever shown as it is.
 */
#ifndef ELEVLOS_MEASURES_H
#define ELEVLOS_MEASURES_H

#include <stdint.h>

#include "../db/db.h"

#define MEASURE_CODES 16

struct code_count {
	char code[32];
	long n;
};

struct measures {
	char school_year[16]; /* "2017/18" or a period "2014/15-2017/18" */
	char unit[33];
	long s1_students, s1_cases, s1_new_cases;    /* S1 */
	struct code_count s2[MEASURE_CODES];         /* S2: new cases by referral source */
	int s2_n;
	struct code_count s3[MEASURE_CODES];         /* S3: new cases by main reason */
	int s3_n;
	long s4_students, s4_granted;                /* S4: OKONOMI students; with §18/§19 */
	struct code_count s5[4];                     /* S5: §18/§19 students by longest duration */
	int s5_n;
	long s5_students;
	long s6_known, s6_with_parents;              /* S6 */
	long s7_cases, s7_interagency;               /* S7 */
	long s8_students, s8_repeats;                /* S8 */
	long s9_students;                            /* S9: students with a contact in the year */
	struct code_count s9[MEASURE_CODES];         /*     and per follow-up code */
	int s9_n;
	long s10_n;                                  /* S10: referral → first contact, days */
	double s10_median, s10_p90;
	long s11_students;                           /* S11: NAV and school measure in the year */
	long s12_granted, s12_students;              /* S12: = S5 students of S1 students */
};

/* A school year, or a period of whole school years from the first to the last. */
struct measures_period {
	char text[16];           /* "2017/18" or "2014/15-2017/18" */
	char first[8], last[8];  /* the first and last school year ("2017/18" twice for one) */
	char start[11], end[11]; /* 1 August of the first, 31 July of the last */
};
/* 1 when text is "YYYY/YY" or "YYYY/YY-YYYY/YY" with the first year not after the last. */
int measures_period_parse(const char *text, struct measures_period *p);

/* school_year "2017/18" or a period "2014/15-2017/18" (every measure counted over its dates,
 * a student once); unit_code a county, pilot or "NO". 0, or -1 with err. */
int measures_compute(db_t *db, const char *school_year, const char *unit_code, const char *programme,
		     const char *level, struct measures *out, char *err, size_t errsz);

/*
 * Every pilot's measures at once (what a release needs): computed with one pass per measure
 * over the whole database, then summed for any unit with measures_sum. The same numbers as
 * measures_compute for every unit (tests/unit/test_measures.c compares them).
 */
struct measures_wait {
	long days, n; /* n cases waited this many days */
};
struct measures_pilot {
	int64_t unit_id;
	char path[512];
	struct measures m;          /* S10: s10_n only; the waits are below */
	struct measures_wait *waits;
	long nwaits, capwaits;
};
struct measures_set {
	struct measures_pilot *p; /* sorted by unit_id */
	int n;
	struct measures_period period;
};
/* Call inside a read transaction, so that every count comes from one snapshot. */
int measures_by_pilot(db_t *db, const char *school_year, struct measures_set *out, char *err, size_t errsz);
/* The measures of the unit whose path is scope_path ("/NO/02/"): the sum of its pilots. */
void measures_sum(const struct measures_set *s, const char *scope_path, struct measures *out);
void measures_set_free(struct measures_set *s);

/* Median and 90th percentile (nearest rank) of sorted values; 0 when n is 0. */
void measures_quantiles(const long *sorted, long n, double *median, double *p90);

#endif
