/* The evaluation pages: the effect estimate (staggered difference-in-differences) with its
 * event-study chart, the pilot schools classified as the trial's report did, and one school's
 * dropout share against its county and the nation. Udir's figures are public per school; the
 * pages show no student. Each chart stands above its data table; tables also come as CSV. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../core/log.h"
#include "../db/eval.h"
#include "../eval/eval_export.h"
#include "../eval/evaluate.h"
#include "../http/html.h"
#include "../i18n/format.h"
#include "../stats/export.h"
#include "formkit.h"
#include "pages.h"
#include "record_common.h"

static const char *track_of(struct req *r)
{
	return r->in.v[KEY_TRACK] ? r->in.v[KEY_TRACK] : "yrkesfag";
}

static void track_form(struct req *r, const char *action, const char *track)
{
	static const char *const tracks[] = {"yrkesfag", "studieforberedende", "alle", NULL};
	html_tag(&r->out, "form", "method", "get", "action", action, "class", "app-search", HTML_END);
	fk_select(r, "track", "evaluation.track", tracks, "evaluation.track", track);
	fk_submit(r, "stats.show");
	html_raw(&r->out, "</form>");
}

static void table_open(buf_t *b, const char *caption, const char *const *cols)
{
	html_tag(b, "div", "class", "app-scroll", "tabindex", "0", "role", "region", "aria-label", caption, HTML_END);
	html_raw(b, "<table class=\"aksel-table aksel-table--small app-table\">");
	html_elem(b, "caption", caption, "class", "app-caption", HTML_END);
	html_raw(b, "<thead><tr>");
	for (; *cols; cols++)
		html_elem(b, "th", *cols, "scope", "col", "class", "aksel-table__header-cell", HTML_END);
	html_raw(b, "</tr></thead><tbody>");
}

static void num_td(buf_t *b, const char *text)
{
	html_elem(b, "td", text, "class", "aksel-table__data-cell app-num", HTML_END);
}

/* A signed effect in percentage points, two decimals, in the reader's language. */
static void num(struct req *r, double v)
{
	char s[I18N_NUM_MAX];
	i18n_signed(r->lang, v, 2, s, sizeof s); /* NaN: "–" */
	num_td(&r->out, s);
}

static void interval(struct req *r, const struct did_est *e)
{
	char lo[I18N_NUM_MAX], hi[I18N_NUM_MAX];
	if (isnan(e->lo) || isnan(e->hi)) {
		num_td(&r->out, "–");
		return;
	}
	i18n_num(r->lang, e->lo, 2, lo, sizeof lo);
	i18n_num(r->lang, e->hi, 2, hi, sizeof hi);
	num_td(&r->out, arena_printf(r->arena, "%s – %s", lo, hi));
}

static void int_td(struct req *r, long long v)
{
	char s[I18N_NUM_MAX];
	i18n_int(r->lang, v, s, sizeof s);
	num_td(&r->out, s);
}

static const char *int_text(struct req *r, long long v)
{
	char s[I18N_NUM_MAX];
	i18n_int(r->lang, v, s, sizeof s);
	return arena_strdup(r->arena, s);
}

static void est_row(struct req *r, const char *label, const struct did_est *e)
{
	buf_t *b = &r->out;
	html_raw(b, "<tr class=\"aksel-table__row\">");
	html_elem(b, "th", label, "scope", "row", "class", "aksel-table__data-cell", HTML_END);
	num(r, e->est);
	interval(r, e);
	int_td(r, e->n_cohorts);
	int_td(r, e->n_schools);
	html_raw(b, "</tr>");
}

static char *year_label(struct req *r, int y)
{
	return arena_printf(r->arena, "%d/%02d", y, (y + 1) % 100);
}

/* An export just made into r->out (rc 0, or -1 with err) as an attachment named name; a failed
 * one is logged and answered 500. */
static int send_file(struct req *r, int rc, const char *err, const char *fmt, const char *name)
{
	if (rc != 0) {
		log_event(LOG_ERROR, "export_failed", json_pack("{s:s,s:s}", "format", fmt, "reason", err));
		return http_error(r, 500, "error.export_failed");
	}
	r->ctype = strcmp(fmt, "pdf") == 0 ? "application/pdf" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	snprintf(r->disposition, sizeof r->disposition, "attachment; filename=\"%s\"", name);
	r->status = 200;
	return 200;
}

