/* The JSON API under /api/v1: same access rules as the pages, from the same route table. */
#ifndef ELEVLOS_API_H
#define ELEVLOS_API_H

#include "../http/server.h"

int api_openapi(struct req *r);
int api_me(struct req *r);
int api_units(struct req *r);
int api_unit(struct req *r);
int api_unit_create(struct req *r);
int api_users(struct req *r);
int api_user(struct req *r);
int api_user_create(struct req *r);
int api_user_disable(struct req *r);

/* the registration record (record_api.c) */
int api_caseload(struct req *r);
int api_student_create(struct req *r);
int api_student_search(struct req *r);
int api_student(struct req *r);
int api_student_update(struct req *r);
int api_consent_add(struct req *r);
int api_consent_withdraw(struct req *r);
int api_history(struct req *r);
int page_student_export(struct req *r);
int api_case_open(struct req *r);
int api_case(struct req *r);
int api_case_update(struct req *r);
int api_case_close(struct req *r);
int api_case_reopen(struct req *r);
int api_contact_add(struct req *r);
int api_decision_add(struct req *r);
int api_measure_add(struct req *r);
int api_outcome_set(struct req *r);
int api_contact(struct req *r);
int api_decision(struct req *r);
int api_measure(struct req *r);
int api_referral_create(struct req *r);
int api_referrals(struct req *r);
int api_referral(struct req *r);
int api_referral_accept(struct req *r);
int api_referral_decline(struct req *r);
int api_codes(struct req *r);

/* statistics releases (release_api.c) */
int api_releases(struct req *r);
int api_release(struct req *r);
int api_release_approve(struct req *r);
int api_release_publish(struct req *r);
/* Moves the release of the path's {id} from one status to the next for the caller (four eyes
 * on approval, an access-log row): 0, or an HTTP status with *msg a catalogue key. */
int release_move(struct req *r, const char *from, const char *to, int64_t *id, const char **msg);

#endif
