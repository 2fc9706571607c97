/* The directory probe: looks BizTalk and SSO groups up in Active Directory
 * over LDAP and classifies their groupType, the facts behind rule GRP005.
 * It gathers facts only: it never prints, and the rule decides severities. */
#ifndef BTC_DIRECTORY_H
#define BTC_DIRECTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** How to reach the directory. Strings are borrowed for the call only. */
typedef struct btc_directory_options {
	const char *uri;      /**< "ldap://host[:port]" or "ldaps://host[:port]" */
	bool starttls;        /**< upgrade ldap:// with StartTLS (not with ldaps://) */
	const char *ca_file;  /**< PEM CA file; NULL: the system's / LDAPTLS_CACERT */
	const char *base;     /**< NULL: the root DSE's defaultNamingContext, else
	                           its single namingContexts */
	const char *bind_dn;  /**< NULL: anonymous */
	const char *password; /**< required (non-empty) with bind_dn */
	int timeout_s;        /**< bound on each step: connect, TLS, bind, search */
} btc_directory_options;

/** What a group's directory entry says, worst first after NOT_FOUND. */
typedef enum btc_directory_verdict {
	BTC_DIRECTORY_NOT_FOUND = 0,      /**< no entry with that sAMAccountName */
	BTC_DIRECTORY_NOT_A_GROUP,        /**< an entry that is not objectClass group */
	BTC_DIRECTORY_DISTRIBUTION,       /**< bit 0x80000000 clear (or no groupType) */
	BTC_DIRECTORY_DOMAIN_LOCAL,       /**< security, bit 0x4 */
	BTC_DIRECTORY_UNKNOWN_SCOPE,      /**< security without 0x2, 0x4 or 0x8 (AD
	                                       never makes one; not global either) */
	BTC_DIRECTORY_UNIVERSAL_SECURITY, /**< security, bit 0x8: GRP005 warns */
	BTC_DIRECTORY_GLOBAL_SECURITY,    /**< security, bit 0x2: GRP005 passes */
} btc_directory_verdict;

/** One looked-up account. Strings are owned by the result. */
typedef struct btc_directory_group {
	char *account;       /**< as the caller gave it, e.g. "CONTOSO\\BizTalk Server Administrators" */
	char *name;          /**< the sAMAccountName searched */
	bool found;          /**< an entry matched */
	bool is_group;       /**< its objectClass includes group */
	char *dn;            /**< its DN; NULL when not found */
	int64_t group_type;  /**< groupType as stored (AD: signed 32-bit) */
	bool has_group_type; /**< groupType was present and numeric */
	btc_directory_verdict verdict;
} btc_directory_group;

/** The outcome of a probe; free with btc_directory_result_free(). */
typedef struct btc_directory_result {
	char *uri;      /**< as given */
	char *base;     /**< the base searched (given or discovered) */
	char *bound_as; /**< the bind DN; NULL for anonymous */
	size_t count;   /**< entries in groups: one per account given, same order */
	btc_directory_group *groups;
} btc_directory_result;

/**
 * Connects once, binds, finds the base if not given, then searches each
 * distinct name (compared ignoring ASCII case) once by sAMAccountName.
 *
 * @param out      the result, owned by the caller; NULL on failure
 * @param accounts the accounts as written, e.g. "CONTOSO\\Group" (for the report)
 * @param names    their sAMAccountName parts, e.g. "Group"; same length
 * @param err      receives a message on failure; it never holds the password
 * @return 0, or -1 when the directory could not be used (unreachable, TLS or
 *         certificate failure, bind or search refused, timeout), the options
 *         are invalid, or memory ran out.
 *
 * Certificates are always verified (libldap's configuration and LDAP*
 * variables cannot turn that off). libldap may raise SIGPIPE when a
 * connection it opened asynchronously is refused: the program must ignore
 * SIGPIPE (main does signal(SIGPIPE, SIG_IGN)). Safe to call from several
 * threads at once.
 */
int btc_directory_check(btc_directory_result **out, const btc_directory_options *opts, const char *const *accounts,
                        const char *const *names, size_t count, char *err, size_t err_size);

/** Frees a result; accepts NULL. */
void btc_directory_result_free(btc_directory_result *result);

/** The verdict for an entry (or for none: found false). Pure: no I/O. */
btc_directory_verdict btc_directory_classify(bool found, bool is_group, bool has_group_type, int64_t group_type);

/** A short English name: "global security", "universal security",
 * "domain-local", "distribution", "unknown scope", "not a group",
 * "not found". Static storage. */
const char *btc_directory_verdict_name(btc_directory_verdict verdict);

/** The scope named by a groupType ("global", "domain-local", "universal"),
 * or NULL when no scope bit is set. For the report's "scope" field. */
const char *btc_directory_scope_name(int64_t group_type);

/** Whether a groupType has the security bit (0x80000000). */
bool btc_directory_is_security(int64_t group_type);

#endif
