/* The account page, units and users: what admin and leder manage. */
#include <stdio.h>
#include <string.h>

#include "../admin/account.h"
#include "../admin/unit.h"
#include "../auth/password.h"
#include "../auth/role.h"
#include "../http/html.h"
#include "../i18n/format.h"
#include "formkit.h"
#include "pages.h"

static void heading(struct req *r, const char *text)
{
	html_elem(&r->out, "h1", text, "class", "aksel-heading aksel-heading--large", HTML_END);
}

static void field(struct req *r, const char *name, const char *label_key, const char *type,
		  const char *autocomplete, const char *value)
{
	buf_t *b = &r->out;
	char id[40];
	snprintf(id, sizeof id, "f-%s", name);
	html_raw(b, "<div class=\"aksel-form-field\">");
	html_elem(b, "label", tr(r, label_key), "for", id, "class", "aksel-form-field__label aksel-label", HTML_END);
	const char *err = fk_bad(r, name);
	fk_field_error(r, name);
	html_tag(b, "input", "id", id, "name", name, "type", type, "class", "aksel-text-field__input",
		 "aria-invalid", err ? "true" : NULL, "aria-describedby", err, "autocomplete", autocomplete, "required", "", "value", value, HTML_END);
	html_raw(b, "</div>");
}

static void select_field(struct req *r, const char *name, const char *label_key,
			 const char *const *values, const char *prefix, const char *chosen)
{
	buf_t *b = &r->out;
	char id[40], key[48];
	snprintf(id, sizeof id, "f-%s", name);
	html_raw(b, "<div class=\"aksel-form-field\">");
	html_elem(b, "label", tr(r, label_key), "for", id, "class", "aksel-form-field__label aksel-label", HTML_END);
	const char *err = fk_bad(r, name);
	fk_field_error(r, name);
	html_tag(b, "select", "id", id, "name", name, "class", "aksel-select__input", "aria-invalid",
		 err ? "true" : NULL, "aria-describedby", err, HTML_END);
	for (; *values; values++) {
		snprintf(key, sizeof key, "%s.%s", prefix, **values ? *values : "none");
		html_tag(b, "option", "value", *values, "selected",
			 chosen && !strcmp(chosen, *values) ? "" : NULL, HTML_END);
		html_text(b, tr(r, key));
		html_raw(b, "</option>");
	}
	html_raw(b, "</select></div>");
}

static void submit(struct req *r, const char *key)
{
	html_tag(&r->out, "button", "type", "submit", "class", "aksel-button", "data-variant", "primary", HTML_END);
	html_text(&r->out, tr(r, key));
	html_raw(&r->out, "</button>");
}

/* ---- my account ---- */

struct rows {
	struct req *r;
	int n;
};

static int audit_row_html(const struct audit_row *a, void *ctx)
{
	struct rows *rs = ctx;
	buf_t *b = &rs->r->out;
	html_raw(b, "<tr class=\"aksel-table__row\">");
	char at[I18N_NUM_MAX];
	i18n_time(rs->r->lang, a->at, at, sizeof at); /* Oslo time */
	html_elem(b, "td", at, "class", "aksel-table__data-cell", HTML_END);
	html_elem(b, "td", a->action, "class", "aksel-table__data-cell", HTML_END);
	html_elem(b, "td", a->object, "class", "aksel-table__data-cell", HTML_END);
	html_raw(b, "</tr>");
	rs->n++;
	return 0;
}

