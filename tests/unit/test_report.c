/* The CI gate outputs (SARIF, JUnit, GitHub, Azure), inline suppressions and
 * baselines. Reports are written to memory and read back; JUnit is also
 * validated in-process against the shared junit.xsd. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <libxml/xpath.h>

#include "export/parse.h"
#include "report/json_stream.h"
#include "report/report.h"
#include "rules/baseline.h"
#include "rules/docs.h"
#include "rules/rules.h"
#include "rules/suppress.h"

/* ---- a hand-made result ------------------------------------------------ */

typedef struct fixture {
	btc_input inputs[4];
	btc_result r;
} fixture;

static void add_finding(btc_result *r, const char *rule, btc_severity sev, const char *path, int line,
                        const char *subject, const char *message)
{
	btc_findings *f = &r->findings;
	if (f->count == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 8;
		f->items = realloc(f->items, f->cap * sizeof(*f->items));
		assert_non_null(f->items);
	}
	btc_finding *x = &f->items[f->count++];
	memset(x, 0, sizeof(*x));
	x->rule = btc_rule_find(rule) ? btc_rule_find(rule)->id : rule;
	x->severity = sev;
	x->path = path;
	x->line = line;
	x->subject = subject ? strdup(subject) : NULL;
	x->message = strdup(message);
}

static void result_free(btc_result *r)
{
	btc_findings_free(&r->findings);
}

/* Runs a writer into a string the caller frees. */
static char *render(int (*writer)(FILE *, const btc_result *), const btc_result *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	assert_non_null(out);
	assert_int_equal(writer(out, r), 0);
	assert_int_equal(fclose(out), 0);
	return buf;
}

static void one_input(fixture *fx, const char *path)
{
	memset(fx, 0, sizeof(*fx));
	fx->inputs[0] = (btc_input){.path = path, .kind = BTC_INPUT_EXPORT, .ok = true};
	fx->r.inputs = fx->inputs;
	fx->r.n_inputs = 1;
}

/* ---- GitHub ------------------------------------------------------------ */

static void test_github_escaping(void **state)
{
	(void)state;
	fixture fx;
	one_input(&fx, "dir\\a,b:c%.xml");
	add_finding(&fx.r, "SQL002", BTC_SEV_ERROR, "dir\\a,b:c%.xml", 7, "x", "50% done\nnext\r: a,b");
	char *out = render(btc_report_github, &fx.r);
	/* Properties escape % \r \n : and ,; the message keeps : and , as they are. */
	assert_non_null(
	    strstr(out, "::error file=dir/a%2Cb%3Ac%25.xml,line=7,title=SQL002::50%25 done%0Anext%0D: a,b\n"));
	free(out);
	result_free(&fx.r);
}

static void test_github_order_and_hidden(void **state)
{
	(void)state;
	fixture fx;
	one_input(&fx, "a.xml");
	add_finding(&fx.r, "GRP003", BTC_SEV_NOTE, "a.xml", 1, "n", "a note");
	add_finding(&fx.r, "SQL007", BTC_SEV_WARNING, "a.xml", 2, "w", "a warning");
	add_finding(&fx.r, "SQL002", BTC_SEV_ERROR, "a.xml", 3, "e", "an error");
	add_finding(&fx.r, "SQL002", BTC_SEV_ERROR, "a.xml", 4, "s", "a suppressed error");
	add_finding(&fx.r, "SQL001", BTC_SEV_ERROR, "a.xml", 0, "l", "no line");
	fx.r.findings.items[3].suppressed = true;
	btc_result_tally(&fx.r);
	char *out = render(btc_report_github, &fx.r);
	const char *e = strstr(out, "::error file=a.xml,line=3,title=SQL002::an error");
	const char *w = strstr(out, "::warning file=a.xml,line=2,title=SQL007::a warning");
	const char *n = strstr(out, "::notice file=a.xml,line=1,title=GRP003::a note");
	assert_non_null(e);
	assert_non_null(w);
	assert_non_null(n);
	assert_true(e < w && w < n);
	assert_null(strstr(out, "suppressed error"));
	/* No line: no line property at all, never line=0. */
	assert_non_null(strstr(out, "::error file=a.xml,title=SQL001::no line\n"));
	assert_non_null(strstr(out, "1 suppressed"));
	free(out);
	result_free(&fx.r);
}

static void test_github_input_error(void **state)
{
	(void)state;
	fixture fx;
	one_input(&fx, "bad.xml");
	fx.inputs[0].ok = false;
	fx.inputs[0].line = 3;
	fx.inputs[0].column = 9;
	fx.inputs[0].error = "line 3, column 9: not well-formed XML: x";
	char *out = render(btc_report_github, &fx.r);
	/* The message is data: its ':' and ',' stay. */
	const char *want = "::error file=bad.xml,line=3,col=9,title=btclint%3A input not checked::line 3, column 9: ";
	assert_memory_equal(out, want, strlen(want));
	assert_non_null(strstr(out, "could not be checked"));
	free(out);
	result_free(&fx.r);
}

