/*
 * A small malloc for native servers, over anonymous memory they map into
 * themselves (TS_SYS_VM_MAP of TS_SELF, zeroed pages), with its frames at
 * once (TS_MAP_POPULATE): out of memory, malloc returns NULL and the server
 * answers ENOMEM, instead of faulting (and dying) on a later first touch. Requests up to
 * 2 KiB come from power-of-two size classes carved out of pages and kept
 * on free lists; larger ones get pages of their own, unmapped on free.
 * Every block starts with a 16-byte header saying its size, so free and
 * realloc need no lookup. Single-threaded, like the servers using it.
 */
#include <tessera.h>
#include "malloc.h"

#define HEAP_BASE   0x0000200000000000ull   /* far from images and the initramfs */
#define HEADER      16u
#define MIN_SHIFT   4                        /* 16-byte blocks */
#define MAX_SHIFT   11                       /* 2 KiB blocks */
#define PAGE        4096u

struct header {
	uint64_t size;                           /* usable bytes after the header */
	uint64_t large;                          /* pages of its own */
};

struct free_block {
	struct free_block *next;
};

static struct free_block *free_lists[MAX_SHIFT + 1];
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

static void *alloc_small(unsigned shift)
{
	if (!free_lists[shift]) {
		uint8_t *page = map_pages(PAGE);
		if (!page)
			return NULL;
		for (uint64_t off = 0; off < PAGE; off += 1ull << shift) {
			struct free_block *b = (struct free_block *)(page + off);
			b->next = free_lists[shift];
			free_lists[shift] = b;
		}
	}
	struct free_block *b = free_lists[shift];
	free_lists[shift] = b->next;
	struct header *h = (struct header *)b;
	*h = (struct header){ .size = (1ull << shift) - HEADER, .large = 0 };
	return h + 1;
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
	if (h->large) {
		ts_vm_unmap(TS_SELF, (uint64_t)h, h->size + HEADER);
		return;
	}
	struct free_block *b = (struct free_block *)h;
	unsigned shift = class_of(h->size + HEADER);
	b->next = free_lists[shift];
	free_lists[shift] = b;
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
