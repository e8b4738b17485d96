/* Address-space helpers built on the arch page-table primitives: anonymous
 * mappings and user-memory copies that can fail cleanly but never fault. */
#include <mm.h>
#include <vm.h>
#include <tessera/abi.h>
#include <tessera/errno.h>

bool user_range_ok(uint64_t addr, uint64_t len)
{
	return addr < VM_USER_TOP && len <= VM_USER_TOP - addr;
}

unsigned vm_prot_flags(unsigned prot)
{
	if (!(prot & (TS_PROT_READ | TS_PROT_WRITE | TS_PROT_EXEC)))
		return VM_NOACCESS;
	return (prot & TS_PROT_WRITE ? VM_WRITE : 0) | (prot & TS_PROT_EXEC ? VM_EXEC : 0);
}

static bool page_range_ok(uint64_t va, uint64_t len)
{
	return !((va | len) & (PAGE_SIZE - 1)) && len && user_range_ok(va, len);
}

int vm_map_anon(struct vm_space *vs, uint64_t va, uint64_t len, unsigned prot)
{
	return page_range_ok(va, len) ? vm_map_lazy(vs, va, len, vm_prot_flags(prot)) : -EINVAL;
}

int vm_populate(struct vm_space *vs, uint64_t va, uint64_t len)
{
	uint64_t pa;

	for (uint64_t off = 0; off < len; off += PAGE_SIZE)
		if (vm_touch(vs, va + off, false, &pa)) {
			vm_unmap_range(vs, va, len);
			return -ENOMEM;
		}
	return 0;
}

int vm_protect_range(struct vm_space *vs, uint64_t va, uint64_t len, unsigned prot)
{
	return page_range_ok(va, len) ? vm_protect_pages(vs, va, len, vm_prot_flags(prot))
				      : -EINVAL;
}

int vm_share_range(struct vm_space *dst, uint64_t dva, struct vm_space *src, uint64_t sva,
		   uint64_t len, unsigned prot)
{
	if (!page_range_ok(dva, len) || !page_range_ok(sva, len))
		return -EINVAL;
	for (uint64_t off = 0; off < len; off += PAGE_SIZE) {
		if (!vm_shareable(src, sva + off))
			return -EFAULT;
		if (!vm_free_at(dst, dva + off))
			return -EEXIST;
	}
	return vm_share(dst, dva, src, sva, len, vm_prot_flags(prot));
}

/* Kernel address of user byte addr, if mapped with the needed access. The
 * page is touched as the user would: a demand-zero page gets its frame, and
 * a write goes to this space's own frame (a copy-on-write page is copied
 * first, or the write would show through in the spaces sharing it). */
static void *user_ptr(struct vm_space *vs, uint64_t addr, bool write)
{
	uint64_t pa;

	if (vm_touch(vs, addr & ~(PAGE_SIZE - 1), write, &pa))
		return NULL;
	return (char *)phys_to_virt(pa) + (addr & (PAGE_SIZE - 1));
}

/* Walk [addr, addr+len) a page at a time, calling fn on each piece. */
static int user_chunks(struct vm_space *vs, uint64_t addr, size_t len, bool write,
		       void (*fn)(void *user, void *kbuf, size_t n), char *kbuf)
{
	if (!user_range_ok(addr, len))
		return -EFAULT;
	while (len) {
		size_t n = MIN(len, PAGE_SIZE - (addr & (PAGE_SIZE - 1)));
		void *p = user_ptr(vs, addr, write);
		if (!p)
			return -EFAULT;
		fn(p, kbuf, n);
		addr += n, kbuf += n, len -= n;
	}
	return 0;
}

static void from_user(void *user, void *kbuf, size_t n) { memcpy(kbuf, user, n); }
static void to_user(void *user, void *kbuf, size_t n) { memcpy(user, kbuf, n); }

int copy_from_user(struct vm_space *vs, void *dst, uint64_t src, size_t len)
{
	return user_chunks(vs, src, len, false, from_user, dst);
}

int copy_to_user(struct vm_space *vs, uint64_t dst, const void *src, size_t len)
{
	return user_chunks(vs, dst, len, true, to_user, (char *)src);
}

int copy_user_to_user(struct vm_space *dvs, uint64_t dst, struct vm_space *svs,
		      uint64_t src, size_t len)
{
	if (!user_range_ok(dst, len) || !user_range_ok(src, len))
		return -EFAULT;
	while (len) {
		size_t n = MIN(PAGE_SIZE - (dst & (PAGE_SIZE - 1)),
			       PAGE_SIZE - (src & (PAGE_SIZE - 1)));
		n = MIN(n, len);
		void *d = user_ptr(dvs, dst, true);
		void *s = user_ptr(svs, src, false);
		if (!d || !s)
			return -EFAULT;
		memcpy(d, s, n);
		dst += n, src += n, len -= n;
	}
	return 0;
}
