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

/* Whether farm k keeps its exports until the end of the run: the probes and
 * the directory need them. Otherwise each export is freed as soon as it is
 * fed to the rules, and the farm is finished as soon as it is read. */
static bool keeps_exports(const btc_cli_farms *f, size_t k, const btc_cli_load_options *opts)
{
	const btc_inventory *inv = f->inventories[k];
	return opts->keep_exports || (inv != NULL && inv->directory.present);
}

/* Starts farm k's run, its exports to come (farm->exports must hold n when
 * they are kept). Returns 0, or -1 when out of memory. */
static int begin_farm(btc_cli_farms *f, size_t k, btc_result *r, const btc_cli_load_options *opts, size_t n)
{
	btc_farm *farm = &f->farms[k];
	btc_run_options ropts = {.disabled = opts->disabled,
				 .skipped_no_inventory = f->skipped,
				 .no_inline_suppressions = !opts->inline_suppressions};

	f->kept[k] = keeps_exports(f, k, opts);
	if (f->kept[k] && n > 0) {
		farm->exports = calloc(n, sizeof(*farm->exports));
		farm->servers = calloc(n, sizeof(*farm->servers));
		farm->decls = calloc(n, sizeof(*farm->decls));
		if (farm->exports == NULL || farm->servers == NULL || farm->decls == NULL)
			return -1;
	}
	f->runs[k] = btc_farm_run_begin(&r->findings, farm, (int)k, &ropts);
	return f->runs[k] == NULL ? -1 : 0;
}

/* e, just read, is farm k's next export: the rules see it now; then it is
 * freed, or replaced by its compact copy when the farm keeps its exports.
 * path (where its findings point) outlives the farm. */
static void feed(btc_cli_farms *f, size_t k, btc_export *e, const char *path, const btc_farm_server *decl)
{
	btc_farm *farm = &f->farms[k];

	btc_farm_run_feed(f->runs[k], e, path, decl ? decl->name : NULL, decl);
	if (!f->kept[k]) {
		btc_export_free(e);
		return;
	}
	btc_export_drop_scratch(e);
	btc_export *c = btc_export_compact(e);
	if (c != NULL) { /* else out of memory: keep the full export */
		btc_export_free(e);
		e = c;
	}
	farm->servers[farm->n_exports] = decl ? decl->name : NULL;
	farm->decls[farm->n_exports] = decl;
	farm->exports[farm->n_exports++] = e;
}

/* A copy of s that lives as long as f, or s itself when out of memory
 * (then the inventory is kept: see drop_inventory). */
static const char *keep(btc_cli_farms *f, const char *s, bool *ok)
{
	if (s == NULL)
		return NULL;
	char *copy = btc_arena_strdup(&f->strings, s);
	if (copy == NULL)
		*ok = false;
	return copy ? copy : s;
}

/* The inventory of a finished farm: what reports read of it is copied, the
 * rest freed, so that an estate audit holds no farm it has finished. */
static void drop_inventory(btc_cli_farms *f, size_t k, btc_result *r, size_t first_input, size_t first_finding)
{
	btc_inventory *inv = f->inventories[k];
	bool ok = true;
	const char *inventory_path = f->farms[k].inventory_path;
	const char *kept_path = keep(f, inventory_path, &ok);

	if (inv == NULL)
		return;
	f->names[k] = keep(f, f->names[k], &ok);
	for (size_t i = first_input; i < r->n_inputs; i++) {
		r->inputs[i].path = keep(f, r->inputs[i].path, &ok);
		r->inputs[i].server = keep(f, r->inputs[i].server, &ok);
	}
	/* Findings come export by export: one copy per run of findings about
	 * the same file, not one per finding. */
	const char *last = NULL, *last_kept = NULL;
	for (size_t i = first_finding; i < r->findings.count; i++) {
		btc_finding *x = &r->findings.items[i];
		if (x->farm != (int)k)
			continue;
		if (x->path == inventory_path) {
			x->path = kept_path;
		} else if (x->path != NULL) {
			if (x->path != last) {
				last = x->path;
				last_kept = keep(f, x->path, &ok);
			}
			x->path = last_kept;
		}
	}
	if (!ok)
		return; /* out of memory: keep the inventory, which still backs the rest */
	f->farms[k].inventory_path = kept_path;
	btc_inventory_free(inv);
	f->inventories[k] = NULL;
}

