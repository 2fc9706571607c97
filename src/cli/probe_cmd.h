/* The live SQL probe on the command line: `btclint check --probe` and its
 * options, and `btclint probe SERVER...`. Kept out of check.c, which only
 * forwards to it. The password never comes from the command line: only from
 * BTCLINT_SQL_PASSWORD or --password-file, so that `ps` never shows it. */
#ifndef BTC_CLI_PROBE_CMD_H
#define BTC_CLI_PROBE_CMD_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>

#include "cli/farms.h"
#include "rules/prb.h"

/* getopt_long codes of the probe options, a range of their own. --timeout is
 * check's own (shared with the directory probe). */
enum {
	BTC_CLI_OPT_PROBE = 0x700,
	BTC_CLI_OPT_JOBS,
	BTC_CLI_OPT_USER,
	BTC_CLI_OPT_PASSWORD_FILE,
	BTC_CLI_OPT_PASSWORD, /* refused, with the reason */
	BTC_CLI_OPT_PROBE_END,
};

/* Entries for check's long_options table. --password takes an optional
 * argument so that every spelling reaches the refusal, not getopt's
 * "needs an argument". */
/* clang-format off */
#define BTC_CLI_PROBE_LONG_OPTIONS \
	{"probe", no_argument, NULL, BTC_CLI_OPT_PROBE}, \
	{"jobs", required_argument, NULL, BTC_CLI_OPT_JOBS}, \
	{"user", required_argument, NULL, BTC_CLI_OPT_USER}, \
	{"password-file", required_argument, NULL, BTC_CLI_OPT_PASSWORD_FILE}, \
	{"password", optional_argument, NULL, BTC_CLI_OPT_PASSWORD}
/* clang-format on */

/* The environment variable that may hold the SQL password. */
#define BTC_SQL_PASSWORD_ENV "BTCLINT_SQL_PASSWORD"

typedef struct btc_cli_probe {
	bool enabled;              /* --probe (always for `btclint probe`) */
	int jobs;                  /* --jobs; 0 = the probe's default (8) */
	const char *user;          /* --user, borrowed from argv */
	const char *password_file; /* --password-file, borrowed from argv */
	bool any;                  /* some probe option was given */
	char *password;            /* from the file or the environment; wiped on free */

	btc_prb_set set;                  /* the endpoints and, once probed, their facts */
	struct btc_probe_result *results; /* one per set item; owned */
	size_t n_results;
	bool failed; /* the probe could not run at all (exit 3) */
} btc_cli_probe;

static inline bool btc_cli_probe_is_option(int code)
{
	return code >= BTC_CLI_OPT_PROBE && code < BTC_CLI_OPT_PROBE_END;
}

/* Records one probe option. Returns 0, or BTC_EXIT_USAGE after printing why
 * (--password always; every option in a build without the probe). */
int btc_cli_probe_option(btc_cli_probe *p, int code, const char *arg);

/* After all options: checks that they fit together, reads the password and,
 * without --probe, marks the PRB rules as not run in disabled[] (indexed
 * like btc_rules). Returns 0, BTC_EXIT_USAGE, or BTC_EXIT_INPUT when the
 * password file cannot be read; each after printing why. */
int btc_cli_probe_finish_options(btc_cli_probe *p, bool *disabled);

/* With --probe: collects the distinct endpoints of every checkable farm and
 * probes each once, in parallel, attaching the results to farms->probe.
 * A probe that cannot run at all is reported on stderr (p->failed). Returns
 * 0, or -1 when out of memory. */
int btc_cli_probe_gather(btc_cli_probe *p, btc_cli_farms *farms, int timeout_s);

/* Frees everything gathered and wipes the password; accepts NULL. */
void btc_cli_probe_free(btc_cli_probe *p);

/* `btclint probe [OPTIONS] SERVER...` */
int btc_cli_probe_command(int argc, char **argv);

#endif
