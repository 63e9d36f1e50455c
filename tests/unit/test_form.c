/* Unit tests for src/http/form.c: the request parser every handler relies on. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/form.h"

struct fx {
	arena_t *a;
	struct form f;
	struct form_error e;
};

static int fx_setup(void **state)
{
	struct fx *x = calloc(1, sizeof *x);
	if (!x)
		return -1;
	x->a = arena_new();
	*state = x;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *x = *state;
	arena_free(x->a);
	free(x);
	return 0;
}

/* Parses a NUL-terminated urlencoded string. */
static int parse(struct fx *x, const char *s, keyset_t allowed)
{
	return form_parse(x->a, s, strlen(s), allowed, &x->f, &x->e);
}

static int parse_json(struct fx *x, const char *s, keyset_t allowed)
{
	return form_parse_json(x->a, s, strlen(s), allowed, &x->f, &x->e);
}

#define ALL_KEYS (((keyset_t)1 << KEY__MAX) - 1)

/* ---------------- form_parse ---------------- */

/* Plain pairs land in their slots with their lengths; absent keys stay NULL. */
static void parse_pairs(void **state)
{
	struct fx *x = *state;
	assert_int_equal(parse(x, "username=kari&role=leder", K(KEY_USERNAME) | K(KEY_ROLE)), 0);
	assert_int_equal(x->e.code, FORM_OK);
	assert_string_equal(x->f.v[KEY_USERNAME], "kari");
	assert_int_equal(x->f.n[KEY_USERNAME], 4);
	assert_string_equal(x->f.v[KEY_ROLE], "leder");
	assert_int_equal(x->f.n[KEY_ROLE], 5);
	assert_null(x->f.v[KEY_PASSWORD]);
	assert_null(x->f.v[KEY_CSRF]);
}

/* An empty body and stray '&' separators are harmless. */
static void parse_empty_and_stray_separators(void **state)
{
	struct fx *x = *state;
	assert_int_equal(parse(x, "", ALL_KEYS), 0);
	for (int k = 0; k < KEY__MAX; k++)
		assert_null(x->f.v[k]);
	assert_int_equal(parse(x, "&&role=leder&&", K(KEY_ROLE)), 0);
	assert_string_equal(x->f.v[KEY_ROLE], "leder");
}

/* '+' decodes to a space (HTML form encoding), '%2B' to a literal plus. */
static void parse_plus_is_space(void **state)
{
	struct fx *x = *state;
	assert_int_equal(parse(x, "name=Kari+Nordmann", K(KEY_NAME)), 0);
	assert_string_equal(x->f.v[KEY_NAME], "Kari Nordmann");
	assert_int_equal(parse(x, "name=a%2Bb", K(KEY_NAME)), 0);
	assert_string_equal(x->f.v[KEY_NAME], "a+b");
}

/* %xx decodes in upper and lower case, including multi-byte UTF-8, in keys too. */
static void parse_percent_decoding(void **state)
{
	struct fx *x = *state;
	assert_int_equal(parse(x, "name=Bj%C3%B8rn%20%26%3D%25", K(KEY_NAME)), 0);
	assert_string_equal(x->f.v[KEY_NAME], "Bj\xC3\xB8rn &=%");
	assert_int_equal(x->f.n[KEY_NAME], 10);
	assert_int_equal(parse(x, "name=%c3%b8", K(KEY_NAME)), 0);
	assert_string_equal(x->f.v[KEY_NAME], "\xC3\xB8");
	assert_int_equal(parse(x, "%72ole=leder", K(KEY_ROLE)), 0); /* "%72" is 'r' */
	assert_string_equal(x->f.v[KEY_ROLE], "leder");
}

/* An empty value means "not filled in": the slot stays NULL, and no error. */
static void parse_empty_value_is_absent(void **state)
{
	struct fx *x = *state;
	assert_int_equal(parse(x, "username=&role=leder&name", K(KEY_USERNAME) | K(KEY_ROLE) | K(KEY_NAME)), 0);
	assert_null(x->f.v[KEY_USERNAME]);
	assert_int_equal(x->f.n[KEY_USERNAME], 0);
	assert_null(x->f.v[KEY_NAME]);
	assert_string_equal(x->f.v[KEY_ROLE], "leder");
}

