#include "release.h"

#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "../db/record.h"
#include "../db/stats.h"
#include "measures.h"

#define MAX_UNITS 256

struct unit_ref {
	char code[33];
	char name[201];
	char kind[16];
	char parent[33];
	char path[512];
	struct measures m;
	int first_cell; /* its cells are first_cell .. first_cell + cells_per_unit - 1 */
};

struct model {
	struct sdc *s;
	struct unit_ref *u;
	int n;
	int cells_per_unit; /* every unit has the same cells in the same order */
	char codes[4][MEASURE_CODES][32]; /* referral sources, reasons, follow-ups, durations */
	int ncodes[4];
	buf_t raw; /* every raw count in a fixed order: the hash's input */
};

static int cell(struct model *m, const char *what, const char *unit, long v)
{
	char key[96];
	snprintf(key, sizeof key, "%s|%s", what, unit);
	buf_printf(&m->raw, "%s=%ld\n", key, v);
	return sdc_cell(m->s, key, v);
}

static long code_n(const struct code_count *c, int n, const char *code)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(c[i].code, code))
			return c[i].n;
	return 0;
}

/* group = yes + (group - yes) */
static void yes_no(struct model *m, const char *what, const char *unit, int group_cell, long group, long yes)
{
	char k[64];
	snprintf(k, sizeof k, "%s.yes", what);
	int y = cell(m, k, unit, yes);
	snprintf(k, sizeof k, "%s.no", what);
	int n = cell(m, k, unit, group - yes);
	int parts[2] = {y, n};
	sdc_sum(m->s, group_cell, parts, 2);
}

/* The cells of one unit and the sums inside it. */
static int unit_cells(struct model *m, const struct unit_ref *u)
{
	const struct measures *x = &u->m;
	const char *c = u->code;
	int students = cell(m, "S1.students", c, x->s1_students);
	int cases = cell(m, "S1.cases", c, x->s1_cases);
	int fresh = cell(m, "S1.new", c, x->s1_new_cases);
	if (students < 0 || cases < 0 || fresh < 0)
		return -1;
	int parts[MEASURE_CODES + 1];
	for (int i = 0; i < m->ncodes[0]; i++) {
		char k[48];
		snprintf(k, sizeof k, "S2.%s", m->codes[0][i]);
		parts[i] = cell(m, k, c, code_n(x->s2, x->s2_n, m->codes[0][i]));
	}
	sdc_sum(m->s, fresh, parts, m->ncodes[0]);
	for (int i = 0; i < m->ncodes[1]; i++) {
		char k[48];
		snprintf(k, sizeof k, "S3.%s", m->codes[1][i]);
		parts[i] = cell(m, k, c, code_n(x->s3, x->s3_n, m->codes[1][i]));
	}
	sdc_sum(m->s, fresh, parts, m->ncodes[1]);
	yes_no(m, "S4", c, cell(m, "S4.group", c, x->s4_students), x->s4_students, x->s4_granted);
	int s5 = cell(m, "S5.total", c, x->s5_students);
	for (int i = 0; i < m->ncodes[3]; i++) {
		char k[48];
		snprintf(k, sizeof k, "S5.%s", m->codes[3][i]);
		parts[i] = cell(m, k, c, code_n(x->s5, x->s5_n, !strcmp(m->codes[3][i], "UKJENT") ? "" : m->codes[3][i]));
	}
	sdc_sum(m->s, s5, parts, m->ncodes[3]);
	yes_no(m, "S6", c, cell(m, "S6.group", c, x->s6_known), x->s6_known, x->s6_with_parents);
	yes_no(m, "S7", c, cases, x->s7_cases, x->s7_interagency);
	yes_no(m, "S8", c, cell(m, "S8.group", c, x->s8_students), x->s8_students, x->s8_repeats);
	int s9 = cell(m, "S9.group", c, x->s9_students);
	for (int i = 0; i < m->ncodes[2]; i++) {
		char k[48];
		snprintf(k, sizeof k, "S9.%s", m->codes[2][i]);
		yes_no(m, k, c, s9, x->s9_students, code_n(x->s9, x->s9_n, m->codes[2][i]));
	}
	cell(m, "S10.n", c, x->s10_n);
	yes_no(m, "S11", c, students, x->s1_students, x->s11_students);
	return 0;
}

/* Every cell of a parent is the sum of the same cell of its children: the children's cells
 * stand at the same offsets from their first cell as the parent's. */
static int hierarchy(struct model *m, const struct unit_ref *parent, const char *kind_of_children)
{
	int *parts = xmalloc(MAX_UNITS * sizeof *parts);
	int rc = 0;
	for (int j = 0; j < m->cells_per_unit && rc == 0; j++) {
		int total = parent->first_cell + j, np = 0;
		const char *key = sdc_key(m->s, total);
		size_t what = (size_t)(strchr(key, '|') - key);
		for (int u = 0; u < m->n; u++) {
			if (strcmp(m->u[u].parent, parent->code) != 0 || strcmp(m->u[u].kind, kind_of_children) != 0)
				continue;
			int part = m->u[u].first_cell + j;
			if (strncmp(sdc_key(m->s, part), key, what + 1) != 0)
				rc = -1; /* cannot be: the units' cells were made in one order */
			parts[np++] = part;
		}
		if (np)
			sdc_sum_area(m->s, total, parts, np);
	}
	free(parts);
	return rc;
}

