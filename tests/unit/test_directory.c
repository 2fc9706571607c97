/* The directory probe against a real slapd (tests/ldap/fixture.c).
 *
 * libldap reads ldaprc, ~/.ldaprc and LDAP* variables once per process, so
 * main() sets the scene before anything touches libldap: an empty HOME, no
 * inherited LDAP* variables, then a hostile "TLS_REQCERT never" both in
 * ./ldaprc and in LDAPTLS_REQCERT. Every certificate test below runs under
 * it. "test_directory --env-ca" instead gives the CA only via LDAPTLS_CACERT.
 *
 * SIGPIPE is ignored as in btclint's main: libldap may raise it when an
 * asynchronous connection was refused. */
#define _POSIX_C_SOURCE 200809L

#include <sys/time.h>

#include <ldap.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "directory/directory.h"
#include "fixture.h"

#define WRONG_PASSWORD "Wr0ng-Pa55word-xyzzy"


static char scene_dir[PATH_MAX]; /* HOME and cwd live here */
static char env_ca_path[PATH_MAX + 16];

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static btc_directory_options bound(const char *uri, const char *ca_file)
{
	btc_directory_options o = {
	    .uri = uri, .ca_file = ca_file, .bind_dn = FIXTURE_BIND_DN, .password = FIXTURE_PASSWORD, .timeout_s = 5};
	return o;
}

/* The password must not appear in any message, whatever happened. */
static void assert_no_secret(const char *msg)
{
	assert_null(strstr(msg, FIXTURE_PASSWORD));
	assert_null(strstr(msg, WRONG_PASSWORD));
}

/* Probes one name; returns the rc and leaves the result (or NULL) in out. */
static int probe_one(btc_directory_result **out, const btc_directory_options *o, const char *name, char *err,
                     size_t err_size)
{
	const char *accounts[] = {"CONTOSO\\placeholder"};
	const char *names[] = {name};
	int rc = btc_directory_check(out, o, accounts, names, 1, err, err_size);

	assert_no_secret(err);
	if (rc == 0)
		assert_string_equal(err, "");
	else
		assert_true(strlen(err) > 0);
	return rc;
}

/* A probe that must fail; returns its message for further checks. */
static void expect_failure(const btc_directory_options *o, char *err, size_t err_size)
{
	btc_directory_result *res = NULL;

	assert_int_equal(probe_one(&res, o, "BizTalk Server Administrators", err, err_size), -1);
	assert_null(res);
	print_message("    message: %s\n", err);
}

static void expect_global(const btc_directory_options *o)
{
	btc_directory_result *res = NULL;
	char err[1024];

	assert_int_equal(probe_one(&res, o, "BizTalk Server Administrators", err, sizeof err), 0);
	assert_non_null(res);
	assert_int_equal(res->count, 1);
	assert_true(res->groups[0].found);
	assert_int_equal(res->groups[0].verdict, BTC_DIRECTORY_GLOBAL_SECURITY);
	btc_directory_result_free(res);
}

/* ---- fixtures ---- */



static int start_open(void **state)
{
	return ldap_fixture_setup(state, 0);
}


/* ---- classification, no server ---- */

