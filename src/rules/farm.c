/* FRM: the farm as a whole. One BizTalk group has one creator, every server
 * shares its Management database, and the SQL side is a real cluster. */
#include <stdio.h>
#include <string.h>

#include "rules/rules.h"
#include "util/strmap.h"
#include "util/text.h"

/* FRM001: the first creator of the BizTalk group; the exports that join it
 * before the creator is seen wait for it (or for the end: none creates). */
typedef struct frm001 {
	bool have_creator;
	btc_farm_entry creator;
	btc_laters early;
	btc_one_database management;
} frm001;

static void frm001_feed(btc_check_ctx *ctx, void *state, const btc_export *e)
{
	frm001 *st = state;
	const btc_farm_entry *at = ctx->entry;
	int line = btc_export_mode_line(e, false);

	if (e->group_mode == BTC_MODE_JOIN && !st->have_creator)
		btc_laters_add(ctx, &st->early, line);
	if (e->group_mode == BTC_MODE_CREATE && st->have_creator)
		btc_emit(ctx, BTC_SEV_NONE, e, line, "CREATEORJOIN",
			 "%s (order %d) creates a BizTalk group, but %s (order %d) creates it already; a group "
			 "is created once: choose Join on %s",
			 at->name, at->shown_order, st->creator.name, st->creator.shown_order, at->name);
	if (e->group_mode == BTC_MODE_CREATE && !st->have_creator) {
		st->have_creator = true;
		st->creator = *at;
		for (size_t i = 0; i < st->early.count; i++) {
			const btc_later *l = &st->early.items[i];
			btc_emit_later(ctx, BTC_SEV_NONE, l, "CREATEORJOIN",
				       "%s joins the BizTalk group (order %d) before %s creates it (order %d); "
				       "configure the creating server first",
				       l->at.name, l->at.shown_order, at->name, at->shown_order);
		}
	}
	/* The Management database: every export that names one names the same. */
	btc_one_database_feed(ctx, &st->management, e, BTC_DB_MANAGEMENT, NULL);
}

static void frm001_finish(btc_check_ctx *ctx, void *state)
{
	const frm001 *st = state;

	if (!st->have_creator && st->early.count > 0)
		btc_emit_later(ctx, BTC_SEV_NOTE, &st->early.items[0], "CREATEORJOIN",
			       "%s joins a BizTalk group that no export of the farm creates: the export of the "
			       "server that created the group is missing; add it to the farm",
			       st->early.items[0].at.name);
}

const btc_farm_stream btc_stream_frm001 = {sizeof(frm001), frm001_feed, frm001_finish};

/* Where a finding about the farm as a whole points in the inventory. */
static int farm_line(const btc_farm *farm)
{
	if (farm->farm_line > 0)
		return farm->farm_line;
	if (farm->n_decl_servers > 0)
		return farm->decl_servers[0].line;
	return 1;
}

/* FRM002: how many runtime servers. */
static void frm002_feed(btc_check_ctx *ctx, void *state, const btc_export *e)
{
	(void)ctx;
	*(size_t *)state += btc_export_is_runtime(e);
}

static void frm002_finish(btc_check_ctx *ctx, void *state)
{
	const btc_farm *farm = ctx->farm;
	size_t runtime = *(size_t *)state;

	if (runtime >= 2)
		return;
	btc_emit(ctx, BTC_SEV_NONE, NULL, farm_line(farm), farm->name ? farm->name : "farm",
		 "the farm has %zu BizTalk runtime %s (exports with an in-process or isolated host); with fewer "
		 "than two, processing stops when that server is down: add a second runtime server",
		 runtime, runtime == 1 ? "server" : "servers");
}

const btc_farm_stream btc_stream_frm002 = {sizeof(size_t), frm002_feed, frm002_finish};

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
