/* elevlos release create|list|show: statistics releases from the shell. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/stats.h"
#include "../http/form.h"
#include "../stats/measures.h"
#include "../stats/release.h"
#include "cli.h"

static int print_release(const struct release_row *r, void *ctx)
{
	(void)ctx;
	printf("%-6lld %-15s v%-3d %-10s %s %s\n", (long long)r->id, r->school_year, r->version, r->status,
	       r->inputs_hash, r->note);
	return 0;
}

int cmd_release(int argc, char **argv)
{
	static const char help[] =
		"usage: elevlos release create --db PATH --year 2017/18|2014/15-2017/18 [--note TEXT] [--k 5]\n"
		"                              [--small-group 10]\n"
		"       elevlos release list --db PATH\n"
		"       elevlos release show --db PATH ID\n\n"
		"create  computes S1-S12 for the school year, or for the period of whole school years\n"
		"        from the first to the last (a student counts once in it), for the nation,\n"
		"        counties with pilots and pilots, applies disclosure control to all of it at\n"
		"        once and stores it as a draft: the next version of that year's (or period's)\n"
		"        release, with a hash of its inputs. An analyst approves and then publishes\n"
		"        it (web or API); a published release never changes. A correction is a new\n"
		"        version with a note saying why.\n"
		"show    prints a release's protected content as JSON (suppressed counts are null).\n";
	struct args a;
	struct config c;
	int s = cli_setup(argc, argv, NULL, help, &a, &c);
	if (s)
		return s < 0 ? 2 : 0;
	const char *year = args_get(&a, "year"), *note = args_get(&a, "note");
	const char *k = args_get(&a, "k"), *small = args_get(&a, "small-group");
	if (args_unused(&a))
		return cli_fail("release: unknown option --%s", args_unused(&a));
	if (a.npos < 1)
		return cli_fail("release: say create, list or show (see --help)");
	struct sdc_opts o = {5, 10};
	if (k && (!valid_uint(k, strlen(k)) || (o.k = atol(k)) < 2))
		return cli_fail("--k: a whole number of at least 2");
	if (small && (!valid_uint(small, strlen(small)) || (o.small_group = atol(small)) < o.k))
		return cli_fail("--small-group: a whole number of at least k");
	if (note && !valid_text_line(note, strlen(note)))
		return cli_fail("--note: text on one line");
	db_t *db;
	if (cli_open_db(&c, &db) < 0)
		return 2;
	int rc = 0;
	if (!strcmp(a.pos[0], "create")) {
		char err[256];
		struct measures_period per;
		if (!year || !measures_period_parse(year, &per)) {
			rc = cli_fail("release create: --year like 2017/18, or a period like 2014/15-2017/18");
		} else {
			long long id = release_create(db, &actor_cli, year, note, &o, err, sizeof err);
			struct release_row r;
			if (id < 0) {
				rc = cli_fail("%s", err);
			} else if (db_release_get(db, id, &r) == DB_OK) {
				json_t *j = json_loads(r.content, 0, NULL);
				printf("release %lld: %s version %d, draft; %lld of %lld cells suppressed; inputs %s\n", id,
				       r.school_year, r.version, (long long)json_integer_value(json_object_get(j, "cells_suppressed")),
				       (long long)json_integer_value(json_object_get(j, "cells_total")), r.inputs_hash);
				json_decref(j);
				release_row_free(&r);
			}
		}
	} else if (!strcmp(a.pos[0], "list")) {
		if (db_release_list(db, print_release, NULL) != DB_OK)
			rc = cli_fail("cannot list releases: %s", db_errmsg(db));
	} else if (!strcmp(a.pos[0], "show") && a.npos == 2 && valid_uint(a.pos[1], strlen(a.pos[1]))) {
		struct release_row r;
		if (db_release_get(db, atoll(a.pos[1]), &r) != DB_OK) {
			rc = cli_fail("no release %s", a.pos[1]);
		} else {
			puts(r.content);
			release_row_free(&r);
		}
	} else {
		rc = cli_fail("release: say create, list or show ID (see --help)");
	}
	db_close(db);
	return rc;
}
