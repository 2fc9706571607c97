/* PRB: the live SQL probe. The seed asks for the SQL Server *cluster name*;
 * an export only shows the name typed, the server behind it shows what that
 * name really reaches. The probe (src/probe) gathers the facts before the
 * rules run; the rules here only read them, so they run without a network
 * and are tested from hand-built facts (tests/unit/test_probe_rules.c). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rules/prb.h"
#include "util/text.h"

/* ---- the set of endpoints ------------------------------------------------ */

const char *btc_prb_error_name(enum btc_probe_error error)
{
	switch (error) {
	case BTC_PROBE_OK: return "ok";
	case BTC_PROBE_UNRESOLVED: return "unresolved";
	case BTC_PROBE_REFUSED: return "refused";
	case BTC_PROBE_CLOSED: return "closed";
	case BTC_PROBE_TIMEOUT: return "timeout";
	case BTC_PROBE_LOGIN_FAILED: return "login_failed";
	case BTC_PROBE_OTHER: break;
	}
	return "other";
}

bool btc_rule_needs_probe(const btc_rule *rule)
{
	return strcmp(rule->data, "P") == 0 || strstr(rule->data, "+P") != NULL || strncmp(rule->data, "P+", 2) == 0;
}

bool btc_prb_probed(const btc_sql_endpoint *s)
{
	return btc_endpoint_named(s) && !s->name.local_alias;
}

static char *dup_or_null(const char *s, bool *oom)
{
	char *d = s ? strdup(s) : NULL;
	if (s != NULL && d == NULL)
		*oom = true;
	return d;
}

int btc_prb_add(btc_prb_set *set, const char *server, const char *host, const char *instance, int port, size_t *index)
{
	size_t len = strlen(server);
	const char *t = btc_trim(server, &len);
	bool oom = false;

	for (size_t i = 0; i < set->count; i++) {
		if (btc_ieqn(t, len, set->items[i].name) && set->items[i].name[len] == '\0') {
			if (index != NULL)
				*index = i;
			return 0;
		}
	}
	if (set->count == set->cap) {
		size_t ncap = set->cap ? set->cap * 2 : 16;
		btc_prb_endpoint *n = realloc(set->items, ncap * sizeof(*n));
		if (n == NULL)
			return -1;
		set->items = n;
		set->cap = ncap;
	}
	btc_prb_endpoint *ep = &set->items[set->count];
	memset(ep, 0, sizeof(*ep));
	ep->name = strndup(t, len);
	ep->host = dup_or_null(host, &oom);
	/* "HOST\\" names no instance: the default one. */
	ep->instance = dup_or_null(instance && instance[0] ? instance : NULL, &oom);
	ep->port = port;
	if (ep->name == NULL || oom) {
		free(ep->name);
		free(ep->host);
		free(ep->instance);
		return -1;
	}
	if (index != NULL)
		*index = set->count;
	set->count++;
	return 0;
}

/* Adds db to the list unless it is there (ignoring case). */
static int add_database(char ***list, size_t *count, const char *db)
{
	for (size_t i = 0; i < *count; i++) {
		if (btc_ieq((*list)[i], db))
			return 0;
	}
	char **n = realloc(*list, (*count + 1) * sizeof(*n));
	if (n == NULL)
		return -1;
	*list = n;
	if ((n[*count] = strdup(db)) == NULL)
		return -1;
	(*count)++;
	return 0;
}

/* "1433" -> 1433; anything else (no port, not a port number) -> -1. */
static int port_of(const char *text)
{
	if (text == NULL || text[0] == '\0')
		return -1;
	char *end = NULL;
	long v = strtol(text, &end, 10);
	return *end == '\0' && v > 0 && v <= 65535 ? (int)v : -1;
}

/* The database of s must exist on its endpoint because the export joins
 * what that database holds (PRB007). */
static bool joins_database(const btc_export *e, const btc_sql_endpoint *s)
{
	if (!btc_value_usable(&s->database))
		return false;
	return (s->role == BTC_DB_MANAGEMENT && e->group_mode == BTC_MODE_JOIN) ||
	       (s->role == BTC_DB_SSO && e->sso_mode == BTC_MODE_JOIN);
}