/* GET /evaluation?format=pdf: the same estimate as an A4 PDF. */
static int evaluation_pdf(struct req *r, const char *track)
{
	struct eval_run e;
	char err[256] = "";
	if (eval_run(r->db, track, NULL, &e, err, sizeof err) != 0)
		return http_error(r, 404, "evaluation.no_data");
	buf_reset(&r->out);
	int rc = eval_pdf(&e, r->lang, &r->out, err, sizeof err);
	eval_run_free(&e);
	return send_file(r, rc, err, "pdf", arena_printf(r->arena, "elevlos-evaluation-%s.pdf", track));
}

int page_evaluation(struct req *r)
{
	buf_t *b = &r->out;
	const char *track = track_of(r), *fmt = r->in.v[KEY_FORMAT];
	if (fmt && strcmp(fmt, "pdf") != 0 && strcmp(fmt, "html") != 0)
		return http_error(r, 400, "error.format");
	if (fmt && strcmp(fmt, "pdf") == 0)
		return evaluation_pdf(r, track);
	page_begin(r, tr(r, "evaluation.title"));
	fk_heading(r, 1, tr(r, "evaluation.title"));
	html_elem(b, "p", tr(r, "evaluation.intro"), "class", "aksel-body-long", HTML_END);
	html_raw(b, "<p>");
	html_elem(b, "a", tr(r, "evaluation.schools_link"), "href",
		  arena_printf(r->arena, "/evaluation/schools?track=%s", track), "class", "aksel-link", HTML_END);
	html_raw(b, "</p>");
	track_form(r, "/evaluation", track);

	struct eval_run *e = arena_alloc(r->arena, sizeof *e);
	char err[256];
	if (eval_run(r->db, track, NULL, e, err, sizeof err) != 0) {
		page_alert(r, "info", tr(r, "evaluation.no_data"));
		html_elem(b, "p", err, "class", "app-muted", HTML_END);
		page_end(r);
		return 200;
	}
	const struct did_result *d = &e->r;
	if (d->warning)
		page_alert(r, "warning", tr(r, d->warning));
	if (d->notes & DID_NOTE_SMALL_COHORT)
		page_alert(r, "info", tr(r, "evaluation.note.small_cohort"));

	html_raw(b, "<dl class=\"app-facts\">");
	rp_fact(r, "evaluation.years",
		arena_printf(r->arena, "%s – %s", year_label(r, e->first_year), year_label(r, e->first_year + e->nperiods - 1)));
	rp_fact(r, "evaluation.pilot_schools", int_text(r, e->npilot));
	rp_fact(r, "evaluation.control_schools", int_text(r, d->n_control));
	rp_fact(r, "evaluation.bootstrap",
		arena_printf(r->arena, "B = %s, seed %llu", int_text(r, d->nboot), (unsigned long long)e->opts.seed));
	html_raw(b, "</dl>");

	const char *cols[] = {tr(r, "evaluation.estimator"), tr(r, "evaluation.effect"), tr(r, "evaluation.ci"),
			      tr(r, "evaluation.cohorts"), tr(r, "evaluation.schools"), NULL};
	html_raw(b, "<section class=\"app-figure\">");
	table_open(b, tr(r, "evaluation.overall_title"), cols);
	est_row(r, tr(r, "evaluation.overall"), &d->overall);
	est_row(r, tr(r, "evaluation.simple"), &d->simple);
	est_row(r, tr(r, "evaluation.twfe"), &d->twfe);
	html_raw(b, "</tbody></table></div>");
	html_elem(b, "p", tr(r, "evaluation.reading"), "class", "aksel-body-short app-muted", HTML_END);
	html_raw(b, "</section>");

	html_raw(b, "<section class=\"app-figure\">");
	html_elem(b, "h2", tr(r, "evaluation.event_title"), "class", "aksel-heading aksel-heading--medium", HTML_END);
	eval_svg_event(d, r->lang, tr(r, "evaluation.event_title"), tr(r, "evaluation.event_axis"), b);
	const char *ecols[] = {tr(r, "evaluation.event_time"), tr(r, "evaluation.effect"), tr(r, "evaluation.ci"),
			       tr(r, "evaluation.cohorts"), tr(r, "evaluation.schools"), NULL};
	table_open(b, tr(r, "evaluation.event_title"), ecols);
	for (int i = 0; i < DID_EVENT_N; i++) {
		int ev = DID_EVENT_MIN + i;
		char t[I18N_NUM_MAX];
		i18n_signed(r->lang, ev, 0, t, sizeof t);
		est_row(r, arena_strdup(r->arena, t), &d->event[i]);
	}
	html_raw(b, "</tbody></table></div>");
	html_elem(b, "p", tr(r, d->pretrend ? "evaluation.pretrend_yes" : "evaluation.pretrend_no"),
		  "class", "aksel-body-short", HTML_END);
	html_raw(b, "</section>");

	html_raw(b, "<section class=\"app-figure\">");
	const char *ccols[] = {tr(r, "evaluation.start"), tr(r, "evaluation.effect"), tr(r, "evaluation.ci"),
			       tr(r, "evaluation.cohorts"), tr(r, "evaluation.schools"), NULL};
	table_open(b, tr(r, "evaluation.cohort_title"), ccols);
	for (int i = 0; i < d->ncohorts; i++) {
		struct did_est x = d->cohorts[i].att;
		x.n_cohorts = 1;
		x.n_schools = d->cohorts[i].n_schools;
		est_row(r, year_label(r, e->first_year + d->cohorts[i].g - 1), &x);
	}
	html_raw(b, "</tbody></table></div></section>");
	html_raw(b, "<p class=\"app-downloads\">");
	html_elem(b, "a", tr(r, "evaluation.pdf"), "href", arena_printf(r->arena, "/evaluation?track=%s&format=pdf", track),
		  "class", "aksel-link", "download", "", HTML_END);
	html_raw(b, " ");
	html_elem(b, "a", tr(r, "evaluation.json"), "href", arena_printf(r->arena, "/api/v1/evaluation?track=%s", track),
		  "class", "aksel-link", HTML_END);
	html_raw(b, "</p>");
	eval_run_free(e);
	page_end(r);
	return 200;
}

