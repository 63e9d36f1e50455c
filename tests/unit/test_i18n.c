/* Unit tests for src/i18n/i18n.c: the message catalogue. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "i18n/format.h"
#include "i18n/i18n.h"

#define NBSP "\xC2\xA0"
#define MINUS "\xE2\x88\x92"

/* Every entry has text in both languages, and the keys are strictly sorted (binary search). */
static void catalogue_complete_and_sorted(void **state)
{
	(void)state;
	int n = i18n_count();
	assert_true(n > 50);
	for (int i = 0; i < n; i++) {
		const char *key = NULL;
		if (!i18n_complete(i, &key))
			fail_msg("entry %d (%s) is incomplete or out of order", i, key ? key : "?");
		assert_non_null(key);
		assert_true(key[0] != '\0');
	}
}

/* Every key is found by T in both languages (the search agrees with the order). */
static void every_key_found(void **state)
{
	(void)state;
	for (int i = 0; i < i18n_count(); i++) {
		const char *key = NULL;
		i18n_complete(i, &key);
		const char *nb = T("nb", key), *en = T("en", key);
		if (nb == key || en == key)
			fail_msg("T does not find '%s'", key);
		assert_true(nb[0] != '\0');
		assert_true(en[0] != '\0');
	}
}

/* Known texts in each language. */
static void known_texts(void **state)
{
	(void)state;
	assert_string_equal(T("nb", "login.title"), "Logg inn");
	assert_string_equal(T("en", "login.title"), "Log in");
	assert_string_equal(T("nb", "nav.logout"), "Logg ut");
	assert_string_equal(T("en", "nav.logout"), "Log out");
	assert_string_equal(T("nb", "password.too_short"), "Passordet m\xC3\xA5 ha minst 12 tegn.");
	assert_string_equal(T("en", "error.404"), "Page not found");
	/* The first and last entries, the edges of the binary search. */
	assert_string_equal(T("en", "account.change_password"), "Change password");
	assert_string_equal(T("en", "user.username"), "Username");
}

/* Bokmål is the default: NULL or any other language gives the Norwegian text. */
static void default_language_is_nb(void **state)
{
	(void)state;
	assert_string_equal(T(NULL, "login.title"), "Logg inn");
	assert_string_equal(T("de", "login.title"), "Logg inn");
	assert_string_equal(T("", "login.title"), "Logg inn");
	assert_string_equal(T("EN", "login.title"), "Logg inn");
}

/* An unknown key comes back as itself (visible, never a crash or NULL). */
static void unknown_key_returns_key(void **state)
{
	(void)state;
	static const char *const keys[] = {"no.such.key", "", "aaa", "zzz", "login.titl", "login.title2"};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		assert_ptr_equal(T("nb", keys[i]), keys[i]);
		assert_ptr_equal(T("en", keys[i]), keys[i]);
	}
}

/* Every key the password policy can return is in the catalogue. */
static void policy_keys_present(void **state)
{
	(void)state;
	static const char *const keys[] = {"password.too_short", "password.too_long"};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		assert_ptr_not_equal(T("en", keys[i]), keys[i]);
}

/* Numbers: nb groups thousands with a no-break space and writes a decimal comma; en uses
 * "," and "."; negatives carry U+2212; a value that rounds to zero has no sign. */
static void numbers_per_language(void **state)
{
	(void)state;
	char s[I18N_NUM_MAX];
	i18n_num("nb", 1234.5, 1, s, sizeof s);
	assert_string_equal(s, "1" NBSP "234,5");
	i18n_num("en", 1234.5, 1, s, sizeof s);
	assert_string_equal(s, "1,234.5");
	i18n_num("nb", 1234567.0, 0, s, sizeof s);
	assert_string_equal(s, "1" NBSP "234" NBSP "567");
	i18n_num("en", -1234567.891, 2, s, sizeof s);
	assert_string_equal(s, MINUS "1,234,567.89");
	i18n_num("nb", 999.96, 1, s, sizeof s);
	assert_string_equal(s, "1" NBSP "000,0");
	i18n_num("nb", 10.4, 1, s, sizeof s);
	assert_string_equal(s, "10,4");
	i18n_num(NULL, 0.5, 0, s, sizeof s); /* default nb; rounding as printf does */
	assert_string_equal(s, "0");
	i18n_num("nb", -0.004, 2, s, sizeof s);
	assert_string_equal(s, "0,00");
	i18n_num("nb", NAN, 1, s, sizeof s);
	assert_string_equal(s, "\xE2\x80\x93");
	i18n_int("nb", 759, s, sizeof s);
	assert_string_equal(s, "759");
	i18n_int("en", 12345, s, sizeof s);
	assert_string_equal(s, "12,345");
	i18n_int("nb", -12345, s, sizeof s);
	assert_string_equal(s, MINUS "12" NBSP "345");
}

