/* The page trees of sparse files (pagemap.h). Pages and tables are whole
 * pages of the VFS's address space mapped for them alone (a malloc block
 * would add a header and take two), unmapped when freed. */
#include <tessera.h>
#include "pagemap.h"

#define PAGES_BASE 0x0000300000000000ull    /* above the heap (lib/rt/malloc.c) */
#define SLOT_BITS  9
#define SLOTS      (1u << SLOT_BITS)
#define MAX_LEVELS 6

static uint64_t pages_top = PAGES_BASE;

/* A zeroed page, or NULL. Addresses are not reused: 2^46 bytes of them
 * outlast any run. */
static void *page_new(void)
{
	uint64_t at = pages_top;

	if (ts_vm_map(TS_SELF, at, PAGE_BYTES, TS_PROT_READ | TS_PROT_WRITE))
		return NULL;
	pages_top += PAGE_BYTES;
	return (void *)at;
}

static void page_free(void *p)
{
	ts_vm_unmap(TS_SELF, (uint64_t)p, PAGE_BYTES);
}

/* pages under one table of a level (level 0: a page itself) */
static uint64_t span(unsigned level)
{
	return 1ull << (SLOT_BITS * level);
}

static unsigned slot(uint64_t index, unsigned level)
{
	return (unsigned)(index >> (SLOT_BITS * (level - 1))) & (SLOTS - 1);
}

uint8_t *pagemap_find(const struct pagemap *pm, uint64_t index)
{
	void **table = pm->top;

	if (!table || index >= span(pm->levels))
		return NULL;
	for (unsigned l = pm->levels; table && l > 1; l--)
		table = table[slot(index, l)];
	return table ? table[slot(index, 1)] : NULL;
}

/* Enough levels for index: a new top holds the old one in its slot 0. */
static bool grow(struct pagemap *pm, uint64_t index)
{
	unsigned need = 1;

	while (need < MAX_LEVELS && index >= span(need))
		need++;
	if (!pm->top) {
		pm->top = page_new();
		pm->levels = need;
		return pm->top;
	}
	while (pm->levels < need) {
		void **top = page_new();
		if (!top)
			return false;
		top[0] = pm->top;
		pm->top = top;
		pm->levels++;
	}
	return true;
}

/* Tables made on the way to a page that could not be had stay, empty:
 * the file reads the same, and pagemap_cut frees them. */
uint8_t *pagemap_make(struct pagemap *pm, uint64_t index)
{
	if (!grow(pm, index))
		return NULL;
	void **table = pm->top;
	for (unsigned l = pm->levels; l > 1; l--) {
		void **next = &table[slot(index, l)];
		if (!*next && !(*next = page_new()))
			return NULL;
		table = *next;
	}
	void **page = &table[slot(index, 1)];
	if (!*page && (*page = page_new()))
		pm->pages++;
	return *page;
}

/* Free what table (of level, its first page base) holds from index on,
 * and the tables below it that are left with nothing. */
static void cut_table(struct pagemap *pm, void **table, unsigned level, uint64_t base,
		      uint64_t index)
{
	uint64_t each = span(level - 1);

	for (unsigned i = 0; i < SLOTS; i++) {
		uint64_t start = base + i * each;
		if (!table[i] || start + each <= index)
			continue;
		if (level > 1)
			cut_table(pm, table[i], level - 1, start, index);
		else
			pm->pages--;
		if (start >= index) {
			page_free(table[i]);
			table[i] = NULL;
		}
	}
}

uint64_t pagemap_cut(struct pagemap *pm, uint64_t index)
{
	uint64_t before = pm->pages;

	if (!pm->top || index >= span(pm->levels))
		return 0;
	cut_table(pm, pm->top, pm->levels, 0, index);
	if (!index) {
		page_free(pm->top);
		*pm = (struct pagemap){ 0 };
	}
	return before - pm->pages;
}

/* The first page from `from` on under table whose presence is `present`;
 * UINT64_MAX: none there. */
static uint64_t next_in(void **table, unsigned level, uint64_t base, uint64_t from, bool present)
{
	uint64_t each = span(level - 1);

	for (unsigned i = (unsigned)((from - base) / each); i < SLOTS; i++) {
		uint64_t start = base + i * each, at = start > from ? start : from;
		if (!table[i]) {
			if (!present)
				return at;
		} else if (level == 1) {
			if (present)
				return at;
		} else {
			uint64_t r = next_in(table[i], level - 1, start, at, present);
			if (r != UINT64_MAX)
				return r;
		}
	}
	return UINT64_MAX;
}

uint64_t pagemap_next(const struct pagemap *pm, uint64_t index, bool present)
{
	uint64_t end = pm->top ? span(pm->levels) : 0;

	if (index >= end)
		return present ? UINT64_MAX : index;
	uint64_t r = next_in(pm->top, pm->levels, 0, index, present);
	return r == UINT64_MAX && !present ? end : r;
}
