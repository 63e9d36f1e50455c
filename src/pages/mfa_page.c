/*
 * Two-factor login. After a right password, an account of a role in mfa_roles (or one that
 * enrolled of its own accord) gets no session but a half-finished login (table mfa_pending, its
 * own cookie, mfa_pending seconds): r->user stays NULL, so every other route treats it as logged
 * out. The second step (/login/code) takes a code from the authenticator app or a recovery code;
 * an account without a second factor enrols first (/login/enrol: a QR code and the secret for
 * typing, confirmed by a first code), then sees its recovery codes once. Wrong codes count toward
 * the login throttle. Logged in, anyone may enrol (/account/mfa) and renew the recovery codes
 * after a current code; an administrator resets a user's second factor.
 */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "../audit/audit.h"
#include "../auth/mfa.h"
#include "../auth/role.h"
#include "../auth/throttle.h"
#include "../auth/token.h"
#include "../core/log.h"
#include "../http/html.h"
#include "../http/qr.h"
#include "../i18n/format.h"
#include "formkit.h"
#include "pages.h"

void server_audit_login_failed(struct req *r, const char *username);

/* ---- pieces ---- */

/* The code field: the one-time-code autofill, a numeric keyboard on phones (recovery codes are
 * typed on the login's second step through their own field). */
static void otp_field(struct req *r, const char *name, const char *label_key, const char *hint_key, int numeric)
{
	buf_t *b = &r->out;
	const char *id = fk_id(r, name);
	const char *err = fk_bad(r, name);
	const char *hint = hint_key ? arena_printf(r->arena, "%s-hint", id) : NULL;
	const char *described = err && hint ? arena_printf(r->arena, "%s %s", err, hint) : err ? err : hint;
	html_raw(b, "<div class=\"aksel-form-field\">");
	html_elem(b, "label", tr(r, label_key), "for", id, "class", "aksel-form-field__label aksel-label", HTML_END);
	if (hint)
		html_elem(b, "p", tr(r, hint_key), "id", hint, "class", "aksel-form-field__description aksel-body-short",
			  HTML_END);
	fk_field_error(r, name);
	html_tag(b, "input", "id", id, "name", name, "type", "text", "class", "aksel-text-field__input app-otp",
		 "autocomplete", numeric ? "one-time-code" : "off", "inputmode", numeric ? "numeric" : "text",
		 "autocapitalize", "none", "spellcheck", "false", "maxlength", numeric ? "7" : "24",
		 "aria-invalid", err ? "true" : NULL, "aria-describedby", described, "required", "", HTML_END);
	html_raw(b, "</div>");
}

static void error_summary(struct req *r, const char *form, const char *field, const char *msg_key)
{
	if (!msg_key)
		return;
	r->bad_form = form;
	r->bad_field = field;
	fk_errors(r, tr(r, msg_key));
}

/* The secret as an app's manual entry wants it: groups of four. */
static const char *grouped(struct req *r, const char *b32)
{
	size_t n = strlen(b32);
	char *out = arena_alloc(r->arena, n + n / 4 + 1);
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (i && i % 4 == 0)
			out[o++] = ' ';
		out[o++] = b32[i];
	}
	out[o] = '\0';
	return out;
}

