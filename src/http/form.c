#include "form.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int in_set(const char *v, size_t n, const char *const *set)
{
	for (; *set; set++)
		if (strlen(*set) == n && memcmp(*set, v, n) == 0)
			return 1;
	return 0;
}

static int charset(const char *v, size_t n, const char *extra)
{
	for (size_t i = 0; i < n; i++) {
		char c = v[i];
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			continue;
		if (c >= 'A' && c <= 'Z' && strchr(extra, 'A'))
			continue;
		if (c && strchr(extra, c) && c != 'A')
			continue;
		return 0;
	}
	return 1;
}

int valid_username(const char *v, size_t n)
{
	return n >= 2 && n <= 64 && charset(v, n, "._-") && v[0] != '.' && v[0] != '-';
}

int valid_password(const char *v, size_t n)
{
	/* Any text; the length policy is the password module's, not the parser's. */
	return n >= 1 && utf8_valid_text(v, n) && !memchr(v, '\n', n) && !memchr(v, '\r', n);
}

int valid_token(const char *v, size_t n)
{
	return n >= 16 && n <= 128 && charset(v, n, "A_-");
}

int valid_role(const char *v, size_t n)
{
	static const char *const roles[] = {"veileder", "radgiver", "leder", "analytiker", "admin",
					    NULL};
	return in_set(v, n, roles);
}

int valid_code(const char *v, size_t n)
{
	return n >= 1 && n <= 32 && charset(v, n, "A_-");
}

int valid_text_line(const char *v, size_t n)
{
	if (n < 1 || !utf8_valid_text(v, n) || memchr(v, '\n', n) || memchr(v, '\r', n) ||
	    memchr(v, '\t', n))
		return 0;
	/* Leading or trailing blanks are almost always a paste accident. */
	return v[0] != ' ' && v[n - 1] != ' ';
}

int valid_unit_kind(const char *v, size_t n)
{
	static const char *const kinds[] = {"nation", "county", "pilot", "school", "nav_office",
					    NULL};
	return in_set(v, n, kinds);
}

int valid_local_path(const char *v, size_t n)
{
	/* Only our own absolute paths: never "//host" or a scheme, so no open redirect. */
	if (n < 1 || v[0] != '/' || (n > 1 && (v[1] == '/' || v[1] == '\\')))
		return 0;
	return charset(v, n, "A/_-.?=&");
}

int valid_lang(const char *v, size_t n)
{
	static const char *const langs[] = {"nb", "en", NULL};
	return in_set(v, n, langs);
}

int valid_format(const char *v, size_t n)
{
	static const char *const formats[] = {"html", "json", "csv", "xlsx", "pdf", NULL};
	return in_set(v, n, formats);
}

int valid_uint(const char *v, size_t n)
{
	if (n < 1 || n > 9)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (v[i] < '0' || v[i] > '9')
			return 0;
	return 1;
}

int valid_date(const char *v, size_t n)
{
	/* YYYY-MM-DD, a real calendar date between 1980 and 2100. */
	if (n != 10 || v[4] != '-' || v[7] != '-')
		return 0;
	for (size_t i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (v[i] < '0' || v[i] > '9'))
			return 0;
	int y = (v[0] - '0') * 1000 + (v[1] - '0') * 100 + (v[2] - '0') * 10 + (v[3] - '0');
	int m = (v[5] - '0') * 10 + (v[6] - '0'), d = (v[8] - '0') * 10 + (v[9] - '0');
	static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1980 || y > 2100 || m < 1 || m > 12 || d < 1 || d > days[m - 1])
		return 0;
	return !(m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
}

static int valid_track(const char *v, size_t n)
{
	static const char *const tracks[] = {"yrkesfag", "studieforberedende", "alle", NULL};
	return in_set(v, n, tracks);
}

