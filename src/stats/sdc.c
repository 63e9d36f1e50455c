#include "sdc.h"

#include <glpk.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"

struct sum {
	int total;
	int n;
	int *parts;
	int area; /* a total over places (county of pilots), not a group split by an attribute */
};

struct sdc {
	int n, cap;
	char **key;
	long *value;
	enum sdc_status *status;
	int nsum, sumcap;
	struct sum *sums;
	/* key → cell: open addressing, capacity a power of two, -1 empty */
	int *slot;
	int nslot;
	/* connected parts of the model (cells linked by sums): each is protected on its own */
	int *comp;
	int comp_n; /* number of cells comp was computed for */
	/* cell → the sums it stands in (total or part), built with comp */
	int *adj_start; /* n + 1 offsets into adj */
	int *adj;
	unsigned char *shared_zero; /* during sdc_protect: zeros the nation shares (shared_zeros) */
	/* loose[i]: suppressed cell i is known to take more than one value. Suppressing more
	 * cells only widens what the others can take, so this stays true until a sum is added. */
	unsigned char *loose;
	int loose_n;
};

struct sdc *sdc_new(void)
{
	struct sdc *s = xcalloc(1, sizeof *s);
	s->nslot = 64;
	s->slot = xmalloc((size_t)s->nslot * sizeof *s->slot);
	memset(s->slot, 0xff, (size_t)s->nslot * sizeof *s->slot);
	return s;
}

void sdc_free(struct sdc *s)
{
	if (!s)
		return;
	for (int i = 0; i < s->n; i++)
		free(s->key[i]);
	for (int i = 0; i < s->nsum; i++)
		free(s->sums[i].parts);
	free(s->key);
	free(s->value);
	free(s->status);
	free(s->sums);
	free(s->slot);
	free(s->comp);
	free(s->adj_start);
	free(s->adj);
	free(s->loose);
	free(s);
}

static int find(int *parent, int x)
{
	while (parent[x] != x)
		x = parent[x] = parent[parent[x]];
	return x;
}

/* Components of the cell graph; recomputed when cells or sums were added. */
static void components(struct sdc *s)
{
	if (s->comp && s->comp_n == s->n)
		return;
	free(s->comp);
	s->comp = xmalloc((size_t)(s->n ? s->n : 1) * sizeof *s->comp);
	for (int i = 0; i < s->n; i++)
		s->comp[i] = i;
	for (int k = 0; k < s->nsum; k++) {
		const struct sum *u = &s->sums[k];
		int a = find(s->comp, u->total);
		for (int j = 0; j < u->n; j++) {
			int b = find(s->comp, u->parts[j]);
			if (a != b)
				s->comp[b] = a;
		}
	}
	for (int i = 0; i < s->n; i++)
		s->comp[i] = find(s->comp, i);
	s->comp_n = s->n;
	/* Which sums each cell stands in: counted, then filled. */
	free(s->adj_start);
	free(s->adj);
	s->adj_start = xcalloc((size_t)s->n + 1, sizeof *s->adj_start);
	int total = 0;
	for (int k = 0; k < s->nsum; k++) {
		s->adj_start[s->sums[k].total]++;
		for (int j = 0; j < s->sums[k].n; j++)
			s->adj_start[s->sums[k].parts[j]]++;
		total += s->sums[k].n + 1;
	}
	for (int i = 0, acc = 0; i <= s->n; i++) {
		int c = i < s->n ? s->adj_start[i] : 0;
		s->adj_start[i] = acc;
		acc += c;
	}
	s->adj = xmalloc((size_t)(total ? total : 1) * sizeof *s->adj);
	int *fill = xcalloc((size_t)(s->n ? s->n : 1), sizeof *fill);
	for (int k = 0; k < s->nsum; k++) {
		int t = s->sums[k].total;
		s->adj[s->adj_start[t] + fill[t]++] = k;
		for (int j = 0; j < s->sums[k].n; j++) {
			int p = s->sums[k].parts[j];
			s->adj[s->adj_start[p] + fill[p]++] = k;
		}
	}
	free(fill);
}

