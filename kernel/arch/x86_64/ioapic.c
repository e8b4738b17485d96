/*
 * The first IOAPIC, from the MADT (or its standard address): every line is
 * sent to the boot CPU's LAPIC (id 0) and stays masked until a driver binds
 * it. The legacy 8259 PICs are silenced for good.
 */
#include <arch/cpu.h>
#include <arch/platform.h>
#include <acpi_parse.h>
#include <log.h>
#include <mm.h>

#define IOREGSEL 0x00
#define IOWIN    0x10
#define IOAPIC_VER 0x01
#define IOREDTBL_LO(n) (0x10 + 2 * (n))
#define IOREDTBL_HI(n) (0x11 + 2 * (n))

/* Redirection entry, low word; delivery mode fixed and destination mode
 * physical are both 0. */
#define RTE_ACTIVE_LOW (1u << 13)
#define RTE_LEVEL      (1u << 15)
#define RTE_MASKED     (1u << 16)
#define RTE_DEST_SHIFT 24           /* high word: destination LAPIC id */
#define DEST_APIC_ID   0            /* the boot CPU on QEMU */

#define PIC1_CMD  0x20
#define PIC1_DATA 0x21
#define PIC2_CMD  0xA0
#define PIC2_DATA 0xA1

#define RFLAGS_IF (1ull << 9)

static volatile uint32_t *ioapic_regs;
static unsigned nentries;           /* 0 until ioapic_init finds an IOAPIC */

/* IOREGSEL and IOWIN form a pair an interrupt handler must not split. */
static uint64_t irq_save(void)
{
	uint64_t flags;

	__asm__ volatile("pushfq; popq %0; cli" : "=r"(flags) :: "memory");
	return flags;
}

static void irq_restore(uint64_t flags)
{
	if (flags & RFLAGS_IF)
		irq_enable();
}

static uint32_t ioapic_read(uint32_t reg)
{
	ioapic_regs[IOREGSEL / 4] = reg;
	return ioapic_regs[IOWIN / 4];
}

static void ioapic_write(uint32_t reg, uint32_t v)
{
	ioapic_regs[IOREGSEL / 4] = reg;
	ioapic_regs[IOWIN / 4] = v;
}

/* Remap first, so an IRQ latched before the mask lands on a vector that
 * is not a CPU exception, then mask every line. */
static void pic_disable(void)
{
	outb(PIC1_CMD, 0x11);           /* ICW1: initialise, ICW4 follows */
	outb(PIC2_CMD, 0x11);
	outb(PIC1_DATA, 0x20);          /* ICW2: vector bases */
	outb(PIC2_DATA, 0x28);
	outb(PIC1_DATA, 0x04);          /* ICW3: slave on IRQ 2 */
	outb(PIC2_DATA, 0x02);
	outb(PIC1_DATA, 0x01);          /* ICW4: 8086 mode */
	outb(PIC2_DATA, 0x01);
	outb(PIC1_DATA, 0xFF);
	outb(PIC2_DATA, 0xFF);
}

void ioapic_init(void)
{
	pic_disable();
	ioapic_regs = phys_to_virt(acpi.ioapic_phys);
	uint32_t ver = ioapic_read(IOAPIC_VER);
	/* nothing decodes the address: reads float high */
	if (ver == 0xFFFFFFFF) {
		klog("ioapic: none at 0x%lx; no device interrupts", acpi.ioapic_phys);
		return;
	}
	nentries = ((ver >> 16) & 0xFF) + 1;
	for (unsigned n = 0; n < nentries; n++) {
		ioapic_write(IOREDTBL_LO(n), RTE_MASKED);
		ioapic_write(IOREDTBL_HI(n), (uint32_t)DEST_APIC_ID << RTE_DEST_SHIFT);
	}
	klog("ioapic: at 0x%lx, GSIs %u-%u", acpi.ioapic_phys, acpi.ioapic_gsi_base,
	     ioapic_max_gsi());
}

unsigned ioapic_gsi_for_isa(unsigned isa_irq)
{
	for (unsigned i = 0; i < acpi.noverrides; i++)
		if (acpi.override[i].isa_irq == isa_irq)
			return acpi.override[i].gsi;
	return isa_irq;
}

unsigned ioapic_max_gsi(void)
{
	return nentries ? acpi.ioapic_gsi_base + nentries - 1 : 0;
}

/* Redirection table index of gsi, or -1 if this IOAPIC does not have it. */
static int entry_for(unsigned gsi)
{
	if (gsi < acpi.ioapic_gsi_base || gsi - acpi.ioapic_gsi_base >= nentries)
		return -1;
	return (int)(gsi - acpi.ioapic_gsi_base);
}

/* Polarity and trigger for gsi. An ISA IRQ's override decides them: it
 * knows the board's wiring (on QEMU, the PCI links behind IRQs 5, 9, 10
 * and 11 are level, active-high), and "conforms to bus" means ISA's edge,
 * active-high. Other lines follow the caller. */
static uint32_t line_mode(unsigned gsi, bool level_low)
{
	for (unsigned i = 0; i < acpi.noverrides; i++) {
		if (acpi.override[i].gsi != gsi)
			continue;
		uint16_t f = acpi.override[i].flags;
		uint32_t mode = 0;
		if ((f & ACPI_INTI_POLARITY_MASK) == ACPI_INTI_ACTIVE_LOW)
			mode |= RTE_ACTIVE_LOW;
		if ((f & ACPI_INTI_TRIGGER_MASK) == ACPI_INTI_LEVEL)
			mode |= RTE_LEVEL;
		return mode;
	}
	return level_low ? RTE_LEVEL | RTE_ACTIVE_LOW : 0;
}

/* Sets vector, polarity and trigger; whether the line is masked does not
 * change (ioapic_init masks them all). Lines this IOAPIC lacks are ignored. */
void ioapic_route(unsigned gsi, uint8_t vector, bool level_low)
{
	int n = entry_for(gsi);

	if (n < 0)
		return;
	uint64_t flags = irq_save();
	uint32_t masked = ioapic_read(IOREDTBL_LO(n)) & RTE_MASKED;
	ioapic_write(IOREDTBL_HI(n), (uint32_t)DEST_APIC_ID << RTE_DEST_SHIFT);
	ioapic_write(IOREDTBL_LO(n), vector | line_mode(gsi, level_low) | masked);
	irq_restore(flags);
}

void ioapic_mask(unsigned gsi, bool masked)
{
	int n = entry_for(gsi);

	if (n < 0)
		return;
	uint64_t flags = irq_save();
	uint32_t lo = ioapic_read(IOREDTBL_LO(n));
	lo = masked ? lo | RTE_MASKED : lo & ~RTE_MASKED;
	ioapic_write(IOREDTBL_LO(n), lo);
	irq_restore(flags);
}