int btc_prb_collect(btc_prb_set *set, const btc_farm *farm)
{
	for (size_t k = 0; k < farm->n_exports; k++) {
		const btc_export *e = farm->exports[k];
		if (!btc_export_is_configuration(e))
			continue;
		for (size_t i = 0; i < e->n_endpoints; i++) {
			const btc_sql_endpoint *s = e->endpoints[i];
			size_t at = 0;
			if (!btc_prb_probed(s))
				continue;
			if (btc_prb_add(set, s->server.text, s->name.host, s->name.instance, port_of(s->name.port),
			                &at) < 0)
				return -1;
			btc_prb_endpoint *ep = &set->items[at];
			if (joins_database(e, s) &&
			    add_database(&ep->databases, &ep->n_databases, s->database.text) < 0)
				return -1;
			/* SSOX_GlobalInfo is read only where SSO004 will judge it. */
			if (farm->n_ssos > 0 && s->role == BTC_DB_SSO && btc_value_usable(&s->database) &&
			    add_database(&ep->sso_databases, &ep->n_sso_databases, s->database.text) < 0)
				return -1;
		}
	}
	return 0;
}

const btc_prb_endpoint *btc_prb_find(const btc_prb_set *set, const char *server)
{
	size_t len = strlen(server);
	const char *t = btc_trim(server, &len);
	for (size_t i = 0; set != NULL && i < set->count; i++) {
		if (btc_ieqn(t, len, set->items[i].name) && set->items[i].name[len] == '\0')
			return &set->items[i];
	}
	return NULL;
}

void btc_prb_set_free(btc_prb_set *set)
{
	if (set == NULL)
		return;
	for (size_t i = 0; i < set->count; i++) {
		btc_prb_endpoint *ep = &set->items[i];
		free(ep->name);
		free(ep->host);
		free(ep->instance);
		for (size_t k = 0; k < ep->n_databases; k++)
			free(ep->databases[k]);
		free(ep->databases);
		for (size_t k = 0; k < ep->n_sso_databases; k++)
			free(ep->sso_databases[k]);
		free(ep->sso_databases);
	}
	free(set->items);
	memset(set, 0, sizeof(*set));
}

/* ---- where findings point ------------------------------------------------- */

/* Where a finding about an endpoint goes: the first element of an export
 * that uses it, or nowhere (`btclint probe`: no file, no line). */
typedef struct prb_site {
	const btc_export *e;
	int line;
} prb_site;

typedef void (*prb_judge)(btc_check_ctx *ctx, const prb_site *at, const btc_prb_endpoint *ep,
                          const struct btc_probe_facts *f, const struct btc_probe_result *r);

static int line_of(const btc_sql_endpoint *s)
{
	return s->server.line ? s->server.line : s->line;
}

static const btc_sql_endpoint *first_use(const btc_export *e, const char *name)
{
	for (size_t i = 0; i < e->n_endpoints; i++) {
		const btc_sql_endpoint *s = e->endpoints[i];
		if (btc_prb_probed(s)) {
			size_t len = strlen(s->server.text);
			const char *t = btc_trim(s->server.text, &len);
			if (btc_ieqn(t, len, name) && name[len] == '\0')
				return s;
		}
	}
	return NULL;
}

/* Calls judge once per (export, endpoint it uses), or once per endpoint
 * when there are no exports. */
static void each_use(btc_check_ctx *ctx, prb_judge judge)
{
	const btc_prb_set *set = ctx->probe;
	for (size_t i = 0; set != NULL && i < set->count; i++) {
		const btc_prb_endpoint *ep = &set->items[i];
		if (ep->result == NULL)
			continue;
		if (set->standalone) {
			prb_site at = {NULL, 0};
			judge(ctx, &at, ep, &ep->result->facts, ep->result);
			continue;
		}
		for (size_t k = 0; k < ctx->farm->n_exports; k++) {
			const btc_sql_endpoint *s = first_use(ctx->farm->exports[k], ep->name);
			if (s != NULL) {
				prb_site at = {ctx->farm->exports[k], line_of(s)};
				judge(ctx, &at, ep, &ep->result->facts, ep->result);
			}
		}
	}
}

