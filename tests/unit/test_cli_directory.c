/* `btclint check --ldap ...` end to end: the built binary against a real
 * slapd (tests/ldap/fixture.c). Each scope and type gives the right GRP005
 * result, every failure is an exit 3 within the timeout, and the password
 * appears in no output.
 *
 * The scene is the one test_directory sets: an empty HOME, no inherited
 * LDAP* variables, and a hostile "TLS_REQCERT never" in ./ldaprc and in
 * LDAPTLS_REQCERT, which btclint (a child of this process) inherits: its
 * certificate checks must hold regardless.
 *
 * Environment: BTC_BTCLINT (the binary) and what the fixture needs. */
#define _POSIX_C_SOURCE 200809L

#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "fixture.h"

#define WRONG_PASSWORD "Wr0ng-Pa55word-xyzzy"


static char scene_dir[PATH_MAX];
static char export1[PATH_MAX + 32], export2[PATH_MAX + 32];
static char pwfile[PATH_MAX + 32];
static const char *btclint;

typedef struct run_result {
	int status; /* exit status, or -1 */
	double seconds;
	char *out;
	char *err;
} run_result;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (f == NULL)
		return NULL;
	do {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 8192;
			char *nb = realloc(buf, cap + 1);
			if (nb == NULL)
				break;
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	fclose(f);
	if (buf != NULL)
		buf[len] = '\0';
	return buf;
}

/* Runs btclint with args (NULL-terminated); password, when set, goes into
 * BTCLINT_LDAP_PASSWORD only. */
static run_result run(const char *password, const char *const *args)
{
	char out_path[PATH_MAX + 32], err_path[PATH_MAX + 32];
	const char *argv[64];
	size_t n = 0;
	run_result r = {.status = -1};
	int status = 0;

	snprintf(out_path, sizeof out_path, "%s/stdout", scene_dir);
	snprintf(err_path, sizeof err_path, "%s/stderr", scene_dir);
	argv[n++] = btclint;
	for (size_t i = 0; args[i] != NULL && n < 63; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	print_message("    $ btclint");
	for (size_t i = 1; i < n; i++)
		print_message(" %s", argv[i]);
	print_message("\n");

	double t0 = now();
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fo = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int fe = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fo < 0 || fe < 0 || dup2(fo, 1) < 0 || dup2(fe, 2) < 0)
			_exit(126);
		if (password != NULL)
			setenv("BTCLINT_LDAP_PASSWORD", password, 1);
		else
			unsetenv("BTCLINT_LDAP_PASSWORD");
		execv(btclint, (char *const *)argv);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	r.seconds = now() - t0;
	if (WIFEXITED(status))
		r.status = WEXITSTATUS(status);
	r.out = slurp(out_path);
	r.err = slurp(err_path);
	assert_non_null(r.out);
	assert_non_null(r.err);
	print_message("    exit %d after %.3f s\n", r.status, r.seconds);
	if (r.err[0] != '\0')
		print_message("    stderr: %s", r.err);
	/* Whatever happened, no output carries a password. */
	assert_null(strstr(r.out, FIXTURE_PASSWORD));
	assert_null(strstr(r.err, FIXTURE_PASSWORD));
	assert_null(strstr(r.out, WRONG_PASSWORD));
	assert_null(strstr(r.err, WRONG_PASSWORD));
	return r;
}

static void run_free(run_result *r)
{
	free(r->out);
	free(r->err);
}

static json_t *parse_json(const run_result *r)
{
	json_error_t jerr;
	json_t *root = json_loads(r->out, 0, &jerr);

	if (root == NULL)
		print_error("stdout is not JSON: %s\n%s\n", jerr.text, r->out);
	assert_non_null(root);
	return root;
}

/* The GRP005 findings of a JSON report, by subject: "error", "warning", or
 * NULL when that subject has none. */
