#include "record_common.h"

#include <stdio.h>
#include <string.h>

#include "../http/html.h"

void rp_ctx(struct req *r, struct reg *g, struct actor *who)
{
	actor_of_account(who, r->user);
	who->glass = r->via_glass;
	reg_init(g, r->db, server_keyring(), who, r->user->id, r->cfg->guardian_age,
		 r->cfg->fnr_rule_2032);
}

int rp_done(struct req *r, const char *page, struct outcome o)
{
	int failed = o.status >= 400;
	if (failed)
		r->rollback = 1;
	char *loc = arena_printf(r->arena, "%s?%s=%s", page, failed ? "error" : "ok",
				 o.msg ? o.msg : "record.saved");
	return http_redirect(r, loc);
}

int rp_refused(struct req *r, struct outcome o, const char *form, const char *const *required,
	       const char *date_field, int (*page)(struct req *r))
{
	db_rollback(r->db);
	if (db_begin(r->db) != DB_OK)
		return http_error(r, 503, "error.busy");
	r->keep_log = 1;
	r->bad_form = form;
	r->bad_field = rp_error_field(r, o.msg, required);
	static const char *const date_msgs[] = {"record.date_in_future", "record.date_before_opening",
						"case.closed_before_contact", "consent.bad_withdrawal_date"};
	for (size_t i = 0; o.msg && date_field && i < sizeof date_msgs / sizeof date_msgs[0]; i++)
		if (!strcmp(o.msg, date_msgs[i]))
			r->bad_field = date_field;
	r->in.v[KEY_ERROR] = o.msg ? o.msg : "error.422";
	r->in.v[KEY_OK] = NULL;
	int st = page(r);
	return st == 200 ? o.status : st;
}

void rp_notice(struct req *r)
{
	if (r->bad_form && r->in.v[KEY_ERROR])
		fk_errors(r, tr(r, r->in.v[KEY_ERROR]));
	else if (r->in.v[KEY_ERROR])
		page_alert(r, "error", tr(r, r->in.v[KEY_ERROR]));
	else if (r->in.v[KEY_OK])
		page_alert(r, "success", tr(r, r->in.v[KEY_OK]));
}

const char *rp_error_field(const struct req *r, const char *msg, const char *const *required)
{
	static const char *const fields[][2] = {
		{"consent.birth_year_needed", "birth_year"}, {"consent.guardian_required", "consent_by"},
		{"consent.in_future", "consent_on"},         {"student.bad_fnr", "fnr"},
		{"student.duplicate_fnr", "fnr"},            {"student.unknown_school", "school"},
		{"contact.too_long", "minutes"},             {"decision.duration_needed", "duration"},
		{"decision.duration_only_economic", "duration"}, {"measure.ends_before_start", "end_on"},
		{"outcome.year_outside_case", "school_year"}, {"consent.partner_needed", "partner"},
		{"case.referred_after_opening", "referred_on"}, {"case.contact_before_referral", "first_contact_on"},
		{"referral.reason_needed", "decline_reason"},
	};
	if (!msg)
		return NULL;
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (!strcmp(msg, fields[i][0]))
			return fields[i][1];
	if (!strcmp(msg, "form.required") || !strcmp(msg, "consent.required") || !strcmp(msg, "referral.required"))
		for (; required && *required; required++) {
			enum key k = form_key_lookup(*required, strlen(*required));
			if (k < KEY__MAX && !r->in.v[k])
				return *required;
		}
	return NULL;
}

int rp_read(struct req *r, const char *kind, const char *id, const char *purpose)
{
	char obj[80];
	snprintf(obj, sizeof obj, "%s:%s", kind, id);
	return req_audit(r, "read", obj, purpose);
}

void rp_fact(struct req *r, const char *label_key, const char *value)
{
	html_elem(&r->out, "dt", tr(r, label_key), HTML_END);
	html_elem(&r->out, "dd", value && *value ? value : "–", HTML_END);
}

void rp_table_start(struct req *r, const char *const *header_keys)
{
	buf_t *b = &r->out;
	html_raw(b, "<div class=\"app-scroll\"><table class=\"aksel-table aksel-table--small app-table\"><thead><tr>");
	for (; *header_keys; header_keys++)
		html_elem(b, "th", tr(r, *header_keys), "scope", "col", "class", "aksel-table__header-cell", HTML_END);
	html_raw(b, "</tr></thead><tbody>");
}

void rp_table_end(struct req *r)
{
	html_raw(&r->out, "</tbody></table></div>");
}

void rp_cell(struct req *r, const char *text)
{
	html_elem(&r->out, "td", text && *text ? text : "–", "class", "aksel-table__data-cell", HTML_END);
}
