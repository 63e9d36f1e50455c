/*
 * The report model as an A4 PDF (cairo + pango): a header with the release and its protection,
 * the S1 trend and a bar chart for every distribution table, each followed by its data table,
 * "Side N av M" in the footer. Drawn twice: first to count the pages, then for real, so that
 * M is known on page 1. Text goes through pango with DejaVu Sans (fonts-dejavu-core), which
 * has every Norwegian letter.
 */
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <string.h>

#include "../i18n/i18n.h"
#include "export.h"
#include "export_util.h"

#define MARGIN PDF_MARGIN
#define PAGE_W PDF_PAGE_W
#define CONTENT_W PDF_CONTENT_W

static void header(struct pdf *p, const struct report *r)
{
	char s[400];
	snprintf(s, sizeof s, "%s – %s", r->title, r->unit_name);
	p->y += pdf_text(p, MARGIN, p->y, CONTENT_W, PDF_H1, PDF_LEFT, s, 1) + 12;
	snprintf(s, sizeof s, "%s (%s)", r->unit_name, r->unit);
	pdf_fact(p, T(r->lang, "export.unit"), s);
	pdf_fact(p, T(r->lang, "stats.school_year"), r->school_year);
	snprintf(s, sizeof s, "%d", r->version);
	pdf_fact(p, T(r->lang, "export.version"), s);
	pdf_fact(p, T(r->lang, "export.published"), r->published_at[0] ? r->published_at : "–");
	pdf_fact(p, T(r->lang, "export.inputs_hash"), r->inputs_hash);
	snprintf(s, sizeof s, "%ld", r->k);
	pdf_fact(p, T(r->lang, "export.k"), s);
	snprintf(s, sizeof s, "%ld", r->small_group);
	pdf_fact(p, T(r->lang, "export.small_group"), s);
	p->y += 6;
	pdf_paragraph(p, PDF_BODY, r->protection_note);
	p->y += 18;
}

/* A round step for about five gridlines up to max (as chart_svg.c). */
static double tick_step(double max)
{
	if (max <= 5)
		return 1;
	double raw = max / 5, mag = pow(10, floor(log10(raw))), f = raw / mag;
	return mag * (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10);
}

#define TREND_H 200.0

/* Bars per school year for S1's students and new cases; a suppressed one is its mark. */
static void trend_chart(struct pdf *p, const struct report *r)
{
	cairo_t *cr = p->cr;
	const double left = MARGIN + 40, right = PAGE_W - MARGIN, top = p->y + 26, bottom = p->y + TREND_H - 22;
	double max = 0;
	for (int i = 0; i < r->ntrend; i++) {
		if (r->trend[i].students.shown && (double)r->trend[i].students.n > max)
			max = (double)r->trend[i].students.n;
		if (r->trend[i].new_cases.shown && (double)r->trend[i].new_cases.n > max)
			max = (double)r->trend[i].new_cases.n;
	}
	double step = tick_step(max), top_value = step * ceil(max / step);
	if (top_value <= 0)
		top_value = step;
	double plot_h = bottom - top, plot_w = right - left;
	char t[64];
	for (int tick = 0; tick * step <= top_value + step / 2; tick++) {
		double v = tick * step;
		double y = bottom - v / top_value * plot_h;
		pdf_line(cr, left, y, right, y, PDF_GRID, 0.5);
		snprintf(t, sizeof t, "%.0f", v);
		pdf_text(p, left - 40, y - 6, 34, PDF_SMALL, PDF_RIGHT, t, 1);
	}
	/* Legend: the two series. */
	const char *names[2] = {T(r->lang, "stats.s1_students"), T(r->lang, "stats.s1_new")};
	const double *colors[2] = {PDF_BLUE, PDF_GREEN};
	for (int s = 0; s < 2; s++) {
		double x = left + s * plot_w / 2;
		pdf_color(cr, colors[s]);
		cairo_rectangle(cr, x, p->y + 4, 9, 9);
		cairo_fill(cr);
		pdf_text(p, x + 14, p->y + 2, plot_w / 2 - 20, PDF_SMALL, PDF_LEFT, names[s], 1);
	}
	double slot = r->ntrend ? plot_w / r->ntrend : plot_w, bw = fmin(slot * 0.3, 60);
	for (int i = 0; i < r->ntrend; i++) {
		double x0 = left + slot * i + slot / 2 - bw;
		const struct report_value *v[2] = {&r->trend[i].students, &r->trend[i].new_cases};
		for (int s = 0; s < 2; s++) {
			double x = x0 + s * bw;
			if (!v[s]->shown) {
				pdf_text(p, x, bottom - 14, bw, PDF_BOLD, PDF_CENTER, REPORT_MARK, 1);
				continue;
			}
			double bh = (double)v[s]->n / top_value * plot_h;
			pdf_color(cr, colors[s]);
			cairo_rectangle(cr, x + 1, bottom - bh, bw - 2, bh);
			cairo_fill(cr);
			snprintf(t, sizeof t, "%ld", v[s]->n);
			pdf_text(p, x - 10, bottom - bh - 12, bw + 20, PDF_SMALL, PDF_CENTER, t, 1);
		}
		pdf_text(p, left + slot * i, bottom + 4, slot, PDF_SMALL, PDF_CENTER, r->trend[i].school_year, 1);
	}
	pdf_line(cr, left, bottom, right, bottom, PDF_INK, 0.8);
	p->y += TREND_H + 8;
}