static const char *grp005_severity(json_t *root, const char *path, const char *subject)
{
	json_t *findings = json_object_get(root, "findings");
	size_t i;
	json_t *f;

	json_array_foreach(findings, i, f)
	{
		if (strcmp(json_string_value(json_object_get(f, "rule")), "GRP005") == 0 &&
		    strstr(json_string_value(json_object_get(f, "path")), path) != NULL &&
		    strcmp(json_string_value(json_object_get(f, "subject")), subject) == 0)
			return json_string_value(json_object_get(f, "severity"));
	}
	return NULL;
}

static size_t grp005_count(json_t *root)
{
	json_t *findings = json_object_get(root, "findings");
	size_t i, n = 0;
	json_t *f;

	json_array_foreach(findings, i, f) n += strcmp(json_string_value(json_object_get(f, "rule")), "GRP005") == 0;
	return n;
}

/* The directory block's entry for an account. */
static json_t *dir_group(json_t *root, const char *account)
{
	json_t *groups = json_object_get(json_object_get(root, "directory"), "groups");
	size_t i;
	json_t *g;

	json_array_foreach(groups, i, g)
	{
		if (strcmp(json_string_value(json_object_get(g, "account")), account) == 0)
			return g;
	}
	print_error("no directory entry for %s\n", account);
	fail();
	return NULL;
}

static void expect_verdict(json_t *root, const char *account, const char *verdict)
{
	json_t *g = dir_group(root, account);

	assert_true(json_is_true(json_object_get(g, "checked")));
	assert_string_equal(json_string_value(json_object_get(g, "verdict")), verdict);
}

/* ---- the scene: exports, an inventory, a password file ---- */

static int write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f == NULL || fputs(text, f) == EOF)
		return -1;
	return fclose(f);
}

#define CRED(id, account) "    <NTCredential ID=\"" id "\"><NTAccount>" account "</NTAccount></NTCredential>\n"
#define EXPORT(body) "<Configuration>\n  <Feature Name=\"WMI\">\n" body "  </Feature>\n</Configuration>\n"

/* BTS01: one group of every scope and type of contoso.ldif. */
static const char export1_xml[] = EXPORT(
	CRED("BTS_ADMIN_GROUP", "CONTOSO\\BizTalk Server Administrators")         /* global security */
	CRED("BTS_OPERATOR_GROUP", "CONTOSO\\BizTalk Server Operators")           /* universal security */
	CRED("SSOAdminGroup", "CONTOSO\\SSO Administrators")                      /* domain-local */
	CRED("BTS_B2B_OPERATOR_GROUP", "CONTOSO\\Administrators")                 /* built-in domain-local */
	CRED("BTS_HOST_GROUP", "CONTOSO\\BizTalk Application Users")              /* global distribution */
	CRED("SSOAffiliateAdminGroup", "CONTOSO\\SSO Affiliate Administrators")   /* universal distribution */
	CRED("BTS_READONLY_USER_GROUP", "CONTOSO\\BizTalk Odd Group")             /* security, no scope */
	CRED("BTS_IHOST_GROUP", "CONTOSO\\BizTalk Isolated Host Users"));         /* a user */

/* BTS02: a missing group, filter metacharacters, and groups not looked up. */
static const char export2_xml[] = EXPORT(
	CRED("BTS_ADMIN_GROUP", "CONTOSO\\BizTalk (Admins) *")                    /* global, escaped */
	CRED("BTS_OPERATOR_GROUP", "CONTOSO\\BizTalk Server Admin*")              /* no such name */
	CRED("BTS_HOST_GROUP", "contoso\\No Such Group")                          /* missing */
	CRED("BTS_READONLY_USER_GROUP", "FABRIKAM\\BizTalk Server Administrators") /* another domain */
	CRED("BTS_IHOST_GROUP", "isolated@contoso.com"));                         /* UPN */

