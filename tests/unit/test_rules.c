/* Each single-export rule firing and not firing, on small exports. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "directory/directory.h"
#include "export/parse.h"
#include "rules/rules.h"

/* A runtime feature holding the given fragment, so that the export is a
 * configuration (CFG001 stays quiet). */
#define DOC(body) "<Configuration>\n<Feature Name=\"Engine,BTSCfg\">\n" body "</Feature>\n</Configuration>\n"
#define SQL(id, server) "<SQL ID=\"" id "\"><Server>" server "</Server><Database>DB</Database></SQL>\n"
#define MGMT(server) SQL("{D757DBF9-5D71-4995-9F20-A552B7DFE7F1}", server)
#define GROUP(id, account) "<NTCredential ID=\"" id "\"><NTAccount>" account "</NTAccount></NTCredential>\n"
#define SERVICE(id, user, domain)                                                                              \
	"<NTService ID=\"" id "\"><UserName>" user "</UserName><Domain>" domain "</Domain><Password/></NTService>\n"
#define QUESTION(id, selected_body, other_body)                                                                \
	"<Question ID=\"" id "\"><Answer Value=\"Yes\" Selected=\"Yes\">" selected_body                        \
	"</Answer><Answer Value=\"No\">" other_body "</Answer></Question>\n"

typedef struct rule_case {
	const char *name;
	const char *xml;
	const char *rule;
	int count;      /* findings of that rule expected */
	int line;       /* line of the first one, 0 = not checked */
	const char *not_in_output; /* a string no message may contain (secrets) */
} rule_case;

