/* The report for people: compiler-style lines grouped by file, a summary. */
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "rules/prb.h"

#define BOLD "\033[1m"
#define RED "\033[1;31m"
#define YELLOW "\033[1;33m"
#define CYAN "\033[1;36m"
#define RESET "\033[0m"

static const char *color_of(btc_severity sev)
{
	switch (sev) {
	case BTC_SEV_ERROR: return RED;
	case BTC_SEV_WARNING: return YELLOW;
	default: return CYAN;
	}
}

/* "not checked without --inventory: SQL003, ...; only partly: GRP002, ..."
 * so that a clean report of exports alone is not read as a clean farm. */
static void skipped_line(FILE *out, const btc_result *r)
{
	const char *sep = "";

	if (r->no_inventory == NULL)
		return;
	for (int pass = 0; pass < 2; pass++) {
		bool any = false;
		for (size_t i = 0; i < btc_rule_count; i++) {
			const btc_rule *rule = &btc_rules[i];
			if (!r->no_inventory[i] || btc_rule_partly_needs_inventory(rule) != (pass == 1))
				continue;
			if (!any)
				fprintf(out, "%s%s", sep, pass == 0 ? "not checked without --inventory: " : "only partly checked: ");
			fprintf(out, "%s%s", any ? ", " : "", rule->id);
			any = true;
			sep = "; ";
		}
	}
	if (sep[0] != '\0')
		fputc('\n', out);
}

/* A short block per farm with a directory: what each group turned out to
 * be, and which groups were not looked up, so that a clean report is not
 * read as "every group is global". */
static void directory_block(FILE *out, const btc_result *r)
{
	for (size_t k = 0; r->directories != NULL && k < r->n_farms; k++) {
		const btc_farm_directory *d = r->directories[k];
		if (d == NULL)
			continue;
		fprintf(out, "directory %s", d->uri ? d->uri : "?");
		if (r->n_farms > 1)
			fprintf(out, " (farm %s)", r->farm_names && r->farm_names[k] ? r->farm_names[k]
										    : "of the exports on the command line");
		if (d->error != NULL) {
			fprintf(out, ": could not be used (%s); GRP005 not checked\n", d->error);
			continue;
		}
		fprintf(out, ", base %s, %s%s:\n", d->base ? d->base : "?", d->bound_as ? "bound as " : "anonymous",
			d->bound_as ? d->bound_as : "");
		if (d->n_groups == 0)
			fputs("  no group accounts to look up\n", out);
		for (size_t i = 0; i < d->n_groups; i++) {
			const btc_farm_directory_group *g = &d->groups[i];
			if (g->checked)
				fprintf(out, "  %s: %s\n", g->account, g->verdict_name ? g->verdict_name : "?");
			else if (d->domain != NULL && g->not_checked != NULL && strcmp(g->not_checked, "another domain") == 0)
				fprintf(out, "  %s: not checked (another domain; the farm's domain is %s)\n", g->account,
					d->domain);
			else
				fprintf(out, "  %s: not checked (%s)\n", g->account, g->not_checked ? g->not_checked : "?");
		}
	}
}

/* ---- the live SQL probe: one row per endpoint ---------------------------- */

#define PROBE_COLUMNS 9

static const char *yes_no(int v)
{
	return v == BTC_PROBE_UNKNOWN ? "?" : v ? "yes" : "no";
}

/* The cells of one endpoint's row; "?" is a fact that is unknown. */
static void probe_row(char cells[PROBE_COLUMNS][128], const btc_prb_endpoint *ep)
{
	const struct btc_probe_result *res = ep->result;
	const struct btc_probe_facts *f = res ? &res->facts : NULL;
	bool props = f != NULL && f->properties_read;

	snprintf(cells[0], 128, "%s", ep->name);
	snprintf(cells[1], 128, "%s", res == NULL ? "not probed" : btc_prb_error_name(res->error));
	if (res != NULL)
		snprintf(cells[2], 128, "%ld ms", res->elapsed_ms);
	else
		snprintf(cells[2], 128, "-");
	snprintf(cells[3], 128, "%s", props ? yes_no(f->is_clustered) : "?");
	snprintf(cells[4], 128, "%s", props && f->machine_name ? f->machine_name : "?");
	snprintf(cells[5], 128, "%s", props && f->physical_node ? f->physical_node : "?");
	if (f == NULL || !f->nodes_read) {
		snprintf(cells[6], 128, "%s", f != NULL && f->nodes_denied ? "denied" : "?");
	} else if (f->n_nodes == 0) {
		snprintf(cells[6], 128, "-");
	} else {
		size_t used = 0;
		cells[6][0] = '\0';
		for (size_t i = 0; i < f->n_nodes && used < 120; i++) {
			const struct btc_probe_node *n = &f->nodes[i];
			int w = snprintf(cells[6] + used, 128 - used, "%s%s %s", i ? ", " : "", n->name ? n->name : "?",
					 n->status == 0 ? "up" : n->status_description ? n->status_description : "not up");
			used = w < 0 ? used : used + (size_t)w < 128 ? used + (size_t)w : 127;
		}
	}
	snprintf(cells[7], 128, "%s", !props ? "?" : f->instance_name ? f->instance_name : "(default)");
	if (!props || f->is_hadr == BTC_PROBE_UNKNOWN)
		snprintf(cells[8], 128, "?");
	else if (f->is_hadr == 0)
		snprintf(cells[8], 128, "-");
	else if (f->n_listeners > 0)
		snprintf(cells[8], 128, "%s%s", f->listeners[0], f->n_listeners > 1 ? ", ..." : "");
	else
		snprintf(cells[8], 128, "%s", f->listeners_denied ? "denied" : "none");
}

