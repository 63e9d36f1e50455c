#ifndef ELEVLOS_MIGRATIONS_H
#define ELEVLOS_MIGRATIONS_H
extern const char *const db_migrations[];
extern const int db_migrations_count;
#endif
