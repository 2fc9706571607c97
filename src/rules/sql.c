/* SQL: database server names. The seed requirement: enter the name of the
 * SQL Server cluster (its virtual name), never a node or a local alias. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules.h"
#include "util/strmap.h"
#include "util/text.h"

/* The endpoints rules.md judges: active SQL blocks that are not Analysis
 * Services, plus the BAM Alerts server. */
static bool judged(const btc_sql_endpoint *s)
{
	return !s->olap;
}

/* What a finding about s is about: its database, else its block ID. */
static const char *subject_of(const btc_sql_endpoint *s)
{
	if (btc_value_usable(&s->database))
		return s->database.text;
	return s->id ? s->id : "SQL";
}

static int line_of(const btc_sql_endpoint *s)
{
	return s->server.line ? s->server.line : s->line;
}

/* Endpoints whose server string the name rules may judge. */
static bool has_name(const btc_sql_endpoint *s)
{
	return judged(s) && btc_value_usable(&s->server) && s->name.host != NULL && s->name.host[0] != '\0';
}

void btc_check_sql001(btc_check_ctx *ctx, const btc_export *e)
{
	for (size_t i = 0; i < e->n_endpoints; i++) {
		const btc_sql_endpoint *s = e->endpoints[i];
		if (!judged(s) || s->server.placeholder)
			continue;
		bool empty = s->server.text == NULL || s->server.text[0] == '\0' ||
			     (s->name.host != NULL && s->name.host[0] == '\0');
		if (empty)
			btc_emit(ctx, BTC_SEV_NONE, e, line_of(s), subject_of(s),
				 "the server of the %s is empty; enter the SQL Server cluster's virtual name",
				 btc_db_role_name(s->role));
	}
}

void btc_check_sql002(btc_check_ctx *ctx, const btc_export *e)
{
	for (size_t i = 0; i < e->n_endpoints; i++) {
		const btc_sql_endpoint *s = e->endpoints[i];
		if (has_name(s) && s->name.local_alias)
			btc_emit(ctx, BTC_SEV_NONE, e, line_of(s), subject_of(s),
				 "the %s is on \"%s\", a local alias: other servers of the group cannot reach it; "
				 "enter the SQL Server cluster's virtual name",
				 btc_db_role_name(s->role), s->server.text);
	}
}

void btc_check_sql007(btc_check_ctx *ctx, const btc_export *e)
{
	for (size_t i = 0; i < e->n_endpoints; i++) {
		const btc_sql_endpoint *s = e->endpoints[i];
		if (!has_name(s) || (s->name.proto == NULL && s->name.port == NULL))
			continue;
		btc_emit(ctx, BTC_SEV_NONE, e, line_of(s), subject_of(s),
			 "the server of the %s, \"%s\", has a %s; BizTalk does not support Name\\Instance,Port "
			 "forms: create a SQL Server client alias and enter the alias name",
			 btc_db_role_name(s->role), s->server.text,
			 s->name.proto ? "protocol prefix" : "port suffix");
	}
}

void btc_check_sql008(btc_check_ctx *ctx, const btc_export *e)
{
	for (size_t i = 0; i < e->n_endpoints; i++) {
		const btc_sql_endpoint *s = e->endpoints[i];
		if (has_name(s) && s->name.ip_literal && !s->name.local_alias)
			btc_emit(ctx, BTC_SEV_NONE, e, line_of(s), subject_of(s),
				 "the %s is on the IP address %s, not a cluster network name; it breaks when the "
				 "instance fails over to another subnet: enter the virtual name",
				 btc_db_role_name(s->role), s->name.host);
	}
}

/* SQL009: the first spelling of each server (by first DNS label), and every
 * spelling already reported. Keys and spellings are kept in ctx->keep. */
typedef struct spelling {
	const char *host;
	const char *path;
	int line;
} spelling;

typedef struct sql009 {
	btc_strmap first_by_label;
	btc_strmap seen;
} sql009;