int api_evaluation(struct req *r)
{
	struct eval_run e;
	char err[256];
	if (eval_run(r->db, track_of(r), NULL, &e, err, sizeof err) != 0)
		return http_error(r, 404, err);
	json_t *j = eval_run_json(&e);
	eval_run_free(&e);
	return http_json(r, 200, j);
}

/* ---- the pilot schools ---- */

static void csv_num(buf_t *b, int has, double v)
{
	if (has)
		buf_printf(b, "%.1f", v);
	buf_putc(b, ',');
}

static int schools_csv(struct req *r, const struct eval_school *v, int n, int from, int to)
{
	buf_t *b = &r->out;
	buf_reset(b);
	buf_puts(b, "orgnr,name,pilot,county_2024,start,end,share_from,share_to,class,share_before_start,share_last\r\n");
	for (int i = 0; i < n; i++) {
		const struct eval_school *s = &v[i];
		export_csv_field(b, s->orgnr);
		buf_putc(b, ',');
		export_csv_field(b, s->name);
		buf_putc(b, ',');
		export_csv_field(b, s->pilot);
		buf_printf(b, ",%s,%d,", s->county_2024, s->start_year);
		if (s->end_year)
			buf_printf(b, "%d", s->end_year);
		buf_putc(b, ',');
		csv_num(b, s->has_from, s->from);
		csv_num(b, s->has_to, s->to);
		buf_puts(b, s->cls == EVAL_FELL ? "fell" : s->cls == EVAL_ROSE ? "rose" : s->cls == EVAL_SAME ? "same" : "none");
		buf_putc(b, ',');
		csv_num(b, s->has_before, s->before);
		if (s->has_last)
			buf_printf(b, "%.1f", s->last);
		buf_puts(b, "\r\n");
	}
	r->ctype = "text/csv; charset=utf-8";
	snprintf(r->disposition, sizeof r->disposition, "attachment; filename=\"elevlos-pilot-schools-%d-%d.csv\"", from, to);
	r->status = 200;
	return 200;
}

static void share_cell(struct req *r, int has, double v)
{
	buf_t *b = &r->out;
	char s[I18N_NUM_MAX];
	i18n_num(r->lang, v, 1, s, sizeof s);
	if (has)
		num_td(b, s);
	else
		html_raw(b, "<td class=\"aksel-table__data-cell app-num\"><abbr title=\"ikke publisert / not published\">" REPORT_MARK "</abbr></td>");
}

