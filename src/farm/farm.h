/* A farm: the exports of one BizTalk group in configuration order, plus what
 * the site inventory says about machine names. Without an inventory the
 * exports given on the command line form one farm in the order given. */
#ifndef BTC_FARM_FARM_H
#define BTC_FARM_FARM_H

#include <stdbool.h>
#include <stddef.h>

#include "export/model.h"

typedef struct btc_farm {
	const char *name;            /* the inventory's farm name, or NULL */
	const char *inventory_path;  /* NULL without an inventory */
	const char *domain;          /* NetBIOS domain from the inventory, or NULL */
	btc_export **exports;        /* configuration order; not owned */
	const char **servers;        /* machine name per export, or NULL entries */
	size_t n_exports;
} btc_farm;

/* True when name is a machine the inventory knows (server, node, replica,
 * cluster or network name). Always false without an inventory. */
bool btc_farm_is_known_machine(const btc_farm *farm, const char *name);

#endif
