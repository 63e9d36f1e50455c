#include "route.h"

#include <stdio.h>
#include <string.h>

#include "../api/api.h"
#include "../auth/role.h"
#include "../pages/pages.h"
#include "server.h"

#define ADMIN ROLE_ADMIN
#define MANAGERS (ROLE_ADMIN | ROLE_LEDER)
#define ANYONE_IN ROLES_ALL
#define VEILEDER ROLE_VEILEDER
#define RADGIVER ROLE_RADGIVER
#define REFERRERS (ROLE_VEILEDER | ROLE_RADGIVER)
#define STATS_READERS (ROLE_ANALYTIKER | ROLE_LEDER)
#define PILOT_READERS (ROLE_ANALYTIKER | ROLE_LEDER)
#define ANALYST ROLE_ANALYTIKER
#define LEDER ROLE_LEDER

/* Input keys of the registration forms. */
#define K_STUDENT                                                                                  \
	(K(KEY_STUDENT_NAME) | K(KEY_FNR) | K(KEY_BIRTH_YEAR) | K(KEY_GENDER) | K(KEY_LEVEL) |     \
	 K(KEY_PROGRAMME) | K(KEY_MINORITY) | K(KEY_SCHOOL) | K(KEY_LIVING) | K(KEY_LIVING_FROM))
#define K_CONSENT (K(KEY_CONSENT_ON) | K(KEY_CONSENT_BY))
#define K_CASE                                                                                     \
	(K(KEY_REFERRAL_SOURCE) | K(KEY_REFERRED_ON) | K(KEY_FIRST_CONTACT_ON) | K(KEY_MAIN_REASON) | \
	 K(KEY_REASONS) | K(KEY_PARTNERS) | K(KEY_INTERAGENCY) | K(KEY_RESPONSIBILITY_GROUP))
#define K_CONTACT (K(KEY_ON_DATE) | K(KEY_CONTACT_KIND) | K(KEY_MINUTES) | K(KEY_FOLLOWUPS) | K(KEY_NOTE))
#define K_DECISION (K(KEY_DECISION) | K(KEY_GRANTED) | K(KEY_ON_DATE) | K(KEY_DURATION))
#define K_MEASURE (K(KEY_SIDE) | K(KEY_MEASURE) | K(KEY_START_ON) | K(KEY_END_ON))
#define K_CSRF K(KEY_CSRF)
#define K_NOTICE (K(KEY_OK) | K(KEY_ERROR))
#define K_REPORT                                                                                   \
	(K(KEY_SUMMARY) | K(KEY_ACTIVITIES) | K(KEY_CHALLENGES) | K(KEY_FUNDS) | K(KEY_GOAL1) |     \
	 K(KEY_GOAL2) | K(KEY_GOAL3) | K(KEY_GOAL4) | K(KEY_LESSONS) | K(KEY_VERSION))
#define K_GRANT (K(KEY_PROJECT_YEAR) | K(KEY_POST) | K(KEY_SHARE) | K(KEY_SALARY_BASE) | K(KEY_AMOUNT))

