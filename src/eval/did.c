/*
 * Staggered difference-in-differences (see did.h and docs/evaluation.md).
 *
 * Every estimate is a function of a few additive sums over schools:
 *   - per (class, base period b, period t): the students in b and the students times the
 *     long difference y_t - y_b, over the class's schools with both years observed;
 *   - per cohort: its students in period g-1;
 *   - per school: the cross-products of the within-school demeaned TWFE design.
 * A bootstrap replicate gives each school a multiplicity (how often it was drawn), so one
 * replicate is the same sums with multiplicities: the per-school terms are computed once,
 * and a replicate costs O(stored terms), about schools x periods.
 */
#include "eval/did.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct did_panel {
	int ns, nt;
	double *y; /* ns x nt, row-major by school; NAN = missing */
	double *w; /* ns x nt */
	int *g;    /* ns */
};

struct did_panel *did_panel_new(int nschools, int nperiods)
{
	if (nschools < 1 || nperiods < 1 || nschools > 10000000 / nperiods)
		return NULL;
	struct did_panel *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	size_t n = (size_t)nschools * (size_t)nperiods;
	p->ns = nschools;
	p->nt = nperiods;
	p->y = malloc(n * sizeof *p->y);
	p->w = calloc(n, sizeof *p->w);
	p->g = calloc((size_t)nschools, sizeof *p->g);
	if (!p->y || !p->w || !p->g) {
		did_panel_free(p);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		p->y[i] = NAN;
	return p;
}

void did_panel_free(struct did_panel *p)
{
	if (!p)
		return;
	free(p->y);
	free(p->w);
	free(p->g);
	free(p);
}

int did_set(struct did_panel *p, int school, int period, double outcome, double weight)
{
	if (!p || school < 0 || school >= p->ns || period < 1 || period > p->nt)
		return DID_EINVAL;
	if (!isfinite(weight) || weight < 0 || isinf(outcome))
		return DID_EINVAL;
	size_t k = (size_t)school * (size_t)p->nt + (size_t)(period - 1);
	p->y[k] = outcome;
	p->w[k] = weight;
	return DID_OK;
}

int did_set_cohort(struct did_panel *p, int school, int g)
{
	if (!p || school < 0 || school >= p->ns || g < 0)
		return DID_EINVAL;
	p->g[school] = g;
	return DID_OK;
}

void did_opts_default(struct did_opts *o)
{
	o->nboot = 999;
	o->seed = 20210101u;
	o->alpha = 0.05;
	o->ci = DID_CI_NORMAL;
}

const char *did_strerror(int err)
{
	switch (err) {
	case DID_OK:
		return "no error";
	case DID_EINVAL:
		return "invalid argument";
	case DID_ENOMEM:
		return "out of memory";
	case DID_ENO_CONTROL:
		return "no never-treated school with two observed years to compare with";
	case DID_ENO_TREATED:
		return "no treated cohort with a period before its start inside the panel";
	case DID_ENO_ESTIMATE:
		return "no treated cohort has a school observed both before and after its start";
	default:
		return "unknown error";
	}
}

const struct did_est *did_event(const struct did_result *r, int e)
{
	if (!r || e < DID_EVENT_MIN || e > DID_EVENT_MAX)
		return NULL;
	return &r->event[e - DID_EVENT_MIN];
}

void did_result_free(struct did_result *r)
{
	if (!r)
		return;
	free(r->cells);
	free(r->cohorts);
	r->cells = NULL;
	r->cohorts = NULL;
	r->ncells = 0;
	r->ncohorts = 0;
}

/* ---- random numbers: xoshiro256**, seeded through splitmix64 ---- */

struct rng {
	uint64_t s[4];
};

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static void rng_seed(struct rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t out = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return out;
}

/* Uniform in 0 .. m-1 (m < 2^32): the high 32 bits scaled; bias below m / 2^32. */
static uint32_t rng_below(struct rng *r, uint32_t m)
{
	return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)m) >> 32);
}

/* ---- the estimator's working state ---- */

