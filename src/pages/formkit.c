#include "formkit.h"

#include <stdio.h>
#include <string.h>

#include "../db/record.h"
#include "../http/html.h"

static void label(struct req *r, const char *id, const char *label_key, int req)
{
	buf_t *b = &r->out;
	html_tag(b, "label", "for", id, "class", "aksel-form-field__label aksel-label", HTML_END);
	html_text(b, tr(r, label_key));
	if (!req) {
		html_raw(b, " <span class=\"app-optional\">");
		html_text(b, tr(r, "form.optional"));
		html_raw(b, "</span>");
	}
	html_raw(b, "</label>");
}

const char *fk_id(struct req *r, const char *name)
{
	return arena_printf(r->arena, "f-%s%s", r->id_prefix ? r->id_prefix : "", name);
}

void fk_scope(struct req *r, const char *prefix)
{
	r->id_prefix = prefix;
}

int fk_failing(const struct req *r)
{
	return r->bad_form && r->id_prefix && !strcmp(r->bad_form, r->id_prefix);
}

void fk_details(struct req *r, const char *summary_key)
{
	html_tag(&r->out, "details", "class", "app-details", "open", fk_failing(r) ? "" : NULL, HTML_END);
	html_elem(&r->out, "summary", tr(r, summary_key), HTML_END);
}

const char *fk_val(struct req *r, enum key k, const char *dflt)
{
	if (!fk_failing(r))
		return dflt;
	return r->in.v[k] ? r->in.v[k] : "";
}

const char *fk_bad(struct req *r, const char *name)
{
	if (!r->bad_field || !r->bad_msg || strcmp(r->bad_field, name) != 0)
		return NULL;
	/* On a page of several forms only the one that failed marks its field. */
	if (r->bad_form && !fk_failing(r))
		return NULL;
	return arena_printf(r->arena, "f-%s%s-error", r->id_prefix ? r->id_prefix : "", name);
}

void fk_field_error(struct req *r, const char *name)
{
	const char *id = fk_bad(r, name);
	if (id)
		html_elem(&r->out, "p", r->bad_msg, "id", id, "class", "aksel-error-message aksel-label app-field-error",
			  HTML_END);
}

void fk_errors(struct req *r, const char *message)
{
	buf_t *b = &r->out;
	r->bad_msg = message;
	html_raw(b, "<div class=\"aksel-alert aksel-alert--error aksel-alert--small app-alert\" role=\"alert\">");
	if (r->bad_field) {
		char href[96];
		snprintf(href, sizeof href, "#f-%s%s", r->bad_form ? r->bad_form : "", r->bad_field);
		html_raw(b, "<ul class=\"app-errors\"><li>");
		html_elem(b, "a", message, "href", href, "class", "aksel-link", HTML_END);
		html_raw(b, "</li></ul>");
	} else {
		html_elem(b, "p", message, "class", "aksel-body-short", HTML_END);
	}
	html_raw(b, "</div>");
}

void fk_input(struct req *r, const char *name, const char *label_key, const char *type,
	      const char *autocomplete, const char *value, int req)
{
	buf_t *b = &r->out;
	const char *id = fk_id(r, name);
	html_raw(b, "<div class=\"aksel-form-field\">");
	label(r, id, label_key, req);
	const char *err = fk_bad(r, name);
	fk_field_error(r, name);
	html_tag(b, "input", "id", id, "name", name, "type", type, "class", "aksel-text-field__input",
		 "aria-invalid", err ? "true" : NULL, "aria-describedby", err, "autocomplete", autocomplete, "required", req ? "" : HTML_END, "value", value, HTML_END);
	html_raw(b, "</div>");
}

void fk_textarea(struct req *r, const char *name, const char *label_key, const char *value)
{
	buf_t *b = &r->out;
	const char *id = fk_id(r, name);
	html_raw(b, "<div class=\"aksel-form-field\">");
	label(r, id, label_key, 0);
	const char *err = fk_bad(r, name);
	fk_field_error(r, name);
	html_tag(b, "textarea", "id", id, "name", name, "rows", "3", "class", "aksel-textarea__input",
		 "aria-invalid", err ? "true" : NULL, "aria-describedby", err, HTML_END);
	html_text(b, value);
	html_raw(b, "</textarea></div>");
}

struct opt_ctx {
	struct req *r;
	const char *chosen;
	const char *name;
	int checks;
};

static int in_list(const char *csv, const char *code)
{
	size_t n = strlen(code);
	for (const char *p = csv; p && *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len == n && !strncmp(p, code, n))
			return 1;
		p = e ? e + 1 : NULL;
	}
	return 0;
}

