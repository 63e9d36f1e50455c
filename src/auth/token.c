#include "token.h"

#include <sodium.h>
#include <string.h>

void token_random(char *out, size_t outsz, size_t bytes)
{
	unsigned char raw[64];
	if (bytes > sizeof raw)
		bytes = sizeof raw;
	randombytes_buf(raw, bytes);
	sodium_bin2base64(out, outsz, raw, bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
}

void token_hash(const char *token, unsigned char out[32])
{
	crypto_hash_sha256(out, (const unsigned char *)token, strlen(token));
}

int token_equal(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	if (na != nb)
		return 0;
	return sodium_memcmp(a, b, na) == 0;
}
