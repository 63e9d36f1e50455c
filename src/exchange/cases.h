/*
 * The case file format (docs/formats.md): JSON Lines, a header line and then one line per
 * student with everything registered about them, cases included. For moving registrations
 * between installations and for the statistics tests. Export is deterministic, so export →
 * import into an empty database → export gives the same bytes.
 */
#ifndef ELEVLOS_EXCHANGE_CASES_H
#define ELEVLOS_EXCHANGE_CASES_H

#include <stdio.h>

#include "../admin/actor.h"
#include "../crypto/keyring.h"

#define CASES_FORMAT "elevlos-cases"
#define CASES_VERSION 1

struct import_report {
	long lines;     /* student lines read */
	long imported;  /* students written */
	long unchanged; /* students already there with the same content */
	long cases;
	long contacts;
	long errors;
};

/* Writes every student under scope_path ("/" for all). Returns 0 or -1. */
int cases_export(db_t *db, const struct keyring *kr, const struct actor *who, const char *scope_path,
		 FILE *out, long *students);
/*
 * Reads a case file: all or nothing. Every bad line is reported to errs as
 * "line N: field: reason"; progress goes to progress (may be NULL) every 10,000 lines.
 * Returns 0 when imported (or nothing to do), 1 when the file had errors (nothing written),
 * -1 on a database error.
 */
int cases_import(db_t *db, const struct keyring *kr, const struct actor *who, FILE *in,
		 FILE *errs, FILE *progress, long total_bytes, int rule_2032, struct import_report *rep);

#endif
