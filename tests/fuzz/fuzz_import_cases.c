/* A case file (docs/formats.md) through cases_import, as `elevlos import cases` reads it, into
 * the fixture database; a file that imports is undone before the next input. */
#include "admin/actor.h"
#include "exchange/cases.h"
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
	struct import_report rep;
	int rc = cases_import(db, fuzz_keyring(), &actor_cli, in, fuzz_sink(), NULL, (long)size, 0, &rep);
	fclose(in);
	/* -1 is a database error: never the input's doing on an in-memory database. */
	FUZZ_CHECK(rc == 0 || rc == 1);
	FUZZ_CHECK((rc == 1) == (rep.errors > 0));
	FUZZ_CHECK(rep.imported + rep.unchanged <= rep.lines);
	fuzz_db_after(rc == 0 && fuzz_db_changes() != before);
	return 0;
}
