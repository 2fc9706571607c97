/* The report for machines, with the fields spec/cli.md requires. */
#include <jansson.h>

#include "report/report.h"
#include "version.h"

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *inputs_json(const btc_result *r)
{
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < r->n_inputs; i++) {
		const btc_input *in = &r->inputs[i];
		json_t *o = json_pack("{s:s, s:s, s:s}", "path", in->path, "kind",
				      in->kind == BTC_INPUT_EXPORT ? "export" : "inventory", "status",
				      in->ok ? "ok" : "error");
		if (o == NULL)
			goto fail;
		if (in->kind == BTC_INPUT_EXPORT)
			json_object_set_new(o, "server", str_or_null(in->server));
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
		json_t *o = json_pack("{s:s, s:s, s:o, s:o, s:s, s:o}", "rule", f->rule, "severity",
				      btc_severity_name(f->severity), "path", str_or_null(f->path), "line",
				      f->line > 0 ? json_integer(f->line) : json_null(), "message", f->message,
				      "subject", str_or_null(f->subject));
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

	json_t *root = json_pack("{s:{s:s, s:s}, s:o, s:o, s:{s:I, s:I, s:I, s:I, s:I}}", "tool", "name", "btclint",
				 "version", BTC_VERSION, "inputs", inputs_json(r), "findings", findings_json(r),
				 "summary", "inputs", (json_int_t)btc_result_exports(r), "errors", (json_int_t)errors,
				 "warnings", (json_int_t)warnings, "notes", (json_int_t)notes, "suppressed",
				 (json_int_t)r->suppressed);
	if (root == NULL)
		return -1;
	int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (rc == 0)
		fputc('\n', out);
	return rc == 0 && !ferror(out) ? 0 : -1;
}