static const rule_case cases[] = {
	/* CFG001 */
	{"not Configuration root", "<Settings><Feature Name=\"x\"><a/></Feature></Settings>", "CFG001", 1, 1, NULL},
	{"install list", "<Configuration>\n<Feature Name=\"MOT\"/>\n<InstalledFeature>WMI</InstalledFeature>\n"
			 "</Configuration>", "CFG001", 1, 1, NULL},
	{"install list: no other rule", "<Configuration><Feature Name=\"MOT\"/>"
					"<InstalledFeature>WMI</InstalledFeature></Configuration>", "SQL001", 0, 0, NULL},
	{"configuration", DOC(MGMT("SQLVS01")), "CFG001", 0, 0, NULL},
	/* CFG002 */
	{"placeholder server", DOC(MGMT("{{SQL}}")), "CFG002", 1, 3, NULL},
	{"placeholder judged once", DOC(MGMT("{{SQL}}")), "SQL001", 0, 0, NULL},
	{"placeholder enter your", DOC(GROUP("BTS_ADMIN_GROUP", "Enter your group")), "CFG002", 1, 3, NULL},
	{"placeholder in unselected answer", DOC(QUESTION("HOST", "", MGMT("%%SQL%%"))), "CFG002", 0, 0, NULL},
	{"placeholder in selected answer", DOC(QUESTION("HOST", MGMT("%%SQL%%"), "")), "CFG002", 1, 3, NULL},
	{"placeholder password not shown", DOC(SERVICE("ENTSSO", "svc", "CONTOSO")
		"<NTService ID=\"X\"><UserName>a</UserName><Domain>C</Domain><Password>%%TopSecret%%</Password></NTService>\n"),
	 "CFG002", 1, 4, "TopSecret"},
	{"real value", DOC(MGMT("SQLVS01")), "CFG002", 0, 0, NULL},
	/* CFG003 */
	{"password stored", DOC("<NTService ID=\"ENTSSO\"><UserName>svc</UserName><Domain>C</Domain>"
				"<Password>Hunter2!</Password></NTService>\n"), "CFG003", 1, 3, "Hunter2"},
	{"backup password stored", DOC("<Name ID=\"SSO_ID_BACKUP_SECRET_PASSWORD\"><Value>s3cr3t-v@lue</Value></Name>\n"
				       "<Name ID=\"SSO_ID_BACKUP_SECRET_PASSWORD_CONFIRM\"><Value>s3cr3t-v@lue</Value></Name>\n"),
	 "CFG003", 2, 3, "s3cr3t"},
	{"sql password stored", DOC("<SQL ID=\"x\"><Server>S</Server><Password>pw-in-sql</Password></SQL>\n"), "CFG003", 1,
	 3, "pw-in-sql"},
	{"masked password", DOC("<NTService ID=\"ENTSSO\"><UserName>svc</UserName><Password>*******</Password></NTService>\n"),
	 "CFG003", 0, 0, NULL},
	{"empty password", DOC(SERVICE("ENTSSO", "svc", "CONTOSO")), "CFG003", 0, 0, NULL},
	{"reminder is not a password", DOC("<Name ID=\"SSO_ID_BACKUP_SECRET_REMINDER\"><Value>my dog</Value></Name>\n"),
	 "CFG003", 0, 0, NULL},
	{"password in unselected answer",
	 DOC(QUESTION("HOST", "", "<Name ID=\"SSO_ID_BACKUP_SECRET_PASSWORD\"><Value>pw</Value></Name>")), "CFG003", 0,
	 0, NULL},
	/* CFG004 */
	{"no answer selected", DOC("<Question ID=\"HOST\"><Answer Value=\"Yes\"/><Answer Value=\"No\"/></Question>\n"),
	 "CFG004", 1, 3, NULL},
	{"two answers selected", DOC("<Question ID=\"HOST\"><Answer Value=\"Yes\" Selected=\"Yes\"/>"
				     "<Answer Value=\"No\" Selected=\"YES\"/></Question>\n"), "CFG004", 1, 3, NULL},
	{"one answer selected", DOC(QUESTION("HOST", "", "")), "CFG004", 0, 0, NULL},
	{"inactive question not judged",
	 DOC(QUESTION("HOST", "", "<Question ID=\"IN\"><Answer Value=\"A\"/></Question>")), "CFG004", 0, 0, NULL},
	/* CFG005 (suppression behaviour itself: test_report.c) */
	{"suppression without reason", DOC("<!-- btclint-disable SQL002 -->\n" MGMT("localhost")), "CFG005", 1, 3, NULL},
	{"suppression of unknown rule", DOC("<!-- btclint-disable SQL999: lab -->\n" MGMT("localhost")), "CFG005", 1, 3,
	 NULL},
	{"valid suppression", DOC("<!-- btclint-disable SQL002: lab -->\n" MGMT("localhost")), "CFG005", 0, 0, NULL},
	/* SQL001 */
	{"empty server", DOC(MGMT("")), "SQL001", 1, 3, NULL},
	{"blank server", DOC(MGMT("  \n ")), "SQL001", 1, 3, NULL},
	{"server present", DOC(MGMT("SQLVS01")), "SQL001", 0, 0, NULL},
	{"olap server empty is not judged", DOC("<SQL ID=\"x\" MSOLAPServer=\"Yes\"><Server/></SQL>\n"), "SQL001", 0, 0,
	 NULL},
	{"bam alerts server empty", DOC("<Name ID=\"{8B3212A1-44EA-46bc-A06C-75E289D1F840}\"><Value/></Name>\n"),
	 "SQL001", 1, 3, NULL},
	/* SQL002 */
	{"localhost", DOC(MGMT("localhost")), "SQL002", 1, 3, NULL},
	{"dot instance", DOC(MGMT(".\\SQLEXPRESS")), "SQL002", 1, 3, NULL},
	{"(local)", DOC(MGMT("(local)")), "SQL002", 1, 3, NULL},
	{"loopback v4", DOC(MGMT("127.0.0.1,1433")), "SQL002", 1, 3, NULL},
	{"loopback v6", DOC(MGMT("::1")), "SQL002", 1, 3, NULL},
	{"virtual name", DOC(MGMT("SQLVS01\\BTS")), "SQL002", 0, 0, NULL},
	{"bam alerts localhost", DOC("<Name ID=\"{8B3212A1-44EA-46bc-A06C-75E289D1F840}\"><Value>localhost</Value></Name>\n"),
	 "SQL002", 1, 3, NULL},
	/* SQL007 */
	{"tcp prefix", DOC(MGMT("tcp:SQLVS01")), "SQL007", 1, 3, NULL},
	{"port suffix", DOC(MGMT("SQLVS01\\BTS,1433")), "SQL007", 1, 3, NULL},
	{"plain name", DOC(MGMT("SQLVS01\\BTS")), "SQL007", 0, 0, NULL},
	/* SQL008 */
	{"ipv4", DOC(MGMT("10.0.0.5\\BTS")), "SQL008", 1, 3, NULL},
	{"ipv6", DOC(MGMT("fd00::5")), "SQL008", 1, 3, NULL},
	{"loopback is SQL002 only", DOC(MGMT("127.0.0.1")), "SQL008", 0, 0, NULL},
	{"name", DOC(MGMT("SQLVS01")), "SQL008", 0, 0, NULL},
	/* SQL009 */
	{"two spellings", DOC(MGMT("SQLVS01\\BTS") MGMT("\nsqlvs01.contoso.com\\BTS")), "SQL009", 1, 4, NULL},
	{"three spellings", DOC(MGMT("SQLVS01") MGMT("SQLVS01.contoso.com") MGMT("sqlvs01.contoso.com")
				MGMT("SQLVS01.corp")), "SQL009", 2, 0, NULL},
	{"case only", DOC(MGMT("SQLVS01") MGMT("sqlvs01")), "SQL009", 0, 0, NULL},
	{"ip literals take no part", DOC(MGMT("10.0.0.1") MGMT("10.0.0.2")), "SQL009", 0, 0, NULL},
	/* GRP001 */
	{"local group", DOC(GROUP("SSOAdminGroup", "SSO Administrators")), "GRP001", 1, 3, NULL},
	{"empty group", DOC(GROUP("BTS_ADMIN_GROUP", "")), "GRP001", 1, 3, NULL},
	{"domain group", DOC(GROUP("SSOAdminGroup", "CONTOSO\\SSO Administrators")), "GRP001", 0, 0, NULL},
	{"not a group role", DOC(GROUP("{2507C665-DE5F-4A38-B8A8-CAB593C17D6A}", "Everyone")), "GRP001", 0, 0, NULL},
	{"local group in unselected answer", DOC(QUESTION("HOST", "", GROUP("BTS_HOST_GROUP", "Users"))), "GRP001", 0,
	 0, NULL},
	/* GRP002 */
	{"builtin domain", DOC(GROUP("BTS_ADMIN_GROUP", "BUILTIN\\Administrators")), "GRP002", 1, 3, NULL},
	{"nt authority", DOC(GROUP("BTS_ADMIN_GROUP", "NT AUTHORITY\\Authenticated Users")), "GRP002", 1, 3, NULL},
	{"dot domain", DOC(GROUP("BTS_ADMIN_GROUP", ".\\Admins")), "GRP002", 1, 3, NULL},
	{"sql host as domain", DOC(MGMT("SQLN01") GROUP("BTS_ADMIN_GROUP", "sqln01\\BizTalk Admins")), "GRP002", 1, 4,
	 NULL},
	{"real domain", DOC(MGMT("SQLVS01") GROUP("BTS_ADMIN_GROUP", "CONTOSO\\BizTalk Admins")), "GRP002", 0, 0, NULL},
	/* GRP003 */
	{"upn group", DOC(GROUP("BTS_ADMIN_GROUP", "btsadmins@contoso.com")), "GRP003", 1, 3, NULL},
	{"dns domain group", DOC(GROUP("BTS_ADMIN_GROUP", "contoso.com\\BizTalk Admins")), "GRP003", 1, 3, NULL},
	{"netbios group", DOC(GROUP("BTS_ADMIN_GROUP", "CONTOSO\\BizTalk Admins")), "GRP003", 0, 0, NULL},
	/* GRP004 */
	{"minority domain", DOC(GROUP("BTS_ADMIN_GROUP", "CONTOSO\\A") GROUP("BTS_OPERATOR_GROUP", "CONTOSO\\B")
				GROUP("SSOAdminGroup", "FABRIKAM\\C")), "GRP004", 1, 5, NULL},
	{"one domain", DOC(GROUP("BTS_ADMIN_GROUP", "CONTOSO\\A") GROUP("BTS_OPERATOR_GROUP", "contoso\\B")),
	 "GRP004", 0, 0, NULL},
	{"builtin takes no part", DOC(GROUP("BTS_ADMIN_GROUP", "CONTOSO\\A") GROUP("BTS_OPERATOR_GROUP", "BUILTIN\\B")),
	 "GRP004", 0, 0, NULL},
	/* GRP006 */
	{"shared host group", DOC(GROUP("BTS_HOST_GROUP", "CONTOSO\\App Users") GROUP("BTS_IHOST_GROUP", "contoso\\app users")),
	 "GRP006", 1, 4, NULL},
	{"separate host groups", DOC(GROUP("BTS_HOST_GROUP", "CONTOSO\\App") GROUP("BTS_IHOST_GROUP", "CONTOSO\\Iso")),
	 "GRP006", 0, 0, NULL},
	/* ACC001 */
	{"no domain", DOC(SERVICE("ENTSSO", "svc-sso", "")), "ACC001", 1, 3, NULL},
	{"dot domain account", DOC(SERVICE("ENTSSO", ".\\svc-sso", "")), "ACC001", 1, 3, NULL},
	{"builtin domain account", DOC(SERVICE("ENTSSO", "svc", "BUILTIN")), "ACC001", 1, 3, NULL},
	{"sql machine account", DOC(MGMT("SQLN01") SERVICE("ENTSSO", "svc", "SQLN01")), "ACC001", 1, 4, NULL},
	{"domain account", DOC(SERVICE("ENTSSO", "svc-sso", "CONTOSO")), "ACC001", 0, 0, NULL},
	{"upn account", DOC(SERVICE("ENTSSO", "svc-sso@contoso.com", "")), "ACC001", 0, 0, NULL},
	{"built-in is ACC002 only", DOC(SERVICE("ENTSSO", "LocalSystem", "")), "ACC001", 0, 0, NULL},
	/* ACC002 */
	{"localsystem", DOC(SERVICE("ENTSSO", "LocalSystem", "")), "ACC002", 1, 3, NULL},
	{"network service spaced", DOC(SERVICE("ENTSSO", "Network Service", "NT AUTHORITY")), "ACC002", 1, 3, NULL},
	{"nt service", DOC(SERVICE("ENTSSO", "NT SERVICE\\ENTSSO", "")), "ACC002", 1, 3, NULL},
	{"regular", DOC(SERVICE("ENTSSO", "svc", "CONTOSO")), "ACC002", 0, 0, NULL},
	/* ACC003 */
	{"gmsa flag", DOC("<NTService ID=\"ENTSSO\"><UserName>svc</UserName><Domain>CONTOSO</Domain>"
			  "<IsGmsaAccount>True</IsGmsaAccount></NTService>\n"), "ACC003", 1, 3, NULL},
	{"gmsa dollar", DOC(SERVICE("ENTSSO", "CONTOSO\\gmsa-sso$", "")), "ACC003", 1, 3, NULL},
	{"gmsa on a host is fine", DOC(SERVICE("{B64F63FA-E24E-4991-86F0-ED9F65B68A98}", "gmsa$", "CONTOSO")), "ACC003",
	 0, 0, NULL},
	{"sso regular", DOC(SERVICE("ENTSSO", "svc", "CONTOSO")), "ACC003", 0, 0, NULL},
};

