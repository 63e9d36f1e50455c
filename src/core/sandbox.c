#include "sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libgen.h>
#include <limits.h>
#include <linux/landlock.h>
#include <pwd.h>
#include <sched.h>
#include <seccomp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

int sandbox_parse_mode(const char *s, enum sandbox_mode *mode)
{
	if (!s || !strcmp(s, "on"))
		*mode = SANDBOX_ON;
	else if (!strcmp(s, "log"))
		*mode = SANDBOX_LOG;
	else if (!strcmp(s, "off"))
		*mode = SANDBOX_OFF;
	else
		return -1;
	return 0;
}

const char *sandbox_mode_name(enum sandbox_mode mode)
{
	return mode == SANDBOX_ON ? "on" : mode == SANDBOX_LOG ? "log" : "off";
}

/* ---- privileges ---- */

int sandbox_check_user(const char *user, char *err, size_t errsz)
{
	const int root = geteuid() == 0 || getuid() == 0;
	if (!user || !user[0]) {
		if (root) {
			snprintf(err, errsz,
				 "started as root: name an unprivileged account to run as with --user "
				 "NAME (or 'user = NAME' in the config file); elevlos does not serve as "
				 "root");
			return -1;
		}
		return 0;
	}
	errno = 0;
	const struct passwd *pw = getpwnam(user);
	if (!pw) {
		snprintf(err, errsz, "--user: there is no account named '%.64s'%s", user,
			 root ? "; elevlos does not serve as root" : "");
		return -1;
	}
	if (pw->pw_uid == 0 || pw->pw_gid == 0) {
		snprintf(err, errsz, "--user: '%.64s' is root (uid or gid 0); name an unprivileged "
			 "account", user);
		return -1;
	}
	if (!root && pw->pw_uid != getuid()) {
		snprintf(err, errsz, "--user %.64s: only root can switch to another account; start "
			 "elevlos as that account or as root", user);
		return -1;
	}
	return 0;
}

int sandbox_drop_privileges(const char *user, char *err, size_t errsz)
{
	if (sandbox_check_user(user, err, errsz) < 0)
		return -1;
	if (geteuid() != 0 && getuid() != 0)
		return 0;
	const struct passwd *pw = getpwnam(user);
	if (!pw) {
		snprintf(err, errsz, "--user: there is no account named '%.64s'", user);
		return -1;
	}
	const uid_t uid = pw->pw_uid;
	const gid_t gid = pw->pw_gid;
	if (setgroups(0, NULL) != 0 || setgid(gid) != 0 || setuid(uid) != 0) {
		snprintf(err, errsz, "cannot switch to account '%.64s': %s", user, strerror(errno));
		return -1;
	}
	/* Root must be gone for good: real, effective and saved ids, and no way back. */
	uid_t r, e, s;
	gid_t rg, eg, sg;
	if (getresuid(&r, &e, &s) != 0 || getresgid(&rg, &eg, &sg) != 0 || r != uid || e != uid ||
	    s != uid || rg != gid || eg != gid || sg != gid || getgroups(0, NULL) != 0) {
		snprintf(err, errsz, "switching to account '%.64s' left other ids behind", user);
		return -1;
	}
	if (setuid(0) == 0 || seteuid(0) == 0 || setgid(0) == 0 || setegid(0) == 0) {
		snprintf(err, errsz, "could switch back to root after dropping to '%.64s'", user);
		return -1;
	}
#if defined(__SANITIZE_ADDRESS__)
	/* LeakSanitizer stops the world with ptrace from a helper at exit; setuid made the
	 * process non-dumpable, which forbids that. Only in the sanitizer build. */
	prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
#endif
	return 0;
}

/* ---- paths ---- */

static char path_store[8][PATH_MAX];

static const char *keep(int slot, const char *s)
{
	snprintf(path_store[slot], sizeof path_store[slot], "%s", s);
	return path_store[slot];
}

