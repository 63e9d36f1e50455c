/*
 * The evaluation's pages as files: the pilot schools' classification and one school's trend as
 * XLSX workbooks, the effect estimate as an A4 PDF. Each shows what its page shows (and the
 * page's CSV holds), nothing more; user-visible text in lang ("nb" or "en"). A share Udir did
 * not publish is REPORT_MARK (":") on a grey fill, explained by a legend.
 *
 * All write to memory and return 0, or -1 with a one-line English reason in err; on failure out
 * is left as it was given.
 */
#ifndef ELEVLOS_EVAL_EXPORT_H
#define ELEVLOS_EVAL_EXPORT_H

#include <stddef.h>

#include "../core/util.h"
#include "evaluate.h"

/* The i18n key of a class's label ("evaluation.class.fell"). */
const char *eval_class_key(enum eval_class c);

/* A sheet of counts per class (fell / rose / unchanged / no published figure) and a sheet with
 * one row per pilot school: orgnr (text), name, pilot, county, start and end year, the shares
 * in from_year and to_year, the class, the share the year before the start and in the last
 * pilot year (numbers with one decimal). programme: yrkesfag, studieforberedende or alle. */
int eval_schools_xlsx(const struct eval_school *v, int n, int from_year, int to_year, const char *programme,
		      const char *lang, buf_t *out, char *err, size_t errsz);

/* One sheet: school year, the school, its county, the nation (s[0..2], as from eval_trend), and
 * a line chart of the three. */
int eval_trend_xlsx(const struct eval_series s[3], const char *school_name, const char *programme, const char *lang,
		    buf_t *out, char *err, size_t errsz);

/* The estimate on A4: the data, the warnings, the overall table, the event-study chart and its
 * table, the effect per start cohort; "Side N av M" in the footer. */
int eval_pdf(const struct eval_run *e, const char *lang, buf_t *out, char *err, size_t errsz);

#endif