static void test_classify(void **state)
{
	(void)state;
	/* AD's signed values and the same bits read as unsigned. */
	assert_int_equal(btc_directory_classify(true, true, true, -2147483646), BTC_DIRECTORY_GLOBAL_SECURITY);
	assert_int_equal(btc_directory_classify(true, true, true, 2147483650LL), BTC_DIRECTORY_GLOBAL_SECURITY);
	assert_int_equal(btc_directory_classify(true, true, true, -2147483640), BTC_DIRECTORY_UNIVERSAL_SECURITY);
	assert_int_equal(btc_directory_classify(true, true, true, -2147483644), BTC_DIRECTORY_DOMAIN_LOCAL);
	assert_int_equal(btc_directory_classify(true, true, true, -2147483643), BTC_DIRECTORY_DOMAIN_LOCAL);
	assert_int_equal(btc_directory_classify(true, true, true, 2), BTC_DIRECTORY_DISTRIBUTION);
	assert_int_equal(btc_directory_classify(true, true, true, 8), BTC_DIRECTORY_DISTRIBUTION);
	assert_int_equal(btc_directory_classify(true, true, true, INT32_MIN), BTC_DIRECTORY_UNKNOWN_SCOPE);
	assert_int_equal(btc_directory_classify(true, true, false, 0), BTC_DIRECTORY_DISTRIBUTION);
	assert_int_equal(btc_directory_classify(true, false, true, -2147483646), BTC_DIRECTORY_NOT_A_GROUP);
	assert_int_equal(btc_directory_classify(false, false, false, 0), BTC_DIRECTORY_NOT_FOUND);

	assert_string_equal(btc_directory_scope_name(-2147483646), "global");
	assert_string_equal(btc_directory_scope_name(-2147483640), "universal");
	assert_string_equal(btc_directory_scope_name(-2147483643), "domain-local");
	assert_null(btc_directory_scope_name(INT32_MIN));
	assert_true(btc_directory_is_security(-2147483646));
	assert_false(btc_directory_is_security(2));
	assert_string_equal(btc_directory_verdict_name(BTC_DIRECTORY_GLOBAL_SECURITY), "global security");
	assert_string_equal(btc_directory_verdict_name(BTC_DIRECTORY_NOT_FOUND), "not found");
	btc_directory_result_free(NULL);
}

/* Refused before any connection: the URI points nowhere useful. */
static void test_invalid_options(void **state)
{
	btc_directory_options o = bound("ldap://127.0.0.1:9", NULL);
	char err[1024];

	(void)state;
	o.password = "";
	expect_failure(&o, err, sizeof err);
	assert_non_null(strstr(err, "no password"));
	o.password = NULL;
	expect_failure(&o, err, sizeof err);
	o = bound("ldap://127.0.0.1:9", NULL);
	o.timeout_s = 0;
	expect_failure(&o, err, sizeof err);
	o = bound("http://127.0.0.1:9", NULL);
	expect_failure(&o, err, sizeof err);
	o = bound("ldaps://127.0.0.1:9", NULL);
	o.starttls = true;
	expect_failure(&o, err, sizeof err);
	o = bound("ldaps://127.0.0.1:9", "/nonexistent/ca.pem");
	expect_failure(&o, err, sizeof err);
	assert_non_null(strstr(err, "/nonexistent/ca.pem"));
}

/* ---- the AD-like directory: require authc, defaultNamingContext ---- */

static const struct {
	const char *name;
	btc_directory_verdict verdict;
	int64_t group_type;
} cases[] = {
    {"BizTalk Server Administrators", BTC_DIRECTORY_GLOBAL_SECURITY, -2147483646},
    {"BizTalk Server Operators", BTC_DIRECTORY_UNIVERSAL_SECURITY, -2147483640},
    {"SSO Administrators", BTC_DIRECTORY_DOMAIN_LOCAL, -2147483644},
    {"Administrators", BTC_DIRECTORY_DOMAIN_LOCAL, -2147483643},
    {"BizTalk Application Users", BTC_DIRECTORY_DISTRIBUTION, 2},
    {"SSO Affiliate Administrators", BTC_DIRECTORY_DISTRIBUTION, 8},
    {"BizTalk Odd Group", BTC_DIRECTORY_UNKNOWN_SCOPE, INT32_MIN},
    {"BizTalk Isolated Host Users", BTC_DIRECTORY_NOT_A_GROUP, 0}, /* a user */
    {"BizTalk B2B Operators", BTC_DIRECTORY_NOT_FOUND, 0},
    {"biztalk server administrators", BTC_DIRECTORY_GLOBAL_SECURITY, -2147483646},
    {"BizTalk (Admins) *", BTC_DIRECTORY_GLOBAL_SECURITY, -2147483646},
    /* Filter metacharacters are data: no wildcard, no injection. */
    {"BizTalk Server Admin*", BTC_DIRECTORY_NOT_FOUND, 0},
    {"*", BTC_DIRECTORY_NOT_FOUND, 0},
    {"BizTalk (Admins)", BTC_DIRECTORY_NOT_FOUND, 0},
    {"BizTalk (Admins) ", BTC_DIRECTORY_NOT_FOUND, 0},
    {"x)(objectClass=*", BTC_DIRECTORY_NOT_FOUND, 0},
    {"BizTalk Server Admin\\2a", BTC_DIRECTORY_NOT_FOUND, 0},
    {"", BTC_DIRECTORY_NOT_FOUND, 0},
};
#define NCASES (sizeof cases / sizeof cases[0])

