/* The site inventory (its error matrix, its declarations, configuration
 * order) and the farm rules, firing and not firing on small farms. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "export/parse.h"
#include "farm/inventory.h"
#include "rules/rules.h"
#include "util/text.h"

/* Inventories parsed from memory live "in" tests/data/farm, so that export
 * paths resolve against real files. */
#define INV_PATH BTC_SOURCE_DIR "/tests/data/farm/mem.ini"
#define GOOD "../../../samples/farms/good/exports/"

/* ---- the inventory's error matrix ---- */

typedef struct inv_error_case {
	const char *name;
	const char *text;
	int line;
	const char *message; /* a part of the message */
} inv_error_case;

static const inv_error_case inv_errors[] = {
	{"unknown kind", "[farm]\nname = x\n[cluster SQL1]\nnodes = a, b\n", 3, "unknown section kind 'cluster'"},
	{"kind in upper case", "[SQL SQLVS01]\nnodes = a, b\n", 1, "unknown section kind 'SQL'"},
	{"unknown key", "[sql SQLVS01]\nnodes = a, b\nnode = c\n", 3, "unknown key 'node'"},
	{"key before any section", "name = x\n[farm]\n", 1, "before any section"},
	{"missing nodes", "[farm]\n\n[sql SQLVS01]\ninstance = BTS\n[farm2]\n", 3, "has no 'nodes' key"},
	{"missing nodes at end", "[sso SSOVS01]\n; nothing\n", 1, "has no 'nodes' key"},
	{"missing export", "[server BTS01]\norder = 1\n", 1, "has no 'export' key"},
	{"missing replicas", "[listener AGL1]\nport = 1433\n", 1, "has no 'replicas' key"},
	{"missing uri", "[directory]\nbase = DC=contoso,DC=com\n", 1, "has no 'uri' key"},
	{"export does not exist", "[server BTS01]\nexport = exports/nope.xml\n", 2, "does not exist"},
	{"duplicate name", "[sql SQLVS01]\nnodes = a, b\n[server sqlvs01]\nexport = " GOOD "BTS01.xml\n", 3,
	 "already declared by [sql SQLVS01] at line 1"},
	{"duplicate name as fqdn", "[server BTS01]\nexport = " GOOD "BTS01.xml\n[server bts01.contoso.com]\nexport = " GOOD
				   "BTS02.xml\n",
	 3, "already declared"},
	{"two farm sections", "[farm]\nname = a\n[farm]\nname = b\n", 3, "a second [farm]"},
	{"farm with a name", "[farm prod]\n", 1, "takes no name"},
	{"sql without a name", "[sql]\nnodes = a, b\n", 1, "needs a machine or network name"},
	{"bad complete", "[farm]\ncomplete = maybe\n", 2, "complete = maybe"},
	{"bad port", "[sql SQLVS01]\nnodes = a, b\nport = 70000\n", 3, "port = 70000"},
	{"port not a number", "[listener AGL1]\nreplicas = a, b\nport = 14x\n", 3, "port = 14x"},
	{"bad order", "[server BTS01]\nexport = " GOOD "BTS01.xml\norder = 0\n", 3, "order = 0"},
	{"negative order", "[server BTS01]\nexport = " GOOD "BTS01.xml\norder = -2\n", 3, "order = -2"},
	{"order on some servers", "[server BTS01]\nexport = " GOOD "BTS01.xml\norder = 1\n[server BTS02]\nexport = " GOOD
				  "BTS02.xml\n",
	 4, "[server BTS02] has no order, but [server BTS01] has one (line 3)"},
	{"same order twice", "[server BTS01]\nexport = " GOOD "BTS01.xml\norder = 2\n[server BTS02]\nexport = " GOOD
			     "BTS02.xml\norder = 2\n",
	 6, "has order 2, like [server BTS01] (line 3)"},
	{"key twice", "[farm]\nname = a\nname = b\n", 3, "given twice"},
	{"empty value", "[farm]\ndomain =\n", 2, "is empty"},
	{"no closing bracket", "[farm\nname = a\n", 1, "without a closing ']'"},
	{"not a key line", "[farm]\nname = a\njust words\n", 3, "not a [section] header"},
	{"indented line is no continuation", "[farm]\nname = a\n  continued\n", 3, "not a [section] header"},
	{"node list with a space", "[sql SQLVS01]\nnodes = SQLN01 SQLN02\n", 2, "not one machine name"},
	{"empty node list", "[sso SSOVS01]\nnodes = , ,\n", 2, "lists no machine name"},
	{"bad starttls", "[directory]\nuri = ldaps://dc01\nstarttls = sometimes\n", 3, "starttls = sometimes"},
};

