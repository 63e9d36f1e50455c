/*
 * Settings: defaults, then a config file (--config or ELEVLOS_CONFIG), then ELEVLOS_*
 * environment variables, then command-line flags; the later wins.
 */
#ifndef ELEVLOS_CONFIG_H
#define ELEVLOS_CONFIG_H

#include <stddef.h>

struct config {
	char db[512];
	char listen[128];
	int plain_http;       /* browser talks plain HTTP to us on loopback: no Secure cookies */
	char log_level[8];
	int threads;
	long max_body;        /* bytes */
	long max_header;      /* bytes of request line + headers per connection */
	int max_connections;
	int max_per_ip;
	int timeout;          /* seconds a connection may be idle */
	int session_idle;     /* seconds */
	int session_absolute; /* seconds */
	int busy_timeout_ms;
	int hash_concurrency;
	long argon2_opslimit;
	long argon2_memlimit; /* bytes */
	int login_max_failures;
	int login_lockout;    /* seconds */
	char key_file[512];   /* "" = the database path + ".key" */
	int guardian_age;     /* below it a guardian gives consent */
	int fnr_rule_2032;    /* accept id numbers under the 2032 check-digit rule */
	int not_seen_days;    /* caseload: highlight students not seen for this many days */
	char sandbox[8];      /* on, log or off (core/sandbox.h) */
	char user[64];        /* account to run as when started as root */
	int retention_days;   /* erase a student this many days after their last case closed */
	char mfa_roles[64];   /* roles that must log in with a second factor: "a,b" or "none" */
	int mfa_pending;      /* seconds from the password to the second factor */
	char config[512];
};

/* Parsed command line: --name value, --name=value and boolean --name. */
struct args {
	int n;
	char name[64][48];
	const char *value[64]; /* NULL for a boolean flag */
	int used[64];
	int npos;
	const char *pos[16]; /* positional words */
};

void config_defaults(struct config *c);
/* Applies file, environment and flags in that order. Returns 0, or -1 with err. */
int config_load(struct config *c, struct args *a, char *err, size_t errsz);
/* Splits argv (after the subcommand words) into flags and positional words. */
int args_parse(struct args *a, int argc, char **argv, const char *const *booleans, char *err,
	       size_t errsz);
const char *args_get(struct args *a, const char *name);
int args_has(struct args *a, const char *name);
/* Returns the first flag nobody asked for, or NULL. */
const char *args_unused(const struct args *a);
/* Prints the shared server and database options for --help texts. */
const char *config_help(void);
/* 1 when role is in mfa_roles: its users must log in with a second factor. */
int config_mfa_required(const struct config *c, const char *role);
/* The key file path: key_file, or the database path with ".key" added. */
void config_key_path(const struct config *c, char *out, size_t outsz);

#endif
