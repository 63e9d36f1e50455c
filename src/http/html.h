/*
 * The one HTML writer. Everything that is not a literal in our own source goes through
 * html_text() or an attribute value of html_tag(); output that is not escaped has "raw" in its name.
 */
#ifndef ELEVLOS_HTML_H
#define ELEVLOS_HTML_H

#include "../core/util.h"

/* Ends the attribute list of html_tag and html_elem: a typed null, so variadic reading is defined. */
#define HTML_END ((const char *)0)

/* Escapes & < > " ' so the text is safe in element content and quoted attribute values. */
void html_text(buf_t *b, const char *s);
void html_textn(buf_t *b, const char *s, size_t n);
/* Writes an integer as text. */
void html_int(buf_t *b, long long v);
/*
 * Opens an element with attributes given as name, value pairs ending in NULL. Values are
 * escaped; a NULL value is skipped; an empty-string value writes a boolean attribute.
 * Example: html_tag(b, "input", "name", "q", "value", q, NULL);
 */
void html_tag(buf_t *b, const char *element, ...) __attribute__((sentinel));
void html_close(buf_t *b, const char *element);
/* Element with escaped text content: <element attrs>text</element>. Attributes as html_tag. */
void html_elem(buf_t *b, const char *element, const char *text, ...) __attribute__((sentinel));
/* Trusted literal markup from our own source: never pass data here. */
void html_raw(buf_t *b, const char *markup);

#endif
