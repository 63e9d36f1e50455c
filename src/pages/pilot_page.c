/*
 * The pilot register (docs/pilots.md): the overview of pilots per county and school year, one
 * pilot's register data, steering group, grants and reports, the grant totals, and the annual and
 * final reports with their life (flow.h). Analysts of either directorate keep the register and the
 * grants and give feedback; a pilot's leaders write and approve its reports. Every change is in
 * the access log; a refused change answers with its status and the page, the posted text kept.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../auth/role.h"
#include "../db/pilot.h"
#include "../db/stats.h"
#include "../http/html.h"
#include "../i18n/format.h"
#include "../i18n/i18n.h"
#include "../pilot/final.h"
#include "../pilot/flow.h"
#include "../pilot/grant.h"
#include "../pilot/grant_xlsx.h"
#include "../stats/export.h"
#include "formkit.h"
#include "pages.h"
#include "record_common.h"

#define FIRST_OVERVIEW_YEAR 2013

static int is_analyst(const struct req *r)
{
	return role_bit(r->user->role) == ROLE_ANALYTIKER;
}

static int is_leder(const struct req *r)
{
	return role_bit(r->user->role) == ROLE_LEDER;
}

/* A catalogue label of prefix.value; the value itself when the catalogue has none (never the
 * key, which lives on this stack frame). */
static const char *label_of(struct req *r, const char *prefix, const char *value)
{
	const char *key = arena_printf(r->arena, "%s.%s", prefix, value);
	return tr(r, key);
}

static const char *status_label(struct req *r, const char *status)
{
	return label_of(r, "pilot.status", status);
}

static const char *state_label(struct req *r, const char *state)
{
	return label_of(r, "preport.state", state);
}

static const char *period_text(struct req *r, const struct pilot_row *p)
{
	if (!p->registered)
		return "–";
	return arena_printf(r->arena, "%s – %s", p->start_on, p->end_on[0] ? p->end_on : tr(r, "pilot.open"));
}

static void h2(struct req *r, const char *key)
{
	html_elem(&r->out, "h2", tr(r, key), "class", "aksel-heading aksel-heading--medium", HTML_END);
}

static void link(struct req *r, const char *href, const char *text)
{
	html_elem(&r->out, "a", text, "href", href, "class", "aksel-link", HTML_END);
}

static void button(struct req *r, const char *key, const char *variant, const char *formaction)
{
	html_tag(&r->out, "button", "type", "submit", "class", "aksel-button", "data-variant", variant, "formaction",
		 formaction, HTML_END);
	html_text(&r->out, tr(r, key));
	html_raw(&r->out, "</button>");
}

static void num_td(struct req *r, long long v)
{
	char s[I18N_NUM_MAX];
	i18n_int(r->lang, v, s, sizeof s);
	html_elem(&r->out, "td", s, "class", "aksel-table__data-cell app-num", HTML_END);
}

/* The pilot's schools and NAV offices, as one line each. */
struct children {
	struct req *r;
	buf_t schools, offices;
};

static int child_unit(const struct unit *u, void *ctx)
{
	struct children *c = ctx;
	buf_t *b = !strcmp(u->kind, "school") ? &c->schools : !strcmp(u->kind, "nav_office") ? &c->offices : NULL;
	if (!b)
		return 0;
	if (b->len)
		buf_puts(b, ", ");
	buf_puts(b, u->name);
	return 0;
}

static int children_of(struct req *r, const struct pilot_row *p, const char **schools, const char **offices)
{
	struct children c = {r, {0}, {0}};
	int rc = db_unit_list(r->db, p->path, child_unit, &c);
	*schools = arena_strdup(r->arena, c.schools.len ? c.schools.p : "");
	*offices = arena_strdup(r->arena, c.offices.len ? c.offices.p : "");
	buf_free(&c.schools);
	buf_free(&c.offices);
	return rc;
}

/* ---- the overview ---- */

struct overview {
	struct req *r;
	int first, last;
	int active[32]; /* pilots per school year first.. */
	int n;
	char county[33];
};

static int overview_row(const struct pilot_row *p, void *ctx)
{
	struct overview *o = ctx;
	struct req *r = o->r;
	buf_t *b = &r->out;
	const char *schools, *offices;
	if (children_of(r, p, &schools, &offices) != DB_OK)
		return 1;
	html_raw(b, "<tr class=\"aksel-table__row\">");
	html_elem(b, "td", strcmp(o->county, p->county) ? p->county_name : "", "class", "aksel-table__data-cell", HTML_END);
	snprintf(o->county, sizeof o->county, "%s", p->county);
	html_raw(b, "<th scope=\"row\" class=\"aksel-table__data-cell\">");
	link(r, arena_printf(r->arena, "/pilots/%s", p->code), p->name);
	html_raw(b, "</th>");
	rp_cell(r, schools);
	rp_cell(r, offices);
	rp_cell(r, p->registered ? p->start_on : "");
	rp_cell(r, p->registered ? (p->end_on[0] ? p->end_on : tr(r, "pilot.open")) : "");
	rp_cell(r, p->registered ? status_label(r, p->status) : tr(r, "pilot.not_registered"));
	/* One column per school year: the project year it is, "·" for a year without grants. */
	int first = 0, last = -1;
	if (p->registered)
		pdoc_years(p, &first, &last);
	int funded_last = first + p->project_years - 1;
	for (int y = o->first; y <= o->last; y++) {
		const char *mark = "";
		if (p->registered && y >= first && y <= last) {
			int py = y - first + 1;
			mark = y > funded_last ? "·" : arena_printf(r->arena, "%d", py);
			if (y - o->first < 32)
				o->active[y - o->first]++;
		}
		html_elem(b, "td", mark, "class", "aksel-table__data-cell app-num", HTML_END);
	}
	html_raw(b, "</tr>");
	o->n++;
	return 0;
}

int page_pilots(struct req *r)
{
	buf_t *b = &r->out;
	/* A leader sees their own pilot; an analyst every pilot. */
	const char *scope = is_analyst(r) ? "/" : r->user->unit_path;
	char own[33] = "";
	if (!is_analyst(r)) {
		pilot_of_path(r->user->unit_path, own);
		struct pilot_row p;
		if (own[0] && db_pilot_get(r->db, own, &p) == DB_OK)
			scope = arena_strdup(r->arena, p.path);
	}
	page_begin(r, tr(r, "pilot.title"));
	fk_heading(r, 1, tr(r, "pilot.title"));
	html_elem(b, "p", tr(r, "pilot.intro"), "class", "aksel-body-long", HTML_END);
	if (is_analyst(r)) {
		html_raw(b, "<p>");
		link(r, "/grants", tr(r, "grant.title"));
		html_raw(b, "</p>");
	}
	struct overview *o = arena_alloc(r->arena, sizeof *o);
	memset(o, 0, sizeof *o);
	o->r = r;
	o->first = FIRST_OVERVIEW_YEAR;
	o->last = pdoc_this_school_year();
	if (o->last - o->first >= 32)
		o->first = o->last - 31;
	const char *caption = tr(r, "pilot.overview");
	html_tag(b, "div", "class", "app-scroll", "tabindex", "0", "role", "region", "aria-label", caption, HTML_END);
	html_raw(b, "<table class=\"aksel-table aksel-table--small app-table\">");
	html_elem(b, "caption", caption, "class", "app-caption", HTML_END);
	html_raw(b, "<thead><tr>");
	static const char *const cols[] = {"pilot.county", "pilot.pilot", "pilot.schools", "pilot.nav_offices",
					   "pilot.start_on", "pilot.end_on", "pilot.status"};
	for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
		html_elem(b, "th", tr(r, cols[i]), "scope", "col", "class", "aksel-table__header-cell", HTML_END);
	for (int y = o->first; y <= o->last; y++) {
		char label[16];
		pdoc_year_label(y, label);
		html_elem(b, "th", label, "scope", "col", "class", "aksel-table__header-cell app-num", HTML_END);
	}
	html_raw(b, "</tr></thead><tbody>");
	if (db_pilot_list(r->db, scope, overview_row, o) != DB_OK)
		return http_error(r, 500, "error.read_failed");
	html_raw(b, "</tbody><tfoot><tr class=\"aksel-table__row\">");
	html_elem(b, "th", tr(r, "pilot.active_per_year"), "scope", "row", "colspan", "7", "class",
		  "aksel-table__data-cell", HTML_END);
	for (int y = o->first; y <= o->last; y++)
		num_td(r, y - o->first < 32 ? o->active[y - o->first] : 0);
	html_raw(b, "</tr></tfoot></table></div>");
	html_elem(b, "p", tr(r, "pilot.overview_note"), "class", "aksel-body-short app-muted", HTML_END);
	page_end(r);
	return 200;
}

