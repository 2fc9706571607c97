/* The PRB rules from hand-built facts: no network, no FreeTDS server. What
 * is probed (collection from exports), what each persona's facts give, and
 * where the findings point. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "export/parse.h"
#include "probe/probe.h"
#include "rules/prb.h"
#include "rules/rules.h"

#define MGMT_ID              "{D757DBF9-5D71-4995-9F20-A552B7DFE7F1}"
#define MSGBOX_ID            "{84ADD76E-EBEB-4bb8-B9EB-64F87E483C39}"
#define TRACKING_ID          "{1033195A-3C23-4750-BBD0-06BC12A175D4}"
#define SQLB(id, server, db) "<SQL ID=\"" id "\"><Server>" server "</Server><Database>" db "</Database></SQL>\n"
#define GROUP(mode, body)                                                                                              \
	"<Feature Name=\"WMI\">\n" body "<Question ID=\"CREATEORJOIN\">\n<Answer Value=\"" mode                        \
	"\" Selected=\"Yes\"/>\n</Question>\n</Feature>\n"
#define SSOF(mode, server)                                                                                             \
	"<Feature Name=\"SSOServer\">\n<Question ID=\"IsSecretServer\">\n<Answer Value=\"" mode                        \
	"\" Selected=\"Yes\"/>\n</Question>\n" SQLB("SSO_DB_ID", server, "SSODB") "</Feature>\n"
#define EXPORT(body) "<Configuration>\n" body "</Configuration>\n"

static btc_export *parse(const char *path, const char *xml)
{
	btc_export *e = NULL;
	btc_error err = {0};
	assert_int_equal(0, btc_export_parse_memory(&e, path, xml, strlen(xml), NULL, &err));
	return e;
}

/* ---- facts of the test server's personas, by hand ---- */

static struct btc_probe_node two_up[] = {{"SQLN01", 0, "up", 1}, {"SQLN02", 0, "up", 0}};
static struct btc_probe_node one_up[] = {{"SQLN01", 0, "up", 1}};
static struct btc_probe_node one_down[] = {{"SQLN01", 0, "up", 1}, {"SQLN02", 1, "down", 0}};
static char *listener_names[] = {"BTSAGL01.contoso.com"};

static struct btc_probe_result answered(int clustered, int hadr, const char *machine, const char *physical,
                                        const char *instance)
{
	struct btc_probe_result r;
	memset(&r, 0, sizeof(r));
	r.answered = true;
	r.error = BTC_PROBE_OK;
	r.facts.properties_read = true;
	r.facts.is_clustered = clustered;
	r.facts.is_hadr = hadr;
	r.facts.machine_name = (char *)machine;
	r.facts.physical_node = (char *)physical;
	r.facts.server_name = (char *)machine;
	r.facts.instance_name = (char *)instance;
	r.facts.nodes_read = true;
	return r;
}

static struct btc_probe_result fci(struct btc_probe_node *nodes, size_t n)
{
	struct btc_probe_result r = answered(1, 0, "SQLVS01", "SQLN01", "BTS");
	r.facts.nodes = nodes;
	r.facts.n_nodes = n;
	return r;
}

static struct btc_probe_result listener(void)
{
	struct btc_probe_result r = answered(0, 1, "SQLN03", "SQLN03", NULL);
	r.facts.listeners_read = true;
	r.facts.listeners = listener_names;
	r.facts.n_listeners = 1;
	return r;
}

static struct btc_probe_result failed(bool was_answered, enum btc_probe_error error, const char *message)
{
	struct btc_probe_result r;
	memset(&r, 0, sizeof(r));
	r.answered = was_answered;
	r.error = error;
	r.facts.is_clustered = r.facts.is_hadr = BTC_PROBE_UNKNOWN;
	snprintf(r.message, sizeof(r.message), "%s", message);
	return r;
}

/* Runs every rule in `btclint probe` mode on one endpoint with these facts;
 * fills counts[] per PRB rule (PRB001 at [1]) and checks that the findings
 * have no file, no line, and the server string as subject. */
