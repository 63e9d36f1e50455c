/*
 * One unit's figures from published statistics releases, as tables and a trend in the reader's
 * language: the single model that the statistics page (HTML + SVG), CSV, XLSX and PDF render,
 * so that no two of them can disagree. Only protected counts enter it (a suppressed count is
 * never read); every share is computed from two published counts.
 */
#ifndef ELEVLOS_REPORT_H
#define ELEVLOS_REPORT_H

#include "../core/util.h"
#include "../db/db.h"

#define REPORT_MAX_ROWS 24
#define REPORT_MAX_TABLES 8
#define REPORT_MAX_YEARS 16
/* What a suppressed count shows: Statistics Norway's symbol for "not shown for confidentiality". */
#define REPORT_MARK ":"

struct report_value {
	int shown; /* 0: suppressed */
	long n;
};

struct report_row {
	char code[32];   /* the measure's code in its list, or the cell's measure name ("S4") */
	char label[200]; /* in the report's language */
	struct report_value count;
	struct report_value of; /* the denominator; only in tables with with_of */
	int has_share;          /* count and of shown, of > 0 */
	double share;           /* percent, 0..100 */
	char text[40];          /* a figure that is not a count (S10: "4.0 / 9"): shown instead of count */
};

struct report_table {
	char id[16];     /* "S1", "S2", "S3", "S5", "shares", "S9": sheet name and anchor */
	char title[200]; /* in the report's language */
	int with_of;     /* columns label, count, of, share; else label, count */
	int chart;       /* a distribution over a code list: drawn as bars of its shares */
	struct report_row rows[REPORT_MAX_ROWS];
	int nrows;
};

/* S1 over the school years that have a published release, oldest first. */
struct report_point {
	char school_year[16];
	struct report_value students;  /* S1 students followed up */
	struct report_value new_cases; /* S1 new cases */
};

struct report {
	const char *lang; /* "nb" or "en" */
	char school_year[16];
	int version;
	char status[12]; /* draft, approved, published */
	char inputs_hash[65];
	char published_at[21];
	char unit[33];
	char unit_name[201];
	long k, small_group;
	struct report_table tables[REPORT_MAX_TABLES];
	int ntables;
	struct report_point trend[REPORT_MAX_YEARS];
	int ntrend;
	/* Headings and notes in lang, for every renderer. */
	const char *title, *col_label, *col_count, *col_of, *col_share, *protection_note, *trend_title;
};

/*
 * From the newest published release of school_year for unit (a nation, county or pilot code).
 * DB_OK; DB_NOTFOUND when the year has no published release or the unit is not in it;
 * DB_ERROR when the database or a stored release cannot be read.
 */
int report_build(db_t *db, const char *school_year, const char *unit, const char *lang, struct report *out);
/* The same from release id in any status (an analyst's preview before approving): DB_NOTFOUND
 * when there is no such release or the unit is not in it. */
int report_build_id(db_t *db, int64_t id, const char *unit, const char *lang, struct report *out);

/* The trend and one distribution table as SVG (role="img", a title, no script), for the page. */
void report_svg_trend(const struct report *r, buf_t *out);
void report_svg_distribution(const struct report *r, const struct report_table *t, buf_t *out);

#endif
