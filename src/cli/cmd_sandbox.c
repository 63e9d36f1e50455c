/* elevlos sandbox-check: applies the server's sandbox in forked children, exactly as `serve`
 * does after binding its socket, and tries what it must forbid and what the server needs. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <netinet/in.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../core/sandbox.h"
#include "cli.h"

struct ctx {
	const struct config *c;
	enum sandbox_mode mode;
	char outside[PATH_MAX];  /* a directory the account may write but the sandbox does not allow */
	char db_dir[PATH_MAX];
	int port;                /* a TCP port listening on 127.0.0.1 */
	pid_t parent;            /* this process: outside the children's sandbox */
};

/* Each probe returns 0 when the action succeeded, else the errno it failed with. */
typedef int (*probe_fn)(const struct ctx *x);

static int err_or_0(int rc)
{
	return rc < 0 ? (errno ? errno : EIO) : 0;
}

static int p_fork(const struct ctx *x)
{
	(void)x;
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	if (pid < 0)
		return errno;
	waitpid(pid, NULL, 0);
	return 0;
}

static int p_exec(const struct ctx *x)
{
	(void)x;
	char *const argv[] = {"/bin/true", NULL};
	char *const envp[] = {NULL};
	execve("/bin/true", argv, envp);
	return errno;
}

