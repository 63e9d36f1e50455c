/* elevlos stats: one unit's published figures as JSON, CSV, XLSX or PDF. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../db/stats.h"
#include "../http/form.h"
#include "../stats/export.h"
#include "../stats/report.h"
#include "cli.h"

/* The release's protected cells of one unit, as `stats` has always printed them (for scripts). */
static int cells_json(const struct release_row *r, const char *unit, buf_t *out)
{
	json_t *doc = json_loads(r->content, 0, NULL);
	json_t *cells = json_object_get(doc, "cells"), *mine = json_object();
	const char *key;
	json_t *v;
	char suffix[40];
	snprintf(suffix, sizeof suffix, "|%s", unit);
	json_object_foreach(cells, key, v) {
		const char *bar = strchr(key, '|');
		if (bar && !strcmp(bar, suffix))
			json_object_set(mine, key, v);
	}
	int found = json_object_size(mine) > 0;
	if (found) {
		json_t *j = json_pack("{s:s,s:i,s:s,s:s,s:O,s:O}", "school_year", r->school_year, "release_version",
				      r->version, "inputs_hash", r->inputs_hash, "unit", unit, "cells", mine, "protection",
				      json_object_get(doc, "protection"));
		char *text = json_dumps(j, JSON_INDENT(1) | JSON_SORT_KEYS);
		buf_puts(out, text);
		buf_putc(out, '\n');
		free(text);
		json_decref(j);
	}
	json_decref(mine);
	json_decref(doc);
	return found ? 0 : -1;
}

/* The figures rendered from the report model; -1 with a message printed on failure. */
static int rendered(db_t *db, const char *year, const char *unit, const char *lang, const char *fmt, buf_t *out)
{
	struct report *rep = xcalloc(1, sizeof *rep);
	int rc = report_build(db, year, unit, lang, rep);
	if (rc == DB_NOTFOUND) {
		free(rep);
		return cli_fail("unit %s is not in the published release of %s (see elevlos unit list)", unit, year);
	}
	if (rc != DB_OK) {
		free(rep);
		return cli_fail("cannot read the published release of %s: %s", year, db_errmsg(db));
	}
	char err[256] = "";
	if (!strcmp(fmt, "csv"))
		rc = report_csv(rep, out);
	else if (!strcmp(fmt, "xlsx"))
		rc = report_xlsx(rep, out, err, sizeof err);
	else {
		rc = report_pdf(rep, out, err, sizeof err);
		report_pdf_cleanup();
	}
	free(rep);
	return rc ? cli_fail("stats: %s", err) : 0;
}

int cmd_stats(int argc, char **argv)
{
	static const char help[] =
		"usage: elevlos stats --db PATH --year 2017/18 [--unit CODE] [--format json|csv|xlsx|pdf]\n"
		"                     [--lang nb|en] [--out PATH]\n\n"
		"One unit's figures (default NO, the nation) from the newest published release of the\n"
		"school year. Nothing unpublished or unprotected is ever written.\n\n"
		"json  the release's protected cells of the unit, suppressed ones null (the default)\n"
		"csv   one line per table row as on the statistics page: count, of, share, status;\n"
		"      suppressed counts empty with status \"suppressed\" (RFC 4180, UTF-8, CRLF)\n"
		"xlsx  a workbook: an about sheet, then a sheet per table; suppressed cells show " REPORT_MARK "\n"
		"pdf   A4: the release, the trend and a chart for each distribution, with their tables\n\n"
		"--lang   language of titles and labels (csv, xlsx, pdf): nb (default) or en\n"
		"--out    file to write, replaced whole or not at all; required for xlsx and pdf\n"
		"         (--out - writes them to standard output, never to a terminal). json and csv\n"
		"         go to standard output without it.\n";
	struct args a;
	struct config c;
	int s = cli_setup(argc, argv, NULL, help, &a, &c);
	if (s)
		return s < 0 ? 2 : 0;
	const char *year = args_get(&a, "year"), *unit = args_get(&a, "unit"), *fmt = args_get(&a, "format");
	const char *lang = args_get(&a, "lang"), *outpath = args_get(&a, "out");
	if (args_unused(&a))
		return cli_fail("stats: unknown option --%s", args_unused(&a));
	if (!year || !valid_school_period(year, strlen(year)))
		return cli_fail("stats: --year like 2017/18, or a period like 2014/15-2017/18");
	if (!unit)
		unit = "NO";
	if (!valid_code(unit, strlen(unit)))
		return cli_fail("--unit: a unit code");
	if (!fmt)
		fmt = "json";
	int binary = !strcmp(fmt, "xlsx") || !strcmp(fmt, "pdf");
	if (!binary && strcmp(fmt, "json") != 0 && strcmp(fmt, "csv") != 0)
		return cli_fail("--format: json, csv, xlsx or pdf");
	if (!lang)
		lang = "nb";
	if (strcmp(lang, "nb") != 0 && strcmp(lang, "en") != 0)
		return cli_fail("--lang: nb or en");
	if (outpath && !outpath[0])
		return cli_fail("--out: a file name");
	if (binary && !outpath)
		return cli_fail("stats: --format %s needs --out PATH (or --out - to pipe it)", fmt);
	int to_stdout = !outpath || !strcmp(outpath, "-");
	if (binary && to_stdout && isatty(STDOUT_FILENO))
		return cli_fail("stats: will not write %s to a terminal; use --out PATH or a pipe", fmt);

	db_t *db;
	if (cli_open_db(&c, &db) < 0)
		return 2;
	struct release_row r;
	if (db_release_published(db, year, &r) != DB_OK) {
		db_close(db);
		return cli_fail("no published release for %s", year);
	}
	buf_t out;
	buf_init(&out);
	int rc;
	if (!strcmp(fmt, "json")) {
		rc = cells_json(&r, unit, &out);
		if (rc)
			rc = cli_fail("unit %s is not in the published release of %s (see elevlos unit list)", unit, year);
	} else {
		rc = rendered(db, year, unit, lang, fmt, &out);
	}
	release_row_free(&r);
	db_close(db);
	if (rc == 0) {
		char err[512];
		if (to_stdout) {
			if (out.len && (fwrite(out.p, 1, out.len, stdout) != out.len || fflush(stdout) != 0))
				rc = cli_fail("stats: cannot write to standard output");
		} else if (export_write_file(outpath, out.p, out.len, err, sizeof err) != 0) {
			rc = cli_fail("stats: %s", err);
		}
	}
	buf_free(&out);
	return rc;
}
