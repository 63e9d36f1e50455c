#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <malloc.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../audit/audit.h"
#include "../auth/role.h"
#include "../auth/token.h"
#include "../db/mfa.h"
#include "../core/log.h"
#include "../i18n/format.h"
#include "../i18n/i18n.h"
#include "metrics.h"
#include "route.h"

/* An answer at least this large makes on_completed give freed memory back to the system. */
#define TRIM_AFTER_BYTES ((size_t)256 * 1024)

static const struct config *g_cfg;
static const struct keyring *g_kr;
static pthread_key_t db_key;
static atomic_int in_flight;

static const char CSP[] = "default-src 'none'; script-src 'self'; style-src 'self'; "
			  "img-src 'self' data:; font-src 'self'; connect-src 'self'; "
			  "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

static int64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void db_destroy(void *p)
{
	db_close(p);
}

db_t *server_db(void)
{
	db_t *db = pthread_getspecific(db_key);
	if (db)
		return db;
	char err[256];
	struct db_opts o = {.busy_timeout_ms = g_cfg->busy_timeout_ms};
	if (db_open(g_cfg->db, &o, &db, err, sizeof err) != DB_OK) {
		log_event(LOG_ERROR, "db_open_failed", json_pack("{s:s}", "error", err));
		return NULL;
	}
	pthread_setspecific(db_key, db);
	return db;
}

const char *cookie_session_name(const struct config *cfg)
{
	return cfg->plain_http ? "elevlos_session" : "__Host-elevlos_session";
}

const char *cookie_pre_name(const struct config *cfg)
{
	return cfg->plain_http ? "elevlos_pre" : "__Host-elevlos_pre";
}

const char *cookie_mfa_name(const struct config *cfg)
{
	return cfg->plain_http ? "elevlos_mfa" : "__Host-elevlos_mfa";
}

const char *cookie_lang_name(const struct config *cfg)
{
	return cfg->plain_http ? "elevlos_lang" : "__Host-elevlos_lang";
}

void http_set_cookie(struct req *r, const char *name, const char *value, int max_age)
{
	if (r->ncookies >= (int)ARRAY_LEN(r->cookies))
		return;
	snprintf(r->cookies[r->ncookies++], sizeof r->cookies[0],
		 "%s=%s; Path=/; HttpOnly; SameSite=Strict%s%s%d", name, value,
		 r->cfg->plain_http ? "" : "; Secure", max_age >= 0 ? "; Max-Age=" : "",
		 max_age >= 0 ? max_age : 0);
	if (max_age < 0) {
		/* session cookie: strip the trailing "0" written above */
		char *c = r->cookies[r->ncookies - 1];
		size_t n = strlen(c);
		if (n && c[n - 1] == '0')
			c[n - 1] = '\0';
	}
}

int http_redirect(struct req *r, const char *location)
{
	snprintf(r->location, sizeof r->location, "%s", location);
	r->status = 303;
	buf_reset(&r->out);
	r->ctype = "text/plain; charset=utf-8";
	buf_puts(&r->out, "See other\n");
	return 303;
}

int http_json(struct req *r, int status, void *json)
{
	json_t *j = json;
	char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
	json_decref(j);
	buf_reset(&r->out);
	if (s) {
		buf_puts(&r->out, s);
		free(s);
	}
	buf_putc(&r->out, '\n');
	r->ctype = "application/json";
	r->status = status;
	return status;
}

static const char *status_code_name(int status)
{
	switch (status) {
	case 400: return "bad_request";
	case 401: return "unauthenticated";
	case 403: return "forbidden";
	case 404: return "not_found";
	case 405: return "method_not_allowed";
	case 409: return "conflict";
	case 413: return "body_too_large";
	case 415: return "unsupported_media_type";
	case 422: return "invalid";
	case 429: return "too_many_requests";
	case 503: return "unavailable";
	case 507: return "storage_full";
	default: return status >= 500 ? "internal_error" : "error";
	}
}

/* The HTML error page is pages.c's; declared here to keep one error path. */
void page_error(struct req *r, int status, const char *message);

