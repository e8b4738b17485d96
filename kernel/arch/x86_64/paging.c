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
#define PTE_ZERO (1ull << 52)   /* software, not present: a zeroed frame on first touch */
#define PTE_NX   (1ull << 63)
#define PTE_ADDR 0x000FFFFFFFFFF000ull

/* page-fault error code */
#define PF_PRESENT (1ull << 0)
#define PF_WRITE   (1ull << 1)

struct vm_space {
	uint64_t pml4_pa;
};

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
	vs->pml4_pa = page_alloc();
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

/* The last-level entry for va, allocating tables on the way if create. */
static uint64_t *walk(struct vm_space *vs, uint64_t va, bool create)
{
	uint64_t *t = table(vs->pml4_pa);

	for (int level = 3; level > 0; level--) {
		uint64_t *e = &t[idx(va, level)];
		if (!(*e & PTE_P)) {
			uint64_t pa = create ? page_alloc() : 0;
			if (!pa)
				return NULL;
			*e = pa | PTE_P | PTE_W | PTE_U;
		}
		t = table(*e);
	}
	return &t[idx(va, 0)];
}

/* A page is mapped if it is present or will be on first touch. */
static bool mapped(uint64_t pte)
{
	return pte & (PTE_P | PTE_ZERO);
}

static uint64_t *new_entry(struct vm_space *vs, uint64_t va, int *err)
{
	uint64_t *pte = walk(vs, va, true);

	*err = !pte ? -ENOMEM : mapped(*pte) ? -EEXIST : 0;
	return pte;
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
	int err;
	uint64_t *pte = new_entry(vs, va, &err);

	if (!err)
		*pte = (pa & PTE_ADDR) | PTE_P | entry_bits(flags);
	return err;
}

int vm_map_zero(struct vm_space *vs, uint64_t va, unsigned flags)
{
	int err;
	uint64_t *pte = new_entry(vs, va, &err);

	if (!err)
		*pte = PTE_ZERO | entry_bits(flags | VM_OWNED);
	return err;
}

/* Give a demand-zero entry its frame. */
static int fill_zero(uint64_t *pte)
{
	uint64_t pa = page_alloc();

	if (!pa)
		return -ENOMEM;
	*pte = (*pte & ~PTE_ZERO) | pa | PTE_P;
	return 0;
}

int vm_unmap(struct vm_space *vs, uint64_t va)
{
	uint64_t *pte = walk(vs, va, false);

	if (!pte || !mapped(*pte))
		return 0;
	if ((*pte & (PTE_P | PTE_OWN)) == (PTE_P | PTE_OWN))
		page_put(*pte & PTE_ADDR);
	*pte = 0;
	if (read_cr3() == vs->pml4_pa)
		invlpg(va);
	return 0;
}

/* What makes a page writable: a frame other spaces share is copied on the
 * first write instead. */
static uint64_t write_bit(uint64_t pte)
{
	bool shared = (pte & (PTE_P | PTE_OWN)) == (PTE_P | PTE_OWN) &&
		      page_is_shared(pte & PTE_ADDR);

	return shared ? PTE_COW : PTE_W;
}

int vm_protect(struct vm_space *vs, uint64_t va, unsigned flags)
{
	uint64_t *pte = walk(vs, va, false);

	if (!pte || !mapped(*pte))
		return -ENOMEM;
	*pte &= ~(PTE_W | PTE_COW | PTE_NX | PTE_U);
	if (!(flags & VM_NOACCESS))
		*pte |= PTE_U;
	if (flags & VM_WRITE)
		*pte |= write_bit(*pte);
	if (!(flags & VM_EXEC))
		*pte |= PTE_NX;
	if (read_cr3() == vs->pml4_pa)
		invlpg(va);
	return 0;
}

/* Give the page its own frame, writable: a copy if other spaces share the
 * frame, else the same frame. */
static int break_cow(struct vm_space *vs, uint64_t va, uint64_t *pte)
{
	uint64_t pa = *pte & PTE_ADDR;

	if (page_is_shared(pa)) {
		uint64_t copy = page_dup(pa);
		if (!copy)
			return -ENOMEM;
		page_put(pa);
		pa = copy;
	}
	*pte = (*pte & ~(PTE_ADDR | PTE_COW)) | pa | PTE_W;
	if (read_cr3() == vs->pml4_pa)
		invlpg(va & ~(PAGE_SIZE - 1));
	return 0;
}

static uint64_t *user_entry(struct vm_space *vs, uint64_t va)
{
	return va < VM_USER_TOP ? walk(vs, va, false) : NULL;
}

