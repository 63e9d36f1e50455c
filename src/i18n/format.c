#include "format.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define NBSP "\xC2\xA0"
#define MINUS "\xE2\x88\x92"

static int is_en(const char *lang)
{
	return lang && strcmp(lang, "en") == 0;
}

static void copy(char *out, size_t n, const char *s)
{
	if (n)
		snprintf(out, n, "%s", s);
}

/* digits "1234.5" (no sign) grouped per language into out. */
static void group(const char *lang, const char *digits, const char *sign, char *out, size_t n)
{
	const char *sep = is_en(lang) ? "," : NBSP, *dec = is_en(lang) ? "." : ",";
	char tmp[I18N_NUM_MAX * 2];
	size_t len = 0, ilen = strcspn(digits, ".");
	len += (size_t)snprintf(tmp + len, sizeof tmp - len, "%s", sign);
	for (size_t i = 0; i < ilen && len < sizeof tmp - 4; i++) {
		if (i > 0 && (ilen - i) % 3 == 0)
			len += (size_t)snprintf(tmp + len, sizeof tmp - len, "%s", sep);
		tmp[len++] = digits[i];
	}
	tmp[len] = '\0';
	if (digits[ilen] == '.')
		snprintf(tmp + len, sizeof tmp - len, "%s%s", dec, digits + ilen + 1);
	copy(out, n, tmp);
}

static void format(const char *lang, double v, int decimals, int plus, char *out, size_t n)
{
	if (isnan(v) || isinf(v)) {
		copy(out, n, "–");
		return;
	}
	if (decimals < 0)
		decimals = 0;
	if (decimals > 6)
		decimals = 6;
	char digits[I18N_NUM_MAX];
	/* Beyond 1e15 the digits are noise; pages never show such numbers. */
	if (fabs(v) >= 1e15) {
		copy(out, n, "–");
		return;
	}
	snprintf(digits, sizeof digits, "%.*f", decimals, fabs(v));
	int zero = strspn(digits, "0.") == strlen(digits);
	const char *sign = zero ? "" : v < 0 ? MINUS : plus ? "+" : "";
	group(lang, digits, sign, out, n);
}

void i18n_num(const char *lang, double v, int decimals, char *out, size_t n)
{
	format(lang, v, decimals, 0, out, n);
}

void i18n_signed(const char *lang, double v, int decimals, char *out, size_t n)
{
	format(lang, v, decimals, 1, out, n);
}

void i18n_int(const char *lang, long long v, char *out, size_t n)
{
	format(lang, (double)v, 0, 0, out, n);
}

void i18n_pct(const char *lang, double v, int decimals, char *out, size_t n)
{
	char num[I18N_NUM_MAX];
	format(lang, v, decimals, 0, num, sizeof num);
	if (n)
		snprintf(out, n, "%s%s%%", num, is_en(lang) ? "" : NBSP);
}

void i18n_fill(char *out, size_t n, const char *tmpl, const char *const *args, int nargs)
{
	if (!n)
		return;
	size_t len = strnlen(out, n - 1);
	for (const char *p = tmpl; *p && len < n - 1; p++) {
		if (p[0] == '{' && p[1] >= '1' && p[1] <= '9' && p[2] == '}') {
			int i = p[1] - '1';
			if (i < nargs && args[i]) {
				size_t k = strlen(args[i]), room = n - 1 - len;
				memcpy(out + len, args[i], k < room ? k : room);
				len += k < room ? k : room;
			}
			p += 2;
			continue;
		}
		out[len++] = *p;
	}
	out[len] = '\0';
}

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
static long long days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	long long yoe = y - era * 400;
	long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(long long z, int *y, int *m, int *d)
{
	z += 719468;
	long long era = (z >= 0 ? z : z - 146096) / 146097;
	long long doe = z - era * 146097;
	long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long long mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* The last Sunday of a month at 01:00 UTC, in seconds since the epoch: when Europe's summer
 * time starts (March) and ends (October). */
static long long last_sunday_0100(int y, int m)
{
	long long day = days_from_civil(y, m, 31); /* March and October have 31 days */
	long long weekday = (day + 4) % 7;         /* 1970-01-01 was a Thursday; 0 = Sunday */
	if (weekday < 0)
		weekday += 7;
	return (day - weekday) * 86400 + 3600;
}

void i18n_time(const char *lang, const char *utc, char *out, size_t n)
{
	int y, mo, d, h, mi, s, used = 0;
	if (!utc || sscanf(utc, "%4d-%2d-%2d%*1[T ]%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s, &used) != 6 ||
	    (utc[used] != '\0' && strcmp(utc + used, "Z") != 0) || mo < 1 || mo > 12 || d < 1 || d > 31 ||
	    h > 23 || mi > 59 || s > 60) {
		copy(out, n, utc ? utc : "");
		return;
	}
	long long t = days_from_civil(y, mo, d) * 86400 + (long long)h * 3600 + (long long)mi * 60 + s;
	int summer = t >= last_sunday_0100(y, 3) && t < last_sunday_0100(y, 10);
	t += summer ? 7200 : 3600;
	long long day = t >= 0 ? t / 86400 : (t - 86399) / 86400;
	long long sec = t - day * 86400;
	civil_from_days(day, &y, &mo, &d);
	h = (int)(sec / 3600);
	mi = (int)(sec / 60 % 60);
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	if (!n)
		return;
	if (is_en(lang))
		snprintf(out, n, "%d %s %04d %02d:%02d", d, months[mo - 1], y, h, mi);
	else
		snprintf(out, n, "%02d.%02d.%04d %02d:%02d", d, mo, y, h, mi);
}
