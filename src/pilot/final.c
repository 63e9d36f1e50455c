#include "final.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/util.h"
#include "../db/eval.h"
#include "../db/stats.h"
#include "../eval/evaluate.h"
#include "../i18n/i18n.h"

void pdoc_year_label(int autumn, char out[16])
{
	snprintf(out, 16, "%d/%02d", autumn, (autumn + 1) % 100);
}

int pdoc_school_year(const char *date)
{
	if (!date || strlen(date) < 7)
		return 0;
	int y = atoi(date), m = atoi(date + 5);
	return m >= 8 ? y : y - 1;
}

struct school_ctx {
	struct pdoc *d;
	db_t *db;
	int rc;
};

static int add_school(const struct pilot_school *ps, void *ctx)
{
	struct school_ctx *c = ctx;
	struct pdoc *d = c->d;
	if (strcmp(ps->pilot_code, d->pilot.code) != 0 || d->nschools >= PDOC_MAX_SCHOOLS)
		return 0;
	struct pdoc_school *s = &d->schools[d->nschools];
	memset(s, 0, sizeof *s);
	snprintf(s->orgnr, sizeof s->orgnr, "%s", ps->orgnr);
	snprintf(s->names[0], sizeof s->names[0], "%s", ps->name);
	snprintf(s->names[1], sizeof s->names[1], "%s", T(d->lang, "evaluation.county_average"));
	snprintf(s->names[2], sizeof s->names[2], "%s", T(d->lang, "evaluation.national_average"));
	const char *names[3] = {s->names[0], s->names[1], s->names[2]};
	int rc = eval_trend(c->db, ps->orgnr, "yrkesfag", names, s->s, s->name, sizeof s->name);
	if (rc == DB_ERROR) {
		c->rc = DB_ERROR;
		return 1;
	}
	if (rc == DB_OK)
		d->nschools++;
	return 0;
}

/* The pilot's statistics for one school year: from release_id when given, else the newest
 * published release of the year. 1 when added, 0 when the year has none, -1 on error. */
static int add_year(db_t *db, struct pdoc *d, int autumn, int64_t release_id)
{
	char label[16];
	pdoc_year_label(autumn, label);
	struct report *rep = &d->years[d->nyears];
	int rc = release_id > 0 ? report_build_id(db, release_id, d->pilot.code, d->lang, rep)
				: report_build(db, label, d->pilot.code, d->lang, rep);
	if (rc == DB_OK) {
		d->nyears++;
		return 1;
	}
	if (rc != DB_NOTFOUND)
		return -1;
	if (d->nmissing < PDOC_MAX_YEARS)
		snprintf(d->missing[d->nmissing++], sizeof d->missing[0], "%s", label);
	return 0;
}

int pdoc_this_school_year(void)
{
	char today[11];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(today, sizeof today, "%Y-%m-%d", &tm);
	return pdoc_school_year(today);
}

void pdoc_years(const struct pilot_row *p, int *first, int *last)
{
	*first = pdoc_school_year(p->start_on);
	*last = p->end_on[0] && strcmp(p->status, "continued_locally") != 0 ? pdoc_school_year(p->end_on)
									      : pdoc_this_school_year();
	if (*last < *first)
		*last = *first;
}

int pdoc_build(db_t *db, const struct pilot_row *p, const struct preport_row *row, int version, const char *lang,
	       struct pdoc *out)
{
	memset(out, 0, sizeof *out);
	out->lang = lang;
	out->pilot = *p;
	out->row = *row;
	int rc = db_preport_version_get(db, row->id, version, &out->v);
	if (rc != DB_OK)
		return rc;
	out->years = xcalloc(PDOC_MAX_YEARS, sizeof *out->years);
	if (!strcmp(row->kind, "annual")) {
		if (add_year(db, out, row->school_year, out->v.release_id) < 0)
			goto fail;
		return DB_OK;
	}
	/* The final report: every school year of the pilot. */
	int first, last;
	pdoc_years(p, &first, &last);
	if (last - first + 1 > PDOC_MAX_YEARS)
		first = last - PDOC_MAX_YEARS + 1;
	for (int y = first; first > 0 && y <= last; y++) {
		if (add_year(db, out, y, 0) < 0)
			goto fail;
	}
	/* An open pilot: years after the newest published one are not "missing" yet. */
	if (!p->end_on[0]) {
		while (out->nmissing > 0 && out->nyears > 0 &&
		       strcmp(out->missing[out->nmissing - 1], out->years[out->nyears - 1].school_year) > 0)
			out->nmissing--;
	}
	out->schools = xcalloc(PDOC_MAX_SCHOOLS, sizeof *out->schools);
	struct school_ctx c = {out, db, DB_OK};
	if (db_pilot_school_list(db, add_school, &c) != DB_OK || c.rc != DB_OK)
		goto fail;
	return DB_OK;
fail:
	pdoc_free(out);
	return DB_ERROR;
}

void pdoc_free(struct pdoc *d)
{
	preport_version_free(&d->v);
	free(d->years);
	free(d->schools);
	d->years = NULL;
	d->schools = NULL;
	d->nyears = d->nschools = 0;
}
