/* The counsellor's day: open referrals first, then students by days since last contact, a
 * contact form that takes seconds, and search in the own pilot. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../api/search.h"
#include "../http/html.h"
#include "../i18n/format.h"
#include "pages.h"
#include "record_common.h"

struct load {
	struct req *r;
	struct reg *g;
	int n;
	int open_referrals;
};

static int referral_row(const struct referral_row *rr, void *ctx)
{
	struct load *l = ctx;
	if (strcmp(rr->status, "NY") != 0)
		return 0;
	struct req *r = l->r;
	buf_t *b = &r->out;
	char name[256], href[48];
	referral_open_name(l->g, rr, name, sizeof name);
	snprintf(href, sizeof href, "/referrals/%lld", (long long)rr->id);
	html_raw(b, "<tr class=\"aksel-table__row\"><td class=\"aksel-table__data-cell\">");
	html_elem(b, "a", name, "href", href, "class", "aksel-link", HTML_END);
	html_raw(b, "</td>");
	rp_cell(r, rr->school_code);
	rp_cell(r, fk_label(r, "reason", rr->reason));
	rp_cell(r, rr->referred_on);
	html_raw(b, "</tr>");
	l->open_referrals++;
	return 0;
}

static int student_row(const struct caseload_row *c, void *ctx)
{
	struct load *l = ctx;
	struct req *r = l->r;
	buf_t *b = &r->out;
	char name[256], href[48], days[I18N_NUM_MAX];
	student_open_name(l->g, c->pseudonym, &c->name, name, sizeof name);
	int since = caseload_days_since(l->g->today, c->last_contact[0] ? c->last_contact : c->opened_on);
	int stale = since >= r->cfg->not_seen_days;
	snprintf(href, sizeof href, "/cases/%lld", (long long)c->sak_id);
	i18n_int(r->lang, since, days, sizeof days);
	html_tag(b, "tr", "class", stale ? "aksel-table__row app-stale" : "aksel-table__row", HTML_END);
	html_raw(b, "<td class=\"aksel-table__data-cell\">");
	html_elem(b, "a", name[0] ? name : c->pseudonym, "href", href, "class", "aksel-link", HTML_END);
	html_raw(b, " <span class=\"app-muted\">");
	html_text(b, c->pseudonym);
	html_raw(b, "</span></td>");
	rp_cell(r, fk_label(r, "reason", c->main_reason));
	rp_cell(r, c->last_contact);
	html_raw(b, "<td class=\"aksel-table__data-cell\">");
	html_text(b, days);
	if (stale) {
		html_raw(b, " <span class=\"app-tag\">");
		html_text(b, tr(r, "caseload.not_seen"));
		html_raw(b, "</span>");
	}
	html_raw(b, "</td></tr>");
	l->n++;
	return 0;
}

static int case_option(const struct caseload_row *c, void *ctx)
{
	struct load *l = ctx;
	char name[256], id[24], text[300];
	student_open_name(l->g, c->pseudonym, &c->name, name, sizeof name);
	snprintf(id, sizeof id, "%lld", (long long)c->sak_id);
	snprintf(text, sizeof text, "%s (%s)", name[0] ? name : c->pseudonym, c->pseudonym);
	const char *sent = fk_val(l->r, KEY_CASE, NULL);
	html_tag(&l->r->out, "option", "value", id, "selected", sent && !strcmp(sent, id) ? "" : NULL, HTML_END);
	html_text(&l->r->out, text);
	html_raw(&l->r->out, "</option>");
	l->n++;
	return 0;
}

int page_caseload(struct req *r)
{
	struct reg g;
	struct actor who;
	rp_ctx(r, &g, &who);
	if (req_audit(r, "read", "caseload", "follow-up"))
		return 500;
	buf_t *b = &r->out;
	page_begin(r, tr(r, "caseload.title"));
	fk_heading(r, 1, tr(r, "caseload.title"));
	rp_notice(r);

	fk_begin(r, "/search", "app-search");
	fk_input(r, "q", "caseload.search", "search", "off", NULL, 1);
	fk_submit(r, "caseload.search_button");
	html_raw(b, "</form><p>");
	html_elem(b, "a", tr(r, "student.new"), "href", "/students/new", "class", "aksel-link", HTML_END);
	html_raw(b, " · ");
	html_elem(b, "a", tr(r, "glass.link"), "href", "/glass", "class", "aksel-link", HTML_END);
	html_raw(b, "</p>");

	struct load l = {r, &g, 0, 0};
	fk_heading(r, 2, tr(r, "caseload.referrals"));
	static const char *const ref_head[] = {"referral.student", "referral.school", "case.main_reason",
					       "referral.referred_on", NULL};
	rp_table_start(r, ref_head);
	if (db_referral_list_scope(r->db, r->user->unit_path, referral_row, &l) != DB_OK)
		return http_error(r, 500, "error.read_failed");
	rp_table_end(r);
	if (!l.open_referrals)
		html_elem(b, "p", tr(r, "caseload.no_referrals"), "class", "app-muted", HTML_END);

	fk_heading(r, 2, tr(r, "caseload.students"));
	static const char *const head[] = {"student.name", "case.main_reason", "caseload.last_contact",
					   "caseload.days", NULL};
	rp_table_start(r, head);
	if (db_caseload(r->db, r->user->unit_path, student_row, &l) != DB_OK)
		return http_error(r, 500, "error.read_failed");
	rp_table_end(r);
	if (!l.n)
		html_elem(b, "p", tr(r, "caseload.empty"), "class", "app-muted", HTML_END);

	/* One form for the most common task: a contact, in seconds, from the keyboard. */
	fk_heading(r, 2, tr(r, "contact.register"));
	/* Its own form scope with plain ids (f-on_date): a refused contact comes back to it. */
	fk_scope(r, "");
	fk_begin(r, "/caseload/contact", "app-form app-form--wide");
	html_raw(b, "<div class=\"aksel-form-field\"><label for=\"f-case\" class=\"aksel-form-field__label aksel-label\">");
	html_text(b, tr(r, "contact.student"));
	html_raw(b, "</label>");
	const char *err = fk_bad(r, "case");
	fk_field_error(r, "case");
	html_tag(b, "select", "id", "f-case", "name", "case", "class", "aksel-select__input", "required", "",
		 "aria-invalid", err ? "true" : NULL, "aria-describedby", err, HTML_END);
	struct load o = {r, &g, 0, 0};
	db_caseload(r->db, r->user->unit_path, case_option, &o);
	html_raw(b, "</select></div>");
	fk_input(r, "on_date", "contact.on_date", "date", "off", fk_val(r, KEY_ON_DATE, g.today), 1);
	fk_codes(r, "contact_kind", "contact.kind", "contact_kind", fk_val(r, KEY_CONTACT_KIND, "SAMTALE"), 1);
	fk_input(r, "minutes", "contact.minutes", "number", "off", fk_val(r, KEY_MINUTES, NULL), 0);
	fk_checks(r, "followups", "contact.followups", "followup", fk_val(r, KEY_FOLLOWUPS, NULL));
	fk_textarea(r, "note", "contact.note", fk_val(r, KEY_NOTE, NULL));
	fk_submit(r, "contact.save");
	fk_end(r);
	fk_scope(r, NULL);
	page_end(r);
	return 200;
}