static void test_every_scope_and_type(void **state)
{
	ldap_fixture *fx = *state;
	btc_directory_options o = bound(fx->ldap_uri, NULL);
	const char *accounts[NCASES + 1];
	const char *names[NCASES + 1];
	char accounts_buf[NCASES + 1][128];
	btc_directory_result *res = NULL;
	char err[1024];

	for (size_t i = 0; i < NCASES; i++) {
		snprintf(accounts_buf[i], sizeof accounts_buf[i], "CONTOSO\\%s", cases[i].name);
		accounts[i] = accounts_buf[i];
		names[i] = cases[i].name;
	}
	/* The same group twice under another spelling: answered alike. */
	accounts[NCASES] = "contoso\\BIZTALK SERVER OPERATORS";
	names[NCASES] = "BIZTALK SERVER OPERATORS";

	assert_int_equal(btc_directory_check(&res, &o, accounts, names, NCASES + 1, err, sizeof err), 0);
	assert_string_equal(err, "");
	assert_non_null(res);
	assert_string_equal(res->uri, fx->ldap_uri);
	assert_int_equal(strcasecmp(res->base, FIXTURE_BASE), 0); /* from defaultNamingContext */
	assert_string_equal(res->bound_as, FIXTURE_BIND_DN);
	assert_int_equal(res->count, NCASES + 1);
	for (size_t i = 0; i < NCASES; i++) {
		const btc_directory_group *g = &res->groups[i];
		bool found = cases[i].verdict != BTC_DIRECTORY_NOT_FOUND;
		bool group = found && cases[i].verdict != BTC_DIRECTORY_NOT_A_GROUP;

		print_message("    %-32s -> %s\n", cases[i].name, btc_directory_verdict_name(g->verdict));
		assert_string_equal(g->account, accounts[i]);
		assert_string_equal(g->name, cases[i].name);
		assert_int_equal(g->verdict, cases[i].verdict);
		assert_int_equal(g->found, found);
		assert_int_equal(g->is_group, group);
		assert_int_equal(g->has_group_type, group);
		if (group)
			assert_int_equal(g->group_type, cases[i].group_type);
		if (found)
			assert_non_null(g->dn);
		else
			assert_null(g->dn);
	}
	assert_non_null(strstr(res->groups[10].dn, "BizTalk (Admins) *"));
	assert_int_equal(res->groups[NCASES].verdict, BTC_DIRECTORY_UNIVERSAL_SECURITY);
	assert_string_equal(res->groups[NCASES].account, "contoso\\BIZTALK SERVER OPERATORS");
	assert_string_equal(res->groups[NCASES].dn, res->groups[1].dn);
	btc_directory_result_free(res);
}

static void test_no_groups_still_connects(void **state)
{
	ldap_fixture *fx = *state;
	btc_directory_options o = bound(fx->ldap_uri, NULL);
	btc_directory_result *res = NULL;
	char err[1024];

	assert_int_equal(btc_directory_check(&res, &o, NULL, NULL, 0, err, sizeof err), 0);
	assert_int_equal(res->count, 0);
	assert_int_equal(strcasecmp(res->base, FIXTURE_BASE), 0);
	btc_directory_result_free(res);

	o.password = WRONG_PASSWORD; /* so an empty list is no shortcut */
	assert_int_equal(btc_directory_check(&res, &o, NULL, NULL, 0, err, sizeof err), -1);
	assert_no_secret(err);
}

