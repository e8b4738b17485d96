/* PC platform devices: ACPI tables, interrupt controllers, timers, consoles. */
#ifndef ARCH_PLATFORM_H
#define ARCH_PLATFORM_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>

#define ACPI_MAX_CPUS 16
#define ACPI_MAX_OVERRIDES 16

struct acpi_info {
	bool valid;
	uint64_t lapic_phys;
	uint64_t ioapic_phys;
	uint32_t ioapic_gsi_base;
	unsigned ncpus;
	uint8_t cpu_apic_id[ACPI_MAX_CPUS];
	struct {
		uint8_t isa_irq;
		uint32_t gsi;
		uint16_t flags;     /* MPS INTI flags: polarity, trigger mode */
	} override[ACPI_MAX_OVERRIDES];
	unsigned noverrides;
	/* FADT: poweroff through PM1a_CNT with SLP_TYPa from \_S5 */
	uint32_t pm1a_cnt_port;
	uint16_t slp_typa;
	bool s5_valid;
};

extern struct acpi_info acpi;

/* Parse RSDP -> RSDT/XSDT -> MADT, FADT (and DSDT's \_S5). A bad or missing
 * table leaves defaults (one CPU, LAPIC 0xFEE00000, IOAPIC 0xFEC00000) and
 * logs a line; it never panics. */
void acpi_init(uint64_t rsdp_phys);
/* ACPI S5 poweroff; returns only if that failed. */
void acpi_poweroff(void);
/* Restart the machine; returns only if that failed. */
void platform_reset(void);

/* IOAPIC: ISA IRQ n (after MADT overrides) delivered as vector base + gsi. */
void ioapic_init(void);
unsigned ioapic_gsi_for_isa(unsigned isa_irq);
void ioapic_route(unsigned gsi, uint8_t vector, bool level_low);
void ioapic_mask(unsigned gsi, bool masked);
unsigned ioapic_max_gsi(void);

/* LAPIC: per-CPU interrupt controller and the preemption timer. */
void lapic_init(void);
void lapic_timer_start(unsigned hz);
void lapic_eoi(void);
uint32_t lapic_id(void);

/* PIT channel 2 as a calibration reference; busy-waits. */
void pit_wait_us(unsigned us);
/* TSC frequency measured against the PIT. */
extern uint64_t tsc_per_us;
void tsc_calibrate(void);
uint64_t time_ns(void);

void serial_init(void);
void serial_write(const char *s, size_t n);
int serial_getc(void);   /* -1 if nothing pending */

void vga_init(void);
void vga_write(const char *s, size_t n);
/* A process mapped device memory: if it is the text screen, the kernel
 * leaves the screen to it (until vga_reclaim, for a panic). */
void vga_device_mapped(uint64_t phys, uint64_t len);
void vga_reclaim(void);

/* QEMU isa-debug-exit: QEMU exits with status (code << 1) | 1. */
__attribute__((noreturn)) void qemu_exit(uint8_t code);

#endif
