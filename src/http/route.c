#include "route.h"

#include <stdio.h>
#include <string.h>

#include "../api/api.h"
#include "../auth/role.h"
#include "../pages/pages.h"
#include "server.h"

#define ADMIN ROLE_ADMIN
#define MANAGERS (ROLE_ADMIN | ROLE_LEDER)
#define ANYONE_IN ROLES_ALL

/* method, path, roles, object, csrf, tx, keys, handler, summary */
const struct route routes[] = {
	{"GET", "/", 0, OBJ_NONE, 0, 0, 0, page_root, "Front door: start page or login"},
	{"GET", "/healthz", 0, OBJ_NONE, 0, 0, 0, page_healthz, "Liveness and database check"},
	{"GET", "/metrics", 0, OBJ_NONE, 0, 0, 0, page_metrics, "Prometheus metrics (loopback or admin token)"},
	{"GET", "/static/{file}", 0, OBJ_NONE, 0, 0, 0, page_static, "Style sheets and script"},
	{"GET", "/login", 0, OBJ_NONE, 0, 0, K(KEY_NEXT), page_login_form, "Login form"},
	{"POST", "/login", 0, OBJ_NONE, 1, 0, K(KEY_CSRF) | K(KEY_USERNAME) | K(KEY_PASSWORD) | K(KEY_NEXT),
	 page_login, "Log in"},
	{"POST", "/logout", ANYONE_IN, OBJ_NONE, 1, 1, K(KEY_CSRF), page_logout, "Log out"},
	{"GET", "/start", ANYONE_IN, OBJ_NONE, 0, 0, 0, page_start, "Start page for the role"},
	{"GET", "/account", ANYONE_IN, OBJ_NONE, 0, 1, 0, page_account, "Own account"},
	{"POST", "/account/password", ANYONE_IN, OBJ_NONE, 1, 0,
	 K(KEY_CSRF) | K(KEY_PASSWORD) | K(KEY_NEW_PASSWORD), page_account_password, "Change own password"},
	{"GET", "/units", ANYONE_IN, OBJ_NONE, 0, 0, 0, page_units, "Units in the caller's scope"},
	{"POST", "/units", ADMIN, OBJ_NONE, 1, 0,
	 K(KEY_CSRF) | K(KEY_CODE) | K(KEY_NAME) | K(KEY_KIND) | K(KEY_PARENT), page_unit_create, "Create a unit"},
	{"GET", "/users", MANAGERS, OBJ_NONE, 0, 1, 0, page_users, "Users in the caller's scope"},
	{"POST", "/users", MANAGERS, OBJ_NONE, 1, 0,
	 K(KEY_CSRF) | K(KEY_USERNAME) | K(KEY_ROLE) | K(KEY_UNIT) | K(KEY_PASSWORD), page_user_create, "Create a user"},
	{"GET", "/users/{username}", MANAGERS, OBJ_ACCOUNT, 0, 1, 0, page_user, "One user"},
	{"POST", "/users/{username}/disable", MANAGERS, OBJ_ACCOUNT, 1, 0, K(KEY_CSRF), page_user_disable,
	 "Disable a user and end their sessions"},

	{"GET", "/api/v1/openapi.json", 0, OBJ_NONE, 0, 0, 0, api_openapi, "This document"},
	{"GET", "/api/v1/me", ANYONE_IN, OBJ_NONE, 0, 0, 0, api_me, "The caller's account"},
	{"GET", "/api/v1/units", ANYONE_IN, OBJ_NONE, 0, 0, 0, api_units, "Units in the caller's scope"},
	{"GET", "/api/v1/units/{code}", ANYONE_IN, OBJ_UNIT, 0, 0, 0, api_unit, "One unit"},
	{"POST", "/api/v1/units", ADMIN, OBJ_NONE, 1, 0,
	 K(KEY_CSRF) | K(KEY_CODE) | K(KEY_NAME) | K(KEY_KIND) | K(KEY_PARENT), api_unit_create, "Create a unit"},
	{"GET", "/api/v1/users", MANAGERS, OBJ_NONE, 0, 1, 0, api_users, "Users in the caller's scope"},
	{"GET", "/api/v1/users/{username}", MANAGERS, OBJ_ACCOUNT, 0, 1, 0, api_user, "One user"},
	{"POST", "/api/v1/users", MANAGERS, OBJ_NONE, 1, 0,
	 K(KEY_CSRF) | K(KEY_USERNAME) | K(KEY_ROLE) | K(KEY_UNIT) | K(KEY_PASSWORD), api_user_create, "Create a user"},
	{"POST", "/api/v1/users/{username}/disable", MANAGERS, OBJ_ACCOUNT, 1, 0, K(KEY_CSRF),
	 api_user_disable, "Disable a user and end their sessions"},
};
const int routes_count = (int)(sizeof routes / sizeof routes[0]);

int route_is_api(const struct route *rt)
{
	return strncmp(rt->path, "/api/", 5) == 0;
}

/* Matches path against pattern; {x} takes one non-empty segment. */
static int match(const char *pattern, const char *path, struct req *r)
{
	int np = 0;
	const char *params[4];
	while (*pattern && *path) {
		if (*pattern == '{') {
			const char *pe = strchr(pattern, '}');
			const char *seg_end = strchr(path, '/');
			size_t n = seg_end ? (size_t)(seg_end - path) : strlen(path);
			if (!pe || n == 0 || np >= 4)
				return 0;
			params[np++] = r ? arena_strndup(r->arena, path, n) : NULL;
			pattern = pe + 1;
			path += n;
			continue;
		}
		if (*pattern != *path)
			return 0;
		pattern++;
		path++;
	}
	if (*pattern || *path)
		return 0;
	if (r) {
		memcpy(r->params, params, sizeof params);
		r->nparams = np;
	}
	return 1;
}

int route_match(const char *method, const char *path, struct req *r, char *allow, size_t allowsz)
{
	int other = 0;
	size_t used = 0;
	allow[0] = '\0';
	/* HEAD is answered like GET without a body by libmicrohttpd. */
	const char *m = strcmp(method, "HEAD") == 0 ? "GET" : method;
	for (int i = 0; i < routes_count; i++) {
		if (!match(routes[i].path, path, NULL))
			continue;
		if (strcmp(routes[i].method, m) == 0) {
			allow[0] = '\0';
			match(routes[i].path, path, r);
			return i;
		}
		other = 1;
		used += (size_t)snprintf(allow + used, used < allowsz ? allowsz - used : 0, "%s%s",
					 used ? ", " : "", routes[i].method);
	}
	return other ? -2 : -1;
}
