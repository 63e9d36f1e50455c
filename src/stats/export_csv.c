/* The report model as RFC 4180 CSV: one line per table row, for scripts and spreadsheets. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "export.h"

void export_csv_field(buf_t *out, const char *s)
{
	/* A spreadsheet runs a cell that starts with one of these as a formula (OWASP, CSV
	 * injection); labels and unit names come from data, so none may start a field. */
	int neutralise = s[0] && strchr("=+-@\t\r", s[0]) != NULL;
	int quote = strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		buf_putc(out, '"');
	if (neutralise)
		buf_putc(out, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			buf_putc(out, '"');
		buf_putc(out, *p);
	}
	if (quote)
		buf_putc(out, '"');
}

static void field(buf_t *out, const char *s, int last)
{
	export_csv_field(out, s);
	buf_puts(out, last ? "\r\n" : ",");
}

static void count_field(buf_t *out, struct report_value v)
{
	char n[32] = "";
	if (v.shown)
		snprintf(n, sizeof n, "%ld", v.n);
	field(out, n, 0);
}

/* One decimal with a '.', whatever the process's locale. */
static void share_field(buf_t *out, const struct report_row *w)
{
	char s[32] = "";
	if (w->has_share) {
		long tenths = lround(w->share * 10.0);
		snprintf(s, sizeof s, "%ld.%ld", tenths / 10, tenths % 10);
	}
	field(out, s, 0);
}

int report_csv(const struct report *r, buf_t *out)
{
	char version[16];
	snprintf(version, sizeof version, "%d", r->version);
	buf_puts(out, "school_year,release_version,unit,unit_name,table,table_title,code,label,count,of,share,status,"
		      "text\r\n");
	for (int i = 0; i < r->ntables; i++) {
		const struct report_table *t = &r->tables[i];
		for (int j = 0; j < t->nrows; j++) {
			const struct report_row *w = &t->rows[j];
			field(out, r->school_year, 0);
			field(out, version, 0);
			field(out, r->unit, 0);
			field(out, r->unit_name, 0);
			field(out, t->id, 0);
			field(out, t->title, 0);
			field(out, w->code, 0);
			field(out, w->label, 0);
			/* A figure that is not a count (S10) goes in the text column; "–" means not
			 * published (too few cases). */
			int shown = w->text[0] ? strcmp(w->text, "–") != 0 : w->count.shown;
			count_field(out, w->text[0] ? (struct report_value){0, 0} : w->count);
			if (t->with_of)
				count_field(out, w->of);
			else
				field(out, "", 0);
			share_field(out, w);
			field(out, shown ? "published" : "suppressed", 0);
			field(out, w->text, 1);
		}
	}
	return 0;
}