static void test_inventory_errors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(inv_errors) / sizeof(inv_errors[0]); i++) {
		const inv_error_case *c = &inv_errors[i];
		btc_inventory *inv = NULL;
		btc_error err = {0};
		print_message("inventory error: %s\n", c->name);
		assert_int_equal(-1, btc_inventory_parse(&inv, INV_PATH, c->text, &err));
		assert_null(inv);
		if (strstr(err.message, c->message) == NULL)
			fail_msg("%s: message \"%s\" lacks \"%s\"", c->name, err.message, c->message);
		assert_int_equal(c->line, err.line);
	}
}

static void test_inventory_missing_file(void **state)
{
	(void)state;
	btc_inventory *inv = NULL;
	btc_error err = {0};
	assert_int_equal(-1, btc_inventory_load(&inv, BTC_SOURCE_DIR "/tests/data/farm/none.ini", &err));
	assert_non_null(strstr(err.message, "cannot open"));
	btc_inventory_free(NULL);
}

static const char full_inventory[] =
	"; a full inventory\n"
	"[farm]\n"
	"name     = contoso-prod\n"
	"domain   = CONTOSO        ; NetBIOS\n"
	"complete = Yes\n"
	"\n"
	"[sql SQLVS01]\n"
	"instance        = BTS\n"
	"nodes           = SQLN01, sqln02.contoso.com\n"
	"windows-cluster = SQLWFC01\n"
	"port            = 1433\n"
	"[listener BTSAGL01]\n"
	"replicas        = SQLR01,SQLR02\n"
	"windows-cluster = SQLWFC02\n"
	"[sso SSOVS01]\n"
	"nodes = SSON01, SSON02\n"
	"[server BTS02]\n"
	"  export = " GOOD "BTS02.xml\n"
	"  order  = 3\n"
	"[server SSON01]\n"
	"export = " GOOD "SSON01.xml\n"
	"order  = 1\n"
	"[server BTS01]\n"
	"export = " GOOD "BTS01.xml\n"
	"order  = 2\n"
	"[directory]\n"
	"uri  = ldaps://dc01.contoso.com\n"
	"base = DC=contoso,DC=com\n"
	"bind = CN=svc-btclint,OU=Service Accounts,DC=contoso,DC=com  ; password elsewhere\n"
	"starttls = no\n"
	"ca = ca.pem\n";

static void test_inventory_full(void **state)
{
	(void)state;
	btc_inventory *inv = NULL;
	btc_error err = {0};
	assert_int_equal(0, btc_inventory_parse(&inv, INV_PATH, full_inventory, &err));
	assert_string_equal("contoso-prod", inv->name);
	assert_string_equal("CONTOSO", inv->domain);
	assert_true(inv->complete);
	assert_int_equal(2, inv->farm_line);
	assert_int_equal(1, inv->n_sqls);
	assert_string_equal("BTS", inv->sqls[0].instance);
	assert_int_equal(2, inv->sqls[0].nodes.count);
	assert_string_equal("sqln02.contoso.com", inv->sqls[0].nodes.items[1]);
	assert_int_equal(9, inv->sqls[0].nodes.line);
	assert_int_equal(1433, inv->sqls[0].port);
	assert_string_equal("SQLWFC02", inv->listeners[0].windows_cluster);
	assert_int_equal(2, inv->ssos[0].nodes.count);
	/* Sorted by order, whatever the section order. */
	assert_int_equal(3, inv->n_servers);
	assert_string_equal("SSON01", inv->servers[0].name);
	assert_string_equal("BTS01", inv->servers[1].name);
	assert_string_equal("BTS02", inv->servers[2].name);
	assert_string_equal(BTC_SOURCE_DIR "/tests/data/farm/" GOOD "BTS02.xml", inv->servers[2].export_path);
	assert_int_equal(18, inv->servers[2].export_line);
	assert_true(inv->directory.present);
	assert_string_equal("ldaps://dc01.contoso.com", inv->directory.uri);
	assert_string_equal("CN=svc-btclint,OU=Service Accounts,DC=contoso,DC=com", inv->directory.bind);
	assert_false(inv->directory.starttls);
	assert_string_equal(BTC_SOURCE_DIR "/tests/data/farm/ca.pem", inv->directory.ca);

	btc_farm farm = {0};
	assert_int_equal(0, btc_farm_from_inventory(&farm, inv, &err));
	/* Every known machine name, ignoring case, FQDNs on their first label. */
	const char *known[] = {"BTS01", "bts02", "SSON01.contoso.com", "sqln01", "SQLN02", "SQLVS01", "BTSAGL01",
			       "sqlr02", "SQLWFC01", "sqlwfc02.contoso.com", "SSOVS01", "sson02"};
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		print_message("known: %s\n", known[i]);
		assert_true(btc_farm_is_known_machine(&farm, known[i]));
	}
	assert_false(btc_farm_is_known_machine(&farm, "CONTOSO"));
	assert_false(btc_farm_is_known_machine(&farm, "sqln02.fabrikam.com"));
	assert_false(btc_farm_is_known_machine(&farm, ""));
	assert_non_null(btc_farm_lookup(&farm, "SQLN01")->sql_node);
	assert_non_null(btc_farm_lookup(&farm, "sqlwfc01")->sql_cluster);
	btc_farm_release(&farm);
	btc_inventory_free(inv);
}

