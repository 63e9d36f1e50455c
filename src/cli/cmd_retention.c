/* elevlos retention run [--dry-run]: erase every student due (docs/privacy.md), for a timer. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../admin/actor.h"
#include "../core/log.h"
#include "../db/privacy.h"
#include "../registration/registration.h"
#include "cli.h"

int cmd_retention(int argc, char **argv)
{
	static const char help[] =
		"usage: elevlos retention run --db PATH [--retention-days 730] [--dry-run]\n\n"
		"Erases every student who is due (docs/privacy.md):\n"
		"  - no registration consent in force today (withdrawn), or\n"
		"  - no open case, and the last case closed --retention-days ago or more (a student\n"
		"    who never had a case: registered that long ago);\n"
		"and deletes declined referrals decided --retention-days ago or more. An erased student\n"
		"keeps only a tombstone (pseudonym, pilot, when and why); each erased object gets an\n"
		"\"erase\" row in the access log; the WAL is then checkpointed and emptied. Published\n"
		"statistics releases are not touched.\n\n"
		"Safe to run while the server runs (one short transaction per student) and to run again:\n"
		"a second run finds nothing to do. --dry-run counts and changes nothing. The summary holds\n"
		"counts only. Exit status 0, 1 when the checkpoint could not finish (run again), 2 on error.\n";
	static const char *const booleans[] = {"help", "dry-run", NULL};
	struct args a;
	struct config c;
	int s = cli_setup(argc, argv, booleans, help, &a, &c);
	if (s)
		return s < 0 ? 2 : 0;
	int dry = args_has(&a, "dry-run");
	if (args_unused(&a))
		return cli_fail("retention: unknown option --%s", args_unused(&a));
	if (a.npos != 1 || strcmp(a.pos[0], "run") != 0)
		return cli_fail("retention: say run (see --help)");
	db_t *db;
	if (cli_open_db(&c, &db) < 0)
		return 2;
	char today[11];
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(today, sizeof today, "%Y-%m-%d", &tm);
	struct retention_summary sum;
	int rc = retention_run(db, &actor_cli, today, c.retention_days, dry, &sum);
	int64_t tombstones = 0;
	db_privacy_erased_count(db, &tombstones);
	db_close(db);
	printf("retention%s: %d days; due: %ld students (%ld consent withdrawn, %ld retention period ended),"
	       " %ld declined referrals\n",
	       dry ? " (dry run, nothing changed)" : "", c.retention_days, sum.due_consent + sum.due_retention,
	       sum.due_consent, sum.due_retention, sum.due_referrals);
	if (!dry)
		printf("erased: %ld students, %ld declined referrals; erased students in all: %lld\n", sum.erased,
		       sum.referrals_erased, (long long)tombstones);
	log_event(LOG_INFO, "retention",
		  json_pack("{s:b,s:i,s:i,s:i,s:i,s:i}", "dry_run", dry, "due", (int)(sum.due_consent + sum.due_retention),
			    "erased", (int)sum.erased, "referrals_erased", (int)sum.referrals_erased, "days",
			    c.retention_days, "status", rc));
	if (rc == -1)
		return cli_fail("retention: the database failed part-way; what was erased stays erased, run again");
	if (rc == -2) {
		cli_fail("retention: erased, but a reader kept the WAL from being emptied; run again");
		return 1;
	}
	return 0;
}
