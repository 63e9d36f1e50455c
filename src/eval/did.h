/*
 * Staggered difference-in-differences for the pilot evaluation (DOMAIN.md section 6).
 *
 * Input: a panel of schools x school years. Per observation the outcome (dropout share in
 * percent; NAN when missing or suppressed) and a weight (students); per school its treatment
 * cohort g, the first period in which it was a pilot (0 = never treated).
 *
 * Periods are numbered 1 .. nperiods (as in Callaway and Sant'Anna's notation, and so that
 * cohort 0 can mean "never treated"); schools are numbered 0 .. nschools-1.
 *
 * Output (docs/evaluation.md gives the formulas):
 *   - group-time average treatment effects ATT(g,t) of Callaway and Sant'Anna (2021),
 *     unconditional, never-treated schools as the control group, each school's long
 *     difference weighted by its students in the base period; base t-1 for t < g ("varying"),
 *     g-1 for t >= g;
 *   - per cohort the average of its post-treatment ATT(g,t), and the overall effect as the
 *     cohort-size weighted average of those (the paper's "group" aggregation); the "simple"
 *     aggregation beside it;
 *   - the event-time profile e = -4 .. +4 (dynamic aggregation), e < 0 being placebo
 *     estimates, with a simultaneous (sup-t) band over the pre-periods as the pre-trend check;
 *   - the two-way fixed-effects coefficient (weighted OLS, school and year effects, D = 1 when
 *     t >= g > 0) and a flag when its sign disagrees with the overall effect;
 *   - every interval from one school-clustered bootstrap, schools resampled with replacement
 *     within their cohort, seeded and reproducible.
 * Pure computation: no database, no global state, thread-compatible (one panel per thread).
 */
#ifndef ELEVLOS_DID_H
#define ELEVLOS_DID_H

#include <stdint.h>

/* The event-time window of the profile. */
#define DID_EVENT_MIN (-4)
#define DID_EVENT_MAX 4
#define DID_EVENT_N (DID_EVENT_MAX - DID_EVENT_MIN + 1)

/* i18n keys of the plain-language warnings a result may carry. */
#define DID_WARN_TWFE_SIGN "evaluation.warning.twfe_sign"
#define DID_WARN_PRETREND "evaluation.warning.pretrend"

enum did_error {
	DID_OK = 0,
	DID_EINVAL,        /* bad argument: index out of range, negative or non-finite weight, ... */
	DID_ENOMEM,        /* out of memory */
	DID_ENO_CONTROL,   /* no never-treated school with two observed years */
	DID_ENO_TREATED,   /* no treated cohort with a pre-period (g >= 2) inside the panel */
	DID_ENO_ESTIMATE,  /* cohorts exist but no ATT(g,t) with t >= g could be estimated */
};

/* Notes (bits of did_result.notes): things that happened and that a reader should know. */
enum did_note {
	DID_NOTE_COHORT_NO_PRE = 1u << 0,  /* a cohort treated in period 1 was excluded */
	DID_NOTE_COHORT_LATE = 1u << 1,    /* schools treated after the last period count as
					    * never treated within the panel */
	DID_NOTE_MISSING = 1u << 2,        /* some outcomes were missing */
	DID_NOTE_ZERO_WEIGHT = 1u << 3,    /* some observed outcome had weight 0 */
	DID_NOTE_CELL_MISSING = 1u << 4,   /* some ATT(g,t) had no school with both years */
	DID_NOTE_BOOT_UNDEFINED = 1u << 5, /* some estimate was undefined in some replicate */
	DID_NOTE_SMALL_COHORT = 1u << 6,   /* a used cohort, or the control group, has fewer
					    * than DID_SMALL_COHORT schools: intervals unreliable */
	DID_NOTE_NO_TWFE = 1u << 7,        /* the TWFE coefficient is not identified */
};
#define DID_SMALL_COHORT 10

enum did_ci { DID_CI_NORMAL = 0, DID_CI_PERCENTILE = 1 };

