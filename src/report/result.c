#include "report/report.h"
#include "rules/prb.h"

void btc_result_counts(const btc_result *r, size_t *errors, size_t *warnings, size_t *notes)
{
	*errors = *warnings = *notes = 0;
	for (size_t i = 0; i < r->findings.count; i++) {
		if (btc_finding_hidden(&r->findings.items[i]))
			continue;
		switch (r->findings.items[i].severity) {
		case BTC_SEV_ERROR: (*errors)++; break;
		case BTC_SEV_WARNING: (*warnings)++; break;
		case BTC_SEV_NOTE: (*notes)++; break;
		case BTC_SEV_NONE: break;
		}
	}
}

size_t btc_result_exports(const btc_result *r)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n_inputs; i++) {
		if (r->inputs[i].kind == BTC_INPUT_EXPORT)
			n++;
	}
	return n;
}

void btc_result_tally(btc_result *r)
{
	r->suppressed = r->baselined = 0;
	for (size_t i = 0; i < r->findings.count; i++) {
		/* An inline suppression wins: it is the more specific reason. */
		if (r->findings.items[i].suppressed)
			r->suppressed++;
		else if (r->findings.items[i].baselined)
			r->baselined++;
	}
}

static const char *plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

int btc_report_summary_line(FILE *out, const btc_result *r)
{
	size_t errors, warnings, notes, failed = 0, exports = 0;

	btc_result_counts(r, &errors, &warnings, &notes);
	for (size_t i = 0; i < r->n_inputs; i++) {
		if (!r->inputs[i].ok)
			failed++;
		else if (r->inputs[i].kind == BTC_INPUT_EXPORT)
			exports++;
	}
	/* `btclint probe` checks no export: say what it did check. */
	if (r->probes != NULL && r->probes->standalone)
		fprintf(out, "%zu %s probed: ", r->probes->count, plural(r->probes->count, "endpoint", "endpoints"));
	else
		fprintf(out, "%zu %s checked: ", exports, plural(exports, "export", "exports"));
	fprintf(out, "%zu %s, %zu %s, %zu %s", errors,
	        plural(errors, "error", "errors"), warnings, plural(warnings, "warning", "warnings"), notes,
	        plural(notes, "note", "notes"));
	if (r->suppressed > 0)
		fprintf(out, ", %zu suppressed", r->suppressed);
	if (r->baselined > 0)
		fprintf(out, ", %zu baselined", r->baselined);
	if (failed > 0)
		fprintf(out, "; %zu %s could not be checked (see messages above)", failed,
		        plural(failed, "input", "inputs"));
	fputc('\n', out);
	return ferror(out) ? -1 : 0;
}

const char *btc_input_kind_name(btc_input_kind kind)
{
	switch (kind) {
	case BTC_INPUT_EXPORT: return "export";
	case BTC_INPUT_INVENTORY: return "inventory";
	case BTC_INPUT_BASELINE: return "baseline";
	}
	return "export";
}