int account_page(struct req *r, const char *notice_kind, const char *notice)
{
	buf_t *b = &r->out;
	page_begin(r, tr(r, "account.title"));
	heading(r, tr(r, "account.title"));
	if (notice && !strcmp(notice_kind, "error"))
		fk_errors(r, notice);
	else if (notice)
		page_alert(r, notice_kind, notice);
	html_raw(b, "<dl class=\"app-facts\">");
	html_elem(b, "dt", tr(r, "user.username"), HTML_END);
	html_elem(b, "dd", r->user->username, HTML_END);
	html_elem(b, "dt", tr(r, "user.unit"), HTML_END);
	html_elem(b, "dd", r->user->unit_name, HTML_END);
	html_raw(b, "</dl>");
	html_elem(b, "h2", tr(r, "account.change_password"), "class", "aksel-heading aksel-heading--medium", HTML_END);
	html_tag(b, "form", "method", "post", "action", "/account/password", "class", "app-form", HTML_END);
	page_csrf(r);
	field(r, "password", "account.current_password", "password", "current-password", NULL);
	field(r, "new_password", "account.new_password", "password", "new-password", NULL);
	submit(r, "account.change_password");
	html_raw(b, "</form>");
	mfa_account_section(r);
	html_elem(b, "h2", tr(r, "account.recent"), "class", "aksel-heading aksel-heading--medium", HTML_END);
	html_raw(b, "<div class=\"app-scroll\"><table class=\"aksel-table aksel-table--small app-table\"><thead><tr>");
	html_elem(b, "th", tr(r, "action.time"), "scope", "col", "class", "aksel-table__header-cell", HTML_END);
	html_elem(b, "th", tr(r, "action.action"), "scope", "col", "class", "aksel-table__header-cell", HTML_END);
	html_elem(b, "th", tr(r, "action.object"), "scope", "col", "class", "aksel-table__header-cell", HTML_END);
	html_raw(b, "</tr></thead><tbody>");
	struct rows rs = {r, 0};
	if (db_audit_for_user(r->db, r->user->username, 10, audit_row_html, &rs) != DB_OK)
		return http_error(r, 500, "error.read_failed");
	html_raw(b, "</tbody></table></div>");
	page_end(r);
	return 200;
}

int page_account(struct req *r)
{
	char obj[80];
	snprintf(obj, sizeof obj, "user:%s", r->user->username);
	if (req_audit(r, "read", obj, "own account page") != 0)
		return 500;
	return account_page(r, NULL, NULL);
}

int page_account_password(struct req *r)
{
	const char *cur = r->in.v[KEY_PASSWORD], *next = r->in.v[KEY_NEW_PASSWORD];
	r->bad_field = !cur ? "password" : !next ? "new_password" : NULL;
	if (!cur || !next) {
		account_page(r, "error", tr(r, "form.required"));
		return 422;
	}
	int v = password_verify(r->user->pw_hash, cur);
	if (v == PW_BUSY)
		return http_error(r, 503, "error.busy");
	if (v != PW_OK) {
		r->bad_field = "password";
		account_page(r, "error", tr(r, "password.wrong_current"));
		return 422;
	}
	struct actor who;
	actor_of_account(&who, r->user);
	struct outcome o = account_set_password(r->db, &who, r->user, next);
	if (o.status >= 400) {
		r->bad_field = !strncmp(o.msg, "password.", 9) ? "new_password" : NULL;
		account_page(r, "error", tr(r, o.msg));
		return o.status;
	}
	/* All sessions ended, this one too: log in again with the new password. */
	http_set_cookie(r, cookie_session_name(r->cfg), "x", 0);
	r->has_session = 0;
	return http_redirect(r, "/login");
}

/* ---- units ---- */

struct unit_ctx {
	struct req *r;
};

static int unit_row_html(const struct unit *u, void *ctx)
{
	struct req *r = ((struct unit_ctx *)ctx)->r;
	buf_t *b = &r->out;
	char key[32], valid[32] = "";
	snprintf(key, sizeof key, "kind.%s", u->kind);
	if (u->valid_from || u->valid_to)
		snprintf(valid, sizeof valid, "%d–%.0d", u->valid_from, u->valid_to);
	int depth = 0;
	for (const char *p = u->path; *p; p++)
		depth += *p == '/';
	char cls[64];
	snprintf(cls, sizeof cls, "aksel-table__data-cell app-depth-%d", depth > 6 ? 6 : depth);
	html_raw(b, "<tr class=\"aksel-table__row\">");
	html_elem(b, "td", u->code, "class", "aksel-table__data-cell", HTML_END);
	html_elem(b, "td", u->name, "class", cls, HTML_END);
	html_elem(b, "td", tr(r, key), "class", "aksel-table__data-cell", HTML_END);
	html_elem(b, "td", valid, "class", "aksel-table__data-cell", HTML_END);
	html_raw(b, "</tr>");
	return 0;
}

