/* National id numbers through fnr_check under today's rule and the 2032 rule, checked against
 * the textbook mod-11 check digits and the date the number encodes. */
#include <string.h>

#include "fuzz.h"
#include "student/fnr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Both check digits as the textbook computes them: 11 - sum % 11, where 11 is 0 and 10 none. */
static int classic_ok(const char *s)
{
	static const int w1[9] = {3, 7, 6, 1, 8, 9, 4, 5, 2};
	static const int w2[10] = {5, 4, 3, 2, 7, 6, 5, 4, 3, 2};
	int s1 = 0, s2 = 0;
	for (int i = 0; i < 9; i++)
		s1 += w1[i] * (s[i] - '0');
	for (int i = 0; i < 10; i++)
		s2 += w2[i] * (s[i] - '0');
	int k1 = (11 - s1 % 11) % 11, k2 = (11 - s2 % 11) % 11;
	return k1 != 10 && k2 != 10 && k1 == s[9] - '0' && k2 == s[10] - '0';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	struct fnr_info info[2];
	enum fnr_kind kind[2];
	for (int rule = 0; rule < 2; rule++) {
		kind[rule] = fnr_check(s, rule, &info[rule]);
		FUZZ_CHECK(fnr_check(s, rule, NULL) == kind[rule]);
		FUZZ_CHECK(info[rule].kind == kind[rule]);
		FUZZ_CHECK(kind[rule] >= FNR_INVALID && kind[rule] <= FNR_DNUMBER_SYNTHETIC);
		if (kind[rule] == FNR_INVALID)
			continue;
		FUZZ_CHECK(strlen(s) == 11 && valid_digits(s, 11));
		const struct fnr_info *x = &info[rule];
		FUZZ_CHECK(x->year >= 1854 && x->year <= 2039);
		FUZZ_CHECK(x->month >= 1 && x->month <= 12 && x->day >= 1 && x->day <= 31);
		/* The date digits say the same date (D-numbers +40 on the day, synthetic +40/+80 on the
		 * month). */
		int dd = (s[0] - '0') * 10 + (s[1] - '0'), mm = (s[2] - '0') * 10 + (s[3] - '0');
		int yy = (s[4] - '0') * 10 + (s[5] - '0');
		FUZZ_CHECK(x->year % 100 == yy);
		FUZZ_CHECK(dd == x->day || dd == x->day + 40);
		FUZZ_CHECK(mm == x->month || mm == x->month + 40 || mm == x->month + 80);
		FUZZ_CHECK((dd > 40) == (kind[rule] == FNR_DNUMBER || kind[rule] == FNR_DNUMBER_SYNTHETIC));
	}
	/* Today's rule is the textbook one, and the 2032 rule only ever accepts more. */
	if (kind[0] != FNR_INVALID) {
		FUZZ_CHECK(classic_ok(s));
		FUZZ_CHECK(kind[1] == kind[0]);
		FUZZ_CHECK(memcmp(&info[0], &info[1], sizeof info[0]) == 0);
	} else if (strlen(s) == 11 && valid_digits(s, 11) && classic_ok(s)) {
		FUZZ_CHECK(kind[1] == FNR_INVALID); /* the check digits are right: the date is not */
	}
	free(s);
	return 0;
}