/* The rules that need farm k complete. Kept exports stay until the reports
 * are written: findings and the directory's facts borrow their strings. */
static void end_farm(btc_cli_farms *f, size_t k)
{
	btc_farm_run_end(f->runs[k], f->probe);
	f->runs[k] = NULL;
	if (!f->kept[k])
		btc_farm_release(&f->farms[k]); /* its name index: no rule runs on it any more */
}

/* An inventory read one farm ahead: its exports are planned (read ahead
 * with --jobs) while the farm before it is still being checked. */
typedef struct opened {
	btc_inventory *inv; /* NULL when it could not be read: err says why */
	btc_error err;
} opened;

static int open_inventory(opened *o, const char *path, btc_cli_export_plan plan, void *user)
{
	memset(o, 0, sizeof(*o));
	if (btc_inventory_load(&o->inv, path, &o->err) < 0) {
		o->inv = NULL;
		return 0; /* reported in its turn */
	}
	if (plan == NULL || o->inv->n_servers == 0)
		return 0;
	const char **paths = malloc(o->inv->n_servers * sizeof(*paths));
	if (paths == NULL)
		return -1;
	for (size_t i = 0; i < o->inv->n_servers; i++)
		paths[i] = o->inv->servers[i].export_path;
	int rc = plan(paths, o->inv->n_servers, user);
	free(paths);
	return rc;
}

/* The EXPORT arguments' farm, planned like an inventory's. */
static int plan_arguments(char *const *exports, size_t n, btc_cli_export_plan plan, void *user)
{
	return n > 0 && plan != NULL ? plan((const char *const *)exports, n, user) : 0;
}

/* Checks farm k: its inventory, opened ahead (f owns it from here), and its
 * exports. */
static int load_inventory_farm(btc_cli_farms *f, size_t k, btc_result *r, size_t *cap, const char *path,
			       const opened *o, const btc_cli_load_options *opts, btc_cli_export_loader load,
			       void *user)
{
	size_t first_finding = r->findings.count;
	size_t first_input = r->n_inputs;
	btc_error err = {0};
	btc_inventory *inv = o->inv;
	btc_farm *farm = &f->farms[k];
	btc_input *in = add_input(r, cap);

	f->inventories[k] = inv;
	if (in == NULL)
		return -1;
	in->path = path;
	in->kind = BTC_INPUT_INVENTORY;
	in->farm = (int)k;
	if (inv == NULL) {
		in->ok = false;
		in->line = o->err.line;
		in->error = o->err.line > 0 ? btc_strfmt("line %d: %s", o->err.line, o->err.message)
					    : btc_strfmt("%s", o->err.message);
		if (o->err.line > 0)
			btc_cli_error("%s:%d: error: %s", path, o->err.line, o->err.message);
		else
			btc_cli_error("%s: error: %s", path, o->err.message);
		f->names[k] = path;
		return 0; /* an input error, not a failure of the run */
	}
	in->ok = true;
	f->names[k] = inv->name ? inv->name : inv->path;
	if (btc_farm_from_inventory(farm, inv, &err) < 0 || begin_farm(f, k, r, opts, inv->n_servers) < 0)
		return -1;
	for (size_t i = 0; i < inv->n_servers; i++) {
		const btc_farm_server *s = &inv->servers[i];
		if ((in = add_input(r, cap)) == NULL)
			return -1;
		in->path = s->export_path;
		in->kind = BTC_INPUT_EXPORT;
		in->server = s->name;
		in->farm = (int)k;
		btc_export *e = load(in, user);
		if (e != NULL)
			feed(f, k, e, s->export_path, s);
	}
	f->ok[k] = true;
	if (!f->kept[k]) {
		end_farm(f, k);
		drop_inventory(f, k, r, first_input, first_finding);
	}
	return 0;
}

