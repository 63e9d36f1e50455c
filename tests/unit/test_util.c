/* Unit tests for src/core/util.c: buffers, arenas, UTF-8 checking, hex and time text. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

/* ---------------- buf ---------------- */

/* Appending well past 1 MB keeps every byte, the length and the NUL terminator. */
static void buf_grows_past_1mb(void **state)
{
	(void)state;
	buf_t b;
	buf_init(&b);
	char chunk[1000];
	for (size_t i = 0; i < sizeof chunk; i++)
		chunk[i] = (char)('a' + i % 26);
	size_t total = 0;
	while (total < (1u << 20) + 12345) {
		buf_put(&b, chunk, sizeof chunk);
		total += sizeof chunk;
		assert_int_equal(b.len, total);
		assert_true(b.cap > b.len);
		assert_int_equal(b.p[b.len], '\0');
	}
	for (size_t i = 0; i < total; i++)
		if (b.p[i] != (char)('a' + (i % sizeof chunk) % 26))
			fail_msg("byte %zu wrong", i);
	buf_free(&b);
	assert_null(b.p);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
}

/* One put larger than any doubling step at once works too. */
static void buf_single_large_put(void **state)
{
	(void)state;
	buf_t b;
	buf_init(&b);
	size_t n = 3u << 20;
	char *big = malloc(n);
	assert_non_null(big);
	memset(big, 'x', n);
	buf_puts(&b, "<");
	buf_put(&b, big, n);
	buf_putc(&b, '>');
	assert_int_equal(b.len, n + 2);
	assert_int_equal(b.p[0], '<');
	assert_int_equal(b.p[n], 'x');
	assert_int_equal(b.p[n + 1], '>');
	assert_int_equal(b.p[n + 2], '\0');
	free(big);
	buf_free(&b);
}

/* buf_printf appends formatted text, short and longer than the initial capacity. */
static void buf_printf_appends(void **state)
{
	(void)state;
	buf_t b;
	buf_init(&b);
	buf_printf(&b, "%d-%s", 42, "x");
	assert_string_equal(b.p, "42-x");
	buf_printf(&b, "%s", "");
	assert_string_equal(b.p, "42-x");
	buf_printf(&b, "[%05d]", 7);
	assert_string_equal(b.p, "42-x[00007]");
	buf_printf(&b, "%0*d", 5000, 1);
	assert_int_equal(b.len, 11 + 5000);
	assert_int_equal(b.p[11], '0');
	assert_int_equal(b.p[11 + 4999], '1');
	assert_int_equal(b.p[b.len], '\0');
	buf_free(&b);

	buf_init(&b);
	buf_printf(&b, "%s", ""); /* an empty print still gives a valid empty string */
	assert_non_null(b.p);
	assert_string_equal(b.p, "");
	buf_free(&b);
}

/* buf_reset empties but keeps the memory; buf_detach hands the bytes over and empties. */
static void buf_reset_and_detach(void **state)
{
	(void)state;
	buf_t b;
	buf_init(&b);
	buf_puts(&b, "hello");
	size_t cap = b.cap;
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.p, "");
	assert_int_equal(b.cap, cap);
	buf_puts(&b, "world");
	size_t len = 0;
	char *p = buf_detach(&b, &len);
	assert_string_equal(p, "world");
	assert_int_equal(len, 5);
	assert_null(b.p);
	assert_int_equal(b.len, 0);
	free(p);
	/* Detaching an untouched buffer gives an empty string, not NULL. */
	p = buf_detach(&b, &len);
	assert_non_null(p);
	assert_string_equal(p, "");
	assert_int_equal(len, 0);
	free(p);
	buf_free(&b);
	buf_free(NULL);
}

/* buf_put keeps embedded NUL bytes (binary data such as xlsx). */
static void buf_binary(void **state)
{
	(void)state;
	buf_t b;
	buf_init(&b);
	buf_put(&b, "a\0b", 3);
	buf_put(&b, "", 0);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.p, "a\0b\0", 4);
	buf_free(&b);
}

/* ---------------- arena ---------------- */

