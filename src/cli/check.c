/* btclint check: read every input, run the rules, write the reports. */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/directory_opts.h"
#include "cli/farms.h"
#include "cli/gate.h"
#include "cli/output.h"
#include "cli/probe_cmd.h"
#include "cli/progress.h"
#include "cli/reader.h"
#include "export/parse.h"
#include "report/report.h"
#include "util/text.h"



typedef struct check_options {
	btc_cli_report *targets;
	size_t n_targets;
	btc_severity fail_on; /* BTC_SEV_NONE = never */
	bool *disabled;       /* per rule */
	btc_parse_limits limits;
	int color;            /* -1 auto, 0 never, 1 always */
	char **inventories;   /* --inventory FILE, each its own farm; borrowed from argv */
	size_t n_inventories;
	btc_cli_gate_options gate; /* baselines */
	bool no_inline_suppressions; /* an audit sees everything */
	int timeout_s;             /* --timeout: each network step, shared by the SQL and directory probes */
	btc_cli_directory directory; /* --ldap and friends (cli/directory_opts.c) */
	btc_cli_probe probe;         /* --probe and friends (cli/probe_cmd.c) */
} check_options;

/* "16M", "500K", "1048576". */
static int parse_size(const char *s, size_t *out)
{
	char *end = NULL;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno != 0 || end == s || *s == '-')
		return -1;
	unsigned long long mult = 1;
	if (*end == 'K' || *end == 'k')
		mult = 1024ULL;
	else if (*end == 'M' || *end == 'm')
		mult = 1024ULL * 1024;
	else if (*end == 'G' || *end == 'g')
		mult = 1024ULL * 1024 * 1024;
	else if (*end != '\0')
		return -1;
	if (mult != 1 && end[1] != '\0')
		return -1;
	if (v == 0 || v > SIZE_MAX / mult)
		return -1;
	*out = (size_t)(v * mult);
	return 0;
}

static int disable_rules(check_options *o, const char *list)
{
	char *copy = strdup(list);
	if (copy == NULL)
		return -1;
	int rc = 0;
	char *save = NULL;
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		size_t n = strlen(tok);
		const char *t = btc_trim(tok, &n);
		tok[t - tok + n] = '\0';
		const btc_rule *r = btc_rule_find(t);
		if (r == NULL) {
			btc_cli_usage_error("--disable: unknown rule '%s' (see 'btclint rules')", t);
			rc = -1;
			break;
		}
		o->disabled[r - btc_rules] = true;
	}
	free(copy);
	return rc;
}

static int add_target(check_options *o, btc_cli_format f)
{
	btc_cli_report *n = realloc(o->targets, (o->n_targets + 1) * sizeof(*n));
	if (n == NULL)
		return -1;
	o->targets = n;
	o->targets[o->n_targets++] = (btc_cli_report){.format = f, .path = NULL};
	return 0;
}

enum {
	OPT_FORMAT = 256,
	OPT_OUTPUT,
	OPT_FAIL_ON,
	OPT_DISABLE,
	OPT_MAX_SIZE,
	OPT_COLOR,
	OPT_HELP,
	OPT_INVENTORY,
	OPT_BASELINE,
	OPT_WRITE_BASELINE,
	OPT_NO_INLINE_SUPPRESSIONS,
	OPT_TIMEOUT,
};

static const struct option long_options[] = {
	{"format", required_argument, NULL, OPT_FORMAT},
	{"output", required_argument, NULL, OPT_OUTPUT},
	{"fail-on", required_argument, NULL, OPT_FAIL_ON},
	{"disable", required_argument, NULL, OPT_DISABLE},
	{"max-size", required_argument, NULL, OPT_MAX_SIZE},
	{"color", required_argument, NULL, OPT_COLOR},
	{"help", no_argument, NULL, OPT_HELP},
	{"inventory", required_argument, NULL, OPT_INVENTORY},
	{"baseline", required_argument, NULL, OPT_BASELINE},
	{"write-baseline", required_argument, NULL, OPT_WRITE_BASELINE},
	{"no-inline-suppressions", no_argument, NULL, OPT_NO_INLINE_SUPPRESSIONS},
	{"timeout", required_argument, NULL, OPT_TIMEOUT},
	BTC_CLI_DIRECTORY_LONG_OPTIONS,
	BTC_CLI_PROBE_LONG_OPTIONS,
	{NULL, 0, NULL, 0},
};

