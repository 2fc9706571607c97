/* What the PRB rules judge: the distinct database server strings of a run
 * and, once probed, what each one said about itself (probe/probe.h).
 *
 * The probe gathers facts and never decides; the rules in rules/probe.c turn
 * the facts into findings. This part of the library does not talk TDS: it
 * only reads the result structures, so it builds without FreeTDS. */
#ifndef BTC_RULES_PRB_H
#define BTC_RULES_PRB_H

#include <stdbool.h>
#include <stddef.h>

#include "farm/farm.h"
#include "probe/probe.h"
#include "rules/rules.h"

/* One distinct endpoint: a server string, trimmed, compared ignoring case. */
typedef struct btc_prb_endpoint {
	char *name;     /* as first written */
	char *host;     /* its HOST part */
	char *instance; /* its INSTANCE part, or NULL for the default instance */
	int port;       /* written after a comma, or -1 */
	/* Management and SSO databases named by exports that join the group or
	 * the SSO system on this endpoint (PRB007), each once, ignoring case. */
	char **databases;
	size_t n_databases;
	/* SSO databases (SSO_DB_ID) on this endpoint whose master secret server
	 * to read (SSO004), each once, ignoring case; only from farms whose
	 * inventory declares an [sso] section. */
	char **sso_databases;
	size_t n_sso_databases;
	/* What the probe found; NULL when not probed. Borrowed: the caller of
	 * btc_probe_run owns the results. */
	const struct btc_probe_result *result;
} btc_prb_endpoint;

typedef struct btc_prb_set {
	btc_prb_endpoint *items;
	size_t count, cap;
	/* `btclint probe SERVER...`: no export names the endpoints, so the
	 * findings have no file and no line. */
	bool standalone;
} btc_prb_set;

/* True when s is probed: a usable server string (no CFG002 placeholder, not
 * empty, not Analysis Services) whose HOST is not a local alias (SQL002). */
bool btc_prb_probed(const btc_sql_endpoint *s);

/* Adds the server string (trimmed) unless an equal one (ignoring case) is
 * there; host, instance and port are its parsed parts. *index (may be NULL)
 * receives its position. Returns 0, or -1 when out of memory. */
int btc_prb_add(btc_prb_set *set, const char *server, const char *host, const char *instance, int port, size_t *index);

/* Adds every probed endpoint of the farm's configuration exports, with the
 * databases for PRB007 and, when the farm declares an [sso] section, the
 * SSO databases for SSO004. Call once per farm of the run. Returns 0, or -1
 * when out of memory. */
int btc_prb_collect(btc_prb_set *set, const btc_farm *farm);

/* The endpoint of this server string (trimmed, ignoring case), or NULL. */
const btc_prb_endpoint *btc_prb_find(const btc_prb_set *set, const char *server);

/* Frees what the set owns (not the probe results); accepts NULL. */
void btc_prb_set_free(btc_prb_set *set);

/* The name of an error kind as reports give it ("refused", "timeout", ...;
 * "ok" for none). The same names as btc_probe_error_name, which lives in the
 * probe library that this part of the library does not link. */
const char *btc_prb_error_name(enum btc_probe_error error);

/* True for rules that need the live SQL probe (data class P). */
bool btc_rule_needs_probe(const btc_rule *rule);

/* The PRB rules, one function each (rules/probe.c). */
void btc_check_prb001(btc_check_ctx *ctx);
void btc_check_prb002(btc_check_ctx *ctx);
void btc_check_prb003(btc_check_ctx *ctx);
void btc_check_prb004(btc_check_ctx *ctx);
void btc_check_prb005(btc_check_ctx *ctx);
void btc_check_prb006(btc_check_ctx *ctx);
void btc_check_prb007(btc_check_ctx *ctx);
void btc_check_prb008(btc_check_ctx *ctx);
void btc_check_prb009(btc_check_ctx *ctx);

/* SSO004: the master secret server SSODB records (rules/sso_probe.c). */
void btc_check_sso004(btc_check_ctx *ctx);

#endif
