#include "util/arena.h"

#include <stdalign.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Blocks double from a small first size: a typical export needs about 5 KiB,
 * so one fixed 16 KiB block wasted two thirds of it per export kept for the
 * farm rules (docs/performance.md). */
enum { FIRST_BLOCK = 1024, MAX_BLOCK = 64 * 1024 };

struct btc_arena_block {
	btc_arena_block *next;
	size_t used;
	size_t size;
	alignas(max_align_t) unsigned char data[];
};

void *btc_arena_alloc(btc_arena *arena, size_t n)
{
	const size_t align = alignof(max_align_t);
	size_t need = (n + align - 1) & ~(align - 1);
	btc_arena_block *b = arena->head;

	if (need < n)
		return NULL;
	if (b == NULL || b->size - b->used < need) {
		size_t regular = arena->next_block ? arena->next_block : FIRST_BLOCK;
		bool dedicated = need > regular;
		size_t size = dedicated ? need : regular;
		if (size > SIZE_MAX - sizeof(*b))
			return NULL;
		b = malloc(sizeof(*b) + size);
		if (b == NULL)
			return NULL;
		b->used = 0;
		b->size = size;
		if (dedicated && arena->head != NULL) {
			/* One large request gets a block of its own, behind the head,
			 * whose free space the small requests after it still use. */
			b->next = arena->head->next;
			arena->head->next = b;
		} else {
			b->next = arena->head;
			arena->head = b;
			if (!dedicated && regular < MAX_BLOCK)
				arena->next_block = regular * 2;
		}
	}
	void *p = b->data + b->used;
	b->used += need;
	memset(p, 0, n);
	return p;
}

char *btc_arena_strndup(btc_arena *arena, const char *s, size_t n)
{
	char *p = btc_arena_alloc(arena, n + 1);
	if (p == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *btc_arena_strdup(btc_arena *arena, const char *s)
{
	return btc_arena_strndup(arena, s, strlen(s));
}

/* The registry slot that holds array p (p != NULL), or NULL. Arrays grow
 * rarely (capacity doubles), so a short linear search is enough. */
static void **array_slot(btc_arena *arena, void *p)
{
	for (size_t i = arena->n_arrays; i-- > 0;) {
		if (arena->arrays[i] == p)
			return &arena->arrays[i];
	}
	return NULL;
}

void *btc_arena_push(btc_arena *arena, void **items, size_t *count, size_t *cap, size_t elem)
{
	if (*count == *cap) {
		size_t ncap = *cap ? *cap * 2 : 4;
		void **slot = NULL;
		if (ncap > SIZE_MAX / elem)
			return NULL;
		if (*items != NULL && (slot = array_slot(arena, *items)) == NULL)
			return NULL; /* not an array of this arena */
		if (slot == NULL && arena->n_arrays == arena->cap_arrays) {
			size_t rcap = arena->cap_arrays ? arena->cap_arrays * 2 : 8;
			void **r = realloc(arena->arrays, rcap * sizeof(*r));
			if (r == NULL)
				return NULL;
			arena->arrays = r;
			arena->cap_arrays = rcap;
		}
		void *n = realloc(*items, ncap * elem);
		if (n == NULL)
			return NULL;
		if (slot != NULL)
			*slot = n;
		else
			arena->arrays[arena->n_arrays++] = n;
		*items = n;
		*cap = ncap;
	}
	unsigned char *item = (unsigned char *)*items + *count * elem;
	(*count)++;
	memset(item, 0, elem);
	return item;
}

void btc_arena_free(btc_arena *arena)
{
	if (arena == NULL)
		return;
	btc_arena_block *b = arena->head;
	while (b != NULL) {
		btc_arena_block *next = b->next;
		free(b);
		b = next;
	}
	for (size_t i = 0; i < arena->n_arrays; i++)
		free(arena->arrays[i]);
	free(arena->arrays);
	memset(arena, 0, sizeof(*arena));
}