static int units_page(struct req *r, int status, const char *notice_kind, const char *notice)
{
	buf_t *b = &r->out;
	page_begin(r, tr(r, "unit.title"));
	heading(r, tr(r, "unit.title"));
	if (notice && !strcmp(notice_kind, "error"))
		fk_errors(r, notice);
	else if (notice)
		page_alert(r, notice_kind, notice);
	if (role_bit(r->user->role) == ROLE_ADMIN) {
		static const char *const kinds[] = {"county", "pilot", "school", "nav_office", NULL};
		html_tag(b, "details", "class", "app-details", "open", status >= 400 ? "" : NULL, HTML_END);
		html_elem(b, "summary", tr(r, "unit.create"), HTML_END);
		html_tag(b, "form", "method", "post", "action", "/units", "class", "app-form", HTML_END);
		page_csrf(r);
		field(r, "code", "unit.code", "text", "off", status >= 400 ? r->in.v[KEY_CODE] : NULL);
		field(r, "name", "unit.name", "text", "off", status >= 400 ? r->in.v[KEY_NAME] : NULL);
		select_field(r, "kind", "unit.kind", kinds, "kind", r->in.v[KEY_KIND]);
		field(r, "parent", "unit.parent", "text", "off", status >= 400 ? r->in.v[KEY_PARENT] : NULL);
		submit(r, "form.save");
		html_raw(b, "</form></details>");
	}
	html_raw(b, "<div class=\"app-scroll\"><table class=\"aksel-table aksel-table--small app-table\"><thead><tr>");
	html_elem(b, "th", tr(r, "unit.code"), "scope", "col", "class", "aksel-table__header-cell", HTML_END);
	html_elem(b, "th", tr(r, "unit.name"), "scope", "col", "class", "aksel-table__header-cell", HTML_END);
	html_elem(b, "th", tr(r, "unit.kind"), "scope", "col", "class", "aksel-table__header-cell", HTML_END);
	html_elem(b, "th", tr(r, "unit.valid"), "scope", "col", "class", "aksel-table__header-cell", HTML_END);
	html_raw(b, "</tr></thead><tbody>");
	struct unit_ctx c = {r};
	if (db_unit_list(r->db, r->user->unit_path, unit_row_html, &c) != DB_OK)
		return http_error(r, 500, "error.read_failed");
	html_raw(b, "</tbody></table></div>");
	page_end(r);
	return status;
}

int page_units(struct req *r)
{
	return units_page(r, 200, NULL, NULL);
}

/* The field a refused unit is about: a taken code, a parent that is not there or does not fit,
 * the first one missing. */
static const char *unit_field(struct req *r, const char *msg)
{
	if (!strcmp(msg, "unit.exists"))
		return "code";
	if (!strcmp(msg, "unit.no_parent") || !strcmp(msg, "unit.wrong_parent"))
		return "parent";
	if (strcmp(msg, "form.required") != 0)
		return NULL;
	static const enum key keys[] = {KEY_CODE, KEY_NAME, KEY_KIND, KEY_PARENT};
	static const char *const names[] = {"code", "name", "kind", "parent"};
	for (int i = 0; i < 4; i++)
		if (!r->in.v[keys[i]])
			return names[i];
	return NULL;
}

int page_unit_create(struct req *r)
{
	struct actor who;
	actor_of_account(&who, r->user);
	struct outcome o = unit_create(r->db, &who, r->in.v[KEY_CODE], r->in.v[KEY_NAME],
				       r->in.v[KEY_KIND], r->in.v[KEY_PARENT]);
	if (o.status >= 400) {
		r->bad_field = unit_field(r, o.msg);
		return units_page(r, o.status, "error", tr(r, o.msg));
	}
	return units_page(r, 200, "success", tr(r, o.msg));
}

/* ---- users ---- */

static int user_row_html(const struct account *a, void *ctx)
{
	struct req *r = ctx;
	buf_t *b = &r->out;
	char key[32], href[96];
	snprintf(key, sizeof key, "role.%s", a->role);
	snprintf(href, sizeof href, "/users/%s", a->username);
	html_raw(b, "<tr class=\"aksel-table__row\"><td class=\"aksel-table__data-cell\">");
	html_elem(b, "a", a->username, "href", href, "class", "aksel-link", HTML_END);
	html_raw(b, "</td>");
	html_elem(b, "td", tr(r, key), "class", "aksel-table__data-cell", HTML_END);
	html_elem(b, "td", a->unit_name, "class", "aksel-table__data-cell", HTML_END);
	html_elem(b, "td", tr(r, a->disabled ? "user.disabled" : "user.active"), "class",
		  "aksel-table__data-cell", HTML_END);
	html_raw(b, "</tr>");
	return 0;
}

