/* brk, mmap, munmap, mprotect and mremap (file mappings: filemap.c); each
 * change also goes to the process's regions (vmmap.c). */
#include "pm.h"

#define PAGE 4096ull
#define TASK_SIZE 0x00007ffffffff000ull   /* Linux's x86_64 user space ends here */
#define MAP_NORESERVE 0x4000
#define MMAP_MIN_ADDR 0x10000ull          /* vm.mmap_min_addr: below it, root's only */

/* Does [addr, addr+len) lie in user space as Linux has it? */
static bool in_task(uint64_t addr, uint64_t len)
{
	return addr <= TASK_SIZE && len <= TASK_SIZE - addr;
}

/* Linux's heuristic overcommit (vm.overcommit_memory 0): a private writable
 * mapping larger than memory (and no swap) is refused outright; smaller ones
 * are lazy, and out of memory is the OOM policy's (oom.c). */
static bool over_commit(uint64_t len)
{
	static uint64_t total;
	struct ts_stats st;

	if (!total && !ts_stats(&st))
		total = st.total_pages;
	return len / PAGE > total;
}

static bool over(uint64_t now, uint64_t len, uint64_t limit)
{
	return len > limit || now > limit - len;
}

/* Would len more bytes at addr (replacing what is there, for fixed) take p
 * past its RLIMIT_AS, or, if they are data (private and writable), past
 * its RLIMIT_DATA? Linux's may_expand_vm. */
static bool over_limits(const struct pproc *p, uint64_t addr, uint64_t len, bool fixed,
			bool data)
{
	uint64_t all = vmmap_bytes(p, 0, UINT64_MAX), in_data = vmmap_data_bytes(p, 0, UINT64_MAX);

	if (fixed) {
		all -= vmmap_bytes(p, addr, addr + len);
		in_data -= vmmap_data_bytes(p, addr, addr + len);
	}
	return over(all, len, p->rlim[RLIMIT_AS].cur) ||
	       (data && over(in_data, len, p->rlim[RLIMIT_DATA].cur));
}

static bool is_data(int prot, int flags)
{
	return prot & TS_PROT_WRITE && !(flags & L_MAP_SHARED);
}

static long unmap(struct pproc *p, uint64_t addr, uint64_t len)
{
	long err = ts_vm_unmap(p->slot, addr, len);

	if (!err)
		vmmap_remove(p, addr, len);
	return err;
}

static long do_brk(struct pproc *p, uint64_t want)
{
	/* past the mappings (brk(-1) too, which would wrap): the break stays */
	if (want < p->brk_start || want > p->mmap_top)
		return p->brk;
	uint64_t old_end = ALIGN_UP(p->brk, PAGE), new_end = ALIGN_UP(want, PAGE);
	struct region heap = { .start = old_end, .end = new_end,
			       .prot = TS_PROT_READ | TS_PROT_WRITE };

	if (new_end > old_end && (over_commit(new_end - old_end) ||
				  over_limits(p, old_end, new_end - old_end, false, true) ||
				  ts_vm_map(p->slot, old_end, new_end - old_end, heap.prot)))
		return p->brk;          /* Linux: failure leaves the break as it was */
	if (new_end > old_end)
		vmmap_add(p, &heap);
	if (new_end < old_end)
		unmap(p, new_end, old_end - new_end);
	p->brk = want;
	return want;
}

/* Where a mapping of len bytes goes: addr with MAP_FIXED (whatever was
 * there is gone), else below the previous mappings. */
static long place(struct pproc *p, uint64_t addr, uint64_t len, int flags)
{
	if (flags & L_MAP_FIXED) {
		if (!in_task(addr, len))
			return -ENOMEM;
		if (addr < MMAP_MIN_ADDR && p->cred.uid[ID_EFFECTIVE])
			return -EPERM;      /* Linux's cap_mmap_addr */
		unmap(p, addr, len);
		return (long)addr;
	}
	if (len > p->mmap_top - p->brk)
		return -ENOMEM;
	p->mmap_top -= len;
	return (long)p->mmap_top;
}

/* A file's pages are written while writable, then get prot. */
static long map_file(struct pproc *p, const struct file_map *fm, uint64_t addr, int prot)
{
	long err = ts_vm_map(p->slot, addr, fm->len, TS_PROT_READ | TS_PROT_WRITE);

	if (!err)
		err = file_map_fill(p->slot, fm, addr);
	if (!err)
		err = ts_vm_protect(p->slot, addr, fm->len, prot & 7);
	return err;
}

/* mmap of fm at addr, once its length and the limits are checked */
static long map_new(struct pproc *p, uint64_t addr, struct file_map *fm)
{
	int prot = fm->prot;
	bool file = !(fm->flags & L_MAP_ANONYMOUS);    /* else fd is ignored, as Linux does */
	long err = file ? file_map_check(fm) : 0;
	long at = err ? err : place(p, addr, fm->len, fm->flags);
	if (at < 0)
		return at;
	if (file)
		err = map_file(p, fm, (uint64_t)at, prot);
	else
		err = ts_vm_map(p->slot, (uint64_t)at, fm->len, prot & 7);
	if (err)
		return err;
	struct region r = { .start = (uint64_t)at, .end = (uint64_t)at + fm->len,
			    .prot = (uint8_t)(prot & 7), .kind = file ? REGION_FILE : REGION_ANON,
			    .off = file ? fm->off : 0 };
	if (file)
		vmmap_name_file(&r, p->pid, fm->fd);
	vmmap_add(p, &r);
	return at;
}

