/* Physical memory: the boot memory map feeds the frame allocator, minus the
 * kernel image, the boot modules and the multiboot information. Frames that
 * address spaces share copy-on-write carry a reference count. */
#include <bootinfo.h>
#include <frame_alloc.h>
#include <frame_ref.h>
#include <log.h>
#include <mm.h>

static struct frame_alloc fa;
static struct frame_refs refs;
extern char _kernel_end[];

static void reserve_bytes(uint64_t start, uint64_t end)
{
	uint64_t first = start / PAGE_SIZE;
	fa_reserve(&fa, first, ALIGN_UP(end, PAGE_SIZE) / PAGE_SIZE - first);
}

static uint64_t max_ram(const struct boot_info *bi)
{
	uint64_t top = 0;

	for (unsigned i = 0; i < bi->nram; i++)
		top = MAX(top, bi->ram[i].base + bi->ram[i].len);
	return top;
}

void pmm_init(const struct boot_info *bi)
{
	uint64_t nframes = max_ram(bi) / PAGE_SIZE;
	uint64_t kend = virt_to_phys(_kernel_end);
	uint64_t bitmap_pa = ALIGN_UP(kend, PAGE_SIZE);

	/* modules may lie just past the kernel: put the bitmap and the
	 * reference counts after them */
	for (unsigned i = 0; i < bi->nmodules; i++)
		bitmap_pa = MAX(bitmap_pa, ALIGN_UP(bi->module[i].end, PAGE_SIZE));
	bitmap_pa = MAX(bitmap_pa, ALIGN_UP(bi->mb_info_phys + bi->mb_info_len, PAGE_SIZE));
	size_t bitmap_bytes = fa_bitmap_bytes(nframes);
	size_t bytes = bitmap_bytes + fr_bytes(nframes);
	if (bitmap_pa + bytes > (1ull << 30))
		panic("pmm: boot data above 1 GiB");

	fa_init(&fa, phys_to_virt(bitmap_pa), nframes);
	fr_init(&refs, phys_to_virt(bitmap_pa + bitmap_bytes), nframes);
	for (unsigned i = 0; i < bi->nram; i++) {
		uint64_t first = ALIGN_UP(bi->ram[i].base, PAGE_SIZE) / PAGE_SIZE;
		uint64_t last = (bi->ram[i].base + bi->ram[i].len) / PAGE_SIZE;
		if (last > first)
			fa_release(&fa, first, last - first);
	}
	reserve_bytes(0, 0x100000);              /* BIOS, real-mode structures */
	reserve_bytes(0x100000, kend);
	reserve_bytes(bitmap_pa, bitmap_pa + bytes);
	reserve_bytes(bi->mb_info_phys, bi->mb_info_phys + bi->mb_info_len);
	for (unsigned i = 0; i < bi->nmodules; i++)
		reserve_bytes(bi->module[i].start, bi->module[i].end);
	klog("pmm: %lu MiB RAM, %lu MiB free", nframes * PAGE_SIZE >> 20,
	     fa.free * PAGE_SIZE >> 20);
}

/* Word at a time: under QEMU's TCG a byte-wise rep stosb or movsb costs
 * several times more, and pages are zeroed and copied on every fork, exec
 * and copy-on-write fault. */
static void zero_pages(uint64_t pa, uint64_t npages)
{
	uint64_t *w = phys_to_virt(pa);

	for (uint64_t i = 0; i < npages * PAGE_SIZE / 8; i++)
		w[i] = 0;
}

static void copy_page(uint64_t dst, uint64_t src)
{
	uint64_t *d = phys_to_virt(dst);
	const uint64_t *s = phys_to_virt(src);

	for (unsigned i = 0; i < PAGE_SIZE / 8; i++)
		d[i] = s[i];
}

uint64_t pages_alloc_contig(uint64_t npages, uint64_t align)
{
	int64_t f = fa_alloc(&fa, npages, align ? align : 1);

	if (f < 0)
		return 0;
	zero_pages(f * PAGE_SIZE, npages);
	return f * PAGE_SIZE;
}

uint64_t page_alloc(void)
{
	return pages_alloc_contig(1, 1);
}

void pages_free(uint64_t pa, uint64_t npages)
{
	for (uint64_t i = 0; i < npages; i++)
		if (fr_shared(&refs, pa / PAGE_SIZE + i))
			panic("pmm: free of shared page %#lx", pa + i * PAGE_SIZE);
	if (fa_free(&fa, pa / PAGE_SIZE, npages))
		panic("pmm: bad free of %lu pages at %#lx", npages, pa);
}

void page_free(uint64_t pa)
{
	pages_free(pa, 1);
}

uint64_t page_dup(uint64_t pa)
{
	int64_t f = fa_alloc(&fa, 1, 1);

	if (f < 0)
		return 0;
	copy_page(f * PAGE_SIZE, pa);
	return f * PAGE_SIZE;
}

bool page_share(uint64_t pa)
{
	return fr_get(&refs, pa / PAGE_SIZE);
}

void page_put(uint64_t pa)
{
	if (fr_put(&refs, pa / PAGE_SIZE))
		page_free(pa);
}

bool page_is_shared(uint64_t pa)
{
	return fr_shared(&refs, pa / PAGE_SIZE);
}

bool phys_is_ram(uint64_t pa)
{
	for (unsigned i = 0; i < boot_info.nram; i++)
		if (pa >= boot_info.ram[i].base && pa - boot_info.ram[i].base < boot_info.ram[i].len)
			return true;
	return false;
}

uint64_t pmm_free_pages(void) { return fa.free; }
uint64_t pmm_total_pages(void) { return fa.nframes; }
