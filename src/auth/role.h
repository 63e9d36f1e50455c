/* The five roles of DOMAIN.md section 2 as bits, and unit-tree scope. */
#ifndef ELEVLOS_ROLE_H
#define ELEVLOS_ROLE_H

enum role {
	ROLE_VEILEDER = 1 << 0,
	ROLE_RADGIVER = 1 << 1,
	ROLE_LEDER = 1 << 2,
	ROLE_ANALYTIKER = 1 << 3,
	ROLE_ADMIN = 1 << 4,
};
#define ROLES_ALL (ROLE_VEILEDER | ROLE_RADGIVER | ROLE_LEDER | ROLE_ANALYTIKER | ROLE_ADMIN)
#define ROLE_COUNT 5

unsigned role_bit(const char *name); /* 0 when unknown */
const char *role_name(unsigned bit);
/* 1 when object_path lies in the subtree rooted at scope_path (both "/NO/…/" paths). */
int scope_contains(const char *scope_path, const char *object_path);

#endif
