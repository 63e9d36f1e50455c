#include "actor.h"

#include "../audit/audit.h"
#include "../auth/role.h"

const struct actor actor_cli = {"cli", "-", "-", "/", 0, 0};

void actor_of_account(struct actor *a, const struct account *acc)
{
	a->username = acc->username;
	a->role = acc->role;
	a->unit = acc->unit_code;
	a->scope_path = acc->unit_path;
	a->rolebit = role_bit(acc->role);
	a->glass = 0;
}

int actor_audit(db_t *db, const struct actor *a, const char *action, const char *object,
		const char *purpose)
{
	struct audit_entry e = {a->username, a->role, a->unit, action, object, purpose, a->glass ? "glass" : "ok"};
	return audit_write(db, &e);
}
