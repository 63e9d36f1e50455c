/* Disclosure control (src/stats/sdc.c): hand-made cases, then properties over 1,000 random
 * tables and 300 multi-table releases, and the linear-programming audit cross-checked by
 * brute force on small tables. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "stats/sdc.h"

static const struct sdc_opts OPTS = {5, 10};

/* A rows × cols table with row, column and grand totals; returns the cell indices. */
struct table {
	int rows, cols;
	int cell[8][8];
	int rowtot[8], coltot[8], grand;
};

static void add_table(struct sdc *s, const char *name, int rows, int cols, long v[8][8],
		      const char *row_prefix, struct table *t)
{
	char key[64];
	long rt[8] = {0}, ct[8] = {0}, g = 0;
	t->rows = rows;
	t->cols = cols;
	for (int i = 0; i < rows; i++)
		for (int j = 0; j < cols; j++) {
			snprintf(key, sizeof key, "%s|%d|%d", name, i, j);
			t->cell[i][j] = sdc_cell(s, key, v[i][j]);
			rt[i] += v[i][j];
			ct[j] += v[i][j];
			g += v[i][j];
		}
	/* Row totals may be shared with another table: their key is the caller's. */
	for (int i = 0; i < rows; i++) {
		snprintf(key, sizeof key, "%s|%d|*", row_prefix ? row_prefix : name, i);
		t->rowtot[i] = sdc_cell(s, key, rt[i]);
		assert_true(t->rowtot[i] >= 0);
		sdc_sum(s, t->rowtot[i], t->cell[i], cols);
	}
	for (int j = 0; j < cols; j++) {
		int parts[8];
		snprintf(key, sizeof key, "%s|*|%d", name, j);
		t->coltot[j] = sdc_cell(s, key, ct[j]);
		for (int i = 0; i < rows; i++)
			parts[i] = t->cell[i][j];
		sdc_sum(s, t->coltot[j], parts, rows);
	}
	snprintf(key, sizeof key, "%s|*|*", row_prefix ? row_prefix : name);
	t->grand = sdc_cell(s, key, g);
	assert_true(t->grand >= 0);
	sdc_sum(s, t->grand, t->rowtot, rows);
	sdc_sum(s, t->grand, t->coltot, cols);
}

/* The three promises, checked on a protected release. */
static void check_protected(struct sdc *s)
{
	for (int i = 0; i < sdc_count(s); i++) {
		long v = sdc_value(s, i);
		if (sdc_status(s, i) == SDC_PUBLISHED) {
			if (v >= 1 && v < OPTS.k)
				fail_msg("published small count %ld at %s", v, sdc_key(s, i));
			continue;
		}
		double lo, hi;
		assert_int_equal(sdc_interval(s, i, &lo, &hi), 0);
		if (hi - lo < 0.5)
			fail_msg("suppressed %s = %ld can be worked out: [%g, %g]", sdc_key(s, i), v, lo, hi);
		if (lo > (double)v + 1e-6 || hi < (double)v - 1e-6)
			fail_msg("%s = %ld outside its own interval [%g, %g]", sdc_key(s, i), v, lo, hi);
	}
	assert_int_equal(sdc_audit(s), -1);
}

static long small_or_big(void)
{
	int r = rand() % 10;
	return r < 3 ? rand() % 5 : r < 4 ? 0 : 5 + rand() % 40;
}

/* Hand-made: one small cell in a 2 × 2 table needs three more suppressions (a rectangle). */
static void rectangle(void **state)
{
	(void)state;
	struct sdc *s = sdc_new();
	long v[8][8] = {{3, 20}, {15, 30}};
	struct table t;
	add_table(s, "T", 2, 2, v, NULL, &t);
	assert_int_equal(sdc_protect(s, &OPTS), 4); /* the rectangle, no margin */
	assert_int_equal(sdc_status(s, t.cell[0][0]), SDC_PRIMARY);
	assert_int_not_equal(sdc_status(s, t.cell[0][1]), SDC_PUBLISHED);
	assert_int_not_equal(sdc_status(s, t.cell[1][0]), SDC_PUBLISHED);
	assert_int_not_equal(sdc_status(s, t.cell[1][1]), SDC_PUBLISHED);
	assert_int_equal(sdc_status(s, t.grand), SDC_PUBLISHED);
	double lo, hi;
	assert_int_equal(sdc_interval(s, t.cell[0][0], &lo, &hi), 0);
	assert_true(lo == 0 && hi == 18); /* at most its column total 18, at least 18 - 45 < 0 */
	check_protected(s);
	sdc_free(s);
}

