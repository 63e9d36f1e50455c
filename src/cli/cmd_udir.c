/* elevlos import schools|udir FILE; elevlos pilot-school add|list (docs/udir.md) */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../db/eval.h"
#include "../eval/school.h"
#include "../eval/udir.h"
#include "cli.h"

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

int cmd_import_eval(int argc, char **argv)
{
	static const char help[] =
		"usage: elevlos import schools --db PATH FILE.csv\n"
		"       elevlos import udir --db PATH FILE.csv\n\n"
		"schools: the school register (orgnr, navn, kommunenr and/or fylkesnr; optional enhet,\n"
		"pilot, pilotstart, pilotslutt). udir: Udir's per-school table of students who left\n"
		"during the school year (orgnr or skole + kommunenr, skoleår, utdanningsprogram,\n"
		"antall elever, andel or antall sluttet). Separator ';' or ',', UTF-8 with or without a\n"
		"byte-order mark; columns and number formats in docs/udir.md.\n"
		"All or nothing: every bad row is listed with its line and reason, and then nothing is\n"
		"written. A second run of the same file changes nothing; a changed figure for the same\n"
		"school, year and programme is updated and counted.\n";
	struct args a;
	struct config c;
	int s = cli_setup(argc, argv, NULL, help, &a, &c);
	if (s)
		return s < 0 ? 2 : 0;
	if (args_unused(&a))
		return cli_fail("import: unknown option --%s", args_unused(&a));
	if (a.npos != 2)
		return cli_fail("import: say 'schools FILE' or 'udir FILE' (see --help)");
	int schools = strcmp(a.pos[0], "schools") == 0;
	FILE *in = fopen(a.pos[1], "rb");
	if (!in)
		return cli_fail("cannot read %s: %s", a.pos[1], strerror(errno));
	db_t *db;
	if (cli_open_db(&c, &db) < 0) {
		fclose(in);
		return 2;
	}
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	char err[512] = "";
	int rc;
	long errors;
	struct school_report sr;
	struct udir_report ur;
	if (schools) {
		rc = school_import(db, in, stderr, &sr, err, sizeof err);
		errors = sr.errors;
	} else {
		rc = udir_import(db, in, stderr, stderr, &ur, err, sizeof err);
		errors = ur.errors;
	}
	fclose(in);
	db_close(db);
	if (rc < 0)
		return cli_fail("database error: %s; nothing was imported", err), 1;
	if (rc == 1) {
		fprintf(stderr, "elevlos: %ld error%s in %s; nothing was imported\n", errors,
			errors == 1 ? "" : "s", a.pos[1]);
		return 1;
	}
	if (schools)
		printf("schools: %ld rows; %ld new, %ld updated, %ld unchanged; %ld pilot periods set; "
		       "%.2f s\n",
		       sr.rows, sr.added, sr.updated, sr.unchanged, sr.pilots, seconds_since(&t0));
	else
		printf("udir: %ld rows; %ld new, %ld updated, %ld unchanged (%ld suppressed); %ld national "
		       "or county rows skipped; %.2f s\n",
		       ur.rows, ur.added, ur.updated, ur.unchanged, ur.suppressed, ur.skipped,
		       seconds_since(&t0));
	return 0;
}

static int print_pilot(const struct pilot_school *p, void *ctx)
{
	(void)ctx;
	char end[8] = "";
	if (p->end_year)
		snprintf(end, sizeof end, "%d/%02d", p->end_year, (p->end_year + 1) % 100);
	printf("%s  %-14s %d/%02d  %-7s %s  %s\n", p->orgnr, p->pilot_code, p->start_year,
	       (p->start_year + 1) % 100, end[0] ? end : "-", p->county_2024, p->name);
	return 0;
}

int cmd_pilot_school(int argc, char **argv)
{
	static const char help[] =
		"usage: elevlos pilot-school add --db PATH ORGNR PILOT START [END]\n"
		"       elevlos pilot-school list --db PATH\n\n"
		"Which school was in which pilot and when, until the pilot register lands: ORGNR a\n"
		"school in the register (elevlos import schools), PILOT the code of a pilot unit,\n"
		"START and END school years (2015-16); no END while the pilot lasts. A school has one\n"
		"pilot period; adding it again replaces it.\n";
	struct args a;
	struct config c;
	int s = cli_setup(argc, argv, NULL, help, &a, &c);
	if (s)
		return s < 0 ? 2 : 0;
	if (args_unused(&a))
		return cli_fail("pilot-school: unknown option --%s", args_unused(&a));
	int add = a.npos >= 1 && strcmp(a.pos[0], "add") == 0;
	int list = a.npos == 1 && strcmp(a.pos[0], "list") == 0;
	if (!list && !(add && (a.npos == 4 || a.npos == 5)))
		return cli_fail("pilot-school: say 'add ORGNR PILOT START [END]' or 'list' (see --help)");
	int start = 0, end = 0;
	if (add) {
		if (!school_orgnr_valid(a.pos[1]))
			return cli_fail("pilot-school: %s is not an organisation number (nine digits, mod 11)",
					a.pos[1]);
		if (school_year_parse(a.pos[3], &start) < 0)
			return cli_fail("pilot-school: start '%s' is not a school year from 1990-91 on like 2015-16",
					a.pos[3]);
		if (a.npos == 5 && (school_year_parse(a.pos[4], &end) < 0 || end < start))
			return cli_fail("pilot-school: end '%s' is not a school year from the start on",
					a.pos[4]);
	}
	db_t *db;
	if (cli_open_db(&c, &db) < 0)
		return 2;
	int rc;
	if (list) {
		rc = db_pilot_school_list(db, print_pilot, NULL);
	} else {
		int changed = 0;
		rc = db_begin(db);
		if (rc == DB_OK)
			rc = db_pilot_school_put(db, a.pos[1], a.pos[2], start, end, &changed);
		if (rc == DB_OK)
			rc = db_commit(db);
		else
			db_rollback(db);
		if (rc == DB_OK)
			printf("%s: %s\n", a.pos[1],
			       changed == 1 ? "pilot period added" : changed == 2 ? "pilot period changed"
										 : "already so");
	}
	const char *msg = rc == DB_NOTFOUND ? "no such school in the register (elevlos import schools)"
			  : rc == DB_INVALID ? "no pilot unit with that code"
					     : db_errmsg(db);
	db_close(db);
	if (rc != DB_OK)
		return cli_fail("pilot-school: %s", msg), 1;
	return 0;
}