static int write_scene_files(void)
{
	snprintf(export1, sizeof export1, "%s/BTS01.xml", scene_dir);
	snprintf(export2, sizeof export2, "%s/BTS02.xml", scene_dir);
	snprintf(pwfile, sizeof pwfile, "%s/ldap-password", scene_dir);
	if (write_file(export1, export1_xml) < 0 || write_file(export2, export2_xml) < 0 ||
	    write_file(pwfile, FIXTURE_PASSWORD "\n") < 0)
		return -1;
	return chmod(pwfile, 0600);
}

/* ---- fixtures ---- */




/* ---- tests ---- */

static void test_every_scope_and_type(void **state)
{
	ldap_fixture *fx = *state;
	run_result r = run(FIXTURE_PASSWORD, (const char *[]){"check", "--format", "json", "--ldap", fx->ldap_uri,
							      "--ldap-bind", FIXTURE_BIND_DN, export1, export2, NULL});
	json_t *root = parse_json(&r);
	json_t *dir = json_object_get(root, "directory");

	assert_int_equal(r.status, 1);
	assert_non_null(dir);
	assert_true(json_is_null(json_object_get(dir, "error")));
	assert_string_equal(json_string_value(json_object_get(dir, "uri")), fx->ldap_uri);
	/* slapd gives DNs in its own case, as AD may. */
	assert_int_equal(strcasecmp(json_string_value(json_object_get(dir, "base")), FIXTURE_BASE), 0);
	assert_string_equal(json_string_value(json_object_get(dir, "bound_as")), FIXTURE_BIND_DN);
	assert_string_equal(json_string_value(json_object_get(dir, "domain")), "CONTOSO");

	/* BTS01: every scope and type. */
	assert_null(grp005_severity(root, "BTS01", "BTS_ADMIN_GROUP"));
	assert_string_equal(grp005_severity(root, "BTS01", "BTS_OPERATOR_GROUP"), "warning");
	assert_string_equal(grp005_severity(root, "BTS01", "SSOAdminGroup"), "error");
	assert_string_equal(grp005_severity(root, "BTS01", "BTS_B2B_OPERATOR_GROUP"), "error");
	assert_string_equal(grp005_severity(root, "BTS01", "BTS_HOST_GROUP"), "error");
	assert_string_equal(grp005_severity(root, "BTS01", "SSOAffiliateAdminGroup"), "error");
	assert_string_equal(grp005_severity(root, "BTS01", "BTS_READONLY_USER_GROUP"), "error");
	assert_string_equal(grp005_severity(root, "BTS01", "BTS_IHOST_GROUP"), "error");
	expect_verdict(root, "CONTOSO\\BizTalk Server Administrators", "global security");
	expect_verdict(root, "CONTOSO\\BizTalk Server Operators", "universal security");
	expect_verdict(root, "CONTOSO\\SSO Administrators", "domain-local");
	expect_verdict(root, "CONTOSO\\Administrators", "domain-local");
	expect_verdict(root, "CONTOSO\\BizTalk Application Users", "distribution");
	expect_verdict(root, "CONTOSO\\SSO Affiliate Administrators", "distribution");
	expect_verdict(root, "CONTOSO\\BizTalk Odd Group", "unknown scope");
	expect_verdict(root, "CONTOSO\\BizTalk Isolated Host Users", "not a group");
	json_t *g = dir_group(root, "CONTOSO\\BizTalk Server Administrators");
	assert_true(json_is_true(json_object_get(g, "found")));
	assert_true(json_is_true(json_object_get(g, "security")));
	assert_string_equal(json_string_value(json_object_get(g, "scope")), "global");
	assert_int_equal(json_integer_value(json_object_get(g, "group_type")), -2147483646LL);
	assert_int_equal(strcasecmp(json_string_value(json_object_get(g, "dn")),
				    "CN=BizTalk Server Administrators,OU=Groups,DC=contoso,DC=com"),
			 0);
	g = dir_group(root, "CONTOSO\\BizTalk Application Users");
	assert_true(json_is_false(json_object_get(g, "security")));

	/* BTS02: escaping, a missing group, groups not looked up. */
	assert_null(grp005_severity(root, "BTS02", "BTS_ADMIN_GROUP"));
	expect_verdict(root, "CONTOSO\\BizTalk (Admins) *", "global security");
	assert_string_equal(grp005_severity(root, "BTS02", "BTS_OPERATOR_GROUP"), "error");
	expect_verdict(root, "CONTOSO\\BizTalk Server Admin*", "not found");
	assert_string_equal(grp005_severity(root, "BTS02", "BTS_HOST_GROUP"), "error");
	g = dir_group(root, "contoso\\No Such Group");
	assert_true(json_is_false(json_object_get(g, "found")));
	assert_true(json_is_null(json_object_get(g, "dn")));
	assert_null(grp005_severity(root, "BTS02", "BTS_READONLY_USER_GROUP"));
	g = dir_group(root, "FABRIKAM\\BizTalk Server Administrators");
	assert_true(json_is_false(json_object_get(g, "checked")));
	assert_string_equal(json_string_value(json_object_get(g, "reason")), "another domain");
	g = dir_group(root, "isolated@contoso.com");
	assert_true(json_is_false(json_object_get(g, "checked")));
	assert_null(grp005_severity(root, "BTS02", "BTS_IHOST_GROUP"));
	/* 7 in BTS01, 2 in BTS02. */
	assert_int_equal(grp005_count(root), 9);
	json_decref(root);
	run_free(&r);

	/* The text report's block names each verdict and what was not checked. */
	r = run(FIXTURE_PASSWORD, (const char *[]){"check", "--ldap", fx->ldap_uri, "--ldap-bind", FIXTURE_BIND_DN,
						   export1, export2, NULL});
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "warning GRP005: BTS_OPERATOR_GROUP"));
	assert_non_null(strstr(r.out, "error GRP005: SSOAdminGroup"));
	assert_non_null(strstr(r.out, "  CONTOSO\\BizTalk Server Administrators: global security\n"));
	assert_non_null(strstr(r.out, "  CONTOSO\\BizTalk Odd Group: unknown scope\n"));
	assert_non_null(strstr(r.out, "  FABRIKAM\\BizTalk Server Administrators: not checked (another domain; the "
				      "farm's domain is CONTOSO)\n"));
	assert_non_null(strstr(r.out, "  isolated@contoso.com: not checked (UPN form (GRP003))\n"));
	run_free(&r);
}

