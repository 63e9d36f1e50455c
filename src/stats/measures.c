#include "measures.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "../db/stats.h"
#include "../http/form.h"

struct codes {
	struct code_count *c;
	int *n;
	int cap;
};

static int add_code(const char *code, long n, void *ctx)
{
	struct codes *x = ctx;
	if (*x->n >= x->cap)
		return 1;
	snprintf(x->c[*x->n].code, sizeof x->c[0].code, "%s", code);
	x->c[*x->n].n = n;
	(*x->n)++;
	return 0;
}

struct waits {
	long *v;
	long n, cap;
};

static int add_wait(long days, void *ctx)
{
	struct waits *w = ctx;
	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 64;
		w->v = xrealloc(w->v, (size_t)w->cap * sizeof *w->v);
	}
	w->v[w->n++] = days;
	return 0;
}

void measures_quantiles(const long *sorted, long n, double *median, double *p90)
{
	if (n <= 0) {
		*median = *p90 = 0;
		return;
	}
	/* The median of an even count is the mean of the two middle values. */
	long mid = n / 2; /* index arithmetic: integer division intended */
	*median = n % 2 ? (double)sorted[mid] : ((double)sorted[mid - 1] + (double)sorted[mid]) / 2.0;
	/* p90 by nearest rank: the smallest value with at least 90 % at or below it. */
	long rank = (9 * n + 9) / 10; /* ceil(0.9 n) */
	*p90 = (double)sorted[rank - 1];
}

int measures_compute(db_t *db, const char *school_year, const char *unit_code, const char *programme,
		     const char *level, struct measures *out, char *err, size_t errsz)
{
	memset(out, 0, sizeof *out);
	if (!valid_school_year(school_year, strlen(school_year))) {
		snprintf(err, errsz, "a school year looks like 2017/18");
		return -1;
	}
	struct unit u;
	if (db_unit_get(db, unit_code, &u) != DB_OK ||
	    (strcmp(u.kind, "nation") != 0 && strcmp(u.kind, "county") != 0 && strcmp(u.kind, "pilot") != 0)) {
		snprintf(err, errsz, "no nation, county or pilot with the code %s", unit_code);
		return -1;
	}
	unsigned y = (unsigned)atoi(school_year) % 10000u; /* a validated 4-digit year */
	struct stats_filter f = {.scope_path = u.path, .programme = programme ? programme : "",
				 .level = level ? level : ""};
	snprintf(f.year_start, sizeof f.year_start, "%04u-08-01", y);
	snprintf(f.year_end, sizeof f.year_end, "%04u-07-31", (y + 1) % 10000u);
	snprintf(out->school_year, sizeof out->school_year, "%s", school_year);
	snprintf(out->unit, sizeof out->unit, "%s", unit_code);

	struct codes s2 = {out->s2, &out->s2_n, MEASURE_CODES}, s3 = {out->s3, &out->s3_n, MEASURE_CODES},
		     s5 = {out->s5, &out->s5_n, 4}, s9 = {out->s9, &out->s9_n, MEASURE_CODES};
	struct waits w = {0};
	int rc = db_stats_followed(db, &f, &out->s1_students, &out->s1_cases, &out->s1_new_cases) ||
		 db_stats_new_by(db, &f, "referral_source", add_code, &s2) ||
		 db_stats_new_by(db, &f, "main_reason", add_code, &s3) ||
		 db_stats_economy(db, &f, &out->s4_students, &out->s4_granted) ||
		 db_stats_assistance(db, &f, add_code, &s5) ||
		 db_stats_assistance_living(db, &f, &out->s6_known, &out->s6_with_parents) ||
		 db_stats_interagency(db, &f, &out->s7_cases, &out->s7_interagency) ||
		 db_stats_repeat(db, &f, school_year, &out->s8_students, &out->s8_repeats) ||
		 db_stats_followup(db, &f, &out->s9_students, add_code, &s9) ||
		 db_stats_waits(db, &f, add_wait, &w) || db_stats_both_measures(db, &f, &out->s11_students);
	if (rc != 0) {
		free(w.v);
		snprintf(err, errsz, "cannot compute the measures: %s", db_errmsg(db));
		return -1;
	}
	for (int i = 0; i < out->s5_n; i++)
		out->s5_students += out->s5[i].n;
	out->s10_n = w.n;
	measures_quantiles(w.v, w.n, &out->s10_median, &out->s10_p90);
	free(w.v);
	out->s12_granted = out->s5_students;
	out->s12_students = out->s1_students;
	return 0;
}
