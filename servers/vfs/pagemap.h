/* Sparse file contents: 4 KiB pages in a radix tree indexed by page
 * number, as deep as the highest page needs (512 slots a level; six
 * levels reach past 2^63 bytes). An absent page is a hole: it costs
 * nothing and reads as zeros. */
#ifndef VFS_PAGEMAP_H
#define VFS_PAGEMAP_H

#include <stdbool.h>
#include <stdint.h>

#define PAGE_BYTES 4096u

struct pagemap {
	void **top;                 /* NULL: no pages */
	unsigned levels;            /* of tables, top included */
	uint64_t pages;             /* present */
};

/* The page at index, or NULL (a hole) */
uint8_t *pagemap_find(const struct pagemap *pm, uint64_t index);
/* The page at index, made (zeros) if absent; NULL when memory ran out */
uint8_t *pagemap_make(struct pagemap *pm, uint64_t index);
/* Free every page from index on; the pages freed */
uint64_t pagemap_cut(struct pagemap *pm, uint64_t index);
/* The first page from index on that is present (present) or a hole */
uint64_t pagemap_next(const struct pagemap *pm, uint64_t index, bool present);

/* Where pages and tables come from (pages.c): a zeroed page, or NULL */
void *pagemap_page_new(void);
void pagemap_page_free(void *page);

#endif
