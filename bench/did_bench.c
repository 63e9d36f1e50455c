/*
 * Benchmark of the difference-in-differences estimator (src/eval/did.c): a synthetic panel of
 * 430 schools x 12 school years (three start cohorts, a tenth of the outcomes missing in one
 * cohort's early years), estimated with B = 999 bootstrap replicates, five times; prints
 * each run's wall-clock time and the median.
 *
 *   cc -std=c17 -O2 -Wall -Wextra -Werror -Isrc -o build/did_bench bench/did_bench.c build/libelevlos.a -lm
 *   build/did_bench [schools] [periods] [B] [runs]
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "eval/did.h"

static uint64_t state = 0x2545f4914f6cdd1du;

static double uniform(void)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return (double)(state >> 11) * 0x1.0p-53;
}

static double normal(void)
{
	double u = uniform(), v = uniform();
	if (u < 1e-300)
		u = 1e-300;
	return sqrt(-2 * log(u)) * cos(6.283185307179586 * v);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	int ns = argc > 1 ? atoi(argv[1]) : 430;
	int nt = argc > 2 ? atoi(argv[2]) : 12;
	int nb = argc > 3 ? atoi(argv[3]) : 999;
	int runs = argc > 4 ? atoi(argv[4]) : 5;
	if (ns < 10 || nt < 4 || nb < 0 || runs < 1 || runs > 100) {
		fprintf(stderr, "usage: did_bench [schools>=10] [periods>=4] [B>=0] [runs 1..100]\n");
		return 2;
	}
	struct did_panel *p = did_panel_new(ns, nt);
	if (!p)
		return 1;
	for (int i = 0; i < ns; i++) {
		int g = i % 10 < 6 ? 0 : 2 + (i % 3) * (nt / 4);
		did_set_cohort(p, i, g);
		double level = 8 + 3 * normal(), size = 80 + 700 * uniform();
		for (int t = 1; t <= nt; t++) {
			double y = level - 0.1 * t + normal() + (g && t >= g ? -1.0 : 0);
			if (g == 2 + nt / 4 && t <= 3 && uniform() < 0.1)
				y = NAN;
			did_set(p, i, t, y, floor(size * (0.9 + 0.2 * uniform())));
		}
	}
	struct did_opts o;
	did_opts_default(&o);
	o.nboot = nb;
	double times[100];
	for (int r = 0; r < runs; r++) {
		struct did_result res;
		double t0 = now();
		int rc = did_estimate(p, &o, &res);
		times[r] = now() - t0;
		if (rc != DID_OK) {
			fprintf(stderr, "did_estimate: %s\n", did_strerror(rc));
			did_panel_free(p);
			return 1;
		}
		printf("run %d: %.3f s  overall %.3f [%.3f, %.3f]  twfe %.3f\n", r + 1, times[r],
		       res.overall.est, res.overall.lo, res.overall.hi, res.twfe.est);
		did_result_free(&res);
	}
	qsort(times, (size_t)runs, sizeof *times, cmp);
	printf("did_bench: %d schools x %d periods, B = %d: median %.3f s over %d runs\n", ns, nt, nb,
	       times[runs / 2], runs);
	did_panel_free(p);
	return 0;
}
