/* user, token and unit subcommands: what an operator does from the shell. */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "../admin/account.h"
#include "../admin/unit.h"
#include "../auth/mfa.h"
#include "../auth/token.h"
#include "../http/form.h"
#include "../i18n/i18n.h"
#include "cli.h"

static int outcome_exit(struct outcome o, const char *done)
{
	if (o.status >= 400)
		return cli_fail("%s", T("en", o.msg));
	puts(done);
	return 0;
}

static int need(struct args *a, const char *name, validator_fn valid, const char **out)
{
	*out = args_get(a, name);
	if (!*out || !**out) {
		cli_fail("--%s is required (see --help)", name);
		return -1;
	}
	if (valid && !valid(*out, strlen(*out))) {
		cli_fail("--%s: not a valid value", name);
		return -1;
	}
	return 0;
}

struct list_ctx {
	int json;
	json_t *arr;
};

static int print_account(const struct account *acc, void *ctx)
{
	struct list_ctx *l = ctx;
	if (l->json)
		json_array_append_new(l->arr, json_pack("{s:s,s:s,s:s,s:b}", "username", acc->username,
							"role", acc->role, "unit", acc->unit_code,
							"disabled", acc->disabled));
	else
		printf("%-24s %-11s %-16s %s\n", acc->username, acc->role, acc->unit_code,
		       acc->disabled ? "disabled" : "active");
	return 0;
}

static int read_password(char *pw, size_t n)
{
	if (cli_read_line(pw, n) < 0 || !*pw)
		return cli_fail("expected the password on standard input (--password-stdin)");
	return 0;
}

/* The second factor removed and the reset in the access log, together. */
static int mfa_reset_cli(db_t *db, const struct account *acc)
{
	char obj[100];
	snprintf(obj, sizeof obj, "user:%s", acc->username);
	if (db_begin(db) != DB_OK)
		return cli_fail("the database is busy: %s", db_errmsg(db));
	if (mfa_reset(db, acc->id) != MFA_OK || actor_audit(db, &actor_cli, "mfa_reset", obj, "second factor reset") != DB_OK ||
	    db_commit(db) != DB_OK) {
		db_rollback(db);
		return cli_fail("cannot reset the second factor: %s", db_errmsg(db));
	}
	puts("second factor removed; the user sets it up again at the next login");
	return 0;
}

int cmd_user(int argc, char **argv)
{
	static const char help[] =
		"usage: elevlos user add --db PATH --username NAME --role ROLE --unit CODE [--directorate avdir|udir]\n"
		"                        --password-stdin\n"
		"       elevlos user list --db PATH [--format json]\n"
		"       elevlos user disable --db PATH --username NAME\n"
		"       elevlos user passwd --db PATH --username NAME --password-stdin\n"
		"       elevlos user mfa-reset --db PATH --username NAME\n\n"
		"ROLE is veileder, radgiver, leder, analytiker or admin; an analyst's --directorate is\n"
		"shown beside what they write in pilots' reports. Passwords have at least\n"
		"12 characters and are read from standard input, never from the command line.\n"
		"Disabling a user or changing a password ends the user's sessions at once.\n"
		"mfa-reset removes a user's second factor (a lost phone) and recovery codes: at the\n"
		"next login they set up two-factor login anew. It is written to the access log.\n";
	static const char *const booleans[] = {"help", "password-stdin", NULL};
	struct args a;
	struct config c;
	int s = cli_setup(argc, argv, booleans, help, &a, &c);
	if (s)
		return s < 0 ? 2 : 0;
	if (a.npos != 1)
		return cli_fail("user: say add, list, disable, passwd or mfa-reset (see --help)");
	const char *sub = a.pos[0], *username = NULL, *role = NULL, *unit = NULL;
	const char *fmt = args_get(&a, "format"), *directorate = args_get(&a, "directorate");
	int stdin_pw = args_has(&a, "password-stdin");
	int rc = 0;
	if (!strcmp(sub, "add")) {
		if (need(&a, "username", valid_username, &username) || need(&a, "role", valid_role, &role) ||
		    need(&a, "unit", valid_code, &unit))
			return 2;
	} else if (!strcmp(sub, "disable") || !strcmp(sub, "passwd") || !strcmp(sub, "mfa-reset")) {
		if (need(&a, "username", valid_username, &username))
			return 2;
	} else if (strcmp(sub, "list") != 0) {
		return cli_fail("user: unknown subcommand '%s'", sub);
	}
	if (args_unused(&a))
		return cli_fail("user: unknown option --%s", args_unused(&a));
	if ((!strcmp(sub, "add") || !strcmp(sub, "passwd")) && !stdin_pw)
		return cli_fail("user %s: give the password on standard input with --password-stdin", sub);
	db_t *db;
	if (cli_open_db(&c, &db) < 0)
		return 2;
	char pw[1100];
	if (!strcmp(sub, "add")) {
		if ((rc = read_password(pw, sizeof pw)) == 0 && (rc = cli_password_init(&c) ? 2 : 0) == 0)
			rc = outcome_exit(account_create_in(db, &actor_cli, username, role, unit, pw,
							    directorate),
					  "user added");
	} else if (!strcmp(sub, "list")) {
		struct list_ctx l = {fmt && !strcmp(fmt, "json"), json_array()};
		if (db_account_list(db, "/", print_account, &l) != DB_OK)
			rc = cli_fail("cannot list users: %s", db_errmsg(db));
		if (l.json && !rc) {
			char *out = json_dumps(l.arr, JSON_INDENT(1));
			puts(out);
			free(out);
		}
		json_decref(l.arr);
	} else {
		struct account acc;
		int g = db_account_get(db, username, &acc);
		if (g != DB_OK)
			rc = cli_fail("no user '%s'", username);
		else if (!strcmp(sub, "mfa-reset"))
			rc = mfa_reset_cli(db, &acc);
		else if (!strcmp(sub, "disable"))
			rc = outcome_exit(account_disable(db, &actor_cli, &acc),
					  "user disabled; their sessions have ended");
		else if ((rc = read_password(pw, sizeof pw)) == 0 &&
			 (rc = cli_password_init(&c) ? 2 : 0) == 0)
			rc = outcome_exit(account_set_password(db, &actor_cli, &acc, pw),
					  "password changed; the user's sessions have ended");
	}
	sodium_memzero(pw, sizeof pw);
	db_close(db);
	return rc;
}

