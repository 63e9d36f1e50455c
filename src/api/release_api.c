/* Statistics releases over the JSON API: analysts see and move every release; a leader sees
 * published releases, and only the figures of their own pilot. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "../auth/role.h"
#include "../db/stats.h"
#include "../i18n/i18n.h"
#include "../registration/registration.h"
#include "api.h"

static int is_analyst(struct req *r)
{
	return role_bit(r->user->role) == ROLE_ANALYTIKER;
}

static json_t *summary(const struct release_row *x)
{
	json_t *j = json_pack("{s:I,s:s,s:i,s:s,s:s,s:s,s:s}", "id", (json_int_t)x->id, "school_year",
			      x->school_year, "version", x->version, "status", x->status, "inputs_hash",
			      x->inputs_hash, "created_at", x->created_at, "created_by", x->created_by);
	json_object_set_new(j, "note", x->note[0] ? json_string(x->note) : json_null());
	json_object_set_new(j, "approved_by", x->approved_by[0] ? json_string(x->approved_by) : json_null());
	json_object_set_new(j, "published_at", x->published_at[0] ? json_string(x->published_at) : json_null());
	return j;
}

struct list_ctx {
	json_t *arr;
	int published_only;
};

static int push(const struct release_row *x, void *ctx)
{
	struct list_ctx *l = ctx;
	if (!l->published_only || !strcmp(x->status, "published"))
		json_array_append_new(l->arr, summary(x));
	return 0;
}

int api_releases(struct req *r)
{
	struct list_ctx l = {json_array(), !is_analyst(r)};
	if (db_release_list(r->db, push, &l) != DB_OK) {
		json_decref(l.arr);
		return http_error(r, 500, "could not read releases");
	}
	return http_json(r, 200, json_pack("{s:o}", "releases", l.arr));
}

/* The release of the path's {id} that the caller may see, or an error answer. */
static int load(struct req *r, struct release_row *x)
{
	memset(x, 0, sizeof *x);
	const char *id = r->params[0];
	int rc = id && valid_uint(id, strlen(id)) ? db_release_get(r->db, atoll(id), x) : DB_NOTFOUND;
	if (rc == DB_OK && !is_analyst(r) && strcmp(x->status, "published") != 0) {
		release_row_free(x);
		rc = DB_NOTFOUND;
	}
	if (rc == DB_ERROR)
		return http_error(r, 503, "database unavailable");
	if (rc != DB_OK)
		return http_error(r, 404, "not found");
	return 0;
}

int api_release(struct req *r)
{
	struct release_row x;
	if (load(r, &x))
		return r->status;
	json_t *content = json_loads(x.content, 0, NULL);
	release_row_free(&x);
	if (!content)
		return http_error(r, 500, "the release cannot be read");
	if (!is_analyst(r)) {
		/* A leader: the own pilot's figures only (its county and the nation are in the
		 * published release for analysts and the public report). */
		char pilot[33], suffix[40];
		pilot_of_path(r->user->unit_path, pilot);
		snprintf(suffix, sizeof suffix, "|%s", pilot);
		json_t *cells = json_object_get(content, "cells"), *mine = json_object();
		const char *key;
		json_t *v;
		json_object_foreach(cells, key, v) {
			const char *bar = strchr(key, '|');
			if (bar && !strcmp(bar, suffix))
				json_object_set(mine, key, v);
		}
		json_object_set_new(content, "cells", mine);
		json_t *waits = json_object_get(content, "waits");
		json_t *own = json_object_get(waits, pilot);
		json_object_set_new(content, "waits", json_pack("{s:O}", pilot, own ? own : json_null()));
	}
	json_object_set_new(content, "release", summary(&x));
	return http_json(r, 200, content);
}

int release_move(struct req *r, const char *from, const char *to, int64_t *id, const char **msg)
{
	*msg = "release.not_found";
	const char *p = r->params[0];
	struct release_row x;
	int rc = p && valid_uint(p, strlen(p)) ? db_release_get(r->db, atoll(p), &x) : DB_NOTFOUND;
	if (rc == DB_ERROR) {
		*msg = "release.unavailable";
		return 503;
	}
	if (rc != DB_OK)
		return 404;
	release_row_free(&x);
	*id = x.id;
	/* Four eyes: whoever made the numbers does not also approve them. */
	if (!strcmp(to, "approved") && !strcmp(x.created_by, r->user->username)) {
		*msg = "release.own";
		return 403;
	}
	rc = db_release_advance(r->db, x.id, from, to, r->user->username);
	if (rc == DB_NOTFOUND) {
		*msg = !strcmp(to, "approved") ? "release.not_draft" : "release.not_approved";
		return 409;
	}
	char obj[48];
	snprintf(obj, sizeof obj, "release:%lld", (long long)x.id);
	if (rc != DB_OK || req_audit(r, to, obj, "statistics release")) {
		*msg = "release.not_saved";
		return 500;
	}
	*msg = !strcmp(to, "approved") ? "release.approved" : "release.published";
	return 0;
}

static int advance(struct req *r, const char *from, const char *to)
{
	int64_t id = 0;
	const char *msg;
	int st = release_move(r, from, to, &id, &msg);
	if (st)
		return http_error(r, st, T("en", msg));
	struct release_row y;
	if (db_release_get(r->db, id, &y) != DB_OK)
		return http_error(r, 500, "saved, but could not be read back");
	json_t *j = summary(&y);
	release_row_free(&y);
	return http_json(r, 200, j);
}

int api_release_approve(struct req *r)
{
	return advance(r, "draft", "approved");
}

int api_release_publish(struct req *r)
{
	return advance(r, "approved", "published");
}
