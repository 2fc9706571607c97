/* A finished run, and the writers that format it. Writers never re-run a
 * rule: they only read the result. One output format per file. */
#ifndef BTC_REPORT_REPORT_H
#define BTC_REPORT_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "rules/rules.h"

typedef enum btc_input_kind {
	BTC_INPUT_EXPORT,
	BTC_INPUT_INVENTORY,
	BTC_INPUT_BASELINE, /* --baseline FILE: an input that is read, not checked */
} btc_input_kind;

typedef struct btc_input {
	const char *path;
	btc_input_kind kind;
	bool ok;
	const char *server; /* the inventory's machine name, or NULL */
	int farm;
	int line, column;   /* of the error, 0 when none */
	char *error;        /* why it could not be checked, or NULL */
} btc_input;

typedef struct btc_result {
	btc_input *inputs;
	size_t n_inputs;
	btc_findings findings;
	size_t suppressed; /* findings hidden by an inline suppression */
	size_t baselined;  /* findings hidden by the baseline */
	bool internal_error;
	/* Per rule, indexed like btc_rules: true when the rule did not run
	 * (disabled, or its data was not available). NULL: every rule ran.
	 * JUnit writes no testcase for a rule that did not run. */
	const bool *not_run;
	/* Per farm (finding.farm, input.farm): the inventory's farm name, else
	 * its path; NULL for exports given on the command line. */
	const char *const *farm_names;
	size_t n_farms;
	/* Per rule, indexed like btc_rules (or NULL): the rule, or its inventory
	 * part, was skipped in a farm that has no inventory. */
	const bool *no_inventory;
	/* Per farm (n_farms entries) or NULL: the directory probe's facts, NULL
	 * where the farm had no directory (docs/directory.md). */
	const btc_farm_directory *const *directories;
	/* The live SQL probe's endpoints and facts (rules/prb.h), or NULL when
	 * the run did not probe: the JSON "probes" block and the text table. */
	const struct btc_prb_set *probes;
} btc_result;

typedef struct btc_text_options {
	bool color;
} btc_text_options;

/* Counts of visible findings by severity: suppressed and baselined findings
 * do not count (they are in r->suppressed and r->baselined). */
void btc_result_counts(const btc_result *r, size_t *errors, size_t *warnings, size_t *notes);
size_t btc_result_exports(const btc_result *r);
/* "export", "inventory", "baseline": as JSON and JUnit name an input. */
const char *btc_input_kind_name(btc_input_kind kind);
/* Sets r->suppressed and r->baselined from the findings' flags. */
void btc_result_tally(btc_result *r);
/* The one-line summary the text, GitHub and Azure reports end with, e.g.
 * "2 exports checked: 1 error, 0 warnings, 0 notes, 3 suppressed".
 * Returns 0, or -1 when writing failed. */
int btc_report_summary_line(FILE *out, const btc_result *r);

/* Each returns 0, or -1 when writing failed. */
int btc_report_text(FILE *out, const btc_result *r, const btc_text_options *opts);
int btc_report_json(FILE *out, const btc_result *r);
/* SARIF 2.1.0: one run, every rule of the table, hidden findings as
 * results with suppressions. */
int btc_report_sarif(FILE *out, const btc_result *r);
/* JUnit XML: a testsuite per input, a testcase per (input, rule). */
int btc_report_junit(FILE *out, const btc_result *r);
/* GitHub Actions workflow commands (::error file=...::message). */
int btc_report_github(FILE *out, const btc_result *r);
/* Azure Pipelines logging commands (##vso[task.logissue ...]message). */
int btc_report_azure(FILE *out, const btc_result *r);

/* Where SARIF helpUri points: BTC_RULE_DOCS_URI + ID + ".md". Packagers and
 * forks set it with cmake -DBTC_RULE_DOCS_URI=... (the schema wants an
 * absolute URI, so a relative docs/rules/ path cannot be used). */
#ifndef BTC_RULE_DOCS_URI
#define BTC_RULE_DOCS_URI "https://github.com/btclint/btclint/blob/main/docs/rules/"
#endif

#endif