static void test_ldaps_with_ca(void **state)
{
	ldap_fixture *fx = *state;
	btc_directory_options o = bound(fx->ldaps_uri, fx->ca_file);

	expect_global(&o);
}

static void test_starttls_with_ca(void **state)
{
	ldap_fixture *fx = *state;
	btc_directory_options o = bound(fx->ldap_uri, fx->ca_file);

	o.starttls = true;
	expect_global(&o);
}

/* LDAPTLS_REQCERT=never and ./ldaprc say otherwise: still refused. */
static void test_ldaps_without_ca(void **state)
{
	ldap_fixture *fx = *state;
	btc_directory_options o = bound(fx->ldaps_uri, NULL);
	char err[1024];

	expect_failure(&o, err, sizeof err);
	assert_non_null(strstr(err, fx->ldaps_uri));
	assert_non_null(strstr(err, "certificate was refused"));
}

static void test_starttls_without_ca(void **state)
{
	ldap_fixture *fx = *state;
	btc_directory_options o = bound(fx->ldap_uri, NULL);
	char err[1024];

	o.starttls = true;
	expect_failure(&o, err, sizeof err);
	assert_non_null(strstr(err, "StartTLS"));
	assert_non_null(strstr(err, "certificate was refused"));
}

/* The certificate is for 127.0.0.1 only. */
static void test_ldaps_name_mismatch(void **state)
{
	ldap_fixture *fx = *state;
	btc_directory_options o = bound(fx->ldaps_name_uri, fx->ca_file);
	char err[1024];

	expect_failure(&o, err, sizeof err);
	assert_non_null(strstr(err, "certificate was refused"));
	assert_non_null(strstr(err, "\"localhost\""));
}

/* Another CA than the issuer: refused even though a CA was given. */
static void test_ldaps_wrong_ca(void **state)
{
	ldap_fixture *fx = *state;
	ldap_fixture other;
	btc_directory_options o = bound(fx->ldaps_uri, NULL);
	char err[1024];

	/* A second fixture's CA: same subject name, different key. */
	assert_int_equal(ldap_fixture_start(&other, 0, err, sizeof err), 0);
	o.ca_file = other.ca_file;
	expect_failure(&o, err, sizeof err);
	assert_non_null(strstr(err, "certificate was refused"));
	ldap_fixture_stop(&other);
}

static void test_wrong_password(void **state)
{
	ldap_fixture *fx = *state;
	btc_directory_options o = bound(fx->ldaps_uri, fx->ca_file);
	char err[1024];

	o.password = WRONG_PASSWORD;
	expect_failure(&o, err, sizeof err);
	assert_non_null(strstr(err, "invalid credentials"));
	assert_non_null(strstr(err, FIXTURE_BIND_DN));

	/* Even where the password is part of what gets quoted, it is blanked. */
	o = bound(fx->ldap_uri, NULL);
	o.bind_dn = "CN=" WRONG_PASSWORD ",DC=contoso,DC=com";
	o.password = WRONG_PASSWORD;
	expect_failure(&o, err, sizeof err);
	assert_non_null(strstr(err, "CN=***,DC=contoso,DC=com"));

	/* A message cut off in the middle of the password loses that piece. */
	{
		char small[256];
		btc_directory_result *res = NULL;
		const char *names[] = {"x"};
		size_t cut = strlen(fx->ldap_uri) + strlen(": bind: invalid credentials for \"CN=") + 5;

		assert_true(cut < sizeof small);
		assert_int_equal(btc_directory_check(&res, &o, names, names, 1, small, cut + 1), -1);
		print_message("    truncated: %s\n", small);
		assert_int_equal(strlen(small), cut);
		assert_string_equal(small + cut - 8, "CN=*****");
	}
}