static void signed_and_percent(void **state)
{
	(void)state;
	char s[I18N_NUM_MAX];
	i18n_signed("nb", 0.36, 2, s, sizeof s);
	assert_string_equal(s, "+0,36");
	i18n_signed("nb", -0.36, 2, s, sizeof s);
	assert_string_equal(s, MINUS "0,36");
	i18n_signed("en", -0.36, 2, s, sizeof s);
	assert_string_equal(s, MINUS "0.36");
	i18n_signed("en", 0.001, 2, s, sizeof s);
	assert_string_equal(s, "0.00");
	i18n_pct("nb", 41.2, 0, s, sizeof s);
	assert_string_equal(s, "41" NBSP "%");
	i18n_pct("en", 41.2, 0, s, sizeof s);
	assert_string_equal(s, "41%");
	i18n_pct("nb", 10.44, 1, s, sizeof s);
	assert_string_equal(s, "10,4" NBSP "%");
	/* A short buffer is cut, never overrun. */
	char tiny[4];
	i18n_num("en", 1234567.0, 0, tiny, sizeof tiny);
	assert_string_equal(tiny, "1,2");
}

/* Timestamps in Oslo time: winter UTC+1, summer UTC+2, switching on the last Sundays of
 * March and October at 01:00 UTC; the date rolls over at midnight. */
static void times_in_oslo(void **state)
{
	(void)state;
	char s[I18N_NUM_MAX];
	i18n_time("nb", "2026-11-28T01:20:17Z", s, sizeof s);
	assert_string_equal(s, "28.11.2026 02:20");
	i18n_time("en", "2026-11-28T01:20:17Z", s, sizeof s);
	assert_string_equal(s, "28 Nov 2026 02:20");
	i18n_time("nb", "2026-06-30 22:30:00", s, sizeof s);
	assert_string_equal(s, "01.07.2026 00:30");
	i18n_time("en", "2026-12-31T23:59:59Z", s, sizeof s);
	assert_string_equal(s, "1 Jan 2027 00:59");
	/* 2026: summer time from 29 March 01:00 UTC to 25 October 01:00 UTC. */
	i18n_time("nb", "2026-03-29T00:59:00Z", s, sizeof s);
	assert_string_equal(s, "29.03.2026 01:59");
	i18n_time("nb", "2026-03-29T01:00:00Z", s, sizeof s);
	assert_string_equal(s, "29.03.2026 03:00");
	i18n_time("nb", "2026-10-25T00:59:00Z", s, sizeof s);
	assert_string_equal(s, "25.10.2026 02:59");
	i18n_time("nb", "2026-10-25T01:00:00Z", s, sizeof s);
	assert_string_equal(s, "25.10.2026 02:00");
	/* Not a timestamp: unchanged. */
	i18n_time("nb", "2026-11-28", s, sizeof s);
	assert_string_equal(s, "2026-11-28");
	i18n_time("nb", "2026-11-28T01:20:17+05", s, sizeof s);
	assert_string_equal(s, "2026-11-28T01:20:17+05");
	i18n_time("en", "", s, sizeof s);
	assert_string_equal(s, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(catalogue_complete_and_sorted),
		cmocka_unit_test(every_key_found),
		cmocka_unit_test(known_texts),
		cmocka_unit_test(default_language_is_nb),
		cmocka_unit_test(unknown_key_returns_key),
		cmocka_unit_test(policy_keys_present),
		cmocka_unit_test(numbers_per_language),
		cmocka_unit_test(signed_and_percent),
		cmocka_unit_test(times_in_oslo),
	};
	return cmocka_run_group_tests_name("i18n", tests, NULL, NULL);
}
