/* The directory probe over OpenLDAP's libldap. See directory.h.
 *
 * Pitfalls measured with libldap 2.5.13 that shape this file:
 * - LDAPv2 is the default and AD refuses it; AD answers subtree searches from
 *   the domain root with referrals that cannot be followed: v3, referrals off.
 * - LDAP_OPT_NETWORK_TIMEOUT bounds only the TCP connect; LDAP_OPT_TIMEOUT
 *   bounds each synchronous call. ldaps:// to a silent server hangs in the
 *   TLS handshake unless the connection is asynchronous.
 * - libldap reads ldap.conf, ldaprc and LDAP* variables once per process;
 *   "TLS_REQCERT never" there must not weaken us, so every TLS setting is put
 *   on the handle and a fresh TLS context is built from it.
 * - An unescaped '*' in a filter value turns a lookup into a wildcard search.
 * - libldap's debug output shows the bind password: it is never enabled. */
#define _POSIX_C_SOURCE 200809L

#include <sys/time.h> /* ldap.h uses struct timeval without including it */

#include <errno.h>
#include <ldap.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "directory/directory.h"

#define SECURITY_BIT     0x80000000u
#define GLOBAL_BIT       0x00000002u
#define DOMAIN_LOCAL_BIT 0x00000004u
#define UNIVERSAL_BIT    0x00000008u

/* Writes a message, then blanks any copy of the password a server or
 * libldap might have echoed into it (the message may reach logs and CI),
 * including a piece of it cut off by truncation at the end. */