static void judge(const char *server, const char *host, const char *instance, struct btc_probe_result *r,
                  int counts[10])
{
	btc_prb_set set = {0};
	btc_findings f = {0};
	btc_farm farm = {0};
	assert_int_equal(0, btc_prb_add(&set, server, host, instance, -1, NULL));
	set.items[0].result = r;
	set.standalone = true;
	btc_run_options o = {.probe = &set};
	btc_rules_run(&f, &farm, 0, &o);
	memset(counts, 0, 10 * sizeof(int));
	for (size_t i = 0; i < f.count; i++) {
		assert_int_equal(0, strncmp(f.items[i].rule, "PRB", 3));
		counts[atoi(f.items[i].rule + 3)]++;
		assert_null(f.items[i].path);
		assert_int_equal(0, f.items[i].line);
		assert_string_equal(set.items[0].name, f.items[i].subject);
	}
	btc_findings_free(&f);
	btc_prb_set_free(&set);
}

typedef struct persona_case {
	const char *name;
	const char *server, *host, *instance;
	struct btc_probe_result (*facts)(void);
	int want[10]; /* per PRB rule number */
} persona_case;

static struct btc_probe_result p_fci(void)
{
	return fci(two_up, 2);
}
static struct btc_probe_result p_onenode(void)
{
	return fci(one_up, 1);
}
static struct btc_probe_result p_nodedown(void)
{
	return fci(one_down, 2);
}
static struct btc_probe_result p_standalone(void)
{
	return answered(0, 0, "STANDALONE01", "STANDALONE01", NULL);
}
static struct btc_probe_result p_listener(void)
{
	return listener();
}
static struct btc_probe_result p_denied(void)
{
	struct btc_probe_result r = answered(1, 1, "SQLVS01", "SQLN01", NULL);
	r.facts.nodes_read = false;
	r.facts.nodes_denied = true;
	r.facts.listeners_denied = true;
	return r;
}
static struct btc_probe_result p_hidden(void)
{
	struct btc_probe_result r = answered(0, 1, "SQLN03", "SQLN03", NULL);
	r.facts.listeners_read = true;
	r.facts.listeners_denied = true; /* sees none: may be hidden */
	return r;
}
static struct btc_probe_result p_badlogin(void)
{
	return failed(true, BTC_PROBE_LOGIN_FAILED, "BADLOGIN01: login refused: Login failed (error 18456)");
}
static struct btc_probe_result p_refused(void)
{
	return failed(false, BTC_PROBE_REFUSED, "CLOSED01: refused");
}
static struct btc_probe_result p_silent(void)
{
	return failed(false, BTC_PROBE_TIMEOUT, "SILENT01: no answer");
}
static struct btc_probe_result p_stall(void)
{
	return failed(true, BTC_PROBE_TIMEOUT, "logged in, but reading SERVERPROPERTY got no answer within 1 s");
}
static struct btc_probe_result p_unknown_node_state(void)
{
	static struct btc_probe_node nodes[] = {{"SQLN01", 0, "up", 1}, {"SQLN02", -1, NULL, BTC_PROBE_UNKNOWN}};
	return fci(nodes, 2);
}