/* ---- Azure ------------------------------------------------------------- */

static void test_azure_escaping(void **state)
{
	(void)state;
	fixture fx;
	one_input(&fx, "a;b]c%.xml");
	add_finding(&fx.r, "SQL002", BTC_SEV_ERROR, "a;b]c%.xml", 7, "x", "x%y\nz;]\r");
	add_finding(&fx.r, "GRP003", BTC_SEV_NOTE, "a;b]c%.xml", 8, "y", "fyi");
	char *out = render(btc_report_azure, &fx.r);
	assert_non_null(strstr(out, "##vso[task.logissue type=error;sourcepath=a%3Bb%5Dc%AZP25.xml;linenumber=7;"
	                            "code=SQL002]x%AZP25y%0Az;]%0D\n"));
	/* Azure has no note: a warning that says so. */
	assert_non_null(strstr(out, "##vso[task.logissue type=warning;sourcepath=a%3Bb%5Dc%AZP25.xml;linenumber=8;"
	                            "code=GRP003]note: fyi\n"));
	/* Exactly one line per issue plus the summary: nothing split a command. */
	size_t lines = 0;
	for (const char *p = out; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 3);
	free(out);
	result_free(&fx.r);
}

/* ---- JUnit ------------------------------------------------------------- */

static xmlDocPtr junit_doc(const btc_result *r)
{
	char *out = render(btc_report_junit, r);
	xmlDocPtr doc = xmlReadMemory(out, (int)strlen(out), "junit.xml", NULL, XML_PARSE_NONET);
	assert_non_null(doc);

	xmlSchemaParserCtxtPtr pctx = xmlSchemaNewParserCtxt(BTC_SHARED_DIR "/schemas/junit.xsd");
	assert_non_null(pctx);
	xmlSchemaPtr schema = xmlSchemaParse(pctx);
	assert_non_null(schema);
	xmlSchemaValidCtxtPtr vctx = xmlSchemaNewValidCtxt(schema);
	int valid = xmlSchemaValidateDoc(vctx, doc);
	if (valid != 0)
		fprintf(stderr, "%s\n", out);
	assert_int_equal(valid, 0);
	xmlSchemaFreeValidCtxt(vctx);
	xmlSchemaFree(schema);
	xmlSchemaFreeParserCtxt(pctx);
	free(out);
	return doc;
}

static int count(xmlDocPtr doc, const char *xpath)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr obj = xmlXPathEvalExpression(BAD_CAST xpath, ctx);
	assert_non_null(obj);
	int n = obj->nodesetval ? obj->nodesetval->nodeNr : 0;
	xmlXPathFreeObject(obj);
	xmlXPathFreeContext(ctx);
	return n;
}

static void test_junit_structure(void **state)
{
	(void)state;
	fixture fx;
	memset(&fx, 0, sizeof(fx));
	fx.inputs[0] = (btc_input){.path = "ok.xml", .kind = BTC_INPUT_EXPORT, .ok = true};
	fx.inputs[1] = (btc_input){
	    .path = "bad.xml", .kind = BTC_INPUT_EXPORT, .ok = false, .error = "not well-formed XML: <\x01>"};
	fx.r.inputs = fx.inputs;
	fx.r.n_inputs = 2;
	add_finding(&fx.r, "SQL002", BTC_SEV_ERROR, "ok.xml", 3, "a", "first & <one>");
	add_finding(&fx.r, "SQL002", BTC_SEV_ERROR, "ok.xml", 9, "b", "second");
	add_finding(&fx.r, "SQL007", BTC_SEV_WARNING, "ok.xml", 5, "c", "suppressed one");
	fx.r.findings.items[2].suppressed = true;
	fx.r.findings.items[2].justification = strdup("lab only");
	btc_result_tally(&fx.r);

	xmlDocPtr doc = junit_doc(&fx.r);
	assert_int_equal(count(doc, "/testsuites/testsuite"), 2);
	/* "read", and a testcase per rule that judges exports (every rule ran). */
	size_t per_export = 0;
	for (size_t i = 0; i < btc_rule_count; i++)
		per_export += strchr(btc_rules[i].data, 'E') != NULL || strchr(btc_rules[i].data, 'F') != NULL;
	assert_int_equal(count(doc, "/testsuites/testsuite[@name='ok.xml']/testcase"), (int)per_export + 1);
	/* Two SQL002 findings: one testcase, one failure listing both. */
	assert_int_equal(count(doc, "//testcase[@name='SQL002']/failure"), 1);
	assert_int_equal(count(doc, "//testcase[@name='SQL002']/failure[contains(., 'ok.xml:3') and "
	                            "contains(., 'ok.xml:9') and contains(., 'first & <one>')]"),
	                 1);
	assert_int_equal(count(doc, "//testcase[@name='SQL007']/skipped[@message='suppressed: lab only']"), 1);
	assert_int_equal(count(doc, "//testcase[@name='CFG001' and not(*)]"), 1);
	char xpath[128];
	snprintf(xpath, sizeof(xpath), "/testsuites/testsuite[@name='ok.xml' and @tests='%zu']", per_export + 1);
	assert_int_equal(count(doc, xpath), 1);
	assert_int_equal(count(doc, "/testsuites/testsuite[@name='ok.xml' and @failures='1' and @skipped='1']"), 1);
	/* The unreadable input: one errored testcase, no rule testcases. */
	assert_int_equal(count(doc, "/testsuites/testsuite[@name='bad.xml']/testcase"), 1);
	assert_int_equal(
	    count(doc, "/testsuites/testsuite[@name='bad.xml' and @errors='1']/testcase[@name='read']/error"), 1);
	xmlFreeDoc(doc);
	result_free(&fx.r);
}