/* The subject is the server string as written, whatever the export. */
static void say(btc_check_ctx *ctx, const prb_site *at, const btc_prb_endpoint *ep, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void say(btc_check_ctx *ctx, const prb_site *at, const btc_prb_endpoint *ep, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	btc_emit(ctx, BTC_SEV_NONE, at->e, at->line, ep->name, "%s", msg);
}

static const char *str(const char *s)
{
	return s ? s : "?";
}

/* Listener names match on the first DNS label; IP literals never do. */
static bool label_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL || btc_is_ipv4(a) || btc_is_ipv6(a) || btc_is_ipv4(b) || btc_is_ipv6(b))
		return false;
	size_t la = btc_first_label_len(a);
	return la > 0 && la == btc_first_label_len(b) && strncasecmp(a, b, la) == 0;
}

static bool listener_matches(const struct btc_probe_facts *f, const char *host)
{
	for (size_t i = 0; i < f->n_listeners; i++) {
		if (label_eq(f->listeners[i], host))
			return true;
	}
	return false;
}

/* ---- the rules -------------------------------------------------------------- */

static const char *failure_of(const struct btc_probe_result *r)
{
	switch (r->error) {
	case BTC_PROBE_UNRESOLVED: return "the name does not resolve";
	case BTC_PROBE_REFUSED: return "connection refused";
	case BTC_PROBE_CLOSED: return "the connection closed before the login";
	case BTC_PROBE_TIMEOUT:
		return r->answered ? "a query got no answer within the timeout" : "no answer within the timeout";
	case BTC_PROBE_OTHER: return "the probe failed";
	case BTC_PROBE_OK:
	case BTC_PROBE_LOGIN_FAILED: break;
	}
	return "the probe failed";
}

static void judge_prb001(btc_check_ctx *ctx, const prb_site *at, const btc_prb_endpoint *ep,
                         const struct btc_probe_facts *f, const struct btc_probe_result *r)
{
	(void)f;
	if (r->error == BTC_PROBE_OK || r->error == BTC_PROBE_LOGIN_FAILED)
		return;
	say(ctx, at, ep,
	    "the database server \"%s\" does not answer over TDS: %s (%s, after %ld ms); check the name "
	    "(freetds.conf, DNS), the port and the firewall",
	    ep->name, failure_of(r), r->message, r->elapsed_ms);
}

void btc_check_prb001(btc_check_ctx *ctx)
{
	each_use(ctx, judge_prb001);
}

static void judge_prb002(btc_check_ctx *ctx, const prb_site *at, const btc_prb_endpoint *ep,
                         const struct btc_probe_facts *f, const struct btc_probe_result *r)
{
	(void)f;
	if (r->error != BTC_PROBE_LOGIN_FAILED)
		return;
	say(ctx, at, ep,
	    "the database server \"%s\" answered but refused the login (%s); its facts could not be read: check "
	    "--user and the password, or give the login access (docs/probe.md)",
	    ep->name, r->message);
}

void btc_check_prb002(btc_check_ctx *ctx)
{
	each_use(ctx, judge_prb002);
}

static void judge_prb003(btc_check_ctx *ctx, const prb_site *at, const btc_prb_endpoint *ep,
                         const struct btc_probe_facts *f, const struct btc_probe_result *r)
{
	(void)r;
	if (!f->properties_read || f->is_clustered == BTC_PROBE_UNKNOWN || f->is_clustered == 1)
		return;
	if (f->is_hadr == 1) {
		if (listener_matches(f, ep->host))
			return;
		/* Rows it may not see could hold the listener: PRB009 says so. */
		if (!f->listeners_read || f->listeners_denied)
			return;
		say(ctx, at, ep,
		    "\"%s\" reaches %s, which is not a failover cluster instance (IsClustered = 0), and no "
		    "availability-group listener of it is named %.*s; enter the listener name or the SQL Server "
		    "cluster's virtual name",
		    ep->name, str(f->server_name), (int)btc_first_label_len(ep->host), ep->host);
		return;
	}
	say(ctx, at, ep,
	    "\"%s\" reaches %s, which is neither a failover cluster instance (IsClustered = 0) nor an "
	    "availability-group listener (Always On is not enabled): the databases would not survive the loss of "
	    "that machine; enter the SQL Server cluster's virtual name",
	    ep->name, str(f->server_name));
}

