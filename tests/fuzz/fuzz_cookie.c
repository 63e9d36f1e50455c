/* A Cookie header through cookie_get for each of the server's cookie names and buffer sizes. */
#include <string.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct {
		const char *name;
		size_t outsz;
	} asks[] = {
		/* server.c: session and pre-login tokens in 64 bytes, the language in 8 */
		{"__Host-elevlos_session", 64}, {"__Host-elevlos_pre", 64}, {"__Host-elevlos_lang", 8},
		{"elevlos_session", 64},        {"elevlos_pre", 64},        {"elevlos_lang", 8},
		{"elevlos_lang", 1},
	};
	char *header = fuzz_cstr(data, size);
	for (size_t i = 0; i < sizeof asks / sizeof asks[0]; i++) {
		char out[64];
		memset(out, 'x', sizeof out);
		int rc = cookie_get(header, asks[i].name, out, asks[i].outsz);
		FUZZ_CHECK(rc == 0 || rc == -1);
		if (rc < 0)
			continue;
		size_t n = strnlen(out, asks[i].outsz);
		FUZZ_CHECK(n >= 1 && n < asks[i].outsz);
		for (size_t j = 0; j < n; j++)
			FUZZ_CHECK((out[j] >= 'a' && out[j] <= 'z') || (out[j] >= 'A' && out[j] <= 'Z') ||
				   (out[j] >= '0' && out[j] <= '9') || out[j] == '_' || out[j] == '-');
		FUZZ_CHECK(strstr(header, out));
	}
	FUZZ_CHECK(cookie_get(NULL, "elevlos_session", (char[64]){0}, 64) == -1);
	free(header);
	return 0;
}