/* Many allocations of mixed sizes: all aligned for any type, none overlapping. */
static void arena_many_aligned(void **state)
{
	(void)state;
	enum { N = 20000 };
	arena_t *a = arena_new();
	unsigned char **p = malloc(N * sizeof *p);
	size_t *n = malloc(N * sizeof *n);
	assert_non_null(p);
	assert_non_null(n);
	srand(4242);
	for (int i = 0; i < N; i++) {
		n[i] = i % 997 == 0 ? 9000 + (size_t)(rand() % 20000) : (size_t)(rand() % 300);
		p[i] = arena_alloc(a, n[i]);
		assert_non_null(p[i]);
		if ((uintptr_t)p[i] % alignof(max_align_t) != 0)
			fail_msg("allocation %d of %zu bytes misaligned: %p", i, n[i], (void *)p[i]);
		memset(p[i], i & 0xff, n[i]);
	}
	for (int i = 0; i < N; i++)
		for (size_t k = 0; k < n[i]; k++)
			if (p[i][k] != (unsigned char)(i & 0xff))
				fail_msg("allocation %d overwritten at %zu", i, k);
	free(p);
	free(n);
	arena_free(a);
	arena_free(NULL);
}

/* Zero-byte allocations still return distinct usable pointers. */
static void arena_zero_size(void **state)
{
	(void)state;
	arena_t *a = arena_new();
	void *x = arena_alloc(a, 0), *y = arena_alloc(a, 0);
	assert_non_null(x);
	assert_non_null(y);
	assert_ptr_not_equal(x, y);
	arena_free(a);
}

/* The string helpers copy and terminate. */
static void arena_strings(void **state)
{
	(void)state;
	arena_t *a = arena_new();
	char src[] = "hello world";
	char *d = arena_strdup(a, src);
	src[0] = 'J';
	assert_string_equal(d, "hello world");
	assert_string_equal(arena_strndup(a, "hello world", 5), "hello");
	assert_string_equal(arena_strndup(a, "", 0), "");
	assert_string_equal(arena_printf(a, "%s=%d", "n", 12), "n=12");
	char *big = arena_printf(a, "%0*d", 20000, 3);
	assert_int_equal(strlen(big), 20000);
	assert_int_equal(big[19999], '3');
	arena_free(a);
}

/* ---------------- utf8_valid_text ---------------- */

/* A table of well-formed and malformed inputs, with explicit lengths (some contain NUL). */
static void utf8_table(void **state)
{
	(void)state;
#define C(s, ok) {s, sizeof(s) - 1, ok, #s}
	static const struct {
		const char *s;
		size_t n;
		int ok;
		const char *name;
	} c[] = {
		C("", 1),
		C("hello", 1),
		C("tab\there", 1),
		C("line\nbreak\r\n", 1),
		C("\xC3\xA6\xC3\xB8\xC3\xA5", 1),     /* æøå */
		C("\xC2\xA0", 1),                     /* U+00A0, first after C1 */
		C("\xDF\xBF", 1),                     /* U+07FF */
		C("\xE0\xA0\x80", 1),                 /* U+0800 */
		C("\xE2\x82\xAC", 1),                 /* € */
		C("\xED\x9F\xBF", 1),                 /* U+D7FF, below the surrogates */
		C("\xEE\x80\x80", 1),                 /* U+E000, above the surrogates */
		C("\xEF\xBF\xBD", 1),                 /* U+FFFD */
		C("\xF0\x90\x80\x80", 1),             /* U+10000 */
		C("\xF0\x9F\x98\x80", 1),             /* emoji */
		C("\xF4\x8F\xBF\xBF", 1),             /* U+10FFFF */
		C("~", 1),
		C("a\0b", 0),                         /* NUL */
		C("\x01", 0),
		C("\x1b[31m", 0),                     /* ESC */
		C("\x1f", 0),
		C("\x7f", 0),                         /* DEL */
		C("\x80", 0),                         /* lone continuation */
		C("\xBF", 0),
		C("\xC3\x28", 0),                     /* bad continuation */
		C("\xC3", 0),                         /* truncated */
		C("\xE2\x82", 0),
		C("\xF0\x9F\x98", 0),
		C("\xC0\xAF", 0),                     /* overlong '/' */
		C("\xC1\xBF", 0),
		C("\xE0\x80\xAF", 0),
		C("\xE0\x9F\xBF", 0),                 /* overlong U+07FF */
		C("\xF0\x80\x80\xAF", 0),
		C("\xF0\x8F\xBF\xBF", 0),             /* overlong U+FFFF */
		C("\xED\xA0\x80", 0),                 /* U+D800 surrogate */
		C("\xED\xBF\xBF", 0),                 /* U+DFFF surrogate */
		C("\xF4\x90\x80\x80", 0),             /* U+110000 */
		C("\xF5\x80\x80\x80", 0),
		C("\xF8\x88\x80\x80\x80", 0),         /* 5-byte form */
		C("\xFE", 0),
		C("\xFF", 0),
		C("\xC2\x80", 0),                     /* U+0080, C1 */
		C("\xC2\x85", 0),                     /* NEL, C1 */
		C("\xC2\x9F", 0),                     /* U+009F, C1 */
		C("ok\xC3\xA6\xC3", 0),               /* valid, then truncated */
	};
#undef C
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		int got = utf8_valid_text(c[i].s, c[i].n) ? 1 : 0;
		if (got != c[i].ok)
			fail_msg("utf8_valid_text(%s) = %d, want %d", c[i].name, got, c[i].ok);
	}
}