int http_error(struct req *r, int status, const char *message)
{
	r->status = status;
	r->location[0] = '\0';
	r->disposition[0] = '\0';
	int api = r->route ? route_is_api(r->route) : (r->path && !strncmp(r->path, "/api/", 5));
	/* A catalogue key is said in the reader's language (English for the API); other text is
	 * shown as given: pages pass what they already translated. */
	message = T(api ? "en" : r->lang, message);
	if (api) {
		json_t *e = json_pack("{s:{s:i,s:s,s:s}}", "error", "status", status, "code",
				      status_code_name(status), "message", message);
		return http_json(r, status, e);
	}
	buf_reset(&r->out);
	page_error(r, status, message);
	r->ctype = "text/html; charset=utf-8";
	return status;
}

int req_audit(struct req *r, const char *action, const char *object, const char *purpose)
{
	struct audit_entry e = {
		.username = r->user ? r->user->username : "-",
		.role = r->user ? r->user->role : "-",
		.unit = r->user ? r->user->unit_code : "-",
		.action = action,
		.object = object,
		.purpose = purpose,
		/* What a counsellor does in another pilot's record after breaking the glass stands out. */
		.outcome = r->via_glass ? "glass" : "ok",
	};
	if (audit_write(r->db, &e) != DB_OK) {
		r->tx_failed = 1;
		log_event(LOG_ERROR, "audit_write_failed",
			  json_pack("{s:s}", "error", db_errmsg(r->db)));
		return -1;
	}
	return 0;
}

/* Access-log rows for refusals are written in their own transaction: the request's own
 * transaction (if any) is rolled back. */
static void audit_outside(struct req *r, const char *action, const char *object,
			  const char *outcome, const char *username)
{
	if (!r->db)
		return;
	if (db_begin(r->db) != DB_OK)
		goto fail;
	struct audit_entry e = {
		.username = r->user ? r->user->username : username ? username : "-",
		.role = r->user ? r->user->role : "-",
		.unit = r->user ? r->user->unit_code : "-",
		.action = action,
		.object = object,
		.purpose = r->route ? r->route->summary : "-",
		.outcome = outcome,
	};
	if (audit_write(r->db, &e) != DB_OK || db_commit(r->db) != DB_OK) {
		db_rollback(r->db);
		goto fail;
	}
	return;
fail:
	log_event(LOG_ERROR, "audit_write_failed", json_pack("{s:s}", "error", db_errmsg(r->db)));
}

void server_audit_login_failed(struct req *r, const char *username);
void server_audit_login_failed(struct req *r, const char *username)
{
	char obj[100];
	snprintf(obj, sizeof obj, "user:%s", username);
	audit_outside(r, "login_failed", obj, "failed", username);
}

/* ---- request lifecycle ---- */

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	(void)cls;
	struct req *r = xcalloc(1, sizeof *r);
	r->started_ns = mono_ns();
	r->arena = arena_new();
	r->cfg = g_cfg;
	r->conn = conn;
	r->route_index = -1;
	r->lang = "nb";
	buf_init(&r->out);
	buf_init(&r->body);
	const char *q = strchr(uri, '?');
	r->path = arena_strndup(r->arena, uri, q ? (size_t)(q - uri) : strlen(uri));
	r->query = q ? arena_strdup(r->arena, q + 1) : NULL;
	atomic_fetch_add(&in_flight, 1);
	return r;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)conn;
	struct req *r = *con_cls;
	if (!r)
		return;
	int64_t ns = mono_ns() - r->started_ns;
	metrics_record(r->route_index, r->status, ns);
	const char *route = r->route ? r->route->path : "-";
	log_event(r->status >= 500 ? LOG_ERROR : LOG_INFO, "request",
		  json_pack("{s:s,s:s,s:i,s:f,s:I,s:b}", "method", r->method, "route", route,
			    "status", r->status, "ms", (double)ns / 1e6, "account_id",
			    (json_int_t)(r->user ? r->user->id : 0), "complete",
			    toe == MHD_REQUEST_TERMINATED_COMPLETED_OK));
	size_t sent = r->sent;
	buf_free(&r->out);
	buf_free(&r->body);
	arena_free(r->arena);
	free(r);
	*con_cls = NULL;
	atomic_fetch_sub(&in_flight, 1);
	/* A large answer (a subject-access export, a long access report) was built from many small
	 * allocations in this thread's malloc arena; freed, they stay with the process unless given
	 * back. Without this the server's memory keeps the high-water mark of the largest such
	 * answer so far, and grows with them (the soak's RSS did). */
	if (sent >= TRIM_AFTER_BYTES)
		malloc_trim(0);
}

