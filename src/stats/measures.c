#include "measures.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "../db/stats.h"
#include "../http/form.h"

struct codes {
	struct code_count *c;
	int *n;
	int cap;
};

static int add_code(const char *code, long n, void *ctx)
{
	struct codes *x = ctx;
	if (*x->n >= x->cap)
		return 1;
	snprintf(x->c[*x->n].code, sizeof x->c[0].code, "%s", code);
	x->c[*x->n].n = n;
	(*x->n)++;
	return 0;
}

/* Adds n to the code's count, appending the code when new (and there is room). */
static void merge_code(struct code_count *c, int *nc, int cap, const char *code, long n)
{
	for (int i = 0; i < *nc; i++)
		if (!strcmp(c[i].code, code)) {
			c[i].n += n;
			return;
		}
	if (*nc < cap) {
		snprintf(c[*nc].code, sizeof c[0].code, "%s", code);
		c[(*nc)++].n = n;
	}
}

int measures_period_parse(const char *text, struct measures_period *p)
{
	memset(p, 0, sizeof *p);
	size_t n = strlen(text);
	if (n == 7 && valid_school_year(text, 7)) {
		memcpy(p->first, text, 7);
		memcpy(p->last, text, 7);
	} else if (n == 15 && text[7] == '-' && valid_school_year(text, 7) && valid_school_year(text + 8, 7)) {
		memcpy(p->first, text, 7);
		memcpy(p->last, text + 8, 7);
		if (strcmp(p->first, p->last) > 0) /* same width: text order is year order */
			return 0;
	} else {
		return 0;
	}
	memcpy(p->text, text, n);
	unsigned first = (unsigned)atoi(p->first) % 10000u, last = (unsigned)atoi(p->last) % 10000u;
	snprintf(p->start, sizeof p->start, "%04u-08-01", first);
	snprintf(p->end, sizeof p->end, "%04u-07-31", (last + 1) % 10000u);
	return 1;
}

static void period_filter(const struct measures_period *p, struct stats_filter *f)
{
	memcpy(f->year_start, p->start, sizeof f->year_start);
	memcpy(f->year_end, p->end, sizeof f->year_end);
	memcpy(f->first_year, p->first, sizeof f->first_year);
	memcpy(f->last_year, p->last, sizeof f->last_year);
}

struct waits {
	long *v;
	long n, cap;
};

static int add_wait(long days, void *ctx)
{
	struct waits *w = ctx;
	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 64;
		w->v = xrealloc(w->v, (size_t)w->cap * sizeof *w->v);
	}
	w->v[w->n++] = days;
	return 0;
}

void measures_quantiles(const long *sorted, long n, double *median, double *p90)
{
	if (n <= 0) {
		*median = *p90 = 0;
		return;
	}
	/* The median of an even count is the mean of the two middle values. */
	long mid = n / 2; /* index arithmetic: integer division intended */
	*median = n % 2 ? (double)sorted[mid] : ((double)sorted[mid - 1] + (double)sorted[mid]) / 2.0;
	/* p90 by nearest rank: the smallest value with at least 90 % at or below it. */
	long rank = (9 * n + 9) / 10; /* ceil(0.9 n) */
	*p90 = (double)sorted[rank - 1];
}

