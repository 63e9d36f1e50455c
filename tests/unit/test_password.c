/* Unit tests for src/auth/password.c: argon2id hashing, verification and the length policy. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sodium.h>
#include <string.h>

#include "auth/password.h"

/* Cheap parameters so the suite runs in well under a second. */
#define OPS 1
#define MEM (1u << 20)

static int group_setup(void **state)
{
	(void)state;
	if (sodium_init() < 0)
		return -1;
	return password_init(2, OPS, MEM);
}

static int group_teardown(void **state)
{
	(void)state;
	password_shutdown();
	return 0;
}

/* A hash verifies against the password it was made from. */
static void hash_then_verify(void **state)
{
	(void)state;
	char h[PASSWORD_HASH_MAX];
	assert_int_equal(password_hash("correct horse battery staple", h), PW_OK);
	assert_true(strlen(h) < PASSWORD_HASH_MAX);
	assert_int_equal(password_verify(h, "correct horse battery staple"), PW_OK);
	/* Non-ASCII passwords too. */
	assert_int_equal(password_hash("bl\xC3\xA5" "b\xC3\xA6rsyltet\xC3\xB8y", h), PW_OK);
	assert_int_equal(password_verify(h, "bl\xC3\xA5" "b\xC3\xA6rsyltet\xC3\xB8y"), PW_OK);
}

/* Any other password, however close, is a mismatch. */
static void wrong_password_mismatch(void **state)
{
	(void)state;
	char h[PASSWORD_HASH_MAX];
	assert_int_equal(password_hash("correct horse battery staple", h), PW_OK);
	assert_int_equal(password_verify(h, "correct horse battery stapl"), PW_MISMATCH);
	assert_int_equal(password_verify(h, "correct horse battery staple "), PW_MISMATCH);
	assert_int_equal(password_verify(h, "Correct horse battery staple"), PW_MISMATCH);
	assert_int_equal(password_verify(h, ""), PW_MISMATCH);
}

/* An unknown user (NULL or empty hash) or a garbage hash never verifies. */
static void missing_or_garbage_hash_mismatch(void **state)
{
	(void)state;
	assert_int_equal(password_verify(NULL, "anything at all"), PW_MISMATCH);
	assert_int_equal(password_verify(NULL, "elevlos-dummy-password"), PW_MISMATCH);
	assert_int_equal(password_verify("", "anything at all"), PW_MISMATCH);
	assert_int_equal(password_verify("not-a-hash", "anything at all"), PW_MISMATCH);
}

/* Two hashes of one password differ (random salt), and both verify. */
static void salted(void **state)
{
	(void)state;
	char h1[PASSWORD_HASH_MAX], h2[PASSWORD_HASH_MAX];
	assert_int_equal(password_hash("same password twice", h1), PW_OK);
	assert_int_equal(password_hash("same password twice", h2), PW_OK);
	assert_string_not_equal(h1, h2);
	assert_int_equal(password_verify(h1, "same password twice"), PW_OK);
	assert_int_equal(password_verify(h2, "same password twice"), PW_OK);
}

/* The stored format is argon2id in PHC string form, with our parameters. */
static void argon2id_format(void **state)
{
	(void)state;
	char h[PASSWORD_HASH_MAX];
	assert_int_equal(password_hash("format check password", h), PW_OK);
	assert_memory_equal(h, "$argon2id$", 10);
	assert_non_null(strstr(h, "$m=1024,t=1,")); /* memlimit is in KiB */
}

/* ASVS 2.1.7: the 10,000 most common passwords (zxcvbn's list, built in) are refused in any
 * case; a long, uncommon phrase is not; no composition rule is asked for. */
static void policy_common(void **state)
{
	(void)state;
	const char *why = NULL;
	static const char *const common[] = {"qwerty123456", "1qaz2wsx3edc", "LeaveMeAlone", "QAZWSXEDCRFV"};
	for (size_t i = 0; i < sizeof common / sizeof common[0]; i++) {
		why = NULL;
		assert_true(password_is_common(common[i]));
		assert_int_equal(password_policy(common[i], &why), -1);
		assert_string_equal(why, "password.common");
	}
	/* Short common ones are in the list too (the length rule answers first). */
	assert_true(password_is_common("password"));
	assert_true(password_is_common("123456"));
	why = NULL;
	assert_int_equal(password_policy("password", &why), -1);
	assert_string_equal(why, "password.too_short");
	assert_false(password_is_common("et langt nok passord"));
	assert_int_equal(password_policy("et langt nok passord", &why), 0);
	assert_int_equal(password_policy("alllowercaseletters", &why), 0);
}

