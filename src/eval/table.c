#include "table.h"

#include "../db/db.h"

#include <csv.h>
#include <sodium.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>


#define TABLE_MAX_BYTES (64L << 20)

struct reader {
	struct table *t;
	long line;     /* physical line being fed */
	long row_line; /* where the row being built started */
	struct table_row cur;
	int cap;
	int oom;
};

static void *grow(void *p, size_t n)
{
	void *q = realloc(p, n);
	if (!q) {
		fputs("elevlos: out of memory\n", stderr);
		abort();
	}
	return q;
}

static void on_field(void *data, size_t len, void *ctx)
{
	struct reader *r = ctx;
	if (r->cur.n == 0)
		r->row_line = r->line;
	if (r->cur.n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->cur.f = grow(r->cur.f, (size_t)r->cap * sizeof *r->cur.f);
	}
	char *s = grow(NULL, len + 1);
	if (len)
		memcpy(s, data, len);
	s[len] = '\0';
	r->cur.f[r->cur.n++] = s;
}

static void on_row(int c, void *ctx)
{
	(void)c;
	struct reader *r = ctx;
	struct table *t = r->t;
	int blank = 1;
	for (int i = 0; i < r->cur.n && blank; i++)
		if (*table_trim(r->cur.f[i]))
			blank = 0;
	if (blank) {
		for (int i = 0; i < r->cur.n; i++)
			free(r->cur.f[i]);
		r->cur.n = 0;
		return;
	}
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 256;
		t->rows = grow(t->rows, (size_t)t->cap * sizeof *t->rows);
	}
	r->cur.line = r->row_line;
	t->rows[t->n++] = r->cur;
	memset(&r->cur, 0, sizeof r->cur);
	r->cap = 0;
}

/* ';' when the header line has one outside quotes, else ','. */
static char detect_sep(const char *p, size_t n)
{
	int quoted = 0;
	for (size_t i = 0; i < n && (quoted || (p[i] != '\n' && p[i] != '\r')); i++) {
		if (p[i] == '"')
			quoted = !quoted;
		else if (!quoted && p[i] == ';')
			return ';';
	}
	return ',';
}

int table_read(FILE *in, struct table *t, char *err, size_t errsz)
{
	memset(t, 0, sizeof *t);
	size_t cap = 1 << 16, n = 0;
	char *buf = grow(NULL, cap);
	size_t got;
	while ((got = fread(buf + n, 1, cap - n, in)) > 0) {
		n += got;
		if (n == cap) {
			if ((long)cap >= TABLE_MAX_BYTES) {
				free(buf);
				snprintf(err, errsz, "the file is larger than %ld MB", TABLE_MAX_BYTES >> 20);
				return -1;
			}
			cap *= 2;
			buf = grow(buf, cap);
		}
	}
	if (ferror(in)) {
		free(buf);
		snprintf(err, errsz, "cannot read the file");
		return -1;
	}
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)buf, n);
	sodium_bin2hex(t->sha256, sizeof t->sha256, h, sizeof h);
	const char *p = buf;
	size_t len = n;
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3, len -= 3;
	t->sep = detect_sep(p, len);

	struct csv_parser cp;
	struct reader r = {.t = t, .line = 1};
	if (csv_init(&cp, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		free(buf);
		snprintf(err, errsz, "cannot start the CSV parser");
		return -1;
	}
	csv_set_delim(&cp, (unsigned char)t->sep);
	int rc = 0;
	/* Fed a line at a time, so each row knows the line it started on. */
	for (size_t i = 0; i < len && rc == 0;) {
		const char *nl = memchr(p + i, '\n', len - i);
		size_t piece = nl ? (size_t)(nl - (p + i)) + 1 : len - i;
		if (csv_parse(&cp, p + i, piece, on_field, on_row, &r) != piece)
			rc = -1;
		i += piece;
		if (rc == 0 && nl)
			r.line++;
	}
	if (rc == 0 && csv_fini(&cp, on_field, on_row, &r) != 0)
		rc = -1;
	if (rc != 0)
		snprintf(err, errsz, "line %ld: %s (a quote not closed, or text after a closing quote)",
			 r.line, csv_strerror(csv_error(&cp)));
	csv_free(&cp);
	for (int i = 0; i < r.cur.n; i++)
		free(r.cur.f[i]);
	free(r.cur.f);
	free(buf);
	if (rc == 0 && t->n == 0) {
		snprintf(err, errsz, "the file is empty: it needs a header line");
		rc = -1;
	}
	if (rc != 0)
		table_free(t);
	return rc;
}

