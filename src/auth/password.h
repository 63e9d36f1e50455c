/* argon2id password hashing (libsodium), with a bound on hashes computed at once. */
#ifndef ELEVLOS_PASSWORD_H
#define ELEVLOS_PASSWORD_H

#include <stddef.h>

#define PASSWORD_HASH_MAX 128
#define PASSWORD_MIN_CHARS 12
#define PASSWORD_MAX_CHARS 128

enum pw_rc { PW_OK = 0, PW_MISMATCH = -1, PW_BUSY = -2, PW_ERROR = -3 };

/* Call once before any thread hashes. */
int password_init(int max_concurrent, unsigned long long opslimit, size_t memlimit);
void password_shutdown(void);
int password_hash(const char *pw, char out[PASSWORD_HASH_MAX]);
/* Compares in constant time; a NULL hash still spends the time (unknown user). */
int password_verify(const char *hash, const char *pw);
/* 1 when the stored hash was made with weaker settings than the current ones. */
int password_needs_rehash(const char *hash);
/* ASVS 2.1: at least 12 characters (code points), at most 128, no composition rules.
 * Returns 0, or -1 with a key of the message catalogue in *why. */
int password_policy(const char *pw, const char **why);
/* 1 when pw (any case) is one of the 10,000 most common passwords (zxcvbn's list). */
int password_is_common(const char *pw);

#endif
