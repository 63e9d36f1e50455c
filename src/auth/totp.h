/*
 * Two-factor login: time-based one-time passwords (RFC 6238 through liboath: HMAC-SHA1, 30-second
 * steps, 6 digits, one step either side accepted) and single-use recovery codes. Pure functions:
 * what is stored, and when, is src/auth/mfa.c's business.
 */
#ifndef ELEVLOS_TOTP_H
#define ELEVLOS_TOTP_H

#include <stddef.h>
#include <stdint.h>

#define TOTP_SECRET_BYTES 20 /* 160 bits, as RFC 4226 recommends */
#define TOTP_STEP 30
#define TOTP_DIGITS 6
#define TOTP_WINDOW 1 /* steps either side of now */
#define TOTP_BASE32_MAX 40 /* base32 of 20 bytes is 32 characters */
#define RECOVERY_CODES 10
#define RECOVERY_CHARS 16  /* 80 bits in base32 */
#define RECOVERY_TEXT 20   /* "abcd-efgh-ijkl-mnop" and a NUL */

enum totp_result { TOTP_OK = 0, TOTP_BAD = 1, TOTP_REPLAY = 2, TOTP_ERROR = -1 };

/* The code of the step `t` falls in; digits 6..8. Returns 0 or -1. out needs digits + 1 bytes. */
int totp_code(const unsigned char *secret, size_t n, int64_t t, unsigned digits, char *out);
/* Checks a 6-digit code at time now against the steps now-1..now+1. A code of a step at or before
 * last_step (the last one accepted, -1 for none) is TOTP_REPLAY. On TOTP_OK *step is the step
 * the code belongs to: the caller must store it, atomically, as the new last_step. */
int totp_check(const unsigned char *secret, size_t n, int64_t now, const char *code, int64_t last_step,
	       int64_t *step);
/* The time step of t. */
int64_t totp_step(int64_t t);
/* RFC 4648 base32 without padding (for authenticator apps); out needs TOTP_BASE32_MAX + 1. */
int totp_base32(const unsigned char *secret, size_t n, char *out, size_t outsz);
/* The otpauth:// URI an authenticator app reads from the QR code. */
int totp_uri(const char *issuer, const char *username, const char *base32, char *out, size_t outsz);

/* A fresh recovery code "abcd-efgh-ijkl-mnop" (lower-case base32, 80 random bits). */
void recovery_code_new(char out[RECOVERY_TEXT]);
/* The stored form of a recovery code: BLAKE2b-256 keyed by the account's TOTP secret, of the code
 * with case, spaces and dashes ignored. Returns -1 when the text cannot be a recovery code. */
int recovery_code_hash(const unsigned char *secret, size_t n, const char *code, unsigned char out[32]);

#endif
