/*
 * ACPI table decoding (see acpi_parse.h). Fields are read byte by byte in
 * little-endian order: firmware tables pack 64-bit values at 4-byte
 * offsets, and this file also runs on the host under UBSan.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <acpi_parse.h>

#define HDR_LEN sizeof(struct acpi_sdt_header)

/* MADT: after the header, the local APIC address and flags, then entries
 * of { type, length, ... }. */
#define MADT_LAPIC_ADDR  36
#define MADT_ENTRIES     44
#define MADT_LAPIC       0
#define MADT_IOAPIC      1
#define MADT_OVERRIDE    2
#define MADT_LAPIC_ADDR_OVERRIDE 5
#define MADT_LAPIC_ENABLED 0x1
#define ISA_IRQS         16

/* BIOS memory (ACPI 6.x, section 5.2.5.1). */
#define BDA_EBDA_SEGMENT 0x40E
#define EBDA_SCAN_LEN    1024
#define EBDA_END         0xA0000
#define BIOS_ROM_START   0xE0000

/* FADT field offsets (ACPI 6.x, table 5.9). */
#define FADT_DSDT        40
#define FADT_PM1A_CNT    64
#define FADT_X_DSDT      140

/* AML opcodes (ACPI 6.x, section 20). */
#define AML_ZERO         0x00
#define AML_ONE          0x01
#define AML_NAME         0x08
#define AML_BYTE_PREFIX  0x0A
#define AML_PACKAGE      0x12
#define AML_ROOT_CHAR    0x5C
#define AML_ONES         0xFF

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const uint8_t *p)
{
	return le16(p) | (uint32_t)le16(p + 2) << 16;
}

static uint64_t le64(const uint8_t *p)
{
	return le32(p) | (uint64_t)le32(p + 4) << 32;
}

static bool bytes_eq(const void *a, const char *b, size_t n)
{
	const uint8_t *p = a;

	for (size_t i = 0; i < n; i++)
		if (p[i] != (uint8_t)b[i])
			return false;
	return true;
}

static uint32_t table_len(const void *t)
{
	return le32((const uint8_t *)t + 4);
}

bool acpi_checksum_ok(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += b[i];
	return sum == 0;
}

/* The ACPI 2.0 part is optional: a bad one still leaves the RSDT usable. */
static bool rsdp_v2_ok(const struct acpi_rsdp *r, size_t avail)
{
	if (r->revision < 2 || avail < sizeof *r)
		return false;
	return r->length >= sizeof *r && r->length <= avail &&
	       r->length <= ACPI_TABLE_MAX && acpi_checksum_ok(r, r->length);
}

bool acpi_rsdp_parse(const void *p, size_t avail, struct acpi_root *root)
{
	const struct acpi_rsdp *r = p;

	if (avail < ACPI_RSDP_V1_LEN || !bytes_eq(r->signature, "RSD PTR ", 8) ||
	    !acpi_checksum_ok(r, ACPI_RSDP_V1_LEN))
		return false;
	if (rsdp_v2_ok(r, avail) && r->xsdt_address) {
		*root = (struct acpi_root){ r->xsdt_address, true };
		return true;
	}
	if (!r->rsdt_address)
		return false;
	*root = (struct acpi_root){ r->rsdt_address, false };
	return true;
}

static uint64_t rsdp_scan_range(const uint8_t *low, uint64_t start, uint64_t end)
{
	struct acpi_root root;

	for (uint64_t pa = start; pa + ACPI_RSDP_V1_LEN <= end; pa += 16)
		if (acpi_rsdp_parse(low + pa, end - pa, &root))
			return pa;
	return 0;
}

uint64_t acpi_rsdp_scan(const uint8_t *low)
{
	uint64_t ebda = (uint64_t)le16(low + BDA_EBDA_SEGMENT) << 4;
	uint64_t pa = 0;

	if (ebda && ebda + EBDA_SCAN_LEN <= EBDA_END)
		pa = rsdp_scan_range(low, ebda, ebda + EBDA_SCAN_LEN);
	return pa ? pa : rsdp_scan_range(low, BIOS_ROM_START, ACPI_BIOS_AREA_END);
}

bool acpi_table_ok(const void *t, size_t avail)
{
	if (avail < HDR_LEN)
		return false;
	uint32_t len = table_len(t);
	return len >= HDR_LEN && len <= avail && len <= ACPI_TABLE_MAX &&
	       acpi_checksum_ok(t, len);
}

unsigned acpi_root_count(const void *root_table, bool xsdt)
{
	return (table_len(root_table) - HDR_LEN) / (xsdt ? 8 : 4);
}

uint64_t acpi_root_entry(const void *root_table, bool xsdt, unsigned i)
{
	const uint8_t *e = (const uint8_t *)root_table + HDR_LEN;

	if (i >= acpi_root_count(root_table, xsdt))
		return 0;
	return xsdt ? le64(e + 8 * (size_t)i) : le32(e + 4 * (size_t)i);
}

static void madt_lapic(struct acpi_madt *m, const uint8_t *e, uint8_t len)
{
	/* A disabled entry is a CPU that is absent or cannot be started. */
	if (len < 8 || !(le32(e + 4) & MADT_LAPIC_ENABLED))
		return;
	if (m->ncpus < ACPI_MADT_MAX_CPUS)
		m->cpu_apic_id[m->ncpus++] = e[3];
}