/* Hand-made: 100 % of a group of 7 is disclosive although 7 is not small. */
static void small_group(void **state)
{
	(void)state;
	struct sdc *s = sdc_new();
	long v[8][8] = {{7, 0}, {12, 25}};
	struct table t;
	add_table(s, "G", 2, 2, v, NULL, &t);
	sdc_protect(s, &OPTS);
	assert_int_equal(sdc_status(s, t.cell[0][0]), SDC_SMALL_GROUP);
	assert_int_equal(sdc_status(s, t.cell[0][1]), SDC_SMALL_GROUP);
	check_protected(s);
	sdc_free(s);
}

/* One unit of a small hierarchy: group = yes + no + other. */
struct unit_cells {
	int group, yes, no, other;
};

static struct unit_cells unit(struct sdc *s, const char *code, long yes, long no, long other)
{
	char k[32];
	struct unit_cells u;
	snprintf(k, sizeof k, "group|%s", code);
	u.group = sdc_cell(s, k, yes + no + other);
	snprintf(k, sizeof k, "yes|%s", code);
	u.yes = sdc_cell(s, k, yes);
	snprintf(k, sizeof k, "no|%s", code);
	u.no = sdc_cell(s, k, no);
	snprintf(k, sizeof k, "other|%s", code);
	u.other = sdc_cell(s, k, other);
	int parts[3] = {u.yes, u.no, u.other};
	sdc_sum(s, u.group, parts, 3);
	return u;
}

static void area(struct sdc *s, struct unit_cells parent, const struct unit_cells *kids, int n)
{
	int p[4][8];
	for (int i = 0; i < n; i++) {
		p[0][i] = kids[i].group;
		p[1][i] = kids[i].yes;
		p[2][i] = kids[i].no;
		p[3][i] = kids[i].other;
	}
	sdc_sum_area(s, parent.group, p[0], n);
	sdc_sum_area(s, parent.yes, p[1], n);
	sdc_sum_area(s, parent.no, p[2], n);
	sdc_sum_area(s, parent.other, p[3], n);
}

/* Totals over places: a pilot that is all of its county's cases is not a small-group
 * disclosure, and a zero the nation shares is no group's secret; a group that is small
 * inside one unit still is, and stays protected through the county and the nation. */
static void areas(void **state)
{
	(void)state;
	struct sdc *s = sdc_new();
	/* N = C1 + C2; C1 = P1 alone; C2 = P2 + P3. "other" is 0 everywhere. */
	struct unit_cells p1 = unit(s, "P1", 8, 12, 0), p2 = unit(s, "P2", 7, 0, 0), p3 = unit(s, "P3", 15, 20, 0);
	struct unit_cells c1 = unit(s, "C1", 8, 12, 0), c2 = unit(s, "C2", 22, 20, 0);
	struct unit_cells n = unit(s, "N", 30, 32, 0);
	area(s, c1, &p1, 1);
	struct unit_cells c2kids[2] = {p2, p3}, nkids[2] = {c1, c2};
	area(s, c2, c2kids, 2);
	area(s, n, nkids, 2);
	assert_true(sdc_protect(s, &OPTS) >= 0);
	check_protected(s);
	/* P1 is all of C1: published all the same, and so is C1. */
	assert_int_equal(sdc_status(s, p1.group), SDC_PUBLISHED);
	assert_int_equal(sdc_status(s, c1.yes), SDC_PUBLISHED);
	/* The nation's shared zero: published in every unit, even P2's group of 7. */
	assert_int_equal(sdc_status(s, n.other), SDC_PUBLISHED);
	assert_int_equal(sdc_status(s, p2.other), SDC_PUBLISHED);
	/* 7 of 7 in P2 answered yes: that is told about no one. */
	assert_int_equal(sdc_status(s, p2.yes), SDC_SMALL_GROUP);
	assert_int_equal(sdc_status(s, p2.no), SDC_SMALL_GROUP);
	assert_int_equal(sdc_status(s, n.group), SDC_PUBLISHED);
	sdc_free(s);

}