/* Layout of the statistics vector computed from one set of sums. */
struct layout {
	int ncells, ncoh;
	int cell0, coh0, overall, simple, event0, twfe, n;
};

struct work {
	const struct did_panel *p;
	int ns, nt, q;          /* q = TWFE augmented dimension: (nt-1) years + D + y */
	int ncls;               /* classes: 0 = control, 1 .. ncoh = cohorts */
	int *cls;               /* per school: -1 excluded (g = 1), 0 control, k cohort */
	int *coh_g;             /* per cohort k (1-based index), its g */
	int npairs;
	int *pair_of;           /* nt x nt: (b-1)*nt + (t-1) -> pair index or -1 */
	int *pair_b, *pair_t;
	/* per-school stored terms, CSR */
	int *start;             /* ns + 1 */
	int *slot;              /* slot = cls * npairs + pair */
	double *aw, *awy;
	double *size_i;         /* per school: its students in g-1 (cohort schools) */
	double *mom;            /* per school: packed upper triangle of the q x q moments */
	int msz;                /* q (q + 1) / 2 */
	/* sums */
	double *sw, *swy, *size, *m;
	double *amat;           /* q x q scratch for the sweep */
	struct layout L;
	/* strata for resampling: schools grouped by class (-1 included) */
	int *strat_start, *strat_list, nstrat;
	int *mult;
};

static void work_free(struct work *w)
{
	free(w->cls);
	free(w->coh_g);
	free(w->pair_of);
	free(w->pair_b);
	free(w->pair_t);
	free(w->start);
	free(w->slot);
	free(w->aw);
	free(w->awy);
	free(w->size_i);
	free(w->mom);
	free(w->sw);
	free(w->swy);
	free(w->size);
	free(w->m);
	free(w->amat);
	free(w->strat_start);
	free(w->strat_list);
	free(w->mult);
}

static double Y(const struct did_panel *p, int i, int t)
{
	return p->y[(size_t)i * (size_t)p->nt + (size_t)(t - 1)];
}

static double W(const struct did_panel *p, int i, int t)
{
	return p->w[(size_t)i * (size_t)p->nt + (size_t)(t - 1)];
}

static int cell_base(int g, int t)
{
	return t < g ? t - 1 : g - 1;
}

static int pair_index(struct work *w, int b, int t)
{
	int *slot = &w->pair_of[(b - 1) * w->nt + (t - 1)];
	if (*slot < 0) {
		*slot = w->npairs;
		w->pair_b[w->npairs] = b;
		w->pair_t[w->npairs] = t;
		w->npairs++;
	}
	return *slot;
}

/* Does class c use pair (b,t)? The control group uses every pair some cohort uses. */
static int class_uses(const struct work *w, int c, int pr)
{
	int b = w->pair_b[pr], t = w->pair_t[pr];
	if (c == 0)
		return 1;
	return cell_base(w->coh_g[c], t) == b;
}

/* Packed index of (a, b), a <= b, in a q x q upper triangle. */
static int pk(int q, int a, int b)
{
	return a * q - a * (a - 1) / 2 + (b - a);
}

/* The within-school demeaned TWFE moments of school i (weights w_it, observed cells). */
static void school_moments(const struct work *w, int i, double *out, double *xbar, double *x)
{
	const struct did_panel *p = w->p;
	int q = w->q, nt = w->nt, g = p->g[i];
	memset(out, 0, (size_t)w->msz * sizeof *out);
	double sumw = 0;
	int nobs = 0;
	memset(xbar, 0, (size_t)q * sizeof *xbar);
	for (int t = 1; t <= nt; t++) {
		double y = Y(p, i, t), wt = W(p, i, t);
		if (isnan(y) || !(wt > 0))
			continue;
		nobs++;
		sumw += wt;
		if (t >= 2)
			xbar[t - 2] += wt;
		if (g > 0 && t >= g)
			xbar[nt - 1] += wt;
		xbar[nt] += wt * y;
	}
	if (nobs < 2)
		return;
	for (int a = 0; a < q; a++)
		xbar[a] /= sumw;
	for (int t = 1; t <= nt; t++) {
		double y = Y(p, i, t), wt = W(p, i, t);
		if (isnan(y) || !(wt > 0))
			continue;
		for (int a = 0; a < q; a++)
			x[a] = -xbar[a];
		if (t >= 2)
			x[t - 2] += 1;
		if (g > 0 && t >= g)
			x[nt - 1] += 1;
		x[nt] += y;
		for (int a = 0; a < q; a++)
			for (int b = a; b < q; b++)
				out[pk(q, a, b)] += wt * x[a] * x[b];
	}
}

