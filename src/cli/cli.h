/* Subcommands of the elevlos binary. Each takes the words after its name. */
#ifndef ELEVLOS_CLI_H
#define ELEVLOS_CLI_H

#include "../core/config.h"
#include "../db/db.h"

int cmd_init(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_token(int argc, char **argv);
int cmd_unit(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_routes(int argc, char **argv);

/* Shared: parse flags + config, handle --help; returns -1 on error (message printed),
 * 1 when help was printed, 0 to go on. */
int cli_setup(int argc, char **argv, const char *const *booleans, const char *help,
	      struct args *a, struct config *c);
/* Opens the database and checks its schema is the one this binary writes. */
int cli_open_db(const struct config *c, db_t **db);
/* Initialises password hashing from the config. */
int cli_password_init(const struct config *c);
/* Reads one line (a password) from standard input without its newline. */
int cli_read_line(char *out, size_t outsz);
struct keyring;
/* Loads the key file named by the config; creates it first when create is set and it is missing. */
int cli_load_keyring(const struct config *c, struct keyring *kr);
int cli_create_keyring(const struct config *c);
int cmd_key(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_release(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_evaluate(int argc, char **argv);
int cmd_export(int argc, char **argv);
/* import schools|udir and pilot-school (cmd_udir.c) */
int cmd_import_eval(int argc, char **argv);
int cmd_pilot_school(int argc, char **argv);
int cmd_sandbox_check(int argc, char **argv);
/* Applies serve's sandbox (mode: enum sandbox_mode) for the config's database and key file, after
 * privileges were dropped; logs what it applied unless quiet. 0, or 2 with a message printed. */
int cli_serve_sandbox(const struct config *c, int mode, int quiet);
/* elevlos retention run (cmd_retention.c) */
int cmd_retention(int argc, char **argv);
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