/* 300 random unit trees (a nation, 2-4 counties, 1-3 pilots each) with a three-way split per
 * unit tied up by area totals: the same promises hold. */
static void random_hierarchies(void **state)
{
	(void)state;
	srand(2033);
	long suppressed = 0, cells = 0;
	for (int it = 0; it < 300; it++) {
		struct sdc *s = sdc_new();
		struct unit_cells counties[4];
		long ny = 0, nn = 0, no = 0;
		int nc = 2 + rand() % 3;
		for (int c = 0; c < nc; c++) {
			struct unit_cells pilots[3];
			long cy = 0, cn = 0, co = 0;
			int np = 1 + rand() % 3;
			for (int p = 0; p < np; p++) {
				char code[32];
				snprintf(code, sizeof code, "P%d.%d", c, p);
				long y = small_or_big(), n = small_or_big(), o = rand() % 3 ? 0 : small_or_big();
				pilots[p] = unit(s, code, y, n, o);
				cy += y, cn += n, co += o;
			}
			char code[16];
			snprintf(code, sizeof code, "C%d", c);
			counties[c] = unit(s, code, cy, cn, co);
			area(s, counties[c], pilots, np);
			ny += cy, nn += cn, no += co;
		}
		area(s, unit(s, "N", ny, nn, no), counties, nc);
		int k = sdc_protect(s, &OPTS);
		assert_true(k >= 0);
		suppressed += k;
		cells += sdc_count(s);
		check_protected(s);
		sdc_free(s);
	}
	print_message("300 unit trees: %ld of %ld cells suppressed\n", suppressed, cells);
}

/* Nothing small, nothing suppressed; an empty table stays empty. */
static void nothing_to_hide(void **state)
{
	(void)state;
	struct sdc *s = sdc_new();
	long v[8][8] = {{10, 20, 30}, {40, 50, 60}};
	struct table t;
	add_table(s, "N", 2, 3, v, NULL, &t);
	assert_int_equal(sdc_protect(s, &OPTS), 0);
	sdc_free(s);
	s = sdc_new();
	long z[8][8] = {{0, 0}, {0, 0}};
	add_table(s, "Z", 2, 2, z, NULL, &t);
	assert_int_equal(sdc_protect(s, &OPTS), 0);
	sdc_free(s);
	/* The same key with another value is refused. */
	s = sdc_new();
	assert_true(sdc_cell(s, "x", 1) >= 0);
	assert_int_equal(sdc_cell(s, "x", 2), -1);
	sdc_free(s);
}

/* 1,000 random tables with margins. */
static void random_tables(void **state)
{
	(void)state;
	srand(4711);
	long suppressed = 0;
	for (int n = 0; n < 1000; n++) {
		struct sdc *s = sdc_new();
		long v[8][8];
		int rows = 2 + rand() % 5, cols = 2 + rand() % 5;
		for (int i = 0; i < rows; i++)
			for (int j = 0; j < cols; j++)
				v[i][j] = small_or_big();
		struct table t;
		add_table(s, "R", rows, cols, v, NULL, &t);
		int k = sdc_protect(s, &OPTS);
		assert_true(k >= 0);
		suppressed += k;
		check_protected(s);
		sdc_free(s);
	}
	print_message("1000 tables: %ld cells suppressed in all\n", suppressed);
}

/* 300 releases of two tables over the same groups (shared row and grand totals), like new
 * cases by referral source and by main reason for the same units. */
