/* Static files compiled into the binary (tools/embed.c writes build/gen/assets.c). */
#ifndef ELEVLOS_ASSETS_H
#define ELEVLOS_ASSETS_H

#include <stddef.h>

struct asset {
	const char *name;
	const char *ctype;
	const unsigned char *data;
	size_t len;
};

extern const struct asset assets[];
extern const int assets_count;

#endif
