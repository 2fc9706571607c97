/* The report for machines, with the fields spec/cli.md requires. */
#include <jansson.h>

#include <stdlib.h>

#include "report/json_stream.h"
#include "report/report.h"
#include "rules/prb.h"
#include "util/text.h"
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

/* The name of the farm a finding or input belongs to (null for exports given
 * on the command line). */
static json_t *farm_json(const btc_result *r, int farm)
{
	if (r->farm_names == NULL || farm < 0 || (size_t)farm >= r->n_farms)
		return json_null();
	return str_or_null(r->farm_names[farm]);
}

/* Input i. */
static int input_json(void *ctx, size_t i, json_t **out)
{
	const btc_result *r = ctx;
	const btc_input *in = &r->inputs[i];
	json_t *o = json_pack("{s:o, s:s, s:s}", "path", str_or_null(in->path), "kind", btc_input_kind_name(in->kind),
			      "status", in->ok ? "ok" : "error");
	bool ok = o != NULL;

	if (ok && in->kind == BTC_INPUT_EXPORT)
		ok = json_object_set_new(o, "server", str_or_null(in->server)) == 0;
	if (ok && in->kind != BTC_INPUT_BASELINE)
		ok = json_object_set_new(o, "farm", farm_json(r, in->farm)) == 0;
	if (ok && !in->ok)
		ok = json_object_set_new(o, "error", str_or_null(in->error)) == 0 &&
		     json_object_set_new(o, "line", in->line > 0 ? json_integer(in->line) : json_null()) == 0 &&
		     json_object_set_new(o, "column", in->column > 0 ? json_integer(in->column) : json_null()) == 0;
	if (!ok) {
		json_decref(o);
		return -1;
	}
	*out = o;
	return 0;
}

/* Finding i; hidden findings are only counted (summary.suppressed, .baselined). */
static int finding_json(void *ctx, size_t i, json_t **out)
{
	const btc_result *r = ctx;
	const btc_finding *f = &r->findings.items[i];

	*out = NULL;
	if (btc_finding_hidden(f))
		return 0;
	json_t *o = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o}", "rule", f->rule, "severity",
			      btc_severity_name(f->severity), "path", str_or_null(f->path), "line",
			      f->line > 0 ? json_integer(f->line) : json_null(), "message", str_or_null(f->message),
			      "subject", str_or_null(f->subject));
	if (o == NULL || json_object_set_new(o, "farm", farm_json(r, f->farm)) < 0) {
		json_decref(o);
		return -1;
	}
	*out = o;
	return 0;
}

static json_t *bool_or_null(bool known, bool v)
{
	return known ? json_boolean(v) : json_null();
}

/* One farm's directory block (spec/cli.md); its groups say what was looked
 * up and what was not (checked false, with the reason). */
static json_t *directory_json(const btc_result *r, size_t k)
{
	const btc_farm_directory *d = r->directories[k];
	json_t *groups = json_array();
	json_t *o = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "farm", farm_json(r, (int)k), "uri", str_or_null(d->uri),
			      "base", str_or_null(d->error ? NULL : d->base), "bound_as", str_or_null(d->bound_as),
			      "domain", str_or_null(d->domain), "error", str_or_null(d->error));

	if (o == NULL || groups == NULL)
		goto fail;
	for (size_t i = 0; i < d->n_groups; i++) {
		const btc_farm_directory_group *g = &d->groups[i];
		bool checked = g->checked && d->error == NULL;
		const char *reason = checked ? NULL : d->error ? "the directory could not be used" : g->not_checked;
		json_t *jg = json_pack(
			"{s:o, s:o, s:o, s:o, s:o, s:o, s:b, s:o, s:o}", "account", str_or_null(g->account), "found",
			bool_or_null(checked, g->found), "dn", str_or_null(checked ? g->dn : NULL), "group_type",
			checked && g->has_group_type ? json_integer((json_int_t)g->group_type) : json_null(), "scope",
			str_or_null(checked ? g->scope : NULL), "security",
			bool_or_null(checked && g->found && g->is_group, g->security), "checked", checked, "verdict",
			str_or_null(checked ? g->verdict_name : NULL), "reason", str_or_null(reason));
		if (jg == NULL || json_array_append_new(groups, jg) < 0)
			goto fail;
	}
	json_object_set_new(o, "groups", groups);
	return o;
