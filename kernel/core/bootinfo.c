/* The boot facts, from whichever multiboot loader started the kernel:
 * GRUB (multiboot2, the ISO) or QEMU's -kernel (multiboot1). */
#include <acpi_parse.h>
#include <bootinfo.h>
#include <log.h>
#include <mm.h>

struct boot_info boot_info;

void boot_info_init(uint32_t magic, uint64_t info_phys)
{
	/* boot.S maps the first GiB at the direct map */
	const struct phys_window low = { phys_to_virt(0), 1ull << 30 };

	if (magic == MB2_BOOT_MAGIC)
		multiboot2_parse(info_phys, &boot_info);
	else if (magic != MB1_BOOT_MAGIC)
		panic("not booted by a multiboot loader (magic %#x)", magic);
	else if (!multiboot1_parse(&low, info_phys, &boot_info))
		panic("boot: unusable multiboot1 information at %#lx", info_phys);
	if (boot_info.modules_ignored)
		klog("boot: %u modules beyond the first %u ignored", boot_info.modules_ignored,
		     BOOT_MAX_MODULES);
	/* multiboot1 passes no RSDP: look where the BIOS leaves it */
	if (!boot_info.rsdp_phys) {
		boot_info.rsdp_phys = acpi_rsdp_scan(low.base);
		if (boot_info.rsdp_phys)
			klog("boot: RSDP found in BIOS memory at %#lx", boot_info.rsdp_phys);
	}
}
