/* What stands between the findings and the gate: baselines (design.md:
 * findings -> suppressions, baseline -> reports). Inline suppressions are
 * applied by the rules engine as each finding is made, while its export is
 * still in memory. */
#ifndef BTC_CLI_GATE_H
#define BTC_CLI_GATE_H

#include <stdbool.h>

#include "report/report.h"

typedef struct btc_cli_gate_options {
	const char *baseline;        /* --baseline FILE, or NULL */
	const char *write_baseline;  /* --write-baseline FILE, or NULL */
} btc_cli_gate_options;

/* Marks the findings of r hidden by the baseline, writes the new baseline, and tallies r->suppressed and
 * r->baselined. A baseline that cannot be read is an input of r that failed
 * (exit 3); one that cannot be written sets r->internal_error. Both are
 * reported on stderr. Returns 0, or -1 when out of memory. */
int btc_cli_gate(btc_result *r, const btc_cli_gate_options *g);

#endif
