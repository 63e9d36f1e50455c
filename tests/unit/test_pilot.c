/* The pilot register: the grant arithmetic and its rules (src/pilot/grant.c), the report's state
 * machine for every state, action and role (src/pilot/flow.c), and the SQLite layer with
 * migration 5 (src/db/pilot_sqlite.c): register, steering group, grant lines frozen once paid,
 * reports whose versions are never changed. Every expected amount is computed by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "db/db.h"
#include "db/migrations.h"
#include "db/pilot.h"
#include "db/sqlite_internal.h"
#include "db/stats.h"
#include "pilot/flow.h"
#include "pilot/grant.h"

/* ==== grant.c: the arithmetic ==== */

static void shares_parse_valid(void **state)
{
	(void)state;
	int s[GRANT_MAX_YEARS];
	assert_int_equal(grant_parse_shares(GRANT_SHARES_DEFAULT, s), 4);
	assert_int_equal(s[0], 100);
	assert_int_equal(s[1], 100);
	assert_int_equal(s[2], 100);
	assert_int_equal(s[3], 50);

	/* Spaces after a comma are allowed. */
	assert_int_equal(grant_parse_shares("100, 75,  0", s), 3);
	assert_int_equal(s[0], 100);
	assert_int_equal(s[1], 75);
	assert_int_equal(s[2], 0);

	assert_int_equal(grant_parse_shares("0", s), 1);
	assert_int_equal(s[0], 0);

	/* Exactly GRANT_MAX_YEARS entries is the most. */
	assert_int_equal(grant_parse_shares("1,2,3,4,5,6,7,8,9,10", s), GRANT_MAX_YEARS);
	for (int i = 0; i < GRANT_MAX_YEARS; i++)
		assert_int_equal(s[i], i + 1);
}

static void shares_parse_bad(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"",                      /* empty list */
		"101",                   /* above 100 */
		"-1",                    /* negative */
		"1,,2",                  /* empty entry */
		"a",                     /* not a number */
		"1,1,1,1,1,1,1,1,1,1,1", /* 11 entries: more than GRANT_MAX_YEARS */
		"100,",                  /* trailing comma */
		"100;50",                /* wrong separator */
		"50a",                   /* trailing junk */
		"0100",                  /* more than three digits */
		" 100",                  /* leading space */
		"+5",                    /* sign */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int s[GRANT_MAX_YEARS];
		if (grant_parse_shares(bad[i], s) != -1)
			fail_msg("grant_parse_shares(\"%s\") accepted a malformed list", bad[i]);
	}
	int s[GRANT_MAX_YEARS];
	assert_int_equal(grant_parse_shares(NULL, s), -1);
}

static void default_share(void **state)
{
	(void)state;
	const int s[] = {100, 100, 100, 50};
	assert_int_equal(grant_default_share(s, 4, 1), 100);
	assert_int_equal(grant_default_share(s, 4, 3), 100);
	assert_int_equal(grant_default_share(s, 4, 4), 50);
	/* Beyond the list, and before project year 1: nothing. */
	assert_int_equal(grant_default_share(s, 4, 5), 0);
	assert_int_equal(grant_default_share(s, 4, 10), 0);
	assert_int_equal(grant_default_share(s, 4, 0), 0);
	assert_int_equal(grant_default_share(s, 4, -1), 0);
	assert_int_equal(grant_default_share(s, 3, 4), 0);
}

static void budget_year_and_months(void **state)
{
	(void)state;
	assert_int_equal(grant_budget_year("2013-08-01", 1), 2013);
	assert_int_equal(grant_budget_year("2013-08-01", 2), 2014);
	assert_int_equal(grant_budget_year("2013-08-01", 4), 2016);

	/* Starting 1 August: August to December is 5 months. */
	assert_int_equal(grant_months("2013-08-01", "", 2013), 5);
	assert_int_equal(grant_months("2013-08-01", "", 2014), 12);
	assert_int_equal(grant_months("2013-08-01", "", 2012), 0);
	assert_int_equal(grant_months("2013-08-01", NULL, 2013), 5);
	assert_int_equal(grant_months("2013-08-01", NULL, 2030), 12);

	/* Ending 31 July 2017: January to July is 7 months, nothing after. */
	assert_int_equal(grant_months("2013-08-01", "2017-07-31", 2013), 5);
	assert_int_equal(grant_months("2013-08-01", "2017-07-31", 2016), 12);
	assert_int_equal(grant_months("2013-08-01", "2017-07-31", 2017), 7);
	assert_int_equal(grant_months("2013-08-01", "2017-07-31", 2018), 0);

	/* Starting in January: the whole year. */
	assert_int_equal(grant_months("2014-01-01", "", 2014), 12);
	assert_int_equal(grant_months("2014-01-15", "", 2014), 12);
	/* Starting and ending in the same year: August to October. */
	assert_int_equal(grant_months("2013-08-01", "2013-10-31", 2013), 3);
	/* Starting in December: one month. */
	assert_int_equal(grant_months("2013-12-01", "", 2013), 1);

	/* No usable start: no months. */
	assert_int_equal(grant_months("", "", 2013), 0);
	assert_int_equal(grant_months(NULL, "", 2013), 0);
	assert_int_equal(grant_months("2013", "", 2013), 0);
	assert_int_equal(grant_months("2013-13-01", "", 2013), 0);
}

static void amounts(void **state)
{
	(void)state;
	/* 600 000 × 100 % × 5/12 = 250 000. */
	assert_int_equal(grant_amount(600000, 100, 5), 250000);
	/* 650 000 × 50 % × 12/12 = 325 000. */
	assert_int_equal(grant_amount(650000, 50, 12), 325000);
	/* 600 000 × 100 % × 12/12 = 600 000. */
	assert_int_equal(grant_amount(600000, 100, 12), 600000);
	/* Halves go up: 600 001 × 100 % × 6/12 = 300 000.5 → 300 001. */
	assert_int_equal(grant_amount(600001, 100, 6), 300001);
	/* 599 999 × 100 % × 6/12 = 299 999.5 → 300 000. */
	assert_int_equal(grant_amount(599999, 100, 6), 300000);
	/* 1 × 50 % × 12/12 = 0.5 → 1. */
	assert_int_equal(grant_amount(1, 50, 12), 1);
	/* Below a half goes down: 600 001 × 100 % × 5/12 = 250 000.4166… → 250 000. */
	assert_int_equal(grant_amount(600001, 100, 5), 250000);
	/* 100 001 × 50 % × 7/12 = 29 166.9583… → 29 167. */
	assert_int_equal(grant_amount(100001, 50, 7), 29167);
	/* Nothing from nothing. */
	assert_int_equal(grant_amount(600000, 100, 0), 0);
	assert_int_equal(grant_amount(600000, 0, 12), 0);
	assert_int_equal(grant_amount(0, 100, 12), 0);
	/* The largest base at a full share and year does not overflow. */
	assert_int_equal(grant_amount(GRANT_MAX_AMOUNT, 100, 12), GRANT_MAX_AMOUNT);
}

/* ==== grant.c: grant_prepare's rules ==== */

static struct pilot_row pilot_at(const char *start_on, const char *end_on, int project_years)
{
	struct pilot_row p;
	memset(&p, 0, sizeof p);
	p.unit_id = 7;
	snprintf(p.code, sizeof p.code, "P-A");
	p.registered = 1;
	snprintf(p.start_on, sizeof p.start_on, "%s", start_on);
	snprintf(p.end_on, sizeof p.end_on, "%s", end_on);
	p.project_years = project_years;
	snprintf(p.status, sizeof p.status, "active");
	return p;
}

static struct grant_row line63(int project_year, long salary_base, int share_pct)
{
	struct grant_row g;
	memset(&g, 0, sizeof g);
	g.pilot_id = 7;
	g.project_year = project_year;
	snprintf(g.post, sizeof g.post, "63");
	g.salary_base = salary_base;
	g.share_pct = share_pct;
	return g;
}

static struct grant_row line21(int project_year, long amount)
{
	struct grant_row g;
	memset(&g, 0, sizeof g);
	g.pilot_id = 7;
	g.project_year = project_year;
	snprintf(g.post, sizeof g.post, "21");
	g.amount = amount;
	g.share_pct = 40;       /* ignored for post 21 */
	g.salary_base = 500000; /* ignored for post 21 */
	return g;
}

static const int SHARES[] = {100, 100, 100, 50};
#define NSHARES 4

static void prepare_register_and_post(void **state)
{
	(void)state;
	struct pilot_row p = pilot_at("2013-08-01", "", 3);
	struct grant_row g;

	p.registered = 0;
	g = line63(1, 600000, -1);
	assert_string_equal(grant_prepare(&p, SHARES, NSHARES, &g), "grant.no_register");
	p.registered = 1;
	p.start_on[0] = '\0';
	g = line63(1, 600000, -1);
	assert_string_equal(grant_prepare(&p, SHARES, NSHARES, &g), "grant.no_register");

	p = pilot_at("2013-08-01", "", 3);
	static const char *const posts[] = {"", "6", "64", "22", "x"};
	for (size_t i = 0; i < sizeof posts / sizeof posts[0]; i++) {
		g = line63(1, 600000, -1);
		snprintf(g.post, sizeof g.post, "%s", posts[i]);
		const char *why = grant_prepare(&p, SHARES, NSHARES, &g);
		assert_non_null(why);
		assert_string_equal(why, "grant.bad_post");
	}

	g = line63(0, 600000, -1);
	assert_string_equal(grant_prepare(&p, SHARES, NSHARES, &g), "grant.bad_year");
	g = line63(GRANT_MAX_YEARS + 1, 600000, -1);
	assert_string_equal(grant_prepare(&p, SHARES, NSHARES, &g), "grant.bad_year");
}

