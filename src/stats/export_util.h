/*
 * What the XLSX and PDF exports share, so that the statistics report (export_*.c) and the
 * evaluation (eval/eval_export.c) draw alike and neither copies the other:
 *   - a libxlsxwriter workbook written to a private temporary file and read back into memory
 *     (libxlsxwriter 1.1.4 writes only to a named file);
 *   - an A4 cairo + pango document drawn twice, first to count the pages, then for real, so
 *     that "Side N av M" is known on page 1; text in DejaVu Sans, data tables whose rows are
 *     never split over two pages and whose header is repeated on a new page.
 */
#ifndef ELEVLOS_EXPORT_UTIL_H
#define ELEVLOS_EXPORT_UTIL_H

#include <cairo.h>
#include <pango/pangocairo.h>
#include <stddef.h>
#include <xlsxwriter.h>

#include "../core/util.h"

/* ---- XLSX ---- */

/* A new workbook on a fresh temporary file whose name goes to path (pathsz >= 64); NULL with
 * err when none can be made (nothing is left behind then). */
lxw_workbook *xlsx_begin(char *path, size_t pathsz, char *err, size_t errsz);
/* Closes wb, appends the file's bytes to out and removes the file, whatever happens. 0 or -1. */
int xlsx_finish(lxw_workbook *wb, const char *path, buf_t *out, char *err, size_t errsz);

/* ---- PDF ---- */

#define PDF_PAGE_W 595.276 /* A4 in points */
#define PDF_PAGE_H 841.890
#define PDF_MARGIN 56.0
#define PDF_BOTTOM (PDF_PAGE_H - 64.0) /* content ends here; the footer is below */
#define PDF_CONTENT_W (PDF_PAGE_W - 2 * PDF_MARGIN)

/* The page's colours (as the SVG charts). */
extern const double PDF_INK[3], PDF_BLUE[3], PDF_GREEN[3], PDF_ORANGE[3], PDF_GRID[3], PDF_MARK_FILL[3];

enum pdf_style { PDF_BODY, PDF_BOLD, PDF_SMALL, PDF_H1, PDF_H2, PDF_H3, PDF_NSTYLES };
enum pdf_align { PDF_LEFT, PDF_RIGHT, PDF_CENTER };

struct pdf {
	cairo_t *cr;
	PangoLayout *lay;
	PangoFontDescription *font[PDF_NSTYLES];
	const char *lang;     /* of "Side N av M" */
	const char *footer;   /* the footer's left-hand text */
	double y;             /* where the next thing goes */
	int page, pages;      /* pages: the total, 0 while counting */
};

void pdf_color(cairo_t *cr, const double c[3]);
/* Lays out s in width w (no wrap when w <= 0); returns its height. Draws it at (x, y) if draw. */
double pdf_text(struct pdf *p, double x, double y, double w, enum pdf_style st, enum pdf_align al, const char *s,
		int draw);
/* One line, cut with an ellipsis to width w. */
void pdf_text_clipped(struct pdf *p, double x, double y, double w, enum pdf_style st, enum pdf_align al,
		      const char *s);
void pdf_line(cairo_t *cr, double x0, double y0, double x1, double y1, const double c[3], double width);
/* Room for h more points on this page, else on the next. Returns 1 when it broke the page. */
int pdf_ensure(struct pdf *p, double h);
/* A heading kept on the page with the next need points under it. */
void pdf_heading(struct pdf *p, const char *title, double need);
/* The same in style st (PDF_H3 for a heading under a heading, PDF_BOLD for a table's caption). */
void pdf_heading_in(struct pdf *p, enum pdf_style st, const char *title, double need);
/* A bold label and its (wrapping) value, as a line of facts under a title. */
void pdf_fact(struct pdf *p, const char *label, const char *value);
/* A paragraph over the content's width: kept on one page when short, else continued line by
 * line on the next pages (never below PDF_BOTTOM, at least two lines at a page's foot). */
void pdf_paragraph(struct pdf *p, enum pdf_style st, const char *s);

/* A data table: the first column left-aligned, the others right-aligned figures; a row is as
 * tall as its tallest cell. */
#define PDF_MAX_COLS 6
struct pdf_cols {
	int n;
	const char *head[PDF_MAX_COLS];
	double w[PDF_MAX_COLS];
};

struct pdf_cell {
	const char *s;
	int suppressed; /* on a grey fill */
};

/* A row's height by its first cell (the one that wraps), for keeping things together. */
double pdf_row_height(struct pdf *p, const struct pdf_cols *c, const char *first, enum pdf_style st);
/* The height of the header row and a first row whose first cell is first. */
double pdf_table_start_height(struct pdf *p, const struct pdf_cols *c, const char *first);
/* The header row, kept on the page with a first row whose first cell is first. */
void pdf_table_start(struct pdf *p, const struct pdf_cols *c, const char *first);
/* A row after the header, never split: on a new page, the header again first. */
void pdf_body_row(struct pdf *p, const struct pdf_cols *c, const struct pdf_cell *cells);

/* Draws a document with draw(p, ctx) twice (to count the pages, then into out) and appends the
 * PDF to out: page 1 begins at the top margin, every page gets the footer (footer_left and
 * "Side N av M" in lang). title goes into the document's metadata. 0, or -1 with err. */
int pdf_render(void (*draw)(struct pdf *p, const void *ctx), const void *ctx, const char *lang,
	       const char *footer_left, const char *title, buf_t *out, char *err, size_t errsz);

#endif
