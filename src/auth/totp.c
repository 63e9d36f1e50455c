#include "totp.h"

#include <liboath/oath.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static pthread_once_t oath_once = PTHREAD_ONCE_INIT;
static int oath_ok;

static void oath_start(void)
{
	oath_ok = oath_init() == OATH_OK;
}

static int ready(void)
{
	pthread_once(&oath_once, oath_start);
	return oath_ok;
}

int64_t totp_step(int64_t t)
{
	return t / TOTP_STEP;
}

int totp_code(const unsigned char *secret, size_t n, int64_t t, unsigned digits, char *out)
{
	if (!ready() || digits < 6 || digits > 8)
		return -1;
	return oath_totp_generate((const char *)secret, n, (time_t)t, TOTP_STEP, 0, digits, out) == OATH_OK ? 0 : -1;
}

int totp_check(const unsigned char *secret, size_t n, int64_t now, const char *code, int64_t last_step,
	       int64_t *step)
{
	if (!ready())
		return TOTP_ERROR;
	/* Six digits; spaces as some apps show them ("123 456") are ignored. */
	char digits[TOTP_DIGITS + 1];
	size_t k = 0;
	for (const char *c = code ? code : ""; *c; c++) {
		if (*c == ' ')
			continue;
		if (*c < '0' || *c > '9' || k >= TOTP_DIGITS)
			return TOTP_BAD;
		digits[k++] = *c;
	}
	if (k != TOTP_DIGITS)
		return TOTP_BAD;
	digits[k] = '\0';
	code = digits;
	/* Each step of the window on its own, oldest first: a code of an already used step is a
	 * replay even when liboath would match it. */
	int replay = 0;
	for (int d = -TOTP_WINDOW; d <= TOTP_WINDOW; d++) {
		int64_t s = totp_step(now) + d;
		char want[TOTP_DIGITS + 1];
		if (s < 0 || totp_code(secret, n, s * TOTP_STEP, TOTP_DIGITS, want) != 0)
			continue;
		if (sodium_memcmp(want, code, TOTP_DIGITS) != 0)
			continue;
		if (s <= last_step) {
			replay = 1;
			continue;
		}
		*step = s;
		return TOTP_OK;
	}
	return replay ? TOTP_REPLAY : TOTP_BAD;
}

int totp_base32(const unsigned char *secret, size_t n, char *out, size_t outsz)
{
	char *b = NULL;
	size_t len = 0;
	if (!ready() || oath_base32_encode((const char *)secret, n, &b, &len) != OATH_OK)
		return -1;
	/* liboath pads with '='; apps want none. */
	while (len > 0 && b[len - 1] == '=')
		len--;
	int ok = len < outsz;
	if (ok) {
		memcpy(out, b, len);
		out[len] = '\0';
	}
	sodium_memzero(b, len);
	free(b);
	return ok ? 0 : -1;
}

/* Percent-encodes what is not unreserved (RFC 3986). */
static size_t put_escaped(char *out, size_t outsz, size_t at, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		int plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
			    *p == '-' || *p == '.' || *p == '_' || *p == '~';
		if (plain) {
			if (at + 1 < outsz)
				out[at] = (char)*p;
			at++;
		} else {
			if (at + 3 < outsz) {
				out[at] = '%';
				out[at + 1] = hex[*p >> 4];
				out[at + 2] = hex[*p & 15];
			}
			at += 3;
		}
	}
	return at;
}

int totp_uri(const char *issuer, const char *username, const char *base32, char *out, size_t outsz)
{
	size_t at = (size_t)snprintf(out, outsz, "otpauth://totp/");
	at = put_escaped(out, outsz, at, issuer);
	at = put_escaped(out, outsz, at, ":");
	at = put_escaped(out, outsz, at, username);
	if (at < outsz)
		out[at] = '\0';
	int n = snprintf(out + (at < outsz ? at : outsz), at < outsz ? outsz - at : 0,
			 "?secret=%s&issuer=", base32);
	at += (size_t)n;
	at = put_escaped(out, outsz, at, issuer);
	if (at < outsz)
		out[at] = '\0';
	n = snprintf(out + (at < outsz ? at : outsz), at < outsz ? outsz - at : 0,
		     "&algorithm=SHA1&digits=%d&period=%d", TOTP_DIGITS, TOTP_STEP);
	at += (size_t)n;
	return at < outsz ? 0 : -1;
}

static const char b32[] = "abcdefghijklmnopqrstuvwxyz234567";

void recovery_code_new(char out[RECOVERY_TEXT])
{
	int o = 0;
	for (int i = 0; i < RECOVERY_CHARS; i++) {
		if (i && i % 4 == 0)
			out[o++] = '-';
		out[o++] = b32[randombytes_uniform(32)];
	}
	out[o] = '\0';
}

int recovery_code_hash(const unsigned char *secret, size_t n, const char *code, unsigned char out[32])
{
	char norm[RECOVERY_CHARS + 1];
	int k = 0;
	if (!code)
		return -1;
	for (const char *c = code; *c; c++) {
		char ch = *c;
		if (ch == '-' || ch == ' ')
			continue;
		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch - 'A' + 'a');
		if (!strchr(b32, ch) || ch == '\0' || k >= RECOVERY_CHARS)
			return -1;
		norm[k++] = ch;
	}
	if (k != RECOVERY_CHARS)
		return -1;
	norm[k] = '\0';
	crypto_generichash_state st;
	static const char domain[] = "elevlos-recovery:";
	crypto_generichash_init(&st, secret, n, 32);
	crypto_generichash_update(&st, (const unsigned char *)domain, sizeof domain - 1);
	crypto_generichash_update(&st, (const unsigned char *)norm, (size_t)k);
	crypto_generichash_final(&st, out, 32);
	sodium_memzero(norm, sizeof norm);
	return 0;
}
