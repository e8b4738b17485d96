/*
 * Address spaces. Each process has its own; the kernel half (the direct map
 * and the kernel image) is shared by every one, set up once by paging_init()
 * and never extended afterwards, so new spaces just copy its top-level slots.
 */
#ifndef VM_H
#define VM_H

#include <common.h>

#define VM_USER_TOP 0x0000800000000000ull

/* Page flags for vm_map(). */
#define VM_READ     0x01u
#define VM_WRITE    0x02u
#define VM_EXEC     0x04u
#define VM_UNCACHED 0x08u   /* device memory */
#define VM_OWNED    0x10u   /* the frame belongs to this space: freed on unmap */
#define VM_PINNED   0x20u   /* with VM_OWNED: never shared copy-on-write (DMA) */
#define VM_NOACCESS 0x40u   /* PROT_NONE: mapped, but any user access faults */

struct vm_space;

void paging_init(uint64_t max_phys);
struct vm_space *vm_create(void);
/* Free vs and what it owns <- the pages that were present in its user half. */
uint64_t vm_destroy(struct vm_space *vs);
/* Pages present in vs's user half now (its resident set). */
uint64_t vm_resident_pages(struct vm_space *vs);
void vm_activate(struct vm_space *vs);
/* A POSIX process's space: its frames may not come from the reserve kept
 * for the kernel and the servers, and its page tables have a quota. */
void vm_bound(struct vm_space *vs);
/* Map one user page; -EEXIST if something is mapped there, -ENOMEM. */
int vm_map(struct vm_space *vs, uint64_t va, uint64_t pa, unsigned flags);

/*
 * Range operations on page-aligned user ranges. They walk the page tables
 * and skip what is empty, so their work is in proportion to what is mapped
 * in the range (bounded by memory), never to its size; none allocates more
 * than a few tables at each end of the range.
 */
/* Owned demand-zero pages for [va, va+len), whose zeroed frames are given
 * when first touched; aligned runs of 2 MiB and 1 GiB are one entry each
 * (lazy huge mappings), so the mapping itself costs (almost) nothing.
 * -EEXIST (nothing changed) if something is mapped there, -ENOMEM. */
int vm_map_lazy(struct vm_space *vs, uint64_t va, uint64_t len, unsigned flags);
/* Unmap [va, va+len): owned frames dropped (freed when no other space
 * shares them), emptied page tables freed. -ENOMEM only if a lazy huge
 * mapping partly in the range cannot be split (the rest unmapped). */
int vm_unmap_range(struct vm_space *vs, uint64_t va, uint64_t len);
/* Change the access of the pages of [va, va+len) to flags; -ENOMEM if one is
 * not mapped (the ones before it changed) or memory is out. A shared frame
 * made writable becomes copy-on-write, never shared-writable. */
int vm_protect_pages(struct vm_space *vs, uint64_t va, uint64_t len, unsigned flags);

/* Copy every user mapping of src into the empty dst: owned pages are shared
 * copy-on-write (pinned ones duplicated), device pages shared. -ENOMEM (dst
 * partly filled, every reference it holds counted) on failure. */
int vm_clone(struct vm_space *dst, struct vm_space *src);
/* Can the user page at va be shared by vm_share (present and owned)? Is
 * nothing mapped at va (not even a demand-zero page)? */
bool vm_shareable(struct vm_space *vs, uint64_t va);
bool vm_free_at(struct vm_space *vs, uint64_t va);
/* Map src's pages [sva, sva+len) at dva in dst on the same frames with
 * flags' access, copy-on-write both ways: writable pages of either side
 * become copy-on-write. The caller has checked the ranges (page-aligned, in
 * user space, src's pages vm_shareable, dst's vm_free_at). -ENOMEM (dst
 * left as it was) on failure. */
int vm_share(struct vm_space *dst, uint64_t dva, struct vm_space *src, uint64_t sva,
	     uint64_t len, unsigned flags);
/* Do to the page at va what a user access would: give a demand-zero page
 * its frame and, for a write, give a copy-on-write page a frame of this
 * space's own. 0 and the frame in *pa if the access may go ahead; -EFAULT
 * if the page is unmapped (or read-only, for a write); -ENOMEM. */
int vm_touch(struct vm_space *vs, uint64_t va, bool write, uint64_t *pa);
/* A user page fault at addr (arch error code): DONE if it was the first
 * touch of a demand-zero page or a write to a copy-on-write page, now
 * resolved, so that the access can be retried; BAD if the access is not
 * allowed (a demand-zero page's refused access gets no frame; *error then
 * says present, an access error); OOM if no frame could be had, QUOTA if no page table within the
 * space's quota. */
enum vm_fault { VM_FAULT_DONE, VM_FAULT_BAD, VM_FAULT_OOM, VM_FAULT_QUOTA };
enum vm_fault vm_fault(struct vm_space *vs, uint64_t addr, uint64_t *error);

/* Generic helpers on top (mm/vm.c). */
bool user_range_ok(uint64_t addr, uint64_t len);
/* vm_map_lazy with TS_PROT_* access, after checking the range (-EINVAL). */
int vm_map_anon(struct vm_space *vs, uint64_t va, uint64_t len, unsigned prot);
/* vm_share after checking everything: -EINVAL for a range that is not
 * page-aligned, empty or in user space, -EFAULT if a source page is not
 * present and owned, -EEXIST if a destination page is mapped. */
int vm_share_range(struct vm_space *dst, uint64_t dva, struct vm_space *src, uint64_t sva,
		   uint64_t len, unsigned prot);
/* Frames now for every page of the new mapping [va, va+len): -ENOMEM (and
 * the mapping gone) when memory is out. The work is one page at a time,
 * bounded by the memory there is. */
int vm_populate(struct vm_space *vs, uint64_t va, uint64_t len);
/* vm_protect_pages with TS_PROT_* access, after checking the range. */
int vm_protect_range(struct vm_space *vs, uint64_t va, uint64_t len, unsigned prot);
/* VM_* page flags for TS_PROT_* bits. */
unsigned vm_prot_flags(unsigned prot);
/* Copies bounded by the space's own mappings: -EFAULT on any hole or on a
 * write to a read-only page, never a kernel fault. Writes break
 * copy-on-write first. */
int copy_from_user(struct vm_space *vs, void *dst, uint64_t src, size_t len);
int copy_to_user(struct vm_space *vs, uint64_t dst, const void *src, size_t len);
/* Copy between two user address spaces (IPC grants). */
int copy_user_to_user(struct vm_space *dvs, uint64_t dst, struct vm_space *svs,
		      uint64_t src, size_t len);

#endif
