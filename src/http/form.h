/*
 * Our own parser for application/x-www-form-urlencoded bodies, query strings, cookies and
 * JSON request objects. Every input key has one validator in form_keys[]; a route names the
 * keys it accepts, and anything else is refused, so no handler sees an unvalidated field.
 */
#ifndef ELEVLOS_FORM_H
#define ELEVLOS_FORM_H

#include <stddef.h>
#include <stdint.h>

#include "../core/util.h"

enum key {
	KEY_CSRF,
	KEY_USERNAME,
	KEY_PASSWORD,
	KEY_NEW_PASSWORD,
	KEY_ROLE,
	KEY_UNIT,
	KEY_CODE,
	KEY_NAME,
	KEY_KIND,
	KEY_PARENT,
	KEY_NEXT,
	KEY_LANG,
	KEY_FORMAT,
	KEY_Q,
	KEY_LIMIT,
	KEY_PURPOSE,
	/* the registration record */
	KEY_STUDENT,
	KEY_STUDENT_NAME,
	KEY_FNR,
	KEY_BIRTH_YEAR,
	KEY_GENDER,
	KEY_LEVEL,
	KEY_PROGRAMME,
	KEY_MINORITY,
	KEY_SCHOOL,
	KEY_LIVING,
	KEY_LIVING_FROM,
	KEY_CONSENT_KIND,
	KEY_CONSENT_ON,
	KEY_CONSENT_BY,
	KEY_PARTNER,
	KEY_WITHDRAWN_ON,
	KEY_OPENED_ON,
	KEY_REFERRAL_SOURCE,
	KEY_REFERRED_ON,
	KEY_FIRST_CONTACT_ON,
	KEY_MAIN_REASON,
	KEY_REASONS,
	KEY_ON_DATE,
	KEY_CONTACT_KIND,
	KEY_MINUTES,
	KEY_FOLLOWUPS,
	KEY_NOTE,
	KEY_DECISION,
	KEY_GRANTED,
	KEY_DURATION,
	KEY_MEASURE,
	KEY_SIDE,
	KEY_START_ON,
	KEY_END_ON,
	KEY_PARTNERS,
	KEY_INTERAGENCY,
	KEY_RESPONSIBILITY_GROUP,
	KEY_SCHOOL_YEAR,
	KEY_OUTCOME,
	KEY_CLOSE_REASON,
	KEY_CLOSED_ON,
	KEY_DECLINE_REASON,
	KEY_CASE,
	KEY_OK,
	KEY_ERROR,
	KEY_TRACK,
	KEY_FROM,
	KEY_TO,
	/* the pilot register */
	KEY_STATUS,
	KEY_PROJECT_YEARS,
	KEY_ORGANISATION,
	KEY_MEMBER_ROLE,
	KEY_PROJECT_YEAR,
	KEY_POST,
	KEY_SHARE,
	KEY_SALARY_BASE,
	KEY_AMOUNT,
	KEY_PAID_ON,
	KEY_SHARES,
	KEY_SUMMARY,
	KEY_ACTIVITIES,
	KEY_CHALLENGES,
	KEY_FUNDS,
	KEY_GOAL1,
	KEY_GOAL2,
	KEY_GOAL3,
	KEY_GOAL4,
	KEY_LESSONS,
	KEY_FEEDBACK,
	KEY_VERSION,
	KEY_DIRECTORATE,
	KEY_ERASE,
	KEY_OTP, /* a 6-digit authenticator code or a recovery code */
	KEY__MAX
};

/* 128 bits: one per key (a compiler extension both gcc and clang have). */
typedef unsigned __int128 keyset_t;
_Static_assert(KEY__MAX <= 128, "more keys than a keyset holds");
#define K(k) ((keyset_t)1 << (k))

typedef int (*validator_fn)(const char *v, size_t n);

struct keydef {
	const char *name;
	validator_fn valid;
	size_t maxlen;   /* bytes, after decoding */
	const char *what; /* what a valid value looks like, for error messages */
	int multi;        /* may repeat (checkboxes): values are joined with ',' */
};

extern const struct keydef form_keys[KEY__MAX];

struct form {
	const char *v[KEY__MAX]; /* NULL when absent; NUL-terminated, decoded, validated */
	size_t n[KEY__MAX];
};

enum form_err {
	FORM_OK = 0,
	FORM_UNKNOWN_KEY,
	FORM_BAD_ENCODING,
	FORM_BAD_UTF8,
	FORM_TOO_LONG,
	FORM_INVALID,
	FORM_DUPLICATE,
	FORM_NOT_OBJECT,
};

struct form_error {
	enum form_err code;
	char msg[256];   /* English, safe to show: never echoes the value */
	char field[72];  /* the field's name as sent, when plain text; else "" */
	enum key key;    /* the field's key, KEY__MAX when unknown or none */
	size_t maxlen;   /* FORM_TOO_LONG: the limit */
};

/* The catalogue key describing what a field of key k accepts ("input.what.date"). */
const char *form_what_key(enum key k);

/* Parses "a=1&b=2" (body or query string). Returns 0, or -1 with err filled. */
int form_parse(arena_t *a, const char *data, size_t len, keyset_t allowed, struct form *out,
	       struct form_error *err);

/* Parses a JSON object whose members are strings (or integers/booleans, taken as text). */
int form_parse_json(arena_t *a, const char *data, size_t len, keyset_t allowed, struct form *out,
		    struct form_error *err);

/*
 * Finds cookie `name` in a Cookie header. Copies its value into out when it is 1..outsz-1
 * bytes of [A-Za-z0-9_-] and returns 0; returns -1 when absent or malformed.
 */
int cookie_get(const char *header, const char *name, char *out, size_t outsz);

/* Percent-decodes s[0..n) ('+' is a space) into out (n+1 bytes). Returns the length, or -1. */
long pct_decode(const char *s, size_t n, char *out);

/* Looks up a key by name; returns KEY__MAX when unknown. */
enum key form_key_lookup(const char *name, size_t n);

/* Validators, exported for tests and for the CLI. */
int valid_username(const char *v, size_t n);
int valid_password(const char *v, size_t n);
int valid_token(const char *v, size_t n);
int valid_role(const char *v, size_t n);
int valid_code(const char *v, size_t n);
int valid_text_line(const char *v, size_t n);
int valid_unit_kind(const char *v, size_t n);
int valid_local_path(const char *v, size_t n);
int valid_lang(const char *v, size_t n);
int valid_format(const char *v, size_t n);
int valid_uint(const char *v, size_t n);
int valid_date(const char *v, size_t n);
int valid_code_token(const char *v, size_t n);
int valid_year(const char *v, size_t n);
int valid_school_period(const char *v, size_t n);
int valid_school_year(const char *v, size_t n);
int valid_note(const char *v, size_t n);
int valid_bool(const char *v, size_t n);
int valid_pseudonym(const char *v, size_t n);
int valid_digits(const char *v, size_t n);
int valid_msg_key(const char *v, size_t n);
int valid_otp(const char *v, size_t n);
/* 1 for "1", "on", "true", "yes" (as sent by a checkbox or JSON). */
int form_true(const char *v);

#endif
