/*
 * The subject-access export (GDPR Art. 15) as an A4 PDF for the student: the same JSON
 * document page_student_export hands out, drawn whole — the record's facts, every consent and
 * living situation, every case with its contacts (notes included), decisions, measures and
 * outcomes, the change history and every access-log row about the student — with the
 * statistics' PDF kit (export_util.h: DejaVu Sans, "Side N av M"). Walking the JSON rather than
 * the database keeps the two formats from drifting apart: what one holds, the other shows.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "../i18n/format.h"
#include "../i18n/i18n.h"
#include "../stats/export_util.h"
#include "record_json.h"

struct sar {
	const json_t *doc;
	const char *lang;
};

/* T() of prefix + name; name itself when the catalogue has no such key. */
static const char *label(const struct sar *c, const char *prefix, const char *name)
{
	char key[96];
	snprintf(key, sizeof key, "%s%s", prefix, name);
	const char *t = T(c->lang, key);
	return t != key && strcmp(t, key) != 0 ? t : name;
}

/* A scalar as text into out; "–" for null or empty. Arrays of strings are joined. */
static const char *scalar(const struct sar *c, const json_t *v, char *out, size_t n)
{
	if (json_is_string(v))
		snprintf(out, n, "%s", json_string_value(v)[0] ? json_string_value(v) : "–");
	else if (json_is_integer(v))
		snprintf(out, n, "%lld", (long long)json_integer_value(v));
	else if (json_is_boolean(v))
		snprintf(out, n, "%s", T(c->lang, json_is_true(v) ? "sar.yes" : "sar.no"));
	else if (json_is_array(v)) {
		size_t i, len = 0;
		json_t *e;
		out[0] = '\0';
		json_array_foreach(v, i, e) {
			if (!json_is_string(e))
				continue;
			len += (size_t)snprintf(out + len, len < n ? n - len : 0, "%s%s", len ? ", " : "", json_string_value(e));
			if (len >= n)
				break;
		}
		if (!out[0])
			snprintf(out, n, "–");
	} else
		snprintf(out, n, "–");
	return out;
}

static int is_scalar(const json_t *v)
{
	if (!json_is_array(v))
		return !json_is_object(v);
	size_t i;
	json_t *e;
	json_array_foreach(v, i, e) {
		if (!json_is_string(e))
			return 0;
	}
	return 1;
}

/* One object as "label: value · label: value" (its scalars only). */
static void line_of(struct pdf *p, const struct sar *c, const json_t *o, enum pdf_style st)
{
	char s[6000], v[4200];
	size_t len = 0;
	const char *k;
	json_t *x;
	s[0] = '\0';
	json_object_foreach((json_t *)o, k, x) {
		if (!is_scalar(x))
			continue;
		len += (size_t)snprintf(s + len, len < sizeof s ? sizeof s - len : 0, "%s%s: %s", len ? " · " : "",
					label(c, "sar.field.", k), scalar(c, x, v, sizeof v));
		if (len >= sizeof s)
			break;
	}
	pdf_paragraph(p, st, s);
	p->y += 4;
}

static void object_block(struct pdf *p, const struct sar *c, const json_t *o);

/* A member that is an array of objects: a heading, then one line each (or, for objects that
 * hold lists themselves — the cases — a block each). */
static void list_block(struct pdf *p, const struct sar *c, const char *key, const json_t *arr, enum pdf_style hs)
{
	pdf_heading_in(p, hs, label(c, "sar.field.", key), 30);
	if (json_array_size(arr) == 0) {
		pdf_paragraph(p, PDF_SMALL, T(c->lang, "sar.none"));
		p->y += 6;
		return;
	}
	size_t i;
	json_t *e;
	json_array_foreach(arr, i, e) {
		int nested = 0;
		const char *k;
		json_t *x;
		json_object_foreach(e, k, x) {
			if (!is_scalar(x))
				nested = 1;
		}
		if (nested) {
			char h[128];
			json_t *id = json_object_get(e, "id");
			snprintf(h, sizeof h, "%s %lld", label(c, "sar.item.", key), (long long)json_integer_value(id));
			pdf_heading_in(p, PDF_H3, h, 40);
			object_block(p, c, e);
		} else {
			line_of(p, c, e, PDF_SMALL);
		}
	}
	p->y += 8;
}

