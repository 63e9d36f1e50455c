/* Unit tests for src/auth/token.c (random secrets) and src/auth/throttle.c (login throttling). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/throttle.h"
#include "auth/token.h"
#include "core/util.h"
#include "http/form.h"

static int group_setup(void **state)
{
	(void)state;
	return sodium_init() < 0 ? -1 : 0;
}

static int is_b64url(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
			return 0;
	return 1;
}

/* ---------------- token ---------------- */

/* 16 random bytes are 22 base64url characters, 32 are 43; no padding. */
static void random_lengths_and_charset(void **state)
{
	(void)state;
	char t[2 * 64];
	token_random(t, sizeof t, SESSION_TOKEN_BYTES);
	assert_int_equal(strlen(t), 22);
	assert_true(is_b64url(t));
	token_random(t, sizeof t, CSRF_TOKEN_BYTES);
	assert_int_equal(strlen(t), 43);
	assert_true(is_b64url(t));
	token_random(t, sizeof t, API_TOKEN_BYTES);
	assert_int_equal(strlen(t), 43);
	assert_null(strchr(t, '='));
	/* The size the header promises (2*bytes) is enough. */
	char small[2 * 16];
	token_random(small, sizeof small, 16);
	assert_int_equal(strlen(small), 22);
}

/* Our own tokens pass the form validator for tokens (they travel in forms and cookies). */
static void random_passes_token_validator(void **state)
{
	(void)state;
	char t[64];
	for (int i = 0; i < 50; i++) {
		token_random(t, sizeof t, SESSION_TOKEN_BYTES);
		assert_true(valid_token(t, strlen(t)));
		token_random(t, sizeof t, CSRF_TOKEN_BYTES);
		assert_true(valid_token(t, strlen(t)));
	}
}

