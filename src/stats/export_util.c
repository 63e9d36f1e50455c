/* The XLSX and PDF plumbing the statistics report and the evaluation share (export_util.h). */
#include "export_util.h"

#include <cairo-pdf.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../i18n/i18n.h"

/* ---- XLSX ---- */

lxw_workbook *xlsx_begin(char *path, size_t pathsz, char *err, size_t errsz)
{
	const char *dir = getenv("TMPDIR");
	snprintf(path, pathsz, "%s/elevlos-xlsx.XXXXXX", dir && dir[0] ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0) {
		snprintf(err, errsz, "cannot make a temporary file: %s", strerror(errno));
		return NULL;
	}
	close(fd);
	lxw_workbook *wb = workbook_new(path);
	if (!wb) {
		unlink(path);
		snprintf(err, errsz, "cannot start a workbook");
		return NULL;
	}
	return wb;
}

int xlsx_finish(lxw_workbook *wb, const char *path, buf_t *out, char *err, size_t errsz)
{
	lxw_error e = workbook_close(wb);
	if (e != LXW_NO_ERROR) {
		unlink(path);
		snprintf(err, errsz, "cannot write the workbook: %s", lxw_strerror(e));
		return -1;
	}
	FILE *in = fopen(path, "rb");
	unlink(path);
	if (!in) {
		snprintf(err, errsz, "cannot read the workbook back: %s", strerror(errno));
		return -1;
	}
	buf_t b;
	buf_init(&b);
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, in)) > 0)
		buf_put(&b, chunk, n);
	int bad = ferror(in);
	fclose(in);
	if (bad || b.len == 0) {
		buf_free(&b);
		snprintf(err, errsz, "cannot read the workbook back");
		return -1;
	}
	buf_put(out, b.p, b.len);
	buf_free(&b);
	return 0;
}

/* ---- PDF ---- */

#define FONT "DejaVu Sans"

const double PDF_INK[3] = {0x23 / 255.0, 0x26 / 255.0, 0x2a / 255.0};
const double PDF_BLUE[3] = {0x00 / 255.0, 0x67 / 255.0, 0xc5 / 255.0};
const double PDF_GREEN[3] = {0x06 / 255.0, 0x89 / 255.0, 0x3a / 255.0};
const double PDF_ORANGE[3] = {0xc7 / 255.0, 0x73 / 255.0, 0x00 / 255.0};
const double PDF_GRID[3] = {0xc6 / 255.0, 0xc2 / 255.0, 0xbf / 255.0};
const double PDF_MARK_FILL[3] = {0xd9 / 255.0, 0xd9 / 255.0, 0xd9 / 255.0};

void pdf_color(cairo_t *cr, const double c[3])
{
	cairo_set_source_rgb(cr, c[0], c[1], c[2]);
}

double pdf_text(struct pdf *p, double x, double y, double w, enum pdf_style st, enum pdf_align al, const char *s,
		int draw)
{
	PangoLayout *l = p->lay;
	pango_layout_set_font_description(l, p->font[st]);
	pango_layout_set_width(l, w > 0 ? (int)(w * PANGO_SCALE) : -1);
	pango_layout_set_alignment(l, al == PDF_RIGHT	 ? PANGO_ALIGN_RIGHT
				      : al == PDF_CENTER ? PANGO_ALIGN_CENTER
							 : PANGO_ALIGN_LEFT);
	pango_layout_set_text(l, s, -1);
	PangoRectangle ink, logical;
	pango_layout_get_extents(l, &ink, &logical);
	if (draw) {
		pdf_color(p->cr, PDF_INK);
		cairo_move_to(p->cr, x, y);
		pango_cairo_show_layout(p->cr, l);
	}
	return (double)logical.height / PANGO_SCALE;
}

void pdf_text_clipped(struct pdf *p, double x, double y, double w, enum pdf_style st, enum pdf_align al,
		      const char *s)
{
	pango_layout_set_ellipsize(p->lay, PANGO_ELLIPSIZE_END);
	pdf_text(p, x, y, w, st, al, s, 1);
	pango_layout_set_ellipsize(p->lay, PANGO_ELLIPSIZE_NONE);
}

void pdf_line(cairo_t *cr, double x0, double y0, double x1, double y1, const double c[3], double width)
{
	pdf_color(cr, c);
	cairo_set_line_width(cr, width);
	cairo_move_to(cr, x0, y0);
	cairo_line_to(cr, x1, y1);
	cairo_stroke(cr);
}

