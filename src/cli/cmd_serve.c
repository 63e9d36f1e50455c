#include <stdio.h>

#include "../auth/password.h"
#include "../auth/throttle.h"
#include "../http/server.h"
#include "../crypto/keyring.h"
#include "../stats/export.h"
#include "cli.h"

int cmd_serve(int argc, char **argv)
{
	char help[6000];
	snprintf(help, sizeof help,
		 "usage: elevlos serve --db PATH [--listen 127.0.0.1:8080] [options]\n\n"
		 "Serves the web pages and the JSON API. SIGTERM or SIGINT stops taking new\n"
		 "connections, lets requests in flight finish and closes the database cleanly.\n\n"
		 "Options (also ELEVLOS_<NAME> in the environment or 'name = value' in --config):\n%s",
		 config_help());
	struct args a;
	struct config c;
	int s = cli_setup(argc, argv, NULL, help, &a, &c);
	if (s)
		return s < 0 ? 2 : 0;
	if (args_unused(&a))
		return cli_fail("serve: unknown option --%s", args_unused(&a));
	if (a.npos)
		return cli_fail("serve: unexpected argument '%s'", a.pos[0]);
	db_t *db;
	if (cli_open_db(&c, &db) < 0)
		return 2;
	db_close(db);
	if (cli_password_init(&c) < 0)
		return 2;
	throttle_init(c.login_max_failures, c.login_lockout);
	struct keyring kr;
	if (cli_load_keyring(&c, &kr) < 0)
		return 2;
	int rc = server_run(&c, &kr);
	report_pdf_cleanup(); /* font caches of PDF exports, once the worker threads are gone */
	keyring_wipe(&kr);
	password_shutdown();
	return rc;
}