static void fail(char *err, size_t err_size, const char *password, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void fail(char *err, size_t err_size, const char *password, const char *fmt, ...)
{
	va_list ap;
	char *p = err;
	char *hit = NULL;
	size_t len = 0;
	size_t out_len = 0;
	int n = 0;

	if (err == NULL || err_size == 0)
		return;
	va_start(ap, fmt);
	n = vsnprintf(err, err_size, fmt, ap);
	va_end(ap);
	if (password == NULL || *password == '\0')
		return;
	len = strlen(password);
	while ((hit = strstr(p, password)) != NULL) {
		/* Shrinks or keeps the length, and moves past: always ends. */
		size_t stars = len < 3 ? len : 3;

		memset(hit, '*', stars);
		memmove(hit + stars, hit + len, strlen(hit + len) + 1);
		p = hit + stars;
	}
	out_len = strlen(err);
	if (n >= 0 && (size_t)n >= err_size) {
		for (size_t k = len - 1 < out_len ? len - 1 : out_len; k > 0; k--) {
			if (memcmp(err + out_len - k, password, k) == 0) {
				memset(err + out_len - k, '*', k);
				break;
			}
		}
	}
}

/* The server's or libldap's detail for the last error on ld, or "". */
static void diagnostic(LDAP *ld, char *buf, size_t size)
{
	char *msg = NULL;

	buf[0] = '\0';
	/* GnuTLS's text for libldap's own -1 says nothing: leave it out. */
	if (ld != NULL && ldap_get_option(ld, LDAP_OPT_DIAGNOSTIC_MESSAGE, &msg) == LDAP_OPT_SUCCESS && msg != NULL &&
	    *msg != '\0' && strcmp(msg, "(unknown error code)") != 0)
		snprintf(buf, size, " (%s)", msg);
	ldap_memfree(msg);
}

/* A connection-level failure (connect, TLS, bind, StartTLS) in words, with
 * what to check next. */
static void fail_ldap(char *err, size_t err_size, LDAP *ld, const btc_directory_options *o, const char *step, int rc)
{
	char diag[256];

	diagnostic(ld, diag, sizeof diag);
	if (rc == LDAP_TIMEOUT)
		fail(err, err_size, o->password, "%s: %s: no answer within %d s", o->uri, step, o->timeout_s);
	else if (rc == LDAP_INVALID_CREDENTIALS)
		fail(err, err_size, o->password,
		     "%s: %s: invalid credentials for \"%s\"%s; check the bind DN and its password", o->uri, step,
		     o->bind_dn ? o->bind_dn : "", diag);
	else if (rc == LDAP_STRONG_AUTH_REQUIRED || rc == LDAP_CONFIDENTIALITY_REQUIRED)
		fail(err, err_size, o->password,
		     "%s: %s: %s (LDAP result %d)%s; the server wants an encrypted connection: "
		     "use ldaps:// or --ldap-starttls",
		     o->uri, step, ldap_err2string(rc), rc, diag);
	else if (rc == LDAP_SERVER_DOWN || rc == LDAP_CONNECT_ERROR)
		fail(err, err_size, o->password,
		     "%s: %s: %s%s; check the host name and port, and that the server is up and "
		     "reachable from here",
		     o->uri, step, ldap_err2string(rc), diag);
	else
		fail(err, err_size, o->password, "%s: %s: %s (LDAP result %d)%s", o->uri, step, ldap_err2string(rc), rc,
		     diag);
}

/* Puts every TLS setting on the handle and builds its own TLS context, so
 * that neither the process-wide context nor ldap.conf/ldaprc/LDAPTLS_REQCERT
 * decide certificate checking. A fresh handle has no CA paths (libldap keeps
 * them only globally), so without --ldap-ca the global ones (ldap.conf's
 * TLS_CACERT, LDAPTLS_CACERT) are copied: that is "the system's CA".
 * verify false (ALLOW) serves only the diagnosis in tls_works_unverified. */
static int setup_tls(LDAP *ld, const btc_directory_options *o, bool verify, char *err, size_t err_size)
{
	int check = verify ? LDAP_OPT_X_TLS_DEMAND : LDAP_OPT_X_TLS_ALLOW;
	int client = 0;
	int min_proto = 0;
	char *global_file = NULL;
	char *global_dir = NULL;
	const char *ca_file = o->ca_file;
	const char *ca_dir = NULL;
	char diag[256];
	int rc = -1;

	if (ca_file == NULL) {
		if (ldap_get_option(NULL, LDAP_OPT_X_TLS_CACERTFILE, &global_file) != LDAP_OPT_SUCCESS ||
		    ldap_get_option(NULL, LDAP_OPT_X_TLS_CACERTDIR, &global_dir) != LDAP_OPT_SUCCESS) {
			fail(err, err_size, NULL, "%s: cannot read libldap's TLS settings", o->uri);
			goto done;
		}
		ca_file = global_file;
		ca_dir = global_dir;
	}
	if (ldap_set_option(ld, LDAP_OPT_X_TLS_REQUIRE_CERT, &check) != LDAP_OPT_SUCCESS ||
	    ldap_set_option(ld, LDAP_OPT_X_TLS_CACERTFILE, ca_file) != LDAP_OPT_SUCCESS ||
	    ldap_set_option(ld, LDAP_OPT_X_TLS_CACERTDIR, ca_dir) != LDAP_OPT_SUCCESS) {
		fail(err, err_size, NULL, "%s: cannot set libldap's TLS options", o->uri);
		goto done;
	}
	/* Also dropped from a fresh handle: keep an administrator's TLS floor. */
	if (ldap_get_option(NULL, LDAP_OPT_X_TLS_PROTOCOL_MIN, &min_proto) == LDAP_OPT_SUCCESS && min_proto > 0 &&
	    ldap_set_option(ld, LDAP_OPT_X_TLS_PROTOCOL_MIN, &min_proto) != LDAP_OPT_SUCCESS) {
		fail(err, err_size, NULL, "%s: cannot set libldap's TLS options", o->uri);
		goto done;
	}
	if (ldap_set_option(ld, LDAP_OPT_X_TLS_NEWCTX, &client) != LDAP_OPT_SUCCESS) {
		diagnostic(ld, diag, sizeof diag);
		fail(err, err_size, NULL, "%s: cannot set up TLS with CA %s%s", o->uri,
		     ca_file  ? ca_file
		     : ca_dir ? ca_dir
		              : "(none configured)",
		     diag);
		goto done;
	}
	rc = 0;
done:
	ldap_memfree(global_file);
	ldap_memfree(global_dir);
	return rc;
}

static double seconds_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A handle with every option set; TLS verification as asked (DEMAND, or
 * ALLOW for the diagnosis below). No traffic yet. */
static int open_handle(LDAP **out, const btc_directory_options *o, bool verify, char *err, size_t err_size)
{
	LDAP *ld = NULL;
	int version = LDAP_VERSION3;
	struct timeval tv = {.tv_sec = o->timeout_s, .tv_usec = 0};
	bool ldaps = strncasecmp(o->uri, "ldaps://", 8) == 0;
	int demand = LDAP_OPT_X_TLS_DEMAND;
	int lrc = 0;

	*out = NULL;
	/* The process-wide default as well, before the handle copies it: the
	 * handle gets its own settings below, but nothing in this process should
	 * ever fall back to an unverified TLS context. */
	if (ldap_set_option(NULL, LDAP_OPT_X_TLS_REQUIRE_CERT, &demand) != LDAP_OPT_SUCCESS) {
		fail(err, err_size, NULL, "%s: cannot set libldap's TLS options", o->uri);
		return -1;
	}
	lrc = ldap_initialize(&ld, o->uri);
	if (lrc != LDAP_SUCCESS) {
		fail(err, err_size, NULL, "%s: not a usable LDAP URI: %s", o->uri, ldap_err2string(lrc));
		return -1;
	}
	if (ldap_set_option(ld, LDAP_OPT_PROTOCOL_VERSION, &version) != LDAP_OPT_SUCCESS ||
	    ldap_set_option(ld, LDAP_OPT_REFERRALS, LDAP_OPT_OFF) != LDAP_OPT_SUCCESS ||
	    ldap_set_option(ld, LDAP_OPT_NETWORK_TIMEOUT, &tv) != LDAP_OPT_SUCCESS ||
	    ldap_set_option(ld, LDAP_OPT_TIMEOUT, &tv) != LDAP_OPT_SUCCESS ||
	    (ldaps && ldap_set_option(ld, LDAP_OPT_CONNECT_ASYNC, LDAP_OPT_ON) != LDAP_OPT_SUCCESS)) {
		fail(err, err_size, NULL, "%s: cannot set libldap's options", o->uri);
		ldap_unbind_ext_s(ld, NULL, NULL);
		return -1;
	}
	if ((ldaps || o->starttls) && setup_tls(ld, o, verify, err, err_size) < 0) {
		ldap_unbind_ext_s(ld, NULL, NULL);
		return -1;
	}
	*out = ld;
	return 0;
}

/* libldap (with GnuTLS) reports a refused certificate as "Can't contact
 * LDAP server (unknown error code)", like a dead server. To say which, try
 * the TLS handshake once more without verification, followed only by an
 * anonymous bind: nothing secret is sent on that connection. */
static bool tls_works_unverified(const btc_directory_options *o)
{
	LDAP *ld = NULL;
	char ignored[256];
	struct berval none = {0, NULL};
	int lrc = 0;

	if (open_handle(&ld, o, false, ignored, sizeof ignored) < 0)
		return false;
	if (o->starttls)
		lrc = ldap_start_tls_s(ld, NULL, NULL);
	else
		lrc = ldap_sasl_bind_s(ld, "", LDAP_SASL_SIMPLE, &none, NULL, NULL, NULL);
	ldap_unbind_ext_s(ld, NULL, NULL);
	/* Any answer from the server means the TLS session was set up. */
	return lrc != LDAP_SERVER_DOWN && lrc != LDAP_CONNECT_ERROR && lrc != LDAP_TIMEOUT;
}

/* Explains a failed StartTLS or bind. libldap reports a silent ldaps://
 * server as "Can't contact" once LDAP_OPT_TIMEOUT has passed: the clock tells
 * it apart from a refusal. */
static void fail_connect(char *err, size_t err_size, LDAP *ld, const btc_directory_options *o, const char *step, int rc,
                         bool tls_step, double elapsed)
{
	bool no_contact = rc == LDAP_SERVER_DOWN || rc == LDAP_CONNECT_ERROR;
	LDAPURLDesc *url = NULL;

	if ((no_contact || rc == LDAP_TIMEOUT) && elapsed + 0.05 >= (double)o->timeout_s) {
		fail_ldap(err, err_size, ld, o, step, LDAP_TIMEOUT);
	} else if (no_contact && tls_step && tls_works_unverified(o)) {
		ldap_url_parse(o->uri, &url);
		fail(err, err_size, o->password,
		     "%s: %s: the server's TLS certificate was refused: it is not issued by a "
		     "trusted CA (%s%s), or not for the name \"%s\"; give the issuing CA with "
		     "--ldap-ca and use a host name the certificate names",
		     o->uri, step, o->ca_file ? "--ldap-ca " : "the system's", o->ca_file ? o->ca_file : "",
		     url != NULL && url->lud_host != NULL ? url->lud_host : "");
		ldap_free_urldesc(url);
	} else {
		fail_ldap(err, err_size, ld, o, step, rc);
	}
}

/* Opens the one connection: options, TLS, StartTLS, then a simple bind
 * (anonymous when no DN), so every connection problem shows up here. */
static int connect_and_bind(LDAP **out, const btc_directory_options *o, char *err, size_t err_size)
{
	LDAP *ld = NULL;
	bool ldaps = strncasecmp(o->uri, "ldaps://", 8) == 0;
	struct berval cred = {0, NULL};
	double t0 = 0;
	int rc = -1;
	int lrc = 0;

	*out = NULL;
	if (!ldaps && strncasecmp(o->uri, "ldap://", 7) != 0) {
		fail(err, err_size, NULL, "%s: not an ldap:// or ldaps:// URI", o->uri);
		goto done;
	}
	if (ldaps && o->starttls) {
		fail(err, err_size, NULL, "%s: StartTLS applies to ldap:// URIs, not ldaps://", o->uri);
		goto done;
	}
	if (open_handle(&ld, o, true, err, err_size) < 0)
		goto done;
	if (o->starttls) {
		t0 = seconds_now();
		lrc = ldap_start_tls_s(ld, NULL, NULL);
		if (lrc != LDAP_SUCCESS) {
			fail_connect(err, err_size, ld, o, "StartTLS", lrc, true, seconds_now() - t0);
			goto done;
		}
	}
	if (o->bind_dn != NULL) {
		cred.bv_val = (char *)o->password;
		cred.bv_len = strlen(o->password);
	}
	t0 = seconds_now();
	lrc = ldap_sasl_bind_s(ld, o->bind_dn ? o->bind_dn : "", LDAP_SASL_SIMPLE, &cred, NULL, NULL, NULL);
	if (lrc != LDAP_SUCCESS) {
		fail_connect(err, err_size, ld, o, o->bind_dn ? "bind" : "anonymous bind", lrc, ldaps,
		             seconds_now() - t0);
		goto done;
	}
	*out = ld;
	ld = NULL;
	rc = 0;
done:
	if (ld != NULL)
		ldap_unbind_ext_s(ld, NULL, NULL);
	return rc;
}

/* A failed search in words; "refused" results get the hint that matters. */
static void fail_search(char *err, size_t err_size, LDAP *ld, const btc_directory_options *o, const char *what,
                        const char *base, int rc)
{
	char diag[256];
	const char *hint = "";

	diagnostic(ld, diag, sizeof diag);
	if (rc == LDAP_TIMEOUT) {
		fail(err, err_size, o->password, "%s: %s: no answer within %d s", o->uri, what, o->timeout_s);
		return;
	}
	if (rc == LDAP_NO_SUCH_OBJECT || rc == LDAP_REFERRAL || rc == LDAP_PARTIAL_RESULTS)
		hint = "; check the base DN (--ldap-base): it must be the domain's naming context on this server";
	else if (rc == LDAP_UNWILLING_TO_PERFORM || rc == LDAP_INSUFFICIENT_ACCESS || rc == LDAP_OPERATIONS_ERROR ||
	         rc == LDAP_STRONG_AUTH_REQUIRED || rc == LDAP_CONFIDENTIALITY_REQUIRED)
		hint = "; bind as an account that can read group objects (--ldap-bind), over TLS if the server "
		       "requires it";
	fail(err, err_size, o->password, "%s: %s%s%s%s failed: %s (LDAP result %d)%s%s", o->uri, what,
	     *base ? " under \"" : "", base, *base ? "\"" : "", ldap_err2string(rc), rc, diag, hint);
}

/* Finds the base from the root DSE: defaultNamingContext (AD publishes it),
 * else the only namingContexts value. */
static int discover_base(char **out, LDAP *ld, const btc_directory_options *o, char *err, size_t err_size)
{
	char *attrs[] = {"defaultNamingContext", "namingContexts", NULL};
	struct timeval tv = {.tv_sec = o->timeout_s, .tv_usec = 0};
	LDAPMessage *res = NULL;
	LDAPMessage *entry = NULL;
	struct berval **dnc = NULL;
	struct berval **ncs = NULL;
	const struct berval *pick = NULL;
	int lrc = 0;
	int rc = -1;

	*out = NULL;
	lrc = ldap_search_ext_s(ld, "", LDAP_SCOPE_BASE, "(objectClass=*)", attrs, 0, NULL, NULL, &tv, 0, &res);
	if (lrc != LDAP_SUCCESS) {
		fail_search(err, err_size, ld, o, "reading the root DSE", "", lrc);
		goto done;
	}
	entry = ldap_first_entry(ld, res);
	if (entry != NULL) {
		dnc = ldap_get_values_len(ld, entry, "defaultNamingContext");
		ncs = ldap_get_values_len(ld, entry, "namingContexts");
	}
	if (dnc != NULL && dnc[0] != NULL)
		pick = dnc[0];
	else if (ncs != NULL && ncs[0] != NULL && ncs[1] == NULL)
		pick = ncs[0];
	if (pick == NULL || pick->bv_len == 0 || memchr(pick->bv_val, '\0', pick->bv_len) != NULL) {
		fail(err, err_size, NULL,
		     "%s: the root DSE names no defaultNamingContext and %s namingContexts; "
		     "give the base DN (--ldap-base)",
		     o->uri, ncs != NULL && ncs[0] != NULL ? "several" : "no");
		goto done;
	}
	*out = strndup(pick->bv_val, pick->bv_len);
	if (*out == NULL) {
		fail(err, err_size, NULL, "out of memory");
		goto done;
	}
	rc = 0;
done:
	ldap_value_free_len(dnc);
	ldap_value_free_len(ncs);
	ldap_msgfree(res);
	return rc;
}

/* groupType is a decimal string, not NUL-terminated, signed in AD. */
static bool parse_group_type(const struct berval *bv, int64_t *out)
{
	char buf[32];
	char *end = NULL;
	long long v = 0;

	if (bv == NULL || bv->bv_len == 0 || bv->bv_len >= sizeof buf)
		return false;
	memcpy(buf, bv->bv_val, bv->bv_len);
	buf[bv->bv_len] = '\0';
	errno = 0;
	v = strtoll(buf, &end, 10);
	if (errno != 0 || end != buf + bv->bv_len)
		return false;
	*out = v;
	return true;
}

static bool has_class(struct berval **classes, const char *name)
{
	size_t len = strlen(name);

	for (size_t i = 0; classes != NULL && classes[i] != NULL; i++)
		if (classes[i]->bv_len == len && strncasecmp(classes[i]->bv_val, name, len) == 0)
			return true;
	return false;
}

/* Looks one sAMAccountName up and fills the directory facts of g. Zero
 * entries with success is "not found"; any other result means the probe
 * itself failed (an ACL-hidden entry is indistinguishable from a missing
 * one, hence the docs' permission requirement). */
static int search_group(btc_directory_group *g, LDAP *ld, const btc_directory_options *o, const char *base, char *err,
                        size_t err_size)
{
	char *attrs[] = {"objectClass", "groupType", "distinguishedName", NULL};
	struct timeval tv = {.tv_sec = o->timeout_s, .tv_usec = 0};
	struct berval value = {strlen(g->name), g->name};
	struct berval escaped = {0, NULL};
	char *filter = NULL;
	char *what = NULL;
	size_t size = 0;
	LDAPMessage *res = NULL;
	LDAPMessage *entry = NULL;
	struct berval **classes = NULL;
	struct berval **types = NULL;
	char *dn = NULL;
	int lrc = 0;
	int rc = -1;

	if (ldap_bv2escaped_filter_value(&value, &escaped) != 0) {
		fail(err, err_size, NULL, "out of memory");
		goto done;
	}
	size = sizeof "(sAMAccountName=)" + escaped.bv_len;
	filter = malloc(size);
	what = malloc(size + sizeof "search ");
	if (filter == NULL || what == NULL) {
		fail(err, err_size, NULL, "out of memory");
		goto done;
	}
	snprintf(filter, size, "(sAMAccountName=%s)", escaped.bv_val);
	snprintf(what, size + sizeof "search ", "search %s", filter);
	lrc = ldap_search_ext_s(ld, base, LDAP_SCOPE_SUBTREE, filter, attrs, 0, NULL, NULL, &tv, 0, &res);
	if (lrc != LDAP_SUCCESS) {
		fail_search(err, err_size, ld, o, what, base, lrc);
		goto done;
	}
	/* sAMAccountName is unique in a domain; search references (AD's
	 * pointers to other partitions) are not entries and are skipped. */
	entry = ldap_first_entry(ld, res);
	if (entry != NULL) {
		g->found = true;
		dn = ldap_get_dn(ld, entry);
		g->dn = dn ? strdup(dn) : NULL;
		if (g->dn == NULL) {
			fail(err, err_size, NULL, "out of memory");
			goto done;
		}
		classes = ldap_get_values_len(ld, entry, "objectClass");
		types = ldap_get_values_len(ld, entry, "groupType");
		g->is_group = has_class(classes, "group");
		g->has_group_type = types != NULL && parse_group_type(types[0], &g->group_type);
	}
	g->verdict = btc_directory_classify(g->found, g->is_group, g->has_group_type, g->group_type);
	rc = 0;
done:
	ldap_memfree(dn);
	ldap_value_free_len(classes);
	ldap_value_free_len(types);
	ldap_msgfree(res);
	ber_memfree(escaped.bv_val);
	free(filter);
	free(what);
	return rc;
}

static int check_options(const btc_directory_options *o, const char *const *accounts, const char *const *names,
                         size_t count, char *err, size_t err_size)
{
	FILE *f = NULL;

	if (o == NULL || o->uri == NULL || (count > 0 && (accounts == NULL || names == NULL))) {
		fail(err, err_size, NULL, "internal error: directory probe called without a URI or names");
		return -1;
	}
	for (size_t i = 0; i < count; i++) {
		if (accounts[i] == NULL || names[i] == NULL) {
			fail(err, err_size, NULL, "internal error: directory probe called with a null name");
			return -1;
		}
	}
	if (o->timeout_s < 1) {
		fail(err, err_size, NULL, "%s: the timeout must be at least 1 second", o->uri);
		return -1;
	}
	/* An empty password turns a simple bind into an unauthenticated one,
	 * which AD may accept as anonymous: refuse before any traffic. */
	if (o->bind_dn != NULL && (*o->bind_dn == '\0' || o->password == NULL || *o->password == '\0')) {
		fail(err, err_size, NULL,
		     "%s: bind DN \"%s\" has no password; set BTCLINT_LDAP_PASSWORD or "
		     "--ldap-password-file, or omit --ldap-bind for an anonymous bind",
		     o->uri, o->bind_dn);
		return -1;
	}
	if (o->ca_file != NULL) {
		f = fopen(o->ca_file, "r");
		if (f == NULL) {
			fail(err, err_size, NULL, "%s: cannot read CA file %s: %s", o->uri, o->ca_file,
			     strerror(errno));
			return -1;
		}
		fclose(f);
	}
	return 0;
}

int btc_directory_check(btc_directory_result **out, const btc_directory_options *opts, const char *const *accounts,
                        const char *const *names, size_t count, char *err, size_t err_size)
{
	btc_directory_result *res = NULL;
	LDAP *ld = NULL;
	int rc = -1;

	if (err != NULL && err_size > 0)
		err[0] = '\0';
	*out = NULL;
	if (check_options(opts, accounts, names, count, err, err_size) < 0)
		goto done;
	res = calloc(1, sizeof *res);
	if (res == NULL || (res->uri = strdup(opts->uri)) == NULL ||
	    (opts->bind_dn != NULL && (res->bound_as = strdup(opts->bind_dn)) == NULL) ||
	    (count > 0 && (res->groups = calloc(count, sizeof *res->groups)) == NULL)) {
		fail(err, err_size, NULL, "out of memory");
		goto done;
	}
	res->count = count;
	for (size_t i = 0; i < count; i++) {
		btc_directory_group *g = &res->groups[i];

		g->account = strdup(accounts[i]);
		g->name = strdup(names[i]);
		if (g->account == NULL || g->name == NULL) {
			fail(err, err_size, NULL, "out of memory");
			goto done;
		}
	}
	if (connect_and_bind(&ld, opts, err, err_size) < 0)
		goto done;
	if (opts->base != NULL)
		res->base = strdup(opts->base);
	else if (discover_base(&res->base, ld, opts, err, err_size) < 0)
		goto done;
	if (res->base == NULL) {
		fail(err, err_size, NULL, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < count; i++) {
		btc_directory_group *g = &res->groups[i];
		const btc_directory_group *same = NULL;

		/* One search per distinct name: sAMAccountName ignores case. */
		for (size_t j = 0; j < i && same == NULL; j++)
			if (strcasecmp(res->groups[j].name, g->name) == 0)
				same = &res->groups[j];
		if (same != NULL) {
			g->found = same->found;
			g->is_group = same->is_group;
			g->group_type = same->group_type;
			g->has_group_type = same->has_group_type;
			g->verdict = same->verdict;
			if (same->dn != NULL && (g->dn = strdup(same->dn)) == NULL) {
				fail(err, err_size, NULL, "out of memory");
				goto done;
			}
		} else if (g->name[0] == '\0') {
			g->verdict = BTC_DIRECTORY_NOT_FOUND;
		} else if (search_group(g, ld, opts, res->base, err, err_size) < 0) {
			goto done;
		}
	}
	*out = res;
	res = NULL;
	rc = 0;
done:
	if (ld != NULL)
		ldap_unbind_ext_s(ld, NULL, NULL);
	btc_directory_result_free(res);
	return rc;
}

void btc_directory_result_free(btc_directory_result *result)
{
	if (result == NULL)
		return;
	for (size_t i = 0; i < result->count && result->groups != NULL; i++) {
		free(result->groups[i].account);
		free(result->groups[i].name);
		free(result->groups[i].dn);
	}
	free(result->groups);
	free(result->uri);
	free(result->base);
	free(result->bound_as);
	free(result);
}

btc_directory_verdict btc_directory_classify(bool found, bool is_group, bool has_group_type, int64_t group_type)
{
	/* AD stores groupType as a signed 32-bit value: test the bits on its
	 * two's-complement pattern. No groupType at all counts as no security
	 * bit, the literal reading of GRP005. */
	uint32_t bits = has_group_type ? (uint32_t)group_type : 0;

	if (!found)
		return BTC_DIRECTORY_NOT_FOUND;
	if (!is_group)
		return BTC_DIRECTORY_NOT_A_GROUP;
	if ((bits & SECURITY_BIT) == 0)
		return BTC_DIRECTORY_DISTRIBUTION;
	if (bits & DOMAIN_LOCAL_BIT)
		return BTC_DIRECTORY_DOMAIN_LOCAL;
	if (bits & UNIVERSAL_BIT)
		return BTC_DIRECTORY_UNIVERSAL_SECURITY;
	if (bits & GLOBAL_BIT)
		return BTC_DIRECTORY_GLOBAL_SECURITY;
	return BTC_DIRECTORY_UNKNOWN_SCOPE;
}

const char *btc_directory_verdict_name(btc_directory_verdict verdict)
{
	switch (verdict) {
	case BTC_DIRECTORY_GLOBAL_SECURITY: return "global security";
	case BTC_DIRECTORY_UNIVERSAL_SECURITY: return "universal security";
	case BTC_DIRECTORY_DOMAIN_LOCAL: return "domain-local";
	case BTC_DIRECTORY_DISTRIBUTION: return "distribution";
	case BTC_DIRECTORY_UNKNOWN_SCOPE: return "unknown scope";
	case BTC_DIRECTORY_NOT_A_GROUP: return "not a group";
	case BTC_DIRECTORY_NOT_FOUND: return "not found";
	}
	return "not found";
}

const char *btc_directory_scope_name(int64_t group_type)
{
	uint32_t bits = (uint32_t)group_type;

	if (bits & DOMAIN_LOCAL_BIT)
		return "domain-local";
	if (bits & UNIVERSAL_BIT)
		return "universal";
	if (bits & GLOBAL_BIT)
		return "global";
	return NULL;
}

bool btc_directory_is_security(int64_t group_type)
{
	return ((uint32_t)group_type & SECURITY_BIT) != 0;
}
