/*
 * A statistics release: the measures S1-S12 of one school year, or of a period of whole school
 * years ("2014/15-2017/18", see measures.h), for the nation, every county with pilots and every
 * pilot, as one table model whose totals tie pilots to counties and counties to the nation,
 * protected as a whole (sdc.h), frozen with a hash of its inputs.
 */
#ifndef ELEVLOS_RELEASE_H
#define ELEVLOS_RELEASE_H

#include <jansson.h>

#include "../admin/actor.h"
#include "sdc.h"

struct release_built {
	json_t *content;      /* the protected release: what may be shown */
	char inputs_hash[65]; /* SHA-256 of every raw count and the options */
	int cells, suppressed;
};

/* Computes and protects; 0, or -1 with err. */
int release_build(db_t *db, const char *school_year, const struct sdc_opts *o, struct release_built *out,
		  char *err, size_t errsz);
/* Builds and stores the next version as a draft with an access-log row. Returns the id, -1. */
long long release_create(db_t *db, const struct actor *who, const char *school_year, const char *note,
			 const struct sdc_opts *o, char *err, size_t errsz);

#endif
