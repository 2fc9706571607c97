/* SSO: Enterprise Single Sign-On and the master secret server. The seed
 * requirement: if the master secret server is clustered, configure it first;
 * every other server joins the SSO system it created. */
#include <stdio.h>

#include "rules/rules.h"
#include "util/text.h"

/* Position of the first export that creates the SSO system, or -1. */
static long first_creator(const btc_farm *farm)
{
	for (size_t i = 0; i < farm->n_exports; i++) {
		if (farm->exports[i]->sso_mode == BTC_MODE_CREATE)
			return (long)i;
	}
	return -1;
}

void btc_check_sso001(btc_check_ctx *ctx)
{
	const btc_farm *farm = ctx->farm;
	long c = first_creator(farm);

	if (c < 0) {
		for (size_t i = 0; i < farm->n_exports; i++) {
			const btc_export *e = farm->exports[i];
			if (e->sso_mode != BTC_MODE_JOIN)
				continue;
			btc_emit(ctx, BTC_SEV_NOTE, e, btc_export_mode_line(e, true), "IsSecretServer",
				 "%s joins an SSO system that no export of the farm creates: the master secret "
				 "server's export is missing; add it to the farm",
				 btc_farm_export_name(farm, i));
			return;
		}
		return;
	}
	for (size_t i = (size_t)c + 1; i < farm->n_exports; i++) {
		const btc_export *e = farm->exports[i];
		if (e->sso_mode != BTC_MODE_CREATE)
			continue;
		btc_emit(ctx, BTC_SEV_NONE, e, btc_export_mode_line(e, true), "IsSecretServer",
			 "%s (order %d) creates an SSO system, but %s (order %d) creates one already; a BizTalk "
			 "group has one master secret server: choose Join on %s",
			 btc_farm_export_name(farm, i), btc_farm_export_order(farm, i),
			 btc_farm_export_name(farm, (size_t)c), btc_farm_export_order(farm, (size_t)c),
			 btc_farm_export_name(farm, i));
	}
}

/* What export e does that needs the SSO system, for messages; NULL when it
 * neither joins the SSO system nor creates or joins the BizTalk group. */
static const char *dependent_action(const btc_export *e)
{
	if (e->sso_mode == BTC_MODE_JOIN)
		return "joins the SSO system";
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

void btc_check_sso002(btc_check_ctx *ctx)
{
	const btc_farm *farm = ctx->farm;
	long cl = first_creator(farm);
	char nodes[300];

	if (cl < 0)
		return; /* SSO001 notes the missing creator */
	size_t c = (size_t)cl;
	const btc_export *creator = farm->exports[c];
	/* The inventory part: a declared clustered master secret server. */
	const btc_farm_sso *cluster = farm->n_ssos > 0 ? &farm->ssos[0] : NULL;

	if (cluster != NULL) {
		const btc_farm_machine *m = btc_farm_lookup(farm, farm->servers ? farm->servers[c] : NULL);
		if (m == NULL || m->sso_node == NULL)
			btc_emit(ctx, BTC_SEV_NONE, creator, btc_export_mode_line(creator, true), "IsSecretServer",
				 "%s creates the SSO system, but the inventory declares the clustered master secret "
				 "server %s (line %d, nodes %s): create the SSO system on one of its nodes, configured "
				 "first, and join it from %s",
				 btc_farm_export_name(farm, c), cluster->name, cluster->line,
				 list_nodes(nodes, sizeof(nodes), cluster), btc_farm_export_name(farm, c));
	}
	for (size_t i = 0; i < c; i++) {
		const btc_export *e = farm->exports[i];
		const char *action = dependent_action(e);
		/* With a clustered master secret server, it comes before every
		 * other export, whatever that export does. */
		if (action == NULL && cluster == NULL)
			continue;
		bool sso = e->sso_mode != BTC_MODE_ABSENT || e->group_mode_line == 0;
		btc_emit(ctx, BTC_SEV_NONE, e, btc_export_mode_line(e, sso), sso ? "IsSecretServer" : "CREATEORJOIN",
			 "%s %s (order %d) before %s creates %s (order %d)%s%s; configure the master secret "
			 "server first",
			 btc_farm_export_name(farm, i), action ? action : "is configured", btc_farm_export_order(farm, i),
			 btc_farm_export_name(farm, c), e->sso_mode == BTC_MODE_JOIN ? "it" : "the SSO system",
			 btc_farm_export_order(farm, c), cluster ? " on the clustered master secret server " : "",
			 cluster ? cluster->name : "");
	}
}

void btc_check_sso003(btc_check_ctx *ctx)
{
	btc_rules_one_database(ctx, BTC_DB_SSO, "SSO_DB_ID");
}
