/* FRM: the farm as a whole. One BizTalk group has one creator, every server
 * shares its Management database, and the SQL side is a real cluster. */
#include <stdio.h>
#include <string.h>

#include "rules/rules.h"
#include "util/strmap.h"
#include "util/text.h"

void btc_check_frm001(btc_check_ctx *ctx)
{
	const btc_farm *farm = ctx->farm;
	long c = -1;

	for (size_t i = 0; i < farm->n_exports && c < 0; i++) {
		if (farm->exports[i]->group_mode == BTC_MODE_CREATE)
			c = (long)i;
	}
	for (size_t i = 0; i < farm->n_exports; i++) {
		const btc_export *e = farm->exports[i];
		int line = btc_export_mode_line(e, false);
		if (c < 0 && e->group_mode == BTC_MODE_JOIN) {
			btc_emit(ctx, BTC_SEV_NOTE, e, line, "CREATEORJOIN",
				 "%s joins a BizTalk group that no export of the farm creates: the export of the "
				 "server that created the group is missing; add it to the farm",
				 btc_farm_export_name(farm, i));
			break;
		}
		if (c < 0)
			continue;
		if (e->group_mode == BTC_MODE_CREATE && (long)i > c)
			btc_emit(ctx, BTC_SEV_NONE, e, line, "CREATEORJOIN",
				 "%s (order %d) creates a BizTalk group, but %s (order %d) creates it already; a group "
				 "is created once: choose Join on %s",
				 btc_farm_export_name(farm, i), btc_farm_export_order(farm, i),
				 btc_farm_export_name(farm, (size_t)c), btc_farm_export_order(farm, (size_t)c),
				 btc_farm_export_name(farm, i));
		else if (e->group_mode == BTC_MODE_JOIN && (long)i < c)
			btc_emit(ctx, BTC_SEV_NONE, e, line, "CREATEORJOIN",
				 "%s joins the BizTalk group (order %d) before %s creates it (order %d); configure "
				 "the creating server first",
				 btc_farm_export_name(farm, i), btc_farm_export_order(farm, i),
				 btc_farm_export_name(farm, (size_t)c), btc_farm_export_order(farm, (size_t)c));
	}

	/* The Management database: every export that names one names the same. */
	btc_rules_one_database(ctx, BTC_DB_MANAGEMENT, NULL);
}

/* Where a finding about the farm as a whole points in the inventory. */
static int farm_line(const btc_farm *farm)
{
	if (farm->farm_line > 0)
		return farm->farm_line;
	if (farm->n_decl_servers > 0)
		return farm->decl_servers[0].line;
	return 1;
}

void btc_check_frm002(btc_check_ctx *ctx)
{
	const btc_farm *farm = ctx->farm;
	size_t runtime = 0;

	for (size_t i = 0; i < farm->n_exports; i++)
		runtime += btc_export_is_runtime(farm->exports[i]);
	if (runtime >= 2)
		return;
	btc_emit(ctx, BTC_SEV_NONE, NULL, farm_line(farm), farm->name ? farm->name : "farm",
		 "the farm has %zu BizTalk runtime %s (exports with an in-process or isolated host); with fewer "
		 "than two, processing stops when that server is down: add a second runtime server",
		 runtime, runtime == 1 ? "server" : "servers");
}

void btc_check_frm003(btc_check_ctx *ctx)
{
	const btc_farm *farm = ctx->farm;

	for (size_t i = 0; i < farm->n_decl_servers; i++) {
		const btc_farm_server *s = &farm->decl_servers[i];
		const btc_farm_machine *m = btc_farm_lookup(farm, s->name);
		if (m == NULL)
			continue;
		if (m->sql_node != NULL)
			btc_emit(ctx, BTC_SEV_NONE, NULL, s->line, s->name,
				 "%s is a BizTalk server and also a node of the SQL Server failover cluster instance "
				 "%s (line %d); keep BizTalk off the SQL Server cluster nodes",
				 s->name, m->sql_node->name, m->sql_node->nodes.line);
		else if (m->replica != NULL)
			btc_emit(ctx, BTC_SEV_NONE, NULL, s->line, s->name,
				 "%s is a BizTalk server and also a replica of the availability-group listener %s "
				 "(line %d); keep BizTalk off the SQL Server replicas",
				 s->name, m->replica->name, m->replica->replicas.line);
	}
}

void btc_check_frm004(btc_check_ctx *ctx)
{
	const btc_farm *farm = ctx->farm;

	for (size_t i = 0; i < farm->n_sqls; i++) {
		const btc_farm_sql *q = &farm->sqls[i];
		btc_strmap distinct = {0};
		size_t n = 0;
		/* A node listed twice (SQLN01, sqln01.contoso.com) counts once. */
		for (size_t j = 0; j < q->nodes.count; j++) {
			const char *node = q->nodes.items[j];
			size_t len = btc_first_label_len(node);
			if (btc_is_ipv4(node) || btc_is_ipv6(node))
				len = strlen(node);
			if (btc_strmap_get(&distinct, node, len) != NULL)
				continue;
			if (btc_strmap_put(&distinct, node, len, (void *)node) < 0)
				ctx->out->oom = true;
			n++;
		}
		btc_strmap_free(&distinct);
		if (n < 2)
			btc_emit(ctx, BTC_SEV_NONE, NULL, q->nodes.line ? q->nodes.line : q->line, q->name,
				 "the SQL Server failover cluster instance %s declares %zu node%s; a failover cluster "
				 "needs at least two computers running SQL Server: list every node in nodes",
				 q->name, n, n == 1 ? "" : "s");
	}
}
