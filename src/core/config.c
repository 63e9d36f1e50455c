#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

enum type { T_STR, T_INT, T_LONG, T_BOOL };

struct opt {
	const char *name; /* flag and file key; env is ELEVLOS_ + upper case, '-' → '_' */
	enum type type;
	size_t off;
	size_t size; /* for strings */
	long min, max;
	const char *help;
};

#define S(f, h) {#f, T_STR, offsetof(struct config, f), sizeof(((struct config *)0)->f), 0, 0, h}
#define I(f, lo, hi, h) {#f, T_INT, offsetof(struct config, f), 0, lo, hi, h}
#define L(f, lo, hi, h) {#f, T_LONG, offsetof(struct config, f), 0, lo, hi, h}
#define B(f, h) {#f, T_BOOL, offsetof(struct config, f), 0, 0, 1, h}

static const struct opt opts[] = {
	S(db, "database file"),
	S(listen, "address:port to serve on"),
	B(plain_http, "browsers reach us over plain HTTP on loopback (no Secure cookies)"),
	S(log_level, "debug, info, warn or error"),
	I(threads, 1, 64, "worker threads"),
	L(max_body, 1024, 64L << 20, "largest request body in bytes"),
	L(max_header, 4096, 1L << 20, "memory per connection for request line and headers"),
	I(max_connections, 1, 10000, "open connections at most"),
	I(max_per_ip, 1, 10000, "open connections per client address at most"),
	I(timeout, 1, 3600, "seconds an idle connection is kept"),
	I(session_idle, 1, 86400, "seconds of inactivity before a session ends"),
	I(session_absolute, 1, 7L * 86400, "seconds after login a session ends regardless"),
	I(busy_timeout_ms, 1, 600000, "milliseconds to wait for the database write lock"),
	I(hash_concurrency, 1, 64, "password hashes computed at once at most"),
	L(argon2_opslimit, 1, 16, "argon2id passes"),
	L(argon2_memlimit, 8192, 1L << 30, "argon2id memory in bytes"),
	I(login_max_failures, 1, 1000, "failed logins per account or address before a pause"),
	I(login_lockout, 1, 86400, "seconds of that pause"),
	S(key_file, "key file for names, id numbers and notes (default: the database path + .key)"),
	I(guardian_age, 12, 18, "below this age a guardian gives consent (the controller confirms it)"),
	B(fnr_rule_2032, "accept id numbers under the 2032 check-digit rule"),
	I(not_seen_days, 1, 365, "caseload: highlight students not seen for this many days"),
	S(sandbox, "on (default), log or off: no_new_privs, Landlock and the seccomp allow-list"),
	S(user, "account to run as when started as root (required then)"),
	I(retention_days, 1, 3650, "retention run: erase a student this many days after their last case closed"),
	S(mfa_roles, "roles that must log in with a second factor (comma-separated, or none)"),
	I(mfa_pending, 1, 3600, "seconds from the password to the second factor before login starts over"),
	S(config, "config file of 'key = value' lines"),
};

void config_defaults(struct config *c)
{
	memset(c, 0, sizeof *c);
	snprintf(c->db, sizeof c->db, "elevlos.db");
	snprintf(c->listen, sizeof c->listen, "127.0.0.1:8080");
	snprintf(c->log_level, sizeof c->log_level, "info");
	c->threads = 4;
	c->max_body = 1L << 20;
	c->max_header = 32L << 10;
	c->max_connections = 256;
	c->max_per_ip = 32;
	c->timeout = 30;
	c->session_idle = 30 * 60;
	c->session_absolute = 12 * 60 * 60;
	c->busy_timeout_ms = 5000;
	c->hash_concurrency = 2;
	c->argon2_opslimit = 2;          /* libsodium's OPSLIMIT_INTERACTIVE */
	c->argon2_memlimit = 64L << 20; /* MEMLIMIT_INTERACTIVE */
	c->login_max_failures = 5;
	c->login_lockout = 15 * 60;
	c->guardian_age = 16;
	c->not_seen_days = 14;
	snprintf(c->sandbox, sizeof c->sandbox, "on");
	/* Two years: the rest of the school year the case closed in, the next year's statistics
	 * release and annual report, and a student coming back the next school year (docs/privacy.md;
	 * the controller confirms it). */
	c->retention_days = 730;
	snprintf(c->mfa_roles, sizeof c->mfa_roles, "veileder,leder,analytiker");
	c->mfa_pending = 5 * 60;
}

static const char *const role_names[] = {"veileder", "radgiver", "leder", "analytiker", "admin"};

