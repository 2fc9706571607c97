/*
 * The live SQL probe: logs in to SQL Server endpoints over TDS (FreeTDS
 * db-lib) and reads facts about them.  It gathers facts only; the PRB rules
 * decide what the facts mean.
 */
#ifndef BTC_PROBE_H
#define BTC_PROBE_H

#include <stdbool.h>
#include <stddef.h>

/** One endpoint to probe, as written in an export. The probe keeps no
 *  pointer into it after btc_probe_run() returns. */
struct btc_probe_target {
	/** The server string as written ("SQLVS01\\BTS", "SQLVS01,1433"): looked
	 *  up first as a freetds.conf section of exactly that name. */
	const char *name;
	/** Host part of name ("SQLVS01"). */
	const char *host;
	/** Instance part, or NULL for the default instance. */
	const char *instance;
	/** Port written after a comma, or -1 when none was written. */
	int port;
	/** Databases whose presence to check in sys.databases (may be NULL). */
	const char *const *databases;
	size_t n_databases;
	/** SSO databases (an export's SSO_DB_ID Database) whose master secret
	 *  server to read from SSOX_GlobalInfo.gi_SecretServer (may be NULL).
	 *  A name with a control character is never sent: its fact stays
	 *  BTC_PROBE_SSO_NOT_READ. */
	const char *const *sso_databases;
	size_t n_sso_databases;
};

/** How to probe. */
struct btc_probe_options {
	/** Bounds each network step (Browser query, login, each query), in
	 *  seconds; <= 0 means 5. */
	int timeout_s;
	/** Parallel probes (threads, one connection each); <= 0 means 8. */
	int jobs;
	/** SQL login, or DOMAIN\\user for a Windows (NTLM) login; NULL for
	 *  integrated authentication (Kerberos) as FreeTDS provides it. */
	const char *user;
	/** Password for user; never copied into any message. */
	const char *password;
	/** UDP port of the SQL Browser; 0 means 1434 (tests use another). */
	int browser_port;
};

/** What went wrong with an endpoint.  With answered false, the endpoint did
 *  not answer at all; with answered true, the login was refused
 *  (LOGIN_FAILED) or a query failed or timed out after the login (the facts
 *  read before it are kept). */
enum btc_probe_error {
	BTC_PROBE_OK = 0,
	BTC_PROBE_UNRESOLVED,   /**< the host name does not resolve */
	BTC_PROBE_REFUSED,      /**< connection refused (nothing listens) */
	BTC_PROBE_CLOSED,       /**< the connection ended before the login: closed by the
	                           server, or encryption settings that do not match */
	BTC_PROBE_TIMEOUT,      /**< no answer within the timeout */
	BTC_PROBE_LOGIN_FAILED, /**< the server answered and refused the login */
	BTC_PROBE_OTHER         /**< anything else; see the message */
};

/** A value that may be unknown: BTC_PROBE_UNKNOWN, 0 or 1. */
#define BTC_PROBE_UNKNOWN (-1)

/** Whether gi_SecretServer could be read from one SSO database. */
enum btc_probe_sso_state {
	BTC_PROBE_SSO_NOT_READ = 0, /**< not asked, the query failed, or a name that cannot be sent */
	BTC_PROBE_SSO_READ,         /**< read; secret_server may still be NULL (no row, SQL NULL) */
	BTC_PROBE_SSO_DENIED,       /**< refused: no access to the database or no SELECT on the table */
	BTC_PROBE_SSO_MISSING       /**< no such database, or no SSOX_GlobalInfo table in it */
};

/** The master secret server as one SSO database records it. */
struct btc_probe_sso {
	enum btc_probe_sso_state state;
	char *secret_server; /**< SSOX_GlobalInfo.gi_SecretServer, or NULL */
};

/** One row of sys.dm_os_cluster_nodes. */
struct btc_probe_node {
	char *name;               /**< NodeName */
	int status;               /**< 0 up, 1 down, 2 paused, 3 joining, -1 unknown */
	char *status_description; /**< as the server words it ("up"), or NULL */
	int is_current_owner;     /**< 1, 0 or BTC_PROBE_UNKNOWN */
};

