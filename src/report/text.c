/* The report for people: compiler-style lines grouped by file, a summary. */
#include <string.h>

#include "report/report.h"

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

int btc_report_text(FILE *out, const btc_result *r, const btc_text_options *opts)
{
	bool color = opts && opts->color;
	const char *prev = NULL;
	int prev_farm = -1;

	for (size_t i = 0; i < r->findings.count; i++) {
		const btc_finding *f = &r->findings.items[i];
		if (btc_finding_hidden(f))
			continue;
		if (prev != NULL && strcmp(prev, f->path) != 0)
			fputc('\n', out);
		/* Several farms in one run: say which farm the findings below are of. */
		if (r->n_farms > 1 && (prev == NULL || prev_farm != f->farm))
			fprintf(out, "farm %s:\n", f->farm >= 0 && (size_t)f->farm < r->n_farms && r->farm_names[f->farm]
							   ? r->farm_names[f->farm]
							   : "of the exports on the command line");
		prev = f->path;
		prev_farm = f->farm;
		fprintf(out, "%s%s", color ? BOLD : "", f->path);
		if (f->line > 0)
			fprintf(out, ":%d", f->line);
		fprintf(out, ":%s %s%s%s %s: %s\n", color ? RESET : "", color ? color_of(f->severity) : "",
			btc_severity_name(f->severity), color ? RESET : "", f->rule, f->message);
	}

	if (prev != NULL)
		fputc('\n', out);
	skipped_line(out, r);
	if (btc_report_summary_line(out, r) < 0)
		return -1;
	return ferror(out) ? -1 : 0;
}