/* require authc: an anonymous search is refused, not answered empty. */
static void test_anonymous_refused(void **state)
{
	ldap_fixture *fx = *state;
	btc_directory_options o = bound(fx->ldap_uri, NULL);
	char err[1024];

	o.bind_dn = NULL;
	o.password = NULL;
	o.base = FIXTURE_BASE;
	expect_failure(&o, err, sizeof err);
	assert_non_null(strstr(err, "(LDAP result 53)"));
	assert_non_null(strstr(err, "read group objects"));

	o.base = NULL; /* the root DSE read is refused too */
	expect_failure(&o, err, sizeof err);
	assert_non_null(strstr(err, "root DSE"));
}

static void test_base_outside_directory(void **state)
{
	ldap_fixture *fx = *state;
	btc_directory_options o = bound(fx->ldap_uri, NULL);
	char err[1024];

	o.base = "DC=fabrikam,DC=com";
	expect_failure(&o, err, sizeof err);
	assert_non_null(strstr(err, "(LDAP result 32)"));
	assert_non_null(strstr(err, "--ldap-base"));
}

/* Two threads at once, one with the right CA and one without: the CA is
 * per connection, never borrowed from the other thread. */
struct concurrent_arg {
	btc_directory_options opts;
	int expect_rc;
	int mismatches;
};

static void *concurrent_probe(void *p)
{
	struct concurrent_arg *a = p;
	const char *accounts[] = {"CONTOSO\\BizTalk Server Administrators"};
	const char *names[] = {"BizTalk Server Administrators"};
	char err[1024];

	for (int i = 0; i < 8; i++) {
		btc_directory_result *res = NULL;
		int rc = btc_directory_check(&res, &a->opts, accounts, names, 1, err, sizeof err);

		if (rc != a->expect_rc)
			a->mismatches++;
		btc_directory_result_free(res);
	}
	return NULL;
}

static void test_concurrent_ca(void **state)
{
	ldap_fixture *fx = *state;
	struct concurrent_arg with = {bound(fx->ldaps_uri, fx->ca_file), 0, 0};
	struct concurrent_arg without = {bound(fx->ldaps_uri, NULL), -1, 0};
	pthread_t t1, t2;

	assert_int_equal(pthread_create(&t1, NULL, concurrent_probe, &with), 0);
	assert_int_equal(pthread_create(&t2, NULL, concurrent_probe, &without), 0);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	assert_int_equal(with.mismatches, 0);
	assert_int_equal(without.mismatches, 0);
}

/* ---- an open directory: anonymous reads, only namingContexts ---- */

static void test_open_directory_anonymous(void **state)
{
	ldap_fixture *fx = *state;
	btc_directory_options o = {.uri = fx->ldap_uri, .timeout_s = 5};
	const char *accounts[] = {"CONTOSO\\SSO Administrators", "CONTOSO\\BizTalk Server Administrators"};
	const char *names[] = {"SSO Administrators", "BizTalk Server Administrators"};
	btc_directory_result *res = NULL;
	char err[1024];

	assert_int_equal(btc_directory_check(&res, &o, accounts, names, 2, err, sizeof err), 0);
	assert_int_equal(strcasecmp(res->base, FIXTURE_BASE), 0); /* from namingContexts */
	assert_null(res->bound_as);
	assert_int_equal(res->groups[0].verdict, BTC_DIRECTORY_DOMAIN_LOCAL);
	assert_int_equal(res->groups[1].verdict, BTC_DIRECTORY_GLOBAL_SECURITY);
	btc_directory_result_free(res);
}

/* ---- a silent server (SIGSTOP) and a stopped one; one slapd each ---- */

/* Fails within limit seconds with a message holding expected (and not
 * blaming the certificate, which is fine). */
static void expect_failure_within(const btc_directory_options *o, double limit, const char *expected)
{
	char err[1024];
	double t0 = now();
	double took = 0;

	/* Without CONNECT_ASYNC an ldaps:// probe of a silent server never
	 * returns: end the test run loudly instead of waiting for ctest. */
	alarm((unsigned)limit + 5);
	expect_failure(o, err, sizeof err);
	alarm(0);
	took = now() - t0;
	print_message("    failed after %.3f s (limit %.1f s)\n", took, limit);
	assert_true(took <= limit);
	assert_non_null(strstr(err, expected));
	assert_null(strstr(err, "certificate"));
}