/* The enrolment page: what to do, the QR code, the secret to type, the first code. */
static int enrol_page(struct req *r, const struct account *a, const char *action, int status, const char *error_key)
{
	char b32[TOTP_BASE32_MAX + 1], uri[MFA_URI_MAX];
	if (db_begin(r->db) != DB_OK)
		return http_error(r, 503, "error.busy");
	int rc = mfa_enrol_secret(r->db, server_keyring(), a->id, a->username, now_utc(), b32, uri);
	if (rc != MFA_OK || db_commit(r->db) != DB_OK) {
		db_rollback(r->db);
		return rc == MFA_NONE ? http_redirect(r, r->user ? "/account" : "/login/code")
				      : http_error(r, 503, "error.busy");
	}
	buf_t *b = &r->out;
	page_begin(r, tr(r, "mfa.enrol_title"));
	html_raw(b, "<div class=\"app-narrow\">");
	fk_heading(r, 1, tr(r, "mfa.enrol_title"));
	fk_scope(r, "enrol-");
	error_summary(r, "enrol-", "otp", error_key);
	html_elem(b, "p", tr(r, r->user ? "mfa.enrol_intro_voluntary" : "mfa.enrol_intro"), "class",
		  "aksel-body-long", HTML_END);
	html_raw(b, "<ol class=\"app-steps\">");
	html_elem(b, "li", tr(r, "mfa.enrol_step_app"), HTML_END);
	html_elem(b, "li", tr(r, "mfa.enrol_step_scan"), HTML_END);
	html_elem(b, "li", tr(r, "mfa.enrol_step_code"), HTML_END);
	html_raw(b, "</ol><figure class=\"app-qr-figure\">");
	if (qr_svg(b, uri, tr(r, "mfa.qr_label")) != 0)
		html_elem(b, "p", tr(r, "mfa.qr_failed"), HTML_END);
	html_raw(b, "<figcaption>");
	html_elem(b, "span", tr(r, "mfa.secret_label"), "class", "aksel-label", HTML_END);
	html_raw(b, " ");
	/* The secret itself, for typing: on this page only, never logged. */
	html_elem(b, "code", grouped(r, b32), "id", "mfa-secret", "class", "app-secret", "data-secret", b32, HTML_END);
	html_raw(b, "</figcaption></figure>");
	sodium_memzero(b32, sizeof b32);
	fk_begin(r, action, "app-form");
	otp_field(r, "otp", "mfa.code", "mfa.code_hint", 1);
	fk_submit(r, "mfa.enrol_submit");
	fk_end(r);
	fk_scope(r, NULL);
	html_raw(b, "</div>");
	page_end(r);
	return status;
}

/* The recovery codes, shown once. */
static int recovery_page(struct req *r, char codes[RECOVERY_CODES][RECOVERY_TEXT], const char *next)
{
	buf_t *b = &r->out;
	page_begin(r, tr(r, "mfa.recovery_title"));
	html_raw(b, "<div class=\"app-narrow\">");
	fk_heading(r, 1, tr(r, "mfa.recovery_title"));
	page_alert(r, "success", tr(r, "mfa.recovery_done"));
	html_elem(b, "p", tr(r, "mfa.recovery_intro"), "class", "aksel-body-long", HTML_END);
	html_raw(b, "<ol class=\"app-recovery\" id=\"recovery-codes\">");
	for (int i = 0; i < RECOVERY_CODES; i++) {
		html_raw(b, "<li><code>");
		html_text(b, codes[i]);
		html_raw(b, "</code></li>");
	}
	html_raw(b, "</ol>");
	html_elem(b, "a", tr(r, "mfa.continue"), "href", next, "class", "aksel-button", "data-variant", "primary",
		  "id", "mfa-continue", HTML_END);
	html_raw(b, "</div>");
	page_end(r);
	for (int i = 0; i < RECOVERY_CODES; i++)
		sodium_memzero(codes[i], RECOVERY_TEXT);
	return 200;
}

/* ---- the half-finished login ---- */

