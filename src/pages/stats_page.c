/* The statistics pages: a unit's published figures as tables and SVG charts (each chart beside
 * its data table), drawn from the report model that the exports use too; and for analysts the
 * list of releases where a draft is approved and an approved release published. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../api/api.h"
#include "../auth/role.h"
#include "../core/log.h"
#include "../db/stats.h"
#include "../http/html.h"
#include "../i18n/format.h"
#include "../i18n/i18n.h"
#include "../registration/registration.h"
#include "../stats/export.h"
#include "../stats/report.h"
#include "formkit.h"
#include "pages.h"
#include "record_common.h"

static void num_cell(buf_t *b, const char *lang, const struct report_value *v)
{
	char s[I18N_NUM_MAX];
	if (v->shown) {
		i18n_int(lang, v->n, s, sizeof s);
		html_elem(b, "td", s, "class", "aksel-table__data-cell app-num", HTML_END);
	} else
		html_raw(b, "<td class=\"aksel-table__data-cell app-num\"><abbr title=\"skjult / suppressed\">" REPORT_MARK
			    "</abbr></td>");
}

static void head_row(buf_t *b, const char *const *cols, int n)
{
	html_raw(b, "<thead><tr>");
	for (int i = 0; i < n; i++)
		html_elem(b, "th", cols[i], "scope", "col", "class", "aksel-table__header-cell", HTML_END);
	html_raw(b, "</tr></thead><tbody>");
}

static void table_open(buf_t *b, const char *caption)
{
	/* A wide table scrolls inside its own region, which the keyboard can reach. */
	html_tag(b, "div", "class", "app-scroll", "tabindex", "0", "role", "region", "aria-label", caption, HTML_END);
	html_raw(b, "<table class=\"aksel-table aksel-table--small app-table\">");
	html_elem(b, "caption", caption, "class", "app-caption", HTML_END);
}

static void report_table_html(buf_t *b, const struct report *rep, const struct report_table *t)
{
	table_open(b, t->title);
	const char *cols[4] = {t->with_of ? T(rep->lang, "stats.category") : rep->col_label, rep->col_count,
			       rep->col_of, rep->col_share};
	if (!strcmp(t->id, "shares"))
		cols[0] = rep->col_label;
	head_row(b, cols, t->with_of ? 4 : 2);
	for (int i = 0; i < t->nrows; i++) {
		const struct report_row *w = &t->rows[i];
		html_raw(b, "<tr class=\"aksel-table__row\">");
		html_elem(b, "th", w->label, "scope", "row", "class", "aksel-table__data-cell", HTML_END);
		if (w->text[0]) {
			html_elem(b, "td", w->text, "class", "aksel-table__data-cell app-num", HTML_END);
		} else {
			num_cell(b, rep->lang, &w->count);
		}
		if (t->with_of) {
			num_cell(b, rep->lang, &w->of);
			char pct[I18N_NUM_MAX];
			i18n_pct(rep->lang, w->share, 0, pct, sizeof pct);
			if (w->has_share)
				html_elem(b, "td", pct, "class", "aksel-table__data-cell app-num", HTML_END);
			else
				html_raw(b, "<td class=\"aksel-table__data-cell app-num\">–</td>");
		}
		html_raw(b, "</tr>");
	}
	html_raw(b, "</tbody></table></div>");
}

static void trend_html(buf_t *b, const struct report *rep)
{
	html_raw(b, "<section class=\"app-figure\">");
	html_elem(b, "h3", rep->trend_title, "class", "aksel-heading aksel-heading--small", HTML_END);
	report_svg_trend(rep, b);
	table_open(b, rep->trend_title);
	const char *cols[3] = {T(rep->lang, "stats.school_year"), T(rep->lang, "stats.s1_students"),
			       T(rep->lang, "stats.s1_new")};
	head_row(b, cols, 3);
	for (int i = 0; i < rep->ntrend; i++) {
		html_raw(b, "<tr class=\"aksel-table__row\">");
		html_elem(b, "th", rep->trend[i].school_year, "scope", "row", "class", "aksel-table__data-cell", HTML_END);
		num_cell(b, rep->lang, &rep->trend[i].students);
		num_cell(b, rep->lang, &rep->trend[i].new_cases);
		html_raw(b, "</tr>");
	}
	html_raw(b, "</tbody></table></div></section>");
}