int page_eval_schools(struct req *r)
{
	const char *track = track_of(r), *fmt = r->in.v[KEY_FORMAT];
	int from = r->in.v[KEY_FROM] ? atoi(r->in.v[KEY_FROM]) : 2016, to = r->in.v[KEY_TO] ? atoi(r->in.v[KEY_TO]) : from + 1;
	if (fmt && strcmp(fmt, "csv") != 0 && strcmp(fmt, "xlsx") != 0 && strcmp(fmt, "html") != 0)
		return http_error(r, 400, "error.format");
	struct eval_school *v;
	int n;
	if (eval_classify(r->db, track, from, to, &v, &n) != 0)
		return http_error(r, 500, "error.read_failed");
	if (fmt && !strcmp(fmt, "csv")) {
		int st = schools_csv(r, v, n, from, to);
		free(v);
		return st;
	}
	if (fmt && strcmp(fmt, "xlsx") == 0) {
		char err[256] = "";
		buf_reset(&r->out);
		int rc = eval_schools_xlsx(v, n, from, to, track, r->lang, &r->out, err, sizeof err);
		free(v);
		return send_file(r, rc, err, "xlsx", arena_printf(r->arena, "elevlos-pilot-schools-%d-%d.xlsx", from, to));
	}
	buf_t *b = &r->out;
	page_begin(r, tr(r, "evaluation.schools_title"));
	fk_heading(r, 1, tr(r, "evaluation.schools_title"));
	html_elem(b, "p", tr(r, "evaluation.schools_intro"), "class", "aksel-body-long", HTML_END);
	track_form(r, "/evaluation/schools", track);
	int count[4] = {0};
	for (int i = 0; i < n; i++)
		count[v[i].cls]++;
	char caption[200];
	snprintf(caption, sizeof caption, "%s %s → %s", tr(r, "evaluation.classes_title"), year_label(r, from),
		 year_label(r, to));
	const char *kcols[] = {tr(r, "evaluation.class"), tr(r, "evaluation.schools"), NULL};
	table_open(b, caption, kcols);
	for (int c = 0; c < 4; c++) {
		html_raw(b, "<tr class=\"aksel-table__row\">");
		html_elem(b, "th", tr(r, eval_class_key((enum eval_class)c)), "scope", "row", "class", "aksel-table__data-cell", HTML_END);
		int_td(r, count[c]);
		html_raw(b, "</tr>");
	}
	html_raw(b, "</tbody></table></div>");
	html_raw(b, "<p class=\"app-downloads\">");
	html_elem(b, "a", tr(r, "evaluation.csv"), "href",
		  arena_printf(r->arena, "/evaluation/schools?track=%s&from=%d&to=%d&format=csv", track, from, to), "class",
		  "aksel-link", "download", "", HTML_END);
	html_raw(b, " ");
	html_elem(b, "a", tr(r, "evaluation.xlsx"), "href",
		  arena_printf(r->arena, "/evaluation/schools?track=%s&from=%d&to=%d&format=xlsx", track, from, to), "class",
		  "aksel-link", "download", "", HTML_END);
	html_raw(b, "</p>");
	const char *cols[] = {tr(r, "evaluation.school"), tr(r, "evaluation.pilot"), tr(r, "evaluation.start"),
			      year_label(r, from), year_label(r, to), tr(r, "evaluation.class"),
			      tr(r, "evaluation.before_start"), tr(r, "evaluation.last_year"), NULL};
	table_open(b, tr(r, "evaluation.schools_title"), cols);
	for (int i = 0; i < n; i++) {
		const struct eval_school *s = &v[i];
		html_raw(b, "<tr class=\"aksel-table__row\"><th scope=\"row\" class=\"aksel-table__data-cell\">");
		html_elem(b, "a", s->name, "href", arena_printf(r->arena, "/evaluation/schools/%s?track=%s", s->orgnr, track),
			  "class", "aksel-link", HTML_END);
		html_raw(b, "</th>");
		rp_cell(r, s->pilot);
		rp_cell(r, year_label(r, s->start_year));
		share_cell(r, s->has_from, s->from);
		share_cell(r, s->has_to, s->to);
		rp_cell(r, tr(r, eval_class_key(s->cls)));
		share_cell(r, s->has_before, s->before);
		share_cell(r, s->has_last, s->last);
		html_raw(b, "</tr>");
	}
	html_raw(b, "</tbody></table></div>");
	free(v);
	page_end(r);
	return 200;
}

