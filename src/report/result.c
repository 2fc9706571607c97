#include "report/report.h"

void btc_result_counts(const btc_result *r, size_t *errors, size_t *warnings, size_t *notes)
{
	*errors = *warnings = *notes = 0;
	for (size_t i = 0; i < r->findings.count; i++) {
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