static int cmp_tok(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* 1000 session tokens are all different and use the whole alphabet. */
static void random_distinct(void **state)
{
	(void)state;
	enum { N = 1000 };
	char(*t)[24] = calloc(N, sizeof *t);
	assert_non_null(t);
	int seen[128] = {0};
	for (int i = 0; i < N; i++) {
		token_random(t[i], sizeof t[i], SESSION_TOKEN_BYTES);
		assert_int_equal(strlen(t[i]), 22);
		assert_true(is_b64url(t[i]));
		for (const char *p = t[i]; *p; p++)
			seen[(unsigned char)*p] = 1;
	}
	qsort(t, N, sizeof *t, cmp_tok);
	for (int i = 1; i < N; i++)
		if (strcmp(t[i - 1], t[i]) == 0)
			fail_msg("duplicate token %s", t[i]);
	int distinct = 0;
	for (int c = 0; c < 128; c++)
		distinct += seen[c];
	assert_int_equal(distinct, 64); /* 22000 characters cover all 64 symbols */
	free(t);
}

/* token_hash is SHA-256 of the text: a known vector, deterministic, different per token. */
static void hash_known_and_deterministic(void **state)
{
	(void)state;
	unsigned char h1[32], h2[32];
	char hex[65];
	token_hash("abc", h1);
	hex_encode(h1, 32, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	token_hash("abc", h2);
	assert_memory_equal(h1, h2, 32);
	token_hash("abd", h2);
	assert_memory_not_equal(h1, h2, 32);
	token_hash("ab", h2);
	assert_memory_not_equal(h1, h2, 32);
	char t[64];
	token_random(t, sizeof t, 32);
	token_hash(t, h1);
	t[0] = t[0] == 'A' ? 'B' : 'A';
	token_hash(t, h2);
	assert_memory_not_equal(h1, h2, 32);
}

/* token_equal: same text is equal; any difference, including length, is not. */
static void equal_cases(void **state)
{
	(void)state;
	assert_true(token_equal("abcDEF_-", "abcDEF_-"));
	assert_true(token_equal("", ""));
	assert_false(token_equal("abcDEF_-", "abcDEF_+"));
	assert_false(token_equal("abcDEF_-", "bbcDEF_-"));
	assert_false(token_equal("abc", "abcd"));
	assert_false(token_equal("abcd", "abc"));
	assert_false(token_equal("abc", ""));
	assert_false(token_equal("", "abc"));
	char a[64], b[64];
	token_random(a, sizeof a, 32);
	memcpy(b, a, sizeof a);
	assert_true(token_equal(a, b));
	b[42] ^= 1;
	assert_false(token_equal(a, b));
}

/* ---------------- throttle ---------------- */

static int throttle_setup(void **state)
{
	(void)state;
	throttle_reset_all();
	throttle_init(3, 60);
	return 0;
}

#define T0 ((int64_t)1700000000)

/* Fewer failures than the limit never lock. */
static void throttle_below_limit(void **state)
{
	(void)state;
	assert_int_equal(throttle_wait("u:a", T0), 0);
	throttle_fail("u:a", T0);
	throttle_fail("u:a", T0 + 1);
	assert_int_equal(throttle_wait("u:a", T0 + 2), 0);
}

/* The third failure locks the key for at most the window; other keys are untouched. */
static void throttle_locks_after_max(void **state)
{
	(void)state;
	for (int i = 0; i < 3; i++)
		throttle_fail("u:a", T0);
	int w = throttle_wait("u:a", T0);
	assert_true(w > 0);
	assert_true(w <= 60);
	w = throttle_wait("u:a", T0 + 30);
	assert_true(w > 0);
	assert_true(w <= 30);
	assert_int_equal(throttle_wait("u:b", T0), 0);
	assert_int_equal(throttle_wait("ip:127.0.0.1", T0), 0);
	assert_int_equal(throttle_wait("u:", T0), 0);
	assert_int_equal(throttle_wait("u:aa", T0), 0);
}

/* The window runs from the first failure; once it has passed the key may try again. */
static void throttle_expires(void **state)
{
	(void)state;
	throttle_fail("u:a", T0);
	throttle_fail("u:a", T0 + 10);
	throttle_fail("u:a", T0 + 20);
	int w = throttle_wait("u:a", T0 + 20);
	assert_true(w > 0);
	assert_true(w <= 40);
	assert_int_equal(throttle_wait("u:a", T0 + 61), 0);
	/* And the count started over: one more failure does not lock again. */
	throttle_fail("u:a", T0 + 62);
	assert_int_equal(throttle_wait("u:a", T0 + 62), 0);
}

/* Failures further apart than the window do not add up. */
static void throttle_spread_failures_do_not_add_up(void **state)
{
	(void)state;
	throttle_fail("u:a", T0);
	throttle_fail("u:a", T0 + 30);
	throttle_fail("u:a", T0 + 61); /* window from T0 is over: count restarts at 1 */
	assert_int_equal(throttle_wait("u:a", T0 + 61), 0);
	throttle_fail("u:a", T0 + 62);
	throttle_fail("u:a", T0 + 63);
	assert_true(throttle_wait("u:a", T0 + 63) > 0);
}

/* throttle_clear (after a good login) forgets the key's failures, and only that key's. */
static void throttle_clear_resets(void **state)
{
	(void)state;
	for (int i = 0; i < 3; i++) {
		throttle_fail("u:a", T0);
		throttle_fail("u:b", T0);
	}
	assert_true(throttle_wait("u:a", T0 + 1) > 0);
	throttle_clear("u:a");
	assert_int_equal(throttle_wait("u:a", T0 + 1), 0);
	assert_true(throttle_wait("u:b", T0 + 1) > 0);
	throttle_fail("u:a", T0 + 2);
	throttle_fail("u:a", T0 + 2);
	assert_int_equal(throttle_wait("u:a", T0 + 2), 0);
	throttle_clear("u:nobody"); /* clearing an unknown key is harmless */
	assert_true(throttle_wait("u:b", T0 + 2) > 0);
}

/* Many keys at once each keep their own count (hash collisions handled). */
static void throttle_many_keys(void **state)
{
	(void)state;
	char k[32];
	for (int i = 0; i < 300; i++) {
		snprintf(k, sizeof k, "u:user%d", i);
		int n = i % 2 ? 3 : 2;
		for (int j = 0; j < n; j++)
			throttle_fail(k, T0);
	}
	for (int i = 0; i < 300; i++) {
		snprintf(k, sizeof k, "u:user%d", i);
		int w = throttle_wait(k, T0 + 1);
		if (i % 2 ? w <= 0 : w != 0)
			fail_msg("%s: wait %d", k, w);
	}
}

/* throttle_reset_all forgets everything. */
static void throttle_reset_all_forgets(void **state)
{
	(void)state;
	for (int i = 0; i < 3; i++)
		throttle_fail("ip:10.0.0.1", T0);
	assert_true(throttle_wait("ip:10.0.0.1", T0) > 0);
	throttle_reset_all();
	assert_int_equal(throttle_wait("ip:10.0.0.1", T0), 0);
}

/*
 * A key longer than a table slot (95 bytes) must still be throttled: throttle_fail stores it
 * truncated, and lookups must still find it, or the limit silently never applies.
 */
static void throttle_long_key(void **state)
{
	(void)state;
	char k[200];
	memset(k, 'x', sizeof k - 1);
	k[sizeof k - 1] = '\0';
	memcpy(k, "ip:", 3);
	for (int i = 0; i < 3; i++)
		throttle_fail(k, T0);
	assert_true(throttle_wait(k, T0) > 0);
}

int main(void)
{
#define TH(f) cmocka_unit_test_setup(f, throttle_setup)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(random_lengths_and_charset),
		cmocka_unit_test(random_passes_token_validator),
		cmocka_unit_test(random_distinct),
		cmocka_unit_test(hash_known_and_deterministic),
		cmocka_unit_test(equal_cases),
		TH(throttle_below_limit),
		TH(throttle_locks_after_max),
		TH(throttle_expires),
		TH(throttle_spread_failures_do_not_add_up),
		TH(throttle_clear_resets),
		TH(throttle_many_keys),
		TH(throttle_reset_all_forgets),
		TH(throttle_long_key),
	};
#undef TH
	return cmocka_run_group_tests_name("token", tests, group_setup, NULL);
}
