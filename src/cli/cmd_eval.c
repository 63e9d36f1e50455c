/* elevlos evaluate: the pilots' effect on dropout from the shell (JSON or a short table). */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../eval/evaluate.h"
#include "../http/form.h"
#include "cli.h"

static void line(const char *label, const struct did_est *e)
{
	if (isnan(e->est))
		printf("  %-34s –\n", label);
	else
		printf("  %-34s %+6.2f  [%+6.2f, %+6.2f]  %d cohorts, %d schools\n", label, e->est, e->lo, e->hi,
		       e->n_cohorts, e->n_schools);
}

int cmd_evaluate(int argc, char **argv)
{
	static const char help[] =
		"usage: elevlos evaluate --db PATH [--programme yrkesfag|studieforberedende|alle]\n"
		"                        [--boot 999] [--seed 2018] [--format text|json]\n\n"
		"Estimates the pilots' effect on the share of students who left during the school year\n"
		"from the imported Udir figures (elevlos import udir) and the pilot schools\n"
		"(elevlos pilot-school): group-time effects against never-piloted schools (Callaway and\n"
		"Sant'Anna 2021), weighted by students, aggregated overall and by year since the start\n"
		"(-4..+4), with a school-clustered bootstrap (B replicates, seeded: the same seed gives the\n"
		"same intervals), a pre-trend check and the classic two-way fixed-effects estimate beside\n"
		"it. Effects are percentage points; negative means fewer left. docs/evaluation.md explains\n"
		"how to read it.\n";
	struct args a;
	struct config c;
	int s = cli_setup(argc, argv, NULL, help, &a, &c);
	if (s)
		return s < 0 ? 2 : 0;
	const char *prog = args_get(&a, "programme"), *boot = args_get(&a, "boot"), *seed = args_get(&a, "seed");
	const char *fmt = args_get(&a, "format");
	if (args_unused(&a))
		return cli_fail("evaluate: unknown option --%s", args_unused(&a));
	if (!prog)
		prog = "yrkesfag";
	if (strcmp(prog, "yrkesfag") != 0 && strcmp(prog, "studieforberedende") != 0 && strcmp(prog, "alle") != 0)
		return cli_fail("--programme: yrkesfag, studieforberedende or alle");
	if (fmt && strcmp(fmt, "text") != 0 && strcmp(fmt, "json") != 0)
		return cli_fail("--format: text or json");
	struct did_opts o;
	did_opts_default(&o);
	if (boot && (!valid_uint(boot, strlen(boot)) || (o.nboot = atoi(boot)) < 99 || o.nboot > 99999))
		return cli_fail("--boot: a whole number from 99 to 99999");
	if (seed) {
		if (!valid_uint(seed, strlen(seed)))
			return cli_fail("--seed: a whole number");
		o.seed = strtoull(seed, NULL, 10);
	}
	db_t *db;
	if (cli_open_db(&c, &db) < 0)
		return 2;
	struct eval_run e;
	char err[256];
	int rc = 0;
	if (eval_run(db, prog, &o, &e, err, sizeof err) != 0) {
		rc = cli_fail("evaluate: %s", err);
	} else if (fmt && !strcmp(fmt, "json")) {
		json_t *j = eval_run_json(&e);
		char *t = json_dumps(j, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
		puts(t);
		free(t);
		json_decref(j);
		eval_run_free(&e);
	} else {
		const struct did_result *d = &e.r;
		printf("%s, school years %d/%02d-%d/%02d: %d schools, %d pilot schools, %d never piloted\n", prog,
		       e.first_year, (e.first_year + 1) % 100, e.first_year + e.nperiods - 1,
		       (e.first_year + e.nperiods) % 100, e.nschools, e.npilot, d->n_control);
		printf("effect on the share who left (percentage points), 95 %% interval, B = %d, seed %llu:\n", d->nboot,
		       (unsigned long long)e.opts.seed);
		line("overall (by start cohort)", &d->overall);
		line("simple average of post years", &d->simple);
		line("two-way fixed effects", &d->twfe);
		for (int i = 0; i < DID_EVENT_N; i++) {
			char l[32];
			snprintf(l, sizeof l, "year %+d from the start", DID_EVENT_MIN + i);
			line(l, &d->event[i]);
		}
		printf("pre-trend: %s\n", d->pretrend ? "DETECTED - the pilot schools moved differently before they started"
						      : "none detected");
		if (d->twfe_sign_differs)
			printf("warning: two-way fixed effects and the group-time estimate disagree in sign; trust the latter\n");
		eval_run_free(&e);
	}
	db_close(db);
	return rc;
}
