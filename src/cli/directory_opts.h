/* The directory probe on the command line: the --ldap options, the
 * inventory's [directory] section, and the lookup once per farm before the
 * rules run (rule GRP005). Kept out of check.c, which only forwards to it. */
#ifndef BTC_CLI_DIRECTORY_OPTS_H
#define BTC_CLI_DIRECTORY_OPTS_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>

#include "cli/farms.h"
#include "farm/farm.h"

/* getopt_long codes of the directory options, a range of their own. */
enum {
	BTC_CLI_OPT_LDAP = 0x600,
	BTC_CLI_OPT_LDAP_STARTTLS,
	BTC_CLI_OPT_LDAP_CA,
	BTC_CLI_OPT_LDAP_BASE,
	BTC_CLI_OPT_LDAP_BIND,
	BTC_CLI_OPT_LDAP_PASSWORD_FILE,
	BTC_CLI_OPT_LDAP_END,
};

/* Entries for check's long_options table. */
/* clang-format off */
#define BTC_CLI_DIRECTORY_LONG_OPTIONS \
	{"ldap", required_argument, NULL, BTC_CLI_OPT_LDAP}, \
	{"ldap-starttls", no_argument, NULL, BTC_CLI_OPT_LDAP_STARTTLS}, \
	{"ldap-ca", required_argument, NULL, BTC_CLI_OPT_LDAP_CA}, \
	{"ldap-base", required_argument, NULL, BTC_CLI_OPT_LDAP_BASE}, \
	{"ldap-bind", required_argument, NULL, BTC_CLI_OPT_LDAP_BIND}, \
	{"ldap-password-file", required_argument, NULL, BTC_CLI_OPT_LDAP_PASSWORD_FILE}
/* clang-format on */

/* The environment variable that may hold the bind password. */
#define BTC_LDAP_PASSWORD_ENV "BTCLINT_LDAP_PASSWORD"

typedef struct btc_cli_directory_farm btc_cli_directory_farm;

typedef struct btc_cli_directory {
	/* Command-line options (borrowed from argv); each overrides the
	 * inventory's key of the same meaning. */
	const char *uri;
	const char *ca;
	const char *base;
	const char *bind;
	const char *password_file;
	bool starttls;
	bool any; /* some --ldap* option was given */

	char *password;       /* from the file or the environment; wiped on free */
	char *password_error; /* why the password file could not be read, or NULL */

	/* Per farm, after btc_cli_directory_gather. */
	btc_cli_directory_farm *farms;
	const btc_farm_directory **by_farm; /* NULL where the farm has no directory */
	size_t n_farms;
	bool failed; /* some farm's directory could not be used (exit 3) */
} btc_cli_directory;

static inline bool btc_cli_directory_is_option(int code)
{
	return code >= BTC_CLI_OPT_LDAP && code < BTC_CLI_OPT_LDAP_END;
}

/* Records one directory option. Returns 0, or BTC_EXIT_USAGE after printing
 * why (a build without the directory probe refuses every --ldap option). */
int btc_cli_directory_option(btc_cli_directory *d, int code, const char *arg);

/* After all options: checks that they fit together and reads the password
 * (--ldap-password-file, else BTCLINT_LDAP_PASSWORD). Returns 0, or
 * BTC_EXIT_USAGE after printing why. */
int btc_cli_directory_finish_options(btc_cli_directory *d, bool have_inventories);

/* For every checkable farm with a directory (--ldap, or its inventory's
 * [directory]): one connection for all the farms that reach it the same way
 * (URI, TLS, CA, base, bind DN), one search per distinct group name, the
 * facts attached as farm->directory. A directory that cannot be used is reported
 * on stderr and recorded (d->failed). timeout_s bounds each step. When no
 * farm has a directory, GRP005 is marked in not_run (per rule, may be
 * NULL): it did not run, which is not a pass. Returns 0, or -1 when out of
 * memory. */
int btc_cli_directory_gather(btc_cli_directory *d, btc_cli_farms *farms, int timeout_s, bool *not_run);

/* Frees everything gathered and wipes the password; accepts NULL. */
void btc_cli_directory_free(btc_cli_directory *d);

#endif
