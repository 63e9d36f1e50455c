/* Registering a student, and the student's page: details, consent, cases, history. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../http/html.h"
#include "../i18n/format.h"
#include "../i18n/i18n.h"
#include "pages.h"
#include "record_common.h"

static const char *year_text(struct req *r, int y)
{
	return y ? arena_printf(r->arena, "%d", y) : NULL;
}

static void school_select(struct req *r, const char *chosen);

static void student_fields(struct req *r, const struct student_row *s, const char *name, int new_)
{
	const char *const *v = r->in.v;
	/* A new student's form, or the change form shown again after a refusal: the values sent. */
	new_ = new_ || fk_failing(r);
	fk_input(r, "student_name", "student.name", "text", "off", new_ ? v[KEY_STUDENT_NAME] : name, 0);
	fk_input(r, "fnr", "student.fnr", "text", "off", new_ ? v[KEY_FNR] : NULL, 0);
	fk_input(r, "birth_year", "student.birth_year", "number", "off",
		 new_ ? v[KEY_BIRTH_YEAR] : year_text(r, s->birth_year), new_);
	fk_codes(r, "gender", "student.gender", "gender", new_ ? v[KEY_GENDER] : s->gender, 0);
	school_select(r, new_ ? v[KEY_SCHOOL] : s->school_code);
	fk_codes(r, "level", "student.level", "level", new_ ? v[KEY_LEVEL] : s->level, 0);
	fk_codes(r, "programme", "student.programme", "programme", new_ ? v[KEY_PROGRAMME] : s->programme, 0);
	fk_codes(r, "minority", "student.minority", "minority", new_ ? v[KEY_MINORITY] : s->minority, 0);
	fk_codes(r, "living", "student.living", "living", new_ ? v[KEY_LIVING] : NULL, 0);
	fk_input(r, "living_from", "student.living_from", "date", "off", new_ ? v[KEY_LIVING_FROM] : NULL, 0);
}

struct school_ctx {
	struct req *r;
	const char *chosen;
};

static int school_option(const struct unit *u, void *ctx)
{
	struct school_ctx *c = ctx;
	if (strcmp(u->kind, "school") != 0)
		return 0;
	html_tag(&c->r->out, "option", "value", u->code, "selected",
		 c->chosen && !strcmp(c->chosen, u->code) ? "" : HTML_END, HTML_END);
	html_text(&c->r->out, u->name);
	html_raw(&c->r->out, "</option>");
	return 0;
}

static void school_select(struct req *r, const char *chosen)
{
	buf_t *b = &r->out;
	const char *id = fk_id(r, "school");
	html_tag(b, "div", "class", "aksel-form-field", HTML_END);
	html_tag(b, "label", "for", id, "class", "aksel-form-field__label aksel-label", HTML_END);
	html_text(b, tr(r, "student.school"));
	html_raw(b, " <span class=\"app-optional\">");
	html_text(b, tr(r, "form.optional"));
	html_raw(b, "</span></label>");
	const char *err = fk_bad(r, "school");
	fk_field_error(r, "school");
	html_tag(b, "select", "id", id, "name", "school", "class", "aksel-select__input", "aria-invalid",
		 err ? "true" : NULL, "aria-describedby", err, HTML_END);
	html_raw(b, "<option value=\"\">");
	html_text(b, tr(r, "form.choose"));
	html_raw(b, "</option>");
	struct school_ctx c = {r, chosen};
	db_unit_list(r->db, r->user->unit_path, school_option, &c);
	html_raw(b, "</select></div>");
}

/* On the new-student form (no scope) the values sent; on the student's page those of the form
 * that failed, else today and nothing. */
static void consent_fields(struct req *r, struct reg *g)
{
	int sent = !r->id_prefix || fk_failing(r);
	fk_input(r, "consent_on", "consent.given_on", "date", "off",
		 sent && r->in.v[KEY_CONSENT_ON] ? r->in.v[KEY_CONSENT_ON] : g->today, 1);
	fk_codes(r, "consent_by", "consent.given_by", "consent_by", sent ? r->in.v[KEY_CONSENT_BY] : NULL, 1);
}

