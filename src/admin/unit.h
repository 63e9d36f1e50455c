/* Units of the tree nation → county → pilot → school / NAV office. */
#ifndef ELEVLOS_UNIT_H
#define ELEVLOS_UNIT_H

#include "actor.h"

/* 1 when a unit of kind may sit directly under a unit of parent_kind. */
int unit_kind_fits(const char *kind, const char *parent_kind);
/* Creates a unit in its own transaction, with an access-log row. */
struct outcome unit_create(db_t *db, const struct actor *who, const char *code, const char *name,
			   const char *kind, const char *parent);

#endif
