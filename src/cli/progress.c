#include "cli/progress.h"

#include <unistd.h>

void btc_progress_begin(btc_progress *p, FILE *out, size_t total)
{
	*p = (btc_progress){.shown = -1};
	if (out != NULL && total > BTC_PROGRESS_MIN_FILES && isatty(fileno(out)))
		p->out = out;
	p->total = total;
}

void btc_progress_step(btc_progress *p)
{
	if (p->out == NULL)
		return;
	p->done++;
	/* Exports named by an inventory come on top of the command line's. */
	size_t total = p->done > p->total ? p->done : p->total;
	int pct = (int)(p->done * 100 / total);
	/* At most ~100 writes whatever the number of files: a terminal that
	 * redraws on every file would cost more than the parsing. */
	if (pct == p->shown)
		return;
	p->shown = pct;
	/* The cursor goes back to column 0, so that an error message about a
	 * file overwrites the line instead of being appended to it. */
	int n = fprintf(p->out, "btclint: reading exports %zu/%zu (%d%%)\r", p->done, total, pct);
	if (n > p->width)
		p->width = n;
	fflush(p->out);
}

void btc_progress_end(btc_progress *p)
{
	if (p->out == NULL || p->shown < 0)
		return;
	fprintf(p->out, "%*s\r", p->width, "");
	fflush(p->out);
	p->out = NULL;
}
