/* 4-level x86_64 page tables behind include/vm.h. */
#include <arch/cpu.h>
#include <log.h>
#include <mm.h>
#include <vm.h>
#include <tessera/errno.h>

#define PTE_P    (1ull << 0)
#define PTE_W    (1ull << 1)
#define PTE_U    (1ull << 2)
#define PTE_PWT  (1ull << 3)
#define PTE_PCD  (1ull << 4)
#define PTE_PS   (1ull << 7)
#define PTE_OWN  (1ull << 9)    /* software: frame owned by this space */
#define PTE_COW  (1ull << 10)   /* software: writable once copied (never with PTE_W) */
#define PTE_PIN  (1ull << 11)   /* software: owned frame that is never shared (DMA) */
/* software, not present: a zeroed frame on first touch. Above the last level
 * such an entry is a lazy huge mapping: every page below it is a demand-zero
 * page with its bits, so that mapping 64 GiB takes 64 entries and no memory;
 * a table of entries like it replaces it (split) when part of it changes. */
#define PTE_ZERO (1ull << 52)
#define PTE_NX   (1ull << 63)
#define PTE_ADDR 0x000FFFFFFFFFF000ull

/* page-fault error code */
#define PF_PRESENT (1ull << 0)
#define PF_WRITE   (1ull << 1)
#define PF_INSTR   (1ull << 4)

struct vm_space {
	uint64_t pml4_pa;
	uint64_t tables;        /* page-table pages below the PML4: charged to the space */
	bool bounded;           /* a POSIX process's: quota and reserve apply (vm_bound) */
};

/* Frames a POSIX process's pages and tables may not take: the kernel's and
 * the servers', so that they go on when POSIX processes have taken the rest. */
#define RESERVE_PAGES 2048
/* Page tables a POSIX process may have: a 16th of memory. */
#define TABLE_QUOTA (pmm_total_pages() / 16)

static uint64_t kernel_pml4_pa;

static uint64_t *table(uint64_t pa) { return phys_to_virt(pa & PTE_ADDR); }

static unsigned idx(uint64_t va, int level)
{
	return (va >> (12 + 9 * level)) & 511;
}

/* Map [0, size) at PHYSMAP_BASE with 2 MiB pages, device range uncached. */
static void map_physmap(uint64_t *pml4, uint64_t size)
{
	for (uint64_t pa = 0; pa < size; pa += 2ull << 20) {
		uint64_t va = PHYSMAP_BASE + pa;
		uint64_t *e = &pml4[idx(va, 3)];
		if (!(*e & PTE_P))
			*e = page_alloc() | PTE_P | PTE_W;
		e = &table(*e)[idx(va, 2)];
		if (!(*e & PTE_P))
			*e = page_alloc() | PTE_P | PTE_W;
		uint64_t attr = pa >= 0xC0000000ull && pa < 0x100000000ull ? PTE_PCD | PTE_PWT : 0;
		table(*e)[idx(va, 1)] = pa | PTE_P | PTE_W | PTE_PS | attr;
	}
}

void paging_init(uint64_t max_phys)
{
	uint64_t *pml4;

	kernel_pml4_pa = page_alloc();
	if (!kernel_pml4_pa)
		panic("paging: no memory for page tables");
	pml4 = table(kernel_pml4_pa);
	map_physmap(pml4, MAX(ALIGN_UP(max_phys, 1ull << 30), 4ull << 30));

	/* kernel image: the first 1 GiB of physical memory at -2 GiB */
	uint64_t pdpt = page_alloc(), pd = page_alloc();
	for (unsigned i = 0; i < 512; i++)
		table(pd)[i] = ((uint64_t)i << 21) | PTE_P | PTE_W | PTE_PS;
	table(pdpt)[510] = pd | PTE_P | PTE_W;
	pml4[511] = pdpt | PTE_P | PTE_W;
	write_cr3(kernel_pml4_pa);
}