static void footer(struct pdf *p)
{
	char right[64];
	snprintf(right, sizeof right, "%s %d %s %d", T(p->lang, "export.page"), p->page, T(p->lang, "export.page_of"),
		 p->pages ? p->pages : p->page);
	pdf_line(p->cr, PDF_MARGIN, PDF_PAGE_H - 50, PDF_PAGE_W - PDF_MARGIN, PDF_PAGE_H - 50, PDF_GRID, 0.5);
	pdf_text_clipped(p, PDF_MARGIN, PDF_PAGE_H - 44, PDF_CONTENT_W - 90, PDF_SMALL, PDF_LEFT, p->footer);
	pdf_text(p, PDF_PAGE_W - PDF_MARGIN - 90, PDF_PAGE_H - 44, 90, PDF_SMALL, PDF_RIGHT, right, 1);
}

static void new_page(struct pdf *p)
{
	footer(p);
	cairo_show_page(p->cr);
	p->page++;
	p->y = PDF_MARGIN;
}

int pdf_ensure(struct pdf *p, double h)
{
	if (p->y + h <= PDF_BOTTOM)
		return 0;
	new_page(p);
	return 1;
}

void pdf_heading_in(struct pdf *p, enum pdf_style st, const char *title, double need)
{
	double gap = st == PDF_H1 || st == PDF_H2 ? 6 : 3;
	double h = pdf_text(p, PDF_MARGIN, p->y, PDF_CONTENT_W, st, PDF_LEFT, title, 0);
	pdf_ensure(p, h + gap + need);
	pdf_text(p, PDF_MARGIN, p->y, PDF_CONTENT_W, st, PDF_LEFT, title, 1);
	p->y += h + gap;
}

void pdf_heading(struct pdf *p, const char *title, double need)
{
	pdf_heading_in(p, PDF_H2, title, need);
}

void pdf_fact(struct pdf *p, const char *label, const char *value)
{
	double h = fmax(pdf_text(p, PDF_MARGIN + 170, p->y, PDF_CONTENT_W - 170, PDF_BODY, PDF_LEFT, value, 0),
			pdf_text(p, PDF_MARGIN, p->y, 165, PDF_BOLD, PDF_LEFT, label, 0));
	pdf_ensure(p, h + 3);
	pdf_text(p, PDF_MARGIN, p->y, 165, PDF_BOLD, PDF_LEFT, label, 1);
	pdf_text(p, PDF_MARGIN + 170, p->y, PDF_CONTENT_W - 170, PDF_BODY, PDF_LEFT, value, 1);
	p->y += h + 3;
}

/* A paragraph of at most this many lines moves to the next page whole rather than split. */
#define KEEP_LINES 4

