/*
 * ELF64 image validation. The image comes from a boot module or, later,
 * from user space, so every field is hostile: each offset and size is
 * checked against the file before use, in a form that cannot overflow
 * (off <= len && size <= len - off), and *out is written only once the
 * whole image has been accepted.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <elf.h>
#include <tessera/abi.h>
#include <tessera/errno.h>

/* From the System V ABI (gABI) and its x86_64 supplement. */
#define EI_NIDENT 16
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define EV_CURRENT 1
#define ET_EXEC 2
#define ET_DYN 3
#define EM_X86_64 62
#define PT_LOAD 1
#define PT_INTERP 3
#define PT_PHDR 6
#define PF_X 1
#define PF_W 2
#define PF_R 4

struct ehdr {
	uint8_t ident[EI_NIDENT];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

#define EHDR_SIZE 64
#define PHDR_SIZE 56

/*
 * Fields are assembled byte by byte: the image need not be aligned, and
 * this reads little-endian whatever the host.
 */
static uint64_t rd(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	while (n-- > 0)
		v = v << 8 | p[n];
	return v;
}

static void read_ehdr(const uint8_t *p, struct ehdr *e)
{
	for (unsigned i = 0; i < EI_NIDENT; i++)
		e->ident[i] = p[i];
	e->type = rd(p + 16, 2);
	e->machine = rd(p + 18, 2);
	e->version = rd(p + 20, 4);
	e->entry = rd(p + 24, 8);
	e->phoff = rd(p + 32, 8);
	e->shoff = rd(p + 40, 8);
	e->flags = rd(p + 48, 4);
	e->ehsize = rd(p + 52, 2);
	e->phentsize = rd(p + 54, 2);
	e->phnum = rd(p + 56, 2);
	e->shentsize = rd(p + 58, 2);
	e->shnum = rd(p + 60, 2);
	e->shstrndx = rd(p + 62, 2);
}

static void read_phdr(const uint8_t *p, struct phdr *ph)
{
	ph->type = rd(p, 4);
	ph->flags = rd(p + 4, 4);
	ph->offset = rd(p + 8, 8);
	ph->vaddr = rd(p + 16, 8);
	ph->paddr = rd(p + 24, 8);
	ph->filesz = rd(p + 32, 8);
	ph->memsz = rd(p + 40, 8);
	ph->align = rd(p + 48, 8);
}

static bool in_file(uint64_t off, uint64_t size, size_t len)
{
	return off <= len && size <= len - off;
}

static bool ehdr_ok(const struct ehdr *e, size_t len)
{
	static const uint8_t magic[4] = { 0x7f, 'E', 'L', 'F' };

	for (unsigned i = 0; i < 4; i++)
		if (e->ident[i] != magic[i])
			return false;
	if (e->ident[4] != ELFCLASS64 || e->ident[5] != ELFDATA2LSB ||
	    e->ident[6] != EV_CURRENT || e->version != EV_CURRENT)
		return false;
	if ((e->type != ET_EXEC && e->type != ET_DYN) || e->machine != EM_X86_64)
		return false;
	/* An exact entry size lets us index program headers without surprises;
	 * phnum is 16-bit, so phnum * PHDR_SIZE cannot overflow. */
	if (e->phentsize != PHDR_SIZE || e->phnum == 0)
		return false;
	return in_file(e->phoff, (uint64_t)e->phnum * PHDR_SIZE, len);
}

static uint32_t prot_of(uint32_t flags)
{
	return (flags & PF_R ? TS_PROT_READ : 0) |
	       (flags & PF_W ? TS_PROT_WRITE : 0) |
	       (flags & PF_X ? TS_PROT_EXEC : 0);
}

static bool load_ok(const struct phdr *ph, size_t len)
{
	return ph->filesz <= ph->memsz && in_file(ph->offset, ph->filesz, len) &&
	       ph->vaddr < ELF_USER_TOP && ph->memsz <= ELF_USER_TOP - ph->vaddr;
}

static bool overlaps(const struct elf_segment *a, const struct elf_segment *b)
{
	return a->vaddr < b->vaddr + b->memsz && b->vaddr < a->vaddr + a->memsz;
}

/* What elf_parse learns from the program headers before committing. */
struct scan {
	unsigned n;
	struct elf_segment seg[ELF_MAX_SEGMENTS];
	bool have_phdr;
	uint64_t phdr_vaddr;
	int first_load_at0;     /* index in seg of the first offset-0 load, or -1 */
	uint64_t interp_offset, interp_len;
};

static int add_load(struct scan *s, const struct phdr *ph, size_t len)
{
	if (!load_ok(ph, len))
		return -ENOEXEC;
	/* An empty segment maps nothing; describing it would only give the
	 * loader a zero-length range to trip over. */
	if (ph->memsz == 0)
		return 0;
	if (s->n == ELF_MAX_SEGMENTS)
		return -ENOEXEC;
	struct elf_segment *g = &s->seg[s->n];
	g->vaddr = ph->vaddr;
	g->memsz = ph->memsz;
	g->offset = ph->offset;
	g->filesz = ph->filesz;
	g->prot = prot_of(ph->flags);
	for (unsigned i = 0; i < s->n; i++)
		if (overlaps(&s->seg[i], g))
			return -ENOEXEC;
	if (ph->offset == 0 && s->first_load_at0 < 0)
		s->first_load_at0 = s->n;
	s->n++;
	return 0;
}

static int add_phdr(struct scan *s, const struct phdr *ph, size_t len)
{
	switch (ph->type) {
	case PT_LOAD:
		return add_load(s, ph, len);
	case PT_PHDR:
		if (!s->have_phdr) {
			s->have_phdr = true;
			s->phdr_vaddr = ph->vaddr;
		}
		return 0;
	case PT_INTERP:
		/* Two interpreters would be ambiguous; an empty one is useless. */
		if (s->interp_len != 0 || ph->filesz == 0 ||
		    !in_file(ph->offset, ph->filesz, len))
			return -ENOEXEC;
		s->interp_offset = ph->offset;
		s->interp_len = ph->filesz;
		return 0;
	default:
		return 0;
	}
}

static bool entry_ok(const struct scan *s, uint64_t entry)
{
	for (unsigned i = 0; i < s->n; i++) {
		const struct elf_segment *g = &s->seg[i];
		if ((g->prot & TS_PROT_EXEC) && entry >= g->vaddr &&
		    entry - g->vaddr < g->memsz)
			return true;
	}
	return false;
}

/* The address of the program headers once loaded, for AT_PHDR. */
static uint64_t phdr_addr(const struct scan *s, const struct ehdr *e)
{
	if (s->have_phdr)
		return s->phdr_vaddr;
	if (s->first_load_at0 < 0)
		return 0;
	const struct elf_segment *g = &s->seg[s->first_load_at0];
	/* Both terms are bounded by len (checked in ehdr_ok): no overflow. */
	if (e->phoff + (uint64_t)e->phnum * PHDR_SIZE > g->filesz)
		return 0;
	return g->vaddr + e->phoff;
}

static void commit(struct elf_image *out, const struct scan *s,
		   const struct ehdr *e)
{
	out->entry = e->entry;
	out->nsegments = s->n;
	for (unsigned i = 0; i < s->n; i++) {
		out->seg[i].vaddr = s->seg[i].vaddr;
		out->seg[i].memsz = s->seg[i].memsz;
		out->seg[i].offset = s->seg[i].offset;
		out->seg[i].filesz = s->seg[i].filesz;
		out->seg[i].prot = s->seg[i].prot;
	}
	out->phdr_vaddr = phdr_addr(s, e);
	out->phent = e->phentsize;
	out->phnum = e->phnum;
	out->interp_offset = s->interp_offset;
	out->interp_len = s->interp_len;
}

int elf_parse(const void *image, size_t len, struct elf_image *out)
{
	const uint8_t *p = image;
	struct ehdr e;
	struct phdr ph;
	struct scan s;

	/* Field by field: zeroing seg[] would cost a memset for nothing. */
	s.n = 0;
	s.have_phdr = false;
	s.phdr_vaddr = 0;
	s.first_load_at0 = -1;
	s.interp_offset = s.interp_len = 0;
	if (p == NULL || len < EHDR_SIZE)
		return -ENOEXEC;
	read_ehdr(p, &e);
	if (!ehdr_ok(&e, len))
		return -ENOEXEC;
	for (unsigned i = 0; i < e.phnum; i++) {
		read_phdr(p + e.phoff + (uint64_t)i * PHDR_SIZE, &ph);
		int err = add_phdr(&s, &ph, len);
		if (err)
			return err;
	}
	if (!entry_ok(&s, e.entry))
		return -ENOEXEC;
	commit(out, &s, &e);
	return 0;
}