/* ---- one pilot ---- */

struct pilot_view {
	struct req *r;
	struct pilot_row p;
	long total, paid;
	const char *error; /* a refused change's message */
	int status;
};

static int member_row(const struct steering_member *m, void *ctx)
{
	struct pilot_view *v = ctx;
	struct req *r = v->r;
	html_raw(&r->out, "<tr class=\"aksel-table__row\">");
	rp_cell(r, m->name);
	rp_cell(r, m->organisation);
	rp_cell(r, m->role);
	if (is_analyst(r)) {
		html_raw(&r->out, "<td class=\"aksel-table__data-cell\">");
		fk_begin(r, arena_printf(r->arena, "/pilots/%s/members/%lld/remove", v->p.code, (long long)m->id),
			 "app-inline");
		html_tag(&r->out, "button", "type", "submit", "class", "aksel-button aksel-button--small", "data-variant",
			 "secondary", "aria-label", arena_printf(r->arena, "%s: %s", tr(r, "pilot.remove_member"), m->name),
			 HTML_END);
		html_text(&r->out, tr(r, "pilot.remove_member"));
		html_raw(&r->out, "</button>");
		fk_end(r);
		html_raw(&r->out, "</td>");
	}
	html_raw(&r->out, "</tr>");
	return 0;
}

static int grant_line_row(const struct grant_row *g, void *ctx)
{
	struct pilot_view *v = ctx;
	struct req *r = v->r;
	buf_t *b = &r->out;
	html_raw(b, "<tr class=\"aksel-table__row\">");
	num_td(r, g->project_year);
	html_elem(b, "td", arena_printf(r->arena, "%d", g->budget_year), "class", "aksel-table__data-cell app-num", HTML_END);
	rp_cell(r, arena_printf(r->arena, "%s.%s", g->chapter, g->post));
	if (g->share_pct >= 0) {
		char s[I18N_NUM_MAX];
		i18n_pct(r->lang, g->share_pct, 0, s, sizeof s);
		html_elem(b, "td", s, "class", "aksel-table__data-cell app-num", HTML_END);
		num_td(r, g->salary_base);
	} else {
		rp_cell(r, "");
		rp_cell(r, "");
	}
	num_td(r, g->months);
	num_td(r, g->amount);
	html_raw(b, "<td class=\"aksel-table__data-cell\">");
	if (g->paid_on[0]) {
		html_text(b, g->paid_on);
	} else if (is_analyst(r)) {
		fk_begin(r, arena_printf(r->arena, "/pilots/%s/grants/%lld/pay", v->p.code, (long long)g->id), "app-inline");
		html_tag(b, "button", "type", "submit", "class", "aksel-button aksel-button--small", "data-variant",
			 "secondary", "aria-label",
			 arena_printf(r->arena, "%s: %d, %s.%s", tr(r, "grant.mark_paid"), g->project_year, g->chapter,
				      g->post),
			 HTML_END);
		html_text(b, tr(r, "grant.mark_paid"));
		html_raw(b, "</button>");
		fk_end(r);
	} else {
		html_text(b, tr(r, "grant.unpaid"));
	}
	html_raw(b, "</td></tr>");
	v->total += g->amount;
	if (g->paid_on[0])
		v->paid += g->amount;
	return 0;
}

struct report_list {
	struct pilot_view *v;
	struct preport_row rows[40];
	int n;
};

static int collect_report(const struct preport_row *x, void *ctx)
{
	struct report_list *l = ctx;
	if (l->n < 40)
		l->rows[l->n++] = *x;
	return 0;
}

static const struct preport_row *find_report(const struct report_list *l, const char *kind, int year)
{
	for (int i = 0; i < l->n; i++)
		if (!strcmp(l->rows[i].kind, kind) && l->rows[i].school_year == year)
			return &l->rows[i];
	return NULL;
}

static void report_line(struct req *r, const struct pilot_view *v, const struct preport_row *x, const char *title,
			const char *seg)
{
	buf_t *b = &r->out;
	html_raw(b, "<tr class=\"aksel-table__row\"><th scope=\"row\" class=\"aksel-table__data-cell\">");
	link(r, arena_printf(r->arena, "/pilots/%s/reports/%s", v->p.code, seg), title);
	html_raw(b, "</th>");
	rp_cell(r, x ? state_label(r, x->state) : tr(r, "preport.not_started"));
	if (x) {
		char at[I18N_NUM_MAX];
		i18n_time(r->lang, x->updated_at, at, sizeof at);
		num_td(r, x->version);
		rp_cell(r, at);
	} else {
		rp_cell(r, "");
		rp_cell(r, "");
	}
	html_raw(b, "</tr>");
}

static void register_form(struct req *r, const struct pilot_row *p)
{
	buf_t *b = &r->out;
	fk_begin(r, arena_printf(r->arena, "/pilots/%s", p->code), NULL);
	html_raw(b, "<fieldset class=\"aksel-fieldset\"><legend class=\"aksel-fieldset__legend aksel-label\">");
	html_text(b, tr(r, "pilot.change_register"));
	html_raw(b, "</legend>");
	fk_input(r, "start_on", "pilot.start_on", "date", "off", p->start_on, 1);
	fk_input(r, "end_on", "pilot.end_on", "date", "off", p->end_on, 0);
	fk_input(r, "project_years", "pilot.project_years", "number", "off",
		 arena_printf(r->arena, "%d", p->project_years), 1);
	static const char *const statuses[] = {"active", "fourth_year", "ended", "continued_locally", NULL};
	fk_select(r, "status", "pilot.status", statuses, "pilot.status", p->status);
	fk_submit(r, "pilot.save");
	html_raw(b, "</fieldset>");
	fk_end(r);
}

static void member_form(struct req *r, const struct pilot_row *p)
{
	buf_t *b = &r->out;
	fk_begin(r, arena_printf(r->arena, "/pilots/%s/members", p->code), NULL);
	html_raw(b, "<fieldset class=\"aksel-fieldset\"><legend class=\"aksel-fieldset__legend aksel-label\">");
	html_text(b, tr(r, "pilot.add_member"));
	html_raw(b, "</legend>");
	fk_input(r, "name", "pilot.member_name", "text", "off", r->in.v[KEY_NAME], 1);
	fk_input(r, "organisation", "pilot.member_organisation", "text", "off", r->in.v[KEY_ORGANISATION], 1);
	fk_input(r, "member_role", "pilot.member_role", "text", "off", r->in.v[KEY_MEMBER_ROLE], 1);
	fk_submit(r, "pilot.add_member");
	html_raw(b, "</fieldset>");
	fk_end(r);
}