/* Only global security groups: no GRP005 finding, exit 0 (GRP-clean export). */
static void test_global_only_passes(void **state)
{
	ldap_fixture *fx = *state;
	char path[PATH_MAX + 32];

	snprintf(path, sizeof path, "%s/global.xml", scene_dir);
	assert_int_equal(write_file(path, EXPORT(CRED("BTS_ADMIN_GROUP", "CONTOSO\\BizTalk Server Administrators")
							 CRED("BTS_OPERATOR_GROUP", "CONTOSO\\BizTalk (Admins) *"))),
			 0);
	run_result r = run(NULL, (const char *[]){"check", "--ldap", fx->ldap_uri, "--ldap-bind", FIXTURE_BIND_DN,
						  "--ldap-password-file", pwfile, "--disable", "GRP006", path, NULL});
	assert_int_equal(r.status, 0);
	assert_null(strstr(r.out, "GRP005"));
	assert_non_null(strstr(r.out, "CONTOSO\\BizTalk (Admins) *: global security"));
	run_free(&r);
}

static void expect_tls_works(const char *uri, bool starttls, const char *ca)
{
	const char *args[16] = {"check", "--format", "json", "--ldap", uri, "--ldap-bind", FIXTURE_BIND_DN};
	size_t n = 7;

	if (starttls)
		args[n++] = "--ldap-starttls";
	if (ca != NULL) {
		args[n++] = "--ldap-ca";
		args[n++] = ca;
	}
	args[n++] = export1;
	args[n] = NULL;
	run_result r = run(FIXTURE_PASSWORD, args);
	json_t *root = parse_json(&r);
	assert_int_equal(r.status, 1);
	assert_string_equal(grp005_severity(root, "BTS01", "BTS_OPERATOR_GROUP"), "warning");
	json_decref(root);
	run_free(&r);
}