void btc_check_prb003(btc_check_ctx *ctx)
{
	each_use(ctx, judge_prb003);
}

static void judge_prb004(btc_check_ctx *ctx, const prb_site *at, const btc_prb_endpoint *ep,
                         const struct btc_probe_facts *f, const struct btc_probe_result *r)
{
	(void)r;
	if (!f->properties_read || !(f->is_clustered == 1 || f->is_hadr == 1))
		return;
	const char *what = f->is_clustered == 1 ? "failover cluster instance" : "availability-group replica";
	const char *node = NULL;
	if (f->physical_node != NULL && btc_machine_eq(ep->host, f->physical_node)) {
		node = f->physical_node;
	} else if (f->nodes_read) {
		for (size_t i = 0; i < f->n_nodes && node == NULL; i++) {
			if (f->nodes[i].name != NULL && btc_machine_eq(ep->host, f->nodes[i].name))
				node = f->nodes[i].name;
		}
	}
	if (node == NULL)
		return;
	if (f->is_clustered == 1)
		say(ctx, at, ep,
		    "\"%s\" names %s, a physical node of the %s %s: after a failover the name no longer reaches the "
		    "databases; enter the virtual name %s",
		    ep->name, node, what, str(f->server_name), str(f->server_name));
	else
		say(ctx, at, ep,
		    "\"%s\" names %s, a physical node holding an %s (%s): after a failover the name no longer "
		    "reaches the primary; enter the availability-group listener name",
		    ep->name, node, what, str(f->server_name));
}

void btc_check_prb004(btc_check_ctx *ctx)
{
	each_use(ctx, judge_prb004);
}

static void judge_prb005(btc_check_ctx *ctx, const prb_site *at, const btc_prb_endpoint *ep,
                         const struct btc_probe_facts *f, const struct btc_probe_result *r)
{
	(void)r;
	if (!f->properties_read || f->is_clustered != 1 || !f->nodes_read || f->n_nodes >= 2)
		return;
	say(ctx, at, ep,
	    "the failover cluster behind \"%s\" (%s) reports %zu node%s: with fewer than two it cannot fail over; "
	    "add a second node to the cluster",
	    ep->name, str(f->server_name), f->n_nodes, f->n_nodes == 1 ? "" : "s");
}

void btc_check_prb005(btc_check_ctx *ctx)
{
	each_use(ctx, judge_prb005);
}

/* No instance, or MSSQLSERVER, is the default instance (InstanceName NULL). */
static const char *instance_or_default(const char *instance)
{
	if (instance == NULL || instance[0] == '\0' || btc_ieq(instance, "MSSQLSERVER"))
		return NULL;
	return instance;
}

static void judge_prb006(btc_check_ctx *ctx, const prb_site *at, const btc_prb_endpoint *ep,
                         const struct btc_probe_facts *f, const struct btc_probe_result *r)
{
	(void)r;
	if (!f->properties_read)
		return;
	const char *written = instance_or_default(ep->instance);
	const char *got = instance_or_default(f->instance_name);
	if (written == NULL && got == NULL)
		return;
	if (written != NULL && got != NULL && btc_ieq(written, got))
		return;
	say(ctx, at, ep,
	    "\"%s\" names %s, but the server that answers is %s (%s): enter the instance the databases are on",
	    ep->name, written ? written : "the default instance", got ? got : "the default instance",
	    str(f->server_name));
}

void btc_check_prb006(btc_check_ctx *ctx)
{
	each_use(ctx, judge_prb006);
}

