/* The export parser and model: server strings, accounts, placeholders, the
 * real corpus, and hostile input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "export/parse.h"
#include "util/text.h"

/* ---- server strings ---- */

typedef struct server_case {
	const char *in;
	const char *proto, *host, *instance, *port;
	bool local, ip;
} server_case;

static const server_case server_cases[] = {
	{"SQLVS01", NULL, "SQLVS01", NULL, NULL, false, false},
	{"SQLVS01\\BTS", NULL, "SQLVS01", "BTS", NULL, false, false},
	{"tcp:SQLVS01,1433", "tcp", "SQLVS01", NULL, "1433", false, false},
	{"tcp:SQLVS01\\BTS,50123", "tcp", "SQLVS01", "BTS", "50123", false, false},
	{"np:\\\\SQLVS01\\pipe\\MSSQL$BTS\\sql\\query", "np", "SQLVS01", "BTS", NULL, false, false},
	{"10.1.2.3", NULL, "10.1.2.3", NULL, NULL, false, true},
	{"10.1.2.3\\BTS,1433", NULL, "10.1.2.3", "BTS", "1433", false, true},
	{"fe80::1", NULL, "fe80::1", NULL, NULL, false, true},
	{"::1", NULL, "::1", NULL, NULL, true, true},
	{"[::1]\\BTS", NULL, "::1", "BTS", NULL, true, true},
	{"127.0.0.1", NULL, "127.0.0.1", NULL, NULL, true, true},
	{"127.5.6.7\\X", NULL, "127.5.6.7", "X", NULL, true, true},
	{"(local)", NULL, "(local)", NULL, NULL, true, false},
	{"(LocalDB)\\MSSQLLocalDB", NULL, "(LocalDB)", "MSSQLLocalDB", NULL, true, false},
	{".\\SQLEXPRESS", NULL, ".", "SQLEXPRESS", NULL, true, false},
	{"localhost", NULL, "localhost", NULL, NULL, true, false},
	{"LOCALHOST,1433", NULL, "LOCALHOST", NULL, "1433", true, false},
	{"sqlvs01.contoso.com\\BTS", NULL, "sqlvs01.contoso.com", "BTS", NULL, false, false},
	{"admin:SQLVS01", "admin", "SQLVS01", NULL, NULL, false, false},
	{"localhostx", NULL, "localhostx", NULL, NULL, false, false},
};

static void assert_str_or_null(const char *want, const char *got)
{
	if (want == NULL)
		assert_null(got);
	else
		assert_string_equal(want, got);
}

static void test_server_names(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(server_cases) / sizeof(server_cases[0]); i++) {
		const server_case *c = &server_cases[i];
		btc_arena arena = {0};
		btc_server_name n;
		print_message("server string %s\n", c->in);
		assert_int_equal(0, btc_server_name_parse(&n, c->in, &arena));
		assert_str_or_null(c->proto, n.proto);
		assert_str_or_null(c->host, n.host);
		assert_str_or_null(c->instance, n.instance);
		assert_str_or_null(c->port, n.port);
		assert_int_equal(c->local, n.local_alias);
		assert_int_equal(c->ip, n.ip_literal);
		btc_arena_free(&arena);
	}
}

/* ---- accounts ---- */

typedef struct account_case {
	const char *user, *domain;
	btc_account_form form;
	const char *want_domain, *want_name;
} account_case;

static const account_case account_cases[] = {
	{"CONTOSO\\svc-bts", NULL, BTC_ACCOUNT_NETBIOS, "CONTOSO", "svc-bts"},
	{"svc-bts", "CONTOSO", BTC_ACCOUNT_NETBIOS, "CONTOSO", "svc-bts"},
	{"CONTOSO\\svc-bts", "", BTC_ACCOUNT_NETBIOS, "CONTOSO", "svc-bts"},
	{"svc-bts", "", BTC_ACCOUNT_BARE, NULL, "svc-bts"},
	{"svc-bts@contoso.com", NULL, BTC_ACCOUNT_UPN, "contoso.com", "svc-bts"},
	{"contoso.com\\BizTalk Admins", NULL, BTC_ACCOUNT_DNS, "contoso.com", "BizTalk Admins"},
	{".\\svc", NULL, BTC_ACCOUNT_NETBIOS, ".", "svc"},
	{"", "CONTOSO", BTC_ACCOUNT_EMPTY, NULL, NULL},
	{NULL, NULL, BTC_ACCOUNT_EMPTY, NULL, NULL},
	{"SSO Administrators", NULL, BTC_ACCOUNT_BARE, NULL, "SSO Administrators"},
};