/* An object's scalars as facts, then its lists. */
static void object_block(struct pdf *p, const struct sar *c, const json_t *o)
{
	char v[4200];
	const char *k;
	json_t *x;
	json_object_foreach((json_t *)o, k, x) {
		if (is_scalar(x))
			pdf_fact(p, label(c, "sar.field.", k), scalar(c, x, v, sizeof v));
	}
	p->y += 6;
	json_object_foreach((json_t *)o, k, x) {
		if (!is_scalar(x) && json_is_array(x))
			list_block(p, c, k, x, PDF_BOLD);
	}
}

static void access_rows(struct pdf *p, const struct sar *c, const json_t *arr)
{
	pdf_heading(p, T(c->lang, "sar.access_log"), 40);
	pdf_paragraph(p, PDF_SMALL, T(c->lang, "sar.access_intro"));
	p->y += 6;
	size_t i;
	json_t *e;
	json_array_foreach(arr, i, e) {
		char s[1200], at[64];
		const char *action = json_string_value(json_object_get(e, "action"));
		const char *purpose = json_string_value(json_object_get(e, "purpose"));
		i18n_time(c->lang, json_string_value(json_object_get(e, "at")), at, sizeof at);
		/* The purpose as the access report words it (logged words are English phrases). */
		char pk[210];
		size_t j = 0;
		for (const char *q = purpose ? purpose : ""; *q && j + 1 < sizeof pk; q++)
			pk[j++] = (*q == ' ' || *q == '-' || *q == '\'') ? '_' : *q;
		pk[j] = '\0';
		snprintf(s, sizeof s, "%s · %s (%s, %s) · %s · %s · %s", at[0] ? at : json_string_value(json_object_get(e, "at")),
			 json_string_value(json_object_get(e, "username")), json_string_value(json_object_get(e, "role")),
			 json_string_value(json_object_get(e, "unit")), label(c, "access.action.", action ? action : ""),
			 json_string_value(json_object_get(e, "object")), label(c, "access.purpose.", pk));
		pdf_paragraph(p, PDF_SMALL, s);
		p->y += 3;
	}
	if (json_array_size(arr) == 0)
		pdf_paragraph(p, PDF_SMALL, T(c->lang, "sar.none"));
}

static void changes(struct pdf *p, const struct sar *c, const json_t *arr)
{
	pdf_heading(p, T(c->lang, "sar.changes"), 40);
	size_t i;
	json_t *e;
	json_array_foreach(arr, i, e) {
		line_of(p, c, e, PDF_SMALL);
	}
	if (json_array_size(arr) == 0)
		pdf_paragraph(p, PDF_SMALL, T(c->lang, "sar.none"));
	p->y += 8;
}

static void title_of(const struct sar *c, char *out, size_t n)
{
	const json_t *s = json_object_get(c->doc, "student");
	const char *args[1] = {json_string_value(json_object_get(s, "pseudonym"))};
	out[0] = '\0';
	i18n_fill(out, n, T(c->lang, "sar.title"), args, 1);
}

static void draw(struct pdf *p, const void *ctx)
{
	const struct sar *c = ctx;
	char title[200], at[64];
	title_of(c, title, sizeof title);
	p->y += pdf_text(p, PDF_MARGIN, p->y, PDF_CONTENT_W, PDF_H1, PDF_LEFT, title, 1) + 12;
	i18n_time(c->lang, json_string_value(json_object_get(c->doc, "made_at")), at, sizeof at);
	pdf_fact(p, T(c->lang, "access.made_on"), at);
	pdf_fact(p, T(c->lang, "access.made_by"), json_string_value(json_object_get(c->doc, "made_by")));
	p->y += 6;
	pdf_paragraph(p, PDF_BODY, T(c->lang, "sar.intro"));
	p->y += 14;
	const json_t *s = json_object_get(c->doc, "student");
	pdf_heading(p, T(c->lang, "sar.student"), 60);
	object_block(p, c, s);
	changes(p, c, json_object_get(c->doc, "changes"));
	access_rows(p, c, json_object_get(c->doc, "access_log"));
}

int subject_access_pdf(const json_t *doc, const char *lang, buf_t *out, char *err, size_t errsz)
{
	const struct sar c = {doc, lang};
	char title[200];
	title_of(&c, title, sizeof title);
	return pdf_render(draw, &c, lang, title, title, out, err, errsz);
}
