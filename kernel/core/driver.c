/* Driver primitives: I/O ports, device memory, DMA memory, each only with
 * the capability for it. */
#include <arch/arch.h>
#include <arch/platform.h>
#include <cap.h>
#include <log.h>
#include <mm.h>
#include <proc.h>
#include <vm.h>
#include <tessera/errno.h>

long sys_ioport_enable(uint64_t slot)
{
	struct process *p = current_proc();
	struct cap *c;
	int err = cap_get(slot, TS_CAP_IOPORT, 0, &c);

	if (err)
		return err;
	if (!p->io_bitmap) {
		p->io_bitmap = kmalloc(IO_BITMAP_BYTES);
		if (!p->io_bitmap)
			return -ENOMEM;
		memset(p->io_bitmap, 0xFF, IO_BITMAP_BYTES);
	}
	for (uint64_t port = c->base; port < c->base + c->len && port < 65536; port++)
		p->io_bitmap[port / 8] &= ~(1u << (port % 8));
	arch_set_io_bitmap(p->io_bitmap);
	return 0;
}

long sys_mmio_map(uint64_t slot, uint64_t phys, uint64_t len, uint64_t vaddr)
{
	struct vm_space *vm = current_proc()->vm;
	struct cap *c;
	int err = cap_get(slot, TS_CAP_MMIO, 0, &c);

	if (err)
		return err;
	if ((phys | len | vaddr) & (PAGE_SIZE - 1) || !len || !user_range_ok(vaddr, len))
		return -EINVAL;
	if (!cap_covers(c, phys, len))
		return -EPERM;
	for (uint64_t off = 0; off < len; off += PAGE_SIZE)
		if (phys_is_ram(phys + off))
			return -EPERM;      /* RAM is never device memory */
	for (uint64_t off = 0; off < len; off += PAGE_SIZE) {
		err = vm_map(vm, vaddr + off, phys + off, VM_READ | VM_WRITE | VM_UNCACHED);
		if (err) {
			vm_unmap_range(vm, vaddr, off);
			return err;
		}
	}
	vga_device_mapped(phys, len);
	return 0;
}

long sys_dma_alloc(uint64_t slot, uint64_t len, uint64_t vaddr)
{
	struct vm_space *vm = current_proc()->vm;
	struct cap *c;
	int err = cap_get(slot, TS_CAP_DMA, 0, &c);

	if (err)
		return err;
	if ((len | vaddr) & (PAGE_SIZE - 1) || !len || len > (4ull << 20) ||
	    !user_range_ok(vaddr, len))
		return -EINVAL;
	uint64_t npages = len / PAGE_SIZE, pa = pages_alloc_contig(npages, 1);
	if (!pa)
		return -ENOMEM;
	for (uint64_t i = 0; i < npages; i++) {
		err = vm_map(vm, vaddr + i * PAGE_SIZE, pa + i * PAGE_SIZE,
			     VM_READ | VM_WRITE | VM_OWNED | VM_PINNED);
		if (err) {
			vm_unmap_range(vm, vaddr, i * PAGE_SIZE);
			pages_free(pa + i * PAGE_SIZE, npages - i);
			return err;
		}
	}
	return (long)pa;
}
