#include "udir.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../db/eval.h"
#include "school.h"
#include "table.h"

/* Drops grouping spaces (normal, no-break U+00A0, narrow no-break U+202F) into out. */
static int strip_spaces(const char *s, char *out, size_t outsz)
{
	size_t o = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		if (*p == ' ') {
			p++;
			out[o++] = ' ';
		} else if (p[0] == 0xC2 && p[1] == 0xA0) {
			p += 2;
			out[o++] = ' ';
		} else if (p[0] == 0xE2 && p[1] == 0x80 && p[2] == 0xAF) {
			p += 3;
			out[o++] = ' ';
		} else {
			out[o++] = (char)*p++;
		}
		if (o + 1 >= outsz)
			return -1;
	}
	out[o] = '\0';
	return 0;
}

/* 1 when s is digits in groups of three after a first group of one to three, split by sep. */
static int grouped(const char *s, size_t n, char sep)
{
	size_t run = 0, groups = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == sep) {
			if (run == 0 || run > 3 || (groups > 0 && run != 3))
				return 0;
			groups++;
			run = 0;
		} else if (s[i] >= '0' && s[i] <= '9') {
			run++;
		} else {
			return 0;
		}
	}
	return run > 0 && (groups == 0 || run == 3);
}

int udir_number(const char *s, int whole, double *out, const char **why)
{
	char buf[64], num[64] = "";
	snprintf(buf, sizeof buf, "%s", s);
	table_trim(buf);
	size_t n = strlen(buf);
	if (n && buf[n - 1] == '%') {
		buf[--n] = '\0';
		table_trim(buf);
		n = strlen(buf);
	}
	if (n == 0 || strcmp(buf, "*") == 0 || strcmp(buf, ".") == 0 || strcmp(buf, "..") == 0 ||
	    strcmp(buf, ":") == 0)
		return 1;
	if (strip_spaces(buf, num, sizeof num) < 0) {
		*why = "is too long for a number";
		return -1;
	}
	/* Split at the decimal separator: a comma, or (for shares) a dot. */
	char *comma = strchr(num, ',');
	char *dot = strchr(num, '.');
	char *frac = NULL;
	if (comma) {
		if (strchr(comma + 1, ',')) {
			*why = "has more than one comma";
			return -1;
		}
		frac = comma;
	} else if (dot && !whole) {
		if (strchr(dot + 1, '.')) {
			*why = "has more than one decimal point";
			return -1;
		}
		frac = dot;
	}
	size_t ilen = frac ? (size_t)(frac - num) : strlen(num);
	char sep = strchr(num, ' ') ? ' ' : '.';
	if (dot && frac != dot && sep == ' ') {
		*why = "mixes spaces and dots between digits";
		return -1;
	}
	if (!grouped(num, ilen, sep)) {
		*why = whole && dot ? "is not a whole number (a dot groups thousands only before three digits)"
				    : "is not a number";
		return -1;
	}
	char clean[64];
	size_t o = 0;
	for (size_t i = 0; i < ilen; i++)
		if (num[i] != sep)
			clean[o++] = num[i];
	if (frac) {
		if (whole) {
			*why = "is not a whole number";
			return -1;
		}
		const char *f = frac + 1;
		if (!*f || strspn(f, "0123456789") != strlen(f)) {
			*why = "is not a number";
			return -1;
		}
		clean[o++] = '.';
		while (*f && o + 1 < sizeof clean)
			clean[o++] = *f++;
	}
	clean[o] = '\0';
	*out = strtod(clean, NULL);
	return 0;
}

int udir_programme(const char *s, char out[20])
{
	char k[128];
	table_key(s, k, sizeof k);
	if (strncmp(k, "yrkesf", 6) == 0 || strcmp(k, "vocational") == 0 || strcmp(k, "yf") == 0)
		snprintf(out, 20, "yrkesfag");
	else if (strncmp(k, "studief", 7) == 0 || strncmp(k, "allmenn", 7) == 0 ||
		 strcmp(k, "general") == 0 || strcmp(k, "sf") == 0)
		snprintf(out, 20, "studieforberedende");
	else if (strncmp(k, "alle", 4) == 0 || strcmp(k, "all") == 0 || strcmp(k, "total") == 0 ||
		 strcmp(k, "ialt") == 0 || strcmp(k, "totalt") == 0)
		snprintf(out, 20, "alle");
	else
		return -1;
	return 0;
}

static const char *const C_ORGNR[] = {"orgnr", "organisasjonsnummer", "organisasjonsnr",
				      "orgnummer", "organizationnumber", NULL};
static const char *const C_NAME[] = {"skole", "skolenavn", "enhetsnavn", "navn", "school", NULL};
static const char *const C_MUNI[] = {"kommunenr", "kommunenummer", "knr", "municipalitynumber", NULL};
static const char *const C_YEAR[] = {"skolear", "ar", "periode", "schoolyear", "year", NULL};
static const char *const C_PROG[] = {"utdanningsprogram", "program", "programomrade", "programme", NULL};
static const char *const C_STUDENTS[] = {"antallelever", "elever", "elevtall", "antall", "students", NULL};