#define BAR_ROW 15.0
#define BAR_LABEL_W 190.0

static double distribution_height(const struct report_table *t)
{
	return BAR_ROW * t->nrows + 12;
}

/* Each row's share as a horizontal bar, as on the page. */
static void distribution_chart(struct pdf *p, const struct report_table *t)
{
	cairo_t *cr = p->cr;
	const double x0 = MARGIN + BAR_LABEL_W + 6, bar_max = CONTENT_W - BAR_LABEL_W - 6 - 44;
	double y = p->y + 4;
	char v[32];
	for (int i = 0; i < t->nrows; i++, y += BAR_ROW) {
		const struct report_row *w = &t->rows[i];
		pdf_text_clipped(p, MARGIN, y + 1, BAR_LABEL_W, PDF_SMALL, PDF_RIGHT, w->label);
		if (w->has_share) {
			double bw = w->share / 100.0 * bar_max;
			pdf_color(cr, PDF_BLUE);
			cairo_rectangle(cr, x0, y + 2, bw, BAR_ROW - 4);
			cairo_fill(cr);
			snprintf(v, sizeof v, "%.0f %%", w->share);
			pdf_text(p, x0 + bw + 4, y + 1, 0, PDF_SMALL, PDF_LEFT, v, 1);
		} else {
			pdf_text(p, x0 + 4, y + 1, 0, PDF_SMALL, PDF_LEFT, w->count.shown ? "–" : REPORT_MARK, 1);
		}
	}
	pdf_line(cr, x0, p->y + 2, x0, y + 2, PDF_INK, 0.8);
	p->y = y + 12;
}

static struct pdf_cell count_cell(struct report_value v, char *buf, size_t n)
{
	if (!v.shown)
		return (struct pdf_cell){REPORT_MARK, 1};
	snprintf(buf, n, "%ld", v.n);
	return (struct pdf_cell){buf, 0};
}

