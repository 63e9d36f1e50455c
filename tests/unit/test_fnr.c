/* src/student/fnr.c against every vector in ../shared/data/fnr_test_vectors.csv. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "student/fnr.h"

static const char *vectors_path(void)
{
	const char *p = getenv("ELEVLOS_FNR_VECTORS");
	return p ? p : "../shared/data/fnr_test_vectors.csv";
}

/* Every vector: valid today and under the 2032 rule exactly as the file says. */
static void all_vectors(void **state)
{
	(void)state;
	FILE *f = fopen(vectors_path(), "r");
	assert_non_null(f);
	char line[512];
	int n = 0;
	assert_non_null(fgets(line, sizeof line, f)); /* header */
	while (fgets(line, sizeof line, f)) {
		char id[32], classic[8], r2032[8];
		if (sscanf(line, "%31[^,],%7[^,],%7[^,],", id, classic, r2032) != 3)
			continue;
		int want_classic = !strcmp(classic, "true"), want_2032 = !strcmp(r2032, "true");
		if ((fnr_check(id, 0, NULL) != FNR_INVALID) != want_classic)
			fail_msg("%s: classic rule gives %d, file says %s", id, !want_classic, classic);
		if ((fnr_check(id, 1, NULL) != FNR_INVALID) != want_2032)
			fail_msg("%s: 2032 rule gives %d, file says %s", id, !want_2032, r2032);
		n++;
	}
	fclose(f);
	assert_true(n >= 20);
}

/* The kind and birth date are decoded, centuries included. */
static void kinds_and_dates(void **state)
{
	(void)state;
	struct fnr_info i;
	assert_int_equal(fnr_check("13097248022", 0, &i), FNR_PERSON);
	assert_int_equal(i.year, 1972);
	assert_int_equal(i.month, 9);
	assert_int_equal(i.day, 13);
	assert_int_equal(fnr_check("53097248016", 0, &i), FNR_DNUMBER);
	assert_int_equal(i.day, 13);
	assert_int_equal(fnr_check("13527248013", 0, &i), FNR_SYNTHETIC);
	assert_int_equal(i.month, 12);
	assert_int_equal(fnr_check("10915596784", 0, &i), FNR_SYNTHETIC);
	assert_int_equal(fnr_check("68467038838", 0, &i), FNR_DNUMBER_SYNTHETIC);
	assert_int_equal(fnr_check("29020075838", 0, &i), FNR_PERSON);
	assert_int_equal(i.year, 2000);
}

/* Wrong shapes never pass. */
static void shapes(void **state)
{
	(void)state;
	assert_int_equal(fnr_check(NULL, 0, NULL), FNR_INVALID);
	assert_int_equal(fnr_check("", 0, NULL), FNR_INVALID);
	assert_int_equal(fnr_check("1309724802", 0, NULL), FNR_INVALID);
	assert_int_equal(fnr_check("130972480222", 0, NULL), FNR_INVALID);
	assert_int_equal(fnr_check("1309724802a", 0, NULL), FNR_INVALID);
	assert_int_equal(fnr_check("00000000000", 0, NULL), FNR_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(all_vectors),
		cmocka_unit_test(kinds_and_dates),
		cmocka_unit_test(shapes),
	};
	return cmocka_run_group_tests_name("fnr", tests, NULL, NULL);
}
