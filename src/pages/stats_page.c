/* The statistics page: a unit's figures from the newest published release of a school year,
 * as tables with shares computed from protected counts only. Suppressed counts show as "·". */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "../auth/role.h"
#include "../db/stats.h"
#include "../http/html.h"
#include "../registration/registration.h"
#include "formkit.h"
#include "pages.h"

struct view {
	struct req *r;
	json_t *cells;
	const char *unit;
};

/* The protected count "what|unit": 1 and the value when published, 0 when suppressed/absent. */
static int get(struct view *v, const char *what, long *out)
{
	char key[96];
	snprintf(key, sizeof key, "%s|%s", what, v->unit);
	json_t *c = json_object_get(v->cells, key);
	if (!json_is_integer(c))
		return 0;
	*out = (long)json_integer_value(c);
	return 1;
}

static void count_cell(struct view *v, int shown, long n)
{
	buf_t *b = &v->r->out;
	if (shown)
		buf_printf(b, "<td class=\"aksel-table__data-cell app-num\">%ld</td>", n);
	else
		html_raw(b, "<td class=\"aksel-table__data-cell app-num\"><abbr title=\"skjult / suppressed\">·</abbr></td>");
}

static void share_cell(struct view *v, int a_shown, long a, int b_shown, long b)
{
	buf_t *o = &v->r->out;
	if (a_shown && b_shown && b > 0)
		buf_printf(o, "<td class=\"aksel-table__data-cell app-num\">%.0f %%</td>", 100.0 * (double)a / (double)b);
	else
		html_raw(o, "<td class=\"aksel-table__data-cell app-num\">–</td>");
}

/* One row: label, count, denominator, share. */
static void ratio_row(struct view *v, const char *label_key, const char *num, const char *den)
{
	long a = 0, b = 0;
	int as = get(v, num, &a), bs = get(v, den, &b);
	html_raw(&v->r->out, "<tr class=\"aksel-table__row\">");
	html_elem(&v->r->out, "th", tr(v->r, label_key), "scope", "row", "class", "aksel-table__data-cell", HTML_END);
	count_cell(v, as, a);
	count_cell(v, bs, b);
	share_cell(v, as, a, bs, b);
	html_raw(&v->r->out, "</tr>");
}

static void table_start(struct req *r, const char *caption_key, const char *const *cols)
{
	buf_t *b = &r->out;
	html_raw(b, "<div class=\"app-scroll\"><table class=\"aksel-table aksel-table--small app-table\">");
	html_elem(b, "caption", tr(r, caption_key), "class", "app-caption", HTML_END);
	html_raw(b, "<thead><tr>");
	for (; *cols; cols++)
		html_elem(b, "th", tr(r, *cols), "scope", "col", "class", "aksel-table__header-cell", HTML_END);
	html_raw(b, "</tr></thead><tbody>");
}

/* A distribution over a code list: S2 (referral source), S3 (reason), S5 (duration). */
static void distribution(struct view *v, const char *caption_key, const char *measure, const char *list,
			 json_t *codes, const char *total)
{
	static const char *const cols[] = {"stats.category", "stats.count", "stats.of", "stats.share", NULL};
	table_start(v->r, caption_key, cols);
	long t = 0;
	int ts = get(v, total, &t);
	size_t i;
	json_t *c;
	json_array_foreach(codes, i, c) {
		char key[64];
		long n = 0;
		snprintf(key, sizeof key, "%s.%s", measure, json_string_value(c));
		int ns = get(v, key, &n);
		html_raw(&v->r->out, "<tr class=\"aksel-table__row\">");
		const char *label = list ? fk_label(v->r, list, json_string_value(c)) : json_string_value(c);
		html_elem(&v->r->out, "th", label, "scope", "row", "class", "aksel-table__data-cell", HTML_END);
		count_cell(v, ns, n);
		count_cell(v, ts, t);
		share_cell(v, ns, n, ts, t);
		html_raw(&v->r->out, "</tr>");
	}
	html_raw(&v->r->out, "</tbody></table></div>");
}

struct year_ctx {
	struct req *r;
	const char *chosen;
	char newest[16]; /* a school year or a period (release_row.school_year) */
	int n;
};

static int year_option(const struct release_row *x, void *ctx)
{
	struct year_ctx *y = ctx;
	if (strcmp(x->status, "published") != 0)
		return 0;
	if (!y->newest[0])
		snprintf(y->newest, sizeof y->newest, "%s", x->school_year);
	/* The list is newest first; a year appears once, for its newest published version. */
	char marker[32];
	snprintf(marker, sizeof marker, "value=\"%s\"", x->school_year);
	if (y->r->out.p && strstr(y->r->out.p, marker))
		return 0;
	html_tag(&y->r->out, "option", "value", x->school_year, "selected",
		 y->chosen && !strcmp(y->chosen, x->school_year) ? "" : HTML_END, HTML_END);
	html_text(&y->r->out, x->school_year);
	html_raw(&y->r->out, "</option>");
	y->n++;
	return 0;
}