/* A key we do not know is refused, even with an empty value; the key is named, the value not. */
static void parse_unknown_key(void **state)
{
	struct fx *x = *state;
	assert_int_equal(parse(x, "foo=SECRETVALUE", ALL_KEYS), -1);
	assert_int_equal(x->e.code, FORM_UNKNOWN_KEY);
	assert_non_null(strstr(x->e.msg, "foo"));
	assert_null(strstr(x->e.msg, "SECRETVALUE"));
	assert_int_equal(parse(x, "foo=", ALL_KEYS), -1);
	assert_int_equal(x->e.code, FORM_UNKNOWN_KEY);
	/* An unprintable key is not echoed either. */
	assert_int_equal(parse(x, "%3Cscript%3E=1", ALL_KEYS), -1);
	assert_int_equal(x->e.code, FORM_UNKNOWN_KEY);
	assert_null(strchr(x->e.msg, '<'));
}

/* A known key that the route does not accept is refused like an unknown one. */
static void parse_key_not_allowed(void **state)
{
	struct fx *x = *state;
	assert_int_equal(parse(x, "username=kari&role=admin", K(KEY_USERNAME)), -1);
	assert_int_equal(x->e.code, FORM_UNKNOWN_KEY);
	assert_non_null(strstr(x->e.msg, "role"));
	assert_int_equal(parse(x, "role=admin", 0), -1);
	assert_int_equal(x->e.code, FORM_UNKNOWN_KEY);
}

/* The same key twice is refused, also when spelled with percent-encoding. */
static void parse_duplicate(void **state)
{
	struct fx *x = *state;
	assert_int_equal(parse(x, "role=leder&role=admin", K(KEY_ROLE)), -1);
	assert_int_equal(x->e.code, FORM_DUPLICATE);
	assert_null(strstr(x->e.msg, "leder"));
	assert_null(strstr(x->e.msg, "admin"));
	assert_int_equal(parse(x, "role=leder&%72ole=admin", K(KEY_ROLE)), -1);
	assert_int_equal(x->e.code, FORM_DUPLICATE);
}

/* Truncated or non-hex percent escapes are refused, in values and in keys. */
static void parse_bad_encoding(void **state)
{
	struct fx *x = *state;
	static const char *const cases[] = {
		"name=%", "name=%4", "name=%zz", "name=%4g", "name=ab%", "name=ab%4", "na%zzme=x", "%=x",
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int rc = parse(x, cases[i], ALL_KEYS);
		if (rc != -1 || x->e.code != FORM_BAD_ENCODING)
			fail_msg("'%s': rc %d code %d, want FORM_BAD_ENCODING", cases[i], rc, x->e.code);
	}
	/* The body's length bounds decoding: bytes after it (here "1") are not part of "%4". */
	assert_int_equal(form_parse(x->a, "name=%41", 7, ALL_KEYS, &x->f, &x->e), -1);
	assert_int_equal(x->e.code, FORM_BAD_ENCODING);
}

/* Decoded values must be UTF-8 text without NUL, C0 (but tab/CR/LF) or C1 controls. */
static void parse_bad_utf8(void **state)
{
	struct fx *x = *state;
	static const char *const cases[] = {
		"name=SECRET%C3%28",     /* bad continuation byte */
		"name=SECRET%C0%AF",     /* overlong '/' */
		"name=SECRET%E0%80%AF",  /* overlong, three bytes */
		"name=SECRET%ED%A0%80",  /* UTF-16 surrogate */
		"name=SECRET%00x",       /* NUL */
		"name=SECRET%C2%85",     /* C1 control NEL */
		"name=SECRET%1B%5B2J",   /* ESC: terminal escape */
		"name=SECRET%7F",        /* DEL */
		"name=SECRET%FF",        /* never valid in UTF-8 */
		"name=SECRET%F4%90%80%80", /* above U+10FFFF */
		"name=SECRET%C3",        /* truncated sequence */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int rc = parse(x, cases[i], K(KEY_NAME));
		if (rc != -1 || x->e.code != FORM_BAD_UTF8)
			fail_msg("'%s': rc %d code %d, want FORM_BAD_UTF8", cases[i], rc, x->e.code);
		assert_null(strstr(x->e.msg, "SECRET"));
		assert_null(x->f.v[KEY_NAME]);
	}
}

