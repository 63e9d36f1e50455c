/* Grants as an XLSX workbook (see docs/pilots.md). */
#ifndef ELEVLOS_PILOT_GRANT_XLSX_H
#define ELEVLOS_PILOT_GRANT_XLSX_H

#include <stddef.h>

#include "../core/util.h"
#include "../db/pilot.h"

int grants_xlsx(const struct grant_row *g, int n, const char *lang, buf_t *out, char *err, size_t errsz);

#endif
