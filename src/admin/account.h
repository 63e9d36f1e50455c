/* Accounts: create, disable, change password. Shared by the command line, pages and API. */
#ifndef ELEVLOS_ACCOUNT_H
#define ELEVLOS_ACCOUNT_H

#include "actor.h"

/* 1 when who may give role (admin: any; leder: the pilot's roles; CLI: any). */
int account_may_grant(const struct actor *who, const char *role);
/* 1 when a role may belong to a unit of this kind: veileder and leder a pilot, radgiver a
 * school, analytiker and admin the nation. */
int account_unit_fits(const char *role, const char *unit_kind);
/* Hashes the password outside any transaction, then inserts with an access-log row. */
struct outcome account_create(db_t *db, const struct actor *who, const char *username,
			      const char *role, const char *unit, const char *password);
/* The same with an analyst's directorate ("avdir" or "udir"; NULL or "" for none). A directorate
 * for another role is refused (422). */
struct outcome account_create_in(db_t *db, const struct actor *who, const char *username, const char *role,
				 const char *unit, const char *password, const char *directorate);
/* Disables the account and ends all its sessions at once. */
struct outcome account_disable(db_t *db, const struct actor *who, const struct account *target);
/* Sets a new password (policy checked) and ends all sessions of the account. */
struct outcome account_set_password(db_t *db, const struct actor *who, const struct account *target,
				    const char *password);

#endif