static unsigned hash(const char *k)
{
	unsigned h = 2166136261u;
	for (; *k; k++)
		h = (h ^ (unsigned char)*k) * 16777619u;
	return h;
}

static void rehash(struct sdc *s)
{
	free(s->slot);
	s->nslot *= 2;
	s->slot = xmalloc((size_t)s->nslot * sizeof *s->slot);
	memset(s->slot, 0xff, (size_t)s->nslot * sizeof *s->slot);
	for (int i = 0; i < s->n; i++) {
		unsigned h = hash(s->key[i]) & (unsigned)(s->nslot - 1);
		while (s->slot[h] >= 0)
			h = (h + 1) & (unsigned)(s->nslot - 1);
		s->slot[h] = i;
	}
}

int sdc_cell(struct sdc *s, const char *key, long value)
{
	unsigned h = hash(key) & (unsigned)(s->nslot - 1);
	while (s->slot[h] >= 0) {
		int i = s->slot[h];
		if (!strcmp(s->key[i], key))
			return s->value[i] == value ? i : -1;
		h = (h + 1) & (unsigned)(s->nslot - 1);
	}
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->key = xrealloc(s->key, (size_t)s->cap * sizeof *s->key);
		s->value = xrealloc(s->value, (size_t)s->cap * sizeof *s->value);
		s->status = xrealloc(s->status, (size_t)s->cap * sizeof *s->status);
	}
	int i = s->n++;
	s->key[i] = xstrdup(key);
	s->value[i] = value;
	s->status[i] = SDC_PUBLISHED;
	s->slot[h] = i;
	if (2 * s->n > s->nslot)
		rehash(s);
	return i;
}

static void add_sum(struct sdc *s, int total, const int *parts, int nparts, int area)
{
	if (s->nsum == s->sumcap) {
		s->sumcap = s->sumcap ? s->sumcap * 2 : 32;
		s->sums = xrealloc(s->sums, (size_t)s->sumcap * sizeof *s->sums);
	}
	struct sum *u = &s->sums[s->nsum++];
	u->total = total;
	u->n = nparts;
	u->parts = xmalloc((size_t)(nparts ? nparts : 1) * sizeof *u->parts);
	memcpy(u->parts, parts, (size_t)nparts * sizeof *parts);
	u->area = area;
	s->comp_n = -1;
	s->loose_n = 0; /* a new constraint can narrow any cell */
}

void sdc_sum(struct sdc *s, int total, const int *parts, int nparts)
{
	add_sum(s, total, parts, nparts, 0);
}

void sdc_sum_area(struct sdc *s, int total, const int *parts, int nparts)
{
	add_sum(s, total, parts, nparts, 1);
}

/*
 * Zeros the whole tree shares: a cell that is 0 at the top of the area totals (the nation) and
 * every part of it below. Publishing the nation's 0 already says each part is 0, so such a zero
 * tells nothing about a group, and the small-group rule leaves it alone.
 */
static unsigned char *shared_zeros(const struct sdc *s)
{
	unsigned char *z = xcalloc((size_t)(s->n ? s->n : 1), 1), *below = xcalloc((size_t)(s->n ? s->n : 1), 1);
	for (int j = 0; j < s->nsum; j++)
		if (s->sums[j].area)
			for (int p = 0; p < s->sums[j].n; p++)
				below[s->sums[j].parts[p]] = 1;
	for (int j = 0; j < s->nsum; j++)
		if (s->sums[j].area && !below[s->sums[j].total] && s->value[s->sums[j].total] == 0)
			z[s->sums[j].total] = 1;
	for (int changed = 1; changed;) {
		changed = 0;
		for (int j = 0; j < s->nsum; j++) {
			const struct sum *u = &s->sums[j];
			if (!u->area || !z[u->total])
				continue;
			for (int p = 0; p < u->n; p++)
				if (!z[u->parts[p]] && s->value[u->parts[p]] == 0) {
					z[u->parts[p]] = 1;
					changed = 1;
				}
		}
	}
	free(below);
	return z;
}

