#include "fnr.h"

#include <string.h>

static int leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && leap(y) ? 29 : d[m - 1];
}

/* The century from the individual number (digits 7-9) and the two-digit year. */
static int century_year(int yy, int ind)
{
	if (ind <= 499)
		return 1900 + yy;
	if (ind <= 749 && yy >= 54)
		return 1800 + yy;
	if (yy <= 39)
		return 2000 + yy;
	if (ind >= 900)
		return 1900 + yy;
	return -1;
}

enum fnr_kind fnr_check(const char *s, int rule_2032, struct fnr_info *info)
{
	int d[11];
	if (info)
		memset(info, 0, sizeof *info);
	if (!s || strlen(s) != 11)
		return FNR_INVALID;
	for (int i = 0; i < 11; i++) {
		if (s[i] < '0' || s[i] > '9')
			return FNR_INVALID;
		d[i] = s[i] - '0';
	}
	static const int w1[10] = {3, 7, 6, 1, 8, 9, 4, 5, 2, 1};
	static const int w2[11] = {5, 4, 3, 2, 7, 6, 5, 4, 3, 2, 1};
	int s1 = 0, s2 = 0;
	for (int i = 0; i < 10; i++)
		s1 += w1[i] * d[i];
	for (int i = 0; i < 11; i++)
		s2 += w2[i] * d[i];
	/* Today: both weighted sums are divisible by 11. From 2032 the first may leave 0-3. */
	if (s2 % 11 != 0 || (s1 % 11 != 0 && !(rule_2032 && s1 % 11 <= 3)))
		return FNR_INVALID;

	int day = d[0] * 10 + d[1], month = d[2] * 10 + d[3], yy = d[4] * 10 + d[5];
	int ind = d[6] * 100 + d[7] * 10 + d[8];
	int dnum = 0, synth = 0;
	if (day > 40) {
		day -= 40;
		dnum = 1;
	}
	if (month > 80) {
		month -= 80;
		synth = 1;
	} else if (month > 40) {
		month -= 40;
		synth = 1;
	}
	int year = century_year(yy, ind);
	if (year < 0 || month < 1 || month > 12 || day < 1 || day > days_in(year, month))
		return FNR_INVALID;
	enum fnr_kind k = dnum && synth ? FNR_DNUMBER_SYNTHETIC
			: dnum		? FNR_DNUMBER
			: synth		? FNR_SYNTHETIC
					: FNR_PERSON;
	if (info) {
		info->kind = k;
		info->year = year;
		info->month = month;
		info->day = day;
	}
	return k;
}
