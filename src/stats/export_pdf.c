/*
 * The report model as an A4 PDF (cairo + pango): a header with the release and its protection,
 * the S1 trend and a bar chart for every distribution table, each followed by its data table,
 * "Side N av M" in the footer. Drawn twice: first to count the pages, then for real, so that
 * M is known on page 1. Text goes through pango with DejaVu Sans (fonts-dejavu-core), which
 * has every Norwegian letter.
 */
#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <string.h>

#include "../i18n/i18n.h"
#include "export.h"

#define PAGE_W 595.276 /* A4 in points */
#define PAGE_H 841.890
#define MARGIN 56.0
#define BOTTOM (PAGE_H - 64.0) /* content ends here; the footer is below */
#define CONTENT_W (PAGE_W - 2 * MARGIN)
#define FONT "DejaVu Sans"

/* The page's colours (chart_svg.c). */
static const double INK[3] = {0x23 / 255.0, 0x26 / 255.0, 0x2a / 255.0};
static const double BLUE[3] = {0x00 / 255.0, 0x67 / 255.0, 0xc5 / 255.0};
static const double GREEN[3] = {0x06 / 255.0, 0x89 / 255.0, 0x3a / 255.0};
static const double GRID[3] = {0xc6 / 255.0, 0xc2 / 255.0, 0xbf / 255.0};
static const double MARK_FILL[3] = {0xd9 / 255.0, 0xd9 / 255.0, 0xd9 / 255.0};

enum style { BODY, BOLD, SMALL, H1, H2, NSTYLES };
enum align { LEFT, RIGHT, CENTER };

struct pdf {
	const struct report *r;
	cairo_t *cr;
	PangoLayout *lay;
	PangoFontDescription *font[NSTYLES];
	double y;
	int page, pages; /* pages: the total, 0 while counting */
};

static void color(cairo_t *cr, const double c[3])
{
	cairo_set_source_rgb(cr, c[0], c[1], c[2]);
}

/* Lays out s in width w (no wrap when w <= 0); returns its height. Draws it at (x, y) if draw. */
static double text(struct pdf *p, double x, double y, double w, enum style st, enum align al, const char *s,
		   int draw)
{
	PangoLayout *l = p->lay;
	pango_layout_set_font_description(l, p->font[st]);
	pango_layout_set_width(l, w > 0 ? (int)(w * PANGO_SCALE) : -1);
	pango_layout_set_alignment(l, al == RIGHT ? PANGO_ALIGN_RIGHT : al == CENTER ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT);
	pango_layout_set_text(l, s, -1);
	PangoRectangle ink, logical;
	pango_layout_get_extents(l, &ink, &logical);
	if (draw) {
		color(p->cr, INK);
		cairo_move_to(p->cr, x, y);
		pango_cairo_show_layout(p->cr, l);
	}
	return (double)logical.height / PANGO_SCALE;
}

/* One line, cut with an ellipsis to width w. */
static void text_clipped(struct pdf *p, double x, double y, double w, enum style st, enum align al, const char *s)
{
	pango_layout_set_ellipsize(p->lay, PANGO_ELLIPSIZE_END);
	text(p, x, y, w, st, al, s, 1);
	pango_layout_set_ellipsize(p->lay, PANGO_ELLIPSIZE_NONE);
}

static void line(cairo_t *cr, double x0, double y0, double x1, double y1, const double c[3], double width)
{
	color(cr, c);
	cairo_set_line_width(cr, width);
	cairo_move_to(cr, x0, y0);
	cairo_line_to(cr, x1, y1);
	cairo_stroke(cr);
}

static void footer(struct pdf *p)
{
	char left[400], right[64];
	snprintf(left, sizeof left, "%s – %s (%s) – %s", p->r->title, p->r->unit_name, p->r->unit, p->r->school_year);
	snprintf(right, sizeof right, "%s %d %s %d", T(p->r->lang, "export.page"), p->page,
		 T(p->r->lang, "export.page_of"), p->pages ? p->pages : p->page);
	line(p->cr, MARGIN, PAGE_H - 50, PAGE_W - MARGIN, PAGE_H - 50, GRID, 0.5);
	text_clipped(p, MARGIN, PAGE_H - 44, CONTENT_W - 90, SMALL, LEFT, left);
	text(p, PAGE_W - MARGIN - 90, PAGE_H - 44, 90, SMALL, RIGHT, right, 1);
}