static void test_inventory_section_order(void **state)
{
	(void)state;
	btc_inventory *inv = NULL;
	btc_error err = {0};
	const char *text = "[server BTS02]\nexport = " GOOD "BTS02.xml\n[server BTS01]\nexport = " GOOD "BTS01.xml\n";
	assert_int_equal(0, btc_inventory_parse(&inv, INV_PATH, text, &err));
	assert_string_equal("BTS02", inv->servers[0].name);
	assert_int_equal(1, inv->servers[0].order);
	assert_string_equal("BTS01", inv->servers[1].name);
	assert_int_equal(2, inv->servers[1].order);
	assert_null(inv->name);
	assert_false(inv->complete);
	btc_inventory_free(inv);
}

/* ---- farm rules on small farms ---- */

#define EXPORT(body) "<Configuration>\n" body "</Configuration>\n"
#define SQLB(id, server, db) "<SQL ID=\"" id "\"><Server>" server "</Server><Database>" db "</Database></SQL>\n"
#define SSO(mode, server)                                                                                      \
	"<Feature Name=\"SSOServer,Engine\">\n<Question ID=\"IsSecretServer\">\n<Answer Value=\"" mode        \
	"\" Selected=\"Yes\"/>\n</Question>\n" SQLB("SSO_DB_ID", server, "SSODB") "</Feature>\n"
#define GRPF(mode, server, admins)                                                                             \
	"<Feature Name=\"WMI\">\n" SQLB("{D757DBF9-5D71-4995-9F20-A552B7DFE7F1}", server, "BizTalkMgmtDb")          \
	"<Question ID=\"CREATEORJOIN\">\n<Answer Value=\"" mode "\" Selected=\"Yes\">\n"                          \
	"<NTCredential ID=\"BTS_ADMIN_GROUP\"><NTAccount>" admins "</NTAccount></NTCredential>\n"                  \
	"</Answer>\n</Question>\n</Feature>\n"
#define RUNTIME "<Feature Name=\"Engine,BTSCfg\">\n<Question ID=\"HOST\"><Answer Value=\"Yes\" Selected=\"Yes\"/></Question>\n</Feature>\n"

typedef struct member {
	const char *name; /* machine name; NULL without an inventory */
	const char *xml;
} member;

/* As the CLI checks a farm without --probe or a directory: each export fed
 * as it is read and freed right away, findings pointing at stable paths. It
 * must find exactly what the run over the whole farm (want) finds; under
 * ASan, a farm rule that kept a pointer into a freed export fails here. */
static void check_streamed(const btc_farm *whole, const member *members, char (*path)[32], const btc_findings *want)
{
	btc_farm farm = *whole;
	btc_findings got = {0};
	btc_error err = {0};

	farm.exports = NULL;
	farm.n_exports = 0;
	btc_farm_run *run = btc_farm_run_begin(&got, &farm, 0, NULL);
	assert_non_null(run);
	for (size_t i = 0; i < whole->n_exports; i++) {
		btc_export *e = NULL;
		assert_int_equal(0, btc_export_parse_memory(&e, "freed-soon.xml", members[i].xml,
							    strlen(members[i].xml), NULL, &err));
		btc_farm_run_feed(run, e, path[i], whole->servers[i], whole->decls[i]);
		btc_export_free(e);
	}
	btc_farm_run_end(run, NULL);
	btc_findings_sort(&got);
	assert_false(got.oom);
	assert_int_equal(got.count, want->count);
	for (size_t i = 0; i < got.count; i++) {
		const btc_finding *a = &got.items[i], *b = &want->items[i];
		assert_string_equal(a->rule, b->rule);
		assert_true(btc_eq(a->path, b->path));
		assert_int_equal(a->line, b->line);
		assert_int_equal(a->order, b->order);
		assert_true(btc_eq(a->subject, b->subject));
		assert_string_equal(a->message, b->message);
		assert_int_equal(a->suppressed, b->suppressed);
		assert_true(btc_eq(a->justification, b->justification));
	}
	btc_findings_free(&got);
}

/* Runs every rule on a farm of these exports, with the inventory text (or
 * none); returns the number of findings of rule, the first one's line in
 * *line and its message in msg. */
