/* Numbers and times as people read them, per language, for pages (HTML and SVG) only.
 * Machine formats (CSV, JSON, XLSX, PDF figures) keep "." decimals and no separators and do
 * not use these. Every result fits I18N_NUM_MAX bytes; a smaller out is cut short, always
 * NUL-terminated.
 *
 *   nb: 1 234,5   −0,36   +0,36   41 %     28.11.2026 02:20
 *   en: 1,234.5   −0.36   +0.36   41%      28 Nov 2026 02:20
 *
 * The thousands separator in nb and the space before % are U+00A0 (no-break space), so a
 * number never wraps across lines. Negative numbers carry U+2212 (minus sign) in both
 * languages: typographically correct and read as "minus" by screen readers. Zero, after
 * rounding, never has a sign. Times are shown in Norway's time (Europe/Oslo). */
#ifndef ELEVLOS_I18N_FORMAT_H
#define ELEVLOS_I18N_FORMAT_H

#include <stddef.h>

#define I18N_NUM_MAX 64

/* v rounded to decimals (0..6) places: "1 234,5" / "1,234.5"; NaN gives "–". */
void i18n_num(const char *lang, double v, int decimals, char *out, size_t n);
/* As i18n_num, with "+" before a positive value: "+0,36", "−0,36", "0,00". */
void i18n_signed(const char *lang, double v, int decimals, char *out, size_t n);
/* A share in percent: "41 %" / "41%". */
void i18n_pct(const char *lang, double v, int decimals, char *out, size_t n);
/* A whole number: "1 234" / "1,234". */
void i18n_int(const char *lang, long long v, char *out, size_t n);
/* A UTC timestamp "YYYY-MM-DDTHH:MM:SS[Z]" (or with a space for T) as Oslo time:
 * "28.11.2026 02:20" / "28 Nov 2026 02:20". Anything else is copied unchanged. */
void i18n_time(const char *lang, const char *utc, char *out, size_t n);
/* A catalogue sentence with its gaps filled: "{1}" .. "{9}" in tmpl become args[0] ..
 * args[8] (a missing one becomes nothing); appended to out (NUL-terminated, cut short rather
 * than overrun); without args it appends tmpl as it is. The words' order stays the
 * translation's business. */
void i18n_fill(char *out, size_t n, const char *tmpl, const char *const *args, int nargs);

#endif
