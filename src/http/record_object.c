/*
 * Loading the registration objects a route names. A student, case, contact, decision or
 * measure is in scope when its pilot lies under the caller's unit; a referral also when the
 * caller is the school counsellor who sent it. Everything else is 404, exactly like a
 * missing object, so nobody learns what exists outside their scope.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../auth/role.h"
#include "../db/record.h"
#include "route.h"
#include "server.h"

static int parse_id(const char *s, int64_t *out)
{
	if (!s || !valid_uint(s, strlen(s)))
		return -1;
	*out = atoll(s);
	return *out > 0 ? 0 : -1;
}

/* Outside the caller's pilot: open only to a counsellor who broke the glass for this student
 * (and not yet expired); everything they do then is flagged in the access log. */
static int glass(struct req *r, int64_t student_id)
{
	if (role_bit(r->user->role) != ROLE_VEILEDER)
		return DB_NOTFOUND;
	char now[21];
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
	int rc = db_glass_active(r->db, r->user->id, student_id, now, r->glass_until);
	if (rc == DB_OK)
		r->via_glass = 1;
	return rc;
}

static int sak_in_scope(struct req *r, int64_t sak_id)
{
	r->obj_sak = arena_alloc(r->arena, sizeof *r->obj_sak);
	int rc = db_sak_get(r->db, sak_id, r->obj_sak);
	if (rc == DB_OK && !scope_contains(r->user->unit_path, r->obj_sak->pilot_path))
		rc = glass(r, r->obj_sak->student_id);
	return rc;
}

int record_object_load(struct req *r)
{
	const char *key = r->params[0];
	int64_t id = 0;
	int rc = DB_NOTFOUND;
	switch (r->route->obj) {
	case OBJ_STUDENT:
		r->obj_student = arena_alloc(r->arena, sizeof *r->obj_student);
		if (key && valid_pseudonym(key, strlen(key)))
			rc = db_student_get(r->db, key, r->obj_student);
		if (rc == DB_OK && !scope_contains(r->user->unit_path, r->obj_student->pilot_path))
			rc = glass(r, r->obj_student->id);
		break;
	case OBJ_SAK:
		if (parse_id(key, &id) == 0)
			rc = sak_in_scope(r, id);
		break;
	case OBJ_CONTACT:
		r->obj_contact = arena_alloc(r->arena, sizeof *r->obj_contact);
		if (parse_id(key, &id) == 0 && (rc = db_contact_get(r->db, id, r->obj_contact)) == DB_OK)
			rc = sak_in_scope(r, r->obj_contact->sak_id);
		break;
	case OBJ_DECISION:
		r->obj_decision = arena_alloc(r->arena, sizeof *r->obj_decision);
		if (parse_id(key, &id) == 0 && (rc = db_decision_get(r->db, id, r->obj_decision)) == DB_OK)
			rc = sak_in_scope(r, r->obj_decision->sak_id);
		break;
	case OBJ_MEASURE:
		r->obj_measure = arena_alloc(r->arena, sizeof *r->obj_measure);
		if (parse_id(key, &id) == 0 && (rc = db_measure_get(r->db, id, r->obj_measure)) == DB_OK)
			rc = sak_in_scope(r, r->obj_measure->sak_id);
		break;
	case OBJ_REFERRAL:
		r->obj_referral = arena_alloc(r->arena, sizeof *r->obj_referral);
		if (parse_id(key, &id) == 0 && (rc = db_referral_get(r->db, id, r->obj_referral)) == DB_OK) {
			/* The referrer sees their own; the pilot's counsellors see the pilot's. */
			int own = r->obj_referral->referrer_id == r->user->id;
			int pilot = role_bit(r->user->role) != ROLE_RADGIVER &&
				    scope_contains(r->user->unit_path, r->obj_referral->pilot_path);
			if (!own && !pilot)
				rc = DB_NOTFOUND;
		}
		break;
	default:
		break;
	}
	if (rc == DB_ERROR)
		return http_error(r, 503, "error.database_unavailable");
	if (rc != DB_OK)
		return http_error(r, 404, "error.not_found");
	return 0;
}