static void test_junit_not_run_rules(void **state)
{
	(void)state;
	fixture fx;
	one_input(&fx, "a.xml");
	bool *not_run = calloc(btc_rule_count, sizeof(*not_run));
	assert_non_null(not_run);
	not_run[0] = true;
	fx.r.not_run = not_run;
	xmlDocPtr doc = junit_doc(&fx.r);
	char xpath[64];
	snprintf(xpath, sizeof(xpath), "//testcase[@name='%s']", btc_rules[0].id);
	assert_int_equal(count(doc, xpath), 0);
	assert_int_equal(count(doc, "//testcase[@name='read']"), 1);
	xmlFreeDoc(doc);
	free(not_run);
	result_free(&fx.r);
}

/* ---- SARIF ------------------------------------------------------------- */

static json_t *sarif(const btc_result *r)
{
	char *out = render(btc_report_sarif, r);
	json_error_t err;
	json_t *root = json_loads(out, 0, &err);
	free(out);
	assert_non_null(root);
	return root;
}

static json_t *first_run(json_t *root)
{
	assert_string_equal(json_string_value(json_object_get(root, "version")), "2.1.0");
	json_t *runs = json_object_get(root, "runs");
	assert_int_equal(json_array_size(runs), 1);
	return json_array_get(runs, 0);
}

static void test_sarif_rules_and_clean_run(void **state)
{
	(void)state;
	fixture fx;
	one_input(&fx, "a.xml");
	json_t *root = sarif(&fx.r);
	json_t *run = first_run(root);
	json_t *rules = json_object_get(json_object_get(json_object_get(run, "tool"), "driver"), "rules");
	assert_int_equal(json_array_size(rules), btc_rule_count);
	for (size_t i = 0; i < btc_rule_count; i++) {
		json_t *rule = json_array_get(rules, i);
		assert_string_equal(json_string_value(json_object_get(rule, "id")), btc_rules[i].id);
		assert_string_equal(
		    json_string_value(json_object_get(json_object_get(rule, "shortDescription"), "text")),
		    btc_rules[i].title);
		assert_non_null(json_object_get(json_object_get(rule, "fullDescription"), "text"));
		/* The page itself is test_cli_docs' business; help is always there. */
		assert_non_null(json_object_get(json_object_get(rule, "help"), "text"));
		if (btc_rule_doc_find(btc_rules[i].id) != NULL)
			assert_string_equal(
			    json_string_value(json_object_get(json_object_get(rule, "help"), "markdown")),
			    btc_rule_doc_find(btc_rules[i].id));
		assert_true(strncmp(json_string_value(json_object_get(rule, "helpUri")), "https://", 8) == 0);
		assert_string_equal(
		    json_string_value(json_object_get(json_object_get(rule, "defaultConfiguration"), "level")),
		    btc_severity_name(btc_rules[i].severity));
	}
	/* results is present even when empty. */
	assert_true(json_is_array(json_object_get(run, "results")));
	assert_int_equal(json_array_size(json_object_get(run, "results")), 0);
	json_t *inv = json_array_get(json_object_get(run, "invocations"), 0);
	assert_true(json_is_true(json_object_get(inv, "executionSuccessful")));
	json_decref(root);
	result_free(&fx.r);
}

static const char *fingerprint_of(json_t *result)
{
	return json_string_value(json_object_get(json_object_get(result, "partialFingerprints"), "btclint/v1"));
}

