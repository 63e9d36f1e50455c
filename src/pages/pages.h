/* HTML pages. Each handler returns an HTTP status; all output goes through html.h. */
#ifndef ELEVLOS_PAGES_H
#define ELEVLOS_PAGES_H

#include "../http/server.h"

void page_begin(struct req *r, const char *title);
void page_end(struct req *r);
void page_error(struct req *r, int status, const char *message);
/* A notice box: kind is "success", "error" or "info"; text is escaped. */
void page_alert(struct req *r, const char *kind, const char *text);
/* The hidden CSRF field for forms of the logged-in user. */
void page_csrf(struct req *r);
const char *tr(struct req *r, const char *key);

int page_root(struct req *r);
int page_login_form(struct req *r);
int page_login(struct req *r);
int page_logout(struct req *r);
int page_start(struct req *r);
int page_account(struct req *r);
int page_account_password(struct req *r);
int page_units(struct req *r);
int page_unit_create(struct req *r);
int page_users(struct req *r);
int page_user(struct req *r);
int page_user_create(struct req *r);
int page_user_disable(struct req *r);
int page_static(struct req *r);
int page_healthz(struct req *r);
int page_metrics(struct req *r);

#endif