static void grant_form(struct req *r, const struct pilot_row *p)
{
	buf_t *b = &r->out;
	fk_begin(r, arena_printf(r->arena, "/pilots/%s/grants", p->code), NULL);
	html_raw(b, "<fieldset class=\"aksel-fieldset\"><legend class=\"aksel-fieldset__legend aksel-label\">");
	html_text(b, tr(r, "grant.add"));
	html_raw(b, "</legend>");
	html_elem(b, "p", tr(r, "grant.form_help"), "class", "aksel-body-short app-muted", HTML_END);
	fk_input(r, "project_year", "grant.project_year", "number", "off", r->in.v[KEY_PROJECT_YEAR], 1);
	static const char *const posts[] = {"63", "21", NULL};
	fk_select(r, "post", "grant.post", posts, "grant.post", r->in.v[KEY_POST]);
	fk_input(r, "share", "grant.share", "number", "off", r->in.v[KEY_SHARE], 0);
	fk_input(r, "salary_base", "grant.salary_base", "number", "off", r->in.v[KEY_SALARY_BASE], 0);
	fk_input(r, "amount", "grant.amount_21", "number", "off", r->in.v[KEY_AMOUNT], 0);
	fk_submit(r, "grant.save");
	html_raw(b, "</fieldset>");
	fk_end(r);
}

static int render_pilot(struct pilot_view *v)
{
	struct req *r = v->r;
	buf_t *b = &r->out;
	const struct pilot_row *p = &v->p;
	const char *schools, *offices;
	if (children_of(r, p, &schools, &offices) != DB_OK)
		return http_error(r, 500, "error.read_failed");
	page_begin(r, p->name);
	html_raw(b, "<p>");
	link(r, "/pilots", tr(r, "pilot.title"));
	html_raw(b, "</p>");
	fk_heading(r, 1, p->name);
	if (v->error)
		fk_errors(r, v->error);
	else
		rp_notice(r);
	html_raw(b, "<dl class=\"app-facts\">");
	rp_fact(r, "pilot.code", p->code);
	rp_fact(r, "pilot.county", p->county_name);
	rp_fact(r, "pilot.schools", schools[0] ? schools : "–");
	rp_fact(r, "pilot.nav_offices", offices[0] ? offices : "–");
	rp_fact(r, "pilot.period", period_text(r, p));
	rp_fact(r, "pilot.project_years", p->registered ? arena_printf(r->arena, "%d", p->project_years) : "–");
	rp_fact(r, "pilot.status", p->registered ? status_label(r, p->status) : tr(r, "pilot.not_registered"));
	if (p->registered) {
		char at[I18N_NUM_MAX];
		i18n_time(r->lang, p->updated_at, at, sizeof at);
		rp_fact(r, "pilot.updated", arena_printf(r->arena, "%s (%s)", at, p->updated_by));
	}
	html_raw(b, "</dl>");
	if (is_leder(r)) {
		html_raw(b, "<p>");
		link(r, "/glass/log", tr(r, "glass.log_link"));
		html_raw(b, "</p>");
	}
	if (is_analyst(r))
		register_form(r, p);

	h2(r, "pilot.steering_group");
	static const char *const mcols[] = {"pilot.member_name", "pilot.member_organisation", "pilot.member_role", NULL};
	static const char *const mcols_a[] = {"pilot.member_name", "pilot.member_organisation", "pilot.member_role",
					      "pilot.actions", NULL};
	rp_table_start(r, is_analyst(r) ? mcols_a : mcols);
	if (db_member_list(r->db, p->unit_id, member_row, v) != DB_OK)
		return http_error(r, 500, "error.read_failed");
	rp_table_end(r);
	if (is_analyst(r))
		member_form(r, p);

	h2(r, "grant.title");
	static const char *const gcols[] = {"grant.project_year", "grant.budget_year", "grant.post", "grant.share",
					    "grant.salary_base", "grant.months", "grant.amount", "grant.paid_on", NULL};
	rp_table_start(r, gcols);
	v->total = v->paid = 0;
	if (db_grant_list(r->db, p->unit_id, "", grant_line_row, v) != DB_OK)
		return http_error(r, 500, "error.read_failed");
	html_raw(b, "</tbody><tfoot><tr class=\"aksel-table__row\">");
	html_elem(b, "th", tr(r, "grant.total"), "scope", "row", "colspan", "6", "class", "aksel-table__data-cell", HTML_END);
	num_td(r, v->total);
	char paid[I18N_NUM_MAX];
	i18n_int(r->lang, v->paid, paid, sizeof paid);
	rp_cell(r, arena_printf(r->arena, "%s %s", tr(r, "grant.paid_sum"), paid));
	html_raw(b, "</tr></tfoot></table></div>");
	if (is_analyst(r) && p->registered)
		grant_form(r, p);

	h2(r, "preport.title");
	if (!p->registered) {
		html_elem(b, "p", tr(r, "pilot.register_first"), "class", "aksel-body-short", HTML_END);
	} else {
		struct report_list *l = arena_alloc(r->arena, sizeof *l);
		memset(l, 0, sizeof *l);
		l->v = v;
		if (db_preport_list(r->db, p->unit_id, "", collect_report, l) != DB_OK)
			return http_error(r, 500, "error.read_failed");
		static const char *const rcols[] = {"preport.report", "preport.state", "preport.version", "preport.updated",
						    NULL};
		rp_table_start(r, rcols);
		int first, last;
		pdoc_years(p, &first, &last);
		for (int y = first; y <= last; y++) {
			char label[16];
			pdoc_year_label(y, label);
			report_line(r, v, find_report(l, "annual", y),
				    arena_printf(r->arena, "%s %s", tr(r, "preport.annual"), label),
				    arena_printf(r->arena, "%d", y));
		}
		report_line(r, v, find_report(l, "final", 0), tr(r, "preport.final"), "final");
		rp_table_end(r);
	}
	page_end(r);
	return v->status ? v->status : 200;
}

static int load_pilot(struct req *r, struct pilot_view *v)
{
	memset(v, 0, sizeof *v);
	v->r = r;
	int rc = db_pilot_get(r->db, r->obj_unit->code, &v->p);
	if (rc == DB_ERROR)
		return http_error(r, 503, "error.database_unavailable");
	if (rc != DB_OK)
		return http_error(r, 404, tr(r, "pilot.not_found"));
	return 0;
}

int page_pilot(struct req *r)
{
	struct pilot_view v;
	if (load_pilot(r, &v))
		return r->status;
	return render_pilot(&v);
}

/* A refused change: the pilot page again with the reason (linked to field when given). */
static int refuse(struct pilot_view *v, int status, const char *key, const char *field)
{
	v->r->rollback = 1;
	v->r->bad_field = field;
	v->error = tr(v->r, key);
	v->status = status;
	return render_pilot(v);
}

static int changed(struct req *r, const char *action, const char *object, const char *back, const char *ok)
{
	if (req_audit(r, action, object, "pilot register"))
		return http_error(r, 500, "error.audit_failed");
	return http_redirect(r, arena_printf(r->arena, "%s?ok=%s", back, ok));
}

struct lines {
	struct grant_row *g;
	int n, cap;
};

static int collect_line(const struct grant_row *g, void *ctx)
{
	struct lines *l = ctx;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		l->g = xrealloc(l->g, (size_t)l->cap * sizeof *l->g);
	}
	l->g[l->n++] = *g;
	return 0;
}