static void sql009_feed(btc_check_ctx *ctx, void *state, const btc_export *e)
{
	sql009 *st = state;

	for (size_t j = 0; j < e->n_endpoints; j++) {
		const btc_sql_endpoint *s = e->endpoints[j];
		if (!has_name(s) || s->name.ip_literal || s->name.local_alias)
			continue;
		const char *host = s->name.host;
		size_t label = btc_first_label_len(host);
		const spelling *first = btc_strmap_get(&st->first_by_label, host, label);
		if (first != NULL && btc_strmap_get(&st->seen, host, strlen(host)) != NULL)
			continue;
		const char *kept = btc_rules_keep(ctx, host);
		spelling *sp = first ? NULL : btc_arena_alloc(ctx->keep, sizeof(*sp));
		if (kept == NULL || (first == NULL && sp == NULL)) {
			ctx->out->oom = true;
			return;
		}
		if (btc_strmap_put(&st->seen, kept, strlen(kept), (void *)kept) < 0)
			ctx->out->oom = true;
		if (first != NULL) {
			btc_emit(ctx, BTC_SEV_NONE, e, line_of(s), host,
				 "\"%s\" and \"%s\" (%s:%d) name the same server; spell it one way everywhere, "
				 "as the SQL Server cluster's virtual name",
				 host, first->host, first->path, first->line);
			continue;
		}
		*sp = (spelling){.host = kept, .path = ctx->entry->path, .line = line_of(s)};
		if (btc_strmap_put(&st->first_by_label, kept, label, sp) < 0)
			ctx->out->oom = true;
	}
}

static void sql009_finish(btc_check_ctx *ctx, void *state)
{
	sql009 *st = state;
	(void)ctx;
	btc_strmap_free(&st->first_by_label);
	btc_strmap_free(&st->seen);
}

const btc_farm_stream btc_stream_sql009 = {sizeof(sql009), sql009_feed, sql009_finish};

/* The inventory's verdict on an endpoint's host, or NULL when the inventory
 * says nothing about it (or there is none). */
static const btc_farm_machine *declared(const btc_check_ctx *ctx, const btc_sql_endpoint *s)
{
	if (!has_name(s) || s->name.local_alias)
		return NULL;
	return btc_farm_lookup(ctx->farm, s->name.host);
}

/* "SQLVS01\BTS" or "SQLVS01": what to enter instead. */
static void sql_target(char *buf, size_t n, const btc_farm_sql *q)
{
	snprintf(buf, n, "%s%s%s", q->name, q->instance ? "\\" : "", q->instance ? q->instance : "");
}

void btc_check_sql003(btc_check_ctx *ctx, const btc_export *e)
{
	char use[300];

	for (size_t i = 0; i < e->n_endpoints; i++) {
		const btc_sql_endpoint *s = e->endpoints[i];
		const btc_farm_machine *m = declared(ctx, s);
		if (m == NULL)
			continue;
		if (m->sql_node != NULL) {
			sql_target(use, sizeof(use), m->sql_node);
			btc_emit(ctx, BTC_SEV_NONE, e, line_of(s), subject_of(s),
				 "the %s is on \"%s\", a physical node of the SQL Server failover cluster instance %s "
				 "(inventory line %d); the database moves when the instance fails over: enter the "
				 "virtual name %s",
				 btc_db_role_name(s->role), s->name.host, m->sql_node->name, m->sql_node->nodes.line, use);
		} else if (m->replica != NULL) {
			btc_emit(ctx, BTC_SEV_NONE, e, line_of(s), subject_of(s),
				 "the %s is on \"%s\", a replica behind the availability-group listener %s (inventory "
				 "line %d); it stops working when the group fails over: enter the listener name %s",
				 btc_db_role_name(s->role), s->name.host, m->replica->name, m->replica->replicas.line,
				 m->replica->name);
		}
	}
}

void btc_check_sql004(btc_check_ctx *ctx, const btc_export *e)
{
	char use[300];

	for (size_t i = 0; i < e->n_endpoints; i++) {
		const btc_sql_endpoint *s = e->endpoints[i];
		const btc_farm_machine *m = declared(ctx, s);
		if (m == NULL)
			continue;
		if (m->sql_cluster != NULL) {
			sql_target(use, sizeof(use), m->sql_cluster);
			btc_emit(ctx, BTC_SEV_NONE, e, line_of(s), subject_of(s),
				 "the %s is on \"%s\", the name of the Windows failover cluster (inventory line %d), "
				 "not of the SQL Server instance in it: enter the SQL network name %s",
				 btc_db_role_name(s->role), s->name.host, m->sql_cluster->windows_cluster_line, use);
		} else if (m->ag_cluster != NULL) {
			btc_emit(ctx, BTC_SEV_NONE, e, line_of(s), subject_of(s),
				 "the %s is on \"%s\", the name of the Windows failover cluster (inventory line %d), "
				 "not of the availability group: enter the listener name %s",
				 btc_db_role_name(s->role), s->name.host, m->ag_cluster->windows_cluster_line,
				 m->ag_cluster->name);
		}
	}
}

