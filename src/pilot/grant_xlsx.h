/* Grant lines (db/pilot.h) as an XLSX workbook for the national project management's budget work. */
#ifndef ELEVLOS_PILOT_GRANT_XLSX_H
#define ELEVLOS_PILOT_GRANT_XLSX_H

#include <stddef.h>

#include "../core/util.h"
#include "../db/pilot.h"

/*
 * The n lines g (in the order given) on a sheet "Tilskudd"/"Grants", one row each: budget year,
 * county code and name, pilot code and name, project year, chapter, post, share of a position,
 * salary base, months, amount, paid on (share and salary base empty for post 21, paid on empty
 * when unpaid); then sheets of totals per budget year, per county and per post (lines, amount,
 * paid amount), each ending in a grand total row. Figures are numbers (kroner as #,##0, the
 * share as a percentage, the paid date as a date), headers in lang ("nb" or "en"). n may be 0.
 * Appends to out; 0, or -1 with err (out as it was).
 */
int grants_xlsx(const struct grant_row *g, int n, const char *lang, buf_t *out, char *err, size_t errsz);

#endif
