/* Shared pieces of the registration actions: context, history rows, sealing, code checks. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../core/util.h"
#include "internal.h"

void reg_init(struct reg *g, db_t *db, const struct keyring *kr, const struct actor *who,
	      int64_t account_id, int guardian_age, int rule_2032)
{
	memset(g, 0, sizeof *g);
	g->db = db;
	g->kr = kr;
	g->who = who;
	g->account_id = account_id;
	g->guardian_age = guardian_age;
	g->rule_2032 = rule_2032;
	time_t t = (time_t)now_utc();
	struct tm tm;
	/* Dates are Norwegian calendar dates; the server runs in UTC, so take Oslo's offset
	 * into account roughly by using local time where TZ is set, UTC otherwise. */
	localtime_r(&t, &tm);
	strftime(g->today, sizeof g->today, "%Y-%m-%d", &tm);
}

void pilot_of_path(const char *path, char out[33])
{
	/* "/NO/<county>/<pilot>/…": the third segment. */
	out[0] = '\0';
	const char *p = path;
	for (int seg = 0; seg < 2 && p; seg++) {
		p = strchr(p + 1, '/');
	}
	if (!p)
		return;
	const char *end = strchr(p + 1, '/');
	if (!end || end - p - 1 > 32 || end == p + 1)
		return;
	snprintf(out, 33, "%.*s", (int)(end - p - 1), p + 1);
}

void school_year_of(const char *date, char out[8])
{
	int y = 0, m = 0;
	sscanf(date, "%4d-%2d", &y, &m);
	unsigned start = (unsigned)(m >= 8 ? y : y - 1) % 10000u;
	snprintf(out, 8, "%04u/%02u", start, (start + 1) % 100u);
}

struct outcome bad(int status, const char *msg)
{
	return (struct outcome){status, msg};
}

int check_code(struct reg *g, const char *list, const char *code, struct outcome *o)
{
	if (!code)
		return 0;
	int v = db_code_valid(g->db, list, code);
	if (v == 1)
		return 0;
	*o = v < 0 ? bad(500, "error.500") : bad(422, "record.bad_code");
	return -1;
}

int check_codes(struct reg *g, const char *list, const char *codes, struct outcome *o)
{
	if (!codes)
		return 0;
	char buf[512];
	snprintf(buf, sizeof buf, "%s", codes);
	char *save = NULL;
	for (char *c = strtok_r(buf, ",", &save); c; c = strtok_r(NULL, ",", &save))
		if (strcmp(c, CODES_NONE) != 0 && check_code(g, list, c, o) != 0)
			return -1;
	return 0;
}

void codes_without_none(const char *codes, char *out, size_t outsz)
{
	char buf[512];
	size_t n = 0;
	out[0] = '\0';
	snprintf(buf, sizeof buf, "%s", codes ? codes : "");
	char *save = NULL;
	for (char *c = strtok_r(buf, ",", &save); c; c = strtok_r(NULL, ",", &save))
		if (strcmp(c, CODES_NONE) != 0 && n < outsz)
			n += (size_t)snprintf(out + n, outsz - n, "%s%s", n ? "," : "", c);
}

int history(struct reg *g, int64_t student_id, int64_t sak_id, const char *entity,
	    int64_t entity_id, const char *field, const char *old, const char *new_)
{
	struct change_row c;
	memset(&c, 0, sizeof c);
	snprintf(c.username, sizeof c.username, "%s", g->who->username);
	c.sak_id = sak_id;
	snprintf(c.entity, sizeof c.entity, "%s", entity);
	c.entity_id = entity_id;
	snprintf(c.field, sizeof c.field, "%s", field);
	snprintf(c.old, sizeof c.old, "%s", old ? old : "");
	snprintf(c.new_, sizeof c.new_, "%s", new_ ? new_ : "");
	return db_change_add(g->db, student_id, &c);
}

int audit(struct reg *g, const char *action, const char *kind, const char *id, const char *purpose)
{
	char obj[80];
	snprintf(obj, sizeof obj, "%s:%s", kind, id);
	return actor_audit(g->db, g->who, action, obj, purpose);
}

void seal_text(const struct reg *g, const char *ad_kind, const char *ad_id, const char *text,
	       struct sealed *out)
{
	char ad[64];
	size_t n = strlen(text);
	snprintf(ad, sizeof ad, "%s:%s", ad_kind, ad_id);
	if (n + SEAL_OVERHEAD > sizeof out->b) {
		out->n = 0;
		return;
	}
	seal(g->kr, ad, text, n, out->b);
	out->n = n + SEAL_OVERHEAD;
}

void open_text(const struct reg *g, const char *ad_kind, const char *ad_id, const unsigned char *b,
	       size_t n, char *out, size_t outsz)
{
	out[0] = '\0';
	if (!n || n < SEAL_OVERHEAD || n - SEAL_OVERHEAD + 1 > outsz)
		return;
	char ad[64];
	snprintf(ad, sizeof ad, "%s:%s", ad_kind, ad_id);
	if (unseal(g->kr, ad, b, n, out) < 0) {
		out[0] = '\0';
		((struct reg *)g)->unreadable++;
	}
}

void student_open_name(const struct reg *g, const char *pseudonym, const struct sealed *name,
		       char *out, size_t outsz)
{
	open_text(g, "student.name", pseudonym, name->b, name->n, out, outsz);
}

void student_open_fnr(const struct reg *g, const char *pseudonym, const struct sealed *fnr,
		      char *out, size_t outsz)
{
	open_text(g, "student.fnr", pseudonym, fnr->b, fnr->n, out, outsz);
}

const char *or_empty(const char *s)
{
	return s ? s : "";
}
