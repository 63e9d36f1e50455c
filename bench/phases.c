/*
 * Where the time of a release goes (make bench): the measures of every pilot (SQL and the
 * counting in C), then the whole release_build (the same measures, the table model,
 * disclosure control, the JSON). Nothing is stored.
 * usage: bench-phases DB YEAR
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "db/db.h"
#include "db/stats.h"
#include "stats/measures.h"
#include "stats/release.h"

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: bench-phases DB YEAR\n");
		return 2;
	}
	char err[256];
	db_t *db;
	if (db_open(argv[1], NULL, &db, err, sizeof err) != DB_OK) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	db_stats_bulk_begin(db);
	db_begin_read(db);
	double t0 = now();
	struct measures_set set;
	if (measures_by_pilot(db, argv[2], &set, err, sizeof err) != 0) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	double t1 = now();
	measures_set_free(&set);
	struct sdc_opts o = {5, 10};
	struct release_built b;
	double t2 = now();
	if (release_build(db, argv[2], &o, &b, err, sizeof err) != 0) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	double t3 = now();
	char *text = json_dumps(b.content, JSON_COMPACT | JSON_SORT_KEYS);
	double t4 = now();
	db_commit(db);
	db_stats_bulk_end(db);
	printf("  phases: measures of every pilot %.2f s; whole release_build %.2f s (so the model, disclosure\n"
	       "          control and JSON about %.2f s: %d of %d cells suppressed); JSON text %.2f s\n",
	       t1 - t0, t3 - t2, (t3 - t2) - (t1 - t0), b.suppressed, b.cells, t4 - t3);
	free(text);
	json_decref(b.content);
	db_close(db);
	return 0;
}
