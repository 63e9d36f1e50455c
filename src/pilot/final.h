/*
 * A pilot's report as a document model, for the page and the PDF alike: the register facts, the
 * report's texts (one version), the pilot's protected statistics for each of its school years
 * that has a published release (report.h: only protected counts, suppressed cells marked), and
 * for the final report the Udir dropout trend of each pilot school against its county and the
 * nation (vocational programmes).
 */
#ifndef ELEVLOS_PILOT_FINAL_H
#define ELEVLOS_PILOT_FINAL_H

#include "../core/util.h"
#include "../db/pilot.h"
#include "../eval/eval_svg.h"
#include "../stats/report.h"

#define PDOC_MAX_YEARS 16 /* a longer pilot's final report shows its last 16 school years */
#define PDOC_MAX_SCHOOLS 8

struct pdoc_school {
	char orgnr[10];
	char name[201];
	struct eval_series s[3]; /* the school, its county, the nation (names point into names[]) */
	char names[3][201];
};

struct pdoc {
	const char *lang;
	struct pilot_row pilot;
	struct preport_row row;
	struct preport_version v; /* texts of the version shown */
	/* The statistics: an annual report's year (from the release inserted at submission, else the
	 * newest published), or every school year of the pilot for the final report. */
	struct report *years; /* nyears of them, malloc'd */
	int nyears;
	char missing[PDOC_MAX_YEARS][16]; /* school years of the pilot without a published release */
	int nmissing;
	struct pdoc_school *schools; /* final report only; malloc'd */
	int nschools;
};

/* The school years (autumn years) a pilot reports for: from its start to its end, or to this
 * year while it runs or is continued locally. */
void pdoc_years(const struct pilot_row *p, int *first, int *last);
/* The autumn year of today's school year. */
int pdoc_this_school_year(void);
/* The school year label ("2016/17") of an autumn year. */
void pdoc_year_label(int autumn, char out[16]);
/* The autumn year of the school year a date falls in (1 August – 31 July). */
int pdoc_school_year(const char *date);

/*
 * Builds the document of report row (version: 0 for the newest) of pilot p in lang. DB_OK;
 * DB_NOTFOUND when the version does not exist; DB_ERROR. Free with pdoc_free.
 */
int pdoc_build(db_t *db, const struct pilot_row *p, const struct preport_row *row, int version, const char *lang,
	       struct pdoc *out);
void pdoc_free(struct pdoc *d);

/* The document as an A4 PDF (title page facts, the texts under the four national goals, the
 * statistics tables with ":" for a suppressed count, the Udir trends); 0 or -1 with err. */
int pdoc_pdf(const struct pdoc *d, buf_t *out, char *err, size_t errsz);

#endif
