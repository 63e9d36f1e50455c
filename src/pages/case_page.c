/* A case: its facts, contacts, decisions, measures, partners, outcomes; close and reopen. */
#include <stdio.h>
#include <string.h>

#include "../http/html.h"
#include "../i18n/format.h"
#include "pages.h"
#include "record_common.h"

struct page_ctx {
	struct req *r;
	struct reg *g;
};

static const char *const yes_no[] = {"0", "1", NULL};

static int contact_row(const struct contact_row *c, void *ctx)
{
	struct page_ctx *p = ctx;
	struct req *r = p->r;
	static _Thread_local char note[4100];
	contact_open_note(p->g, c, note, sizeof note);
	char minutes[I18N_NUM_MAX] = "";
	if (c->minutes >= 0)
		i18n_int(r->lang, c->minutes, minutes, sizeof minutes);
	html_raw(&r->out, "<tr class=\"aksel-table__row\">");
	rp_cell(r, c->on_date);
	rp_cell(r, fk_label(r, "contact_kind", c->kind));
	rp_cell(r, minutes);
	html_raw(&r->out, "<td class=\"aksel-table__data-cell app-note\">");
	html_text(&r->out, note);
	html_raw(&r->out, "</td>");
	rp_cell(r, c->created_by);
	html_raw(&r->out, "</tr>");
	return 0;
}

static int decision_row(const struct decision_row *d, void *ctx)
{
	struct req *r = ((struct page_ctx *)ctx)->r;
	html_raw(&r->out, "<tr class=\"aksel-table__row\">");
	rp_cell(r, d->on_date);
	rp_cell(r, fk_label(r, "decision", d->code));
	rp_cell(r, tr(r, d->granted ? "decision.granted" : "decision.refused"));
	rp_cell(r, fk_label(r, "duration", d->duration));
	html_raw(&r->out, "</tr>");
	return 0;
}

static int measure_row(const struct measure_row *m, void *ctx)
{
	struct req *r = ((struct page_ctx *)ctx)->r;
	html_raw(&r->out, "<tr class=\"aksel-table__row\">");
	rp_cell(r, tr(r, !strcmp(m->side, "nav") ? "measure.side_nav" : "measure.side_school"));
	rp_cell(r, fk_label(r, !strcmp(m->side, "nav") ? "nav_measure" : "school_measure", m->code));
	rp_cell(r, m->start_on);
	rp_cell(r, m->end_on);
	html_raw(&r->out, "</tr>");
	return 0;
}

static int outcome_row(const char *year, const char *code, void *ctx)
{
	struct req *r = ((struct page_ctx *)ctx)->r;
	html_raw(&r->out, "<tr class=\"aksel-table__row\">");
	rp_cell(r, year);
	rp_cell(r, fk_label(r, "outcome", code));
	html_raw(&r->out, "</tr>");
	return 0;
}

struct set_ctx {
	struct req *r;
	const char *list;
	buf_t text;
	buf_t codes;
};

static int collect(const char *code, void *ctx)
{
	struct set_ctx *c = ctx;
	if (c->text.len)
		buf_puts(&c->text, ", ");
	if (c->codes.len)
		buf_putc(&c->codes, ',');
	buf_puts(&c->text, fk_label(c->r, c->list, code));
	buf_puts(&c->codes, code);
	return 0;
}



