/*
 * A CSV file read whole for the evaluation's imports (docs/udir.md): a UTF-8 byte-order mark is
 * dropped, the separator (';' or ',') is taken from the header line, quoted fields are parsed
 * by libcsv, and every row keeps the line it started on for error reports.
 */
#ifndef ELEVLOS_EVAL_TABLE_H
#define ELEVLOS_EVAL_TABLE_H

#include <stddef.h>
#include <stdio.h>

struct table_row {
	long line;
	int n;
	char **f;
};

struct table {
	struct table_row *rows; /* rows[0] is the header */
	int n, cap;
	char sep;
	char sha256[65]; /* of the file's bytes, hex */
};

/* Reads in whole. Returns 0, or -1 with a reason in err (unreadable, too large, bad quoting). */
int table_read(FILE *in, struct table *t, char *err, size_t errsz);
void table_free(struct table *t);
/* A header name folded for matching: lower case, æ→ae ø→o å→a and other diacritics dropped,
 * anything but letters and digits left out ("Antall elever" → "antallelever"). */
void table_key(const char *in, char *out, size_t outsz);
/* The header column whose folded name is the first of names (in order of preference) to match;
 * -1 when none does. */
int table_col(const struct table *t, const char *const *names);
/* Field col of row, "" when the row is shorter. */
const char *table_field(const struct table_row *r, int col);
/* Trims spaces, tabs and non-breaking spaces at both ends, in place. */
char *table_trim(char *s);

struct db;
/* Ends an import's transaction, all or nothing: rolls back on a database error (rc < 0, -1
 * with the reason in err) or when rows had errors (1), else commits (0, or -1 when the commit
 * fails). */
int table_import_end(struct db *db, int rc, long errors, char *err, size_t errsz);

#endif
