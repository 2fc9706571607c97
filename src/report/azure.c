/* Azure Pipelines logging commands: each finding becomes an issue of the
 * build ("##vso[task.logissue type=error;sourcepath=...;linenumber=...;
 * code=RULE]message").
 *
 * Escaping follows azure-pipelines-task-lib (escapeData, escape): the
 * agent decodes %AZP25, %3B, %0D, %0A and %5D, so a value from an export
 * can neither end the property list nor start a command on a new line.
 * Azure has two issue types; a note is logged as a warning whose message
 * starts with "note:", rather than as a plain line, because the agent
 * would obey a "##vso[" that an export smuggled into a plain line. */
#include "report/report.h"
#include "util/path.h"

#include <stdlib.h>

static void escape(FILE *out, const char *s, bool property)
{
	for (; *s; s++) {
		switch (*s) {
		case '%': fputs("%AZP25", out); break;
		case '\r': fputs("%0D", out); break;
		case '\n': fputs("%0A", out); break;
		case ';':
			if (property)
				fputs("%3B", out);
			else
				fputc(';', out);
			break;
		case ']':
			if (property)
				fputs("%5D", out);
			else
				fputc(']', out);
			break;
		default: fputc(*s, out); break;
		}
	}
}

static int logissue(FILE *out, const char *type, const char *path, int line, int column, const char *code,
                    const char *prefix, const char *message)
{
	char *portable = path ? btc_path_portable(path) : NULL;
	if (path != NULL && portable == NULL)
		return -1;
	fprintf(out, "##vso[task.logissue type=%s", type);
	if (portable != NULL) {
		fputs(";sourcepath=", out);
		escape(out, portable, true);
		if (line > 0)
			fprintf(out, ";linenumber=%d", line);
		if (line > 0 && column > 0)
			fprintf(out, ";columnnumber=%d", column);
	}
	if (code != NULL) {
		fputs(";code=", out);
		escape(out, code, true);
	}
	fputc(']', out);
	fputs(prefix, out);
	escape(out, message, false);
	fputc('\n', out);
	free(portable);
	return 0;
}

int btc_report_azure(FILE *out, const btc_result *r)
{
	for (size_t i = 0; i < r->n_inputs; i++) {
		const btc_input *in = &r->inputs[i];
		if (!in->ok && logissue(out, "error", in->path, in->line, in->column, NULL,
		                        "input not checked: ", in->error ? in->error : "could not be read") < 0)
			return -1;
	}
	static const btc_severity order[] = {BTC_SEV_ERROR, BTC_SEV_WARNING, BTC_SEV_NOTE};
	for (size_t s = 0; s < sizeof(order) / sizeof(order[0]); s++) {
		for (size_t i = 0; i < r->findings.count; i++) {
			const btc_finding *f = &r->findings.items[i];
			if (f->severity != order[s] || btc_finding_hidden(f))
				continue;
			bool error = f->severity == BTC_SEV_ERROR;
			bool note = f->severity == BTC_SEV_NOTE;
			if (logissue(out, error ? "error" : "warning", f->path, f->line, 0, f->rule,
			             note ? "note: " : "", f->message) < 0)
				return -1;
		}
	}
	/* Only counts: nothing from an export reaches this plain line. */
	fputs("btclint: ", out);
	return btc_report_summary_line(out, r);
}
