#include "evaluate.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "../db/eval.h"

struct rows {
	struct eval_panel_row *v;
	int n, cap;
};

static int take_row(const struct eval_panel_row *r, void *ctx)
{
	struct rows *x = ctx;
	if (x->n == x->cap) {
		x->cap = x->cap ? 2 * x->cap : 1024;
		x->v = xrealloc(x->v, (size_t)x->cap * sizeof *x->v);
	}
	x->v[x->n++] = *r;
	return 0;
}

int eval_run(db_t *db, const char *programme, const struct did_opts *o, struct eval_run *out, char *err,
	     size_t errsz)
{
	memset(out, 0, sizeof *out);
	snprintf(out->programme, sizeof out->programme, "%s", programme);
	struct rows rows = {0};
	if (db_eval_panel(db, programme, take_row, &rows) != DB_OK) {
		free(rows.v);
		snprintf(err, errsz, "cannot read the dropout figures");
		return -1;
	}
	if (rows.n == 0) {
		snprintf(err, errsz, "no dropout figures for %s: import them with elevlos import udir", programme);
		return -1;
	}
	int first = rows.v[0].school_year, last = first;
	for (int i = 0; i < rows.n; i++) {
		if (rows.v[i].school_year < first)
			first = rows.v[i].school_year;
		if (rows.v[i].school_year > last)
			last = rows.v[i].school_year;
	}
	/* Rows come by school then year: number the schools in that order. */
	int nschools = 0;
	for (int i = 0; i < rows.n; i++)
		if (i == 0 || rows.v[i].school_id != rows.v[i - 1].school_id)
			nschools++;
	out->first_year = first;
	out->nperiods = last - first + 1;
	out->nschools = nschools;
	struct did_panel *p = did_panel_new(nschools, out->nperiods);
	if (!p) {
		free(rows.v);
		snprintf(err, errsz, "the panel is too large");
		return -1;
	}
	for (int i = 0, s = -1; i < rows.n; i++) {
		const struct eval_panel_row *x = &rows.v[i];
		if (i == 0 || x->school_id != rows.v[i - 1].school_id) {
			s++;
			/* A pilot that began before the figures do has no year before its start. */
			int g = x->cohort ? x->cohort - first + 1 : 0;
			did_set_cohort(p, s, g < 1 && x->cohort ? 1 : g);
			out->npilot += x->cohort != 0;
		}
		did_set(p, s, x->school_year - first + 1, x->has_share ? x->share : NAN,
			x->students > 0 ? (double)x->students : 0);
	}
	free(rows.v);
	if (o)
		out->opts = *o;
	else
		did_opts_default(&out->opts);
	int rc = did_estimate(p, &out->opts, &out->r);
	did_panel_free(p);
	if (rc != DID_OK) {
		snprintf(err, errsz, "%s", did_strerror(rc));
		return -1;
	}
	return 0;
}

void eval_run_free(struct eval_run *e)
{
	did_result_free(&e->r);
}

static json_t *num(double v)
{
	return isnan(v) || isinf(v) ? json_null() : json_real(v);
}

static json_t *est_json(const struct did_est *e)
{
	return json_pack("{s:o,s:o,s:o,s:o,s:i,s:i}", "estimate", num(e->est), "se", num(e->se), "low", num(e->lo), "high",
			 num(e->hi), "cohorts", e->n_cohorts, "schools", e->n_schools);
}

static char *year_text(int y, char buf[16])
{
	snprintf(buf, 16, "%d/%02d", y, (y + 1) % 100);
	return buf;
}