/* Each length limit is exact: maxlen bytes (after decoding) pass, maxlen+1 are FORM_TOO_LONG. */
static void parse_length_limits(void **state)
{
	struct fx *x = *state;
	static const struct {
		enum key k;
		char prefix; /* first byte, then fill */
		char fill;
	} cases[] = {
		{KEY_CSRF, 'a', 'a'},     {KEY_USERNAME, 'a', 'a'}, {KEY_PASSWORD, 'a', 'a'},
		{KEY_NEW_PASSWORD, 'a', 'a'}, {KEY_UNIT, 'a', 'a'}, {KEY_CODE, 'a', 'a'},
		{KEY_NAME, 'a', 'a'},     {KEY_PARENT, 'a', 'a'},   {KEY_NEXT, '/', 'a'},
		{KEY_Q, 'a', 'a'},        {KEY_LIMIT, '1', '1'},    {KEY_PURPOSE, 'a', 'a'},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct keydef *d = &form_keys[cases[i].k];
		size_t kn = strlen(d->name);
		size_t cap = kn + 1 + d->maxlen + 2;
		char *body = malloc(cap);
		assert_non_null(body);
		memcpy(body, d->name, kn);
		body[kn] = '=';
		body[kn + 1] = cases[i].prefix;
		memset(body + kn + 2, cases[i].fill, d->maxlen); /* value of maxlen + 1 bytes */
		body[kn + 1 + d->maxlen + 1] = '\0';

		int rc = form_parse(x->a, body, strlen(body) - 1, K(cases[i].k), &x->f, &x->e);
		if (rc != 0)
			fail_msg("%s at maxlen %zu: rc %d (%s)", d->name, d->maxlen, rc, x->e.msg);
		assert_int_equal(x->f.n[cases[i].k], d->maxlen);

		rc = form_parse(x->a, body, strlen(body), K(cases[i].k), &x->f, &x->e);
		if (rc != -1 || x->e.code != FORM_TOO_LONG)
			fail_msg("%s at maxlen+1: rc %d code %d", d->name, rc, x->e.code);
		assert_null(strstr(x->e.msg, "aaaaaaa"));
		free(body);
	}
}

/* The limit counts decoded bytes: 100 x "ø" (200 bytes, 600 encoded) fits name's 200. */
static void parse_length_counts_decoded_bytes(void **state)
{
	struct fx *x = *state;
	char body[5 + 6 * 101 + 1] = "name=";
	for (int i = 0; i < 100; i++)
		strcat(body, "%C3%B8");
	assert_int_equal(parse(x, body, K(KEY_NAME)), 0);
	assert_int_equal(x->f.n[KEY_NAME], 200);
	strcat(body, "%C3%B8");
	assert_int_equal(parse(x, body, K(KEY_NAME)), -1);
	assert_int_equal(x->e.code, FORM_TOO_LONG);
}

