#include "cli/farms.h"

#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "export/parse.h"
#include "util/text.h"

/* A new zeroed input at the end of r->inputs, or NULL when out of memory.
 * The array may move: callers keep no pointer across calls. */
static btc_input *add_input(btc_result *r, size_t *cap)
{
	if (r->n_inputs == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		btc_input *n = realloc(r->inputs, ncap * sizeof(*n));
		if (n == NULL)
			return NULL;
		r->inputs = n;
		*cap = ncap;
	}
	btc_input *in = &r->inputs[r->n_inputs++];
	memset(in, 0, sizeof(*in));
	return in;
}

/* e has just joined farm k: its single-export rules run now, then what only
 * they read is freed (docs/performance.md). */
static void check_read(btc_cli_farms *f, size_t k, btc_result *r, btc_export *e)
{
	btc_run_options ropts = {.disabled = f->disabled};
	btc_rules_run_export(&r->findings, &f->farms[k], (int)k, &ropts, e);
	btc_export_drop_scratch(e);
}

/* Reads the inventory of farm k and its exports. */
static int load_inventory_farm(btc_cli_farms *f, size_t k, btc_result *r, size_t *cap, const char *path,
			       btc_cli_export_loader load, void *user)
{
	btc_error err = {0};
	btc_inventory *inv = NULL;
	btc_farm *farm = &f->farms[k];
	btc_input *in = add_input(r, cap);

	if (in == NULL)
		return -1;
	in->path = path;
	in->kind = BTC_INPUT_INVENTORY;
	in->farm = (int)k;
	if (btc_inventory_load(&inv, path, &err) < 0) {
		in->ok = false;
		in->line = err.line;
		in->error = err.line > 0 ? btc_strfmt("line %d: %s", err.line, err.message)
					 : btc_strfmt("%s", err.message);
		if (err.line > 0)
			btc_cli_error("%s:%d: error: %s", path, err.line, err.message);
		else
			btc_cli_error("%s: error: %s", path, err.message);
		f->names[k] = path;
		return 0; /* an input error, not a failure of the run */
	}
	in->ok = true;
	f->inventories[k] = inv;
	f->names[k] = inv->name ? inv->name : inv->path;
	if (btc_farm_from_inventory(farm, inv, &err) < 0)
		return -1;
	if (inv->n_servers > 0) {
		farm->exports = calloc(inv->n_servers, sizeof(*farm->exports));
		farm->servers = calloc(inv->n_servers, sizeof(*farm->servers));
		farm->decls = calloc(inv->n_servers, sizeof(*farm->decls));
		if (farm->exports == NULL || farm->servers == NULL || farm->decls == NULL)
			return -1;
	}
	for (size_t i = 0; i < inv->n_servers; i++) {
		const btc_farm_server *s = &inv->servers[i];
		if ((in = add_input(r, cap)) == NULL)
			return -1;
		in->path = s->export_path;
		in->kind = BTC_INPUT_EXPORT;
		in->server = s->name;
		in->farm = (int)k;
		btc_export *e = load(in, user);
		if (e == NULL)
			continue;
		farm->exports[farm->n_exports] = e;
		farm->servers[farm->n_exports] = s->name;
		farm->decls[farm->n_exports] = s;
		farm->n_exports++;
		check_read(f, k, r, e);
	}
	f->ok[k] = true;
	return 0;
}

int btc_cli_farms_load(btc_cli_farms *out, btc_result *r, char *const *inventories, size_t n_inventories,
		       char *const *exports, size_t n_exports, const bool *disabled, btc_cli_export_loader load,
		       void *user)
{
	size_t cap = r->n_inputs;
	size_t n = n_inventories + (n_exports > 0 ? 1 : 0);

	memset(out, 0, sizeof(*out));
	out->disabled = disabled;
	out->skipped = calloc(btc_rule_count, sizeof(*out->skipped));
	if (n > 0) {
		out->farms = calloc(n, sizeof(*out->farms));
		out->inventories = calloc(n, sizeof(*out->inventories));
		out->names = calloc(n, sizeof(*out->names));
		out->ok = calloc(n, sizeof(*out->ok));
	}
	if (out->skipped == NULL || (n > 0 && (out->farms == NULL || out->inventories == NULL ||
					       out->names == NULL || out->ok == NULL)))
		return -1;
	out->n_farms = n;
	for (size_t k = 0; k < n_inventories; k++) {
		if (load_inventory_farm(out, k, r, &cap, inventories[k], load, user) < 0)
			return -1;
	}
	if (n_exports == 0)
		return 0;
	/* EXPORT arguments: one more farm, in the command-line order. */
	size_t k = n_inventories;
	btc_farm *farm = &out->farms[k];
	farm->exports = calloc(n_exports, sizeof(*farm->exports));
	if (farm->exports == NULL)
		return -1;
	for (size_t i = 0; i < n_exports; i++) {
		btc_input *in = add_input(r, &cap);
		if (in == NULL)
			return -1;
		in->path = exports[i];
		in->kind = BTC_INPUT_EXPORT;
		in->farm = (int)k;
		btc_export *e = load(in, user);
		if (e == NULL)
			continue;
		farm->exports[farm->n_exports++] = e;
		check_read(out, k, r, e);
	}
	out->ok[k] = true;
	return 0;
}

void btc_cli_farms_run(btc_cli_farms *f, btc_result *r, const bool *disabled)
{
	btc_run_options ropts = {
		.disabled = disabled, .skipped_no_inventory = f->skipped, .probe = f->probe, .exports_checked = true};

	for (size_t k = 0; k < f->n_farms; k++) {
		/* An invalid inventory's farm is not checked (inventory.md). */
		if (f->ok[k])
			btc_rules_run(&r->findings, &f->farms[k], (int)k, &ropts);
	}
	r->farm_names = f->names;
	r->n_farms = f->n_farms;
	r->no_inventory = f->skipped;
}

void btc_cli_farms_free(btc_cli_farms *f)
{
	if (f == NULL)
		return;
	for (size_t k = 0; k < f->n_farms; k++) {
		btc_farm *farm = &f->farms[k];
		for (size_t i = 0; i < farm->n_exports; i++)
			btc_export_free(farm->exports[i]);
		free(farm->exports);
		free(farm->servers);
		free(farm->decls);
		btc_farm_release(farm);
		btc_inventory_free(f->inventories[k]);
	}
	free(f->farms);
	free(f->inventories);
	free(f->names);
	free(f->ok);
	free(f->skipped);
	memset(f, 0, sizeof(*f));
}