/*
 * The pilot's grant lines under a changed register p: an unpaid line whose budget year or months
 * change is recomputed; a paid one that would change, or any line the new period or number of
 * project years leaves out, refuses the change (NULL or the catalogue key; *field the field).
 */
static const char *realign_lines(struct req *r, const struct pilot_row *p, const char **field)
{
	struct lines l = {0};
	const char *why = NULL;
	if (db_grant_list(r->db, p->unit_id, "", collect_line, &l) != DB_OK) {
		free(l.g);
		return "error.read_failed";
	}
	int shares[GRANT_MAX_YEARS] = {0};
	for (int i = 0; i < l.n && !why; i++) {
		struct grant_row g = l.g[i];
		if (g.project_year > p->project_years) {
			why = "pilot.lines_after_last_year";
			*field = "project_years";
			break;
		}
		int budget = grant_budget_year(p->start_on, g.project_year);
		int months = grant_months(p->start_on, p->end_on, budget);
		if (months == 0) {
			why = "pilot.lines_outside";
			*field = "end_on";
			break;
		}
		if (budget == g.budget_year && months == g.months)
			continue;
		if (g.paid_on[0]) {
			why = "pilot.paid_lines_moved";
			*field = "start_on";
			break;
		}
		/* Unpaid: the same base, share (or amount), over the new months. */
		if ((why = grant_prepare(p, shares, 0, &g)) != NULL) {
			*field = NULL;
			break;
		}
		int64_t id;
		if (db_grant_put(r->db, &g, r->user->username, &id) != DB_OK ||
		    req_audit(r, "update", arena_printf(r->arena, "grant:%lld", (long long)id), "pilot register"))
			why = "error.save_failed";
	}
	free(l.g);
	return why;
}

int page_pilot_update(struct req *r)
{
	struct pilot_view v;
	if (load_pilot(r, &v))
		return r->status;
	const char *start = r->in.v[KEY_START_ON], *end = r->in.v[KEY_END_ON];
	const char *years = r->in.v[KEY_PROJECT_YEARS], *status = r->in.v[KEY_STATUS];
	if (!start)
		return refuse(&v, 422, "pilot.start_required", "start_on");
	if (end && strcmp(end, start) < 0)
		return refuse(&v, 422, "pilot.end_before_start", "end_on");
	int py = years ? atoi(years) : (v.p.registered ? v.p.project_years : 3);
	if (py < 1 || py > GRANT_MAX_YEARS)
		return refuse(&v, 422, "pilot.bad_project_years", "project_years");
	if (!status)
		status = v.p.registered ? v.p.status : "active";
	struct pilot_row next = v.p;
	next.registered = 1;
	snprintf(next.start_on, sizeof next.start_on, "%s", start);
	snprintf(next.end_on, sizeof next.end_on, "%s", end ? end : "");
	next.project_years = py;
	const char *field = NULL;
	const char *why = realign_lines(r, &next, &field);
	if (why)
		return refuse(&v, 409, why, field);
	int rc = db_pilot_put(r->db, v.p.code, start, end ? end : "", py, status, r->user->username);
	if (rc != DB_OK)
		return http_error(r, 500, "error.save_failed");
	return changed(r, "update", arena_printf(r->arena, "pilot:%s", v.p.code),
		       arena_printf(r->arena, "/pilots/%s", v.p.code), "pilot.saved");
}

int page_member_add(struct req *r)
{
	struct pilot_view v;
	if (load_pilot(r, &v))
		return r->status;
	static const enum key need[] = {KEY_NAME, KEY_ORGANISATION, KEY_MEMBER_ROLE};
	static const char *const names[] = {"name", "organisation", "member_role"};
	for (int i = 0; i < 3; i++)
		if (!r->in.v[need[i]])
			return refuse(&v, 422, "form.required", names[i]);
	if (!v.p.registered)
		return refuse(&v, 409, "pilot.register_first", NULL);
	int64_t id = 0;
	if (db_member_add(r->db, v.p.unit_id, r->in.v[KEY_NAME], r->in.v[KEY_ORGANISATION], r->in.v[KEY_MEMBER_ROLE],
			  &id) != DB_OK)
		return http_error(r, 500, "error.save_failed");
	return changed(r, "create", arena_printf(r->arena, "steering_member:%lld", (long long)id),
		       arena_printf(r->arena, "/pilots/%s", v.p.code), "pilot.member_added");
}

int page_member_remove(struct req *r)
{
	struct pilot_view v;
	if (load_pilot(r, &v))
		return r->status;
	const char *idp = r->params[1];
	int64_t id = idp && valid_uint(idp, strlen(idp)) ? atoll(idp) : 0;
	int rc = id ? db_member_remove(r->db, v.p.unit_id, id) : DB_NOTFOUND;
	if (rc == DB_NOTFOUND)
		return refuse(&v, 404, "pilot.no_member", NULL);
	if (rc != DB_OK)
		return http_error(r, 500, "error.save_failed");
	return changed(r, "remove", arena_printf(r->arena, "steering_member:%lld", (long long)id),
		       arena_printf(r->arena, "/pilots/%s", v.p.code), "pilot.member_removed");
}

/* The default shares (setting grant.shares); n, or the built-in 100,100,100,50. */
static int default_shares(struct req *r, int shares[GRANT_MAX_YEARS], char *text, size_t textsz)
{
	char s[80] = "";
	int n = -1;
	if (db_setting_get(r->db, GRANT_SHARES_SETTING, s, sizeof s) == DB_OK)
		n = grant_parse_shares(s, shares);
	if (n < 0) {
		snprintf(s, sizeof s, "%s", GRANT_SHARES_DEFAULT);
		n = grant_parse_shares(s, shares);
	}
	if (text)
		snprintf(text, textsz, "%s", s);
	return n;
}

/* The form field a grant rule is about. */
static const char *grant_field(const char *key)
{
	if (!strcmp(key, "grant.after_last_year") || !strcmp(key, "grant.after_end") || !strcmp(key, "grant.bad_year"))
		return "project_year";
	if (!strcmp(key, "grant.bad_share"))
		return "share";
	if (!strcmp(key, "grant.bad_post"))
		return "post";
	if (!strcmp(key, "grant.no_default_share"))
		return "share";
	return NULL;
}

int page_grant_put(struct req *r)
{
	struct pilot_view v;
	if (load_pilot(r, &v))
		return r->status;
	const char *py = r->in.v[KEY_PROJECT_YEAR], *post = r->in.v[KEY_POST];
	if (!py)
		return refuse(&v, 422, "form.required", "project_year");
	if (!post)
		return refuse(&v, 422, "form.required", "post");
	struct grant_row g;
	memset(&g, 0, sizeof g);
	g.pilot_id = v.p.unit_id;
	g.project_year = atoi(py);
	snprintf(g.post, sizeof g.post, "%s", post);
	g.share_pct = r->in.v[KEY_SHARE] ? atoi(r->in.v[KEY_SHARE]) : -1;
	if (!strcmp(post, "63")) {
		if (!r->in.v[KEY_SALARY_BASE])
			return refuse(&v, 422, "grant.salary_required", "salary_base");
		g.salary_base = atol(r->in.v[KEY_SALARY_BASE]);
		if (g.salary_base < 0)
			return refuse(&v, 422, "grant.negative", "salary_base");
	} else {
		if (!r->in.v[KEY_AMOUNT])
			return refuse(&v, 422, "grant.amount_required", "amount");
		g.amount = atol(r->in.v[KEY_AMOUNT]);
		if (g.amount < 0)
			return refuse(&v, 422, "grant.negative", "amount");
	}
	int shares[GRANT_MAX_YEARS];
	int n = default_shares(r, shares, NULL, 0);
	const char *why = grant_prepare(&v.p, shares, n, &g);
	if (why)
		return refuse(&v, 422, why,
			      !strcmp(why, "grant.too_large") ? (!strcmp(post, "63") ? "salary_base" : "amount")
							     : grant_field(why));
	int64_t id = 0;
	int rc = db_grant_put(r->db, &g, r->user->username, &id);
	if (rc == DB_CONFLICT)
		return refuse(&v, 409, "grant.paid_frozen", "project_year");
	if (rc != DB_OK)
		return http_error(r, 500, "error.save_failed");
	return changed(r, "update", arena_printf(r->arena, "grant:%lld", (long long)id),
		       arena_printf(r->arena, "/pilots/%s", v.p.code), "grant.saved");
}

