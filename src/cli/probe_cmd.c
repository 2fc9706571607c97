/* The live SQL probe on the command line (cli/probe_cmd.h). */
#include "cli/probe_cmd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/output.h"
#include "export/server_name.h"
#include "probe/probe.h"
#include "report/report.h"
#include "util/arena.h"
#include "util/text.h"

#define PASSWORD_MAX 4096 /* a password file larger than this is not a password file */

#ifndef BTC_HAVE_PROBE
static int not_built(void)
{
	return btc_cli_usage_error("this btclint was built without the live SQL probe (FreeTDS); "
	                           "rebuild with -DBTC_PROBE=ON and the FreeTDS development files");
}
#endif

/* "1".."max" -> the number; anything else -> -1. */
static int parse_count(const char *s, int max)
{
	char *end = NULL;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < 1 || v > max)
		return -1;
	return (int)v;
}

int btc_cli_probe_option(btc_cli_probe *p, int code, const char *arg)
{
	/* Refused whatever the build: the reason is the same everywhere, and the
	 * value (the secret) is never echoed. */
	if (code == BTC_CLI_OPT_PASSWORD)
		return btc_cli_usage_error("there is no --password option: a password on the command line is visible "
		                           "to every user (ps, shell history); put it in %s or in a file given "
		                           "with --password-file FILE",
		                           BTC_SQL_PASSWORD_ENV);
	/* Also how many exports `check` reads at the same time: any build. */
	if (code == BTC_CLI_OPT_JOBS) {
		if ((p->jobs = parse_count(arg, 256)) < 0)
			return btc_cli_usage_error("--jobs: '%s' is not a number from 1 to 256", arg);
		return 0;
	}
#ifndef BTC_HAVE_PROBE
	(void)p;
	(void)arg;
	return not_built();
#else
	p->any = true;
	switch (code) {
	case BTC_CLI_OPT_PROBE: p->enabled = true; break;
	case BTC_CLI_OPT_USER:
		if (arg[0] == '\0')
			return btc_cli_usage_error("--user: the login name is empty");
		p->user = arg;
		break;
	case BTC_CLI_OPT_PASSWORD_FILE: p->password_file = arg; break;
	default: return btc_cli_usage_error("unknown probe option");
	}
	return 0;
#endif
}

static void wipe(char *s)
{
	if (s != NULL)
		explicit_bzero(s, strlen(s));
}

/* The first line of the file, without its line end. */
static int read_password_file(btc_cli_probe *p)
{
	FILE *f = fopen(p->password_file, "rb");
	char *buf = NULL;
	int rc = -1;

	if (f == NULL) {
		btc_cli_error("%s: error: cannot read the password file: %s", p->password_file, strerror(errno));
		return -1;
	}
	if ((buf = calloc(1, PASSWORD_MAX + 2)) == NULL) {
		btc_cli_error("out of memory");
		goto done;
	}
	size_t n = fread(buf, 1, PASSWORD_MAX + 1, f);
	if (ferror(f)) {
		btc_cli_error("%s: error: cannot read the password file: %s", p->password_file, strerror(errno));
		goto done;
	}
	if (n > PASSWORD_MAX) {
		btc_cli_error("%s: error: larger than %d bytes: not a password file", p->password_file, PASSWORD_MAX);
		goto done;
	}
	buf[strcspn(buf, "\r\n")] = '\0';
	p->password = buf;
	buf = NULL;
	rc = 0;
done:
	if (buf != NULL) {
		explicit_bzero(buf, PASSWORD_MAX + 2);
		free(buf);
	}
	fclose(f);
	return rc;
}

int btc_cli_probe_finish_options(btc_cli_probe *p, bool *disabled)
{
	if (!p->enabled) {
		if (p->user != NULL || p->password_file != NULL)
			return btc_cli_usage_error("--user and --password-file only go with --probe");
		/* Not run is not passed: JUnit writes no testcase for them. */
		for (size_t i = 0; disabled != NULL && i < btc_rule_count; i++) {
			if (btc_rule_needs_probe(&btc_rules[i]))
				disabled[i] = true;
		}
		return 0;
	}
	if (p->password_file != NULL && p->user == NULL)
		return btc_cli_usage_error("--password-file needs --user (without it, the login is integrated)");
	if (p->password_file != NULL)
		return read_password_file(p) < 0 ? BTC_EXIT_INPUT : 0;
	const char *env = getenv(BTC_SQL_PASSWORD_ENV);
	if (env != NULL && p->user != NULL && (p->password = strdup(env)) == NULL) {
		btc_cli_error("out of memory");
		return BTC_EXIT_INPUT;
	}
	return 0;
}

