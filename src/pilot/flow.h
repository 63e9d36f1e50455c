/*
 * The life of an annual or final report (docs/pilots.md):
 *
 *   draft --submit (leder)--> submitted --approve (another leder: the steering group)--> approved
 *     ^                          |
 *     +----return (leder)--------+
 *   approved --feedback (analytiker)--> feedback --close (analytiker)--> closed
 *
 * A draft is saved by a leder of the pilot as often as needed; every save and every step is a
 * new version. Analysts of Avdir and Udir have the same rights.
 */
#ifndef ELEVLOS_PILOT_FLOW_H
#define ELEVLOS_PILOT_FLOW_H

#include "../db/db.h"
#include "../db/pilot.h"

enum pr_action { PA_SAVE, PA_SUBMIT, PA_RETURN, PA_APPROVE, PA_FEEDBACK, PA_CLOSE, PA__N };

/* "save", "submit", … as in URLs; the version's action is preport_action_done(a). */
const char *preport_action_name(enum pr_action a);
/* "saved", "submitted", "returned", "approved", "feedback", "closed". */
const char *preport_action_done(enum pr_action a);

/*
 * May `who` take action a on a report in `state` that `submitted_by` submitted? NULL and *to the
 * next state when so; else the catalogue key of the reason, with *status 403 (not theirs to do)
 * or 409 (not in this state).
 */
const char *preport_step(const char *state, enum pr_action a, const struct account *who, const char *submitted_by,
			 const char **to, int *status);

/* The fields a report of kind shows in its form, in order; *n gets their number. */
const enum preport_field *preport_fields(const char *kind, int *n);
/* The first field of text that a submission needs but is empty, or -1 when none. */
int preport_missing(const char *kind, const char *const text[PR_NFIELDS]);

#endif