static void expect_input_error(run_result *r, const char *says)
{
	assert_int_equal(r->status, 3);
	assert_non_null(strstr(r->err, "btclint: "));
	if (says != NULL && strstr(r->err, says) == NULL) {
		print_error("stderr lacks \"%s\"\n", says);
		fail();
	}
}

static void test_ldaps_and_starttls_with_ca(void **state)
{
	ldap_fixture *fx = *state;

	expect_tls_works(fx->ldaps_uri, false, fx->ca_file);
	expect_tls_works(fx->ldap_uri, true, fx->ca_file);
}

/* No CA, while ./ldaprc and LDAPTLS_REQCERT say "never": still refused. */
static void test_tls_without_ca_refused(void **state)
{
	ldap_fixture *fx = *state;
	run_result r = run(FIXTURE_PASSWORD, (const char *[]){"check", "--format", "json", "--ldap", fx->ldaps_uri,
							      "--ldap-bind", FIXTURE_BIND_DN, export1, NULL});
	json_t *root = parse_json(&r);

	expect_input_error(&r, "certificate");
	assert_int_equal(grp005_count(root), 0);
	assert_true(json_is_string(json_object_get(json_object_get(root, "directory"), "error")));
	json_decref(root);
	run_free(&r);
}

static void test_wrong_password(void **state)
{
	ldap_fixture *fx = *state;
	run_result r = run(WRONG_PASSWORD, (const char *[]){"check", "--format", "json", "--ldap", fx->ldap_uri,
							    "--ldap-bind", FIXTURE_BIND_DN, export1, NULL});
	json_t *root = parse_json(&r);
	json_t *dir = json_object_get(root, "directory");

	expect_input_error(&r, "invalid credentials");
	/* No verdicts, but the other rules still ran and the input is fine. */
	assert_int_equal(grp005_count(root), 0);
	assert_non_null(strstr(json_string_value(json_object_get(dir, "error")), "invalid credentials"));
	assert_true(json_is_false(json_object_get(json_array_get(json_object_get(dir, "groups"), 0), "checked")));
	json_decref(root);
	run_free(&r);

	/* The same through --ldap-password-file, and in every format. */
	char path[PATH_MAX + 32];
	snprintf(path, sizeof path, "%s/wrong-password", scene_dir);
	assert_int_equal(write_file(path, WRONG_PASSWORD "\r\n"), 0);
	static const char *const formats[] = {"text", "json", "sarif", "junit", "github", "azure"};
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		r = run(NULL, (const char *[]){"check", "--format", formats[i], "--ldap", fx->ldap_uri, "--ldap-bind",
					       FIXTURE_BIND_DN, "--ldap-password-file", path, export1, NULL});
		expect_input_error(&r, "invalid credentials");
		if (strcmp(formats[i], "sarif") == 0) {
			/* The CI gate sees the failure, not only the exit status. */
			json_t *sarif = parse_json(&r);
			json_t *inv = json_array_get(
				json_object_get(json_array_get(json_object_get(sarif, "runs"), 0), "invocations"), 0);
			assert_true(json_is_false(json_object_get(inv, "executionSuccessful")));
			json_t *note = json_array_get(json_object_get(inv, "toolExecutionNotifications"), 0);
			assert_non_null(strstr(json_string_value(json_object_get(json_object_get(note, "message"), "text")),
					       "invalid credentials"));
			json_decref(sarif);
		}
		if (strcmp(formats[i], "junit") == 0)
			assert_non_null(strstr(r.out, "<error type=\"directory\" message=\""));
		run_free(&r);
	}
}

