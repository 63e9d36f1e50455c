/* The OpenAPI 3 document, generated from the route table so it cannot drift from it. */
#include <jansson.h>
#include <string.h>

#include "../auth/role.h"
#include "../http/route.h"
#include "api.h"

static json_t *param_list(const struct route *rt)
{
	json_t *params = json_array();
	/* path parameters: {name} segments */
	for (const char *p = strchr(rt->path, '{'); p; p = strchr(p + 1, '{')) {
		const char *e = strchr(p, '}');
		if (!e)
			break;
		json_array_append_new(params,
				      json_pack("{s:s%,s:s,s:b,s:{s:s}}", "name", p + 1, (size_t)(e - p - 1),
						"in", "path", "required", 1, "schema", "type", "string"));
	}
	if (!strcmp(rt->method, "GET")) {
		for (int k = 0; k < KEY__MAX; k++)
			if (rt->keys & K(k))
				json_array_append_new(
					params, json_pack("{s:s,s:s,s:s,s:{s:s,s:I}}", "name",
							  form_keys[k].name, "in", "query", "description",
							  form_keys[k].what, "schema", "type", "string",
							  "maxLength", (json_int_t)form_keys[k].maxlen));
	}
	return params;
}

static json_t *request_body(const struct route *rt)
{
	json_t *props = json_object();
	for (int k = 0; k < KEY__MAX; k++)
		if ((rt->keys & K(k)) && k != KEY_CSRF)
			json_object_set_new(props, form_keys[k].name,
					    json_pack("{s:s,s:s,s:I}", "type", "string", "description",
						      form_keys[k].what, "maxLength",
						      (json_int_t)form_keys[k].maxlen));
	json_t *schema = json_pack("{s:s,s:o,s:b}", "type", "object", "properties", props,
				   "additionalProperties", 0);
	return json_pack("{s:b,s:{s:{s:o}}}", "required", 1, "content", "application/json",
			 "schema", schema);
}

int api_openapi(struct req *r)
{
	json_t *paths = json_object();
	for (int i = 0; i < routes_count; i++) {
		const struct route *rt = &routes[i];
		if (!route_is_api(rt))
			continue;
		json_t *item = json_object_get(paths, rt->path);
		if (!item) {
			item = json_object();
			json_object_set_new(paths, rt->path, item);
		}
		json_t *roles = json_array();
		for (unsigned b = 1; b <= ROLE_ADMIN; b <<= 1)
			if (rt->roles & b)
				json_array_append_new(roles, json_string(role_name(b)));
		json_t *op = json_pack("{s:s,s:o,s:o}", "summary", rt->summary, "parameters",
				       param_list(rt), "x-roles", roles);
		json_object_set_new(op, "x-csrf", json_boolean(rt->csrf));
		if (rt->roles)
			json_object_set_new(op, "security",
					    json_pack("[{s:[]},{s:[]}]", "bearer", "session"));
		else
			json_object_set_new(op, "security", json_array());
		if (strcmp(rt->method, "GET") != 0)
			json_object_set_new(op, "requestBody", request_body(rt));
		json_t *responses = json_pack("{s:{s:s}}", "200", "description", "OK");
		if (!strcmp(rt->method, "POST"))
			json_object_set_new(responses, "201", json_pack("{s:s}", "description", "Created"));
		json_object_set_new(responses, "default",
				    json_pack("{s:s,s:{s:{s:{s:s}}}}", "description",
					      "Error envelope", "content", "application/json", "schema",
					      "$ref", "#/components/schemas/Error"));
		json_object_set_new(op, "responses", responses);
		char lower[8];
		size_t n = strlen(rt->method);
		for (size_t k = 0; k <= n && k < sizeof lower; k++)
			lower[k] = (char)(rt->method[k] >= 'A' && rt->method[k] <= 'Z' ? rt->method[k] + 32 : rt->method[k]);
		json_object_set_new(item, lower, op);
	}
	json_t *doc = json_pack(
		"{s:s,s:{s:s,s:s,s:s},s:[{s:s}],s:o,s:{s:{s:{s:s,s:s},s:{s:s,s:s,s:s}},s:{s:{s:s,s:{s:{s:s,s:{s:{s:s},s:{s:s},s:{s:s}}}}}}}}",
		"openapi", "3.0.3", "info", "title", "elevlos API", "version", ELEVLOS_VERSION,
		"description",
		"Every object route answers 404 for objects outside the caller's unit scope. "
		"State-changing calls with a session cookie need the X-CSRF-Token header; calls "
		"with a bearer token do not.",
		"servers", "url", "/", "paths", paths, "components", "securitySchemes", "bearer",
		"type", "http", "scheme", "bearer", "session", "type", "apiKey", "in", "cookie", "name",
		"__Host-elevlos_session", "schemas", "Error", "type", "object", "properties", "error",
		"type", "object", "properties", "status", "type", "integer", "code", "type", "string",
		"message", "type", "string");
	return http_json(r, 200, doc);
}