static void peer(struct req *r)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char ip[INET6_ADDRSTRLEN] = "?";
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET) {
			const struct sockaddr_in *in = (const void *)sa;
			inet_ntop(AF_INET, &in->sin_addr, ip, sizeof ip);
			r->loopback = (ntohl(in->sin_addr.s_addr) >> 24) == 127;
		} else if (sa->sa_family == AF_INET6) {
			const struct sockaddr_in6 *in6 = (const void *)sa;
			inet_ntop(AF_INET6, &in6->sin6_addr, ip, sizeof ip);
			r->loopback = IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
		}
	}
	r->ip = arena_strdup(r->arena, ip);
}

/* 0 with r->user set; -1 when the account is gone or disabled; -2 on a database error (busy),
 * which says nothing about the session and must not end it. */
static int load_user(struct req *r, int64_t account_id)
{
	struct account *a = arena_alloc(r->arena, sizeof *a);
	int rc = db_account_get_id(r->db, account_id, a);
	if (rc == DB_ERROR)
		return -2;
	if (rc != DB_OK || a->disabled)
		return -1;
	r->user = a;
	return 0;
}

/* A login between password and second factor: only the second-step pages look at it, and only
 * for mfa_pending seconds. It never sets r->user. Returns 0, or an HTTP status to answer with. */
static int load_pending(struct req *r, const char *cookies)
{
	char tok[64];
	if (cookie_get(cookies, cookie_mfa_name(r->cfg), tok, sizeof tok) != 0)
		return 0;
	unsigned char h[32];
	token_hash(tok, h);
	struct mfa_pending *p = arena_alloc(r->arena, sizeof *p);
	int rc = db_mfa_pending_get(r->db, h, p);
	if (rc == DB_ERROR)
		return http_error(r, 503, "error.database_unavailable");
	if (rc != DB_OK)
		return 0;
	int64_t now = now_utc();
	struct account *a = arena_alloc(r->arena, sizeof *a);
	if (now - p->created_at > r->cfg->mfa_pending || now < p->created_at ||
	    db_account_get_id(r->db, p->account_id, a) != DB_OK || a->disabled) {
		db_mfa_pending_delete(r->db, p->id);
		return 0;
	}
	r->pending = p;
	r->pending_user = a;
	return 0;
}

/* Returns 0, or an HTTP status to answer with. */
static int authenticate(struct req *r)
{
	const char *authz = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Authorization");
	if (authz) {
		if (strncmp(authz, "Bearer ", 7) != 0 || !valid_token(authz + 7, strlen(authz + 7)))
			return http_error(r, 401, "error.authorization");
		unsigned char h[32];
		int64_t account_id;
		token_hash(authz + 7, h);
		int rc = db_token_lookup(r->db, h, &account_id);
		if (rc == DB_ERROR)
			return http_error(r, 503, "error.database_unavailable");
		int lu = rc == DB_OK ? load_user(r, account_id) : -1;
		if (lu == -2)
			return http_error(r, 503, "error.database_unavailable");
		if (lu != 0)
			return http_error(r, 401, "error.token");
		r->via_token = 1;
		return 0;
	}
	const char *cookies = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Cookie");
	char tok[64];
	if (cookie_get(cookies, cookie_pre_name(r->cfg), tok, sizeof tok) == 0)
		snprintf(r->pre_token, sizeof r->pre_token, "%s", tok);
	if (cookie_get(cookies, cookie_session_name(r->cfg), tok, sizeof tok) != 0)
		return load_pending(r, cookies);
	unsigned char h[32];
	token_hash(tok, h);
	int rc = db_session_get(r->db, h, &r->sess);
	if (rc == DB_ERROR)
		return http_error(r, 503, "error.database_unavailable");
	if (rc != DB_OK)
		return load_pending(r, cookies);
	int64_t now = now_utc();
	int lu = 0;
	if (now - r->sess.last_seen > r->cfg->session_idle ||
	    now - r->sess.created_at > r->cfg->session_absolute ||
	    (lu = load_user(r, r->sess.account_id)) == -1) {
		db_session_delete(r->db, r->sess.id);
		r->user = NULL;
		return load_pending(r, cookies);
	}
	if (lu == -2) {
		r->user = NULL;
		return http_error(r, 503, "error.database_unavailable");
	}
	r->has_session = 1;
	/* Touch at most once a minute (sooner for short idle limits): a write per request would
	 * serialise all reads. */
	int64_t every = r->cfg->session_idle / 4;
	if (every > 60)
		every = 60;
	if (now - r->sess.last_seen >= (every > 0 ? every : 1))
		db_session_touch(r->db, r->sess.id, now);
	return 0;
}

