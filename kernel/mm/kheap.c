/* kmalloc: the slab allocator fed with pages from the direct map. */
#include <mm.h>
#include <slab.h>

static void *heap_pages(size_t n, void *ctx)
{
	(void)ctx;
	uint64_t pa = pages_alloc_contig(n, 1);
	return pa ? phys_to_virt(pa) : NULL;
}

static void heap_free(void *p, size_t n, void *ctx)
{
	(void)ctx;
	pages_free(virt_to_phys(p), n);
}

void kheap_init(void)
{
	static const struct page_source src = { heap_pages, heap_free, NULL };
	slab_init(&src);
}

void *kmalloc(size_t size) { return slab_alloc(size); }
void *kzalloc(size_t size) { return slab_zalloc(size); }
void kfree(void *p) { slab_free(p); }
