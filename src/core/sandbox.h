/*
 * The server's sandbox, applied after the listening socket is bound and before any other
 * thread exists (docs/operations.md, "Sandboxing"):
 *   drop root to an unprivileged user → no_new_privs → Landlock → seccomp allow-list.
 * `elevlos sandbox-check` applies the same steps in forked children and tries what they forbid.
 */
#ifndef ELEVLOS_SANDBOX_H
#define ELEVLOS_SANDBOX_H

#include <stddef.h>

enum sandbox_mode {
	SANDBOX_OFF, /* privileges are still dropped when started as root */
	SANDBOX_LOG, /* unlisted system calls are allowed and logged by the kernel (audit) */
	SANDBOX_ON,  /* unlisted system calls kill the process */
};

/* "on", "log" or "off": 0, or -1 for anything else. */
int sandbox_parse_mode(const char *s, enum sandbox_mode *mode);
const char *sandbox_mode_name(enum sandbox_mode mode);

/* Checks the user to run as before anything is done: when the process is root, user must name
 * an existing account that is not root; when it is not root, user must be empty or the current
 * account. 0, or -1 with err. */
int sandbox_check_user(const char *user, char *err, size_t errsz);

/* When root: setgroups(0), setgid, setuid to user, then verifies root cannot be regained.
 * Not root: nothing. 0, or -1 with err. */
int sandbox_drop_privileges(const char *user, char *err, size_t errsz);

/* The paths the sandboxed server may touch. */
struct sandbox_paths {
	const char *rw[8]; /* directories read and written (database directory, temp dirs) */
	int nrw;
	const char *ro[24]; /* files and directories only read */
	int nro;
};

/* The paths of `elevlos serve`: the database's directory and the temp directories read-write;
 * /usr, fontconfig, the key file and a few /proc, /sys and /dev entries read-only. Strings
 * are kept in static storage. */
void sandbox_serve_paths(const char *db_path, const char *key_path, struct sandbox_paths *p);

/* Points SQLite's temporary files at the temp directory the sandbox allows ($TMPDIR, else
 * /tmp). Call before SQLite is first used. */
void sandbox_sqlite_tmpdir(void);

/* The Landlock ABI of the running kernel: 0 when it has none (or it is disabled). */
int sandbox_landlock_abi(void);

struct sandbox_report {
	int landlock_abi;    /* 0: not applied */
	int seccomp;         /* 1 when the filter is loaded */
	int no_new_privs;
};

/* no_new_privs, Landlock (best effort: a kernel without it is reported, not fatal) and the
 * seccomp filter (every thread, TSYNC). Nothing in SANDBOX_OFF. 0, or -1 with err. */
int sandbox_apply(enum sandbox_mode mode, const struct sandbox_paths *p,
		  struct sandbox_report *rep, char *err, size_t errsz);

/* Applies only the seccomp filter (for tests). */
int sandbox_seccomp(enum sandbox_mode mode, char *err, size_t errsz);
/* Applies only Landlock; returns the ABI used (0: none), or -1 with err. */
int sandbox_landlock(const struct sandbox_paths *p, char *err, size_t errsz);

#endif