/* The length bounds the check: bytes beyond n are not looked at. */
static void utf8_respects_length(void **state)
{
	(void)state;
	assert_true(utf8_valid_text("ab\xC3", 2));
	assert_true(utf8_valid_text("ab\x01", 2));
	assert_false(utf8_valid_text("\xC3\xA6", 1));
	assert_true(utf8_valid_text("\x01", 0));
}

/* ---------------- hex, time ---------------- */

/* hex_encode writes lower-case pairs and terminates. */
static void hex_cases(void **state)
{
	(void)state;
	const unsigned char in[] = {0x00, 0x01, 0x7f, 0x80, 0xab, 0xff};
	char out[13];
	memset(out, '#', sizeof out);
	hex_encode(in, sizeof in, out);
	assert_string_equal(out, "00017f80abff");
	char empty[1] = {'#'};
	hex_encode(in, 0, empty);
	assert_string_equal(empty, "");
}

/* iso8601 gives UTC text in the fixed 20-character form. */
static void iso8601_cases(void **state)
{
	(void)state;
	char out[21];
	iso8601(0, out);
	assert_string_equal(out, "1970-01-01T00:00:00Z");
	iso8601(951782400, out);
	assert_string_equal(out, "2000-02-29T00:00:00Z");
	iso8601(2147483648LL, out); /* past the 32-bit limit */
	assert_string_equal(out, "2038-01-19T03:14:08Z");
	iso8601(1700000000 + 59, out);
	assert_string_equal(out, "2023-11-14T22:14:19Z");
	int64_t now = now_utc();
	assert_true(now > 1700000000);
	iso8601(now, out);
	assert_int_equal(strlen(out), 20);
	assert_int_equal(out[10], 'T');
	assert_int_equal(out[19], 'Z');
}

/* The x* allocators copy and terminate. */
static void xstr_helpers(void **state)
{
	(void)state;
	char *s = xstrdup("elevlos");
	assert_string_equal(s, "elevlos");
	free(s);
	s = xstrndup("elevlos", 4);
	assert_string_equal(s, "elev");
	free(s);
	int *z = xcalloc(16, sizeof *z);
	for (int i = 0; i < 16; i++)
		assert_int_equal(z[i], 0);
	z = xrealloc(z, 1000 * sizeof *z);
	z[999] = 5;
	assert_int_equal(z[0], 0);
	free(z);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(buf_grows_past_1mb),
		cmocka_unit_test(buf_single_large_put),
		cmocka_unit_test(buf_printf_appends),
		cmocka_unit_test(buf_reset_and_detach),
		cmocka_unit_test(buf_binary),
		cmocka_unit_test(arena_many_aligned),
		cmocka_unit_test(arena_zero_size),
		cmocka_unit_test(arena_strings),
		cmocka_unit_test(utf8_table),
		cmocka_unit_test(utf8_respects_length),
		cmocka_unit_test(hex_cases),
		cmocka_unit_test(iso8601_cases),
		cmocka_unit_test(xstr_helpers),
	};
	return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