/* Returns 0, 1 when --help was shown, or BTC_EXIT_USAGE. */
static int parse_options(check_options *o, int argc, char **argv)
{
	int c;
	bool output_free = false; /* the last --format has no --output yet */

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", long_options, NULL)) != -1) {
		switch (c) {
		case OPT_FORMAT: {
			btc_cli_format f;
			if (btc_cli_format_parse(optarg, &f) < 0)
				return btc_cli_usage_error(
					"--format: unknown format '%s' (text, json, sarif, junit, github or azure)", optarg);
			if (add_target(o, f) < 0)
				return btc_cli_usage_error("out of memory");
			output_free = true;
			break;
		}
		case OPT_OUTPUT:
			if (!output_free)
				return btc_cli_usage_error("--output must follow a --format");
			o->targets[o->n_targets - 1].path = optarg;
			output_free = false;
			break;
		case OPT_FAIL_ON:
			if (strcmp(optarg, "never") == 0)
				o->fail_on = BTC_SEV_NONE;
			else if ((o->fail_on = btc_severity_parse(optarg)) == BTC_SEV_NONE)
				return btc_cli_usage_error("--fail-on: '%s' is not error, warning, note or never",
							   optarg);
			break;
		case OPT_DISABLE:
			if (disable_rules(o, optarg) < 0)
				return BTC_EXIT_USAGE;
			break;
		case OPT_MAX_SIZE:
			if (parse_size(optarg, &o->limits.max_size) < 0)
				return btc_cli_usage_error("--max-size: '%s' is not a size (e.g. 16M)", optarg);
			break;
		case OPT_COLOR:
			if (strcmp(optarg, "auto") == 0)
				o->color = -1;
			else if (strcmp(optarg, "always") == 0)
				o->color = 1;
			else if (strcmp(optarg, "never") == 0)
				o->color = 0;
			else
				return btc_cli_usage_error("--color: '%s' is not auto, always or never", optarg);
			break;
		case OPT_INVENTORY: {
			char **n = realloc(o->inventories, (o->n_inventories + 1) * sizeof(*n));
			if (n == NULL)
				return btc_cli_usage_error("out of memory");
			o->inventories = n;
			o->inventories[o->n_inventories++] = optarg;
			break;
		}
		case OPT_BASELINE:
			o->gate.baseline = optarg;
			break;
		case OPT_WRITE_BASELINE:
			o->gate.write_baseline = optarg;
			break;
		case OPT_NO_INLINE_SUPPRESSIONS:
			o->no_inline_suppressions = true;
			break;
		case OPT_TIMEOUT: {
			char *end = NULL;
			errno = 0;
			long v = strtol(optarg, &end, 10);
			if (errno != 0 || end == optarg || *end != '\0' || v < 1 || v > 3600)
				return btc_cli_usage_error("--timeout: '%s' is not a number of seconds from 1 to 3600",
							   optarg);
			o->timeout_s = (int)v;
			break;
		}
		case OPT_HELP:
		case 'h':
			btc_cli_print_usage(stdout);
			return 1;
		case ':':
			return btc_cli_usage_error("option '%s' needs an argument", argv[optind - 1]);
		default:
			if (btc_cli_directory_is_option(c)) {
				if (btc_cli_directory_option(&o->directory, c, optarg) != 0)
					return BTC_EXIT_USAGE;
				break;
			}
			if (btc_cli_probe_is_option(c)) {
				if (btc_cli_probe_option(&o->probe, c, optarg) != 0)
					return BTC_EXIT_USAGE;
				break;
			}
			return btc_cli_unknown_option(argv[optind - 1]);
		}
	}
	return 0;
}

/* What load_export_cb needs: the limits, the progress line it advances, and
 * the threads reading ahead (--jobs). */
typedef struct load_ctx {
	const btc_parse_limits *limits;
	btc_progress progress;
	int jobs;
	btc_reader *reader; /* every export comes from it when it runs */
	bool tried;         /* to start it: once, or exports would be lost */
} load_ctx;

/* Reads one export, ahead on other threads or here; on failure reports it
 * on stderr and records why. */
static btc_export *load_export_cb(btc_input *in, void *user)
{
	load_ctx *c = user;
	btc_export *e = NULL;
	btc_error err = {0};

	btc_progress_step(&c->progress);
	int rc = c->reader ? btc_reader_next(c->reader, &e, &err) : btc_export_load(&e, in->path, c->limits, &err);
	if (rc == 0) {
		in->ok = true;
		return e;
	}
	in->ok = false;
	in->line = err.line;
	in->column = err.column;
	if (err.line > 0 && err.column > 0)
		in->error = btc_strfmt("line %d, column %d: %s", err.line, err.column, err.message);
	else if (err.line > 0)
		in->error = btc_strfmt("line %d: %s", err.line, err.message);
	else
		in->error = btc_strfmt("%s", err.message);
	if (err.line > 0 && err.column > 0)
		btc_cli_error("%s:%d:%d: error: %s", in->path, err.line, err.column, err.message);
	else if (err.line > 0)
		btc_cli_error("%s:%d: error: %s", in->path, err.line, err.message);
	else
		btc_cli_error("%s: error: %s", in->path, err.message);
	return NULL;
}

/* A farm's exports are to be read next, after those planned before: they
 * are read ahead on c->jobs threads, or here, one by one, when there is no
 * second thread (jobs 1, or none could be started). */
static int plan_exports_cb(const char *const *paths, size_t n, void *user)
{
	load_ctx *c = user;

	if (c->jobs < 2)
		return 0;
	if (!c->tried) {
		c->tried = true;
		c->reader = btc_reader_start(c->limits, c->jobs);
	}
	return c->reader == NULL ? 0 : btc_reader_add(c->reader, paths, n);
}