void pdf_paragraph(struct pdf *p, enum pdf_style st, const char *s)
{
	double h = pdf_text(p, PDF_MARGIN, p->y, PDF_CONTENT_W, st, PDF_LEFT, s, 0);
	int lines = pango_layout_get_line_count(p->lay);
	if (p->y + h <= PDF_BOTTOM || lines <= KEEP_LINES) {
		pdf_ensure(p, h);
		pdf_text(p, PDF_MARGIN, p->y, PDF_CONTENT_W, st, PDF_LEFT, s, 1);
		p->y += h;
		return;
	}
	/* Line by line over as many pages as it takes. A page break lays out its footer in p->lay,
	 * so the lines come from a copy. */
	pdf_ensure(p, 2 * h / lines);
	PangoLayout *l = pango_layout_copy(p->lay);
	PangoLayoutIter *it = pango_layout_get_iter(l);
	double origin = p->y; /* where the layout's top is on this page */
	do {
		PangoRectangle r;
		pango_layout_iter_get_line_extents(it, NULL, &r);
		double top = (double)r.y / PANGO_SCALE, bottom = (double)(r.y + r.height) / PANGO_SCALE;
		p->y = origin + top;
		if (pdf_ensure(p, bottom - top))
			origin = p->y - top;
		pdf_color(p->cr, PDF_INK);
		cairo_move_to(p->cr, PDF_MARGIN + (double)r.x / PANGO_SCALE,
			      origin + (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE);
		pango_cairo_show_layout_line(p->cr, pango_layout_iter_get_line_readonly(it));
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	g_object_unref(l);
	p->y = origin + h;
}

#define PAD 3.0

double pdf_row_height(struct pdf *p, const struct pdf_cols *c, const char *first, enum pdf_style st)
{
	return pdf_text(p, 0, 0, c->w[0] - PAD, st, PDF_LEFT, first, 0) + 2 * PAD;
}

/* The tallest of a row's cells, each wrapped in its column. */
static double cells_height(struct pdf *p, const struct pdf_cols *c, const struct pdf_cell *cells, enum pdf_style st)
{
	double h = 0;
	for (int i = 0; i < c->n; i++)
		h = fmax(h, pdf_text(p, 0, 0, c->w[i] - PAD, st, i == 0 ? PDF_LEFT : PDF_RIGHT, cells[i].s, 0));
	return h + 2 * PAD;
}

static void draw_row(struct pdf *p, const struct pdf_cols *c, const struct pdf_cell *cells, enum pdf_style st,
		     double h)
{
	double x = PDF_MARGIN;
	for (int i = 0; i < c->n; i++) {
		if (cells[i].suppressed) {
			pdf_color(p->cr, PDF_MARK_FILL);
			cairo_rectangle(p->cr, x + 2, p->y + 1, c->w[i] - 2, h - 2);
			cairo_fill(p->cr);
		}
		pdf_text(p, x, p->y + PAD, c->w[i] - PAD, st, i == 0 ? PDF_LEFT : PDF_RIGHT, cells[i].s, 1);
		x += c->w[i];
	}
	p->y += h;
	pdf_line(p->cr, PDF_MARGIN, p->y, PDF_MARGIN + PDF_CONTENT_W, p->y, st == PDF_BOLD ? PDF_INK : PDF_GRID,
		 st == PDF_BOLD ? 0.8 : 0.4);
}

static double head_height(struct pdf *p, const struct pdf_cols *c, struct pdf_cell h[PDF_MAX_COLS])
{
	for (int i = 0; i < c->n; i++)
		h[i] = (struct pdf_cell){c->head[i], 0};
	return cells_height(p, c, h, PDF_BOLD);
}

static void head_row(struct pdf *p, const struct pdf_cols *c)
{
	struct pdf_cell h[PDF_MAX_COLS];
	double height = head_height(p, c, h);
	draw_row(p, c, h, PDF_BOLD, height);
}

void pdf_body_row(struct pdf *p, const struct pdf_cols *c, const struct pdf_cell *cells)
{
	double h = cells_height(p, c, cells, PDF_BODY);
	if (pdf_ensure(p, h))
		head_row(p, c);
	draw_row(p, c, cells, PDF_BODY, h);
}

double pdf_table_start_height(struct pdf *p, const struct pdf_cols *c, const char *first)
{
	struct pdf_cell h[PDF_MAX_COLS];
	return head_height(p, c, h) + pdf_row_height(p, c, first, PDF_BODY);
}

void pdf_table_start(struct pdf *p, const struct pdf_cols *c, const char *first)
{
	pdf_ensure(p, pdf_table_start_height(p, c, first));
	head_row(p, c);
}

struct job {
	void (*draw)(struct pdf *p, const void *ctx);
	const void *ctx;
	const char *lang, *footer;
};

/* Draws the whole document on cr; returns the number of pages. */
static int draw_all(const struct job *j, cairo_t *cr, int pages)
{
	struct pdf p = {.cr = cr, .lang = j->lang, .footer = j->footer, .y = PDF_MARGIN, .page = 1, .pages = pages};
	p.lay = pango_cairo_create_layout(cr);
	/* Font sizes in points: one layout unit is one PDF point. */
	pango_cairo_context_set_resolution(pango_layout_get_context(p.lay), 72);
	pango_layout_context_changed(p.lay);
	pango_layout_set_wrap(p.lay, PANGO_WRAP_WORD_CHAR);
	static const char *const fonts[PDF_NSTYLES] = {FONT " 9", FONT " Bold 9", FONT " 7.5", FONT " Bold 17",
						       FONT " Bold 12", FONT " Bold 10"};
	for (int i = 0; i < PDF_NSTYLES; i++)
		p.font[i] = pango_font_description_from_string(fonts[i]);
	j->draw(&p, j->ctx);
	footer(&p);
	cairo_show_page(cr);
	for (int i = 0; i < PDF_NSTYLES; i++)
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
static int render(const struct job *j, const char *title, buf_t *out, int pages, char *err, size_t errsz)
{
	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(to_buf, out, PDF_PAGE_W, PDF_PAGE_H);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "elevlos");
	cairo_t *cr = cairo_create(s);
	int n = draw_all(j, cr, pages);
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

int pdf_render(void (*draw)(struct pdf *p, const void *ctx), const void *ctx, const char *lang,
	       const char *footer_left, const char *title, buf_t *out, char *err, size_t errsz)
{
	const struct job j = {draw, ctx, lang, footer_left};
	int pages = render(&j, title, NULL, 0, err, errsz);
	if (pages < 0)
		return -1;
	buf_t b;
	buf_init(&b);
	if (render(&j, title, &b, pages, err, errsz) < 0) {
		buf_free(&b);
		return -1;
	}
	buf_put(out, b.p, b.len);
	buf_free(&b);
	return 0;
}