int mfa_login_start(struct req *r, const struct account *a, int enrolled)
{
	char tok[64], csrf[64];
	unsigned char h[32];
	token_random(tok, sizeof tok, SESSION_TOKEN_BYTES);
	/* The second step's forms carry the login form's token (checked just now against its cookie):
	 * so a form sent after the half-finished login expired still reaches us and can say so. */
	if (r->pre_token[0])
		snprintf(csrf, sizeof csrf, "%s", r->pre_token);
	else
		token_random(csrf, sizeof csrf, CSRF_TOKEN_BYTES);
	token_hash(tok, h);
	int64_t now = now_utc();
	struct audit_entry e = {a->username, a->role, a->unit_code, "login_password", "session", "login", "ok"};
	if (db_begin(r->db) != DB_OK)
		return http_error(r, 503, "error.busy");
	/* A session the browser had ends: what follows must pass the second step. */
	if (r->has_session)
		db_session_delete(r->db, r->sess.id);
	if (db_mfa_pending_purge(r->db, now - r->cfg->mfa_pending) != DB_OK ||
	    db_mfa_pending_insert(r->db, h, a->id, csrf, r->in.v[KEY_NEXT], now) != DB_OK ||
	    audit_write(r->db, &e) != DB_OK || db_commit(r->db) != DB_OK) {
		db_rollback(r->db);
		return http_error(r, 503, "error.busy");
	}
	if (r->has_session)
		http_set_cookie(r, cookie_session_name(r->cfg), "x", 0);
	http_set_cookie(r, cookie_mfa_name(r->cfg), tok, -1);
	log_event(LOG_INFO, "login_password", json_pack("{s:I}", "account_id", (json_int_t)a->id));
	return http_redirect(r, enrolled ? "/login/code" : "/login/enrol");
}

/* Throttle keys of the half-finished login: the account's and the address's, as the password's. */
static void throttle_keys(struct req *r, const struct account *a, char ukey[96], char ikey[96])
{
	snprintf(ukey, 96, "u:%s", a->username);
	snprintf(ikey, 96, "ip:%s", r->ip);
}

/* A wrong, replayed or missing code: counted toward the throttle, in the access log and the log. */
static void failed(struct req *r, const struct account *a, int rc)
{
	char ukey[96], ikey[96];
	int64_t now = now_utc();
	throttle_keys(r, a, ukey, ikey);
	throttle_fail(ukey, now);
	throttle_fail(ikey, now);
	log_event(LOG_WARN, "mfa_failed",
		  json_pack("{s:I,s:s}", "account_id", (json_int_t)a->id, "reason", rc == MFA_REPLAY ? "replay" : "wrong"));
	server_audit_login_failed(r, a->username);
}

static int throttled(struct req *r, const struct account *a)
{
	char ukey[96], ikey[96];
	int64_t now = now_utc();
	throttle_keys(r, a, ukey, ikey);
	if (!throttle_wait(ukey, now) && !throttle_wait(ikey, now))
		return 0;
	log_event(LOG_WARN, "login_throttled", NULL);
	server_audit_login_failed(r, a->username);
	return 1;
}

static const char *code_error(int rc)
{
	return rc == MFA_REPLAY ? "mfa.replayed" : "mfa.wrong_code";
}

/* The second step's page: the app's code, or (folded away) a recovery code. */
static int code_page(struct req *r, int status, const char *form, const char *error_key)
{
	buf_t *b = &r->out;
	page_begin(r, tr(r, "mfa.code_title"));
	html_raw(b, "<div class=\"app-narrow\">");
	fk_heading(r, 1, tr(r, "mfa.code_title"));
	error_summary(r, form, "otp", error_key);
	html_elem(b, "p", tr(r, "mfa.code_intro"), "class", "aksel-body-long", HTML_END);
	fk_scope(r, "code-");
	fk_begin(r, "/login/code", "app-form");
	otp_field(r, "otp", "mfa.code", "mfa.code_hint", 1);
	fk_submit(r, "mfa.code_submit");
	fk_end(r);
	fk_scope(r, "recovery-");
	fk_details(r, "mfa.use_recovery");
	fk_begin(r, "/login/code", "app-form");
	otp_field(r, "otp", "mfa.recovery_code", "mfa.recovery_hint", 0);
	fk_submit(r, "mfa.code_submit");
	fk_end(r);
	html_raw(b, "</details>");
	fk_scope(r, NULL);
	html_raw(b, "</div>");
	page_end(r);
	return status;
}

