/* The HTTP server on libmicrohttpd: request lifecycle, limits, authentication, responses. */
#ifndef ELEVLOS_SERVER_H
#define ELEVLOS_SERVER_H

#include <stdint.h>

#include "../core/config.h"
#include "../core/util.h"
#include "../db/db.h"
#include "form.h"

struct route;
struct student_row;
struct sak_row;
struct contact_row;
struct decision_row;
struct measure_row;
struct referral_row;
struct keyring;
struct mfa_pending;

struct req {
	struct MHD_Connection *conn;
	arena_t *arena;
	const struct config *cfg;
	db_t *db;
	const struct route *route;
	int route_index;
	char method[8];
	char *path;      /* without the query string */
	char *query;     /* raw, may be NULL */
	const char *params[4]; /* path parameters, in order */
	int nparams;
	struct form in;  /* validated query string and body */
	const char *ip;
	int loopback;
	const char *lang;
	/* A form field a handler found wrong, and its message: formkit marks the field
	 * (aria-invalid, aria-describedby) and links the error summary to it. */
	const char *bad_field;
	const char *bad_msg;

	/* who */
	struct account *user; /* NULL when anonymous */
	struct session sess;
	int has_session;
	int via_token;
	int via_glass;         /* the object is open to the caller only because they broke the glass */
	char glass_until[21];  /* then: until when (UTC) */
	char pre_token[64]; /* pre-login CSRF cookie */
	/* Between the password and the second factor (src/pages/mfa_page.c): the half-finished
	 * login and its account. r->user stays NULL, so every route that needs a login refuses. */
	struct mfa_pending *pending;
	struct account *pending_user;

	/* the object a route names, loaded and scope-checked before the handler runs */
	struct unit *obj_unit;
	struct account *obj_account;
	struct student_row *obj_student;
	struct sak_row *obj_sak;
	struct contact_row *obj_contact;
	struct decision_row *obj_decision;
	struct measure_row *obj_measure;
	struct referral_row *obj_referral;

	/* request body */
	buf_t body;
	int body_too_big;
	const char *ctype_in;

	/* response */
	int status;
	buf_t out;
	const char *ctype;
	int cacheable;           /* static assets only */
	size_t sent;             /* the response body's length, once answered */
	char location[512];
	char cookies[4][512];
	int ncookies;
	char allow[64];
	char disposition[160]; /* Content-Disposition of a download, "" for none */
	int64_t started_ns;
	int tx_failed;
	int rollback; /* undo the transaction even though the answer is a redirect */
	const char *id_prefix; /* the form being drawn (formkit.h fk_scope), NULL for none */
	const char *bad_form;  /* the form a failed POST came from, shown again with its error */
	int keep_log; /* a refusal whose handler undid its writes and began anew: keep what follows
		       * (the access-log row of the page it shows) although the status is >= 400 */
};

/* Creates, binds and listens on the socket of listen_addr ("ADDRESS:PORT", "[IPv6]:PORT"):
 * the descriptor, or -1 with err. Done before privileges are dropped (ports below 1024). */
int server_listen(const char *listen_addr, char *err, size_t errsz);
/* Serves on the listening socket fd (taken over) until SIGTERM or SIGINT. */
int server_run(const struct config *cfg, const struct keyring *kr, int fd);
/* The key ring loaded at start (read-only while serving). */
const struct keyring *server_keyring(void);
/* Loads the registration object a route names and checks it lies in the caller's scope:
 * 0, or the status of the error response it wrote (404 for out of scope). */
int record_object_load(struct req *r);

/* Per-thread database connection of the server (opened on first use). */
db_t *server_db(void);

/* Response helpers for handlers: all return the status so a handler can `return http_…`. */
int http_redirect(struct req *r, const char *location);
int http_error(struct req *r, int status, const char *message);
int http_json(struct req *r, int status, void *json /* json_t*, stolen */);
void http_set_cookie(struct req *r, const char *name, const char *value, int max_age);
/* Names of our cookies: "__Host-" prefixed unless plain HTTP on loopback was asked for. */
const char *cookie_session_name(const struct config *cfg);
const char *cookie_pre_name(const struct config *cfg);
/* The half-finished login between password and second factor. */
const char *cookie_mfa_name(const struct config *cfg);
/* The language chosen on POST /language ("en"; bokmål when absent). */
const char *cookie_lang_name(const struct config *cfg);

/* Writes an access-log row for the request's user. Fails the request if it cannot. */
int req_audit(struct req *r, const char *action, const char *object, const char *purpose);

#endif