/* Each comma-separated word of list, with its length, to f; stops at the first non-zero. */
static int each_word(const char *list, int (*f)(const char *w, size_t n, const void *ctx), const void *ctx)
{
	const char *p = list;
	while (*p) {
		while (*p == ' ' || *p == ',')
			p++;
		const char *e = p;
		while (*e && *e != ',' && *e != ' ')
			e++;
		if (e > p) {
			int rc = f(p, (size_t)(e - p), ctx);
			if (rc)
				return rc;
		}
		p = e;
	}
	return 0;
}

static int word_is(const char *w, size_t n, const void *ctx)
{
	const char *want = ctx;
	return strlen(want) == n && !strncmp(w, want, n);
}

static int word_unknown(const char *w, size_t n, const void *ctx)
{
	(void)ctx;
	if (n == 4 && !strncmp(w, "none", 4))
		return 0;
	for (size_t i = 0; i < ARRAY_LEN(role_names); i++)
		if (strlen(role_names[i]) == n && !strncmp(w, role_names[i], n))
			return 0;
	return 1;
}

int config_mfa_required(const struct config *c, const char *role)
{
	return role && *role && each_word(c->mfa_roles, word_is, role);
}

void config_key_path(const struct config *c, char *out, size_t outsz)
{
	if (c->key_file[0])
		snprintf(out, outsz, "%s", c->key_file);
	else
		snprintf(out, outsz, "%s.key", c->db);
}

static const struct opt *find(const char *name, size_t n)
{
	for (size_t i = 0; i < ARRAY_LEN(opts); i++) {
		const char *o = opts[i].name;
		if (strlen(o) != n)
			continue;
		size_t k = 0;
		/* Flags are written with '-', keys with '_': accept both. */
		while (k < n && (o[k] == name[k] || (o[k] == '_' && name[k] == '-')))
			k++;
		if (k == n)
			return &opts[i];
	}
	return NULL;
}

static int set(struct config *c, const struct opt *o, const char *v, const char *origin,
	       char *err, size_t errsz)
{
	char *p = (char *)c + o->off;
	if (o->type == T_STR) {
		if (strlen(v) >= o->size) {
			snprintf(err, errsz, "%s: %s is too long", origin, o->name);
			return -1;
		}
		snprintf(p, o->size, "%s", v);
		return 0;
	}
	if (o->type == T_BOOL) {
		if (!v || !strcmp(v, "1") || !strcmp(v, "true") || !strcmp(v, "yes"))
			*(int *)p = 1;
		else if (!strcmp(v, "0") || !strcmp(v, "false") || !strcmp(v, "no"))
			*(int *)p = 0;
		else {
			snprintf(err, errsz, "%s: %s must be true or false", origin, o->name);
			return -1;
		}
		return 0;
	}
	char *end = NULL;
	errno = 0;
	long long x = v ? strtoll(v, &end, 10) : 0;
	if (!v || !*v || errno || *end || x < o->min || x > o->max) {
		snprintf(err, errsz, "%s: %s must be a whole number from %ld to %ld", origin,
			 o->name, o->min, o->max);
		return -1;
	}
	if (o->type == T_INT)
		*(int *)p = (int)x;
	else
		*(long *)p = (long)x;
	return 0;
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	char *e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int load_file(struct config *c, const char *path, char *err, size_t errsz)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errsz, "cannot read config file %s", path);
		return -1;
	}
	char line[1024];
	int lineno = 0, rc = 0;
	while (fgets(line, sizeof line, f)) {
		lineno++;
		char *s = trim(line);
		if (!*s || *s == '#')
			continue;
		char *eq = strchr(s, '=');
		char origin[600];
		snprintf(origin, sizeof origin, "%s:%d", path, lineno);
		if (!eq) {
			snprintf(err, errsz, "%s: expected 'key = value'", origin);
			rc = -1;
			break;
		}
		*eq = '\0';
		char *key = trim(s), *val = trim(eq + 1);
		const struct opt *o = find(key, strlen(key));
		if (!o || !strcmp(o->name, "config")) {
			snprintf(err, errsz, "%s: unknown setting '%.64s'", origin, key);
			rc = -1;
			break;
		}
		if (set(c, o, val, origin, err, errsz) < 0) {
			rc = -1;
			break;
		}
	}
	fclose(f);
	return rc;
}

