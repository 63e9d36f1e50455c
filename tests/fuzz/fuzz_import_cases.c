/* A case file (docs/formats.md) through cases_import, as `elevlos import cases` reads it, into
 * the fixture database: a file that imports must import again as unchanged, and is undone
 * before the next input. */
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

static int import(const uint8_t *data, size_t size, struct import_report *rep)
{
	FILE *in = fuzz_stream(data, size);
	int rc = cases_import(fuzz_db(), fuzz_keyring(), &actor_cli, in, fuzz_sink(), NULL, (long)size, 0,
			      rep);
	fclose(in);
	/* -1 is a database error: never the input's doing on an in-memory database. */
	FUZZ_CHECK(rc == 0 || rc == 1);
	FUZZ_CHECK((rc == 1) == (rep->errors > 0));
	FUZZ_CHECK(rep->imported + rep->unchanged <= rep->lines);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	long long before = fuzz_db_changes();
	struct import_report rep;
	int rc = import(data, size, &rep);
	int committed = rc == 0 && fuzz_db_changes() != before;
	if (committed) {
		/* docs/formats.md: importing the same file twice changes nothing. */
		struct import_report again;
		long long mid = fuzz_db_changes();
		FUZZ_CHECK(import(data, size, &again) == 0);
		FUZZ_CHECK(again.imported == 0 && again.unchanged == rep.imported + rep.unchanged);
		FUZZ_CHECK(fuzz_db_changes() == mid);
	}
	fuzz_db_after(committed);
	return 0;
}
