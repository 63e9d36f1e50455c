/*
 * Statistical disclosure control for the tables of one statistics release.
 *
 * A release is a set of cells (named counts) and additive constraints between them (a total
 * equals the sum of its parts: a row, a column, a county of its pilots). Protection:
 *   1. primary suppression: counts 1 .. k-1;
 *   2. the small-group rule: in a group whose total is k .. small_group-1, a part equal to 0
 *      or to the whole total (0 % or 100 % of a small group) is suppressed too (not for
 *      totals over places, and not for a zero the nation shares: see sdc_sum_area);
 *   3. secondary suppression: while some suppressed cell can be worked out exactly from what is
 *      published (its minimum equals its maximum over every non-negative solution of the
 *      constraints), one more published cell beside it is suppressed.
 * The audit that drives step 3 solves two linear programmes per suppressed cell (GLPK).
 */
#ifndef ELEVLOS_SDC_H
#define ELEVLOS_SDC_H

#include <stddef.h>

enum sdc_status { SDC_PUBLISHED = 0, SDC_PRIMARY, SDC_SMALL_GROUP, SDC_SECONDARY };

struct sdc_opts {
	long k;           /* suppress 1 .. k-1 (default 5) */
	long small_group; /* groups under this total may not show 0 % or 100 % (default 10) */
};

struct sdc;

struct sdc *sdc_new(void);
void sdc_free(struct sdc *s);
/* Adds a cell, or finds the one with this key. Returns its index, or -1 when the key is
 * known with another value (a release must agree with itself). */
int sdc_cell(struct sdc *s, const char *key, long value);
/* total = sum of parts: a group split by an attribute (the small-group rule applies). */
void sdc_sum(struct sdc *s, int total, const int *parts, int nparts);
/* total = sum of parts over places (a county of its pilots, the nation of its counties): a
 * part being all or none of it says where, not what, so the small-group rule does not apply;
 * a zero the top of these totals shares with every part below is no group's secret either. */
void sdc_sum_area(struct sdc *s, int total, const int *parts, int nparts);
int sdc_count(const struct sdc *s);
const char *sdc_key(const struct sdc *s, int cell);
long sdc_value(const struct sdc *s, int cell);
enum sdc_status sdc_status(const struct sdc *s, int cell);
/* Runs the three steps. Returns the number of suppressed cells, or -1 on a solver failure. */
int sdc_protect(struct sdc *s, const struct sdc_opts *o);
/* The smallest and largest value a cell can take given everything published (for a
 * published cell both are its value); max is HUGE_VAL when unbounded. 0, or -1 on failure. */
int sdc_interval(struct sdc *s, int cell, double *min, double *max);
/* Checks every suppressed cell: returns the first whose interval is a single value, or -1. */
int sdc_audit(struct sdc *s);

#endif