void sandbox_serve_paths(const char *db_path, const char *key_path, struct sandbox_paths *p)
{
	memset(p, 0, sizeof *p);
	char buf[PATH_MAX];
	/* The database's directory: the database, its -wal and -shm files, and SQLite's fsync of
	 * the directory. */
	char *copy = strdup(db_path);
	if (copy) {
		const char *dir = dirname(copy);
		p->rw[p->nrw++] = keep(0, realpath(dir, buf) ? buf : dir);
		free(copy);
	}
	/* Temporary files: XLSX workbooks under $TMPDIR, libxlsxwriter's tmpfile() under /tmp. */
	const char *tmp = getenv("TMPDIR");
	if (tmp && tmp[0])
		p->rw[p->nrw++] = keep(1, realpath(tmp, buf) ? buf : tmp);
	p->rw[p->nrw++] = "/tmp";
	/* Read only: libraries, fonts and fontconfig's caches, time zones, the key file. */
	p->ro[p->nro++] = "/usr";
	p->ro[p->nro++] = "/etc/fonts";
	p->ro[p->nro++] = "/etc/localtime";
	p->ro[p->nro++] = "/etc/ld.so.cache";
	p->ro[p->nro++] = "/var/cache/fontconfig";
	/* glibc reads the CPU count and the main thread's stack from here. */
	p->ro[p->nro++] = "/sys/devices/system/cpu";
	p->ro[p->nro++] = "/proc/self";
	p->ro[p->nro++] = "/dev/urandom";
	p->ro[p->nro++] = "/dev/null";
	if (key_path && key_path[0])
		p->ro[p->nro++] = keep(2, realpath(key_path, buf) ? buf : key_path);
}

void sandbox_sqlite_tmpdir(void)
{
	/* SQLite's temporary files (large sorts, temp tables) would go to /var/tmp before /tmp:
	 * it tests the directory with access(), which Landlock does not answer, then fails to
	 * open there. It reads the variable once, when it initialises. */
	const char *tmp = getenv("TMPDIR");
	setenv("SQLITE_TMPDIR", tmp && tmp[0] ? tmp : "/tmp", 1);
}

/* ---- Landlock (raw system calls: Debian 12's headers stop at ABI 2) ---- */

#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV (1ULL << 15)
#endif
#define LL_NET_BIND_TCP (1ULL << 0)
#define LL_NET_CONNECT_TCP (1ULL << 1)
#define LL_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0)
#define LL_SCOPE_SIGNAL (1ULL << 1)

/* struct landlock_ruleset_attr as of ABI 6; the size passed tells the kernel which fields
 * it may read. */
struct ll_ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
	uint64_t scoped;
};

int sandbox_landlock_abi(void)
{
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
	return abi < 0 ? 0 : (int)abi;
}

static uint64_t fs_handled(int abi)
{
	uint64_t a = (LANDLOCK_ACCESS_FS_MAKE_SYM << 1) - 1; /* ABI 1: bits 0-12 */
	if (abi >= 2)
		a |= LANDLOCK_ACCESS_FS_REFER;
	if (abi >= 3)
		a |= LANDLOCK_ACCESS_FS_TRUNCATE;
	if (abi >= 5)
		a |= LANDLOCK_ACCESS_FS_IOCTL_DEV;
	return a;
}

