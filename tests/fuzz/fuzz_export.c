/* libFuzzer harness: any bytes through the export parser, every rule on the
 * one-export farm it makes, and the text and JSON writers. What it looks for
 * is what a hostile export could do to a CI machine: crash, read or write out
 * of bounds, leak, or hit undefined behaviour (tests/fuzz/run.sh builds it
 * with ASan and UBSan). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "export/parse.h"
#include "report/report.h"
#include "rules/rules.h"
#include "util/text.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Opened once: the reports are written, not read, and an fopen per input
 * would cost more than a small export's parse. */
static FILE *sink;

/* What the compact copy (btc_export_compact) drops on purpose: the rules
 * that read services, named values, values[] and questions run before it
 * is made. (FRM002 reads questions too; without an inventory it does not
 * run here.) */
static bool reads_scratch(const char *rule)
{
	static const char *const ids[] = {"CFG002", "CFG003", "CFG004", "ACC001", "ACC002", "ACC003", "ACC004"};
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		if (strcmp(rule, ids[i]) == 0)
			return true;
	}
	return false;
}

/* With --probe or a directory the CLI keeps a compact copy of each export
 * (cli/farms.c), and the probe and directory rules and suppressions read
 * it. Every other rule must find on the copy exactly what it finds on the
 * full export, or the copy lost something. */
static void check_compact_copy(const uint8_t *data, size_t size, const btc_parse_limits *limits,
			       const btc_findings *full)
{
	btc_export *e = NULL;
	btc_error err = {0};
	btc_findings f = {0};
	bool disabled[64] = {false};

	if (btc_rule_count > sizeof(disabled) / sizeof(disabled[0]))
		abort();
	for (size_t r = 0; r < btc_rule_count; r++)
		disabled[r] = reads_scratch(btc_rules[r].id);
	if (btc_export_parse_memory(&e, "fuzz.xml", (const char *)data, size, limits, &err) < 0)
		abort(); /* it parsed a moment ago */
	btc_export_drop_scratch(e);
	btc_export *c = btc_export_compact(e);
	if (c == NULL)
		abort();
	btc_export_free(e);
	btc_farm farm = {.exports = &c, .n_exports = 1};
	btc_run_options opts = {.disabled = disabled};
	btc_rules_run(&f, &farm, 0, &opts);
	btc_findings_sort(&f);
	size_t k = 0;
	for (size_t i = 0; i < full->count; i++) {
		const btc_finding *b = &full->items[i];
		if (reads_scratch(b->rule))
			continue;
		if (k == f.count)
			abort();
		const btc_finding *a = &f.items[k++];
		if (strcmp(a->rule, b->rule) != 0 || a->line != b->line || a->severity != b->severity ||
		    a->suppressed != b->suppressed || !btc_eq(a->subject, b->subject) ||
		    !btc_eq(a->message, b->message))
			abort();
	}
	if (k != f.count)
		abort();
	btc_findings_free(&f);
	btc_export_free(c);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	xmlInitParser();
	sink = fopen("/dev/null", "w");
	return sink == NULL ? -1 : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	btc_export *e = NULL;
	btc_error err = {0};
	/* Small caps so that the fuzzer also walks the limit paths. */
	btc_parse_limits limits = {.max_size = 1024 * 1024, .max_depth = 64};

	if (btc_export_parse_memory(&e, "fuzz.xml", (const char *)data, size, &limits, &err) < 0) {
		/* A failed parse must leave nothing behind and say why. */
		if (e != NULL || err.message[0] == '\0')
			abort();
		return 0;
	}
	btc_input in = {.path = "fuzz.xml", .kind = BTC_INPUT_EXPORT, .ok = true};
	btc_result r = {.inputs = &in, .n_inputs = 1};
	btc_farm farm = {.exports = &e, .n_exports = 1};
	btc_rules_run(&r.findings, &farm, 0, NULL);
	btc_findings_sort(&r.findings);
	check_compact_copy(data, size, &limits, &r.findings);
	btc_text_options topts = {.color = true};
	btc_report_text(sink, &r, &topts);
	btc_report_json(sink, &r);
	btc_findings_free(&r.findings);
	btc_export_free(e);
	return 0;
}
