/* SARIF 2.1.0, for code-scanning dashboards (GitHub, Azure DevOps, IDEs).
 *
 * One run. Every rule of the table is listed, whether it fired or not, so
 * that a viewer can show its help. Locations are relative URIs under
 * %SRCROOT% (the directory btclint ran in) unless the path given was
 * absolute. Hidden findings stay in the log as results with suppressions,
 * which is how SARIF viewers learn that a result was accepted. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report/json_stream.h"
#include "report/report.h"
#include "rules/docs.h"
#include "util/path.h"
#include "util/utf8.h"
#include "version.h"

#define SARIF_SCHEMA    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
#define FINGERPRINT_KEY "btclint/v1"

/* Set in a json object; a NULL value (a failed allocation) fails. */
static bool put(json_t *o, const char *key, json_t *value)
{
	return o != NULL && value != NULL && json_object_set_new(o, key, value) == 0;
}

/* A JSON string of text from outside: messages may quote a file name, and
 * a file name may hold bytes that are not UTF-8, which JSON cannot carry. */
static json_t *text(const char *s)
{
	char *clean = btc_utf8_clean(s, false);
	json_t *j = clean ? json_string(clean) : NULL;
	free(clean);
	return j;
}

static const char *level_of(btc_severity sev)
{
	switch (sev) {
	case BTC_SEV_ERROR: return "error";
	case BTC_SEV_WARNING: return "warning";
	case BTC_SEV_NOTE: return "note";
	case BTC_SEV_NONE: break;
	}
	return "none";
}

/* The first paragraph of a rule page that is neither a heading nor the
 * "Severity: ..." line, joined into one line. NULL when there is none. */
static char *first_paragraph(const char *md)
{
	const char *p = md;
	const char *start = NULL, *end = NULL;

	while (*p != '\0') {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		bool blank = true;
		for (size_t i = 0; i < len; i++)
			blank = blank && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r');
		if (start == NULL && !blank && p[0] != '#' && strncmp(p, "Severity:", 9) != 0)
			start = p;
		if (start != NULL && blank) {
			end = p;
			break;
		}
		p = eol ? eol + 1 : p + len;
	}
	if (start == NULL)
		return NULL;
	if (end == NULL)
		end = p;
	char *out = malloc((size_t)(end - start) + 1);
	if (out == NULL)
		return NULL;
	size_t n = 0;
	for (const char *q = start; q < end; q++) {
		if (*q == '\r')
			continue;
		out[n++] = *q == '\n' ? ' ' : *q;
	}
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
	return out;
}