static int run_farm(const char *inventory, const member *members, size_t n, const char *rule, int *line,
		    char *msg, size_t msg_len)
{
	btc_inventory *inv = NULL;
	btc_error err = {0};
	btc_farm farm = {0};
	btc_export *exports[8] = {0};
	const char *servers[8] = {0};
	const btc_farm_server *decls[8] = {0};
	btc_findings f = {0};
	char path[8][32];

	assert_true(n <= 8);
	if (inventory != NULL) {
		assert_int_equal(0, btc_inventory_parse(&inv, INV_PATH, inventory, &err));
		assert_int_equal(0, btc_farm_from_inventory(&farm, inv, &err));
	}
	for (size_t i = 0; i < n; i++) {
		snprintf(path[i], sizeof(path[i]), "%s.xml", members[i].name ? members[i].name : "cli");
		assert_int_equal(0, btc_export_parse_memory(&exports[i], path[i], members[i].xml, strlen(members[i].xml),
							    NULL, &err));
		servers[i] = members[i].name;
		for (size_t j = 0; inv != NULL && j < inv->n_servers; j++) {
			if (members[i].name && strcmp(inv->servers[j].name, members[i].name) == 0)
				decls[i] = &inv->servers[j];
		}
	}
	farm.exports = exports;
	farm.servers = servers;
	farm.decls = decls;
	farm.n_exports = n;
	btc_rules_run(&f, &farm, 0, NULL);
	btc_findings_sort(&f);
	check_streamed(&farm, members, path, &f);
	int count = 0;
	for (size_t i = 0; i < f.count; i++) {
		if (strcmp(f.items[i].rule, rule) != 0)
			continue;
		if (count++ == 0) {
			if (line)
				*line = f.items[i].line;
			if (msg)
				snprintf(msg, msg_len, "%s", f.items[i].message);
		}
	}
	assert_false(f.oom);
	btc_findings_free(&f);
	for (size_t i = 0; i < n; i++)
		btc_export_free(exports[i]);
	btc_farm_release(&farm);
	btc_inventory_free(inv);
	return count;
}

#define INV_HEAD                                                                                               \
	"[farm]\nname = t\ndomain = CONTOSO\n"                                                                 \
	"[sql SQLVS01]\ninstance = BTS\nnodes = SQLN01, SQLN02\nwindows-cluster = SQLWFC01\n"                  \
	"[listener AGL01]\nreplicas = SQLR01, SQLR02\nwindows-cluster = SQLWFC02\n"
#define SERVER(name, file) "[server " name "]\nexport = " GOOD file "\n"

static const char inv_plain[] = INV_HEAD SERVER("BTS01", "BTS01.xml") SERVER("BTS02", "BTS02.xml");
static const char inv_sso[] = INV_HEAD "[sso SSOVS01]\nnodes = SSON01, SSON02\n" SERVER("SSON01", "SSON01.xml")
	SERVER("BTS01", "BTS01.xml") SERVER("BTS02", "BTS02.xml");

/* The runtime server's section comes before the SSO node's. */
static const char inv_sso_late[] = INV_HEAD "[sso SSOVS01]\nnodes = SSON01, SSON02\n" SERVER("BTS01", "BTS01.xml")
	SERVER("SSON01", "SSON01.xml");

typedef struct farm_case {
	const char *name;
	const char *inventory; /* NULL: no inventory */
	member members[4];
	const char *rule;
	int count;
	int line;              /* of the first finding; 0 = not checked */
	const char *message;   /* a part of its message, or NULL */
} farm_case;

#define OK_A EXPORT(SSO("Create", "SQLVS01\\BTS") GRPF("Create", "SQLVS01\\BTS", "CONTOSO\\Admins") RUNTIME)
#define OK_B EXPORT(SSO("Join", "SQLVS01\\BTS") GRPF("Join", "SQLVS01\\BTS", "CONTOSO\\Admins") RUNTIME)

