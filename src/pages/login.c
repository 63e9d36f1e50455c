/* Login, logout and the start page. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "../audit/audit.h"
#include "../auth/mfa.h"
#include "../auth/password.h"
#include "../auth/role.h"
#include "../auth/throttle.h"
#include "../auth/token.h"
#include "../core/log.h"
#include "../http/html.h"
#include "pages.h"

void server_audit_login_failed(struct req *r, const char *username);

int page_root(struct req *r)
{
	return http_redirect(r, r->user ? page_landing(r->user->role) : "/login");
}

static void login_form(struct req *r, const char *error)
{
	buf_t *b = &r->out;
	page_begin(r, tr(r, "login.title"));
	html_raw(b, "<div class=\"app-narrow\">");
	html_elem(b, "h1", tr(r, "login.title"), "class", "aksel-heading aksel-heading--large", HTML_END);
	if (error)
		page_alert(r, "error", error);
	html_tag(b, "form", "method", "post", "action", "/login", "class", "app-form", HTML_END);
	page_csrf(r);
	if (r->in.v[KEY_NEXT])
		html_tag(b, "input", "type", "hidden", "name", "next", "value", r->in.v[KEY_NEXT], HTML_END);
	html_raw(b, "<div class=\"aksel-form-field\">");
	html_elem(b, "label", tr(r, "login.username"), "for", "username", "class", "aksel-form-field__label aksel-label", HTML_END);
	html_tag(b, "input", "id", "username", "name", "username", "type", "text", "class",
		 "aksel-text-field__input", "autocomplete", "username", "autocapitalize", "none",
		 "spellcheck", "false", "required", "", "value", r->in.v[KEY_USERNAME], HTML_END);
	html_raw(b, "</div><div class=\"aksel-form-field\">");
	html_elem(b, "label", tr(r, "login.password"), "for", "password", "class", "aksel-form-field__label aksel-label", HTML_END);
	html_tag(b, "input", "id", "password", "name", "password", "type", "password", "class",
		 "aksel-text-field__input", "autocomplete", "current-password", "required", "", HTML_END);
	html_raw(b, "</div>");
	html_tag(b, "button", "type", "submit", "class", "aksel-button", "data-variant", "primary", HTML_END);
	html_text(b, tr(r, "login.submit"));
	html_raw(b, "</button></form></div>");
	page_end(r);
}

int page_login_form(struct req *r)
{
	if (r->user)
		return http_redirect(r, page_landing(r->user->role));
	/* The pre-login CSRF token: a random cookie the form must echo (double submit). */
	if (!r->pre_token[0]) {
		token_random(r->pre_token, sizeof r->pre_token, CSRF_TOKEN_BYTES);
		http_set_cookie(r, cookie_pre_name(r->cfg), r->pre_token, -1);
	}
	/* Only this message comes by the address: the rest are the form's own. */
	const char *why = r->in.v[KEY_ERROR];
	login_form(r, why && !strcmp(why, "mfa.expired") ? tr(r, why) : NULL);
	return 200;
}

/* Inside the caller's write transaction: a new session for a (a new token at every login, so a
 * session id planted before login is worthless), its cookie, and the login's access-log row. */
int session_open(struct req *r, const struct account *a, char csrf_out[64])
{
	char tok[64];
	unsigned char h[32];
	token_random(tok, sizeof tok, SESSION_TOKEN_BYTES);
	token_random(csrf_out, 64, CSRF_TOKEN_BYTES);
	token_hash(tok, h);
	int64_t now = now_utc();
	if (r->has_session)
		db_session_delete(r->db, r->sess.id);
	db_session_purge(r->db, now - r->cfg->session_idle, now - r->cfg->session_absolute);
	struct audit_entry e = {a->username, a->role, a->unit_code, "login", "session", "login", "ok"};
	if (db_session_insert(r->db, h, a->id, csrf_out, now) != DB_OK || audit_write(r->db, &e) != DB_OK)
		return -1;
	http_set_cookie(r, cookie_session_name(r->cfg), tok, -1);
	http_set_cookie(r, cookie_pre_name(r->cfg), "x", 0);
	return 0;
}