struct vm_space *vm_create(void)
{
	struct vm_space *vs = kmalloc(sizeof *vs);

	if (!vs)
		return NULL;
	*vs = (struct vm_space){ .pml4_pa = page_alloc() };
	if (!vs->pml4_pa) {
		kfree(vs);
		return NULL;
	}
	memcpy(table(vs->pml4_pa) + 256, table(kernel_pml4_pa) + 256, 256 * 8);
	return vs;
}

/* Free table pa (at level, 0: the last) and what it maps; the number of
 * present pages it mapped. */
static uint64_t free_level(uint64_t pa, int level)
{
	uint64_t *t = table(pa), n = 0;

	for (unsigned i = 0; i < 512; i++) {
		if (!(t[i] & PTE_P))
			continue;
		if (level > 0) {
			n += free_level(t[i], level - 1);
			continue;
		}
		if (t[i] & PTE_OWN)
			page_put(t[i] & PTE_ADDR);
		n++;
	}
	page_free(pa & PTE_ADDR);
	return n;
}

uint64_t vm_destroy(struct vm_space *vs)
{
	uint64_t *pml4 = table(vs->pml4_pa), n = 0;

	if (read_cr3() == vs->pml4_pa)
		write_cr3(kernel_pml4_pa);
	for (unsigned i = 0; i < 256; i++)
		if (pml4[i] & PTE_P)
			n += free_level(pml4[i], 2);
	page_free(vs->pml4_pa);
	kfree(vs);
	return n;
}

/* Present last-level entries below table pa (at level, 0: the last). */
static uint64_t present_below(uint64_t pa, int level)
{
	const uint64_t *t = table(pa);
	uint64_t n = 0;

	for (unsigned i = 0; i < 512; i++)
		if (t[i] & PTE_P)
			n += level ? present_below(t[i], level - 1) : 1;
	return n;
}

uint64_t vm_resident_pages(struct vm_space *vs)
{
	const uint64_t *pml4 = table(vs->pml4_pa);
	uint64_t n = 0;

	for (unsigned i = 0; i < 256; i++)
		if (pml4[i] & PTE_P)
			n += present_below(pml4[i], 2);
	return n;
}

void vm_activate(struct vm_space *vs)
{
	uint64_t pa = vs ? vs->pml4_pa : kernel_pml4_pa;

	if (read_cr3() != pa)
		write_cr3(pa);
}

void vm_bound(struct vm_space *vs)
{
	vs->bounded = true;
}

static bool active(const struct vm_space *vs)
{
	return read_cr3() == vs->pml4_pa;
}

/* May vs have one more frame? A bounded space may not take the reserve. */
static bool may_take(const struct vm_space *vs)
{
	return !vs->bounded || pmm_free_pages() > RESERVE_PAGES;
}

/* A zeroed frame for vs: 0 and the frame in *pa, or -ENOMEM. */
static int frame_for(struct vm_space *vs, uint64_t *pa)
{
	*pa = may_take(vs) ? page_alloc() : 0;
	return *pa ? 0 : -ENOMEM;
}

/* A frame for vs holding a copy of frame pa: 0 and the copy, or -ENOMEM. */
static int dup_for(struct vm_space *vs, uint64_t pa, uint64_t *copy)
{
	*copy = may_take(vs) ? page_dup(pa) : 0;
	return *copy ? 0 : -ENOMEM;
}

static bool over_quota(const struct vm_space *vs)
{
	return vs->bounded && vs->tables >= TABLE_QUOTA;
}

/* A page table for vs: -ENOMEM also past a bounded space's quota. */
static int table_for(struct vm_space *vs, uint64_t *pa)
{
	if (over_quota(vs))
		return -ENOMEM;
	int err = frame_for(vs, pa);
	if (!err)
		vs->tables++;
	return err;
}

static void table_free(struct vm_space *vs, uint64_t *e)
{
	page_free(*e & PTE_ADDR);
	vs->tables--;
	*e = 0;
}

