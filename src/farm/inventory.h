/* The site inventory (spec/inventory.md): an INI file that says which machine
 * wrote which export, which names are SQL/SSO cluster names and nodes, and in
 * what order servers were configured. Parsed with inih. */
#ifndef BTC_FARM_INVENTORY_H
#define BTC_FARM_INVENTORY_H

#include <stdbool.h>

#include "farm/farm.h"
#include "util/arena.h"
#include "util/error.h"

/* [directory]: kept for the directory probe (rule GRP005). */
typedef struct btc_inventory_directory {
	bool present;
	int line;
	const char *uri;
	const char *base;   /* or NULL */
	const char *bind;   /* or NULL */
	bool starttls;
	const char *ca;     /* the inventory's folder joined with the key, or NULL */
} btc_inventory_directory;

typedef struct btc_inventory {
	btc_arena arena;    /* every string and array below */
	const char *path;   /* as given */
	const char *name;   /* [farm] name, or NULL */
	const char *domain; /* [farm] domain, or NULL */
	bool complete;
	int farm_line;      /* 0 without [farm] */

	btc_farm_sql *sqls;
	size_t n_sqls, cap_sqls;
	btc_farm_listener *listeners;
	size_t n_listeners, cap_listeners;
	btc_farm_sso *ssos;
	size_t n_ssos, cap_ssos;
	btc_farm_server *servers; /* in configuration order once loaded */
	size_t n_servers, cap_servers;
	btc_inventory_directory directory;
} btc_inventory;

/* Reads the inventory at path. On success *out owns a new inventory (free it
 * with btc_inventory_free) and 0 is returned. On any mistake returns -1 and
 * fills err with the line and a message (without the path: callers prefix
 * it). Export files must exist (they are not read here). */
int btc_inventory_load(btc_inventory **out, const char *path, btc_error *err);
/* The same for text already in memory; path names it and anchors relative
 * paths. */
int btc_inventory_parse(btc_inventory **out, const char *path, const char *text, btc_error *err);
void btc_inventory_free(btc_inventory *inv);

/* Fills farm's inventory fields (name, domain, declarations) from inv, which
 * must outlive the farm, and builds its machine index. The exports are the
 * caller's to add. Returns 0, or -1 with err set when out of memory. */
int btc_farm_from_inventory(btc_farm *farm, const btc_inventory *inv, btc_error *err);

#endif
