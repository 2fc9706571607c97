/* The report for machines, with the fields spec/cli.md requires. */
#include <jansson.h>

#include <stdlib.h>

#include "report/report.h"
#include "util/utf8.h"
#include "version.h"

/* File names and messages quoting them may hold bytes that are not UTF-8,
 * which JSON cannot carry: those become U+FFFD rather than losing the report. */
static json_t *str_or_null(const char *s)
{
	if (s == NULL)
		return json_null();
	json_t *j = json_string(s);
	if (j == NULL) {
		char *clean = btc_utf8_clean(s, false);
		j = clean ? json_string(clean) : NULL;
		free(clean);
	}
	return j;
}

static const char *kind_name(btc_input_kind kind)
{
	switch (kind) {
	case BTC_INPUT_EXPORT: return "export";
	case BTC_INPUT_INVENTORY: return "inventory";
	case BTC_INPUT_BASELINE: return "baseline";
	}
	return "export";
}

/* The name of the farm a finding or input belongs to (null for exports given
 * on the command line). */
static json_t *farm_json(const btc_result *r, int farm)
{
	if (r->farm_names == NULL || farm < 0 || (size_t)farm >= r->n_farms)
		return json_null();
	return str_or_null(r->farm_names[farm]);
}

static json_t *inputs_json(const btc_result *r)
{
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < r->n_inputs; i++) {
		const btc_input *in = &r->inputs[i];
		json_t *o = json_pack("{s:o, s:s, s:s}", "path", str_or_null(in->path), "kind", kind_name(in->kind), "status",
				      in->ok ? "ok" : "error");
		if (o == NULL)
			goto fail;
		if (in->kind == BTC_INPUT_EXPORT)
			json_object_set_new(o, "server", str_or_null(in->server));
		if (in->kind != BTC_INPUT_BASELINE)
			json_object_set_new(o, "farm", farm_json(r, in->farm));
		if (!in->ok) {
			json_object_set_new(o, "error", str_or_null(in->error));
			json_object_set_new(o, "line", in->line > 0 ? json_integer(in->line) : json_null());
			json_object_set_new(o, "column", in->column > 0 ? json_integer(in->column) : json_null());
		}
		if (json_array_append_new(arr, o) < 0)
			goto fail;
	}
	return arr;
fail:
	json_decref(arr);
	return NULL;
}

static json_t *findings_json(const btc_result *r)
{
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < r->findings.count; i++) {
		const btc_finding *f = &r->findings.items[i];
		/* Hidden findings are only counted (summary.suppressed, .baselined). */
		if (btc_finding_hidden(f))
			continue;
		json_t *o = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o}", "rule", f->rule, "severity",
				      btc_severity_name(f->severity), "path", str_or_null(f->path), "line",
				      f->line > 0 ? json_integer(f->line) : json_null(), "message", str_or_null(f->message),
				      "subject", str_or_null(f->subject));
		if (o != NULL)
			json_object_set_new(o, "farm", farm_json(r, f->farm));
		if (o == NULL || json_array_append_new(arr, o) < 0) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

int btc_report_json(FILE *out, const btc_result *r)
{
	size_t errors, warnings, notes;
	btc_result_counts(r, &errors, &warnings, &notes);

	json_t *root = json_pack("{s:{s:s, s:s}, s:o, s:o, s:{s:I, s:I, s:I, s:I, s:I, s:I}}", "tool", "name", "btclint",
				 "version", BTC_VERSION, "inputs", inputs_json(r), "findings", findings_json(r),
				 "summary", "inputs", (json_int_t)btc_result_exports(r), "errors", (json_int_t)errors,
				 "warnings", (json_int_t)warnings, "notes", (json_int_t)notes, "suppressed",
				 (json_int_t)r->suppressed, "baselined", (json_int_t)r->baselined);
	if (root == NULL)
		return -1;
	int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (rc == 0)
		fputc('\n', out);
	return rc == 0 && !ferror(out) ? 0 : -1;
}