#define SEL " Selected=\"Yes\""
#define TRUST(id, yes, no) "<Question ID=\"" id "\"><Answer Value=\"Yes\"" yes "/><Answer Value=\"No\"" no "/></Question>"
#define HOSTS(trusted, itrusted, iuser)                                                                        \
	DOC(QUESTION("HOST", trusted SERVICE("{B64F63FA-E24E-4991-86F0-ED9F65B68A98}", "svc-host", "CONTOSO"), "") \
	    QUESTION("ISOHOST", itrusted SERVICE("{D0A37CEE-F24E-4193-A19F-47B05D7EDA21}", iuser, "CONTOSO"), ""))

static const rule_case host_cases[] = {
	{"acc004 fires", HOSTS(TRUST("TRUSTEDHOST", SEL, ""), TRUST("TRUSTEDIHOST", "", SEL), "svc-host"), "ACC004",
	 1, 0, NULL},
	{"acc004 same trust", HOSTS(TRUST("TRUSTEDHOST", SEL, ""), TRUST("TRUSTEDIHOST", SEL, ""), "svc-host"),
	 "ACC004", 0, 0, NULL},
	{"acc004 other account", HOSTS(TRUST("TRUSTEDHOST", SEL, ""), TRUST("TRUSTEDIHOST", "", SEL), "svc-ihost"),
	 "ACC004", 0, 0, NULL},
};