static int new_form(struct req *r, int status, const char *error_key)
{
	struct reg g;
	struct actor who;
	rp_ctx(r, &g, &who);
	buf_t *b = &r->out;
	page_begin(r, tr(r, "student.new"));
	fk_heading(r, 1, tr(r, "student.new"));
	if (error_key) {
		static const char *const required[] = {"consent_on", "consent_by", NULL};
		r->bad_field = rp_error_field(r, error_key, required);
		fk_errors(r, tr(r, error_key));
	}
	html_elem(b, "p", tr(r, "student.new_intro"), "class", "aksel-body-long", HTML_END);
	fk_begin(r, "/students", "app-form");
	html_raw(b, "<fieldset class=\"aksel-fieldset\"><legend class=\"aksel-fieldset__legend aksel-label\">");
	html_text(b, tr(r, "consent.registration"));
	html_raw(b, "</legend>");
	consent_fields(r, &g);
	html_raw(b, "</fieldset>");
	student_fields(r, NULL, NULL, 1);
	fk_submit(r, "student.register");
	fk_end(r);
	page_end(r);
	return status;
}

int page_student_new(struct req *r)
{
	return new_form(r, 200, NULL);
}

int page_student_create(struct req *r)
{
	struct reg g;
	struct actor who;
	rp_ctx(r, &g, &who);
	char pseudonym[16];
	struct outcome o = student_register(&g, &r->in, pseudonym);
	if (o.status >= 400) {
		/* Nothing stored is shown here: only what the counsellor just typed. */
		r->in.v[KEY_FNR] = NULL;
		return new_form(r, o.status, o.msg);
	}
	char *loc = arena_printf(r->arena, "/students/%s?ok=student.registered", pseudonym);
	return http_redirect(r, loc);
}

struct page_ctx {
	struct req *r;
	struct reg *g;
	const struct student_row *s;
};

static int consent_row(const struct consent_row *c, void *ctx)
{
	struct page_ctx *p = ctx;
	struct req *r = p->r;
	buf_t *b = &r->out;
	html_raw(b, "<tr class=\"aksel-table__row\">");
	rp_cell(r, fk_label(r, "consent_kind", c->kind));
	rp_cell(r, fk_label(r, "partner", c->partner));
	rp_cell(r, c->given_on);
	rp_cell(r, fk_label(r, "consent_by", c->given_by));
	html_raw(b, "<td class=\"aksel-table__data-cell\">");
	if (c->withdrawn_on[0]) {
		html_text(b, c->withdrawn_on);
	} else {
		char action[96];
		snprintf(action, sizeof action, "/students/%s/consents/%lld/withdraw", p->s->pseudonym,
			 (long long)c->id);
		fk_begin(r, action, "app-inline");
		html_tag(b, "button", "type", "submit", "class", "aksel-button aksel-button--small", "data-variant", "secondary", HTML_END);
		html_text(b, tr(r, "consent.withdraw"));
		html_raw(b, "</button>");
		fk_end(r);
	}
	html_raw(b, "</td></tr>");
	return 0;
}

static int case_row(const struct sak_row *k, void *ctx)
{
	struct page_ctx *p = ctx;
	struct req *r = p->r;
	buf_t *b = &r->out;
	char href[48], text[48];
	snprintf(href, sizeof href, "/cases/%lld", (long long)k->id);
	snprintf(text, sizeof text, "%s %lld", tr(r, "case.case"), (long long)k->id);
	html_raw(b, "<tr class=\"aksel-table__row\"><td class=\"aksel-table__data-cell\">");
	html_elem(b, "a", text, "href", href, "class", "aksel-link", HTML_END);
	html_raw(b, "</td>");
	rp_cell(r, k->opened_on);
	rp_cell(r, fk_label(r, "reason", k->main_reason));
	rp_cell(r, k->closed_on);
	html_raw(b, "</tr>");
	return 0;
}

