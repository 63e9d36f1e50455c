#include "api.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "../admin/account.h"
#include "../admin/unit.h"
#include "../i18n/i18n.h"

static json_t *unit_json(const struct unit *u)
{
	json_t *j = json_pack("{s:s,s:s,s:s,s:s}", "code", u->code, "name", u->name, "kind", u->kind,
			      "parent", u->parent_code);
	if (!u->parent_code[0])
		json_object_set_new(j, "parent", json_null());
	json_object_set_new(j, "valid_from", u->valid_from ? json_integer(u->valid_from) : json_null());
	json_object_set_new(j, "valid_to", u->valid_to ? json_integer(u->valid_to) : json_null());
	return j;
}

static json_t *account_json(const struct account *a)
{
	json_t *j = json_pack("{s:s,s:s,s:s,s:b,s:s}", "username", a->username, "role", a->role, "unit",
			      a->unit_code, "disabled", a->disabled, "created_at", a->created_at);
	/* An analyst's directorate, or null. */
	json_object_set_new(j, "directorate", a->directorate[0] ? json_string(a->directorate) : json_null());
	return j;
}

static int outcome_error(struct req *r, struct outcome o)
{
	return http_error(r, o.status, T("en", o.msg));
}

int api_me(struct req *r)
{
	json_t *j = account_json(r->user);
	json_object_set_new(j, "unit_name", json_string(r->user->unit_name));
	return http_json(r, 200, j);
}

static int unit_push(const struct unit *u, void *ctx)
{
	json_array_append_new(ctx, unit_json(u));
	return 0;
}

int api_units(struct req *r)
{
	json_t *arr = json_array();
	if (db_unit_list(r->db, r->user->unit_path, unit_push, arr) != DB_OK) {
		json_decref(arr);
		return http_error(r, 500, "could not read units");
	}
	return http_json(r, 200, json_pack("{s:o}", "units", arr));
}

int api_unit(struct req *r)
{
	return http_json(r, 200, unit_json(r->obj_unit));
}

int api_unit_create(struct req *r)
{
	struct actor who;
	actor_of_account(&who, r->user);
	struct outcome o = unit_create(r->db, &who, r->in.v[KEY_CODE], r->in.v[KEY_NAME],
				       r->in.v[KEY_KIND], r->in.v[KEY_PARENT]);
	if (o.status >= 400)
		return outcome_error(r, o);
	struct unit u;
	if (db_unit_get(r->db, r->in.v[KEY_CODE], &u) != DB_OK)
		return http_error(r, 500, "created, but could not be read back");
	return http_json(r, 201, unit_json(&u));
}

static int account_push(const struct account *a, void *ctx)
{
	json_array_append_new(ctx, account_json(a));
	return 0;
}

int api_users(struct req *r)
{
	if (req_audit(r, "read", "users", "user administration") != 0)
		return 500;
	json_t *arr = json_array();
	if (db_account_list(r->db, r->user->unit_path, account_push, arr) != DB_OK) {
		json_decref(arr);
		return http_error(r, 500, "could not read users");
	}
	return http_json(r, 200, json_pack("{s:o}", "users", arr));
}

int api_user(struct req *r)
{
	char obj[80];
	snprintf(obj, sizeof obj, "user:%s", r->obj_account->username);
	if (req_audit(r, "read", obj, "user administration") != 0)
		return 500;
	return http_json(r, 200, account_json(r->obj_account));
}

int api_user_create(struct req *r)
{
	struct actor who;
	actor_of_account(&who, r->user);
	struct outcome o = account_create_in(r->db, &who, r->in.v[KEY_USERNAME], r->in.v[KEY_ROLE],
					     r->in.v[KEY_UNIT], r->in.v[KEY_PASSWORD], r->in.v[KEY_DIRECTORATE]);
	if (o.status >= 400)
		return outcome_error(r, o);
	struct account a;
	if (db_account_get(r->db, r->in.v[KEY_USERNAME], &a) != DB_OK)
		return http_error(r, 500, "created, but could not be read back");
	return http_json(r, 201, account_json(&a));
}

int api_user_disable(struct req *r)
{
	struct actor who;
	actor_of_account(&who, r->user);
	struct outcome o = account_disable(r->db, &who, r->obj_account);
	if (o.status >= 400)
		return outcome_error(r, o);
	struct account a = *r->obj_account;
	a.disabled = 1;
	return http_json(r, 200, account_json(&a));
}