int btc_cli_farms_load(btc_cli_farms *out, btc_result *r, char *const *inventories, size_t n_inventories,
		       char *const *exports, size_t n_exports, const btc_cli_load_options *opts,
		       btc_cli_export_loader load, btc_cli_export_plan plan, void *user)
{
	size_t cap = r->n_inputs;
	size_t n = n_inventories + (n_exports > 0 ? 1 : 0);

	memset(out, 0, sizeof(*out));
	out->skipped = calloc(btc_rule_count, sizeof(*out->skipped));
	if (n > 0) {
		out->farms = calloc(n, sizeof(*out->farms));
		out->inventories = calloc(n, sizeof(*out->inventories));
		out->names = calloc(n, sizeof(*out->names));
		out->ok = calloc(n, sizeof(*out->ok));
		out->kept = calloc(n, sizeof(*out->kept));
		out->runs = calloc(n, sizeof(*out->runs));
	}
	if (out->skipped == NULL || (n > 0 && (out->farms == NULL || out->inventories == NULL || out->names == NULL ||
					       out->ok == NULL || out->kept == NULL || out->runs == NULL)))
		return -1;
	out->n_farms = n;
	/* Each farm's exports are planned one farm ahead, so that reading ahead
	 * (--jobs) goes on across farms: an estate of small farms gains too. */
	opened cur = {0}, next = {0};
	if (n_inventories > 0 && open_inventory(&cur, inventories[0], plan, user) < 0)
		goto failed;
	/* The command-line exports come after the last inventory's. */
	if (n_inventories == 0 && plan_arguments(exports, n_exports, plan, user) < 0)
		return -1;
	for (size_t k = 0; k < n_inventories; k++) {
		if (k + 1 < n_inventories ? open_inventory(&next, inventories[k + 1], plan, user) < 0
					  : plan_arguments(exports, n_exports, plan, user) < 0)
			goto failed;
		int rc = load_inventory_farm(out, k, r, &cap, inventories[k], &cur, opts, load, user);
		cur = next; /* farm k's inventory is out's now */
		next = (opened){0};
		if (rc < 0)
			goto failed;
	}
	if (n_exports == 0)
		return 0;
	/* EXPORT arguments: one more farm, in the command-line order. */
	size_t k = n_inventories;
	if (begin_farm(out, k, r, opts, n_exports) < 0)
		return -1;
	for (size_t i = 0; i < n_exports; i++) {
		btc_input *in = add_input(r, &cap);
		if (in == NULL)
			return -1;
		in->path = exports[i];
		in->kind = BTC_INPUT_EXPORT;
		in->farm = (int)k;
		btc_export *e = load(in, user);
		if (e != NULL)
			feed(out, k, e, exports[i], NULL);
	}
	out->ok[k] = true;
	if (!out->kept[k])
		end_farm(out, k);
	return 0;
failed:
	btc_inventory_free(cur.inv);
	btc_inventory_free(next.inv);
	return -1;
}

void btc_cli_farms_run(btc_cli_farms *f, btc_result *r)
{
	for (size_t k = 0; k < f->n_farms; k++) {
		/* An invalid inventory's farm is not checked (inventory.md). */
		if (f->runs[k] != NULL)
			end_farm(f, k);
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
		btc_farm_run_free(f->runs[k]); /* not ended: the run stopped early */
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
	free(f->kept);
	free(f->runs);
	btc_arena_free(&f->strings);
	free(f->skipped);
	memset(f, 0, sizeof(*f));
}