static int living_row(const struct living_row *l, void *ctx)
{
	struct page_ctx *p = ctx;
	html_raw(&p->r->out, "<tr class=\"aksel-table__row\">");
	rp_cell(p->r, fk_label(p->r, "living", l->code));
	rp_cell(p->r, l->from_date);
	html_raw(&p->r->out, "</tr>");
	return 0;
}

static int change_row(const struct change_row *c, void *ctx)
{
	struct page_ctx *p = ctx;
	struct req *r = p->r;
	char what[96];
	snprintf(what, sizeof what, "%s %s", c->entity, c->field);
	html_raw(&r->out, "<tr class=\"aksel-table__row\">");
	char at[I18N_NUM_MAX];
	i18n_time(r->lang, c->at, at, sizeof at); /* Oslo time */
	rp_cell(r, at);
	rp_cell(r, c->username);
	rp_cell(r, what);
	rp_cell(r, c->old);
	rp_cell(r, c->new_);
	html_raw(&r->out, "</tr>");
	return 0;
}

int page_student(struct req *r)
{
	struct reg g;
	struct actor who;
	rp_ctx(r, &g, &who);
	const struct student_row *s = r->obj_student;
	if (rp_read(r, "student", s->pseudonym, "follow-up"))
		return 500;
	char name[256], fnr[64];
	student_open_name(&g, s->pseudonym, &s->name, name, sizeof name);
	student_open_fnr(&g, s->pseudonym, &s->fnr, fnr, sizeof fnr);
	buf_t *b = &r->out;
	struct page_ctx p = {r, &g, s};
	char action[80];
	page_begin(r, name[0] ? name : s->pseudonym);
	fk_heading(r, 1, name[0] ? name : s->pseudonym);
	glass_banner(r);
	rp_notice(r);
	html_raw(b, "<dl class=\"app-facts\">");
	rp_fact(r, "student.pseudonym", s->pseudonym);
	rp_fact(r, "student.fnr", fnr);
	rp_fact(r, "student.birth_year", year_text(r, s->birth_year));
	rp_fact(r, "student.school", s->school_code);
	rp_fact(r, "student.level", fk_label(r, "level", s->level));
	rp_fact(r, "student.programme", fk_label(r, "programme", s->programme));
	html_raw(b, "</dl>");
	html_raw(b, "<p>");
	html_elem(b, "a", tr(r, "access.link"), "href", arena_printf(r->arena, "/students/%s/access", s->pseudonym),
		  "class", "aksel-link", HTML_END);
	html_raw(b, "</p>");

	fk_heading(r, 2, tr(r, "case.cases"));
	static const char *const case_head[] = {"case.case", "case.opened_on", "case.main_reason", "case.closed_on", NULL};
	rp_table_start(r, case_head);
	db_sak_list_student(r->db, s->id, case_row, &p);
	rp_table_end(r);
	fk_scope(r, "case-");
	fk_details(r, "case.open");
	snprintf(action, sizeof action, "/students/%s/cases", s->pseudonym);
	fk_begin(r, action, "app-form");
	fk_input(r, "opened_on", "case.opened_on", "date", "off", fk_val(r, KEY_OPENED_ON, g.today), 1);
	fk_codes(r, "referral_source", "case.referral_source", "referral_source", fk_val(r, KEY_REFERRAL_SOURCE, NULL), 1);
	fk_input(r, "referred_on", "case.referred_on", "date", "off", fk_val(r, KEY_REFERRED_ON, NULL), 0);
	fk_codes(r, "main_reason", "case.main_reason", "reason", fk_val(r, KEY_MAIN_REASON, NULL), 1);
	fk_checks(r, "reasons", "case.other_reasons", "reason", fk_val(r, KEY_REASONS, NULL));
	fk_submit(r, "case.open");
	fk_end(r);
	html_raw(b, "</details>");

	fk_heading(r, 2, tr(r, "consent.title"));
	static const char *const consent_head[] = {"consent.kind", "consent.partner", "consent.given_on",
						   "consent.given_by", "consent.withdrawn_on", NULL};
	rp_table_start(r, consent_head);
	db_consent_list(r->db, s->id, consent_row, &p);
	rp_table_end(r);
	fk_scope(r, "consent-");
	fk_details(r, "consent.add");
	snprintf(action, sizeof action, "/students/%s/consents", s->pseudonym);
	fk_begin(r, action, "app-form");
	fk_codes(r, "consent_kind", "consent.kind", "consent_kind", fk_val(r, KEY_CONSENT_KIND, NULL), 1);
	fk_codes(r, "partner", "consent.partner", "partner", fk_val(r, KEY_PARTNER, NULL), 0);
	consent_fields(r, &g);
	fk_submit(r, "consent.add");
	fk_end(r);
	html_raw(b, "</details>");

	fk_heading(r, 2, tr(r, "student.details"));
	static const char *const living_head[] = {"student.living", "student.living_from", NULL};
	rp_table_start(r, living_head);
	db_living_list(r->db, s->id, living_row, &p);
	rp_table_end(r);
	fk_scope(r, "student-");
	fk_details(r, "student.change");
	snprintf(action, sizeof action, "/students/%s", s->pseudonym);
	fk_begin(r, action, "app-form");
	student_fields(r, s, name, 0);
	fk_submit(r, "form.save");
	fk_end(r);
	html_raw(b, "</details>");
	fk_scope(r, NULL);

	fk_heading(r, 2, tr(r, "history.title"));
	static const char *const hist_head[] = {"history.at", "history.by", "history.what", "history.old",
						"history.new", NULL};
	rp_table_start(r, hist_head);
	db_change_list(r->db, s->id, 200, change_row, &p);
	rp_table_end(r);
	page_end(r);
	return 200;
}

