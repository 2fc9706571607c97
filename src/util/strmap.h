/* A string-keyed hash map, keys compared ignoring ASCII case. Farm rules use
 * it so that checking N exports costs O(N), never a pairwise loop. Keys are
 * borrowed: they must outlive the map. */
#ifndef BTC_UTIL_STRMAP_H
#define BTC_UTIL_STRMAP_H

#include <stddef.h>

typedef struct btc_strmap_entry {
	const char *key;
	size_t key_len;
	void *value;
} btc_strmap_entry;

typedef struct btc_strmap {
	btc_strmap_entry *slots;
	size_t cap;
	size_t count;
} btc_strmap;

/* The value stored under the first key_len bytes of key, or NULL. */
void *btc_strmap_get(const btc_strmap *m, const char *key, size_t key_len);
/* Stores value (non-NULL) under key, replacing any. Returns 0, -1 on OOM. */
int btc_strmap_put(btc_strmap *m, const char *key, size_t key_len, void *value);
void btc_strmap_free(btc_strmap *m);

#endif