/* A page is mapped if it is present or will be on first touch; above the
 * last level, an entry maps something if it is a table or lazy. */
static bool mapped(uint64_t pte)
{
	return pte & (PTE_P | PTE_ZERO);
}

static bool is_table(uint64_t e, int level)
{
	return level > 0 && e & PTE_P;
}

/* *e, empty or lazy (above the last level), becomes a table of 512 entries
 * like it: the same pages mapped one level down. */
static int split(struct vm_space *vs, uint64_t *e)
{
	uint64_t pa;
	int err = table_for(vs, &pa);

	if (err)
		return err;
	uint64_t *t = table(pa);
	if (*e)
		for (unsigned i = 0; i < 512; i++)
			t[i] = *e;
	*e = pa | PTE_P | PTE_W | PTE_U;
	return 0;
}

/* The entry that says what va is: the last-level one, or the empty or lazy
 * one above it where the walk stops; its level in *level. */
static uint64_t *lookup(struct vm_space *vs, uint64_t va, int *level)
{
	uint64_t *t = table(vs->pml4_pa);

	for (*level = 3; *level > 0; --*level) {
		uint64_t *e = &t[idx(va, *level)];
		if (!(*e & PTE_P))
			return e;
		t = table(*e);
	}
	return &t[idx(va, 0)];
}

/* The entry for va at level, tables made on the way (lazy entries split);
 * NULL and *err when there is no memory for one. */
static uint64_t *walk_to(struct vm_space *vs, uint64_t va, int level, int *err)
{
	uint64_t *t = table(vs->pml4_pa);

	for (int l = 3; l > level; l--) {
		uint64_t *e = &t[idx(va, l)];
		if (!(*e & PTE_P) && (*err = split(vs, e)))
			return NULL;
		t = table(*e);
	}
	return &t[idx(va, level)];
}

static uint64_t entry_bits(unsigned flags)
{
	/* PROT_NONE: a page only the kernel may touch, so that a user access
	 * faults as a protection fault (SEGV_ACCERR, as on Linux) while the
	 * frame, its contents and its sharing stay as they are */
	uint64_t e = flags & VM_NOACCESS ? 0 : PTE_U;

	if (flags & VM_WRITE)
		e |= PTE_W;
	if (!(flags & VM_EXEC))
		e |= PTE_NX;
	if (flags & VM_UNCACHED)
		e |= PTE_PCD | PTE_PWT;
	if (flags & VM_OWNED)
		e |= PTE_OWN;
	if (flags & VM_PINNED)
		e |= PTE_PIN;
	return e;
}

int vm_map(struct vm_space *vs, uint64_t va, uint64_t pa, unsigned flags)
{
	int err = 0;
	uint64_t *pte = walk_to(vs, va, 0, &err);

	if (pte && mapped(*pte))
		err = -EEXIST;
	if (!err)
		*pte = (pa & PTE_ADDR) | PTE_P | entry_bits(flags);
	return err;
}

/*
 * Range operations walk the page tables over [va, end), one call of fn per
 * entry the range touches at each level it goes down to: empty levels are
 * skipped whole, so the work is in proportion to what is mapped, never to
 * the range's size. Lazy entries wholly inside the range are changed as
 * one; one partly inside is split first.
 */
struct range {
	struct vm_space *vs;
	int (*fn)(struct range *r, uint64_t *e, int level, uint64_t va, uint64_t end);
	uint64_t bits;          /* map: the new entries; protect: the VM_* flags */
	bool flush;             /* a table was freed: the paging-structure caches go */
};

static uint64_t level_size(int level)
{
	return 1ull << (12 + 9 * level);
}

static bool whole(int level, uint64_t va, uint64_t end)
{
	return end - va == level_size(level);
}

static int range_walk(struct range *r, uint64_t *t, int level, uint64_t va, uint64_t end)
{
	while (va < end) {
		uint64_t next = MIN(ALIGN_DOWN(va, level_size(level)) + level_size(level), end);
		int err = r->fn(r, &t[idx(va, level)], level, va, next);
		if (err)
			return err;
		va = next;
	}
	return 0;
}

