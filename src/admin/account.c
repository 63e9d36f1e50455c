#include "account.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "../auth/password.h"
#include "../auth/role.h"

int account_may_grant(const struct actor *who, const char *role)
{
	if (!role_bit(role))
		return 0;
	if (who->rolebit == 0 || who->rolebit == ROLE_ADMIN)
		return 1;
	if (who->rolebit == ROLE_LEDER)
		return role_bit(role) & (ROLE_VEILEDER | ROLE_RADGIVER | ROLE_LEDER);
	return 0;
}

static struct outcome finish(db_t *db, const struct actor *who, const char *action,
			     const char *username, struct outcome ok)
{
	char obj[80];
	snprintf(obj, sizeof obj, "user:%s", username);
	if (actor_audit(db, who, action, obj, "user administration") != DB_OK ||
	    db_commit(db) != DB_OK) {
		db_rollback(db);
		return (struct outcome){500, "error.500"};
	}
	return ok;
}

int account_unit_fits(const char *role, const char *unit_kind)
{
	/* Scope is the unit's subtree: a role placed higher up would see more than its work. */
	if (!strcmp(role, "veileder") || !strcmp(role, "leder"))
		return !strcmp(unit_kind, "pilot");
	if (!strcmp(role, "radgiver"))
		return !strcmp(unit_kind, "school");
	return !strcmp(unit_kind, "nation"); /* analytiker and admin: the directorates, nationwide */
}

struct outcome account_create(db_t *db, const struct actor *who, const char *username,
			      const char *role, const char *unit, const char *password)
{
	return account_create_in(db, who, username, role, unit, password, NULL);
}

struct outcome account_create_in(db_t *db, const struct actor *who, const char *username, const char *role,
				 const char *unit, const char *password, const char *directorate)
{
	const char *why;
	if (!username || !role || !unit || !password)
		return (struct outcome){422, "form.required"};
	int with_dir = directorate && *directorate;
	if (with_dir && strcmp(role, "analytiker") != 0)
		return (struct outcome){422, "user.directorate_analyst_only"};
	if (with_dir && strcmp(directorate, "avdir") != 0 && strcmp(directorate, "udir") != 0)
		return (struct outcome){422, "user.bad_directorate"};
	if (!account_may_grant(who, role))
		return (struct outcome){403, "user.role_not_allowed"};
	if (password_policy(password, &why) != 0)
		return (struct outcome){422, why};
	char hash[PASSWORD_HASH_MAX];
	int pr = password_hash(password, hash);
	if (pr != PW_OK)
		return (struct outcome){pr == PW_BUSY ? 503 : 500, pr == PW_BUSY ? "error.503" : "error.500"};
	if (db_begin(db) != DB_OK)
		return (struct outcome){503, "error.503"};
	struct unit u;
	int rc = db_unit_get(db, unit, &u);
	if (rc != DB_OK || !scope_contains(who->scope_path, u.path)) {
		db_rollback(db);
		return rc == DB_ERROR ? (struct outcome){500, "error.500"}
				      : (struct outcome){422, "user.unknown_unit"};
	}
	if (!account_unit_fits(role, u.kind)) {
		db_rollback(db);
		return (struct outcome){422, "user.wrong_unit_kind"};
	}
	rc = db_account_add(db, username, role, unit, hash, NULL);
	sodium_memzero(hash, sizeof hash);
	if (rc == DB_OK && with_dir)
		rc = db_account_set_directorate(db, username, directorate);
	if (rc != DB_OK) {
		db_rollback(db);
		return rc == DB_CONFLICT ? (struct outcome){409, "user.exists"}
		     : rc == DB_INVALID  ? (struct outcome){422, "user.unknown_unit"}
					 : (struct outcome){500, "error.500"};
	}
	return finish(db, who, "create", username, (struct outcome){201, "user.created"});
}

struct outcome account_disable(db_t *db, const struct actor *who, const struct account *target)
{
	/* Only accounts one may create, and never one's own (nobody locks themselves out). */
	if (!account_may_grant(who, target->role) || !strcmp(target->username, who->username))
		return (struct outcome){403, "user.may_not_disable"};
	if (db_begin(db) != DB_OK)
		return (struct outcome){503, "error.503"};
	if (db_account_set_disabled(db, target->id, 1) != DB_OK ||
	    db_session_delete_account(db, target->id) != DB_OK) {
		db_rollback(db);
		return (struct outcome){500, "error.500"};
	}
	return finish(db, who, "disable", target->username, (struct outcome){200, "user.disabled"});
}

struct outcome account_set_password(db_t *db, const struct actor *who, const struct account *target,
				    const char *password)
{
	const char *why;
	if (password_policy(password, &why) != 0)
		return (struct outcome){422, why};
	char hash[PASSWORD_HASH_MAX];
	int pr = password_hash(password, hash);
	if (pr != PW_OK)
		return (struct outcome){pr == PW_BUSY ? 503 : 500, pr == PW_BUSY ? "error.503" : "error.500"};
	if (db_begin(db) != DB_OK)
		return (struct outcome){503, "error.503"};
	int rc = db_account_set_password(db, target->id, hash);
	sodium_memzero(hash, sizeof hash);
	if (rc != DB_OK || db_session_delete_account(db, target->id) != DB_OK) {
		db_rollback(db);
		return (struct outcome){500, "error.500"};
	}
	return finish(db, who, "password", target->username,
		      (struct outcome){200, "account.password_changed"});
}