int page_grant_pay(struct req *r)
{
	struct pilot_view v;
	if (load_pilot(r, &v))
		return r->status;
	const char *idp = r->params[1];
	int64_t id = idp && valid_uint(idp, strlen(idp)) ? atoll(idp) : 0;
	char today[11];
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	strftime(today, sizeof today, "%Y-%m-%d", &tm);
	const char *on = r->in.v[KEY_PAID_ON] ? r->in.v[KEY_PAID_ON] : today;
	int rc = id ? db_grant_pay(r->db, v.p.unit_id, id, on, r->user->username) : DB_NOTFOUND;
	if (rc == DB_NOTFOUND)
		return refuse(&v, 404, "grant.not_found", NULL);
	if (rc == DB_CONFLICT)
		return refuse(&v, 409, "grant.paid_frozen", NULL);
	if (rc != DB_OK)
		return http_error(r, 500, "error.save_failed");
	return changed(r, "pay", arena_printf(r->arena, "grant:%lld", (long long)id),
		       arena_printf(r->arena, "/pilots/%s", v.p.code), "grant.paid");
}

/* ---- grant totals ---- */

#define MAX_GROUPS 64
struct total {
	char key[40];
	char label[220];
	long amount[2]; /* post 63, post 21 */
	long paid;
};

struct totals {
	struct total year[MAX_GROUPS], county[MAX_GROUPS];
	int nyear, ncounty;
	long all[2], paid;
	struct grant_row *lines;
	int nlines, cap;
};

static struct total *group(struct total *t, int *n, const char *key, const char *label)
{
	for (int i = 0; i < *n; i++)
		if (!strcmp(t[i].key, key))
			return &t[i];
	if (*n >= MAX_GROUPS)
		return NULL;
	struct total *x = &t[(*n)++];
	memset(x, 0, sizeof *x);
	snprintf(x->key, sizeof x->key, "%s", key);
	snprintf(x->label, sizeof x->label, "%s", label);
	return x;
}

static int add_total(const struct grant_row *g, void *ctx)
{
	struct totals *t = ctx;
	int post = !strcmp(g->post, "21");
	char y[8], c[240];
	snprintf(y, sizeof y, "%d", g->budget_year);
	snprintf(c, sizeof c, "%s %s", g->county, g->county_name);
	struct total *ty = group(t->year, &t->nyear, y, y), *tc = group(t->county, &t->ncounty, g->county, c);
	long paid = g->paid_on[0] ? g->amount : 0;
	if (ty) {
		ty->amount[post] += g->amount;
		ty->paid += paid;
	}
	if (tc) {
		tc->amount[post] += g->amount;
		tc->paid += paid;
	}
	t->all[post] += g->amount;
	t->paid += paid;
	if (t->nlines == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		t->lines = xrealloc(t->lines, (size_t)t->cap * sizeof *t->lines);
	}
	t->lines[t->nlines++] = *g;
	return 0;
}

static void totals_table(struct req *r, const char *caption_key, const char *first_key, const struct total *t, int n,
			 const struct totals *all)
{
	buf_t *b = &r->out;
	const char *caption = tr(r, caption_key);
	html_tag(b, "div", "class", "app-scroll", "tabindex", "0", "role", "region", "aria-label", caption, HTML_END);
	html_raw(b, "<table class=\"aksel-table aksel-table--small app-table\">");
	html_elem(b, "caption", caption, "class", "app-caption", HTML_END);
	html_raw(b, "<thead><tr>");
	const char *cols[] = {first_key, "grant.post63", "grant.post21", "grant.total", "grant.paid_sum"};
	for (int i = 0; i < 5; i++)
		html_elem(b, "th", tr(r, cols[i]), "scope", "col", "class", "aksel-table__header-cell", HTML_END);
	html_raw(b, "</tr></thead><tbody>");
	for (int i = 0; i < n; i++) {
		html_raw(b, "<tr class=\"aksel-table__row\">");
		html_elem(b, "th", t[i].label, "scope", "row", "class", "aksel-table__data-cell", HTML_END);
		num_td(r, t[i].amount[0]);
		num_td(r, t[i].amount[1]);
		num_td(r, t[i].amount[0] + t[i].amount[1]);
		num_td(r, t[i].paid);
		html_raw(b, "</tr>");
	}
	html_raw(b, "</tbody><tfoot><tr class=\"aksel-table__row\">");
	html_elem(b, "th", tr(r, "grant.total"), "scope", "row", "class", "aksel-table__data-cell", HTML_END);
	num_td(r, all->all[0]);
	num_td(r, all->all[1]);
	num_td(r, all->all[0] + all->all[1]);
	num_td(r, all->paid);
	html_raw(b, "</tr></tfoot></table></div>");
}

static int key_cmp(const void *a, const void *b)
{
	return strcmp(((const struct total *)a)->key, ((const struct total *)b)->key);
}

static int render_grants(struct req *r, const char *error, const char *bad_field, int status)
{
	buf_t *b = &r->out;
	struct totals *t = arena_alloc(r->arena, sizeof *t);
	memset(t, 0, sizeof *t);
	if (db_grant_list(r->db, 0, "/", add_total, t) != DB_OK) {
		free(t->lines);
		return http_error(r, 500, "error.read_failed");
	}
	const char *fmt = r->in.v[KEY_FORMAT];
	if (fmt && !strcmp(fmt, "xlsx")) {
		char err[200];
		buf_reset(b);
		int rc = grants_xlsx(t->lines, t->nlines, r->lang, b, err, sizeof err);
		free(t->lines);
		if (rc != 0)
			return http_error(r, 500, "error.export_failed");
		r->ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
		snprintf(r->disposition, sizeof r->disposition, "attachment; filename=\"tilskudd.xlsx\"");
		return 200;
	}
	free(t->lines);
	if (fmt && strcmp(fmt, "html") != 0)
		return http_error(r, 400, "error.format");
	qsort(t->year, (size_t)t->nyear, sizeof t->year[0], key_cmp);
	qsort(t->county, (size_t)t->ncounty, sizeof t->county[0], key_cmp);
	page_begin(r, tr(r, "grant.title"));
	html_raw(b, "<p>");
	link(r, "/pilots", tr(r, "pilot.title"));
	html_raw(b, "</p>");
	fk_heading(r, 1, tr(r, "grant.title"));
	r->bad_field = bad_field;
	if (error)
		fk_errors(r, error);
	else
		rp_notice(r);
	html_elem(b, "p", tr(r, "grant.intro"), "class", "aksel-body-long", HTML_END);
	html_raw(b, "<p class=\"app-downloads\">");
	html_elem(b, "a", tr(r, "grant.download_xlsx"), "href", "/grants?format=xlsx", "class", "aksel-link", "download", "",
		  HTML_END);
	html_raw(b, "</p>");
	totals_table(r, "grant.per_year", "grant.budget_year", t->year, t->nyear, t);
	totals_table(r, "grant.per_county", "pilot.county", t->county, t->ncounty, t);
	int shares[GRANT_MAX_YEARS];
	char text[80];
	default_shares(r, shares, text, sizeof text);
	fk_begin(r, "/grants/shares", NULL);
	html_raw(b, "<fieldset class=\"aksel-fieldset\"><legend class=\"aksel-fieldset__legend aksel-label\">");
	html_text(b, tr(r, "grant.shares"));
	html_raw(b, "</legend>");
	fk_input(r, "shares", "grant.shares_field", "text", "off", r->in.v[KEY_SHARES] ? r->in.v[KEY_SHARES] : text, 1);
	fk_submit(r, "grant.save_shares");
	html_raw(b, "</fieldset>");
	fk_end(r);
	page_end(r);
	return status;
}

