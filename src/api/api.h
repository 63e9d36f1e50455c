/* The JSON API under /api/v1: same access rules as the pages, from the same route table. */
#ifndef ELEVLOS_API_H
#define ELEVLOS_API_H

#include "../http/server.h"

int api_openapi(struct req *r);
int api_me(struct req *r);
int api_units(struct req *r);
int api_unit(struct req *r);
int api_unit_create(struct req *r);
int api_users(struct req *r);
int api_user(struct req *r);
int api_user_create(struct req *r);
int api_user_disable(struct req *r);

#endif
