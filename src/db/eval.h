/*
 * The evaluation's data (docs/udir.md): the school register, Udir's per-school dropout shares,
 * pilot schools, and the county and municipality reforms. School years are ints: the autumn
 * year, 2016 for 2016/17. Programmes are "yrkesfag", "studieforberedende" or "alle".
 */
#ifndef ELEVLOS_DB_EVAL_H
#define ELEVLOS_DB_EVAL_H

#include <stdint.h>

#include "db.h"

/* ---- reforms ---- */

/*
 * The code in force on 1 January of year for a county or municipality code of any era
 * (Telemark 08 → 38 in 2020 → 40 in 2024). DB_NOTFOUND for an unknown code, DB_CONFLICT when
 * it does not lead to one code in that year (Viken 30 in 2024; Snillfjord 1613 in 2020).
 */
int db_county_in_year(db_t *db, const char *code, int year, char out[3]);
int db_municipality_in_year(db_t *db, const char *code, int year, char out[5]);
/* The county's name in year ("Vestfold og Telemark"); DB_NOTFOUND when none. */
int db_county_name(db_t *db, const char *code, int year, char *out, size_t outsz);

/* ---- schools ---- */
struct school {
	int64_t id;
	char orgnr[10];
	char name[201];
	char municipality[5];      /* as imported, any era; "" when not given */
	char municipality_2024[5]; /* "" when not given */
	char county[3];            /* as imported, or the municipality's */
	char county_2024[3];       /* today's county: what figures are grouped by */
	char unit_code[33];        /* our unit of kind 'school', "" when not linked */
};

int db_school_get(db_t *db, const char *orgnr, struct school *out);
/* By name (case-insensitive) and a municipality number of any era. DB_CONFLICT when two match. */
int db_school_find(db_t *db, const char *name, const char *municipality, struct school *out);
/* Inserts or updates by orgnr; *changed is 1 new, 2 updated, 0 already so. DB_INVALID when the
 * unit code is not a unit of kind 'school'. */
int db_school_put(db_t *db, const struct school *s, int *changed);
typedef int (*db_school_cb)(const struct school *s, void *ctx);
/* Every school by county_2024, name. */
int db_school_list(db_t *db, db_school_cb cb, void *ctx);
/* The school's county in year (by its municipality when known, else by its county). */
int db_school_county_in_year(db_t *db, const struct school *s, int year, char out[3]);

/* ---- Udir's dropout shares ---- */
struct udir_row {
	int64_t school_id;
	int school_year;
	char programme[20];
	long students;   /* -1 when not published */
	double share;    /* percent; meaningless when suppressed */
	int suppressed;  /* the share was not published: not a zero */
	char source_hash[65];
	char imported_at[21];
};

/* Inserts or updates by (school, year, programme); *changed as for db_school_put. A row whose
 * values are already so is left alone (its source_hash and imported_at too). */
int db_udir_put(db_t *db, const struct udir_row *r, int *changed);
typedef int (*db_udir_cb)(const struct udir_row *r, void *ctx);
/* One school's series for a programme, oldest year first. */
int db_udir_series(db_t *db, int64_t school_id, const char *programme, db_udir_cb cb, void *ctx);
int db_udir_count(db_t *db, long *rows);

/* ---- averages: computed from the imported per-school rows, weighted by students ---- */
struct eval_average {
	int school_year;
	double share;    /* Σ share·students / Σ students over published rows */
	long students;   /* of the published rows */
	int schools;     /* published rows */
	int suppressed;  /* rows without a published share (or without students) */
};
typedef int (*db_average_cb)(const struct eval_average *a, void *ctx);
/* Per year for today's county county_2024, or the nation when it is "". */
int db_eval_averages(db_t *db, const char *programme, const char *county_2024, db_average_cb cb,
		     void *ctx);

/* ---- pilot schools ---- */
struct pilot_school {
	int64_t school_id;
	char orgnr[10];
	char name[201];
	char county_2024[3];
	char pilot_code[33];
	int start_year;
	int end_year; /* 0 while the pilot lasts */
};

/* Sets the school's pilot and period (one per school). DB_NOTFOUND: no such school;
 * DB_INVALID: pilot_code is not a unit of kind 'pilot'. */
int db_pilot_school_put(db_t *db, const char *orgnr, const char *pilot_code, int start_year,
			int end_year, int *changed);
typedef int (*db_pilot_school_cb)(const struct pilot_school *p, void *ctx);
/* By start year, then pilot, then name. */
int db_pilot_school_list(db_t *db, db_pilot_school_cb cb, void *ctx);

/* ---- the panel an estimator is fed with ---- */
struct eval_panel_row {
	int64_t school_id;
	char orgnr[10];
	char county_2024[3];
	int school_year;
	int has_share; /* 0: suppressed; share is then 0 and the row carries no outcome */
	double share;
	long students; /* -1 when not published */
	int cohort;    /* the school's first pilot year; 0 for a never-piloted school */
};
typedef int (*db_panel_cb)(const struct eval_panel_row *r, void *ctx);
/* Every school × year of programme, by school id then year. */
int db_eval_panel(db_t *db, const char *programme, db_panel_cb cb, void *ctx);

#endif
