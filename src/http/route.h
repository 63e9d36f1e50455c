/*
 * The one route table. Each route says who may call it (roles, 0 = anyone), which object
 * its path names (loaded and checked against the caller's unit scope before the handler
 * runs: out of scope is 404), whether it changes state (then it needs a CSRF token and is
 * never a GET), and which input keys it accepts.
 */
#ifndef ELEVLOS_ROUTE_H
#define ELEVLOS_ROUTE_H

#include "form.h"

struct req;

enum obj {
	OBJ_NONE,
	OBJ_UNIT,
	OBJ_ACCOUNT,
	/* a unit of kind 'pilot' in the caller's scope */
	OBJ_PILOT,
	/* the registration record: scope is the student's pilot (see record_object.c) */
	OBJ_STUDENT,
	OBJ_SAK,
	OBJ_CONTACT,
	OBJ_DECISION,
	OBJ_MEASURE,
	OBJ_REFERRAL,
};

struct route {
	const char *method;
	const char *path; /* literal segments and {name} parameters */
	unsigned roles;
	enum obj obj;
	int csrf;  /* state-changing: POST with a CSRF token (or a bearer token) */
	int tx;    /* runs in one write transaction with its access-log rows */
	keyset_t keys;
	int (*handler)(struct req *r);
	const char *summary;
};

extern const struct route routes[];
extern const int routes_count;

/* Returns the route index, -1 when no path matches, -2 when the path matches another
 * method (allow gets "GET, POST"). Fills r->params. */
int route_match(const char *method, const char *path, struct req *r, char *allow, size_t allowsz);
int route_is_api(const struct route *rt);

#endif