static const persona_case personas[] = {
    {"fci by its virtual name", "SQLVS01\\BTS", "SQLVS01", "BTS", p_fci, {0}},
    {"fci by its FQDN, instance case", "sqlvs01.contoso.com\\bts", "sqlvs01.contoso.com", "bts", p_fci, {0}},
    {"fci by its active node", "SQLN01\\BTS", "SQLN01", "BTS", p_fci, {[4] = 1}},
    {"fci by the passive node's FQDN", "sqln02.contoso.com\\BTS", "sqln02.contoso.com", "BTS", p_fci, {[4] = 1}},
    {"fci by node, no instance", "SQLN01", "SQLN01", NULL, p_fci, {[4] = 1, [6] = 1}},
    {"fci by an IP", "10.0.0.5\\BTS", "10.0.0.5", "BTS", p_fci, {0}},
    {"standalone", "STANDALONE01", "STANDALONE01", NULL, p_standalone, {[3] = 1}},
    {"standalone, MSSQLSERVER", "STANDALONE01\\MSSQLSERVER", "STANDALONE01", "MSSQLSERVER", p_standalone, {[3] = 1}},
    {"listener", "BTSAGL01", "BTSAGL01", NULL, p_listener, {0}},
    {"listener, other domain", "btsagl01.fabrikam.net", "btsagl01.fabrikam.net", NULL, p_listener, {0}},
    {"listener with an instance", "BTSAGL01\\BTS", "BTSAGL01", "BTS", p_listener, {[6] = 1}},
    {"replica by its name", "SQLN03", "SQLN03", NULL, p_listener, {[3] = 1, [4] = 1}},
    {"one-node cluster", "SQLVS02\\BTS", "SQLVS02", "BTS", p_onenode, {[5] = 1}},
    {"node down", "SQLVS01\\BTS", "SQLVS01", "BTS", p_nodedown, {[8] = 1}},
    {"node state unknown", "SQLVS01\\BTS", "SQLVS01", "BTS", p_unknown_node_state, {0}},
    {"denied views", "DENIED01", "DENIED01", NULL, p_denied, {[9] = 2}},
    {"denied views, node name", "SQLN01", "SQLN01", NULL, p_denied, {[4] = 1, [9] = 2}},
    {"hidden listeners", "HIDDEN01", "HIDDEN01", NULL, p_hidden, {[9] = 1}},
    {"login failed", "BADLOGIN01", "BADLOGIN01", NULL, p_badlogin, {[2] = 1}},
    {"refused", "CLOSED01", "CLOSED01", NULL, p_refused, {[1] = 1}},
    {"silent", "SILENT01", "SILENT01", NULL, p_silent, {[1] = 1}},
    {"query stalls after login", "STALL01", "STALL01", NULL, p_stall, {[1] = 1}},
};

static void test_personas(void **state)
{
	(void)state;
	int failures = 0;
	for (size_t i = 0; i < sizeof(personas) / sizeof(personas[0]); i++) {
		const persona_case *c = &personas[i];
		struct btc_probe_result r = c->facts();
		int got[10];
		judge(c->server, c->host, c->instance, &r, got);
		for (int k = 1; k <= 9; k++) {
			if (got[k] != c->want[k]) {
				print_error("FAIL %s: PRB00%d fired %d times, want %d\n", c->name, k, got[k],
				            c->want[k]);
				failures++;
			}
		}
	}
	assert_int_equal(0, failures);
}

static void test_not_probed_not_run(void **state)
{
	(void)state;
	const char *xml = EXPORT(GROUP("JOIN", SQLB(MGMT_ID, "SQLVS01\\BTS", "BizTalkMgmtDb")));
	btc_export *e = parse("a.xml", xml);
	btc_farm farm = {.exports = &e, .n_exports = 1};
	btc_findings f = {0};
	btc_rules_run(&f, &farm, 0, NULL);
	for (size_t i = 0; i < f.count; i++)
		assert_int_not_equal(0, strncmp(f.items[i].rule, "PRB", 3));
	btc_findings_free(&f);
	btc_export_free(e);
	assert_true(btc_rule_needs_probe(btc_rule_find("PRB001")));
	assert_false(btc_rule_needs_probe(btc_rule_find("SQL003")));
	for (size_t i = 0; i < btc_rule_count; i++) {
		if (strncmp(btc_rules[i].id, "PRB", 3) == 0)
			assert_string_equal("P", btc_rules[i].data);
	}
}

/* Distinct server strings as written (trimmed, ignoring case), without
 * placeholders, local aliases and Analysis Services; databases only from
 * exports that join. */