int valid_code_token(const char *v, size_t n)
{
	if (n < 1 || n > 32)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((v[i] >= 'A' && v[i] <= 'Z') || (v[i] >= '0' && v[i] <= '9') || v[i] == '_'))
			return 0;
	return 1;
}

static int valid_code_multi(const char *v, size_t n)
{
	/* Comma-joined codes, as store() joins repeated fields. */
	size_t start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || v[i] == ',') {
			if (!valid_code_token(v + start, i - start))
				return 0;
			start = i + 1;
		}
	}
	return 1;
}

int valid_year(const char *v, size_t n)
{
	return n == 4 && valid_uint(v, n) && (v[0] == '1' || v[0] == '2') &&
	       atoi(v) >= 1980 && atoi(v) <= 2100;
}

int valid_school_year(const char *v, size_t n)
{
	/* "2017/18": the second year follows the first. */
	if (n != 7 || v[4] != '/' || !valid_year(v, 4) || !valid_uint(v + 5, 2))
		return 0;
	int y = atoi(v);
	return (y + 1) % 100 == atoi(v + 5);
}

int valid_school_period(const char *v, size_t n)
{
	/* "2017/18", or whole school years "2014/15-2017/18" with the first not after the last. */
	if (n == 7)
		return valid_school_year(v, n);
	return n == 15 && v[7] == '-' && valid_school_year(v, 7) && valid_school_year(v + 8, 7) &&
	       strncmp(v, v + 8, 4) <= 0;
}

/* A whole number that may be negative: the rule against negative amounts is the grant's, with
 * its own message. */
static int valid_int(const char *v, size_t n)
{
	if (n > 0 && v[0] == '-')
		return n > 1 && valid_uint(v + 1, n - 1);
	return valid_uint(v, n);
}

static int valid_pilot_status(const char *v, size_t n)
{
	static const char *const ok[] = {"active", "fourth_year", "ended", "continued_locally"};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (strlen(ok[i]) == n && !memcmp(ok[i], v, n))
			return 1;
	return 0;
}

static int valid_post(const char *v, size_t n)
{
	return n == 2 && (!memcmp(v, "63", 2) || !memcmp(v, "21", 2));
}

static int valid_directorate(const char *v, size_t n)
{
	return (n == 5 && (!memcmp(v, "avdir", 5))) || (n == 4 && !memcmp(v, "udir", 4));
}

int valid_note(const char *v, size_t n)
{
	return n >= 1 && utf8_valid_text(v, n);
}

int valid_bool(const char *v, size_t n)
{
	static const char *const vals[] = {"0", "1", "on", "off", "true", "false", "yes", "no", NULL};
	return in_set(v, n, vals);
}

int form_true(const char *v)
{
	return v && (!strcmp(v, "1") || !strcmp(v, "on") || !strcmp(v, "true") || !strcmp(v, "yes"));
}

int valid_pseudonym(const char *v, size_t n)
{
	if (n != 8 || v[0] != 'E' || v[1] != '-')
		return 0;
	for (size_t i = 2; i < n; i++)
		if (!((v[i] >= 'A' && v[i] <= 'Z') || (v[i] >= '2' && v[i] <= '9')))
			return 0;
	return 1;
}

int valid_digits(const char *v, size_t n)
{
	if (n != 11)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (v[i] < '0' || v[i] > '9')
			return 0;
	return 1;
}

int valid_otp(const char *v, size_t n)
{
	/* Digits, letters, spaces and dashes: a code as an app shows it ("123 456") or a recovery
	 * code as printed. What it means is src/auth/mfa.c's to say. */
	if (n < 1)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((v[i] >= '0' && v[i] <= '9') || (v[i] >= 'a' && v[i] <= 'z') || (v[i] >= 'A' && v[i] <= 'Z') ||
		      v[i] == ' ' || v[i] == '-'))
			return 0;
	return 1;
}