/* Exports read at the same time without --jobs: one per CPU, up to 8. */
static int default_jobs(void)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	return cpus < 1 ? 1 : cpus > 8 ? 8 : (int)cpus;
}

static int exit_status(const btc_result *r, btc_severity fail_on)
{
	if (r->internal_error)
		return BTC_EXIT_INPUT;
	for (size_t i = 0; i < r->n_inputs; i++) {
		if (!r->inputs[i].ok)
			return BTC_EXIT_INPUT;
	}
	if (fail_on == BTC_SEV_NONE)
		return BTC_EXIT_OK;
	for (size_t i = 0; i < r->findings.count; i++) {
		/* Suppressed and baselined findings do not fail the gate. */
		if (r->findings.items[i].severity >= fail_on && !btc_finding_hidden(&r->findings.items[i]))
			return BTC_EXIT_FINDINGS;
	}
	return BTC_EXIT_OK;
}

int btc_cli_check(int argc, char **argv)
{
	check_options o = {.fail_on = BTC_SEV_ERROR, .color = -1, .timeout_s = 5};
	btc_result r = {0};
	btc_cli_farms farms = {0};
	int status = BTC_EXIT_INPUT;

	o.disabled = calloc(btc_rule_count, sizeof(*o.disabled));
	if (o.disabled == NULL) {
		btc_cli_error("out of memory");
		return BTC_EXIT_INPUT;
	}
	int prc = parse_options(&o, argc, argv);
	if (prc != 0) {
		status = prc == 1 ? BTC_EXIT_OK : prc;
		goto done;
	}
	if ((prc = btc_cli_directory_finish_options(&o.directory, o.n_inventories > 0)) != 0) {
		status = prc;
		goto done;
	}
	if ((prc = btc_cli_probe_finish_options(&o.probe, o.disabled)) != 0) {
		status = prc;
		goto done;
	}
	if (optind >= argc && o.n_inventories == 0) {
		status = btc_cli_usage_error("check: no export given (and no --inventory)");
		goto done;
	}
	if (o.n_targets == 0 && add_target(&o, BTC_FORMAT_TEXT) < 0) {
		btc_cli_error("out of memory");
		goto done;
	}

	/* Each --inventory is one farm; EXPORT arguments form one more. */
	load_ctx lc = {.limits = &o.limits, .jobs = o.probe.jobs > 0 ? o.probe.jobs : default_jobs()};
	btc_progress_begin(&lc.progress, stderr, (size_t)(argc - optind));
	btc_cli_load_options lopts = {
		.disabled = o.disabled,
		.keep_exports = o.probe.enabled || o.directory.uri != NULL,
		.inline_suppressions = !o.no_inline_suppressions,
	};
	int lrc = btc_cli_farms_load(&farms, &r, o.inventories, o.n_inventories, argv + optind,
				     (size_t)(argc - optind), &lopts, load_export_cb, plan_exports_cb, &lc);
	btc_reader_stop(lc.reader);
	btc_progress_end(&lc.progress);
	if (lrc < 0) {
		btc_cli_error("out of memory");
		goto done;
	}
	/* The directory is read once per farm, before the rules (GRP005). */
	if (btc_cli_directory_gather(&o.directory, &farms, o.timeout_s, o.disabled) < 0) {
		btc_cli_error("out of memory");
		goto done;
	}
	r.directories = o.directory.by_farm;
	/* Every distinct SQL endpoint once, in parallel, before the rules. */
	if (btc_cli_probe_gather(&o.probe, &farms, o.timeout_s) < 0) {
		btc_cli_error("out of memory");
		goto done;
	}
	if (o.probe.enabled)
		r.probes = &o.probe.set;
	btc_cli_farms_run(&farms, &r);
	btc_findings_sort(&r.findings);
	if (r.findings.oom || btc_cli_gate(&r, &o.gate) < 0) {
		btc_cli_error("internal error: out of memory while checking");
		r.internal_error = true;
	}
	r.not_run = o.disabled;

	status = exit_status(&r, o.fail_on);
	if (o.directory.failed)
		status = BTC_EXIT_INPUT; /* a directory that cannot be used is an input error */
	if (o.probe.failed)
		status = BTC_EXIT_INPUT; /* the probe could not run at all */
	for (size_t i = 0; i < o.n_targets; i++) {
		if (btc_cli_write_report(&o.targets[i], &r, o.color) < 0)
			status = BTC_EXIT_INPUT;
	}
done:
	for (size_t i = 0; i < r.n_inputs; i++)
		free(r.inputs[i].error);
	free(r.inputs);
	btc_findings_free(&r.findings);
	btc_cli_farms_free(&farms);
	btc_cli_directory_free(&o.directory);
	btc_cli_probe_free(&o.probe);
	free(o.inventories);
	free(o.targets);
	free(o.disabled);
	return status;
}
