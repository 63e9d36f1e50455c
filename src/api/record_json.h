/* JSON views of the registration record: the API's answers and the export's lines. */
#ifndef ELEVLOS_RECORD_JSON_H
#define ELEVLOS_RECORD_JSON_H

#include <jansson.h>

#include "../registration/registration.h"

json_t *json_student(struct reg *g, const struct student_row *s, int with_cases);
json_t *json_case(struct reg *g, const struct sak_row *k);
json_t *json_contact(struct reg *g, const struct contact_row *c);
json_t *json_decision(const struct decision_row *d);
json_t *json_measure(const struct measure_row *m);
/* What the referrer sees: status always; case content only under a sharing consent. */
json_t *json_referral(struct reg *g, const struct referral_row *r, int full);

#endif
