/* Allocation that aborts instead of returning NULL, and a growable byte buffer. */
#ifndef ELEVLOS_UTIL_H
#define ELEVLOS_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

typedef struct buf {
	char *p;    /* always NUL-terminated once anything was written */
	size_t len;
	size_t cap;
} buf_t;

void buf_init(buf_t *b);
void buf_free(buf_t *b);
void buf_reset(buf_t *b);
void buf_put(buf_t *b, const void *data, size_t n);
void buf_puts(buf_t *b, const char *s);
void buf_putc(buf_t *b, char c);
void buf_printf(buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(buf_t *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Hands the bytes to the caller (who frees them) and leaves b empty. */
char *buf_detach(buf_t *b, size_t *len);

/* Per-request arena: many small allocations, one free. */
typedef struct arena arena_t;
arena_t *arena_new(void);
void arena_free(arena_t *a);
void *arena_alloc(arena_t *a, size_t n);
char *arena_strdup(arena_t *a, const char *s);
char *arena_strndup(arena_t *a, const char *s, size_t n);
char *arena_printf(arena_t *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Current UTC time as seconds, and ISO 8601 text ("2026-11-27T22:37:00Z"). */
int64_t now_utc(void);
void iso8601(int64_t t, char out[21]);

/* Lower-case hex of n bytes into out (2n+1 bytes). */
void hex_encode(const unsigned char *in, size_t n, char *out);

/* 1 if s[0..n) is well-formed UTF-8 without NUL or C0 controls other than tab, CR, LF. */
int utf8_valid_text(const char *s, size_t n);

#endif