static void test_anonymous_refused(void **state)
{
	ldap_fixture *fx = *state;
	run_result r = run(NULL, (const char *[]){"check", "--ldap", fx->ldap_uri, export1, NULL});

	expect_input_error(&r, "directory");
	assert_null(strstr(r.out, "GRP005:"));
	assert_non_null(strstr(r.out, "could not be used"));
	run_free(&r);
}

/* A bind DN without a password is refused before anything is sent. */
static void test_bind_without_password(void **state)
{
	ldap_fixture *fx = *state;
	run_result r = run(NULL, (const char *[]){"check", "--ldap", fx->ldap_uri, "--ldap-bind", FIXTURE_BIND_DN,
						  export1, NULL});

	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "BTCLINT_LDAP_PASSWORD"));
	run_free(&r);
	r = run("", (const char *[]){"check", "--ldap", fx->ldap_uri, "--ldap-bind", FIXTURE_BIND_DN, export1, NULL});
	assert_int_equal(r.status, 2);
	run_free(&r);
}

/* The inventory's [directory] does the same for its farm; the command line
 * overrides it key by key. */
static void test_inventory_directory(void **state)
{
	ldap_fixture *fx = *state;
	char inv[PATH_MAX + 32], text[4096];

	snprintf(inv, sizeof inv, "%s/site.ini", scene_dir);
	snprintf(text, sizeof text,
		 "[farm]\nname = contoso-test\ndomain = CONTOSO\n\n[server BTS01]\nexport = BTS01.xml\n\n"
		 "[directory]\nuri = %s\nstarttls = yes\nca = %s\nbind = %s\nbase = %s\n",
		 fx->ldap_uri, fx->ca_file, FIXTURE_BIND_DN, FIXTURE_BASE);
	assert_int_equal(write_file(inv, text), 0);

	run_result r = run(FIXTURE_PASSWORD, (const char *[]){"check", "--format", "json", "--inventory", inv, NULL});
	json_t *root = parse_json(&r);
	assert_int_equal(r.status, 1);
	assert_string_equal(grp005_severity(root, "BTS01", "SSOAdminGroup"), "error");
	assert_string_equal(json_string_value(json_object_get(json_object_get(root, "directory"), "farm")),
			    "contoso-test");
	json_decref(root);
	run_free(&r);

	/* --ldap-base overrides the inventory's base: a base the server lacks. */
	r = run(FIXTURE_PASSWORD,
		(const char *[]){"check", "--inventory", inv, "--ldap-base", "DC=fabrikam,DC=com", NULL});
	expect_input_error(&r, "site.ini: error: directory");
	assert_non_null(strstr(r.err, "No such object"));
	assert_null(strstr(r.out, "GRP005:"));
	run_free(&r);

	/* Without the password the inventory's bind cannot be used: exit 3. */
	r = run(NULL, (const char *[]){"check", "--inventory", inv, NULL});
	expect_input_error(&r, "needs a password");
	run_free(&r);

	/* Two farms (the inventory's and the command line's): the inventory's
	 * bind is its farm's only, so the command-line farm binds anonymously
	 * and is refused. */
	r = run(FIXTURE_PASSWORD, (const char *[]){"check", "--format", "json", "--inventory", inv, "--ldap",
						   fx->ldap_uri, export2, NULL});
	root = parse_json(&r);
	expect_input_error(&r, "exports on the command line: error: directory");
	assert_null(strstr(r.err, "site.ini: error"));
	assert_null(json_object_get(root, "directory"));
	json_t *dirs = json_object_get(root, "directories");
	assert_int_equal(json_array_size(dirs), 2);
	assert_true(json_is_null(json_object_get(json_array_get(dirs, 0), "error")));
	assert_true(json_is_string(json_object_get(json_array_get(dirs, 1), "error")));
	/* The inventory's farm still got its verdicts. */
	assert_string_equal(grp005_severity(root, "BTS01", "SSOAdminGroup"), "error");
	json_decref(root);
	run_free(&r);

	/* --ldap-bind on the command line serves both farms. */
	r = run(FIXTURE_PASSWORD, (const char *[]){"check", "--format", "json", "--inventory", inv, "--ldap",
						   fx->ldap_uri, "--ldap-bind", FIXTURE_BIND_DN, export2, NULL});
	root = parse_json(&r);
	assert_int_equal(r.status, 1);
	dirs = json_object_get(root, "directories");
	assert_int_equal(json_array_size(dirs), 2);
	assert_true(json_is_null(json_object_get(json_array_get(dirs, 1), "farm")));
	assert_string_equal(grp005_severity(root, "BTS02", "BTS_HOST_GROUP"), "error");
	json_decref(root);
	run_free(&r);
}

