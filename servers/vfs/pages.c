/* Pages for file contents and their trees (pagemap.c): whole pages of the
 * VFS's address space mapped for them alone (a malloc block would add a
 * header and take two), unmapped when freed. */
#include <tessera.h>
#include "pagemap.h"

#define PAGES_BASE 0x0000300000000000ull    /* above the heap (lib/rt/malloc.c) */

static uint64_t pages_top = PAGES_BASE;

/* Addresses are not reused: 2^46 bytes of them outlast any run. */
void *pagemap_page_new(void)
{
	uint64_t at = pages_top;

	/* its frame now: out of memory is NULL here, not a fault later */
	if (ts_vm_map(TS_SELF, at, PAGE_BYTES, TS_PROT_READ | TS_PROT_WRITE | TS_MAP_POPULATE))
		return NULL;
	pages_top += PAGE_BYTES;
	return (void *)at;
}

void pagemap_page_free(void *page)
{
	ts_vm_unmap(TS_SELF, (uint64_t)page, PAGE_BYTES);
}