static void prepare_first_year_pro_rated(void **state)
{
	(void)state;
	struct pilot_row p = pilot_at("2013-08-01", "", 3);
	struct grant_row g = line63(1, 600000, -1);
	assert_null(grant_prepare(&p, SHARES, NSHARES, &g));
	assert_int_equal(g.budget_year, 2013);
	assert_int_equal(g.months, 5);
	assert_int_equal(g.share_pct, 100);
	assert_int_equal(g.salary_base, 600000);
	assert_int_equal(g.amount, 250000); /* 600 000 × 5/12 */
	assert_string_equal(g.chapter, "0621");
	assert_string_equal(g.post, "63");

	/* The second project year is a whole budget year. */
	g = line63(2, 600000, -1);
	assert_null(grant_prepare(&p, SHARES, NSHARES, &g));
	assert_int_equal(g.budget_year, 2014);
	assert_int_equal(g.months, 12);
	assert_int_equal(g.amount, 600000);

	/* A share given overrides the default: 650 000 × 50 % = 325 000. */
	g = line63(2, 650000, 50);
	assert_null(grant_prepare(&p, SHARES, NSHARES, &g));
	assert_int_equal(g.share_pct, 50);
	assert_int_equal(g.amount, 325000);
	/* A share of 0 is a share, not "the default". */
	g = line63(2, 650000, 0);
	assert_null(grant_prepare(&p, SHARES, NSHARES, &g));
	assert_int_equal(g.share_pct, 0);
	assert_int_equal(g.amount, 0);

	/* Starting in January: the first year is whole. */
	p = pilot_at("2014-01-01", "", 3);
	g = line63(1, 600000, -1);
	assert_null(grant_prepare(&p, SHARES, NSHARES, &g));
	assert_int_equal(g.budget_year, 2014);
	assert_int_equal(g.months, 12);
	assert_int_equal(g.amount, 600000);
}

/* THE fourth-year rule: no grant after the last project year until the register says so. */
static void prepare_fourth_year(void **state)
{
	(void)state;
	struct pilot_row p = pilot_at("2013-08-01", "", 3);
	struct grant_row g = line63(4, 600000, -1);
	assert_string_equal(grant_prepare(&p, SHARES, NSHARES, &g), "grant.after_last_year");
	g = line21(4, 50000);
	assert_string_equal(grant_prepare(&p, SHARES, NSHARES, &g), "grant.after_last_year");
	g = line63(3, 600000, -1);
	assert_null(grant_prepare(&p, SHARES, NSHARES, &g));
	assert_int_equal(g.amount, 600000);

	p.project_years = 4;
	g = line63(4, 600000, -1);
	assert_null(grant_prepare(&p, SHARES, NSHARES, &g));
	assert_int_equal(g.budget_year, 2016);
	assert_int_equal(g.months, 12);
	assert_int_equal(g.share_pct, 50);
	assert_int_equal(g.amount, 600000 / 2);

	/* The fifth year still needs another change, and has no default share: it must be given,
	 * never silently 0 %. */
	g = line63(5, 600000, -1);
	assert_string_equal(grant_prepare(&p, SHARES, NSHARES, &g), "grant.after_last_year");
	p.project_years = 5;
	g = line63(5, 600000, -1);
	assert_string_equal(grant_prepare(&p, SHARES, NSHARES, &g), "grant.no_default_share");
	g = line63(5, 600000, 25);
	assert_null(grant_prepare(&p, SHARES, NSHARES, &g));
	assert_int_equal(g.share_pct, 25);
	assert_int_equal(g.amount, 150000);
}

static void prepare_after_end(void **state)
{
	(void)state;
	/* Ended 31 July 2015 with four project years registered: 2016 is after the end. */
	struct pilot_row p = pilot_at("2013-08-01", "2015-07-31", 4);
	struct grant_row g = line63(3, 600000, -1);
	assert_null(grant_prepare(&p, SHARES, NSHARES, &g));
	assert_int_equal(g.budget_year, 2015);
	assert_int_equal(g.months, 7);
	assert_int_equal(g.amount, 350000); /* 600 000 × 7/12 */
	g = line63(4, 600000, -1);
	assert_string_equal(grant_prepare(&p, SHARES, NSHARES, &g), "grant.after_end");
	g = line21(4, 10000);
	assert_string_equal(grant_prepare(&p, SHARES, NSHARES, &g), "grant.after_end");
}

static void prepare_amount_checks(void **state)
{
	(void)state;
	struct pilot_row p = pilot_at("2013-08-01", "", 3);
	struct grant_row g = line63(1, -1, -1);
	assert_string_equal(grant_prepare(&p, SHARES, NSHARES, &g), "grant.negative");
	g = line63(1, -600000, 100);
	assert_string_equal(grant_prepare(&p, SHARES, NSHARES, &g), "grant.negative");
	g = line21(1, -1);
	assert_string_equal(grant_prepare(&p, SHARES, NSHARES, &g), "grant.negative");
	g = line63(1, 600000, 101);
	assert_string_equal(grant_prepare(&p, SHARES, NSHARES, &g), "grant.bad_share");
	g = line63(1, GRANT_MAX_AMOUNT + 1, 100);
	assert_string_equal(grant_prepare(&p, SHARES, NSHARES, &g), "grant.too_large");
	g = line21(1, GRANT_MAX_AMOUNT + 1);
	assert_string_equal(grant_prepare(&p, SHARES, NSHARES, &g), "grant.too_large");
	g = line63(1, 0, 100);
	assert_null(grant_prepare(&p, SHARES, NSHARES, &g));
	assert_int_equal(g.amount, 0);
}

static void prepare_post_21(void **state)
{
	(void)state;
	struct pilot_row p = pilot_at("2013-08-01", "", 3);
	/* The amount is given, not pro-rated, even in a first year of 5 months. */
	struct grant_row g = line21(1, 120000);
	assert_null(grant_prepare(&p, SHARES, NSHARES, &g));
	assert_int_equal(g.amount, 120000);
	assert_int_equal(g.share_pct, -1);
	assert_int_equal(g.salary_base, -1);
	assert_int_equal(g.budget_year, 2013);
	assert_int_equal(g.months, 5);
	assert_string_equal(g.chapter, "0621");
	assert_string_equal(g.post, "21");
	g = line21(2, 0);
	assert_null(grant_prepare(&p, SHARES, NSHARES, &g));
	assert_int_equal(g.amount, 0);
	assert_int_equal(g.months, 12);
}

/* ==== flow.c: every state × action × role ==== */

static const char *const STATES[] = {"draft", "submitted", "approved", "feedback", "closed"};
static const char *const ROLES[] = {"veileder", "radgiver", "leder", "analytiker", "admin"};

/* The rules as the brief states them, written out independently of flow.c's table. */
struct rule {
	enum pr_action a;
	const char *role;     /* the only role that may */
	const char *not_role; /* the key for every other role */
	const char *from;
	const char *to;
	const char *not_from; /* the key in any other state */
};
static const struct rule RULES[PA__N] = {
	{PA_SAVE, "leder", "report.leder_only", "draft", "draft", "report.not_draft"},
	{PA_SUBMIT, "leder", "report.leder_only", "draft", "submitted", "report.not_draft"},
	{PA_RETURN, "leder", "report.leder_only", "submitted", "draft", "report.not_submitted"},
	{PA_APPROVE, "leder", "report.leder_only", "submitted", "approved", "report.not_submitted"},
	{PA_FEEDBACK, "analytiker", "report.analyst_only", "approved", "feedback", "report.not_approved"},
	{PA_CLOSE, "analytiker", "report.analyst_only", "feedback", "closed", "report.no_feedback"},
};

static struct account acting(const char *username, const char *role)
{
	struct account a;
	memset(&a, 0, sizeof a);
	snprintf(a.username, sizeof a.username, "%s", username);
	snprintf(a.role, sizeof a.role, "%s", role);
	return a;
}

static void flow_every_combination(void **state)
{
	(void)state;
	int checked = 0, wrong = 0, allowed = 0;
	for (size_t si = 0; si < sizeof STATES / sizeof STATES[0]; si++) {
		for (int ai = 0; ai < PA__N; ai++) {
			const struct rule *r = &RULES[ai];
			assert_int_equal(r->a, ai);
			for (size_t ri = 0; ri < sizeof ROLES / sizeof ROLES[0]; ri++) {
				struct account who = acting("someone", ROLES[ri]);
				const char *want, *want_to = NULL;
				int want_status;
				if (strcmp(ROLES[ri], r->role) != 0) {
					want = r->not_role;
					want_status = 403;
				} else if (strcmp(STATES[si], r->from) != 0) {
					want = r->not_from;
					want_status = 409;
				} else {
					want = NULL;
					want_to = r->to;
					want_status = 0;
				}
				const char *to = "unset";
				int status = -1;
				const char *got = preport_step(STATES[si], r->a, &who, "another", &to, &status);
				int ok = (want ? got && !strcmp(got, want) : !got) && status == want_status &&
					 (want_to ? to && !strcmp(to, want_to) : !to);
				if (!ok) {
					print_error("state %s, action %s, role %s: got %s/%d/%s, want %s/%d/%s\n",
						    STATES[si], preport_action_name(r->a), ROLES[ri], got ? got : "NULL",
						    status, to ? to : "NULL", want ? want : "NULL", want_status,
						    want_to ? want_to : "NULL");
					wrong++;
				}
				allowed += !want;
				checked++;
			}
		}
	}
	assert_int_equal(checked, 5 * PA__N * 5);
	assert_int_equal(allowed, PA__N); /* one state and one role per action */
	assert_int_equal(wrong, 0);
}