int page_caseload_contact(struct req *r)
{
	struct reg g;
	struct actor who;
	rp_ctx(r, &g, &who);
	struct sak_row k;
	static const char *const required[] = {"case", "on_date", "contact_kind", NULL};
	if (!r->in.v[KEY_CASE])
		return rp_refused(r, (struct outcome){422, "form.required"}, "", required, "on_date", page_caseload);
	/* The case comes from a form field, not the path: the same scope rule, checked here. */
	int rc = r->in.v[KEY_CASE] ? db_sak_get(r->db, atoll(r->in.v[KEY_CASE]), &k) : DB_NOTFOUND;
	if (rc == DB_ERROR)
		return http_error(r, 503, "error.database_unavailable");
	if (rc != DB_OK || strncmp(k.pilot_path, r->user->unit_path, strlen(r->user->unit_path)) != 0)
		return http_error(r, 404, "error.not_found");
	struct outcome o = contact_add(&g, &k, &r->in, NULL);
	if (o.status >= 400)
		return rp_refused(r, o, "", required, "on_date", page_caseload);
	return rp_done(r, "/caseload", o);
}

struct hits {
	struct req *r;
	int n;
};

static int hit(const struct student_row *s, const char *name, void *ctx)
{
	struct hits *h = ctx;
	/* Each student a search shows is in that student's access report. */
	if (req_audit(h->r, "search", arena_printf(h->r->arena, "student:%s", s->pseudonym), "shown in a search's results"))
		return 1;
	buf_t *b = &h->r->out;
	char href[48];
	snprintf(href, sizeof href, "/students/%s", s->pseudonym);
	html_raw(b, "<li>");
	html_elem(b, "a", name[0] ? name : s->pseudonym, "href", href, "class", "aksel-link", HTML_END);
	html_raw(b, " <span class=\"app-muted\">");
	html_text(b, s->pseudonym);
	html_raw(b, "</span></li>");
	h->n++;
	return 0;
}

int page_search(struct req *r)
{
	struct reg g;
	struct actor who;
	rp_ctx(r, &g, &who);
	const char *q = r->in.v[KEY_Q];
	if (!q)
		return rp_done(r, "/caseload", (struct outcome){422, "form.required"});
	/* The words searched for are not logged: they may be a name. */
	if (req_audit(r, "search", "students", "search by name or pseudonym"))
		return 500;
	buf_t *b = &r->out;
	page_begin(r, tr(r, "search.title"));
	fk_heading(r, 1, tr(r, "search.title"));
	fk_begin(r, "/search", "app-search");
	fk_input(r, "q", "caseload.search", "search", "off", q, 1);
	fk_submit(r, "caseload.search_button");
	html_raw(b, "</form><ul class=\"app-hits\">");
	struct hits h = {r, 0};
	if (student_search(&g, r->user->unit_path, q, hit, &h) != 0)
		return http_error(r, 500, "error.read_failed");
	html_raw(b, "</ul>");
	if (!h.n)
		html_elem(b, "p", tr(r, "search.none"), "role", "status", HTML_END);
	page_end(r);
	return 200;
}