int measures_compute(db_t *db, const char *school_year, const char *unit_code, const char *programme,
		     const char *level, struct measures *out, char *err, size_t errsz)
{
	memset(out, 0, sizeof *out);
	struct measures_period per;
	if (!measures_period_parse(school_year, &per)) {
		snprintf(err, errsz, "a school year looks like 2017/18, a period like 2014/15-2017/18");
		return -1;
	}
	struct unit u;
	if (db_unit_get(db, unit_code, &u) != DB_OK ||
	    (strcmp(u.kind, "nation") != 0 && strcmp(u.kind, "county") != 0 && strcmp(u.kind, "pilot") != 0)) {
		snprintf(err, errsz, "no nation, county or pilot with the code %s", unit_code);
		return -1;
	}
	struct stats_filter f = {.scope_path = u.path, .programme = programme ? programme : "",
				 .level = level ? level : ""};
	period_filter(&per, &f);
	snprintf(out->school_year, sizeof out->school_year, "%s", school_year);
	snprintf(out->unit, sizeof out->unit, "%s", unit_code);

	struct codes s2 = {out->s2, &out->s2_n, MEASURE_CODES}, s3 = {out->s3, &out->s3_n, MEASURE_CODES},
		     s5 = {out->s5, &out->s5_n, 4}, s9 = {out->s9, &out->s9_n, MEASURE_CODES};
	struct waits w = {0};
	int rc = db_stats_followed(db, &f, &out->s1_students, &out->s1_cases, &out->s1_new_cases) ||
		 db_stats_new_by(db, &f, "referral_source", add_code, &s2) ||
		 db_stats_new_by(db, &f, "main_reason", add_code, &s3) ||
		 db_stats_economy(db, &f, &out->s4_students, &out->s4_granted) ||
		 db_stats_assistance(db, &f, add_code, &s5) ||
		 db_stats_assistance_living(db, &f, &out->s6_known, &out->s6_with_parents) ||
		 db_stats_interagency(db, &f, &out->s7_cases, &out->s7_interagency) ||
		 db_stats_repeat(db, &f, &out->s8_students, &out->s8_repeats) ||
		 db_stats_followup(db, &f, &out->s9_students, add_code, &s9) ||
		 db_stats_waits(db, &f, add_wait, &w) || db_stats_both_measures(db, &f, &out->s11_students);
	if (rc != 0) {
		free(w.v);
		snprintf(err, errsz, "cannot compute the measures: %s", db_errmsg(db));
		return -1;
	}
	for (int i = 0; i < out->s5_n; i++)
		out->s5_students += out->s5[i].n;
	out->s10_n = w.n;
	measures_quantiles(w.v, w.n, &out->s10_median, &out->s10_p90);
	free(w.v);
	out->s12_granted = out->s5_students;
	out->s12_students = out->s1_students;
	return 0;
}

/* ---- every pilot at once ---- */

struct by_pilot {
	struct measures_set *s;
	/* S9: follow-up codes (bit i = codes[i]) of every contact, by contact id */
	char codes[MEASURE_CODES][32];
	int ncodes;
	unsigned char by_letter[256]; /* 1 + a code's index by its first letter (0: none yet) */
	int64_t *contact;
	uint32_t *mask;
	long ncontact, capcontact;
	/* the same as a table by contact id - first_id, when the ids are dense enough */
	uint32_t *by_id;
	int64_t first_id, nby_id;
	/* S9: per student of the period: pilot, codes given, open addressing on the id */
	struct student_slot {
		int64_t id; /* 0: empty */
		int pilot;
		uint32_t mask;
	} *st;
	long nst, capst;
	int bad;
};

static int unit_take(const struct unit *u, void *ctx)
{
	struct measures_set *s = ctx;
	s->p = xrealloc(s->p, (size_t)(s->n + 1) * sizeof *s->p);
	struct measures_pilot *x = &s->p[s->n++];
	memset(x, 0, sizeof *x);
	x->unit_id = u->id;
	snprintf(x->path, sizeof x->path, "%s", u->path);
	snprintf(x->m.unit, sizeof x->m.unit, "%s", u->code);
	snprintf(x->m.school_year, sizeof x->m.school_year, "%s", s->period.text);
	return 0;
}

static int by_unit_id(const void *a, const void *b)
{
	int64_t x = ((const struct measures_pilot *)a)->unit_id, y = ((const struct measures_pilot *)b)->unit_id;
	return (x > y) - (x < y);
}

