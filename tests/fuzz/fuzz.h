/*
 * Shared by the libFuzzer harnesses (docs/fuzzing.md): an in-memory database with the units,
 * schools and the one student the seed corpora name, put back as it was after an input that
 * changed it, and checks of what the form parser promises its callers.
 */
#ifndef ELEVLOS_FUZZ_H
#define ELEVLOS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "crypto/keyring.h"
#include "db/db.h"
#include "http/form.h"

/* A broken promise is a finding: libFuzzer saves the input when the process aborts. */
#define FUZZ_CHECK(cond)                                                                  \
	do {                                                                              \
		if (!(cond)) {                                                            \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
			abort();                                                          \
		}                                                                         \
	} while (0)

/* Every key: the JSON API and the form harnesses reach every validator. */
#define FUZZ_ALL_KEYS (~(keyset_t)0)

/* The fixture database, built on the first call (aborts if it cannot be). */
db_t *fuzz_db(void);
/* Runs an importer's call: checks it left no transaction open and, when it committed a change,
 * puts the database back as fuzz_db() built it, so no input sees another's rows. */
void fuzz_db_after(int committed);
/* Changes made on the connection so far (sqlite3_total_changes). */
long long fuzz_db_changes(void);
const struct keyring *fuzz_keyring(void);
/* Where importers write their error reports: /dev/null, or stderr when FUZZ_ERRORS is set. */
FILE *fuzz_sink(void);
/* data as a stream the importers read; an empty input is an empty file. */
FILE *fuzz_stream(const uint8_t *data, size_t size);
/* A malloc'd copy up to the first NUL: what the server gets as a C string from libmicrohttpd. */
char *fuzz_cstr(const uint8_t *data, size_t size);
/* What form_parse and form_parse_json promise: valid values only, on success; a message that
 * names the field as err->field does, in printable ASCII, on failure. */
void fuzz_check_form(int rc, const struct form *f, const struct form_error *err, keyset_t allowed);

#endif
