/*
 * ACPI table decoding with no hardware access: checksums, the RSDP and the
 * search for it in BIOS memory, the RSDT/XSDT entry list, MADT, FADT and
 * the \_S5 package in DSDT AML. Every table is firmware data and treated
 * as hostile: callers validate a table with acpi_table_ok() first, and the
 * decoders never read past the length that table's own header declares.
 * Unit-tested on the host; the kernel's acpi.c finds the tables in physical
 * memory and feeds them in.
 */
#ifndef ACPI_PARSE_H
#define ACPI_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct acpi_sdt_header {
	char signature[4];
	uint32_t length;          /* whole table, header included */
	uint8_t revision;
	uint8_t checksum;
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	uint32_t creator_id;
	uint32_t creator_revision;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_sdt_header) == 36, "ACPI SDT header is 36 bytes");

struct acpi_rsdp {
	char signature[8];        /* "RSD PTR " */
	uint8_t checksum;         /* over the first 20 bytes (ACPI 1.0 part) */
	char oem_id[6];
	uint8_t revision;         /* 0: ACPI 1.0; 2 and up: the fields below exist */
	uint32_t rsdt_address;
	uint32_t length;
	uint64_t xsdt_address;
	uint8_t extended_checksum;
	uint8_t reserved[3];
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_rsdp) == 36, "ACPI 2.0 RSDP is 36 bytes");

#define ACPI_RSDP_V1_LEN 20
/* No real table comes near this; it stops a corrupt length from sending a
 * checksum loop across gigabytes (and device memory). */
#define ACPI_TABLE_MAX (4u << 20)

#define ACPI_MADT_MAX_CPUS 16
#define ACPI_MADT_MAX_OVERRIDES 16

/* MPS INTI flags of an interrupt source override. "Conforms" means the
 * bus default, which for ISA is edge-triggered, active-high. */
#define ACPI_INTI_POLARITY_MASK 0x3
#define ACPI_INTI_ACTIVE_HIGH   0x1
#define ACPI_INTI_ACTIVE_LOW    0x3
#define ACPI_INTI_TRIGGER_MASK  0xC
#define ACPI_INTI_LEVEL         0xC

struct acpi_root {
	uint64_t addr;            /* physical address of the RSDT or XSDT */
	bool xsdt;                /* 8-byte entries (XSDT) vs 4-byte (RSDT) */
};

struct acpi_madt {
	uint64_t lapic_phys;
	unsigned ncpus;           /* enabled local APICs, at most ACPI_MADT_MAX_CPUS */
	uint8_t cpu_apic_id[ACPI_MADT_MAX_CPUS];
	bool have_ioapic;
	uint32_t ioapic_phys;     /* the first IOAPIC only */
	uint32_t ioapic_gsi_base;
	unsigned noverrides;
	struct {
		uint8_t isa_irq;
		uint32_t gsi;
		uint16_t flags;   /* ACPI_INTI_* */
	} override[ACPI_MADT_MAX_OVERRIDES];
};

struct acpi_fadt {
	uint32_t pm1a_cnt_port;   /* 0 if the FADT names none */
	uint64_t dsdt_phys;       /* X_DSDT when present and non-zero, else DSDT */
};

/* Do the n bytes at p sum to zero (mod 256)? */
bool acpi_checksum_ok(const void *p, size_t n);

/* Validate an RSDP of which avail bytes are readable and say where the root
 * table is. Prefers the XSDT when the ACPI 2.0 part is valid and names one,
 * else the RSDT. False on a bad signature or checksum or no usable root. */
bool acpi_rsdp_parse(const void *p, size_t avail, struct acpi_root *root);

/* Where a PC BIOS leaves the RSDP, on a 16-byte boundary: the first KiB of
 * the EBDA (whose segment the BIOS data area word at 0x40E holds), then the
 * BIOS ROM area 0xE0000-0xFFFFF. For loaders that pass no RSDP. */
#define ACPI_BIOS_AREA_END 0x100000

/* Search the first MiB of physical memory, low (low[pa] is the byte at
 * physical address pa, for pa < ACPI_BIOS_AREA_END), for a valid RSDP and
 * return its physical address; 0 if there is none. */
uint64_t acpi_rsdp_scan(const uint8_t *low);

/* Is the table at t, with avail bytes readable, whole and correctly summed?
 * Its declared length must cover the header, fit in avail and stay under
 * ACPI_TABLE_MAX. */
bool acpi_table_ok(const void *t, size_t avail);

/* Entries of a validated RSDT or XSDT. */
unsigned acpi_root_count(const void *root_table, bool xsdt);
uint64_t acpi_root_entry(const void *root_table, bool xsdt, unsigned i);

/* Decode a validated MADT ("APIC"). False if it is too short to hold the
 * fixed fields or lists no enabled CPU; *out is then unspecified. */
bool acpi_madt_parse(const void *madt, struct acpi_madt *out);

/* Decode a validated FADT ("FACP"). False if it is too short to hold
 * PM1a_CNT_BLK or names no DSDT. */
bool acpi_fadt_parse(const void *fadt, struct acpi_fadt *out);

/* Find Name(\_S5, Package(){SLP_TYPa, ...}) in len bytes of AML and return
 * SLP_TYPa, cut to the 3 bits the PM1 control register holds. */
bool acpi_find_s5(const uint8_t *aml, size_t len, uint16_t *slp_typa);

#endif