/* Probes every endpoint of p->set once and links the results to it. */
static int probe_set(btc_cli_probe *p, int timeout_s)
{
#ifndef BTC_HAVE_PROBE
	(void)p;
	(void)timeout_s;
	btc_cli_error("this btclint was built without the live SQL probe");
	p->failed = true;
	return 0;
#else
	struct btc_probe_target *targets = NULL;
	char err[256] = "";

	if (p->set.count > 0 && (targets = calloc(p->set.count, sizeof(*targets))) == NULL)
		return -1;
	for (size_t i = 0; i < p->set.count; i++) {
		const btc_prb_endpoint *ep = &p->set.items[i];
		targets[i] = (struct btc_probe_target){.name = ep->name,
		                                       .host = ep->host,
		                                       .instance = ep->instance,
		                                       .port = ep->port,
		                                       .databases = (const char *const *)ep->databases,
		                                       .n_databases = ep->n_databases,
		                                       .sso_databases = (const char *const *)ep->sso_databases,
		                                       .n_sso_databases = ep->n_sso_databases};
	}
	struct btc_probe_options opts = {
	    .timeout_s = timeout_s, .jobs = p->jobs, .user = p->user, .password = p->password};
	int rc = btc_probe_run(&p->results, targets, p->set.count, &opts, err, sizeof(err));
	free(targets);
	if (rc < 0) {
		btc_cli_error("the live SQL probe could not run: %s", err);
		p->failed = true;
		return 0;
	}
	p->n_results = p->set.count;
	for (size_t i = 0; i < p->set.count; i++)
		p->set.items[i].result = &p->results[i];
	return 0;
#endif
}

int btc_cli_probe_gather(btc_cli_probe *p, btc_cli_farms *farms, int timeout_s)
{
	if (!p->enabled)
		return 0;
	for (size_t k = 0; k < farms->n_farms; k++) {
		/* An invalid inventory's farm is not checked, nor probed. */
		if (farms->ok[k] && btc_prb_collect(&p->set, &farms->farms[k]) < 0)
			return -1;
	}
	if (probe_set(p, timeout_s) < 0)
		return -1;
	farms->probe = &p->set;
	return 0;
}

void btc_cli_probe_free(btc_cli_probe *p)
{
	if (p == NULL)
		return;
#ifdef BTC_HAVE_PROBE
	btc_probe_results_free(p->results, p->n_results);
#endif
	p->results = NULL;
	btc_prb_set_free(&p->set);
	wipe(p->password);
	free(p->password);
	p->password = NULL;
}

/* ---- btclint probe SERVER... ------------------------------------------------ */

enum { OPT_FORMAT = 256, OPT_OUTPUT, OPT_FAIL_ON, OPT_TIMEOUT, OPT_COLOR, OPT_HELP };

static const struct option probe_long_options[] = {
    {"format", required_argument, NULL, OPT_FORMAT},
    {"output", required_argument, NULL, OPT_OUTPUT},
    {"fail-on", required_argument, NULL, OPT_FAIL_ON},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"color", required_argument, NULL, OPT_COLOR},
    {"help", no_argument, NULL, OPT_HELP},
    BTC_CLI_PROBE_LONG_OPTIONS,
    {NULL, 0, NULL, 0},
};

typedef struct probe_cmd {
	btc_cli_report reports[16];
	size_t n_reports;
	btc_severity fail_on;
	int timeout_s;
	int color; /* -1 auto, 0 never, 1 always */
	btc_cli_probe probe;
} probe_cmd;

/* Returns 0, 1 when --help was shown, or an exit status. */
static int parse_probe_options(probe_cmd *c, int argc, char **argv)
{
	bool output_free = false;
	int opt;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", probe_long_options, NULL)) != -1) {
		switch (opt) {
		case OPT_FORMAT: {
			btc_cli_format f;
			if (btc_cli_format_parse(optarg, &f) < 0)
				return btc_cli_usage_error(
				    "--format: unknown format '%s' (text, json, sarif, junit, github or azure)",
				    optarg);
			if (c->n_reports == sizeof(c->reports) / sizeof(c->reports[0]))
				return btc_cli_usage_error("--format: at most %zu reports per run",
				                           sizeof(c->reports) / sizeof(c->reports[0]));
			c->reports[c->n_reports++] = (btc_cli_report){f, NULL};
			output_free = true;
			break;
		}
		case OPT_OUTPUT:
			if (!output_free)
				return btc_cli_usage_error("--output must follow a --format");
			c->reports[c->n_reports - 1].path = optarg;
			output_free = false;
			break;
		case OPT_FAIL_ON:
			if (strcmp(optarg, "never") == 0)
				c->fail_on = BTC_SEV_NONE;
			else if ((c->fail_on = btc_severity_parse(optarg)) == BTC_SEV_NONE)
				return btc_cli_usage_error("--fail-on: '%s' is not error, warning, note or never",
				                           optarg);
			break;
		case OPT_TIMEOUT:
			if ((c->timeout_s = parse_count(optarg, 3600)) < 0)
				return btc_cli_usage_error("--timeout: '%s' is not a number of seconds from 1 to 3600",
				                           optarg);
			break;
		case OPT_COLOR:
			if (strcmp(optarg, "auto") == 0)
				c->color = -1;
			else if (strcmp(optarg, "always") == 0)
				c->color = 1;
			else if (strcmp(optarg, "never") == 0)
				c->color = 0;
			else
				return btc_cli_usage_error("--color: '%s' is not auto, always or never", optarg);
			break;
		case OPT_HELP:
		case 'h': btc_cli_print_usage(stdout); return 1;
		case ':': return btc_cli_usage_error("option '%s' needs an argument", argv[optind - 1]);
		default:
			if (btc_cli_probe_is_option(opt)) {
				if (btc_cli_probe_option(&c->probe, opt, optarg) != 0)
					return BTC_EXIT_USAGE;
				break;
			}
			return btc_cli_unknown_option(argv[optind - 1]);
		}
	}
	return 0;
}