int cmd_token(int argc, char **argv)
{
	static const char help[] =
		"usage: elevlos token create --db PATH --username NAME [--label TEXT]\n\n"
		"Prints a new API token for 'Authorization: Bearer TOKEN'. Only its hash is\n"
		"stored: keep the printed token, it cannot be shown again.\n";
	struct args a;
	struct config c;
	int s = cli_setup(argc, argv, NULL, help, &a, &c);
	if (s)
		return s < 0 ? 2 : 0;
	const char *username, *label = args_get(&a, "label");
	if (a.npos != 1 || strcmp(a.pos[0], "create") != 0)
		return cli_fail("token: say 'create' (see --help)");
	if (need(&a, "username", valid_username, &username))
		return 2;
	if (args_unused(&a))
		return cli_fail("token: unknown option --%s", args_unused(&a));
	if (label && !valid_text_line(label, strlen(label)))
		return cli_fail("--label: text on one line");
	db_t *db;
	if (cli_open_db(&c, &db) < 0)
		return 2;
	struct account acc;
	int rc = 0;
	if (db_account_get(db, username, &acc) != DB_OK || acc.disabled) {
		rc = cli_fail("no active user '%s'", username);
	} else {
		char tok[64];
		unsigned char h[32];
		token_random(tok, sizeof tok, API_TOKEN_BYTES);
		token_hash(tok, h);
		char obj[80];
		snprintf(obj, sizeof obj, "user:%s", username);
		if (db_begin(db) != DB_OK || db_token_insert(db, h, acc.id, label ? label : "", now_utc()) != DB_OK ||
		    actor_audit(db, &actor_cli, "token_create", obj, "API access") != DB_OK ||
		    db_commit(db) != DB_OK) {
			db_rollback(db);
			rc = cli_fail("cannot store the token: %s", db_errmsg(db));
		} else {
			puts(tok);
		}
		sodium_memzero(tok, sizeof tok);
	}
	db_close(db);
	return rc;
}

static int print_unit(const struct unit *u, void *ctx)
{
	struct list_ctx *l = ctx;
	if (l->json) {
		json_t *j = json_pack("{s:s,s:s,s:s,s:s}", "code", u->code, "name", u->name, "kind",
				      u->kind, "parent", u->parent_code);
		json_object_set_new(j, "valid_from", u->valid_from ? json_integer(u->valid_from) : json_null());
		json_object_set_new(j, "valid_to", u->valid_to ? json_integer(u->valid_to) : json_null());
		json_array_append_new(l->arr, j);
	} else {
		printf("%-16s %-10s %-16s %s\n", u->code, u->kind, u->parent_code, u->name);
	}
	return 0;
}

int cmd_unit(int argc, char **argv)
{
	static const char help[] =
		"usage: elevlos unit add --db PATH --code CODE --name NAME\n"
		"                        --kind county|pilot|school|nav_office --parent CODE\n"
		"       elevlos unit list --db PATH [--format json|text]\n\n"
		"Units form the tree nation (NO) -> county -> pilot -> school / NAV office.\n"
		"Counties across the 2018, 2020 and 2024 reforms come with the database.\n";
	struct args a;
	struct config c;
	int s = cli_setup(argc, argv, NULL, help, &a, &c);
	if (s)
		return s < 0 ? 2 : 0;
	if (a.npos != 1)
		return cli_fail("unit: say add or list (see --help)");
	const char *code = NULL, *name = NULL, *kind = NULL, *parent = NULL;
	const char *fmt = args_get(&a, "format");
	if (!strcmp(a.pos[0], "add")) {
		if (need(&a, "code", valid_code, &code) || need(&a, "name", valid_text_line, &name) ||
		    need(&a, "kind", valid_unit_kind, &kind) || need(&a, "parent", valid_code, &parent))
			return 2;
	} else if (strcmp(a.pos[0], "list") != 0) {
		return cli_fail("unit: unknown subcommand '%s'", a.pos[0]);
	}
	if (args_unused(&a))
		return cli_fail("unit: unknown option --%s", args_unused(&a));
	db_t *db;
	if (cli_open_db(&c, &db) < 0)
		return 2;
	int rc = 0;
	if (code) {
		rc = outcome_exit(unit_create(db, &actor_cli, code, name, kind, parent), "unit added");
	} else {
		struct list_ctx l = {fmt && !strcmp(fmt, "json"), json_array()};
		if (db_unit_list(db, "/", print_unit, &l) != DB_OK)
			rc = cli_fail("cannot list units: %s", db_errmsg(db));
		if (l.json && !rc) {
			char *out = json_dumps(l.arr, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
			puts(out);
			free(out);
		}
		json_decref(l.arr);
	}
	db_close(db);
	return rc;
}
