/* GitHub Actions workflow commands: each finding becomes an annotation on
 * the pull request ("::error file=...,line=...,title=RULE::message").
 *
 * Everything from an export is escaped the way the Actions toolkit does it
 * (@actions/core escapeData and escapeProperty): a value can never end the
 * command early or start a new one on a new line. Errors come first because
 * GitHub shows only the first annotations of a step. */
#include "report/report.h"
#include "util/path.h"

#include <stdlib.h>

static void escape(FILE *out, const char *s, bool property)
{
	for (; *s; s++) {
		switch (*s) {
		case '%': fputs("%25", out); break;
		case '\r': fputs("%0D", out); break;
		case '\n': fputs("%0A", out); break;
		case ':':
			if (property)
				fputs("%3A", out);
			else
				fputc(':', out);
			break;
		case ',':
			if (property)
				fputs("%2C", out);
			else
				fputc(',', out);
			break;
		default: fputc(*s, out); break;
		}
	}
}

/* "::command file=...,line=...,col=...,title=...::message". */
static int command(FILE *out, const char *cmd, const char *path, int line, int column, const char *title,
                   const char *message)
{
	char *portable = path ? btc_path_portable(path) : NULL;
	if (path != NULL && portable == NULL)
		return -1;
	const char *sep = " ";
	fprintf(out, "::%s", cmd);
	if (portable != NULL) {
		fprintf(out, "%sfile=", sep);
		escape(out, portable, true);
		sep = ",";
	}
	if (portable != NULL && line > 0) {
		fprintf(out, "%sline=%d", sep, line);
		if (column > 0)
			fprintf(out, ",col=%d", column);
	}
	if (title != NULL) {
		fprintf(out, "%stitle=", sep);
		escape(out, title, true);
	}
	fputs("::", out);
	escape(out, message, false);
	fputc('\n', out);
	free(portable);
	return 0;
}

static const char *command_of(btc_severity sev)
{
	switch (sev) {
	case BTC_SEV_ERROR: return "error";
	case BTC_SEV_WARNING: return "warning";
	default: return "notice";
	}
}

int btc_report_github(FILE *out, const btc_result *r)
{
	for (size_t i = 0; i < r->n_inputs; i++) {
		const btc_input *in = &r->inputs[i];
		if (!in->ok && command(out, "error", in->path, in->line, in->column, "btclint: input not checked",
		                       in->error ? in->error : "could not be read") < 0)
			return -1;
	}
	static const btc_severity order[] = {BTC_SEV_ERROR, BTC_SEV_WARNING, BTC_SEV_NOTE};
	for (size_t s = 0; s < sizeof(order) / sizeof(order[0]); s++) {
		for (size_t i = 0; i < r->findings.count; i++) {
			const btc_finding *f = &r->findings.items[i];
			if (f->severity != order[s] || btc_finding_hidden(f))
				continue;
			if (command(out, command_of(f->severity), f->path, f->line, 0, f->rule, f->message) < 0)
				return -1;
		}
	}
	/* A plain log line, starting with text of ours: never a command. */
	fputs("btclint: ", out);
	return btc_report_summary_line(out, r);
}