static int check_csrf(struct req *r)
{
	if (!r->route->csrf || r->via_token)
		return 0;
	const char *given = r->in.v[KEY_CSRF];
	if (!given)
		given = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-CSRF-Token");
	const char *want = r->has_session ? r->sess.csrf : r->pending ? r->pending->csrf : r->pre_token;
	if (!given || !*want || !token_equal(given, want))
		return http_error(r, 403, "error.csrf");
	return 0;
}

static int load_object(struct req *r)
{
	const struct route *rt = r->route;
	if (rt->obj == OBJ_NONE)
		return 0;
	if (rt->obj >= OBJ_STUDENT)
		return record_object_load(r);
	const char *key = r->params[0];
	int rc;
	if (rt->obj == OBJ_PILOT) {
		/* A unit of kind pilot in the caller's scope: an analyst's any, a leader's own. */
		r->obj_unit = arena_alloc(r->arena, sizeof *r->obj_unit);
		rc = valid_code(key, strlen(key)) ? db_unit_get(r->db, key, r->obj_unit) : DB_NOTFOUND;
		if (rc == DB_OK && (strcmp(r->obj_unit->kind, "pilot") != 0 ||
				    !scope_contains(r->user->unit_path, r->obj_unit->path)))
			rc = DB_NOTFOUND;
	} else if (rt->obj == OBJ_UNIT) {
		r->obj_unit = arena_alloc(r->arena, sizeof *r->obj_unit);
		rc = valid_code(key, strlen(key)) ? db_unit_get(r->db, key, r->obj_unit) : DB_NOTFOUND;
		if (rc == DB_OK && !scope_contains(r->user->unit_path, r->obj_unit->path))
			rc = DB_NOTFOUND;
	} else {
		r->obj_account = arena_alloc(r->arena, sizeof *r->obj_account);
		rc = valid_username(key, strlen(key)) ? db_account_get(r->db, key, r->obj_account)
						       : DB_NOTFOUND;
		if (rc == DB_OK && !scope_contains(r->user->unit_path, r->obj_account->unit_path))
			rc = DB_NOTFOUND;
	}
	if (rc == DB_ERROR)
		return http_error(r, 503, "error.database_unavailable");
	if (rc != DB_OK) {
		/* Same answer for "does not exist" and "not yours": no existence leak. */
		return http_error(r, 404, "error.not_found");
	}
	return 0;
}

/* 1 when the Content-Type header names this media type (case-insensitive, parameters
 * allowed): "application/jsonp" is not "application/json". */