static int range_below(struct range *r, uint64_t *e, int level, uint64_t va, uint64_t end)
{
	return range_walk(r, table(*e), level - 1, va, end);
}

static int range_run(struct range *r, uint64_t va, uint64_t len)
{
	int err = range_walk(r, table(r->vs->pml4_pa), 3, va, va + len);

	if (r->flush && active(r->vs))
		write_cr3(r->vs->pml4_pa);
	return err;
}

/* The part of a lazy entry the range covers is handled one level down. */
static int split_and_redo(struct range *r, uint64_t *e, int level, uint64_t va, uint64_t end)
{
	int err = split(r->vs, e);

	return err ? err : r->fn(r, e, level, va, end);
}

static bool table_empty(uint64_t e)
{
	const uint64_t *t = table(e);

	for (unsigned i = 0; i < 512; i++)
		if (t[i])
			return false;
	return true;
}

static int unmap_entry(struct range *r, uint64_t *e, int level, uint64_t va, uint64_t end)
{
	if (is_table(*e, level)) {
		int err = range_below(r, e, level, va, end);
		if (table_empty(*e)) {
			table_free(r->vs, e);
			r->flush = true;
		}
		return err;
	}
	if (!mapped(*e))
		return 0;
	if (!whole(level, va, end))
		return split_and_redo(r, e, level, va, end);
	if ((*e & (PTE_P | PTE_OWN)) == (PTE_P | PTE_OWN))
		page_put(*e & PTE_ADDR);
	if (*e & PTE_P && active(r->vs))
		invlpg(va);
	*e = 0;
	return 0;
}

int vm_unmap_range(struct vm_space *vs, uint64_t va, uint64_t len)
{
	struct range r = { .vs = vs, .fn = unmap_entry };

	return range_run(&r, va, len);
}

static int free_entry(struct range *r, uint64_t *e, int level, uint64_t va, uint64_t end)
{
	if (is_table(*e, level))
		return range_below(r, e, level, va, end);
	return mapped(*e) ? -EEXIST : 0;
}

static int map_entry(struct range *r, uint64_t *e, int level, uint64_t va, uint64_t end)
{
	if (!*e && whole(level, va, end)) {
		*e = r->bits;
		return 0;
	}
	int err = *e ? 0 : split(r->vs, e);     /* an empty table */
	return err ? err : range_below(r, e, level, va, end);
}

int vm_map_lazy(struct vm_space *vs, uint64_t va, uint64_t len, unsigned flags)
{
	struct range r = { .vs = vs, .fn = free_entry };
	int err = range_run(&r, va, len);

	if (err)
		return err;
	r = (struct range){ .vs = vs, .fn = map_entry,
			    .bits = PTE_ZERO | entry_bits(flags | VM_OWNED) };
	err = range_run(&r, va, len);
	if (err)
		vm_unmap_range(vs, va, len);    /* all of it was free */
	return err;
}

/* What makes a page writable: a frame other spaces share is copied on the
 * first write instead. */
static uint64_t write_bit(uint64_t pte)
{
	bool shared = (pte & (PTE_P | PTE_OWN)) == (PTE_P | PTE_OWN) &&
		      page_is_shared(pte & PTE_ADDR);

	return shared ? PTE_COW : PTE_W;
}

static int protect_entry(struct range *r, uint64_t *e, int level, uint64_t va, uint64_t end)
{
	unsigned flags = (unsigned)r->bits;

	if (is_table(*e, level))
		return range_below(r, e, level, va, end);
	if (!mapped(*e))
		return -ENOMEM;
	if (!whole(level, va, end))
		return split_and_redo(r, e, level, va, end);
	*e &= ~(PTE_W | PTE_COW | PTE_NX | PTE_U);
	if (!(flags & VM_NOACCESS))
		*e |= PTE_U;
	if (flags & VM_WRITE)
		*e |= write_bit(*e);
	if (!(flags & VM_EXEC))
		*e |= PTE_NX;
	if (*e & PTE_P && active(r->vs))
		invlpg(va);
	return 0;
}