static int p_write_outside(const struct ctx *x)
{
	char p[PATH_MAX + 16];
	snprintf(p, sizeof p, "%s/probe", x->outside);
	int fd = open(p, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static int p_read_passwd(const struct ctx *x)
{
	(void)x;
	int fd = open("/etc/passwd", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static int p_ptrace(const struct ctx *x)
{
	(void)x;
	return err_or_0((int)ptrace(PTRACE_ATTACH, x->parent, NULL, NULL));
}

static int p_netlink(const struct ctx *x)
{
	(void)x;
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static int p_setuid(const struct ctx *x)
{
	(void)x;
	return err_or_0(setuid(0));
}

static int p_signal_parent(const struct ctx *x)
{
	return err_or_0(kill(x->parent, 0));
}

static int p_connect(const struct ctx *x)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return errno;
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)x->port)};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int e = err_or_0(connect(fd, (struct sockaddr *)&a, sizeof a));
	close(fd);
	return e;
}

static int p_db_dir(const struct ctx *x)
{
	char p[PATH_MAX + 32];
	snprintf(p, sizeof p, "%s/.elevlos-sandbox-probe", x->db_dir);
	int fd = open(p, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return errno;
	int e = write(fd, "x", 1) == 1 && fsync(fd) == 0 && ftruncate(fd, 0) == 0 ? 0 : errno;
	close(fd);
	if (unlink(p) != 0 && !e)
		e = errno;
	return e;
}

static int p_read_fonts(const struct ctx *x)
{
	(void)x;
	const char *f = access("/etc/fonts/fonts.conf", F_OK) == 0 ? "/etc/fonts/fonts.conf"
								    : "/usr/lib/os-release";
	int fd = open(f, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	char b[16];
	int e = read(fd, b, sizeof b) > 0 ? 0 : EIO;
	close(fd);
	return e;
}

static int p_tmpfile(const struct ctx *x)
{
	(void)x;
	FILE *f = tmpfile();
	if (!f)
		return errno;
	int e = fputs("x", f) >= 0 && fflush(f) == 0 ? 0 : EIO;
	fclose(f);
	return e;
}

static void *thread_main(void *arg)
{
	return arg;
}

static int p_thread(const struct ctx *x)
{
	(void)x;
	pthread_t t;
	int e = pthread_create(&t, NULL, thread_main, NULL);
	if (e)
		return e;
	return pthread_join(t, NULL);
}

static const struct {
	int forbidden;
	const char *what;
	probe_fn fn;
} probes[] = {
	{1, "execve /bin/true", p_exec},
	{1, "fork a process", p_fork},
	{1, "create a file outside the allowed paths", p_write_outside},
	{1, "read /etc/passwd", p_read_passwd},
	{1, "ptrace the parent process", p_ptrace},
	{1, "socket(AF_NETLINK)", p_netlink},
	{1, "setuid(0)", p_setuid},
	{1, "signal a process outside the sandbox", p_signal_parent},
	{1, "connect to a TCP port on 127.0.0.1", p_connect},
	{0, "write, fsync and remove a file in the database directory", p_db_dir},
	{0, "read the fontconfig configuration", p_read_fonts},
	{0, "make a temporary file (tmpfile)", p_tmpfile},
	{0, "start a thread", p_thread},
};

/* Runs one probe in a child that drops privileges and sandboxes itself like `serve`.
 * Writes the result into out; returns 1 when the action happened, 0 when it did not. */
static int run_probe(const struct ctx *x, probe_fn fn, char *out, size_t outsz)
{
	int pfd[2];
	if (pipe(pfd) != 0) {
		snprintf(out, outsz, "cannot make a pipe: %s", strerror(errno));
		return -1;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(out, outsz, "cannot fork: %s", strerror(errno));
		close(pfd[0]);
		close(pfd[1]);
		return -1;
	}
	if (pid == 0) {
		close(pfd[0]);
		char err[512];
		int stage = 0;
		if (sandbox_drop_privileges(x->c->user, err, sizeof err) < 0)
			stage = 1;
		else if (cli_serve_sandbox(x->c, (int)x->mode, 1) != 0)
			stage = 2;
		int msg[2] = {stage, 0};
		if (!stage) {
			/* Say the sandbox is in place first: a probe may be killed. */
			if (write(pfd[1], msg, sizeof msg) != (ssize_t)sizeof msg)
				_exit(3);
			msg[1] = fn(x);
			msg[0] = 9;
		}
		if (write(pfd[1], msg, sizeof msg) != (ssize_t)sizeof msg)
			_exit(3);
		_exit(0);
	}
	close(pfd[1]);
	int got[2] = {-1, 0}, res[2] = {-1, 0};
	ssize_t n1 = read(pfd[0], got, sizeof got);
	ssize_t n2 = n1 == (ssize_t)sizeof got && got[0] == 0 ? read(pfd[0], res, sizeof res) : 0;
	close(pfd[0]);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
	}
	if (n1 != (ssize_t)sizeof got || got[0] != 0) {
		snprintf(out, outsz, "the sandbox could not be applied (%s)",
			 n1 == (ssize_t)sizeof got && got[0] == 1 ? "dropping privileges" : "sandbox");
		return -1;
	}
	if (WIFSIGNALED(status)) {
		snprintf(out, outsz, "killed by %s", WTERMSIG(status) == SIGSYS
							 ? "the seccomp filter (SIGSYS)"
							 : strsignal(WTERMSIG(status)));
		return 0;
	}
	if (n2 != (ssize_t)sizeof res && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		/* Replaced by the program it executed, which ran and exited 0. */
		snprintf(out, outsz, "it worked (the program ran)");
		return 1;
	}
	if (n2 != (ssize_t)sizeof res || res[0] != 9) {
		snprintf(out, outsz, "the probe did not report (exit status %d)",
			 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		return -1;
	}
	if (res[1] == 0) {
		snprintf(out, outsz, "it worked");
		return 1;
	}
	snprintf(out, outsz, "refused: %s", strerror(res[1]));
	return 0;
}

int cmd_sandbox_check(int argc, char **argv)
{
	char help[4000];
	snprintf(help, sizeof help,
		 "usage: elevlos sandbox-check [--sandbox on|log|off] [--user NAME] [--db PATH]\n\n"
		 "Applies the sandbox of 'elevlos serve' (the same settings: --config, ELEVLOS_*\n"
		 "and flags) in a child process per probe, then tries things it must forbid and\n"
		 "things the server needs. Exits 0 only when every forbidden action was blocked\n"
		 "and every needed one worked. Started as root it needs --user like serve.\n");
	struct args a;
	struct config c;
	int s = cli_setup(argc, argv, NULL, help, &a, &c);
	if (s)
		return s < 0 ? 2 : 0;
	if (args_unused(&a))
		return cli_fail("sandbox-check: unknown option --%s", args_unused(&a));
	if (a.npos)
		return cli_fail("sandbox-check: unexpected argument '%s'", a.pos[0]);
	struct ctx x = {.c = &c, .parent = getpid()};
	if (sandbox_parse_mode(c.sandbox, &x.mode) < 0)
		return cli_fail("--sandbox must be on, log or off");
	char err[512];
	if (sandbox_check_user(c.user, err, sizeof err) < 0)
		return cli_fail("%s", err);
	char *copy = strdup(c.db);
	if (!copy || !realpath(dirname(copy), x.db_dir)) {
		free(copy);
		return cli_fail("sandbox-check: the database's directory of %s does not exist", c.db);
	}
	free(copy);
	/* A directory the account could write by its permissions, outside every allowed path:
	 * only Landlock stands between the probe and it. */
	uid_t uid = getuid();
	gid_t gid = getgid();
	if (c.user[0]) {
		const struct passwd *pw = getpwnam(c.user);
		if (pw)
			uid = pw->pw_uid, gid = pw->pw_gid;
	}
	snprintf(x.outside, sizeof x.outside, "/var/tmp/elevlos-sandbox-check.XXXXXX");
	if (!mkdtemp(x.outside) || chown(x.outside, uid, gid) != 0)
		return cli_fail("sandbox-check: cannot make a directory in /var/tmp: %s",
				strerror(errno));
	int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in la = {.sin_family = AF_INET};
	la.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t ll = sizeof la;
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&la, sizeof la) != 0 || listen(lfd, 8) != 0 ||
	    getsockname(lfd, (struct sockaddr *)&la, &ll) != 0) {
		rmdir(x.outside);
		return cli_fail("sandbox-check: cannot listen on 127.0.0.1: %s", strerror(errno));
	}
	x.port = ntohs(la.sin_port);

	printf("sandbox-check: mode %s, account %s, Landlock ABI %d\n", sandbox_mode_name(x.mode),
	       c.user[0] ? c.user : "(unchanged)", sandbox_landlock_abi());
	int bad = 0, nforbidden = 0, nneeded = 0;
	for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++) {
		char out[300];
		int happened = run_probe(&x, probes[i].fn, out, sizeof out);
		const char *verdict;
		if (happened < 0) {
			verdict = "ERROR  ";
			bad++;
		} else if (probes[i].forbidden) {
			nforbidden++;
			verdict = happened ? "OPEN   " : "blocked";
			bad += happened;
		} else {
			nneeded++;
			verdict = happened ? "works  " : "BROKEN ";
			bad += !happened;
		}
		printf("  %s  %s: %s\n", verdict, probes[i].what, out);
	}
	char probe[PATH_MAX + 16];
	snprintf(probe, sizeof probe, "%s/probe", x.outside);
	unlink(probe);
	rmdir(x.outside);
	close(lfd);
	if (bad) {
		printf("result: %d of %d probes did not go as they should\n", bad,
		       (int)(sizeof probes / sizeof probes[0]));
		return 1;
	}
	printf("result: all %d forbidden actions blocked, all %d needed actions work\n", nforbidden,
	       nneeded);
	return 0;
}
