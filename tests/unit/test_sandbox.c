/* Unit tests for src/core/sandbox.c: the mode setting, the account check, and the seccomp filter
 * and Landlock ruleset applied for real in forked children. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/sandbox.h"

static void test_mode(void **state)
{
	(void)state;
	enum sandbox_mode m = SANDBOX_OFF;
	assert_int_equal(sandbox_parse_mode("on", &m), 0);
	assert_int_equal(m, SANDBOX_ON);
	assert_int_equal(sandbox_parse_mode("log", &m), 0);
	assert_int_equal(m, SANDBOX_LOG);
	assert_int_equal(sandbox_parse_mode("off", &m), 0);
	assert_int_equal(m, SANDBOX_OFF);
	assert_int_equal(sandbox_parse_mode("ON", &m), -1);
	assert_int_equal(sandbox_parse_mode("", &m), -1);
	assert_int_equal(sandbox_parse_mode("yes", &m), -1);
	assert_string_equal(sandbox_mode_name(SANDBOX_LOG), "log");
}

static void test_user(void **state)
{
	(void)state;
	char err[512] = "";
	assert_int_equal(sandbox_check_user("no-such-account-elevlos", err, sizeof err), -1);
	assert_non_null(strstr(err, "no account named"));
	assert_int_equal(sandbox_check_user("root", err, sizeof err), -1);
	if (geteuid() == 0) {
		/* Root without an account to switch to is refused with a clear message. */
		assert_int_equal(sandbox_check_user("", err, sizeof err), -1);
		assert_non_null(strstr(err, "does not serve as root"));
		assert_int_equal(sandbox_check_user("nobody", err, sizeof err), 0);
	} else {
		assert_int_equal(sandbox_check_user("", err, sizeof err), 0);
	}
}

/* Runs fn in a child; returns its wait status. */
static int in_child(int (*fn)(void *), void *arg)
{
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(fn(arg));
	int st = 0;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	return st;
}

static int seccomp_netlink(void *arg)
{
	char err[256];
	if (sandbox_seccomp(*(enum sandbox_mode *)arg, err, sizeof err) != 0)
		return 10;
	/* Allowed: an inet socket. */
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return 11;
	close(fd);
	fd = socket(AF_NETLINK, SOCK_RAW, 0); /* killed in "on" mode */
	return fd >= 0 ? 0 : 12;
}

static void test_seccomp_kills_unlisted(void **state)
{
	(void)state;
	enum sandbox_mode m = SANDBOX_ON;
	int st = in_child(seccomp_netlink, &m);
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGSYS);
	/* log mode: the same call is allowed (and logged by the kernel). */
	m = SANDBOX_LOG;
	st = in_child(seccomp_netlink, &m);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

static int seccomp_refuses(void *arg)
{
	(void)arg;
	char err[256];
	if (sandbox_seccomp(SANDBOX_ON, err, sizeof err) != 0)
		return 10;
	/* A library's attempt to make its cache directory fails cleanly, it does not kill. */
	if (mkdir("/tmp/elevlos-sandbox-unit-never", 0700) == 0 || errno != EACCES)
		return 11;
	return 0;
}

static void test_seccomp_refuses_cache_writes(void **state)
{
	(void)state;
	int st = in_child(seccomp_refuses, NULL);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_int_equal(access("/tmp/elevlos-sandbox-unit-never", F_OK), -1);
}

static int seccomp_status(void *arg)
{
	(void)arg;
	char err[256];
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    sandbox_seccomp(SANDBOX_ON, err, sizeof err) != 0)
		return 10;
	/* /proc/self/status says mode 2 (filter). */
	FILE *f = fopen("/proc/self/status", "r");
	if (!f)
		return 11;
	char line[256];
	int mode = -1;
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, "Seccomp:", 8))
			mode = atoi(line + 8);
	fclose(f);
	return mode == 2 ? 0 : 12;
}

static void test_seccomp_status(void **state)
{
	(void)state;
	int st = in_child(seccomp_status, NULL);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

struct ll {
	char allowed[64];
	char outside[64];
};

static int landlock_child(void *arg)
{
	const struct ll *l = arg;
	struct sandbox_paths p = {.rw = {l->allowed}, .nrw = 1, .ro = {"/usr"}, .nro = 1};
	char err[256];
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	if (sandbox_landlock(&p, err, sizeof err) < 1)
		return 10;
	char f[128];
	snprintf(f, sizeof f, "%s/in", l->allowed);
	int fd = open(f, O_WRONLY | O_CREAT, 0600);
	if (fd < 0)
		return 11;
	close(fd);
	snprintf(f, sizeof f, "%s/out", l->outside);
	fd = open(f, O_WRONLY | O_CREAT, 0600);
	if (fd >= 0 || errno != EACCES)
		return 12;
	/* Reading outside is refused too; /usr is readable. */
	if (open(l->outside, O_RDONLY | O_DIRECTORY) >= 0)
		return 13;
	fd = open("/usr/lib/os-release", O_RDONLY);
	if (fd < 0)
		return 14;
	close(fd);
	return 0;
}

static void test_landlock(void **state)
{
	(void)state;
	if (sandbox_landlock_abi() < 1) {
		skip(); /* this kernel has no Landlock */
		return;
	}
	struct ll l;
	snprintf(l.allowed, sizeof l.allowed, "/tmp/elevlos-ll-in.XXXXXX");
	snprintf(l.outside, sizeof l.outside, "/tmp/elevlos-ll-out.XXXXXX");
	assert_non_null(mkdtemp(l.allowed));
	assert_non_null(mkdtemp(l.outside));
	int st = in_child(landlock_child, &l);
	char f[128];
	snprintf(f, sizeof f, "%s/in", l.allowed);
	int made = access(f, F_OK) == 0;
	unlink(f);
	snprintf(f, sizeof f, "%s/out", l.outside);
	int leaked = access(f, F_OK) == 0;
	unlink(f);
	rmdir(l.allowed);
	rmdir(l.outside);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_true(made);
	assert_false(leaked);
}

static void test_serve_paths(void **state)
{
	(void)state;
	struct sandbox_paths p;
	sandbox_serve_paths("/usr/lib/../lib/x.db", "/etc/fonts/missing.key", &p);
	assert_true(p.nrw >= 2);
	assert_string_equal(p.rw[0], "/usr/lib"); /* the database's directory, resolved */
	int tmp = 0, usr = 0, key = 0;
	for (int i = 0; i < p.nrw; i++)
		tmp |= !strcmp(p.rw[i], "/tmp");
	for (int i = 0; i < p.nro; i++) {
		usr |= !strcmp(p.ro[i], "/usr");
		key |= !strcmp(p.ro[i], "/etc/fonts/missing.key");
		assert_true(strcmp(p.ro[i], "/etc") != 0); /* never all of /etc */
	}
	assert_true(tmp && usr && key);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mode),
		cmocka_unit_test(test_user),
		cmocka_unit_test(test_seccomp_kills_unlisted),
		cmocka_unit_test(test_seccomp_status),
		cmocka_unit_test(test_seccomp_refuses_cache_writes),
		cmocka_unit_test(test_landlock),
		cmocka_unit_test(test_serve_paths),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
