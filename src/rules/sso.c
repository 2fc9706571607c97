/* SSO: Enterprise Single Sign-On and the master secret server. The seed
 * requirement: if the master secret server is clustered, configure it first;
 * every other server joins the SSO system it created. The farm rules here are
 * fed the exports in configuration order (btc_farm_stream). */
#include <stdio.h>

#include "rules/rules.h"
#include "util/text.h"

/* SSO001: the first creator; before one is seen, the first joiner. */
typedef struct sso001 {
	bool have_creator;
	btc_farm_entry creator;
	bool have_joiner;
	btc_later joiner;
} sso001;

static void sso001_feed(btc_check_ctx *ctx, void *state, const btc_export *e)
{
	sso001 *st = state;

	if (e->sso_mode == BTC_MODE_JOIN && !st->have_creator && !st->have_joiner) {
		btc_later_record(ctx, &st->joiner, btc_export_mode_line(e, true));
		st->have_joiner = true;
	}
	if (e->sso_mode != BTC_MODE_CREATE)
		return;
	if (!st->have_creator) {
		st->have_creator = true;
		st->creator = *ctx->entry;
		return;
	}
	btc_emit(ctx, BTC_SEV_NONE, e, btc_export_mode_line(e, true), "IsSecretServer",
		 "%s (order %d) creates an SSO system, but %s (order %d) creates one already; a BizTalk "
		 "group has one master secret server: choose Join on %s",
		 ctx->entry->name, ctx->entry->shown_order, st->creator.name, st->creator.shown_order,
		 ctx->entry->name);
}

static void sso001_finish(btc_check_ctx *ctx, void *state)
{
	const sso001 *st = state;

	if (!st->have_creator && st->have_joiner)
		btc_emit_later(ctx, BTC_SEV_NOTE, &st->joiner, "IsSecretServer",
			       "%s joins an SSO system that no export of the farm creates: the master secret "
			       "server's export is missing; add it to the farm",
			       st->joiner.at.name);
}

const btc_farm_stream btc_stream_sso001 = {sizeof(sso001), sso001_feed, sso001_finish};

/* What export e does that needs the SSO system, for messages; NULL when it
 * neither joins the SSO system nor creates or joins the BizTalk group. */
static const char joins_sso[] = "joins the SSO system";

static const char *dependent_action(const btc_export *e)
{
	if (e->sso_mode == BTC_MODE_JOIN)
		return joins_sso;
	if (e->group_mode == BTC_MODE_CREATE)
		return "creates the BizTalk group";
	if (e->group_mode == BTC_MODE_JOIN)
		return "joins the BizTalk group";
	return NULL;
}

/* "SSON01, SSON02" into buf. */
static const char *list_nodes(char *buf, size_t n, const btc_farm_sso *s)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < s->nodes.count && used < n; i++) {
		int w = snprintf(buf + used, n - used, "%s%s", i ? ", " : "", s->nodes.items[i]);
		if (w < 0)
			break;
		used += (size_t)w;
	}
	return buf;
}

/* SSO002: the exports seen before the first creator, reported once it comes
 * (none if it never does: SSO001 notes the missing creator). */
typedef struct sso002 {
	bool have_creator;
	btc_laters early;
} sso002;

/* The inventory part: a declared clustered master secret server. */
static const btc_farm_sso *sso_cluster(const btc_farm *farm)
{
	return farm->n_ssos > 0 ? &farm->ssos[0] : NULL;
}

static void sso002_feed(btc_check_ctx *ctx, void *state, const btc_export *e)
{
	sso002 *st = state;
	const btc_farm_sso *cluster = sso_cluster(ctx->farm);
	const btc_farm_entry *c = ctx->entry;
	char nodes[300];

	if (st->have_creator)
		return;
	if (e->sso_mode != BTC_MODE_CREATE) {
		const char *action = dependent_action(e);
		/* With a clustered master secret server, it comes before every
		 * other export, whatever that export does. */
		if (action == NULL && cluster == NULL)
			return;
		bool sso = e->sso_mode != BTC_MODE_ABSENT || e->group_mode_line == 0;
		btc_later *l = btc_laters_add(ctx, &st->early, btc_export_mode_line(e, sso));
		if (l != NULL) {
			l->subject = sso ? "IsSecretServer" : "CREATEORJOIN";
			l->what = action;
		}
		return;
	}
	st->have_creator = true;
	if (cluster != NULL) {
		const btc_farm_machine *m = btc_farm_lookup(ctx->farm, c->server);
		if (m == NULL || m->sso_node == NULL)
			btc_emit(ctx, BTC_SEV_NONE, e, btc_export_mode_line(e, true), "IsSecretServer",
				 "%s creates the SSO system, but the inventory declares the clustered master secret "
				 "server %s (line %d, nodes %s): create the SSO system on one of its nodes, configured "
				 "first, and join it from %s",
				 c->name, cluster->name, cluster->line, list_nodes(nodes, sizeof(nodes), cluster),
				 c->name);
	}
	for (size_t i = 0; i < st->early.count; i++) {
		const btc_later *l = &st->early.items[i];
		btc_emit_later(ctx, BTC_SEV_NONE, l, l->subject,
			       "%s %s (order %d) before %s creates %s (order %d)%s%s; configure the master secret "
			       "server first",
			       l->at.name, l->what ? l->what : "is configured", l->at.shown_order, c->name,
			       l->what == joins_sso ? "it" : "the SSO system",
			       c->shown_order, cluster ? " on the clustered master secret server " : "",
			       cluster ? cluster->name : "");
	}
}

const btc_farm_stream btc_stream_sso002 = {sizeof(sso002), sso002_feed, NULL};

static void sso003_feed(btc_check_ctx *ctx, void *state, const btc_export *e)
{
	btc_one_database_feed(ctx, state, e, BTC_DB_SSO, "SSO_DB_ID");
}

const btc_farm_stream btc_stream_sso003 = {sizeof(btc_one_database), sso003_feed, NULL};