/* Adds SERVER (HOST[\INSTANCE][,PORT]) to the set; a usage error when it
 * names no host or a port that is not one. */
static int add_server(btc_prb_set *set, const char *arg)
{
	btc_arena arena = {0};
	btc_server_name name;
	size_t len = strlen(arg);
	const char *t = btc_trim(arg, &len);
	char *copy = strndup(t, len);
	int rc = BTC_EXIT_INPUT;

	if (copy == NULL || btc_server_name_parse(&name, copy, &arena) < 0) {
		btc_cli_error("out of memory");
		goto done;
	}
	int port = -1;
	if (name.port != NULL && (port = parse_count(name.port, 65535)) < 0) {
		rc = btc_cli_usage_error("probe: '%s': the port '%s' is not a number from 1 to 65535", copy, name.port);
		goto done;
	}
	if (name.host == NULL || name.host[0] == '\0') {
		rc = btc_cli_usage_error("probe: '%s' names no host (SERVER is HOST[\\INSTANCE][,PORT])", copy);
		goto done;
	}
	if (btc_prb_add(set, copy, name.host, name.instance, port, NULL) < 0) {
		btc_cli_error("out of memory");
		goto done;
	}
	rc = 0;
done:
	btc_arena_free(&arena);
	free(copy);
	return rc;
}

int btc_cli_probe_command(int argc, char **argv)
{
	probe_cmd c = {.fail_on = BTC_SEV_ERROR, .timeout_s = 5, .color = -1};
	btc_result r = {0};
	bool *not_run = NULL;
	int status = BTC_EXIT_INPUT;

	c.probe.enabled = true;
	int prc = parse_probe_options(&c, argc, argv);
	if (prc != 0) {
		status = prc == 1 ? BTC_EXIT_OK : prc;
		goto done;
	}
#ifndef BTC_HAVE_PROBE
	status = not_built();
	goto done;
#endif
	if (optind >= argc) {
		status = btc_cli_usage_error("probe: no SERVER given (HOST[\\INSTANCE][,PORT])");
		goto done;
	}
	if ((prc = btc_cli_probe_finish_options(&c.probe, NULL)) != 0) {
		status = prc;
		goto done;
	}
	for (int i = optind; i < argc; i++) {
		if ((prc = add_server(&c.probe.set, argv[i])) != 0) {
			status = prc;
			goto done;
		}
	}
	c.probe.set.standalone = true;
	if ((not_run = calloc(btc_rule_count, sizeof(*not_run))) == NULL || probe_set(&c.probe, c.timeout_s) < 0) {
		btc_cli_error("out of memory");
		goto done;
	}
	/* Only the PRB rules, over a farm without exports: findings have no
	 * file and no line. Probe rules that also need an inventory (SSO004)
	 * cannot judge anything here: not run, not passed. */
	for (size_t i = 0; i < btc_rule_count; i++)
		not_run[i] = !btc_rule_needs_probe(&btc_rules[i]) || btc_rule_needs_inventory(&btc_rules[i]);
	btc_farm farm = {0};
	btc_run_options ropts = {.disabled = not_run, .probe = &c.probe.set};
	btc_rules_run(&r.findings, &farm, 0, &ropts);
	btc_findings_sort(&r.findings);
	if (r.findings.oom) {
		btc_cli_error("internal error: out of memory while checking");
		r.internal_error = true;
	}
	r.not_run = not_run;
	r.probes = &c.probe.set;

	status = BTC_EXIT_OK;
	if (r.internal_error || c.probe.failed) {
		status = BTC_EXIT_INPUT;
	} else if (c.fail_on != BTC_SEV_NONE) {
		for (size_t i = 0; i < r.findings.count; i++) {
			if (r.findings.items[i].severity >= c.fail_on)
				status = BTC_EXIT_FINDINGS;
		}
	}
	if (c.n_reports == 0)
		c.reports[c.n_reports++] = (btc_cli_report){BTC_FORMAT_TEXT, NULL};
	for (size_t i = 0; i < c.n_reports; i++) {
		if (btc_cli_write_report(&c.reports[i], &r, c.color) < 0)
			status = BTC_EXIT_INPUT;
	}
done:
	btc_findings_free(&r.findings);
	btc_cli_probe_free(&c.probe);
	free(not_run);
	return status;
}