/* method, path, roles, object, csrf, tx, keys, handler, summary */
const struct route routes[] = {
	{"GET", "/", 0, OBJ_NONE, 0, 0, 0, page_root, "Front door: start page or login"},
	{"GET", "/healthz", 0, OBJ_NONE, 0, 0, 0, page_healthz, "Liveness and database check"},
	{"GET", "/metrics", 0, OBJ_NONE, 0, 0, 0, page_metrics, "Prometheus metrics (loopback or admin token)"},
	{"GET", "/static/{file}", 0, OBJ_NONE, 0, 0, 0, page_static, "Style sheets and script"},
	{"GET", "/login", 0, OBJ_NONE, 0, 0, K(KEY_NEXT) | K(KEY_ERROR), page_login_form, "Login form"},
	{"POST", "/login", 0, OBJ_NONE, 1, 0, K(KEY_CSRF) | K(KEY_USERNAME) | K(KEY_PASSWORD) | K(KEY_NEXT),
	 page_login, "Log in"},
	{"GET", "/login/code", 0, OBJ_NONE, 0, 0, 0, page_login_code_form,
	 "Login's second step: a code from the authenticator app or a recovery code (after the password)"},
	{"POST", "/login/code", 0, OBJ_NONE, 1, 0, K(KEY_CSRF) | K(KEY_OTP), page_login_code,
	 "Finish the login with an authenticator code or a recovery code; wrong codes count toward the throttle"},
	{"GET", "/login/enrol", 0, OBJ_NONE, 0, 0, 0, page_login_enrol_form,
	 "Set up two-factor login after the password (roles that need it): QR code and secret"},
	{"POST", "/login/enrol", 0, OBJ_NONE, 1, 0, K(KEY_CSRF) | K(KEY_OTP), page_login_enrol,
	 "Confirm two-factor login with a first code; shows the recovery codes once and logs in"},
	{"POST", "/language", 0, OBJ_NONE, 1, 0, K(KEY_CSRF) | K(KEY_LANG) | K(KEY_NEXT), page_language,
	 "Choose the pages' language (a cookie), logged in or not; back to next, a local path"},
	{"POST", "/logout", ANYONE_IN, OBJ_NONE, 1, 1, K(KEY_CSRF), page_logout, "Log out"},
	{"GET", "/start", ANYONE_IN, OBJ_NONE, 0, 0, 0, page_start, "Start page for the role"},
	{"GET", "/account", ANYONE_IN, OBJ_NONE, 0, 1, 0, page_account, "Own account"},
	{"POST", "/account/password", ANYONE_IN, OBJ_NONE, 1, 0,
	 K(KEY_CSRF) | K(KEY_PASSWORD) | K(KEY_NEW_PASSWORD), page_account_password, "Change own password"},
	{"GET", "/account/mfa", ANYONE_IN, OBJ_NONE, 0, 0, 0, page_account_mfa,
	 "Set up two-factor login for one's own account: QR code and secret"},
	{"POST", "/account/mfa", ANYONE_IN, OBJ_NONE, 1, 0, K(KEY_CSRF) | K(KEY_OTP), page_account_mfa_confirm,
	 "Confirm one's own two-factor login with a first code; shows the recovery codes once"},
	{"POST", "/account/mfa/recovery", ANYONE_IN, OBJ_NONE, 1, 0, K(KEY_CSRF) | K(KEY_OTP), page_account_mfa_recovery,
	 "New recovery codes after a current authenticator code; the old ones stop working"},
	{"GET", "/units", ANYONE_IN, OBJ_NONE, 0, 0, 0, page_units, "Units in the caller's scope"},
	{"POST", "/units", ADMIN, OBJ_NONE, 1, 0,
	 K(KEY_CSRF) | K(KEY_CODE) | K(KEY_NAME) | K(KEY_KIND) | K(KEY_PARENT), page_unit_create, "Create a unit"},
	{"GET", "/users", MANAGERS, OBJ_NONE, 0, 1, 0, page_users, "Users in the caller's scope"},
	{"POST", "/users", MANAGERS, OBJ_NONE, 1, 0,
	 K(KEY_CSRF) | K(KEY_USERNAME) | K(KEY_ROLE) | K(KEY_UNIT) | K(KEY_PASSWORD) | K(KEY_DIRECTORATE), page_user_create,
	 "Create a user (an analyst with their directorate)"},
	{"GET", "/users/{username}", MANAGERS, OBJ_ACCOUNT, 0, 1, 0, page_user, "One user"},
	{"POST", "/users/{username}/mfa/reset", ADMIN, OBJ_ACCOUNT, 1, 1, K(KEY_CSRF), page_user_mfa_reset,
	 "Reset a user's second factor (a lost phone): the next login sets it up anew"},
	{"POST", "/users/{username}/disable", MANAGERS, OBJ_ACCOUNT, 1, 0, K(KEY_CSRF), page_user_disable,
	 "Disable a user and end their sessions"},

	{"GET", "/caseload", VEILEDER, OBJ_NONE, 0, 1, K_NOTICE, page_caseload, "The counsellor's caseload"},
	{"POST", "/caseload/contact", VEILEDER, OBJ_NONE, 1, 1, K_CSRF | K_CONTACT | K(KEY_CASE),
	 page_caseload_contact, "Register a contact from the caseload"},
	{"POST", "/search", VEILEDER, OBJ_NONE, 1, 1, K_CSRF | K(KEY_Q), page_search,
	 "Search own pilots' students (a POST: names stay out of URLs)"},
	{"GET", "/students/new", VEILEDER, OBJ_NONE, 0, 0, 0, page_student_new, "Form: register a student"},
	{"POST", "/students", VEILEDER, OBJ_NONE, 1, 1, K_CSRF | K_STUDENT | K_CONSENT, page_student_create,
	 "Register a student"},
	{"GET", "/students/{pseudonym}", VEILEDER, OBJ_STUDENT, 0, 1, K_NOTICE, page_student, "A student"},
	{"GET", "/glass", VEILEDER, OBJ_NONE, 0, 0, 0, page_glass,
	 "Form: open one student of another pilot (covering for a colleague), stating why"},
	{"POST", "/glass", VEILEDER, OBJ_NONE, 1, 1, K_CSRF | K(KEY_STUDENT) | K(KEY_PURPOSE), page_glass_open,
	 "Break the glass: open one student of another pilot for two hours; flagged in the access log"},
	{"GET", "/glass/log", ROLE_LEDER, OBJ_NONE, 0, 1, 0, page_glass_log,
	 "Every time a counsellor from elsewhere broke the glass to open one of the pilot's students"},
	{"GET", "/students/{pseudonym}/export", VEILEDER, OBJ_STUDENT, 0, 1, K(KEY_FORMAT), page_student_export,
	 "Everything about one student, access-log rows included, as a JSON file or (format=pdf) a PDF for the student (GDPR Art. 15)"},
	{"GET", "/students/{pseudonym}/access", VEILEDER, OBJ_STUDENT, 0, 1, 0, page_student_access,
	 "Who opened, searched, changed or exported this student's record, when and why: a report for the student"},
	{"POST", "/students/{pseudonym}", VEILEDER, OBJ_STUDENT, 1, 1, K_CSRF | K_STUDENT, page_student_update,
	 "Change a student's details"},
	{"POST", "/students/{pseudonym}/consents", VEILEDER, OBJ_STUDENT, 1, 1,
	 K_CSRF | K_CONSENT | K(KEY_CONSENT_KIND) | K(KEY_PARTNER), page_consent_add, "Record a consent"},
	{"POST", "/students/{pseudonym}/consents/{id}/withdraw", VEILEDER, OBJ_STUDENT, 1, 1,
	 K_CSRF | K(KEY_WITHDRAWN_ON) | K(KEY_ERASE), page_consent_withdraw,
	 "Withdraw a consent; the last registration consent only with erase=true, and the student is erased"},
	{"POST", "/students/{pseudonym}/cases", VEILEDER, OBJ_STUDENT, 1, 1, K_CSRF | K_CASE | K(KEY_OPENED_ON),
	 page_case_open, "Open a case"},
	{"GET", "/cases/{id}", VEILEDER, OBJ_SAK, 0, 1, K_NOTICE, page_case, "A case"},
	{"POST", "/cases/{id}", VEILEDER, OBJ_SAK, 1, 1, K_CSRF | K_CASE, page_case_update, "Change a case"},
	{"POST", "/cases/{id}/close", VEILEDER, OBJ_SAK, 1, 1, K_CSRF | K(KEY_CLOSED_ON) | K(KEY_CLOSE_REASON),
	 page_case_close, "Close a case"},
	{"POST", "/cases/{id}/reopen", VEILEDER, OBJ_SAK, 1, 1, K_CSRF, page_case_reopen, "Reopen a case"},
	{"POST", "/cases/{id}/contacts", VEILEDER, OBJ_SAK, 1, 1, K_CSRF | K_CONTACT, page_contact_add,
	 "Register a contact"},
	{"POST", "/cases/{id}/decisions", VEILEDER, OBJ_SAK, 1, 1, K_CSRF | K_DECISION, page_decision_add,
	 "Register a decision"},
	{"POST", "/cases/{id}/measures", VEILEDER, OBJ_SAK, 1, 1, K_CSRF | K_MEASURE, page_measure_add,
	 "Register a measure"},
	{"POST", "/cases/{id}/outcomes", VEILEDER, OBJ_SAK, 1, 1, K_CSRF | K(KEY_SCHOOL_YEAR) | K(KEY_OUTCOME),
	 page_outcome_set, "Set a school year's outcome"},
	{"GET", "/referrals", REFERRERS, OBJ_NONE, 0, 1, K_NOTICE, page_referrals, "Referrals"},
	{"GET", "/referrals/new", RADGIVER, OBJ_NONE, 0, 0, 0, page_referral_new, "Form: refer a student"},
	{"POST", "/referrals", RADGIVER, OBJ_NONE, 1, 1,
	 K_CSRF | K(KEY_STUDENT_NAME) | K(KEY_LEVEL) | K(KEY_MAIN_REASON) | K(KEY_CONSENT_BY),
	 page_referral_create, "Refer a student"},
	{"GET", "/referrals/{id}", REFERRERS, OBJ_REFERRAL, 0, 1, K_NOTICE, page_referral, "A referral"},
	{"POST", "/referrals/{id}/accept", VEILEDER, OBJ_REFERRAL, 1, 1,
	 K_CSRF | K(KEY_STUDENT) | K_STUDENT | K_CONSENT | K(KEY_MAIN_REASON), page_referral_accept,
	 "Accept a referral"},
	{"POST", "/referrals/{id}/decline", VEILEDER, OBJ_REFERRAL, 1, 1, K_CSRF | K(KEY_DECLINE_REASON),
	 page_referral_decline, "Decline a referral"},

	{"GET", "/statistics", STATS_READERS, OBJ_NONE, 0, 0, K(KEY_SCHOOL_YEAR) | K(KEY_UNIT), page_statistics,
	 "Published statistics: the analyst any unit, the leader their pilot"},
	{"GET", "/statistics/export", STATS_READERS, OBJ_NONE, 0, 0, K(KEY_SCHOOL_YEAR) | K(KEY_UNIT) | K(KEY_FORMAT),
	 page_statistics_export, "Published figures as CSV, XLSX or PDF: the analyst any unit, the leader their pilot"},
	{"GET", "/evaluation", STATS_READERS, OBJ_NONE, 0, 0, K(KEY_TRACK) | K(KEY_FORMAT), page_evaluation,
	 "The pilots' effect on dropout: staggered difference-in-differences against never-piloted schools (HTML or PDF)"},
	{"GET", "/evaluation/schools", STATS_READERS, OBJ_NONE, 0, 0, K(KEY_TRACK) | K(KEY_FROM) | K(KEY_TO) | K(KEY_FORMAT),
	 page_eval_schools, "Pilot schools' dropout shares, classified fell / rose / not published (HTML, CSV or XLSX)"},
	{"GET", "/evaluation/schools/{orgnr}", STATS_READERS, OBJ_NONE, 0, 0, K(KEY_TRACK) | K(KEY_FORMAT), page_eval_school,
	 "A school's dropout share against its county and the nation (HTML, CSV or XLSX)"},
	{"GET", "/api/v1/evaluation", STATS_READERS, OBJ_NONE, 0, 0, K(KEY_TRACK), api_evaluation,
	 "The effect estimate as JSON: overall, event time, cohorts, TWFE, pre-trend check"},
	{"GET", "/statistics/releases", ROLE_ANALYTIKER, OBJ_NONE, 0, 0, K_NOTICE, page_releases,
	 "Every statistics release: preview, approve (not its author), publish"},
	{"GET", "/statistics/releases/{id}", ROLE_ANALYTIKER, OBJ_NONE, 0, 0, K(KEY_UNIT), page_release,
	 "A release's protected figures in any status, for a unit"},
	{"POST", "/statistics/releases/{id}/approve", ROLE_ANALYTIKER, OBJ_NONE, 1, 1, K_CSRF, page_release_approve,
	 "Approve a draft release (not its author)"},
	{"POST", "/statistics/releases/{id}/publish", ROLE_ANALYTIKER, OBJ_NONE, 1, 1, K_CSRF, page_release_publish,
	 "Publish an approved release; it never changes after"},

	{"GET", "/pilots", PILOT_READERS, OBJ_NONE, 0, 0, 0, page_pilots,
	 "Pilots per county and school year: the analyst every pilot, the leader their own"},
	{"GET", "/pilots/{code}", PILOT_READERS, OBJ_PILOT, 0, 0, K_NOTICE, page_pilot,
	 "A pilot: register data, steering group, grants and reports"},
	{"POST", "/pilots/{code}", ANALYST, OBJ_PILOT, 1, 1,
	 K_CSRF | K(KEY_START_ON) | K(KEY_END_ON) | K(KEY_PROJECT_YEARS) | K(KEY_STATUS), page_pilot_update,
	 "Change a pilot's period, project years and status"},
	{"POST", "/pilots/{code}/members", ANALYST, OBJ_PILOT, 1, 1,
	 K_CSRF | K(KEY_NAME) | K(KEY_ORGANISATION) | K(KEY_MEMBER_ROLE), page_member_add,
	 "Add a steering-group member"},
	{"POST", "/pilots/{code}/members/{id}/remove", ANALYST, OBJ_PILOT, 1, 1, K_CSRF, page_member_remove,
	 "Remove a steering-group member (kept in the history)"},
	{"POST", "/pilots/{code}/grants", ANALYST, OBJ_PILOT, 1, 1, K_CSRF | K_GRANT, page_grant_put,
	 "Set the grant of a project year and budget post (not a paid one)"},
	{"POST", "/pilots/{code}/grants/{id}/pay", ANALYST, OBJ_PILOT, 1, 1, K_CSRF | K(KEY_PAID_ON), page_grant_pay,
	 "Mark a grant as paid; it never changes after"},
	{"GET", "/grants", ANALYST, OBJ_NONE, 0, 0, K_NOTICE | K(KEY_FORMAT), page_grants,
	 "Grant totals per budget year, county and post (HTML or XLSX)"},
	{"POST", "/grants/shares", ANALYST, OBJ_NONE, 1, 1, K_CSRF | K(KEY_SHARES), page_grant_shares,
	 "Set the default grant share of each project year"},
	{"GET", "/pilots/{code}/reports/{year}", PILOT_READERS, OBJ_PILOT, 0, 1, K_NOTICE | K(KEY_VERSION) | K(KEY_FORMAT),
	 page_preport, "An annual report (year 2016 for 2016/17) or the final report (final): HTML or PDF, any version"},
	{"POST", "/pilots/{code}/reports/{year}", LEDER, OBJ_PILOT, 1, 1, K_CSRF | K_REPORT, page_preport_save,
	 "Save a report's draft (a new version; the first save starts it)"},
	{"POST", "/pilots/{code}/reports/{year}/submit", LEDER, OBJ_PILOT, 1, 1, K_CSRF | K_REPORT, page_preport_submit,
	 "Submit a report to the steering group, with the year's published statistics"},
	{"POST", "/pilots/{code}/reports/{year}/return", LEDER, OBJ_PILOT, 1, 1, K_CSRF | K(KEY_VERSION),
	 page_preport_return, "Send a submitted report back to draft"},
	{"POST", "/pilots/{code}/reports/{year}/approve", LEDER, OBJ_PILOT, 1, 1, K_CSRF | K(KEY_VERSION),
	 page_preport_approve, "Approve a submitted report for the steering group (not its submitter)"},
	{"POST", "/pilots/{code}/reports/{year}/feedback", ANALYST, OBJ_PILOT, 1, 1,
	 K_CSRF | K(KEY_FEEDBACK) | K(KEY_VERSION), page_preport_feedback,
	 "National project management's written feedback on an approved report"},
	{"POST", "/pilots/{code}/reports/{year}/close", ANALYST, OBJ_PILOT, 1, 1, K_CSRF | K(KEY_VERSION),
	 page_preport_close, "Close a report after feedback"},

	{"GET", "/api/v1/openapi.json", 0, OBJ_NONE, 0, 0, 0, api_openapi, "This document"},
	{"GET", "/api/v1/me", ANYONE_IN, OBJ_NONE, 0, 0, 0, api_me, "The caller's account"},
	{"GET", "/api/v1/units", ANYONE_IN, OBJ_NONE, 0, 0, 0, api_units, "Units in the caller's scope"},
	{"GET", "/api/v1/units/{code}", ANYONE_IN, OBJ_UNIT, 0, 0, 0, api_unit, "One unit"},
	{"POST", "/api/v1/units", ADMIN, OBJ_NONE, 1, 0,
	 K(KEY_CSRF) | K(KEY_CODE) | K(KEY_NAME) | K(KEY_KIND) | K(KEY_PARENT), api_unit_create, "Create a unit"},
	{"GET", "/api/v1/users", MANAGERS, OBJ_NONE, 0, 1, 0, api_users, "Users in the caller's scope"},
	{"GET", "/api/v1/users/{username}", MANAGERS, OBJ_ACCOUNT, 0, 1, 0, api_user, "One user"},
	{"POST", "/api/v1/users", MANAGERS, OBJ_NONE, 1, 0,
	 K(KEY_CSRF) | K(KEY_USERNAME) | K(KEY_ROLE) | K(KEY_UNIT) | K(KEY_PASSWORD) | K(KEY_DIRECTORATE), api_user_create,
	 "Create a user (an analyst with their directorate)"},
	{"POST", "/api/v1/users/{username}/disable", MANAGERS, OBJ_ACCOUNT, 1, 0, K(KEY_CSRF),
	 api_user_disable, "Disable a user and end their sessions"},

	{"GET", "/api/v1/releases", STATS_READERS, OBJ_NONE, 0, 0, 0, api_releases,
	 "Statistics releases (leaders: published ones)"},
	{"GET", "/api/v1/releases/{id}", STATS_READERS, OBJ_NONE, 0, 0, 0, api_release,
	 "A release's protected figures (leaders: their pilot's)"},
	{"POST", "/api/v1/releases/{id}/approve", ROLE_ANALYTIKER, OBJ_NONE, 1, 1, K_CSRF, api_release_approve,
	 "Approve a draft release (not its author)"},
	{"POST", "/api/v1/releases/{id}/publish", ROLE_ANALYTIKER, OBJ_NONE, 1, 1, K_CSRF, api_release_publish,
	 "Publish an approved release; it never changes after"},
	{"GET", "/api/v1/codes/{list}", ANYONE_IN, OBJ_NONE, 0, 0, 0, api_codes, "A code list with labels"},
	{"GET", "/api/v1/caseload", VEILEDER, OBJ_NONE, 0, 1, 0, api_caseload,
	 "Open referrals and students by days since last contact"},
	{"GET", "/api/v1/students", VEILEDER, OBJ_NONE, 0, 1, 0, api_student_search,
	 "Own pilots' students"},
	{"POST", "/api/v1/students/search", VEILEDER, OBJ_NONE, 1, 1, K_CSRF | K(KEY_Q), api_student_search,
	 "Search own pilots' students by name or pseudonym (in the body, never the URL)"},
	{"POST", "/api/v1/students", VEILEDER, OBJ_NONE, 1, 1, K_CSRF | K_STUDENT | K_CONSENT,
	 api_student_create, "Register a student with a registration consent"},
	{"GET", "/api/v1/students/{pseudonym}", VEILEDER, OBJ_STUDENT, 0, 1, 0, api_student, "One student"},
	{"POST", "/api/v1/students/{pseudonym}", VEILEDER, OBJ_STUDENT, 1, 1, K_CSRF | K_STUDENT,
	 api_student_update, "Change a student's details"},
	{"GET", "/api/v1/students/{pseudonym}/history", VEILEDER, OBJ_STUDENT, 0, 1, 0, api_history,
	 "Who changed what in the student's record"},
	{"POST", "/api/v1/students/{pseudonym}/consents", VEILEDER, OBJ_STUDENT, 1, 1,
	 K_CSRF | K_CONSENT | K(KEY_CONSENT_KIND) | K(KEY_PARTNER), api_consent_add, "Record a consent"},
	{"POST", "/api/v1/students/{pseudonym}/consents/{id}/withdraw", VEILEDER, OBJ_STUDENT, 1, 1,
	 K_CSRF | K(KEY_WITHDRAWN_ON) | K(KEY_ERASE), api_consent_withdraw,
	 "Withdraw a consent; the last registration consent only with erase=true, and the student is erased"},
	{"POST", "/api/v1/students/{pseudonym}/cases", VEILEDER, OBJ_STUDENT, 1, 1,
	 K_CSRF | K_CASE | K(KEY_OPENED_ON), api_case_open, "Open a case"},
	{"GET", "/api/v1/cases/{id}", VEILEDER, OBJ_SAK, 0, 1, 0, api_case, "One case with everything in it"},
	{"POST", "/api/v1/cases/{id}", VEILEDER, OBJ_SAK, 1, 1, K_CSRF | K_CASE, api_case_update, "Change a case"},
	{"POST", "/api/v1/cases/{id}/close", VEILEDER, OBJ_SAK, 1, 1,
	 K_CSRF | K(KEY_CLOSED_ON) | K(KEY_CLOSE_REASON), api_case_close, "Close a case"},
	{"POST", "/api/v1/cases/{id}/reopen", VEILEDER, OBJ_SAK, 1, 1, K_CSRF, api_case_reopen, "Reopen a case"},
	{"POST", "/api/v1/cases/{id}/contacts", VEILEDER, OBJ_SAK, 1, 1, K_CSRF | K_CONTACT, api_contact_add,
	 "Register a contact"},
	{"POST", "/api/v1/cases/{id}/decisions", VEILEDER, OBJ_SAK, 1, 1, K_CSRF | K_DECISION,
	 api_decision_add, "Register a decision"},
	{"POST", "/api/v1/cases/{id}/measures", VEILEDER, OBJ_SAK, 1, 1, K_CSRF | K_MEASURE, api_measure_add,
	 "Register a NAV or school measure"},
	{"POST", "/api/v1/cases/{id}/outcomes", VEILEDER, OBJ_SAK, 1, 1,
	 K_CSRF | K(KEY_SCHOOL_YEAR) | K(KEY_OUTCOME), api_outcome_set, "Set the outcome of a school year"},
	{"GET", "/api/v1/contacts/{id}", VEILEDER, OBJ_CONTACT, 0, 1, 0, api_contact, "One contact"},
	{"GET", "/api/v1/decisions/{id}", VEILEDER, OBJ_DECISION, 0, 1, 0, api_decision, "One decision"},
	{"GET", "/api/v1/measures/{id}", VEILEDER, OBJ_MEASURE, 0, 1, 0, api_measure, "One measure"},
	{"GET", "/api/v1/referrals", REFERRERS, OBJ_NONE, 0, 1, 0, api_referrals,
	 "Referrals: the referrer's own, or the pilot's inbox"},
	{"POST", "/api/v1/referrals", RADGIVER, OBJ_NONE, 1, 1,
	 K_CSRF | K(KEY_STUDENT_NAME) | K(KEY_LEVEL) | K(KEY_MAIN_REASON) | K(KEY_CONSENT_BY),
	 api_referral_create, "Refer a student to the NAV counsellor"},
	{"GET", "/api/v1/referrals/{id}", REFERRERS, OBJ_REFERRAL, 0, 1, 0, api_referral, "One referral"},
	{"POST", "/api/v1/referrals/{id}/accept", VEILEDER, OBJ_REFERRAL, 1, 1,
	 K_CSRF | K(KEY_STUDENT) | K_STUDENT | K_CONSENT | K(KEY_MAIN_REASON), api_referral_accept,
	 "Accept a referral: a new or linked student and a new case"},
	{"POST", "/api/v1/referrals/{id}/decline", VEILEDER, OBJ_REFERRAL, 1, 1, K_CSRF | K(KEY_DECLINE_REASON),
	 api_referral_decline, "Decline a referral with a reason"},
};
const int routes_count = (int)(sizeof routes / sizeof routes[0]);

