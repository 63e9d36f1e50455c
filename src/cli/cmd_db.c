/* init, backup, audit verify/head, routes. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "../audit/audit.h"
#include "../auth/role.h"
#include "../http/route.h"
#include "cli.h"

int cmd_init(int argc, char **argv)
{
	static const char help[] =
		"usage: elevlos init --db PATH\n\n"
		"Creates the database, or migrates it to this version's schema. Safe to run again.\n"
		"Refuses a database written by a newer elevlos.\n";
	struct args a;
	struct config c;
	int s = cli_setup(argc, argv, NULL, help, &a, &c);
	if (s)
		return s < 0 ? 2 : 0;
	if (args_unused(&a))
		return cli_fail("init: unknown option --%s", args_unused(&a));
	char err[512];
	db_t *db;
	struct db_opts o = {.busy_timeout_ms = c.busy_timeout_ms};
	if (db_open(c.db, &o, &db, err, sizeof err) != DB_OK)
		return cli_fail("%s", err);
	int from = 0, to = 0;
	int rc = db_migrate(db, &from, &to, err, sizeof err);
	db_close(db);
	if (rc != DB_OK)
		return cli_fail("%s", err);
	if (cli_create_keyring(&c) < 0)
		return 2;
	if (from == to)
		printf("database %s is at schema version %d; nothing to do\n", c.db, to);
	else
		printf("database %s migrated from schema version %d to %d\n", c.db, from, to);
	return 0;
}

int cmd_backup(int argc, char **argv)
{
	static const char help[] =
		"usage: elevlos backup --db PATH OUT\n\n"
		"Writes a consistent copy of the database to OUT with SQLite's online backup,\n"
		"also while 'elevlos serve' is running. OUT must not exist.\n";
	struct args a;
	struct config c;
	int s = cli_setup(argc, argv, NULL, help, &a, &c);
	if (s)
		return s < 0 ? 2 : 0;
	if (args_unused(&a))
		return cli_fail("backup: unknown option --%s", args_unused(&a));
	if (a.npos != 1)
		return cli_fail("backup: give one output file (see --help)");
	FILE *f = fopen(a.pos[0], "rb");
	if (f) {
		fclose(f);
		return cli_fail("backup: %s exists; choose a new file", a.pos[0]);
	}
	db_t *db;
	if (cli_open_db(&c, &db) < 0)
		return 2;
	char err[512];
	int rc = db_backup(db, a.pos[0], err, sizeof err);
	db_close(db);
	if (rc != DB_OK) {
		remove(a.pos[0]);
		return cli_fail("%s", err);
	}
	printf("backup of %s written to %s\n", c.db, a.pos[0]);
	return 0;
}

int cmd_audit(int argc, char **argv)
{
	static const char help[] =
		"usage: elevlos audit verify --db PATH [--head SEQ:HASH]\n"
		"       elevlos audit head --db PATH\n\n"
		"verify  checks the hash chain of the access log; exits 1 and names the first bad\n"
		"        row after an edit, deletion, reordering or insertion. With --head (a value\n"
		"        printed earlier by 'audit head' and kept elsewhere) it also finds rows cut\n"
		"        off the end.\n"
		"head    prints the last row's sequence number and hash, to keep outside the database.\n";
	struct args a;
	struct config c;
	int s = cli_setup(argc, argv, NULL, help, &a, &c);
	if (s)
		return s < 0 ? 2 : 0;
	const char *head = args_get(&a, "head");
	if (args_unused(&a))
		return cli_fail("audit: unknown option --%s", args_unused(&a));
	if (a.npos != 1 || (strcmp(a.pos[0], "verify") != 0 && strcmp(a.pos[0], "head") != 0))
		return cli_fail("audit: say 'verify' or 'head' (see --help)");
	db_t *db;
	if (cli_open_db(&c, &db) < 0)
		return 2;
	struct audit_verdict v;
	int rc = audit_verify(db, !strcmp(a.pos[0], "verify") ? head : NULL, &v);
	db_close(db);
	if (rc == DB_INVALID)
		return cli_fail("%s", v.reason);
	if (!strcmp(a.pos[0], "head")) {
		if (!v.ok) {
			fprintf(stderr, "elevlos: the chain is broken at row %lld (%s); no head printed\n",
				(long long)v.bad_seq, v.reason);
			return 1;
		}
		printf("%lld:%s\n", (long long)v.rows, v.head);
		return 0;
	}
	if (!v.ok) {
		printf("FAILED: first bad row %lld: %s\n", (long long)v.bad_seq, v.reason);
		return 1;
	}
	printf("ok: %lld rows, head %lld:%s\n", (long long)v.rows, (long long)v.rows, v.head);
	return 0;
}

int cmd_routes(int argc, char **argv)
{
	static const char help[] = "usage: elevlos routes [--format json|text]\n\n"
				   "Prints the route table: method, path, roles, object, CSRF.\n";
	struct args a;
	struct config c;
	int s = cli_setup(argc, argv, NULL, help, &a, &c);
	if (s)
		return s < 0 ? 2 : 0;
	const char *fmt = args_get(&a, "format");
	if (args_unused(&a))
		return cli_fail("routes: unknown option --%s", args_unused(&a));
	int json = fmt && !strcmp(fmt, "json");
	json_t *arr = json_array();
	for (int i = 0; i < routes_count; i++) {
		const struct route *rt = &routes[i];
		json_t *roles = json_array();
		for (unsigned b = 1; b <= ROLE_ADMIN; b <<= 1)
			if (rt->roles & b)
				json_array_append_new(roles, json_string(role_name(b)));
		json_t *keys = json_array();
		for (int k = 0; k < KEY__MAX; k++)
			if (rt->keys & K(k))
				json_array_append_new(keys, json_string(form_keys[k].name));
		static const char *const objs[] = {"none", "unit", "account", "pilot", "student", "case",
						   "contact", "decision", "measure", "referral"};
		_Static_assert(sizeof objs / sizeof objs[0] == OBJ_REFERRAL + 1, "a name per object kind");
		json_array_append_new(arr, json_pack("{s:s,s:s,s:o,s:s,s:b,s:b,s:o}", "method",
						     rt->method, "path", rt->path, "roles", roles,
						     "object", objs[rt->obj], "csrf", rt->csrf, "api",
						     route_is_api(rt), "keys", keys));
		if (!json)
			printf("%-5s %-36s %s\n", rt->method, rt->path, rt->summary);
	}
	if (json) {
		char *out = json_dumps(arr, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
		puts(out);
		free(out);
	}
	json_decref(arr);
	return 0;
}
