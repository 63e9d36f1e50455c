/* A form body (application/x-www-form-urlencoded) through form_parse with every key allowed,
 * and the same bytes through pct_decode. */
#include <string.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	arena_t *a = arena_new();
	struct form f;
	struct form_error err;
	int rc = form_parse(a, (const char *)data, size, FUZZ_ALL_KEYS, &f, &err);
	fuzz_check_form(rc, &f, &err, FUZZ_ALL_KEYS);

	char *out = malloc(size + 1);
	if (!out)
		abort();
	long n = pct_decode((const char *)data, size, out);
	FUZZ_CHECK(n >= -1 && n <= (long)size);
	if (n >= 0)
		FUZZ_CHECK(out[n] == '\0');
	free(out);
	arena_free(a);
	return 0;
}
