/* elevlos import cases FILE / elevlos export cases [--out FILE] */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../crypto/keyring.h"
#include "../exchange/cases.h"
#include "cli.h"

/* The first word that is not an option or an option's value: what to import. */
static const char *import_what(int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		if (argv[i][0] != '-')
			return argv[i];
		if (!strchr(argv[i], '=') && strcmp(argv[i], "--help") != 0 && strcmp(argv[i], "-h") != 0)
			i++;
	}
	return "";
}

int cmd_import(int argc, char **argv)
{
	const char *what = import_what(argc, argv);
	if (strcmp(what, "schools") == 0 || strcmp(what, "udir") == 0)
		return cmd_import_eval(argc, argv);
	static const char help[] =
		"usage: elevlos import cases --db PATH FILE\n"
		"       elevlos import schools|udir --db PATH FILE (elevlos import udir --help)\n\n"
		"Reads a case file (docs/formats.md, JSON Lines) into the database: all or nothing.\n"
		"Every bad line is listed with its line number and reason, and then nothing is\n"
		"written. Students already there with the same content are left as they are, so a\n"
		"second run changes nothing. Progress is printed every 10,000 lines.\n";
	struct args a;
	struct config c;
	int s = cli_setup(argc, argv, NULL, help, &a, &c);
	if (s)
		return s < 0 ? 2 : 0;
	if (args_unused(&a))
		return cli_fail("import: unknown option --%s", args_unused(&a));
	if (a.npos != 2 || strcmp(a.pos[0], "cases") != 0)
		return cli_fail("import: say 'cases FILE' (see --help)");
	FILE *in = fopen(a.pos[1], "r");
	if (!in)
		return cli_fail("cannot read %s: %s", a.pos[1], strerror(errno));
	struct stat st;
	long size = fstat(fileno(in), &st) == 0 ? (long)st.st_size : 0;
	struct keyring kr;
	db_t *db;
	if (cli_load_keyring(&c, &kr) < 0) {
		fclose(in);
		return 2;
	}
	if (cli_open_db(&c, &db) < 0) {
		keyring_wipe(&kr);
		fclose(in);
		return 2;
	}
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct import_report rep;
	int rc = cases_import(db, &kr, &actor_cli, in, stderr, stderr, size, c.fnr_rule_2032, &rep);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	fclose(in);
	keyring_wipe(&kr);
	if (rc < 0) {
		cli_fail("database error: %s; nothing was imported", db_errmsg(db));
		db_close(db);
		return 1;
	}
	db_close(db);
	if (rc == 1) {
		fprintf(stderr, "elevlos: %ld errors in %s; nothing was imported\n", rep.errors, a.pos[1]);
		return 1;
	}
	printf("imported %ld students (%ld cases, %ld contacts); %ld already there unchanged; %.1f s\n",
	       rep.imported, rep.cases, rep.contacts, rep.unchanged, secs);
	return 0;
}

int cmd_export(int argc, char **argv)
{
	static const char help[] =
		"usage: elevlos export cases --db PATH [--out FILE]\n\n"
		"Writes every student with all that is registered about them as a case file\n"
		"(docs/formats.md). The file holds names, id numbers and notes in clear text: it is\n"
		"created readable by its owner only; keep it as safe as the database. The export is\n"
		"in the access log.\n";
	struct args a;
	struct config c;
	int s = cli_setup(argc, argv, NULL, help, &a, &c);
	if (s)
		return s < 0 ? 2 : 0;
	const char *out_path = args_get(&a, "out");
	if (args_unused(&a))
		return cli_fail("export: unknown option --%s", args_unused(&a));
	if (a.npos != 1 || strcmp(a.pos[0], "cases") != 0)
		return cli_fail("export: say 'cases' (see --help)");
	FILE *out = stdout;
	if (out_path) {
		int fd = open(out_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0)
			return cli_fail("cannot create %s: %s", out_path, strerror(errno));
		out = fdopen(fd, "w");
	}
	struct keyring kr;
	db_t *db;
	if (cli_load_keyring(&c, &kr) < 0 || cli_open_db(&c, &db) < 0) {
		if (out != stdout)
			fclose(out), remove(out_path);
		return 2;
	}
	long n = 0;
	int rc = cases_export(db, &kr, &actor_cli, "/", out, &n);
	keyring_wipe(&kr);
	db_close(db);
	if (out != stdout && fclose(out) != 0)
		rc = -1;
	if (rc != 0) {
		if (out_path)
			remove(out_path);
		return cli_fail("export failed: the database could not be read, or the key file does not "
				"open every sealed value (is it the right key file?); nothing was written");
	}
	fprintf(stderr, "exported %ld students\n", n);
	return 0;
}
