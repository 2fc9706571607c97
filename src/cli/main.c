#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>

#include "cli/cli.h"
#include "cli/probe_cmd.h"
#include "version.h"

static const char usage[] =
	"Usage: btclint check [OPTIONS] EXPORT...     check exports (several = one farm, in order)\n"
	"       btclint check [OPTIONS] --inventory FILE [EXPORT...]\n"
	"                                             check the farm a site inventory describes\n"
	"       btclint probe [OPTIONS] SERVER...     probe SQL endpoints only (HOST[\\INSTANCE][,PORT])\n"
	"       btclint rules [--format text|json|markdown]\n"
	"                                             list every rule\n"
	"       btclint explain RULE                  show a rule's documentation\n"
	"       btclint --help | --version\n"
	"\n"
	"Check options:\n"
	"  --format FMT        text (default), json, sarif, junit, github (Actions annotations)\n"
	"                      or azure (Pipelines logging commands); repeat with --output\n"
	"  --output FILE       write the preceding --format to FILE instead of stdout\n"
	"  --fail-on LEVEL     error (default), warning, note or never: exit 1 at or above it\n"
	"  --inventory FILE    a site inventory (docs/inventory.md): one farm; repeatable,\n"
	"                      EXPORT arguments beside it form one more farm\n"
	"  --disable RULE,...  do not run these rules\n"
	"  --baseline FILE     hide the findings recorded in FILE; only new ones fail\n"
	"  --write-baseline FILE  record the current findings in FILE (this run then passes)\n"
	"  --no-inline-suppressions  ignore <!-- btclint-disable RULE: reason --> comments\n"
	"  --max-size SIZE     largest export accepted (default 16M; K, M, G suffixes)\n"
	"  --color WHEN        auto (default), always or never; NO_COLOR turns it off\n"
	"  --jobs N            exports read at the same time (default: one per CPU, up to 8)\n"
	"                      and endpoints probed at the same time (default 8); the report\n"
	"                      is the same whatever N\n"
	"\n"
	"Live SQL probe (docs/probe.md; `probe` also takes --format, --output, --fail-on, --color):\n"
	"  --probe             check: log in to every distinct database server (rules PRB001-PRB009)\n"
	"  --timeout SECONDS   bound each network step of an endpoint (default 5)\n"
	"  --user NAME         SQL login, or DOMAIN\\user for Windows (NTLM); none: Kerberos\n"
	"  --password-file FILE  the password's file; else BTCLINT_SQL_PASSWORD (never an option)\n"
	"                      names resolve through freetds.conf (FREETDSCONF)\n"
	"\n"
	"Directory probe (docs/directory.md; also an inventory's [directory] section):\n"
	"  --ldap URI          check: look the groups up in Active Directory (rule GRP005);\n"
	"                      ldap://HOST[:PORT] or ldaps://HOST[:PORT]; --timeout bounds each step\n"
	"  --ldap-starttls     upgrade ldap:// with StartTLS (certificates are always verified)\n"
	"  --ldap-ca FILE      the CA's PEM file (default: the system's, LDAPTLS_CACERT)\n"
	"  --ldap-base DN      search base (default: the server's defaultNamingContext)\n"
	"  --ldap-bind DN      simple bind as DN (default: anonymous)\n"
	"  --ldap-password-file FILE  the bind password's file; else BTCLINT_LDAP_PASSWORD\n"
	"\n"
	"Exit status: 0 no finding at or above --fail-on; 1 findings; 2 usage error;\n"
	"3 an input could not be checked (every other input is still checked).\n"
	"Rules are documented in docs/rules/ and by 'btclint explain RULE'.\n";

void btc_cli_print_usage(FILE *out)
{
	fputs(usage, out);
}

void btc_cli_error(const char *fmt, ...)
{
	va_list ap;
	fputs("btclint: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int btc_cli_unknown_option(const char *arg)
{
	/* Only the name: "--passwd=secret" must not put the secret on stderr. */
	int n = (int)strcspn(arg, "=");
	return btc_cli_usage_error("unknown option '%.*s'", n, arg);
}

int btc_cli_usage_error(const char *fmt, ...)
{
	va_list ap;
	fputs("btclint: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'btclint --help'.\n", stderr);
	return BTC_EXIT_USAGE;
}

/* libxml2 reports through our per-parse handler; anything that still goes
 * to its global channel (it should be nothing) must not reach stderr
 * half-formatted. */
static void quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

int main(int argc, char **argv)
{
	int rc;

	if (argc < 2)
		return btc_cli_usage_error("no command given");
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
		btc_cli_print_usage(stdout);
		return BTC_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		/* Which optional parts this build has, for bug reports and for
		 * tests that need them. */
		printf("btclint %s (probe: %s, directory: %s)\n", BTC_VERSION,
#ifdef BTC_HAVE_PROBE
		       "yes",
#else
		       "no",
#endif
#ifdef BTC_HAVE_DIRECTORY
		       "yes"
#else
		       "no"
#endif
		);
		return BTC_EXIT_OK;
	}

	/* libldap may raise SIGPIPE when an asynchronous connection was refused
	 * (directory/directory.h); a write error is reported instead. */
	signal(SIGPIPE, SIG_IGN);
	xmlInitParser();
	xmlSetGenericErrorFunc(NULL, quiet);
	xmlThrDefSetGenericErrorFunc(NULL, quiet); /* the threads of --jobs (cli/reader.c) */
	if (strcmp(argv[1], "check") == 0)
		rc = btc_cli_check(argc - 1, argv + 1);
	else if (strcmp(argv[1], "rules") == 0)
		rc = btc_cli_rules(argc - 1, argv + 1);
	else if (strcmp(argv[1], "explain") == 0)
		rc = btc_cli_explain(argc - 1, argv + 1);
	else if (strcmp(argv[1], "probe") == 0)
		rc = btc_cli_probe_command(argc - 1, argv + 1);
	else
		rc = btc_cli_usage_error("unknown command '%s'", argv[1]);
	xmlCleanupParser();
	if (fflush(stdout) != 0 || ferror(stdout)) {
		btc_cli_error("cannot write the report to standard output");
		return BTC_EXIT_INPUT;
	}
	return rc;
}
