/*
 * The counts behind the trial's statistics (DOMAIN.md section 4), for one school year or a
 * period of whole school years and one part of the unit tree, optionally one programme and
 * one level. Raw counts: they are never
 * published as they are; the disclosure control of a release comes between them and anyone.
 * docs/statistics.md gives each counting rule in words.
 */
#ifndef ELEVLOS_STATS_H
#define ELEVLOS_STATS_H

#include "db.h"

struct stats_filter {
	const char *scope_path; /* "/NO/" nation, "/NO/02/" county, "/NO/02/P-X/" pilot */
	char year_start[11];    /* "2017-08-01": 1 August of the first school year */
	char year_end[11];      /* "2018-07-31": 31 July of the last school year */
	char first_year[8];     /* "2017/18": the outcomes of these school years count (S8) */
	char last_year[8];
	const char *programme;  /* "" for all */
	const char *level;      /* "" for all */
};

typedef int (*db_stats_code_cb)(const char *code, long n, void *ctx);

/* S1: students with a case open on any day of the year; cases open; cases opened in it. */
int db_stats_followed(db_t *db, const struct stats_filter *f, long *students, long *cases, long *new_cases);
/* S2 and S3: new cases by referral source ("referral_source") or main reason ("main_reason"). */
int db_stats_new_by(db_t *db, const struct stats_filter *f, const char *column, db_stats_code_cb cb, void *ctx);
/* S4: students with an OKONOMI case open in the year; of them, with a granted §18/§19 in it. */
int db_stats_economy(db_t *db, const struct stats_filter *f, long *students, long *granted);
/* S5: students with a granted §18/§19 decision dated in the year, by their longest duration
 * class (LANGTID > KORTTID > ENGANG; "" when not given). */
int db_stats_assistance(db_t *db, const struct stats_filter *f, db_stats_code_cb cb, void *ctx);
/* S6: of the S5 students, those whose living situation at their first such decision is known,
 * and of them those living with one or both parents. */
int db_stats_assistance_living(db_t *db, const struct stats_filter *f, long *known, long *with_parents);
/* S7: cases open in the year; of them with interagency collaboration established. */
int db_stats_interagency(db_t *db, const struct stats_filter *f, long *cases, long *interagency);
/* S8: students with an outcome registered for a school year from first_year to last_year;
 * of them with GAR_OM in any of them. */
int db_stats_repeat(db_t *db, const struct stats_filter *f, long *students, long *repeats);
/* S9: students with a contact dated in the year; then per follow-up code the students given it. */
int db_stats_followup(db_t *db, const struct stats_filter *f, long *students, db_stats_code_cb cb, void *ctx);
/* S10: days from referral to first contact for cases opened in the year with both dates. */
typedef int (*db_stats_days_cb)(long days, void *ctx);
int db_stats_waits(db_t *db, const struct stats_filter *f, db_stats_days_cb cb, void *ctx);
/* S11: students with both a NAV measure and a school measure running in the year. */
int db_stats_both_measures(db_t *db, const struct stats_filter *f, long *students);

/*
 * Every measure above at once, per pilot (the student's pilot), in one statement over the whole
 * scope: the base sets are derived once, not once per measure and unit. Each row is one
 * measure of one pilot; what a, b and c hold:
 *   S1  -            students, cases, new cases
 *   S2  source       new cases                    S3  reason    new cases
 *   S4  -            OKONOMI students, granted    S5  duration  students ("" none given)
 *   S6  -            known, with parents          S7  -         cases, interagency
 *   S8  -            students, GAR_OM             S10 -         days, cases with that wait
 *   S11 -            students
 *   S9c -            student, contact: one row per contact dated in the period; S9 is these
 *                    students, per follow-up code those given it (db_stats_followup_codes)
 * Rows come in no particular order; a measure with nothing to count for a pilot may have no
 * row. Call it and db_stats_followup_codes in one read transaction to count one snapshot.
 */
typedef int (*db_stats_row_cb)(const char *measure, int64_t pilot_id, const char *code, int64_t a, int64_t b,
			       int64_t c, void *ctx);
int db_stats_by_pilot(db_t *db, const struct stats_filter *f, db_stats_row_cb cb, void *ctx);
/* Every follow-up code given at any contact, in order of the contact's id. */
typedef int (*db_stats_followup_cb)(int64_t contact_id, const char *code, void *ctx);
int db_stats_followup_codes(db_t *db, db_stats_followup_cb cb, void *ctx);
/* Reads much of the database for a while (a release): memory-mapped reads on this
 * connection until db_stats_bulk_end. Call outside a transaction. */
void db_stats_bulk_begin(db_t *db);
void db_stats_bulk_end(db_t *db);

#endif

/* ---- releases ---- */
struct release_row {
	int64_t id;
	char school_year[16]; /* "2017/18", or a period "2014/15-2017/18" */
	int version;
	char status[12];
	char inputs_hash[65];
	char *content; /* malloc'd JSON; release_row_free */
	char note[401];
	char created_at[21], created_by[65];
	char approved_by[65], approved_at[21];
	char published_by[65], published_at[21];
};
void release_row_free(struct release_row *r);
/* Inserts the next version of the school year's release as a draft; sets id and version. */
int db_release_insert(db_t *db, struct release_row *r);
int db_release_get(db_t *db, int64_t id, struct release_row *out);
/* The newest published version of a school year (DB_NOTFOUND when none). */
int db_release_published(db_t *db, const char *school_year, struct release_row *out);
/* draft → approved or approved → published, by who; DB_NOTFOUND when not in from_status. */
int db_release_advance(db_t *db, int64_t id, const char *from_status, const char *to_status, const char *who);
typedef int (*db_release_cb)(const struct release_row *r, void *ctx); /* content is NULL */
int db_release_list(db_t *db, db_release_cb cb, void *ctx);
