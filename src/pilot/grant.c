#include "grant.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int grant_parse_shares(const char *s, int shares[GRANT_MAX_YEARS])
{
	int n = 0;
	const char *p = s;
	if (!p || !*p)
		return -1;
	for (;;) {
		if (n >= GRANT_MAX_YEARS || *p < '0' || *p > '9')
			return -1;
		char *end;
		long v = strtol(p, &end, 10);
		if (end == p || end - p > 3 || v < 0 || v > 100)
			return -1;
		shares[n++] = (int)v;
		if (*end == '\0')
			return n;
		if (*end != ',')
			return -1;
		p = end + 1;
		while (*p == ' ')
			p++;
	}
}

int grant_default_share(const int *shares, int n, int project_year)
{
	return project_year >= 1 && project_year <= n ? shares[project_year - 1] : 0;
}

static int year_of(const char *date)
{
	return date && strlen(date) >= 4 ? atoi(date) : 0;
}

static int month_of(const char *date)
{
	return date && strlen(date) >= 7 ? atoi(date + 5) : 0;
}

int grant_budget_year(const char *start_on, int project_year)
{
	return year_of(start_on) + project_year - 1;
}

int grant_months(const char *start_on, const char *end_on, int budget_year)
{
	int sy = year_of(start_on), sm = month_of(start_on);
	if (!sy || sm < 1 || sm > 12 || budget_year < sy)
		return 0;
	int first = budget_year == sy ? sm : 1, last = 12;
	if (end_on && end_on[0]) {
		int ey = year_of(end_on), em = month_of(end_on);
		if (budget_year > ey)
			return 0;
		if (budget_year == ey)
			last = em;
	}
	return last >= first ? last - first + 1 : 0;
}

long grant_amount(long salary_base, int share_pct, int months)
{
	/* In whole kroner: base × share × months / 1200, rounded half up. */
	long long num = (long long)salary_base * share_pct * months;
	return (long)((num + 600) / 1200);
}

const char *grant_prepare(const struct pilot_row *p, const int *shares, int nshares, struct grant_row *g)
{
	if (!p->registered || !p->start_on[0])
		return "grant.no_register";
	if (strcmp(g->post, "63") != 0 && strcmp(g->post, "21") != 0)
		return "grant.bad_post";
	if (g->project_year < 1 || g->project_year > GRANT_MAX_YEARS)
		return "grant.bad_year";
	/* The fourth-year rule, or any other last year: a grant after it needs the register changed first. */
	if (g->project_year > p->project_years)
		return "grant.after_last_year";
	g->budget_year = grant_budget_year(p->start_on, g->project_year);
	g->months = grant_months(p->start_on, p->end_on, g->budget_year);
	if (g->months == 0)
		return "grant.after_end";
	snprintf(g->chapter, sizeof g->chapter, "0621");
	if (!strcmp(g->post, "63")) {
		if (g->salary_base < 0)
			return "grant.negative";
		if (g->share_pct < 0) {
			/* No silent 0 %: a year beyond the default list needs its share given. */
			if (g->project_year > nshares)
				return "grant.no_default_share";
			g->share_pct = grant_default_share(shares, nshares, g->project_year);
		}
		if (g->share_pct > 100)
			return "grant.bad_share";
		if (g->salary_base > GRANT_MAX_AMOUNT)
			return "grant.too_large";
		g->amount = grant_amount(g->salary_base, g->share_pct, g->months);
	} else {
		if (g->amount < 0)
			return "grant.negative";
		if (g->amount > GRANT_MAX_AMOUNT)
			return "grant.too_large";
		g->share_pct = -1;
		g->salary_base = -1;
	}
	return NULL;
}