int page_statistics(struct req *r)
{
	buf_t *b = &r->out;
	int analyst = role_bit(r->user->role) == ROLE_ANALYTIKER;
	char own[33] = "";
	if (!analyst)
		pilot_of_path(r->user->unit_path, own);
	const char *unit = analyst ? (r->in.v[KEY_UNIT] ? r->in.v[KEY_UNIT] : "NO") : own;
	page_begin(r, tr(r, "stats.title"));
	fk_heading(r, 1, tr(r, "stats.title"));
	html_elem(b, "p", tr(r, "stats.intro"), "class", "aksel-body-long", HTML_END);

	html_raw(b, "<form method=\"get\" action=\"/statistics\" class=\"app-search\">");
	html_raw(b, "<div class=\"aksel-form-field\"><label for=\"f-school_year\" class=\"aksel-form-field__label aksel-label\">");
	html_text(b, tr(r, "outcome.school_year"));
	html_raw(b, "</label><select id=\"f-school_year\" name=\"school_year\" class=\"aksel-select__input\">");
	struct year_ctx y = {r, r->in.v[KEY_SCHOOL_YEAR], "", 0};
	if (db_release_list(r->db, year_option, &y) != DB_OK)
		return http_error(r, 500, "could not read releases");
	html_raw(b, "</select></div>");
	if (analyst)
		fk_input(r, "unit", "stats.unit", "text", "off", unit, 1);
	fk_submit(r, "stats.show");
	html_raw(b, "</form>");

	const char *year = r->in.v[KEY_SCHOOL_YEAR] ? r->in.v[KEY_SCHOOL_YEAR] : y.newest;
	struct release_row rel;
	if (!year[0] || db_release_published(r->db, year, &rel) != DB_OK) {
		html_elem(b, "p", tr(r, "stats.none"), "role", "status", HTML_END);
		page_end(r);
		return 200;
	}
	json_t *doc = json_loads(rel.content, 0, NULL);
	release_row_free(&rel);
	if (!doc)
		return http_error(r, 500, "the release cannot be read");
	struct view v = {r, json_object_get(doc, "cells"), unit};
	if (!json_object_get(v.cells, arena_printf(r->arena, "S1.students|%s", unit))) {
		json_decref(doc);
		html_elem(b, "p", tr(r, "stats.no_unit"), "role", "status", HTML_END);
		page_end(r);
		return 200;
	}
	char heading[128];
	snprintf(heading, sizeof heading, "%s %s – %s", tr(r, "stats.release"), year, unit);
	fk_heading(r, 2, heading);
	html_elem(b, "p", tr(r, "stats.protection"), "class", "aksel-body-short app-muted", HTML_END);

	static const char *const s1cols[] = {"stats.measure", "stats.count", NULL};
	table_start(r, "stats.s1", s1cols);
	static const char *const s1[][2] = {{"S1.students", "stats.s1_students"}, {"S1.cases", "stats.s1_cases"},
					     {"S1.new", "stats.s1_new"}, {"S10.n", "stats.s10_n"}};
	for (size_t i = 0; i < sizeof s1 / sizeof s1[0]; i++) {
		long n = 0;
		int shown = get(&v, s1[i][0], &n);
		html_raw(b, "<tr class=\"aksel-table__row\">");
		html_elem(b, "th", tr(r, s1[i][1]), "scope", "row", "class", "aksel-table__data-cell", HTML_END);
		count_cell(&v, shown, n);
		html_raw(b, "</tr>");
	}
	json_t *w = json_object_get(json_object_get(doc, "waits"), unit);
	html_raw(b, "<tr class=\"aksel-table__row\">");
	html_elem(b, "th", tr(r, "stats.s10"), "scope", "row", "class", "aksel-table__data-cell", HTML_END);
	if (json_is_object(w) && json_is_real(json_object_get(w, "p90")))
		buf_printf(b, "<td class=\"aksel-table__data-cell app-num\">%.1f / %.0f</td>",
			   json_real_value(json_object_get(w, "median")), json_real_value(json_object_get(w, "p90")));
	else if (json_is_object(w))
		buf_printf(b, "<td class=\"aksel-table__data-cell app-num\">%.1f / –</td>",
			   json_real_value(json_object_get(w, "median")));
	else
		html_raw(b, "<td class=\"aksel-table__data-cell app-num\">–</td>");
	html_raw(b, "</tr></tbody></table></div>");

	json_t *codes = json_object_get(doc, "codes");
	distribution(&v, "stats.s2", "S2", "referral_source", json_object_get(codes, "referral_source"), "S1.new");
	distribution(&v, "stats.s3", "S3", "reason", json_object_get(codes, "reason"), "S1.new");
	distribution(&v, "stats.s5", "S5", "duration", json_object_get(codes, "duration"), "S5.total");

	static const char *const rcols[] = {"stats.measure", "stats.count", "stats.of", "stats.share", NULL};
	table_start(r, "stats.shares", rcols);
	ratio_row(&v, "stats.s4", "S4.yes", "S4.group");
	ratio_row(&v, "stats.s6", "S6.yes", "S6.group");
	ratio_row(&v, "stats.s7", "S7.yes", "S1.cases");
	ratio_row(&v, "stats.s8", "S8.yes", "S8.group");
	ratio_row(&v, "stats.s11", "S11.yes", "S1.students");
	ratio_row(&v, "stats.s12", "S5.total", "S1.students");
	html_raw(b, "</tbody></table></div>");

	static const char *const fcols[] = {"stats.category", "stats.count", "stats.of", "stats.share", NULL};
	table_start(r, "stats.s9", fcols);
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(codes, "followup"), i, c) {
		char yes[64];
		snprintf(yes, sizeof yes, "S9.%s.yes", json_string_value(c));
		long a = 0, d = 0;
		int as = get(&v, yes, &a), ds = get(&v, "S9.group", &d);
		html_raw(b, "<tr class=\"aksel-table__row\">");
		html_elem(b, "th", fk_label(r, "followup", json_string_value(c)), "scope", "row", "class",
			  "aksel-table__data-cell", HTML_END);
		count_cell(&v, as, a);
		count_cell(&v, ds, d);
		share_cell(&v, as, a, ds, d);
		html_raw(b, "</tr>");
	}
	html_raw(b, "</tbody></table></div>");
	json_decref(doc);
	page_end(r);
	return 200;
}