int page_case(struct req *r)
{
	struct reg g;
	struct actor who;
	rp_ctx(r, &g, &who);
	const struct sak_row *k = r->obj_sak;
	char id[24], action[64], title[64], student_href[48];
	snprintf(id, sizeof id, "%lld", (long long)k->id);
	if (rp_read(r, "case", id, "follow-up"))
		return 500;
	struct student_row s;
	if (db_student_get_id(r->db, k->student_id, &s) != DB_OK)
		return http_error(r, 500, "error.read_failed");
	char name[256];
	student_open_name(&g, s.pseudonym, &s.name, name, sizeof name);
	buf_t *b = &r->out;
	struct page_ctx p = {r, &g};
	snprintf(title, sizeof title, "%s %s", tr(r, "case.case"), id);
	page_begin(r, title);
	fk_heading(r, 1, title);
	glass_banner(r);
	rp_notice(r);
	snprintf(student_href, sizeof student_href, "/students/%s", s.pseudonym);
	html_raw(b, "<p>");
	html_elem(b, "a", name[0] ? name : s.pseudonym, "href", student_href, "class", "aksel-link", HTML_END);
	html_raw(b, " <span class=\"app-muted\">");
	html_text(b, s.pseudonym);
	html_raw(b, "</span></p>");

	struct set_ctx reasons = {r, "reason", {0}, {0}}, partners = {r, "partner", {0}, {0}};
	db_sak_codes(r->db, "reason", k->id, collect, &reasons);
	db_sak_codes(r->db, "partner", k->id, collect, &partners);
	html_raw(b, "<dl class=\"app-facts\">");
	rp_fact(r, "case.opened_on", k->opened_on);
	rp_fact(r, "case.referral_source", fk_label(r, "referral_source", k->referral_source));
	rp_fact(r, "case.referred_on", k->referred_on);
	rp_fact(r, "case.first_contact_on", k->first_contact_on);
	rp_fact(r, "case.main_reason", fk_label(r, "reason", k->main_reason));
	rp_fact(r, "case.other_reasons", reasons.text.p);
	rp_fact(r, "case.partners", partners.text.p);
	rp_fact(r, "case.interagency", tr(r, k->interagency ? "bool.1" : "bool.0"));
	rp_fact(r, "case.responsibility_group", tr(r, k->responsibility_group ? "bool.1" : "bool.0"));
	if (k->closed_on[0]) {
		rp_fact(r, "case.closed_on", k->closed_on);
		rp_fact(r, "case.close_reason", fk_label(r, "close_reason", k->close_reason));
	}
	html_raw(b, "</dl>");
	int open = !k->closed_on[0];

	fk_heading(r, 2, tr(r, "contact.title"));
	static const char *const contact_head[] = {"contact.on_date", "contact.kind", "contact.minutes",
						   "contact.note", "contact.by", NULL};
	rp_table_start(r, contact_head);
	db_contact_list(r->db, k->id, contact_row, &p);
	rp_table_end(r);
	if (open) {
		fk_scope(r, "contact-");
		fk_details(r, "contact.register");
		snprintf(action, sizeof action, "/cases/%s/contacts", id);
		fk_begin(r, action, "app-form");
		fk_input(r, "on_date", "contact.on_date", "date", "off", fk_val(r, KEY_ON_DATE, g.today), 1);
		fk_codes(r, "contact_kind", "contact.kind", "contact_kind", fk_val(r, KEY_CONTACT_KIND, "SAMTALE"), 1);
		fk_input(r, "minutes", "contact.minutes", "number", "off", fk_val(r, KEY_MINUTES, NULL), 0);
		fk_checks(r, "followups", "contact.followups", "followup", fk_val(r, KEY_FOLLOWUPS, NULL));
		fk_textarea(r, "note", "contact.note", fk_val(r, KEY_NOTE, NULL));
		fk_submit(r, "contact.save");
		fk_end(r);
		html_raw(b, "</details>");
	}

	fk_heading(r, 2, tr(r, "decision.title"));
	static const char *const decision_head[] = {"decision.on_date", "decision.code", "decision.result",
						    "decision.duration", NULL};
	rp_table_start(r, decision_head);
	db_decision_list(r->db, k->id, decision_row, &p);
	rp_table_end(r);
	if (open) {
		fk_scope(r, "decision-");
		fk_details(r, "decision.add");
		snprintf(action, sizeof action, "/cases/%s/decisions", id);
		fk_begin(r, action, "app-form");
		fk_codes(r, "decision", "decision.code", "decision", fk_val(r, KEY_DECISION, NULL), 1);
		fk_select(r, "granted", "decision.result", yes_no, "granted", fk_val(r, KEY_GRANTED, "1"));
		fk_input(r, "on_date", "decision.on_date", "date", "off", fk_val(r, KEY_ON_DATE, g.today), 1);
		fk_codes(r, "duration", "decision.duration", "duration", fk_val(r, KEY_DURATION, NULL), 0);
		fk_submit(r, "form.save");
		fk_end(r);
		html_raw(b, "</details>");
	}

	fk_heading(r, 2, tr(r, "measure.title"));
	static const char *const measure_head[] = {"measure.side", "measure.code", "measure.start_on",
						   "measure.end_on", NULL};
	rp_table_start(r, measure_head);
	db_measure_list(r->db, k->id, measure_row, &p);
	rp_table_end(r);
	if (open) {
		static const char *const sides[] = {"nav", "school"};
		static const char *const lists[] = {"nav_measure", "school_measure"};
		static const char *const keys[] = {"measure.add_nav", "measure.add_school"};
		static const char *const scopes[] = {"nav-", "school-"};
		for (int i = 0; i < 2; i++) {
			fk_scope(r, scopes[i]);
			fk_details(r, keys[i]);
			snprintf(action, sizeof action, "/cases/%s/measures", id);
			fk_begin(r, action, "app-form");
			html_tag(b, "input", "type", "hidden", "name", "side", "value", sides[i], HTML_END);
			fk_codes(r, "measure", "measure.code", lists[i], fk_val(r, KEY_MEASURE, NULL), 1);
			fk_input(r, "start_on", "measure.start_on", "date", "off", fk_val(r, KEY_START_ON, g.today), 1);
			fk_input(r, "end_on", "measure.end_on", "date", "off", fk_val(r, KEY_END_ON, NULL), 0);
			fk_submit(r, "form.save");
			fk_end(r);
			html_raw(b, "</details>");
		}
	}

	fk_heading(r, 2, tr(r, "outcome.title"));
	static const char *const outcome_head[] = {"outcome.school_year", "outcome.code", NULL};
	rp_table_start(r, outcome_head);
	db_outcome_list(r->db, k->id, outcome_row, &p);
	rp_table_end(r);
	fk_scope(r, "outcome-");
	fk_details(r, "outcome.set");
	snprintf(action, sizeof action, "/cases/%s/outcomes", id);
	fk_begin(r, action, "app-form");
	char year[8];
	school_year_of(g.today, year);
	fk_input(r, "school_year", "outcome.school_year", "text", "off", fk_val(r, KEY_SCHOOL_YEAR, year), 1);
	fk_codes(r, "outcome", "outcome.code", "outcome", fk_val(r, KEY_OUTCOME, NULL), 1);
	fk_submit(r, "form.save");
	fk_end(r);
	html_raw(b, "</details>");

	if (open) {
		fk_scope(r, "case-");
		fk_details(r, "case.change");
		snprintf(action, sizeof action, "/cases/%s", id);
		fk_begin(r, action, "app-form");
		fk_codes(r, "referral_source", "case.referral_source", "referral_source",
			 fk_val(r, KEY_REFERRAL_SOURCE, k->referral_source), 1);
		fk_input(r, "referred_on", "case.referred_on", "date", "off",
			 fk_val(r, KEY_REFERRED_ON, k->referred_on[0] ? k->referred_on : NULL), 0);
		fk_input(r, "first_contact_on", "case.first_contact_on", "date", "off",
			 fk_val(r, KEY_FIRST_CONTACT_ON, k->first_contact_on[0] ? k->first_contact_on : NULL), 0);
		fk_codes(r, "main_reason", "case.main_reason", "reason", fk_val(r, KEY_MAIN_REASON, k->main_reason), 1);
		fk_checks(r, "reasons", "case.other_reasons", "reason", fk_val(r, KEY_REASONS, reasons.codes.p));
		fk_checks(r, "partners", "case.partners", "partner", fk_val(r, KEY_PARTNERS, partners.codes.p));
		fk_select(r, "interagency", "case.interagency", yes_no, "bool",
			  fk_val(r, KEY_INTERAGENCY, k->interagency ? "1" : "0"));
		fk_select(r, "responsibility_group", "case.responsibility_group", yes_no, "bool",
			  fk_val(r, KEY_RESPONSIBILITY_GROUP, k->responsibility_group ? "1" : "0"));
		fk_submit(r, "form.save");
		fk_end(r);
		html_raw(b, "</details>");

		fk_scope(r, "close-");
		fk_details(r, "case.close");
		snprintf(action, sizeof action, "/cases/%s/close", id);
		fk_begin(r, action, "app-form");
		fk_input(r, "closed_on", "case.closed_on", "date", "off", fk_val(r, KEY_CLOSED_ON, g.today), 1);
		fk_codes(r, "close_reason", "case.close_reason", "close_reason", fk_val(r, KEY_CLOSE_REASON, NULL), 1);
		fk_submit(r, "case.close");
		fk_end(r);
		html_raw(b, "</details>");
		fk_scope(r, NULL);
	} else {
		snprintf(action, sizeof action, "/cases/%s/reopen", id);
		fk_begin(r, action, "app-form");
		fk_submit(r, "case.reopen");
		fk_end(r);
	}
	fk_scope(r, NULL);
	buf_free(&reasons.text);
	buf_free(&reasons.codes);
	buf_free(&partners.text);
	buf_free(&partners.codes);
	page_end(r);
	return 200;
}

