#include "report.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/record.h"
#include "../db/stats.h"
#include "../i18n/i18n.h"

struct src {
	json_t *cells;
	const char *unit;
};

/* The protected count "what|unit": shown with its value, or not (suppressed or absent). */
static struct report_value val(const struct src *s, const char *what)
{
	char key[96];
	snprintf(key, sizeof key, "%s|%s", what, s->unit);
	json_t *c = json_object_get(s->cells, key);
	struct report_value v = {0, 0};
	if (json_is_integer(c)) {
		v.shown = 1;
		v.n = (long)json_integer_value(c);
	}
	return v;
}

static struct report_row *add_row(struct report_table *t, const char *code, const char *label)
{
	if (t->nrows >= REPORT_MAX_ROWS)
		return NULL;
	struct report_row *w = &t->rows[t->nrows++];
	memset(w, 0, sizeof *w);
	snprintf(w->code, sizeof w->code, "%s", code);
	snprintf(w->label, sizeof w->label, "%s", label);
	return w;
}

static void ratio(struct report_table *t, const char *code, const char *label, struct report_value a,
		  struct report_value of)
{
	struct report_row *w = add_row(t, code, label);
	if (!w)
		return;
	w->count = a;
	w->of = of;
	if (a.shown && of.shown && of.n > 0) {
		w->has_share = 1;
		w->share = 100.0 * (double)a.n / (double)of.n;
	}
}

static struct report_table *new_table(struct report *r, const char *id, const char *title_key, int with_of,
				      int chart)
{
	if (r->ntables >= REPORT_MAX_TABLES)
		return NULL;
	struct report_table *t = &r->tables[r->ntables++];
	memset(t, 0, sizeof *t);
	snprintf(t->id, sizeof t->id, "%s", id);
	snprintf(t->title, sizeof t->title, "%s", T(r->lang, title_key));
	t->with_of = with_of;
	t->chart = chart;
	return t;
}

struct label_ctx {
	struct report_table *t;
	int en;
};

/* Gives the rows of this code their label in the report's language (one pass over the list). */
static int take_label(const char *code, const char *nb, const char *en, void *ctx)
{
	struct label_ctx *l = ctx;
	for (int i = 0; i < l->t->nrows; i++)
		if (!strcmp(l->t->rows[i].code, code))
			snprintf(l->t->rows[i].label, sizeof l->t->rows[i].label, "%s", l->en && en && en[0] ? en : nb);
	return 0;
}

/* A distribution of one measure over a code list, each code's count of one denominator. */
static void distribution(db_t *db, struct report *r, const struct src *s, const char *id, const char *title_key,
			 json_t *codes, const char *list, const char *suffix, const char *of_what)
{
	struct report_table *t = new_table(r, id, title_key, 1, 1);
	if (!t)
		return;
	struct report_value of = val(s, of_what);
	size_t i;
	json_t *c;
	json_array_foreach(codes, i, c) {
		const char *code = json_string_value(c);
		if (!code)
			continue;
		char what[64];
		snprintf(what, sizeof what, "%s.%s%s", id, code, suffix);
		/* The code stands until the list names it; UKJENT is no code of the list. */
		ratio(t, code, !strcmp(code, "UKJENT") ? T(r->lang, "stats.not_given") : code, val(s, what), of);
	}
	struct label_ctx l = {t, !strcmp(r->lang, "en")};
	db_code_list(db, list, take_label, &l);
}

static int year_cmp(const void *a, const void *b)
{
	return strcmp(((const struct report_point *)a)->school_year, ((const struct report_point *)b)->school_year);
}

struct years_ctx {
	struct report *r;
};

/* Single school years with a published release, once each (the list is newest first). */
static int take_year(const struct release_row *x, void *ctx)
{
	struct report *r = ((struct years_ctx *)ctx)->r;
	if (strcmp(x->status, "published") != 0 || strchr(x->school_year, '-') || r->ntrend >= REPORT_MAX_YEARS)
		return 0;
	for (int i = 0; i < r->ntrend; i++)
		if (!strcmp(r->trend[i].school_year, x->school_year))
			return 0;
	struct report_point *p = &r->trend[r->ntrend++];
	memset(p, 0, sizeof *p);
	snprintf(p->school_year, sizeof p->school_year, "%s", x->school_year);
	return 0;
}

static int trend(db_t *db, struct report *r)
{
	struct years_ctx y = {r};
	if (db_release_list(db, take_year, &y) != DB_OK)
		return DB_ERROR;
	qsort(r->trend, (size_t)r->ntrend, sizeof r->trend[0], year_cmp);
	for (int i = 0; i < r->ntrend; i++) {
		struct release_row rel;
		if (db_release_published(db, r->trend[i].school_year, &rel) != DB_OK)
			return DB_ERROR;
		json_t *doc = json_loads(rel.content, 0, NULL);
		release_row_free(&rel);
		if (!doc)
			return DB_ERROR;
		struct src s = {json_object_get(doc, "cells"), r->unit};
		r->trend[i].students = val(&s, "S1.students");
		r->trend[i].new_cases = val(&s, "S1.new");
		json_decref(doc);
	}
	return DB_OK;
}