static const farm_case farm_cases[] = {
	/* SQL003 */
	{"SQL003 node", inv_plain, {{"BTS01", EXPORT(SSO("Create", "sqln01.contoso.com\\BTS"))}}, "SQL003", 1, 6,
	 "physical node of the SQL Server failover cluster instance SQLVS01"},
	{"SQL003 replica", inv_plain, {{"BTS01", EXPORT(SSO("Create", "SQLR02"))}}, "SQL003", 1, 6, "listener AGL01"},
	{"SQL003 virtual name", inv_plain, {{"BTS01", OK_A}}, "SQL003", 0, 0, NULL},
	{"SQL003 without inventory", NULL, {{NULL, EXPORT(SSO("Create", "SQLN01\\BTS"))}}, "SQL003", 0, 0, NULL},
	/* SQL004 */
	{"SQL004 windows cluster", inv_plain, {{"BTS01", EXPORT(SSO("Create", "SQLWFC01\\BTS"))}}, "SQL004", 1, 6,
	 "enter the SQL network name SQLVS01\\BTS"},
	{"SQL004 ag cluster", inv_plain, {{"BTS01", EXPORT(SSO("Create", "sqlwfc02"))}}, "SQL004", 1, 6, "AGL01"},
	{"SQL004 virtual name", inv_plain, {{"BTS01", OK_A}}, "SQL004", 0, 0, NULL},
	/* SQL005 */
	{"SQL005 undeclared", inv_plain, {{"BTS01", EXPORT(SSO("Create", "SQLPROD7"))}}, "SQL005", 1, 6, "SQLPROD7"},
	{"SQL005 declared", inv_plain, {{"BTS01", EXPORT(SSO("Create", "AGL01"))}}, "SQL005", 0, 0, NULL},
	{"SQL005 node is SQL003's", inv_plain, {{"BTS01", EXPORT(SSO("Create", "SQLN01\\BTS"))}}, "SQL005", 0, 0, NULL},
	{"SQL005 local alias is SQL002's", inv_plain, {{"BTS01", EXPORT(SSO("Create", "localhost"))}}, "SQL005", 0, 0,
	 NULL},
	{"SQL005 ip is SQL008's", inv_plain, {{"BTS01", EXPORT(SSO("Create", "10.0.0.5"))}}, "SQL005", 0, 0, NULL},
	/* SQL006 */
	{"SQL006 missing instance", inv_plain, {{"BTS01", EXPORT(SSO("Create", "SQLVS01"))}}, "SQL006", 1, 6,
	 "without an instance"},
	{"SQL006 other instance", inv_plain, {{"BTS01", EXPORT(SSO("Create", "SQLVS01\\PROD"))}}, "SQL006", 1, 6,
	 "the instance of SQLVS01 is BTS, not PROD"},
	{"SQL006 listener takes none", inv_plain, {{"BTS01", EXPORT(SSO("Create", "AGL01\\BTS"))}}, "SQL006", 1, 6,
	 "takes no instance name"},
	{"SQL006 same instance", inv_plain, {{"BTS01", EXPORT(SSO("Create", "sqlvs01\\bts"))}}, "SQL006", 0, 0, NULL},
	/* SQL010 */
	{"SQL010 biztalk server", inv_plain, {{"BTS01", EXPORT(SSO("Create", "BTS02"))}}, "SQL010", 1, 6, "BTS02"},
	{"SQL010 sql name", inv_plain, {{"BTS01", OK_A}}, "SQL010", 0, 0, NULL},
	/* GRP002 / GRP004 / ACC001 inventory parts */
	{"GRP002 machine of the inventory", inv_plain,
	 {{"BTS01", EXPORT(GRPF("Create", "SQLVS01\\BTS", "SQLN02\\Admins"))}}, "GRP002", 1, 0, "machine of the inventory"},
	{"GRP002 domain", inv_plain, {{"BTS01", OK_A}}, "GRP002", 0, 0, NULL},
	{"GRP004 other than inventory domain", inv_plain,
	 {{"BTS01", EXPORT(GRPF("Create", "SQLVS01\\BTS", "FABRIKAM\\Admins"))}}, "GRP004", 1, 0, "the inventory's domain"},
	{"ACC001 machine of the inventory", inv_plain,
	 {{"BTS01", EXPORT("<Feature Name=\"SSOServer,Engine\"><NTService ID=\"ENTSSO\"><UserName>svc</UserName>"
			   "<Domain>SSON01</Domain><Password/></NTService></Feature>\n" RUNTIME)}},
	 "ACC001", 0, 0, NULL},
	{"ACC001 machine of the sso inventory", inv_sso,
	 {{"BTS01", EXPORT("<Feature Name=\"SSOServer,Engine\"><NTService ID=\"ENTSSO\"><UserName>svc</UserName>"
			   "<Domain>SSON01</Domain><Password/></NTService></Feature>\n" RUNTIME)}},
	 "ACC001", 1, 2, "machine of the inventory"},
	/* GRP007 */
	{"GRP007 differs", inv_plain,
	 {{"BTS01", OK_A}, {"BTS02", EXPORT(SSO("Join", "SQLVS01\\BTS") GRPF("Join", "SQLVS01\\BTS", "CONTOSO\\Admins2"))}},
	 "GRP007", 1, 12, "\"CONTOSO\\Admins2\" on BTS02 but \"CONTOSO\\Admins\" on BTS01"},
	{"GRP007 same ignoring case", inv_plain,
	 {{"BTS01", OK_A}, {"BTS02", EXPORT(SSO("Join", "SQLVS01\\BTS") GRPF("Join", "SQLVS01\\BTS", "contoso\\ADMINS"))}},
	 "GRP007", 0, 0, NULL},
	/* SSO001 */
	{"SSO001 two creators", NULL, {{NULL, OK_A}, {NULL, OK_A}}, "SSO001", 1, 3, "creates one already"},
	{"SSO001 one creator", NULL, {{NULL, OK_A}, {NULL, OK_B}}, "SSO001", 0, 0, NULL},
	{"SSO001 none, note", NULL, {{NULL, OK_B}}, "SSO001", 1, 3, "master secret server's export is missing"},
	/* SSO002 */
	{"SSO002 joined first (command line)", NULL, {{NULL, OK_B}, {NULL, OK_A}}, "SSO002", 1, 3,
	 "joins the SSO system (order 1) before cli.xml creates it (order 2)"},
	{"SSO002 right order", NULL, {{NULL, OK_A}, {NULL, OK_B}}, "SSO002", 0, 0, NULL},
	{"SSO002 creator not on the sso cluster", inv_sso, {{"BTS01", OK_A}, {"BTS02", OK_B}}, "SSO002", 1, 3,
	 "BTS01 creates the SSO system, but the inventory declares the clustered master secret server SSOVS01"},
	{"SSO002 sso node first", inv_sso,
	 {{"SSON01", EXPORT(SSO("Create", "SQLVS01\\BTS"))}, {"BTS01", EXPORT(SSO("Join", "SQLVS01\\BTS")
									   GRPF("Create", "SQLVS01\\BTS", "CONTOSO\\Admins") RUNTIME)}},
	 "SSO002", 0, 0, NULL},
	{"SSO002 runtime before sso node", inv_sso_late,
	 {{"BTS01", EXPORT(SSO("Join", "SQLVS01\\BTS") GRPF("Create", "SQLVS01\\BTS", "CONTOSO\\Admins") RUNTIME)},
	  {"SSON01", EXPORT(SSO("Create", "SQLVS01\\BTS"))}},
	 "SSO002", 1, 3, "BTS01 joins the SSO system (order 1) before SSON01 creates it (order 2)"},
	/* SSO003 */
	{"SSO003 other sso db", NULL, {{NULL, OK_A}, {NULL, EXPORT(SSO("Join", "SQLVS02\\BTS"))}}, "SSO003", 1, 6,
	 "SQLVS02\\BTS/SSODB"},
	{"SSO003 same sso db, fqdn", NULL, {{NULL, OK_A}, {NULL, EXPORT(SSO("Join", "sqlvs01.contoso.com\\bts"))}},
	 "SSO003", 0, 0, NULL},
	/* FRM001 */
	{"FRM001 two group creators", NULL, {{NULL, OK_A}, {NULL, EXPORT(SSO("Join", "SQLVS01\\BTS")
								 GRPF("Create", "SQLVS01\\BTS", "CONTOSO\\Admins"))}},
	 "FRM001", 1, 10, "creates it already"},
	{"FRM001 joined before created", NULL,
	 {{NULL, EXPORT(GRPF("Join", "SQLVS01\\BTS", "CONTOSO\\Admins"))}, {NULL, EXPORT(GRPF("Create", "SQLVS01\\BTS", "CONTOSO\\Admins"))}},
	 "FRM001", 1, 4, "before cli.xml creates it"},
	{"FRM001 management db differs", NULL,
	 {{NULL, OK_A}, {NULL, EXPORT(GRPF("Join", "SQLVS09\\BTS", "CONTOSO\\Admins"))}}, "FRM001", 1, 3,
	 "Management database is SQLVS09"},
	{"FRM001 none, note", NULL, {{NULL, EXPORT(GRPF("Join", "SQLVS01\\BTS", "CONTOSO\\Admins"))}}, "FRM001", 1, 4,
	 "no export of the farm creates"},
	{"FRM001 fine", NULL, {{NULL, OK_A}, {NULL, OK_B}}, "FRM001", 0, 0, NULL},
	/* FRM002 */
	{"FRM002 one runtime", inv_plain, {{"BTS01", OK_A}}, "FRM002", 1, 1, "1 BizTalk runtime server"},
	{"FRM002 two runtimes", inv_plain, {{"BTS01", OK_A}, {"BTS02", OK_B}}, "FRM002", 0, 0, NULL},
	{"FRM002 without inventory", NULL, {{NULL, OK_A}}, "FRM002", 0, 0, NULL},
	/* FRM003 */
	{"FRM003 node is a server", INV_HEAD SERVER("SQLN01", "BTS01.xml"), {{"SQLN01", OK_A}}, "FRM003", 1, 11,
	 "also a node of the SQL Server failover cluster instance SQLVS01"},
	{"FRM003 replica is a server", INV_HEAD SERVER("sqlr01.contoso.com", "BTS01.xml"), {{"sqlr01.contoso.com", OK_A}},
	 "FRM003", 1, 11, "replica"},
	{"FRM003 separate", inv_plain, {{"BTS01", OK_A}}, "FRM003", 0, 0, NULL},
	/* FRM004 */
	{"FRM004 one node", "[sql SQLVS01]\nnodes = SQLN01, sqln01.contoso.com\n", {{NULL, NULL}}, "FRM004", 1, 2,
	 "declares 1 node"},
	{"FRM004 two nodes", "[sql SQLVS01]\nnodes = SQLN01, SQLN02\n", {{NULL, NULL}}, "FRM004", 0, 0, NULL},
};