fail:
	json_decref(groups);
	json_decref(o);
	return NULL;
}

/* "directory" when one farm of the run has a directory, "directories" (one
 * per such farm, in farm order) when several do. */
static int add_directories(json_t *root, const btc_result *r)
{
	size_t n = 0;
	json_t *arr = NULL;

	for (size_t k = 0; r->directories != NULL && k < r->n_farms; k++)
		n += r->directories[k] != NULL;
	if (n == 0)
		return 0;
	if ((arr = json_array()) == NULL)
		return -1;
	for (size_t k = 0; k < r->n_farms; k++) {
		if (r->directories[k] == NULL)
			continue;
		json_t *d = directory_json(r, k);
		if (d == NULL || json_array_append_new(arr, d) < 0) {
			json_decref(arr);
			return -1;
		}
	}
	int rc = n == 1 ? json_object_set(root, "directory", json_array_get(arr, 0))
			: json_object_set(root, "directories", arr);
	json_decref(arr);
	return rc;
}

/* ---- the live SQL probe (spec/cli.md "probes"): unknown facts are null --- */

static json_t *tristate(bool known, int v)
{
	return known && v != BTC_PROBE_UNKNOWN ? json_boolean(v == 1) : json_null();
}

/* Set in o; a NULL value (a failed allocation) fails. */
static bool put(json_t *o, const char *key, json_t *value)
{
	return value != NULL && json_object_set_new(o, key, value) == 0;
}

/* The listener whose first DNS label is the name used, else the first one
 * seen; null when none was seen. */
static const char *listener_of(const btc_prb_endpoint *ep, const struct btc_probe_facts *f)
{
	for (size_t i = 0; i < f->n_listeners; i++) {
		const char *l = f->listeners[i];
		size_t n = btc_first_label_len(l);
		if (ep->host != NULL && n == btc_first_label_len(ep->host) && btc_ieqn(l, n, ep->host))
			return l;
	}
	return f->n_listeners > 0 ? f->listeners[0] : NULL;
}

