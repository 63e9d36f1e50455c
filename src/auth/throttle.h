/*
 * Login throttling per account and per client address: after max failures within the
 * lockout window the key is refused until the window has passed. Kept in memory; a restart
 * forgets it, which costs an attacker a restart of our server they cannot cause.
 */
#ifndef ELEVLOS_THROTTLE_H
#define ELEVLOS_THROTTLE_H

#include <stdint.h>

void throttle_init(int max_failures, int lockout_seconds);
/* Seconds until key may try again; 0 when it may try now. */
int throttle_wait(const char *key, int64_t now);
void throttle_fail(const char *key, int64_t now);
void throttle_clear(const char *key);
void throttle_reset_all(void);

#endif