static void test_farm_rules(void **state)
{
	(void)state;
	int failures = 0;
	/* Report every failing case, not only the first. */
	for (size_t i = 0; i < sizeof(farm_cases) / sizeof(farm_cases[0]); i++) {
		const farm_case *c = &farm_cases[i];
		size_t n = 0;
		while (n < 4 && c->members[n].xml != NULL)
			n++;
		int line = 0;
		char msg[1024] = "";
		int count = run_farm(c->inventory, c->members, n, c->rule, &line, msg, sizeof(msg));
		if (count != c->count || (c->line > 0 && c->line != line) ||
		    (c->message != NULL && strstr(msg, c->message) == NULL)) {
			print_error("FAIL %s: %d findings of %s (want %d), line %d (want %d), message \"%s\" (want \"%s\")\n",
				    c->name, count, c->rule, c->count, line, c->line, msg, c->message ? c->message : "");
			failures++;
		}
	}
	assert_int_equal(0, failures);
}

/* Every rule that needs a farm or an inventory has a firing and a quiet case. */
static void test_every_farm_rule_has_a_case(void **state)
{
	(void)state;
	for (size_t r = 0; r < btc_rule_count; r++) {
		const btc_rule *rule = &btc_rules[r];
		if (rule->check_farm == NULL && rule->stream == NULL && !btc_rule_needs_inventory(rule))
			continue;
		if (strcmp(rule->id, "SQL009") == 0)
			continue; /* test_rules.c */
		if (strchr(rule->data, 'P') != NULL)
			continue; /* the live SQL probe: test_probe_rules.c */
		bool fires = false, quiet = false;
		for (size_t i = 0; i < sizeof(farm_cases) / sizeof(farm_cases[0]); i++) {
			if (strcmp(farm_cases[i].rule, rule->id) != 0)
				continue;
			if (farm_cases[i].count > 0)
				fires = true;
			else
				quiet = true;
		}
		print_message("farm rule %s\n", rule->id);
		assert_true(fires);
		assert_true(quiet);
	}
}

