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

static const char *plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

int btc_report_text(FILE *out, const btc_result *r, const btc_text_options *opts)
{
	bool color = opts && opts->color;
	const char *prev = NULL;

	for (size_t i = 0; i < r->findings.count; i++) {
		const btc_finding *f = &r->findings.items[i];
		if (prev != NULL && strcmp(prev, f->path) != 0)
			fputc('\n', out);
		prev = f->path;
		fprintf(out, "%s%s", color ? BOLD : "", f->path);
		if (f->line > 0)
			fprintf(out, ":%d", f->line);
		fprintf(out, ":%s %s%s%s %s: %s\n", color ? RESET : "", color ? color_of(f->severity) : "",
			btc_severity_name(f->severity), color ? RESET : "", f->rule, f->message);
	}

	size_t errors, warnings, notes, failed = 0;
	btc_result_counts(r, &errors, &warnings, &notes);
	for (size_t i = 0; i < r->n_inputs; i++) {
		if (!r->inputs[i].ok)
			failed++;
	}
	size_t exports = btc_result_exports(r);
	for (size_t i = 0; i < r->n_inputs; i++) {
		if (!r->inputs[i].ok && r->inputs[i].kind == BTC_INPUT_EXPORT)
			exports--;
	}
	if (r->findings.count > 0)
		fputc('\n', out);
	fprintf(out, "%zu %s checked: %zu %s, %zu %s, %zu %s", exports, plural(exports, "export", "exports"),
		errors, plural(errors, "error", "errors"), warnings, plural(warnings, "warning", "warnings"), notes,
		plural(notes, "note", "notes"));
	if (r->suppressed > 0)
		fprintf(out, ", %zu suppressed", r->suppressed);
	if (failed > 0)
		fprintf(out, "; %zu %s could not be checked (see messages above)", failed,
			plural(failed, "input", "inputs"));
	fputc('\n', out);
	return ferror(out) ? -1 : 0;
}
