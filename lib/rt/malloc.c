/*
 * A small malloc for native servers, over anonymous memory they map into
 * themselves (TS_SYS_VM_MAP of TS_SELF, zeroed pages), with its frames at
 * once (TS_MAP_POPULATE): out of memory, malloc returns NULL and the server
 * answers ENOMEM, instead of faulting (and dying) on a later first touch.
 * Requests up to 1 KiB come from power-of-two size classes, each page of
 * small blocks one class's, with a header counting the blocks in use: a
 * page whose blocks are all free again is unmapped (but the last of its
 * class), so what a burst took (a user's thousands of open files) comes
 * back. Larger requests get pages of their own, unmapped on free. Every
 * block starts with a 16-byte header saying its size, so free and realloc
 * need no lookup. Single-threaded, like the servers using it.
 */
#include <tessera.h>
#include "malloc.h"

#define HEAP_BASE   0x0000200000000000ull   /* far from images and the initramfs */
#define HEADER      16u
#define MIN_SHIFT   4                        /* 16-byte blocks */
#define MAX_SHIFT   10                       /* 1 KiB blocks */
#define PAGE        4096u

struct header {
	uint64_t size;                           /* usable bytes after the header */
	uint64_t large;                          /* pages of its own */
};

struct free_block {
	struct free_block *next;
};

/* The start of a page of small blocks; the blocks follow it */
struct page {
	struct page *prev, *next;                /* its class's pages with free blocks */
	struct free_block *free;
	uint32_t used;                           /* blocks handed out */
	uint32_t shift;                          /* its class */
};
#define FIRST_BLOCK 32u
_Static_assert(sizeof(struct page) <= FIRST_BLOCK, "a page's header overlaps its blocks");

static struct page *partial[MAX_SHIFT + 1];  /* pages with a free block, by class */
static uint64_t heap_top = HEAP_BASE;

/* Fresh, zeroed address space for len bytes (a multiple of PAGE). */
static void *map_pages(uint64_t len)
{
	uint64_t at = heap_top;

	if (ts_vm_map(TS_SELF, at, len, TS_PROT_READ | TS_PROT_WRITE | TS_MAP_POPULATE))
		return NULL;
	heap_top += len;
	return (void *)at;
}

static unsigned class_of(size_t total)
{
	unsigned shift = MIN_SHIFT;

	while ((1ull << shift) < total)
		shift++;
	return shift;
}

static void link_page(struct page *pg)
{
	pg->prev = NULL;
	pg->next = partial[pg->shift];
	if (pg->next)
		pg->next->prev = pg;
	partial[pg->shift] = pg;
}

static void unlink_page(struct page *pg)
{
	*(pg->prev ? &pg->prev->next : &partial[pg->shift]) = pg->next;
	if (pg->next)
		pg->next->prev = pg->prev;
}

/* A page of blocks of class shift, all free (NULL: no memory) */
static struct page *new_page(unsigned shift)
{
	struct page *pg = map_pages(PAGE);

	if (!pg)
		return NULL;
	*pg = (struct page){ .shift = shift };
	for (uint64_t off = FIRST_BLOCK; off + (1ull << shift) <= PAGE; off += 1ull << shift) {
		struct free_block *b = (struct free_block *)((uint8_t *)pg + off);
		b->next = pg->free;
		pg->free = b;
	}
	link_page(pg);
	return pg;
}

static void *alloc_small(unsigned shift)
{
	struct page *pg = partial[shift] ? partial[shift] : new_page(shift);

	if (!pg)
		return NULL;
	struct free_block *b = pg->free;
	pg->free = b->next;
	pg->used++;
	if (!pg->free)
		unlink_page(pg);
	struct header *h = (struct header *)b;
	*h = (struct header){ .size = (1ull << shift) - HEADER, .large = 0 };
	return h + 1;
}

static void free_small(struct header *h)
{
	struct page *pg = (struct page *)ALIGN_DOWN((uint64_t)h, PAGE);
	struct free_block *b = (struct free_block *)h;

	if (!pg->free)
		link_page(pg);
	b->next = pg->free;
	pg->free = b;
	if (--pg->used || (partial[pg->shift] == pg && !pg->next))
		return;                 /* in use, or the class's only page: kept */
	unlink_page(pg);
	ts_vm_unmap(TS_SELF, (uint64_t)pg, PAGE);
}

void *malloc(size_t size)
{
	if (size > TS_GRANT_MAX * 64ull)
		return NULL;
	size_t total = size + HEADER;
	if (total <= 1ull << MAX_SHIFT)
		return alloc_small(class_of(total));
	uint64_t len = ALIGN_UP(total, PAGE);
	struct header *h = map_pages(len);
	if (!h)
		return NULL;
	*h = (struct header){ .size = len - HEADER, .large = 1 };
	return h + 1;
}

void free(void *p)
{
	if (!p)
		return;
	struct header *h = (struct header *)p - 1;
	if (h->large)
		ts_vm_unmap(TS_SELF, (uint64_t)h, h->size + HEADER);
	else
		free_small(h);
}

void *calloc(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	void *p = malloc(n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

size_t malloc_usable_size(const void *p)
{
	return p ? ((const struct header *)p - 1)->size : 0;
}

void *realloc(void *p, size_t size)
{
	if (p && size <= malloc_usable_size(p))
		return p;
	void *q = malloc(size);
	if (q && p) {
		memcpy(q, p, malloc_usable_size(p));
		free(p);
	}
	return q;
}
