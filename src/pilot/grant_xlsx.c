/* Grant lines as an XLSX workbook (grant_xlsx.h): the lines, then their totals per budget year,
 * county and post, summed here rather than by formulas, so that every reader shows the figures
 * without recalculating. */
#include "grant_xlsx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "../i18n/i18n.h"
#include "../stats/export_util.h"

struct formats {
	lxw_format *head, *year, *nok, *pct, *date, *total, *total_nok;
};

static void make_formats(lxw_workbook *wb, struct formats *f)
{
	f->head = workbook_add_format(wb);
	format_set_bold(f->head);
	format_set_bottom(f->head, LXW_BORDER_THIN);
	format_set_text_wrap(f->head);
	f->year = workbook_add_format(wb); /* whole numbers without a thousands separator: 2014, 63 */
	format_set_num_format(f->year, "0");
	f->nok = workbook_add_format(wb);
	format_set_num_format(f->nok, "#,##0");
	f->pct = workbook_add_format(wb);
	format_set_num_format(f->pct, "0%");
	f->date = workbook_add_format(wb);
	format_set_num_format(f->date, "yyyy-mm-dd");
	f->total = workbook_add_format(wb);
	format_set_bold(f->total);
	format_set_top(f->total, LXW_BORDER_THIN);
	f->total_nok = workbook_add_format(wb);
	format_set_bold(f->total_nok);
	format_set_top(f->total_nok, LXW_BORDER_THIN);
	format_set_num_format(f->total_nok, "#,##0");
}

/* A header row at row 0 with the columns' widths, frozen above the figures. */
static void head_row(lxw_worksheet *ws, const char *lang, const char *const *keys, const double *widths, int ncols,
		     const struct formats *f)
{
	for (int c = 0; c < ncols; c++) {
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, widths[c], NULL);
		worksheet_write_string(ws, 0, (lxw_col_t)c, T(lang, keys[c]), f->head);
	}
	worksheet_freeze_panes(ws, 1, 0);
}

/* "2015-03-01" as a date cell; anything else as it is. */
static void date_cell(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *s, const struct formats *f)
{
	lxw_datetime dt = {0};
	char tail;
	if (sscanf(s, "%4d-%2d-%2d%c", &dt.year, &dt.month, &dt.day, &tail) == 3 && dt.month >= 1 &&
	    dt.month <= 12 && dt.day >= 1 && dt.day <= 31)
		worksheet_write_datetime(ws, row, col, &dt, f->date);
	else
		worksheet_write_string(ws, row, col, s, NULL);
}

static void lines_sheet(lxw_worksheet *ws, const struct grant_row *g, int n, const char *lang,
			const struct formats *f)
{
	static const char *const keys[] = {
		"export.grant_budget_year", "export.grant_county_code", "export.grant_county",
		"export.grant_pilot_code",  "export.grant_pilot",	"export.grant_project_year",
		"export.grant_chapter",	    "export.grant_post",	"export.grant_share",
		"export.grant_salary_base", "export.grant_months",	"export.grant_amount",
		"export.grant_paid_on"};
	static const double widths[] = {11, 10, 22, 14, 34, 10, 9, 6, 12, 14, 9, 14, 12};
	const int ncols = (int)(sizeof keys / sizeof keys[0]);
	head_row(ws, lang, keys, widths, ncols, f);
	for (int i = 0; i < n; i++) {
		const struct grant_row *x = &g[i];
		lxw_row_t r = (lxw_row_t)i + 1;
		worksheet_write_number(ws, r, 0, x->budget_year, f->year);
		worksheet_write_string(ws, r, 1, x->county, NULL);
		worksheet_write_string(ws, r, 2, x->county_name, NULL);
		worksheet_write_string(ws, r, 3, x->pilot_code, NULL);
		worksheet_write_string(ws, r, 4, x->pilot_name, NULL);
		worksheet_write_number(ws, r, 5, x->project_year, f->year);
		/* Codes of the state budget, kept as written ("0621"). */
		worksheet_write_string(ws, r, 6, x->chapter, NULL);
		worksheet_write_string(ws, r, 7, x->post, NULL);
		if (x->share_pct >= 0 && strcmp(x->post, "21") != 0)
			worksheet_write_number(ws, r, 8, x->share_pct / 100.0, f->pct);
		if (x->salary_base >= 0 && strcmp(x->post, "21") != 0)
			worksheet_write_number(ws, r, 9, (double)x->salary_base, f->nok);
		worksheet_write_number(ws, r, 10, x->months, f->year);
		worksheet_write_number(ws, r, 11, (double)x->amount, f->nok);
		if (x->paid_on[0])
			date_cell(ws, r, 12, x->paid_on, f);
	}
	if (n > 0)
		worksheet_autofilter(ws, 0, 0, (lxw_row_t)n, (lxw_col_t)(ncols - 1));
}

/* ---- totals ---- */

enum by { BY_YEAR, BY_COUNTY, BY_POST };

struct total {
	int year;
	char a[40];  /* county code, or chapter */
	char b[210]; /* county name, or post */
	long long lines, amount, paid;
};

static int total_cmp(const void *x, const void *y)
{
	const struct total *s = x, *t = y;
	if (s->year != t->year)
		return s->year < t->year ? -1 : 1;
	int c = strcmp(s->a, t->a);
	return c ? c : strcmp(s->b, t->b);
}