struct codes_ctx {
	struct model *m;
	int which;
};

static int take_code(const char *code, const char *nb, const char *en, void *ctx)
{
	(void)nb;
	(void)en;
	struct codes_ctx *c = ctx;
	if (c->m->ncodes[c->which] < MEASURE_CODES)
		snprintf(c->m->codes[c->which][c->m->ncodes[c->which]++], 32, "%s", code);
	return 0;
}

struct units_ctx {
	struct model *m;
};

static int take_unit(const struct unit *u, void *ctx)
{
	struct model *m = ((struct units_ctx *)ctx)->m;
	if (strcmp(u->kind, "nation") != 0 && strcmp(u->kind, "county") != 0 && strcmp(u->kind, "pilot") != 0)
		return 0;
	if (m->n >= MAX_UNITS)
		return 1;
	struct unit_ref *r = &m->u[m->n++];
	memset(r, 0, sizeof *r);
	snprintf(r->code, sizeof r->code, "%s", u->code);
	snprintf(r->name, sizeof r->name, "%s", u->name);
	snprintf(r->kind, sizeof r->kind, "%s", u->kind);
	snprintf(r->parent, sizeof r->parent, "%s", u->parent_code);
	snprintf(r->path, sizeof r->path, "%s", u->path);
	return 0;
}

static int has_pilots(const struct model *m, const char *county)
{
	for (int i = 0; i < m->n; i++)
		if (!strcmp(m->u[i].kind, "pilot") && !strcmp(m->u[i].parent, county))
			return 1;
	return 0;
}

static json_t *protected_value(struct sdc *s, int i)
{
	return sdc_status(s, i) == SDC_PUBLISHED ? json_integer(sdc_value(s, i)) : json_null();
}