void btc_check_sql005(btc_check_ctx *ctx, const btc_export *e)
{
	bool complete = ctx->farm->complete;

	for (size_t i = 0; i < e->n_endpoints; i++) {
		const btc_sql_endpoint *s = e->endpoints[i];
		/* SQL002 and SQL008 judge local aliases and IP literals. */
		if (!has_name(s) || s->name.local_alias || s->name.ip_literal)
			continue;
		const btc_farm_machine *m = btc_farm_lookup(ctx->farm, s->name.host);
		/* SQL003, SQL004 and SQL010 judge the other declared names. */
		if (m != NULL && (m->sql != NULL || m->listener != NULL || m->sql_node != NULL || m->replica != NULL ||
				  m->sql_cluster != NULL || m->ag_cluster != NULL || m->server != NULL))
			continue;
		btc_emit(ctx, complete ? BTC_SEV_ERROR : BTC_SEV_WARNING, e, line_of(s), subject_of(s),
			 "the %s is on \"%s\", which the inventory does not declare as a SQL Server virtual name "
			 "or availability-group listener%s; declare it in a [sql %s] or [listener %s] section, or "
			 "enter a declared name",
			 btc_db_role_name(s->role), s->name.host,
			 complete ? " (the inventory says complete = yes)" : "", s->name.host, s->name.host);
	}
}

void btc_check_sql006(btc_check_ctx *ctx, const btc_export *e)
{
	char use[300];

	for (size_t i = 0; i < e->n_endpoints; i++) {
		const btc_sql_endpoint *s = e->endpoints[i];
		const btc_farm_machine *m = declared(ctx, s);
		if (m == NULL)
			continue;
		const char *have = s->name.instance;
		if (m->sql != NULL) {
			const char *want = m->sql->instance;
			if ((have == NULL && want == NULL) || (have != NULL && want != NULL && btc_ieq(have, want)))
				continue;
			sql_target(use, sizeof(use), m->sql);
			if (have == NULL)
				btc_emit(ctx, BTC_SEV_NONE, e, line_of(s), subject_of(s),
					 "the %s is on \"%s\" without an instance, but %s is the named instance %s "
					 "(inventory line %d): enter %s",
					 btc_db_role_name(s->role), s->server.text, m->sql->name, want, m->sql->line, use);
			else if (want == NULL)
				btc_emit(ctx, BTC_SEV_NONE, e, line_of(s), subject_of(s),
					 "the %s is on \"%s\", but %s is the default instance (inventory line %d): "
					 "enter %s without \\%s",
					 btc_db_role_name(s->role), s->server.text, m->sql->name, m->sql->line, use, have);
			else
				btc_emit(ctx, BTC_SEV_NONE, e, line_of(s), subject_of(s),
					 "the %s is on \"%s\", but the instance of %s is %s, not %s (inventory line "
					 "%d): enter %s",
					 btc_db_role_name(s->role), s->server.text, m->sql->name, want, have, m->sql->line,
					 use);
		} else if (m->listener != NULL && have != NULL) {
			btc_emit(ctx, BTC_SEV_NONE, e, line_of(s), subject_of(s),
				 "the %s is on \"%s\", but %s is an availability-group listener (inventory line %d), "
				 "which takes no instance name: enter %s",
				 btc_db_role_name(s->role), s->server.text, m->listener->name, m->listener->line,
				 m->listener->name);
		}
	}
}

void btc_check_sql010(btc_check_ctx *ctx, const btc_export *e)
{
	for (size_t i = 0; i < e->n_endpoints; i++) {
		const btc_sql_endpoint *s = e->endpoints[i];
		const btc_farm_machine *m = declared(ctx, s);
		if (m == NULL || m->server == NULL)
			continue;
		btc_emit(ctx, BTC_SEV_NONE, e, line_of(s), subject_of(s),
			 "the %s is on \"%s\", a BizTalk server of the inventory (line %d): the databases would "
			 "live on a BizTalk machine, outside the SQL Server cluster; enter the SQL Server "
			 "cluster's virtual name",
			 btc_db_role_name(s->role), s->name.host, m->server->line);
	}
}