static struct measures_pilot *pilot_of(struct measures_set *s, int64_t id)
{
	struct measures_pilot key = {.unit_id = id};
	return bsearch(&key, s->p, (size_t)s->n, sizeof *s->p, by_unit_id);
}

static int followup_take(int64_t contact_id, const char *code, void *ctx)
{
	struct by_pilot *b = ctx;
	/* 2 million rows: the first letter usually tells the code without a search. */
	int i = (int)b->by_letter[(unsigned char)code[0]] - 1;
	if (i < 0 || strcmp(b->codes[i], code) != 0) {
		i = 0;
		while (i < b->ncodes && strcmp(b->codes[i], code) != 0)
			i++;
		if (i == b->ncodes) {
			if (b->ncodes == MEASURE_CODES)
				return 0; /* more codes than a measure holds: as measures_compute, the rest is left out */
			snprintf(b->codes[b->ncodes++], sizeof b->codes[0], "%s", code);
			if (!b->by_letter[(unsigned char)code[0]])
				b->by_letter[(unsigned char)code[0]] = (unsigned char)(i + 1);
		}
	}
	/* Rows come in contact order: a contact's codes are next to each other. */
	if (b->ncontact && b->contact[b->ncontact - 1] == contact_id) {
		b->mask[b->ncontact - 1] |= 1u << i;
		return 0;
	}
	if (b->ncontact == b->capcontact) {
		b->capcontact = b->capcontact ? b->capcontact * 2 : 4096;
		b->contact = xrealloc(b->contact, (size_t)b->capcontact * sizeof *b->contact);
		b->mask = xrealloc(b->mask, (size_t)b->capcontact * sizeof *b->mask);
	}
	b->contact[b->ncontact] = contact_id;
	b->mask[b->ncontact++] = 1u << i;
	return 0;
}

/* Contact ids are mostly consecutive: a table indexed by id, not a search per contact of the
 * period (most of the time of S9 otherwise), unless they are too sparse for one. */
static void contact_table(struct by_pilot *b)
{
	if (!b->ncontact)
		return;
	int64_t span = b->contact[b->ncontact - 1] - b->contact[0] + 1;
	if (span > 4 * (int64_t)b->ncontact + 4096)
		return;
	b->first_id = b->contact[0];
	b->nby_id = span;
	b->by_id = xcalloc((size_t)span, sizeof *b->by_id);
	for (long i = 0; i < b->ncontact; i++)
		b->by_id[b->contact[i] - b->first_id] = b->mask[i];
}

