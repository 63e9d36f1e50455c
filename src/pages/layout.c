#include <stdio.h>
#include <string.h>

#include "../auth/role.h"
#include "../db/mfa.h"
#include "../http/form.h"
#include "../http/html.h"
#include "../i18n/i18n.h"
#include "pages.h"

const char *page_landing(const char *role)
{
	/* Where each role's work starts: the counsellor's caseload, the referrer's referrals. */
	if (!strcmp(role, "veileder"))
		return "/caseload";
	if (!strcmp(role, "radgiver"))
		return "/referrals";
	return "/start";
}

const char *tr(struct req *r, const char *key)
{
	return T(r->lang, key);
}

void page_csrf(struct req *r)
{
	html_tag(&r->out, "input", "type", "hidden", "name", "csrf", "value",
		 r->has_session ? r->sess.csrf : r->pending ? r->pending->csrf : r->pre_token, HTML_END);
}

/* A year: the choice is remembered across sessions and logins. */
#define LANG_MAX_AGE (365 * 24 * 3600)

/* Where the language switch comes back to: this page when a GET can show it again (the login
 * form keeps its next), else the front door. Only local paths (valid_local_path). An error page
 * goes to the front door too: its body must not depend on the path asked for, so that "not in
 * your scope" and "does not exist" stay indistinguishable. */
static const char *lang_return(struct req *r)
{
	if (strcmp(r->method, "GET") != 0 || r->status >= 400 || !valid_local_path(r->path, strlen(r->path)))
		return "/";
	if (!strcmp(r->path, "/login") && r->in.v[KEY_NEXT]) {
		const char *p = arena_printf(r->arena, "/login?next=%s", r->in.v[KEY_NEXT]);
		return strlen(p) <= 256 && valid_local_path(p, strlen(p)) ? p : "/login";
	}
	return r->path;
}

/* The other language as a one-button form (no script); the button is named in its own
 * language. Needs a CSRF token: the session's, or the login form's pre-login one. Logged in
 * it stands in the header beside the user's name; logged out in the footer. */
static void lang_switch(struct req *r)
{
	if (!r->has_session && !r->pending && !r->pre_token[0])
		return;
	buf_t *b = &r->out;
	int en = !strcmp(r->lang, "en");
	html_tag(b, "form", "method", "post", "action", "/language", "class", "app-inline", HTML_END);
	page_csrf(r);
	html_tag(b, "input", "type", "hidden", "name", "next", "value", lang_return(r), HTML_END);
	html_tag(b, "button", "type", "submit", "name", "lang", "value", en ? "nb" : "en", "lang", en ? "nb" : "en",
		 "class", "aksel-button aksel-button--small", "data-variant", "secondary", HTML_END);
	html_text(b, en ? "Norsk (bokmål)" : "English");
	html_raw(b, "</button></form>");
}

/* POST /language: remembers the choice in a cookie and goes back to next. The form checks
 * lang (nb|en) and next (a local path, never "//host" or a scheme) before we get here. */
int page_language(struct req *r)
{
	const char *lang = r->in.v[KEY_LANG];
	if (!lang)
		return http_error(r, 422, "error.lang");
	http_set_cookie(r, cookie_lang_name(r->cfg), lang, LANG_MAX_AGE);
	return http_redirect(r, r->in.v[KEY_NEXT] ? r->in.v[KEY_NEXT] : "/");
}

static void nav_link(struct req *r, const char *href, const char *key)
{
	int current = !strcmp(r->path, href) || (strlen(href) > 1 && !strncmp(r->path, href, strlen(href)));
	buf_t *b = &r->out;
	html_raw(b, "<li>");
	html_tag(b, "a", "href", href, "class", "aksel-link app-nav__link", "aria-current",
		 current ? "page" : NULL, HTML_END);
	html_text(b, tr(r, key));
	html_raw(b, "</a></li>");
}