static void madt_ioapic(struct acpi_madt *m, const uint8_t *e, uint8_t len)
{
	if (len < 12 || m->have_ioapic || !le32(e + 4))
		return;
	m->have_ioapic = true;
	m->ioapic_phys = le32(e + 4);
	m->ioapic_gsi_base = le32(e + 8);
}

static void madt_override(struct acpi_madt *m, const uint8_t *e, uint8_t len)
{
	/* Bus 0 is ISA, the only bus the spec defines for overrides. */
	if (len < 10 || e[2] != 0 || e[3] >= ISA_IRQS || m->noverrides >= ACPI_MADT_MAX_OVERRIDES)
		return;
	m->override[m->noverrides].isa_irq = e[3];
	m->override[m->noverrides].gsi = le32(e + 4);
	m->override[m->noverrides].flags = le16(e + 8);
	m->noverrides++;
}

static void madt_entry(struct acpi_madt *m, const uint8_t *e, uint8_t len)
{
	switch (e[0]) {
	case MADT_LAPIC:
		madt_lapic(m, e, len);
		break;
	case MADT_IOAPIC:
		madt_ioapic(m, e, len);
		break;
	case MADT_OVERRIDE:
		madt_override(m, e, len);
		break;
	case MADT_LAPIC_ADDR_OVERRIDE:
		if (len >= 12 && le64(e + 4))
			m->lapic_phys = le64(e + 4);
		break;
	}
}

bool acpi_madt_parse(const void *madt, struct acpi_madt *out)
{
	const uint8_t *t = madt;
	uint32_t len = table_len(madt);

	if (len < MADT_ENTRIES)
		return false;
	*out = (struct acpi_madt){ .lapic_phys = le32(t + MADT_LAPIC_ADDR) };
	for (uint32_t off = MADT_ENTRIES; len - off >= 2;) {
		uint8_t elen = t[off + 1];
		/* under 2 would never advance; past the end is corrupt */
		if (elen < 2 || elen > len - off)
			break;
		madt_entry(out, t + off, elen);
		off += elen;
	}
	return out->ncpus > 0 && out->lapic_phys != 0;
}

bool acpi_fadt_parse(const void *fadt, struct acpi_fadt *out)
{
	const uint8_t *t = fadt;
	uint32_t len = table_len(fadt);

	if (len < FADT_PM1A_CNT + 4)
		return false;
	out->pm1a_cnt_port = le32(t + FADT_PM1A_CNT);
	out->dsdt_phys = le32(t + FADT_DSDT);
	/* ACPI 1.0 FADTs end before X_DSDT; later ones may leave it zero. */
	if (len >= FADT_X_DSDT + 8 && le64(t + FADT_X_DSDT))
		out->dsdt_phys = le64(t + FADT_X_DSDT);
	return out->dsdt_phys != 0;
}

/* Decode the PkgLength at p, of which n bytes are readable: the lead byte's
 * top two bits count the bytes that follow; with none, its low 6 bits are
 * the length, else its low 4 bits are the least significant nibble. Returns
 * the bytes the encoding takes, 0 if it runs past n. */
static size_t aml_pkg_length(const uint8_t *p, size_t n, uint32_t *len)
{
	if (n < 1)
		return 0;
	size_t follow = p[0] >> 6;
	if (n < 1 + follow)
		return 0;
	if (!follow) {
		*len = p[0] & 0x3F;
		return 1;
	}
	*len = p[0] & 0x0F;
	for (size_t i = 0; i < follow; i++)
		*len |= (uint32_t)p[1 + i] << (4 + 8 * i);
	return 1 + follow;
}

/* Is the NameSeg at aml[i] the name in a Name() declaration? */
static bool aml_declared_name(const uint8_t *aml, size_t i)
{
	if (i >= 1 && aml[i - 1] == AML_NAME)
		return true;
	return i >= 2 && aml[i - 1] == AML_ROOT_CHAR && aml[i - 2] == AML_NAME;
}

/* Decode Package(){SLP_TYPa, ...} at p, with n bytes to the end of the AML. */
static bool s5_package(const uint8_t *p, size_t n, uint16_t *slp_typa)
{
	uint32_t pkglen;
	uint8_t v;

	if (n < 1 || p[0] != AML_PACKAGE)
		return false;
	size_t used = aml_pkg_length(p + 1, n - 1, &pkglen);
	/* PkgLength counts its own bytes and the rest of the package */
	if (!used || pkglen < used || pkglen > n - 1)
		return false;
	const uint8_t *body = p + 1 + used;
	size_t left = pkglen - used;
	if (left < 2 || body[0] == 0)       /* NumElements, first element */
		return false;
	switch (body[1]) {
	case AML_BYTE_PREFIX:
		if (left < 3)
			return false;
		v = body[2];
		break;
	case AML_ZERO:
		v = 0;
		break;
	case AML_ONE:
		v = 1;
		break;
	case AML_ONES:
		v = 0xFF;
		break;
	default:
		return false;
	}
	*slp_typa = v & 7;
	return true;
}

bool acpi_find_s5(const uint8_t *aml, size_t len, uint16_t *slp_typa)
{
	for (size_t i = 0; i + 4 <= len; i++) {
		/* "_S5_" also occurs in references and strings: keep looking
		 * until one is a Name() whose package decodes */
		if (bytes_eq(aml + i, "_S5_", 4) && aml_declared_name(aml, i) &&
		    s5_package(aml + i + 4, len - i - 4, slp_typa))
			return true;
	}
	return false;
}