static void trend_section(struct pdf *p, const struct report *r)
{
	pdf_heading(p, r->trend_title, TREND_H);
	trend_chart(p, r);
	struct pdf_cols c = {3,
			     {T(r->lang, "stats.school_year"), T(r->lang, "stats.s1_students"), T(r->lang, "stats.s1_new")},
			     {CONTENT_W - 2 * 130, 130, 130}};
	if (r->ntrend)
		pdf_table_start(p, &c, r->trend[0].school_year);
	for (int i = 0; i < r->ntrend; i++) {
		char a[32], b[32];
		struct pdf_cell cells[3] = {{r->trend[i].school_year, 0}, count_cell(r->trend[i].students, a, sizeof a),
					    count_cell(r->trend[i].new_cases, b, sizeof b)};
		pdf_body_row(p, &c, cells);
	}
	p->y += 18;
}

/* A table under its title in style hs; with its bar chart first when charts and it has one. */
static void table_section(struct pdf *p, const struct report *r, const struct report_table *t, enum pdf_style hs,
			  int charts)
{
	/* The first column's heading as on the page: a category of a code list, or a measure. */
	const char *first = t->with_of && strcmp(t->id, "shares") != 0 ? T(r->lang, "stats.category") : r->col_label;
	struct pdf_cols c = t->with_of ? (struct pdf_cols){4, {first, r->col_count, r->col_of, r->col_share},
							   {CONTENT_W - 3 * 70, 70, 70, 70}}
				       : (struct pdf_cols){2, {first, r->col_count}, {CONTENT_W - 100, 100}};
	int chart = charts && t->chart;
	double first_row = t->nrows ? pdf_row_height(p, &c, t->rows[0].label, PDF_BODY) : 0;
	pdf_heading_in(p, hs, t->title,
		       chart ? distribution_height(t) : pdf_row_height(p, &c, first, PDF_BOLD) + first_row);
	if (chart)
		distribution_chart(p, t);
	if (t->nrows)
		pdf_table_start(p, &c, t->rows[0].label);
	for (int i = 0; i < t->nrows; i++) {
		const struct report_row *w = &t->rows[i];
		char a[32], b[32], s[32] = "–";
		struct pdf_cell cells[4] = {{w->label, 0}, {w->text, 0}, count_cell(w->of, b, sizeof b), {s, 0}};
		if (!w->text[0])
			cells[1] = count_cell(w->count, a, sizeof a);
		if (w->has_share)
			snprintf(s, sizeof s, "%.0f %%", w->share);
		pdf_body_row(p, &c, cells);
	}
	p->y += charts ? 18 : 12;
}

void report_pdf_tables(struct pdf *p, const struct report *r, const char *heading)
{
	/* The heading stays with the protection note and the first table's caption and header. */
	const char *note = r->protection_note ? r->protection_note : "";
	double need = (note[0] ? pdf_text(p, MARGIN, p->y, CONTENT_W, PDF_SMALL, PDF_LEFT, note, 0) + 6 : 0) + 40;
	pdf_heading_in(p, PDF_H3, heading, need);
	if (note[0]) {
		pdf_paragraph(p, PDF_SMALL, note);
		p->y += 6;
	}
	for (int i = 0; i < r->ntables; i++)
		table_section(p, r, &r->tables[i], PDF_BOLD, 0);
}

static void draw(struct pdf *p, const void *ctx)
{
	const struct report *r = ctx;
	header(p, r);
	trend_section(p, r);
	for (int i = 0; i < r->ntables; i++)
		table_section(p, r, &r->tables[i], PDF_H2, 1);
}

int report_pdf(const struct report *r, buf_t *out, char *err, size_t errsz)
{
	char left[400], title[400];
	snprintf(left, sizeof left, "%s – %s (%s) – %s", r->title, r->unit_name, r->unit, r->school_year);
	snprintf(title, sizeof title, "%s – %s – %s", r->title, r->unit_name, r->school_year);
	return pdf_render(draw, r, r->lang, left, title, out, err, errsz);
}

void report_pdf_cleanup(void)
{
	/* The font map holds fontconfig's patterns; fontconfig's own caches go last. */
	pango_cairo_font_map_set_default(NULL);
	cairo_debug_reset_static_data();
	FcFini();
}
