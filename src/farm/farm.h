/* A farm: the exports of one BizTalk group in configuration order, plus what
 * the site inventory says about machine names. Without an inventory the
 * exports given on the command line form one farm in the order given. */
#ifndef BTC_FARM_FARM_H
#define BTC_FARM_FARM_H

#include <stdbool.h>
#include <stddef.h>

#include "export/model.h"
#include "util/error.h"
#include "util/strmap.h"

/* A list of machine names from the inventory (nodes, replicas). */
typedef struct btc_farm_names {
	const char **items;
	size_t count;
	int line; /* of the key; 0 when absent */
} btc_farm_names;

/* [sql NAME]: a SQL Server failover cluster instance by its virtual name. */
typedef struct btc_farm_sql {
	const char *name;
	int line;                    /* of the section header */
	const char *instance;        /* NULL for the default instance */
	btc_farm_names nodes;
	const char *windows_cluster; /* or NULL */
	int windows_cluster_line;
	int port;                    /* 0 when not given */
} btc_farm_sql;

/* [listener NAME]: an Always On availability-group listener. */
typedef struct btc_farm_listener {
	const char *name;
	int line;
	btc_farm_names replicas;
	const char *windows_cluster;
	int windows_cluster_line;
	int port;
} btc_farm_listener;

/* [sso NAME]: the clustered master secret server by its SSO network name. */
typedef struct btc_farm_sso {
	const char *name;
	int line;
	btc_farm_names nodes;
} btc_farm_sso;

/* [server NAME]: a machine whose export belongs to the farm. */
typedef struct btc_farm_server {
	const char *name;
	int line;
	const char *export_path; /* the inventory's folder joined with the key */
	int export_line;
	int order;               /* the `order` key, else the section's position (1-based) */
	int order_line;          /* 0 when `order` was not given */
} btc_farm_server;

/* Everything the inventory says about one machine name (matched on its first
 * DNS label, see btc_machine_eq). A name may play several parts. */
typedef struct btc_farm_machine {
	const char *name;                      /* as first declared */
	const btc_farm_server *server;         /* a [server] section */
	const btc_farm_sql *sql;               /* a [sql] section's own name */
	const btc_farm_sql *sql_node;          /* a node of this [sql] */
	const btc_farm_listener *listener;     /* a [listener] section's own name */
	const btc_farm_listener *replica;      /* a replica of this [listener] */
	const btc_farm_sql *sql_cluster;       /* the windows-cluster of this [sql] */
	const btc_farm_listener *ag_cluster;   /* the windows-cluster of this [listener] */
	const btc_farm_sso *sso;               /* an [sso] section's own name */
	const btc_farm_sso *sso_node;          /* a node of this [sso] */
} btc_farm_machine;

/* One group account of the farm as the directory probe saw it (GRP005). */
typedef struct btc_farm_directory_group {
	const char *account;     /* as first written in the farm (borrowed from its export) */
	const char *domain;      /* its parsed parts, borrowed likewise */
	const char *name;
	const char *not_checked; /* why it was not looked up (static text), or NULL */
	/* The lookup; meaningful only when checked. Strings are borrowed from
	 * the probe's result, which the gatherer keeps alive. */
	bool checked;
	bool found;
	bool is_group;
	const char *dn;           /* NULL when not found */
	bool has_group_type;
	long long group_type;
	bool security;            /* the groupType security bit */
	const char *scope;        /* "global", "domain-local", "universal" or NULL */
	int verdict;              /* a btc_directory_verdict (directory/directory.h) */
	const char *verdict_name; /* "global security", ... */
} btc_farm_directory_group;

/* The directory facts of a farm, gathered once before the rules run (the
 * rules never do I/O). Attached only when the farm has a directory. */
typedef struct btc_farm_directory {
	const char *uri;      /* as configured */
	const char *base;     /* searched (given or discovered); NULL on error */
	const char *bound_as; /* the bind DN; NULL for anonymous */
	const char *error;    /* the directory could not be used: no verdicts */
	const char *domain;   /* the NetBIOS domain looked up, or NULL */
	bool domain_from_inventory; /* else the domain most used by the farm's groups */
	btc_farm_directory_group *groups; /* distinct accounts, configuration order */
	size_t n_groups;
} btc_farm_directory;

typedef struct btc_farm {
	const char *name;            /* the inventory's farm name, or NULL */
	const char *inventory_path;  /* NULL without an inventory */
	const char *domain;          /* NetBIOS domain from the inventory, or NULL */
	btc_export **exports;        /* configuration order; not owned */
	const char **servers;        /* machine name per export, or NULL (array or entries) */
	const btc_farm_server **decls; /* inventory section per export, or NULL (array or entries) */
	size_t n_exports;

	/* The inventory's declarations (borrowed; all NULL/0 without one). */
	bool has_inventory;
	bool complete;     /* every SQL name used must be declared (SQL005 is an error) */
	int farm_line;     /* of the [farm] header; 0 when absent */
	const btc_farm_sql *sqls;
	size_t n_sqls;
	const btc_farm_listener *listeners;
	size_t n_listeners;
	const btc_farm_sso *ssos;
	size_t n_ssos;
	const btc_farm_server *decl_servers; /* in configuration order */
	size_t n_decl_servers;

	/* The directory probe's facts (borrowed), or NULL without a directory. */
	const btc_farm_directory *directory;

	/* Built by btc_farm_index: first DNS label (or IP literal) -> machine. */
	btc_strmap machine_map;
	btc_farm_machine *machines;
	size_t n_machines;
} btc_farm;

/* Builds the machine-name index from the declarations above; call once after
 * filling them in (btc_farm_release frees it). Returns 0, or -1 with err set
 * when out of memory. */
int btc_farm_index(btc_farm *farm, btc_error *err);
/* Frees what btc_farm_index built; the farm's borrowed data is untouched. */
void btc_farm_release(btc_farm *farm);

/* What the inventory declares under this machine name, or NULL. */
const btc_farm_machine *btc_farm_lookup(const btc_farm *farm, const char *name);

/* True when name is a machine the inventory knows (server, node, replica,
 * cluster or network name). Always false without an inventory. */
bool btc_farm_is_known_machine(const btc_farm *farm, const char *name);

#endif
