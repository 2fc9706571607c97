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

/* One export of a farm as the engine feeds it: where its findings point and
 * how farm rules name it. */
typedef struct btc_farm_entry {
	const char *path;   /* findings borrow it: it must outlive them */
	int order;          /* position among the farm's exports: findings sort by it */
	const char *server; /* its machine name from the inventory, or NULL */
	const char *name;   /* server, else path: how messages name it */
	int shown_order;    /* the inventory's order, else the 1-based position
			     * among the farm's configuration exports */
} btc_farm_entry;

/* What a check function sees. */
typedef struct btc_check_ctx {
	const btc_rule *rule;
	const btc_farm *farm; /* the inventory's facts; for farm rules run at the
			       * end, only its configuration exports */
	const btc_farm *all;  /* every export, for ordering findings */
	int farm_index;
	btc_findings *out;
	/* The export being fed (btc_farm_run_feed) and where it stands; NULL
	 * in the rules run at the end of the farm. */
	const btc_export *export;
	const btc_farm_entry *entry;
	size_t order_hint; /* the engine's: where the last finding's export was in all */
	bool no_suppressions; /* --no-inline-suppressions: comments hide nothing */
	/* What farm rules keep between exports (copied strings): lives as long
	 * as the farm's run. */
	btc_arena *keep;
	/* The live SQL probe's endpoints and facts (rules/prb.h), or NULL when
	 * the run does not probe: data class P rules then do not run. */
	const struct btc_prb_set *probe;
} btc_check_ctx;

/* A farm rule that sees the farm's configuration exports one by one, in
 * configuration order, and keeps only what later exports are compared with
 * (first spellings, the creator, counters), never the exports: each export
 * is freed once fed, so a farm of thousands stays small. */
typedef struct btc_farm_stream {
	size_t state_size; /* zeroed before the first export */
	/* e is the next configuration export; ctx->entry says where it is. */
	void (*feed)(btc_check_ctx *ctx, void *state, const btc_export *e);
	/* After the last export (may be NULL): what needs the whole farm. Frees
	 * what the state holds outside ctx->keep. */
	void (*finish)(btc_check_ctx *ctx, void *state);
} btc_farm_stream;

struct btc_rule {
	const char *id;
	btc_severity severity; /* default severity */
	const char *data;      /* data classes: E, F, I, P, L, as in rules.md */
	const char *title;
	/* Exactly one of the three is set. */
	void (*check_export)(btc_check_ctx *ctx, const btc_export *e);
	/* Rules of the inventory, the probe or the directory: run once the farm
	 * is complete (with --probe or a directory, its exports are kept). */
	void (*check_farm)(btc_check_ctx *ctx);
	const btc_farm_stream *stream;
};

extern const btc_rule btc_rules[];
extern const size_t btc_rule_count;

/* The rule with this ID (ignoring case), or NULL. */
const btc_rule *btc_rule_find(const char *id);

/* Records a finding of ctx->rule about e (NULL: about the inventory). sev
 * BTC_SEV_NONE means the rule's default. A valid btclint-disable comment of
 * e that covers it hides it. Never pass a secret in subject or the message. */