/* The share column: a header starting with "andel" or "prosent"; the count column: one starting
 * with "antall" that speaks of leaving ("sluttet", "slutter"). */
static int find_col(const struct table *t, const char *prefix, const char *also)
{
	const struct table_row *h = &t->rows[0];
	for (int j = 0; j < h->n; j++) {
		char k[128];
		table_key(h->f[j], k, sizeof k);
		if (strncmp(k, prefix, strlen(prefix)) == 0 && (!also || strstr(k, also)))
			return j;
	}
	return -1;
}

__attribute__((format(printf, 4, 5))) static void row_error(FILE *errs, struct udir_report *rep,
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

struct key {
	long long school;
	int year;
	char prog[20];
	long line;
};

static int key_cmp(const void *a, const void *b)
{
	const struct key *x = a, *y = b;
	if (x->school != y->school)
		return x->school < y->school ? -1 : 1;
	if (x->year != y->year)
		return x->year < y->year ? -1 : 1;
	int c = strcmp(x->prog, y->prog);
	return c ? c : (x->line > y->line) - (x->line < y->line);
}

enum { U_ORGNR, U_NAME, U_MUNI, U_YEAR, U_PROG, U_STUDENTS, U_SHARE, U_COUNT, U__MAX };

/* The school a row names: by organisation number, else by name and municipality. 0, -1 (told),
 * 1 for a national or county total that is skipped, -2 on a database error. */
static int row_school(db_t *db, const struct table_row *r, const int *col, struct school *s,
		      FILE *errs, struct udir_report *rep)
{
	char raw[256], org[10];
	snprintf(raw, sizeof raw, "%s", table_field(r, col[U_ORGNR]));
	table_trim(raw);
	if (raw[0]) {
		school_orgnr_clean(raw, org);
		if (!school_orgnr_valid(org)) {
			row_error(errs, rep, r->line, "organisation number '%s' is not valid (nine digits, mod 11)",
				  raw);
			return -1;
		}
		int rc = db_school_get(db, org, s);
		if (rc == DB_NOTFOUND) {
			row_error(errs, rep, r->line,
				  "school %s is not in the school register (elevlos import schools)", org);
			return -1;
		}
		return rc == DB_OK ? 0 : -2;
	}
	char name[256], muni[64], k[256];
	snprintf(name, sizeof name, "%s", table_field(r, col[U_NAME]));
	snprintf(muni, sizeof muni, "%s", table_field(r, col[U_MUNI]));
	table_trim(name);
	table_trim(muni);
	table_key(name, k, sizeof k);
	if (strcmp(k, "helelandet") == 0 || strcmp(k, "nasjonalt") == 0 || strcmp(k, "allefylker") == 0 ||
	    strcmp(k, "landet") == 0 || strncmp(k, "fylke", 5) == 0)
		return 1;
	if (!name[0] || !muni[0]) {
		row_error(errs, rep, r->line,
			  "no organisation number, and no school name with a municipality number");
		return -1;
	}
	if (strlen(muni) == 3) /* a spreadsheet dropped the leading zero */
		memmove(muni + 1, muni, 4), muni[0] = '0';
	int rc = db_school_find(db, name, muni, s);
	if (rc == DB_NOTFOUND) {
		row_error(errs, rep, r->line, "no school '%s' in municipality %s in the school register",
			  name, muni);
		return -1;
	}
	if (rc == DB_CONFLICT) {
		row_error(errs, rep, r->line,
			  "'%s' in municipality %s is ambiguous: give the organisation number", name, muni);
		return -1;
	}
	return rc == DB_OK ? 0 : -2;
}

/* More students than any school has: averages are weighted by students, and a larger figure
 * would not even fit the long it is stored in. */
#define UDIR_MAX_STUDENTS 1000000

/* Validates the figures of one row into u; 0 or -1 (told). */
static int row_figures(const struct table_row *r, const int *col, struct udir_row *u, FILE *errs,
		       struct udir_report *rep)
{
	const char *why = "";
	double v;
	u->students = -1;
	if (col[U_STUDENTS] >= 0) {
		const char *f = table_field(r, col[U_STUDENTS]);
		int k = udir_number(f, 1, &v, &why);
		if (k < 0) {
			row_error(errs, rep, r->line, "students '%s' %s", f, why);
			return -1;
		}
		if (k == 0 && v > UDIR_MAX_STUDENTS) {
			row_error(errs, rep, r->line, "students '%s' is more than %d", f, UDIR_MAX_STUDENTS);
			return -1;
		}
		if (k == 0)
			u->students = (long)v;
	}
	if (col[U_SHARE] >= 0) {
		const char *f = table_field(r, col[U_SHARE]);
		int k = udir_number(f, 0, &v, &why);
		if (k < 0) {
			row_error(errs, rep, r->line, "share '%s' %s", f, why);
			return -1;
		}
		if (k == 0 && v > 100) {
			row_error(errs, rep, r->line, "share %s is more than 100 percent", f);
			return -1;
		}
		u->suppressed = k == 1;
		u->share = k == 0 ? v : 0;
		return 0;
	}
	const char *f = table_field(r, col[U_COUNT]);
	int k = udir_number(f, 1, &v, &why);
	if (k < 0) {
		row_error(errs, rep, r->line, "count '%s' %s", f, why);
		return -1;
	}
	u->suppressed = k == 1;
	u->share = 0;
	if (k == 0) {
		if (u->students <= 0) {
			row_error(errs, rep, r->line, "a count of %s who left needs the number of students", f);
			return -1;
		}
		if (v > (double)u->students) {
			row_error(errs, rep, r->line, "%s left of %ld students", f, u->students);
			return -1;
		}
		u->share = 100.0 * v / (double)u->students;
	}
	return 0;
}

int udir_import(db_t *db, FILE *in, FILE *errs, FILE *progress, struct udir_report *rep, char *err,
		size_t errsz)
{
	memset(rep, 0, sizeof *rep);
	struct table t;
	if (table_read(in, &t, err, errsz) < 0) {
		fprintf(errs, "%s\n", err);
		rep->errors = 1;
		return 1;
	}
	int col[U__MAX] = {table_col(&t, C_ORGNR), table_col(&t, C_NAME),  table_col(&t, C_MUNI),
			   table_col(&t, C_YEAR),  table_col(&t, C_PROG),  table_col(&t, C_STUDENTS),
			   find_col(&t, "andel", NULL), find_col(&t, "antall", "slutt")};
	if (col[U_SHARE] < 0)
		col[U_SHARE] = find_col(&t, "prosent", NULL);
	if ((col[U_ORGNR] < 0 && (col[U_NAME] < 0 || col[U_MUNI] < 0)) || col[U_YEAR] < 0 ||
	    col[U_PROG] < 0 || (col[U_SHARE] < 0 && col[U_COUNT] < 0)) {
		fprintf(errs, "line 1: the header needs columns orgnr (or skole and kommunenr), skoleår, "
			      "utdanningsprogram, and andel or antall sluttet (docs/udir.md)\n");
		rep->errors = 1;
		table_free(&t);
		return 1;
	}
	char now[21];
	time_t tt = time(NULL);
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
	struct key *keys = calloc((size_t)t.n + 1, sizeof *keys);
	if (!keys)
		abort();
	long nkeys = 0;
	int rc = 0;
	if (db_begin(db) != DB_OK) {
		snprintf(err, errsz, "%s", db_errmsg(db));
		free(keys);
		table_free(&t);
		return -1;
	}
	for (int i = 1; i < t.n; i++) {
		const struct table_row *r = &t.rows[i];
		rep->rows++;
		if (progress && rep->rows % 10000 == 0)
			fprintf(progress, "%ld of %d rows read\n", rep->rows, t.n - 1);
		struct school s;
		int k = row_school(db, r, col, &s, errs, rep);
		if (k == -2) {
			rc = -1;
			break;
		}
		if (k == 1) {
			rep->skipped++;
			continue;
		}
		if (k < 0)
			continue;
		struct udir_row u;
		memset(&u, 0, sizeof u);
		u.school_id = s.id;
		const char *y = table_field(r, col[U_YEAR]);
		if (school_year_parse(y, &u.school_year) < 0) {
			row_error(errs, rep, r->line, "school year '%s' is not like 2016-17, 2016/17 or 2016-2017 (from 1990-91 on)",
				  y);
			continue;
		}
		const char *p = table_field(r, col[U_PROG]);
		if (udir_programme(p, u.programme) < 0) {
			row_error(errs, rep, r->line,
				  "programme '%s' is not yrkesfag, studieforberedende or alle", p);
			continue;
		}
		if (row_figures(r, col, &u, errs, rep) < 0)
			continue;
		keys[nkeys].school = s.id;
		keys[nkeys].year = u.school_year;
		snprintf(keys[nkeys].prog, sizeof keys[nkeys].prog, "%s", u.programme);
		keys[nkeys++].line = r->line;
		if (rep->errors)
			continue; /* nothing will be written: only look for more errors */
		snprintf(u.source_hash, sizeof u.source_hash, "%s", t.sha256);
		snprintf(u.imported_at, sizeof u.imported_at, "%s", now);
		int changed;
		if (db_udir_put(db, &u, &changed) != DB_OK) {
			rc = -1;
			break;
		}
		rep->added += changed == 1;
		rep->updated += changed == 2;
		rep->unchanged += changed == 0;
		rep->suppressed += u.suppressed;
	}
	qsort(keys, (size_t)nkeys, sizeof *keys, key_cmp);
	for (long i = 1; i < nkeys; i++)
		if (keys[i].school == keys[i - 1].school && keys[i].year == keys[i - 1].year &&
		    strcmp(keys[i].prog, keys[i - 1].prog) == 0)
			row_error(errs, rep, keys[i].line, "the same school, year and programme as line %ld",
				  keys[i - 1].line);
	free(keys);
	table_free(&t);
	int end = table_import_end(db, rc, rep->errors, err, errsz);
	if (end == 1)
		rep->added = rep->updated = rep->unchanged = rep->suppressed = 0;
	return end;
}
