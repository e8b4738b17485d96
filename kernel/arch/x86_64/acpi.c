/*
 * ACPI discovery: from the RSDP that boot_info names (the loader's, or the
 * one found in BIOS memory), follow the RSDT/XSDT through the physical
 * direct map and hand MADT, FADT and DSDT to the decoders in acpi_parse.c.
 * Firmware tables are not trusted: whatever fails to validate is logged and
 * leaves the defaults below, which describe a plain single-CPU PC.
 */
#include <arch/cpu.h>
#include <arch/platform.h>
#include <acpi_parse.h>
#include <common.h>
#include <log.h>
#include <mm.h>

/* Tables are read only below 4 GiB: the direct map always covers that
 * range, while above it only RAM is mapped. */
#define ACPI_PHYS_LIMIT (4ull << 30)

#define PM1_SLP_TYP_SHIFT 10
#define PM1_SLP_EN        (1u << 13)

_Static_assert(ACPI_MADT_MAX_CPUS == ACPI_MAX_CPUS, "MADT CPU list fits acpi_info");
_Static_assert(ACPI_MADT_MAX_OVERRIDES == ACPI_MAX_OVERRIDES, "MADT overrides fit acpi_info");

struct acpi_info acpi = {
	.lapic_phys = 0xFEE00000,
	.ioapic_phys = 0xFEC00000,
	.ncpus = 1,
};

/* Readable bytes from pa to the end of the window we trust to be mapped. */
static size_t phys_avail(uint64_t pa)
{
	return pa < ACPI_PHYS_LIMIT ? ACPI_PHYS_LIMIT - pa : 0;
}

/* The table at pa if it carries signature sig and validates; NULL if not,
 * logged when the signature matches but the table is corrupt. */
static const struct acpi_sdt_header *table_at(uint64_t pa, const char *sig)
{
	if (!pa || phys_avail(pa) < sizeof(struct acpi_sdt_header))
		return NULL;
	const struct acpi_sdt_header *t = phys_to_virt(pa);
	if (memcmp(t->signature, sig, 4) != 0)
		return NULL;
	if (!acpi_table_ok(t, phys_avail(pa))) {
		klog("acpi: ignoring %.4s at 0x%lx: bad length or checksum", sig, pa);
		return NULL;
	}
	return t;
}

static const struct acpi_sdt_header *find_table(const struct acpi_sdt_header *rt,
						bool xsdt, const char *sig)
{
	unsigned n = acpi_root_count(rt, xsdt);

	for (unsigned i = 0; i < n; i++) {
		const struct acpi_sdt_header *t = table_at(acpi_root_entry(rt, xsdt, i), sig);
		if (t)
			return t;
	}
	return NULL;
}

static void madt_init(const struct acpi_sdt_header *rt, bool xsdt)
{
	const struct acpi_sdt_header *t = find_table(rt, xsdt, "APIC");
	struct acpi_madt m;

	if (!t || !acpi_madt_parse(t, &m)) {
		klog("acpi: no usable MADT; assuming one CPU and the standard APICs");
		return;
	}
	acpi.lapic_phys = m.lapic_phys;
	acpi.ncpus = m.ncpus;
	memcpy(acpi.cpu_apic_id, m.cpu_apic_id, sizeof acpi.cpu_apic_id);
	if (m.have_ioapic) {
		acpi.ioapic_phys = m.ioapic_phys;
		acpi.ioapic_gsi_base = m.ioapic_gsi_base;
	}
	acpi.noverrides = m.noverrides;
	for (unsigned i = 0; i < m.noverrides; i++) {
		acpi.override[i].isa_irq = m.override[i].isa_irq;
		acpi.override[i].gsi = m.override[i].gsi;
		acpi.override[i].flags = m.override[i].flags;
	}
	acpi.valid = true;
}

static void s5_init(const struct acpi_sdt_header *rt, bool xsdt)
{
	const struct acpi_sdt_header *t = find_table(rt, xsdt, "FACP");
	struct acpi_fadt f;
	uint16_t slp_typa;

	if (!t || !acpi_fadt_parse(t, &f)) {
		klog("acpi: no usable FADT; no ACPI poweroff");
		return;
	}
	acpi.pm1a_cnt_port = f.pm1a_cnt_port;
	const struct acpi_sdt_header *dsdt = table_at(f.dsdt_phys, "DSDT");
	if (!f.pm1a_cnt_port || f.pm1a_cnt_port > 0xFFFF || !dsdt ||
	    !acpi_find_s5((const uint8_t *)(dsdt + 1), dsdt->length - sizeof *dsdt, &slp_typa)) {
		klog("acpi: no PM1a control port or \\_S5; no ACPI poweroff");
		return;
	}
	acpi.slp_typa = slp_typa;
	acpi.s5_valid = true;
}

void acpi_init(uint64_t rsdp_phys)
{
	struct acpi_root root;

	if (!rsdp_phys || !acpi_rsdp_parse(phys_to_virt(rsdp_phys), phys_avail(rsdp_phys), &root)) {
		klog("acpi: %s RSDP; assuming one CPU and the standard APICs", rsdp_phys ? "bad" : "no");
		return;
	}
	const struct acpi_sdt_header *rt = table_at(root.addr, root.xsdt ? "XSDT" : "RSDT");
	if (!rt) {
		klog("acpi: no usable %s at 0x%lx", root.xsdt ? "XSDT" : "RSDT", root.addr);
		return;
	}
	madt_init(rt, root.xsdt);
	s5_init(rt, root.xsdt);
	klog("acpi: %u CPU(s), LAPIC 0x%lx, IOAPIC 0x%lx (GSI %u), %u override(s), S5 %s",
	     acpi.ncpus, acpi.lapic_phys, acpi.ioapic_phys, acpi.ioapic_gsi_base,
	     acpi.noverrides, acpi.s5_valid ? "yes" : "no");
}

void platform_reset(void)
{
	/* the reset control register of QEMU's chipsets, then the keyboard
	 * controller's reset line */
	outb(0xCF9, 0x02);
	outb(0xCF9, 0x06);
	for (int i = 0; i < 4; i++)
		pit_wait_us(50000);
	outb(0x64, 0xFE);
	for (int i = 0; i < 4; i++)
		pit_wait_us(50000);
}

void acpi_poweroff(void)
{
	if (acpi.s5_valid)
		outw((uint16_t)acpi.pm1a_cnt_port,
		     (uint16_t)(acpi.slp_typa << PM1_SLP_TYP_SHIFT | PM1_SLP_EN));
	/* QEMU's PIIX4/ICH9 PM1a_CNT, then Bochs and old QEMU; SLP_TYP 0 is
	 * S5 on both */
	outw(0x604, PM1_SLP_EN);
	outw(0xB004, PM1_SLP_EN);
	/* QEMU acts on the write from its main loop, not at once: give it
	 * time before the caller concludes that poweroff failed */
	for (int i = 0; i < 4; i++)
		pit_wait_us(50000);
}