/* Weighted OLS coefficient of D from the summed moments, by sweeping the year columns and
 * then D; a column whose remaining variance is (numerically) zero is left out. NAN when D
 * itself is collinear with the fixed effects. */
static double twfe_solve(struct work *w)
{
	int q = w->q, d = q - 2, yc = q - 1;
	double *A = w->amat;
	for (int a = 0; a < q; a++)
		for (int b = a; b < q; b++)
			A[a * q + b] = A[b * q + a] = w->m[pk(q, a, b)];
	for (int k = 0; k <= d; k++) {
		double orig = w->m[pk(q, k, k)], piv = A[k * q + k];
		if (!(orig > 0) || !(piv > 1e-10 * orig)) {
			if (k == d)
				return NAN;
			continue;
		}
		for (int i = 0; i < q; i++) {
			if (i == k)
				continue;
			double f = A[i * q + k] / piv;
			if (f == 0)
				continue;
			for (int j = 0; j < q; j++)
				if (j != k)
					A[i * q + j] -= f * A[k * q + j];
		}
		for (int j = 0; j < q; j++)
			A[k * q + j] /= piv;
		for (int i = 0; i < q; i++)
			A[i * q + k] = -A[i * q + k] / piv;
		A[k * q + k] = -1 / piv;
	}
	return A[d * q + yc];
}

/* Sums with multiplicities mult (NULL = every school once). */
static void accumulate(struct work *w, const int *mult)
{
	size_t nslots = (size_t)w->ncls * (size_t)w->npairs;
	memset(w->sw, 0, nslots * sizeof *w->sw);
	memset(w->swy, 0, nslots * sizeof *w->swy);
	memset(w->size, 0, (size_t)w->ncls * sizeof *w->size);
	memset(w->m, 0, (size_t)w->msz * sizeof *w->m);
	for (int i = 0; i < w->ns; i++) {
		double k = mult ? mult[i] : 1;
		if (k == 0)
			continue;
		for (int j = w->start[i]; j < w->start[i + 1]; j++) {
			w->sw[w->slot[j]] += k * w->aw[j];
			w->swy[w->slot[j]] += k * w->awy[j];
		}
		if (w->cls[i] > 0)
			w->size[w->cls[i]] += k * w->size_i[i];
		const double *mi = &w->mom[(size_t)i * (size_t)w->msz];
		for (int a = 0; a < w->msz; a++)
			w->m[a] += k * mi[a];
	}
}