int sdc_count(const struct sdc *s)
{
	return s->n;
}

const char *sdc_key(const struct sdc *s, int cell)
{
	return s->key[cell];
}

long sdc_value(const struct sdc *s, int cell)
{
	return s->value[cell];
}

enum sdc_status sdc_status(const struct sdc *s, int cell)
{
	return s->status[cell];
}

/* ---- the linear programme of what is published ---- */

struct lp {
	glp_prob *p;
	int *col;    /* cell → column (1-based), 0 for published cells */
	int obj_col; /* the column the objective is on, 0 for none yet */
};

static void lp_free(struct lp *l)
{
	if (l->p)
		glp_delete_prob(l->p);
	free(l->col);
	l->p = NULL;
	l->col = NULL;
}

/* Columns: the suppressed cells (>= 0). Rows: each sum with a suppressed cell in it, as
 * sum(suppressed parts) - suppressed total = published total - sum(published parts). */
static int lp_build(struct sdc *s, struct lp *l, int comp)
{
	components(s);
	l->col = xcalloc((size_t)(s->n ? s->n : 1), sizeof *l->col);
	l->p = glp_create_prob();
	int ncol = 0;
	for (int i = 0; i < s->n; i++)
		if (s->comp[i] == comp && s->status[i] != SDC_PUBLISHED) /* no look at other components */
			l->col[i] = ++ncol;
	if (ncol == 0)
		return 0;
	glp_add_cols(l->p, ncol);
	for (int c = 1; c <= ncol; c++)
		glp_set_col_bnds(l->p, c, GLP_LO, 0.0, 0.0);
	int maxlen = 1;
	for (int k = 0; k < s->nsum; k++)
		if (s->sums[k].n + 1 > maxlen)
			maxlen = s->sums[k].n + 1;
	int *ind = xmalloc((size_t)(maxlen + 1) * sizeof *ind);
	double *val = xmalloc((size_t)(maxlen + 1) * sizeof *val);
	for (int k = 0; k < s->nsum; k++) {
		const struct sum *u = &s->sums[k];
		int len = 0;
		double rhs = 0;
		if (s->comp[u->total] != comp)
			continue;
		for (int j = 0; j < u->n; j++) {
			int cell = u->parts[j];
			if (l->col[cell]) {
				ind[++len] = l->col[cell];
				val[len] = 1.0;
			} else {
				rhs -= (double)s->value[cell];
			}
		}
		if (l->col[u->total]) {
			ind[++len] = l->col[u->total];
			val[len] = -1.0;
		} else {
			rhs += (double)s->value[u->total];
		}
		if (len == 0)
			continue;
		int row = glp_add_rows(l->p, 1);
		glp_set_row_bnds(l->p, row, GLP_FX, rhs, rhs);
		glp_set_mat_row(l->p, row, len, ind, val);
	}
	free(ind);
	free(val);
	glp_std_basis(l->p);
	return 0;
}

