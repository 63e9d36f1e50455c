/*
 * The report model (report.h) as downloadable files: CSV, XLSX and PDF. Each renders only what
 * report_build() put into the model, so an export can never show a figure the statistics page
 * does not. The renderers write to memory, for the server to send without temporary files; the
 * CLI puts the bytes in place with export_write_file(), all or nothing.
 *
 * Every function returns 0 on success and -1 on failure, with a one-line reason in err (English,
 * for logs and the CLI) where it takes one. On failure out is left as it was given.
 */
#ifndef ELEVLOS_EXPORT_H
#define ELEVLOS_EXPORT_H

#include <stddef.h>

#include "../core/util.h"
#include "report.h"

/*
 * RFC 4180 CSV, UTF-8 without a byte order mark, CRLF line ends: a header line and one line per
 * table row (columns in docs/exports.md). Suppressed counts are empty with status
 * "suppressed". Text from data that a spreadsheet would run as a formula is neutralised.
 * Appends to out.
 */
int report_csv(const struct report *r, buf_t *out);

/* One CSV field: neutralised (a leading = + - @ tab or CR gets a ' in front), then quoted with
 * inner quotes doubled when it holds a comma, quote, CR or LF. Appends to out. */
void export_csv_field(buf_t *out, const char *s);

/* An Office Open XML workbook: an "about" sheet, then a sheet per table named by its id. */
int report_xlsx(const struct report *r, buf_t *out, char *err, size_t errsz);

/* An A4 PDF: header, the trend chart and a chart per distribution table, each followed by
 * its data table; "Side N av M" in every footer; no table row is ever split over two pages. */
int report_pdf(const struct report *r, buf_t *out, char *err, size_t errsz);

/* The report's tables (no charts, no trend) as report_pdf draws them, a suppressed count ":" on
 * a grey fill, under heading and the protection note: for a document that holds several
 * reports' figures (a pilot's annual or final report). p comes from pdf_render (export_util.h). */
struct pdf;
void report_pdf_tables(struct pdf *p, const struct report *r, const char *heading);

/* Frees the font caches report_pdf filled (pango, cairo, fontconfig), so that a leak checker
 * sees none: once, at exit, after the last report_pdf and with no other thread drawing text. */
void report_pdf_cleanup(void);

/*
 * Writes len bytes to path through a temporary file in the same directory, flushed to disk and
 * then renamed over path: a reader sees the old file or the whole new one, never a part. The
 * new file is readable by its owner only (mode 0600).
 */
int export_write_file(const char *path, const void *data, size_t len, char *err, size_t errsz);

#endif