static json_t *probe_json(const btc_prb_endpoint *ep)
{
	const struct btc_probe_result *res = ep->result;
	const struct btc_probe_facts *f = res ? &res->facts : NULL;
	bool props = f != NULL && f->properties_read;
	json_t *o = json_object();
	json_t *nodes = NULL, *listeners = NULL, *dbs = NULL, *secrets = NULL;
	bool ok = o != NULL;

	ok = ok && put(o, "name", str_or_null(ep->name));
	ok = ok && put(o, "answered", res ? json_boolean(res->answered) : json_null());
	ok = ok && put(o, "elapsed_ms", res ? json_integer(res->elapsed_ms) : json_null());
	ok = ok && put(o, "is_clustered", tristate(props, props ? f->is_clustered : 0));
	ok = ok && put(o, "machine_name", str_or_null(props ? f->machine_name : NULL));
	ok = ok && put(o, "physical_node", str_or_null(props ? f->physical_node : NULL));
	if (f != NULL && f->nodes_read) {
		ok = ok && (nodes = json_array()) != NULL;
		for (size_t i = 0; ok && i < f->n_nodes; i++) {
			const struct btc_probe_node *n = &f->nodes[i];
			json_t *jn = json_object();
			ok = jn != NULL && put(jn, "name", str_or_null(n->name)) &&
			     put(jn, "status", n->status >= 0 ? json_integer(n->status) : json_null()) &&
			     put(jn, "status_description", str_or_null(n->status_description)) &&
			     put(jn, "is_current_owner", tristate(true, n->is_current_owner));
			if (!ok)
				json_decref(jn);
			else if (json_array_append_new(nodes, jn) < 0) /* takes jn even when it fails */
				ok = false;
		}
		ok = ok && put(o, "nodes", nodes);
		nodes = NULL;
	} else {
		ok = ok && put(o, "nodes", json_null());
	}
	ok = ok && put(o, "instance", str_or_null(props ? f->instance_name : NULL));
	ok = ok && put(o, "hadr", tristate(props, props ? f->is_hadr : 0));
	ok = ok && put(o, "listener", str_or_null(f != NULL ? listener_of(ep, f) : NULL));
	ok = ok && put(o, "error", res && res->error != BTC_PROBE_OK ? json_string(btc_prb_error_name(res->error))
								  : json_null());
	/* More than the contract asks, for people reading the report. */
	ok = ok && put(o, "message", str_or_null(res && res->message[0] ? res->message : NULL));
	ok = ok && put(o, "route", str_or_null(res && res->route[0] ? res->route : NULL));
	ok = ok && put(o, "server_name", str_or_null(props ? f->server_name : NULL));
	ok = ok && put(o, "product_version", str_or_null(props ? f->product_version : NULL));
	ok = ok && put(o, "edition", str_or_null(props ? f->edition : NULL));
	if (f != NULL && f->listeners_read) {
		ok = ok && (listeners = json_array()) != NULL;
		for (size_t i = 0; ok && i < f->n_listeners; i++)
			ok = json_array_append_new(listeners, str_or_null(f->listeners[i])) == 0;
		ok = ok && put(o, "listeners", listeners);
		listeners = NULL;
	} else {
		ok = ok && put(o, "listeners", json_null());
	}
	/* The databases PRB007 asked about: true, false, or null (unknown). */
	ok = ok && (dbs = json_object()) != NULL;
	for (size_t i = 0; ok && i < ep->n_databases; i++) {
		int present = f != NULL && f->databases_read && f->databases_present ? f->databases_present[i]
										      : BTC_PROBE_UNKNOWN;
		ok = put(dbs, ep->databases[i], tristate(true, present));
	}
	ok = ok && put(o, "databases", dbs);
	dbs = NULL;
	/* What SSO004 compared: gi_SecretServer per SSO database, null unknown. */
	ok = ok && (secrets = json_object()) != NULL;
	for (size_t i = 0; ok && i < ep->n_sso_databases; i++) {
		const char *name = NULL;
		if (f != NULL && i < f->n_sso && f->sso[i].state == BTC_PROBE_SSO_READ)
			name = f->sso[i].secret_server;
		ok = put(secrets, ep->sso_databases[i], str_or_null(name));
	}
	if (ok) {
		ok = put(o, "secret_servers", secrets); /* taken by o, or freed, either way */
		secrets = NULL;
	}
	if (!ok) {
		json_decref(nodes);
		json_decref(listeners);
		json_decref(dbs);
		json_decref(secrets);
		json_decref(o);
		return NULL;
	}
	return o;
}

static int add_probes(json_t *root, const btc_result *r)
{
	if (r->probes == NULL)
		return 0;
	json_t *arr = json_array();
	for (size_t i = 0; arr != NULL && i < r->probes->count; i++) {
		if (json_array_append_new(arr, probe_json(&r->probes->items[i])) < 0) {
			json_decref(arr);
			return -1;
		}
	}
	return arr != NULL && json_object_set_new(root, "probes", arr) == 0 ? 0 : -1;
}

int btc_report_json(FILE *out, const btc_result *r)
{
	size_t errors, warnings, notes;
	btc_result_counts(r, &errors, &warnings, &notes);

	json_t *root = json_pack("{s:{s:s, s:s}, s:o, s:o, s:{s:I, s:I, s:I, s:I, s:I, s:I}}", "tool", "name", "btclint",
				 "version", BTC_VERSION, "inputs", json_null(), "findings", json_null(),
				 "summary", "inputs", (json_int_t)btc_result_exports(r), "errors", (json_int_t)errors,
				 "warnings", (json_int_t)warnings, "notes", (json_int_t)notes, "suppressed",
				 (json_int_t)r->suppressed, "baselined", (json_int_t)r->baselined);
	if (root == NULL || add_directories(root, r) < 0 || add_probes(root, r) < 0) {
		json_decref(root);
		return -1;
	}
	/* Inputs and findings are written one by one: a tree of them all took
	 * 40 MiB for 25 000 findings (docs/performance.md). */
	const btc_json_array arrays[] = {
	    {root, "inputs", r->n_inputs, input_json, (void *)r},
	    {root, "findings", r->findings.count, finding_json, (void *)r},
	};
	int rc = btc_json_write_streamed(out, root, arrays, 2);
	json_decref(root);
	return rc;
}
