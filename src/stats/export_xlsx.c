/* The report model as an XLSX workbook (libxlsxwriter): an "about" sheet with the release and
 * its protection, then one sheet per table. Counts are numbers, shares numbers in a percent
 * format, a suppressed count the text REPORT_MARK on a grey fill, explained under every table. */
#include <stdio.h>
#include <xlsxwriter.h>

#include "../i18n/i18n.h"
#include "export.h"
#include "export_util.h"

struct formats {
	lxw_format *title, *head, *num, *pct, *mark, *note;
};

static void make_formats(lxw_workbook *wb, struct formats *f)
{
	f->title = workbook_add_format(wb);
	format_set_bold(f->title);
	format_set_font_size(f->title, 14);
	f->head = workbook_add_format(wb);
	format_set_bold(f->head);
	format_set_bottom(f->head, LXW_BORDER_THIN);
	f->num = workbook_add_format(wb);
	format_set_num_format(f->num, "0");
	f->pct = workbook_add_format(wb);
	format_set_num_format(f->pct, "0.0%");
	f->mark = workbook_add_format(wb);
	format_set_pattern(f->mark, LXW_PATTERN_SOLID);
	format_set_bg_color(f->mark, 0xD9D9D9);
	format_set_align(f->mark, LXW_ALIGN_RIGHT);
	f->note = workbook_add_format(wb);
	format_set_italic(f->note);
}

/* "Pilot Akershus (P-AKERSHUS)" */
static void unit_text(const struct report *r, char *out, size_t n)
{
	snprintf(out, n, "%s (%s)", r->unit_name, r->unit);
}

static void count_cell(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, struct report_value v,
		       const struct formats *f)
{
	if (v.shown)
		worksheet_write_number(ws, row, col, (double)v.n, f->num);
	else
		worksheet_write_string(ws, row, col, REPORT_MARK, f->mark);
}

/* The legend under a table: the mark on its grey fill, and what it means. */
static void legend(lxw_worksheet *ws, lxw_row_t row, const struct report *r, const struct formats *f)
{
	worksheet_write_string(ws, row, 0, REPORT_MARK, f->mark);
	worksheet_write_string(ws, row, 1, r->protection_note, f->note);
}

static void about_sheet(lxw_workbook *wb, const struct report *r, const struct formats *f)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, T(r->lang, "export.about"));
	char unit[300];
	unit_text(r, unit, sizeof unit);
	worksheet_set_column(ws, 0, 0, 30, NULL);
	worksheet_set_column(ws, 1, 1, 70, NULL);
	worksheet_write_string(ws, 0, 0, r->title, f->title);
	lxw_row_t row = 2;
	worksheet_write_string(ws, row, 0, T(r->lang, "export.unit"), f->head);
	worksheet_write_string(ws, row++, 1, unit, NULL);
	worksheet_write_string(ws, row, 0, T(r->lang, "stats.school_year"), f->head);
	worksheet_write_string(ws, row++, 1, r->school_year, NULL);
	worksheet_write_string(ws, row, 0, T(r->lang, "export.version"), f->head);
	worksheet_write_number(ws, row++, 1, r->version, f->num);
	worksheet_write_string(ws, row, 0, T(r->lang, "export.inputs_hash"), f->head);
	worksheet_write_string(ws, row++, 1, r->inputs_hash, NULL);
	worksheet_write_string(ws, row, 0, T(r->lang, "export.published"), f->head);
	worksheet_write_string(ws, row++, 1, r->published_at, NULL);
	worksheet_write_string(ws, row, 0, T(r->lang, "export.k"), f->head);
	worksheet_write_number(ws, row++, 1, (double)r->k, f->num);
	worksheet_write_string(ws, row, 0, T(r->lang, "export.small_group"), f->head);
	worksheet_write_number(ws, row++, 1, (double)r->small_group, f->num);
	legend(ws, ++row, r, f);
	row += 2;
	/* What each of the following sheets holds. */
	for (int i = 0; i < r->ntables; i++, row++) {
		worksheet_write_string(ws, row, 0, r->tables[i].id, NULL);
		worksheet_write_string(ws, row, 1, r->tables[i].title, NULL);
	}
}

static void table_sheet(lxw_workbook *wb, const struct report *r, const struct report_table *t,
			const struct formats *f)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, t->id);
	char unit[400];
	snprintf(unit, sizeof unit, "%s (%s), %s, %s %d", r->unit_name, r->unit, r->school_year,
		 T(r->lang, "export.version"), r->version);
	worksheet_set_column(ws, 0, 0, 14, NULL);
	worksheet_set_column(ws, 1, 1, 60, NULL);
	worksheet_set_column(ws, 2, 4, 12, NULL);
	worksheet_write_string(ws, 0, 0, t->title, f->title);
	worksheet_write_string(ws, 1, 0, unit, NULL);
	const char *heads[] = {T(r->lang, "export.code"), r->col_label, r->col_count, r->col_of, r->col_share};
	int ncols = t->with_of ? 5 : 3;
	for (int c = 0; c < ncols; c++)
		worksheet_write_string(ws, 3, (lxw_col_t)c, heads[c], f->head);
	lxw_row_t row = 4;
	for (int i = 0; i < t->nrows; i++, row++) {
		const struct report_row *w = &t->rows[i];
		worksheet_write_string(ws, row, 0, w->code, NULL);
		worksheet_write_string(ws, row, 1, w->label, NULL);
		if (w->text[0])
			worksheet_write_string(ws, row, 2, w->text, NULL);
		else
			count_cell(ws, row, 2, w->count, f);
		if (!t->with_of)
			continue;
		count_cell(ws, row, 3, w->of, f);
		if (w->has_share)
			worksheet_write_number(ws, row, 4, w->share / 100.0, f->pct);
	}
	legend(ws, row + 1, r, f);
}

int report_xlsx(const struct report *r, buf_t *out, char *err, size_t errsz)
{
	char path[4096];
	lxw_workbook *wb = xlsx_begin(path, sizeof path, err, errsz);
	if (!wb)
		return -1;
	lxw_doc_properties props = {.title = (char *)r->title, .subject = (char *)r->unit_name};
	workbook_set_properties(wb, &props);
	struct formats f;
	make_formats(wb, &f);
	about_sheet(wb, r, &f);
	for (int i = 0; i < r->ntables; i++)
		table_sheet(wb, r, &r->tables[i], &f);
	return xlsx_finish(wb, path, out, err, errsz);
}