static btc_findings run(const char *xml)
{
	btc_export *e = NULL;
	btc_error err = {0};
	btc_findings f = {0};
	int rc = btc_export_parse_memory(&e, "case.xml", xml, strlen(xml), NULL, &err);
	if (rc != 0)
		print_message("parse error line %d: %s\n", err.line, err.message);
	assert_int_equal(0, rc);
	btc_farm farm = {.exports = &e, .n_exports = 1};
	btc_rules_run(&f, &farm, 0, NULL);
	btc_findings_sort(&f);
	btc_export_free(e);
	return f;
}

static void check_case(const rule_case *c)
{
	print_message("%s: %s\n", c->rule, c->name);
	btc_findings f = run(c->xml);
	int count = 0, first_line = 0;
	for (size_t i = 0; i < f.count; i++) {
		if (c->not_in_output != NULL) {
			assert_null(strstr(f.items[i].message, c->not_in_output));
			assert_true(f.items[i].subject == NULL || strstr(f.items[i].subject, c->not_in_output) == NULL);
		}
		if (strcmp(f.items[i].rule, c->rule) != 0)
			continue;
		if (count++ == 0)
			first_line = f.items[i].line;
	}
	assert_false(f.oom);
	assert_int_equal(c->count, count);
	if (c->line > 0)
		assert_int_equal(c->line, first_line);
	btc_findings_free(&f);
}

