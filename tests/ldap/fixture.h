/* A throwaway slapd for the directory tests: a temporary folder with a
 * self-signed CA and server certificate (made by openssl), the contoso.ldif
 * directory loaded with slapadd, and slapd listening on free loopback ports
 * for ldap:// (StartTLS capable) and ldaps://.
 *
 * Environment: BTC_LDAP_FIXTURE (this folder, required), BTC_SLAPD,
 * BTC_SLAPADD, BTC_OPENSSL (default: /usr/sbin/slapd, /usr/sbin/slapadd,
 * openssl). */
#ifndef BTC_TEST_LDAP_FIXTURE_H
#define BTC_TEST_LDAP_FIXTURE_H

#include <limits.h>
#include <sys/types.h>

#define FIXTURE_BASE     "DC=contoso,DC=com"
#define FIXTURE_BIND_DN  "CN=svc-btclint,OU=Service Accounts,DC=contoso,DC=com"
#define FIXTURE_PASSWORD "Tr0ub4dor&3-btclint"

enum {
	FIXTURE_REQUIRE_AUTHC = 1, /* "require authc": anonymous operations refused */
	FIXTURE_ROOTDSE = 2,       /* publish defaultNamingContext like AD */
};

typedef struct ldap_fixture {
	char dir[1024];          /* the temporary folder, removed by stop */
	char ca_file[1100];      /* the CA that issued the server certificate */
	char ldap_uri[64];       /* ldap://127.0.0.1:PORT */
	char ldaps_uri[64];      /* ldaps://127.0.0.1:PORT */
	char ldaps_name_uri[64]; /* ldaps://localhost:PORT: not in the certificate */
	pid_t pid;
	double start_seconds; /* how long start took, for the record */
} ldap_fixture;

/* Starts slapd and returns once a bound search succeeds. 0, or -1 with a
 * message in err; the folder then stays for its logs (setup.log,
 * slapd.log) until stop. BTC_LDAP_KEEP=1 keeps it even after stop. */
int ldap_fixture_start(ldap_fixture *fx, int flags, char *err, size_t err_size);

/* Resumes (if stopped), terminates and reaps slapd, then removes the
 * folder. Safe to call twice. */
void ldap_fixture_stop(ldap_fixture *fx);

/* Kills slapd but keeps the folder: its ports now refuse connections. */
void ldap_fixture_kill(ldap_fixture *fx);

/* rm -r dir (nothing when dir is ""). */
void ldap_fixture_remove_tree(const char *dir);

/* Unsets every environment variable whose name starts with one of the
 * prefixes (a NULL-terminated list): a developer's LDAP* or BTCLINT_*
 * settings must not change what a test sees. */
void ldap_fixture_unset_env(const char *const *prefixes);

/* cmocka setup and teardown around ldap_fixture_start/stop: *state is the
 * started fixture (NULL after stop). Failures are printed, and return -1. */
int ldap_fixture_setup(void **state, int flags);
int ldap_fixture_setup_ad_like(void **state); /* FIXTURE_REQUIRE_AUTHC | FIXTURE_ROOTDSE */
int ldap_fixture_teardown(void **state);

#endif
