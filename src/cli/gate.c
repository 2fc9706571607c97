#include "cli/gate.h"

#include <stdlib.h>

#include "cli/cli.h"
#include "rules/baseline.h"
#include "util/error.h"
#include "util/text.h"

/* The baseline is an input like the exports: listed in reports, and an
 * input error when it cannot be used. */
static btc_input *add_input(btc_result *r, const char *path)
{
	btc_input *n = realloc(r->inputs, (r->n_inputs + 1) * sizeof(*n));
	if (n == NULL)
		return NULL;
	r->inputs = n;
	btc_input *in = &r->inputs[r->n_inputs++];
	*in = (btc_input){.path = path, .kind = BTC_INPUT_BASELINE, .ok = true, .farm = -1};
	return in;
}

static int use_baseline(btc_result *r, const char *path)
{
	btc_baseline *b = NULL;
	btc_error err = {0};
	btc_input *in = add_input(r, path);
	if (in == NULL)
		return -1;
	if (btc_baseline_load(&b, path, &err) < 0) {
		in->ok = false;
		in->line = err.line;
		in->column = err.column;
		in->error = btc_strfmt("%s", err.message);
		if (in->error == NULL)
			return -1;
		if (err.line > 0)
			btc_cli_error("%s:%d: error: %s", path, err.line, err.message);
		else
			btc_cli_error("%s: error: %s", path, err.message);
		return 0;
	}
	long marked = btc_baseline_apply(b, &r->findings);
	btc_baseline_free(b);
	return marked < 0 ? -1 : 0;
}

int btc_cli_gate(btc_result *r, const btc_cli_gate_options *g)
{
	if (g->baseline != NULL && use_baseline(r, g->baseline) < 0)
		return -1;
	if (g->write_baseline != NULL) {
		btc_error err = {0};
		if (btc_baseline_write(g->write_baseline, &r->findings, &err) < 0) {
			btc_cli_error("%s: error: %s", g->write_baseline, err.message);
			r->internal_error = true;
		} else {
			/* This run is measured against the baseline it just wrote, as
			 * the next run will be: adopting btclint passes the gate. */
			for (size_t i = 0; i < r->findings.count; i++) {
				if (!r->findings.items[i].suppressed)
					r->findings.items[i].baselined = true;
			}
		}
	}
	btc_result_tally(r);
	return 0;
}