int vm_protect_pages(struct vm_space *vs, uint64_t va, uint64_t len, unsigned flags)
{
	struct range r = { .vs = vs, .fn = protect_entry, .bits = flags };

	return range_run(&r, va, len);
}

/* Give a demand-zero page (*pte, at level; above the last, lazy) its frame. */
static int fill_zero(struct vm_space *vs, uint64_t va, uint64_t *pte, int level)
{
	uint64_t pa;
	int err = 0;

	if (level)
		pte = walk_to(vs, va, 0, &err);
	if (!err)
		err = frame_for(vs, &pa);
	if (!err)
		*pte = (*pte & ~PTE_ZERO) | pa | PTE_P;
	return err;
}

/* Give the page its own frame, writable: a copy if other spaces share the
 * frame, else the same frame. */
static int break_cow(struct vm_space *vs, uint64_t va, uint64_t *pte)
{
	uint64_t pa = *pte & PTE_ADDR;

	if (page_is_shared(pa)) {
		uint64_t copy;
		int err = dup_for(vs, pa, &copy);
		if (err)
			return err;
		page_put(pa);
		pa = copy;
	}
	*pte = (*pte & ~(PTE_ADDR | PTE_COW)) | pa | PTE_W;
	if (active(vs))
		invlpg(va & ~(PAGE_SIZE - 1));
	return 0;
}

static uint64_t *user_entry(struct vm_space *vs, uint64_t va, int *level)
{
	return va < VM_USER_TOP ? lookup(vs, va, level) : NULL;
}

int vm_touch(struct vm_space *vs, uint64_t va, bool write, uint64_t *pa)
{
	int level;
	uint64_t *pte = user_entry(vs, va, &level);

	if (!pte || !mapped(*pte) || !(*pte & PTE_U) || (write && !(*pte & (PTE_W | PTE_COW))))
		return -EFAULT;
	if (*pte & PTE_ZERO) {
		int err = fill_zero(vs, va, pte, level);
		if (err)
			return err;
		pte = lookup(vs, va, &level);
	}
	int err = write && *pte & PTE_COW ? break_cow(vs, va, pte) : 0;
	*pa = *pte & PTE_ADDR;
	return err;
}

/* Does entry e allow the access a page-fault error code describes? */
static bool access_allowed(uint64_t e, uint64_t error)
{
	return e & PTE_U && (!(error & PF_WRITE) || e & (PTE_W | PTE_COW)) &&
	       (!(error & PF_INSTR) || !(e & PTE_NX));
}

enum vm_fault vm_fault(struct vm_space *vs, uint64_t addr, uint64_t *error)
{
	int level;
	uint64_t *pte = user_entry(vs, addr, &level);
	int err = -EFAULT;

	if (pte && !(*error & PF_PRESENT) && *pte & PTE_ZERO) {
		/* refused before a frame is spent on it (or, out of memory, the
		 * OOM policy runs for it): reported as on a present page, an
		 * access error, as Linux's SEGV_ACCERR */
		if (!access_allowed(*pte, *error)) {
			*error |= PF_PRESENT;
			return VM_FAULT_BAD;
		}
		err = fill_zero(vs, addr, pte, level);
	} else if (pte && *error & PF_PRESENT && *error & PF_WRITE && *pte & PTE_COW) {
		err = break_cow(vs, addr, pte);
	}
	if (err != -ENOMEM)
		return err ? VM_FAULT_BAD : VM_FAULT_DONE;
	/* out of its own page-table quota, or of the machine's memory */
	return over_quota(vs) ? VM_FAULT_QUOTA : VM_FAULT_OOM;
}

