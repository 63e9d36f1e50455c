/* A JSON API request body through form_parse_json with every key allowed. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	arena_t *a = arena_new();
	struct form f;
	struct form_error err;
	int rc = form_parse_json(a, (const char *)data, size, FUZZ_ALL_KEYS, &f, &err);
	fuzz_check_form(rc, &f, &err, FUZZ_ALL_KEYS);
	arena_free(a);
	return 0;
}
