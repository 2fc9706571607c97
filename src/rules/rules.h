/* The rules engine: one table of rule descriptors drives every run, the
 * `rules` and `explain` commands, SARIF metadata and the docs tests. */
#ifndef BTC_RULES_RULES_H
#define BTC_RULES_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "export/model.h"
#include "farm/farm.h"

typedef enum btc_severity {
	BTC_SEV_NONE = 0, /* a rule's default, in btc_emit */
	BTC_SEV_NOTE = 1,
	BTC_SEV_WARNING = 2,
	BTC_SEV_ERROR = 3,
} btc_severity;

const char *btc_severity_name(btc_severity sev);
/* Parses "error", "warning", "note"; returns BTC_SEV_NONE when unknown. */
btc_severity btc_severity_parse(const char *s);

typedef struct btc_finding {
	const char *rule;
	btc_severity severity;
	const char *path; /* borrowed from the export or inventory */
	int line;         /* 0 when there is none */
	int order;        /* position of the export in its farm; -1 for the inventory */
	int farm;         /* index of the farm in the run */
	char *subject;    /* what the finding is about (an ID, a host, an account) */
	char *message;
	/* Hidden findings are counted but do not fail the gate; reports other
	 * than SARIF and JUnit show only their count. */
	bool suppressed;           /* by a btclint-disable comment in the export */
	char *justification;       /* that comment's reason; owned (outlives the export) */
	bool baselined;            /* matched an entry of the --baseline file */
} btc_finding;

/* True when the finding is suppressed or baselined. */
static inline bool btc_finding_hidden(const btc_finding *f)
{
	return f->suppressed || f->baselined;
}

typedef struct btc_findings {
	btc_finding *items;
	size_t count;
	size_t cap;
	bool oom; /* a finding could not be recorded: an internal error */
} btc_findings;

void btc_findings_free(btc_findings *f);
/* Stable order: farm, export position, line, rule. */
void btc_findings_sort(btc_findings *f);

typedef struct btc_rule btc_rule;

/* What a check function sees. */
typedef struct btc_check_ctx {
	const btc_rule *rule;
	const btc_farm *farm; /* for farm rules: only its configuration exports */
	const btc_farm *all;  /* every export, for ordering findings */
	int farm_index;
	btc_findings *out;
	size_t order_hint; /* the engine's: where the last finding's export was in all */
	/* The live SQL probe's endpoints and facts (rules/prb.h), or NULL when
	 * the run does not probe: data class P rules then do not run. */
	const struct btc_prb_set *probe;
} btc_check_ctx;

struct btc_rule {
	const char *id;
	btc_severity severity; /* default severity */
	const char *data;      /* data classes: E, F, I, P, L, as in rules.md */
	const char *title;
	/* Exactly one of the two is set. */
	void (*check_export)(btc_check_ctx *ctx, const btc_export *e);
	void (*check_farm)(btc_check_ctx *ctx);
};

extern const btc_rule btc_rules[];
extern const size_t btc_rule_count;

/* The rule with this ID (ignoring case), or NULL. */
const btc_rule *btc_rule_find(const char *id);

/* Records a finding of ctx->rule. sev BTC_SEV_NONE means the rule's default.
 * Never pass a secret in subject or the message. */
void btc_emit(btc_check_ctx *ctx, btc_severity sev, const btc_export *e, int line, const char *subject,
	      const char *fmt, ...) __attribute__((format(printf, 6, 7)));

typedef struct btc_run_options {
	const bool *disabled; /* per rule, indexed like btc_rules; NULL = none */
	/* Out, per rule (may be NULL): set when the farm had no inventory and the
	 * rule, or its inventory part, was skipped for want of one. */
	bool *skipped_no_inventory;
	/* The probed endpoints (rules/prb.h); NULL: PRB rules do not run. */
	const struct btc_prb_set *probe;
	/* btc_rules_run_export already ran on every export as it was read:
	 * btc_rules_run runs the rest (farm rules, probe and directory rules). */
	bool exports_checked;
} btc_run_options;

/* Data class I without E(+I)/F(+I): the rule cannot run without an inventory. */
bool btc_rule_needs_inventory(const btc_rule *rule);
/* Data class "(+I)": the rule runs without one, minus its inventory part. */
bool btc_rule_partly_needs_inventory(const btc_rule *rule);

/* Runs on e, already the last of farm->exports, every enabled single-export
 * rule that needs neither a probe nor the directory. Called as each file is
 * read, so that the export's scratch data (btc_export_drop_scratch) can be
 * freed before the next one; set opts->exports_checked for btc_rules_run. */
void btc_rules_run_export(btc_findings *out, const btc_farm *farm, int farm_index, const btc_run_options *opts,
			  const btc_export *e);