static int add_path(int ruleset, const char *path, uint64_t access, char *err, size_t errsz)
{
	int fd = open(path, O_PATH | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0; /* not on this machine: nothing to allow */
		snprintf(err, errsz, "landlock: cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) == 0 && !S_ISDIR(st.st_mode))
		access &= LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE |
			  LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_TRUNCATE |
			  LANDLOCK_ACCESS_FS_IOCTL_DEV;
	struct landlock_path_beneath_attr pb = {.allowed_access = access, .parent_fd = fd};
	long rc = syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &pb, 0);
	int e = errno;
	close(fd);
	if (rc != 0) {
		snprintf(err, errsz, "landlock: cannot allow %s: %s", path, strerror(e));
		return -1;
	}
	return 0;
}

int sandbox_landlock(const struct sandbox_paths *p, char *err, size_t errsz)
{
	const int abi = sandbox_landlock_abi();
	if (abi < 1)
		return 0;
	struct ll_ruleset_attr attr = {.handled_access_fs = fs_handled(abi)};
	size_t size = sizeof attr.handled_access_fs;
	if (abi >= 4) {
		/* No TCP bind or connect at all: the listening socket is already bound. */
		attr.handled_access_net = LL_NET_BIND_TCP | LL_NET_CONNECT_TCP;
		size += sizeof attr.handled_access_net;
	}
	if (abi >= 6) {
		/* No signals to, and no abstract sockets of, processes outside the sandbox. */
		attr.scoped = LL_SCOPE_ABSTRACT_UNIX_SOCKET | LL_SCOPE_SIGNAL;
		size += sizeof attr.scoped;
	}
	int rs = (int)syscall(SYS_landlock_create_ruleset, &attr, size, 0);
	if (rs < 0) {
		snprintf(err, errsz, "landlock: cannot create a ruleset: %s", strerror(errno));
		return -1;
	}
	const uint64_t ro = LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR;
	uint64_t rw = ro | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_REMOVE_FILE |
		      LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_REMOVE_DIR |
		      LANDLOCK_ACCESS_FS_MAKE_DIR;
	if (abi >= 2)
		rw |= LANDLOCK_ACCESS_FS_REFER;
	if (abi >= 3)
		rw |= LANDLOCK_ACCESS_FS_TRUNCATE;
	int rc = 0;
	for (int i = 0; i < p->nrw && rc == 0; i++)
		rc = add_path(rs, p->rw[i], rw, err, errsz);
	for (int i = 0; i < p->nro && rc == 0; i++) {
		/* /dev/null is written to as well (a sink), never anything else under /dev. */
		uint64_t a = !strcmp(p->ro[i], "/dev/null") ? ro | LANDLOCK_ACCESS_FS_WRITE_FILE : ro;
		rc = add_path(rs, p->ro[i], a, err, errsz);
	}
	if (rc == 0 && syscall(SYS_landlock_restrict_self, rs, 0) != 0) {
		snprintf(err, errsz, "landlock: cannot restrict: %s", strerror(errno));
		rc = -1;
	}
	close(rs);
	return rc < 0 ? -1 : abi;
}

/* ---- seccomp ---- */

/* What the server calls after the sandbox is in place, found by running the HTTP, statistics,
 * evaluation, durability and browser suites against it, with the server under `strace -f`
 * (the calls after seccomp(2): 52 distinct ones) and with `sandbox = log` (docs/operations.md,
 * "Sandboxing"). A few more that the same code takes on other paths (a signal, a relative
 * database path, a large realloc, contention) are listed with them. */
static const char *const allowed[] = {
	/* files: SQLite (WAL and its shared memory, fsync, POSIX locks), fontconfig, the exports'
	 * temporary files */
	"read", "write", "pread64", "pwrite64", "readv", "writev", "lseek", "openat", "close",
	"fstat", "newfstatat", "statx", "fstatfs", "statfs", "access", "faccessat", "faccessat2",
	"readlink", "getdents64", "getcwd", "fcntl", "fsync", "fdatasync", "ftruncate",
	"fallocate", "unlink", "unlinkat", "fchmod", "fadvise64",
	/* memory (libsodium locks its secrets in memory) */
	"mmap", "munmap", "mremap", "mprotect", "madvise", "brk", "mlock", "munlock",
	/* threads: libmicrohttpd's pool, the disclosure-control helper, glibc */
	"futex", "set_robust_list", "rseq", "exit", "exit_group", "sched_yield",
	"sched_getaffinity", "gettid", "getpid",
	/* signals: shutdown by sigwait, abort() */
	"rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "sigaltstack", "rt_sigtimedwait",
	/* libmicrohttpd: epoll, its inter-thread channel, the connections */
	"epoll_create1", "epoll_ctl", "epoll_wait", "epoll_pwait", "poll", "ppoll", "eventfd2",
	"pipe2", "accept4", "recvfrom", "recvmsg", "sendto", "sendmsg", "shutdown", "setsockopt",
	"getsockopt", "getsockname", "getpeername",
	/* time, randomness (libsodium), identity, limits */
	"clock_gettime", "clock_getres", "clock_nanosleep", "nanosleep", "gettimeofday", "time",
	"getrandom", "getuid", "geteuid", "getgid", "getegid", "getresuid", "getresgid", "uname",
	"sysinfo", "getrlimit", "prlimit64",
};

/* Calls a library may try and copes with failing (fontconfig writing its cache): refused with
 * EACCES in "on" mode rather than killing the server; Landlock refuses them anyway. */
static const char *const refused[] = {
	"mkdir", "mkdirat", "rmdir", "rename", "renameat", "renameat2", "link", "linkat",
	"symlink", "symlinkat", "utimensat", "chmod", "fchmodat",
};

static int rule(scmp_filter_ctx ctx, const char *name, char *err, size_t errsz)
{
	int nr = seccomp_syscall_resolve_name(name);
	if (nr == __NR_SCMP_ERROR)
		return 0; /* not on this architecture */
	int rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
	if (rc < 0) {
		snprintf(err, errsz, "seccomp: cannot allow %s: %s", name, strerror(-rc));
		return -1;
	}
	return 0;
}

int sandbox_seccomp(enum sandbox_mode mode, char *err, size_t errsz)
{
	if (mode == SANDBOX_OFF)
		return 0;
	scmp_filter_ctx ctx = seccomp_init(mode == SANDBOX_ON ? SCMP_ACT_KILL_PROCESS : SCMP_ACT_LOG);
	if (!ctx) {
		snprintf(err, errsz, "seccomp: cannot start a filter");
		return -1;
	}
	int rc = 0;
	/* Every thread, also any a library started before us. */
	if (seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1) < 0)
		rc = -1, snprintf(err, errsz, "seccomp: no TSYNC");
	for (size_t i = 0; rc == 0 && i < sizeof allowed / sizeof allowed[0]; i++)
		rc = rule(ctx, allowed[i], err, errsz);
	for (size_t i = 0; rc == 0 && mode == SANDBOX_ON && i < sizeof refused / sizeof refused[0];
	     i++) {
		int nr = seccomp_syscall_resolve_name(refused[i]);
		if (nr != __NR_SCMP_ERROR && seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), nr, 0) < 0)
			rc = -1, snprintf(err, errsz, "seccomp: cannot refuse %s", refused[i]);
	}
	/* New sockets only of the families a web server has (no netlink, no packet sockets). */
	static const int families[] = {AF_UNIX, AF_INET, AF_INET6};
	for (size_t i = 0; rc == 0 && i < sizeof families / sizeof families[0]; i++)
		if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socket), 1,
				     SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)families[i])) < 0)
			rc = -1, snprintf(err, errsz, "seccomp: cannot allow socket");
	/* prctl only to name threads; ioctl only to ask whether a descriptor is a terminal or how
	 * many bytes wait on a socket; signals only to this process's own threads (abort()). */
	static const int prctls[] = {PR_SET_NAME, PR_GET_NAME, PR_GET_DUMPABLE};
	for (size_t i = 0; rc == 0 && i < sizeof prctls / sizeof prctls[0]; i++)
		if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prctl), 1,
				     SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)prctls[i])) < 0)
			rc = -1, snprintf(err, errsz, "seccomp: cannot allow prctl");
	static const unsigned long ioctls[] = {0x5401 /* TCGETS */, 0x541B /* FIONREAD */};
	for (size_t i = 0; rc == 0 && i < sizeof ioctls / sizeof ioctls[0]; i++)
		if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
				     SCMP_A1(SCMP_CMP_EQ, (scmp_datum_t)ioctls[i])) < 0)
			rc = -1, snprintf(err, errsz, "seccomp: cannot allow ioctl");
	if (rc == 0 && (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(tgkill), 1,
					 SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)getpid())) < 0 ||
			seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(kill), 1,
					 SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)getpid())) < 0))
		rc = -1, snprintf(err, errsz, "seccomp: cannot allow tgkill");
	/* Threads, never a new process: clone only with CLONE_THREAD. clone3 passes its flags in
	 * memory the filter cannot read, so it fails with ENOSYS and glibc falls back to clone. */
	if (rc == 0 &&
	    (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
			      SCMP_A0(SCMP_CMP_MASKED_EQ, (scmp_datum_t)CLONE_THREAD,
				      (scmp_datum_t)CLONE_THREAD)) < 0 ||
	     seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0) < 0))
		rc = -1, snprintf(err, errsz, "seccomp: cannot allow clone");