static void test_sarif_results(void **state)
{
	(void)state;
	fixture fx;
	memset(&fx, 0, sizeof(fx));
	fx.inputs[0] = (btc_input){.path = "./farm\\BTS 01.xml", .kind = BTC_INPUT_EXPORT, .ok = true};
	fx.inputs[1] = (btc_input){.path = "/abs/x.xml", .kind = BTC_INPUT_EXPORT, .ok = true};
	fx.inputs[2] = (btc_input){.path = "gone.xml", .kind = BTC_INPUT_EXPORT, .ok = false, .error = "cannot open"};
	fx.r.inputs = fx.inputs;
	fx.r.n_inputs = 3;
	add_finding(&fx.r, "SQL002", BTC_SEV_ERROR, "./farm\\BTS 01.xml", 12, "MgmtDb", "m1");
	add_finding(&fx.r, "CFG001", BTC_SEV_ERROR, "/abs/x.xml", 0, "Root", "m2");
	add_finding(&fx.r, "SQL007", BTC_SEV_WARNING, "./farm\\BTS 01.xml", 20, "Db", "m3");
	fx.r.findings.items[2].suppressed = true;
	fx.r.findings.items[2].justification = strdup("accepted");

	json_t *root = sarif(&fx.r);
	json_t *run = first_run(root);
	json_t *results = json_object_get(run, "results");
	assert_int_equal(json_array_size(results), 3);

	json_t *r0 = json_array_get(results, 0);
	const btc_rule *sql002 = btc_rule_find("SQL002");
	assert_int_equal(json_integer_value(json_object_get(r0, "ruleIndex")), sql002 - btc_rules);
	assert_string_equal(json_string_value(json_object_get(r0, "level")), "error");
	json_t *loc = json_object_get(json_array_get(json_object_get(r0, "locations"), 0), "physicalLocation");
	json_t *art = json_object_get(loc, "artifactLocation");
	assert_string_equal(json_string_value(json_object_get(art, "uri")), "farm/BTS%2001.xml");
	assert_string_equal(json_string_value(json_object_get(art, "uriBaseId")), "%SRCROOT%");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(loc, "region"), "startLine")), 12);

	/* No line: no region (startLine must be >= 1); absolute path: file URI. */
	json_t *r1 = json_array_get(results, 1);
	loc = json_object_get(json_array_get(json_object_get(r1, "locations"), 0), "physicalLocation");
	assert_null(json_object_get(loc, "region"));
	art = json_object_get(loc, "artifactLocation");
	assert_string_equal(json_string_value(json_object_get(art, "uri")), "file:///abs/x.xml");
	assert_null(json_object_get(art, "uriBaseId"));

	json_t *r2 = json_array_get(results, 2);
	json_t *sup = json_array_get(json_object_get(r2, "suppressions"), 0);
	assert_string_equal(json_string_value(json_object_get(sup, "kind")), "inSource");
	assert_string_equal(json_string_value(json_object_get(sup, "justification")), "accepted");
	assert_null(json_object_get(r0, "suppressions"));

	json_t *inv = json_array_get(json_object_get(run, "invocations"), 0);
	assert_true(json_is_false(json_object_get(inv, "executionSuccessful")));
	json_t *note = json_array_get(json_object_get(inv, "toolExecutionNotifications"), 0);
	assert_string_equal(json_string_value(json_object_get(json_object_get(note, "message"), "text")),
	                    "cannot open");
	assert_string_equal(json_string_value(json_object_get(note, "level")), "error");
	json_decref(root);
	result_free(&fx.r);
}