/* The frame of the owned entry *spte for one more space, dst: the same
 * frame, *spte becoming copy-on-write if it was writable; or a copy, for a
 * pinned frame or one that cannot take another holder. The caller flushes
 * *spte from the TLB. */
static int share_frame(struct vm_space *dst, uint64_t *spte, uint64_t *pa)
{
	*pa = *spte & PTE_ADDR;
	if (*spte & PTE_PIN || !page_share(*pa))
		return dup_for(dst, *pa, pa);
	if (*spte & PTE_W)
		*spte = (*spte & ~PTE_W) | PTE_COW;
	return 0;
}

/* The child's entry for what *spte (at level) maps: as the parent's, an
 * owned page on a shared frame. */
static int clone_entry(struct vm_space *dst, uint64_t va, uint64_t *spte, int level)
{
	int err = 0;
	uint64_t *dpte = walk_to(dst, va, level, &err), pa;

	if (!dpte)
		return err;
	if ((*spte & (PTE_P | PTE_OWN)) != (PTE_P | PTE_OWN)) {
		*dpte = *spte;  /* device and module memory, demand-zero pages, lazy entries */
		return 0;
	}
	err = share_frame(dst, spte, &pa);
	if (!err)
		*dpte = (*spte & ~PTE_ADDR) | pa;
	return err;
}

/* The n first entries of table_pa, at level, cloned (base: the first's va). */
static int clone_level(struct vm_space *dst, uint64_t table_pa, int level, uint64_t base,
		       unsigned n)
{
	uint64_t *t = table(table_pa);
	int err = 0;

	for (unsigned i = 0; i < n && !err; i++) {
		if (!mapped(t[i]))
			continue;
		uint64_t va = base | ((uint64_t)i << (12 + 9 * level));
		err = is_table(t[i], level) ? clone_level(dst, t[i], level - 1, va, 512)
					    : clone_entry(dst, va, &t[i], level);
	}
	return err;
}

int vm_clone(struct vm_space *dst, struct vm_space *src)
{
	dst->bounded = src->bounded;
	int err = clone_level(dst, src->pml4_pa, 3, 0, 256);     /* the user half */

	/* src's writable entries have just become read-only */
	if (active(src))
		write_cr3(src->pml4_pa);
	return err;
}

bool vm_shareable(struct vm_space *vs, uint64_t va)
{
	int level;
	uint64_t *pte = user_entry(vs, va, &level);

	return pte && (*pte & (PTE_P | PTE_OWN)) == (PTE_P | PTE_OWN);
}

bool vm_free_at(struct vm_space *vs, uint64_t va)
{
	int level;
	uint64_t *pte = user_entry(vs, va, &level);

	return !pte || !mapped(*pte);
}

/* One page of vm_share: dst's entry on src's frame, with flags' access. */
static int share_page(struct vm_space *dst, uint64_t dva, uint64_t *spte, unsigned flags)
{
	int err = 0;
	uint64_t *dpte = walk_to(dst, dva, 0, &err), pa;

	if (!err)
		err = share_frame(dst, spte, &pa);
	if (err)
		return err;
	*dpte = pa | PTE_P | entry_bits((flags & ~VM_WRITE) | VM_OWNED);
	if (flags & VM_WRITE)
		*dpte |= write_bit(*dpte);
	return 0;
}

int vm_share(struct vm_space *dst, uint64_t dva, struct vm_space *src, uint64_t sva,
	     uint64_t len, unsigned flags)
{
	int err = 0, level;
	uint64_t off;

	for (off = 0; off < len && !err; off += PAGE_SIZE) {
		uint64_t *spte = lookup(src, sva + off, &level), was = *spte;
		err = share_page(dst, dva + off, spte, flags);
		/* a writable source entry has just become read-only */
		if (*spte != was && active(src))
			invlpg(sva + off);
	}
	if (err)
		vm_unmap_range(dst, dva, off - PAGE_SIZE);
	return err;
}