/* After the findings, before the summary: what each endpoint said. */
static int probes_table(FILE *out, const btc_result *r)
{
	static const char *const heads[PROBE_COLUMNS] = {"ENDPOINT", "RESULT", "TIME", "FCI", "MACHINE",
							 "ACTIVE NODE", "NODES", "INSTANCE", "AG LISTENER"};
	const btc_prb_set *set = r->probes;
	int width[PROBE_COLUMNS];

	if (set == NULL)
		return 0;
	fprintf(out, "SQL endpoints probed: %zu\n", set->count);
	if (set->count == 0)
		return 0;
	char (*rows)[PROBE_COLUMNS][128] = calloc(set->count, sizeof(*rows));
	if (rows == NULL)
		return -1;
	for (int c = 0; c < PROBE_COLUMNS; c++)
		width[c] = (int)strlen(heads[c]);
	for (size_t i = 0; i < set->count; i++) {
		probe_row(rows[i], &set->items[i]);
		for (int c = 0; c < PROBE_COLUMNS; c++) {
			int w = (int)strlen(rows[i][c]);
			width[c] = w > width[c] ? w : width[c];
		}
	}
	fputs(" ", out);
	for (int c = 0; c < PROBE_COLUMNS; c++)
		fprintf(out, " %-*s", c == PROBE_COLUMNS - 1 ? 0 : width[c], heads[c]);
	fputc('\n', out);
	for (size_t i = 0; i < set->count; i++) {
		fputs(" ", out);
		for (int c = 0; c < PROBE_COLUMNS; c++)
			fprintf(out, " %-*s", c == PROBE_COLUMNS - 1 ? 0 : width[c], rows[i][c]);
		fputc('\n', out);
		/* Why it failed, in the probe's words (never the password). */
		const struct btc_probe_result *res = set->items[i].result;
		if (res != NULL && res->error != BTC_PROBE_OK && res->message[0] != '\0')
			fprintf(out, "    %s\n", res->message);
	}
	fputc('\n', out);
	free(rows);
	return 0;
}

int btc_report_text(FILE *out, const btc_result *r, const btc_text_options *opts)
{
	bool color = opts && opts->color;
	const char *prev = NULL;
	int prev_farm = -1;

	for (size_t i = 0; i < r->findings.count; i++) {
		const btc_finding *f = &r->findings.items[i];
		if (btc_finding_hidden(f))
			continue;
		/* Findings of `btclint probe` have no file: they are about the
		 * server string, which their message names. */
		const char *path = f->path ? f->path : "";
		if (prev != NULL && strcmp(prev, path) != 0)
			fputc('\n', out);
		/* Several farms in one run: say which farm the findings below are of. */
		if (r->n_farms > 1 && (prev == NULL || prev_farm != f->farm))
			fprintf(out, "farm %s:\n", f->farm >= 0 && (size_t)f->farm < r->n_farms && r->farm_names[f->farm]
							   ? r->farm_names[f->farm]
							   : "of the exports on the command line");
		prev = path;
		prev_farm = f->farm;
		if (f->path != NULL) {
			fprintf(out, "%s%s", color ? BOLD : "", f->path);
			if (f->line > 0)
				fprintf(out, ":%d", f->line);
			fprintf(out, ":%s ", color ? RESET : "");
		}
		fprintf(out, "%s%s%s %s: %s\n", color ? color_of(f->severity) : "", btc_severity_name(f->severity),
			color ? RESET : "", f->rule, f->message);
	}

	if (prev != NULL)
		fputc('\n', out);
	skipped_line(out, r);
	directory_block(out, r);
	if (probes_table(out, r) < 0)
		return -1;
	if (btc_report_summary_line(out, r) < 0)
		return -1;
	return ferror(out) ? -1 : 0;
}
