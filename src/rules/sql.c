/* SQL: database server names. The seed requirement: enter the name of the
 * SQL Server cluster (its virtual name), never a node or a local alias. */
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

typedef struct spelling {
	const btc_export *e;
	const btc_sql_endpoint *s;
} spelling;

void btc_check_sql009(btc_check_ctx *ctx)
{
	btc_strmap first_by_label = {0}, seen = {0};
	spelling *all = NULL;
	size_t n = 0, total = 0;

	for (size_t i = 0; i < ctx->farm->n_exports; i++)
		total += ctx->farm->exports[i]->n_endpoints;
	if (total == 0)
		return;
	all = calloc(total, sizeof(*all));
	if (all == NULL) {
		ctx->out->oom = true;
		return;
	}
	for (size_t i = 0; i < ctx->farm->n_exports; i++) {
		const btc_export *e = ctx->farm->exports[i];
		for (size_t j = 0; j < e->n_endpoints; j++) {
			const btc_sql_endpoint *s = e->endpoints[j];
			if (!has_name(s) || s->name.ip_literal || s->name.local_alias)
				continue;
			const char *host = s->name.host;
			spelling *sp = &all[n++];
			sp->e = e;
			sp->s = s;
			spelling *first = btc_strmap_get(&first_by_label, host, btc_first_label_len(host));
			if (first == NULL) {
				if (btc_strmap_put(&first_by_label, host, btc_first_label_len(host), sp) < 0 ||
				    btc_strmap_put(&seen, host, strlen(host), sp) < 0)
					ctx->out->oom = true;
				continue;
			}
			if (btc_strmap_get(&seen, host, strlen(host)) != NULL)
				continue;
			if (btc_strmap_put(&seen, host, strlen(host), sp) < 0)
				ctx->out->oom = true;
			btc_emit(ctx, BTC_SEV_NONE, e, line_of(s), host,
				 "\"%s\" and \"%s\" (%s:%d) name the same server; spell it one way everywhere, "
				 "as the SQL Server cluster's virtual name",
				 host, first->s->name.host, first->e->path, line_of(first->s));
		}
	}
	btc_strmap_free(&first_by_label);
	btc_strmap_free(&seen);
	free(all);
}
