#include "search.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* Folds ASCII and the Norwegian capitals Æ Ø Å (and É) to lower case, in place. */
static void fold(char *s)
{
	for (unsigned char *p = (unsigned char *)s; *p; p++) {
		if (*p >= 'A' && *p <= 'Z')
			*p = (unsigned char)(*p + 32);
		else if (*p == 0xc3 && p[1] && (p[1] == 0x86 || p[1] == 0x98 || p[1] == 0x85 || p[1] == 0x89))
			p[1] = (unsigned char)(p[1] + 0x20), p++;
	}
}

struct search {
	struct reg *g;
	char q[128];
	search_hit_cb cb;
	void *ctx;
	int pseudonym;
};

static int match(const struct student_row *s, void *ctx)
{
	struct search *x = ctx;
	char name[256], folded[256];
	student_open_name(x->g, s->pseudonym, &s->name, name, sizeof name);
	if (x->pseudonym) {
		if (!strncmp(s->pseudonym, x->q, strlen(x->q)))
			return x->cb(s, name, x->ctx);
		return 0;
	}
	snprintf(folded, sizeof folded, "%s", name);
	fold(folded);
	if (!x->q[0] || (folded[0] && strstr(folded, x->q)))
		return x->cb(s, name, x->ctx);
	return 0;
}

int student_search(struct reg *g, const char *scope_path, const char *q, search_hit_cb cb, void *ctx)
{
	struct search x = {.g = g, .cb = cb, .ctx = ctx};
	snprintf(x.q, sizeof x.q, "%s", q);
	x.pseudonym = !strncmp(q, "E-", 2) || !strncmp(q, "e-", 2);
	if (x.pseudonym) {
		for (char *p = x.q; *p; p++)
			if (*p >= 'a' && *p <= 'z')
				*p = (char)(*p - 32);
	} else {
		fold(x.q);
	}
	return db_student_list(g->db, scope_path, match, &x) == DB_OK ? 0 : -1;
}

static time_t day(const char *d)
{
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	if (sscanf(d, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3)
		return 0;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_hour = 12;
	return timegm(&tm);
}

int caseload_days_since(const char *today, const char *date)
{
	time_t a = day(today), b = day(date);
	if (!a || !b)
		return 0;
	return (int)((a - b) / 86400);
}
