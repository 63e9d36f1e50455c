/* A school register file (docs/udir.md) through school_import, as `elevlos import schools`
 * reads it, into the fixture database: a file that imported imports again as unchanged, writing
 * nothing (docs/udir.md), and is undone before the next input. */
#include "eval/school.h"
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

static int import(const uint8_t *data, size_t size, struct school_report *rep)
{
	FILE *in = fuzz_stream(data, size);
	char err[256] = "";
	int rc = school_import(fuzz_db(), in, fuzz_sink(), rep, err, sizeof err);
	fclose(in);
	if (rc < 0)
		fprintf(stderr, "database error: %s\n", err);
	/* -1 is a database error: never the input's doing on an in-memory database. */
	FUZZ_CHECK(rc == 0 || rc == 1);
	FUZZ_CHECK((rc == 1) == (rep->errors > 0));
	FUZZ_CHECK(rep->added + rep->updated + rep->unchanged <= rep->rows);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	long long before = fuzz_db_changes();
	struct school_report rep;
	int rc = import(data, size, &rep);
	int committed = rc == 0 && fuzz_db_changes() != before;
	if (committed) {
		struct school_report again;
		long long mid = fuzz_db_changes();
		FUZZ_CHECK(import(data, size, &again) == 0);
		FUZZ_CHECK(again.added == 0 && again.updated == 0);
		FUZZ_CHECK(again.unchanged == rep.added + rep.updated + rep.unchanged);
		FUZZ_CHECK(fuzz_db_changes() == mid);
	}
	fuzz_db_after(committed);
	return 0;
}
