/* libFuzzer harness: any bytes through the export parser, every rule on the
 * one-export farm it makes, and the text and JSON writers. What it looks for
 * is what a hostile export could do to a CI machine: crash, read or write out
 * of bounds, leak, or hit undefined behaviour (tests/fuzz/run.sh builds it
 * with ASan and UBSan). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "export/parse.h"
#include "report/report.h"
#include "rules/rules.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Opened once: the reports are written, not read, and an fopen per input
 * would cost more than a small export's parse. */
static FILE *sink;

static int same_str(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* The CLI's way (cli/farms.c): single-export rules on the full export, then
 * the rest on its compact copy. It must find exactly what running every rule
 * on the full export finds, or the compact copy lost something. */
static void check_compact_copy(const uint8_t *data, size_t size, const btc_parse_limits *limits,
			       const btc_findings *full)
{
	btc_export *e = NULL;
	btc_error err = {0};
	btc_findings f = {0};

	if (btc_export_parse_memory(&e, "fuzz.xml", (const char *)data, size, limits, &err) < 0)
		abort(); /* it parsed a moment ago */
	btc_farm farm = {.exports = &e, .n_exports = 1};
	btc_run_options opts = {0};
	btc_rules_run_export(&f, &farm, 0, &opts, e);
	btc_export_drop_scratch(e);
	btc_export *c = btc_export_compact(e);
	if (c == NULL)
		abort();
	btc_export_free(e);
	farm.exports = &c;
	opts.exports_checked = true;
	btc_rules_run(&f, &farm, 0, &opts);
	btc_findings_sort(&f);
	if (f.count != full->count)
		abort();
	for (size_t i = 0; i < f.count; i++) {
		const btc_finding *a = &f.items[i], *b = &full->items[i];
		if (strcmp(a->rule, b->rule) != 0 || a->line != b->line || a->severity != b->severity ||
		    !same_str(a->subject, b->subject) || !same_str(a->message, b->message))
			abort();
	}
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