static void test_accounts(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(account_cases) / sizeof(account_cases[0]); i++) {
		const account_case *c = &account_cases[i];
		btc_arena arena = {0};
		btc_account a;
		print_message("account %s / %s\n", c->user ? c->user : "(null)", c->domain ? c->domain : "(null)");
		assert_int_equal(0, btc_account_parse_pair(&a, c->user, c->domain, &arena));
		assert_int_equal(c->form, a.form);
		assert_str_or_null(c->want_domain, a.domain);
		assert_str_or_null(c->want_name, a.name);
		btc_arena_free(&arena);
	}
}

/* ---- placeholders ---- */

static void test_placeholders(void **state)
{
	(void)state;
	static const char *const yes[] = {"{{SQL_SERVER}}", "%%SSODB-Server%%", "${SQL}", "$(SqlServer)",
					  "<%= server %>", "Enter your SQL Server name", "enter the domain",
					  "{{BTS_GROUP_DOMAIN}}{{SSO_ADMIN_GROUP}}", "  %%X%%  "};
	static const char *const no[] = {"SQLVS01", "{SQL}", "%X", "50%", "$x", "Enterprise", "{B64F63FA-E24E}",
					 "", "Entered", "CONTOSO\\Enter your"};
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		print_message("placeholder %s\n", yes[i]);
		assert_true(btc_is_placeholder(yes[i]));
	}
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		print_message("not a placeholder %s\n", no[i]);
		assert_false(btc_is_placeholder(no[i]));
	}
}

static void test_machine_names(void **state)
{
	(void)state;
	assert_true(btc_machine_eq("SQLN01", "sqln01.contoso.com"));
	assert_true(btc_machine_eq("sqln01.contoso.com", "SQLN01"));
	assert_true(btc_machine_eq("SQLN01", "sqln01"));
	assert_false(btc_machine_eq("SQLN01", "SQLN010"));
	assert_false(btc_machine_eq("sqln01.contoso.com", "sqln01.fabrikam.com"));
	assert_false(btc_machine_eq("10.0.0.1", "10"));
	assert_true(btc_machine_eq("10.0.0.1", "10.0.0.1"));
}

/* ---- parsing ---- */

static btc_export *parse(const char *xml, btc_error *err)
{
	btc_export *e = NULL;
	memset(err, 0, sizeof(*err));
	btc_export_parse_memory(&e, "mem.xml", xml, strlen(xml), NULL, err);
	return e;
}

static void test_selected_answers_only(void **state)
{
	(void)state;
	btc_error err;
	btc_export *e = parse("<Configuration>\n"
			      "<Feature Name=\"WMI\">\n"
			      "<SQL ID=\"{D757DBF9-5D71-4995-9F20-A552B7DFE7F1}\"><Server>SQLVS01</Server>"
			      "<Database>BizTalkMgmtDb</Database></SQL>\n"
			      "<Question ID=\"CREATEORJOIN\">\n"
			      "<Answer Value=\"Create\">\n"
			      "<SQL ID=\"{84ADD76E-EBEB-4bb8-B9EB-64F87E483C39}\"><Server>localhost</Server></SQL>\n"
			      "<Question ID=\"INNER\"><Answer Value=\"A\" Selected=\"Yes\"/></Question>\n"
			      "</Answer>\n"
			      "<Answer Value=\"Join\" Selected=\"yes\"/>\n"
			      "</Question>\n"
			      "</Feature>\n"
			      "</Configuration>\n",
			      &err);
	assert_non_null(e);
	assert_int_equal(1, e->n_endpoints);
	assert_string_equal("SQLVS01", e->endpoints[0]->server.text);
	assert_int_equal(BTC_DB_MANAGEMENT, e->endpoints[0]->role);
	assert_int_equal(3, e->endpoints[0]->line);
	/* The question inside the unselected answer is not active. */
	assert_int_equal(1, e->n_questions);
	assert_int_equal(BTC_MODE_JOIN, e->group_mode);
	assert_int_equal(BTC_MODE_ABSENT, e->sso_mode);
	btc_export_free(e);
}