static void new_page(struct pdf *p)
{
	footer(p);
	cairo_show_page(p->cr);
	p->page++;
	p->y = MARGIN;
}

/* Room for h more points on this page, else on the next. Returns 1 when it broke the page. */
static int ensure(struct pdf *p, double h)
{
	if (p->y + h <= BOTTOM)
		return 0;
	new_page(p);
	return 1;
}

static void fact(struct pdf *p, const char *key, const char *value)
{
	double h = text(p, MARGIN + 170, p->y, CONTENT_W - 170, BODY, LEFT, value, 0);
	ensure(p, h + 3);
	text(p, MARGIN, p->y, 165, BOLD, LEFT, T(p->r->lang, key), 1);
	text(p, MARGIN + 170, p->y, CONTENT_W - 170, BODY, LEFT, value, 1);
	p->y += h + 3;
}

static void header(struct pdf *p)
{
	const struct report *r = p->r;
	char s[400];
	snprintf(s, sizeof s, "%s – %s", r->title, r->unit_name);
	p->y += text(p, MARGIN, p->y, CONTENT_W, H1, LEFT, s, 1) + 12;
	snprintf(s, sizeof s, "%s (%s)", r->unit_name, r->unit);
	fact(p, "export.unit", s);
	fact(p, "stats.school_year", r->school_year);
	snprintf(s, sizeof s, "%d", r->version);
	fact(p, "export.version", s);
	fact(p, "export.published", r->published_at[0] ? r->published_at : "–");
	fact(p, "export.inputs_hash", r->inputs_hash);
	snprintf(s, sizeof s, "%ld", r->k);
	fact(p, "export.k", s);
	snprintf(s, sizeof s, "%ld", r->small_group);
	fact(p, "export.small_group", s);
	p->y += 6;
	double h = text(p, MARGIN, p->y, CONTENT_W, BODY, LEFT, r->protection_note, 0);
	ensure(p, h);
	text(p, MARGIN, p->y, CONTENT_W, BODY, LEFT, r->protection_note, 1);
	p->y += h + 18;
}

/* A heading kept on the page with the next need points under it. */
static void heading(struct pdf *p, const char *title, double need)
{
	double h = text(p, MARGIN, p->y, CONTENT_W, H2, LEFT, title, 0);
	ensure(p, h + 6 + need);
	text(p, MARGIN, p->y, CONTENT_W, H2, LEFT, title, 1);
	p->y += h + 6;
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
static void trend_chart(struct pdf *p)
{
	const struct report *r = p->r;
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
		line(cr, left, y, right, y, GRID, 0.5);
		snprintf(t, sizeof t, "%.0f", v);
		text(p, left - 40, y - 6, 34, SMALL, RIGHT, t, 1);
	}
	/* Legend: the two series. */
	const char *names[2] = {T(r->lang, "stats.s1_students"), T(r->lang, "stats.s1_new")};
	const double *colors[2] = {BLUE, GREEN};
	for (int s = 0; s < 2; s++) {
		double x = left + s * plot_w / 2;
		color(cr, colors[s]);
		cairo_rectangle(cr, x, p->y + 4, 9, 9);
		cairo_fill(cr);
		text(p, x + 14, p->y + 2, plot_w / 2 - 20, SMALL, LEFT, names[s], 1);
	}
	double slot = r->ntrend ? plot_w / r->ntrend : plot_w, bw = fmin(slot * 0.3, 60);
	for (int i = 0; i < r->ntrend; i++) {
		double x0 = left + slot * i + slot / 2 - bw;
		const struct report_value *v[2] = {&r->trend[i].students, &r->trend[i].new_cases};
		for (int s = 0; s < 2; s++) {
			double x = x0 + s * bw;
			if (!v[s]->shown) {
				text(p, x, bottom - 14, bw, BOLD, CENTER, REPORT_MARK, 1);
				continue;
			}
			double bh = (double)v[s]->n / top_value * plot_h;
			color(cr, colors[s]);
			cairo_rectangle(cr, x + 1, bottom - bh, bw - 2, bh);
			cairo_fill(cr);
			snprintf(t, sizeof t, "%ld", v[s]->n);
			text(p, x - 10, bottom - bh - 12, bw + 20, SMALL, CENTER, t, 1);
		}
		text(p, left + slot * i, bottom + 4, slot, SMALL, CENTER, r->trend[i].school_year, 1);
	}
	line(cr, left, bottom, right, bottom, INK, 0.8);
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
		text_clipped(p, MARGIN, y + 1, BAR_LABEL_W, SMALL, RIGHT, w->label);
		if (w->has_share) {
			double bw = w->share / 100.0 * bar_max;
			color(cr, BLUE);
			cairo_rectangle(cr, x0, y + 2, bw, BAR_ROW - 4);
			cairo_fill(cr);
			snprintf(v, sizeof v, "%.0f %%", w->share);
			text(p, x0 + bw + 4, y + 1, 0, SMALL, LEFT, v, 1);
		} else {
			text(p, x0 + 4, y + 1, 0, SMALL, LEFT, w->count.shown ? "–" : REPORT_MARK, 1);
		}
	}
	line(cr, x0, p->y + 2, x0, y + 2, INK, 0.8);
	p->y = y + 12;
}