static const char *student_path(struct req *r)
{
	return arena_printf(r->arena, "/students/%s", r->obj_student->pseudonym);
}

/* A POST on the student's page: run the action, back to the page with its outcome; refused, the
 * page again with the form it came from open, its values and its error. */
#define STUDENT_POST(fn, form, date, call, ...)                                                         \
	int fn(struct req *r)                                                                      \
	{                                                                                          \
		static const char *const required[] = {__VA_ARGS__, NULL};                         \
		struct reg g;                                                                      \
		struct actor who;                                                                  \
		rp_ctx(r, &g, &who);                                                               \
		struct outcome o = call;                                                           \
		if (o.status >= 400)                                                               \
			return rp_refused(r, o, form, required, date, page_student);                     \
		return rp_done(r, student_path(r), o);                                             \
	}

STUDENT_POST(page_student_update, "student-", "living_from", student_update(&g, r->obj_student, &r->in), NULL)
STUDENT_POST(page_consent_add, "consent-", "consent_on", consent_add(&g, r->obj_student, &r->in), "consent_kind", "consent_on",
	     "consent_by")

/* Withdrawing the consent the registration rests on erases the student: the counsellor is told
 * what that means and confirms it (the same POST again, with erase=true). Nothing is written. */
static int erase_confirm(struct req *r, const char *consent_id)
{
	buf_t *b = &r->out;
	const struct student_row *s = r->obj_student;
	page_begin(r, tr(r, "erase.title"));
	fk_heading(r, 1, tr(r, "erase.title"));
	html_raw(b, "<div class=\"aksel-alert aksel-alert--warning\" role=\"alert\">");
	html_elem(b, "p", tr(r, "erase.warning"), "class", "aksel-body-long", HTML_END);
	html_raw(b, "</div>");
	html_elem(b, "p", tr(r, "erase.what"), "class", "aksel-body-long", HTML_END);
	html_raw(b, "<ul class=\"aksel-body-long\">");
	static const char *const items[] = {"erase.item_record", "erase.item_cases", "erase.item_referral",
					    "erase.item_kept_log", "erase.item_kept_stats", NULL};
	for (int i = 0; items[i]; i++)
		html_elem(b, "li", tr(r, items[i]), HTML_END);
	html_raw(b, "</ul>");
	html_elem(b, "p", tr(r, "erase.export_first"), "class", "aksel-body-long", HTML_END);
	html_raw(b, "<p class=\"app-downloads\">");
	html_elem(b, "a", tr(r, "access.export"), "href", arena_printf(r->arena, "/students/%s/export", s->pseudonym),
		  "class", "aksel-link", "download", "", HTML_END);
	html_raw(b, " ");
	html_elem(b, "a", tr(r, "access.export_pdf"),
		  "href", arena_printf(r->arena, "/students/%s/export?format=pdf", s->pseudonym), "class", "aksel-link",
		  "download", "", HTML_END);
	html_raw(b, "</p>");
	fk_begin(r, arena_printf(r->arena, "/students/%s/consents/%s/withdraw", s->pseudonym, consent_id), NULL);
	html_tag(b, "input", "type", "hidden", "name", "erase", "value", "true", HTML_END);
	if (r->in.v[KEY_WITHDRAWN_ON])
		html_tag(b, "input", "type", "hidden", "name", "withdrawn_on", "value", r->in.v[KEY_WITHDRAWN_ON], HTML_END);
	html_tag(b, "button", "type", "submit", "class", "aksel-button", "data-variant", "danger", "id", "erase-confirm",
		 HTML_END);
	html_text(b, tr(r, "erase.confirm"));
	html_raw(b, "</button> ");
	html_elem(b, "a", tr(r, "erase.cancel"), "href", student_path(r), "class", "aksel-link", HTML_END);
	fk_end(r);
	page_end(r);
	return 200;
}

