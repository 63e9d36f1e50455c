/* Unit tests for src/i18n/i18n.c: the message catalogue. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "i18n/i18n.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(catalogue_complete_and_sorted),
		cmocka_unit_test(every_key_found),
		cmocka_unit_test(known_texts),
		cmocka_unit_test(default_language_is_nb),
		cmocka_unit_test(unknown_key_returns_key),
		cmocka_unit_test(policy_keys_present),
	};
	return cmocka_run_group_tests_name("i18n", tests, NULL, NULL);
}
