/* A Udir dropout file (docs/udir.md) through udir_import, as `elevlos import udir` reads it,
 * into the fixture database (three schools); a file that imports is undone before the next
 * input. */
#include "eval/udir.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_db();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	db_t *db = fuzz_db();
	FILE *in = fuzz_stream(data, size);
	long long before = fuzz_db_changes();
	struct udir_report rep;
	char err[256] = "";
	int rc = udir_import(db, in, fuzz_sink(), NULL, &rep, err, sizeof err);
	fclose(in);
	if (rc < 0)
		fprintf(stderr, "database error: %s\n", err);
	/* -1 is a database error: never the input's doing on an in-memory database. */
	FUZZ_CHECK(rc == 0 || rc == 1);
	FUZZ_CHECK((rc == 1) == (rep.errors > 0));
	FUZZ_CHECK(rep.added + rep.updated + rep.unchanged + rep.skipped <= rep.rows);
	fuzz_db_after(rc == 0 && fuzz_db_changes() != before);
	return 0;
}