/* No half-finished login (never, or expired): back to the password, saying why after a POST. */
static int no_pending(struct req *r)
{
	if (r->user)
		return http_redirect(r, page_landing(r->user->role));
	http_set_cookie(r, cookie_mfa_name(r->cfg), "x", 0);
	return http_redirect(r, strcmp(r->method, "GET") ? "/login?error=mfa.expired" : "/login");
}

int page_login_code_form(struct req *r)
{
	if (!r->pending)
		return no_pending(r);
	struct mfa_status ms;
	if (mfa_status(r->db, r->pending_user->id, &ms) != MFA_OK)
		return http_error(r, 503, "error.database_unavailable");
	if (!ms.enrolled)
		return http_redirect(r, "/login/enrol");
	return code_page(r, 200, NULL, NULL);
}

/* The login is complete: the session in place of the half-finished login, in one transaction
 * with the code's use (already written by the caller) and the access-log rows. */
static int finish_login(struct req *r, const struct account *a, const char *extra_action)
{
	char csrf[64];
	struct audit_entry e = {a->username, a->role, a->unit_code, extra_action, "session", "login", "ok"};
	if ((extra_action && audit_write(r->db, &e) != DB_OK) || db_mfa_pending_delete(r->db, r->pending->id) != DB_OK ||
	    session_open(r, a, csrf) != 0 || db_commit(r->db) != DB_OK) {
		db_rollback(r->db);
		return -1;
	}
	char ukey[96], ikey[96];
	throttle_keys(r, a, ukey, ikey);
	throttle_clear(ukey);
	http_set_cookie(r, cookie_mfa_name(r->cfg), "x", 0);
	/* The page that follows (enrolment's recovery codes) is drawn as logged in. */
	struct account *u = arena_alloc(r->arena, sizeof *u);
	*u = *a;
	r->user = u;
	r->has_session = 1;
	snprintf(r->sess.csrf, sizeof r->sess.csrf, "%s", csrf);
	r->pending = NULL;
	log_event(LOG_INFO, "login", json_pack("{s:I,s:s}", "account_id", (json_int_t)a->id, "factor",
					       extra_action ? extra_action : "totp"));
	return 0;
}

static const char *next_of(struct req *r, const struct account *a)
{
	return r->pending && r->pending->next[0] ? r->pending->next : page_landing(a->role);
}

int page_login_code(struct req *r)
{
	if (!r->pending)
		return no_pending(r);
	const struct account *a = r->pending_user;
	const char *form = r->in.v[KEY_OTP] && strlen(r->in.v[KEY_OTP]) > 8 ? "recovery-" : "code-";
	if (throttled(r, a))
		return code_page(r, 429, form, "login.throttled");
	if (!r->in.v[KEY_OTP]) {
		failed(r, a, MFA_BAD);
		return code_page(r, 422, "code-", "form.required");
	}
	if (db_begin(r->db) != DB_OK)
		return http_error(r, 503, "error.busy");
	int rc = mfa_verify(r->db, server_keyring(), a->id, r->in.v[KEY_OTP], now_utc());
	if (rc == MFA_OK || rc == MFA_RECOVERY) {
		const char *next = next_of(r, a);
		if (finish_login(r, a, rc == MFA_RECOVERY ? "mfa_recovery_used" : NULL) != 0)
			return http_error(r, 503, "error.busy");
		return http_redirect(r, next);
	}
	db_rollback(r->db);
	if (rc == MFA_NONE)
		return http_redirect(r, "/login/enrol");
	if (rc == MFA_ERROR)
		return http_error(r, 503, "error.busy");
	failed(r, a, rc);
	return code_page(r, 401, form, code_error(rc));
}

int page_login_enrol_form(struct req *r)
{
	if (!r->pending)
		return no_pending(r);
	return enrol_page(r, r->pending_user, "/login/enrol", 200, NULL);
}