static void test_silent_server(void **state)
{
	ldap_fixture *fx = *state;
	btc_directory_options o = bound(fx->ldap_uri, NULL);

	assert_int_equal(kill(fx->pid, SIGSTOP), 0);
	o.timeout_s = 1;
	expect_failure_within(&o, 2.0, "no answer within 1 s");
	o = bound(fx->ldaps_uri, fx->ca_file);
	o.timeout_s = 1;
	expect_failure_within(&o, 2.0, "no answer within 1 s");
	o = bound(fx->ldap_uri, fx->ca_file);
	o.timeout_s = 1;
	o.starttls = true;
	expect_failure_within(&o, 2.0, "no answer within 1 s");
	o = bound(fx->ldaps_uri, fx->ca_file);
	o.timeout_s = 2;
	expect_failure_within(&o, 3.0, "no answer within 2 s");
	/* A bind DN without a password never reaches the (silent) server. */
	o = bound(fx->ldap_uri, NULL);
	o.password = "";
	expect_failure_within(&o, 0.2, "has no password");
	assert_int_equal(kill(fx->pid, SIGCONT), 0);
	expect_global(&(btc_directory_options){
	    .uri = fx->ldap_uri, .bind_dn = FIXTURE_BIND_DN, .password = FIXTURE_PASSWORD, .timeout_s = 5});
}

static void test_stopped_server(void **state)
{
	ldap_fixture *fx = *state;
	btc_directory_options o = bound(fx->ldap_uri, NULL);

	ldap_fixture_kill(fx);
	o.timeout_s = 2;
	expect_failure_within(&o, 3.0, "Can't contact LDAP server");
	o = bound(fx->ldaps_uri, fx->ca_file);
	o.timeout_s = 2;
	expect_failure_within(&o, 3.0, "Can't contact LDAP server");
	o = bound(fx->ldaps_uri, NULL); /* no CA either: still "can't contact" */
	o.timeout_s = 2;
	expect_failure_within(&o, 3.0, "Can't contact LDAP server");
	o = bound(fx->ldap_uri, fx->ca_file);
	o.starttls = true;
	o.timeout_s = 2;
	expect_failure_within(&o, 3.0, "Can't contact LDAP server");
}

/* ---- --env-ca: the CA only through LDAPTLS_CACERT ---- */

static int start_env_ca(void **state)
{
	ldap_fixture *fx = NULL;
	FILE *in = NULL, *out = NULL;
	char buf[4096];
	size_t n;

	if (ldap_fixture_setup(state, FIXTURE_REQUIRE_AUTHC) < 0)
		return -1;
	fx = *state;
	in = fopen(fx->ca_file, "r");
	out = fopen(env_ca_path, "w");
	while (in != NULL && out != NULL && (n = fread(buf, 1, sizeof buf, in)) > 0)
		fwrite(buf, 1, n, out);
	if (in != NULL)
		fclose(in);
	if (out == NULL || fclose(out) != 0 || in == NULL)
		return -1;
	return 0;
}

static void test_env_ca_ldaps(void **state)
{
	ldap_fixture *fx = *state;
	btc_directory_options o = bound(fx->ldaps_uri, NULL);

	expect_global(&o);
}

static void test_env_ca_starttls(void **state)
{
	ldap_fixture *fx = *state;
	btc_directory_options o = bound(fx->ldap_uri, NULL);

	o.starttls = true;
	expect_global(&o);
}

/* ---- the scene ---- */

static void remove_scene(void)
{
	ldap_fixture_remove_tree(scene_dir);
}

/* Before libldap reads its configuration: empty HOME, no LDAP* variables,
 * then TLS_REQCERT never from two sources. */