/* Optimum of the cell's column in direction dir; HUGE_VAL when unbounded above. */
static int lp_solve(struct lp *l, int col, int dir, double *out)
{
	/* The objective is one column: move it (not a pass over every column per solve). */
	if (l->obj_col != col) {
		if (l->obj_col)
			glp_set_obj_coef(l->p, l->obj_col, 0.0);
		glp_set_obj_coef(l->p, col, 1.0);
		l->obj_col = col;
	}
	glp_set_obj_dir(l->p, dir);
	glp_smcp parm;
	glp_init_smcp(&parm);
	parm.msg_lev = GLP_MSG_OFF;
	int rc = glp_simplex(l->p, &parm);
	if (rc != 0) {
		/* A stale basis can trip the solver: start again from the standard one. */
		glp_std_basis(l->p);
		rc = glp_simplex(l->p, &parm);
		if (rc != 0)
			return -1;
	}
	int st = glp_get_status(l->p);
	if (st == GLP_UNBND) {
		*out = dir == GLP_MAX ? HUGE_VAL : -HUGE_VAL;
		return 0;
	}
	if (st != GLP_OPT)
		return -1;
	*out = glp_get_obj_val(l->p);
	return 0;
}

static int interval_in(struct sdc *s, struct lp *l, int cell, double *min, double *max)
{
	if (!l->col[cell]) {
		*min = *max = (double)s->value[cell];
		return 0;
	}
	if (lp_solve(l, l->col[cell], GLP_MIN, min) != 0 || lp_solve(l, l->col[cell], GLP_MAX, max) != 0)
		return -1;
	return 0;
}

int sdc_interval(struct sdc *s, int cell, double *min, double *max)
{
	struct lp l = {0};
	glp_term_out(GLP_OFF);
	components(s);
	int rc = lp_build(s, &l, s->comp[cell]) == 0 ? interval_in(s, &l, cell, min, max) : -1;
	lp_free(&l);
	return rc;
}

static int exact(double min, double max)
{
	return max - min < 0.5; /* counts are whole numbers */
}

/* Marks loose every column whose value in the solver's current solution differs from the
 * cell's true value: the true values are a solution too, so such a cell can take two. */
static void mark_loose(struct sdc *s, const struct lp *l, const int *cell_of, int ncol)
{
	for (int c = 1; c <= ncol; c++) {
		int i = cell_of[c];
		if (!s->loose[i] && fabs(glp_get_col_prim(l->p, c) - (double)s->value[i]) >= 0.5)
			s->loose[i] = 1;
	}
}

/* The linear programme of a component as it stands, with what audit_cell needs. */
struct audit {
	struct lp l;
	int *cell_of; /* column → cell */
	int ncol;
};

static int audit_begin(struct sdc *s, int comp, struct audit *a)
{
	memset(a, 0, sizeof *a);
	glp_term_out(GLP_OFF);
	if (lp_build(s, &a->l, comp) != 0)
		return -1;
	if (s->loose_n != s->n) {
		free(s->loose);
		s->loose = xcalloc((size_t)(s->n ? s->n : 1), 1);
		s->loose_n = s->n;
	}
	a->ncol = a->l.p ? glp_get_num_cols(a->l.p) : 0;
	a->cell_of = xmalloc((size_t)(a->ncol + 1) * sizeof *a->cell_of);
	for (int i = 0; i < s->n; i++)
		if (a->l.col[i])
			a->cell_of[a->l.col[i]] = i;
	return 0;
}

static void audit_end(struct audit *a)
{
	free(a->cell_of);
	lp_free(&a->l);
}

/*
 * Is suppressed cell i (a column of the audit's programme) exact: its smallest and largest
 * value the same? 1 or 0, -1 on a solver failure. Most cells need no programme of their own:
 * each optimum found is a solution in which other cells may differ from their true values,
 * which shows them loose, and a cell found loose stays so while more cells are suppressed.
 */
static int audit_cell(struct sdc *s, struct audit *a, int i)
{
	if (s->loose[i])
		return 0;
	double lo, hi = 0;
	if (lp_solve(&a->l, a->l.col[i], GLP_MIN, &lo) != 0)
		return -1;
	mark_loose(s, &a->l, a->cell_of, a->ncol);
	if (!s->loose[i]) {
		if (lp_solve(&a->l, a->l.col[i], GLP_MAX, &hi) != 0)
			return -1;
		if (hi != HUGE_VAL)
			mark_loose(s, &a->l, a->cell_of, a->ncol);
	}
	if (!s->loose[i] && exact(lo, hi))
		return 1;
	s->loose[i] = 1;
	return 0;
}