int page_login_enrol(struct req *r)
{
	if (!r->pending)
		return no_pending(r);
	const struct account *a = r->pending_user;
	if (throttled(r, a))
		return enrol_page(r, a, "/login/enrol", 429, "login.throttled");
	if (!r->in.v[KEY_OTP]) {
		failed(r, a, MFA_BAD);
		return enrol_page(r, a, "/login/enrol", 422, "form.required");
	}
	char codes[RECOVERY_CODES][RECOVERY_TEXT];
	if (db_begin(r->db) != DB_OK)
		return http_error(r, 503, "error.busy");
	int rc = mfa_enrol_confirm(r->db, server_keyring(), a->id, r->in.v[KEY_OTP], now_utc(), codes);
	if (rc == MFA_OK) {
		const char *next = next_of(r, a);
		if (finish_login(r, a, "mfa_enrol") != 0)
			return http_error(r, 503, "error.busy");
		return recovery_page(r, codes, next);
	}
	db_rollback(r->db);
	if (rc == MFA_NONE)
		return http_redirect(r, "/login/code");
	if (rc == MFA_ERROR)
		return http_error(r, 503, "error.busy");
	failed(r, a, rc);
	return enrol_page(r, a, "/login/enrol", 401, code_error(rc));
}

/* ---- logged in: one's own second factor ---- */

void mfa_account_section(struct req *r)
{
	buf_t *b = &r->out;
	struct mfa_status ms;
	fk_heading(r, 2, tr(r, "mfa.section"));
	if (mfa_status(r->db, r->user->id, &ms) != MFA_OK) {
		page_alert(r, "error", tr(r, "error.read_failed"));
		return;
	}
	if (!ms.enrolled) {
		html_elem(b, "p",
			  tr(r, config_mfa_required(r->cfg, r->user->role) ? "mfa.off_required" : "mfa.off_voluntary"),
			  "class", "aksel-body-long", "id", "mfa-status", HTML_END);
		html_elem(b, "a", tr(r, "mfa.enrol_link"), "href", "/account/mfa", "class", "aksel-link", HTML_END);
		return;
	}
	char left[24];
	snprintf(left, sizeof left, "%lld", (long long)ms.recovery_left);
	const char *args[1] = {left};
	char text[300] = "";
	i18n_fill(text, sizeof text, tr(r, "mfa.on"), args, 1);
	html_elem(b, "p", text, "class", "aksel-body-long", "id", "mfa-status", HTML_END);
	fk_scope(r, "recovery-");
	fk_details(r, "mfa.renew_title");
	html_elem(b, "p", tr(r, "mfa.renew_intro"), "class", "aksel-body-short", HTML_END);
	fk_begin(r, "/account/mfa/recovery", "app-form");
	otp_field(r, "otp", "mfa.code", "mfa.code_hint", 1);
	fk_submit(r, "mfa.renew_submit");
	fk_end(r);
	html_raw(b, "</details>");
	fk_scope(r, NULL);
}

int page_account_mfa(struct req *r)
{
	return enrol_page(r, r->user, "/account/mfa", 200, NULL);
}

int page_account_mfa_confirm(struct req *r)
{
	const struct account *a = r->user;
	char codes[RECOVERY_CODES][RECOVERY_TEXT];
	if (throttled(r, a))
		return enrol_page(r, a, "/account/mfa", 429, "login.throttled");
	if (!r->in.v[KEY_OTP])
		return enrol_page(r, a, "/account/mfa", 422, "form.required");
	if (db_begin(r->db) != DB_OK)
		return http_error(r, 503, "error.busy");
	int rc = mfa_enrol_confirm(r->db, server_keyring(), a->id, r->in.v[KEY_OTP], now_utc(), codes);
	if (rc == MFA_OK) {
		if (req_audit(r, "mfa_enrol", arena_printf(r->arena, "user:%s", a->username), "own second factor") ||
		    db_commit(r->db) != DB_OK) {
			db_rollback(r->db);
			return http_error(r, 500, "error.save_failed");
		}
		log_event(LOG_INFO, "mfa_enrol", json_pack("{s:I}", "account_id", (json_int_t)a->id));
		return recovery_page(r, codes, "/account");
	}
	db_rollback(r->db);
	if (rc == MFA_NONE)
		return http_redirect(r, "/account");
	if (rc == MFA_ERROR)
		return http_error(r, 503, "error.busy");
	failed(r, a, rc);
	return enrol_page(r, a, "/account/mfa", 422, code_error(rc));
}

