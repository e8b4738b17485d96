/* The page trees of sparse files (pagemap.h): pure, over pagemap_page_new
 * and pagemap_page_free (pages.c in the VFS; the unit tests have theirs). */
#include <stddef.h>
#include "pagemap.h"

#define SLOT_BITS  9
#define SLOTS      (1u << SLOT_BITS)
#define MAX_LEVELS 6

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
		pm->top = pagemap_page_new();
		pm->levels = need;
		return pm->top;
	}
	while (pm->levels < need) {
		void **top = pagemap_page_new();
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
		if (!*next && !(*next = pagemap_page_new()))
			return NULL;
		table = *next;
	}
	void **page = &table[slot(index, 1)];
	if (!*page && (*page = pagemap_page_new()))
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
			pagemap_page_free(table[i]);
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
		pagemap_page_free(pm->top);
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
