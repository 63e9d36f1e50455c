/* Unit tests for src/core/config.c: defaults, command-line parsing and setting precedence. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"

extern char **environ;

struct fx {
	char dir[64];
	char file[96];
	struct config c;
	struct args a;
	char err[512];
};

/* Removes every ELEVLOS_* variable, so the caller's environment cannot leak into a test. */
static void clear_env(void)
{
	char names[64][64];
	int n = 0;
	for (char **e = environ; e && *e && n < 64; e++) {
		const char *eq = strchr(*e, '=');
		if (strncmp(*e, "ELEVLOS_", 8) == 0 && eq && (size_t)(eq - *e) < sizeof names[0]) {
			memcpy(names[n], *e, (size_t)(eq - *e));
			names[n][eq - *e] = '\0';
			n++;
		}
	}
	for (int i = 0; i < n; i++)
		unsetenv(names[i]);
}

static int fx_setup(void **state)
{
	struct fx *x = calloc(1, sizeof *x);
	if (!x)
		return -1;
	snprintf(x->dir, sizeof x->dir, "/tmp/elevlos-config-XXXXXX");
	if (!mkdtemp(x->dir))
		return -1;
	snprintf(x->file, sizeof x->file, "%s/elevlos.conf", x->dir);
	clear_env();
	config_defaults(&x->c);
	*state = x;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *x = *state;
	clear_env();
	unlink(x->file);
	rmdir(x->dir);
	free(x);
	return 0;
}

