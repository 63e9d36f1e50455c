#include <stdio.h>
#include <string.h>

#include "../auth/role.h"
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
		 r->has_session ? r->sess.csrf : r->pre_token, HTML_END);
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
		if (rb & (ROLE_ADMIN | ROLE_LEDER))
			nav_link(r, "/users", "nav.users");
		nav_link(r, "/units", "nav.units");
		nav_link(r, "/account", "nav.account");
		html_raw(b, "</ul></nav><div class=\"app-header__user\">");
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
	html_raw(b, "</p></footer></body></html>\n");
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
