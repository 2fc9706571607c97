#include "util/strmap.h"

#include <stdint.h>
#include <stdlib.h>

static int lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

/* FNV-1a over the lower-cased key. */
static uint64_t hash(const char *key, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= (uint64_t)lower((unsigned char)key[i]);
		h *= 1099511628211ULL;
	}
	return h;
}

static int key_eq(const btc_strmap_entry *e, const char *key, size_t n)
{
	if (e->key_len != n)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (lower((unsigned char)e->key[i]) != lower((unsigned char)key[i]))
			return 0;
	}
	return 1;
}

static btc_strmap_entry *find(const btc_strmap *m, const char *key, size_t n)
{
	size_t i = (size_t)hash(key, n) & (m->cap - 1);
	while (m->slots[i].value != NULL) {
		if (key_eq(&m->slots[i], key, n))
			return &m->slots[i];
		i = (i + 1) & (m->cap - 1);
	}
	return &m->slots[i];
}

void *btc_strmap_get(const btc_strmap *m, const char *key, size_t key_len)
{
	if (m->cap == 0)
		return NULL;
	return find(m, key, key_len)->value;
}

static int grow(btc_strmap *m)
{
	size_t ncap = m->cap ? m->cap * 2 : 64;
	btc_strmap_entry *old = m->slots;
	size_t ocap = m->cap;

	m->slots = calloc(ncap, sizeof(*m->slots));
	if (m->slots == NULL) {
		m->slots = old;
		return -1;
	}
	m->cap = ncap;
	for (size_t i = 0; i < ocap; i++) {
		if (old[i].value != NULL)
			*find(m, old[i].key, old[i].key_len) = old[i];
	}
	free(old);
	return 0;
}

int btc_strmap_put(btc_strmap *m, const char *key, size_t key_len, void *value)
{
	if ((m->count + 1) * 2 > m->cap && grow(m) < 0)
		return -1;
	btc_strmap_entry *e = find(m, key, key_len);
	if (e->value == NULL)
		m->count++;
	e->key = key;
	e->key_len = key_len;
	e->value = value;
	return 0;
}

void btc_strmap_free(btc_strmap *m)
{
	if (m == NULL)
		return;
	free(m->slots);
	m->slots = NULL;
	m->cap = m->count = 0;
}