static void test_values_trimmed_and_typed(void **state)
{
	(void)state;
	btc_error err;
	btc_export *e = parse("<Configuration><Feature Name=\"SSOServer,Engine\">\n"
			      "<NTService ID=\"ENTSSO\" DisplayName=\"SSO\">\n"
			      "  <UserName>\n    CONTOSO\\svc-sso$  \n  </UserName>\n"
			      "  <Domain />\n  <Password>*****</Password>\n"
			      "</NTService>\n"
			      "<SQL ID=\"x\" MSOLAPServer=\"Yes\"><Server>OLAP01</Server></SQL>\n"
			      "<NTCredential ID=\"SSOAdminGroup\"><NTAccount>contoso.com\\SSO Admins</NTAccount></NTCredential>\n"
			      "<Name ID=\"{8B3212A1-44EA-46bc-A06C-75E289D1F840}\"><Value>ALERTSQL</Value></Name>\n"
			      "</Feature></Configuration>",
			      &err);
	assert_non_null(e);
	assert_int_equal(1, e->n_services);
	assert_string_equal("CONTOSO\\svc-sso$", e->services[0]->user_name.text);
	assert_int_equal(BTC_ACCOUNT_NETBIOS, e->services[0]->account.form);
	assert_true(e->services[0]->gmsa);
	assert_int_equal(2, e->n_endpoints);
	assert_true(e->endpoints[0]->olap);
	assert_int_equal(BTC_DB_BAM_ALERTS, e->endpoints[1]->role);
	assert_string_equal("ALERTSQL", e->endpoints[1]->name.host);
	assert_int_equal(BTC_ACCOUNT_DNS, e->groups[0]->parsed.form);
	btc_export_free(e);
}

/* ---- the real corpus ---- */

typedef struct corpus_case {
	const char *file;
	bool ok;
	size_t features;
	btc_mode sso, group;
	int error_line; /* for refused files */
} corpus_case;

static const corpus_case corpus_cases[] = {
	{"MicrosoftDocs__biztalk-docs__working-with-the-configuration-framework__codeblock.xml", false, 0, 0, 0, 3},
	{"dsccommunity__BizTalkServerDsc__99.Visity_localhost__Configuration__4c12448c.xml", true, 7, BTC_MODE_CREATE,
	 BTC_MODE_CREATE, 0},
	{"dsccommunity__BizTalkServerDsc__99.Visity_localhost__Configuration__dcfd15dc.xml", true, 6, BTC_MODE_CREATE,
	 BTC_MODE_CREATE, 0},
	{"dsccommunity__BizTalkServerDsc__Stream_BizTalk__Configuration__4c12448c.xml", true, 7, BTC_MODE_CREATE,
	 BTC_MODE_CREATE, 0},
	{"skastberg__biztalkps__Create-2020DevGroup.xml", true, 10, BTC_MODE_CREATE, BTC_MODE_CREATE, 0},
	{"skastberg__biztalkps__Create-Group-BTS2016VM.xml", true, 8, BTC_MODE_CREATE, BTC_MODE_CREATE, 0},
	{"skastberg__biztalkps__ScriptedInstallSamples_Config_Features.xml", true, 1, BTC_MODE_ABSENT, BTC_MODE_ABSENT,
	 0},
	{"skastberg__biztalkps__ScriptedInstallWhitepaperExamples_Config_Features.xml", true, 1, BTC_MODE_ABSENT,
	 BTC_MODE_ABSENT, 0},
};