static void downloads(struct req *r, const struct report *rep)
{
	buf_t *b = &r->out;
	static const char *const formats[][2] = {{"csv", "stats.csv"}, {"xlsx", "stats.xlsx"}, {"pdf", "stats.pdf"}};
	html_raw(b, "<p class=\"app-downloads\">");
	html_text(b, tr(r, "stats.download"));
	for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
		const char *href = arena_printf(r->arena, "/statistics/export?school_year=%s&unit=%s&format=%s", rep->school_year,
						rep->unit, formats[i][0]);
		html_raw(b, " ");
		html_elem(b, "a", tr(r, formats[i][1]), "href", href, "class", "aksel-link", "download", "", HTML_END);
	}
	html_raw(b, "</p>");
}

/* The facts of a release, its tables and charts. */
void stats_report_html(struct req *r, const struct report *rep, int with_trend)
{
	buf_t *b = &r->out;
	char heading[300];
	snprintf(heading, sizeof heading, "%s %s – %s (%s)", tr(r, "stats.release"), rep->school_year, rep->unit_name,
		 rep->unit);
	fk_heading(r, 2, heading);
	html_raw(b, "<dl class=\"app-facts\">");
	char v[24], k[I18N_NUM_MAX], at[I18N_NUM_MAX];
	snprintf(v, sizeof v, "%d", rep->version);
	i18n_int(r->lang, rep->k, k, sizeof k);
	i18n_time(r->lang, rep->published_at, at, sizeof at);
	rp_fact(r, "release.version", v);
	rp_fact(r, "release.published_at", rep->published_at[0] ? at : "–");
	rp_fact(r, "release.k", k);
	rp_fact(r, "release.inputs_hash", rep->inputs_hash);
	html_raw(b, "</dl>");
	html_elem(b, "p", rep->protection_note, "class", "aksel-body-short app-muted", HTML_END);
	if (with_trend)
		trend_html(b, rep);
	for (int i = 0; i < rep->ntables; i++) {
		const struct report_table *t = &rep->tables[i];
		html_raw(b, "<section class=\"app-figure\">");
		if (t->chart)
			report_svg_distribution(rep, t, b);
		report_table_html(b, rep, t);
		html_raw(b, "</section>");
	}
}

struct year_ctx {
	struct req *r;
	const char *chosen;
	char newest[16];
	char seen[32][16];
	int n;
};

static int year_option(const struct release_row *x, void *ctx)
{
	struct year_ctx *y = ctx;
	if (strcmp(x->status, "published") != 0 || y->n >= 32)
		return 0;
	for (int i = 0; i < y->n; i++)
		if (!strcmp(y->seen[i], x->school_year))
			return 0;
	snprintf(y->seen[y->n++], sizeof y->seen[0], "%s", x->school_year);
	if (!y->newest[0])
		snprintf(y->newest, sizeof y->newest, "%s", x->school_year);
	html_tag(&y->r->out, "option", "value", x->school_year, "selected",
		 y->chosen && !strcmp(y->chosen, x->school_year) ? "" : HTML_END, HTML_END);
	html_text(&y->r->out, x->school_year);
	html_raw(&y->r->out, "</option>");
	return 0;
}

/* The unit a reader may see: an analyst any (default the nation), a leader their own pilot. */
static const char *reader_unit(struct req *r, char own[33])
{
	if (role_bit(r->user->role) == ROLE_ANALYTIKER)
		return r->in.v[KEY_UNIT] ? r->in.v[KEY_UNIT] : "NO";
	pilot_of_path(r->user->unit_path, own);
	return own;
}

