/*
 * The pilot register (docs/pilots.md): a pilot's period, project years and status, its steering
 * group, its grants per project year and budget post, and its annual and final reports, each
 * change a new version. A pilot is a unit of kind 'pilot'; its schools and NAV offices are the
 * units under it, its county the unit above.
 */
#ifndef ELEVLOS_DB_PILOT_H
#define ELEVLOS_DB_PILOT_H

#include <stdint.h>

#include "db.h"

/* ---- the register ---- */
struct pilot_row {
	int64_t unit_id;
	char code[33];
	char name[201];
	char path[512];
	char county[33];       /* the county unit's code */
	char county_name[201];
	int registered;        /* 0: a pilot unit without register data (start_on is "") */
	char start_on[11];
	char end_on[11];       /* "" while it lasts */
	int project_years;     /* grants are given for project years 1..project_years */
	char status[20];       /* active, fourth_year, ended, continued_locally */
	char updated_at[21];
	char updated_by[65];
};

/* DB_NOTFOUND when code is not a unit of kind 'pilot'; a pilot unit without register data is
 * DB_OK with registered 0. */
int db_pilot_get(db_t *db, const char *code, struct pilot_row *out);
/* Inserts or updates the register data of pilot unit code; DB_INVALID when it is no pilot. */
int db_pilot_put(db_t *db, const char *code, const char *start_on, const char *end_on, int project_years,
		 const char *status, const char *by);
typedef int (*db_pilot_cb)(const struct pilot_row *p, void *ctx);
/* Every pilot unit under scope_path, by county code then start, then name. */
int db_pilot_list(db_t *db, const char *scope_path, db_pilot_cb cb, void *ctx);

/* ---- the steering group ---- */
struct steering_member {
	int64_t id;
	char name[201];
	char organisation[201];
	char role[201];
	char added_at[21];
};
int db_member_add(db_t *db, int64_t pilot_id, const char *name, const char *organisation, const char *role,
		  int64_t *id);
/* Marks the member as gone (kept for the history); DB_NOTFOUND when not a current member of the pilot. */
int db_member_remove(db_t *db, int64_t pilot_id, int64_t id);
typedef int (*db_member_cb)(const struct steering_member *m, void *ctx);
/* Current members, in the order they were added. */
int db_member_list(db_t *db, int64_t pilot_id, db_member_cb cb, void *ctx);

/* ---- grants ---- */
struct grant_row {
	int64_t id;
	int64_t pilot_id;
	char pilot_code[33];
	char pilot_name[201];
	char county[33];
	char county_name[201];
	int project_year;
	int budget_year;
	char chapter[5]; /* "0621" */
	char post[3];    /* "63" positions, "21" gatherings and competence grants */
	int share_pct;   /* post 63; -1 for post 21 */
	long salary_base; /* post 63, NOK; -1 for post 21 */
	int months;
	long amount;     /* NOK */
	char paid_on[11]; /* "" when not paid */
	char updated_by[65];
};
/* Inserts or replaces the line of (pilot, project year, post). DB_CONFLICT: that line is paid
 * and never changes. *id gets the line's id. */
int db_grant_put(db_t *db, const struct grant_row *g, const char *by, int64_t *id);
/* DB_NOTFOUND: no such line of the pilot; DB_CONFLICT: paid already; DB_INVALID: on is not a
 * date YYYY-MM-DD. */
int db_grant_pay(db_t *db, int64_t pilot_id, int64_t id, const char *on, const char *by);
typedef int (*db_grant_cb)(const struct grant_row *g, void *ctx);
/* The lines of one pilot (pilot_id > 0) or of every pilot under scope_path, by budget year,
 * county, pilot, post. */
int db_grant_list(db_t *db, int64_t pilot_id, const char *scope_path, db_grant_cb cb, void *ctx);

/* ---- annual and final reports ---- */
enum preport_field {
	PR_SUMMARY,
	PR_ACTIVITIES,
	PR_CHALLENGES,
	PR_FUNDS,
	PR_GOAL1,
	PR_GOAL2,
	PR_GOAL3,
	PR_GOAL4,
	PR_LESSONS,
	PR_FEEDBACK,
	PR_NFIELDS
};
/* The column of each field, in the order above. */
extern const char *const preport_field_names[PR_NFIELDS];

struct preport_row {
	int64_t id;
	int64_t pilot_id;
	char pilot_code[33];
	char kind[8];    /* annual, final */
	int school_year; /* the autumn year of an annual report; 0 for the final one */
	char state[12];  /* draft, submitted, approved, feedback, closed */
	int version;     /* the newest */
	char submitted_by[65];
	char updated_at[21]; /* the newest version's time */
};

struct preport_version {
	int version;
	char state[12];
	char action[16]; /* created, saved, submitted, returned, approved, feedback, closed */
	char *text[PR_NFIELDS]; /* never NULL after db_preport_version_get; free with preport_version_free */
	int64_t release_id;     /* the statistics release inserted at submission; 0 when none */
	char by_user[65];
	char by_role[16];
	char by_directorate[8];
	char at[21];
};
void preport_version_free(struct preport_version *v);

/* DB_NOTFOUND when the pilot has no such report. */
int db_preport_get(db_t *db, int64_t pilot_id, const char *kind, int school_year, struct preport_row *out);
/* A new report in state draft with an empty version 1 (both or neither written); DB_CONFLICT
 * when it exists. */
int db_preport_create(db_t *db, int64_t pilot_id, const char *kind, int school_year, const struct account *by,
		      int64_t *id);
/* Version `version` of a report, or its newest when version is 0; DB_NOTFOUND when none. */
int db_preport_version_get(db_t *db, int64_t report_id, int version, struct preport_version *out);
/*
 * Adds version expected+1 with state and action, the texts (NULL: as in version `expected`) and
 * release_id (< 0: as before), and moves the report to it. DB_CONFLICT when the report's newest
 * version is no longer `expected` (someone else saved first). On any failure nothing is written.
 */
int db_preport_advance(db_t *db, int64_t report_id, int expected, const char *state, const char *action,
		       const char *const text[PR_NFIELDS], int64_t release_id, const struct account *by);
typedef int (*db_preport_version_cb)(const struct preport_version *v, void *ctx);
/* Every version, newest first, without the texts (text[] are NULL). */
int db_preport_history(db_t *db, int64_t report_id, db_preport_version_cb cb, void *ctx);
typedef int (*db_preport_cb)(const struct preport_row *r, void *ctx);
/* The reports of one pilot (pilot_id > 0) or of every pilot under scope_path: by pilot, kind
 * (annual first), year. */
int db_preport_list(db_t *db, int64_t pilot_id, const char *scope_path, db_preport_cb cb, void *ctx);

#endif