/* Every statistic from the current sums, into s (L.n values, NAN = undefined). */
static void statistics(struct work *w, double *s)
{
	const struct layout *L = &w->L;
	double ev_num[DID_EVENT_N] = {0}, ev_den[DID_EVENT_N] = {0};
	double ov_num = 0, ov_den = 0, si_num = 0, si_den = 0;
	int c = 0;
	for (int k = 1; k < w->ncls; k++) {
		int g = w->coh_g[k];
		double post = 0;
		int npost = 0;
		for (int t = 2; t <= w->nt; t++, c++) {
			int pr = w->pair_of[(cell_base(g, t) - 1) * w->nt + (t - 1)];
			size_t st = (size_t)k * (size_t)w->npairs + (size_t)pr;
			double wt = w->sw[st], wc = w->sw[pr];
			double att = NAN;
			if (wt > 0 && wc > 0)
				att = w->swy[st] / wt - w->swy[pr] / wc;
			s[L->cell0 + c] = att;
			if (isnan(att))
				continue;
			int e = t - g;
			if (e >= DID_EVENT_MIN && e <= DID_EVENT_MAX && w->size[k] > 0) {
				ev_num[e - DID_EVENT_MIN] += w->size[k] * att;
				ev_den[e - DID_EVENT_MIN] += w->size[k];
			}
			if (t >= g) {
				post += att;
				npost++;
				if (w->size[k] > 0) {
					si_num += w->size[k] * att;
					si_den += w->size[k];
				}
			}
		}
		double th = npost ? post / npost : NAN;
		s[L->coh0 + k - 1] = th;
		if (npost && w->size[k] > 0) {
			ov_num += w->size[k] * th;
			ov_den += w->size[k];
		}
	}
	s[L->overall] = ov_den > 0 ? ov_num / ov_den : NAN;
	s[L->simple] = si_den > 0 ? si_num / si_den : NAN;
	for (int e = 0; e < DID_EVENT_N; e++)
		s[L->event0 + e] = ev_den[e] > 0 ? ev_num[e] / ev_den[e] : NAN;
	s[L->twfe] = twfe_solve(w);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Empirical quantile of sorted v[0..n-1]: the floor(q (n + 1))-th smallest, clamped. */
static double quantile(const double *v, int n, double q)
{
	double h = floor(q * (n + 1));
	int k = h < 1 ? 1 : h > n ? n : (int)h;
	return v[k - 1];
}

/* The standard normal quantile by bisection on erfc. */
static double norm_quantile(double p)
{
	double lo = -40, hi = 40;
	for (int it = 0; it < 200; it++) {
		double mid = 0.5 * (lo + hi);
		if (0.5 * erfc(-mid / sqrt(2.0)) < p)
			lo = mid;
		else
			hi = mid;
	}
	return 0.5 * (lo + hi);
}

static void est_init(struct did_est *e, double v)
{
	e->est = v;
	e->se = e->lo = e->hi = NAN;
	e->n_cohorts = 0;
	e->n_schools = 0;
}

/* Standard error and interval of statistic j from the replicates (column j of reps). */
static void interval(struct did_est *e, const double *reps, int nrep, int nstat, int j,
		     const struct did_opts *o, double z, double *col)
{
	if (isnan(e->est) || nrep < 2)
		return;
	int n = 0;
	double mean = 0;
	for (int b = 0; b < nrep; b++) {
		double v = reps[(size_t)b * (size_t)nstat + (size_t)j];
		if (!isnan(v)) {
			col[n++] = v;
			mean += v;
		}
	}
	if (n < 2)
		return;
	mean /= n;
	double ss = 0;
	for (int b = 0; b < n; b++)
		ss += (col[b] - mean) * (col[b] - mean);
	e->se = sqrt(ss / (n - 1));
	if (o->ci == DID_CI_PERCENTILE) {
		qsort(col, (size_t)n, sizeof *col, cmp_double);
		e->lo = quantile(col, n, o->alpha / 2);
		e->hi = quantile(col, n, 1 - o->alpha / 2);
	} else {
		e->lo = e->est - z * e->se;
		e->hi = e->est + z * e->se;
	}
}

static int setup(struct work *w, const struct did_panel *p, struct did_result *r)
{
	int ns = p->ns, nt = p->nt;
	w->p = p;
	w->ns = ns;
	w->nt = nt;
	w->q = nt + 1;
	w->msz = w->q * (w->q + 1) / 2;
	w->cls = malloc((size_t)ns * sizeof *w->cls);
	w->coh_g = calloc((size_t)nt + 1, sizeof *w->coh_g);
	w->pair_of = malloc((size_t)nt * (size_t)nt * sizeof *w->pair_of);
	w->pair_b = malloc((size_t)nt * (size_t)nt * sizeof *w->pair_b);
	w->pair_t = malloc((size_t)nt * (size_t)nt * sizeof *w->pair_t);
	w->start = calloc((size_t)ns + 1, sizeof *w->start);
	w->size_i = calloc((size_t)ns, sizeof *w->size_i);
	w->mom = calloc((size_t)ns * (size_t)w->msz, sizeof *w->mom);
	w->m = calloc((size_t)w->msz, sizeof *w->m);
	w->amat = calloc((size_t)w->q * (size_t)w->q, sizeof *w->amat);
	w->mult = calloc((size_t)ns, sizeof *w->mult);
	int *cohort_of_g = calloc((size_t)nt + 2, sizeof *cohort_of_g);
	if (!w->cls || !w->coh_g || !w->pair_of || !w->pair_b || !w->pair_t || !w->start ||
	    !w->size_i || !w->mom || !w->m || !w->amat || !w->mult || !cohort_of_g) {
		free(cohort_of_g);
		return DID_ENOMEM;
	}
	for (int k = 0; k < nt * nt; k++)
		w->pair_of[k] = -1;

	/* classes */
	for (int i = 0; i < ns; i++) {
		int g = p->g[i];
		if (g > nt) {
			r->notes |= DID_NOTE_COHORT_LATE;
			g = 0;
		}
		w->cls[i] = g == 1 ? -1 : 0;
		if (g >= 2)
			cohort_of_g[g] = 1;
		for (int t = 1; t <= nt; t++) {
			if (isnan(Y(p, i, t)))
				r->notes |= DID_NOTE_MISSING;
			else if (!(W(p, i, t) > 0))
				r->notes |= DID_NOTE_ZERO_WEIGHT;
		}
	}
	w->ncls = 1;
	for (int g = 2; g <= nt; g++)
		if (cohort_of_g[g]) {
			w->coh_g[w->ncls] = g;
			cohort_of_g[g] = w->ncls++;
		}
	int has_excluded = 0;
	for (int i = 0; i < ns; i++) {
		int g = p->g[i];
		if (g >= 2 && g <= nt)
			w->cls[i] = cohort_of_g[g];
		if (w->cls[i] == 0)
			r->n_control++;
		if (w->cls[i] < 0)
			has_excluded = 1;
	}
	free(cohort_of_g);
	if (has_excluded) {
		r->notes |= DID_NOTE_COHORT_NO_PRE;
		r->excluded_cohorts = 1;
	}
	if (r->n_control == 0)
		return DID_ENO_CONTROL;
	if (w->ncls < 2)
		return DID_ENO_TREATED;

	/* pairs in cell order */
	for (int k = 1; k < w->ncls; k++)
		for (int t = 2; t <= nt; t++)
			pair_index(w, cell_base(w->coh_g[k], t), t);

	/* stored terms: count, then fill */
	size_t nterms = 0;
	for (int i = 0; i < ns; i++) {
		if (w->cls[i] < 0)
			continue;
		for (int pr = 0; pr < w->npairs; pr++)
			if (class_uses(w, w->cls[i], pr))
				nterms++;
	}
	w->slot = malloc((nterms ? nterms : 1) * sizeof *w->slot);
	w->aw = malloc((nterms ? nterms : 1) * sizeof *w->aw);
	w->awy = malloc((nterms ? nterms : 1) * sizeof *w->awy);
	size_t nslots = (size_t)w->ncls * (size_t)w->npairs;
	w->sw = calloc(nslots, sizeof *w->sw);
	w->swy = calloc(nslots, sizeof *w->swy);
	w->size = calloc((size_t)w->ncls, sizeof *w->size);
	double *scratch = malloc(2 * (size_t)w->q * sizeof *scratch);
	if (!w->slot || !w->aw || !w->awy || !w->sw || !w->swy || !w->size || !scratch) {
		free(scratch);
		return DID_ENOMEM;
	}
	int n = 0;
	for (int i = 0; i < ns; i++) {
		w->start[i] = n;
		school_moments(w, i, &w->mom[(size_t)i * (size_t)w->msz], scratch,
			       scratch + w->q);
		int c = w->cls[i];
		if (c < 0)
			continue;
		if (c > 0)
			w->size_i[i] = W(p, i, w->coh_g[c] - 1);
		for (int pr = 0; pr < w->npairs; pr++) {
			if (!class_uses(w, c, pr))
				continue;
			int b = w->pair_b[pr], t = w->pair_t[pr];
			double yb = Y(p, i, b), yt = Y(p, i, t), wb = W(p, i, b);
			if (isnan(yb) || isnan(yt) || !(wb > 0))
				continue;
			w->slot[n] = c * w->npairs + pr;
			w->aw[n] = wb;
			w->awy[n] = wb * (yt - yb);
			n++;
		}
	}
	w->start[ns] = n;
	free(scratch);

	/* strata: classes -1 .. ncls-1 */
	w->nstrat = w->ncls + 1;
	w->strat_start = calloc((size_t)w->nstrat + 1, sizeof *w->strat_start);
	w->strat_list = malloc((size_t)ns * sizeof *w->strat_list);
	if (!w->strat_start || !w->strat_list)
		return DID_ENOMEM;
	for (int i = 0; i < ns; i++)
		w->strat_start[w->cls[i] + 2]++;
	for (int s = 0; s < w->nstrat; s++)
		w->strat_start[s + 1] += w->strat_start[s];
	int *fill = calloc((size_t)w->nstrat, sizeof *fill);
	if (!fill)
		return DID_ENOMEM;
	for (int i = 0; i < ns; i++) {
		int s = w->cls[i] + 1;
		w->strat_list[w->strat_start[s] + fill[s]++] = i;
	}
	free(fill);

	int ncoh = w->ncls - 1;
	struct layout *L = &w->L;
	L->ncoh = ncoh;
	L->ncells = ncoh * (nt - 1);
	L->cell0 = 0;
	L->coh0 = L->ncells;
	L->overall = L->coh0 + ncoh;
	L->simple = L->overall + 1;
	L->event0 = L->simple + 1;
	L->twfe = L->event0 + DID_EVENT_N;
	L->n = L->twfe + 1;
	return DID_OK;
}

static void resample(struct work *w, struct rng *g)
{
	memset(w->mult, 0, (size_t)w->ns * sizeof *w->mult);
	for (int s = 0; s < w->nstrat; s++) {
		int a = w->strat_start[s], m = w->strat_start[s + 1] - a;
		for (int k = 0; k < m; k++)
			w->mult[w->strat_list[a + (int)rng_below(g, (uint32_t)m)]]++;
	}
}

/* Fills r's descriptive fields (counts, sizes) from the full-sample terms. */
static int describe(struct work *w, struct did_result *r, const double *s)
{
	const struct layout *L = &w->L;
	const struct did_panel *p = w->p;
	r->nperiods = w->nt;
	r->ncells = L->ncells;
	r->ncohorts = L->ncoh;
	r->cells = calloc((size_t)L->ncells, sizeof *r->cells);
	r->cohorts = calloc((size_t)L->ncoh, sizeof *r->cohorts);
	/* per school: contributes to a post cell; per slot: schools */
	int *cnt = calloc((size_t)w->ncls * (size_t)w->npairs, sizeof *cnt);
	char *post = calloc((size_t)w->ns, 1);
	if (!r->cells || !r->cohorts || !cnt || !post) {
		free(cnt);
		free(post);
		return DID_ENOMEM;
	}
	for (int i = 0; i < w->ns; i++)
		for (int j = w->start[i]; j < w->start[i + 1]; j++) {
			cnt[w->slot[j]]++;
			int pr = w->slot[j] % w->npairs;
			if (w->cls[i] > 0 && w->pair_t[pr] >= w->coh_g[w->cls[i]])
				post[i] = 1;
		}
	int c = 0, any_post = 0;
	for (int k = 1; k < w->ncls; k++) {
		int g = w->coh_g[k];
		struct did_cohort *co = &r->cohorts[k - 1];
		co->g = g;
		co->size = w->size[k];
		est_init(&co->att, s[L->coh0 + k - 1]);
		for (int t = 2; t <= w->nt; t++, c++) {
			struct did_cell *ce = &r->cells[c];
			int pr = w->pair_of[(cell_base(g, t) - 1) * w->nt + (t - 1)];
			size_t st = (size_t)k * (size_t)w->npairs + (size_t)pr;
			ce->g = g;
			ce->t = t;
			ce->base = cell_base(g, t);
			ce->e = t - g;
			est_init(&ce->att, s[L->cell0 + c]);
			ce->n_treated = cnt[st];
			ce->n_control = cnt[pr];
			ce->w_treated = w->sw[st];
			ce->w_control = w->sw[pr];
			if (isnan(ce->att.est)) {
				r->notes |= DID_NOTE_CELL_MISSING;
				continue;
			}
			ce->att.n_cohorts = 1;
			ce->att.n_schools = cnt[st];
			if (ce->e >= DID_EVENT_MIN && ce->e <= DID_EVENT_MAX && w->size[k] > 0) {
				struct did_est *ev = &r->event[ce->e - DID_EVENT_MIN];
				ev->n_cohorts++;
				ev->n_schools += cnt[st];
			}
		}
	}
	for (int e = 0; e < DID_EVENT_N; e++) {
		int nc = r->event[e].n_cohorts, nsch = r->event[e].n_schools;
		est_init(&r->event[e], s[L->event0 + e]);
		r->event[e].n_cohorts = nc;
		r->event[e].n_schools = nsch;
	}
	est_init(&r->overall, s[L->overall]);
	est_init(&r->simple, s[L->simple]);
	est_init(&r->twfe, s[L->twfe]);
	int ncontrol_used = 0;
	for (int i = 0; i < w->ns; i++) {
		int k = w->cls[i];
		if (k == 0 && w->start[i + 1] > w->start[i])
			ncontrol_used++;
		if (k < 1)
			continue;
		struct did_cohort *co = &r->cohorts[k - 1];
		co->n_schools++;
		if (post[i]) {
			any_post = 1;
			co->att.n_schools++;
			co->att.n_cohorts = 1;
			if (co->size > 0) {
				r->overall.n_schools++;
				r->simple.n_schools++;
			}
		}
		int nobs = 0;
		for (int t = 1; t <= w->nt; t++)
			if (!isnan(Y(p, i, t)) && W(p, i, t) > 0)
				nobs++;
		if (nobs >= 2)
			r->twfe.n_schools++;
	}
	for (int k = 0; k < L->ncoh; k++) {
		struct did_cohort *co = &r->cohorts[k];
		if (co->att.n_cohorts && co->size > 0) {
			r->overall.n_cohorts++;
			r->simple.n_cohorts++;
		}
		if (co->n_schools < DID_SMALL_COHORT)
			r->notes |= DID_NOTE_SMALL_COHORT;
		if (co->n_schools)
			r->twfe.n_cohorts++;
	}
	if (r->n_control < DID_SMALL_COHORT)
		r->notes |= DID_NOTE_SMALL_COHORT;
	if (isnan(r->twfe.est))
		r->notes |= DID_NOTE_NO_TWFE;
	free(cnt);
	free(post);
	if (ncontrol_used == 0)
		return DID_ENO_CONTROL;
	if (!any_post || isnan(r->overall.est))
		return DID_ENO_ESTIMATE;
	return DID_OK;
}

int did_estimate(const struct did_panel *p, const struct did_opts *opts, struct did_result *r)
{
	if (!r)
		return DID_EINVAL;
	memset(r, 0, sizeof *r);
	r->pretrend_crit = NAN;
	struct did_opts o;
	did_opts_default(&o);
	if (opts)
		o = *opts;
	if (!p || o.nboot < 0 || !(o.alpha > 0 && o.alpha < 1))
		return DID_EINVAL;

	struct work w;
	memset(&w, 0, sizeof w);
	double *s = NULL, *reps = NULL, *col = NULL;
	int rc = setup(&w, p, r);
	if (rc != DID_OK)
		goto out;
	s = malloc((size_t)w.L.n * sizeof *s);
	if (!s) {
		rc = DID_ENOMEM;
		goto out;
	}
	accumulate(&w, NULL);
	statistics(&w, s);
	rc = describe(&w, r, s);
	if (rc != DID_OK)
		goto out;

	int nb = o.nboot, ns = w.L.n;
	if (nb >= 2) {
		reps = malloc((size_t)nb * (size_t)ns * sizeof *reps);
		col = malloc((size_t)nb * sizeof *col);
		if (!reps || !col) {
			rc = DID_ENOMEM;
			goto out;
		}
		struct rng g;
		rng_seed(&g, o.seed);
		for (int b = 0; b < nb; b++) {
			double *rb = &reps[(size_t)b * (size_t)ns];
			resample(&w, &g);
			accumulate(&w, w.mult);
			statistics(&w, rb);
			for (int j = 0; j < ns; j++)
				if (!isnan(s[j]) && isnan(rb[j])) {
					r->nboot_undefined++;
					break;
				}
		}
		r->nboot = nb;
		if (r->nboot_undefined)
			r->notes |= DID_NOTE_BOOT_UNDEFINED;
		double z = norm_quantile(1 - o.alpha / 2);
		const struct layout *L = &w.L;
		for (int c = 0; c < L->ncells; c++)
			interval(&r->cells[c].att, reps, nb, ns, L->cell0 + c, &o, z, col);
		for (int k = 0; k < L->ncoh; k++)
			interval(&r->cohorts[k].att, reps, nb, ns, L->coh0 + k, &o, z, col);
		for (int e = 0; e < DID_EVENT_N; e++)
			interval(&r->event[e], reps, nb, ns, L->event0 + e, &o, z, col);
		interval(&r->overall, reps, nb, ns, L->overall, &o, z, col);
		interval(&r->simple, reps, nb, ns, L->simple, &o, z, col);
		interval(&r->twfe, reps, nb, ns, L->twfe, &o, z, col);

		/* the pre-trend band: largest standardised deviation over e < 0 */
		int n = 0, npre = 0;
		for (int e = DID_EVENT_MIN; e < 0; e++) {
			const struct did_est *pe = &r->event[e - DID_EVENT_MIN];
			if (!isnan(pe->est) && pe->se > 0)
				npre++;
		}
		for (int b = 0; b < nb && npre; b++) {
			double mx = 0;
			int ok = 1;
			for (int e = DID_EVENT_MIN; e < 0; e++) {
				const struct did_est *pe = &r->event[e - DID_EVENT_MIN];
				if (isnan(pe->est) || !(pe->se > 0))
					continue;
				double v = reps[(size_t)b * (size_t)ns + (size_t)(L->event0 + e - DID_EVENT_MIN)];
				if (isnan(v)) {
					ok = 0;
					break;
				}
				double d = fabs(v - pe->est) / pe->se;
				if (d > mx)
					mx = d;
			}
			if (ok)
				col[n++] = mx;
		}
		if (n >= 2) {
			qsort(col, (size_t)n, sizeof *col, cmp_double);
			r->pretrend_crit = quantile(col, n, 1 - o.alpha);
			for (int e = DID_EVENT_MIN; e < 0; e++) {
				const struct did_est *pe = &r->event[e - DID_EVENT_MIN];
				if (!isnan(pe->est) && pe->se > 0 &&
				    fabs(pe->est) > r->pretrend_crit * pe->se)
					r->pretrend = 1;
			}
		}
	}
	if (!isnan(r->twfe.est) && r->twfe.est != 0 && r->overall.est != 0 &&
	    (r->twfe.est > 0) != (r->overall.est > 0))
		r->twfe_sign_differs = 1;
	r->warning = r->twfe_sign_differs ? DID_WARN_TWFE_SIGN
		     : r->pretrend	  ? DID_WARN_PRETREND
					  : NULL;
out:
	free(s);
	free(reps);
	free(col);
	work_free(&w);
	if (rc != DID_OK) {
		unsigned notes = r->notes;
		did_result_free(r);
		r->notes = notes;
	}
	return rc;
}