/* Two farms that reach the directory the same way share one lookup: each
 * farm still gets the verdicts of its own groups. */
static void test_farms_share_a_lookup(void **state)
{
	ldap_fixture *fx = *state;
	char inv_a[PATH_MAX + 32], inv_b[PATH_MAX + 32];

	snprintf(inv_a, sizeof inv_a, "%s/farm-a.ini", scene_dir);
	snprintf(inv_b, sizeof inv_b, "%s/farm-b.ini", scene_dir);
	assert_int_equal(write_file(inv_a, "[farm]\nname = a\ndomain = CONTOSO\n[server BTS01]\nexport = BTS01.xml\n"), 0);
	assert_int_equal(write_file(inv_b, "[farm]\nname = b\ndomain = CONTOSO\n[server BTS02]\nexport = BTS02.xml\n"), 0);
	run_result r = run(FIXTURE_PASSWORD, (const char *[]){"check", "--format", "json", "--ldap", fx->ldap_uri,
							      "--ldap-bind", FIXTURE_BIND_DN, "--inventory", inv_a,
							      "--inventory", inv_b, NULL});
	json_t *root = parse_json(&r);
	assert_int_equal(r.status, 1);
	/* farm a: BTS01's groups */
	assert_null(grp005_severity(root, "BTS01", "BTS_ADMIN_GROUP"));
	assert_string_equal(grp005_severity(root, "BTS01", "BTS_OPERATOR_GROUP"), "warning");
	assert_string_equal(grp005_severity(root, "BTS01", "SSOAdminGroup"), "error");
	assert_string_equal(grp005_severity(root, "BTS01", "BTS_IHOST_GROUP"), "error");
	/* farm b: BTS02's */
	assert_null(grp005_severity(root, "BTS02", "BTS_ADMIN_GROUP"));
	assert_string_equal(grp005_severity(root, "BTS02", "BTS_OPERATOR_GROUP"), "error");
	assert_string_equal(grp005_severity(root, "BTS02", "BTS_HOST_GROUP"), "error");
	assert_null(grp005_severity(root, "BTS02", "BTS_READONLY_USER_GROUP"));
	json_t *dirs = json_object_get(root, "directories");
	assert_int_equal(json_array_size(dirs), 2);
	for (size_t i = 0; i < 2; i++)
		assert_string_equal(json_string_value(json_object_get(json_array_get(dirs, i), "base")), FIXTURE_BASE);
	json_decref(root);
	run_free(&r);
}