int page_grants(struct req *r)
{
	return render_grants(r, NULL, NULL, 200);
}

int page_grant_shares(struct req *r)
{
	const char *s = r->in.v[KEY_SHARES];
	int shares[GRANT_MAX_YEARS];
	if (!s || grant_parse_shares(s, shares) < 0) {
		r->rollback = 1;
		r->in.v[KEY_FORMAT] = NULL;
		return render_grants(r, tr(r, "grant.bad_shares"), "shares", 422);
	}
	if (db_setting_set(r->db, GRANT_SHARES_SETTING, s) != DB_OK)
		return http_error(r, 500, "error.save_failed");
	return changed(r, "update", "setting:" GRANT_SHARES_SETTING, "/grants", "grant.shares_saved");
}

/* ---- reports ---- */

struct report_view {
	struct req *r;
	struct pilot_row p;
	char kind[8];
	int year;      /* autumn year; 0 for the final report */
	char seg[8];   /* the URL's segment: "2016" or "final" */
	char title[300];
	int exists;
	struct preport_row row;
	const char *posted[PR_NFIELDS]; /* a refused save's text, shown again */
	const char *error;
	int status;
};

static const enum key field_keys[PR_NFIELDS] = {KEY_SUMMARY, KEY_ACTIVITIES, KEY_CHALLENGES, KEY_FUNDS, KEY_GOAL1,
						KEY_GOAL2,   KEY_GOAL3,      KEY_GOAL4,      KEY_LESSONS, KEY_FEEDBACK};

static const char *field_label_key(struct req *r, int f)
{
	return arena_printf(r->arena, "preport.field.%s", preport_field_names[f]);
}

/* Loads the pilot and which report the URL names; 0, or the status of an error page. */
static int load_report(struct req *r, struct report_view *v)
{
	memset(v, 0, sizeof *v);
	v->r = r;
	int rc = db_pilot_get(r->db, r->obj_unit->code, &v->p);
	if (rc == DB_ERROR)
		return http_error(r, 503, "error.database_unavailable");
	if (rc != DB_OK)
		return http_error(r, 404, tr(r, "pilot.not_found"));
	if (!v->p.registered)
		return http_error(r, 404, tr(r, "pilot.register_first"));
	const char *seg = r->params[1];
	if (seg && !strcmp(seg, "final")) {
		snprintf(v->kind, sizeof v->kind, "final");
		v->year = 0;
	} else {
		int first, last;
		pdoc_years(&v->p, &first, &last);
		if (!seg || strlen(seg) != 4 || strspn(seg, "0123456789") != 4)
			return http_error(r, 404, tr(r, "preport.no_such_year"));
		v->year = atoi(seg);
		if (v->year < first || v->year > last)
			return http_error(r, 404, tr(r, "preport.no_such_year"));
		snprintf(v->kind, sizeof v->kind, "annual");
	}
	snprintf(v->seg, sizeof v->seg, "%s", v->year ? seg : "final");
	char label[16];
	pdoc_year_label(v->year, label);
	const char *args[2] = {v->year ? label : v->p.name, v->p.name};
	i18n_fill(v->title, sizeof v->title, tr(r, v->year ? "preport.annual_title" : "preport.final_title"), args, 2);
	rc = db_preport_get(r->db, v->p.unit_id, v->kind, v->year, &v->row);
	if (rc == DB_ERROR)
		return http_error(r, 503, "error.database_unavailable");
	v->exists = rc == DB_OK;
	return 0;
}

static void version_row(struct req *r, const struct report_view *v, const struct preport_version *x)
{
	buf_t *b = &r->out;
	char at[I18N_NUM_MAX];
	i18n_time(r->lang, x->at, at, sizeof at);
	html_raw(b, "<tr class=\"aksel-table__row\"><th scope=\"row\" class=\"aksel-table__data-cell\">");
	link(r, arena_printf(r->arena, "/pilots/%s/reports/%s?version=%d", v->p.code, v->seg, x->version),
	     arena_printf(r->arena, "%d", x->version));
	html_raw(b, "</th>");
	rp_cell(r, tr(r, arena_printf(r->arena, "preport.action.%s", x->action)));
	rp_cell(r, state_label(r, x->state));
	rp_cell(r, x->by_directorate[0]
			   ? arena_printf(r->arena, "%s (%s, %s)", x->by_user, x->by_role,
					  tr(r, arena_printf(r->arena, "directorate.%s", x->by_directorate)))
			   : arena_printf(r->arena, "%s (%s)", x->by_user, x->by_role));
	rp_cell(r, at);
	html_raw(b, "</tr>");
}

static int history_cb(const struct preport_version *x, void *ctx)
{
	const struct report_view *v = ctx;
	version_row(v->r, v, x);
	return 0;
}

static void text_section(struct req *r, int f, const char *text)
{
	buf_t *b = &r->out;
	html_elem(b, "h3", tr(r, field_label_key(r, f)), "class", "aksel-heading aksel-heading--small", HTML_END);
	if (!text || !*text) {
		html_elem(b, "p", tr(r, "preport.empty_field"), "class", "aksel-body-long app-muted", HTML_END);
		return;
	}
	/* Paragraphs as written: a blank line starts a new one; line breaks are kept by CSS. */
	html_elem(b, "p", text, "class", "aksel-body-long app-prewrap", HTML_END);
}

static void udir_html(struct req *r, const struct pdoc *d)
{
	buf_t *b = &r->out;
	fk_heading(r, 2, tr(r, "preport.udir_heading"));
	if (d->nschools == 0) {
		html_elem(b, "p", tr(r, "preport.udir_none"), "class", "aksel-body-short", HTML_END);
		return;
	}
	for (int i = 0; i < d->nschools; i++) {
		const struct pdoc_school *s = &d->schools[i];
		char title[300] = "";
		const char *args[1] = {s->name};
		i18n_fill(title, sizeof title, tr(r, "preport.udir_trend"), args, 1);
		html_raw(b, "<section class=\"app-figure\">");
		eval_svg_trend(s->s, 3, r->lang, title, b);
		html_tag(b, "div", "class", "app-scroll", "tabindex", "0", "role", "region", "aria-label", title, HTML_END);
		html_raw(b, "<table class=\"aksel-table aksel-table--small app-table\">");
		html_elem(b, "caption", title, "class", "app-caption", HTML_END);
		html_raw(b, "<thead><tr>");
		html_elem(b, "th", tr(r, "stats.school_year"), "scope", "col", "class", "aksel-table__header-cell", HTML_END);
		for (int k = 0; k < 3; k++)
			html_elem(b, "th", s->s[k].name, "scope", "col", "class", "aksel-table__header-cell", HTML_END);
		html_raw(b, "</tr></thead><tbody>");
		for (int y = 0; y < s->s[0].n; y++) {
			html_raw(b, "<tr class=\"aksel-table__row\">");
			html_elem(b, "th", s->s[0].year[y], "scope", "row", "class", "aksel-table__data-cell", HTML_END);
			for (int k = 0; k < 3; k++) {
				char v[I18N_NUM_MAX];
				if (s->s[k].value[y] != s->s[k].value[y])
					snprintf(v, sizeof v, "%s", REPORT_MARK);
				else
					i18n_pct(r->lang, s->s[k].value[y], 1, v, sizeof v);
				html_elem(b, "td", v, "class", "aksel-table__data-cell app-num", HTML_END);
			}
			html_raw(b, "</tr>");
		}
		html_raw(b, "</tbody></table></div></section>");
	}
}