static void test_rule_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_case(&cases[i]);
}

static void test_acc004(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(host_cases) / sizeof(host_cases[0]); i++)
		check_case(&host_cases[i]);
}

static void test_every_rule_has_a_case(void **state)
{
	(void)state;
	for (size_t r = 0; r < btc_rule_count; r++) {
		bool fires = false, quiet = false;
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			if (strcmp(cases[i].rule, btc_rules[r].id) != 0)
				continue;
			if (cases[i].count > 0)
				fires = true;
			else
				quiet = true;
		}
		if (strcmp(btc_rules[r].id, "ACC004") == 0)
			fires = quiet = true; /* test_acc004 */
		if (strcmp(btc_rules[r].id, "GRP005") == 0)
			fires = quiet = true; /* test_grp005_* (directory facts) */
		if (btc_rules[r].check_export == NULL || btc_rule_needs_inventory(&btc_rules[r]))
			continue; /* farm and inventory rules: tests/unit/test_farm.c */
		print_message("rule %s\n", btc_rules[r].id);
		assert_true(fires);
		assert_true(quiet);
	}
}

static void test_disabled_rule(void **state)
{
	(void)state;
	const char *xml = DOC(MGMT("localhost"));
	btc_export *e = NULL;
	btc_error err = {0};
	btc_findings f = {0};
	bool *disabled = calloc(btc_rule_count, sizeof(bool));
	assert_non_null(disabled);
	disabled[btc_rule_find("SQL002") - btc_rules] = true;
	assert_int_equal(0, btc_export_parse_memory(&e, "d.xml", xml, strlen(xml), NULL, &err));
	btc_farm farm = {.exports = &e, .n_exports = 1};
	btc_run_options o = {.disabled = disabled};
	btc_rules_run(&f, &farm, 0, &o);
	assert_int_equal(0, f.count);
	btc_findings_free(&f);
	btc_export_free(e);
	free(disabled);
}

