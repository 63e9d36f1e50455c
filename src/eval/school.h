/* The school register and pilot schools: import from CSV (docs/udir.md). */
#ifndef ELEVLOS_EVAL_SCHOOL_H
#define ELEVLOS_EVAL_SCHOOL_H

#include <stdio.h>

#include "../db/db.h"

/* 1 when orgnr is nine digits whose last is the mod-11 check digit (weights 3 2 7 6 5 4 3 2). */
int school_orgnr_valid(const char *orgnr);
/* Copies s without spaces into out (at most nine digits kept, "" when too long). */
void school_orgnr_clean(const char *s, char out[10]);
/* "2016-17", "2016/17", "2016-2017", "2016/2017", "2016–17" or "2016" → 2016, from 1990 to 2099.
 * 0 or -1. */
int school_year_parse(const char *s, int *year);

struct school_report {
	long rows, added, updated, unchanged, pilots, errors;
};

/*
 * Reads a schools file: all or nothing, in one transaction. Every bad row goes to errs as
 * "line N: reason". Returns 0 when written (or nothing to do), 1 when the file had errors
 * (nothing written), -1 on a database error (err says which).
 */
int school_import(db_t *db, FILE *in, FILE *errs, struct school_report *rep, char *err, size_t errsz);

#endif