/* Runs every enabled rule on the farm, appending to out. */
void btc_rules_run(btc_findings *out, const btc_farm *farm, int farm_index, const btc_run_options *opts);

/* CFG001's verdict, shared with the engine: no other rule runs on a file
 * that is not a configuration export. */
bool btc_export_is_configuration(const btc_export *e);

/* Helpers shared by rule families. */
/* Why domain cannot hold a domain account or group (BUILTIN, a machine), or
 * NULL when it can. Machine names: the inventory's and e's SQL hosts. */
const char *btc_rules_not_a_domain(const btc_check_ctx *ctx, const btc_export *e, const char *domain);
/* True when the value exists, is not empty and is not a placeholder. */
bool btc_value_usable(const btc_value *v);
/* An endpoint whose server string names a host (no placeholder, not empty). */
bool btc_endpoint_named(const btc_sql_endpoint *s);
/* Endpoints are equal when first label of HOST, INSTANCE and database are
 * equal, ignoring case (rules.md); IP literals compare whole. */
bool btc_endpoint_same(const btc_sql_endpoint *a, const btc_sql_endpoint *b);
/* "SQLVS01\BTS/SSODB" for messages, into buf. */
const char *btc_endpoint_describe(char *buf, size_t n, const btc_sql_endpoint *s);
/* Reports every export whose database of this role differs from the first
 * export's (FRM001 for Management, SSO003 for SSO): one database per group. */
void btc_rules_one_database(btc_check_ctx *ctx, btc_db_role role, const char *subject);
/* Where an order finding about export i points: its IsSecretServer or
 * CREATEORJOIN question, else its root. */
int btc_export_mode_line(const btc_export *e, bool sso_first);

/* GRP005's facts: the farm's distinct judged group accounts (ignoring case),
 * in configuration order, each with why it is not looked up (not_checked:
 * not NETBIOS\Name, reported by GRP001-GRP003, or another domain than
 * out->domain) or NULL when the directory probe should search it. Fills
 * out->groups (free() it; strings borrowed from the farm's exports),
 * n_groups, domain and domain_from_inventory. Returns 0, or -1 when out of
 * memory. No I/O: the caller looks the groups up and fills in the facts. */
int btc_rules_directory_plan(btc_farm_directory *out, const btc_farm *farm);

/* Check functions, one family per file. */
void btc_check_cfg001(btc_check_ctx *ctx, const btc_export *e);
void btc_check_cfg002(btc_check_ctx *ctx, const btc_export *e);
void btc_check_cfg003(btc_check_ctx *ctx, const btc_export *e);
void btc_check_cfg004(btc_check_ctx *ctx, const btc_export *e);
void btc_check_cfg005(btc_check_ctx *ctx, const btc_export *e);
void btc_check_sql001(btc_check_ctx *ctx, const btc_export *e);
void btc_check_sql002(btc_check_ctx *ctx, const btc_export *e);
void btc_check_sql007(btc_check_ctx *ctx, const btc_export *e);
void btc_check_sql008(btc_check_ctx *ctx, const btc_export *e);
void btc_check_sql009(btc_check_ctx *ctx);
void btc_check_grp001(btc_check_ctx *ctx, const btc_export *e);
void btc_check_grp002(btc_check_ctx *ctx, const btc_export *e);
void btc_check_grp003(btc_check_ctx *ctx, const btc_export *e);
void btc_check_grp004(btc_check_ctx *ctx, const btc_export *e);
void btc_check_grp005(btc_check_ctx *ctx, const btc_export *e);
void btc_check_grp006(btc_check_ctx *ctx, const btc_export *e);
void btc_check_acc001(btc_check_ctx *ctx, const btc_export *e);
void btc_check_acc002(btc_check_ctx *ctx, const btc_export *e);
void btc_check_acc003(btc_check_ctx *ctx, const btc_export *e);
void btc_check_acc004(btc_check_ctx *ctx, const btc_export *e);
void btc_check_sql003(btc_check_ctx *ctx, const btc_export *e);
void btc_check_sql004(btc_check_ctx *ctx, const btc_export *e);
void btc_check_sql005(btc_check_ctx *ctx, const btc_export *e);
void btc_check_sql006(btc_check_ctx *ctx, const btc_export *e);
void btc_check_sql010(btc_check_ctx *ctx, const btc_export *e);
void btc_check_grp007(btc_check_ctx *ctx);
void btc_check_sso001(btc_check_ctx *ctx);
void btc_check_sso002(btc_check_ctx *ctx);
void btc_check_sso003(btc_check_ctx *ctx);
void btc_check_frm001(btc_check_ctx *ctx);
void btc_check_frm002(btc_check_ctx *ctx);
void btc_check_frm003(btc_check_ctx *ctx);
void btc_check_frm004(btc_check_ctx *ctx);

#endif