void page_begin(struct req *r, const char *title)
{
	buf_t *b = &r->out;
	buf_reset(b);
	r->ctype = "text/html; charset=utf-8";
	html_raw(b, "<!doctype html>\n");
	html_tag(b, "html", "lang", !strcmp(r->lang, "en") ? "en" : "nb", HTML_END);
	html_raw(b, "<head><meta charset=\"utf-8\">"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
	html_raw(b, "<title>");
	html_text(b, title);
	html_raw(b, " – elevlos</title>"
		    "<link rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\">"
		    "<link rel=\"stylesheet\" href=\"/static/ds.css\">"
		    "<link rel=\"stylesheet\" href=\"/static/app.css\">"
		    "<script src=\"/static/app.js\" defer></script></head><body>");
	html_tag(b, "a", "class", "app-skip", "href", "#main", HTML_END);
	html_text(b, tr(r, "nav.skip"));
	html_raw(b, "</a><header class=\"app-header\"><div class=\"app-header__inner\">"
		    "<a class=\"app-header__brand\" href=\"/\">elevlos</a>");
	if (r->user) {
		unsigned rb = role_bit(r->user->role);
		html_tag(b, "nav", "aria-label", tr(r, "nav.main"), "class", "app-nav", HTML_END);
		html_raw(b, "<ul>");
		nav_link(r, "/start", "nav.start");
		if (rb & ROLE_VEILEDER)
			nav_link(r, "/caseload", "nav.caseload");
		if (rb & (ROLE_VEILEDER | ROLE_RADGIVER))
			nav_link(r, "/referrals", "nav.referrals");
		if (rb & (ROLE_ANALYTIKER | ROLE_LEDER))
			nav_link(r, "/statistics", "nav.statistics");
		if (rb & (ROLE_ANALYTIKER | ROLE_LEDER))
			nav_link(r, "/evaluation", "nav.evaluation");
		if (rb & (ROLE_ANALYTIKER | ROLE_LEDER))
			nav_link(r, "/pilots", "nav.pilots");
		if (rb & (ROLE_ADMIN | ROLE_LEDER))
			nav_link(r, "/users", "nav.users");
		nav_link(r, "/units", "nav.units");
		nav_link(r, "/account", "nav.account");
		html_raw(b, "</ul></nav><div class=\"app-header__user\">");
		lang_switch(r);
		html_elem(b, "span", r->user->username, "class", "app-header__name", HTML_END);
		html_tag(b, "form", "method", "post", "action", "/logout", "class", "app-inline", HTML_END);
		page_csrf(r);
		html_tag(b, "button", "type", "submit", "class",
			 "aksel-button aksel-button--small", "data-variant", "secondary", HTML_END);
		html_text(b, tr(r, "nav.logout"));
		html_raw(b, "</button></form></div>");
	}
	html_raw(b, "</div></header><main id=\"main\" class=\"app-main\" tabindex=\"-1\">");
}

void page_end(struct req *r)
{
	buf_t *b = &r->out;
	html_raw(b, "</main><footer class=\"app-footer\"><p class=\"aksel-body-short aksel-body-short--small\">");
	html_text(b, tr(r, "app.tagline"));
	html_raw(b, "</p>");
	/* Logged out (the login form), the switch comes after the form, in the footer: the
	 * keyboard reaches the username field right after the brand link, as before. */
	if (!r->user)
		lang_switch(r);
	html_raw(b, "</footer></body></html>\n");
}

void page_alert(struct req *r, const char *kind, const char *text)
{
	buf_t *b = &r->out;
	char cls[96];
	if (!kind)
		kind = "info";
	snprintf(cls, sizeof cls, "aksel-alert aksel-alert--%s aksel-alert--small app-alert", kind);
	html_tag(b, "div", "class", cls, "role", !strcmp(kind, "error") ? "alert" : "status", HTML_END);
	html_elem(b, "p", text, "class", "aksel-body-short", HTML_END);
	html_raw(b, "</div>");
}

void page_error(struct req *r, int status, const char *message)
{
	char key[16];
	snprintf(key, sizeof key, "error.%d", status);
	const char *title = tr(r, key);
	if (!strcmp(title, key))
		title = tr(r, status >= 500 ? "error.500" : "error.400");
	page_begin(r, title);
	buf_t *b = &r->out;
	html_elem(b, "h1", title, "class", "aksel-heading aksel-heading--large", HTML_END);
	if (message && *message) {
		html_raw(b, "<p class=\"aksel-body-long\">");
		html_text(b, message);
		html_raw(b, "</p>");
	}
	html_raw(b, "<p>");
	html_elem(b, "a", tr(r, "error.back"), "href", "/", "class", "aksel-link", HTML_END);
	html_raw(b, "</p>");
	page_end(r);
}
