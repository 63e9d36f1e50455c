/* Static files, health and metrics. */
#include <jansson.h>
#include <string.h>

#include "../http/assets.h"
#include "../http/metrics.h"
#include "../auth/role.h"
#include "pages.h"
#include <microhttpd.h>

int page_static(struct req *r)
{
	const char *name = r->params[0];
	for (int i = 0; i < assets_count; i++) {
		if (strcmp(assets[i].name, name) == 0) {
			buf_reset(&r->out);
			buf_put(&r->out, assets[i].data, assets[i].len);
			r->ctype = assets[i].ctype;
			r->cacheable = 1;
			return 200;
		}
	}
	return http_error(r, 404, "error.not_found");
}

int page_healthz(struct req *r)
{
	int64_t n = 0;
	int ok = db_unit_count(r->db, &n) == DB_OK;
	json_t *j = json_pack("{s:s,s:i}", "status", ok ? "ok" : "unavailable", "schema",
			      db_schema_version(r->db));
	return http_json(r, ok ? 200 : 503, j);
}

int page_metrics(struct req *r)
{
	/* Loopback (a local Prometheus or node exporter), or an admin's API token. A request a
	 * proxy forwarded comes from loopback but not from this host: it needs the token. */
	int forwarded = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-Forwarded-For") ||
			MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Forwarded") ||
			MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-Real-IP");
	if ((!r->loopback || forwarded) && !(r->user && r->via_token && role_bit(r->user->role) == ROLE_ADMIN))
		return http_error(r, 403, "error.metrics");
	buf_reset(&r->out);
	metrics_render(&r->out);
	r->ctype = "text/plain; version=0.0.4; charset=utf-8";
	return 200;
}