static void test_sarif_fingerprints_ignore_lines(void **state)
{
	(void)state;
	fixture a, b;
	one_input(&a, "x.xml");
	one_input(&b, "x.xml");
	add_finding(&a.r, "SQL002", BTC_SEV_ERROR, "x.xml", 10, "MgmtDb", "m");
	add_finding(&a.r, "SQL002", BTC_SEV_ERROR, "x.xml", 20, "MgmtDb", "m");
	add_finding(&b.r, "SQL002", BTC_SEV_ERROR, "x.xml", 13, "MgmtDb", "m");
	add_finding(&b.r, "SQL002", BTC_SEV_ERROR, "x.xml", 23, "MgmtDb", "m");
	add_finding(&b.r, "SQL002", BTC_SEV_ERROR, "x.xml", 30, "OtherDb", "m");
	json_t *ja = sarif(&a.r), *jb = sarif(&b.r);
	json_t *ra = json_object_get(first_run(ja), "results"), *rb = json_object_get(first_run(jb), "results");
	/* Moved lines keep the fingerprints; equal keys differ by occurrence. */
	assert_string_equal(fingerprint_of(json_array_get(ra, 0)), fingerprint_of(json_array_get(rb, 0)));
	assert_string_equal(fingerprint_of(json_array_get(ra, 1)), fingerprint_of(json_array_get(rb, 1)));
	assert_string_not_equal(fingerprint_of(json_array_get(ra, 0)), fingerprint_of(json_array_get(ra, 1)));
	assert_string_not_equal(fingerprint_of(json_array_get(rb, 2)), fingerprint_of(json_array_get(rb, 0)));
	json_decref(ja);
	json_decref(jb);
	result_free(&a.r);
	result_free(&b.r);

	/* Occurrences count per key, in report order, whatever comes between. */
	fixture c;
	one_input(&c, "x.xml");
	add_finding(&c.r, "SQL002", BTC_SEV_ERROR, "x.xml", 10, "MgmtDb", "m");
	add_finding(&c.r, "SQL002", BTC_SEV_ERROR, "x.xml", 11, "OtherDb", "m");
	add_finding(&c.r, "SQL002", BTC_SEV_ERROR, "x.xml", 12, "MgmtDb", "m");
	json_t *jc = sarif(&c.r);
	json_t *rc = json_object_get(first_run(jc), "results");
	const char *suffix[] = {":1", ":1", ":2"};
	for (size_t i = 0; i < 3; i++) {
		const char *fp = fingerprint_of(json_array_get(rc, i));
		assert_string_equal(fp + strlen(fp) - 2, suffix[i]);
	}
	/* The same key, so the same hash before the occurrence. */
	assert_int_equal(strncmp(fingerprint_of(json_array_get(rc, 0)), fingerprint_of(json_array_get(rc, 2)), 16), 0);
	json_decref(jc);
	result_free(&c.r);
}

/* File names are bytes: SARIF (JSON) and JUnit (XML) must still be valid. */
static void test_bytes_that_are_not_utf8(void **state)
{
	(void)state;
	fixture fx;
	one_input(&fx, "we\xffird\x01.xml");
	add_finding(&fx.r, "SQL002", BTC_SEV_ERROR, "we\xffird\x01.xml", 2, "s\xfe", "in we\xffird\x01.xml");
	json_t *root = sarif(&fx.r);
	json_t *res = json_array_get(json_object_get(first_run(root), "results"), 0);
	json_t *loc = json_object_get(json_array_get(json_object_get(res, "locations"), 0), "physicalLocation");
	assert_string_equal(json_string_value(json_object_get(json_object_get(loc, "artifactLocation"), "uri")),
	                    "we%FFird%01.xml");
	assert_string_equal(json_string_value(json_object_get(json_object_get(res, "message"), "text")),
	                    "in we\xef\xbf\xbdird\x01.xml");
	json_decref(root);
	xmlFreeDoc(junit_doc(&fx.r)); /* junit_doc asserts it validates */
	result_free(&fx.r);
}

/* ---- JSON written element by element ------------------------------------ */

/* Items of the streamed array: element 1 is left out. */
static int stream_item(void *ctx, size_t i, json_t **out)
{
	json_t *const *all = ctx;
	*out = i == 1 ? NULL : json_incref(all[i]);
	return 0;
}

/* Writes what json_dumpf writes for the same tree, even when the strings
 * around hold the placeholder's characters or its member's text: two
 * arrays at different depths, of 0 to 3 elements (one left out). */
