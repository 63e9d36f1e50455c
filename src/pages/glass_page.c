/*
 * Break the glass: a NAV counsellor covering for a colleague at another pilot opens one student's
 * record, for GLASS_HOURS, after stating why. The opening and everything done in the record then
 * are flagged in the access log (outcome "glass"), and the student's pilot's leaders see every
 * opening on /glass/log. Inside their own pilot nobody needs it.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../auth/role.h"
#include "../db/privacy.h"
#include "../db/record.h"
#include "../http/html.h"
#include "../i18n/format.h"
#include "formkit.h"
#include "pages.h"
#include "record_common.h"

#define GLASS_HOURS 2
#define GLASS_MIN_REASON 10

static int glass_form(struct req *r, int status, const char *error_key, const char *field)
{
	buf_t *b = &r->out;
	page_begin(r, tr(r, "glass.title"));
	fk_heading(r, 1, tr(r, "glass.title"));
	if (error_key) {
		r->bad_field = field;
		fk_errors(r, tr(r, error_key));
	}
	html_elem(b, "p", tr(r, "glass.intro"), "class", "aksel-body-long", HTML_END);
	fk_begin(r, "/glass", "app-form");
	fk_input(r, "student", "glass.pseudonym", "text", "off", r->in.v[KEY_STUDENT], 1);
	fk_input(r, "purpose", "glass.reason", "text", "off", r->in.v[KEY_PURPOSE], 1);
	fk_submit(r, "glass.open");
	fk_end(r);
	page_end(r);
	return status;
}

int page_glass(struct req *r)
{
	return glass_form(r, 200, NULL, NULL);
}

/* A refusal: its writes undone, the attempt itself kept in the access log, the form again. */
static int refuse(struct req *r, int status, const char *key, const char *field, const char *object)
{
	db_rollback(r->db);
	if (db_begin(r->db) != DB_OK)
		return http_error(r, 503, "error.busy");
	r->keep_log = 1;
	if (object && req_audit(r, "break_glass_refused", object, key))
		return http_error(r, 500, "error.audit_failed");
	return glass_form(r, status, key, field);
}

int page_glass_open(struct req *r)
{
	const char *p = r->in.v[KEY_STUDENT], *reason = r->in.v[KEY_PURPOSE];
	if (!p)
		return refuse(r, 422, "form.required", "student", NULL);
	size_t chars = 0;
	for (const unsigned char *c = (const unsigned char *)(reason ? reason : ""); *c; c++)
		if ((*c & 0xc0) != 0x80 && *c != ' ')
			chars++;
	if (chars < GLASS_MIN_REASON)
		return refuse(r, 422, "glass.reason_needed", "purpose", NULL);
	struct student_row s;
	int rc = db_student_get(r->db, p, &s);
	if (rc == DB_ERROR)
		return http_error(r, 503, "error.database_unavailable");
	const char *object = arena_printf(r->arena, "student:%s", p);
	if (rc != DB_OK)
		return refuse(r, 404, "glass.no_student", "student", object);
	const char *page = arena_printf(r->arena, "/students/%s", s.pseudonym);
	/* One's own pilot needs no glass. */
	if (scope_contains(r->user->unit_path, s.pilot_path))
		return http_redirect(r, page);
	char until[21];
	time_t t = time(NULL) + (time_t)GLASS_HOURS * 3600;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(until, sizeof until, "%Y-%m-%dT%H:%M:%SZ", &tm);
	r->via_glass = 1;
	int64_t gid = 0;
	if (db_glass_open(r->db, r->user->id, s.id, s.pilot_id, reason, until) != DB_OK ||
	    db_privacy_glass_last(r->db, r->user->id, s.id, &gid) != DB_OK)
		return http_error(r, 500, "error.save_failed");
	/* The reason stays in the opening, which erasure can overwrite; the append-only log
	 * names the opening (the access report shows its reason). */
	if (req_audit(r, "break_glass", object, arena_printf(r->arena, "glass:%lld", (long long)gid)))
		return http_error(r, 500, "error.audit_failed");
	return http_redirect(r, arena_printf(r->arena, "%s?ok=glass.opened", page));
}

struct log_ctx {
	struct req *r;
	int n;
};

static int log_row(const struct glass_row *g, void *ctx)
{
	struct log_ctx *l = ctx;
	struct req *r = l->r;
	char at[I18N_NUM_MAX], until[I18N_NUM_MAX];
	i18n_time(r->lang, g->at, at, sizeof at);
	i18n_time(r->lang, g->expires_at, until, sizeof until);
	html_raw(&r->out, "<tr class=\"aksel-table__row\">");
	rp_cell(r, at);
	rp_cell(r, arena_printf(r->arena, "%s (%s)", g->username, g->user_unit));
	rp_cell(r, g->pseudonym);
	rp_cell(r, g->reason);
	rp_cell(r, until);
	html_raw(&r->out, "</tr>");
	l->n++;
	return 0;
}

int page_glass_log(struct req *r)
{
	buf_t *b = &r->out;
	if (req_audit(r, "read", "glass_log", "break-the-glass follow-up"))
		return http_error(r, 500, "error.audit_failed");
	page_begin(r, tr(r, "glass.log_title"));
	fk_heading(r, 1, tr(r, "glass.log_title"));
	html_elem(b, "p", tr(r, "glass.log_intro"), "class", "aksel-body-long", HTML_END);
	static const char *const head[] = {"glass.at", "glass.who", "glass.pseudonym", "glass.reason", "glass.until", NULL};
	rp_table_start(r, head);
	struct log_ctx l = {r, 0};
	if (db_glass_list(r->db, r->user->unit_path, log_row, &l) != DB_OK)
		return http_error(r, 500, "error.read_failed");
	rp_table_end(r);
	if (!l.n)
		html_elem(b, "p", tr(r, "glass.log_empty"), "class", "app-muted", HTML_END);
	page_end(r);
	return 200;
}

void glass_banner(struct req *r)
{
	if (!r->via_glass)
		return;
	char until[I18N_NUM_MAX], text[400] = "";
	i18n_time(r->lang, r->glass_until, until, sizeof until);
	const char *args[1] = {until};
	i18n_fill(text, sizeof text, tr(r, "glass.banner"), args, 1);
	page_alert(r, "info", text);
}