/* A value that fails its validator is FORM_INVALID, and the message never echoes it. */
static void parse_invalid_value(void **state)
{
	struct fx *x = *state;
	static const struct {
		const char *body;
		const char *secret;
	} cases[] = {
		{"role=bossSECRET", "boss"},
		{"username=KariSECRET", "Kari"},
		{"limit=12SECRET", "12SECRET"},
		{"next=%2F%2Fevil.com", "evil"},
		{"kind=castleSECRET", "castle"},
		{"name=+SECRET", "SECRET"},
		{"lang=de", "de"},
		{"format=xml", "xml"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int rc = parse(x, cases[i].body, ALL_KEYS);
		if (rc != -1 || x->e.code != FORM_INVALID)
			fail_msg("'%s': rc %d code %d, want FORM_INVALID", cases[i].body, rc, x->e.code);
		if (strstr(x->e.msg, cases[i].secret))
			fail_msg("'%s': message echoes the value: %s", cases[i].body, x->e.msg);
	}
	assert_int_equal(parse(x, "role=boss", K(KEY_ROLE)), -1);
	assert_int_equal(x->e.code, FORM_INVALID);
	assert_non_null(strstr(x->e.msg, "role"));
}

/* A failed parse exposes no half-parsed value from an earlier call. */
static void parse_resets_output(void **state)
{
	struct fx *x = *state;
	assert_int_equal(parse(x, "role=leder", K(KEY_ROLE)), 0);
	assert_int_equal(parse(x, "username=kari", K(KEY_USERNAME)), 0);
	assert_null(x->f.v[KEY_ROLE]);
	assert_int_equal(x->e.code, FORM_OK);
	assert_string_equal(x->e.msg, "");
}

/* Every key in the table has a name, validator, limit and description, and is found by name. */
static void key_table_complete(void **state)
{
	(void)state;
	for (int k = 0; k < KEY__MAX; k++) {
		const struct keydef *d = &form_keys[k];
		assert_non_null(d->name);
		assert_non_null(d->valid);
		assert_true(d->maxlen > 0);
		assert_non_null(d->what);
		assert_int_equal(form_key_lookup(d->name, strlen(d->name)), k);
	}
	assert_int_equal(form_key_lookup("user", 4), KEY__MAX);
	assert_int_equal(form_key_lookup("usernamex", 9), KEY__MAX);
	assert_int_equal(form_key_lookup("username", 4), KEY__MAX); /* only the given length counts */
	assert_int_equal(form_key_lookup("", 0), KEY__MAX);
}

/* ---------------- form_parse_json ---------------- */

/* A flat object of strings parses like a form, with \u escapes decoded. */
static void json_object_ok(void **state)
{
	struct fx *x = *state;
	assert_int_equal(parse_json(x, "{\"username\":\"kari\",\"name\":\"Bj\\u00f8rn\"}",
				    K(KEY_USERNAME) | K(KEY_NAME)),
			 0);
	assert_string_equal(x->f.v[KEY_USERNAME], "kari");
	assert_string_equal(x->f.v[KEY_NAME], "Bj\xC3\xB8rn");
	assert_int_equal(x->f.n[KEY_NAME], 6);
	/* Pretty-printed bodies (newlines between members) are fine. */
	assert_int_equal(parse_json(x, "{\n  \"role\": \"leder\"\n}\n", K(KEY_ROLE)), 0);
	assert_string_equal(x->f.v[KEY_ROLE], "leder");
}

/* Integers are taken as their decimal text, then validated; null is absent. */
static void json_integers_as_text(void **state)
{
	struct fx *x = *state;
	assert_int_equal(parse_json(x, "{\"limit\": 25, \"q\": null}", K(KEY_LIMIT) | K(KEY_Q)), 0);
	assert_string_equal(x->f.v[KEY_LIMIT], "25");
	assert_int_equal(x->f.n[KEY_LIMIT], 2);
	assert_null(x->f.v[KEY_Q]);
	assert_int_equal(parse_json(x, "{\"limit\": -5}", K(KEY_LIMIT)), -1);
	assert_int_equal(x->e.code, FORM_INVALID);
	assert_int_equal(parse_json(x, "{\"limit\": 1.5}", K(KEY_LIMIT)), -1);
	assert_int_equal(x->e.code, FORM_INVALID);
}

/* Nested objects and arrays as values are refused. */
static void json_nested_refused(void **state)
{
	struct fx *x = *state;
	assert_int_equal(parse_json(x, "{\"name\": {\"a\": \"b\"}}", K(KEY_NAME)), -1);
	assert_int_equal(x->e.code, FORM_INVALID);
	assert_int_equal(parse_json(x, "{\"name\": [\"a\"]}", K(KEY_NAME)), -1);
	assert_int_equal(x->e.code, FORM_INVALID);
	assert_null(x->f.v[KEY_NAME]);
}

/* A refused JSON member is named like a form field: err->field and err->key say which, and the
 * message echoes the name only as plain text (found by tests/fuzz/fuzz_json.c). */
static void json_refusal_names_field(void **state)
{
	struct fx *x = *state;
	assert_int_equal(parse_json(x, "{\"q\":\"a\",\"note\":[1]}", K(KEY_Q) | K(KEY_NOTE)), -1);
	assert_int_equal(x->e.code, FORM_INVALID);
	assert_string_equal(x->e.field, "note");
	assert_int_equal(x->e.key, KEY_NOTE);
	assert_int_equal(parse_json(x, "{\"q\":\"a\",\"foo\":null}", K(KEY_Q)), -1);
	assert_int_equal(x->e.code, FORM_UNKNOWN_KEY);
	assert_string_equal(x->e.field, "foo");
	assert_int_equal(x->e.key, KEY__MAX);
	/* 64 plain bytes, then a line break and markup: the whole name used to be echoed; now only
	 * the plain 64 are, as for a form field. */
	static const char a64[] = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
	char body[160];
	snprintf(body, sizeof body, "{\"%s\\n<b>x</b>\":null}", a64);
	assert_int_equal(parse_json(x, body, ALL_KEYS), -1);
	assert_int_equal(x->e.code, FORM_UNKNOWN_KEY);
	assert_null(strchr(x->e.msg, '\n'));
	assert_null(strchr(x->e.msg, '<'));
	assert_string_equal(x->e.field, a64);
}

/* The body must be an object: arrays and bare values are refused. */
static void json_non_object_refused(void **state)
{
	struct fx *x = *state;
	assert_int_equal(parse_json(x, "[\"role\", \"leder\"]", ALL_KEYS), -1);
	assert_int_equal(x->e.code, FORM_NOT_OBJECT);
	static const char *const bare[] = {"\"leder\"", "42", "true", "null"};
	for (size_t i = 0; i < sizeof bare / sizeof bare[0]; i++) {
		assert_int_equal(parse_json(x, bare[i], ALL_KEYS), -1);
		assert_int_not_equal(x->e.code, FORM_OK);
	}
}

/* The same member twice is refused, so no "first" or "last wins" ambiguity. */
static void json_duplicate_refused(void **state)
{
	struct fx *x = *state;
	assert_int_equal(parse_json(x, "{\"role\":\"leder\",\"role\":\"admin\"}", K(KEY_ROLE)), -1);
	assert_int_not_equal(x->e.code, FORM_OK);
}

/* Broken JSON is refused with FORM_BAD_ENCODING. */
static void json_invalid_refused(void **state)
{
	struct fx *x = *state;
	static const char *const cases[] = {
		"", "{", "{\"role\":", "{\"role\":\"leder\"", "{role:\"leder\"}", "{\"role\":'leder'}",
		"{\"role\":\"leder\"} trailing",
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int rc = parse_json(x, cases[i], K(KEY_ROLE));
		if (rc != -1 || x->e.code != FORM_BAD_ENCODING)
			fail_msg("'%s': rc %d code %d, want FORM_BAD_ENCODING", cases[i], rc, x->e.code);
	}
}

/* A NUL smuggled in as \u0000 (value or key) never reaches a handler. */
static void json_nul_refused(void **state)
{
	struct fx *x = *state;
	assert_int_equal(parse_json(x, "{\"name\":\"a\\u0000b\"}", K(KEY_NAME)), -1);
	assert_int_not_equal(x->e.code, FORM_OK);
	assert_null(x->f.v[KEY_NAME]);
	assert_int_equal(parse_json(x, "{\"name\\u0000x\":\"a\"}", K(KEY_NAME)), -1);
	assert_int_not_equal(x->e.code, FORM_OK);
}

/* Controls and bad UTF-8 are refused in JSON as in forms. */
static void json_bad_text_refused(void **state)
{
	struct fx *x = *state;
	assert_int_equal(parse_json(x, "{\"name\":\"a\\u0085b\"}", K(KEY_NAME)), -1);
	assert_int_equal(x->e.code, FORM_BAD_UTF8);
	assert_int_equal(parse_json(x, "{\"name\":\"a\xC3\x28\"}", K(KEY_NAME)), -1);
	assert_int_equal(x->e.code, FORM_BAD_UTF8);
	assert_int_equal(parse_json(x, "{\"name\":\"a\\u001bb\"}", K(KEY_NAME)), -1);
	assert_int_equal(x->e.code, FORM_BAD_UTF8);
}

/* Unknown and not-allowed members are refused with FORM_UNKNOWN_KEY. */
static void json_unknown_key_refused(void **state)
{
	struct fx *x = *state;
	assert_int_equal(parse_json(x, "{\"foo\":\"SECRET\"}", ALL_KEYS), -1);
	assert_int_equal(x->e.code, FORM_UNKNOWN_KEY);
	assert_null(strstr(x->e.msg, "SECRET"));
	assert_int_equal(parse_json(x, "{\"username\":\"kari\",\"role\":\"admin\"}", K(KEY_USERNAME)), -1);
	assert_int_equal(x->e.code, FORM_UNKNOWN_KEY);
	/* null is "absent", but only for a key the route takes: an unknown one is still refused. */
	assert_int_equal(parse_json(x, "{\"foo\":null}", ALL_KEYS), -1);
	assert_int_equal(x->e.code, FORM_UNKNOWN_KEY);
	assert_int_equal(parse_json(x, "{\"name\":null}", K(KEY_NAME)), 0);
	assert_null(x->f.v[KEY_NAME]);
}

/* ---------------- cookie_get ---------------- */

/* The named cookie is found among several, wherever it stands. */
static void cookie_found_among_several(void **state)
{
	(void)state;
	char out[64];
	assert_int_equal(cookie_get("a=1; elevlos_session=abcDEF_-123; b=2", "elevlos_session", out, sizeof out), 0);
	assert_string_equal(out, "abcDEF_-123");
	assert_int_equal(cookie_get("elevlos_session=first", "elevlos_session", out, sizeof out), 0);
	assert_string_equal(out, "first");
	assert_int_equal(cookie_get("a=1;b=2;elevlos_lang=en", "elevlos_lang", out, sizeof out), 0);
	assert_string_equal(out, "en");
	assert_int_equal(cookie_get("a=1; elevlos_lang=en  ", "elevlos_lang", out, sizeof out), 0);
	assert_string_equal(out, "en");
}

/* A cookie whose name merely contains ours (prefix or suffix) is not ours. */
static void cookie_similar_names_ignored(void **state)
{
	(void)state;
	char out[64];
	assert_int_equal(cookie_get("xelevlos_session=evil", "elevlos_session", out, sizeof out), -1);
	assert_int_equal(cookie_get("elevlos_session_x=evil", "elevlos_session", out, sizeof out), -1);
	assert_int_equal(cookie_get("xelevlos_session=evil; elevlos_session=good", "elevlos_session", out, sizeof out), 0);
	assert_string_equal(out, "good");
	assert_int_equal(cookie_get("a=elevlos_session=evil", "elevlos_session", out, sizeof out), -1);
}

/* Values with characters outside [A-Za-z0-9_-], empty values and too-long values are refused. */
static void cookie_bad_values_refused(void **state)
{
	(void)state;
	char out[8];
	static const char *const bad[] = {
		"s=ab%cd", "s=a b", "s=a\"b", "s=a,b", "s=<x>", "s=", "s=a=b", "s=\xC3\xB8",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (cookie_get(bad[i], "s", out, sizeof out) != -1)
			fail_msg("'%s' accepted", bad[i]);
	assert_int_equal(cookie_get("s=1234567", "s", out, sizeof out), 0); /* 7 bytes + NUL fit */
	assert_string_equal(out, "1234567");
	assert_int_equal(cookie_get("s=12345678", "s", out, sizeof out), -1);
}

/* No such cookie, or no Cookie header at all, is -1. */
static void cookie_absent(void **state)
{
	(void)state;
	char out[32];
	assert_int_equal(cookie_get("a=1; b=2", "elevlos_session", out, sizeof out), -1);
	assert_int_equal(cookie_get("", "elevlos_session", out, sizeof out), -1);
	assert_int_equal(cookie_get(";;  ;", "elevlos_session", out, sizeof out), -1);
	assert_int_equal(cookie_get("elevlos_session", "elevlos_session", out, sizeof out), -1);
	assert_int_equal(cookie_get(NULL, "elevlos_session", out, sizeof out), -1);
}

/* ---------------- pct_decode ---------------- */

/* pct_decode returns the decoded length and NUL-terminates; malformed escapes are -1. */
static void pct_decode_cases(void **state)
{
	(void)state;
	char out[64];
	assert_int_equal(pct_decode("a+b%20c%2B", 10, out), 6);
	assert_string_equal(out, "a b c+");
	assert_int_equal(pct_decode("%41%62", 6, out), 2);
	assert_string_equal(out, "Ab");
	assert_int_equal(pct_decode("%c3%B8", 6, out), 2);
	assert_memory_equal(out, "\xC3\xB8", 3);
	assert_int_equal(pct_decode("", 0, out), 0);
	assert_string_equal(out, "");
	assert_int_equal(pct_decode("%00", 3, out), 1); /* decoding allows NUL; validation refuses it */
	assert_int_equal(out[0], 0);
	assert_int_equal(pct_decode("abc%41xyz", 4, out), -1); /* n bounds the input: "%" cut short */
	assert_int_equal(pct_decode("ab%41", 4, out), -1);      /* "%4" cut short; '1' is past n */
	assert_int_equal(pct_decode("%41", 2, out), -1);
	assert_int_equal(pct_decode("%41", 3, out), 1);
	static const char *const bad[] = {"%", "%4", "%zz", "%4z", "%z4", "ab%", "ab%4", "%%41", "% 41"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (pct_decode(bad[i], strlen(bad[i]), out) != -1)
			fail_msg("pct_decode('%s') accepted", bad[i]);
}

/* ---------------- validators ---------------- */

struct vcase {
	const char *v;
	int ok;
};

static void check_validator(const char *name, validator_fn fn, const struct vcase *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int got = fn(c[i].v, strlen(c[i].v)) ? 1 : 0;
		if (got != c[i].ok)
			fail_msg("%s(\"%s\") = %d, want %d", name, c[i].v, got, c[i].ok);
	}
}

#define CHECK(fn, cases) check_validator(#fn, fn, cases, sizeof cases / sizeof cases[0])
#define S64 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

/* Usernames: 2-64 of a-z 0-9 . _ -, not starting with '.' or '-'. */
static void validator_username(void **state)
{
	(void)state;
	static const struct vcase c[] = {
		{"kari", 1}, {"ab", 1}, {"kari.n_o-1", 1}, {"0day", 1}, {"_x", 1}, {S64, 1},
		{"", 0}, {"a", 0}, {S64 "a", 0}, {".kari", 0}, {"-kari", 0}, {"Kari", 0},
		{"kari nord", 0}, {"k\xC3\xA5ri", 0}, {"kari@x", 0}, {"kari/..", 0},
	};
	CHECK(valid_username, c);
	assert_false(valid_username("ka\0ri", 5));
}

/* Passwords: any non-empty UTF-8 text on one line. */
static void validator_password(void **state)
{
	(void)state;
	static const struct vcase c[] = {
		{"x", 1}, {"correct horse battery", 1}, {"\xC3\xA6\xC3\xB8\xC3\xA5 secret!", 1},
		{"tab\tinside", 1}, {"", 0}, {"a\nb", 0}, {"a\rb", 0}, {"\xC3\x28", 0}, {"a\x01", 0},
	};
	CHECK(valid_password, c);
	assert_false(valid_password("a\0b", 3));
}

/* Tokens: 16-128 of base64url. */
static void validator_token(void **state)
{
	(void)state;
	static const struct vcase c[] = {
		{"AAAAbbbb0000____", 1}, {"abcdefghijklmno-", 1}, {S64 S64, 1},
		{"abcdefghijklmno", 0}, {S64 S64 "a", 0}, {"abcdefghijklmnop=", 0},
		{"abcdefghijklmn+/", 0}, {"abcdefghijklmno.", 0}, {"abcdefghijklmno ", 0}, {"", 0},
	};
	CHECK(valid_token, c);
}

/* Roles: exactly one of the five names. */
static void validator_role(void **state)
{
	(void)state;
	static const struct vcase c[] = {
		{"veileder", 1}, {"radgiver", 1}, {"leder", 1}, {"analytiker", 1}, {"admin", 1},
		{"boss", 0}, {"Admin", 0}, {"admin ", 0}, {"adm", 0}, {"adminx", 0}, {"", 0},
		{"r\xC3\xA5" "dgiver", 0},
	};
	CHECK(valid_role, c);
}

/* Unit codes: 1-32 of A-Z a-z 0-9 _ -. */
static void validator_code(void **state)
{
	(void)state;
	static const struct vcase c[] = {
		{"P-JESSHEIM", 1}, {"03", 1}, {"a_b", 1}, {"x", 1}, {"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345", 1},
		{"", 0}, {"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456", 0}, {"P JESS", 0}, {"P/1", 0},
		{"P.1", 0}, {"\xC3\xB8", 0},
	};
	CHECK(valid_code, c);
}

/* Text lines: UTF-8 text, no tab/CR/LF, no leading or trailing blank. */
static void validator_text_line(void **state)
{
	(void)state;
	static const struct vcase c[] = {
		{"Kari Nordmann", 1}, {"Bj\xC3\xB8rn", 1}, {"x", 1}, {"<b>&</b>", 1},
		{" Kari", 0}, {"Kari ", 0}, {" ", 0}, {"a\tb", 0}, {"\tKari", 0}, {"a\nb", 0},
		{"a\rb", 0}, {"", 0}, {"a\xC2\x85" "b", 0}, {"a\x01", 0}, {"a\x7f", 0}, {"\xC3\x28", 0},
	};
	CHECK(valid_text_line, c);
}

/* Unit kinds: one of the five kinds. */
static void validator_unit_kind(void **state)
{
	(void)state;
	static const struct vcase c[] = {
		{"nation", 1}, {"county", 1}, {"pilot", 1}, {"school", 1}, {"nav_office", 1},
		{"office", 0}, {"School", 0}, {"nav-office", 0}, {"", 0}, {"schools", 0},
	};
	CHECK(valid_unit_kind, c);
}

/* Redirect targets: only local absolute paths, never another host or a scheme. */
static void validator_local_path(void **state)
{
	(void)state;
	static const struct vcase c[] = {
		{"/", 1}, {"/users/kari", 1}, {"/units?q=x&limit=5", 1}, {"/a-b_c.d", 1},
		{"//evil.com", 0}, {"/\\evil", 0}, {"http://x", 0}, {"https://evil.com/", 0},
		{"", 0}, {"users", 0}, {"/a b", 0}, {"/a\"b", 0}, {"/<script>", 0}, {"/%2F", 0},
		{"/javascript:alert(1)", 0}, {"\\\\evil", 0}, {"/x\r\nLocation: //evil", 0},
	};
	CHECK(valid_local_path, c);
}

/* Languages: nb or en. */
static void validator_lang(void **state)
{
	(void)state;
	static const struct vcase c[] = {
		{"nb", 1}, {"en", 1}, {"no", 0}, {"NB", 0}, {"", 0}, {"nbx", 0}, {"e", 0},
	};
	CHECK(valid_lang, c);
}

/* Export formats: the five we produce. */
static void validator_format(void **state)
{
	(void)state;
	static const struct vcase c[] = {
		{"html", 1}, {"json", 1}, {"csv", 1}, {"xlsx", 1}, {"pdf", 1},
		{"xml", 0}, {"", 0}, {"HTML", 0}, {"pdfx", 0}, {"htm", 0},
	};
	CHECK(valid_format, c);
}

/* A school year, or a period of whole school years (statistics releases). */
static void validator_school_period(void **state)
{
	(void)state;
	static const struct vcase c[] = {
		{"2017/18", 1}, {"2014/15-2017/18", 1}, {"2017/18-2017/18", 1}, {"1999/00", 1},
		{"2017/19", 0}, {"2017/18-2014/15", 0}, {"2014/15-2017/19", 0}, {"2014/15–2017/18", 0},
		{"2014/15 2017/18", 0}, {"2014/15-2017/1", 0}, {"2014-15", 0}, {"", 0}, {"2014/15-", 0},
	};
	CHECK(valid_school_period, c);
}

/* Whole numbers: 1-9 ASCII digits, no sign or blank. */
static void validator_uint(void **state)
{
	(void)state;
	static const struct vcase c[] = {
		{"0", 1}, {"25", 1}, {"123456789", 1}, {"000000000", 1},
		{"1234567890", 0}, {"", 0}, {"-1", 0}, {"+1", 0}, {"1a", 0}, {" 1", 0}, {"1.0", 0},
		{"\xD9\xA1", 0}, /* Arabic-Indic digit one */
	};
	CHECK(valid_uint, c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, fx_setup, fx_teardown)
		T(parse_pairs),
		T(parse_empty_and_stray_separators),
		T(parse_plus_is_space),
		T(parse_percent_decoding),
		T(parse_empty_value_is_absent),
		T(parse_unknown_key),
		T(parse_key_not_allowed),
		T(parse_duplicate),
		T(parse_bad_encoding),
		T(parse_bad_utf8),
		T(parse_length_limits),
		T(parse_length_counts_decoded_bytes),
		T(parse_invalid_value),
		T(parse_resets_output),
		cmocka_unit_test(key_table_complete),
		T(json_object_ok),
		T(json_integers_as_text),
		T(json_nested_refused),
		T(json_refusal_names_field),
		T(json_non_object_refused),
		T(json_duplicate_refused),
		T(json_invalid_refused),
		T(json_nul_refused),
		T(json_bad_text_refused),
		T(json_unknown_key_refused),
#undef T
		cmocka_unit_test(cookie_found_among_several),
		cmocka_unit_test(cookie_similar_names_ignored),
		cmocka_unit_test(cookie_bad_values_refused),
		cmocka_unit_test(cookie_absent),
		cmocka_unit_test(pct_decode_cases),
		cmocka_unit_test(validator_username),
		cmocka_unit_test(validator_password),
		cmocka_unit_test(validator_token),
		cmocka_unit_test(validator_role),
		cmocka_unit_test(validator_code),
		cmocka_unit_test(validator_text_line),
		cmocka_unit_test(validator_unit_kind),
		cmocka_unit_test(validator_local_path),
		cmocka_unit_test(validator_lang),
		cmocka_unit_test(validator_format),
		cmocka_unit_test(validator_school_period),
		cmocka_unit_test(validator_uint),
	};
	return cmocka_run_group_tests_name("form", tests, NULL, NULL);
}
