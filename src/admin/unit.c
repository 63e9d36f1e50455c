#include "unit.h"

#include <stdio.h>
#include <string.h>

#include "../auth/role.h"

int unit_kind_fits(const char *kind, const char *parent_kind)
{
	if (!strcmp(kind, "county"))
		return !strcmp(parent_kind, "nation");
	if (!strcmp(kind, "pilot"))
		return !strcmp(parent_kind, "county");
	if (!strcmp(kind, "school") || !strcmp(kind, "nav_office"))
		return !strcmp(parent_kind, "pilot");
	return 0; /* there is one nation, made by the first migration */
}

struct outcome unit_create(db_t *db, const struct actor *who, const char *code, const char *name,
			   const char *kind, const char *parent)
{
	struct outcome o = {201, "unit.created"};
	struct unit p;
	if (!code || !name || !kind || !parent)
		return (struct outcome){422, "form.required"};
	if (db_begin(db) != DB_OK)
		return (struct outcome){503, "error.503"};
	int rc = db_unit_get(db, parent, &p);
	if (rc == DB_OK && !scope_contains(who->scope_path, p.path))
		rc = DB_NOTFOUND;
	if (rc != DB_OK) {
		o = rc == DB_NOTFOUND ? (struct outcome){422, "unit.no_parent"}
				      : (struct outcome){500, "error.500"};
		goto fail;
	}
	if (!unit_kind_fits(kind, p.kind)) {
		o = (struct outcome){422, "unit.wrong_parent"};
		goto fail;
	}
	rc = db_unit_add(db, code, name, kind, parent, 0, 0);
	if (rc != DB_OK) {
		o = rc == DB_CONFLICT ? (struct outcome){409, "unit.exists"}
		  : rc == DB_INVALID  ? (struct outcome){422, "unit.no_parent"}
				      : (struct outcome){500, "error.500"};
		goto fail;
	}
	char obj[48];
	snprintf(obj, sizeof obj, "unit:%s", code);
	if (actor_audit(db, who, "create", obj, "unit administration") != DB_OK) {
		o = (struct outcome){500, "error.500"};
		goto fail;
	}
	if (db_commit(db) != DB_OK) {
		o = (struct outcome){500, "error.500"};
		goto fail;
	}
	return o;
fail:
	db_rollback(db);
	return o;
}