int page_consent_withdraw(struct req *r)
{
	struct reg g;
	struct actor who;
	rp_ctx(r, &g, &who);
	const char *id = r->params[1];
	if (!id || !valid_uint(id, strlen(id)))
		return http_error(r, 404, "error.not_found");
	int erases = consent_withdraw_erases(&g, r->obj_student, atoll(id));
	if (erases < 0)
		return http_error(r, 503, "error.database_unavailable");
	if (erases && !form_true(r->in.v[KEY_ERASE]))
		return erase_confirm(r, id);
	struct outcome o = consent_withdraw(&g, r->obj_student, atoll(id), &r->in);
	if (o.status >= 400)
		return rp_refused(r, o, "withdraw-", NULL, NULL, page_student);
	if (erases) {
		/* The student is gone: commit, empty the WAL of the erased bytes, and go to the
		 * caseload (the student's page is no more). */
		if (erase_commit(r->db))
			return http_error(r, 500, "error.save_failed");
		return http_redirect(r, "/caseload?ok=consent.erased");
	}
	return rp_done(r, student_path(r), o);
}

int page_case_open(struct req *r)
{
	struct reg g;
	struct actor who;
	rp_ctx(r, &g, &who);
	int64_t id = 0;
	struct outcome o = sak_open(&g, r->obj_student, &r->in, &id);
	if (o.status >= 400) {
		static const char *const required[] = {"opened_on", "referral_source", "main_reason", NULL};
		return rp_refused(r, o, "case-", required, "opened_on", page_student);
	}
	return rp_done(r, arena_printf(r->arena, "/cases/%lld", (long long)id), o);
}

/* ---- the student's access report ---- */

/* A catalogue key for a logged word ("follow-up" → prefix.follow_up); the word itself when the
 * catalogue has none. */
static const char *logged_word(struct req *r, const char *prefix, const char *word)
{
	char key[96];
	size_t n = (size_t)snprintf(key, sizeof key, "%s.", prefix);
	for (const char *p = word; *p && n < sizeof key - 1; p++)
		key[n++] = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ? *p
			   : *p >= 'A' && *p <= 'Z'			     ? (char)(*p - 'A' + 'a')
									     : '_';
	key[n] = '\0';
	const char *t = tr(r, key);
	return t == key ? arena_strdup(r->arena, word) : t;
}