static void flow_four_eyes(void **state)
{
	(void)state;
	struct account l1 = acting("leder1", "leder");
	const char *to = "unset";
	int status = -1;

	/* The submitter cannot approve what they submitted… */
	assert_string_equal(preport_step("submitted", PA_APPROVE, &l1, "leder1", &to, &status),
			    "report.own_approval");
	assert_int_equal(status, 403);
	assert_null(to);

	/* …another leder can, and so can anyone when no submitter is recorded. */
	assert_null(preport_step("submitted", PA_APPROVE, &l1, "leder2", &to, &status));
	assert_int_equal(status, 0);
	assert_string_equal(to, "approved");
	assert_null(preport_step("submitted", PA_APPROVE, &l1, NULL, &to, &status));
	assert_string_equal(to, "approved");

	/* The submitter may take their own report back. */
	assert_null(preport_step("submitted", PA_RETURN, &l1, "leder1", &to, &status));
	assert_int_equal(status, 0);
	assert_string_equal(to, "draft");

	/* The wrong state is still 409 for the submitter. */
	assert_string_equal(preport_step("draft", PA_APPROVE, &l1, "leder1", &to, &status), "report.not_submitted");
	assert_int_equal(status, 409);
	assert_null(to);

	/* An unknown action or role is refused. */
	assert_string_equal(preport_step("draft", PA__N, &l1, NULL, &to, &status), "report.unknown_action");
	assert_int_equal(status, 403);
	assert_null(to);
	struct account nobody = acting("x", "");
	assert_string_equal(preport_step("draft", PA_SAVE, &nobody, NULL, &to, &status), "report.leder_only");
	assert_int_equal(status, 403);
	nobody = acting("x", "Leder");
	assert_string_equal(preport_step("draft", PA_SAVE, &nobody, NULL, &to, &status), "report.leder_only");

	/* Analysts of Avdir, of Udir and without a directorate have the same rights. */
	static const char *const dirs[] = {"avdir", "udir", ""};
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		struct account an = acting("ana", "analytiker");
		snprintf(an.directorate, sizeof an.directorate, "%s", dirs[i]);
		assert_null(preport_step("approved", PA_FEEDBACK, &an, "leder1", &to, &status));
		assert_string_equal(to, "feedback");
		assert_null(preport_step("feedback", PA_CLOSE, &an, "leder1", &to, &status));
		assert_string_equal(to, "closed");
		assert_string_equal(preport_step("submitted", PA_APPROVE, &an, "leder1", &to, &status),
				    "report.leder_only");
	}
}

static void flow_action_names(void **state)
{
	(void)state;
	static const char *const names[PA__N] = {"save", "submit", "return", "approve", "feedback", "close"};
	static const char *const done[PA__N] = {"saved", "submitted", "returned", "approved", "feedback", "closed"};
	for (int a = 0; a < PA__N; a++) {
		assert_string_equal(preport_action_name((enum pr_action)a), names[a]);
		assert_string_equal(preport_action_done((enum pr_action)a), done[a]);
	}
	assert_string_equal(preport_action_name(PA__N), "");
	assert_string_equal(preport_action_done(PA__N), "");
}

/* ==== flow.c: the fields a submission needs ==== */

static void fill(const char *t[PR_NFIELDS], const char *v)
{
	for (int i = 0; i < PR_NFIELDS; i++)
		t[i] = v;
}

static void fields_of_kinds(void **state)
{
	(void)state;
	int n = -1;
	const enum preport_field *f = preport_fields("annual", &n);
	static const enum preport_field annual[] = {PR_ACTIVITIES, PR_CHALLENGES, PR_FUNDS, PR_GOAL1,
						    PR_GOAL2,      PR_GOAL3,      PR_GOAL4};
	assert_int_equal(n, 7);
	for (int i = 0; i < n; i++)
		assert_int_equal(f[i], annual[i]);
	static const enum preport_field final[] = {PR_SUMMARY, PR_GOAL1, PR_GOAL2, PR_GOAL3,
						   PR_GOAL4,   PR_FUNDS, PR_LESSONS};
	f = preport_fields("final", &n);
	assert_int_equal(n, 7);
	for (int i = 0; i < n; i++)
		assert_int_equal(f[i], final[i]);
	assert_string_equal(preport_field_names[PR_SUMMARY], "summary");
	assert_string_equal(preport_field_names[PR_GOAL4], "goal4");
	assert_string_equal(preport_field_names[PR_FEEDBACK], "feedback");
}

static void missing_annual(void **state)
{
	(void)state;
	const char *t[PR_NFIELDS];
	fill(t, "Tekst");
	assert_int_equal(preport_missing("annual", t), -1);
	/* Summary, lessons and feedback are not the annual report's. */
	t[PR_SUMMARY] = "";
	t[PR_LESSONS] = NULL;
	t[PR_FEEDBACK] = " ";
	assert_int_equal(preport_missing("annual", t), -1);

	fill(t, "");
	assert_int_equal(preport_missing("annual", t), PR_ACTIVITIES);

	fill(t, "Tekst");
	t[PR_CHALLENGES] = " \t\r\n ";
	assert_int_equal(preport_missing("annual", t), PR_CHALLENGES);

	fill(t, "Tekst");
	t[PR_GOAL4] = NULL;
	assert_int_equal(preport_missing("annual", t), PR_GOAL4);

	/* Two missing: the first in the form's order (funds comes before goal 3 here). */
	fill(t, "Tekst");
	t[PR_GOAL3] = "";
	t[PR_FUNDS] = "  ";
	assert_int_equal(preport_missing("annual", t), PR_FUNDS);

	/* Text after leading space is text. */
	fill(t, "  x");
	assert_int_equal(preport_missing("annual", t), -1);
}

static void missing_final(void **state)
{
	(void)state;
	const char *t[PR_NFIELDS];
	fill(t, "Tekst");
	assert_int_equal(preport_missing("final", t), -1);
	t[PR_ACTIVITIES] = "";
	t[PR_CHALLENGES] = "";
	t[PR_FEEDBACK] = "";
	assert_int_equal(preport_missing("final", t), -1);

	fill(t, "");
	assert_int_equal(preport_missing("final", t), PR_SUMMARY);

	fill(t, "Tekst");
	t[PR_SUMMARY] = "\n\n";
	assert_int_equal(preport_missing("final", t), PR_SUMMARY);

	fill(t, "Tekst");
	t[PR_LESSONS] = "\t";
	assert_int_equal(preport_missing("final", t), PR_LESSONS);

	/* Two missing: goal 3 comes before funds in the final report's form (not in enum order). */
	fill(t, "Tekst");
	t[PR_GOAL3] = " ";
	t[PR_FUNDS] = "";
	assert_int_equal(preport_missing("final", t), PR_GOAL3);
}

/* ==== the SQLite layer ==== */

struct fx {
	db_t *db;
	char path[96];
	int64_t pa, pb, pc, pd; /* pilot unit ids */
	struct account leder1, leder2, ana1, ana2;
};

static int64_t unit_id(db_t *db, const char *code)
{
	struct unit u;
	assert_int_equal(db_unit_get(db, code, &u), DB_OK);
	return u.id;
}

static int db_setup(void **state)
{
	static int seq;
	struct fx *f = calloc(1, sizeof *f);
	assert_non_null(f);
	char err[256];
	snprintf(f->path, sizeof f->path, "/tmp/elevlos-pilot-%d-%d.db", (int)getpid(), ++seq);
	unlink(f->path);
	struct db_opts o = {.busy_timeout_ms = 1000};
	assert_int_equal(db_open(f->path, &o, &f->db, err, sizeof err), DB_OK);
	assert_int_equal(db_migrate(f->db, NULL, NULL, err, sizeof err), DB_OK);
	assert_int_equal(db_schema_version(f->db), DB_SCHEMA_VERSION);
	db_t *db = f->db;

	/* The nation and the counties come with migration 1; the nation is the root. */
	struct unit u;
	assert_int_equal(db_unit_get(db, "NO", &u), DB_OK);
	assert_string_equal(u.kind, "nation");
	assert_string_equal(u.parent_code, "");
	assert_string_equal(u.path, "/NO/");
	assert_int_equal(db_unit_get(db, "02", &u), DB_OK);
	assert_string_equal(u.kind, "county");
	assert_string_equal(u.path, "/NO/02/");

	assert_int_equal(db_unit_add(db, "P-A", "Pilot A", "pilot", "02", 0, 0), DB_OK);
	assert_int_equal(db_unit_add(db, "P-C", "Pilot C", "pilot", "02", 0, 0), DB_OK);
	assert_int_equal(db_unit_add(db, "P-D", "Pilot D", "pilot", "02", 0, 0), DB_OK);
	assert_int_equal(db_unit_add(db, "P-B", "Pilot B", "pilot", "03", 0, 0), DB_OK);
	assert_int_equal(db_unit_add(db, "S-A1", "Skole A1", "school", "P-A", 0, 0), DB_OK);
	f->pa = unit_id(db, "P-A");
	f->pb = unit_id(db, "P-B");
	f->pc = unit_id(db, "P-C");
	f->pd = unit_id(db, "P-D");

	assert_int_equal(db_account_add(db, "leder1", "leder", "P-A", "x", NULL), DB_OK);
	assert_int_equal(db_account_add(db, "leder2", "leder", "P-A", "x", NULL), DB_OK);
	assert_int_equal(db_account_add(db, "ana1", "analytiker", "NO", "x", NULL), DB_OK);
	assert_int_equal(db_account_add(db, "ana2", "analytiker", "NO", "x", NULL), DB_OK);
	assert_int_equal(db_account_set_directorate(db, "ana1", "avdir"), DB_OK);
	assert_int_equal(db_account_set_directorate(db, "ana2", "udir"), DB_OK);
	assert_int_equal(db_account_set_directorate(db, "nobody", "udir"), DB_NOTFOUND);
	assert_int_equal(db_account_set_directorate(db, "ana2", "nav"), DB_ERROR); /* the column's check */
	assert_int_equal(db_account_get(db, "leder1", &f->leder1), DB_OK);
	assert_int_equal(db_account_get(db, "leder2", &f->leder2), DB_OK);
	assert_int_equal(db_account_get(db, "ana1", &f->ana1), DB_OK);
	assert_int_equal(db_account_get(db, "ana2", &f->ana2), DB_OK);
	assert_string_equal(f->leder1.directorate, "");
	assert_string_equal(f->ana1.directorate, "avdir");
	assert_string_equal(f->ana2.directorate, "udir");
	*state = f;
	return 0;
}