int release_build(db_t *db, const char *school_year, const struct sdc_opts *o, struct release_built *out,
		  char *err, size_t errsz)
{
	memset(out, 0, sizeof *out);
	struct model m = {0};
	m.s = sdc_new();
	m.u = xcalloc(MAX_UNITS, sizeof *m.u);
	buf_init(&m.raw);
	struct codes_ctx cc = {&m, 0};
	db_code_list(db, "referral_source", take_code, &cc);
	cc.which = 1;
	db_code_list(db, "reason", take_code, &cc);
	cc.which = 2;
	db_code_list(db, "followup", take_code, &cc);
	static const char *const durations[] = {"LANGTID", "KORTTID", "ENGANG", "UKJENT"};
	for (int i = 0; i < 4; i++)
		snprintf(m.codes[3][i], 32, "%s", durations[i]);
	m.ncodes[3] = 4;
	struct units_ctx uc = {&m};
	int rc = -1;
	if (db_unit_list(db, "/", take_unit, &uc) != DB_OK) {
		snprintf(err, errsz, "cannot read the units");
		goto out;
	}
	/* Counties without pilots have nothing to count: leave them out. */
	int kept = 0;
	for (int i = 0; i < m.n; i++)
		if (strcmp(m.u[i].kind, "county") != 0 || has_pilots(&m, m.u[i].code))
			m.u[kept++] = m.u[i];
	m.n = kept;
	/* Every pilot's counts in one pass per measure; a county's and the nation's are sums. */
	struct measures_set set;
	if (measures_by_pilot(db, school_year, &set, err, errsz) != 0)
		goto out;
	for (int i = 0; i < m.n; i++) {
		measures_sum(&set, m.u[i].path, &m.u[i].m);
		snprintf(m.u[i].m.unit, sizeof m.u[i].m.unit, "%s", m.u[i].code);
		m.u[i].first_cell = sdc_count(m.s);
		int bad = unit_cells(&m, &m.u[i]) != 0;
		int made = sdc_count(m.s) - m.u[i].first_cell;
		if (i == 0)
			m.cells_per_unit = made;
		if (bad || made != m.cells_per_unit) {
			measures_set_free(&set);
			snprintf(err, errsz, "the measures of %s do not add up", m.u[i].code);
			goto out;
		}
	}
	measures_set_free(&set);
	for (int i = 0; i < m.n; i++) {
		int h = 0;
		if (!strcmp(m.u[i].kind, "county"))
			h = hierarchy(&m, &m.u[i], "pilot");
		else if (!strcmp(m.u[i].kind, "nation"))
			h = hierarchy(&m, &m.u[i], "county");
		if (h != 0) {
			snprintf(err, errsz, "the cells of %s do not match its parts", m.u[i].code);
			goto out;
		}
	}
	buf_printf(&m.raw, "k=%ld\nsmall_group=%ld\n", o->k, o->small_group);
	for (int i = 0; i < m.n; i++)
		buf_printf(&m.raw, "S10.median|%s=%.1f\nS10.p90|%s=%.1f\n", m.u[i].code, m.u[i].m.s10_median,
			   m.u[i].code, m.u[i].m.s10_p90);
	unsigned char h[32];
	crypto_hash_sha256(h, (const unsigned char *)m.raw.p, m.raw.len);
	hex_encode(h, sizeof h, out->inputs_hash);
	int sup = sdc_protect(m.s, o);
	if (sup < 0) {
		snprintf(err, errsz, "disclosure control failed (solver)");
		goto out;
	}
	out->suppressed = sup;
	out->cells = sdc_count(m.s);

	json_t *units = json_array(), *cells = json_object(), *waits = json_object();
	for (int i = 0; i < m.n; i++) {
		json_array_append_new(units, json_pack("{s:s,s:s,s:s,s:o}", "code", m.u[i].code, "name", m.u[i].name,
						       "kind", m.u[i].kind, "parent",
						       m.u[i].parent[0] ? json_string(m.u[i].parent) : json_null()));
	}
	for (int i = 0; i < out->cells; i++)
		json_object_set_new(cells, sdc_key(m.s, i), protected_value(m.s, i));
	/* S10 is a median of days, shown only where its count of cases is shown. */
	for (int i = 0; i < m.n; i++) {
		char key[64];
		snprintf(key, sizeof key, "S10.n|%s", m.u[i].code);
		json_t *n = json_object_get(cells, key);
		/* The median needs k cases; the 90th percentile 2k, below which it is the largest
		 * single wait (nearest rank), one case's own value. */
		json_int_t cases = json_is_integer(n) ? json_integer_value(n) : 0;
		json_t *wj = json_null();
		if (cases >= o->k) {
			wj = json_pack("{s:f}", "median", m.u[i].m.s10_median);
			json_object_set_new(wj, "p90", cases >= 2 * o->k ? json_real(m.u[i].m.s10_p90) : json_null());
		}
		json_object_set_new(waits, m.u[i].code, wj);
	}
	json_t *codes = json_pack("{s:[],s:[],s:[],s:[]}", "referral_source", "reason", "followup", "duration");
	static const char *const names[] = {"referral_source", "reason", "followup", "duration"};
	for (int w = 0; w < 4; w++)
		for (int i = 0; i < m.ncodes[w]; i++)
			json_array_append_new(json_object_get(codes, names[w]), json_string(m.codes[w][i]));
	out->content = json_pack("{s:s,s:i,s:s,s:{s:I,s:I},s:s,s:i,s:i,s:o,s:o,s:o,s:o}", "format",
				 "elevlos-release", "version", 1, "school_year", school_year, "protection", "k",
				 (json_int_t)o->k, "small_group", (json_int_t)o->small_group, "inputs_hash",
				 out->inputs_hash, "cells_total", out->cells, "cells_suppressed", out->suppressed,
				 "units", units, "codes", codes, "cells", cells, "waits", waits);
	rc = 0;
out:
	sodium_memzero(m.raw.p ? m.raw.p : (char *)"", m.raw.p ? m.raw.len : 0);
	buf_free(&m.raw);
	sdc_free(m.s);
	free(m.u);
	return rc;
}

long long release_create(db_t *db, const struct actor *who, const char *school_year, const char *note,
			 const struct sdc_opts *o, char *err, size_t errsz)
{
	struct release_built b;
	/* The numbers from one consistent snapshot, without holding up writers while the
	 * disclosure control runs; then a short write. */
	db_stats_bulk_begin(db);
	if (db_begin_read(db) != DB_OK) {
		db_stats_bulk_end(db);
		snprintf(err, errsz, "the database is busy");
		return -1;
	}
	int built = release_build(db, school_year, o, &b, err, errsz);
	db_commit(db);
	db_stats_bulk_end(db);
	if (built != 0)
		return -1;
	if (db_begin(db) != DB_OK) {
		json_decref(b.content);
		snprintf(err, errsz, "the database is busy");
		return -1;
	}
	struct release_row r;
	memset(&r, 0, sizeof r);
	snprintf(r.school_year, sizeof r.school_year, "%s", school_year);
	snprintf(r.inputs_hash, sizeof r.inputs_hash, "%s", b.inputs_hash);
	r.content = json_dumps(b.content, JSON_COMPACT | JSON_SORT_KEYS);
	snprintf(r.note, sizeof r.note, "%s", note ? note : "");
	snprintf(r.created_by, sizeof r.created_by, "%s", who->username);
	json_decref(b.content);
	char obj[48];
	int ok = r.content && db_release_insert(db, &r) == DB_OK;
	snprintf(obj, sizeof obj, "release:%lld", (long long)r.id);
	ok = ok && actor_audit(db, who, "create", obj, "statistics release") == DB_OK && db_commit(db) == DB_OK;
	free(r.content);
	if (!ok) {
		db_rollback(db);
		snprintf(err, errsz, "cannot store the release: %s", db_errmsg(db));
		return -1;
	}
	return (long long)r.id;
}