static int ctype_is(const char *ct, const char *type)
{
	size_t n = strlen(type);
	return strncasecmp(ct, type, n) == 0 &&
	       (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ' || ct[n] == '\t');
}

/* A refused input in the reader's words: the field as sent and what it accepts. The API keeps
 * the parser's English. */
static int input_error(struct req *r, const struct form_error *e)
{
	if (route_is_api(r->route))
		return http_error(r, 400, e->msg);
	const char *lang = r->lang;
	char max[32], out[400] = "";
	snprintf(max, sizeof max, "%zu", e->maxlen);
	const char *args[2] = {e->field, NULL};
	const char *tmpl;
	switch (e->code) {
	case FORM_UNKNOWN_KEY:
		tmpl = "input.unknown";
		break;
	case FORM_DUPLICATE:
		tmpl = "input.duplicate";
		break;
	case FORM_BAD_UTF8:
		tmpl = e->field[0] ? "input.bad_utf8" : "input.bad_utf8_body";
		break;
	case FORM_TOO_LONG:
		tmpl = "input.too_long";
		args[1] = max;
		break;
	case FORM_INVALID:
		tmpl = "input.invalid";
		args[1] = T(lang, form_what_key(e->key));
		break;
	default:
		tmpl = "input.bad_encoding";
		break;
	}
	i18n_fill(out, sizeof out, T(lang, tmpl), args, 2);
	return http_error(r, 400, arena_strdup(r->arena, out));
}

static int parse_input(struct req *r)
{
	struct form_error err;
	keyset_t keys = r->route->keys;
	struct form q, b;
	memset(&q, 0, sizeof q);
	memset(&b, 0, sizeof b);
	if (r->query && form_parse(r->arena, r->query, strlen(r->query), keys, &q, &err) < 0)
		return input_error(r, &err);
	if (r->body.len > 0) {
		const char *ct = r->ctype_in ? r->ctype_in : "";
		if (ctype_is(ct, "application/x-www-form-urlencoded")) {
			if (form_parse(r->arena, r->body.p, r->body.len, keys, &b, &err) < 0)
				return input_error(r, &err);
		} else if (ctype_is(ct, "application/json")) {
			if (form_parse_json(r->arena, r->body.p, r->body.len, keys, &b, &err) < 0)
				return input_error(r, &err);
		} else {
			return http_error(r, 415, "error.content_type");
		}
	}
	/* One value per key across query and body. */
	for (int k = 0; k < KEY__MAX; k++) {
		if (q.v[k] && b.v[k])
			return http_error(r, 400, "input.both");
		r->in.v[k] = q.v[k] ? q.v[k] : b.v[k];
		r->in.n[k] = q.v[k] ? q.n[k] : b.n[k];
	}
	return 0;
}

/* The pages' language: the cookie the language switch set, else bokmål. */
static void choose_lang(struct req *r)
{
	const char *cookies = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Cookie");
	char tok[8];
	if (cookies && strstr(cookies, "lang=en") &&
	    cookie_get(cookies, cookie_lang_name(r->cfg), tok, sizeof tok) == 0 && !strcmp(tok, "en"))
		r->lang = "en";
}

static void dispatch_checked(struct req *r)
{
	const struct route *rt = r->route;
	if (parse_input(r))
		return;
	r->db = server_db();
	if (!r->db) {
		http_error(r, 503, "error.database_unavailable");
		return;
	}
	if (authenticate(r))
		return;
	if (rt->roles) {
		if (!r->user) {
			if (route_is_api(rt) || strcmp(r->method, "GET") != 0) {
				http_error(r, 401, "error.login_first");
			} else {
				char *loc = arena_printf(r->arena, "/login?next=%s", r->path);
				http_redirect(r, valid_local_path(r->path, strlen(r->path)) ? loc : "/login");
			}
			return;
		}
		if (!(rt->roles & role_bit(r->user->role))) {
			http_error(r, 403, "error.role");
			log_event(LOG_WARN, "denied",
				  json_pack("{s:s,s:I,s:s}", "route", rt->path, "account_id",
					    (json_int_t)r->user->id, "reason", "role"));
			audit_outside(r, "denied", rt->path, "denied", NULL);
			return;
		}
	}
	if (check_csrf(r)) {
		log_event(LOG_WARN, "denied", json_pack("{s:s,s:s}", "route", rt->path, "reason", "csrf"));
		audit_outside(r, "denied", rt->path, "csrf", NULL);
		return;
	}
	/* The transaction starts before the object is read: what the handler writes back and
	 * what the page shows is what the transaction saw, with its access-log row in it. */
	if (rt->tx && db_begin(r->db) != DB_OK) {
		http_error(r, 503, "error.busy");
		return;
	}
	if (rt->roles && load_object(r)) {
		if (rt->tx)
			db_rollback(r->db);
		if (r->status == 404)
			audit_outside(r, "denied", rt->path, "not_found", NULL);
		return;
	}
	r->status = 200;
	r->ctype = "text/html; charset=utf-8";
	int status = rt->handler(r);
	if (status > 0)
		r->status = status;
	if (rt->tx) {
		if (r->tx_failed) {
			db_rollback(r->db);
			http_error(r, 500, "error.audit_failed");
		} else if ((r->status >= 400 || r->rollback) && !r->keep_log) {
			db_rollback(r->db);
		} else if (db_commit(r->db) != DB_OK) {
			/* Nothing is acknowledged that is not durable. */
			db_rollback(r->db);
			http_error(r, 500, "error.save_failed");
		}
	}
}

/* A request leaves its thread's connection as it found it. A statement left stepping would
 * freeze that thread's view of the database (a fresh login not found, a write refused as
 * busy) for every later request: it is reset here and logged as the bug it is. */
static void dispatch(struct req *r)
{
	dispatch_checked(r);
	char what[160];
	if (r->db && db_end_of_work(r->db, what, sizeof what) > 0)
		log_event(LOG_ERROR, "db_left_busy",
			  json_pack("{s:s,s:s}", "route", r->route ? r->route->path : "-", "sql", what));
}

static void add_headers(struct MHD_Response *resp, struct req *r)
{
	MHD_add_response_header(resp, "Content-Security-Policy", CSP);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
	MHD_add_response_header(resp, "Cache-Control",
				r->cacheable ? "public, max-age=86400" : "no-store");
	if (!r->cfg->plain_http)
		MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
	MHD_add_response_header(resp, "Content-Type", r->ctype ? r->ctype : "text/plain");
	if (r->location[0])
		MHD_add_response_header(resp, "Location", r->location);
	if (r->allow[0])
		MHD_add_response_header(resp, "Allow", r->allow);
	if (r->disposition[0])
		MHD_add_response_header(resp, "Content-Disposition", r->disposition);
	for (int i = 0; i < r->ncookies; i++)
		MHD_add_response_header(resp, "Set-Cookie", r->cookies[i]);
}

static enum MHD_Result respond(struct req *r)
{
	size_t len;
	if (!r->status)
		r->status = 500;
	char *body = buf_detach(&r->out, &len);
	r->sent = len;
	struct MHD_Response *resp =
		MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(body);
		return MHD_NO;
	}
	add_headers(resp, r);
	enum MHD_Result ret = MHD_queue_response(r->conn, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static int path_ok(const char *p)
{
	if (p[0] != '/')
		return 0;
	for (; *p; p++) {
		char c = *p;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '/' || c == '-' || c == '_' || c == '.'))
			return 0;
		if (c == '.' && p[1] == '.')
			return 0;
	}
	return 1;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	(void)cls;
	(void)url;
	(void)version;
	struct req *r = *con_cls;
	if (!r)
		return MHD_NO;
	if (!r->method[0]) {
		/* First call: headers are in. Route and size checks before any body is read. */
		snprintf(r->method, sizeof r->method, "%s", method);
		peer(r);
		choose_lang(r);
		r->ctype_in = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");
		if (!path_ok(r->path)) {
			http_error(r, 404, "error.not_found");
			return respond(r);
		}
		r->route_index = route_match(method, r->path, r, r->allow, sizeof r->allow);
		if (r->route_index == -1) {
			http_error(r, 404, "error.not_found");
			return respond(r);
		}
		if (r->route_index == -2) {
			r->route_index = -1;
			http_error(r, 405, "error.method");
			return respond(r);
		}
		r->route = &routes[r->route_index];
		const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
		if (cl && strtoll(cl, NULL, 10) > r->cfg->max_body) {
			http_error(r, 413, "error.body_too_large");
			return respond(r);
		}
		return MHD_YES;
	}
	if (*upload_size) {
		if (r->body.len + *upload_size > (size_t)r->cfg->max_body)
			r->body_too_big = 1;
		else
			buf_put(&r->body, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	if (r->status)
		return respond(r);
	if (r->body_too_big) {
		http_error(r, 413, "error.body_too_large");
	} else {
		db_full_clear();
		dispatch(r);
		/* A write that failed for a full disk says so (507), not "something went wrong";
		 * what it would have written was rolled back like any failed write. */
		if (r->status >= 500 && db_full_seen()) {
			log_event(LOG_ERROR, "storage_full",
				  json_pack("{s:s}", "route", r->route ? r->route->path : "-"));
			http_error(r, 507, "error.storage_full");
		}
	}
	return respond(r);
}

int server_listen(const char *listen_addr, char *err, size_t errsz)
{
	char host[128];
	const char *colon = strrchr(listen_addr, ':');
	if (!colon || colon == listen_addr) {
		snprintf(err, errsz, "--listen must be ADDRESS:PORT, like 127.0.0.1:8080");
		return -1;
	}
	snprintf(host, sizeof host, "%.*s", (int)(colon - listen_addr), listen_addr);
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (*end || port < 1 || port > 65535) {
		snprintf(err, errsz, "--listen: port must be 1-65535");
		return -1;
	}
	struct sockaddr_storage ss;
	socklen_t slen;
	memset(&ss, 0, sizeof ss);
	size_t hl = strlen(host);
	if (host[0] == '[' && hl > 2 && host[hl - 1] == ']') {
		struct sockaddr_in6 *a = (void *)&ss;
		host[hl - 1] = '\0';
		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, host + 1, &a->sin6_addr) != 1)
			goto bad;
		slen = sizeof *a;
	} else {
		struct sockaddr_in *a = (void *)&ss;
		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)port);
		if (inet_pton(AF_INET, host, &a->sin_addr) != 1)
			goto bad;
		slen = sizeof *a;
	}
	int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errsz, "socket: %s", strerror(errno));
		return -1;
	}
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, (struct sockaddr *)&ss, slen) != 0 || listen(fd, 128) != 0) {
		snprintf(err, errsz, "cannot listen on %s: %s", listen_addr, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
bad:
	snprintf(err, errsz, "--listen: '%s' is not an IPv4 address or [IPv6] address", host);
	return -1;
}

const struct keyring *server_keyring(void)
{
	return g_kr;
}

int server_run(const struct config *cfg, const struct keyring *kr, int fd)
{
	g_cfg = cfg;
	g_kr = kr;
	/* A fixed threshold (glibc raises it as large blocks are freed, up to 32 MiB): every buffer
	 * of 128 KiB or more, an answer's body above all, is mapped on its own and unmapped when
	 * freed, instead of staying in the heap. */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	if (pthread_key_create(&db_key, db_destroy) != 0) {
		close(fd);
		return 1;
	}
	/* Signals go to this thread only, via sigwait below. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	struct MHD_Daemon *d = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_ERROR_LOG, 0, NULL, NULL,
		on_request, NULL, MHD_OPTION_LISTEN_SOCKET, fd, MHD_OPTION_THREAD_POOL_SIZE,
		(unsigned)cfg->threads, MHD_OPTION_CONNECTION_LIMIT, (unsigned)cfg->max_connections,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)cfg->max_per_ip,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->timeout,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)cfg->max_header,
		MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL, MHD_OPTION_NOTIFY_COMPLETED, on_completed,
		NULL, MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "elevlos: cannot start the HTTP server on %s\n", cfg->listen);
		close(fd);
		return 1;
	}
	log_event(LOG_INFO, "listening",
		  json_pack("{s:s,s:i,s:b}", "listen", cfg->listen, "threads", cfg->threads,
			    "plain_http", cfg->plain_http));
	int sig = 0;
	sigwait(&set, &sig);
	log_event(LOG_INFO, "stopping", json_pack("{s:s}", "signal", sig == SIGTERM ? "TERM" : "INT"));
	/* Stop accepting, let requests in flight finish (up to 10 s), then close. */
	int lfd = (int)MHD_quiesce_daemon(d);
	for (int i = 0; i < 1000 && atomic_load(&in_flight) > 0; i++)
		usleep(10000);
	MHD_stop_daemon(d);
	if (lfd >= 0)
		close(lfd);
	db_t *own = pthread_getspecific(db_key);
	db_close(own);
	pthread_setspecific(db_key, NULL);
	pthread_key_delete(db_key);
	log_event(LOG_INFO, "stopped", NULL);
	return 0;
}
