/* The farms of one `check` run: one per --inventory, plus one for EXPORT
 * arguments. Kept out of check.c so that input loading reads in one place. */
#ifndef BTC_CLI_FARMS_H
#define BTC_CLI_FARMS_H

#include <stdbool.h>
#include <stddef.h>

#include "farm/inventory.h"
#include "report/report.h"

/* Reads one export into in (path set); on failure reports it on stderr,
 * fills in->error and returns NULL. */
typedef btc_export *(*btc_cli_export_loader)(btc_input *in, void *user);
/* Told the paths of a farm's exports (which outlive the farm) before the
 * loader is asked for them, in that order, so that it can read ahead on
 * other threads (cli/reader.h). Returns 0, or -1 when out of memory. */
typedef int (*btc_cli_export_plan)(const char *const *paths, size_t n, void *user);

typedef struct btc_cli_farms {
	btc_farm *farms;
	size_t n_farms;
	btc_inventory **inventories; /* per farm; NULL for the command-line farm or a bad inventory */
	const char **names;          /* per farm, for reports: the inventory's name or path; NULL */
	bool *ok;                    /* per farm: false when its inventory was invalid (not checked) */
	bool *skipped;               /* per rule: skipped in a farm without an inventory */
	/* The live SQL probe's endpoints and facts (cli/probe_cmd.c), or NULL:
	 * then the PRB rules do not run. Borrowed. */
	const struct btc_prb_set *probe;
	bool *kept;           /* per farm: its exports are kept until the probes ran */
	struct btc_farm_run **runs; /* per farm: its rules' run, until it is ended */
	/* Names and paths that reports need after a farm's inventory is freed. */
	btc_arena strings;
} btc_cli_farms;

typedef struct btc_cli_load_options {
	const bool *disabled; /* per rule, from --disable */
	/* --probe or --ldap: the probe and directory rules need every farm's
	 * exports (compact copies), so they run once all farms are read.
	 * Otherwise a farm without a [directory] is finished as soon as it is
	 * read, each export freed once fed to the rules, so that memory grows
	 * neither with a farm's exports nor with the number of farms. */
	bool keep_exports;
	bool inline_suppressions; /* apply the exports' btclint-disable comments */
} btc_cli_load_options;

/* Loads every inventory and export into out, appending one btc_input per
 * file read to r->inputs (which it grows) and findings to r->findings (r
 * must not move until btc_cli_farms_run). Each export is fed to its farm's
 * rules (all but --disable'd ones) as soon as it is read, then freed, or
 * kept as a compact copy when the farm keeps its exports; a farm that does
 * not is finished as soon as it is read. A bad inventory is an input error:
 * reported on stderr, its farm left empty. Returns 0, or -1 when out of
 * memory. */
int btc_cli_farms_load(btc_cli_farms *out, btc_result *r, char *const *inventories, size_t n_inventories,
		       char *const *exports, size_t n_exports, const btc_cli_load_options *opts,
		       btc_cli_export_loader load, btc_cli_export_plan plan, void *user);
/* Ends the run of every farm not ended while reading (those that kept their
 * exports), with the probe's facts f->probe; sets r->farm_names and
 * r->no_inventory. */
void btc_cli_farms_run(btc_cli_farms *f, btc_result *r);
void btc_cli_farms_free(btc_cli_farms *f);

#endif