static void random_releases(void **state)
{
	(void)state;
	srand(1729);
	for (int n = 0; n < 300; n++) {
		struct sdc *s = sdc_new();
		int rows = 2 + rand() % 4, ca = 2 + rand() % 4, cb = 2 + rand() % 4;
		long a[8][8], b[8][8];
		for (int i = 0; i < rows; i++) {
			long total = 0;
			for (int j = 0; j < ca; j++)
				total += a[i][j] = small_or_big();
			/* The same total split another way. */
			long left = total;
			for (int j = 0; j < cb - 1; j++) {
				b[i][j] = left ? rand() % (left + 1) : 0;
				left -= b[i][j];
			}
			b[i][cb - 1] = left;
		}
		struct table ta, tb;
		add_table(s, "A", rows, ca, a, "UNIT", &ta);
		add_table(s, "B", rows, cb, b, "UNIT", &tb);
		assert_int_equal(ta.grand, tb.grand); /* one cell, shared */
		assert_true(sdc_protect(s, &OPTS) >= 0);
		check_protected(s);
		sdc_free(s);
	}
}

/* The LP audit against brute force: on small tables, every suppressed cell's smallest and
 * largest value over all whole-number completions equals what the LP says. */
static void audit_matches_brute_force(void **state)
{
	(void)state;
	srand(99);
	int checked = 0;
	for (int n = 0; n < 400 && checked < 60; n++) {
		struct sdc *s = sdc_new();
		long v[8][8];
		int rows = 2, cols = 2 + rand() % 2;
		for (int i = 0; i < rows; i++)
			for (int j = 0; j < cols; j++)
				v[i][j] = rand() % 9;
		struct table t;
		add_table(s, "B", rows, cols, v, NULL, &t);
		sdc_protect(s, &OPTS);
		/* Only the inner cells may be suppressed for the brute force to be small. */
		int sup[8], ns = 0, ok = 1;
		for (int i = 0; i < sdc_count(s); i++)
			if (sdc_status(s, i) != SDC_PUBLISHED)
				sup[ns < 8 ? ns++ : 7] = i;
		for (int i = 0; i < rows; i++)
			ok &= sdc_status(s, t.rowtot[i]) == SDC_PUBLISHED;
		for (int j = 0; j < cols; j++)
			ok &= sdc_status(s, t.coltot[j]) == SDC_PUBLISHED;
		if (!ok || ns == 0 || ns > 4) {
			sdc_free(s);
			continue;
		}
		long lo[8], hi[8];
		for (int q = 0; q < ns; q++)
			lo[q] = 1000, hi[q] = -1;
		long g = sdc_value(s, t.grand);
		long x[4] = {0};
		for (;;) {
			/* Try this completion: every row and column must add up. */
			long m[8][8];
			for (int i = 0; i < rows; i++)
				for (int j = 0; j < cols; j++) {
					m[i][j] = v[i][j];
					for (int q = 0; q < ns; q++)
						if (sup[q] == t.cell[i][j])
							m[i][j] = x[q];
				}
			int fits = 1;
			for (int i = 0; i < rows; i++) {
				long r = 0;
				for (int j = 0; j < cols; j++)
					r += m[i][j];
				fits &= r == sdc_value(s, t.rowtot[i]);
			}
			for (int j = 0; j < cols; j++) {
				long c = 0;
				for (int i = 0; i < rows; i++)
					c += m[i][j];
				fits &= c == sdc_value(s, t.coltot[j]);
			}
			if (fits)
				for (int q = 0; q < ns; q++) {
					if (x[q] < lo[q])
						lo[q] = x[q];
					if (x[q] > hi[q])
						hi[q] = x[q];
				}
			int q = 0;
			while (q < ns && ++x[q] > g)
				x[q++] = 0;
			if (q == ns)
				break;
		}
		for (int q = 0; q < ns; q++) {
			double a, b;
			assert_int_equal(sdc_interval(s, sup[q], &a, &b), 0);
			assert_true(fabs(a - (double)lo[q]) < 1e-6);
			assert_true(fabs(b - (double)hi[q]) < 1e-6);
			assert_true(hi[q] > lo[q]);
		}
		checked++;
		sdc_free(s);
	}
	assert_true(checked >= 20);
	print_message("brute force agreed on %d tables\n", checked);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rectangle),
		cmocka_unit_test(small_group),
		cmocka_unit_test(areas),
		cmocka_unit_test(random_hierarchies),
		cmocka_unit_test(nothing_to_hide),
		cmocka_unit_test(random_tables),
		cmocka_unit_test(random_releases),
		cmocka_unit_test(audit_matches_brute_force),
	};
	return cmocka_run_group_tests_name("sdc", tests, NULL, NULL);
}