static void test_silent_server(void **state)
{
	ldap_fixture *fx = *state;

	assert_int_equal(kill(fx->pid, SIGSTOP), 0);
	run_result r = run(FIXTURE_PASSWORD, (const char *[]){"check", "--timeout", "1", "--ldap", fx->ldaps_uri,
							      "--ldap-ca", fx->ca_file, "--ldap-bind",
							      FIXTURE_BIND_DN, export1, NULL});
	expect_input_error(&r, "no answer within 1 s");
	assert_true(r.seconds <= 2.0);
	run_free(&r);

	/* Three farms, one directory: it is not asked again once it did not
	 * answer, so the run takes one timeout, not three; each farm still
	 * reports it, in farm order. */
	char inv[3][PATH_MAX + 32];
	for (int i = 0; i < 3; i++) {
		snprintf(inv[i], sizeof inv[i], "%s/farm%d.ini", scene_dir, i);
		assert_int_equal(write_file(inv[i], "[farm]\nname = estate\n[server BTS01]\nexport = BTS01.xml\n"), 0);
	}
	r = run(FIXTURE_PASSWORD,
		(const char *[]){"check", "--timeout", "1", "--ldap", fx->ldaps_uri, "--ldap-ca", fx->ca_file,
				 "--ldap-bind", FIXTURE_BIND_DN, "--inventory", inv[0], "--inventory", inv[1],
				 "--inventory", inv[2], NULL});
	expect_input_error(&r, "no answer within 1 s");
	assert_true(r.seconds <= 2.0);
	const char *e0 = strstr(r.err, "farm0.ini: error: directory"), *e1 = strstr(r.err, "farm1.ini: error: directory"),
		   *e2 = strstr(r.err, "farm2.ini: error: directory");
	assert_true(e0 != NULL && e1 != NULL && e2 != NULL && e0 < e1 && e1 < e2);
	run_free(&r);
	assert_int_equal(kill(fx->pid, SIGCONT), 0);
}

static void test_stopped_server(void **state)
{
	ldap_fixture *fx = *state;

	ldap_fixture_kill(fx);
	run_result r = run(FIXTURE_PASSWORD, (const char *[]){"check", "--timeout", "2", "--ldap", fx->ldap_uri,
							      "--ldap-bind", FIXTURE_BIND_DN, export1, NULL});
	expect_input_error(&r, "Can't contact LDAP server");
	assert_true(r.seconds <= 3.0);
	run_free(&r);
}

/* ---- the scene ---- */

static void remove_scene(void)
{
	ldap_fixture_remove_tree(scene_dir);
}

static int set_scene(void)
{
	char path[PATH_MAX + 32];

	ldap_fixture_unset_env((const char *const[]){"LDAP", "BTCLINT_", NULL});
	snprintf(scene_dir, sizeof scene_dir, "%s/btclint-clildap-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(scene_dir) == NULL)
		return -1;
	atexit(remove_scene);
	snprintf(path, sizeof path, "%s/home", scene_dir);
	if (mkdir(path, 0700) < 0 || setenv("HOME", path, 1) < 0)
		return -1;
	if (chdir(scene_dir) < 0 || write_file("ldaprc", "TLS_REQCERT never\n") < 0 ||
	    setenv("LDAPTLS_REQCERT", "never", 1) < 0)
		return -1;
	return write_scene_files();
}

int main(void)
{
	int failed = 0;
	const struct CMUnitTest ad_like[] = {
		cmocka_unit_test(test_every_scope_and_type),   cmocka_unit_test(test_global_only_passes),
		cmocka_unit_test(test_ldaps_and_starttls_with_ca), cmocka_unit_test(test_tls_without_ca_refused),
		cmocka_unit_test(test_wrong_password),         cmocka_unit_test(test_anonymous_refused),
		cmocka_unit_test(test_bind_without_password),  cmocka_unit_test(test_inventory_directory),
		cmocka_unit_test(test_farms_share_a_lookup),
	};
	const struct CMUnitTest outages[] = {
		cmocka_unit_test_setup_teardown(test_silent_server, ldap_fixture_setup_ad_like, ldap_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_stopped_server, ldap_fixture_setup_ad_like, ldap_fixture_teardown),
	};

	btclint = getenv("BTC_BTCLINT");
	if (btclint == NULL || btclint[0] != '/') {
		fprintf(stderr, "test_cli_directory: set BTC_BTCLINT to the absolute path of btclint\n");
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	if (set_scene() < 0) {
		perror("test_cli_directory: setting up the scene");
		return 1;
	}
	failed += cmocka_run_group_tests_name("btclint check --ldap, AD-like slapd", ad_like, ldap_fixture_setup_ad_like, ldap_fixture_teardown);
	failed += cmocka_run_group_tests_name("btclint check --ldap, outages", outages, NULL, NULL);
	return failed == 0 ? 0 : 1;
}