static void test_json_streamed_as_dumped(void **state)
{
	(void)state;
	/* The placeholders' characters, and a member as the dump shows it. */
	const char *hostile = "\"items\": \"\001btclint-array-0\001\" \n\\\"items\": \"\\u0001btclint-array-0\\u0001\"";
	json_t *all[3] = {
	    json_pack("{s:s, s:[i, {s:s}]}", "path", hostile, "nested", 1, "deep", "x"),
	    json_pack("{s:s}", "left", "out"),
	    json_pack("{s:{}, s:[]}", "empty", "none"),
	};
	for (size_t n = 0; n <= 3; n++) {
		/* Expected: the whole tree, the arrays built in memory. */
		json_t *items = json_array(), *top = json_array();
		for (size_t i = 0; i < n; i++) {
			if (i != 1) {
				json_array_append(items, all[i]);
				json_array_append(top, all[i]);
			}
		}
		json_t *want_parent = json_pack("{s:s, s:o, s:i}", "before", hostile, "items", items, "after", 2);
		json_t *want = json_pack("{s:s, s:o, s:[o], s:{s:s}}", "a", hostile, "top", top, "runs", want_parent, "z",
					 "k", hostile);
		char *want_text = json_dumps(want, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

		json_t *parent = json_pack("{s:s, s:n, s:i}", "before", hostile, "items", "after", 2);
		json_t *root =
		    json_pack("{s:s, s:n, s:[O], s:{s:s}}", "a", hostile, "top", "runs", parent, "z", "k", hostile);
		/* Given in the other order than they stand. */
		const btc_json_array arrays[] = {
		    {parent, "items", n, stream_item, all},
		    {root, "top", n, stream_item, all},
		};
		char *got = NULL;
		size_t got_len = 0;
		FILE *f = open_memstream(&got, &got_len);
		assert_non_null(f);
		assert_int_equal(btc_json_write_streamed(f, root, arrays, 2), 0);
		fclose(f);
		assert_int_equal(got_len, strlen(want_text) + 1);
		assert_memory_equal(got, want_text, strlen(want_text));
		assert_int_equal(got[got_len - 1], '\n');
		free(got);
		free(want_text);
		json_decref(want);
		json_decref(root);
		json_decref(parent);
	}
	for (size_t i = 0; i < 3; i++)
		json_decref(all[i]);
}

/* Deeper than the writer's run of blanks (32): the indentation is written
 * in pieces, and never with the NUL of the piece. */
static void test_json_streamed_deep(void **state)
{
	(void)state;
	json_t *element = json_pack("{s:[i, i]}", "v", 1, 2);
	json_t *items = json_array();
	json_array_append(items, element);
	json_t *parent = json_pack("{s:n}", "items"), *want_inner = json_pack("{s:O}", "items", items);
	json_t *root = json_incref(parent), *want = want_inner;
	for (int depth = 0; depth < 20; depth++) {
		root = json_pack("{s:o}", "d", root);
		want = json_pack("{s:o}", "d", want);
	}
	json_t *all[1] = {element};
	const btc_json_array arrays[] = {{parent, "items", 1, stream_item, all}};
	char *want_text = json_dumps(want, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	char *got = NULL;
	size_t got_len = 0;
	FILE *f = open_memstream(&got, &got_len);
	assert_non_null(f);
	assert_int_equal(btc_json_write_streamed(f, root, arrays, 1), 0);
	fclose(f);
	assert_int_equal(got_len, strlen(want_text) + 1);
	assert_memory_equal(got, want_text, strlen(want_text));
	free(got);
	free(want_text);
	json_decref(want);
	json_decref(root);
	json_decref(parent);
	json_decref(items);
	json_decref(element);
}

/* ---- suppressions, on real parses --------------------------------------- */

#define DOC(body) "<Configuration>\n<Feature Name=\"Engine,BTSCfg\">\n" body "</Feature>\n</Configuration>\n"
#define MGMT(server)                                                                                                   \
	"<SQL ID=\"{D757DBF9-5D71-4995-9F20-A552B7DFE7F1}\">\n<Server>" server                                         \
	"</Server>\n<Database>MgmtDb</Database>\n</SQL>\n"
#define MSGBOX(server)                                                                                                 \
	"<SQL ID=\"{84ADD76E-EBEB-4bb8-B9EB-64F87E483C39}\">\n<Server>" server                                         \
	"</Server>\n<Database>MsgBoxDb</Database>\n</SQL>\n"

typedef struct checked {
	btc_export *e;
	btc_findings f;
} checked;

static void check_xml(checked *c, const char *xml, bool apply)
{
	btc_error err = {0};
	memset(c, 0, sizeof(*c));
	assert_int_equal(btc_export_parse_memory(&c->e, "t.xml", xml, strlen(xml), NULL, &err), 0);
	btc_export *list[1] = {c->e};
	btc_farm farm = {.exports = list, .n_exports = 1};
	btc_run_options opts = {.no_inline_suppressions = !apply};
	btc_rules_run(&c->f, &farm, 0, &opts);
	btc_findings_sort(&c->f);
}

static void checked_free(checked *c)
{
	btc_findings_free(&c->f);
	btc_export_free(c->e);
}

/* Counts findings of rule: shown (not hidden) and suppressed. */
static void tally(const checked *c, const char *rule, int *shown, int *suppressed)
{
	*shown = *suppressed = 0;
	for (size_t i = 0; i < c->f.count; i++) {
		if (strcmp(c->f.items[i].rule, rule) != 0)
			continue;
		if (c->f.items[i].suppressed)
			(*suppressed)++;
		else
			(*shown)++;
	}
}

typedef struct suppression_case {
	const char *name;
	const char *xml;
	int sql002_shown, sql002_suppressed, cfg005;
} suppression_case;

static const suppression_case suppression_cases[] = {
    {"next element only", DOC("<!-- btclint-disable SQL002: lab box -->\n" MGMT("localhost") MSGBOX("localhost")), 1, 1,
     0},
    {"two rules, spaces", DOC("<!-- btclint-disable SQL007, sql002 : lab -->\n" MGMT("localhost")), 0, 1, 0},
    {"file wide", DOC("<!-- btclint-disable-file SQL002: lab -->\n" MGMT("localhost") MSGBOX("localhost")), 0, 2, 0},
    {"before the root", "<!-- btclint-disable SQL002: lab -->\n" DOC(MGMT("localhost") MSGBOX("localhost")), 0, 2, 0},
    {"other rule", DOC("<!-- btclint-disable SQL007: lab -->\n" MGMT("localhost")), 1, 0, 0},
    {"no reason", DOC("<!-- btclint-disable SQL002 -->\n" MGMT("localhost")), 1, 0, 1},
    {"empty reason", DOC("<!-- btclint-disable SQL002:   -->\n" MGMT("localhost")), 1, 0, 1},
    {"unknown rule", DOC("<!-- btclint-disable SQL002,XYZ999: lab -->\n" MGMT("localhost")), 1, 0, 1},
    {"no rule", DOC("<!-- btclint-disable: lab -->\n" MGMT("localhost")), 1, 0, 1},
    {"typo in directive", DOC("<!-- btclint-disabel SQL002: lab -->\n" MGMT("localhost")), 1, 0, 1},
    {"covers nothing", DOC(MGMT("localhost") "<!-- btclint-disable SQL002: lab -->\n"), 1, 0, 1},
    {"inside the element",
     DOC("<SQL ID=\"{D757DBF9-5D71-4995-9F20-A552B7DFE7F1}\">\n"
         "<!-- btclint-disable SQL002: lab -->\n<Server>localhost</Server>\n</SQL>\n"),
     0, 1, 0},
    {"ordinary comment", DOC("<!-- SQL002: not ours -->\n" MGMT("localhost")), 1, 0, 0},
};

static void test_suppressions(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(suppression_cases) / sizeof(suppression_cases[0]); i++) {
		const suppression_case *t = &suppression_cases[i];
		checked c;
		int shown, suppressed, cfg005, ignored;
		check_xml(&c, t->xml, true);
		tally(&c, "SQL002", &shown, &suppressed);
		tally(&c, "CFG005", &cfg005, &ignored);
		if (shown != t->sql002_shown || suppressed != t->sql002_suppressed || cfg005 != t->cfg005)
			print_error("case '%s': SQL002 shown %d suppressed %d, CFG005 %d\n", t->name, shown, suppressed,
			            cfg005);
		assert_int_equal(shown, t->sql002_shown);
		assert_int_equal(suppressed, t->sql002_suppressed);
		assert_int_equal(cfg005, t->cfg005);
		checked_free(&c);
	}
}

static void test_suppression_justification_and_audit(void **state)
{
	(void)state;
	checked c;
	check_xml(&c, DOC("<!-- btclint-disable SQL002: lab box, never clustered -->\n" MGMT("localhost")), false);
	/* Not applied (--no-inline-suppressions): every finding is shown. */
	int shown, suppressed;
	tally(&c, "SQL002", &shown, &suppressed);
	assert_int_equal(shown, 1);
	checked_free(&c);
	check_xml(&c, DOC("<!-- btclint-disable SQL002: lab box, never clustered -->\n" MGMT("localhost")), true);
	tally(&c, "SQL002", &shown, &suppressed);
	assert_int_equal(suppressed, 1);
	for (size_t i = 0; i < c.f.count; i++) {
		if (strcmp(c.f.items[i].rule, "SQL002") == 0)
			assert_string_equal(c.f.items[i].justification, "lab box, never clustered");
	}
	checked_free(&c);
}

/* ---- baselines ---------------------------------------------------------- */

static char *temp_path(void)
{
	char *p = strdup("/tmp/btclint-baseline-XXXXXX");
	assert_non_null(p);
	int fd = mkstemp(p);
	assert_true(fd >= 0);
	close(fd);
	return p;
}

static int baselined(const checked *c)
{
	int n = 0;
	for (size_t i = 0; i < c->f.count; i++)
		n += c->f.items[i].baselined;
	return n;
}

static void test_baseline_moved_and_renamed(void **state)
{
	(void)state;
	char *path = temp_path();
	btc_error err = {0};
	checked before, moved, renamed;
	check_xml(&before, DOC(MGMT("localhost") MSGBOX("localhost")), true);
	assert_int_equal(before.f.count, 2);
	assert_int_equal(btc_baseline_write(path, &before.f, &err), 0);

	btc_baseline *b = NULL;
	assert_int_equal(btc_baseline_load(&b, path, &err), 0);

	/* Three lines added above: same keys, new lines, still baselined. */
	check_xml(&moved,
	          DOC("<Question ID=\"Q\"><Answer Value=\"A\" Selected=\"Yes\"/>\n</Question>\n\n" MGMT("localhost")
	                  MSGBOX("localhost")),
	          true);
	assert_int_not_equal(moved.f.items[0].line, before.f.items[0].line);
	assert_int_equal(btc_baseline_apply(b, &moved.f), 2);
	assert_int_equal(baselined(&moved), 2);

	/* The MessageBox database renamed: its finding is new. */
	check_xml(
	    &renamed,
	    DOC(MGMT("localhost") "<SQL ID=\"{84ADD76E-EBEB-4bb8-B9EB-64F87E483C39}\">\n<Server>localhost</Server>\n"
	                          "<Database>MsgBoxDb2</Database>\n</SQL>\n"),
	    true);
	assert_int_equal(btc_baseline_apply(b, &renamed.f), 1);
	for (size_t i = 0; i < renamed.f.count; i++)
		assert_int_equal(renamed.f.items[i].baselined, strcmp(renamed.f.items[i].subject, "MgmtDb") == 0);

	btc_baseline_free(b);
	checked_free(&before);
	checked_free(&moved);
	checked_free(&renamed);
	unlink(path);
	free(path);
}

static void test_baseline_counts_identical_keys(void **state)
{
	(void)state;
	char *path = temp_path();
	btc_error err = {0};
	btc_result one = {0}, three = {0};
	add_finding(&one, "SQL002", BTC_SEV_ERROR, "a.xml", 1, "Db", "m");
	add_finding(&three, "SQL002", BTC_SEV_ERROR, "a.xml", 1, "Db", "m");
	add_finding(&three, "SQL002", BTC_SEV_ERROR, "./a.xml", 5, "Db", "m");
	add_finding(&three, "SQL002", BTC_SEV_ERROR, "a.xml", 9, "Db", "m");
	assert_int_equal(btc_baseline_write(path, &one.findings, &err), 0);
	btc_baseline *b = NULL;
	assert_int_equal(btc_baseline_load(&b, path, &err), 0);
	/* One entry hides one of three identical findings; "./a.xml" is "a.xml". */
	assert_int_equal(btc_baseline_apply(b, &three.findings), 1);
	btc_baseline_free(b);

	assert_int_equal(btc_baseline_write(path, &three.findings, &err), 0);
	assert_int_equal(btc_baseline_load(&b, path, &err), 0);
	for (size_t i = 0; i < three.findings.count; i++)
		three.findings.items[i].baselined = false;
	assert_int_equal(btc_baseline_apply(b, &three.findings), 3);
	btc_baseline_free(b);
	result_free(&one);
	result_free(&three);
	unlink(path);
	free(path);
}

static void test_baseline_invalid(void **state)
{
	(void)state;
	static const char *const bad[] = {
	    "",
	    "[]",
	    "{\"version\": 1}",
	    "{\"version\": 2, \"findings\": []}",
	    "{\"version\": 1, \"findings\": [{\"rule\": \"SQL002\"}]}",
	    "{\"version\": 1, \"findings\": [{\"rule\": \"SQL002\", \"path\": \"a\", \"count\": 0}]}",
	};
	char *path = temp_path();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		FILE *fp = fopen(path, "w");
		assert_non_null(fp);
		fputs(bad[i], fp);
		fclose(fp);
		btc_baseline *b = NULL;
		btc_error err = {0};
		assert_int_equal(btc_baseline_load(&b, path, &err), -1);
		assert_null(b);
		assert_true(err.message[0] != '\0');
	}
	btc_baseline *b = NULL;
	btc_error err = {0};
	assert_int_equal(btc_baseline_load(&b, "/nonexistent/baseline.json", &err), -1);
	unlink(path);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_github_escaping),
	    cmocka_unit_test(test_github_order_and_hidden),
	    cmocka_unit_test(test_github_input_error),
	    cmocka_unit_test(test_azure_escaping),
	    cmocka_unit_test(test_junit_structure),
	    cmocka_unit_test(test_junit_not_run_rules),
	    cmocka_unit_test(test_sarif_rules_and_clean_run),
	    cmocka_unit_test(test_sarif_results),
	    cmocka_unit_test(test_sarif_fingerprints_ignore_lines),
	    cmocka_unit_test(test_bytes_that_are_not_utf8),
	    cmocka_unit_test(test_json_streamed_as_dumped),
	    cmocka_unit_test(test_json_streamed_deep),
	    cmocka_unit_test(test_suppressions),
	    cmocka_unit_test(test_suppression_justification_and_audit),
	    cmocka_unit_test(test_baseline_moved_and_renamed),
	    cmocka_unit_test(test_baseline_counts_identical_keys),
	    cmocka_unit_test(test_baseline_invalid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