int valid_msg_key(const char *v, size_t n)
{
	/* A catalogue key like "consent.no_registration": shown only through the catalogue. */
	if (n < 3 || n > 64 || !memchr(v, '.', n))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((v[i] >= 'a' && v[i] <= 'z') || v[i] == '_' || v[i] == '.' || (v[i] >= '0' && v[i] <= '9')))
			return 0;
	return 1;
}

const struct keydef form_keys[KEY__MAX] = {
	[KEY_CSRF] = {"csrf", valid_token, 128, "a form token"},
	[KEY_USERNAME] = {"username", valid_username, 64, "2-64 of a-z 0-9 . _ -"},
	[KEY_PASSWORD] = {"password", valid_password, 1024, "text on one line"},
	[KEY_NEW_PASSWORD] = {"new_password", valid_password, 1024, "text on one line"},
	[KEY_ROLE] = {"role", valid_role, 16, "veileder, radgiver, leder, analytiker or admin"},
	[KEY_UNIT] = {"unit", valid_code, 32, "a unit code (1-32 of A-Z a-z 0-9 _ -)"},
	[KEY_CODE] = {"code", valid_code, 32, "a unit code (1-32 of A-Z a-z 0-9 _ -)"},
	[KEY_NAME] = {"name", valid_text_line, 200, "text on one line, 1-200 bytes"},
	[KEY_KIND] = {"kind", valid_unit_kind, 16, "county, pilot, school or nav_office"},
	[KEY_PARENT] = {"parent", valid_code, 32, "a unit code (1-32 of A-Z a-z 0-9 _ -)"},
	[KEY_NEXT] = {"next", valid_local_path, 256, "a local path"},
	[KEY_LANG] = {"lang", valid_lang, 2, "nb or en"},
	[KEY_FORMAT] = {"format", valid_format, 8, "html, json, csv, xlsx or pdf"},
	[KEY_Q] = {"q", valid_text_line, 100, "text on one line, 1-100 bytes"},
	[KEY_LIMIT] = {"limit", valid_uint, 9, "a whole number"},
	[KEY_PURPOSE] = {"purpose", valid_text_line, 200, "text on one line, 1-200 bytes"},
	[KEY_STUDENT] = {"student", valid_pseudonym, 8, "a student's pseudonym like E-4K7Q2M"},
	[KEY_STUDENT_NAME] = {"student_name", valid_text_line, 200, "a name on one line, 1-200 bytes"},
	[KEY_FNR] = {"fnr", valid_digits, 11, "an 11-digit national id number"},
	[KEY_BIRTH_YEAR] = {"birth_year", valid_year, 4, "a year like 2001"},
	[KEY_GENDER] = {"gender", valid_code_token, 32, "a code from the list 'gender'"},
	[KEY_LEVEL] = {"level", valid_code_token, 32, "a code from the list 'level'"},
	[KEY_PROGRAMME] = {"programme", valid_code_token, 32, "a code from the list 'programme'"},
	[KEY_MINORITY] = {"minority", valid_code_token, 32, "a code from the list 'minority'"},
	[KEY_SCHOOL] = {"school", valid_code, 32, "a school's unit code"},
	[KEY_LIVING] = {"living", valid_code_token, 32, "a code from the list 'living'"},
	[KEY_LIVING_FROM] = {"living_from", valid_date, 10, "a date YYYY-MM-DD"},
	[KEY_CONSENT_KIND] = {"consent_kind", valid_code_token, 32, "a code from the list 'consent_kind'"},
	[KEY_CONSENT_ON] = {"consent_on", valid_date, 10, "a date YYYY-MM-DD"},
	[KEY_CONSENT_BY] = {"consent_by", valid_code_token, 32, "a code from the list 'consent_by'"},
	[KEY_PARTNER] = {"partner", valid_code_token, 32, "a code from the list 'partner'"},
	[KEY_WITHDRAWN_ON] = {"withdrawn_on", valid_date, 10, "a date YYYY-MM-DD"},
	[KEY_OPENED_ON] = {"opened_on", valid_date, 10, "a date YYYY-MM-DD"},
	[KEY_REFERRAL_SOURCE] = {"referral_source", valid_code_token, 32, "a code from the list 'referral_source'"},
	[KEY_REFERRED_ON] = {"referred_on", valid_date, 10, "a date YYYY-MM-DD"},
	[KEY_FIRST_CONTACT_ON] = {"first_contact_on", valid_date, 10, "a date YYYY-MM-DD"},
	[KEY_MAIN_REASON] = {"main_reason", valid_code_token, 32, "a code from the list 'reason'"},
	[KEY_REASONS] = {"reasons", valid_code_multi, 400, "codes from the list 'reason'", 1},
	[KEY_ON_DATE] = {"on_date", valid_date, 10, "a date YYYY-MM-DD"},
	[KEY_CONTACT_KIND] = {"contact_kind", valid_code_token, 32, "a code from the list 'contact_kind'"},
	[KEY_MINUTES] = {"minutes", valid_uint, 4, "minutes as a whole number"},
	[KEY_FOLLOWUPS] = {"followups", valid_code_multi, 400, "codes from the list 'followup'", 1},
	[KEY_NOTE] = {"note", valid_note, 4000, "text, at most 4000 bytes"},
	[KEY_DECISION] = {"decision", valid_code_token, 32, "a code from the list 'decision'"},
	[KEY_GRANTED] = {"granted", valid_bool, 5, "true or false"},
	[KEY_DURATION] = {"duration", valid_code_token, 32, "a code from the list 'duration'"},
	[KEY_MEASURE] = {"measure", valid_code_token, 32, "a code from the list 'nav_measure' or 'school_measure'"},
	[KEY_SIDE] = {"side", valid_code, 8, "nav or school"},
	[KEY_START_ON] = {"start_on", valid_date, 10, "a date YYYY-MM-DD"},
	[KEY_END_ON] = {"end_on", valid_date, 10, "a date YYYY-MM-DD"},
	[KEY_PARTNERS] = {"partners", valid_code_multi, 400, "codes from the list 'partner'", 1},
	[KEY_INTERAGENCY] = {"interagency", valid_bool, 5, "true or false"},
	[KEY_RESPONSIBILITY_GROUP] = {"responsibility_group", valid_bool, 5, "true or false"},
	[KEY_SCHOOL_YEAR] = {"school_year", valid_school_period, 15,
			     "a school year like 2017/18 (statistics: or a period like 2014/15-2017/18)"},
	[KEY_OUTCOME] = {"outcome", valid_code_token, 32, "a code from the list 'outcome'"},
	[KEY_CLOSE_REASON] = {"close_reason", valid_code_token, 32, "a code from the list 'close_reason'"},
	[KEY_CLOSED_ON] = {"closed_on", valid_date, 10, "a date YYYY-MM-DD"},
	[KEY_DECLINE_REASON] = {"decline_reason", valid_text_line, 200, "text on one line, 1-200 bytes"},
	[KEY_CASE] = {"case", valid_uint, 9, "a case number"},
	[KEY_OK] = {"ok", valid_msg_key, 64, "a message key"},
	[KEY_ERROR] = {"error", valid_msg_key, 64, "a message key"},
	[KEY_TRACK] = {"track", valid_track, 20, "yrkesfag, studieforberedende or alle"},
	[KEY_FROM] = {"from", valid_year, 4, "a school year's autumn year like 2016"},
	[KEY_TO] = {"to", valid_year, 4, "a school year's autumn year like 2017"},
	[KEY_STATUS] = {"status", valid_pilot_status, 20, "active, fourth_year, ended or continued_locally"},
	[KEY_PROJECT_YEARS] = {"project_years", valid_uint, 2, "a number of project years"},
	[KEY_ORGANISATION] = {"organisation", valid_text_line, 200, "text on one line, 1-200 bytes"},
	[KEY_MEMBER_ROLE] = {"member_role", valid_text_line, 200, "text on one line, 1-200 bytes"},
	[KEY_PROJECT_YEAR] = {"project_year", valid_uint, 2, "a project year like 1"},
	[KEY_POST] = {"post", valid_post, 2, "63 or 21"},
	[KEY_SHARE] = {"share", valid_uint, 3, "a percentage 0-100"},
	[KEY_SALARY_BASE] = {"salary_base", valid_int, 10, "whole kroner"},
	[KEY_AMOUNT] = {"amount", valid_int, 10, "whole kroner"},
	[KEY_PAID_ON] = {"paid_on", valid_date, 10, "a date YYYY-MM-DD"},
	[KEY_SHARES] = {"shares", valid_text_line, 60, "percentages like 100,100,100,50"},
	[KEY_SUMMARY] = {"summary", valid_note, 8000, "text, at most 8000 bytes"},
	[KEY_ACTIVITIES] = {"activities", valid_note, 8000, "text, at most 8000 bytes"},
	[KEY_CHALLENGES] = {"challenges", valid_note, 8000, "text, at most 8000 bytes"},
	[KEY_FUNDS] = {"funds", valid_note, 8000, "text, at most 8000 bytes"},
	[KEY_GOAL1] = {"goal1", valid_note, 8000, "text, at most 8000 bytes"},
	[KEY_GOAL2] = {"goal2", valid_note, 8000, "text, at most 8000 bytes"},
	[KEY_GOAL3] = {"goal3", valid_note, 8000, "text, at most 8000 bytes"},
	[KEY_GOAL4] = {"goal4", valid_note, 8000, "text, at most 8000 bytes"},
	[KEY_LESSONS] = {"lessons", valid_note, 8000, "text, at most 8000 bytes"},
	[KEY_FEEDBACK] = {"feedback", valid_note, 8000, "text, at most 8000 bytes"},
	[KEY_VERSION] = {"version", valid_uint, 4, "a version number"},
	[KEY_DIRECTORATE] = {"directorate", valid_directorate, 5, "avdir or udir"},
	[KEY_ERASE] = {"erase", valid_bool, 5, "true or false"},
	[KEY_OTP] = {"otp", valid_otp, 40, "a 6-digit code or a recovery code"},
};

