/*
 * Structured logs: one JSON object per line on stderr. Callers pass fields as a jansson
 * object; never put a password, token, cookie, name or id number in one.
 */
#ifndef ELEVLOS_LOG_H
#define ELEVLOS_LOG_H

#include <jansson.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

void log_set_level(enum log_level level);
int log_parse_level(const char *s, enum log_level *out);
/* Writes {"ts":…,"level":…,"event":event, …fields}. Takes ownership of fields (may be NULL). */
void log_event(enum log_level level, const char *event, json_t *fields);

#endif
