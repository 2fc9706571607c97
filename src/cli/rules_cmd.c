/* btclint rules and btclint explain: both read only the rule table and the
 * embedded docs. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "rules/docs.h"
#include "rules/rules.h"

static int rules_json(void)
{
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < btc_rule_count; i++) {
		const btc_rule *r = &btc_rules[i];
		json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "id", r->id, "severity", btc_severity_name(r->severity),
				      "data", r->data, "title", r->title);
		if (o == NULL || json_array_append_new(arr, o) < 0) {
			json_decref(arr);
			arr = NULL;
		}
	}
	if (arr == NULL) {
		btc_cli_error("out of memory");
		return BTC_EXIT_INPUT;
	}
	json_dumpf(arr, stdout, JSON_INDENT(2));
	fputc('\n', stdout);
	json_decref(arr);
	return BTC_EXIT_OK;
}

int btc_cli_rules(int argc, char **argv)
{
	const char *format = "text";

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
			format = argv[++i];
		else if (strncmp(argv[i], "--format=", 9) == 0)
			format = argv[i] + 9;
		else
			return btc_cli_usage_error("rules: unknown argument '%s'", argv[i]);
	}
	if (strcmp(format, "json") == 0)
		return rules_json();
	if (strcmp(format, "markdown") == 0) {
		printf("| ID | Severity | Data | Title |\n|---|---|---|---|\n");
		for (size_t i = 0; i < btc_rule_count; i++)
			printf("| [%s](rules/%s.md) | %s | %s | %s |\n", btc_rules[i].id, btc_rules[i].id,
			       btc_severity_name(btc_rules[i].severity), btc_rules[i].data, btc_rules[i].title);
		return BTC_EXIT_OK;
	}
	if (strcmp(format, "text") != 0)
		return btc_cli_usage_error("rules: --format must be text, json or markdown");
	printf("%-8s %-8s %-6s %s\n", "ID", "SEVERITY", "DATA", "TITLE");
	for (size_t i = 0; i < btc_rule_count; i++)
		printf("%-8s %-8s %-6s %s\n", btc_rules[i].id, btc_severity_name(btc_rules[i].severity),
		       btc_rules[i].data, btc_rules[i].title);
	return BTC_EXIT_OK;
}

int btc_cli_explain(int argc, char **argv)
{
	if (argc != 2)
		return btc_cli_usage_error("explain: give exactly one rule ID, e.g. 'btclint explain SQL002'");
	const btc_rule *r = btc_rule_find(argv[1]);
	const char *doc = r ? btc_rule_doc_find(r->id) : NULL;
	if (r == NULL || doc == NULL)
		return btc_cli_usage_error("explain: unknown rule '%s' (see 'btclint rules')", argv[1]);
	fputs(doc, stdout);
	return BTC_EXIT_OK;
}
