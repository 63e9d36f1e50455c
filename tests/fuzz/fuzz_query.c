/*
 * A request target "path?query" as libmicrohttpd hands it over (a C string): the path through
 * the route table (route_match) for each method, the query through form_parse with every key
 * and, when a route matched, with the keys that route accepts.
 */
#include <string.h>

#include "fuzz.h"
#include "http/route.h"
#include "http/server.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_match(struct req *r, const char *method, const char *path, keyset_t *keys)
{
	int i = route_match(method, path, r, r->allow, sizeof r->allow);
	FUZZ_CHECK(i >= -2 && i < routes_count);
	FUZZ_CHECK(strnlen(r->allow, sizeof r->allow) < sizeof r->allow);
	if (i == -2)
		FUZZ_CHECK(r->allow[0] != '\0');
	if (i < 0)
		return;
	FUZZ_CHECK(r->allow[0] == '\0');
	FUZZ_CHECK(r->nparams >= 0 && r->nparams <= 4);
	/* A {parameter} is one whole, non-empty path segment. */
	for (int p = 0; p < r->nparams; p++) {
		FUZZ_CHECK(r->params[p] && r->params[p][0]);
		FUZZ_CHECK(!strchr(r->params[p], '/'));
		FUZZ_CHECK(strstr(path, r->params[p]));
	}
	*keys = routes[i].keys;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const methods[] = {"GET", "HEAD", "POST", "PUT"};
	char *uri = fuzz_cstr(data, size);
	struct req r;
	memset(&r, 0, sizeof r);
	r.arena = arena_new();
	const char *q = strchr(uri, '?');
	char *path = arena_strndup(r.arena, uri, q ? (size_t)(q - uri) : strlen(uri));
	keyset_t route_keys = 0;
	int matched = 0;
	for (size_t m = 0; m < sizeof methods / sizeof methods[0]; m++) {
		keyset_t k = 0;
		r.nparams = 0;
		check_match(&r, methods[m], path, &k);
		if (k && !matched) {
			route_keys = k;
			matched = 1;
		}
	}
	if (q) {
		struct form f;
		struct form_error err;
		int rc = form_parse(r.arena, q + 1, strlen(q + 1), FUZZ_ALL_KEYS, &f, &err);
		fuzz_check_form(rc, &f, &err, FUZZ_ALL_KEYS);
		if (matched) {
			rc = form_parse(r.arena, q + 1, strlen(q + 1), route_keys, &f, &err);
			fuzz_check_form(rc, &f, &err, route_keys);
		}
	}
	arena_free(r.arena);
	free(uri);
	return 0;
}