/* Without an inventory, class I rules are skipped and reported as such. */
static void test_skipped_without_inventory(void **state)
{
	(void)state;
	btc_export *e = NULL;
	btc_error err = {0};
	btc_findings f = {0};
	bool *skipped = calloc(btc_rule_count, sizeof(bool));
	const char *xml = OK_A;
	assert_non_null(skipped);
	assert_int_equal(0, btc_export_parse_memory(&e, "a.xml", xml, strlen(xml), NULL, &err));
	btc_farm farm = {.exports = &e, .n_exports = 1};
	btc_run_options o = {.skipped_no_inventory = skipped};
	btc_rules_run(&f, &farm, 0, &o);
	assert_true(skipped[btc_rule_find("SQL003") - btc_rules]);
	assert_true(skipped[btc_rule_find("FRM004") - btc_rules]);
	assert_true(skipped[btc_rule_find("SSO002") - btc_rules]); /* partly */
	assert_false(skipped[btc_rule_find("SQL002") - btc_rules]);
	assert_false(skipped[btc_rule_find("SSO001") - btc_rules]);
	btc_findings_free(&f);
	btc_export_free(e);
	free(skipped);
}

/* Configuration order: the inventory's order, else its section order. */
/* A finding that waits for a later export (the creator) is hidden by the
 * comments of the export it is about, which is freed by then. */