struct option_ctx {
	struct req *r;
	const char *chosen;
};

static int unit_option(const struct unit *u, void *ctx)
{
	struct option_ctx *o = ctx;
	buf_t *b = &o->r->out;
	html_tag(b, "option", "value", u->code, "selected", !strcmp(u->code, o->chosen) ? "" : HTML_END, HTML_END);
	html_text(b, u->name);
	html_raw(b, " (");
	html_text(b, u->code);
	html_raw(b, ")</option>");
	return 0;
}

/* The units a user may be placed in: the caller's own subtree. */
static void unit_select(struct req *r, const char *chosen)
{
	buf_t *b = &r->out;
	html_raw(b, "<div class=\"aksel-form-field\">");
	html_elem(b, "label", tr(r, "user.unit"), "for", "f-unit", "class", "aksel-form-field__label aksel-label", HTML_END);
	const char *err = fk_bad(r, "unit");
	fk_field_error(r, "unit");
	html_tag(b, "select", "id", "f-unit", "name", "unit", "class", "aksel-select__input", "aria-invalid",
		 err ? "true" : NULL, "aria-describedby", err, HTML_END);
	struct option_ctx o = {r, chosen};
	db_unit_list(r->db, r->user->unit_path, unit_option, &o);
	html_raw(b, "</select></div>");
}

static int users_page(struct req *r, int status, const char *notice_kind, const char *notice)
{
	buf_t *b = &r->out;
	static const char *const all_roles[] = {"veileder", "radgiver", "leder", "analytiker", "admin", NULL};
	static const char *const pilot_roles[] = {"veileder", "radgiver", "leder", NULL};
	int admin = role_bit(r->user->role) == ROLE_ADMIN;
	page_begin(r, tr(r, "user.title"));
	heading(r, tr(r, "user.title"));
	if (notice && !strcmp(notice_kind, "error"))
		fk_errors(r, notice);
	else if (notice)
		page_alert(r, notice_kind, notice);
	html_tag(b, "details", "class", "app-details", "open", status >= 400 ? "" : NULL, HTML_END);
	html_elem(b, "summary", tr(r, "user.create"), HTML_END);
	html_tag(b, "form", "method", "post", "action", "/users", "class", "app-form", HTML_END);
	page_csrf(r);
	field(r, "username", "user.username", "text", "off", status >= 400 ? r->in.v[KEY_USERNAME] : NULL);
	select_field(r, "role", "user.role", admin ? all_roles : pilot_roles, "role", r->in.v[KEY_ROLE]);
	unit_select(r, status >= 400 && r->in.v[KEY_UNIT] ? r->in.v[KEY_UNIT] : r->user->unit_code);
	if (admin) {
		/* An analyst's directorate: shown beside their feedback on pilots' reports. */
		static const char *const dirs[] = {"", "avdir", "udir", NULL};
		select_field(r, "directorate", "user.directorate", dirs, "directorate", r->in.v[KEY_DIRECTORATE]);
	}
	field(r, "password", "user.initial_password", "password", "new-password", NULL);
	submit(r, "form.save");
	html_raw(b, "</form></details>");
	html_raw(b, "<div class=\"app-scroll\"><table class=\"aksel-table aksel-table--small app-table\"><thead><tr>");
	html_elem(b, "th", tr(r, "user.username"), "scope", "col", "class", "aksel-table__header-cell", HTML_END);
	html_elem(b, "th", tr(r, "user.role"), "scope", "col", "class", "aksel-table__header-cell", HTML_END);
	html_elem(b, "th", tr(r, "user.unit"), "scope", "col", "class", "aksel-table__header-cell", HTML_END);
	html_elem(b, "th", tr(r, "user.status"), "scope", "col", "class", "aksel-table__header-cell", HTML_END);
	html_raw(b, "</tr></thead><tbody>");
	if (db_account_list(r->db, r->user->unit_path, user_row_html, r) != DB_OK)
		return http_error(r, 500, "error.read_failed");
	html_raw(b, "</tbody></table></div>");
	page_end(r);
	return status;
}