/* password_policy counts code points: 12..128 accepted, outside refused with a catalogue key. */
static void policy_lengths(void **state)
{
	(void)state;
	static const char ae[] = "\xC3\xA6\xC3\xB8\xC3\xA5"; /* æøå */
	char s[1024];
	const char *why;

	memset(s, 'a', 11), s[11] = '\0';
	why = NULL;
	assert_int_equal(password_policy(s, &why), -1);
	assert_string_equal(why, "password.too_short");

	memset(s, 'a', 12), s[12] = '\0';
	assert_int_equal(password_policy(s, &why), 0);

	s[0] = '\0';
	for (int i = 0; i < 4; i++)
		strcat(s, ae); /* 12 letters, 24 bytes */
	assert_int_equal(strlen(s), 24);
	assert_int_equal(password_policy(s, &why), 0);

	s[22] = '\0'; /* 11 letters, 22 bytes: more than 12 bytes but too few characters */
	why = NULL;
	assert_int_equal(password_policy(s, &why), -1);
	assert_string_equal(why, "password.too_short");

	memset(s, 'a', 128), s[128] = '\0';
	assert_int_equal(password_policy(s, &why), 0);

	memset(s, 'a', 129), s[129] = '\0';
	why = NULL;
	assert_int_equal(password_policy(s, &why), -1);
	assert_string_equal(why, "password.too_long");

	s[0] = '\0';
	for (int i = 0; i < 128; i++)
		strcat(s, "\xC3\xB8"); /* 128 letters, 256 bytes */
	assert_int_equal(password_policy(s, &why), 0);

	s[0] = '\0';
	for (int i = 0; i < 12; i++)
		strcat(s, "\xF0\x9F\x98\x80"); /* 12 emoji, 48 bytes */
	assert_int_equal(password_policy(s, &why), 0);

	why = NULL;
	assert_int_equal(password_policy("", &why), -1);
	assert_string_equal(why, "password.too_short");
}

/* A hash made with other (weaker) parameters than the current ones needs a rehash; a fresh one not. */
static void needs_rehash_after_parameter_change(void **state)
{
	(void)state;
	char old[PASSWORD_HASH_MAX], fresh[PASSWORD_HASH_MAX];
	assert_int_equal(password_hash("rehash me please", old), PW_OK);
	assert_false(password_needs_rehash(old));

	assert_int_equal(password_init(2, 2, 2u << 20), 0);
	assert_true(password_needs_rehash(old));
	assert_int_equal(password_verify(old, "rehash me please"), PW_OK); /* still verifies */
	assert_int_equal(password_hash("rehash me please", fresh), PW_OK);
	assert_false(password_needs_rehash(fresh));

	assert_int_equal(password_init(2, OPS, MEM), 0); /* restore for later tests */
}

/*
 * password.h: "1 when the stored hash was made with weaker settings than the current ones".
 * So lowering the settings must not report stronger hashes as needing a rehash (which would
 * downgrade them on the next login).
 */
static void no_rehash_for_stronger_hash(void **state)
{
	(void)state;
	char strong[PASSWORD_HASH_MAX];
	assert_int_equal(password_init(2, 2, 2u << 20), 0);
	assert_int_equal(password_hash("a stronger hash", strong), PW_OK);
	assert_int_equal(password_init(2, OPS, MEM), 0);
	int r = password_needs_rehash(strong);
	assert_int_equal(password_verify(strong, "a stronger hash"), PW_OK);
	assert_false(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hash_then_verify),
		cmocka_unit_test(wrong_password_mismatch),
		cmocka_unit_test(missing_or_garbage_hash_mismatch),
		cmocka_unit_test(salted),
		cmocka_unit_test(argon2id_format),
		cmocka_unit_test(policy_lengths),
		cmocka_unit_test(policy_common),
		cmocka_unit_test(needs_rehash_after_parameter_change),
		cmocka_unit_test(no_rehash_for_stronger_hash),
	};
	return cmocka_run_group_tests_name("password", tests, group_setup, group_teardown);
}