static int db_teardown(void **state)
{
	struct fx *f = *state;
	char p[128];
	db_close(f->db);
	unlink(f->path);
	snprintf(p, sizeof p, "%s-wal", f->path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", f->path);
	unlink(p);
	free(f);
	return 0;
}

/* Runs raw SQL on the connection behind db: the triggers must hold against it too. */
static int raw(db_t *db, const char *sql)
{
	return sqlite3_exec(dbi_handle(db), sql, NULL, NULL, NULL);
}

static int64_t count_of(db_t *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int64_t n = -1;
	if (sqlite3_prepare_v2(dbi_handle(db), sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* ---- migration 5 as an upgrade ---- */

/* A database at schema 4 with a pilot unit and an account is upgraded to 5: the account gets no
 * directorate, the pilot is unregistered, and migrating again changes nothing. */
static void migration_5_upgrade(void **state)
{
	(void)state;
	char path[96], p2[128], err[256];
	snprintf(path, sizeof path, "/tmp/elevlos-pilot-%d-v4.db", (int)getpid());
	unlink(path);
	sqlite3 *h = NULL;
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, "PRAGMA foreign_keys = ON; BEGIN", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(db_migrations_count, DB_SCHEMA_VERSION);
	for (int i = 0; i < 4; i++)
		assert_int_equal(sqlite3_exec(h, db_migrations[i], NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h,
				      "PRAGMA user_version = 4;"
				      "INSERT INTO unit (code, name, kind, parent_id, path)"
				      " SELECT 'P-OLD', 'Pilot old', 'pilot', id, '/NO/02/P-OLD/' FROM unit WHERE code = '02';"
				      "INSERT INTO account (username, role, unit_id, pw_hash)"
				      " SELECT 'old', 'analytiker', id, 'x' FROM unit WHERE code = 'NO';"
				      "COMMIT",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(h);

	db_t *db;
	int from = -1, to = -1;
	assert_int_equal(db_open(path, NULL, &db, err, sizeof err), DB_OK);
	assert_int_equal(db_migrate(db, &from, &to, err, sizeof err), DB_OK);
	assert_int_equal(from, 4);
	assert_int_equal(to, DB_SCHEMA_VERSION);
	assert_int_equal(db_schema_version(db), DB_SCHEMA_VERSION);
	struct account a;
	assert_int_equal(db_account_get(db, "old", &a), DB_OK);
	assert_string_equal(a.directorate, "");
	assert_int_equal(db_account_set_directorate(db, "old", "udir"), DB_OK);
	assert_int_equal(db_account_get(db, "old", &a), DB_OK);
	assert_string_equal(a.directorate, "udir");
	struct pilot_row p;
	assert_int_equal(db_pilot_get(db, "P-OLD", &p), DB_OK);
	assert_int_equal(p.registered, 0);
	assert_string_equal(p.county, "02");
	assert_int_equal(db_pilot_put(db, "P-OLD", "2013-08-01", "", 3, "active", "old"), DB_OK);
	assert_int_equal(db_migrate(db, &from, &to, err, sizeof err), DB_OK);
	assert_int_equal(from, DB_SCHEMA_VERSION);
	assert_int_equal(to, DB_SCHEMA_VERSION);
	assert_int_equal(db_pilot_get(db, "P-OLD", &p), DB_OK);
	assert_int_equal(p.registered, 1);
	db_close(db);
	unlink(path);
	snprintf(p2, sizeof p2, "%s-wal", path);
	unlink(p2);
	snprintf(p2, sizeof p2, "%s-shm", path);
	unlink(p2);
}

/* ---- the register ---- */

static void register_get_put(void **state)
{
	struct fx *f = *state;
	db_t *db = f->db;
	struct pilot_row p;

	/* A pilot unit without register data. */
	memset(&p, 0xAB, sizeof p);
	assert_int_equal(db_pilot_get(db, "P-A", &p), DB_OK);
	assert_int_equal(p.unit_id, f->pa);
	assert_int_equal(p.registered, 0);
	assert_string_equal(p.code, "P-A");
	assert_string_equal(p.name, "Pilot A");
	assert_string_equal(p.path, "/NO/02/P-A/");
	assert_string_equal(p.county, "02");
	struct unit county;
	assert_int_equal(db_unit_get(db, "02", &county), DB_OK);
	assert_string_equal(p.county_name, county.name);
	assert_string_equal(p.start_on, "");
	assert_string_equal(p.end_on, "");
	assert_int_equal(p.project_years, 3);
	assert_string_equal(p.status, "active");
	assert_string_equal(p.updated_by, "");

	/* A school, a county, the nation and an unknown code are no pilots. */
	assert_int_equal(db_pilot_get(db, "S-A1", &p), DB_NOTFOUND);
	assert_int_equal(db_pilot_get(db, "02", &p), DB_NOTFOUND);
	assert_int_equal(db_pilot_get(db, "NO", &p), DB_NOTFOUND);
	assert_int_equal(db_pilot_get(db, "P-ZZ", &p), DB_NOTFOUND);

	/* Register, then every field round-trips. */
	assert_int_equal(db_pilot_put(db, "P-A", "2013-08-01", "", 3, "active", "admin1"), DB_OK);
	assert_int_equal(db_pilot_get(db, "P-A", &p), DB_OK);
	assert_int_equal(p.registered, 1);
	assert_int_equal(p.unit_id, f->pa);
	assert_string_equal(p.start_on, "2013-08-01");
	assert_string_equal(p.end_on, "");
	assert_int_equal(p.project_years, 3);
	assert_string_equal(p.status, "active");
	assert_string_equal(p.updated_by, "admin1");
	assert_int_equal(strlen(p.updated_at), 20); /* 2024-01-01T00:00:00Z */
	assert_int_equal(p.updated_at[10], 'T');

	/* Update in place: the fourth year and an end. */
	assert_int_equal(db_pilot_put(db, "P-A", "2013-08-01", "2017-07-31", 4, "fourth_year", "admin2"), DB_OK);
	assert_int_equal(db_pilot_get(db, "P-A", &p), DB_OK);
	assert_int_equal(p.registered, 1);
	assert_string_equal(p.end_on, "2017-07-31");
	assert_int_equal(p.project_years, 4);
	assert_string_equal(p.status, "fourth_year");
	assert_string_equal(p.updated_by, "admin2");
	assert_int_equal(count_of(db, "SELECT count(*) FROM pilot"), 1);
	/* "" clears the end again (stored as NULL). */
	assert_int_equal(db_pilot_put(db, "P-A", "2013-08-01", "", 4, "continued_locally", "admin2"), DB_OK);
	assert_int_equal(db_pilot_get(db, "P-A", &p), DB_OK);
	assert_string_equal(p.end_on, "");
	assert_string_equal(p.status, "continued_locally");
	assert_int_equal(count_of(db, "SELECT count(*) FROM pilot WHERE end_on IS NULL"), 1);

	/* Not a pilot. */
	assert_int_equal(db_pilot_put(db, "S-A1", "2013-08-01", "", 3, "active", "admin1"), DB_INVALID);
	assert_int_equal(db_pilot_put(db, "02", "2013-08-01", "", 3, "active", "admin1"), DB_INVALID);
	assert_int_equal(db_pilot_put(db, "P-ZZ", "2013-08-01", "", 3, "active", "admin1"), DB_INVALID);
	assert_int_equal(count_of(db, "SELECT count(*) FROM pilot"), 1);

	/* The table's checks: status, project years 1..10, a date, an end not before the start. */
	assert_int_equal(db_pilot_put(db, "P-B", "2013-08-01", "", 3, "paused", "a"), DB_ERROR);
	assert_int_equal(db_pilot_put(db, "P-B", "2013-08-01", "", 0, "active", "a"), DB_ERROR);
	assert_int_equal(db_pilot_put(db, "P-B", "2013-08-01", "", 11, "active", "a"), DB_ERROR);
	assert_int_equal(db_pilot_put(db, "P-B", "13-08-01", "", 3, "active", "a"), DB_ERROR);
	assert_int_equal(db_pilot_put(db, "P-B", "", "", 3, "active", "a"), DB_ERROR);
	assert_int_equal(db_pilot_put(db, "P-B", "2013-08-01", "2013-07-31", 3, "active", "a"), DB_ERROR);
	assert_int_equal(db_pilot_get(db, "P-B", &p), DB_OK);
	assert_int_equal(p.registered, 0);
	assert_int_equal(count_of(db, "SELECT count(*) FROM pilot"), 1);
}

struct codes {
	int n;
	char code[8][33];
	int registered[8];
	int stop_after; /* 0: never */
};

static int collect_pilot(const struct pilot_row *p, void *ctx)
{
	struct codes *c = ctx;
	assert_true(c->n < 8);
	snprintf(c->code[c->n], sizeof c->code[0], "%s", p->code);
	c->registered[c->n] = p->registered;
	c->n++;
	return c->stop_after && c->n >= c->stop_after;
}

static void register_list(void **state)
{
	struct fx *f = *state;
	db_t *db = f->db;
	/* County 02: P-C starts first, then P-A, then the unregistered P-D; county 03: P-B. */
	assert_int_equal(db_pilot_put(db, "P-A", "2013-08-01", "", 3, "active", "admin1"), DB_OK);
	assert_int_equal(db_pilot_put(db, "P-C", "2012-08-01", "", 3, "active", "admin1"), DB_OK);
	assert_int_equal(db_pilot_put(db, "P-B", "2011-08-01", "", 3, "active", "admin1"), DB_OK);

	struct codes c;
	memset(&c, 0, sizeof c);
	assert_int_equal(db_pilot_list(db, "/NO/", collect_pilot, &c), DB_OK);
	assert_int_equal(c.n, 4);
	assert_string_equal(c.code[0], "P-C");
	assert_string_equal(c.code[1], "P-A");
	assert_string_equal(c.code[2], "P-D");
	assert_string_equal(c.code[3], "P-B");
	assert_int_equal(c.registered[0], 1);
	assert_int_equal(c.registered[2], 0);
	assert_int_equal(c.registered[3], 1);

	memset(&c, 0, sizeof c);
	assert_int_equal(db_pilot_list(db, "/NO/03/", collect_pilot, &c), DB_OK);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.code[0], "P-B");

	memset(&c, 0, sizeof c);
	assert_int_equal(db_pilot_list(db, "/NO/02/P-A/", collect_pilot, &c), DB_OK);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.code[0], "P-A");

	memset(&c, 0, sizeof c);
	assert_int_equal(db_pilot_list(db, "/NO/11/", collect_pilot, &c), DB_OK);
	assert_int_equal(c.n, 0);

	/* A callback returning non-zero stops the list. */
	memset(&c, 0, sizeof c);
	c.stop_after = 2;
	assert_int_equal(db_pilot_list(db, "/NO/", collect_pilot, &c), DB_OK);
	assert_int_equal(c.n, 2);
}

/* ---- the steering group ---- */

struct members {
	int n;
	struct steering_member m[8];
};

static int collect_member(const struct steering_member *m, void *ctx)
{
	struct members *c = ctx;
	assert_true(c->n < 8);
	c->m[c->n++] = *m;
	return 0;
}

static void steering_group(void **state)
{
	struct fx *f = *state;
	db_t *db = f->db;
	int64_t m1, m2, m3, mb;

	/* The steering group belongs to a registered pilot. */
	assert_int_equal(db_member_add(db, f->pa, "Kari Nordmann", "NAV Akershus", "Leder", &m1), DB_INVALID);
	assert_int_equal(db_pilot_put(db, "P-A", "2013-08-01", "", 3, "active", "admin1"), DB_OK);
	assert_int_equal(db_pilot_put(db, "P-B", "2013-08-01", "", 3, "active", "admin1"), DB_OK);

	assert_int_equal(db_member_add(db, f->pa, "Kari Nordmann", "NAV Akershus", "Leder", &m1), DB_OK);
	assert_int_equal(db_member_add(db, f->pa, "Ola Nordmann", "Akershus fylkeskommune", "Medlem", &m2), DB_OK);
	assert_int_equal(db_member_add(db, f->pa, "Per Hansen", "Skole A1", "Rektor", &m3), DB_OK);
	assert_int_equal(db_member_add(db, f->pb, "Anne Berg", "NAV Oslo", "Leder", &mb), DB_OK);
	assert_true(m1 > 0 && m2 > m1 && m3 > m2 && mb > m3);
	/* Name, organisation and role are required. */
	assert_int_equal(db_member_add(db, f->pa, "", "NAV", "Medlem", NULL), DB_ERROR);
	assert_int_equal(db_member_add(db, f->pa, "X", "", "Medlem", NULL), DB_ERROR);
	assert_int_equal(db_member_add(db, f->pa, "X", "NAV", "", NULL), DB_ERROR);

	struct members c;
	memset(&c, 0, sizeof c);
	assert_int_equal(db_member_list(db, f->pa, collect_member, &c), DB_OK);
	assert_int_equal(c.n, 3);
	assert_int_equal(c.m[0].id, m1);
	assert_string_equal(c.m[0].name, "Kari Nordmann");
	assert_string_equal(c.m[0].organisation, "NAV Akershus");
	assert_string_equal(c.m[0].role, "Leder");
	assert_int_equal(strlen(c.m[0].added_at), 20);
	assert_int_equal(c.m[1].id, m2);
	assert_string_equal(c.m[1].organisation, "Akershus fylkeskommune");
	assert_int_equal(c.m[2].id, m3);
	assert_string_equal(c.m[2].role, "Rektor");

	/* Removed: not listed, kept in the table. */
	assert_int_equal(db_member_remove(db, f->pa, m2), DB_OK);
	memset(&c, 0, sizeof c);
	assert_int_equal(db_member_list(db, f->pa, collect_member, &c), DB_OK);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.m[0].id, m1);
	assert_int_equal(c.m[1].id, m3);
	assert_int_equal(count_of(db, "SELECT count(*) FROM steering_member WHERE removed_at IS NOT NULL"), 1);

	/* Twice, another pilot's member, no such member: not found. */
	assert_int_equal(db_member_remove(db, f->pa, m2), DB_NOTFOUND);
	assert_int_equal(db_member_remove(db, f->pa, mb), DB_NOTFOUND);
	assert_int_equal(db_member_remove(db, f->pa, 99999), DB_NOTFOUND);
	memset(&c, 0, sizeof c);
	assert_int_equal(db_member_list(db, f->pb, collect_member, &c), DB_OK);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.m[0].id, mb);
	assert_string_equal(c.m[0].name, "Anne Berg");

	/* A pilot without a group lists nothing. */
	memset(&c, 0, sizeof c);
	assert_int_equal(db_member_list(db, f->pc, collect_member, &c), DB_OK);
	assert_int_equal(c.n, 0);
}

/* ---- grants ---- */

struct grants {
	int n;
	struct grant_row g[8];
};

static int collect_grant(const struct grant_row *g, void *ctx)
{
	struct grants *c = ctx;
	assert_true(c->n < 8);
	c->g[c->n++] = *g;
	return 0;
}

/* A line prepared by the rules for a pilot as stored. */
static struct grant_row prepared(db_t *db, const char *code, struct grant_row g)
{
	struct pilot_row p;
	assert_int_equal(db_pilot_get(db, code, &p), DB_OK);
	g.pilot_id = p.unit_id;
	assert_null(grant_prepare(&p, SHARES, NSHARES, &g));
	return g;
}

static void grants_put_and_pay(void **state)
{
	struct fx *f = *state;
	db_t *db = f->db;
	assert_int_equal(db_pilot_put(db, "P-A", "2013-08-01", "", 3, "active", "admin1"), DB_OK);
	assert_int_equal(db_pilot_put(db, "P-B", "2014-01-01", "", 3, "active", "admin1"), DB_OK);

	/* A line of a pilot without register data cannot be stored. */
	struct grant_row g = line63(1, 600000, 100);
	g.pilot_id = f->pd;
	g.budget_year = 2013;
	g.months = 12;
	g.amount = 600000;
	int64_t id = 0;
	assert_int_equal(db_grant_put(db, &g, "okonomi", &id), DB_INVALID);

	/* Insert: 600 000 × 5/12. */
	int64_t id1 = 0, id1b = 0, id21 = 0, idb = 0;
	g = prepared(db, "P-A", line63(1, 600000, -1));
	assert_int_equal(db_grant_put(db, &g, "okonomi", &id1), DB_OK);
	assert_true(id1 > 0);
	struct grants c;
	memset(&c, 0, sizeof c);
	assert_int_equal(db_grant_list(db, f->pa, NULL, collect_grant, &c), DB_OK);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.g[0].id, id1);
	assert_int_equal(c.g[0].pilot_id, f->pa);
	assert_string_equal(c.g[0].pilot_code, "P-A");
	assert_string_equal(c.g[0].pilot_name, "Pilot A");
	assert_string_equal(c.g[0].county, "02");
	assert_int_equal(c.g[0].project_year, 1);
	assert_int_equal(c.g[0].budget_year, 2013);
	assert_string_equal(c.g[0].chapter, "0621");
	assert_string_equal(c.g[0].post, "63");
	assert_int_equal(c.g[0].share_pct, 100);
	assert_int_equal(c.g[0].salary_base, 600000);
	assert_int_equal(c.g[0].months, 5);
	assert_int_equal(c.g[0].amount, 250000);
	assert_string_equal(c.g[0].paid_on, "");
	assert_string_equal(c.g[0].updated_by, "okonomi");

	/* Replace the same (pilot, project year, post): the same line, a new amount (660 000 × 5/12). */
	g = prepared(db, "P-A", line63(1, 660000, -1));
	assert_int_equal(db_grant_put(db, &g, "okonomi2", &id1b), DB_OK);
	assert_int_equal(id1b, id1);
	memset(&c, 0, sizeof c);
	assert_int_equal(db_grant_list(db, f->pa, NULL, collect_grant, &c), DB_OK);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.g[0].salary_base, 660000);
	assert_int_equal(c.g[0].amount, 275000);
	assert_string_equal(c.g[0].updated_by, "okonomi2");
	assert_int_equal(count_of(db, "SELECT count(*) FROM grant_line"), 1);

	/* Post 21 of the same year is another line; post 63 lists first. */
	g = prepared(db, "P-A", line21(1, 120000));
	assert_int_equal(db_grant_put(db, &g, "okonomi", &id21), DB_OK);
	assert_true(id21 != id1);
	g = prepared(db, "P-B", line63(1, 650000, 50));
	assert_int_equal(db_grant_put(db, &g, "okonomi", &idb), DB_OK);
	memset(&c, 0, sizeof c);
	assert_int_equal(db_grant_list(db, f->pa, NULL, collect_grant, &c), DB_OK);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.g[0].id, id1);
	assert_int_equal(c.g[1].id, id21);
	assert_string_equal(c.g[1].post, "21");
	assert_int_equal(c.g[1].share_pct, -1);
	assert_int_equal(c.g[1].salary_base, -1);
	assert_int_equal(c.g[1].amount, 120000);
	assert_int_equal(count_of(db, "SELECT count(*) FROM grant_line WHERE post = '21' AND share_pct IS NULL"
				      " AND salary_base IS NULL"),
			 1);

	/* Every pilot under the nation: by budget year (2013 before 2014), then pilot, post. */
	memset(&c, 0, sizeof c);
	assert_int_equal(db_grant_list(db, 0, "/NO/", collect_grant, &c), DB_OK);
	assert_int_equal(c.n, 3);
	assert_int_equal(c.g[0].id, id1);
	assert_int_equal(c.g[1].id, id21);
	assert_int_equal(c.g[2].id, idb);
	assert_int_equal(c.g[2].budget_year, 2014);
	assert_int_equal(c.g[2].amount, 325000);
	assert_string_equal(c.g[2].county, "03");
	memset(&c, 0, sizeof c);
	assert_int_equal(db_grant_list(db, 0, "/NO/03/", collect_grant, &c), DB_OK);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.g[0].id, idb);

	/* Pay; a paid line is paid once and never changes. */
	assert_int_equal(db_grant_pay(db, f->pa, id1, "2013-09-15", "kasserer"), DB_OK);
	assert_int_equal(db_grant_pay(db, f->pa, id1, "2013-09-16", "kasserer"), DB_CONFLICT);
	g = prepared(db, "P-A", line63(1, 720000, -1));
	id = 0;
	assert_int_equal(db_grant_put(db, &g, "okonomi3", &id), DB_CONFLICT);
	memset(&c, 0, sizeof c);
	assert_int_equal(db_grant_list(db, f->pa, NULL, collect_grant, &c), DB_OK);
	assert_int_equal(c.g[0].id, id1);
	assert_string_equal(c.g[0].paid_on, "2013-09-15");
	assert_int_equal(c.g[0].amount, 275000);
	assert_int_equal(c.g[0].salary_base, 660000);
	assert_string_equal(c.g[0].updated_by, "kasserer");
	assert_string_equal(c.g[1].paid_on, "");

	/* Another pilot's line, or no line at all: not found, and nothing paid. */
	assert_int_equal(db_grant_pay(db, f->pb, id21, "2013-09-15", "kasserer"), DB_NOTFOUND);
	assert_int_equal(db_grant_pay(db, f->pa, idb, "2013-09-15", "kasserer"), DB_NOTFOUND);
	assert_int_equal(db_grant_pay(db, f->pa, 99999, "2013-09-15", "kasserer"), DB_NOTFOUND);
	assert_int_equal(count_of(db, "SELECT count(*) FROM grant_line WHERE paid_on IS NOT NULL"), 1);

	/* The trigger holds against raw SQL: a paid line is neither changed nor removed… */
	char sql[160];
	snprintf(sql, sizeof sql, "UPDATE grant_line SET amount = 1 WHERE id = %lld", (long long)id1);
	assert_int_not_equal(raw(db, sql), SQLITE_OK);
	snprintf(sql, sizeof sql, "UPDATE grant_line SET paid_on = NULL WHERE id = %lld", (long long)id1);
	assert_int_not_equal(raw(db, sql), SQLITE_OK);
	snprintf(sql, sizeof sql, "DELETE FROM grant_line WHERE id = %lld", (long long)id1);
	assert_int_not_equal(raw(db, sql), SQLITE_OK);
	assert_int_equal(count_of(db, "SELECT amount FROM grant_line WHERE paid_on IS NOT NULL"), 275000);
	/* …while an unpaid one still can be. */
	snprintf(sql, sizeof sql, "UPDATE grant_line SET amount = 130000 WHERE id = %lld", (long long)id21);
	assert_int_equal(raw(db, sql), SQLITE_OK);
	snprintf(sql, sizeof sql, "DELETE FROM grant_line WHERE id = %lld", (long long)id21);
	assert_int_equal(raw(db, sql), SQLITE_OK);
	assert_int_equal(count_of(db, "SELECT count(*) FROM grant_line"), 2);
}