static void test_collect(void **state)
{
	(void)state;
	const char *a = EXPORT(
	    GROUP("CREATE",
	          SQLB(MGMT_ID, "SQLVS01\\BTS", "BizTalkMgmtDb") SQLB(MSGBOX_ID, "localhost", "BizTalkMsgBoxDb")
	              SQLB(TRACKING_ID, "{{SQL_SERVER}}",
	                   "BizTalkDTADb") "<SQL ID=\"{16567D1E-6946-4f4e-BB3F-900DE2648328}\" MSOLAPServer=\"Yes\">"
	                                   "<Server>OLAP01</Server><Database>BAMAnalysis</Database></SQL>\n")
	        SSOF("CREATE", "STANDALONE01"));
	const char *b =
	    EXPORT(GROUP("JOIN", SQLB(MGMT_ID, " sqlvs01\\bts ", "BizTalkMgmtDb_B")) SSOF("JOIN", "standalone01"));
	btc_export *ex[2] = {parse("a.xml", a), parse("b.xml", b)};
	btc_farm farm = {.exports = ex, .n_exports = 2};
	btc_prb_set set = {0};
	assert_int_equal(0, btc_prb_collect(&set, &farm));
	assert_int_equal(2, set.count);
	assert_string_equal("SQLVS01\\BTS", set.items[0].name);
	assert_string_equal("SQLVS01", set.items[0].host);
	assert_string_equal("BTS", set.items[0].instance);
	assert_int_equal(-1, set.items[0].port);
	/* Only b joins: its database, not a's. */
	assert_int_equal(1, set.items[0].n_databases);
	assert_string_equal("BizTalkMgmtDb_B", set.items[0].databases[0]);
	assert_string_equal("STANDALONE01", set.items[1].name);
	assert_int_equal(1, set.items[1].n_databases);
	assert_string_equal("SSODB", set.items[1].databases[0]);
	assert_non_null(btc_prb_find(&set, "  Standalone01 "));
	assert_null(btc_prb_find(&set, "localhost"));
	assert_null(btc_prb_find(&set, "OLAP01"));
	/* HOST,PORT keeps its port. */
	size_t at = 9;
	assert_int_equal(0, btc_prb_add(&set, "SQLVS01,51000", "SQLVS01", "", 51000, &at));
	assert_int_equal(2, at);
	assert_null(set.items[2].instance);
	assert_int_equal(51000, set.items[2].port);
	btc_prb_set_free(&set);
	btc_prb_set_free(&set);
	btc_prb_set_free(NULL);
	btc_export_free(ex[0]);
	btc_export_free(ex[1]);
}

/* In `check`, a finding points at the first element of each export that
 * uses the endpoint; PRB007 at the database of the joining export. */
static void test_where_findings_point(void **state)
{
	(void)state;
	const char *a = EXPORT(GROUP("CREATE", SQLB(MGMT_ID, "STANDALONE01", "BizTalkMgmtDb")
	                                           SQLB(MSGBOX_ID, "STANDALONE01", "BizTalkMsgBoxDb")));
	const char *b = EXPORT(SSOF("JOIN", "SQLVS01\\BTS") GROUP("JOIN", SQLB(MGMT_ID, "standalone01", "NoSuchDb")));
	btc_export *ex[2] = {parse("a.xml", a), parse("b.xml", b)};
	btc_farm farm = {.exports = ex, .n_exports = 2};
	btc_prb_set set = {0};
	btc_findings f = {0};
	assert_int_equal(0, btc_prb_collect(&set, &farm));
	assert_int_equal(2, set.count);
	const btc_prb_endpoint *st = btc_prb_find(&set, "STANDALONE01");
	assert_int_equal(1, st->n_databases);
	struct btc_probe_result r0 = answered(0, 0, "STANDALONE01", "STANDALONE01", NULL);
	int present0[] = {0};
	r0.facts.databases_read = true;
	r0.facts.databases_present = present0;
	struct btc_probe_result r1 = fci(two_up, 2);
	int present1[] = {BTC_PROBE_UNKNOWN};
	r1.facts.databases_read = true;
	r1.facts.databases_denied = true;
	r1.facts.databases_present = present1;
	set.items[st == &set.items[0] ? 0 : 1].result = &r0;
	set.items[st == &set.items[0] ? 1 : 0].result = &r1;
	btc_run_options o = {.probe = &set};
	btc_rules_run(&f, &farm, 0, &o);
	btc_findings_sort(&f);
	int prb003 = 0, prb007 = 0, prb009 = 0;
	for (size_t i = 0; i < f.count; i++) {
		const btc_finding *x = &f.items[i];
		if (strncmp(x->rule, "PRB", 3) != 0)
			continue;
		if (strcmp(x->rule, "PRB003") == 0) {
			prb003++;
			/* a: its first use (line 3); b: its Management block. */
			assert_int_equal(strcmp(x->path, "a.xml") == 0 ? 3 : 9, x->line);
			assert_string_equal("STANDALONE01", x->subject);
		} else if (strcmp(x->rule, "PRB007") == 0) {
			prb007++;
			assert_string_equal("b.xml", x->path);
			assert_int_equal(9, x->line);
			assert_non_null(strstr(x->message, "NoSuchDb"));
		} else if (strcmp(x->rule, "PRB009") == 0) {
			prb009++;
			assert_string_equal("b.xml", x->path);
			assert_string_equal("SQLVS01\\BTS", x->subject);
		} else {
			print_error("unexpected %s: %s\n", x->rule, x->message);
			fail();
		}
	}
	assert_int_equal(2, prb003); /* one per export that uses it */
	assert_int_equal(1, prb007); /* the SSO database is unknown, not absent */
	assert_int_equal(1, prb009);
	btc_findings_free(&f);
	btc_prb_set_free(&set);
	btc_export_free(ex[0]);
	btc_export_free(ex[1]);
}