/* Every suppressed cell of one component whose value follows from what is published. */
static int exact_all(struct sdc *s, int comp, int **out, int *nout)
{
	struct audit a;
	*out = NULL;
	*nout = 0;
	int rc = audit_begin(s, comp, &a);
	for (int i = 0; i < s->n && rc == 0; i++) {
		if (!a.l.col[i])
			continue;
		int e = audit_cell(s, &a, i);
		if (e < 0)
			rc = -1;
		else if (e) {
			if (!*out)
				*out = xmalloc((size_t)s->n * sizeof **out);
			(*out)[(*nout)++] = i;
		}
	}
	audit_end(&a);
	return rc;
}

/* The components that hold a suppressed cell, each once. */
static int suppressed_components(struct sdc *s, int *comps)
{
	components(s);
	char *seen = xcalloc((size_t)(s->n ? s->n : 1), 1);
	int n = 0;
	for (int i = 0; i < s->n; i++)
		if (s->status[i] != SDC_PUBLISHED && !seen[s->comp[i]]) {
			seen[s->comp[i]] = 1;
			comps[n++] = s->comp[i];
		}
	free(seen);
	return n;
}

int sdc_audit(struct sdc *s)
{
	int *comps = xmalloc((size_t)(s->n ? s->n : 1) * sizeof *comps);
	int nc = suppressed_components(s, comps), found = -1;
	for (int c = 0; c < nc && found == -1; c++) {
		int *ex, nex;
		if (exact_all(s, comps[c], &ex, &nex) != 0)
			found = -2;
		else if (nex)
			found = ex[0];
		free(ex);
	}
	free(comps);
	return found;
}

/* Is the published cell o a better next suppression than best? Parts before totals (a total
 * is what readers need most), then the smallest positive count, a zero last. */
static int better(const struct sdc *s, int o, int o_total, int best, int best_total)
{
	if (best < 0)
		return 1;
	if (o_total != best_total)
		return !o_total;
	long v = s->value[o], bv = s->value[best];
	if ((v > 0) != (bv > 0))
		return v > 0;
	return v < bv;
}

/* A published cell that hiding could help with: not a zero the nation shares (the nation's
 * published 0 pins it, so hiding it hides nothing). */
static int pickable(const struct sdc *s, int c)
{
	return s->status[c] == SDC_PUBLISHED && !(s->shared_zero && s->shared_zero[c]);
}

static int suppressed_in(const struct sdc *s, const struct sum *u)
{
	int n = s->status[u->total] != SDC_PUBLISHED;
	for (int j = 0; j < u->n; j++)
		n += s->status[u->parts[j]] != SDC_PUBLISHED;
	return n;
}

/*
 * The published cell to suppress next for an exactly known cell. The suppressed cells linked
 * to it through sums are visited nearest first; the choice, in order of preference:
 *   1. a part of a sum in which a visited cell is the only suppressed one (that sum gives
 *      the cell away, so hiding one more part of it is what helps);
 *   2. any part of a sum touching a visited cell;
 *   3. a total (readers need totals most).
 * Among equals: the smallest positive count, a zero last.
 */