static int set_scene(int env_ca)
{
	char path[PATH_MAX + 32];
	FILE *f = NULL;
	int reqcert = -1;

	ldap_fixture_unset_env((const char *const[]){"LDAP", NULL});
	snprintf(scene_dir, sizeof scene_dir, "%s/btclint-ldaptest-XXXXXX",
	         getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(scene_dir) == NULL)
		return -1;
	atexit(remove_scene);
	snprintf(path, sizeof path, "%s/home", scene_dir);
	if (mkdir(path, 0700) < 0 || setenv("HOME", path, 1) < 0)
		return -1;
	snprintf(path, sizeof path, "%s/cwd", scene_dir);
	if (mkdir(path, 0700) < 0 || chdir(path) < 0)
		return -1;
	f = fopen("ldaprc", "w");
	if (f == NULL || fputs("TLS_REQCERT never\n", f) == EOF || fclose(f) != 0)
		return -1;
	if (setenv("LDAPTLS_REQCERT", "never", 1) < 0)
		return -1;
	if (env_ca) {
		snprintf(env_ca_path, sizeof env_ca_path, "%s/env-ca.pem", scene_dir);
		if (setenv("LDAPTLS_CACERT", env_ca_path, 1) < 0)
			return -1;
	}
	/* Proves the hostile setting is live, else the TLS tests prove nothing. */
	if (ldap_get_option(NULL, LDAP_OPT_X_TLS_REQUIRE_CERT, &reqcert) != LDAP_OPT_SUCCESS ||
	    reqcert != LDAP_OPT_X_TLS_NEVER) {
		fprintf(stderr, "libldap did not pick up TLS_REQCERT never (got %d)\n", reqcert);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int env_ca = argc > 1 && strcmp(argv[1], "--env-ca") == 0;
	int failed = 0;
	const struct CMUnitTest offline[] = {
	    cmocka_unit_test(test_classify),
	    cmocka_unit_test(test_invalid_options),
	};
	const struct CMUnitTest ad_like[] = {
	    cmocka_unit_test(test_every_scope_and_type),   cmocka_unit_test(test_no_groups_still_connects),
	    cmocka_unit_test(test_ldaps_with_ca),          cmocka_unit_test(test_starttls_with_ca),
	    cmocka_unit_test(test_ldaps_without_ca),       cmocka_unit_test(test_starttls_without_ca),
	    cmocka_unit_test(test_ldaps_name_mismatch),    cmocka_unit_test(test_ldaps_wrong_ca),
	    cmocka_unit_test(test_wrong_password),         cmocka_unit_test(test_anonymous_refused),
	    cmocka_unit_test(test_base_outside_directory), cmocka_unit_test(test_concurrent_ca),
	};
	const struct CMUnitTest open[] = {
	    cmocka_unit_test(test_open_directory_anonymous),
	};
	const struct CMUnitTest outages[] = {
	    cmocka_unit_test_setup_teardown(test_silent_server, ldap_fixture_setup_ad_like, ldap_fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_stopped_server, ldap_fixture_setup_ad_like, ldap_fixture_teardown),
	};
	const struct CMUnitTest env_ca_tests[] = {
	    cmocka_unit_test(test_env_ca_ldaps),
	    cmocka_unit_test(test_env_ca_starttls),
	};

	signal(SIGPIPE, SIG_IGN);
	if (set_scene(env_ca) < 0) {
		perror("test_directory: setting up the scene");
		return 1;
	}
	if (env_ca)
		return cmocka_run_group_tests_name("directory, CA from LDAPTLS_CACERT", env_ca_tests, start_env_ca,
		                                   ldap_fixture_teardown);
	failed += cmocka_run_group_tests_name("directory offline", offline, NULL, NULL);
	failed += cmocka_run_group_tests_name("directory, AD-like slapd", ad_like, ldap_fixture_setup_ad_like, ldap_fixture_teardown);
	failed += cmocka_run_group_tests_name("directory, open slapd", open, start_open, ldap_fixture_teardown);
	failed += cmocka_run_group_tests_name("directory, outages", outages, NULL, NULL);
	return failed == 0 ? 0 : 1;
}