int page_eval_school(struct req *r)
{
	const char *orgnr = r->params[0], *track = track_of(r), *fmt = r->in.v[KEY_FORMAT];
	if (!orgnr || strlen(orgnr) != 9 || strspn(orgnr, "0123456789") != 9)
		return http_error(r, 404, tr(r, "evaluation.no_school"));
	if (fmt && strcmp(fmt, "csv") != 0 && strcmp(fmt, "xlsx") != 0 && strcmp(fmt, "html") != 0)
		return http_error(r, 400, "error.format");
	const char *names[3] = {NULL, tr(r, "evaluation.county_average"), tr(r, "evaluation.national_average")};
	struct eval_series *s = arena_alloc(r->arena, 3 * sizeof *s);
	char name[201];
	names[0] = tr(r, "evaluation.school");
	int rc = eval_trend(r->db, orgnr, track, names, s, name, sizeof name);
	if (rc == DB_NOTFOUND)
		return http_error(r, 404, tr(r, "evaluation.no_school"));
	if (rc != DB_OK)
		return http_error(r, 500, "error.read_failed");
	s[0].name = name;
	buf_t *b = &r->out;
	if (fmt && strcmp(fmt, "xlsx") == 0) {
		char err[256] = "";
		buf_reset(b);
		int rc2 = eval_trend_xlsx(s, name, track, r->lang, b, err, sizeof err);
		return send_file(r, rc2, err, "xlsx", arena_printf(r->arena, "elevlos-school-%s-%s.xlsx", orgnr, track));
	}
	if (fmt && !strcmp(fmt, "csv")) {
		buf_reset(b);
		buf_puts(b, "school_year,school,county,nation\r\n");
		for (int i = 0; i < s[0].n; i++) {
			buf_puts(b, s[0].year[i]);
			for (int k = 0; k < 3; k++) {
				buf_putc(b, ',');
				if (!isnan(s[k].value[i]))
					buf_printf(b, "%.1f", s[k].value[i]);
			}
			buf_puts(b, "\r\n");
		}
		r->ctype = "text/csv; charset=utf-8";
		snprintf(r->disposition, sizeof r->disposition, "attachment; filename=\"elevlos-school-%s-%s.csv\"", orgnr, track);
		r->status = 200;
		return 200;
	}
	page_begin(r, name);
	fk_heading(r, 1, name);
	html_raw(b, "<p>");
	html_elem(b, "a", tr(r, "evaluation.back"), "href", arena_printf(r->arena, "/evaluation/schools?track=%s", track),
		  "class", "aksel-link", HTML_END);
	html_raw(b, "</p>");
	track_form(r, arena_printf(r->arena, "/evaluation/schools/%s", orgnr), track);
	html_raw(b, "<section class=\"app-figure\">");
	eval_svg_trend(s, 3, r->lang, tr(r, "evaluation.trend_title"), b);
	const char *cols[] = {tr(r, "stats.school_year"), name, names[1], names[2], NULL};
	table_open(b, tr(r, "evaluation.trend_title"), cols);
	for (int i = 0; i < s[0].n; i++) {
		html_raw(b, "<tr class=\"aksel-table__row\">");
		html_elem(b, "th", s[0].year[i], "scope", "row", "class", "aksel-table__data-cell", HTML_END);
		for (int k = 0; k < 3; k++)
			share_cell(r, !isnan(s[k].value[i]), s[k].value[i]);
		html_raw(b, "</tr>");
	}
	html_raw(b, "</tbody></table></div></section>");
	html_raw(b, "<p class=\"app-downloads\">");
	html_elem(b, "a", tr(r, "evaluation.csv"), "href",
		  arena_printf(r->arena, "/evaluation/schools/%s?track=%s&format=csv", orgnr, track), "class", "aksel-link",
		  "download", "", HTML_END);
	html_raw(b, " ");
	html_elem(b, "a", tr(r, "evaluation.xlsx"), "href",
		  arena_printf(r->arena, "/evaluation/schools/%s?track=%s&format=xlsx", orgnr, track), "class", "aksel-link",
		  "download", "", HTML_END);
	html_raw(b, "</p>");
	page_end(r);
	return 200;
}