/* A data table: the first column wraps, the others are right-aligned figures. */
struct cols {
	int n;
	const char *head[4];
	double w[4];
};

struct cell {
	const char *s;
	int suppressed;
};

#define PAD 3.0

static double row_height(struct pdf *p, const struct cols *c, const char *first, enum style st)
{
	return text(p, 0, 0, c->w[0] - PAD, st, LEFT, first, 0) + 2 * PAD;
}

static void draw_row(struct pdf *p, const struct cols *c, const struct cell *cells, enum style st, double h)
{
	double x = MARGIN;
	for (int i = 0; i < c->n; i++) {
		if (cells[i].suppressed) {
			color(p->cr, MARK_FILL);
			cairo_rectangle(p->cr, x + 2, p->y + 1, c->w[i] - 2, h - 2);
			cairo_fill(p->cr);
		}
		if (i == 0)
			text(p, x, p->y + PAD, c->w[0] - PAD, st, LEFT, cells[i].s, 1);
		else
			text(p, x, p->y + PAD, c->w[i] - PAD, st, RIGHT, cells[i].s, 1);
		x += c->w[i];
	}
	p->y += h;
	line(p->cr, MARGIN, p->y, MARGIN + CONTENT_W, p->y, st == BOLD ? INK : GRID, st == BOLD ? 0.8 : 0.4);
}

static void head_row(struct pdf *p, const struct cols *c)
{
	struct cell h[4];
	for (int i = 0; i < c->n; i++)
		h[i] = (struct cell){c->head[i], 0};
	draw_row(p, c, h, BOLD, row_height(p, c, c->head[0], BOLD));
}

/* A row after the header, never split: on a new page, the header again first. */
static void body_row(struct pdf *p, const struct cols *c, const struct cell *cells)
{
	double h = row_height(p, c, cells[0].s, BODY);
	if (ensure(p, h))
		head_row(p, c);
	draw_row(p, c, cells, BODY, h);
}

static void table_start(struct pdf *p, const struct cols *c, const char *first)
{
	ensure(p, row_height(p, c, c->head[0], BOLD) + row_height(p, c, first, BODY));
	head_row(p, c);
}

static struct cell count_cell(struct report_value v, char *buf, size_t n)
{
	if (!v.shown)
		return (struct cell){REPORT_MARK, 1};
	snprintf(buf, n, "%ld", v.n);
	return (struct cell){buf, 0};
}

static void trend_section(struct pdf *p)
{
	const struct report *r = p->r;
	heading(p, r->trend_title, TREND_H);
	trend_chart(p);
	struct cols c = {3,
			 {T(r->lang, "stats.school_year"), T(r->lang, "stats.s1_students"), T(r->lang, "stats.s1_new")},
			 {CONTENT_W - 2 * 130, 130, 130}};
	if (r->ntrend)
		table_start(p, &c, r->trend[0].school_year);
	for (int i = 0; i < r->ntrend; i++) {
		char a[32], b[32];
		struct cell cells[3] = {{r->trend[i].school_year, 0}, count_cell(r->trend[i].students, a, sizeof a),
					count_cell(r->trend[i].new_cases, b, sizeof b)};
		body_row(p, &c, cells);
	}
	p->y += 18;
}