int args_parse(struct args *a, int argc, char **argv, const char *const *booleans, char *err,
	       size_t errsz)
{
	memset(a, 0, sizeof *a);
	for (int i = 0; i < argc; i++) {
		const char *s = argv[i];
		if (strncmp(s, "--", 2) != 0 || s[2] == '\0') {
			if (a->npos >= (int)ARRAY_LEN(a->pos)) {
				snprintf(err, errsz, "too many arguments");
				return -1;
			}
			a->pos[a->npos++] = s;
			continue;
		}
		if (a->n >= (int)ARRAY_LEN(a->name)) {
			snprintf(err, errsz, "too many options");
			return -1;
		}
		const char *name = s + 2;
		const char *eq = strchr(name, '=');
		int is_bool = 0;
		for (const char *const *b = booleans; b && *b; b++)
			if (!strcmp(*b, name))
				is_bool = 1;
		if (!is_bool) {
			const struct opt *o = find(name, eq ? (size_t)(eq - name) : strlen(name));
			is_bool = o && o->type == T_BOOL && !eq;
		}
		size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
		if (nlen >= sizeof a->name[0]) {
			snprintf(err, errsz, "unknown option --%.40s", name);
			return -1;
		}
		memcpy(a->name[a->n], name, nlen);
		a->name[a->n][nlen] = '\0';
		if (eq) {
			a->value[a->n] = eq + 1;
		} else if (is_bool) {
			a->value[a->n] = NULL;
		} else {
			if (i + 1 >= argc) {
				snprintf(err, errsz, "option --%s needs a value", name);
				return -1;
			}
			a->value[a->n] = argv[++i];
		}
		a->n++;
	}
	return 0;
}

static int same(const char *flag, const char *name)
{
	for (; *flag && *name; flag++, name++)
		if (*flag != *name && !((*flag == '-' || *flag == '_') && (*name == '-' || *name == '_')))
			return 0;
	return *flag == *name;
}

const char *args_get(struct args *a, const char *name)
{
	for (int i = 0; i < a->n; i++)
		if (same(a->name[i], name)) {
			a->used[i] = 1;
			return a->value[i] ? a->value[i] : "";
		}
	return NULL;
}

int args_has(struct args *a, const char *name)
{
	return args_get(a, name) != NULL;
}

const char *args_unused(const struct args *a)
{
	for (int i = 0; i < a->n; i++)
		if (!a->used[i])
			return a->name[i];
	return NULL;
}

int config_load(struct config *c, struct args *a, char *err, size_t errsz)
{
	const char *file = args_get(a, "config");
	if (!file)
		file = getenv("ELEVLOS_CONFIG");
	if (file && *file) {
		if (load_file(c, file, err, errsz) < 0)
			return -1;
		snprintf(c->config, sizeof c->config, "%s", file);
	}
	for (size_t i = 0; i < ARRAY_LEN(opts); i++) {
		char env[64] = "ELEVLOS_";
		size_t k = strlen(env);
		for (const char *p = opts[i].name; *p && k < sizeof env - 1; p++)
			env[k++] = (char)toupper((unsigned char)*p);
		env[k] = '\0';
		const char *v = getenv(env);
		if (v && strcmp(opts[i].name, "config") != 0 &&
		    set(c, &opts[i], v, env, err, errsz) < 0)
			return -1;
	}
	for (int i = 0; i < a->n; i++) {
		const struct opt *o = find(a->name[i], strlen(a->name[i]));
		if (!o)
			continue;
		a->used[i] = 1;
		if (!strcmp(o->name, "config"))
			continue;
		char origin[80];
		snprintf(origin, sizeof origin, "--%s", a->name[i]);
		if (set(c, o, a->value[i], origin, err, errsz) < 0)
			return -1;
	}
	/* A misspelt role would silently drop the second factor for that role. */
	if (each_word(c->mfa_roles, word_unknown, NULL)) {
		snprintf(err, errsz, "mfa_roles: '%.60s' names a role that does not exist (veileder, radgiver,"
				     " leder, analytiker, admin, or none)", c->mfa_roles);
		return -1;
	}
	return 0;
}

const char *config_help(void)
{
	static char text[4096];
	if (text[0])
		return text;
	size_t n = 0;
	for (size_t i = 0; i < ARRAY_LEN(opts); i++) {
		char flag[40];
		snprintf(flag, sizeof flag, "--%s", opts[i].name);
		for (char *p = flag + 2; *p; p++)
			if (*p == '_')
				*p = '-';
		n += (size_t)snprintf(text + n, sizeof text - n, "  %-22s %s\n", flag, opts[i].help);
		if (n >= sizeof text)
			break;
	}
	return text;
}
