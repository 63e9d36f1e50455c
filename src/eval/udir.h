/* Udir's per-school table "elever som slutter i løpet av skoleåret": import (docs/udir.md). */
#ifndef ELEVLOS_EVAL_UDIR_H
#define ELEVLOS_EVAL_UDIR_H

#include <stdio.h>

#include "../db/db.h"

/*
 * A number as Udir and spreadsheets write it: "6,3", "6.3" (a share), "5 943" with a normal,
 * non-breaking or narrow non-breaking space, "5.943" (only where whole is set: a dot before
 * exactly three digits groups thousands), a trailing "%". Returns 0 with *out, 1 for a
 * suppressed cell ("", "*", ".", "..", ":"), -1 with the reason in *why.
 */
int udir_number(const char *s, int whole, double *out, const char **why);
/* "yrkesfag", "studieforberedende" or "alle" for Udir's wordings; -1 when none fits. */
int udir_programme(const char *s, char out[20]);

struct udir_report {
	long rows, added, updated, unchanged, suppressed, skipped, errors;
};

/*
 * Reads a dropout file: all or nothing, in one transaction. Every bad row goes to errs as
 * "line N: reason"; progress (may be NULL) hears every 10,000 rows. Returns 0 when written (or
 * nothing to do), 1 when the file had errors (nothing written), -1 on a database error.
 */
int udir_import(db_t *db, FILE *in, FILE *errs, FILE *progress, struct udir_report *rep, char *err,
		size_t errsz);

#endif