#if defined(__SANITIZE_ADDRESS__)
	/* The sanitizer build only: LeakSanitizer's exit check stops the threads with ptrace from
	 * a helper task and waits for it; the sanitizer runtime makes the legacy file calls
	 * (open, stat, ...) directly, not through glibc. */
	static const char *const san[] = {"ptrace", "wait4", "prctl", "getppid", "getdents", "open", "stat", "lstat",
					   "readlink", "dup2", "sched_getparam",
					   "sched_setscheduler", "kill", "tgkill"};
	for (size_t i = 0; rc == 0 && i < sizeof san / sizeof san[0]; i++)
		rc = rule(ctx, san[i], err, errsz);
	/* Its helper task shares the memory (CLONE_VM) but is not a thread; fork stays refused. */
	if (rc == 0 && seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
					SCMP_A0(SCMP_CMP_MASKED_EQ, (scmp_datum_t)CLONE_VM,
						(scmp_datum_t)CLONE_VM)) < 0)
		rc = -1, snprintf(err, errsz, "seccomp: cannot allow clone");
#endif
	if (rc == 0) {
		int lr = seccomp_load(ctx);
		if (lr < 0)
			rc = -1, snprintf(err, errsz, "seccomp: cannot load the filter: %s", strerror(-lr));
	}
	seccomp_release(ctx);
	return rc;
}

int sandbox_apply(enum sandbox_mode mode, const struct sandbox_paths *p,
		  struct sandbox_report *rep, char *err, size_t errsz)
{
	memset(rep, 0, sizeof *rep);
	if (mode == SANDBOX_OFF)
		return 0;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
		snprintf(err, errsz, "no_new_privs: %s", strerror(errno));
		return -1;
	}
	rep->no_new_privs = 1;
	int abi = sandbox_landlock(p, err, errsz);
	if (abi < 0)
		return -1;
	rep->landlock_abi = abi;
	if (sandbox_seccomp(mode, err, errsz) < 0)
		return -1;
	rep->seccomp = 1;
	return 0;
}
