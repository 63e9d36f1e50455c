#include "school.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../db/eval.h"
#include "table.h"

int school_orgnr_valid(const char *orgnr)
{
	static const int w[8] = {3, 2, 7, 6, 5, 4, 3, 2};
	if (strlen(orgnr) != 9)
		return 0;
	int sum = 0;
	for (int i = 0; i < 9; i++)
		if (orgnr[i] < '0' || orgnr[i] > '9')
			return 0;
	for (int i = 0; i < 8; i++)
		sum += w[i] * (orgnr[i] - '0');
	int r = sum % 11, check = r == 0 ? 0 : 11 - r;
	return check != 10 && check == orgnr[8] - '0';
}

void school_orgnr_clean(const char *s, char out[10])
{
	size_t n = 0;
	for (; *s; s++) {
		if (*s == ' ' || (unsigned char)*s == 0xC2 || (unsigned char)*s == 0xA0)
			continue;
		if (n == 9) {
			out[0] = '\0';
			return;
		}
		out[n++] = *s;
	}
	out[n] = '\0';
}

static int digits(const char *s, size_t n)
{
	if (strlen(s) != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int school_year_parse(const char *s, int *year)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%s", s);
	table_trim(buf);
	if (!digits(buf, 4) && (strlen(buf) < 5 || buf[4] == '\0'))
		return -1;
	if (strncmp(buf, "19", 2) != 0 && strncmp(buf, "20", 2) != 0)
		return -1;
	char *end;
	long y = strtol(buf, &end, 10);
	/* The database holds school years from 1990 on (udir_dropout, pilot_school). */
	if (end != buf + 4 || y < 1990)
		return -1;
	if (*end) {
		while (*end == ' ')
			end++;
		if (*end == '-' || *end == '/')
			end++;
		else if (strncmp(end, "\xE2\x80\x93", 3) == 0)
			end += 3;
		else
			return -1;
		while (*end == ' ')
			end++;
		if (digits(end, 2)) {
			if (atoi(end) != (int)((y + 1) % 100))
				return -1;
		} else if (!digits(end, 4) || atol(end) != y + 1) {
			return -1;
		}
	}
	*year = (int)y;
	return 0;
}

static const char *const C_ORGNR[] = {"orgnr", "organisasjonsnummer", "organisasjonsnr",
				      "orgnummer", "organizationnumber", NULL};
static const char *const C_NAME[] = {"navn", "skolenavn", "officialname", "skole", "name",
				     "enhetsnavn", NULL};
static const char *const C_MUNI[] = {"kommunenr", "kommunenummer", "knr", "municipalitynumber", NULL};
static const char *const C_COUNTY[] = {"fylkesnr", "fylkesnummer", "fylkenr", "countynumber", NULL};
static const char *const C_UNIT[] = {"enhet", "enhetskode", "unit", "unitcode", NULL};
static const char *const C_PILOT[] = {"pilot", "pilotkode", NULL};
static const char *const C_START[] = {"pilotstart", "pilotfra", NULL};
static const char *const C_END[] = {"pilotslutt", "pilottil", NULL};

/* A number with leading zeros the spreadsheet may have dropped ("301" → "0301"). */
static int pad_code(const char *in, size_t width, char *out)
{
	char buf[16];
	snprintf(buf, sizeof buf, "%s", in);
	table_trim(buf);
	size_t n = strlen(buf);
	if (n == 0 || n > width || !digits(buf, n))
		return -1;
	memset(out, '0', width - n);
	memcpy(out + width - n, buf, n + 1);
	return 0;
}

struct seen {
	char orgnr[10];
	long line;
};

__attribute__((format(printf, 4, 5))) static void row_error(FILE *errs, struct school_report *rep,
								 long line, const char *fmt, ...)
{
	va_list ap;
	fprintf(errs, "line %ld: ", line);
	va_start(ap, fmt);
	vfprintf(errs, fmt, ap);
	va_end(ap);
	fputc('\n', errs);
	rep->errors++;
}

/* Validates one row into s; 0, or -1 with the reason printed. */
static int school_row(db_t *db, const struct table_row *r, const int *col, struct school *s,
		      FILE *errs, struct school_report *rep)
{
	char raw[64];
	memset(s, 0, sizeof *s);
	snprintf(raw, sizeof raw, "%s", table_field(r, col[0]));
	table_trim(raw);
	school_orgnr_clean(raw, s->orgnr);
	if (!digits(s->orgnr, 9)) {
		row_error(errs, rep, r->line, "organisation number '%s' is not nine digits", raw);
		return -1;
	}
	if (!school_orgnr_valid(s->orgnr)) {
		row_error(errs, rep, r->line, "organisation number %s has a wrong check digit (mod 11)",
			  s->orgnr);
		return -1;
	}
	char name[256];
	snprintf(name, sizeof name, "%s", table_field(r, col[1]));
	table_trim(name);
	if (!name[0] || strlen(name) > 200) {
		row_error(errs, rep, r->line, "the name is %s%s", name[0] ? "longer than 200 bytes" : "empty",
			  "");
		return -1;
	}
	memcpy(s->name, name, strlen(name) + 1); /* at most 200 bytes: checked above */
	const char *m = col[2] >= 0 ? table_field(r, col[2]) : "";
	const char *c = col[3] >= 0 ? table_field(r, col[3]) : "";
	char given_c[3] = "";
	if (*m) {
		if (pad_code(m, 4, s->municipality) < 0) {
			row_error(errs, rep, r->line, "municipality number '%s' is not four digits", m);
			return -1;
		}
		int rc = db_municipality_in_year(db, s->municipality, 2024, s->municipality_2024);
		if (rc == DB_CONFLICT) {
			row_error(errs, rep, r->line,
				  "municipality %s was split; give the number it has now", s->municipality);
			return -1;
		}
		if (rc != DB_OK) {
			row_error(errs, rep, r->line, "municipality number %s is not known (2013–2024)",
				  s->municipality);
			return -1;
		}
		snprintf(s->county_2024, sizeof s->county_2024, "%.2s", s->municipality_2024);
		snprintf(s->county, sizeof s->county, "%.2s", s->municipality);
	}
	if (*c) {
		if (pad_code(c, 2, given_c) < 0) {
			row_error(errs, rep, r->line, "county number '%s' is not two digits", c);
			return -1;
		}
		char c24[3];
		int rc = db_county_in_year(db, given_c, 2024, c24);
		if (rc == DB_NOTFOUND) {
			row_error(errs, rep, r->line, "county number %s is not known (2014–2024)", given_c);
			return -1;
		}
		if (rc != DB_OK && rc != DB_CONFLICT)
			return -2;
		if (!*m) {
			if (rc == DB_CONFLICT) {
				row_error(errs, rep, r->line,
					  "county %s was split in 2024; give the municipality number or "
					  "today's county number", given_c);
				return -1;
			}
			snprintf(s->county_2024, sizeof s->county_2024, "%s", c24);
		} else {
			/* The municipality must lie in the county in one of the eras. */
			static const int eras[] = {2014, 2018, 2020, 2024};
			int ok = 0;
			for (size_t i = 0; i < 4 && !ok; i++) {
				char mm[5];
				if (db_municipality_in_year(db, s->municipality, eras[i], mm) == DB_OK &&
				    strncmp(mm, given_c, 2) == 0)
					ok = 1;
			}
			if (!ok) {
				row_error(errs, rep, r->line, "municipality %s does not lie in county %s",
					  s->municipality, given_c);
				return -1;
			}
		}
		snprintf(s->county, sizeof s->county, "%s", given_c);
	}
	if (!*m && !*c) {
		row_error(errs, rep, r->line, "give a municipality number or a county number");
		return -1;
	}
	if (col[4] >= 0) {
		snprintf(raw, sizeof raw, "%s", table_field(r, col[4]));
		snprintf(s->unit_code, sizeof s->unit_code, "%s", table_trim(raw));
	}
	return 0;
}

static int pilot_cols(db_t *db, const struct table_row *r, const int *col, const char *orgnr,
		      FILE *errs, struct school_report *rep)
{
	if (col[5] < 0)
		return 0;
	char pilot[64], a[32], b[32];
	snprintf(pilot, sizeof pilot, "%s", table_field(r, col[5]));
	snprintf(a, sizeof a, "%s", table_field(r, col[6]));
	snprintf(b, sizeof b, "%s", table_field(r, col[7]));
	table_trim(pilot);
	table_trim(a);
	table_trim(b);
	if (!pilot[0])
		return 0;
	int start, end = 0;
	if (school_year_parse(a, &start) < 0) {
		row_error(errs, rep, r->line, "pilot start '%s' is not a school year from 1990-91 on like 2015-16", a);
		return -1;
	}
	if (b[0] && (school_year_parse(b, &end) < 0 || end < start)) {
		row_error(errs, rep, r->line, "pilot end '%s' is not a school year from %s on", b, a);
		return -1;
	}
	int changed;
	int rc = db_pilot_school_put(db, orgnr, pilot, start, end, &changed);
	if (rc == DB_INVALID) {
		row_error(errs, rep, r->line, "'%s' is not a pilot unit", pilot);
		return -1;
	}
	if (rc != DB_OK)
		return -2;
	if (changed)
		rep->pilots++;
	return 0;
}

static int seen_cmp(const void *a, const void *b)
{
	const struct seen *x = a, *y = b;
	int c = strcmp(x->orgnr, y->orgnr);
	return c ? c : (x->line > y->line) - (x->line < y->line);
}

int school_import(db_t *db, FILE *in, FILE *errs, struct school_report *rep, char *err, size_t errsz)
{
	memset(rep, 0, sizeof *rep);
	struct table t;
	if (table_read(in, &t, err, errsz) < 0) {
		fprintf(errs, "%s\n", err);
		rep->errors = 1;
		return 1;
	}
	int col[8] = {table_col(&t, C_ORGNR), table_col(&t, C_NAME),  table_col(&t, C_MUNI),
		      table_col(&t, C_COUNTY), table_col(&t, C_UNIT), table_col(&t, C_PILOT),
		      table_col(&t, C_START), table_col(&t, C_END)};
	if (col[0] < 0 || col[1] < 0 || (col[2] < 0 && col[3] < 0)) {
		fprintf(errs, "line 1: the header needs columns orgnr, navn and kommunenr or fylkesnr "
			      "(docs/udir.md)\n");
		rep->errors = 1;
		table_free(&t);
		return 1;
	}
	if (col[5] >= 0 && col[6] < 0) {
		fprintf(errs, "line 1: a pilot column needs a pilotstart column\n");
		rep->errors = 1;
		table_free(&t);
		return 1;
	}
	int rc = 0;
	struct seen *seen = calloc((size_t)t.n + 1, sizeof *seen);
	if (!seen)
		abort();
	if (db_begin(db) != DB_OK) {
		snprintf(err, errsz, "%s", db_errmsg(db));
		free(seen);
		table_free(&t);
		return -1;
	}
	long nseen = 0;
	for (int i = 1; i < t.n && rc == 0; i++) {
		const struct table_row *r = &t.rows[i];
		struct school s;
		rep->rows++;
		int v = school_row(db, r, col, &s, errs, rep);
		if (v == -2) {
			rc = -1;
			break;
		}
		if (v < 0)
			continue;
		snprintf(seen[nseen].orgnr, sizeof seen[nseen].orgnr, "%s", s.orgnr);
		seen[nseen++].line = r->line;
		int changed;
		int d = db_school_put(db, &s, &changed);
		if (d == DB_INVALID) {
			row_error(errs, rep, r->line, "unit '%s' is not a unit of kind school", s.unit_code);
			continue;
		}
		if (d != DB_OK) {
			rc = -1;
			break;
		}
		rep->added += changed == 1;
		rep->updated += changed == 2;
		rep->unchanged += changed == 0;
		if (pilot_cols(db, r, col, s.orgnr, errs, rep) == -2)
			rc = -1;
	}
	qsort(seen, (size_t)nseen, sizeof *seen, seen_cmp);
	for (long i = 1; i < nseen; i++)
		if (strcmp(seen[i].orgnr, seen[i - 1].orgnr) == 0) {
			fprintf(errs, "line %ld: organisation number %s is also on line %ld\n", seen[i].line,
				seen[i].orgnr, seen[i - 1].line);
			rep->errors++;
		}
	free(seen);
	table_free(&t);
	int end = table_import_end(db, rc, rep->errors, err, errsz);
	if (end == 1)
		rep->added = rep->updated = rep->unchanged = rep->pilots = 0;
	return end;
}