static void test_deferred_finding_suppressed(void **state)
{
	(void)state;
	static const char early_joiner[] = EXPORT(
		"<!-- btclint-disable-file FRM001,SSO002: rebuilt from change CHG-7 -->\n" SSO("Join", "SQLVS01\\BTS")
			GRPF("Join", "SQLVS01\\BTS", "CONTOSO\\Admins") RUNTIME);
	const char *xml[2] = {early_joiner, OK_A};
	btc_export *exports[2] = {0};
	btc_error err = {0};
	btc_findings f = {0};

	for (size_t i = 0; i < 2; i++)
		assert_int_equal(0, btc_export_parse_memory(&exports[i], i ? "a.xml" : "b.xml", xml[i], strlen(xml[i]),
							    NULL, &err));
	btc_farm farm = {.exports = exports, .n_exports = 2};
	btc_rules_run(&f, &farm, 0, NULL);
	int hidden = 0;
	for (size_t i = 0; i < f.count; i++) {
		const btc_finding *x = &f.items[i];
		if (strcmp(x->rule, "FRM001") != 0 && strcmp(x->rule, "SSO002") != 0)
			continue;
		assert_string_equal(x->path, "b.xml");
		assert_true(x->suppressed);
		assert_string_equal(x->justification, "rebuilt from change CHG-7");
		hidden++;
	}
	assert_int_equal(hidden, 2);
	btc_findings_free(&f);
	for (size_t i = 0; i < 2; i++)
		btc_export_free(exports[i]);
}

static void test_configuration_order(void **state)
{
	(void)state;
	/* By order: SSON01 is first although its section is last. */
	const char *by_order = "[sso SSOVS01]\nnodes = SSON01, SSON02\n" SERVER("BTS01", "BTS01.xml") "order = 2\n"
		SERVER("SSON01", "SSON01.xml") "order = 1\n";
	/* By section: BTS01 comes first. */
	const char *by_section = "[sso SSOVS01]\nnodes = SSON01, SSON02\n" SERVER("BTS01", "BTS01.xml")
		SERVER("SSON01", "SSON01.xml");
	btc_inventory *inv = NULL;
	btc_error err = {0};
	assert_int_equal(0, btc_inventory_parse(&inv, INV_PATH, by_order, &err));
	assert_string_equal("SSON01", inv->servers[0].name);
	assert_int_equal(1, inv->servers[0].order);
	btc_inventory_free(inv);
	assert_int_equal(0, btc_inventory_parse(&inv, INV_PATH, by_section, &err));
	assert_string_equal("BTS01", inv->servers[0].name);
	assert_int_equal(1, inv->servers[0].order);
	btc_inventory_free(inv);

	/* The same two exports, judged in the two orders. */
	member sso_first[] = {{"SSON01", EXPORT(SSO("Create", "SQLVS01\\BTS"))}, {"BTS01", OK_B}};
	member bts_first[] = {{"BTS01", OK_B}, {"SSON01", EXPORT(SSO("Create", "SQLVS01\\BTS"))}};
	assert_int_equal(0, run_farm(by_order, sso_first, 2, "SSO002", NULL, NULL, 0));
	char msg[512];
	assert_int_equal(1, run_farm(by_section, bts_first, 2, "SSO002", NULL, msg, sizeof(msg)));
	assert_non_null(strstr(msg, "(order 1) before SSON01 creates it (order 2)"));
	/* Command line: the order given. */
	member cli[] = {{NULL, OK_B}, {NULL, EXPORT(SSO("Create", "SQLVS01\\BTS"))}};
	assert_int_equal(1, run_farm(NULL, cli, 2, "SSO002", NULL, NULL, 0));
}

/* Several farms in one run: findings carry their farm's index. */
static void test_several_farms(void **state)
{
	(void)state;
	btc_export *a = NULL, *b = NULL;
	btc_error err = {0};
	btc_findings f = {0};
	const char *xa = OK_A, *xb = OK_B;
	assert_int_equal(0, btc_export_parse_memory(&a, "a.xml", xa, strlen(xa), NULL, &err));
	assert_int_equal(0, btc_export_parse_memory(&b, "b.xml", xb, strlen(xb), NULL, &err));
	btc_farm fa = {.exports = &a, .n_exports = 1};
	btc_farm fb = {.exports = &b, .n_exports = 1};
	/* Each farm alone: a's creator does not help b, which gets SSO001's note. */
	btc_rules_run(&f, &fa, 0, NULL);
	btc_rules_run(&f, &fb, 1, NULL);
	btc_findings_sort(&f);
	size_t notes = 0;
	for (size_t i = 0; i < f.count; i++) {
		if (strcmp(f.items[i].rule, "SSO001") == 0) {
			assert_int_equal(1, f.items[i].farm);
			assert_string_equal("b.xml", f.items[i].path);
			notes++;
		}
	}
	assert_int_equal(1, notes);
	btc_findings_free(&f);
	btc_export_free(a);
	btc_export_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inventory_errors),
		cmocka_unit_test(test_inventory_missing_file),
		cmocka_unit_test(test_inventory_full),
		cmocka_unit_test(test_inventory_section_order),
		cmocka_unit_test(test_farm_rules),
		cmocka_unit_test(test_every_farm_rule_has_a_case),
		cmocka_unit_test(test_skipped_without_inventory),
		cmocka_unit_test(test_deferred_finding_suppressed),
		cmocka_unit_test(test_configuration_order),
		cmocka_unit_test(test_several_farms),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