/** What the endpoint says about itself.  Each group carries a "read" flag:
 *  when false, the fields of that group are unknown.  Strings are UTF-8 and
 *  owned by the result. */
struct btc_probe_facts {
	/** SERVERPROPERTY(...) was read: the fields below it are valid, and a
	 *  NULL string is SQL NULL (instance_name NULL = default instance). */
	bool properties_read;
	int is_clustered;      /**< IsClustered: 1, 0 or BTC_PROBE_UNKNOWN */
	int is_hadr;           /**< IsHadrEnabled: 1, 0 or BTC_PROBE_UNKNOWN */
	char *machine_name;    /**< MachineName (the virtual name on an FCI) */
	char *physical_node;   /**< ComputerNamePhysicalNetBIOS (active node) */
	char *server_name;     /**< ServerName, e.g. SQLVS01\\BTS */
	char *instance_name;   /**< InstanceName; NULL = default instance */
	char *product_version; /**< ProductVersion */
	char *edition;         /**< Edition */

	/** sys.dm_os_cluster_nodes was read (empty when not an FCI). */
	bool nodes_read;
	bool nodes_denied; /**< reading it was refused (VIEW SERVER STATE) */
	struct btc_probe_node *nodes;
	size_t n_nodes;

	/** sys.availability_group_listeners was read; only asked when
	 *  is_hadr is 1. */
	bool listeners_read;
	/** Refused, or read by a login without VIEW ANY DEFINITION, from which
	 *  the catalog view hides rows instead of refusing: the list may be
	 *  incomplete. */
	bool listeners_denied;
	char **listeners; /**< dns_name of each listener */
	size_t n_listeners;

	/** sys.databases was read; only asked when the target names databases. */
	bool databases_read;
	/** Refused, or read by a login without VIEW ANY DATABASE, which sees
	 *  only some databases. */
	bool databases_denied;
	/** Per target database, in the target's order: 1 present, 0 absent,
	 *  BTC_PROBE_UNKNOWN when not seen by a login that cannot see them all,
	 *  or when sys.databases could not be read.  Names compare ignoring
	 *  ASCII case. */
	int *databases_present;

	/** Per target SSO database, in the target's order (NULL when the target
	 *  names none): what SSOX_GlobalInfo says.  Each is read with its own
	 *  query after the facts above. */
	struct btc_probe_sso *sso;
	size_t n_sso; /**< the target's n_sso_databases */
};

/** The outcome for one target, at the same index as the target. */
struct btc_probe_result {
	/** The server spoke TDS (also true when the login was refused). */
	bool answered;
	/** From the start of name resolution to the end of the last query. */
	long elapsed_ms;
	enum btc_probe_error error;
	/** Human text: where and what failed ("SQLVS01\\BTS: connection refused
	 *  (nothing listens on that port)"); empty when error is BTC_PROBE_OK.
	 *  Never contains the password. */
	char message[256];
	/** How the name was reached, e.g. "freetds.conf section [SQLVS01\\BTS]"
	 *  or "SQLVS01:51000 (port of instance BTS from the SQL Browser)"; empty
	 *  when the name could not be resolved. */
	char route[160];
	struct btc_probe_facts facts;
};

/**
 * Probes every target in parallel (options->jobs threads) and returns one
 * result per target in *out (caller frees with btc_probe_results_free).
 * An endpoint that does not answer is a result, not a failure.
 *
 * db-lib keeps the login timeout process-wide: runs that overlap in time
 * should use the same timeout_s.
 *
 * @return 0, or negative when the probe itself could not run (invalid
 *         arguments, out of memory, FreeTDS not usable); then *out is NULL
 *         and err (err_size bytes) says why.
 */
int btc_probe_run(struct btc_probe_result **out, const struct btc_probe_target *targets, size_t n_targets,
                  const struct btc_probe_options *options, char *err, size_t err_size);

/** Frees results returned by btc_probe_run; accepts NULL. */
void btc_probe_results_free(struct btc_probe_result *results, size_t n_results);

/** A short name for an error kind ("refused", "timeout", ...). */
const char *btc_probe_error_name(enum btc_probe_error error);

#endif