static int start_session(struct req *r, const struct account *a)
{
	char csrf[64];
	if (db_begin(r->db) != DB_OK)
		return -1;
	if (session_open(r, a, csrf) != 0 || db_commit(r->db) != DB_OK) {
		db_rollback(r->db);
		return -1;
	}
	return 0;
}

int page_login(struct req *r)
{
	const char *u = r->in.v[KEY_USERNAME], *p = r->in.v[KEY_PASSWORD];
	if (!u || !p) {
		login_form(r, tr(r, "form.required"));
		return 400;
	}
	char ukey[96], ikey[96];
	snprintf(ukey, sizeof ukey, "u:%s", u);
	snprintf(ikey, sizeof ikey, "ip:%s", r->ip);
	int64_t now = now_utc();
	if (throttle_wait(ukey, now) || throttle_wait(ikey, now)) {
		log_event(LOG_WARN, "login_throttled", NULL);
		server_audit_login_failed(r, u);
		login_form(r, tr(r, "login.throttled"));
		return 429;
	}
	struct account a;
	int rc = db_account_get(r->db, u, &a);
	if (rc == DB_ERROR)
		return http_error(r, 503, "error.database_unavailable");
	int ok = password_verify(rc == DB_OK ? a.pw_hash : NULL, p);
	if (ok == PW_BUSY)
		return http_error(r, 503, "error.busy");
	if (ok != PW_OK || rc != DB_OK || a.disabled) {
		throttle_fail(ukey, now);
		throttle_fail(ikey, now);
		log_event(LOG_WARN, "login_failed", NULL);
		server_audit_login_failed(r, u);
		r->in.v[KEY_PASSWORD] = NULL;
		login_form(r, tr(r, "login.failed"));
		return 401;
	}
	/* With a second factor the throttle is cleared only after it: a known password must not buy
	 * fresh guesses at the code. */
	struct mfa_status ms;
	if (mfa_status(r->db, a.id, &ms) != MFA_OK)
		return http_error(r, 503, "error.database_unavailable");
	if (ms.enrolled || config_mfa_required(r->cfg, a.role))
		return mfa_login_start(r, &a, ms.enrolled);
	throttle_clear(ukey);
	if (start_session(r, &a) != 0)
		return http_error(r, 503, "error.busy");
	log_event(LOG_INFO, "login", json_pack("{s:I}", "account_id", (json_int_t)a.id));
	return http_redirect(r, r->in.v[KEY_NEXT] ? r->in.v[KEY_NEXT] : page_landing(a.role));
}

int page_logout(struct req *r)
{
	if (r->has_session) {
		/* The session ends on the server, not only in the browser. */
		db_session_delete(r->db, r->sess.id);
		req_audit(r, "logout", "session", "logout");
	}
	http_set_cookie(r, cookie_session_name(r->cfg), "x", 0);
	return http_redirect(r, "/login");
}

int page_start(struct req *r)
{
	buf_t *b = &r->out;
	char key[32];
	page_begin(r, tr(r, "start.title"));
	html_elem(b, "h1", tr(r, "start.title"), "class", "aksel-heading aksel-heading--large", HTML_END);
	snprintf(key, sizeof key, "start.%s", r->user->role);
	html_elem(b, "p", tr(r, key), "class", "aksel-body-long aksel-body-long--large", HTML_END);
	html_raw(b, "<dl class=\"app-facts\">");
	html_elem(b, "dt", tr(r, "start.your_role"), HTML_END);
	snprintf(key, sizeof key, "role.%s", r->user->role);
	html_elem(b, "dd", tr(r, key), HTML_END);
	html_elem(b, "dt", tr(r, "start.unit"), HTML_END);
	html_raw(b, "<dd>");
	html_text(b, r->user->unit_name);
	html_raw(b, " (");
	html_text(b, r->user->unit_code);
	html_raw(b, ")</dd></dl>");
	page_end(r);
	return 200;
}
