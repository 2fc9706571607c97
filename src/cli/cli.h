/* The command line: parses options, calls the library, maps the result to
 * an exit status. Nothing here decides what is wrong with an export. */
#ifndef BTC_CLI_CLI_H
#define BTC_CLI_CLI_H

/* Exit statuses, spec/cli.md. */
enum {
	BTC_EXIT_OK = 0,
	BTC_EXIT_FINDINGS = 1,
	BTC_EXIT_USAGE = 2,
	BTC_EXIT_INPUT = 3,
};

int btc_cli_check(int argc, char **argv);
int btc_cli_rules(int argc, char **argv);
int btc_cli_explain(int argc, char **argv);

#include <stdio.h>

void btc_cli_print_usage(FILE *out);

/* "btclint: " + message on stderr; usage errors add a hint. */
void btc_cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int btc_cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The usage error for an unknown option, naming it without any =VALUE. */
int btc_cli_unknown_option(const char *arg);

#endif
