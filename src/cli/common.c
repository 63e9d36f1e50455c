#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../auth/password.h"
#include "../core/log.h"
#include "../crypto/keyring.h"
#include "cli.h"

int cli_fail(const char *fmt, ...)
{
	va_list ap;
	fputs("elevlos: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	return 2;
}

int cli_setup(int argc, char **argv, const char *const *booleans, const char *help,
	      struct args *a, struct config *c)
{
	char err[512];
	static const char *const defaults[] = {"help", NULL};
	const char *const *b = booleans ? booleans : defaults;
	if (args_parse(a, argc, argv, b, err, sizeof err) < 0) {
		cli_fail("%s", err);
		return -1;
	}
	if (args_has(a, "help") || args_has(a, "h")) {
		fputs(help, stdout);
		return 1;
	}
	config_defaults(c);
	if (config_load(c, a, err, sizeof err) < 0) {
		cli_fail("%s", err);
		return -1;
	}
	enum log_level lvl;
	if (log_parse_level(c->log_level, &lvl) < 0) {
		cli_fail("--log-level must be debug, info, warn or error");
		return -1;
	}
	log_set_level(lvl);
	return 0;
}

int cli_open_db(const struct config *c, db_t **db)
{
	char err[512];
	struct db_opts o = {.busy_timeout_ms = c->busy_timeout_ms};
	FILE *f = fopen(c->db, "rb");
	if (!f) {
		cli_fail("no database at %s; create it with 'elevlos init --db %s'", c->db, c->db);
		return -1;
	}
	fclose(f);
	if (db_open(c->db, &o, db, err, sizeof err) != DB_OK) {
		cli_fail("%s", err);
		return -1;
	}
	int v = db_schema_version(*db);
	if (v != DB_SCHEMA_VERSION) {
		if (v > DB_SCHEMA_VERSION)
			cli_fail("database %s has schema version %d, newer than this elevlos (%d); "
				 "use a newer elevlos",
				 c->db, v, DB_SCHEMA_VERSION);
		else
			cli_fail("database %s has schema version %d; run 'elevlos init --db %s' to "
				 "migrate it to %d",
				 c->db, v, c->db, DB_SCHEMA_VERSION);
		db_close(*db);
		*db = NULL;
		return -1;
	}
	return 0;
}

int cli_password_init(const struct config *c)
{
	if (password_init(c->hash_concurrency, (unsigned long long)c->argon2_opslimit,
			  (size_t)c->argon2_memlimit) != 0) {
		cli_fail("cannot initialise password hashing (libsodium)");
		return -1;
	}
	return 0;
}

int cli_read_line(char *out, size_t outsz)
{
	if (!fgets(out, (int)outsz, stdin))
		return -1;
	size_t n = strlen(out);
	if (n && out[n - 1] == '\n')
		out[--n] = '\0';
	else if (n == outsz - 1)
		return -1; /* longer than we take */
	if (n && out[n - 1] == '\r')
		out[--n] = '\0';
	return 0;
}

int cli_load_keyring(const struct config *c, struct keyring *kr)
{
	char path[600], err[700];
	config_key_path(c, path, sizeof path);
	if (keyring_load(path, kr, err, sizeof err) != 0) {
		cli_fail("%s (create it with 'elevlos init')", err);
		return -1;
	}
	return 0;
}

int cli_create_keyring(const struct config *c)
{
	char path[600], err[700];
	config_key_path(c, path, sizeof path);
	FILE *f = fopen(path, "r");
	if (f) {
		fclose(f);
		return 0;
	}
	if (keyring_create(path, err, sizeof err) != 0) {
		cli_fail("%s", err);
		return -1;
	}
	printf("created key file %s: keep it apart from the database and back it up separately\n", path);
	return 0;
}
