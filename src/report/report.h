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
	size_t suppressed;
	bool internal_error;
} btc_result;

typedef struct btc_text_options {
	bool color;
} btc_text_options;

/* Counts of findings by severity. */
void btc_result_counts(const btc_result *r, size_t *errors, size_t *warnings, size_t *notes);
size_t btc_result_exports(const btc_result *r);

/* Each returns 0, or -1 when writing failed. */
int btc_report_text(FILE *out, const btc_result *r, const btc_text_options *opts);
int btc_report_json(FILE *out, const btc_result *r);

#endif