int page_users(struct req *r)
{
	if (req_audit(r, "read", "users", "user administration") != 0)
		return 500;
	return users_page(r, 200, NULL, NULL);
}

/* The field of the user form a failed create is about, or NULL. */
static const char *user_field(const struct req *r, const char *msg)
{
	if (!strncmp(msg, "password.", 9))
		return "password";
	if (!strcmp(msg, "user.exists"))
		return "username";
	if (!strcmp(msg, "user.role_not_allowed"))
		return "role";
	if (!strcmp(msg, "user.unknown_unit") || !strcmp(msg, "user.wrong_unit_kind"))
		return "unit";
	if (!strcmp(msg, "form.required"))
		return !r->in.v[KEY_USERNAME] ? "username" : !r->in.v[KEY_ROLE] ? "role"
		     : !r->in.v[KEY_UNIT]    ? "unit"
					     : "password";
	return NULL;
}

int page_user_create(struct req *r)
{
	struct actor who;
	actor_of_account(&who, r->user);
	struct outcome o = account_create_in(r->db, &who, r->in.v[KEY_USERNAME], r->in.v[KEY_ROLE],
					     r->in.v[KEY_UNIT], r->in.v[KEY_PASSWORD], r->in.v[KEY_DIRECTORATE]);
	r->in.v[KEY_PASSWORD] = NULL;
	/* The list on the page below is personal data: its read is logged, failed create or not. */
	if (db_begin(r->db) != DB_OK || req_audit(r, "read", "users", "user administration") != 0 ||
	    db_commit(r->db) != DB_OK) {
		db_rollback(r->db);
		return http_error(r, 500, "error.audit_failed");
	}
	if (o.status >= 400) {
		r->bad_field = user_field(r, o.msg);
		return users_page(r, o.status, "error", tr(r, o.msg));
	}
	return users_page(r, 200, "success", tr(r, o.msg));
}

int page_user(struct req *r)
{
	const struct account *a = r->obj_account;
	buf_t *b = &r->out;
	char obj[80], key[32];
	snprintf(obj, sizeof obj, "user:%s", a->username);
	if (req_audit(r, "read", obj, "user administration") != 0)
		return 500;
	page_begin(r, a->username);
	heading(r, a->username);
	html_raw(b, "<dl class=\"app-facts\">");
	html_elem(b, "dt", tr(r, "user.role"), HTML_END);
	snprintf(key, sizeof key, "role.%s", a->role);
	html_elem(b, "dd", tr(r, key), HTML_END);
	html_elem(b, "dt", tr(r, "user.unit"), HTML_END);
	html_elem(b, "dd", a->unit_name, HTML_END);
	if (a->directorate[0]) {
		snprintf(key, sizeof key, "directorate.%s", a->directorate);
		html_elem(b, "dt", tr(r, "user.directorate"), HTML_END);
		html_elem(b, "dd", tr(r, key), HTML_END);
	}
	html_elem(b, "dt", tr(r, "user.status"), HTML_END);
	html_elem(b, "dd", tr(r, a->disabled ? "user.disabled" : "user.active"), HTML_END);
	html_elem(b, "dt", tr(r, "user.created_at"), HTML_END);
	char created[I18N_NUM_MAX];
	i18n_time(r->lang, a->created_at, created, sizeof created);
	html_elem(b, "dd", created, HTML_END);
	html_raw(b, "</dl>");
	if (!a->disabled && strcmp(a->username, r->user->username) != 0) {
		char action[96];
		snprintf(action, sizeof action, "/users/%s/disable", a->username);
		html_tag(b, "form", "method", "post", "action", action, HTML_END);
		page_csrf(r);
		html_tag(b, "button", "type", "submit", "class", "aksel-button", "data-variant", "secondary", HTML_END);
		html_text(b, tr(r, "user.disable"));
		html_raw(b, "</button></form>");
	}
	mfa_user_section(r, a);
	page_end(r);
	return 200;
}

int page_user_disable(struct req *r)
{
	struct actor who;
	actor_of_account(&who, r->user);
	struct outcome o = account_disable(r->db, &who, r->obj_account);
	if (o.status >= 400)
		return http_error(r, o.status, tr(r, o.msg));
	char loc[96];
	snprintf(loc, sizeof loc, "/users/%s", r->obj_account->username);
	return http_redirect(r, loc);
}
