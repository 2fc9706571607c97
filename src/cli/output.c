#include "cli/output.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

int btc_cli_format_parse(const char *s, btc_cli_format *out)
{
	static const char *const names[] = {
		[BTC_FORMAT_TEXT] = "text",   [BTC_FORMAT_JSON] = "json",     [BTC_FORMAT_SARIF] = "sarif",
		[BTC_FORMAT_JUNIT] = "junit", [BTC_FORMAT_GITHUB] = "github", [BTC_FORMAT_AZURE] = "azure",
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(s, names[i]) == 0) {
			*out = (btc_cli_format)i;
			return 0;
		}
	}
	return -1;
}

bool btc_cli_use_color(int color)
{
	const char *no_color = getenv("NO_COLOR");
	const char *term = getenv("TERM");
	if (no_color != NULL && no_color[0] != '\0')
		return false;
	if (color >= 0)
		return color == 1;
	return isatty(STDOUT_FILENO) && !(term != NULL && strcmp(term, "dumb") == 0);
}

int btc_cli_write_report(const btc_cli_report *t, const btc_result *r, int color)
{
	FILE *out = stdout;
	int rc;

	if (t->path != NULL && (out = fopen(t->path, "w")) == NULL) {
		btc_cli_error("%s: error: cannot write the report: %s", t->path, strerror(errno));
		return -1;
	}
	switch (t->format) {
	case BTC_FORMAT_JSON: rc = btc_report_json(out, r); break;
	case BTC_FORMAT_SARIF: rc = btc_report_sarif(out, r); break;
	case BTC_FORMAT_JUNIT: rc = btc_report_junit(out, r); break;
	case BTC_FORMAT_GITHUB: rc = btc_report_github(out, r); break;
	case BTC_FORMAT_AZURE: rc = btc_report_azure(out, r); break;
	case BTC_FORMAT_TEXT:
	default: {
		/* Colour only on the terminal, never into a file. */
		btc_text_options topts = {.color = t->path == NULL && btc_cli_use_color(color)};
		rc = btc_report_text(out, r, &topts);
		break;
	}
	}
	if (t->path != NULL && fclose(out) != 0)
		rc = -1;
	if (rc < 0)
		btc_cli_error("%s: error: cannot write the report", t->path ? t->path : "standard output");
	return rc;
}
