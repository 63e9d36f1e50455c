/*
 * The trial's measures S1-S12 (DOMAIN.md section 4) for one school year and one unit (nation,
 * county or pilot), optionally one programme and one level. These are raw counts for the
 * disclosure control of a statistics release: nothing here is ever shown as it is.
 */
#ifndef ELEVLOS_MEASURES_H
#define ELEVLOS_MEASURES_H

#include "../db/db.h"

#define MEASURE_CODES 16

struct code_count {
	char code[32];
	long n;
};

struct measures {
	char school_year[8];
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

/* school_year "2017/18"; unit_code a county, pilot or "NO". 0, or -1 with err. */
int measures_compute(db_t *db, const char *school_year, const char *unit_code, const char *programme,
		     const char *level, struct measures *out, char *err, size_t errsz);

/* Median and 90th percentile (nearest rank) of sorted values; 0 when n is 0. */
void measures_quantiles(const long *sorted, long n, double *median, double *p90);

#endif