void btc_emit(btc_check_ctx *ctx, btc_severity sev, const btc_export *e, int line, const char *subject,
	      const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* A finding about the export being fed that a farm rule can word only once
 * a later export is seen (SSO002 and FRM001 wait for the creator). The
 * export is freed by then, so whether its comments hide the finding is
 * decided when it is recorded. */
typedef struct btc_later {
	btc_farm_entry at;
	int line;
	const char *subject, *what; /* static texts the rule picks, for its message */
	const char *hidden_by; /* reason of the suppression that covers it (in ctx->keep), or NULL */
} btc_later;

/* Records ctx->export's finding of ctx->rule at line, to emit later. */
void btc_later_record(btc_check_ctx *ctx, btc_later *l, int line);
void btc_emit_later(btc_check_ctx *ctx, btc_severity sev, const btc_later *l, const char *subject,
		    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* A growable array of btc_later, in ctx->keep (freed with the run). */
typedef struct btc_laters {
	btc_later *items;
	size_t count, cap;
} btc_laters;
/* Appends ctx->export's finding at line; returns it, or NULL when out of memory. */
btc_later *btc_laters_add(btc_check_ctx *ctx, btc_laters *list, int line);

typedef struct btc_run_options {
	const bool *disabled; /* per rule, indexed like btc_rules; NULL = none */
	/* Out, per rule (may be NULL): set when the farm had no inventory and the
	 * rule, or its inventory part, was skipped for want of one. */
	bool *skipped_no_inventory;
	/* The probed endpoints (rules/prb.h); NULL: PRB rules do not run. */
	const struct btc_prb_set *probe;
	bool no_inline_suppressions; /* btclint-disable comments hide nothing */
} btc_run_options;

/* Data class I without E(+I)/F(+I): the rule cannot run without an inventory. */
bool btc_rule_needs_inventory(const btc_rule *rule);
/* Data class "(+I)": the rule runs without one, minus its inventory part. */
bool btc_rule_partly_needs_inventory(const btc_rule *rule);

/* Checking one farm, its exports fed one by one in configuration order, so
 * that each can be freed once fed (docs/architecture.md). */
typedef struct btc_farm_run btc_farm_run;

/* Starts checking farm (which must outlive the run); findings go to out.
 * NULL when out of memory (out->oom is set). */
btc_farm_run *btc_farm_run_begin(btc_findings *out, const btc_farm *farm, int farm_index,
				 const btc_run_options *opts);
/* The farm's next export: runs its single-export rules (those that need
 * neither a probe nor the directory) and feeds the farm rules. Findings
 * about it point at path; server and decl are its inventory entry or NULL.
 * e may be freed (or reduced) once this returns. */
void btc_farm_run_feed(btc_farm_run *run, const btc_export *e, const char *path, const char *server,
		       const btc_farm_server *decl);
/* Ends the farm: the farm rules' verdicts that need all of it, then the
 * rules of the inventory, the probe (probe may be NULL) and the directory,
 * over farm->exports as it is now (the kept exports, in the order fed, or
 * none). Frees run. */
void btc_farm_run_end(btc_farm_run *run, const struct btc_prb_set *probe);
/* Frees a run that is not to be ended (the caller stopped early): nothing
 * more is reported. */
void btc_farm_run_free(btc_farm_run *run);
/* All of it over farm->exports, for callers that hold every export. */
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
/* A copy of s in ctx->keep (NULL for NULL; NULL and out->oom set when out of
 * memory): what a farm rule keeps of an export outlives it. */
const char *btc_rules_keep(btc_check_ctx *ctx, const char *s);
/* One database of a role for the whole group (FRM001 for Management, SSO003
 * for SSO): fed export by export, reports every export whose database
 * differs from the first one named. */
typedef struct btc_one_database {
	bool seen;
	btc_farm_entry at;         /* the first export that names one */
	const char *host, *instance, *database; /* kept in ctx->keep */
	int line;
} btc_one_database;
void btc_one_database_feed(btc_check_ctx *ctx, btc_one_database *st, const btc_export *e, btc_db_role role,
			   const char *subject);
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
extern const btc_farm_stream btc_stream_sql009;
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
extern const btc_farm_stream btc_stream_grp007;
extern const btc_farm_stream btc_stream_sso001;
extern const btc_farm_stream btc_stream_sso002;
extern const btc_farm_stream btc_stream_sso003;
extern const btc_farm_stream btc_stream_frm001;
extern const btc_farm_stream btc_stream_frm002;
void btc_check_frm003(btc_check_ctx *ctx);
void btc_check_frm004(btc_check_ctx *ctx);

#endif