/* ---- SSO004: the master secret server recorded in SSODB ---- */

typedef struct sso_case {
	const char *name;
	bool declared; /* the inventory has [sso SSOVS01] */
	enum btc_probe_sso_state state;
	const char *recorded; /* gi_SecretServer */
	int want_sso004, want_prb009;
	const char *want_in_message; /* for SSO004 */
} sso_case;

static const sso_case sso_cases[] = {
    {"a node name", true, BTC_PROBE_SSO_READ, "SSON01", 1, 0, "SSON01, a node of the SSO cluster,"},
    {"an IP address", true, BTC_PROBE_SSO_READ, "10.0.0.7", 1, 0, "10.0.0.7, an IP address,"},
    {"another machine", true, BTC_PROBE_SSO_READ, "SSOVS02", 1, 0, "records SSOVS02 as"},
    {"the network name", true, BTC_PROBE_SSO_READ, "SSOVS01", 0, 0, NULL},
    {"its FQDN, other case, spaces", true, BTC_PROBE_SSO_READ, " ssovs01.contoso.com ", 0, 0, NULL},
    {"no [sso] section", false, BTC_PROBE_SSO_READ, "SSON01", 0, 0, NULL},
    /* PRB009, like every PRB finding, once per export that uses the endpoint. */
    {"refused: unknown, noted", true, BTC_PROBE_SSO_DENIED, NULL, 0, 2, NULL},
    {"no database or table yet", true, BTC_PROBE_SSO_MISSING, NULL, 0, 0, NULL},
    {"no row, or NULL", true, BTC_PROBE_SSO_READ, NULL, 0, 0, NULL},
    {"query failed", true, BTC_PROBE_SSO_NOT_READ, NULL, 0, 0, NULL},
};

/* Two exports on one SSO endpoint, written two ways: one finding, at the
 * Server element of the first; a third export's SSO database elsewhere is
 * not read. Only farms with an [sso] section collect SSO databases. */