static void edit_form(struct req *r, const struct report_view *v, const struct preport_version *cur)
{
	buf_t *b = &r->out;
	const char *base = arena_printf(r->arena, "/pilots/%s/reports/%s", v->p.code, v->seg);
	fk_begin(r, base, NULL);
	html_tag(b, "input", "type", "hidden", "name", "version",
		 "value", arena_printf(r->arena, "%d", v->exists ? v->row.version : 0), HTML_END);
	int n;
	const enum preport_field *f = preport_fields(v->kind, &n);
	for (int i = 0; i < n; i++) {
		const char *text = v->posted[f[i]] ? v->posted[f[i]] : cur ? cur->text[f[i]] : "";
		fk_textarea(r, preport_field_names[f[i]], field_label_key(r, f[i]), text);
	}
	html_raw(b, "<div class=\"app-buttons\">");
	button(r, "preport.save", "secondary", NULL);
	button(r, "preport.submit", "primary", arena_printf(r->arena, "%s/submit", base));
	html_raw(b, "</div>");
	fk_end(r);
}

static void step_form(struct req *r, const struct report_view *v, const char *action, const char *key,
		      const char *variant)
{
	fk_begin(r, arena_printf(r->arena, "/pilots/%s/reports/%s/%s", v->p.code, v->seg, action), "app-inline");
	html_tag(&r->out, "input", "type", "hidden", "name", "version", "value",
		 arena_printf(r->arena, "%d", v->row.version), HTML_END);
	button(r, key, variant, NULL);
	fk_end(r);
}

static int render_report(struct report_view *v)
{
	struct req *r = v->r;
	buf_t *b = &r->out;
	const char *vp = r->in.v[KEY_VERSION];
	int want = vp && !strcmp(r->method, "GET") ? atoi(vp) : 0;
	struct pdoc *d = NULL;
	if (v->exists) {
		d = arena_alloc(r->arena, sizeof *d);
		int rc = pdoc_build(r->db, &v->p, &v->row, want, r->lang, d);
		if (rc == DB_NOTFOUND)
			return http_error(r, 404, tr(r, "preport.no_such_version"));
		if (rc != DB_OK)
			return http_error(r, 500, "error.read_failed");
		if (rp_read(r, "pilot_report", arena_printf(r->arena, "%lld", (long long)v->row.id), "pilot report") != 0) {
			pdoc_free(d);
			return http_error(r, 500, "error.audit_failed");
		}
	}
	const char *fmt = r->in.v[KEY_FORMAT];
	if (fmt && !strcmp(fmt, "pdf") && !strcmp(r->method, "GET")) {
		if (!d)
			return http_error(r, 404, tr(r, "preport.not_started"));
		char err[200];
		buf_reset(b);
		int rc = pdoc_pdf(d, b, err, sizeof err);
		pdoc_free(d);
		if (rc != 0)
			return http_error(r, 500, "error.export_failed");
		r->ctype = "application/pdf";
		snprintf(r->disposition, sizeof r->disposition, "attachment; filename=\"%s-%s.pdf\"", v->p.code, v->seg);
		return 200;
	}
	if (fmt && strcmp(fmt, "html") != 0 && strcmp(fmt, "pdf") != 0) {
		if (d)
			pdoc_free(d);
		return http_error(r, 400, "error.format");
	}
	page_begin(r, v->title);
	html_raw(b, "<p>");
	link(r, arena_printf(r->arena, "/pilots/%s", v->p.code), v->p.name);
	html_raw(b, "</p>");
	fk_heading(r, 1, v->title);
	if (v->error)
		fk_errors(r, v->error);
	else
		rp_notice(r);
	const struct preport_version *cur = d ? &d->v : NULL;
	int newest = !d || d->v.version == v->row.version;
	html_raw(b, "<dl class=\"app-facts\">");
	rp_fact(r, "preport.state", v->exists ? state_label(r, v->row.state) : tr(r, "preport.not_started"));
	if (d) {
		char at[I18N_NUM_MAX];
		i18n_time(r->lang, d->v.at, at, sizeof at);
		rp_fact(r, "preport.version", arena_printf(r->arena, "%d / %d (%s)", d->v.version, v->row.version, at));
		if (v->row.submitted_by[0])
			rp_fact(r, "preport.submitted_by", v->row.submitted_by);
	}
	rp_fact(r, "pilot.period", period_text(r, &v->p));
	html_raw(b, "</dl>");
	if (d) {
		html_raw(b, "<p class=\"app-downloads\">");
		html_elem(b, "a", tr(r, "preport.download_pdf"), "href",
			  arena_printf(r->arena, "/pilots/%s/reports/%s?format=pdf%s", v->p.code, v->seg,
				       want ? arena_printf(r->arena, "&version=%d", want) : ""),
			  "class", "aksel-link", "download", "", HTML_END);
		html_raw(b, "</p>");
	}
	if (!newest)
		page_alert(r, "info", tr(r, "preport.old_version"));

	html_raw(b, "<div class=\"app-report\">");
	/* What the reader may do now. */
	const char *state = v->exists ? v->row.state : "draft";
	int can_edit = newest && is_leder(r) && !strcmp(state, "draft");
	if (newest && v->exists) {
		html_raw(b, "<div class=\"app-buttons\">");
		if (is_leder(r) && !strcmp(state, "submitted")) {
			step_form(r, v, "approve", "preport.approve", "primary");
			step_form(r, v, "return", "preport.return", "secondary");
		}
		if (is_analyst(r) && !strcmp(state, "feedback"))
			step_form(r, v, "close", "preport.close", "primary");
		html_raw(b, "</div>");
	}
	if (can_edit) {
		html_elem(b, "p", tr(r, v->year ? "preport.annual_help" : "preport.final_help"), "class", "aksel-body-long",
			  HTML_END);
		edit_form(r, v, cur);
	} else if (cur) {
		int n;
		const enum preport_field *f = preport_fields(v->kind, &n);
		for (int i = 0; i < n; i++)
			text_section(r, f[i], cur->text[f[i]]);
	} else {
		html_elem(b, "p", tr(r, "preport.not_started_help"), "class", "aksel-body-long", HTML_END);
	}
	if (cur && cur->text[PR_FEEDBACK][0]) {
		html_raw(b, "<section class=\"app-feedback\">");
		text_section(r, PR_FEEDBACK, cur->text[PR_FEEDBACK]);
		html_raw(b, "</section>");
	}
	if (newest && is_analyst(r) && !strcmp(state, "approved")) {
		fk_begin(r, arena_printf(r->arena, "/pilots/%s/reports/%s/feedback", v->p.code, v->seg), NULL);
		html_tag(b, "input", "type", "hidden", "name", "version", "value", arena_printf(r->arena, "%d", v->row.version),
			 HTML_END);
		fk_textarea(r, "feedback", "preport.field.feedback", v->posted[PR_FEEDBACK] ? v->posted[PR_FEEDBACK] : "");
		fk_submit(r, "preport.give_feedback");
		fk_end(r);
	}

	/* The statistics inserted into the report, protected as published. */
	fk_heading(r, 2, tr(r, "preport.statistics"));
	if (d) {
		if (!strcmp(v->kind, "annual") && !strcmp(state, "draft"))
			html_elem(b, "p", tr(r, "preport.statistics_live"), "class", "aksel-body-short app-muted", HTML_END);
		for (int i = 0; i < d->nyears; i++)
			stats_report_html(r, &d->years[i], 0);
		for (int i = 0; i < d->nmissing; i++) {
			char line[200] = "";
			const char *args[1] = {d->missing[i]};
			i18n_fill(line, sizeof line, tr(r, "preport.no_statistics"), args, 1);
			html_elem(b, "p", line, "class", "aksel-body-short", HTML_END);
		}
		if (!strcmp(v->kind, "final"))
			udir_html(r, d);
	} else {
		html_elem(b, "p", tr(r, "preport.statistics_later"), "class", "aksel-body-short", HTML_END);
	}
	if (v->exists) {
		fk_heading(r, 2, tr(r, "preport.history"));
		static const char *const hcols[] = {"preport.version", "preport.action", "preport.state", "preport.by",
						    "preport.at", NULL};
		rp_table_start(r, hcols);
		if (db_preport_history(r->db, v->row.id, history_cb, v) != DB_OK) {
			pdoc_free(d);
			return http_error(r, 500, "error.read_failed");
		}
		rp_table_end(r);
	}
	if (d)
		pdoc_free(d);
	html_raw(b, "</div>");
	page_end(r);
	return v->status ? v->status : 200;
}