static int option(const char *code, const char *nb, const char *en, void *ctx)
{
	struct opt_ctx *o = ctx;
	buf_t *b = &o->r->out;
	const char *text = !strcmp(o->r->lang, "en") ? en : nb;
	if (o->checks) {
		const char *id = arena_printf(o->r->arena, "f-%s%s-%s", o->r->id_prefix ? o->r->id_prefix : "", o->name, code);
		html_raw(b, "<div class=\"app-check\">");
		html_tag(b, "input", "type", "checkbox", "id", id, "name", o->name, "value", code,
			 "checked", in_list(o->chosen, code) ? "" : HTML_END, HTML_END);
		html_elem(b, "label", text, "for", id, HTML_END);
		html_raw(b, "</div>");
	} else {
		html_tag(b, "option", "value", code, "selected",
			 o->chosen && !strcmp(o->chosen, code) ? "" : HTML_END, HTML_END);
		html_text(b, text);
		html_raw(b, "</option>");
	}
	return 0;
}

void fk_codes(struct req *r, const char *name, const char *label_key, const char *list,
	      const char *chosen, int req)
{
	buf_t *b = &r->out;
	const char *id = fk_id(r, name);
	html_raw(b, "<div class=\"aksel-form-field\">");
	label(r, id, label_key, req);
	const char *err = fk_bad(r, name);
	fk_field_error(r, name);
	html_tag(b, "select", "id", id, "name", name, "class", "aksel-select__input", "aria-invalid",
		 err ? "true" : NULL, "aria-describedby", err, "required",
		 req ? "" : HTML_END, HTML_END);
	html_tag(b, "option", "value", "", HTML_END);
	html_text(b, tr(r, "form.choose"));
	html_raw(b, "</option>");
	struct opt_ctx o = {r, chosen, name, 0};
	db_code_list(r->db, list, option, &o);
	html_raw(b, "</select></div>");
}

void fk_select(struct req *r, const char *name, const char *label_key, const char *const *values,
	       const char *prefix, const char *chosen)
{
	buf_t *b = &r->out;
	char key[64];
	const char *id = fk_id(r, name);
	html_raw(b, "<div class=\"aksel-form-field\">");
	label(r, id, label_key, 1);
	const char *err = fk_bad(r, name);
	fk_field_error(r, name);
	html_tag(b, "select", "id", id, "name", name, "class", "aksel-select__input", "aria-invalid",
		 err ? "true" : NULL, "aria-describedby", err, HTML_END);
	for (; *values; values++) {
		snprintf(key, sizeof key, "%s.%s", prefix, *values);
		html_tag(b, "option", "value", *values, "selected",
			 chosen && !strcmp(chosen, *values) ? "" : HTML_END, HTML_END);
		html_text(b, tr(r, key));
		html_raw(b, "</option>");
	}
	html_raw(b, "</select></div>");
}

void fk_checks(struct req *r, const char *name, const char *legend_key, const char *list,
	       const char *chosen)
{
	buf_t *b = &r->out;
	html_raw(b, "<fieldset class=\"aksel-fieldset app-checks\"><legend class=\"aksel-fieldset__legend aksel-label\">");
	html_text(b, tr(r, legend_key));
	html_raw(b, "</legend>");
	/* Sent with the boxes: with every box unticked the set is cleared, not left as it was. */
	html_tag(b, "input", "type", "hidden", "name", name, "value", "NONE", HTML_END);
	struct opt_ctx o = {r, chosen, name, 1};
	db_code_list(r->db, list, option, &o);
	html_raw(b, "</fieldset>");
}

void fk_submit(struct req *r, const char *label_key)
{
	html_tag(&r->out, "button", "type", "submit", "class", "aksel-button", "data-variant", "primary", HTML_END);
	html_text(&r->out, tr(r, label_key));
	html_raw(&r->out, "</button>");
}

void fk_begin(struct req *r, const char *action, const char *cls)
{
	html_tag(&r->out, "form", "method", "post", "action", action, "class", cls ? cls : "app-form", HTML_END);
	page_csrf(r);
}

void fk_end(struct req *r)
{
	html_raw(&r->out, "</form>");
}

struct label_ctx {
	struct req *r;
	const char *code;
	const char *out;
};

static int find_label(const char *code, const char *nb, const char *en, void *ctx)
{
	struct label_ctx *l = ctx;
	if (strcmp(code, l->code) != 0)
		return 0;
	l->out = arena_strdup(l->r->arena, !strcmp(l->r->lang, "en") ? en : nb);
	return 1;
}

const char *fk_label(struct req *r, const char *list, const char *code)
{
	if (!code || !*code)
		return "";
	struct label_ctx l = {r, code, code};
	db_code_list(r->db, list, find_label, &l);
	return l.out;
}

void fk_heading(struct req *r, int level, const char *text)
{
	static const char *const sizes[] = {"", "large", "medium", "small", "xsmall"};
	char el[4], cls[64];
	snprintf(el, sizeof el, "h%d", level);
	snprintf(cls, sizeof cls, "aksel-heading aksel-heading--%s", sizes[level < 1 || level > 4 ? 3 : level]);
	html_elem(&r->out, el, text, "class", cls, HTML_END);
}
