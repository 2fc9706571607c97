/* A bump allocator for data that lives exactly as long as one export.
 * Everything the parser builds for a file is carved out of one arena and freed
 * at once, so the model needs no per-field ownership rules. */
#ifndef BTC_UTIL_ARENA_H
#define BTC_UTIL_ARENA_H

#include <stddef.h>

typedef struct btc_arena_block btc_arena_block;

typedef struct btc_arena {
	btc_arena_block *head;
	size_t next_block; /* size of the next block; 0 = the first size */
	/* Arrays grown by btc_arena_push live outside the blocks (realloc can
	 * grow them in place; abandoned copies in a block were a third of an
	 * export's memory) and are freed with the arena. */
	void **arrays;
	size_t n_arrays, cap_arrays;
} btc_arena;

/* Zeroed memory of n bytes, aligned for any type; NULL when out of memory. */
void *btc_arena_alloc(btc_arena *arena, size_t n);
/* A NUL-terminated copy of the n bytes at s; NULL when out of memory. */
char *btc_arena_strndup(btc_arena *arena, const char *s, size_t n);
char *btc_arena_strdup(btc_arena *arena, const char *s);
/* Grows *items (of *count elements, capacity *cap) by one zeroed element of
 * size elem and returns it. *items may move: keep indexes, not pointers,
 * into an array while it grows. The array is freed with the arena. */
void *btc_arena_push(btc_arena *arena, void **items, size_t *count, size_t *cap, size_t elem);
void btc_arena_free(btc_arena *arena);

#endif