static json_t *rule_json(const btc_rule *rule)
{
	const char *doc = btc_rule_doc_find(rule->id);
	/* The rule pages (docs/rules) open with "## What it checks". */
	const char *what = doc ? strstr(doc, "\n## What it checks") : NULL;
	char *full = doc ? first_paragraph(what ? what + 1 : doc) : NULL;
	char *uri = NULL;
	json_t *o = json_object();
	bool ok = o != NULL;

	if (doc != NULL && full == NULL) {
		/* A page without a paragraph: fall back to the title. */
		full = strdup(rule->title);
		ok = ok && full != NULL;
	}
	ok = ok && (uri = malloc(strlen(BTC_RULE_DOCS_URI) + strlen(rule->id) + 4)) != NULL;
	if (ok)
		sprintf(uri, "%s%s.md", BTC_RULE_DOCS_URI, rule->id);
	ok = ok && put(o, "id", json_string(rule->id));
	ok = ok && put(o, "shortDescription", json_pack("{s:s}", "text", rule->title));
	ok = ok && put(o, "fullDescription", json_pack("{s:s}", "text", full ? full : rule->title));
	if (doc != NULL)
		ok = ok && put(o, "help", json_pack("{s:s, s:s}", "text", doc, "markdown", doc));
	else
		ok = ok && put(o, "help", json_pack("{s:s}", "text", rule->title));
	ok = ok && put(o, "helpUri", json_string(uri));
	ok = ok && put(o, "defaultConfiguration", json_pack("{s:s}", "level", level_of(rule->severity)));
	ok = ok && put(o, "properties", json_pack("{s:s}", "data", rule->data));
	free(full);
	free(uri);
	if (!ok) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *rules_json(void)
{
	json_t *arr = json_array();
	for (size_t i = 0; arr != NULL && i < btc_rule_count; i++) {
		if (json_array_append_new(arr, rule_json(&btc_rules[i])) < 0) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

static bool uri_plain(unsigned char c)
{
	/* RFC 3986 unreserved, sub-delims, '@' and '/'. ':' is encoded so that a
	 * relative path's first segment never reads as a scheme. */
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       strchr("-._~!$&'()*+,;=@/", c) != NULL;
}

/* The artifactLocation of a path: a relative URI under %SRCROOT%, or a
 * file:// URI for an absolute path. */
static json_t *artifact_location(const char *path)
{
	char *portable = btc_path_portable(path);
	if (portable == NULL)
		return NULL;
	bool absolute = btc_path_is_absolute(portable);
	size_t n = strlen(portable);
	char *uri = malloc(3 * n + sizeof("file:///"));
	json_t *o = NULL;
	if (uri == NULL)
		goto done;

	size_t u = 0;
	if (absolute) {
		memcpy(uri, "file://", 7);
		u = 7;
		if (portable[0] != '/')
			uri[u++] = '/';
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)portable[i];
		/* The drive letter's colon of C:/x stays as it is in file URIs. */
		if (uri_plain(c) || (absolute && i == 1 && c == ':')) {
			uri[u++] = (char)c;
		} else {
			static const char hex[] = "0123456789ABCDEF";
			uri[u++] = '%';
			uri[u++] = hex[c >> 4];
			uri[u++] = hex[c & 15];
		}
	}
	uri[u] = '\0';
	o = absolute ? json_pack("{s:s}", "uri", uri) : json_pack("{s:s, s:s}", "uri", uri, "uriBaseId", "%SRCROOT%");
done:
	free(portable);
	free(uri);
	return o;
}

static json_t *location(const char *path, int line, int column)
{
	json_t *phys = json_object();
	bool ok = put(phys, "artifactLocation", artifact_location(path));
	/* SARIF lines start at 1: a finding without a line has no region. */
	if (ok && line > 0) {
		json_t *region = json_pack("{s:i}", "startLine", line);
		if (region != NULL && column > 0)
			ok = put(region, "startColumn", json_integer(column));
		ok = ok && put(phys, "region", region);
	}
	if (!ok) {
		json_decref(phys);
		return NULL;
	}
	return json_pack("[{s:o}]", "physicalLocation", phys);
}

/* FNV-1a, 64 bits: stable across platforms and versions, which is all a
 * fingerprint needs; it is not a security boundary. */
static uint64_t fnv1a(uint64_t h, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		h ^= *p;
		h *= 1099511628211ULL;
	}
	/* A separator, so that ("ab", "c") and ("a", "bc") differ. */
	h ^= 0xff;
	h *= 1099511628211ULL;
	return h;
}

static uint64_t key_hash(const btc_finding *f, const char *portable_path)
{
	uint64_t h = 14695981039346656037ULL;
	h = fnv1a(h, f->rule);
	h = fnv1a(h, portable_path ? portable_path : "");
	return fnv1a(h, f->subject ? f->subject : "");
}

/* A finding's fingerprint: the hash of its key, and which occurrence of
 * that key it is in the (sorted) findings, counting from 1. */
typedef struct fingerprint {
	uint64_t hash;
	unsigned occurrence;
	size_t index; /* of the finding, while the occurrences are counted */
} fingerprint;

static int by_hash_then_index(const void *pa, const void *pb)
{
	const fingerprint *a = pa, *b = pb;
	if (a->hash != b->hash)
		return a->hash < b->hash ? -1 : 1;
	return a->index < b->index ? -1 : a->index > b->index;
}

static int by_index(const void *pa, const void *pb)
{
	const fingerprint *a = pa, *b = pb;
	return a->index < b->index ? -1 : a->index > b->index;
}

/* Rule, path and subject, never the line: an edit that moves the element
 * keeps the fingerprint. Findings that share a key are told apart by their
 * occurrence: "...:1", "...:2". Counted after one sort, not by looking back
 * through every earlier finding (quadratic: 25 000 findings). */
static fingerprint *fingerprints_of(const btc_result *r)
{
	size_t n = r->findings.count;
	fingerprint *fp = calloc(n ? n : 1, sizeof(*fp));
	for (size_t i = 0; fp != NULL && i < n; i++) {
		const btc_finding *f = &r->findings.items[i];
		char *path = f->path ? btc_path_portable(f->path) : NULL;
		if (f->path != NULL && path == NULL) {
			free(fp);
			return NULL;
		}
		fp[i] = (fingerprint){.hash = key_hash(f, path), .index = i};
		free(path);
	}
	if (fp == NULL)
		return NULL;
	qsort(fp, n, sizeof(*fp), by_hash_then_index);
	for (size_t i = 0; i < n; i++)
		fp[i].occurrence = i > 0 && fp[i - 1].hash == fp[i].hash ? fp[i - 1].occurrence + 1 : 1;
	qsort(fp, n, sizeof(*fp), by_index);
	return fp;
}

static json_t *fingerprint_json(const fingerprint *fp)
{
	char buf[48];
	snprintf(buf, sizeof(buf), "%016llx:%u", (unsigned long long)fp->hash, fp->occurrence);
	return json_pack("{s:s}", FINGERPRINT_KEY, buf);
}

static json_t *result_json(const btc_result *r, const fingerprint *fps, size_t index, bool with_baseline)
{
	const btc_finding *f = &r->findings.items[index];
	const btc_rule *rule = btc_rule_find(f->rule);
	json_t *o = json_object();
	bool ok = put(o, "ruleId", json_string(f->rule));

	if (rule != NULL)
		ok = ok && put(o, "ruleIndex", json_integer((json_int_t)(rule - btc_rules)));
	ok = ok && put(o, "level", json_string(level_of(f->severity)));
	ok = ok && put(o, "message", json_pack("{s:o}", "text", text(f->message)));
	if (f->path != NULL)
		ok = ok && put(o, "locations", location(f->path, f->line, 0));
	ok = ok && put(o, "partialFingerprints", fingerprint_json(&fps[index]));
	if (f->suppressed) {
		ok = ok && put(o, "suppressions",
		               json_pack("[{s:s, s:o}]", "kind", "inSource", "justification",
		                         text(f->justification ? f->justification : "")));
	} else if (f->baselined) {
		ok = ok &&
		     put(o, "suppressions",
		         json_pack("[{s:s, s:s}]", "kind", "external", "justification", "recorded in the baseline"));
	}
	if (with_baseline)
		ok = ok && put(o, "baselineState", json_string(f->baselined ? "unchanged" : "new"));
	if (f->subject != NULL)
		ok = ok && put(o, "properties", json_pack("{s:o}", "subject", text(f->subject)));
	if (!ok) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *invocation_json(const btc_result *r)
{
	json_t *notes = json_array();
	bool success = !r->internal_error;

	for (size_t i = 0; notes != NULL && i < r->n_inputs; i++) {
		const btc_input *in = &r->inputs[i];
		if (in->ok)
			continue;
		success = false;
		json_t *n = json_pack("{s:s, s:{s:o}}", "level", "error", "message", "text",
		                      text(in->error ? in->error : "could not be read"));
		if (n == NULL || !put(n, "locations", location(in->path, in->line, in->column)) ||
		    json_array_append_new(notes, n) < 0) {
			json_decref(notes);
			return NULL;
		}
	}
	/* A directory that could not be used is an input error of its farm
	 * (exit 3): the run did not do all it was asked. */
	for (size_t k = 0; notes != NULL && r->directories != NULL && k < r->n_farms; k++) {
		const btc_farm_directory *d = r->directories[k];
		if (d == NULL || d->error == NULL)
			continue;
		success = false;
		json_t *n = json_pack("{s:s, s:{s:o}}", "level", "error", "message", "text", text(d->error));
		if (n == NULL || json_array_append_new(notes, n) < 0) {
			json_decref(notes);
			return NULL;
		}
	}
	if (notes != NULL && r->internal_error &&
	    json_array_append_new(notes, json_pack("{s:s, s:{s:s}}", "level", "error", "message", "text",
	                                           "internal error: the run is incomplete")) < 0) {
		json_decref(notes);
		return NULL;
	}
	return json_pack("{s:b, s:o}", "executionSuccessful", success, "toolExecutionNotifications", notes);
}

/* What result_item needs. */
typedef struct results_ctx {
	const btc_result *r;
	const fingerprint *fps;
	bool with_baseline;
} results_ctx;

static int result_item(void *ctx, size_t i, json_t **out)
{
	const results_ctx *c = ctx;
	*out = result_json(c->r, c->fps, i, c->with_baseline);
	return *out == NULL ? -1 : 0;
}

int btc_report_sarif(FILE *out, const btc_result *r)
{
	results_ctx c = {.r = r};
	for (size_t i = 0; i < r->n_inputs; i++)
		c.with_baseline = c.with_baseline || (r->inputs[i].kind == BTC_INPUT_BASELINE && r->inputs[i].ok);

	fingerprint *fps = fingerprints_of(r);
	if (fps == NULL)
		return -1;
	c.fps = fps;
	json_t *driver =
	    json_pack("{s:s, s:s, s:s, s:s, s:o}", "name", "btclint", "version", BTC_VERSION, "semanticVersion",
	              BTC_VERSION, "informationUri", "https://github.com/btclint/btclint", "rules", rules_json());
	/* results is written one by one (report/json_stream.h). */
	json_t *run = json_pack("{s:{s:o}, s:[o], s:n, s:s}", "tool", "driver", driver, "invocations",
	                        invocation_json(r), "results", "columnKind", "unicodeCodePoints");
	json_t *root = json_pack("{s:s, s:s, s:[O]}", "$schema", SARIF_SCHEMA, "version", "2.1.0", "runs", run);
	const btc_json_array results = {run, "results", r->findings.count, result_item, &c};
	int rc = root == NULL ? -1 : btc_json_write_streamed(out, root, &results, 1);
	json_decref(root);
	json_decref(run);
	free(fps);
	return rc;
}
