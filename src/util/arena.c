#include "util/arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { BLOCK_SIZE = 16 * 1024 };

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
		size_t size = need > BLOCK_SIZE ? need : BLOCK_SIZE;
		if (size > SIZE_MAX - sizeof(*b))
			return NULL;
		b = malloc(sizeof(*b) + size);
		if (b == NULL)
			return NULL;
		b->used = 0;
		b->size = size;
		/* A block made for one large request goes behind the head so the
		 * head's free space is still used by the small requests after it. */
		if (arena->head != NULL && size > BLOCK_SIZE) {
			b->next = arena->head->next;
			arena->head->next = b;
		} else {
			b->next = arena->head;
			arena->head = b;
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

void *btc_arena_push(btc_arena *arena, void **items, size_t *count, size_t *cap, size_t elem)
{
	if (*count == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;
		if (ncap > SIZE_MAX / elem)
			return NULL;
		void *n = btc_arena_alloc(arena, ncap * elem);
		if (n == NULL)
			return NULL;
		if (*count)
			memcpy(n, *items, *count * elem);
		*items = n;
		*cap = ncap;
	}
	unsigned char *slot = (unsigned char *)*items + *count * elem;
	(*count)++;
	memset(slot, 0, elem);
	return slot;
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
	arena->head = NULL;
}