/* grant_row.paid_on is "" when not paid: a payment without a date must not be stored, or the
 * line is listed as unpaid while it can be neither paid nor changed. */
static void grants_pay_needs_a_date(void **state)
{
	struct fx *f = *state;
	db_t *db = f->db;
	assert_int_equal(db_pilot_put(db, "P-A", "2013-08-01", "", 3, "active", "admin1"), DB_OK);
	int64_t id = 0;
	struct grant_row g = prepared(db, "P-A", line63(1, 600000, -1));
	assert_int_equal(db_grant_put(db, &g, "okonomi", &id), DB_OK);

	int rc_empty = db_grant_pay(db, f->pa, id, "", "kasserer");
	int rc_null = db_grant_pay(db, f->pa, id, NULL, "kasserer");
	struct grants c;
	memset(&c, 0, sizeof c);
	assert_int_equal(db_grant_list(db, f->pa, NULL, collect_grant, &c), DB_OK);
	assert_int_equal(c.n, 1);
	g = prepared(db, "P-A", line63(1, 660000, -1));
	int rc_put = db_grant_put(db, &g, "okonomi", &id);
	int rc_pay = db_grant_pay(db, f->pa, id, "2013-09-15", "kasserer");
	if (rc_empty == DB_OK || rc_null == DB_OK || rc_put != DB_OK || rc_pay != DB_OK)
		fail_msg("paying with no date gave %d (\"\") and %d (NULL); the line then lists paid_on '%s' and"
			 " amount %ld, a change gives %d and a dated payment %d (want refusals, then %d and %d)",
			 rc_empty, rc_null, c.g[0].paid_on, c.g[0].amount, rc_put, rc_pay, DB_OK, DB_OK);
	memset(&c, 0, sizeof c);
	assert_int_equal(db_grant_list(db, f->pa, NULL, collect_grant, &c), DB_OK);
	assert_string_equal(c.g[0].paid_on, "2013-09-15");
	assert_int_equal(c.g[0].amount, 275000);
}

