/*
 * ACPI decoding against tables built by hand. Each table is handed over in
 * a heap block of exactly its length, so AddressSanitizer catches any read
 * past what the table declares.
 */
#include <stdint.h>
#include <stdlib.h>
#include "unit.h"
#include <acpi_parse.h>

static void put(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* Set the byte at sum_at so that the n bytes from p sum to zero. */
static void fix_sum(uint8_t *p, size_t n, size_t sum_at)
{
	uint8_t s = 0;

	p[sum_at] = 0;
	for (size_t i = 0; i < n; i++)
		s += p[i];
	p[sum_at] = (uint8_t)-s;
}

static uint8_t *dup(const uint8_t *b, size_t n)
{
	uint8_t *p = malloc(n);

	memcpy(p, b, n);
	return p;
}

/* A table of len bytes in an exact-size block, header filled and summed
 * once body (if any) has been laid out from offset 36 by the caller. */
static uint8_t *table(const char *sig, const uint8_t *body, size_t len)
{
	uint8_t *t = calloc(1, len);

	memcpy(t, sig, 4);
	put(t + 4, len, 4);
	t[8] = 1;
	if (body)
		memcpy(t + 36, body, len - 36);
	fix_sum(t, len, 9);
	return t;
}

static void rsdp(uint8_t *b, uint8_t rev, uint32_t rsdt, uint64_t xsdt)
{
	memset(b, 0, 36);
	memcpy(b, "RSD PTR ", 8);
	memcpy(b + 9, "TESTER", 6);
	b[15] = rev;
	put(b + 16, rsdt, 4);
	put(b + 20, 36, 4);
	put(b + 24, xsdt, 8);
	fix_sum(b, 20, 8);
	fix_sum(b, 36, 32);
}

TEST(acpi_checksum)
{
	uint8_t b[4] = { 0x10, 0x20, 0x30, 0xA0 };

	CHECK(acpi_checksum_ok(b, 4));
	CHECK(!acpi_checksum_ok(b, 3));
	CHECK(acpi_checksum_ok(b, 0));
}

TEST(acpi_rsdp_v1)
{
	uint8_t b[36];
	struct acpi_root r;

	rsdp(b, 0, 0x7FE1234, 0);
	uint8_t *p = dup(b, 20);       /* an ACPI 1.0 RSDP is only 20 bytes */
	CHECK(acpi_rsdp_parse(p, 20, &r));
	CHECK_EQ(r.addr, 0x7FE1234);
	CHECK(!r.xsdt);
	free(p);
}

TEST(acpi_rsdp_v2_prefers_xsdt)
{
	uint8_t b[36];
	struct acpi_root r;

	rsdp(b, 2, 0x7FE1234, 0x17FE5678ull);
	uint8_t *p = dup(b, 36);
	CHECK(acpi_rsdp_parse(p, 36, &r));
	CHECK_EQ(r.addr, 0x17FE5678ull);
	CHECK(r.xsdt);
	/* only the 1.0 part readable: use the RSDT without touching the rest */
	CHECK(acpi_rsdp_parse(p, 20, &r));
	CHECK_EQ(r.addr, 0x7FE1234);
	CHECK(!r.xsdt);
	free(p);
}

TEST(acpi_rsdp_v2_fallbacks)
{
	uint8_t b[36];
	struct acpi_root r;

	rsdp(b, 2, 0x1000, 0x2000);
	b[33] ^= 1;                    /* breaks only the extended checksum */
	CHECK(acpi_rsdp_parse(b, 36, &r));
	CHECK_EQ(r.addr, 0x1000);
	CHECK(!r.xsdt);

	rsdp(b, 2, 0x1000, 0);         /* no XSDT named */
	CHECK(acpi_rsdp_parse(b, 36, &r));
	CHECK_EQ(r.addr, 0x1000);

	rsdp(b, 2, 0x1000, 0x2000);
	put(b + 20, 40, 4);            /* length past what is readable */
	fix_sum(b, 36, 32);
	CHECK(acpi_rsdp_parse(b, 36, &r));
	CHECK(!r.xsdt);
}

TEST(acpi_rsdp_rejects)
{
	uint8_t b[36];
	struct acpi_root r = { 0x55, false };

	rsdp(b, 0, 0x1000, 0);
	CHECK(!acpi_rsdp_parse(b, 19, &r));
	b[0] = 'r';
	CHECK(!acpi_rsdp_parse(b, 36, &r));
	rsdp(b, 0, 0x1000, 0);
	b[16] ^= 1;
	CHECK(!acpi_rsdp_parse(b, 36, &r));
	rsdp(b, 0, 0, 0);
	CHECK(!acpi_rsdp_parse(b, 36, &r));
	CHECK_EQ(r.addr, 0x55);        /* untouched on failure */
}

/* The first MiB of physical memory, as the BIOS leaves it: exactly
 * ACPI_BIOS_AREA_END bytes, so that AddressSanitizer catches a scan that
 * runs past 1 MiB. ebda_seg goes in the BIOS data area word at 0x40E. */
static uint8_t *low_mem(uint16_t ebda_seg)
{
	uint8_t *m = calloc(1, ACPI_BIOS_AREA_END);

	put(m + 0x40E, ebda_seg, 2);
	return m;
}

TEST(acpi_rsdp_scan_bios_rom)
{
	uint8_t *m = low_mem(0), v1[36];

	CHECK_EQ(acpi_rsdp_scan(m), 0);
	rsdp(m + 0xF5A40, 2, 0x1000, 0x2000);
	CHECK_EQ(acpi_rsdp_scan(m), 0xF5A40);
	/* an ACPI 1.0 RSDP (20 bytes) at the last place one fits */
	memset(m + 0xF5A40, 0, 36);
	rsdp(v1, 0, 0x1000, 0);
	memcpy(m + 0xFFFE0, v1, 20);
	CHECK_EQ(acpi_rsdp_scan(m), 0xFFFE0);
	free(m);
}

TEST(acpi_rsdp_scan_ebda_first)
{
	uint8_t *m = low_mem(0x9FC0);

	rsdp(m + 0xF0000, 2, 0x1000, 0x2000);
	rsdp(m + 0x9FC00 + 0x3D0, 2, 0x3000, 0x4000);   /* the EBDA's first KiB */
	CHECK_EQ(acpi_rsdp_scan(m), 0x9FC00 + 0x3D0);
	/* past its first KiB, the EBDA is not searched */
	memset(m + 0x9FC00 + 0x3D0, 0, 36);
	rsdp(m + 0x9FC00 + 0x400, 2, 0x3000, 0x4000);
	CHECK_EQ(acpi_rsdp_scan(m), 0xF0000);
	free(m);
}

TEST(acpi_rsdp_scan_rejects)
{
	uint8_t *m = low_mem(0x9FF0);   /* an EBDA whose KiB would cross 0xA0000 */

	rsdp(m + 0x9FF00, 2, 0x1000, 0x2000);
	rsdp(m + 0xE0008, 2, 0x1000, 0x2000);            /* not on a 16-byte boundary */
	rsdp(m + 0xE1000, 2, 0x1000, 0x2000);
	m[0xE1000 + 3] ^= 1;                             /* bad signature */
	rsdp(m + 0xE2000, 2, 0x1000, 0x2000);
	m[0xE2000 + 9] ^= 1;                             /* bad checksum */
	CHECK_EQ(acpi_rsdp_scan(m), 0);
	free(m);
}

TEST(acpi_table_checks)
{
	uint8_t *t = table("APIC", NULL, 44);

	CHECK(acpi_table_ok(t, 44));
	CHECK(acpi_table_ok(t, 4096));
	CHECK(!acpi_table_ok(t, 43));
	CHECK(!acpi_table_ok(t, 35));
	t[40] = 1;
	CHECK(!acpi_table_ok(t, 44));
	free(t);

	uint8_t h[36] = "APIC";
	put(h + 4, 20, 4);             /* shorter than its own header */
	fix_sum(h, 36, 9);
	CHECK(!acpi_table_ok(h, 36));
	put(h + 4, ACPI_TABLE_MAX + 1, 4);
	fix_sum(h, 36, 9);
	CHECK(!acpi_table_ok(h, SIZE_MAX));   /* refused before summing */
}

TEST(acpi_root_walk)
{
	uint8_t body[16];

	put(body, 0x1000, 4);
	put(body + 4, 0x2000, 4);
	put(body + 8, 0x3000, 4);
	uint8_t *rsdt = table("RSDT", body, 36 + 12);
	CHECK(acpi_table_ok(rsdt, 48));
	CHECK_EQ(acpi_root_count(rsdt, false), 3);
	CHECK_EQ(acpi_root_entry(rsdt, false, 0), 0x1000);
	CHECK_EQ(acpi_root_entry(rsdt, false, 2), 0x3000);
	CHECK_EQ(acpi_root_entry(rsdt, false, 3), 0);
	free(rsdt);

	/* XSDT entries sit at 4-byte offsets; a trailing partial entry is not one */
	put(body, 0x123456789Aull, 8);
	put(body + 8, 0x4000, 8);
	uint8_t *xsdt = table("XSDT", body, 36 + 12);
	CHECK_EQ(acpi_root_count(xsdt, true), 1);
	CHECK_EQ(acpi_root_entry(xsdt, true, 0), 0x123456789Aull);
	CHECK_EQ(acpi_root_entry(xsdt, true, 1), 0);
	free(xsdt);
}

/* MADT body builder: local APIC address and flags, then entries. */
struct madt_buf {
	uint8_t b[512];
	size_t n;
};

static void madt_start(struct madt_buf *m, uint32_t lapic)
{
	memset(m, 0, sizeof *m);
	put(m->b, lapic, 4);
	put(m->b + 4, 1, 4);           /* PCAT_COMPAT */
	m->n = 8;
}

static void madt_lapic(struct madt_buf *m, uint8_t apic_id, uint32_t flags)
{
	uint8_t *e = m->b + m->n;

	e[0] = 0;
	e[1] = 8;
	e[2] = apic_id;                /* processor UID */
	e[3] = apic_id;
	put(e + 4, flags, 4);
	m->n += 8;
}

static void madt_ioapic(struct madt_buf *m, uint8_t id, uint32_t addr, uint32_t gsi_base)
{
	uint8_t *e = m->b + m->n;

	e[0] = 1;
	e[1] = 12;
	e[2] = id;
	put(e + 4, addr, 4);
	put(e + 8, gsi_base, 4);
	m->n += 12;
}

static void madt_override(struct madt_buf *m, uint8_t bus, uint8_t irq, uint32_t gsi, uint16_t flags)
{
	uint8_t *e = m->b + m->n;

	e[0] = 2;
	e[1] = 10;
	e[2] = bus;
	e[3] = irq;
	put(e + 4, gsi, 4);
	put(e + 8, flags, 2);
	m->n += 10;
}

static uint8_t *madt_table(const struct madt_buf *m)
{
	return table("APIC", m->b, 36 + m->n);
}

/* What QEMU's i440fx machine builds with -smp 2 (plus a disabled CPU). */
TEST(acpi_madt_qemu)
{
	struct madt_buf m;
	struct acpi_madt out;

	madt_start(&m, 0xFEE00000);
	madt_lapic(&m, 0, 1);
	madt_lapic(&m, 1, 1);
	madt_lapic(&m, 2, 0);
	madt_ioapic(&m, 0, 0xFEC00000, 0);
	madt_ioapic(&m, 1, 0xFEC01000, 24);
	madt_override(&m, 0, 0, 2, 0);
	madt_override(&m, 0, 5, 5, 0xD);
	madt_override(&m, 0, 9, 9, 0xD);
	uint8_t *t = madt_table(&m);
	CHECK(acpi_madt_parse(t, &out));
	CHECK_EQ(out.lapic_phys, 0xFEE00000);
	CHECK_EQ(out.ncpus, 2);
	CHECK_EQ(out.cpu_apic_id[0], 0);
	CHECK_EQ(out.cpu_apic_id[1], 1);
	CHECK(out.have_ioapic);
	CHECK_EQ(out.ioapic_phys, 0xFEC00000);
	CHECK_EQ(out.ioapic_gsi_base, 0);
	CHECK_EQ(out.noverrides, 3);
	CHECK_EQ(out.override[0].isa_irq, 0);
	CHECK_EQ(out.override[0].gsi, 2);
	CHECK_EQ(out.override[0].flags, 0);
	CHECK_EQ(out.override[2].isa_irq, 9);
	CHECK_EQ(out.override[2].flags & ACPI_INTI_TRIGGER_MASK, ACPI_INTI_LEVEL);
	CHECK_EQ(out.override[2].flags & ACPI_INTI_POLARITY_MASK, ACPI_INTI_ACTIVE_HIGH);
	free(t);
}

TEST(acpi_madt_malformed_entries)
{
	struct madt_buf m;
	struct acpi_madt out;

	/* the last entry claims more bytes than the table has */
	madt_start(&m, 0xFEE00000);
	madt_lapic(&m, 3, 1);
	madt_ioapic(&m, 0, 0xFEC00000, 0);
	m.n -= 2;
	uint8_t *t = madt_table(&m);
	CHECK(acpi_madt_parse(t, &out));
	CHECK_EQ(out.ncpus, 1);
	CHECK_EQ(out.cpu_apic_id[0], 3);
	CHECK(!out.have_ioapic);
	free(t);

	/* a zero-length entry ends the walk rather than spinning on it */
	madt_start(&m, 0xFEE00000);
	madt_lapic(&m, 0, 1);
	m.b[m.n + 1] = 0;
	m.n += 2;
	madt_lapic(&m, 1, 1);
	t = madt_table(&m);
	CHECK(acpi_madt_parse(t, &out));
	CHECK_EQ(out.ncpus, 1);
	free(t);

	/* entries too short for their type are skipped, not over-read */
	madt_start(&m, 0xFEE00000);
	madt_lapic(&m, 0, 1);
	madt_ioapic(&m, 0, 0xFEC00000, 0);
	m.b[m.n - 12 + 1] = 6;
	m.n -= 6;
	madt_override(&m, 1, 0, 2, 0);     /* not ISA */
	madt_override(&m, 0, 16, 16, 0);   /* not an ISA IRQ */
	t = madt_table(&m);
	CHECK(acpi_madt_parse(t, &out));
	CHECK(!out.have_ioapic);
	CHECK_EQ(out.noverrides, 0);
	free(t);
}

TEST(acpi_madt_limits)
{
	struct madt_buf m;
	struct acpi_madt out;

	madt_start(&m, 0xFEE00000);
	for (unsigned i = 0; i < ACPI_MADT_MAX_CPUS + 4; i++)
		madt_lapic(&m, (uint8_t)i, 1);
	for (unsigned i = 0; i < ACPI_MADT_MAX_OVERRIDES + 2; i++)
		madt_override(&m, 0, (uint8_t)(i % 16), i, 0);
	uint8_t *t = madt_table(&m);
	CHECK(acpi_madt_parse(t, &out));
	CHECK_EQ(out.ncpus, ACPI_MADT_MAX_CPUS);
	CHECK_EQ(out.cpu_apic_id[ACPI_MADT_MAX_CPUS - 1], ACPI_MADT_MAX_CPUS - 1);
	CHECK_EQ(out.noverrides, ACPI_MADT_MAX_OVERRIDES);
	free(t);
}

TEST(acpi_madt_rejects)
{
	struct madt_buf m;
	struct acpi_madt out;

	madt_start(&m, 0xFEE00000);
	madt_lapic(&m, 0, 0);
	uint8_t *t = madt_table(&m);
	CHECK(!acpi_madt_parse(t, &out));   /* no enabled CPU */
	free(t);

	t = table("APIC", m.b, 40);         /* no room for the flags */
	CHECK(!acpi_madt_parse(t, &out));
	free(t);
}

TEST(acpi_madt_lapic_address_override)
{
	struct madt_buf m;
	struct acpi_madt out;

	madt_start(&m, 0xFEE00000);
	madt_lapic(&m, 0, 1);
	uint8_t *e = m.b + m.n;
	e[0] = 5;
	e[1] = 12;
	put(e + 4, 0x1FEE00000ull, 8);
	m.n += 12;
	uint8_t *t = madt_table(&m);
	CHECK(acpi_madt_parse(t, &out));
	CHECK_EQ(out.lapic_phys, 0x1FEE00000ull);
	free(t);
}

static uint8_t *fadt(size_t len, uint32_t dsdt, uint64_t x_dsdt, uint32_t pm1a_cnt)
{
	uint8_t body[244 - 36] = { 0 };

	put(body + 40 - 36, dsdt, 4);
	put(body + 64 - 36, pm1a_cnt, 4);
	if (len >= 148)
		put(body + 140 - 36, x_dsdt, 8);
	return table("FACP", body, len);
}

TEST(acpi_fadt)
{
	struct acpi_fadt f;
	uint8_t *t = fadt(116, 0x7FE0040, 0, 0x604);   /* ACPI 1.0 layout */

	CHECK(acpi_fadt_parse(t, &f));
	CHECK_EQ(f.dsdt_phys, 0x7FE0040);
	CHECK_EQ(f.pm1a_cnt_port, 0x604);
	free(t);

	t = fadt(244, 0x7FE0040, 0x17FE0040ull, 0x604);
	CHECK(acpi_fadt_parse(t, &f));
	CHECK_EQ(f.dsdt_phys, 0x17FE0040ull);
	free(t);

	t = fadt(244, 0x7FE0040, 0, 0xB004);
	CHECK(acpi_fadt_parse(t, &f));
	CHECK_EQ(f.dsdt_phys, 0x7FE0040);
	CHECK_EQ(f.pm1a_cnt_port, 0xB004);
	free(t);

	t = fadt(244, 0, 0, 0x604);
	CHECK(!acpi_fadt_parse(t, &f));
	free(t);

	t = fadt(67, 0x7FE0040, 0, 0);      /* ends inside PM1a_CNT_BLK */
	CHECK(!acpi_fadt_parse(t, &f));
	free(t);
}

/* Run acpi_find_s5 on an exact-size copy of n bytes of AML. */
static bool s5(const char *aml, size_t n, uint16_t *typ)
{
	uint8_t *p = dup((const uint8_t *)aml, n);
	bool ok = acpi_find_s5(p, n, typ);

	free(p);
	return ok;
}

#define S5(lit, typ) s5(lit, sizeof(lit) - 1, typ)

TEST(acpi_s5_forms)
{
	uint16_t typ = 0x55;

	/* QEMU: Name (_S5, Package (0x04) { Zero, Zero, Zero, Zero }) */
	CHECK(S5("\x10\x20\x08_S5_\x12\x06\x04\x00\x00\x00\x00", &typ));
	CHECK_EQ(typ, 0);
	/* Bochs: Name (\_S5, Package (0x04) { 0x05, 0x05, Zero, Zero }) */
	CHECK(S5("\x08\\_S5_\x12\x08\x04\x0A\x05\x0A\x05\x00\x00", &typ));
	CHECK_EQ(typ, 5);
	CHECK(S5("\x08_S5_\x12\x04\x02\x01\x01", &typ));
	CHECK_EQ(typ, 1);
	CHECK(S5("\x08_S5_\x12\x04\x02\xFF\xFF", &typ));
	CHECK_EQ(typ, 7);                  /* SLP_TYP is 3 bits wide */
	CHECK(S5("\x08_S5_\x12\x05\x02\x0A\x0D\x00", &typ));
	CHECK_EQ(typ, 5);
}

TEST(acpi_s5_skips_references)
{
	uint16_t typ = 0x55;

	/* Store (_S5_, Local0) first, then the declaration */
	CHECK(S5("\x70_S5_\x60\x08_S5_\x12\x05\x02\x0A\x03\x00", &typ));
	CHECK_EQ(typ, 3);
	/* a name at the very start has no NameOp to look back at */
	typ = 0x55;
	CHECK(!S5("_S5_\x12\x05\x02\x0A\x03\x00", &typ));
	CHECK_EQ(typ, 0x55);
}

TEST(acpi_s5_long_pkglength)
{
	uint8_t aml[80] = { 0x08, '_', 'S', '5', '_', 0x12 };
	uint16_t typ = 0;

	/* PkgLength 0x48 in two bytes: lead 0x48 (1 follows, nibble 8), then 0x04 */
	aml[6] = 0x48;
	aml[7] = 0x04;
	aml[8] = 0x04;
	aml[9] = 0x0A;
	aml[10] = 0x06;
	CHECK(s5((const char *)aml, 6 + 0x48, &typ));
	CHECK_EQ(typ, 6);
	/* the same package cut one byte short of its PkgLength */
	CHECK(!s5((const char *)aml, 6 + 0x47, &typ));
}

TEST(acpi_s5_truncated)
{
	uint16_t typ = 0x55;

	CHECK(!S5("\x08_S5_", &typ));
	CHECK(!S5("\x08_S5_\x12", &typ));
	CHECK(!S5("\x08_S5_\x12\x40", &typ));              /* PkgLength cut off */
	CHECK(!S5("\x08_S5_\x12\x06\x04\x00", &typ));      /* past the AML */
	CHECK(!S5("\x08_S5_\x12\x02\x01\x0A\x05", &typ));  /* first element outside */
	CHECK(!S5("\x08_S5_\x12\x03\x01\x0A\x05", &typ));  /* BytePrefix value outside */
	CHECK(!S5("\x08_S5_\x12\x00\x01\x00", &typ));      /* PkgLength under its size */
	CHECK(!S5("\x08_S5_\x12\x03\x00\x00", &typ));      /* no elements */
	CHECK(!S5("\x08_S5_\x12\x05\x02\x0B\x05\x00", &typ)); /* WordPrefix */
	CHECK(!S5("\x08_S5_\x14\x05\x02\x0A\x05\x00", &typ)); /* a Method, not a Package */
	CHECK_EQ(typ, 0x55);
}
