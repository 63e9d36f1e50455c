#include "throttle.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define SLOTS 4096

struct slot {
	char key[96];
	int failures;
	int64_t first;
};

static struct slot table[SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int max_fail = 5;
static int window = 900;

void throttle_init(int max_failures, int lockout_seconds)
{
	max_fail = max_failures;
	window = lockout_seconds;
}

static uint32_t fnv(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* Open addressing over a small window of slots; the oldest entry in the window is reused. */
static struct slot *find(const char *full_key, int create, int64_t now)
{
	/* Keys are compared as stored: cut to the slot's size on every call alike. */
	char key[sizeof table[0].key];
	snprintf(key, sizeof key, "%s", full_key);
	uint32_t h = fnv(key);
	struct slot *oldest = NULL;
	for (int i = 0; i < 8; i++) {
		struct slot *s = &table[(h + (uint32_t)i) % SLOTS];
		if (s->key[0] && strcmp(s->key, key) == 0)
			return s;
		if (!s->key[0]) {
			if (!oldest || oldest->key[0])
				oldest = s; /* a free slot beats any taken one */
		} else if (!oldest || (oldest->key[0] && s->first < oldest->first)) {
			oldest = s;
		}
	}
	if (!create)
		return NULL;
	snprintf(oldest->key, sizeof oldest->key, "%s", key);
	oldest->failures = 0;
	oldest->first = now;
	return oldest;
}

int throttle_wait(const char *key, int64_t now)
{
	pthread_mutex_lock(&lock);
	int wait = 0;
	struct slot *s = find(key, 0, now);
	if (s) {
		if (now - s->first >= window)
			s->key[0] = '\0';
		else if (s->failures >= max_fail)
			wait = (int)(window - (now - s->first));
	}
	pthread_mutex_unlock(&lock);
	return wait;
}

void throttle_fail(const char *key, int64_t now)
{
	pthread_mutex_lock(&lock);
	struct slot *s = find(key, 1, now);
	if (now - s->first >= window) {
		s->failures = 0;
		s->first = now;
	}
	s->failures++;
	pthread_mutex_unlock(&lock);
}

void throttle_clear(const char *key)
{
	pthread_mutex_lock(&lock);
	struct slot *s = find(key, 0, 0);
	if (s)
		s->key[0] = '\0';
	pthread_mutex_unlock(&lock);
}

void throttle_reset_all(void)
{
	pthread_mutex_lock(&lock);
	memset(table, 0, sizeof table);
	pthread_mutex_unlock(&lock);
}
