/* Helpers shared by the files of src/registration/ only. */
#ifndef ELEVLOS_REGISTRATION_INTERNAL_H
#define ELEVLOS_REGISTRATION_INTERNAL_H

#include "registration.h"

struct outcome bad(int status, const char *msg);
/* 0 when code is absent or in the list; -1 with *o set otherwise. */
int check_code(struct reg *g, const char *list, const char *code, struct outcome *o);
int check_codes(struct reg *g, const char *list, const char *codes, struct outcome *o);
/* A code set field may carry NONE: "the set is empty" (a form sends it beside its checkboxes,
 * so unticking every box clears the set). This drops it. */
#define CODES_NONE "NONE"
void codes_without_none(const char *codes, char *out, size_t outsz);
/* A change-history row (who = g->who). */
int history(struct reg *g, int64_t student_id, int64_t sak_id, const char *entity,
	    int64_t entity_id, const char *field, const char *old, const char *new_);
/* An access-log row "kind:id". */
int audit(struct reg *g, const char *action, const char *kind, const char *id, const char *purpose);
void seal_text(const struct reg *g, const char *ad_kind, const char *ad_id, const char *text,
	       struct sealed *out);
void open_text(const struct reg *g, const char *ad_kind, const char *ad_id, const unsigned char *b,
	       size_t n, char *out, size_t outsz);
const char *or_empty(const char *s);

#define OK_STATUS(s) ((struct outcome){s, NULL})
#define FAIL_DB ((struct outcome){500, "error.500"})

#endif
