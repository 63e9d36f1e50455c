#include <stdio.h>
#include <unistd.h>

#include "../auth/password.h"
#include "../auth/throttle.h"
#include "../core/log.h"
#include "../core/sandbox.h"
#include "../http/server.h"
#include "../crypto/keyring.h"
#include "../stats/export.h"
#include "cli.h"

int cli_serve_sandbox(const struct config *c, int mode_, int quiet)
{
	const enum sandbox_mode mode = (enum sandbox_mode)mode_;
	char err[512];
	char key[600];
	config_key_path(c, key, sizeof key);
	struct sandbox_paths paths;
	sandbox_serve_paths(c->db, key, &paths);
	struct sandbox_report rep;
	if (sandbox_apply(mode, &paths, &rep, err, sizeof err) < 0) {
		log_event(LOG_ERROR, "sandbox_failed", json_pack("{s:s}", "error", err));
		return cli_fail("sandbox: %s", err);
	}
	if (quiet)
		return 0;
	log_event(LOG_INFO, "sandbox",
		  json_pack("{s:s,s:I,s:I,s:b,s:i,s:b}", "mode", sandbox_mode_name(mode), "uid",
			    (json_int_t)getuid(), "gid", (json_int_t)getgid(), "no_new_privs",
			    rep.no_new_privs, "landlock_abi", rep.landlock_abi, "seccomp", rep.seccomp));
	if (mode != SANDBOX_OFF && rep.landlock_abi == 0)
		log_event(LOG_WARN, "landlock_unavailable",
			  json_pack("{s:s}", "note",
				    "this kernel has no Landlock: file access is limited by the "
				    "account's permissions and the seccomp filter only"));
	return 0;
}

int cmd_serve(int argc, char **argv)
{
	char help[6000];
	snprintf(help, sizeof help,
		 "usage: elevlos serve --db PATH [--listen 127.0.0.1:8080] [options]\n\n"
		 "Serves the web pages and the JSON API. SIGTERM or SIGINT stops taking new\n"
		 "connections, lets requests in flight finish and closes the database cleanly.\n"
		 "Started as root it binds the socket, then switches to --user and sandboxes\n"
		 "itself (--sandbox; 'elevlos sandbox-check' shows what that forbids).\n\n"
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
	enum sandbox_mode mode;
	if (sandbox_parse_mode(c.sandbox, &mode) < 0)
		return cli_fail("--sandbox must be on, log or off");
	if (mode != SANDBOX_OFF)
		sandbox_sqlite_tmpdir();
	char err[512];
	/* Before anything else: never go on as root without an account to switch to. */
	if (sandbox_check_user(c.user, err, sizeof err) < 0)
		return cli_fail("%s", err);
	if (cli_password_init(&c) < 0)
		return 2;
	throttle_init(c.login_max_failures, c.login_lockout);
	struct keyring kr;
	if (cli_load_keyring(&c, &kr) < 0)
		return 2;
	/* Bind (a port below 1024 needs root), drop root, then check the database as the account
	 * that will use it, then sandbox before libmicrohttpd starts a thread. */
	int rc = 2;
	int fd = server_listen(c.listen, err, sizeof err);
	if (fd < 0) {
		log_event(LOG_ERROR, "listen_failed", json_pack("{s:s}", "error", err));
		cli_fail("%s", err);
		goto out;
	}
	if (sandbox_drop_privileges(c.user, err, sizeof err) < 0) {
		cli_fail("%s", err);
		close(fd);
		goto out;
	}
	db_t *db;
	if (cli_open_db(&c, &db) < 0) {
		close(fd);
		goto out;
	}
	db_close(db);
	if (cli_serve_sandbox(&c, mode, 0) != 0) {
		close(fd);
		goto out;
	}
	rc = server_run(&c, &kr, fd);
	report_pdf_cleanup(); /* font caches of PDF exports, once the worker threads are gone */
out:
	keyring_wipe(&kr);
	password_shutdown();
	return rc;
}
