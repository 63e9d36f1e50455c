#include <stdio.h>

#include "../crypto/keyring.h"
#include "../demo/demo.h"
#include "cli.h"

int cmd_demo(int argc, char **argv)
{
	static const char help[] =
		"usage: elevlos demo --db PATH\n\n"
		"Creates (or migrates) the database and fills it with the trial's pilots and\n"
		"schools and one demo user per role, whose passwords it prints. For trying\n"
		"elevlos out: never on a production database.\n";
	struct args a;
	struct config c;
	int s = cli_setup(argc, argv, NULL, help, &a, &c);
	if (s)
		return s < 0 ? 2 : 0;
	if (args_unused(&a))
		return cli_fail("demo: unknown option --%s", args_unused(&a));
	char err[512];
	db_t *db;
	struct db_opts o = {.busy_timeout_ms = c.busy_timeout_ms};
	if (db_open(c.db, &o, &db, err, sizeof err) != DB_OK)
		return cli_fail("%s", err);
	if (db_migrate(db, NULL, NULL, err, sizeof err) != DB_OK) {
		db_close(db);
		return cli_fail("%s", err);
	}
	if (cli_create_keyring(&c) < 0 || cli_password_init(&c) < 0) {
		db_close(db);
		return 2;
	}
	struct keyring kr;
	if (cli_load_keyring(&c, &kr) < 0) {
		db_close(db);
		return 2;
	}
	int rc = demo_create(db, &kr, stdout);
	keyring_wipe(&kr);
	db_close(db);
	return rc < 0 ? 1 : 0;
}