void table_free(struct table *t)
{
	if (!t)
		return;
	for (int i = 0; i < t->n; i++) {
		for (int j = 0; j < t->rows[i].n; j++)
			free(t->rows[i].f[j]);
		free(t->rows[i].f);
	}
	free(t->rows);
	t->rows = NULL;
	t->n = t->cap = 0;
}

void table_key(const char *in, char *out, size_t outsz)
{
	static const struct {
		const char *utf8, *ascii;
	} fold[] = {{"æ", "ae"}, {"Æ", "ae"}, {"ø", "o"}, {"Ø", "o"}, {"å", "a"}, {"Å", "a"},
		    {"é", "e"}, {"É", "e"}, {"è", "e"}, {"ä", "a"}, {"Ä", "a"}, {"ö", "o"},
		    {"Ö", "o"}, {"ü", "u"}, {"á", "a"}, {"š", "s"}, {"č", "c"}, {"đ", "d"}};
	size_t o = 0;
	const unsigned char *s = (const unsigned char *)in;
	while (*s && o + 2 < outsz) {
		if (*s < 0x80) {
			unsigned char c = *s++;
			if (c >= 'A' && c <= 'Z')
				c = (unsigned char)(c - 'A' + 'a');
			if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
				out[o++] = (char)c;
			continue;
		}
		size_t i, k = 0;
		for (i = 0; i < sizeof fold / sizeof fold[0]; i++) {
			k = strlen(fold[i].utf8);
			if (strncmp((const char *)s, fold[i].utf8, k) == 0)
				break;
		}
		if (i < sizeof fold / sizeof fold[0]) {
			for (const char *a = fold[i].ascii; *a && o + 1 < outsz; a++)
				out[o++] = *a;
			s += k;
		} else {
			s++;
			while ((*s & 0xC0) == 0x80)
				s++;
		}
	}
	out[o] = '\0';
}

int table_col(const struct table *t, const char *const *names)
{
	if (t->n == 0)
		return -1;
	const struct table_row *h = &t->rows[0];
	for (const char *const *nm = names; *nm; nm++)
		for (int j = 0; j < h->n; j++) {
			char k[128];
			table_key(h->f[j], k, sizeof k);
			if (strcmp(k, *nm) == 0)
				return j;
		}
	return -1;
}

const char *table_field(const struct table_row *r, int col)
{
	return col >= 0 && col < r->n ? r->f[col] : "";
}

char *table_trim(char *s)
{
	char *b = s;
	for (;;) {
		if (*b == ' ' || *b == '\t' || *b == '\r')
			b++;
		else if ((unsigned char)b[0] == 0xC2 && (unsigned char)b[1] == 0xA0)
			b += 2;
		else if ((unsigned char)b[0] == 0xE2 && (unsigned char)b[1] == 0x80 &&
			 (unsigned char)b[2] == 0xAF)
			b += 3;
		else
			break;
	}
	size_t n = strlen(b);
	for (;;) {
		if (n && (b[n - 1] == ' ' || b[n - 1] == '\t' || b[n - 1] == '\r'))
			n--;
		else if (n >= 2 && (unsigned char)b[n - 2] == 0xC2 && (unsigned char)b[n - 1] == 0xA0)
			n -= 2;
		else if (n >= 3 && (unsigned char)b[n - 3] == 0xE2 && (unsigned char)b[n - 2] == 0x80 &&
			 (unsigned char)b[n - 1] == 0xAF)
			n -= 3;
		else
			break;
	}
	memmove(s, b, n);
	s[n] = '\0';
	return s;
}

int table_import_end(db_t *db, int rc, long errors, char *err, size_t errsz)
{
	if (rc < 0) {
		snprintf(err, errsz, "%s", db_errmsg(db));
		db_rollback(db);
		return -1;
	}
	if (errors) {
		db_rollback(db);
		return 1;
	}
	if (db_commit(db) != DB_OK) {
		snprintf(err, errsz, "%s", db_errmsg(db));
		db_rollback(db);
		return -1;
	}
	return 0;
}
