/*
 * Kernel object allocator: power-of-two size classes from 16 to 2048 bytes,
 * each a slab cache carved from pages; larger requests take whole pages.
 * Pages come from a page source supplied at init, so the allocator runs
 * unchanged on the host under unit tests.
 */
#ifndef SLAB_H
#define SLAB_H

#include <stddef.h>
#include <stdint.h>

#define SLAB_PAGE_SIZE 4096

struct page_source {
	/* Return npages contiguous, page-aligned pages or NULL. */
	void *(*alloc_pages)(size_t npages, void *ctx);
	void (*free_pages)(void *p, size_t npages, void *ctx);
	void *ctx;
};

void slab_init(const struct page_source *src);
/* Memory is not zeroed. Returns NULL for size 0 or on exhaustion. */
void *slab_alloc(size_t size);
void *slab_zalloc(size_t size);
/* p must come from slab_alloc (or be NULL). */
void slab_free(void *p);
/* Usable size of an allocation (>= the size requested). */
size_t slab_size(const void *p);

struct slab_stats {
	size_t pages_in_use;
	size_t objects_in_use;
};
void slab_get_stats(struct slab_stats *st);

#endif