/* ---- GRP005: the rule reads facts gathered before the run ---- */

#define GRP005_DOC                                                                                             \
	DOC(GROUP("BTS_ADMIN_GROUP", "CONTOSO\\BizTalk Server Administrators")                               \
	    GROUP("BTS_OPERATOR_GROUP", "contoso\\BIZTALK SERVER ADMINISTRATORS")                            \
	    GROUP("BTS_B2B_OPERATOR_GROUP", "CONTOSO\\B2B Operators")                                        \
	    GROUP("BTS_READONLY_USER_GROUP", "FABRIKAM\\Read Only")                                          \
	    GROUP("BTS_HOST_GROUP", "hosts@contoso.com")                                                       \
	    GROUP("BTS_IHOST_GROUP", "contoso.com\\Isolated")                                                \
	    GROUP("SSOAdminGroup", "BUILTIN\\Administrators")                                                \
	    GROUP("SSOAffiliateAdminGroup", "Affiliates"))

static btc_export *parse_doc(const char *xml)
{
	btc_export *e = NULL;
	btc_error err = {0};
	assert_int_equal(0, btc_export_parse_memory(&e, "case.xml", xml, strlen(xml), NULL, &err));
	return e;
}

/* Which accounts are looked up, which are not and why; one entry per
 * account ignoring case; the domain is the majority one without an
 * inventory, the inventory's with one. */
static void test_grp005_plan(void **state)
{
	(void)state;
	btc_export *e = parse_doc(GRP005_DOC);
	btc_farm farm = {.exports = &e, .n_exports = 1};
	btc_farm_directory d = {0};
	static const struct {
		const char *account;
		const char *not_checked;
	} want[] = {
		{"CONTOSO\\BizTalk Server Administrators", NULL},
		{"CONTOSO\\B2B Operators", NULL},
		{"FABRIKAM\\Read Only", "another domain"},
		{"hosts@contoso.com", "UPN form (GRP003)"},
		{"contoso.com\\Isolated", "DNS-domain form (GRP003)"},
		{"BUILTIN\\Administrators", "not a domain (GRP002)"},
		{"Affiliates", "local group (GRP001)"},
	};

	assert_int_equal(0, btc_rules_directory_plan(&d, &farm));
	assert_string_equal(d.domain, "CONTOSO");
	assert_false(d.domain_from_inventory);
	assert_int_equal(d.n_groups, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < d.n_groups; i++) {
		assert_string_equal(d.groups[i].account, want[i].account);
		if (want[i].not_checked == NULL)
			assert_null(d.groups[i].not_checked);
		else
			assert_string_equal(d.groups[i].not_checked, want[i].not_checked);
	}
	free(d.groups);

	/* The inventory's domain decides: now CONTOSO is the other domain. */
	farm.domain = "FABRIKAM";
	assert_int_equal(0, btc_rules_directory_plan(&d, &farm));
	assert_string_equal(d.domain, "FABRIKAM");
	assert_true(d.domain_from_inventory);
	assert_string_equal(d.groups[0].not_checked, "another domain");
	assert_null(d.groups[2].not_checked);
	free(d.groups);
	btc_export_free(e);
}

/* Every verdict gives the severity rules.md says, once per element naming
 * the group (both spellings of the first account). */
