/*
 * The evaluation of issue [Evaluation] from the database: the staggered difference-in-differences
 * of the pilot schools against never-piloted schools (did.h), the pilot schools' dropout shares
 * classified the way the trial's report did (fell / rose / no published figure), and one school's
 * trend against its county and the nation. The pages, the CLI and the API all render these.
 * School years are autumn years (2016 is 2016/17), as in src/db/eval.h.
 */
#ifndef ELEVLOS_EVALUATE_H
#define ELEVLOS_EVALUATE_H

#include "../db/db.h"
#include "did.h"
#include "eval_svg.h"

/* The effect estimate over every school of a programme. */
struct eval_run {
	char programme[20];
	int first_year;   /* period p of the panel is school year first_year + p - 1 */
	int nperiods;
	int nschools;     /* schools with at least one observation */
	int npilot;       /* of them pilot schools */
	struct did_opts opts;
	struct did_result r;
};

/* 0; or -1 with err (no data, no control schools, …: did_strerror's reason). */
int eval_run(db_t *db, const char *programme, const struct did_opts *o, struct eval_run *out, char *err,
	     size_t errsz);
void eval_run_free(struct eval_run *e);
/* The estimate as JSON (school years written out, intervals, notes, the warning's key). */
void *eval_run_json(const struct eval_run *e); /* json_t *, new reference */

enum eval_class { EVAL_FELL, EVAL_ROSE, EVAL_SAME, EVAL_NONE };

/* One pilot school in the classification table. */
struct eval_school {
	char orgnr[10];
	char name[201];
	char pilot[33];
	char county_2024[3];
	int start_year, end_year;     /* end 0 while it lasts */
	int has_from, has_to;         /* a published share in the two compared years */
	double from, to;              /* shares, percent */
	enum eval_class cls;          /* to against from; EVAL_NONE when either is not published */
	int has_before, has_last;     /* the pilot period: the year before its start, its last year */
	double before, last;
};

/* Every pilot school with its shares in school years from_year and to_year (the report compared
 * 2016/17 with 2017/18) and over its own pilot period. *out is malloc'd (free it). 0 or -1. */
int eval_classify(db_t *db, const char *programme, int from_year, int to_year, struct eval_school **out,
		  int *n);

/* A school's shares with its county's and the nation's averages, per school year (up to
 * EVAL_MAX_YEARS, oldest first). names[3]: the three lines' names. DB_OK, DB_NOTFOUND. */
int eval_trend(db_t *db, const char *orgnr, const char *programme, const char *const names[3],
	       struct eval_series out[3], char *school_name, size_t namesz);

#endif