static void test_real_corpus(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(corpus_cases) / sizeof(corpus_cases[0]); i++) {
		const corpus_case *c = &corpus_cases[i];
		char path[1024];
		btc_export *e = NULL;
		btc_error err = {0};
		snprintf(path, sizeof(path), "%s/corpus/real/%s", BTC_SHARED_DIR, c->file);
		print_message("corpus %s\n", c->file);
		int rc = btc_export_load(&e, path, NULL, &err);
		if (!c->ok) {
			assert_int_equal(-1, rc);
			assert_null(e);
			assert_int_equal(c->error_line, err.line);
			assert_true(err.column > 0);
			assert_non_null(strstr(err.message, "not well-formed"));
			continue;
		}
		assert_int_equal(0, rc);
		assert_non_null(e);
		assert_string_equal("Configuration", e->root);
		print_message("  features %zu\n", e->n_features);
		assert_int_equal(c->features, e->n_features);
		assert_int_equal(c->sso, e->sso_mode);
		assert_int_equal(c->group, e->group_mode);
		btc_export_free(e);
	}
}

/* ---- hostile and unusual input ---- */

typedef struct bad_case {
	const char *name;
	const char *data;
	size_t len; /* 0: strlen */
	const char *want; /* substring of the message */
} bad_case;

static const bad_case bad_cases[] = {
	{"empty", "", 0, "empty"},
	{"binary", "\x7f" "ELF\x02\x01\x01\x00\x00\x00", 10, "not an XML document"},
	{"truncated", "<Configuration><Feature Name=\"x\"><SQL>", 0, "truncated"},
	{"bare ampersand", "<Configuration Text=\"a & b\"/>", 0, "not well-formed"},
	{"doctype external entity",
	 "<?xml version=\"1.0\"?>\n<!DOCTYPE Configuration [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
	 "<Configuration>&x;</Configuration>",
	 0, "document type declaration"},
	{"doctype external subset", "<!DOCTYPE Configuration SYSTEM \"http://example.invalid/x.dtd\"><Configuration/>",
	 0, "document type declaration"},
	{"undeclared entity", "<Configuration>&x;</Configuration>", 0, "not well-formed"},
	{"invalid utf-8", "<Configuration>\xff\xfe\xfd</Configuration>", 0, "not well-formed"},
	{"two roots", "<Configuration/><Configuration/>", 0, "not well-formed"},
};

static void test_bad_input(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const bad_case *c = &bad_cases[i];
		btc_export *e = NULL;
		btc_error err = {0};
		print_message("bad input: %s\n", c->name);
		int rc = btc_export_parse_memory(&e, "bad.xml", c->data, c->len ? c->len : strlen(c->data), NULL,
						 &err);
		assert_int_equal(-1, rc);
		assert_null(e);
		print_message("  -> line %d: %s\n", err.line, err.message);
		assert_non_null(strstr(err.message, c->want));
	}
}

static void test_entity_bomb_refused_fast(void **state)
{
	(void)state;
	static const char bomb[] = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n"
				   "<!ENTITY lol \"lol\">\n"
				   "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
				   "<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
				   "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
				   "<!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
				   "<!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
				   "<!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
				   "<!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
				   "<!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
				   "<!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
				   "]>\n<Configuration><Feature Name=\"&lol9;\"/></Configuration>\n";
	btc_export *e = NULL;
	btc_error err = {0};
	assert_int_equal(-1, btc_export_parse_memory(&e, "bomb.xml", bomb, strlen(bomb), NULL, &err));
	assert_int_equal(2, err.line);
	assert_non_null(strstr(err.message, "document type declaration"));
}

static void test_deep_nesting(void **state)
{
	(void)state;
	const size_t depth = 100000;
	char *buf = malloc(depth * 7 + 64);
	assert_non_null(buf);
	size_t n = 0;
	n += (size_t)sprintf(buf + n, "<Configuration>");
	for (size_t i = 0; i < depth; i++)
		n += (size_t)sprintf(buf + n, "<a>");
	btc_export *e = NULL;
	btc_error err = {0};
	assert_int_equal(-1, btc_export_parse_memory(&e, "deep.xml", buf, n, NULL, &err));
	assert_non_null(strstr(err.message, "nest deeper than 256"));
	free(buf);
}