static void run_sso_case(const sso_case *c, int *failures)
{
	const char *a =
	    EXPORT(SSOF("CREATE", "SQLVS01\\BTS") GROUP("CREATE", SQLB(MGMT_ID, "SQLVS01\\BTS", "BizTalkMgmtDb")));
	const char *b =
	    EXPORT(SSOF("JOIN", " sqlvs01\\bts ") GROUP("JOIN", SQLB(MGMT_ID, "SQLVS01\\BTS", "BizTalkMgmtDb")));
	btc_export *ex[2] = {parse("a.xml", a), parse("b.xml", b)};
	const char *nodes[] = {"SSON01", "SSON02"};
	btc_farm_sso sso = {"SSOVS01", 1, {nodes, 2, 2}};
	btc_farm farm = {.exports = ex, .n_exports = 2, .has_inventory = true};
	btc_error err = {0};
	if (c->declared) {
		farm.ssos = &sso;
		farm.n_ssos = 1;
	}
	assert_int_equal(0, btc_farm_index(&farm, &err));
	btc_prb_set set = {0};
	assert_int_equal(0, btc_prb_collect(&set, &farm));
	assert_int_equal(1, set.count);
	assert_int_equal(c->declared ? 1 : 0, set.items[0].n_sso_databases);
	if (c->declared)
		assert_string_equal("SSODB", set.items[0].sso_databases[0]);

	struct btc_probe_result r = fci(two_up, 2);
	struct btc_probe_sso fact = {c->state, (char *)c->recorded};
	r.facts.sso = &fact;
	r.facts.n_sso = 1;
	set.items[0].result = &r;
	/* Without [sso] the probe would not have read it; the rule must not
	 * judge it either way. */
	if (!c->declared) {
		char *dbs[] = {"SSODB"};
		set.items[0].sso_databases = dbs;
		set.items[0].n_sso_databases = 1;
	}

	btc_findings f = {0};
	btc_run_options o = {.probe = &set};
	btc_rules_run(&f, &farm, 0, &o);
	int sso004 = 0, prb009 = 0;
	for (size_t i = 0; i < f.count; i++) {
		const btc_finding *x = &f.items[i];
		if (strcmp(x->rule, "PRB009") == 0) {
			prb009++;
			if (strstr(x->message, "SSOX_GlobalInfo") == NULL || strstr(x->message, "SSODB") == NULL) {
				print_error("FAIL %s: PRB009 says %s\n", c->name, x->message);
				(*failures)++;
			}
		}
		if (strcmp(x->rule, "SSO004") != 0)
			continue;
		sso004++;
		if (strcmp(x->path, "a.xml") != 0 || x->line != 6 || strcmp(x->subject, "SQLVS01\\BTS") != 0 ||
		    x->severity != BTC_SEV_ERROR) {
			print_error("FAIL %s: SSO004 at %s:%d, subject %s\n", c->name, x->path, x->line, x->subject);
			(*failures)++;
		}
		if (c->want_in_message != NULL && strstr(x->message, c->want_in_message) == NULL) {
			print_error("FAIL %s: message \"%s\" lacks \"%s\"\n", c->name, x->message, c->want_in_message);
			(*failures)++;
		}
	}
	if (sso004 != c->want_sso004 || prb009 != c->want_prb009) {
		print_error("FAIL %s: SSO004 %d, PRB009 %d; want %d and %d\n", c->name, sso004, prb009, c->want_sso004,
		            c->want_prb009);
		(*failures)++;
	}
	if (!c->declared) {
		set.items[0].sso_databases = NULL;
		set.items[0].n_sso_databases = 0;
	}
	btc_findings_free(&f);
	btc_prb_set_free(&set);
	btc_farm_release(&farm);
	btc_export_free(ex[0]);
	btc_export_free(ex[1]);
}

static void test_sso004(void **state)
{
	(void)state;
	int failures = 0;
	for (size_t i = 0; i < sizeof(sso_cases) / sizeof(sso_cases[0]); i++)
		run_sso_case(&sso_cases[i], &failures);
	assert_int_equal(0, failures);
	const btc_rule *rule = btc_rule_find("SSO004");
	assert_non_null(rule);
	assert_string_equal("P+I", rule->data);
	assert_true(btc_rule_needs_probe(rule));
	assert_true(btc_rule_needs_inventory(rule));
}

/* `btclint probe SERVER` has no farm, no inventory: SSO004 judges nothing. */
static void test_sso004_not_standalone(void **state)
{
	(void)state;
	struct btc_probe_result r = fci(two_up, 2);
	struct btc_probe_sso fact = {BTC_PROBE_SSO_READ, "SSON01"};
	r.facts.sso = &fact;
	r.facts.n_sso = 1;
	int got[10];
	/* judge() fails on any finding that is not a PRB one. */
	judge("SQLVS01\\BTS", "SQLVS01", "BTS", &r, got);
	for (int k = 1; k <= 9; k++)
		assert_int_equal(0, got[k]);
}

/* The rules' names for error kinds are the probe's. */
static void test_error_names(void **state)
{
	(void)state;
	for (int k = BTC_PROBE_UNRESOLVED; k <= BTC_PROBE_OTHER; k++)
		assert_string_equal(btc_probe_error_name((enum btc_probe_error)k),
		                    btc_prb_error_name((enum btc_probe_error)k));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_personas),
	    cmocka_unit_test(test_not_probed_not_run),
	    cmocka_unit_test(test_collect),
	    cmocka_unit_test(test_where_findings_point),
	    cmocka_unit_test(test_error_names),
	    cmocka_unit_test(test_sso004),
	    cmocka_unit_test(test_sso004_not_standalone),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
