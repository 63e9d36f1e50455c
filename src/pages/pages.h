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
/* The first page of a role after login. */
const char *page_landing(const char *role);

int page_root(struct req *r);
int page_login_form(struct req *r);
int page_login(struct req *r);
int page_logout(struct req *r);
/* Inside the caller's write transaction: a new session for a with its cookie and access-log row;
 * its CSRF token to csrf_out. 0 or -1. */
int session_open(struct req *r, const struct account *a, char csrf_out[64]);

/* two-factor login (mfa_page.c) */
/* After a right password for an account that needs a second factor: the half-finished login,
 * then the second step (enrolled) or enrolment. */
int mfa_login_start(struct req *r, const struct account *a, int enrolled);
int page_login_code_form(struct req *r);
int page_login_code(struct req *r);
int page_login_enrol_form(struct req *r);
int page_login_enrol(struct req *r);
int page_account_mfa(struct req *r);
int page_account_mfa_confirm(struct req *r);
int page_account_mfa_recovery(struct req *r);
int page_user_mfa_reset(struct req *r);
/* The two-factor parts of the account page and of an administrator's user page. */
void mfa_account_section(struct req *r);
void mfa_user_section(struct req *r, const struct account *a);
/* The own-account page with a notice (admin.c). */
int account_page(struct req *r, const char *notice_kind, const char *notice);
int page_language(struct req *r);
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

/* the registration record */
int page_caseload(struct req *r);
int page_caseload_contact(struct req *r);
int page_search(struct req *r);
int page_student_new(struct req *r);
int page_student_create(struct req *r);
int page_student(struct req *r);
int page_student_update(struct req *r);
int page_student_access(struct req *r);
int page_consent_add(struct req *r);
int page_consent_withdraw(struct req *r);
int page_case_open(struct req *r);
int page_case(struct req *r);
int page_case_update(struct req *r);
int page_case_close(struct req *r);
int page_case_reopen(struct req *r);
int page_contact_add(struct req *r);
int page_decision_add(struct req *r);
int page_measure_add(struct req *r);
int page_outcome_set(struct req *r);
int page_referrals(struct req *r);
int page_referral_new(struct req *r);
int page_referral_create(struct req *r);
int page_referral(struct req *r);
int page_referral_accept(struct req *r);
int page_referral_decline(struct req *r);

/* statistics */
int page_statistics(struct req *r);
int page_statistics_export(struct req *r);
int page_releases(struct req *r);
/* the evaluation */
int page_evaluation(struct req *r);
int page_eval_schools(struct req *r);
int page_eval_school(struct req *r);
int api_evaluation(struct req *r);
int page_release(struct req *r);
int page_release_approve(struct req *r);
int page_release_publish(struct req *r);

/* break the glass */
int page_glass(struct req *r);
int page_glass_open(struct req *r);
int page_glass_log(struct req *r);
/* On a record opened by breaking the glass: a notice saying so and until when. */
void glass_banner(struct req *r);

/* the pilot register */
int page_pilots(struct req *r);
int page_pilot(struct req *r);
int page_pilot_update(struct req *r);
int page_member_add(struct req *r);
int page_member_remove(struct req *r);
int page_grant_put(struct req *r);
int page_grant_pay(struct req *r);
int page_grants(struct req *r);
int page_grant_shares(struct req *r);
int page_preport(struct req *r);
int page_preport_save(struct req *r);
int page_preport_submit(struct req *r);
int page_preport_return(struct req *r);
int page_preport_approve(struct req *r);
int page_preport_feedback(struct req *r);
int page_preport_close(struct req *r);

struct report;
/* A unit's published figures as tables and charts (the statistics page's), under a heading. */
void stats_report_html(struct req *r, const struct report *rep, int with_trend);

#endif
