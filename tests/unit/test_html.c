/* Unit tests for src/http/html.c: the one place that turns data into HTML. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "http/html.h"

#ifndef HTML_END
#define HTML_END ((const char *)0)
#endif
/* A NULL attribute value: the attribute is left out. */
#define ABSENT ((const char *)0)

static int buf_setup(void **state)
{
	buf_t *b = malloc(sizeof *b);
	if (!b)
		return -1;
	buf_init(b);
	*state = b;
	return 0;
}

static int buf_teardown(void **state)
{
	buf_t *b = *state;
	buf_free(b);
	free(b);
	return 0;
}

/* Each of the five special characters becomes exactly its entity. */
static void text_escapes_each_special(void **state)
{
	buf_t *b = *state;
	static const struct {
		const char *in, *out;
	} c[] = {
		{"&", "&amp;"}, {"<", "&lt;"}, {">", "&gt;"}, {"\"", "&quot;"}, {"'", "&#39;"},
		{"", ""},
		{"plain text 123", "plain text 123"},
		{"<script>alert('x')</script>", "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"},
		{"a&amp;b", "a&amp;amp;b"}, /* already-escaped text is escaped again, not trusted */
		{"\"><img src=x onerror=y>", "&quot;&gt;&lt;img src=x onerror=y&gt;"},
		{"&&<<", "&amp;&amp;&lt;&lt;"},
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		buf_reset(b);
		html_text(b, c[i].in);
		assert_non_null(b->p);
		assert_string_equal(b->p, c[i].out);
		assert_int_equal(b->len, strlen(c[i].out));
	}
}

/* UTF-8 text (Norwegian letters, emoji) passes through byte for byte. */
static void text_leaves_utf8(void **state)
{
	buf_t *b = *state;
	const char *s = "Bj\xC3\xB8rn \xC3\x86\xC3\x98\xC3\x85 \xF0\x9F\x98\x80 & co";
	html_text(b, s);
	assert_string_equal(b->p, "Bj\xC3\xB8rn \xC3\x86\xC3\x98\xC3\x85 \xF0\x9F\x98\x80 &amp; co");
}

/* A NULL string writes nothing and does not crash; text appends to what is there. */
static void text_null_safe_and_appends(void **state)
{
	buf_t *b = *state;
	html_text(b, NULL);
	assert_int_equal(b->len, 0);
	html_raw(b, "<p>");
	html_text(b, NULL);
	html_text(b, "a<b");
	html_raw(b, "</p>");
	assert_string_equal(b->p, "<p>a&lt;b</p>");
}

/* html_textn stops at n and escapes embedded NUL-free bytes up to there. */
static void textn_respects_length(void **state)
{
	buf_t *b = *state;
	html_textn(b, "<ab>cd", 3);
	assert_string_equal(b->p, "&lt;ab");
	assert_int_equal(b->len, 6);
}

/* Attribute values are escaped, so a value cannot close its quote or the tag. */
static void tag_escapes_attributes(void **state)
{
	buf_t *b = *state;
	html_tag(b, "input", "name", "q", "value", "\"><script>x</script>", HTML_END);
	assert_string_equal(b->p, "<input name=\"q\" value=\"&quot;&gt;&lt;script&gt;x&lt;/script&gt;\">");
	buf_reset(b);
	html_tag(b, "a", "href", "/units?q=a&limit=5", "title", "it's", HTML_END);
	assert_string_equal(b->p, "<a href=\"/units?q=a&amp;limit=5\" title=\"it&#39;s\">");
}

/* A NULL value drops the attribute; "" writes a bare boolean attribute. */
static void tag_null_and_boolean(void **state)
{
	buf_t *b = *state;
	html_tag(b, "input", "type", "checkbox", "checked", ABSENT, "required", "",
		 "name", "x", HTML_END);
	assert_string_equal(b->p, "<input type=\"checkbox\" required name=\"x\">");
	buf_reset(b);
	html_tag(b, "br", HTML_END);
	assert_string_equal(b->p, "<br>");
}

/* html_elem writes open tag, escaped text and close tag; NULL text gives an empty element. */
static void elem_and_close(void **state)
{
	buf_t *b = *state;
	html_elem(b, "a", "Tom & Jerry <3", "href", "/x?a=1&b=2", "class", ABSENT, HTML_END);
	assert_string_equal(b->p, "<a href=\"/x?a=1&amp;b=2\">Tom &amp; Jerry &lt;3</a>");
	buf_reset(b);
	html_elem(b, "td", NULL, HTML_END);
	assert_string_equal(b->p, "<td></td>");
	buf_reset(b);
	html_tag(b, "ul", HTML_END);
	html_elem(b, "li", "x", "hidden", "", HTML_END);
	html_close(b, "ul");
	assert_string_equal(b->p, "<ul><li hidden>x</li></ul>");
}

/* Integers are written as plain decimal, including the extremes. */
static void int_as_text(void **state)
{
	buf_t *b = *state;
	html_int(b, 0);
	html_raw(b, " ");
	html_int(b, -42);
	html_raw(b, " ");
	html_int(b, INT64_MAX);
	html_raw(b, " ");
	html_int(b, INT64_MIN);
	assert_string_equal(b->p, "0 -42 9223372036854775807 -9223372036854775808");
}

static const char *const entities[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&#39;"};
static const char specials[] = "&<>\"'";

/* Inverts html_text, failing the test on any '&' that does not start one of our entities. */
static size_t unescape(const char *s, size_t n, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		if (s[i] == '&') {
			size_t k = 0;
			for (; k < 5; k++)
				if (n - i >= strlen(entities[k]) &&
				    memcmp(s + i, entities[k], strlen(entities[k])) == 0)
					break;
			if (k == 5)
				fail_msg("'&' at offset %zu starts no known entity", i);
			out[o++] = specials[k];
			i += strlen(entities[k]);
		} else {
			out[o++] = s[i++];
		}
	}
	return o;
}

/* For 2000 random byte strings the output has no raw < > " ' and every & starts an entity;
 * unescaping gives back the input exactly. */
static void property_random_strings(void **state)
{
	buf_t *b = *state;
	srand(20260127);
	unsigned char in[128];
	char back[128];
	for (int round = 0; round < 2000; round++) {
		size_t n = (size_t)(rand() % (int)sizeof in);
		for (size_t i = 0; i < n; i++) {
			/* Bias towards the special characters so they appear often. */
			int r = rand() % 8;
			in[i] = r == 0 ? (unsigned char)specials[rand() % 5] : (unsigned char)(rand() % 256);
		}
		buf_reset(b);
		html_textn(b, (const char *)in, n);
		assert_true(b->len >= n);
		assert_true(b->len <= 6 * n);
		for (size_t i = 0; i < b->len; i++) {
			char c = b->p[i];
			if (c == '<' || c == '>' || c == '"' || c == '\'')
				fail_msg("round %d: raw '%c' at offset %zu", round, c, i);
		}
		size_t bn = unescape(b->p, b->len, back);
		assert_int_equal(bn, n);
		assert_memory_equal(back, in, n);
	}
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, buf_setup, buf_teardown)
	const struct CMUnitTest tests[] = {
		T(text_escapes_each_special),
		T(text_leaves_utf8),
		T(text_null_safe_and_appends),
		T(textn_respects_length),
		T(tag_escapes_attributes),
		T(tag_null_and_boolean),
		T(elem_and_close),
		T(int_as_text),
		T(property_random_strings),
	};
#undef T
	return cmocka_run_group_tests_name("html", tests, NULL, NULL);
}