void *eval_run_json(const struct eval_run *e)
{
	const struct did_result *r = &e->r;
	char a[16], b[16];
	json_t *event = json_array(), *cohorts = json_array(), *notes = json_array();
	for (int i = 0; i < DID_EVENT_N; i++) {
		json_t *x = est_json(&r->event[i]);
		json_object_set_new(x, "e", json_integer(DID_EVENT_MIN + i));
		json_array_append_new(event, x);
	}
	for (int i = 0; i < r->ncohorts; i++) {
		const struct did_cohort *c = &r->cohorts[i];
		json_t *x = est_json(&c->att);
		json_object_set_new(x, "start", json_string(year_text(e->first_year + c->g - 1, a)));
		json_object_set_new(x, "pilot_schools", json_integer(c->n_schools));
		json_object_set_new(x, "students_before", json_real(c->size));
		json_array_append_new(cohorts, x);
	}
	static const struct {
		unsigned bit;
		const char *name;
	} note_names[] = {{DID_NOTE_COHORT_NO_PRE, "cohort_without_pre_period"},
			  {DID_NOTE_COHORT_LATE, "cohort_after_last_year"},
			  {DID_NOTE_MISSING, "missing_outcomes"},
			  {DID_NOTE_ZERO_WEIGHT, "zero_students"},
			  {DID_NOTE_CELL_MISSING, "undefined_group_time_cell"},
			  {DID_NOTE_BOOT_UNDEFINED, "bootstrap_undefined"},
			  {DID_NOTE_SMALL_COHORT, "small_cohort"},
			  {DID_NOTE_NO_TWFE, "no_twfe"}};
	for (size_t i = 0; i < sizeof note_names / sizeof note_names[0]; i++)
		if (r->notes & note_names[i].bit)
			json_array_append_new(notes, json_string(note_names[i].name));
	json_t *j = json_pack("{s:s,s:s,s:s,s:i,s:i,s:i}", "method",
			      "Callaway-Sant'Anna group-time ATT, never-treated controls, weighted by students",
			      "programme", e->programme, "years", "", "schools", e->nschools, "pilot_schools", e->npilot,
			      "control_schools", r->n_control);
	char years[40];
	snprintf(years, sizeof years, "%s-%s", year_text(e->first_year, a), year_text(e->first_year + e->nperiods - 1, b));
	json_object_set_new(j, "years", json_string(years));
	json_object_set_new(j, "overall", est_json(&r->overall));
	json_object_set_new(j, "simple", est_json(&r->simple));
	json_object_set_new(j, "twfe", est_json(&r->twfe));
	json_object_set_new(j, "event_time", event);
	json_object_set_new(j, "cohorts", cohorts);
	json_object_set_new(j, "pretrend", json_boolean(r->pretrend));
	json_object_set_new(j, "twfe_sign_differs", json_boolean(r->twfe_sign_differs));
	json_object_set_new(j, "warning", r->warning ? json_string(r->warning) : json_null());
	json_object_set_new(j, "notes", notes);
	json_object_set_new(j, "bootstrap", json_pack("{s:i,s:I,s:f,s:i}", "replicates", r->nboot, "seed",
						      (json_int_t)e->opts.seed, "alpha", e->opts.alpha, "undefined",
						      r->nboot_undefined));
	return j;
}

/* ---- the pilot schools' classification ---- */

struct pilots {
	struct pilot_school *v;
	int n, cap;
};

static int take_pilot(const struct pilot_school *p, void *ctx)
{
	struct pilots *x = ctx;
	if (x->n == x->cap) {
		x->cap = x->cap ? 2 * x->cap : 64;
		x->v = xrealloc(x->v, (size_t)x->cap * sizeof *x->v);
	}
	x->v[x->n++] = *p;
	return 0;
}

struct series_ctx {
	struct eval_school *s;
	int from, to, before, last;
};

static int take_share(const struct udir_row *r, void *ctx)
{
	struct series_ctx *c = ctx;
	if (r->suppressed)
		return 0;
	if (r->school_year == c->from) {
		c->s->has_from = 1;
		c->s->from = r->share;
	}
	if (r->school_year == c->to) {
		c->s->has_to = 1;
		c->s->to = r->share;
	}
	if (r->school_year == c->before) {
		c->s->has_before = 1;
		c->s->before = r->share;
	}
	/* The last published year of the pilot period. */
	if (r->school_year > c->before && (!c->last || r->school_year <= c->last)) {
		c->s->has_last = 1;
		c->s->last = r->share;
	}
	return 0;
}

