/* SSO004: the master secret server as SSODB records it. The seed: a
 * clustered master secret server is configured first, then made the
 * cluster's SSO network name. If SSODB still names a node, every SSO server
 * asks that one machine for the master secret, and the cluster protects
 * nothing. The live SQL probe (src/probe) reads SSOX_GlobalInfo before the
 * rules run, only for farms whose inventory has an [sso] section
 * (btc_prb_collect); this rule only compares names. */
#include <stdio.h>
#include <string.h>

#include "rules/prb.h"
#include "util/text.h"

/* The same endpoint string as btc_prb_add keeps: trimmed, ignoring case. */
static bool same_server(const char *written, const char *name)
{
	size_t len = strlen(written);
	const char *t = btc_trim(written, &len);
	return btc_ieqn(t, len, name) && name[len] == '\0';
}

/* The export's SSO database entry when it is db on this endpoint. */
static const btc_sql_endpoint *sso_use(const btc_export *e, const btc_prb_endpoint *ep, const char *db)
{
	const btc_sql_endpoint *s = btc_export_endpoint(e, BTC_DB_SSO);
	if (s == NULL || !btc_prb_probed(s) || !btc_value_usable(&s->database))
		return NULL;
	if (!same_server(s->server.text, ep->name) || !btc_ieq(s->database.text, db))
		return NULL;
	return s;
}

/* Any [sso] section of the farm: an inventory normally has one. */
static bool declared(const btc_farm *farm, const char *name)
{
	for (size_t i = 0; i < farm->n_ssos; i++) {
		if (btc_machine_eq(name, farm->ssos[i].name))
			return true;
	}
	return false;
}

/* What the recorded name is, for the message, when the inventory knows. */
static const char *what_it_is(const btc_farm *farm, const char *name)
{
	if (btc_is_ipv4(name) || btc_is_ipv6(name))
		return ", an IP address,";
	const btc_farm_machine *m = btc_farm_lookup(farm, name);
	if (m == NULL)
		return "";
	if (m->sso_node != NULL)
		return ", a node of the SSO cluster,";
	if (m->sql_cluster != NULL || m->ag_cluster != NULL)
		return ", the Windows cluster name,";
	if (m->sql_node != NULL || m->replica != NULL)
		return ", a SQL Server node,";
	return "";
}

static void judge(btc_check_ctx *ctx, const btc_prb_endpoint *ep, const char *db, const char *recorded)
{
	const btc_farm *farm = ctx->farm;
	/* One finding per SSO database, at the first export that uses it. */
	for (size_t k = 0; k < farm->n_exports; k++) {
		const btc_sql_endpoint *s = sso_use(farm->exports[k], ep, db);
		if (s == NULL)
			continue;
		btc_emit(ctx, BTC_SEV_NONE, farm->exports[k], s->server.line ? s->server.line : s->line, ep->name,
		         "the SSO database %s on \"%s\" records %s%s as the master secret server "
		         "(SSOX_GlobalInfo.gi_SecretServer), not the SSO network name %s that the inventory "
		         "declares: while %s is down no SSO server can get the master secret; update SSODB to %s "
		         "(ssomanage -updatedb with <secretServer>%s</secretServer>) as the steps for clustering "
		         "the master secret server say",
		         db, ep->name, recorded, what_it_is(farm, recorded), farm->ssos[0].name, recorded,
		         farm->ssos[0].name, farm->ssos[0].name);
		return;
	}
}

void btc_check_sso004(btc_check_ctx *ctx)
{
	const btc_prb_set *set = ctx->probe;
	const btc_farm *farm = ctx->farm;
	if (set == NULL || set->standalone || farm->n_ssos == 0)
		return;
	for (size_t i = 0; i < set->count; i++) {
		const btc_prb_endpoint *ep = &set->items[i];
		if (ep->result == NULL)
			continue;
		const struct btc_probe_facts *f = &ep->result->facts;
		for (size_t d = 0; d < ep->n_sso_databases && d < f->n_sso; d++) {
			const struct btc_probe_sso *x = &f->sso[d];
			/* Unknown (refused, missing, no row): not judged; PRB009
			 * says so when the login was refused. */
			if (x->state != BTC_PROBE_SSO_READ || x->secret_server == NULL)
				continue;
			char recorded[1024];
			size_t len = strlen(x->secret_server);
			const char *t = btc_trim(x->secret_server, &len);
			if (len == 0 || len >= sizeof(recorded))
				continue;
			memcpy(recorded, t, len);
			recorded[len] = '\0';
			if (!declared(farm, recorded))
				judge(ctx, ep, ep->sso_databases[d], recorded);
		}
	}
}
