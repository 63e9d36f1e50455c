/* Referrals: the school counsellor refers and follows the status; the NAV counsellor accepts
 * (a new or linked student and a new case) or declines with a reason. */
#include <stdio.h>
#include <string.h>

#include "../http/html.h"
#include "pages.h"
#include "record_common.h"

struct list_ctx {
	struct req *r;
	struct reg *g;
	int n;
};

static int row(const struct referral_row *rr, void *ctx)
{
	struct list_ctx *l = ctx;
	struct req *r = l->r;
	buf_t *b = &r->out;
	char name[256], href[48], key[32];
	referral_open_name(l->g, rr, name, sizeof name);
	snprintf(href, sizeof href, "/referrals/%lld", (long long)rr->id);
	snprintf(key, sizeof key, "referral.status_%s", rr->status);
	html_raw(b, "<tr class=\"aksel-table__row\"><td class=\"aksel-table__data-cell\">");
	html_elem(b, "a", name, "href", href, "class", "aksel-link", HTML_END);
	html_raw(b, "</td>");
	rp_cell(r, rr->referred_on);
	rp_cell(r, fk_label(r, "reason", rr->reason));
	rp_cell(r, tr(r, key));
	rp_cell(r, rr->decided_on);
	html_raw(b, "</tr>");
	l->n++;
	return 0;
}

int page_referrals(struct req *r)
{
	struct reg g;
	struct actor who;
	rp_ctx(r, &g, &who);
	if (req_audit(r, "read", "referrals", "referrals"))
		return 500;
	int radgiver = !strcmp(r->user->role, "radgiver");
	buf_t *b = &r->out;
	page_begin(r, tr(r, "referral.title"));
	fk_heading(r, 1, tr(r, "referral.title"));
	rp_notice(r);
	if (radgiver) {
		html_raw(b, "<p>");
		html_elem(b, "a", tr(r, "referral.new"), "href", "/referrals/new", "class",
			  "aksel-button", "data-variant", "primary", HTML_END);
		html_raw(b, "</p>");
	}
	static const char *const head[] = {"referral.student", "referral.referred_on", "case.main_reason",
					   "referral.status", "referral.decided_on", NULL};
	rp_table_start(r, head);
	struct list_ctx l = {r, &g, 0};
	int rc = radgiver ? db_referral_list_referrer(r->db, r->user->id, row, &l)
			  : db_referral_list_scope(r->db, r->user->unit_path, row, &l);
	if (rc != DB_OK)
		return http_error(r, 500, "error.read_failed");
	rp_table_end(r);
	if (!l.n)
		html_elem(b, "p", tr(r, "referral.none"), "class", "app-muted", HTML_END);
	page_end(r);
	return 200;
}

static int new_form(struct req *r, int status, const char *error_key)
{
	buf_t *b = &r->out;
	page_begin(r, tr(r, "referral.new"));
	fk_heading(r, 1, tr(r, "referral.new"));
	if (error_key) {
		static const char *const required[] = {"student_name", "main_reason", "consent_by", NULL};
		r->bad_field = rp_error_field(r, error_key, required);
		fk_errors(r, tr(r, error_key));
	}
	html_elem(b, "p", tr(r, "referral.intro"), "class", "aksel-body-long", HTML_END);
	fk_begin(r, "/referrals", "app-form");
	fk_input(r, "student_name", "referral.student", "text", "off", r->in.v[KEY_STUDENT_NAME], 1);
	fk_codes(r, "level", "student.level", "level", r->in.v[KEY_LEVEL], 0);
	fk_codes(r, "main_reason", "case.main_reason", "reason", r->in.v[KEY_MAIN_REASON], 1);
	fk_codes(r, "consent_by", "referral.consent_by", "consent_by", r->in.v[KEY_CONSENT_BY], 1);
	fk_submit(r, "referral.send");
	fk_end(r);
	page_end(r);
	return status;
}

int page_referral_new(struct req *r)
{
	return new_form(r, 200, NULL);
}

int page_referral_create(struct req *r)
{
	struct reg g;
	struct actor who;
	rp_ctx(r, &g, &who);
	int64_t id;
	struct outcome o = referral_create(&g, r->user, &r->in, &id);
	if (o.status >= 400)
		return new_form(r, o.status, o.msg);
	return http_redirect(r, arena_printf(r->arena, "/referrals/%lld?ok=referral.sent", (long long)id));
}

struct brief {
	struct req *r;
};

static int brief_contact(const struct contact_row *c, void *ctx)
{
	struct req *r = ((struct brief *)ctx)->r;
	html_raw(&r->out, "<tr class=\"aksel-table__row\">");
	rp_cell(r, c->on_date);
	rp_cell(r, fk_label(r, "contact_kind", c->kind));
	html_raw(&r->out, "</tr>");
	return 0;
}

static int brief_measure(const struct measure_row *m, void *ctx)
{
	struct req *r = ((struct brief *)ctx)->r;
	html_raw(&r->out, "<tr class=\"aksel-table__row\">");
	rp_cell(r, fk_label(r, !strcmp(m->side, "nav") ? "nav_measure" : "school_measure", m->code));
	rp_cell(r, m->start_on);
	rp_cell(r, m->end_on);
	html_raw(&r->out, "</tr>");
	return 0;
}

