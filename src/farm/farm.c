#include "farm/farm.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/text.h"

/* Machine names match on their first DNS label; IP literals only as a whole
 * (their first "label" would be one octet). */
static size_t key_len(const char *name)
{
	if (btc_is_ipv4(name) || btc_is_ipv6(name))
		return strlen(name);
	return btc_first_label_len(name);
}

/* The record for name, created when new. NULL when out of memory, or when
 * name is empty (it declares nothing). */
static btc_farm_machine *slot(btc_farm *farm, const char *name, size_t *cap, bool *oom)
{
	if (name == NULL || name[0] == '\0')
		return NULL;
	size_t n = key_len(name);
	size_t idx = (size_t)(uintptr_t)btc_strmap_get(&farm->machine_map, name, n);
	if (idx != 0)
		return &farm->machines[idx - 1];
	/* Indexes (plus one, so that NULL means absent) rather than pointers:
	 * the array may move while it grows. */
	if (farm->n_machines == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		btc_farm_machine *m = realloc(farm->machines, ncap * sizeof(*m));
		if (m == NULL) {
			*oom = true;
			return NULL;
		}
		farm->machines = m;
		*cap = ncap;
	}
	btc_farm_machine *m = &farm->machines[farm->n_machines++];
	memset(m, 0, sizeof(*m));
	m->name = name;
	if (btc_strmap_put(&farm->machine_map, name, n, (void *)(uintptr_t)farm->n_machines) < 0) {
		*oom = true;
		return NULL;
	}
	return m;
}

int btc_farm_index(btc_farm *farm, btc_error *err)
{
	size_t cap = 0;
	bool oom = false;
	btc_farm_machine *m;

	/* Keep the first part a name plays: declarations come first, lists after. */
	for (size_t i = 0; i < farm->n_decl_servers; i++) {
		if ((m = slot(farm, farm->decl_servers[i].name, &cap, &oom)) != NULL && m->server == NULL)
			m->server = &farm->decl_servers[i];
	}
	for (size_t i = 0; i < farm->n_sqls; i++) {
		const btc_farm_sql *s = &farm->sqls[i];
		if ((m = slot(farm, s->name, &cap, &oom)) != NULL && m->sql == NULL)
			m->sql = s;
		for (size_t j = 0; j < s->nodes.count; j++) {
			if ((m = slot(farm, s->nodes.items[j], &cap, &oom)) != NULL && m->sql_node == NULL)
				m->sql_node = s;
		}
		if ((m = slot(farm, s->windows_cluster, &cap, &oom)) != NULL && m->sql_cluster == NULL)
			m->sql_cluster = s;
	}
	for (size_t i = 0; i < farm->n_listeners; i++) {
		const btc_farm_listener *l = &farm->listeners[i];
		if ((m = slot(farm, l->name, &cap, &oom)) != NULL && m->listener == NULL)
			m->listener = l;
		for (size_t j = 0; j < l->replicas.count; j++) {
			if ((m = slot(farm, l->replicas.items[j], &cap, &oom)) != NULL && m->replica == NULL)
				m->replica = l;
		}
		if ((m = slot(farm, l->windows_cluster, &cap, &oom)) != NULL && m->ag_cluster == NULL)
			m->ag_cluster = l;
	}
	for (size_t i = 0; i < farm->n_ssos; i++) {
		const btc_farm_sso *s = &farm->ssos[i];
		if ((m = slot(farm, s->name, &cap, &oom)) != NULL && m->sso == NULL)
			m->sso = s;
		for (size_t j = 0; j < s->nodes.count; j++) {
			if ((m = slot(farm, s->nodes.items[j], &cap, &oom)) != NULL && m->sso_node == NULL)
				m->sso_node = s;
		}
	}
	if (oom) {
		btc_farm_release(farm);
		btc_error_set(err, 0, 0, "out of memory while indexing the inventory's machine names");
		return -1;
	}
	return 0;
}

void btc_farm_release(btc_farm *farm)
{
	if (farm == NULL)
		return;
	btc_strmap_free(&farm->machine_map);
	free(farm->machines);
	farm->machines = NULL;
	farm->n_machines = 0;
}

const btc_farm_machine *btc_farm_lookup(const btc_farm *farm, const char *name)
{
	if (farm == NULL || name == NULL || name[0] == '\0' || farm->n_machines == 0)
		return NULL;
	size_t idx = (size_t)(uintptr_t)btc_strmap_get(&farm->machine_map, name, key_len(name));
	if (idx == 0)
		return NULL;
	const btc_farm_machine *m = &farm->machines[idx - 1];
	/* Two FQDNs with the same first label but different domains differ. */
	return btc_machine_eq(m->name, name) ? m : NULL;
}

bool btc_farm_is_known_machine(const btc_farm *farm, const char *name)
{
	return btc_farm_lookup(farm, name) != NULL;
}