int page_preport(struct req *r)
{
	struct report_view v;
	if (load_report(r, &v))
		return r->status;
	return render_report(&v);
}

static int refuse_report(struct report_view *v, int status, const char *key, const char *field)
{
	/* Undo what the action wrote, then show the report in a transaction of its own, so that
	 * its read is logged although the answer is a refusal. */
	struct req *r = v->r;
	db_rollback(r->db);
	if (db_begin(r->db) != DB_OK)
		return http_error(r, 503, "error.busy");
	r->keep_log = 1;
	if (db_preport_get(r->db, v->p.unit_id, v->kind, v->year, &v->row) != DB_OK)
		v->exists = 0;
	v->r->bad_field = field;
	v->error = tr(v->r, key);
	v->status = status;
	return render_report(v);
}

/* Every action on a report: the rules of flow.h, the texts of a save or submission (all or
 * nothing: a refused one is shown again as posted), the statistics inserted at submission. */
static int report_act(struct req *r, enum pr_action a)
{
	struct report_view v;
	if (load_report(r, &v))
		return r->status;
	if (a == PA_SAVE || a == PA_SUBMIT)
		for (int f = 0; f < PR_NFIELDS; f++)
			if (f != PR_FEEDBACK)
				v.posted[f] = r->in.v[field_keys[f]] ? r->in.v[field_keys[f]] : "";
	if (a == PA_FEEDBACK)
		v.posted[PR_FEEDBACK] = r->in.v[KEY_FEEDBACK];
	if (!v.exists) {
		/* A leader's first save or submission starts the report. */
		if ((a != PA_SAVE && a != PA_SUBMIT) || !is_leder(r))
			return refuse_report(&v, 409, "preport.not_started", NULL);
		int64_t id = 0;
		if (db_preport_create(r->db, v.p.unit_id, v.kind, v.year, r->user, &id) != DB_OK ||
		    db_preport_get(r->db, v.p.unit_id, v.kind, v.year, &v.row) != DB_OK)
			return http_error(r, 500, "error.save_failed");
		v.exists = 1;
		if (req_audit(r, "create", arena_printf(r->arena, "pilot_report:%lld", (long long)id), "pilot report"))
			return http_error(r, 500, "error.audit_failed");
	} else {
		/* Every change names the version it was made on: a page (or client) out of date is
		 * refused, never allowed to write over what it has not seen. */
		const char *vp = r->in.v[KEY_VERSION];
		if (!vp)
			return refuse_report(&v, 422, "preport.version_required", NULL);
		if (atoi(vp) != v.row.version)
			return refuse_report(&v, 409, "preport.stale", NULL);
	}
	const char *to;
	int status;
	const char *why = preport_step(v.row.state, a, r->user, v.row.submitted_by, &to, &status);
	if (why)
		return refuse_report(&v, status, why, NULL);
	const char *text[PR_NFIELDS] = {0};
	int64_t release_id = -1;
	if (a == PA_SAVE || a == PA_SUBMIT) {
		for (int f = 0; f < PR_NFIELDS; f++)
			text[f] = f == PR_FEEDBACK ? NULL : v.posted[f];
	}
	if (a == PA_SUBMIT) {
		int missing = preport_missing(v.kind, text);
		if (missing >= 0)
			return refuse_report(&v, 422, "preport.incomplete", preport_field_names[missing]);
		if (v.year) {
			/* The pilot's protected statistics of the year, as published now, go with it. */
			char label[16];
			pdoc_year_label(v.year, label);
			struct release_row rel;
			int rc = db_release_published(r->db, label, &rel);
			if (rc == DB_ERROR)
				return http_error(r, 503, "error.database_unavailable");
			if (rc == DB_OK) {
				release_id = rel.id;
				release_row_free(&rel);
			} else {
				release_id = 0;
			}
		}
	}
	if (a == PA_RETURN)
		release_id = 0; /* a draft again: the newest published figures, fixed at the next submission */
	if (a == PA_FEEDBACK) {
		const char *t = v.posted[PR_FEEDBACK];
		while (t && (*t == ' ' || *t == '\t' || *t == '\r' || *t == '\n'))
			t++;
		if (!t || !*t)
			return refuse_report(&v, 422, "preport.feedback_required", "feedback");
		text[PR_FEEDBACK] = v.posted[PR_FEEDBACK];
	}
	int rc = db_preport_advance(r->db, v.row.id, v.row.version, to, preport_action_done(a), text, release_id, r->user);
	if (rc == DB_CONFLICT)
		return refuse_report(&v, 409, "preport.stale", NULL);
	if (rc != DB_OK)
		return http_error(r, 500, "error.save_failed");
	if (req_audit(r, preport_action_done(a), arena_printf(r->arena, "pilot_report:%lld", (long long)v.row.id),
		      "pilot report"))
		return http_error(r, 500, "error.audit_failed");
	return http_redirect(r, arena_printf(r->arena, "/pilots/%s/reports/%s?ok=preport.done_%s", v.p.code, v.seg,
					     preport_action_done(a)));
}

int page_preport_save(struct req *r)
{
	return report_act(r, PA_SAVE);
}

int page_preport_submit(struct req *r)
{
	return report_act(r, PA_SUBMIT);
}

int page_preport_return(struct req *r)
{
	return report_act(r, PA_RETURN);
}

int page_preport_approve(struct req *r)
{
	return report_act(r, PA_APPROVE);
}

int page_preport_feedback(struct req *r)
{
	return report_act(r, PA_FEEDBACK);
}

int page_preport_close(struct req *r)
{
	return report_act(r, PA_CLOSE);
}