int page_statistics(struct req *r)
{
	buf_t *b = &r->out;
	int analyst = role_bit(r->user->role) == ROLE_ANALYTIKER;
	char own[33] = "";
	const char *unit = reader_unit(r, own);
	page_begin(r, tr(r, "stats.title"));
	fk_heading(r, 1, tr(r, "stats.title"));
	html_elem(b, "p", tr(r, "stats.intro"), "class", "aksel-body-long", HTML_END);
	if (analyst) {
		html_raw(b, "<p>");
		html_elem(b, "a", tr(r, "release.title"), "href", "/statistics/releases", "class", "aksel-link", HTML_END);
		html_raw(b, "</p>");
	}

	html_raw(b, "<form method=\"get\" action=\"/statistics\" class=\"app-search\">");
	html_raw(b, "<div class=\"aksel-form-field\"><label for=\"f-school_year\" class=\"aksel-form-field__label aksel-label\">");
	html_text(b, tr(r, "outcome.school_year"));
	html_raw(b, "</label><select id=\"f-school_year\" name=\"school_year\" class=\"aksel-select__input\">");
	struct year_ctx *y = arena_alloc(r->arena, sizeof *y);
	memset(y, 0, sizeof *y);
	y->r = r;
	y->chosen = r->in.v[KEY_SCHOOL_YEAR];
	if (db_release_list(r->db, year_option, y) != DB_OK)
		return http_error(r, 500, "error.read_failed");
	html_raw(b, "</select></div>");
	if (analyst)
		fk_input(r, "unit", "stats.unit", "text", "off", unit, 1);
	fk_submit(r, "stats.show");
	html_raw(b, "</form>");

	const char *year = r->in.v[KEY_SCHOOL_YEAR] ? r->in.v[KEY_SCHOOL_YEAR] : y->newest;
	if (!year[0]) {
		html_elem(b, "p", tr(r, "stats.none"), "role", "status", HTML_END);
		page_end(r);
		return 200;
	}
	struct report *rep = arena_alloc(r->arena, sizeof *rep);
	int rc = report_build(r->db, year, unit, r->lang, rep);
	if (rc == DB_ERROR)
		return http_error(r, 500, "error.read_failed");
	if (rc != DB_OK) {
		html_elem(b, "p", tr(r, y->n ? "stats.no_unit" : "stats.none"), "role", "status", HTML_END);
		page_end(r);
		return 200;
	}
	downloads(r, rep);
	stats_report_html(r, rep, 1);
	page_end(r);
	return 200;
}

static int newest_published(const struct release_row *x, void *ctx)
{
	if (strcmp(x->status, "published") != 0)
		return 0;
	snprintf(ctx, 16, "%s", x->school_year);
	return 1; /* the list is newest first */
}

/* The same figures as files: GET /statistics/export?school_year=&unit=&format=csv|xlsx|pdf;
 * by default the newest published school year, as CSV. */
int page_statistics_export(struct req *r)
{
	char own[33] = "", newest[16] = "";
	const char *unit = reader_unit(r, own), *year = r->in.v[KEY_SCHOOL_YEAR], *fmt = r->in.v[KEY_FORMAT];
	if (!fmt)
		fmt = "csv";
	if (strcmp(fmt, "csv") != 0 && strcmp(fmt, "xlsx") != 0 && strcmp(fmt, "pdf") != 0)
		return http_error(r, 400, "error.format");
	if (!year) {
		if (db_release_list(r->db, newest_published, newest) != DB_OK)
			return http_error(r, 500, "error.read_failed");
		year = newest;
	}
	struct report *rep = arena_alloc(r->arena, sizeof *rep);
	int rc = report_build(r->db, year, unit, r->lang, rep);
	if (rc == DB_ERROR)
		return http_error(r, 500, "error.read_failed");
	if (rc != DB_OK)
		return http_error(r, 404, tr(r, "stats.no_unit"));
	char err[256] = "";
	buf_reset(&r->out);
	if (!strcmp(fmt, "csv")) {
		rc = report_csv(rep, &r->out);
		r->ctype = "text/csv; charset=utf-8";
	} else if (!strcmp(fmt, "xlsx")) {
		rc = report_xlsx(rep, &r->out, err, sizeof err);
		r->ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	} else {
		rc = report_pdf(rep, &r->out, err, sizeof err);
		r->ctype = "application/pdf";
	}
	if (rc != 0) {
		log_event(LOG_ERROR, "export_failed", json_pack("{s:s,s:s}", "format", fmt, "reason", err));
		return http_error(r, 500, "error.export_failed");
	}
	/* The name holds only the year's digits and the unit code ([A-Za-z0-9_-]). */
	char y[16];
	snprintf(y, sizeof y, "%s", year);
	for (char *p = y; *p; p++)
		if (*p == '/')
			*p = '-';
	snprintf(r->disposition, sizeof r->disposition, "attachment; filename=\"elevlos-%s-%s.%s\"", y, rep->unit, fmt);
	r->status = 200;
	return 200;
}

/* ---- releases: the analyst's list, preview, approve and publish ---- */

struct list_ctx {
	struct req *r;
	int n;
};

static void action_form(struct req *r, const struct release_row *x, const char *verb, const char *label_key)
{
	char action[80];
	snprintf(action, sizeof action, "/statistics/releases/%lld/%s", (long long)x->id, verb);
	fk_begin(r, action, "app-inline");
	fk_submit(r, label_key);
	fk_end(r);
}

