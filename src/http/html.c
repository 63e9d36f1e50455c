#include "html.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void html_textn(buf_t *b, const char *s, size_t n)
{
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		const char *rep;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		buf_put(b, s + start, i - start);
		buf_puts(b, rep);
		start = i + 1;
	}
	buf_put(b, s + start, n - start);
}

void html_text(buf_t *b, const char *s)
{
	if (s)
		html_textn(b, s, strlen(s));
}

void html_int(buf_t *b, long long v)
{
	buf_printf(b, "%lld", v);
}

static void attrs(buf_t *b, va_list ap)
{
	const char *name;
	while ((name = va_arg(ap, const char *)) != NULL) {
		const char *value = va_arg(ap, const char *);
		if (!value)
			continue;
		buf_putc(b, ' ');
		buf_puts(b, name); /* attribute names are literals in our source */
		if (*value) {
			buf_puts(b, "=\"");
			html_text(b, value);
			buf_putc(b, '"');
		}
	}
}

void html_tag(buf_t *b, const char *element, ...)
{
	va_list ap;
	va_start(ap, element);
	buf_putc(b, '<');
	buf_puts(b, element);
	attrs(b, ap);
	buf_putc(b, '>');
	va_end(ap);
}

void html_close(buf_t *b, const char *element)
{
	buf_puts(b, "</");
	buf_puts(b, element);
	buf_putc(b, '>');
}

void html_elem(buf_t *b, const char *element, const char *text, ...)
{
	va_list ap;
	va_start(ap, text);
	buf_putc(b, '<');
	buf_puts(b, element);
	attrs(b, ap);
	buf_putc(b, '>');
	va_end(ap);
	html_text(b, text);
	html_close(b, element);
}

void html_raw(buf_t *b, const char *markup)
{
	buf_puts(b, markup);
}