int route_is_api(const struct route *rt)
{
	return strncmp(rt->path, "/api/", 5) == 0;
}

/* Matches path against pattern; {x} takes one non-empty segment. */
static int match(const char *pattern, const char *path, struct req *r)
{
	int np = 0;
	const char *params[4];
	while (*pattern && *path) {
		if (*pattern == '{') {
			const char *pe = strchr(pattern, '}');
			const char *seg_end = strchr(path, '/');
			size_t n = seg_end ? (size_t)(seg_end - path) : strlen(path);
			if (!pe || n == 0 || np >= 4)
				return 0;
			params[np++] = r ? arena_strndup(r->arena, path, n) : NULL;
			pattern = pe + 1;
			path += n;
			continue;
		}
		if (*pattern != *path)
			return 0;
		pattern++;
		path++;
	}
	if (*pattern || *path)
		return 0;
	if (r) {
		memcpy(r->params, params, sizeof params);
		r->nparams = np;
	}
	return 1;
}

int route_match(const char *method, const char *path, struct req *r, char *allow, size_t allowsz)
{
	int other = 0;
	size_t used = 0;
	allow[0] = '\0';
	/* HEAD is answered like GET without a body by libmicrohttpd. */
	const char *m = strcmp(method, "HEAD") == 0 ? "GET" : method;
	for (int i = 0; i < routes_count; i++) {
		if (!match(routes[i].path, path, NULL))
			continue;
		if (strcmp(routes[i].method, m) == 0) {
			allow[0] = '\0';
			match(routes[i].path, path, r);
			return i;
		}
		other = 1;
		used += (size_t)snprintf(allow + used, used < allowsz ? allowsz - used : 0, "%s%s",
					 used ? ", " : "", routes[i].method);
	}
	return other ? -2 : -1;
}