/* ---- reports ---- */

static int64_t a_release(db_t *db)
{
	struct release_row r;
	memset(&r, 0, sizeof r);
	snprintf(r.school_year, sizeof r.school_year, "2013/14");
	snprintf(r.inputs_hash, sizeof r.inputs_hash, "%064d", 0);
	snprintf(r.created_by, sizeof r.created_by, "maker");
	char content[] = "{}";
	r.content = content;
	assert_int_equal(db_release_insert(db, &r), DB_OK);
	assert_true(r.id > 0);
	return r.id;
}

struct versions {
	int n;
	struct preport_version v[12];
};

static int collect_version(const struct preport_version *v, void *ctx)
{
	struct versions *c = ctx;
	assert_true(c->n < 12);
	for (int i = 0; i < PR_NFIELDS; i++)
		assert_null(v->text[i]); /* the history has no texts */
	c->v[c->n++] = *v;
	return 0;
}

static int version_count(db_t *db, int64_t report_id)
{
	struct versions c;
	memset(&c, 0, sizeof c);
	assert_int_equal(db_preport_history(db, report_id, collect_version, &c), DB_OK);
	return c.n;
}

struct reports {
	int n;
	struct preport_row r[8];
};

static int collect_report(const struct preport_row *r, void *ctx)
{
	struct reports *c = ctx;
	assert_true(c->n < 8);
	c->r[c->n++] = *r;
	return 0;
}