static int release_line(const struct release_row *x, void *ctx)
{
	struct list_ctx *l = ctx;
	struct req *r = l->r;
	buf_t *b = &r->out;
	char v[16], status_key[32], href[64], at[I18N_NUM_MAX];
	snprintf(v, sizeof v, "%d", x->version);
	snprintf(status_key, sizeof status_key, "release.status.%s", x->status);
	snprintf(href, sizeof href, "/statistics/releases/%lld", (long long)x->id);
	html_raw(b, "<tr class=\"aksel-table__row\">");
	html_elem(b, "th", x->school_year, "scope", "row", "class", "aksel-table__data-cell", HTML_END);
	rp_cell(r, v);
	rp_cell(r, tr(r, status_key));
	rp_cell(r, x->created_by);
	rp_cell(r, x->approved_by[0] ? x->approved_by : "–");
	i18n_time(r->lang, x->published_at, at, sizeof at);
	rp_cell(r, x->published_at[0] ? at : "–");
	rp_cell(r, x->note[0] ? x->note : "–");
	html_raw(b, "<td class=\"aksel-table__data-cell\">");
	html_elem(b, "a", tr(r, "release.preview"), "href", href, "class", "aksel-link", HTML_END);
	if (!strcmp(x->status, "draft") && strcmp(x->created_by, r->user->username) != 0)
		action_form(r, x, "approve", "release.approve");
	else if (!strcmp(x->status, "approved"))
		action_form(r, x, "publish", "release.publish");
	html_raw(b, "</td></tr>");
	l->n++;
	return 0;
}

int page_releases(struct req *r)
{
	buf_t *b = &r->out;
	page_begin(r, tr(r, "release.title"));
	fk_heading(r, 1, tr(r, "release.title"));
	rp_notice(r);
	html_elem(b, "p", tr(r, "release.intro"), "class", "aksel-body-long", HTML_END);
	static const char *const cols[] = {"stats.school_year", "release.version", "release.status",
					   "release.created_by", "release.approved_by", "release.published_at",
					   "release.note", "release.actions", NULL};
	rp_table_start(r, cols);
	struct list_ctx l = {r, 0};
	if (db_release_list(r->db, release_line, &l) != DB_OK)
		return http_error(r, 500, "error.read_failed");
	rp_table_end(r);
	if (!l.n)
		html_elem(b, "p", tr(r, "release.none"), "role", "status", HTML_END);
	page_end(r);
	return 200;
}

int page_release(struct req *r)
{
	const char *p = r->params[0];
	if (!p || !valid_uint(p, strlen(p)))
		return http_error(r, 404, tr(r, "release.not_found"));
	const char *unit = r->in.v[KEY_UNIT] ? r->in.v[KEY_UNIT] : "NO";
	struct report *rep = arena_alloc(r->arena, sizeof *rep);
	int rc = report_build_id(r->db, atoll(p), unit, r->lang, rep);
	if (rc == DB_ERROR)
		return http_error(r, 500, "error.read_failed");
	if (rc != DB_OK)
		return http_error(r, 404, tr(r, "release.not_found"));
	buf_t *b = &r->out;
	page_begin(r, tr(r, "release.title"));
	fk_heading(r, 1, tr(r, "release.preview_title"));
	char status_key[32];
	snprintf(status_key, sizeof status_key, "release.status.%s", rep->status);
	if (strcmp(rep->status, "published") != 0)
		page_alert(r, "info", tr(r, "release.unpublished"));
	html_raw(b, "<p>");
	html_elem(b, "a", tr(r, "release.back"), "href", "/statistics/releases", "class", "aksel-link", HTML_END);
	html_raw(b, "</p>");
	char action[64];
	snprintf(action, sizeof action, "/statistics/releases/%s", p);
	html_tag(b, "form", "method", "get", "action", action, "class", "app-search", HTML_END);
	fk_input(r, "unit", "stats.unit", "text", "off", unit, 1);
	fk_submit(r, "stats.show");
	html_raw(b, "</form>");
	html_raw(b, "<dl class=\"app-facts\">");
	rp_fact(r, "release.status", tr(r, status_key));
	html_raw(b, "</dl>");
	stats_report_html(r, rep, 0);
	page_end(r);
	return 200;
}

static int move(struct req *r, const char *from, const char *to)
{
	int64_t id = 0;
	const char *msg;
	int st = release_move(r, from, to, &id, &msg);
	struct outcome o = {st ? st : 200, msg};
	return rp_done(r, "/statistics/releases", o);
}

int page_release_approve(struct req *r)
{
	return move(r, "draft", "approved");
}

int page_release_publish(struct req *r)
{
	return move(r, "approved", "published");
}