static void write_file(struct fx *x, const char *text)
{
	FILE *f = fopen(x->file, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

/* Parses argv (NULL-terminated) into x->a; returns args_parse's result. */
static int parse(struct fx *x, char **argv, const char *const *booleans)
{
	int argc = 0;
	while (argv[argc])
		argc++;
	x->err[0] = '\0';
	return args_parse(&x->a, argc, argv, booleans, x->err, sizeof x->err);
}

static int load(struct fx *x)
{
	x->err[0] = '\0';
	return config_load(&x->c, &x->a, x->err, sizeof x->err);
}

/* The documented defaults: safe loopback listener, 4 threads, interactive argon2 settings. */
static void defaults(void **state)
{
	struct fx *x = *state;
	memset(&x->c, 0x5a, sizeof x->c);
	config_defaults(&x->c);
	assert_string_equal(x->c.db, "elevlos.db");
	assert_string_equal(x->c.listen, "127.0.0.1:8080");
	assert_string_equal(x->c.log_level, "info");
	assert_int_equal(x->c.plain_http, 0);
	assert_int_equal(x->c.threads, 4);
	assert_int_equal(x->c.max_body, 1L << 20);
	assert_int_equal(x->c.max_header, 32L << 10);
	assert_int_equal(x->c.max_connections, 256);
	assert_int_equal(x->c.max_per_ip, 32);
	assert_int_equal(x->c.timeout, 30);
	assert_int_equal(x->c.session_idle, 1800);
	assert_int_equal(x->c.session_absolute, 43200);
	assert_int_equal(x->c.busy_timeout_ms, 5000);
	assert_int_equal(x->c.hash_concurrency, 2);
	assert_int_equal(x->c.argon2_opslimit, 2);
	assert_int_equal(x->c.argon2_memlimit, 64L << 20);
	assert_int_equal(x->c.login_max_failures, 5);
	assert_int_equal(x->c.login_lockout, 900);
	assert_string_equal(x->c.config, "");
}

/* "--db x", "--db=x", a boolean flag and positional words are told apart. */
static void args_forms(void **state)
{
	struct fx *x = *state;
	char *argv[] = {"--db", "x.db", "--listen=1.2.3.4:80", "--plain-http", "serve", "extra",
			"--threads=", NULL};
	assert_int_equal(parse(x, argv, NULL), 0);
	assert_int_equal(x->a.n, 4);
	assert_string_equal(x->a.name[0], "db");
	assert_string_equal(x->a.value[0], "x.db");
	assert_string_equal(x->a.name[1], "listen");
	assert_string_equal(x->a.value[1], "1.2.3.4:80");
	assert_string_equal(x->a.name[2], "plain-http");
	assert_null(x->a.value[2]);
	assert_string_equal(x->a.value[3], "");
	assert_int_equal(x->a.npos, 2);
	assert_string_equal(x->a.pos[0], "serve");
	assert_string_equal(x->a.pos[1], "extra");

	assert_string_equal(args_get(&x->a, "db"), "x.db");
	assert_string_equal(args_get(&x->a, "plain_http"), ""); /* '_' and '-' are the same */
	assert_true(args_has(&x->a, "listen"));
	assert_false(args_has(&x->a, "log-level"));
	assert_null(args_get(&x->a, "d"));
	assert_null(args_get(&x->a, "dbx"));
}

/* A caller-listed boolean takes no value; "--" alone and "-x" are positional words. */
static void args_booleans_and_words(void **state)
{
	struct fx *x = *state;
	static const char *const booleans[] = {"force", "json", NULL};
	char *argv[] = {"--force", "users", "--", "-x", "--json", NULL};
	assert_int_equal(parse(x, argv, booleans), 0);
	assert_int_equal(x->a.n, 2);
	assert_null(x->a.value[0]);
	assert_null(x->a.value[1]);
	assert_int_equal(x->a.npos, 3);
	assert_string_equal(x->a.pos[0], "users");
	assert_string_equal(x->a.pos[1], "--");
	assert_string_equal(x->a.pos[2], "-x");
	assert_true(args_has(&x->a, "force"));
}

/* A flag that needs a value but is last on the line is an error naming the flag. */
static void args_missing_value(void **state)
{
	struct fx *x = *state;
	char *argv[] = {"serve", "--db", NULL};
	assert_int_equal(parse(x, argv, NULL), -1);
	assert_non_null(strstr(x->err, "--db"));
	char *argv2[] = {"--threads", NULL};
	assert_int_equal(parse(x, argv2, NULL), -1);
	assert_non_null(strstr(x->err, "threads"));
}

/* The file sets values; "#" lines and blank lines are skipped; the path is remembered. */
static void load_file_only(void **state)
{
	struct fx *x = *state;
	write_file(x, "threads = 3\nlisten = 127.0.0.1:9999\n# comment\n\n   \nplain-http = yes\n");
	char *argv[] = {"--config", x->file, NULL};
	assert_int_equal(parse(x, argv, NULL), 0);
	assert_int_equal(load(x), 0);
	assert_int_equal(x->c.threads, 3);
	assert_string_equal(x->c.listen, "127.0.0.1:9999");
	assert_int_equal(x->c.plain_http, 1);
	assert_string_equal(x->c.config, x->file);
	assert_string_equal(x->c.db, "elevlos.db"); /* untouched settings keep their default */
	assert_null(args_unused(&x->a));
}

/* Precedence: flag over environment over file over default. */
static void load_precedence(void **state)
{
	struct fx *x = *state;
	write_file(x, "threads = 3\nlisten = 127.0.0.1:9999\n# comment\n");

	setenv("ELEVLOS_THREADS", "5", 1);
	char *with_flag[] = {"--config", x->file, "--threads", "7", NULL};
	assert_int_equal(parse(x, with_flag, NULL), 0);
	assert_int_equal(load(x), 0);
	assert_int_equal(x->c.threads, 7);
	assert_string_equal(x->c.listen, "127.0.0.1:9999");

	config_defaults(&x->c);
	char *no_flag[] = {"--config", x->file, NULL};
	assert_int_equal(parse(x, no_flag, NULL), 0);
	assert_int_equal(load(x), 0);
	assert_int_equal(x->c.threads, 5);

	config_defaults(&x->c);
	unsetenv("ELEVLOS_THREADS");
	assert_int_equal(parse(x, no_flag, NULL), 0);
	assert_int_equal(load(x), 0);
	assert_int_equal(x->c.threads, 3);

	config_defaults(&x->c);
	char *none[] = {NULL};
	assert_int_equal(parse(x, none, NULL), 0);
	assert_int_equal(load(x), 0);
	assert_int_equal(x->c.threads, 4);
}

/* ELEVLOS_CONFIG names the file when --config is not given; --config wins over it. */
static void load_config_from_env(void **state)
{
	struct fx *x = *state;
	write_file(x, "threads = 3\n");
	setenv("ELEVLOS_CONFIG", x->file, 1);
	char *none[] = {NULL};
	assert_int_equal(parse(x, none, NULL), 0);
	assert_int_equal(load(x), 0);
	assert_int_equal(x->c.threads, 3);

	config_defaults(&x->c);
	setenv("ELEVLOS_CONFIG", "/nonexistent/elevlos.conf", 1);
	char *argv[] = {"--config", x->file, NULL};
	assert_int_equal(parse(x, argv, NULL), 0);
	assert_int_equal(load(x), 0);
	assert_int_equal(x->c.threads, 3);
}

/* Environment names are ELEVLOS_ + upper case; "--max-body=" style flags map to max_body. */
static void load_env_and_dashed_flags(void **state)
{
	struct fx *x = *state;
	setenv("ELEVLOS_PLAIN_HTTP", "true", 1);
	setenv("ELEVLOS_LOG_LEVEL", "debug", 1);
	char *argv[] = {"--max-body=2048", "--login-max-failures", "9", "--db", "/var/lib/x.db", NULL};
	assert_int_equal(parse(x, argv, NULL), 0);
	assert_int_equal(load(x), 0);
	assert_int_equal(x->c.plain_http, 1);
	assert_string_equal(x->c.log_level, "debug");
	assert_int_equal(x->c.max_body, 2048);
	assert_int_equal(x->c.login_max_failures, 9);
	assert_string_equal(x->c.db, "/var/lib/x.db");
}

/* An unknown key in the file is an error naming the file and the line. */
static void load_unknown_key(void **state)
{
	struct fx *x = *state;
	write_file(x, "threads = 3\n# fine\nbogus = 1\n");
	char *argv[] = {"--config", x->file, NULL};
	assert_int_equal(parse(x, argv, NULL), 0);
	assert_int_equal(load(x), -1);
	char where[128];
	snprintf(where, sizeof where, "%s:3", x->file);
	if (!strstr(x->err, where) || !strstr(x->err, "bogus"))
		fail_msg("error does not name %s and the key: %s", where, x->err);
}

/* A line without '=' and a "config" key inside the file are errors too. */
static void load_bad_lines(void **state)
{
	struct fx *x = *state;
	char *argv[] = {"--config", x->file, NULL};
	write_file(x, "threads 3\n");
	assert_int_equal(parse(x, argv, NULL), 0);
	assert_int_equal(load(x), -1);
	assert_non_null(strstr(x->err, ":1"));

	write_file(x, "config = /etc/other.conf\n");
	assert_int_equal(parse(x, argv, NULL), 0);
	assert_int_equal(load(x), -1);

	write_file(x, "plain_http = maybe\n");
	assert_int_equal(parse(x, argv, NULL), 0);
	assert_int_equal(load(x), -1);
}

/* A missing config file is an error, not silently the defaults. */
static void load_missing_file(void **state)
{
	struct fx *x = *state;
	char *argv[] = {"--config", "/nonexistent/elevlos.conf", NULL};
	assert_int_equal(parse(x, argv, NULL), 0);
	assert_int_equal(load(x), -1);
	assert_non_null(strstr(x->err, "/nonexistent/elevlos.conf"));
}

/* Numbers outside their range or not whole numbers are refused, from any source. */
static void load_out_of_range(void **state)
{
	struct fx *x = *state;
	static const char *const flag_vals[] = {"0", "65", "-1", "abc", "5x", "", "99999999999999999999", "3.5"};
	for (size_t i = 0; i < sizeof flag_vals / sizeof flag_vals[0]; i++) {
		config_defaults(&x->c);
		char *argv[] = {"--threads", (char *)flag_vals[i], NULL};
		assert_int_equal(parse(x, argv, NULL), 0);
		if (load(x) != -1)
			fail_msg("--threads '%s' accepted", flag_vals[i]);
		assert_non_null(strstr(x->err, "threads"));
	}
	/* Bounds themselves are fine. */
	char *lo[] = {"--threads", "1", NULL}, *hi[] = {"--threads=64", NULL};
	assert_int_equal(parse(x, lo, NULL), 0);
	assert_int_equal(load(x), 0);
	assert_int_equal(x->c.threads, 1);
	assert_int_equal(parse(x, hi, NULL), 0);
	assert_int_equal(load(x), 0);
	assert_int_equal(x->c.threads, 64);

	char *none[] = {NULL};
	setenv("ELEVLOS_THREADS", "0", 1);
	assert_int_equal(parse(x, none, NULL), 0);
	assert_int_equal(load(x), -1);
	assert_non_null(strstr(x->err, "ELEVLOS_THREADS"));
	unsetenv("ELEVLOS_THREADS");

	write_file(x, "argon2_memlimit = 1024\n");
	char *argv[] = {"--config", x->file, NULL};
	assert_int_equal(parse(x, argv, NULL), 0);
	assert_int_equal(load(x), -1);
	assert_non_null(strstr(x->err, ":1"));
}

/* A string longer than its field is refused, not truncated. */
static void load_string_too_long(void **state)
{
	struct fx *x = *state;
	char longdb[700];
	memset(longdb, 'd', sizeof longdb - 1);
	longdb[sizeof longdb - 1] = '\0';
	char *argv[] = {"--db", longdb, NULL};
	assert_int_equal(parse(x, argv, NULL), 0);
	assert_int_equal(load(x), -1);
	assert_string_equal(x->c.db, "elevlos.db");
}

/* A flag nobody knows is reported by args_unused after loading. */
static void unused_flag_reported(void **state)
{
	struct fx *x = *state;
	char *argv[] = {"--threads", "7", "--bogus", "1", "--db=x.db", NULL};
	assert_int_equal(parse(x, argv, NULL), 0);
	assert_int_equal(load(x), 0);
	assert_non_null(args_unused(&x->a));
	assert_string_equal(args_unused(&x->a), "bogus");
	args_get(&x->a, "bogus"); /* a subcommand asking for it marks it used */
	assert_null(args_unused(&x->a));
}

/* The help text lists the flags with dashes. */
static void help_lists_flags(void **state)
{
	(void)state;
	const char *h = config_help();
	assert_non_null(strstr(h, "--db "));
	assert_non_null(strstr(h, "--plain-http"));
	assert_non_null(strstr(h, "--login-max-failures"));
	assert_null(strstr(h, "--plain_http"));
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, fx_setup, fx_teardown)
	const struct CMUnitTest tests[] = {
		T(defaults),
		T(args_forms),
		T(args_booleans_and_words),
		T(args_missing_value),
		T(load_file_only),
		T(load_precedence),
		T(load_config_from_env),
		T(load_env_and_dashed_flags),
		T(load_unknown_key),
		T(load_bad_lines),
		T(load_missing_file),
		T(load_out_of_range),
		T(load_string_too_long),
		T(unused_flag_reported),
		cmocka_unit_test(help_lists_flags),
	};
#undef T
	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