static uint32_t contact_codes(const struct by_pilot *b, int64_t id)
{
	if (b->by_id)
		return id >= b->first_id && id - b->first_id < b->nby_id ? b->by_id[id - b->first_id] : 0;
	long lo = 0, hi = b->ncontact;
	while (lo < hi) {
		long mid = lo + (hi - lo) / 2;
		if (b->contact[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < b->ncontact && b->contact[lo] == id ? b->mask[lo] : 0;
}

static struct student_slot *student_slot(struct by_pilot *b, int64_t id)
{
	if (2 * (b->nst + 1) > b->capst) {
		struct student_slot *old = b->st;
		long oldcap = b->capst;
		b->capst = b->capst ? b->capst * 2 : 1024;
		b->st = xcalloc((size_t)b->capst, sizeof *b->st);
		b->nst = 0;
		for (long i = 0; i < oldcap; i++)
			if (old[i].id) {
				struct student_slot *x = student_slot(b, old[i].id);
				x->pilot = old[i].pilot;
				x->mask = old[i].mask;
			}
		free(old);
	}
	unsigned long h = (unsigned long)id * 0x9E3779B97F4A7C15ul, m = (unsigned long)b->capst - 1;
	for (h &= m; b->st[h].id && b->st[h].id != id; h = (h + 1) & m)
		;
	if (!b->st[h].id) {
		b->st[h].id = id;
		b->st[h].pilot = -1;
		b->nst++;
	}
	return &b->st[h];
}

static int row_take(const char *measure, int64_t pilot_id, const char *code, int64_t a, int64_t b_, int64_t c,
		    void *ctx)
{
	struct by_pilot *b = ctx;
	struct measures_pilot *p = pilot_of(b->s, pilot_id);
	if (!p) {
		b->bad = 1; /* a student's pilot outside the unit tree: cannot be */
		return 1;
	}
	struct measures *m = &p->m;
	if (!strcmp(measure, "S9c")) { /* most rows: one per contact of the period */
		struct student_slot *x = student_slot(b, a);
		x->pilot = (int)(p - b->s->p);
		x->mask |= contact_codes(b, b_);
	} else if (!strcmp(measure, "S1")) {
		m->s1_students = a;
		m->s1_cases = b_;
		m->s1_new_cases = c;
	} else if (!strcmp(measure, "S2")) {
		merge_code(m->s2, &m->s2_n, MEASURE_CODES, code, a);
	} else if (!strcmp(measure, "S3")) {
		merge_code(m->s3, &m->s3_n, MEASURE_CODES, code, a);
	} else if (!strcmp(measure, "S4")) {
		m->s4_students = a;
		m->s4_granted = b_;
	} else if (!strcmp(measure, "S5")) {
		merge_code(m->s5, &m->s5_n, 4, code, a);
		m->s5_students += a;
	} else if (!strcmp(measure, "S6")) {
		m->s6_known = a;
		m->s6_with_parents = b_;
	} else if (!strcmp(measure, "S7")) {
		m->s7_cases = a;
		m->s7_interagency = b_;
	} else if (!strcmp(measure, "S8")) {
		m->s8_students = a;
		m->s8_repeats = b_;
	} else if (!strcmp(measure, "S10")) {
		if (p->nwaits == p->capwaits) {
			p->capwaits = p->capwaits ? p->capwaits * 2 : 64;
			p->waits = xrealloc(p->waits, (size_t)p->capwaits * sizeof *p->waits);
		}
		p->waits[p->nwaits++] = (struct measures_wait){(long)a, (long)b_};
		m->s10_n += b_;
	} else if (!strcmp(measure, "S11")) {
		m->s11_students = a;
	}
	return 0;
}

static int by_days(const void *a, const void *b)
{
	long x = ((const struct measures_wait *)a)->days, y = ((const struct measures_wait *)b)->days;
	return (x > y) - (x < y);
}

int measures_by_pilot(db_t *db, const char *school_year, struct measures_set *out, char *err, size_t errsz)
{
	memset(out, 0, sizeof *out);
	if (!measures_period_parse(school_year, &out->period)) {
		snprintf(err, errsz, "a school year looks like 2017/18, a period like 2014/15-2017/18");
		return -1;
	}
	if (db_unit_list(db, "/", unit_take, out) != DB_OK) {
		snprintf(err, errsz, "cannot read the units");
		measures_set_free(out);
		return -1;
	}
	qsort(out->p, (size_t)out->n, sizeof *out->p, by_unit_id);
	struct stats_filter f = {.scope_path = "/", .programme = "", .level = ""};
	period_filter(&out->period, &f);
	struct by_pilot b = {.s = out};
	int rc = db_stats_followup_codes(db, followup_take, &b);
	if (rc == 0) {
		contact_table(&b);
		rc = db_stats_by_pilot(db, &f, row_take, &b) || b.bad;
	}
	if (rc == 0) {
		for (long i = 0; i < b.capst; i++) {
			if (!b.st[i].id || b.st[i].pilot < 0)
				continue;
			struct measures *m = &out->p[b.st[i].pilot].m;
			m->s9_students++;
			for (int c = 0; c < b.ncodes; c++)
				if (b.st[i].mask & (1u << c))
					merge_code(m->s9, &m->s9_n, MEASURE_CODES, b.codes[c], 1);
		}
		for (int i = 0; i < out->n; i++) {
			struct measures *m = &out->p[i].m;
			m->s12_granted = m->s5_students;
			m->s12_students = m->s1_students;
		}
	}
	free(b.contact);
	free(b.mask);
	free(b.by_id);
	free(b.st);
	if (rc != 0) {
		snprintf(err, errsz, "cannot compute the measures: %s", b.bad ? "a student outside the units" : db_errmsg(db));
		measures_set_free(out);
		return -1;
	}
	return 0;
}

/* The value at rank r (0-based) of the waits, sorted by days, each repeated n times. */
static long wait_at(const struct measures_wait *w, long nw, long r)
{
	for (long i = 0; i < nw; i++) {
		if (r < w[i].n)
			return w[i].days;
		r -= w[i].n;
	}
	return 0;
}

void measures_sum(const struct measures_set *s, const char *scope_path, struct measures *out)
{
	memset(out, 0, sizeof *out);
	snprintf(out->school_year, sizeof out->school_year, "%s", s->period.text);
	size_t plen = strlen(scope_path);
	struct measures_wait *w = NULL;
	long nw = 0;
	for (int i = 0; i < s->n; i++) {
		const struct measures_pilot *p = &s->p[i];
		if (strncmp(p->path, scope_path, plen) != 0)
			continue;
		const struct measures *m = &p->m;
		out->s1_students += m->s1_students;
		out->s1_cases += m->s1_cases;
		out->s1_new_cases += m->s1_new_cases;
		for (int c = 0; c < m->s2_n; c++)
			merge_code(out->s2, &out->s2_n, MEASURE_CODES, m->s2[c].code, m->s2[c].n);
		for (int c = 0; c < m->s3_n; c++)
			merge_code(out->s3, &out->s3_n, MEASURE_CODES, m->s3[c].code, m->s3[c].n);
		out->s4_students += m->s4_students;
		out->s4_granted += m->s4_granted;
		for (int c = 0; c < m->s5_n; c++)
			merge_code(out->s5, &out->s5_n, 4, m->s5[c].code, m->s5[c].n);
		out->s5_students += m->s5_students;
		out->s6_known += m->s6_known;
		out->s6_with_parents += m->s6_with_parents;
		out->s7_cases += m->s7_cases;
		out->s7_interagency += m->s7_interagency;
		out->s8_students += m->s8_students;
		out->s8_repeats += m->s8_repeats;
		out->s9_students += m->s9_students;
		for (int c = 0; c < m->s9_n; c++)
			merge_code(out->s9, &out->s9_n, MEASURE_CODES, m->s9[c].code, m->s9[c].n);
		out->s10_n += m->s10_n;
		out->s11_students += m->s11_students;
		if (p->nwaits) {
			w = xrealloc(w, (size_t)(nw + p->nwaits) * sizeof *w);
			memcpy(w + nw, p->waits, (size_t)p->nwaits * sizeof *w);
			nw += p->nwaits;
		}
	}
	out->s12_granted = out->s5_students;
	out->s12_students = out->s1_students;
	/* The same median and nearest-rank p90 as measures_quantiles over the expanded waits. */
	if (out->s10_n > 0 && w) {
		qsort(w, (size_t)nw, sizeof *w, by_days);
		long n = out->s10_n, mid = n / 2;
		out->s10_median = n % 2 ? (double)wait_at(w, nw, mid)
					: ((double)wait_at(w, nw, mid - 1) + (double)wait_at(w, nw, mid)) / 2.0;
		out->s10_p90 = (double)wait_at(w, nw, (9 * n + 9) / 10 - 1);
	}
	free(w);
}

void measures_set_free(struct measures_set *s)
{
	if (!s)
		return;
	for (int i = 0; i < s->n; i++)
		free(s->p[i].waits);
	free(s->p);
	s->p = NULL;
	s->n = 0;
}