static const char *case_page(struct req *r)
{
	return arena_printf(r->arena, "/cases/%lld", (long long)r->obj_sak->id);
}

/* A POST on the case page: the action, then back to the page; refused, the page again with the
 * form it came from open, its values and its error (form: the form's fk_scope prefix). */
#define CASE_POST(fn, form, date, call, ...)                                                            \
	int fn(struct req *r)                                                                      \
	{                                                                                          \
		static const char *const required[] = {__VA_ARGS__, NULL};                         \
		struct reg g;                                                                      \
		struct actor who;                                                                  \
		rp_ctx(r, &g, &who);                                                               \
		struct outcome o = call;                                                           \
		if (o.status >= 400)                                                               \
			return rp_refused(r, o, form, required, date, page_case);                        \
		return rp_done(r, case_page(r), o);                                                \
	}

CASE_POST(page_case_update, "case-", "referred_on", sak_update(&g, r->obj_sak, &r->in), "referral_source", "main_reason")
CASE_POST(page_case_close, "close-", "closed_on", sak_close(&g, r->obj_sak, &r->in), "closed_on", "close_reason")
CASE_POST(page_case_reopen, "reopen-", NULL, sak_reopen(&g, r->obj_sak), NULL)
CASE_POST(page_contact_add, "contact-", "on_date", contact_add(&g, r->obj_sak, &r->in, NULL), "on_date", "contact_kind")
CASE_POST(page_decision_add, "decision-", "on_date", decision_add(&g, r->obj_sak, &r->in, NULL), "decision", "granted",
	  "on_date")
CASE_POST(page_measure_add, r->in.v[KEY_SIDE] && !strcmp(r->in.v[KEY_SIDE], "school") ? "school-" : "nav-",
	  "start_on", measure_add(&g, r->obj_sak, &r->in, NULL), "measure", "start_on")
CASE_POST(page_outcome_set, "outcome-", NULL, outcome_set(&g, r->obj_sak, &r->in), "school_year", "outcome")
