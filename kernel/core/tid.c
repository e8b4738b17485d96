/*
 * Thread ids: an index from id to thread that grows a page of ids at a
 * time as more threads live at once, rather than a fixed table for the
 * whole system; how many threads a process may have is its quota's
 * business. A free entry holds the next free id (tagged with the low bit,
 * which a thread pointer never has), so taking and returning an id is O(1).
 * Id 0 is never used: a reply handle of 0 names no caller.
 */
#include <mm.h>
#include <proc.h>
#include <tid.h>
#include <tessera/errno.h>

#define IDS_PER_LEAF (PAGE_SIZE / sizeof(uintptr_t))
#define MAX_LEAVES   2048                /* 1 Mi ids; the directory is 16 KiB */
#define FREE(id)     ((uintptr_t)(id) << 1 | 1)

static uintptr_t *leaf[MAX_LEAVES];
static unsigned nleaves;
static uintptr_t free_head;              /* FREE(first free id), or 0: none */

static uintptr_t *entry(unsigned tid)
{
	return &leaf[tid / IDS_PER_LEAF][tid % IDS_PER_LEAF];
}

/* A page more of ids, all free, the lowest first in the free list. */
static int grow(void)
{
	if (nleaves == MAX_LEAVES)
		return -EAGAIN;
	uint64_t pa = page_alloc();
	if (!pa)
		return -ENOMEM;
	uintptr_t *l = phys_to_virt(pa);
	unsigned first = nleaves * IDS_PER_LEAF;
	leaf[nleaves++] = l;
	for (unsigned i = IDS_PER_LEAF; i-- > 0; ) {
		l[i] = free_head;
		if (first + i)
			free_head = FREE(first + i);
	}
	return 0;
}

int tid_alloc(struct thread *t)
{
	int err = free_head ? 0 : grow();

	if (err)
		return err;
	unsigned tid = free_head >> 1;
	free_head = *entry(tid);
	*entry(tid) = (uintptr_t)t;
	return (int)tid;
}

void tid_free(unsigned tid)
{
	*entry(tid) = free_head;
	free_head = FREE(tid);
}

/* Every id ever handed out is below this. */
static unsigned tid_end(void)
{
	return nleaves * IDS_PER_LEAF;
}

struct thread *thread_by_tid(unsigned tid)
{
	if (tid >= tid_end())
		return NULL;
	uintptr_t e = *entry(tid);
	return e & 1 ? NULL : (struct thread *)e;
}