int eval_classify(db_t *db, const char *programme, int from_year, int to_year, struct eval_school **out, int *n)
{
	*out = NULL;
	*n = 0;
	struct pilots p = {0};
	if (db_pilot_school_list(db, take_pilot, &p) != DB_OK) {
		free(p.v);
		return -1;
	}
	struct eval_school *v = xcalloc((size_t)(p.n ? p.n : 1), sizeof *v);
	for (int i = 0; i < p.n; i++) {
		struct eval_school *s = &v[i];
		snprintf(s->orgnr, sizeof s->orgnr, "%s", p.v[i].orgnr);
		snprintf(s->name, sizeof s->name, "%s", p.v[i].name);
		snprintf(s->pilot, sizeof s->pilot, "%s", p.v[i].pilot_code);
		snprintf(s->county_2024, sizeof s->county_2024, "%s", p.v[i].county_2024);
		s->start_year = p.v[i].start_year;
		s->end_year = p.v[i].end_year;
		struct series_ctx c = {s, from_year, to_year, s->start_year - 1, s->end_year};
		if (db_udir_series(db, p.v[i].school_id, programme, take_share, &c) != DB_OK) {
			free(p.v);
			free(v);
			return -1;
		}
		/* Compared at Udir's one decimal. */
		long a = lround(s->from * 10), b = lround(s->to * 10);
		s->cls = !s->has_from || !s->has_to ? EVAL_NONE : b < a ? EVAL_FELL : b > a ? EVAL_ROSE : EVAL_SAME;
	}
	*out = v;
	*n = p.n;
	free(p.v);
	return 0;
}

/* ---- one school's trend ---- */

static int slot_of(int year, int first)
{
	int i = year - first;
	if (i < 0 || i >= EVAL_MAX_YEARS)
		return -1;
	return i;
}

struct trend_ctx {
	struct eval_series *s;
	int first;
};

static int school_share(const struct udir_row *r, void *ctx)
{
	struct trend_ctx *t = ctx;
	int i = slot_of(r->school_year, t->first);
	if (i >= 0 && !r->suppressed)
		t->s->value[i] = r->share;
	return 0;
}

static int average_share(const struct eval_average *a, void *ctx)
{
	struct trend_ctx *t = ctx;
	int i = slot_of(a->school_year, t->first);
	if (i >= 0 && a->schools > 0)
		t->s->value[i] = a->share;
	return 0;
}

static int first_year(const struct eval_average *a, void *ctx)
{
	int *y = ctx;
	if (!*y || a->school_year < *y)
		*y = a->school_year;
	return 0;
}

int eval_trend(db_t *db, const char *orgnr, const char *programme, const char *const names[3],
	       struct eval_series out[3], char *school_name, size_t namesz)
{
	struct school sc;
	int rc = db_school_get(db, orgnr, &sc);
	if (rc != DB_OK)
		return rc;
	snprintf(school_name, namesz, "%s", sc.name);
	int first = 0;
	if (db_eval_averages(db, programme, "", first_year, &first) != DB_OK)
		return DB_ERROR;
	int last = first;
	for (int k = 0; k < 3; k++) {
		memset(&out[k], 0, sizeof out[k]);
		out[k].name = names[k];
		for (int i = 0; i < EVAL_MAX_YEARS; i++)
			out[k].value[i] = NAN;
	}
	struct trend_ctx t0 = {&out[0], first}, t1 = {&out[1], first}, t2 = {&out[2], first};
	if (db_udir_series(db, sc.id, programme, school_share, &t0) != DB_OK ||
	    db_eval_averages(db, programme, sc.county_2024, average_share, &t1) != DB_OK ||
	    db_eval_averages(db, programme, "", average_share, &t2) != DB_OK)
		return DB_ERROR;
	for (int k = 0; k < 3; k++)
		for (int i = 0; i < EVAL_MAX_YEARS; i++)
			if (!isnan(out[k].value[i]) && first + i > last)
				last = first + i;
	int n = first ? last - first + 1 : 0;
	for (int k = 0; k < 3; k++) {
		out[k].n = n;
		for (int i = 0; i < n; i++)
			year_text(first + i, out[k].year[i]);
	}
	return DB_OK;
}