static void reports_create(void **state)
{
	struct fx *f = *state;
	db_t *db = f->db;
	int64_t id, fin, other;

	/* Reports belong to a registered pilot. */
	assert_int_equal(db_preport_create(db, f->pa, "annual", 2013, &f->leder1, &id), DB_INVALID);
	assert_int_equal(db_pilot_put(db, "P-A", "2013-08-01", "", 3, "active", "admin1"), DB_OK);

	assert_int_equal(db_preport_create(db, f->pa, "annual", 2013, &f->leder1, &id), DB_OK);
	assert_true(id > 0);
	assert_int_equal(db_preport_create(db, f->pa, "annual", 2013, &f->leder2, &other), DB_CONFLICT);
	assert_int_equal(count_of(db, "SELECT count(*) FROM pilot_report"), 1);
	assert_int_equal(count_of(db, "SELECT count(*) FROM pilot_report_version"), 1);

	/* The final report is the one with school year 0, and only it. */
	assert_int_not_equal(db_preport_create(db, f->pa, "final", 2013, &f->leder1, &other), DB_OK);
	assert_int_not_equal(db_preport_create(db, f->pa, "final", 2016, &f->leder1, &other), DB_OK);
	assert_int_not_equal(db_preport_create(db, f->pa, "annual", 0, &f->leder1, &other), DB_OK);
	assert_int_not_equal(db_preport_create(db, f->pa, "interim", 2014, &f->leder1, &other), DB_OK);
	assert_int_equal(count_of(db, "SELECT count(*) FROM pilot_report"), 1);
	assert_int_equal(db_preport_create(db, f->pa, "final", 0, &f->ana2, &fin), DB_OK);
	assert_int_equal(db_preport_create(db, f->pa, "final", 0, &f->leder1, &other), DB_CONFLICT);

	/* The newest version of a new report: 1, a draft with empty texts. */
	struct preport_version v;
	assert_int_equal(db_preport_version_get(db, id, 0, &v), DB_OK);
	assert_int_equal(v.version, 1);
	assert_string_equal(v.state, "draft");
	assert_string_equal(v.action, "created");
	for (int i = 0; i < PR_NFIELDS; i++) {
		assert_non_null(v.text[i]);
		assert_string_equal(v.text[i], "");
	}
	assert_int_equal(v.release_id, 0);
	assert_string_equal(v.by_user, "leder1");
	assert_string_equal(v.by_role, "leder");
	assert_string_equal(v.by_directorate, "");
	assert_int_equal(strlen(v.at), 20);
	preport_version_free(&v);
	for (int i = 0; i < PR_NFIELDS; i++)
		assert_null(v.text[i]);

	/* The account's directorate goes with what it writes. */
	assert_int_equal(db_preport_version_get(db, fin, 0, &v), DB_OK);
	assert_int_equal(v.version, 1);
	assert_string_equal(v.by_user, "ana2");
	assert_string_equal(v.by_role, "analytiker");
	assert_string_equal(v.by_directorate, "udir");
	preport_version_free(&v);

	assert_int_equal(db_preport_version_get(db, id, 1, &v), DB_OK);
	assert_int_equal(v.version, 1);
	preport_version_free(&v);
	assert_int_equal(db_preport_version_get(db, id, 2, &v), DB_NOTFOUND);
	assert_int_equal(db_preport_version_get(db, 99999, 0, &v), DB_NOTFOUND);

	struct preport_row r;
	assert_int_equal(db_preport_get(db, f->pa, "annual", 2013, &r), DB_OK);
	assert_int_equal(r.id, id);
	assert_int_equal(r.pilot_id, f->pa);
	assert_string_equal(r.pilot_code, "P-A");
	assert_string_equal(r.kind, "annual");
	assert_int_equal(r.school_year, 2013);
	assert_string_equal(r.state, "draft");
	assert_int_equal(r.version, 1);
	assert_string_equal(r.submitted_by, "");
	assert_int_equal(strlen(r.updated_at), 20);
	assert_int_equal(db_preport_get(db, f->pa, "final", 0, &r), DB_OK);
	assert_int_equal(r.id, fin);
	assert_int_equal(r.school_year, 0);
	assert_int_equal(db_preport_get(db, f->pa, "annual", 2014, &r), DB_NOTFOUND);
	assert_int_equal(db_preport_get(db, f->pb, "annual", 2013, &r), DB_NOTFOUND);
}

static void reports_advance(void **state)
{
	struct fx *f = *state;
	db_t *db = f->db;
	assert_int_equal(db_pilot_put(db, "P-A", "2013-08-01", "", 3, "active", "admin1"), DB_OK);
	int64_t id, rel = a_release(db);
	assert_int_equal(db_preport_create(db, f->pa, "annual", 2013, &f->leder1, &id), DB_OK);

	/* v2: a save with texts. */
	const char *t[PR_NFIELDS] = {NULL};
	t[PR_ACTIVITIES] = "Aktiviteter";
	t[PR_CHALLENGES] = "Utfordringer";
	t[PR_FUNDS] = "Midler";
	t[PR_GOAL1] = "Mål 1";
	t[PR_GOAL2] = "Mål 2";
	t[PR_GOAL3] = "Mål 3";
	t[PR_GOAL4] = "Mål 4";
	for (int i = 0; i < PR_NFIELDS; i++)
		if (!t[i])
			t[i] = "";
	assert_int_equal(db_preport_advance(db, id, 1, "draft", "saved", t, -1, &f->leder1), DB_OK);
	struct preport_version v;
	assert_int_equal(db_preport_version_get(db, id, 0, &v), DB_OK);
	assert_int_equal(v.version, 2);
	assert_string_equal(v.state, "draft");
	assert_string_equal(v.action, "saved");
	for (int i = 0; i < PR_NFIELDS; i++)
		assert_string_equal(v.text[i], t[i]);
	assert_int_equal(v.release_id, 0);
	preport_version_free(&v);
	/* Version 1 is as it was. */
	assert_int_equal(db_preport_version_get(db, id, 1, &v), DB_OK);
	assert_string_equal(v.text[PR_ACTIVITIES], "");
	assert_string_equal(v.action, "created");
	preport_version_free(&v);
	struct preport_row r;
	assert_int_equal(db_preport_get(db, f->pa, "annual", 2013, &r), DB_OK);
	assert_int_equal(r.version, 2);
	assert_string_equal(r.state, "draft");
	assert_string_equal(r.submitted_by, ""); /* a save is no submission */

	/* v3: submitted with no texts (kept) and the release inserted at submission. */
	assert_int_equal(db_preport_advance(db, id, 2, "submitted", "submitted", NULL, rel, &f->leder1), DB_OK);
	assert_int_equal(db_preport_version_get(db, id, 0, &v), DB_OK);
	assert_int_equal(v.version, 3);
	assert_string_equal(v.state, "submitted");
	assert_string_equal(v.text[PR_GOAL2], "Mål 2");
	assert_string_equal(v.text[PR_FUNDS], "Midler");
	assert_string_equal(v.text[PR_SUMMARY], "");
	assert_int_equal(v.release_id, rel);
	preport_version_free(&v);
	assert_int_equal(db_preport_get(db, f->pa, "annual", 2013, &r), DB_OK);
	assert_string_equal(r.state, "submitted");
	assert_int_equal(r.version, 3);
	assert_string_equal(r.submitted_by, "leder1");

	/* v4: returned by another leder, one text changed, the others (NULL) and the release kept. */
	const char *t2[PR_NFIELDS] = {NULL};
	t2[PR_CHALLENGES] = "Nye utfordringer";
	assert_int_equal(db_preport_advance(db, id, 3, "draft", "returned", t2, -1, &f->leder2), DB_OK);
	assert_int_equal(db_preport_version_get(db, id, 0, &v), DB_OK);
	assert_int_equal(v.version, 4);
	assert_string_equal(v.state, "draft");
	assert_string_equal(v.action, "returned");
	assert_string_equal(v.text[PR_CHALLENGES], "Nye utfordringer");
	assert_string_equal(v.text[PR_ACTIVITIES], "Aktiviteter");
	assert_string_equal(v.text[PR_GOAL4], "Mål 4");
	assert_int_equal(v.release_id, rel);
	assert_string_equal(v.by_user, "leder2");
	preport_version_free(&v);
	assert_int_equal(db_preport_get(db, f->pa, "annual", 2013, &r), DB_OK);
	assert_string_equal(r.state, "draft");
	assert_string_equal(r.submitted_by, "leder1"); /* only a submission changes it */

	/* A stale expected version: refused, nothing written. */
	int64_t rows = count_of(db, "SELECT count(*) FROM pilot_report_version");
	assert_int_equal(db_preport_advance(db, id, 3, "draft", "saved", t, -1, &f->leder1), DB_CONFLICT);
	assert_int_equal(db_preport_advance(db, id, 2, "submitted", "submitted", t, -1, &f->leder1), DB_CONFLICT);
	assert_int_equal(db_preport_advance(db, id, 5, "draft", "saved", t, -1, &f->leder1), DB_CONFLICT);
	assert_int_equal(db_preport_advance(db, id, 99, "draft", "saved", t, -1, &f->leder1), DB_CONFLICT);
	assert_int_equal(count_of(db, "SELECT count(*) FROM pilot_report_version"), rows);
	assert_int_equal(version_count(db, id), 4);
	assert_int_equal(db_preport_get(db, f->pa, "annual", 2013, &r), DB_OK);
	assert_int_equal(r.version, 4);
	assert_string_equal(r.state, "draft");
	assert_string_equal(r.submitted_by, "leder1");
	assert_int_equal(db_preport_version_get(db, id, 0, &v), DB_OK);
	assert_int_equal(v.version, 4);
	assert_string_equal(v.text[PR_CHALLENGES], "Nye utfordringer");
	preport_version_free(&v);

	/* v5 submitted again by leder2, v6 approved by leder1, v7 feedback by an Avdir analyst. */
	assert_int_equal(db_preport_advance(db, id, 4, "submitted", "submitted", NULL, -1, &f->leder2), DB_OK);
	assert_int_equal(db_preport_get(db, f->pa, "annual", 2013, &r), DB_OK);
	assert_string_equal(r.submitted_by, "leder2");
	assert_int_equal(db_preport_advance(db, id, 5, "approved", "approved", NULL, -1, &f->leder1), DB_OK);
	assert_int_equal(db_preport_get(db, f->pa, "annual", 2013, &r), DB_OK);
	assert_string_equal(r.state, "approved");
	assert_string_equal(r.submitted_by, "leder2");
	const char *fb[PR_NFIELDS] = {NULL};
	fb[PR_FEEDBACK] = "Godt arbeid";
	assert_int_equal(db_preport_advance(db, id, 6, "feedback", "feedback", fb, 0, &f->ana1), DB_OK);
	assert_int_equal(db_preport_version_get(db, id, 0, &v), DB_OK);
	assert_int_equal(v.version, 7);
	assert_string_equal(v.state, "feedback");
	assert_string_equal(v.text[PR_FEEDBACK], "Godt arbeid");
	assert_string_equal(v.text[PR_CHALLENGES], "Nye utfordringer");
	assert_int_equal(v.release_id, 0); /* 0 is "none", not "as before" */
	assert_string_equal(v.by_user, "ana1");
	assert_string_equal(v.by_role, "analytiker");
	assert_string_equal(v.by_directorate, "avdir");
	preport_version_free(&v);

	/* The history, newest first, without texts. */
	struct versions h;
	memset(&h, 0, sizeof h);
	assert_int_equal(db_preport_history(db, id, collect_version, &h), DB_OK);
	assert_int_equal(h.n, 7);
	static const char *const actions[] = {"feedback",  "approved", "submitted", "returned",
					      "submitted", "saved",    "created"};
	static const char *const states[] = {"feedback", "approved", "submitted", "draft",
					     "submitted", "draft",   "draft"};
	static const char *const users[] = {"ana1", "leder1", "leder2", "leder2", "leder1", "leder1", "leder1"};
	for (int i = 0; i < 7; i++) {
		assert_int_equal(h.v[i].version, 7 - i);
		assert_string_equal(h.v[i].action, actions[i]);
		assert_string_equal(h.v[i].state, states[i]);
		assert_string_equal(h.v[i].by_user, users[i]);
	}
	assert_string_equal(h.v[0].by_directorate, "avdir");
	assert_string_equal(h.v[1].by_directorate, "");
	assert_int_equal(h.v[2].release_id, rel);
	assert_int_equal(h.v[4].release_id, rel);
	assert_int_equal(h.v[5].release_id, 0);

	/* Versions are never changed nor removed, not even by raw SQL. */
	char sql[160];
	snprintf(sql, sizeof sql, "UPDATE pilot_report_version SET summary = 'x' WHERE report_id = %lld", (long long)id);
	assert_int_not_equal(raw(db, sql), SQLITE_OK);
	snprintf(sql, sizeof sql, "UPDATE pilot_report_version SET state = 'closed' WHERE report_id = %lld"
				  " AND version = 7",
		 (long long)id);
	assert_int_not_equal(raw(db, sql), SQLITE_OK);
	snprintf(sql, sizeof sql, "DELETE FROM pilot_report_version WHERE report_id = %lld", (long long)id);
	assert_int_not_equal(raw(db, sql), SQLITE_OK);
	assert_int_equal(version_count(db, id), 7);
	assert_int_equal(count_of(db, "SELECT count(*) FROM pilot_report_version WHERE summary = 'x'"), 0);
}