int page_referral(struct req *r)
{
	struct reg g;
	struct actor who;
	rp_ctx(r, &g, &who);
	const struct referral_row *rr = r->obj_referral;
	char id[24], name[256], key[32], action[64];
	snprintf(id, sizeof id, "%lld", (long long)rr->id);
	if (rp_read(r, "referral", id, "referral"))
		return 500;
	referral_open_name(&g, rr, name, sizeof name);
	snprintf(key, sizeof key, "referral.status_%s", rr->status);
	buf_t *b = &r->out;
	page_begin(r, tr(r, "referral.one"));
	fk_heading(r, 1, tr(r, "referral.one"));
	rp_notice(r);
	html_raw(b, "<dl class=\"app-facts\">");
	rp_fact(r, "referral.student", name);
	rp_fact(r, "referral.school", rr->school_code);
	rp_fact(r, "student.level", fk_label(r, "level", rr->level));
	rp_fact(r, "case.main_reason", fk_label(r, "reason", rr->reason));
	rp_fact(r, "referral.referred_on", rr->referred_on);
	rp_fact(r, "referral.status", tr(r, key));
	rp_fact(r, "referral.decided_on", rr->decided_on);
	if (rr->decline_reason[0])
		rp_fact(r, "referral.decline_reason", rr->decline_reason);
	html_raw(b, "</dl>");

	int radgiver = !strcmp(r->user->role, "radgiver");
	if (radgiver) {
		/* Case content only under a sharing consent with the school counsellor. */
		struct sak_row k;
		if (rr->sak_id && referral_shares(&g, rr) && db_sak_get(r->db, rr->sak_id, &k) == DB_OK) {
			struct brief br = {r};
			char sak[24];
			snprintf(sak, sizeof sak, "%lld", (long long)k.id);
			if (rp_read(r, "case", sak, "shared with the school counsellor"))
				return 500;
			fk_heading(r, 2, tr(r, "referral.shared"));
			html_raw(b, "<dl class=\"app-facts\">");
			rp_fact(r, "case.opened_on", k.opened_on);
			rp_fact(r, "case.closed_on", k.closed_on);
			html_raw(b, "</dl>");
			static const char *const ch[] = {"contact.on_date", "contact.kind", NULL};
			rp_table_start(r, ch);
			db_contact_list(r->db, k.id, brief_contact, &br);
			rp_table_end(r);
			static const char *const mh[] = {"measure.code", "measure.start_on", "measure.end_on", NULL};
			rp_table_start(r, mh);
			db_measure_list(r->db, k.id, brief_measure, &br);
			rp_table_end(r);
		} else if (rr->sak_id) {
			html_elem(b, "p", tr(r, "referral.no_sharing"), "class", "aksel-body-long", HTML_END);
		}
	} else if (!strcmp(rr->status, "NY")) {
		fk_heading(r, 2, tr(r, "referral.accept"));
		html_elem(b, "p", tr(r, "referral.accept_intro"), "class", "aksel-body-long", HTML_END);
		snprintf(action, sizeof action, "/referrals/%s/accept", id);
		fk_scope(r, "accept-");
		fk_begin(r, action, "app-form");
		fk_input(r, "student", "referral.existing", "text", "off", fk_val(r, KEY_STUDENT, NULL), 0);
		fk_input(r, "consent_on", "consent.given_on", "date", "off", fk_val(r, KEY_CONSENT_ON, g.today), 0);
		fk_codes(r, "consent_by", "consent.given_by", "consent_by", fk_val(r, KEY_CONSENT_BY, NULL), 0);
		fk_input(r, "birth_year", "student.birth_year", "number", "off", fk_val(r, KEY_BIRTH_YEAR, NULL), 0);
		fk_submit(r, "referral.accept");
		fk_end(r);
		fk_heading(r, 2, tr(r, "referral.decline"));
		snprintf(action, sizeof action, "/referrals/%s/decline", id);
		fk_scope(r, "decline-");
		fk_begin(r, action, "app-form");
		fk_input(r, "decline_reason", "referral.decline_reason", "text", "off", fk_val(r, KEY_DECLINE_REASON, NULL), 1);
		fk_submit(r, "referral.decline");
		fk_end(r);
		fk_scope(r, NULL);
	} else if (rr->sak_id) {
		char href[48];
		snprintf(href, sizeof href, "/cases/%lld", (long long)rr->sak_id);
		html_raw(b, "<p>");
		html_elem(b, "a", tr(r, "referral.to_case"), "href", href, "class", "aksel-link", HTML_END);
		html_raw(b, "</p>");
	}
	page_end(r);
	return 200;
}

int page_referral_accept(struct req *r)
{
	struct reg g;
	struct actor who;
	rp_ctx(r, &g, &who);
	int64_t sak_id = 0;
	struct outcome o = referral_accept(&g, r->obj_referral, &r->in, &sak_id);
	if (o.status >= 400) {
		static const char *const required[] = {"consent_on", "consent_by", NULL};
		return rp_refused(r, o, "accept-", required, "consent_on", page_referral);
	}
	return rp_done(r, arena_printf(r->arena, "/cases/%lld", (long long)sak_id), o);
}

int page_referral_decline(struct req *r)
{
	struct reg g;
	struct actor who;
	rp_ctx(r, &g, &who);
	struct outcome o = referral_decline(&g, r->obj_referral, &r->in);
	if (o.status >= 400) {
		static const char *const required[] = {"decline_reason", NULL};
		return rp_refused(r, o, "decline-", required, NULL, page_referral);
	}
	return rp_done(r, arena_printf(r->arena, "/referrals/%lld", (long long)r->obj_referral->id), o);
}
