/* Shared by the registration pages. */
#ifndef ELEVLOS_RECORD_PAGES_H
#define ELEVLOS_RECORD_PAGES_H

#include "../registration/registration.h"
#include "formkit.h"

void rp_ctx(struct req *r, struct reg *g, struct actor *who);
/* After a POST: back to `page` with ?ok= or ?error= (the catalogue key). A failed action's
 * writes are rolled back although the answer is a redirect. */
int rp_done(struct req *r, const char *page, struct outcome o);
/* The ?ok= / ?error= notice of a page, if any; for a failed POST shown again (rp_refused) the
 * error summary linked to its field. */
void rp_notice(struct req *r);
/*
 * A failed POST on a page of several forms: its writes undone, the page drawn again by page() in
 * a transaction of its own (so its read is logged), with form (an fk_scope prefix) open, the
 * values sent in it, and the error linked to its field (rp_error_field with required; a date
 * refused — in the future, before the case, before its last contact — to date_field). Returns
 * the outcome's status.
 */
int rp_refused(struct req *r, struct outcome o, const char *form, const char *const *required,
	       const char *date_field, int (*page)(struct req *r));
/* The field of a form a failed POST is about (its error key msg), or for a missing value the
 * first name in `required` not sent; NULL when no one field is to blame. */
const char *rp_error_field(const struct req *r, const char *msg, const char *const *required);
/* An access-log row "read kind:id"; -1 when it could not be written (answer 500). */
int rp_read(struct req *r, const char *kind, const char *id, const char *purpose);
/* A definition list row with escaped text. */
void rp_fact(struct req *r, const char *label_key, const char *value);
void rp_table_start(struct req *r, const char *const *header_keys);
void rp_table_end(struct req *r);
void rp_cell(struct req *r, const char *text);

#endif