static int secondary_for(struct sdc *s, int cell)
{
	char *seen = xcalloc((size_t)s->n, 1);
	int *order = xmalloc((size_t)s->n * sizeof *order);
	int n = 0;
	order[n++] = cell;
	seen[cell] = 1;
	components(s);
	for (int head = 0; head < n; head++) {
		int c = order[head];
		for (int a = s->adj_start[c]; a < s->adj_start[c + 1]; a++) {
			const struct sum *u = &s->sums[s->adj[a]];
			for (int j = -1; j < u->n; j++) {
				int o = j < 0 ? u->total : u->parts[j];
				if (s->status[o] != SDC_PUBLISHED && !seen[o]) {
					seen[o] = 1;
					order[n++] = o;
				}
			}
		}
	}
	int best = -1, best_total = 0;
	/* A total of one part (a county with one pilot) is that part under another name: when one
	 * side is hidden, only hiding the other helps. */
	for (int i = 0; i < n && best < 0; i++) {
		int c = order[i];
		for (int a = s->adj_start[c]; a < s->adj_start[c + 1] && best < 0; a++) {
			const struct sum *u = &s->sums[s->adj[a]];
			if (u->n != 1)
				continue;
			int other = u->total == c ? u->parts[0] : u->total;
			if (pickable(s, other))
				best = other;
		}
	}
	for (int pass = 1; pass <= 3 && best < 0; pass++) {
		for (int i = 0; i < n && best < 0; i++) {
			/* Within one visited cell, the best candidate; the nearest cell with any wins. */
			int c = order[i];
			for (int a = s->adj_start[c]; a < s->adj_start[c + 1]; a++) {
				const struct sum *u = &s->sums[s->adj[a]];
				if (pass == 1 && suppressed_in(s, u) != 1)
					continue;
				for (int j = pass == 3 ? -1 : 0; j < (pass == 3 ? 0 : u->n); j++) {
					int o = j < 0 ? u->total : u->parts[j];
					if (pickable(s, o) && better(s, o, j < 0, best, best_total)) {
						best = o;
						best_total = j < 0;
					}
				}
			}
		}
	}
	free(seen);
	free(order);
	return best;
}

/*
 * One round of secondary suppression in one component. The suppressed cells as the round
 * found them are audited in order against the programme of the round's start; an exact one
 * gets its companion at once, unless a companion added this round stands in a sum beside it
 * (that may free it already: it is left to the next round, and needs no audit in this one).
 * Returns the companions added, 0 when no cell was exact (the component is protected), -1
 * on a solver failure or an exact cell without a published neighbour (cannot happen).
 */
static int protect_round(struct sdc *s, int comp, unsigned char *busy)
{
	struct audit a;
	if (audit_begin(s, comp, &a) != 0) {
		audit_end(&a);
		return -1;
	}
	memset(busy, 0, (size_t)(s->nsum ? s->nsum : 1));
	int added = 0, nexact = 0, rc = 0;
	for (int c = 0; c < s->n; c++) {
		if (!a.l.col[c] || s->loose[c])
			continue;
		int near = 0;
		for (int j = s->adj_start[c]; j < s->adj_start[c + 1] && !near; j++)
			near = busy[s->adj[j]];
		if (near && added)
			continue;
		int e = audit_cell(s, &a, c);
		if (e < 0) {
			rc = -1;
			break;
		}
		if (!e)
			continue;
		nexact++;
		int add = secondary_for(s, c);
		if (add < 0)
			continue;
		s->status[add] = SDC_SECONDARY;
		added++;
		for (int j = s->adj_start[c]; j < s->adj_start[c + 1]; j++)
			busy[s->adj[j]] = 1;
		for (int j = s->adj_start[add]; j < s->adj_start[add + 1]; j++)
			busy[s->adj[j]] = 1;
	}
	audit_end(&a);
	if (rc == 0 && nexact && !added)
		rc = -1;
	return rc < 0 ? -1 : added;
}

/* The components still to protect, shared by the threads that protect them. */
struct protect_job {
	struct sdc *s;
	const int *comps; /* largest first */
	int nc;
	atomic_int next;
	atomic_int failed;
};

static void protect_components(struct protect_job *j)
{
	unsigned char *busy = xcalloc((size_t)(j->s->nsum ? j->s->nsum : 1), 1);
	for (;;) {
		int ci = atomic_fetch_add(&j->next, 1);
		if (ci >= j->nc || atomic_load(&j->failed))
			break;
		int added;
		while ((added = protect_round(j->s, j->comps[ci], busy)) > 0)
			;
		if (added < 0)
			atomic_store(&j->failed, 1);
	}
	free(busy);
}

