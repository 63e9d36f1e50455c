#ifndef ELEVLOS_DEMO_H
#define ELEVLOS_DEMO_H

#include <stdio.h>

#include "../db/db.h"

/* Fills a migrated database with demo units and users; prints the logins to out.
 * Returns 0, 1 when the demo data is already there, -1 on error. */
struct keyring;
int demo_create(db_t *db, const struct keyring *kr, FILE *out);

#endif
