/*
 * The grant rules (docs/pilots.md): a pilot's project year n is budget year start + n − 1; the
 * positions grant (chapter 0621 post 63) is salary base × share × months / 12, rounded to whole
 * kroner, where months are the months of the budget year the pilot runs (a pilot starting in
 * August gets 5 of 12 in its first year). Shares default to 100, 100, 100 and 50 % (setting
 * "grant.shares"); there is no grant after the pilot's last project year until that is changed.
 */
#ifndef ELEVLOS_PILOT_GRANT_H
#define ELEVLOS_PILOT_GRANT_H

#include "../db/pilot.h"

#define GRANT_SHARES_SETTING "grant.shares"
#define GRANT_SHARES_DEFAULT "100,100,100,50"
#define GRANT_MAX_YEARS 10
#define GRANT_MAX_AMOUNT 100000000L /* NOK 100 million: a line above it is a typing error */

/* Parses "100,100,100,50" into shares[0..n-1]; n, or -1 when malformed (a share outside 0..100,
 * more than GRANT_MAX_YEARS, an empty list). */
int grant_parse_shares(const char *s, int shares[GRANT_MAX_YEARS]);
/* The default share of project year (1-based): from the list, 0 after its end. */
int grant_default_share(const int *shares, int n, int project_year);
/* The budget year of project year n of a pilot starting on start_on ("2013-08-01"). */
int grant_budget_year(const char *start_on, int project_year);
/* Months of budget_year within [start_on, end_on] (end_on "" = open): 0..12. */
int grant_months(const char *start_on, const char *end_on, int budget_year);
/* salary_base × share_pct/100 × months/12, to the nearest krone (halves up). */
long grant_amount(long salary_base, int share_pct, int months);

/*
 * Fills g (budget year, months, amount) for a line of pilot p and checks the rules. For post 63
 * salary_base and share_pct are given (share_pct < 0: the default share, refused with
 * "grant.no_default_share" for a project year beyond the defaults); for post 21 the amount.
 * Returns NULL, or the catalogue key of the broken rule.
 */
const char *grant_prepare(const struct pilot_row *p, const int *shares, int nshares, struct grant_row *g);

#endif
