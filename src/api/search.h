/* Finding a student of one's own pilots by name (names are sealed: opened and compared in
 * memory, never in SQL) or by pseudonym; and days-since arithmetic for the caseload. */
#ifndef ELEVLOS_SEARCH_H
#define ELEVLOS_SEARCH_H

#include "../registration/registration.h"

typedef int (*search_hit_cb)(const struct student_row *s, const char *name, void *ctx);
/* Case-insensitive (also for æ ø å) substring match on name, prefix match on pseudonym. */
int student_search(struct reg *g, const char *scope_path, const char *q, search_hit_cb cb, void *ctx);
/* Whole days from date a to date b (YYYY-MM-DD). */
int caseload_days_since(const char *today, const char *date);

#endif