static void *protect_worker(void *arg)
{
	protect_components(arg);
	glp_free_env(); /* GLPK keeps an environment per thread */
	return NULL;
}

struct comp_size {
	int comp, n;
};

static int larger_first(const void *a, const void *b)
{
	const struct comp_size *x = a, *y = b;
	return x->n != y->n ? (x->n < y->n) - (x->n > y->n) : (x->comp > y->comp) - (x->comp < y->comp);
}

static int protect(struct sdc *s, const struct sdc_opts *o)
{
	long k = o && o->k > 0 ? o->k : 5;
	long small = o && o->small_group > 0 ? o->small_group : 10;
	for (int i = 0; i < s->n; i++)
		if (s->value[i] >= 1 && s->value[i] < k)
			s->status[i] = SDC_PRIMARY;
	const unsigned char *zero = s->shared_zero;
	for (int j = 0; j < s->nsum; j++) {
		const struct sum *u = &s->sums[j];
		long t = s->value[u->total];
		/* Being all of a small county's cases says where, not what: areas are exempt. */
		if (u->area || t < k || t >= small)
			continue;
		/* 0 % or 100 % of a small group tells about every member of it. */
		for (int p = 0; p < u->n; p++) {
			int c = u->parts[p];
			if (((s->value[c] == 0 && !zero[c]) || s->value[c] == t) && s->status[c] == SDC_PUBLISHED)
				s->status[c] = SDC_SMALL_GROUP;
		}
	}

	/* Component by component (they share no sum, so they cannot give each other away): each
	 * round audits the suppressed cells of the component and gives far-apart exact cells their
	 * companions together; rounds repeat until the audit finds none. A companion joins the
	 * component of the cell it protects, so the components stay as they are. Being apart,
	 * components are protected by two threads at once (GLPK has an environment per thread),
	 * the largest first; the result is the same as one after the other. */
	int *comps = xmalloc((size_t)(s->n ? s->n : 1) * sizeof *comps);
	int nc = suppressed_components(s, comps);
	struct comp_size *size = xcalloc((size_t)(nc ? nc : 1), sizeof *size);
	for (int c = 0; c < nc; c++)
		size[c].comp = comps[c];
	for (int i = 0; i < s->n; i++)
		if (s->status[i] != SDC_PUBLISHED)
			for (int c = 0; c < nc; c++)
				if (size[c].comp == s->comp[i]) {
					size[c].n++;
					break;
				}
	qsort(size, (size_t)nc, sizeof *size, larger_first);
	for (int c = 0; c < nc; c++)
		comps[c] = size[c].comp;
	free(size);
	/* What the threads share must be in place before they start: the components (above) and
	 * the loose cells. */
	if (s->loose_n != s->n) {
		free(s->loose);
		s->loose = xcalloc((size_t)(s->n ? s->n : 1), 1);
		s->loose_n = s->n;
	}
	struct protect_job job = {.s = s, .comps = comps, .nc = nc};
	atomic_init(&job.next, 0);
	atomic_init(&job.failed, 0);
	pthread_t helper;
	int helped = nc > 1 && pthread_create(&helper, NULL, protect_worker, &job) == 0;
	protect_components(&job);
	if (helped)
		pthread_join(helper, NULL);
	free(comps);
	if (atomic_load(&job.failed))
		return -1;
	int n = 0;
	for (int i = 0; i < s->n; i++)
		n += s->status[i] != SDC_PUBLISHED;
	return n;
}

int sdc_protect(struct sdc *s, const struct sdc_opts *o)
{
	s->shared_zero = shared_zeros(s);
	int n = protect(s, o);
	free(s->shared_zero);
	s->shared_zero = NULL;
	return n;
}