int vm_touch(struct vm_space *vs, uint64_t va, bool write, uint64_t *pa)
{
	uint64_t *pte = user_entry(vs, va);

	if (!pte || !mapped(*pte) || !(*pte & PTE_U) || (write && !(*pte & (PTE_W | PTE_COW))))
		return -EFAULT;
	int err = *pte & PTE_ZERO ? fill_zero(pte) : 0;
	if (!err && write && *pte & PTE_COW)
		err = break_cow(vs, va, pte);
	*pa = *pte & PTE_ADDR;
	return err;
}

bool vm_fault_resolved(struct vm_space *vs, uint64_t addr, uint64_t error)
{
	uint64_t *pte = user_entry(vs, addr);

	if (!pte)
		return false;
	/* a retried access the page does not allow faults again, as present */
	if (!(error & PF_PRESENT))
		return *pte & PTE_ZERO && fill_zero(pte) == 0;
	return error & PF_WRITE && *pte & PTE_COW && break_cow(vs, addr, pte) == 0;
}

/* The frame of the owned entry *spte for one more space: the same frame,
 * *spte becoming copy-on-write if it was writable; or a copy, for a pinned
 * frame or one that cannot take another holder. 0 when memory is out. The
 * caller flushes *spte from the TLB. */
static uint64_t share_frame(uint64_t *spte)
{
	uint64_t pa = *spte & PTE_ADDR;

	if (*spte & PTE_PIN || !page_share(pa))
		return page_dup(pa);
	if (*spte & PTE_W)
		*spte = (*spte & ~PTE_W) | PTE_COW;
	return pa;
}

/* The child's entry for an owned page: as the parent's, on a shared frame. */
static int clone_owned(uint64_t *spte, uint64_t *dpte)
{
	uint64_t pa = share_frame(spte);

	if (!pa)
		return -ENOMEM;
	*dpte = (*spte & ~PTE_ADDR) | pa;
	return 0;
}

static int clone_pte(struct vm_space *dst, uint64_t va, uint64_t *spte)
{
	uint64_t *dpte = walk(dst, va, true);

	if (!dpte)
		return -ENOMEM;
	if ((*spte & (PTE_P | PTE_OWN)) == (PTE_P | PTE_OWN))
		return clone_owned(spte, dpte);
	*dpte = *spte;          /* device and module memory, demand-zero pages */
	return 0;
}

static int clone_level(struct vm_space *dst, uint64_t table_pa, int level, uint64_t base)
{
	uint64_t *t = table(table_pa);

	for (unsigned i = 0; i < 512; i++) {
		if (!(level ? t[i] & PTE_P : mapped(t[i])))
			continue;
		uint64_t va = base | ((uint64_t)i << (12 + 9 * level));
		int err = level ? clone_level(dst, t[i], level - 1, va) : clone_pte(dst, va, &t[i]);
		if (err)
			return err;
	}
	return 0;
}

int vm_clone(struct vm_space *dst, struct vm_space *src)
{
	uint64_t *pml4 = table(src->pml4_pa);
	int err = 0;

	for (unsigned i = 0; i < 256 && !err; i++)
		if (pml4[i] & PTE_P)
			err = clone_level(dst, pml4[i], 2, (uint64_t)i << 39);
	/* src's writable entries have just become read-only */
	if (read_cr3() == src->pml4_pa)
		write_cr3(src->pml4_pa);
	return err;
}

bool vm_shareable(struct vm_space *vs, uint64_t va)
{
	uint64_t *pte = user_entry(vs, va);

	return pte && (*pte & (PTE_P | PTE_OWN)) == (PTE_P | PTE_OWN);
}

bool vm_free_at(struct vm_space *vs, uint64_t va)
{
	uint64_t *pte = user_entry(vs, va);

	return !pte || !mapped(*pte);
}

/* One page of vm_share: dst's entry on src's frame, with flags' access. */
static int share_page(struct vm_space *dst, uint64_t dva, uint64_t *spte, unsigned flags)
{
	int err;
	uint64_t *dpte = new_entry(dst, dva, &err);
	uint64_t pa = err ? 0 : share_frame(spte);

	if (!pa)
		return err ? err : -ENOMEM;
	*dpte = pa | PTE_P | entry_bits((flags & ~VM_WRITE) | VM_OWNED);
	if (flags & VM_WRITE)
		*dpte |= write_bit(*dpte);
	return 0;
}

int vm_share(struct vm_space *dst, uint64_t dva, struct vm_space *src, uint64_t sva,
	     uint64_t len, unsigned flags)
{
	int err = 0;
	uint64_t off;

	for (off = 0; off < len && !err; off += PAGE_SIZE) {
		uint64_t *spte = walk(src, sva + off, false), was = *spte;
		err = share_page(dst, dva + off, spte, flags);
		/* a writable source entry has just become read-only */
		if (*spte != was && read_cr3() == src->pml4_pa)
			invlpg(sva + off);
	}
	if (err)
		vm_unmap_range(dst, dva, off - PAGE_SIZE);
	return err;
}