int page_account_mfa_recovery(struct req *r)
{
	const struct account *a = r->user;
	char codes[RECOVERY_CODES][RECOVERY_TEXT];
	const char *error_key = NULL;
	int status = 422;
	if (throttled(r, a)) {
		error_key = "login.throttled";
		status = 429;
	} else if (!r->in.v[KEY_OTP]) {
		error_key = "form.required";
	} else {
		if (db_begin(r->db) != DB_OK)
			return http_error(r, 503, "error.busy");
		int rc = mfa_recovery_renew(r->db, server_keyring(), a->id, r->in.v[KEY_OTP], now_utc(), codes);
		if (rc == MFA_OK) {
			if (req_audit(r, "mfa_recovery_renew", arena_printf(r->arena, "user:%s", a->username),
				      "own second factor") ||
			    db_commit(r->db) != DB_OK) {
				db_rollback(r->db);
				return http_error(r, 500, "error.save_failed");
			}
			return recovery_page(r, codes, "/account");
		}
		db_rollback(r->db);
		if (rc == MFA_ERROR)
			return http_error(r, 503, "error.busy");
		failed(r, a, rc);
		error_key = rc == MFA_NONE ? "mfa.user_off" : code_error(rc);
	}
	r->bad_form = "recovery-";
	r->bad_field = "otp";
	account_page(r, "error", tr(r, error_key));
	return status;
}

/* ---- an administrator and a user's second factor ---- */

void mfa_user_section(struct req *r, const struct account *a)
{
	buf_t *b = &r->out;
	struct mfa_status ms;
	struct mfa_row m;
	fk_heading(r, 2, tr(r, "mfa.section"));
	if (mfa_status(r->db, a->id, &ms) != MFA_OK) {
		page_alert(r, "error", tr(r, "error.read_failed"));
		return;
	}
	html_elem(b, "p", tr(r, ms.enrolled ? "mfa.user_on" : "mfa.user_off"), "class", "aksel-body-long", "id",
		  "mfa-status", HTML_END);
	int any = db_mfa_get(r->db, a->id, &m) == DB_OK;
	if (any && role_bit(r->user->role) & ROLE_ADMIN) {
		html_elem(b, "p", tr(r, "mfa.reset_intro"), "class", "aksel-body-short", HTML_END);
		fk_begin(r, arena_printf(r->arena, "/users/%s/mfa/reset", a->username), "app-inline");
		html_tag(b, "button", "type", "submit", "class", "aksel-button", "data-variant", "secondary", HTML_END);
		html_text(b, tr(r, "mfa.reset"));
		html_raw(b, "</button>");
		fk_end(r);
	}
}

int page_user_mfa_reset(struct req *r)
{
	const struct account *a = r->obj_account;
	if (mfa_reset(r->db, a->id) != MFA_OK)
		return http_error(r, 503, "error.busy");
	if (req_audit(r, "mfa_reset", arena_printf(r->arena, "user:%s", a->username), "second factor reset"))
		return 500;
	log_event(LOG_WARN, "mfa_reset",
		  json_pack("{s:I,s:I}", "account_id", (json_int_t)a->id, "by", (json_int_t)r->user->id));
	return http_redirect(r, arena_printf(r->arena, "/users/%s", a->username));
}