/* The groups of g by `by`, sorted; *count gets their number. Free the result. */
static struct total *group(const struct grant_row *g, int n, enum by by, int *count)
{
	struct total *t = xcalloc((size_t)n + 1, sizeof *t);
	int k = 0;
	for (int i = 0; i < n; i++) {
		struct total key = {0};
		if (by == BY_YEAR)
			key.year = g[i].budget_year;
		else if (by == BY_COUNTY) {
			snprintf(key.a, sizeof key.a, "%s", g[i].county);
			snprintf(key.b, sizeof key.b, "%s", g[i].county_name);
		} else {
			snprintf(key.a, sizeof key.a, "%s", g[i].chapter);
			snprintf(key.b, sizeof key.b, "%s", g[i].post);
		}
		int j = 0;
		while (j < k && total_cmp(&t[j], &key) != 0)
			j++;
		if (j == k)
			t[k++] = key;
		t[j].lines++;
		t[j].amount += g[i].amount;
		if (g[i].paid_on[0])
			t[j].paid += g[i].amount;
	}
	qsort(t, (size_t)k, sizeof *t, total_cmp);
	*count = k;
	return t;
}

static void totals_sheet(lxw_worksheet *ws, const struct grant_row *g, int n, enum by by, const char *lang,
			 const struct formats *f)
{
	static const char *const first[3][2] = {{"export.grant_budget_year", NULL},
						{"export.grant_county_code", "export.grant_county"},
						{"export.grant_chapter", "export.grant_post"}};
	const char *keys[5];
	double widths[5];
	int nkeys = 0;
	for (int i = 0; i < 2 && first[by][i]; i++) {
		keys[nkeys] = first[by][i];
		widths[nkeys++] = by == BY_COUNTY && i == 1 ? 24 : 12;
	}
	const int fig = nkeys; /* the first column of figures */
	keys[nkeys] = "export.grant_lines";
	widths[nkeys++] = 8;
	keys[nkeys] = "export.grant_amount";
	widths[nkeys++] = 16;
	keys[nkeys] = "export.grant_paid";
	widths[nkeys++] = 16;
	head_row(ws, lang, keys, widths, nkeys, f);

	int k;
	struct total *t = group(g, n, by, &k);
	struct total sum = {0};
	lxw_row_t r = 1;
	for (int i = 0; i < k; i++, r++) {
		if (by == BY_YEAR) {
			worksheet_write_number(ws, r, 0, t[i].year, f->year);
		} else {
			worksheet_write_string(ws, r, 0, t[i].a, NULL);
			worksheet_write_string(ws, r, 1, t[i].b, NULL);
		}
		worksheet_write_number(ws, r, (lxw_col_t)fig, (double)t[i].lines, f->year);
		worksheet_write_number(ws, r, (lxw_col_t)fig + 1, (double)t[i].amount, f->nok);
		worksheet_write_number(ws, r, (lxw_col_t)fig + 2, (double)t[i].paid, f->nok);
		sum.lines += t[i].lines;
		sum.amount += t[i].amount;
		sum.paid += t[i].paid;
	}
	free(t);
	worksheet_write_string(ws, r, 0, T(lang, "export.grant_total"), f->total);
	for (int c = 1; c < fig; c++)
		worksheet_write_blank(ws, r, (lxw_col_t)c, f->total);
	worksheet_write_number(ws, r, (lxw_col_t)fig, (double)sum.lines, f->total);
	worksheet_write_number(ws, r, (lxw_col_t)fig + 1, (double)sum.amount, f->total_nok);
	worksheet_write_number(ws, r, (lxw_col_t)fig + 2, (double)sum.paid, f->total_nok);
}

int grants_xlsx(const struct grant_row *g, int n, const char *lang, buf_t *out, char *err, size_t errsz)
{
	if (n < 0 || (n > 0 && !g)) {
		snprintf(err, errsz, "no grant lines given");
		return -1;
	}
	char path[4096];
	lxw_workbook *wb = xlsx_begin(path, sizeof path, err, errsz);
	if (!wb)
		return -1;
	lxw_doc_properties props = {.title = (char *)T(lang, "export.grant_sheet")};
	workbook_set_properties(wb, &props);
	struct formats f;
	make_formats(wb, &f);
	static const char *const sheets[] = {"export.grant_sheet", "export.grant_by_year", "export.grant_by_county",
					     "export.grant_by_post"};
	lxw_worksheet *ws[4];
	for (int i = 0; i < 4; i++) {
		ws[i] = workbook_add_worksheet(wb, T(lang, sheets[i]));
		if (!ws[i]) {
			/* A catalogue text that is no valid sheet name: nothing is written. */
			workbook_close(wb);
			unlink(path);
			snprintf(err, errsz, "cannot add the sheet \"%s\"", T(lang, sheets[i]));
			return -1;
		}
	}
	lines_sheet(ws[0], g, n, lang, &f);
	totals_sheet(ws[1], g, n, BY_YEAR, lang, &f);
	totals_sheet(ws[2], g, n, BY_COUNTY, lang, &f);
	totals_sheet(ws[3], g, n, BY_POST, lang, &f);
	return xlsx_finish(wb, path, out, err, errsz);
}