static void test_size_limit(void **state)
{
	(void)state;
	btc_parse_limits lim = {.max_size = 10};
	btc_export *e = NULL;
	btc_error err = {0};
	const char *xml = "<Configuration><Feature/></Configuration>";
	assert_int_equal(-1, btc_export_parse_memory(&e, "big.xml", xml, strlen(xml), &lim, &err));
	assert_non_null(strstr(err.message, "over the limit"));
}

/* UTF-16LE with a BOM and CRLF line ends, as Windows tools write. */
static char *to_utf16(const char *s, bool big_endian, size_t *len)
{
	size_t n = strlen(s);
	char *out = malloc(2 * n + 2);
	assert_non_null(out);
	out[0] = big_endian ? '\xfe' : '\xff';
	out[1] = big_endian ? '\xff' : '\xfe';
	for (size_t i = 0; i < n; i++) {
		out[2 + 2 * i + (big_endian ? 1 : 0)] = s[i];
		out[2 + 2 * i + (big_endian ? 0 : 1)] = 0;
	}
	*len = 2 * n + 2;
	return out;
}

static const char crlf_doc[] = "<!-- exported -->\r\n<Configuration>\r\n"
			       "  <Feature Name=\"WMI\">\r\n"
			       "    <SQL ID=\"{D757DBF9-5D71-4995-9F20-A552B7DFE7F1}\">\r\n"
			       "      <Server>SQLVS01\\BTS</Server>\r\n"
			       "    </SQL>\r\n"
			       "  </Feature>\r\n"
			       "</Configuration>\r\n";

static void check_crlf_doc(const char *data, size_t len)
{
	btc_export *e = NULL;
	btc_error err = {0};
	int rc = btc_export_parse_memory(&e, "win.xml", data, len, NULL, &err);
	if (rc != 0)
		print_message("error: line %d: %s\n", err.line, err.message);
	assert_int_equal(0, rc);
	assert_int_equal(1, e->n_endpoints);
	assert_string_equal("SQLVS01\\BTS", e->endpoints[0]->server.text);
	assert_int_equal(5, e->endpoints[0]->server.line);
	btc_export_free(e);
}

static void test_encodings(void **state)
{
	(void)state;
	size_t len;
	char *le = to_utf16(crlf_doc, false, &len);
	check_crlf_doc(le, len);
	free(le);
	char *be = to_utf16(crlf_doc, true, &len);
	check_crlf_doc(be, len);
	free(be);

	char *bom = malloc(sizeof(crlf_doc) + 3);
	assert_non_null(bom);
	memcpy(bom, "\xef\xbb\xbf", 3);
	memcpy(bom + 3, crlf_doc, sizeof(crlf_doc));
	check_crlf_doc(bom, strlen(bom));
	free(bom);
	check_crlf_doc(crlf_doc, strlen(crlf_doc));
}

static void test_missing_file_and_directory(void **state)
{
	(void)state;
	btc_export *e = NULL;
	btc_error err = {0};
	assert_int_equal(-1, btc_export_load(&e, "/nonexistent/btclint.xml", NULL, &err));
	assert_non_null(strstr(err.message, "No such file"));
	assert_int_equal(-1, btc_export_load(&e, "/tmp", NULL, &err));
	assert_non_null(strstr(err.message, "directory"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_server_names),
		cmocka_unit_test(test_accounts),
		cmocka_unit_test(test_placeholders),
		cmocka_unit_test(test_machine_names),
		cmocka_unit_test(test_selected_answers_only),
		cmocka_unit_test(test_values_trimmed_and_typed),
		cmocka_unit_test(test_real_corpus),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_entity_bomb_refused_fast),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_size_limit),
		cmocka_unit_test(test_encodings),
		cmocka_unit_test(test_missing_file_and_directory),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