static void test_grp005_verdicts(void **state)
{
	(void)state;
	static const struct {
		btc_directory_verdict verdict;
		long long group_type;
		btc_severity sev; /* BTC_SEV_NONE: no finding */
		const char *says;
	} verdicts[] = {
		{BTC_DIRECTORY_GLOBAL_SECURITY, -2147483646LL, BTC_SEV_NONE, NULL},
		{BTC_DIRECTORY_UNIVERSAL_SECURITY, -2147483640LL, BTC_SEV_WARNING, "universal security group"},
		{BTC_DIRECTORY_DOMAIN_LOCAL, -2147483644LL, BTC_SEV_ERROR, "domain-local group"},
		{BTC_DIRECTORY_DISTRIBUTION, 2, BTC_SEV_ERROR, "distribution group"},
		{BTC_DIRECTORY_UNKNOWN_SCOPE, -2147483648LL, BTC_SEV_ERROR, "no scope bit"},
		{BTC_DIRECTORY_NOT_A_GROUP, 0, BTC_SEV_ERROR, "not a group"},
		{BTC_DIRECTORY_NOT_FOUND, 0, BTC_SEV_ERROR, "no object with sAMAccountName"},
	};
	btc_export *e = parse_doc(GRP005_DOC);

	for (size_t c = 0; c < sizeof(verdicts) / sizeof(verdicts[0]); c++) {
		btc_farm farm = {.exports = &e, .n_exports = 1};
		btc_farm_directory d = {0};
		btc_findings f = {0};

		print_message("GRP005 verdict %d\n", (int)verdicts[c].verdict);
		assert_int_equal(0, btc_rules_directory_plan(&d, &farm));
		d.uri = "ldap://dc01";
		d.base = "DC=contoso,DC=com";
		for (size_t i = 0; i < d.n_groups; i++) {
			if (d.groups[i].not_checked != NULL)
				continue;
			d.groups[i].checked = true;
			d.groups[i].found = true;
			d.groups[i].is_group = true;
			d.groups[i].dn = "CN=x,DC=contoso,DC=com";
			d.groups[i].verdict = BTC_DIRECTORY_GLOBAL_SECURITY;
			d.groups[i].has_group_type = true;
			d.groups[i].group_type = -2147483646LL;
		}
		/* Only the first account (named twice) gets the verdict under test. */
		d.groups[0].verdict = verdicts[c].verdict;
		d.groups[0].group_type = verdicts[c].group_type;
		d.groups[0].found = verdicts[c].verdict != BTC_DIRECTORY_NOT_FOUND;
		farm.directory = &d;
		btc_rules_run(&f, &farm, 0, NULL);
		btc_findings_sort(&f);
		int count = 0;
		for (size_t i = 0; i < f.count; i++) {
			if (strcmp(f.items[i].rule, "GRP005") != 0)
				continue;
			count++;
			assert_int_equal(f.items[i].severity, verdicts[c].sev);
			assert_non_null(strstr(f.items[i].message, verdicts[c].says));
		}
		assert_int_equal(count, verdicts[c].sev == BTC_SEV_NONE ? 0 : 2);

		/* A directory that could not be used gives no verdict at all. */
		btc_findings_free(&f);
		d.error = "bind: invalid credentials";
		btc_rules_run(&f, &farm, 0, NULL);
		for (size_t i = 0; i < f.count; i++)
			assert_string_not_equal(f.items[i].rule, "GRP005");
		btc_findings_free(&f);

		/* Nor does a farm without a directory. */
		farm.directory = NULL;
		btc_rules_run(&f, &farm, 0, NULL);
		for (size_t i = 0; i < f.count; i++)
			assert_string_not_equal(f.items[i].rule, "GRP005");
		btc_findings_free(&f);
		free(d.groups);
	}
	btc_export_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rule_cases),
		cmocka_unit_test(test_acc004),
		cmocka_unit_test(test_every_rule_has_a_case),
		cmocka_unit_test(test_disabled_rule),
		cmocka_unit_test(test_grp005_plan),
		cmocka_unit_test(test_grp005_verdicts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
