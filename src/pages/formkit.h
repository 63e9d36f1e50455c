/* Form fields in NAV's design system, written through the escaping HTML writer. Labels are
 * catalogue keys; code lists come from the database (the single source of codes). */
#ifndef ELEVLOS_FORMKIT_H
#define ELEVLOS_FORMKIT_H

#include "pages.h"

/* <label>+<input>; required when req is set; value may be NULL. */
void fk_input(struct req *r, const char *name, const char *label_key, const char *type,
	      const char *autocomplete, const char *value, int req);
void fk_textarea(struct req *r, const char *name, const char *label_key, const char *value);
/* A <select> of a code list; an empty first option unless required. */
void fk_codes(struct req *r, const char *name, const char *label_key, const char *list,
	      const char *chosen, int req);
/* A <select> of fixed values whose labels are catalogue keys prefix.value. */
void fk_select(struct req *r, const char *name, const char *label_key, const char *const *values,
	       const char *prefix, const char *chosen);
/* Checkboxes (same name) for a code list in a fieldset; chosen is "A,B". */
void fk_checks(struct req *r, const char *name, const char *legend_key, const char *list,
	       const char *chosen);
void fk_submit(struct req *r, const char *label_key);
/* Opens <form method=post action=…> with the CSRF field; close with fk_end. */
void fk_begin(struct req *r, const char *action, const char *cls);
void fk_end(struct req *r);
/* The label of a code in the request's language ("" when unknown). */
const char *fk_label(struct req *r, const char *list, const char *code);
void fk_heading(struct req *r, int level, const char *text);
/* The error summary of a failed POST, announced (role=alert): the message, linked to the
 * field r->bad_field (#f-name) when set. Fields drawn after it mark themselves. */
void fk_errors(struct req *r, const char *message);
/* For a field `name`: the id of its message ("f-name-error") when it is r->bad_field, else NULL;
 * fk_field_error writes that message. Pages' own fields use these like fk_input does. */
const char *fk_bad(struct req *r, const char *name);
/*
 * Pages of several forms (a student, a case): fk_scope(r, "contact-") before a form gives its
 * fields the ids f-contact-NAME (NULL after it: plain f-NAME). A failed POST names its form in
 * r->bad_form (the same prefix) and is shown again: only that form marks its field, the summary
 * links to it, fk_failing() tells the page to open it, and fk_val() gives the value sent (for the
 * failing form) or dflt (any other).
 */
const char *fk_id(struct req *r, const char *name);
void fk_scope(struct req *r, const char *prefix);
int fk_failing(const struct req *r);
const char *fk_val(struct req *r, enum key k, const char *dflt);
/* <details><summary> around the form in scope: open when it is the form that failed. */
void fk_details(struct req *r, const char *summary_key);
void fk_field_error(struct req *r, const char *name);

#endif
