/* Who does an administrative action: a logged-in user, or the command line. */
#ifndef ELEVLOS_ACTOR_H
#define ELEVLOS_ACTOR_H

#include "../db/db.h"

struct actor {
	const char *username;
	const char *role;
	const char *unit;
	const char *scope_path; /* "/" for the command line (the operator owns the file) */
	unsigned rolebit;       /* 0 for the command line */
	int glass;              /* acting in a record opened by breaking the glass: rows flagged "glass" */
};

void actor_of_account(struct actor *a, const struct account *acc);
extern const struct actor actor_cli;
/* Writes an access-log row for the actor (the caller holds the transaction). */
int actor_audit(db_t *db, const struct actor *a, const char *action, const char *object,
		const char *purpose);

/* Outcome of an action: an HTTP status and a message key of the catalogue. */
struct outcome {
	int status;
	const char *msg;
};

#endif
