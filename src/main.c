/* elevlos: follow-up of upper-secondary students at risk of dropping out. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *what;
} commands[] = {
	{"init", cmd_init, "create or migrate the database"},
	{"serve", cmd_serve, "serve the web pages and the JSON API"},
	{"user", cmd_user, "add, list, disable users; change a password"},
	{"token", cmd_token, "create an API token"},
	{"unit", cmd_unit, "add and list units (county, pilot, school, NAV office)"},
	{"demo", cmd_demo, "create a demo database with the trial's pilots"},
	{"backup", cmd_backup, "copy the database consistently, also while serving"},
	{"audit", cmd_audit, "verify the access log's hash chain; print its head"},
	{"import", cmd_import, "import a case file, the school register or Udir's dropout figures"},
	{"pilot-school", cmd_pilot_school, "set and list pilot schools and their pilot periods"},
	{"export", cmd_export, "export every student and case as a case file"},
	{"release", cmd_release, "create and inspect statistics releases"},
	{"stats", cmd_stats, "print a unit's figures from the published release"},
	{"evaluate", cmd_evaluate, "estimate the pilots' effect on dropout (difference-in-differences)"},
	{"retention", cmd_retention, "erase students whose consent is withdrawn or retention ran out"},
	{"key", cmd_key, "rotate the key that seals names, id numbers and notes"},
	{"sandbox-check", cmd_sandbox_check, "show that the server's sandbox blocks what it should"},
	{"routes", cmd_routes, "print the route table"},
};

static void usage(FILE *f)
{
	fprintf(f, "usage: elevlos COMMAND [options]   (elevlos COMMAND --help for each)\n\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-12s %s\n", commands[i].name, commands[i].what);
	fprintf(f, "\nOptions come from flags, then ELEVLOS_* environment variables, then --config FILE.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("elevlos %s\n", ELEVLOS_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 2, argv + 2);
	fprintf(stderr, "elevlos: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return 2;
}