/* "student:E-…" → "Eleven"; "case:12" → "Sak 12"; "students" (an export) → "Alle elever". */
static const char *logged_object(struct req *r, const char *object)
{
	const char *colon = strchr(object, ':');
	if (!colon)
		return logged_word(r, "access.object", object);
	char kind[32];
	snprintf(kind, sizeof kind, "%.*s", (int)(colon - object), object);
	if (!strcmp(kind, "student"))
		return tr(r, "access.object.student");
	return arena_printf(r->arena, "%s %s", logged_word(r, "access.object", kind), colon + 1);
}

struct access_ctx {
	struct req *r;
	int n;
};

static int access_row(const struct audit_row *a, void *ctx)
{
	struct access_ctx *x = ctx;
	struct req *r = x->r;
	char at[I18N_NUM_MAX], role[32];
	i18n_time(r->lang, a->at, at, sizeof at);
	snprintf(role, sizeof role, "role.%s", a->role);
	html_raw(&r->out, "<tr class=\"aksel-table__row\">");
	rp_cell(r, at);
	rp_cell(r, arena_printf(r->arena, "%s (%s, %s)", a->username, tr(r, role), a->unit));
	rp_cell(r, logged_word(r, "access.action", a->action));
	rp_cell(r, logged_object(r, a->object));
	rp_cell(r, logged_word(r, "access.purpose", a->purpose));
	html_raw(&r->out, "</tr>");
	x->n++;
	return 0;
}

int page_student_access(struct req *r)
{
	struct reg g;
	struct actor who;
	rp_ctx(r, &g, &who);
	const struct student_row *s = r->obj_student;
	/* Making the report is itself a read of the record, and is in it. */
	if (rp_read(r, "student", s->pseudonym, "access report for the student"))
		return 500;
	char name[256];
	student_open_name(&g, s->pseudonym, &s->name, name, sizeof name);
	buf_t *b = &r->out;
	char title[400] = "";
	const char *args[1] = {name[0] ? name : s->pseudonym};
	i18n_fill(title, sizeof title, tr(r, "access.title"), args, 1);
	page_begin(r, title);
	html_raw(b, "<p class=\"app-noprint\">");
	html_elem(b, "a", name[0] ? name : s->pseudonym, "href", student_path(r), "class", "aksel-link", HTML_END);
	html_raw(b, "</p>");
	fk_heading(r, 1, title);
	html_elem(b, "p", tr(r, "access.intro"), "class", "aksel-body-long", HTML_END);
	html_raw(b, "<dl class=\"app-facts\">");
	rp_fact(r, "student.pseudonym", s->pseudonym);
	rp_fact(r, "access.made_by", arena_printf(r->arena, "%s (%s)", r->user->username, r->user->unit_name));
	rp_fact(r, "access.made_on", g.today);
	html_raw(b, "</dl>");
	static const char *const head[] = {"access.at", "access.who", "access.what", "access.object", "access.purpose", NULL};
	rp_table_start(r, head);
	struct access_ctx x = {r, 0};
	if (db_audit_for_student(r->db, s->id, access_row, &x) != DB_OK)
		return http_error(r, 500, "error.read_failed");
	rp_table_end(r);
	html_elem(b, "p", tr(r, "access.note"), "class", "aksel-body-short app-muted", HTML_END);
	html_raw(b, "<p class=\"app-downloads app-noprint\">");
	html_elem(b, "a", tr(r, "access.export"), "href", arena_printf(r->arena, "/students/%s/export", s->pseudonym),
		  "class", "aksel-link", "download", "", HTML_END);
	html_raw(b, " · ");
	html_elem(b, "a", tr(r, "access.export_pdf"),
		  "href", arena_printf(r->arena, "/students/%s/export?format=pdf", s->pseudonym), "class", "aksel-link",
		  "download", "", HTML_END);
	html_raw(b, "</p>");
	page_end(r);
	return 200;
}
