/*
 * Physical memory: a direct map of all physical memory at PHYSMAP_BASE, a
 * page-frame allocator, and kmalloc on top of it.
 */
#ifndef MM_H
#define MM_H

#include <common.h>

#define PAGE_SIZE    4096ul
#define PAGE_SHIFT   12
#define PHYSMAP_BASE 0xFFFF800000000000ull
#define KERNEL_VMA   0xFFFFFFFF80000000ull

static inline void *phys_to_virt(uint64_t pa) { return (void *)(pa + PHYSMAP_BASE); }

static inline uint64_t virt_to_phys(const void *va)
{
	uint64_t v = (uint64_t)va;
	return v >= KERNEL_VMA ? v - KERNEL_VMA : v - PHYSMAP_BASE;
}

struct boot_info;
void pmm_init(const struct boot_info *bi);
/* One zeroed page; returns its physical address or 0 when memory is out. */
uint64_t page_alloc(void);
void page_free(uint64_t pa);
/* npages contiguous zeroed pages aligned to align pages; 0 on failure. */
uint64_t pages_alloc_contig(uint64_t npages, uint64_t align);
void pages_free(uint64_t pa, uint64_t npages);
/* A new page holding a copy of page pa; 0 when memory is out. */
uint64_t page_dup(uint64_t pa);
/* Pages that address spaces share copy-on-write: one more holder (false if
 * the page cannot be shared: the caller copies it instead), one fewer (the
 * last one frees it), and whether more than one holds it. */
bool page_share(uint64_t pa);
void page_put(uint64_t pa);
bool page_is_shared(uint64_t pa);
/* Is pa usable RAM (as opposed to device memory or firmware)? */
bool phys_is_ram(uint64_t pa);
uint64_t pmm_free_pages(void);
uint64_t pmm_total_pages(void);

void kheap_init(void);
void *kmalloc(size_t size);
void *kzalloc(size_t size);
void kfree(void *p);

#endif