/* What each validator accepts, in the catalogue: the reader's words for a refused value. */
const char *form_what_key(enum key k)
{
	static const struct {
		validator_fn fn;
		const char *key;
	} what[] = {
		{valid_token, "input.what.token"},       {valid_username, "input.what.username"},
		{valid_password, "input.what.text_line"}, {valid_role, "input.what.role"},
		{valid_code, "input.what.unit_code"},     {valid_text_line, "input.what.text_line"},
		{valid_unit_kind, "input.what.unit_kind"}, {valid_local_path, "input.what.local_path"},
		{valid_lang, "input.what.lang"},          {valid_format, "input.what.format"},
		{valid_uint, "input.what.uint"},          {valid_int, "input.what.int"},
		{valid_date, "input.what.date"},          {valid_track, "input.what.track"},
		{valid_code_token, "input.what.code"},    {valid_code_multi, "input.what.codes"},
		{valid_year, "input.what.year"},          {valid_school_period, "input.what.school_year"},
		{valid_note, "input.what.note"},          {valid_bool, "input.what.bool"},
		{valid_pseudonym, "input.what.pseudonym"}, {valid_digits, "input.what.fnr"},
		{valid_msg_key, "input.what.msg_key"},    {valid_pilot_status, "input.what.pilot_status"},
		{valid_post, "input.what.post"},          {valid_directorate, "input.what.directorate"},
		{valid_otp, "input.what.otp"},
	};
	if (k >= KEY__MAX)
		return "input.what.any";
	for (size_t i = 0; i < sizeof what / sizeof what[0]; i++)
		if (what[i].fn == form_keys[k].valid)
			return what[i].key;
	return "input.what.any";
}

