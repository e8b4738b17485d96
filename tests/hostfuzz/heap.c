/*
 * The server's heap (its malloc, free, calloc, realloc and
 * malloc_usable_size are these, by the build's -D renames): the host's, so
 * that the address sanitizer checks it, with a list of blocks, so that the
 * heap can be put back as init left it (snapshot.c). Blocks from init are
 * kept and their contents put back; blocks an input allocates are freed. A
 * block from init the input frees stays poisoned until then, so that using
 * it is still reported.
 */
#include <sanitizer/asan_interface.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shim.h"

/* Before each block, poisoned: an underflow into it is reported. */
struct block {
	struct block *prev, *next;
	size_t size;
	void *saved;                /* init's contents, for a block from init */
	bool freed;                 /* a block from init the input freed */
	char pad[7];
};

static struct block *blocks;
/* one allocation for init's blocks' contents, the headers' pointers into it
 * being hidden from the leak checker by their poisoning */
static char *saved_heap;

/* A block's header is poisoned but while the heap looks at it. */
static struct block *unseal(struct block *b)
{
	ASAN_UNPOISON_MEMORY_REGION(b, sizeof *b);
	return b;
}

static void seal(struct block *b)
{
	ASAN_POISON_MEMORY_REGION(b, sizeof *b);
}

static struct block *header_of(const void *p)
{
	return unseal((struct block *)p - 1);
}

static void link_block(struct block *b)
{
	b->prev = NULL;
	b->next = blocks;
	if (blocks) {
		unseal(blocks)->prev = b;
		seal(blocks);
	}
	blocks = b;
}

/* b is unsealed */
static void unlink_block(struct block *b)
{
	if (b->prev) {
		unseal(b->prev)->next = b->next;
		seal(b->prev);
	} else {
		blocks = b->next;
	}
	if (b->next) {
		unseal(b->next)->prev = b->prev;
		seal(b->next);
	}
}

/* A server's heap is finite: past this, malloc fails (its ENOMEM paths run). */
#define HEAP_BUDGET (256ull << 20)
static size_t used;                 /* by the blocks an input allocated */

void *hf_malloc(size_t size)
{
	struct block *b = size > HEAP_BUDGET - used ? NULL : malloc(sizeof *b + size);

	if (!b)
		return NULL;
	used += size;
	*b = (struct block){ .size = size };
	link_block(b);
	seal(b);
	return b + 1;
}

void hf_free(void *p)
{
	if (!p)
		return;
	struct block *b = header_of(p);
	if (b->freed) {
		fprintf(stderr, "hostfuzz: the server frees a block twice\n");
		abort();
	}
	if (b->saved) {
		b->freed = true;
		ASAN_POISON_MEMORY_REGION(p, b->size);
		seal(b);
		return;
	}
	used -= b->size;
	unlink_block(b);
	free(b);
}

void *hf_calloc(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	void *p = hf_malloc(n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

size_t hf_malloc_usable_size(const void *p)
{
	if (!p)
		return 0;
	struct block *b = header_of(p);
	size_t size = b->size;
	seal(b);
	return size;
}

void *hf_realloc(void *p, size_t size)
{
	size_t old = hf_malloc_usable_size(p);
	void *q = hf_malloc(size);

	if (q && p) {
		memcpy(q, p, MIN(old, size));
		hf_free(p);
	}
	return q;
}

void heap_take(void)
{
	used = 0;                   /* the budget is each input's */
	size_t total = 0;
	for (struct block *b = blocks, *next; b; b = next) {
		next = unseal(b)->next;
		total += b->size + 1;
		seal(b);
	}
	saved_heap = malloc(total);
	if (!saved_heap)
		abort();
	char *at = saved_heap;
	for (struct block *b = blocks, *next; b; b = next) {
		next = unseal(b)->next;
		b->saved = memcpy(at, b + 1, b->size);
		at += b->size + 1;
		seal(b);
	}
}

void heap_restore(void)
{
	used = 0;
	for (struct block *b = blocks, *next; b; b = next) {
		next = unseal(b)->next;
		if (!b->saved) {
			unlink_block(b);
			free(b);
			continue;
		}
		ASAN_UNPOISON_MEMORY_REGION(b + 1, b->size);
		memcpy(b + 1, b->saved, b->size);
		b->freed = false;
		seal(b);
	}
}