/* An advance that fails (here: a release that does not exist) must leave the report as it was:
 * otherwise the report points at a version that was never written and no later advance fits. */
static void reports_failed_advance_writes_nothing(void **state)
{
	struct fx *f = *state;
	db_t *db = f->db;
	assert_int_equal(db_pilot_put(db, "P-A", "2013-08-01", "", 3, "active", "admin1"), DB_OK);
	int64_t id;
	assert_int_equal(db_preport_create(db, f->pa, "annual", 2013, &f->leder1, &id), DB_OK);
	/* The release does not exist: the version's foreign key refuses it. */
	int rc = db_preport_advance(db, id, 1, "submitted", "submitted", NULL, 424242, &f->leder1);
	assert_int_equal(rc, DB_INVALID);

	int versions = version_count(db, id);
	struct preport_row r;
	assert_int_equal(db_preport_get(db, f->pa, "annual", 2013, &r), DB_OK);
	/* Moving on from the newest version there is must still work. */
	int next = db_preport_advance(db, id, versions, "draft", "saved", NULL, -1, &f->leder1);
	if (versions != 1 || r.version != 1 || strcmp(r.state, "draft") != 0 || r.submitted_by[0] || next != DB_OK)
		fail_msg("a failed advance left the report moved: %d version row(s), report.version %d, state %s,"
			 " submitted_by '%s'; advancing from version %d then gives %d (want 1, 1, draft, '', %d)",
			 versions, r.version, r.state, r.submitted_by, versions, next, DB_OK);
	assert_int_equal(version_count(db, id), 2);
}

static void reports_list(void **state)
{
	struct fx *f = *state;
	db_t *db = f->db;
	assert_int_equal(db_pilot_put(db, "P-A", "2013-08-01", "", 3, "active", "admin1"), DB_OK);
	assert_int_equal(db_pilot_put(db, "P-B", "2013-08-01", "", 3, "active", "admin1"), DB_OK);
	int64_t fin, a14, a13, b13;
	/* Created out of order: the list orders them. */
	assert_int_equal(db_preport_create(db, f->pa, "final", 0, &f->leder1, &fin), DB_OK);
	assert_int_equal(db_preport_create(db, f->pa, "annual", 2014, &f->leder1, &a14), DB_OK);
	assert_int_equal(db_preport_create(db, f->pa, "annual", 2013, &f->leder1, &a13), DB_OK);
	assert_int_equal(db_preport_create(db, f->pb, "annual", 2013, &f->leder1, &b13), DB_OK);
	assert_int_equal(db_preport_advance(db, a13, 1, "submitted", "submitted", NULL, -1, &f->leder2), DB_OK);

	struct reports c;
	memset(&c, 0, sizeof c);
	assert_int_equal(db_preport_list(db, f->pa, NULL, collect_report, &c), DB_OK);
	assert_int_equal(c.n, 3);
	assert_int_equal(c.r[0].id, a13);
	assert_string_equal(c.r[0].kind, "annual");
	assert_int_equal(c.r[0].school_year, 2013);
	assert_string_equal(c.r[0].state, "submitted");
	assert_int_equal(c.r[0].version, 2);
	assert_string_equal(c.r[0].submitted_by, "leder2");
	assert_int_equal(strlen(c.r[0].updated_at), 20);
	assert_int_equal(c.r[1].id, a14);
	assert_int_equal(c.r[1].school_year, 2014);
	assert_string_equal(c.r[1].state, "draft");
	assert_int_equal(c.r[2].id, fin);
	assert_string_equal(c.r[2].kind, "final");
	assert_int_equal(c.r[2].school_year, 0);

	memset(&c, 0, sizeof c);
	assert_int_equal(db_preport_list(db, 0, "/NO/", collect_report, &c), DB_OK);
	assert_int_equal(c.n, 4);
	assert_int_equal(c.r[0].id, a13);
	assert_int_equal(c.r[1].id, a14);
	assert_int_equal(c.r[2].id, fin);
	assert_int_equal(c.r[3].id, b13);
	assert_string_equal(c.r[3].pilot_code, "P-B");

	memset(&c, 0, sizeof c);
	assert_int_equal(db_preport_list(db, 0, "/NO/03/", collect_report, &c), DB_OK);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.r[0].id, b13);

	memset(&c, 0, sizeof c);
	assert_int_equal(db_preport_list(db, f->pc, NULL, collect_report, &c), DB_OK);
	assert_int_equal(c.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shares_parse_valid),
		cmocka_unit_test(shares_parse_bad),
		cmocka_unit_test(default_share),
		cmocka_unit_test(budget_year_and_months),
		cmocka_unit_test(amounts),
		cmocka_unit_test(prepare_register_and_post),
		cmocka_unit_test(prepare_first_year_pro_rated),
		cmocka_unit_test(prepare_fourth_year),
		cmocka_unit_test(prepare_after_end),
		cmocka_unit_test(prepare_amount_checks),
		cmocka_unit_test(prepare_post_21),
		cmocka_unit_test(flow_every_combination),
		cmocka_unit_test(flow_four_eyes),
		cmocka_unit_test(flow_action_names),
		cmocka_unit_test(fields_of_kinds),
		cmocka_unit_test(missing_annual),
		cmocka_unit_test(missing_final),
		cmocka_unit_test(migration_5_upgrade),
		cmocka_unit_test_setup_teardown(register_get_put, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(register_list, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(steering_group, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(grants_put_and_pay, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(grants_pay_needs_a_date, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(reports_create, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(reports_advance, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(reports_failed_advance_writes_nothing, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(reports_list, db_setup, db_teardown),
	};
	return cmocka_run_group_tests_name("pilot", tests, NULL, NULL);
}