struct did_opts {
	int nboot;         /* bootstrap replicates B (default 999; 0 = no intervals) */
	uint64_t seed;     /* seed of the xoshiro256** generator (splitmix64-expanded) */
	double alpha;      /* 1 - confidence level (default 0.05) */
	enum did_ci ci;    /* normal (estimate +- z * bootstrap SD; default) or percentile */
};

/* An estimate with its bootstrap standard error and interval. Fields are NAN when the
 * estimate is undefined (no data) or when no bootstrap was run (se, lo, hi). */
struct did_est {
	double est;
	double se;      /* standard deviation of the bootstrap replicates */
	double lo, hi;  /* (1 - alpha) interval */
	int n_cohorts;  /* cohorts that contribute */
	int n_schools;  /* treated schools that contribute (in at least one ATT(g,t)) */
};

/* One group-time effect ATT(g,t). */
struct did_cell {
	int g, t;       /* cohort and period, 1-based */
	int base;       /* base period: t-1 when t < g, g-1 when t >= g */
	int e;          /* event time t - g */
	struct did_est att; /* n_cohorts is 1 (or 0 when undefined) */
	int n_treated;  /* schools of cohort g with both years observed and base weight > 0 */
	int n_control;  /* never-treated schools with the same */
	double w_treated, w_control; /* their students in the base period */
};

/* One cohort: the average of its post-treatment ATT(g,t), and its size. */
struct did_cohort {
	int g;
	int n_schools;  /* schools in the cohort */
	double size;    /* students in the cohort's schools in period g-1 (aggregation weight) */
	struct did_est att;
};

struct did_result {
	int nperiods;
	int ncells;
	struct did_cell *cells;       /* ordered by g, then t; t runs 2 .. nperiods */
	int ncohorts;
	struct did_cohort *cohorts;   /* used cohorts (2 <= g <= nperiods), ascending g */
	int n_control;                /* never-treated schools (including those treated later) */
	int excluded_cohorts;         /* cohorts treated in period 1, left out */

	struct did_est overall;       /* cohort-size weighted mean of cohort effects ("group") */
	struct did_est simple;        /* size-weighted mean of all post ATT(g,t) ("simple") */
	struct did_est event[DID_EVENT_N]; /* e = DID_EVENT_MIN + index; est NAN when no cohort */

	/* Pre-trend check: a simultaneous (1 - alpha) band over the estimated e < 0 of the
	 * window, est +- crit * se, crit the (1 - alpha) quantile of the bootstrap's largest
	 * standardised deviation. pretrend is 1 when the band excludes 0 at some e < 0. */
	double pretrend_crit;
	int pretrend;

	struct did_est twfe;          /* coefficient of D; n_cohorts/n_schools: treated used */
	int twfe_sign_differs;        /* TWFE and overall are both non-zero, opposite signs */
	const char *warning;          /* DID_WARN_TWFE_SIGN, else DID_WARN_PRETREND, or NULL */

	unsigned notes;               /* enum did_note bits */
	int nboot;                    /* replicates run */
	int nboot_undefined;          /* replicates in which some defined estimate was not */
};

struct did_panel;

/* A panel with every outcome missing, every weight 0 and every school never treated.
 * NULL when out of memory, when a dimension is < 1 or when it has over 10 million cells. */
struct did_panel *did_panel_new(int nschools, int nperiods);
void did_panel_free(struct did_panel *p);
/* One observation: period 1 .. nperiods; outcome NAN = missing; weight >= 0, finite. */
int did_set(struct did_panel *p, int school, int period, double outcome, double weight);
/* The school's cohort: first treated period (>= 1), or 0 for never treated. */
int did_set_cohort(struct did_panel *p, int school, int g);

void did_opts_default(struct did_opts *o);
/* Estimates everything; on DID_OK *r must be released with did_result_free. On an error
 * *r holds nothing to free (did_result_free on it is harmless). o may be NULL (defaults). */
int did_estimate(const struct did_panel *p, const struct did_opts *o, struct did_result *r);
void did_result_free(struct did_result *r);
/* An English sentence for an error code. */
const char *did_strerror(int err);
/* The estimate at event time e, or NULL when e is outside the window. */
const struct did_est *did_event(const struct did_result *r, int e);

#endif
