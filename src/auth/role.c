#include "role.h"

#include <string.h>

static const char *const names[ROLE_COUNT] = {"veileder", "radgiver", "leder", "analytiker",
					      "admin"};

unsigned role_bit(const char *name)
{
	for (int i = 0; i < ROLE_COUNT; i++)
		if (name && strcmp(name, names[i]) == 0)
			return 1u << i;
	return 0;
}

const char *role_name(unsigned bit)
{
	for (int i = 0; i < ROLE_COUNT; i++)
		if (bit == 1u << i)
			return names[i];
	return "";
}

int scope_contains(const char *scope_path, const char *object_path)
{
	size_t n = strlen(scope_path);
	/* Paths end in '/', so "/NO/1/" never matches "/NO/10/". */
	return n > 0 && scope_path[n - 1] == '/' && strncmp(scope_path, object_path, n) == 0;
}