static void headings(struct report *r)
{
	r->title = T(r->lang, "stats.title");
	r->col_label = T(r->lang, "stats.measure");
	r->col_count = T(r->lang, "stats.count");
	r->col_of = T(r->lang, "stats.of");
	r->col_share = T(r->lang, "stats.share");
	r->protection_note = T(r->lang, "stats.protection");
	r->trend_title = T(r->lang, "stats.trend");
}

static void s1_table(struct report *r, const struct src *s, json_t *waits)
{
	struct report_table *t = new_table(r, "S1", "stats.s1", 0, 0);
	if (!t)
		return;
	static const char *const rows[][2] = {{"S1.students", "stats.s1_students"},
					      {"S1.cases", "stats.s1_cases"},
					      {"S1.new", "stats.s1_new"},
					      {"S10.n", "stats.s10_n"}};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct report_row *w = add_row(t, rows[i][0], T(r->lang, rows[i][1]));
		if (w)
			w->count = val(s, rows[i][0]);
	}
	/* S10's median and 90th percentile: published only where the release gave them. */
	struct report_row *w = add_row(t, "S10", T(r->lang, "stats.s10"));
	if (!w)
		return;
	json_t *wu = json_object_get(waits, r->unit);
	json_t *med = json_object_get(wu, "median"), *p90 = json_object_get(wu, "p90");
	if (json_is_number(med) && json_is_number(p90))
		snprintf(w->text, sizeof w->text, "%.1f / %.0f", json_number_value(med), json_number_value(p90));
	else if (json_is_number(med))
		snprintf(w->text, sizeof w->text, "%.1f / –", json_number_value(med));
	else
		snprintf(w->text, sizeof w->text, "–");
}

static int from_release(db_t *db, struct release_row *rel_in, int rc, const char *unit, const char *lang,
			struct report *out)
{
	memset(out, 0, sizeof *out);
	out->lang = lang && !strcmp(lang, "en") ? "en" : "nb";
	headings(out);
	if (rc != DB_OK)
		return rc;
	struct release_row rel = *rel_in;
	json_t *doc = json_loads(rel.content, 0, NULL);
	snprintf(out->school_year, sizeof out->school_year, "%s", rel.school_year);
	snprintf(out->inputs_hash, sizeof out->inputs_hash, "%s", rel.inputs_hash);
	snprintf(out->published_at, sizeof out->published_at, "%s", rel.published_at);
	snprintf(out->status, sizeof out->status, "%s", rel.status);
	out->version = rel.version;
	release_row_free(&rel);
	if (!doc)
		return DB_ERROR;
	snprintf(out->unit, sizeof out->unit, "%s", unit);
	struct src s = {json_object_get(doc, "cells"), out->unit};
	rc = DB_NOTFOUND;
	size_t i;
	json_t *u;
	json_array_foreach(json_object_get(doc, "units"), i, u) {
		const char *code = json_string_value(json_object_get(u, "code"));
		const char *name = json_string_value(json_object_get(u, "name"));
		if (code && !strcmp(code, unit)) {
			snprintf(out->unit_name, sizeof out->unit_name, "%s", name ? name : unit);
			rc = DB_OK;
		}
	}
	if (rc != DB_OK) {
		json_decref(doc);
		return rc;
	}
	json_t *prot = json_object_get(doc, "protection"), *codes = json_object_get(doc, "codes");
	out->k = (long)json_integer_value(json_object_get(prot, "k"));
	out->small_group = (long)json_integer_value(json_object_get(prot, "small_group"));

	s1_table(out, &s, json_object_get(doc, "waits"));
	distribution(db, out, &s, "S2", "stats.s2", json_object_get(codes, "referral_source"), "referral_source",
		     "", "S1.new");
	distribution(db, out, &s, "S3", "stats.s3", json_object_get(codes, "reason"), "reason", "", "S1.new");
	distribution(db, out, &s, "S5", "stats.s5", json_object_get(codes, "duration"), "duration", "", "S5.total");
	struct report_table *t = new_table(out, "shares", "stats.shares", 1, 0);
	if (t) {
		static const char *const rows[][4] = {{"S4", "stats.s4", "S4.yes", "S4.group"},
						      {"S6", "stats.s6", "S6.yes", "S6.group"},
						      {"S7", "stats.s7", "S7.yes", "S1.cases"},
						      {"S8", "stats.s8", "S8.yes", "S8.group"},
						      {"S11", "stats.s11", "S11.yes", "S1.students"},
						      {"S12", "stats.s12", "S5.total", "S1.students"}};
		for (size_t j = 0; j < sizeof rows / sizeof rows[0]; j++)
			ratio(t, rows[j][0], T(out->lang, rows[j][1]), val(&s, rows[j][2]), val(&s, rows[j][3]));
	}
	distribution(db, out, &s, "S9", "stats.s9", json_object_get(codes, "followup"), "followup", ".yes", "S9.group");
	json_decref(doc);
	return trend(db, out);
}

int report_build(db_t *db, const char *school_year, const char *unit, const char *lang, struct report *out)
{
	struct release_row rel;
	int rc = db_release_published(db, school_year, &rel);
	return from_release(db, &rel, rc, unit, lang, out);
}

int report_build_id(db_t *db, int64_t id, const char *unit, const char *lang, struct report *out)
{
	struct release_row rel;
	int rc = db_release_get(db, id, &rel);
	return from_release(db, &rel, rc, unit, lang, out);
}
