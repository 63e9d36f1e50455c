/* JSON views of the registration record: the API's answers and the export's lines. */
#ifndef ELEVLOS_RECORD_JSON_H
#define ELEVLOS_RECORD_JSON_H

#include <jansson.h>

#include "../core/util.h"
#include "../registration/registration.h"

/* The subject-access export document (page_student_export) as an A4 PDF in lang, appended to
 * out (subject_pdf.c). 0, or -1 with err. */
int subject_access_pdf(const json_t *doc, const char *lang, buf_t *out, char *err, size_t errsz);
json_t *json_student(struct reg *g, const struct student_row *s, int with_cases);
json_t *json_case(struct reg *g, const struct sak_row *k);
json_t *json_contact(struct reg *g, const struct contact_row *c);
json_t *json_decision(const struct decision_row *d);
json_t *json_measure(const struct measure_row *m);
/* What the referrer sees: status always; case content only under a sharing consent. */
json_t *json_referral(struct reg *g, const struct referral_row *r, int full);

#endif