static void table_section(struct pdf *p, const struct report_table *t)
{
	const struct report *r = p->r;
	/* The first column's heading as on the page: a category of a code list, or a measure. */
	const char *first = t->with_of && strcmp(t->id, "shares") != 0 ? T(r->lang, "stats.category") : r->col_label;
	struct cols c = t->with_of ? (struct cols){4, {first, r->col_count, r->col_of, r->col_share},
						   {CONTENT_W - 3 * 70, 70, 70, 70}}
				   : (struct cols){2, {first, r->col_count}, {CONTENT_W - 100, 100}};
	double first_row = t->nrows ? row_height(p, &c, t->rows[0].label, BODY) : 0;
	heading(p, t->title, t->chart ? distribution_height(t) : row_height(p, &c, first, BOLD) + first_row);
	if (t->chart)
		distribution_chart(p, t);
	if (t->nrows)
		table_start(p, &c, t->rows[0].label);
	for (int i = 0; i < t->nrows; i++) {
		const struct report_row *w = &t->rows[i];
		char a[32], b[32], s[32] = "–";
		struct cell cells[4] = {{w->label, 0}, {w->text, 0}, count_cell(w->of, b, sizeof b), {s, 0}};
		if (!w->text[0])
			cells[1] = count_cell(w->count, a, sizeof a);
		if (w->has_share)
			snprintf(s, sizeof s, "%.0f %%", w->share);
		body_row(p, &c, cells);
	}
	p->y += 18;
}

/* Draws the whole document on cr; returns the number of pages. */
static int draw(const struct report *r, cairo_t *cr, int pages)
{
	struct pdf p = {.r = r, .cr = cr, .y = MARGIN, .page = 1, .pages = pages};
	p.lay = pango_cairo_create_layout(cr);
	/* Font sizes in points: one layout unit is one PDF point. */
	pango_cairo_context_set_resolution(pango_layout_get_context(p.lay), 72);
	pango_layout_context_changed(p.lay);
	pango_layout_set_wrap(p.lay, PANGO_WRAP_WORD_CHAR);
	static const char *const fonts[NSTYLES] = {FONT " 9", FONT " Bold 9", FONT " 7.5", FONT " Bold 17",
						   FONT " Bold 12"};
	for (int i = 0; i < NSTYLES; i++)
		p.font[i] = pango_font_description_from_string(fonts[i]);
	header(&p);
	trend_section(&p);
	for (int i = 0; i < r->ntables; i++)
		table_section(&p, &r->tables[i]);
	footer(&p);
	cairo_show_page(cr);
	for (int i = 0; i < NSTYLES; i++)
		pango_font_description_free(p.font[i]);
	g_object_unref(p.lay);
	return p.page;
}

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int length)
{
	if (closure)
		buf_put(closure, data, length);
	return CAIRO_STATUS_SUCCESS;
}

/* One rendering into out (NULL: only count). Returns the page count, or -1. */
static int render(const struct report *r, buf_t *out, int pages, char *err, size_t errsz)
{
	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(to_buf, out, PAGE_W, PAGE_H);
	char title[400];
	snprintf(title, sizeof title, "%s – %s – %s", r->title, r->unit_name, r->school_year);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "elevlos");
	cairo_t *cr = cairo_create(s);
	int n = draw(r, cr, pages);
	cairo_status_t st = cairo_status(cr);
	cairo_destroy(cr);
	cairo_surface_finish(s);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(s);
	cairo_surface_destroy(s);
	if (st != CAIRO_STATUS_SUCCESS) {
		snprintf(err, errsz, "cannot draw the PDF: %s", cairo_status_to_string(st));
		return -1;
	}
	return n;
}

int report_pdf(const struct report *r, buf_t *out, char *err, size_t errsz)
{
	int pages = render(r, NULL, 0, err, errsz);
	if (pages < 0)
		return -1;
	buf_t b;
	buf_init(&b);
	if (render(r, &b, pages, err, errsz) < 0) {
		buf_free(&b);
		return -1;
	}
	buf_put(out, b.p, b.len);
	buf_free(&b);
	return 0;
}

void report_pdf_cleanup(void)
{
	/* The font map holds fontconfig's patterns; fontconfig's own caches go last. */
	pango_cairo_font_map_set_default(NULL);
	cairo_debug_reset_static_data();
	FcFini();
}