enum key form_key_lookup(const char *name, size_t n)
{
	for (int k = 0; k < KEY__MAX; k++)
		if (strlen(form_keys[k].name) == n && memcmp(form_keys[k].name, name, n) == 0)
			return (enum key)k;
	return KEY__MAX;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

long pct_decode(const char *s, size_t n, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '+') {
			out[o++] = ' ';
		} else if (s[i] == '%') {
			if (i + 2 >= n)
				return -1;
			int hi = hexval(s[i + 1]), lo = hexval(s[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			out[o++] = (char)(hi * 16 + lo);
			i += 2;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	return (long)o;
}

static int fail(struct form_error *err, enum form_err code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(struct form_error *err, enum form_err code, const char *fmt, ...)
{
	va_list ap;
	if (code == FORM_BAD_ENCODING || code == FORM_NOT_OBJECT) {
		err->field[0] = '\0';
		err->key = KEY__MAX;
	}
	va_start(ap, fmt);
	err->code = code;
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	return -1;
}

/*
 * Names the field an error is about: err->key, and err->field the name as sent when it is plain
 * text (at most 64 bytes), else "(unprintable)", so a message built from it is safe to log and
 * show. Returns the key (KEY__MAX when unknown).
 */
static enum key name_field(struct form_error *err, const char *kname, size_t kn)
{
	size_t sn = kn < 64 ? kn : 64;
	if (charset(kname, sn, "A_-"))
		snprintf(err->field, sizeof err->field, "%.*s", (int)sn, kname);
	else
		snprintf(err->field, sizeof err->field, "(unprintable)");
	err->key = form_key_lookup(kname, kn);
	return err->key;
}

/* Checks one decoded (key, value) pair and stores it. */
static int store(arena_t *a, const char *kname, size_t kn, const char *val, size_t vn,
		 keyset_t allowed, struct form *out, struct form_error *err)
{
	enum key k = name_field(err, kname, kn);
	const char *shown = err->field;
	if (k == KEY__MAX || !(allowed & K(k)))
		return fail(err, FORM_UNKNOWN_KEY, "unknown field '%s'", shown);
	/* An empty value is an absent value: HTML forms send every field, filled in or not. */
	if (vn == 0)
		return 0;
	if (out->v[k] && form_keys[k].multi) {
		/* Repeated checkbox: join with ',' and validate the whole list below. */
		char *joined = arena_alloc(a, out->n[k] + 1 + vn + 1);
		memcpy(joined, out->v[k], out->n[k]);
		joined[out->n[k]] = ',';
		memcpy(joined + out->n[k] + 1, val, vn);
		joined[out->n[k] + 1 + vn] = '\0';
		val = joined;
		vn = out->n[k] + 1 + vn;
		out->v[k] = NULL;
	}
	if (out->v[k])
		return fail(err, FORM_DUPLICATE, "field '%s' given more than once", shown);
	if (!utf8_valid_text(val, vn))
		return fail(err, FORM_BAD_UTF8, "field '%s' is not valid UTF-8 text", shown);
	if (vn > form_keys[k].maxlen) {
		err->code = FORM_TOO_LONG;
		err->maxlen = form_keys[k].maxlen;
		snprintf(err->msg, sizeof err->msg, "field '%s' is too long (at most %zu bytes)",
			 shown, form_keys[k].maxlen);
		return -1;
	}
	if (!form_keys[k].valid(val, vn)) {
		err->code = FORM_INVALID;
		snprintf(err->msg, sizeof err->msg, "field '%s' must be %s", shown,
			 form_keys[k].what);
		return -1;
	}
	out->v[k] = arena_strndup(a, val, vn);
	out->n[k] = vn;
	return 0;
}

int form_parse(arena_t *a, const char *data, size_t len, keyset_t allowed, struct form *out,
	       struct form_error *err)
{
	memset(out, 0, sizeof *out);
	memset(err, 0, sizeof *err);
	err->key = KEY__MAX;
	size_t i = 0;
	while (i < len) {
		size_t end = i;
		while (end < len && data[end] != '&')
			end++;
		if (end > i) {
			const char *pair = data + i;
			size_t pn = end - i;
			const char *eq = memchr(pair, '=', pn);
			size_t kn = eq ? (size_t)(eq - pair) : pn;
			const char *raw_v = eq ? eq + 1 : pair + pn;
			size_t vn = eq ? pn - kn - 1 : 0;
			char *key = arena_alloc(a, kn + 1);
			char *val = arena_alloc(a, vn + 1);
			long kd = pct_decode(pair, kn, key);
			long vd = pct_decode(raw_v, vn, val);
			if (kd < 0 || vd < 0)
				return fail(err, FORM_BAD_ENCODING, "malformed percent-encoding");
			if (store(a, key, (size_t)kd, val, (size_t)vd, allowed, out, err) < 0)
				return -1;
		}
		i = end + 1;
	}
	return 0;
}

int form_parse_json(arena_t *a, const char *data, size_t len, keyset_t allowed, struct form *out,
		    struct form_error *err)
{
	memset(out, 0, sizeof *out);
	memset(err, 0, sizeof *err);
	err->key = KEY__MAX;
	if (!utf8_valid_text(data, len))
		return fail(err, FORM_BAD_UTF8, "request body is not valid UTF-8 text");
	json_error_t jerr;
	json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return fail(err, FORM_BAD_ENCODING, "request body is not valid JSON");
	int rc = 0;
	if (!json_is_object(root)) {
		rc = fail(err, FORM_NOT_OBJECT, "request body must be a JSON object");
		goto out;
	}
	const char *key;
	json_t *value;
	json_object_foreach(root, key, value) {
		char num[32];
		const char *s;
		size_t sn;
		if (json_is_string(value)) {
			s = json_string_value(value);
			sn = json_string_length(value);
		} else if (json_is_integer(value)) {
			snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(value));
			s = num;
			sn = strlen(num);
		} else if (json_is_boolean(value)) {
			s = json_is_true(value) ? "true" : "false";
			sn = strlen(s);
		} else if (json_is_null(value)) {
			/* null means absent, but only for a key the route accepts. */
			enum key k = name_field(err, key, strlen(key));
			if (k == KEY__MAX || !(allowed & K(k))) {
				rc = fail(err, FORM_UNKNOWN_KEY, "unknown field '%s'", err->field);
				goto out;
			}
			continue;
		} else {
			name_field(err, key, strlen(key));
			rc = fail(err, FORM_INVALID, "field '%s' must be a string or a number", err->field);
			goto out;
		}
		if (memchr(s, '\0', sn)) {
			rc = fail(err, FORM_BAD_UTF8, "a field contains a NUL byte");
			goto out;
		}
		if (store(a, key, strlen(key), s, sn, allowed, out, err) < 0) {
			rc = -1;
			goto out;
		}
	}
out:
	json_decref(root);
	return rc;
}

int cookie_get(const char *header, const char *name, char *out, size_t outsz)
{
	if (!header)
		return -1;
	size_t nn = strlen(name);
	const char *p = header;
	while (*p) {
		while (*p == ' ' || *p == ';')
			p++;
		const char *end = strchr(p, ';');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *eq = memchr(p, '=', len);
		if (eq && (size_t)(eq - p) == nn && memcmp(p, name, nn) == 0) {
			const char *v = eq + 1;
			size_t vn = len - nn - 1;
			while (vn && v[vn - 1] == ' ')
				vn--;
			if (vn == 0 || vn >= outsz || !charset(v, vn, "A_-"))
				return -1;
			memcpy(out, v, vn);
			out[vn] = '\0';
			return 0;
		}
		if (!end)
			break;
		p = end + 1;
	}
	return -1;
}