static long do_mmap(struct pproc *p, uint64_t addr, uint64_t len, int prot, int flags, int fd,
		    uint64_t off)
{
	struct file_map fm = { p->pid, fd, prot, flags, off, ALIGN_UP(len, PAGE), 0 };

	if (!len || (addr | off) & (PAGE - 1))    /* x86's mmap: an offset in pages */
		return -EINVAL;
	if (fm.len < len || (prot & TS_PROT_WRITE && !(flags & (L_MAP_SHARED | MAP_NORESERVE)) &&
			     over_commit(fm.len)))
		return -ENOMEM;
	if (over_limits(p, addr, fm.len, flags & L_MAP_FIXED, is_data(prot, flags)))
		return -ENOMEM;
	return map_new(p, addr, &fm);
}

static long do_mprotect(struct pproc *p, uint64_t addr, uint64_t len, int prot)
{
	uint64_t n = ALIGN_UP(len, PAGE);

	if (addr & (PAGE - 1))
		return -EINVAL;
	if (!len)
		return 0;
	if (n < len || !in_task(addr, n) || (prot & TS_PROT_WRITE && over_commit(n)))
		return -ENOMEM;
	long err = ts_vm_protect(p->slot, addr, n, prot & 7);

	if (!err)
		vmmap_protect(p, addr, n, prot);
	return err;
}

#define MREMAP_MAYMOVE 1
#define MREMAP_FIXED   2

/* Copy len bytes of p's memory from src to dst (whole pages). */
static long copy_pages(uint32_t proc, uint64_t dst, uint64_t src, uint64_t len)
{
	static uint8_t buf[64 << 10];

	for (uint64_t off = 0; off < len; off += sizeof buf) {
		uint64_t n = MIN(sizeof buf, len - off);
		if (ts_vm_read(proc, src + off, buf, n) || ts_vm_write(proc, dst + off, buf, n))
			return -EFAULT;
	}
	return 0;
}

/* Shrinking happens in place; growing moves the mapping (with
 * MREMAP_MAYMOVE) to fresh pages below the others: the process manager
 * does not track what lies after a mapping, so it never grows in place. */
static long do_mremap(struct pproc *p, uint64_t addr, uint64_t old_len, uint64_t new_len,
		      int flags)
{
	old_len = ALIGN_UP(old_len, PAGE);
	new_len = ALIGN_UP(new_len, PAGE);      /* 0 if it wraps: EINVAL, as Linux */
	if (addr & (PAGE - 1) || !new_len || flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED) ||
	    (flags & MREMAP_FIXED && !(flags & MREMAP_MAYMOVE)))
		return -EINVAL;
	if (flags & MREMAP_FIXED)
		return -ENOSYS;
	/* nothing mapped at addr (the kernel half, say): EFAULT, as Linux's
	 * lookup of the mapping; so the address answered is a mapped one */
	if (!vmmap_bytes(p, addr, addr + PAGE))
		return -EFAULT;
	if (new_len <= old_len) {
		if (new_len < old_len)
			unmap(p, addr + new_len, old_len - new_len);
		return (long)addr;
	}
	/* what it grows by counts against the limits (it moves: Linux's
	 * vma_to_resize); the copy is private and writable */
	struct file_map fm = { p->pid, -1, TS_PROT_READ | TS_PROT_WRITE,
			       L_MAP_ANONYMOUS | L_MAP_PRIVATE, 0, new_len, 0 };
	if (!(flags & MREMAP_MAYMOVE) || !old_len || over_commit(new_len) ||
	    over_limits(p, 0, new_len - old_len, false, true))
		return -ENOMEM;
	long to = map_new(p, 0, &fm);
	if (to < 0)
		return to;
	long err = copy_pages(p->slot, (uint64_t)to, addr, old_len);
	if (err) {
		unmap(p, (uint64_t)to, new_len);
		return err;
	}
	unmap(p, addr, old_len);
	return to;
}

long pm_memory(struct pproc *p, struct ts_msg *m)
{
	uint64_t *a = m->word;

	if (!vmmap_room())          /* as Linux past vm.max_map_count */
		return m->label == NR_brk ? (long)p->brk : -ENOMEM;
	switch (m->label) {
	case NR_brk:
		return do_brk(p, a[0]);
	case NR_mmap:
		return do_mmap(p, a[0], a[1], (int)a[2], (int)a[3], (int)a[4], a[5]);
	case NR_munmap:
		if (a[0] & (PAGE - 1) || !a[1] || !in_task(a[0], a[1]))
			return -EINVAL;
		return unmap(p, a[0], ALIGN_UP(a[1], PAGE));
	case NR_mprotect:
		return do_mprotect(p, a[0], a[1], (int)a[2]);
	case NR_mremap:
		return do_mremap(p, a[0], a[1], a[2], (int)a[3]);
	case NR_madvise:
		return 0;           /* advice may be ignored, as Linux may */
	default:
		return -ENOSYS;
	}
}