/* Per export and per database it joins: not per endpoint. */
void btc_check_prb007(btc_check_ctx *ctx)
{
	const btc_prb_set *set = ctx->probe;
	if (set == NULL || set->standalone)
		return;
	for (size_t k = 0; k < ctx->farm->n_exports; k++) {
		const btc_export *e = ctx->farm->exports[k];
		for (size_t i = 0; i < e->n_endpoints; i++) {
			const btc_sql_endpoint *s = e->endpoints[i];
			if (!btc_prb_probed(s) || !joins_database(e, s))
				continue;
			const btc_prb_endpoint *ep = btc_prb_find(set, s->server.text);
			if (ep == NULL || ep->result == NULL)
				continue;
			const struct btc_probe_facts *f = &ep->result->facts;
			if (!f->databases_read || f->databases_present == NULL)
				continue;
			for (size_t d = 0; d < ep->n_databases; d++) {
				/* Unknown (a login that cannot see every database): PRB009. */
				if (!btc_ieq(ep->databases[d], s->database.text) || f->databases_present[d] != 0)
					continue;
				prb_site at = {e, s->database.line ? s->database.line : line_of(s)};
				say(ctx, &at, ep,
				    "this export joins the %s, but its %s %s does not exist on \"%s\": a "
				    "joining server must name the database the first server created; check the "
				    "server and database names",
				    s->role == BTC_DB_SSO ? "SSO system" : "BizTalk group", btc_db_role_name(s->role),
				    s->database.text, ep->name);
			}
		}
	}
}

static const char *node_state(const struct btc_probe_node *n)
{
	if (n->status_description != NULL && n->status_description[0] != '\0')
		return n->status_description;
	switch (n->status) {
	case 1: return "down";
	case 2: return "paused";
	case 3: return "joining";
	}
	return "not up";
}

static void judge_prb008(btc_check_ctx *ctx, const prb_site *at, const btc_prb_endpoint *ep,
                         const struct btc_probe_facts *f, const struct btc_probe_result *r)
{
	(void)r;
	if (!f->properties_read || f->is_clustered != 1 || !f->nodes_read)
		return;
	for (size_t i = 0; i < f->n_nodes; i++) {
		const struct btc_probe_node *n = &f->nodes[i];
		/* status -1: unknown, not judged. */
		if (n->status <= 0)
			continue;
		say(ctx, at, ep,
		    "node %s of the failover cluster behind \"%s\" (%s) is %s (status %d): the instance cannot fail "
		    "over to it; bring the node back up",
		    str(n->name), ep->name, str(f->server_name), node_state(n), n->status);
	}
}

void btc_check_prb008(btc_check_ctx *ctx)
{
	each_use(ctx, judge_prb008);
}

static void judge_prb009(btc_check_ctx *ctx, const prb_site *at, const btc_prb_endpoint *ep,
                         const struct btc_probe_facts *f, const struct btc_probe_result *r)
{
	(void)r;
	if (f->nodes_denied)
		say(ctx, at, ep,
		    "sys.dm_os_cluster_nodes could not be read on \"%s\" (grant the login VIEW SERVER STATE): the "
		    "cluster's nodes are unknown, and PRB004 (node names), PRB005 and PRB008 were not judged",
		    ep->name);
	if (f->listeners_denied)
		say(ctx, at, ep,
		    "the login may not see every availability-group listener on \"%s\" (grant VIEW ANY "
		    "DEFINITION): PRB003 is not judged unless a listener it sees has the name used",
		    ep->name);
	if (f->databases_denied)
		say(ctx, at, ep,
		    "the login may not see every database on \"%s\" (grant VIEW ANY DATABASE): PRB007 was not "
		    "judged for the databases it did not see",
		    ep->name);
	for (size_t d = 0; d < f->n_sso && d < ep->n_sso_databases; d++) {
		if (f->sso[d].state == BTC_PROBE_SSO_DENIED)
			say(ctx, at, ep,
			    "the login may not read SSOX_GlobalInfo in the SSO database %s on \"%s\" (give it a user "
			    "in that database with SELECT on dbo.SSOX_GlobalInfo): the master secret server it "
			    "records is unknown, and SSO004 was not judged",
			    ep->sso_databases[d], ep->name);
	}
}

void btc_check_prb009(btc_check_ctx *ctx)
{
	each_use(ctx, judge_prb009);
}
