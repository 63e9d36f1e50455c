/* Random secrets (session ids, CSRF tokens, API tokens) and the hashes we store of them. */
#ifndef ELEVLOS_TOKEN_H
#define ELEVLOS_TOKEN_H

#include <stddef.h>

/* base64url without padding of `bytes` random bytes; out needs 2*bytes bytes. */
void token_random(char *out, size_t outsz, size_t bytes);
/* SHA-256 of the token text: what the database keeps. */
void token_hash(const char *token, unsigned char out[32]);
/* Constant-time comparison of two NUL-terminated tokens. */
int token_equal(const char *a, const char *b);

#define SESSION_TOKEN_BYTES 16 /* 128 bits */
#define CSRF_TOKEN_BYTES 32
#define API_TOKEN_BYTES 32

#endif
