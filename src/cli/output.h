/* Report targets shared by `check` and `probe`: a --format, optionally sent
 * to an --output file, written from a finished result. */
#ifndef BTC_CLI_OUTPUT_H
#define BTC_CLI_OUTPUT_H

#include <stdbool.h>

#include "report/report.h"

typedef enum btc_cli_format {
	BTC_FORMAT_TEXT,
	BTC_FORMAT_JSON,
	BTC_FORMAT_SARIF,
	BTC_FORMAT_JUNIT,
	BTC_FORMAT_GITHUB,
	BTC_FORMAT_AZURE,
} btc_cli_format;

typedef struct btc_cli_report {
	btc_cli_format format;
	const char *path; /* NULL = stdout */
} btc_cli_report;

/* "text", "json", ...: 0, or -1 when s names no format. */
int btc_cli_format_parse(const char *s, btc_cli_format *out);
/* color: -1 auto (a terminal, TERM not dumb), 0 never, 1 always; NO_COLOR
 * turns it off whatever was asked. */
bool btc_cli_use_color(int color);
/* Writes one report; on failure says so on stderr and returns -1. */
int btc_cli_write_report(const btc_cli_report *t, const btc_result *r, int color);

#endif
