/*
 * elf_parse against images built by hand. Malformed images are copied into
 * a heap block of exactly their length, so AddressSanitizer catches any
 * read past the end.
 */
#include <stdint.h>
#include <stdlib.h>
#include "unit.h"
#include <elf.h>
#include <tessera/abi.h>
#include <tessera/errno.h>

#define IMG_LEN 0x2000
#define PHOFF 64
#define PHSZ 56
#define PT_LOAD 1
#define PT_INTERP 3
#define PT_PHDR 6
#define PF_X 1
#define PF_W 2
#define PF_R 4
#define ET_EXEC 2
#define ET_DYN 3

static void put(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void ehdr(uint8_t *b, uint16_t type, uint64_t entry, uint16_t phnum)
{
	static const uint8_t ident[8] = { 0x7f, 'E', 'L', 'F', 2, 1, 1, 0 };

	memcpy(b, ident, sizeof ident);
	put(b + 16, type, 2);
	put(b + 18, 62, 2);          /* EM_X86_64 */
	put(b + 20, 1, 4);           /* EV_CURRENT */
	put(b + 24, entry, 8);
	put(b + 32, PHOFF, 8);
	put(b + 52, 64, 2);
	put(b + 54, PHSZ, 2);
	put(b + 56, phnum, 2);
}

static void phdr(uint8_t *b, int i, uint32_t type, uint32_t flags, uint64_t off,
		 uint64_t vaddr, uint64_t filesz, uint64_t memsz)
{
	uint8_t *p = b + PHOFF + i * PHSZ;

	put(p, type, 4);
	put(p + 4, flags, 4);
	put(p + 8, off, 8);
	put(p + 16, vaddr, 8);
	put(p + 24, vaddr, 8);
	put(p + 32, filesz, 8);
	put(p + 40, memsz, 8);
	put(p + 48, 0x1000, 8);
}

/* Field offsets within a program header, for tests that corrupt one. */
#define PH_FIELD(b, i, off) ((b) + PHOFF + (i) * PHSZ + (off))
#define P_OFFSET 8
#define P_VADDR 16
#define P_FILESZ 32
#define P_MEMSZ 40

/*
 * The reference image: PT_PHDR, text (R+X, file 0..0x1000, holding the
 * headers) and data (R+W, 0x800 bytes of file, 0x2000 in memory).
 */
static void good(uint8_t *b)
{
	memset(b, 0, IMG_LEN);
	ehdr(b, ET_EXEC, 0x400100, 3);
	phdr(b, 0, PT_PHDR, PF_R, PHOFF, 0x400040, 3 * PHSZ, 3 * PHSZ);
	phdr(b, 1, PT_LOAD, PF_R | PF_X, 0, 0x400000, 0x1000, 0x1000);
	phdr(b, 2, PT_LOAD, PF_R | PF_W, 0x1000, 0x401000, 0x1000, 0x2000);
}

/* Parse a private heap copy of exactly len bytes. */
static int parse(const uint8_t *b, size_t len, struct elf_image *out)
{
	uint8_t *copy = malloc(len ? len : 1);
	memcpy(copy, b, len);
	int r = elf_parse(copy, len, out);
	free(copy);
	return r;
}

static int parse_good_modified(uint8_t *b)
{
	struct elf_image img;
	return parse(b, IMG_LEN, &img);
}

TEST(elf_valid_exec)
{
	uint8_t b[IMG_LEN];
	struct elf_image img;

	good(b);
	CHECK_EQ(parse(b, IMG_LEN, &img), 0);
	CHECK_EQ(img.entry, 0x400100);
	CHECK_EQ(img.nsegments, 2);
	CHECK_EQ(img.seg[0].vaddr, 0x400000);
	CHECK_EQ(img.seg[0].memsz, 0x1000);
	CHECK_EQ(img.seg[0].offset, 0);
	CHECK_EQ(img.seg[0].filesz, 0x1000);
	CHECK_EQ(img.seg[0].prot, TS_PROT_READ | TS_PROT_EXEC);
	CHECK_EQ(img.seg[1].vaddr, 0x401000);
	CHECK_EQ(img.seg[1].memsz, 0x2000);
	CHECK_EQ(img.seg[1].offset, 0x1000);
	CHECK_EQ(img.seg[1].filesz, 0x1000);
	CHECK_EQ(img.seg[1].prot, TS_PROT_READ | TS_PROT_WRITE);
	CHECK_EQ(img.phdr_vaddr, 0x400040);
	CHECK_EQ(img.phent, PHSZ);
	CHECK_EQ(img.phnum, 3);
	CHECK_EQ(img.interp_offset, 0);
	CHECK_EQ(img.interp_len, 0);
}

TEST(elf_phdr_vaddr_from_pt_phdr)
{
	uint8_t b[IMG_LEN];
	struct elf_image img;

	/* PT_PHDR wins even where the first load would say otherwise. */
	good(b);
	put(PH_FIELD(b, 0, P_VADDR), 0x401800, 8);
	CHECK_EQ(parse(b, IMG_LEN, &img), 0);
	CHECK_EQ(img.phdr_vaddr, 0x401800);
}

TEST(elf_phdr_vaddr_from_first_load)
{
	uint8_t b[IMG_LEN];
	struct elf_image img;

	good(b);
	put(PH_FIELD(b, 0, 0), 0, 4);          /* PT_PHDR -> PT_NULL */
	CHECK_EQ(parse(b, IMG_LEN, &img), 0);
	CHECK_EQ(img.phdr_vaddr, 0x400000 + PHOFF);
}

TEST(elf_phdr_vaddr_not_covered)
{
	uint8_t b[IMG_LEN];
	struct elf_image img;

	/* The offset-0 load stops one byte short of the last header. */
	good(b);
	put(PH_FIELD(b, 0, 0), 0, 4);
	put(PH_FIELD(b, 1, P_FILESZ), PHOFF + 3 * PHSZ - 1, 8);
	CHECK_EQ(parse(b, IMG_LEN, &img), 0);
	CHECK_EQ(img.phdr_vaddr, 0);

	/* Exactly covering is enough. */
	put(PH_FIELD(b, 1, P_FILESZ), PHOFF + 3 * PHSZ, 8);
	CHECK_EQ(parse(b, IMG_LEN, &img), 0);
	CHECK_EQ(img.phdr_vaddr, 0x400000 + PHOFF);

	/* No load at file offset 0 at all. */
	good(b);
	put(PH_FIELD(b, 0, 0), 0, 4);
	phdr(b, 1, PT_LOAD, PF_R | PF_X, 0x1000, 0x400000, 0x1000, 0x1000);
	phdr(b, 2, PT_LOAD, PF_R | PF_W, 0x1000, 0x401000, 0x1000, 0x1000);
	CHECK_EQ(parse(b, IMG_LEN, &img), 0);
	CHECK_EQ(img.phdr_vaddr, 0);
}

TEST(elf_dyn_at_link_address_zero)
{
	uint8_t b[IMG_LEN];
	struct elf_image img;

	memset(b, 0, IMG_LEN);
	ehdr(b, ET_DYN, 0x10, 2);
	phdr(b, 0, PT_LOAD, PF_R | PF_X, 0, 0, 0x1000, 0x1000);
	phdr(b, 1, PT_LOAD, PF_R | PF_W, 0x1000, 0x1000, 0x1000, 0x1000);
	CHECK_EQ(parse(b, IMG_LEN, &img), 0);
	CHECK_EQ(img.entry, 0x10);
	CHECK_EQ(img.nsegments, 2);
	CHECK_EQ(img.seg[0].vaddr, 0);
	CHECK_EQ(img.phdr_vaddr, PHOFF);
}

TEST(elf_prot_from_flags)
{
	uint8_t b[IMG_LEN];
	struct elf_image img;
	static const uint32_t want[8] = {
		0, TS_PROT_EXEC, TS_PROT_WRITE, TS_PROT_WRITE | TS_PROT_EXEC,
		TS_PROT_READ, TS_PROT_READ | TS_PROT_EXEC,
		TS_PROT_READ | TS_PROT_WRITE,
		TS_PROT_READ | TS_PROT_WRITE | TS_PROT_EXEC,
	};

	for (uint32_t f = 0; f < 8; f++) {
		good(b);
		/* Upper flag bits (e.g. PF_MASKOS) must not leak into prot. */
		put(PH_FIELD(b, 2, 4), f | 0x0ff00000, 4);
		CHECK_EQ(parse(b, IMG_LEN, &img), 0);
		CHECK_EQ(img.seg[1].prot, want[f]);
	}
}

TEST(elf_bss_only_segment)
{
	uint8_t b[IMG_LEN];
	struct elf_image img;

	good(b);
	put(PH_FIELD(b, 2, P_FILESZ), 0, 8);
	CHECK_EQ(parse(b, IMG_LEN, &img), 0);
	CHECK_EQ(img.seg[1].filesz, 0);
	CHECK_EQ(img.seg[1].memsz, 0x2000);
}

TEST(elf_empty_load_is_skipped)
{
	uint8_t b[IMG_LEN];
	struct elf_image img;

	/* memsz 0 describes nothing, even at an address that overlaps. */
	good(b);
	put(b + 56, 4, 2);
	phdr(b, 3, PT_LOAD, PF_R, 0, 0x400800, 0, 0);
	CHECK_EQ(parse(b, IMG_LEN, &img), 0);
	CHECK_EQ(img.nsegments, 2);
}

TEST(elf_segment_ending_at_user_top)
{
	uint8_t b[IMG_LEN];
	struct elf_image img;

	good(b);
	put(PH_FIELD(b, 2, P_VADDR), ELF_USER_TOP - 0x2000, 8);
	CHECK_EQ(parse(b, IMG_LEN, &img), 0);
	CHECK_EQ(img.seg[1].vaddr + img.seg[1].memsz, ELF_USER_TOP);
}

TEST(elf_interp)
{
	uint8_t b[IMG_LEN];
	struct elf_image img;

	good(b);
	phdr(b, 0, PT_INTERP, PF_R, 0x1800, 0x401800, 16, 16);
	CHECK_EQ(parse(b, IMG_LEN, &img), 0);
	CHECK_EQ(img.interp_offset, 0x1800);
	CHECK_EQ(img.interp_len, 16);

	put(PH_FIELD(b, 0, P_FILESZ), IMG_LEN - 0x1800 + 1, 8);
	CHECK_EQ(parse_good_modified(b), -ENOEXEC);
	put(PH_FIELD(b, 0, P_FILESZ), 0, 8);
	CHECK_EQ(parse_good_modified(b), -ENOEXEC);
	put(PH_FIELD(b, 0, P_FILESZ), 16, 8);
	put(PH_FIELD(b, 0, P_OFFSET), UINT64_MAX - 8, 8);
	CHECK_EQ(parse_good_modified(b), -ENOEXEC);

	/* A second PT_INTERP is ambiguous. */
	good(b);
	put(b + 56, 5, 2);
	phdr(b, 3, PT_INTERP, PF_R, 0x1800, 0x401800, 16, 16);
	phdr(b, 4, PT_INTERP, PF_R, 0x1810, 0x401810, 16, 16);
	CHECK_EQ(parse_good_modified(b), -ENOEXEC);
}

TEST(elf_every_truncation_fails)
{
	uint8_t b[IMG_LEN];
	struct elf_image img;

	/* The data segment ends at IMG_LEN: any shorter image is cut. */
	good(b);
	for (size_t len = 0; len < IMG_LEN; len++)
		if (parse(b, len, &img) != -ENOEXEC) {
			CHECK_EQ(len, -1);
			break;
		}
	CHECK_EQ(elf_parse(NULL, IMG_LEN, &img), -ENOEXEC);
}

TEST(elf_failure_leaves_out_untouched)
{
	uint8_t b[IMG_LEN];
	struct elf_image img, before;

	memset(&img, 0xa5, sizeof img);
	before = img;
	good(b);
	put(PH_FIELD(b, 2, P_FILESZ), 0x3000, 8);   /* fails late */
	CHECK_EQ(parse(b, IMG_LEN, &img), -ENOEXEC);
	CHECK(memcmp(&img, &before, sizeof img) == 0);
}

TEST(elf_bad_ident)
{
	uint8_t b[IMG_LEN];

	for (int i = 0; i < 4; i++) {
		good(b);
		b[i] ^= 0x20;
		CHECK_EQ(parse_good_modified(b), -ENOEXEC);
	}
	good(b);
	b[4] = 1;                                    /* ELFCLASS32 */
	CHECK_EQ(parse_good_modified(b), -ENOEXEC);
	good(b);
	b[5] = 2;                                    /* big-endian */
	CHECK_EQ(parse_good_modified(b), -ENOEXEC);
	good(b);
	b[6] = 0;                                    /* EI_VERSION */
	CHECK_EQ(parse_good_modified(b), -ENOEXEC);
	good(b);
	put(b + 20, 2, 4);                           /* e_version */
	CHECK_EQ(parse_good_modified(b), -ENOEXEC);
}

TEST(elf_bad_machine_and_type)
{
	uint8_t b[IMG_LEN];

	good(b);
	put(b + 18, 3, 2);                           /* EM_386 */
	CHECK_EQ(parse_good_modified(b), -ENOEXEC);
	good(b);
	put(b + 18, 183, 2);                         /* EM_AARCH64 */
	CHECK_EQ(parse_good_modified(b), -ENOEXEC);
	for (uint16_t t = 0; t < 8; t++) {
		if (t == ET_EXEC || t == ET_DYN)
			continue;
		good(b);
		put(b + 16, t, 2);                       /* ET_REL, ET_CORE, ... */
		CHECK_EQ(parse_good_modified(b), -ENOEXEC);
	}
}

TEST(elf_bad_program_header_table)
{
	uint8_t b[IMG_LEN];

	good(b);
	put(b + 54, 32, 2);                          /* e_phentsize */
	CHECK_EQ(parse_good_modified(b), -ENOEXEC);
	good(b);
	put(b + 54, 0, 2);
	CHECK_EQ(parse_good_modified(b), -ENOEXEC);
	good(b);
	put(b + 56, 0, 2);                           /* e_phnum */
	CHECK_EQ(parse_good_modified(b), -ENOEXEC);
	good(b);
	put(b + 32, IMG_LEN, 8);                     /* phoff at the end */
	CHECK_EQ(parse_good_modified(b), -ENOEXEC);
	good(b);
	put(b + 32, IMG_LEN + 1, 8);                 /* phoff past the end */
	CHECK_EQ(parse_good_modified(b), -ENOEXEC);
	good(b);
	put(b + 32, IMG_LEN - 3 * PHSZ + 1, 8);      /* last header cut */
	CHECK_EQ(parse_good_modified(b), -ENOEXEC);
	good(b);
	put(b + 32, UINT64_MAX - 8, 8);              /* phoff + size wraps */
	CHECK_EQ(parse_good_modified(b), -ENOEXEC);
	good(b);
	put(b + 56, 0xffff, 2);                      /* phnum * phentsize huge */
	CHECK_EQ(parse_good_modified(b), -ENOEXEC);
}

TEST(elf_segment_data_outside_file)
{
	uint8_t b[IMG_LEN];

	good(b);
	put(PH_FIELD(b, 2, P_FILESZ), 0x1001, 8);
	put(PH_FIELD(b, 2, P_MEMSZ), 0x2000, 8);
	CHECK_EQ(parse_good_modified(b), -ENOEXEC);
	good(b);
	put(PH_FIELD(b, 2, P_OFFSET), IMG_LEN + 1, 8);
	put(PH_FIELD(b, 2, P_FILESZ), 0, 8);
	CHECK_EQ(parse_good_modified(b), -ENOEXEC);
	good(b);
	put(PH_FIELD(b, 2, P_OFFSET), UINT64_MAX - 0x10, 8);   /* wraps */
	CHECK_EQ(parse_good_modified(b), -ENOEXEC);
	good(b);
	put(PH_FIELD(b, 2, P_FILESZ), UINT64_MAX, 8);
	put(PH_FIELD(b, 2, P_MEMSZ), UINT64_MAX, 8);
	CHECK_EQ(parse_good_modified(b), -ENOEXEC);
}

TEST(elf_filesz_above_memsz)
{
	uint8_t b[IMG_LEN];

	good(b);
	put(PH_FIELD(b, 2, P_FILESZ), 0x1000, 8);
	put(PH_FIELD(b, 2, P_MEMSZ), 0xfff, 8);
	CHECK_EQ(parse_good_modified(b), -ENOEXEC);
}

TEST(elf_segment_outside_user_space)
{
	uint8_t b[IMG_LEN];

	good(b);
	put(PH_FIELD(b, 2, P_VADDR), 0xffffffff80000000ull, 8);   /* kernel */
	CHECK_EQ(parse_good_modified(b), -ENOEXEC);
	good(b);
	put(PH_FIELD(b, 2, P_VADDR), ELF_USER_TOP, 8);
	CHECK_EQ(parse_good_modified(b), -ENOEXEC);
	good(b);
	put(PH_FIELD(b, 2, P_VADDR), ELF_USER_TOP - 0x1fff, 8);   /* straddles */
	CHECK_EQ(parse_good_modified(b), -ENOEXEC);
	good(b);
	put(PH_FIELD(b, 2, P_MEMSZ), UINT64_MAX - 0x1000, 8);     /* wraps */
	CHECK_EQ(parse_good_modified(b), -ENOEXEC);
	good(b);
	put(PH_FIELD(b, 2, P_VADDR), 0xfffffffffffff000ull, 8);   /* wraps to 0 */
	put(PH_FIELD(b, 2, P_MEMSZ), 0x1000, 8);
	CHECK_EQ(parse_good_modified(b), -ENOEXEC);
}

TEST(elf_overlapping_segments)
{
	uint8_t b[IMG_LEN];
	struct elf_image img;

	good(b);                                     /* one byte of overlap */
	put(PH_FIELD(b, 2, P_VADDR), 0x400fff, 8);
	CHECK_EQ(parse_good_modified(b), -ENOEXEC);
	good(b);                                     /* inside the text */
	put(PH_FIELD(b, 2, P_VADDR), 0x400100, 8);
	put(PH_FIELD(b, 2, P_MEMSZ), 0x1000, 8);
	put(PH_FIELD(b, 2, P_FILESZ), 0x10, 8);
	CHECK_EQ(parse_good_modified(b), -ENOEXEC);
	good(b);                                     /* around the text */
	put(PH_FIELD(b, 2, P_VADDR), 0x3ff000, 8);
	put(PH_FIELD(b, 2, P_MEMSZ), 0x4000, 8);
	CHECK_EQ(parse_good_modified(b), -ENOEXEC);
	good(b);                                     /* below, touching one byte */
	put(PH_FIELD(b, 2, P_VADDR), 0x3fe001, 8);
	CHECK_EQ(parse_good_modified(b), -ENOEXEC);
	good(b);                                     /* below, adjacent: fine */
	put(PH_FIELD(b, 2, P_VADDR), 0x3fe000, 8);
	CHECK_EQ(parse(b, IMG_LEN, &img), 0);
}

TEST(elf_entry_must_be_executable)
{
	uint8_t b[IMG_LEN];
	struct elf_image img;

	good(b);
	put(b + 24, 0x401000, 8);                    /* in the data segment */
	CHECK_EQ(parse_good_modified(b), -ENOEXEC);
	good(b);
	put(b + 24, 0x400000 + 0x1000, 8);           /* one past the text */
	CHECK_EQ(parse_good_modified(b), -ENOEXEC);
	good(b);
	put(b + 24, 0x3fffff, 8);                    /* one before */
	CHECK_EQ(parse_good_modified(b), -ENOEXEC);
	good(b);
	put(b + 24, 0, 8);
	CHECK_EQ(parse_good_modified(b), -ENOEXEC);
	good(b);
	put(b + 24, 0x400fff, 8);                    /* last text byte */
	CHECK_EQ(parse(b, IMG_LEN, &img), 0);
	good(b);
	put(b + 24, 0x400000, 8);                    /* first text byte */
	CHECK_EQ(parse(b, IMG_LEN, &img), 0);
	good(b);                                     /* text not executable */
	put(PH_FIELD(b, 1, 4), PF_R, 4);
	CHECK_EQ(parse_good_modified(b), -ENOEXEC);
	good(b);                                     /* only PT_PHDR left */
	put(b + 56, 1, 2);
	CHECK_EQ(parse_good_modified(b), -ENOEXEC);
}

/* n tiny loads, one page apart, at file offset 0x1000; the first is R+X. */
static void many_loads(uint8_t *b, int n)
{
	memset(b, 0, IMG_LEN);
	ehdr(b, ET_EXEC, 0x400000, n);
	for (int i = 0; i < n; i++)
		phdr(b, i, PT_LOAD, i ? PF_R : PF_R | PF_X, 0x1000,
		     0x400000 + 0x1000 * (uint64_t)i, 0x100, 0x100);
}

TEST(elf_segment_limit)
{
	uint8_t b[IMG_LEN];
	struct elf_image img;

	many_loads(b, ELF_MAX_SEGMENTS);
	CHECK_EQ(parse(b, IMG_LEN, &img), 0);
	CHECK_EQ(img.nsegments, ELF_MAX_SEGMENTS);
	CHECK_EQ(img.seg[ELF_MAX_SEGMENTS - 1].vaddr,
		 0x400000 + 0x1000 * (ELF_MAX_SEGMENTS - 1));
	many_loads(b, ELF_MAX_SEGMENTS + 1);
	CHECK_EQ(parse_good_modified(b), -ENOEXEC);
}

TEST(elf_parses_own_binary)
{
	FILE *f = fopen("/proc/self/exe", "rb");
	struct elf_image img;

	if (f == NULL)
		return;                                  /* no procfs: nothing to test */
	size_t cap = 1 << 20, len = 0, n;
	uint8_t *buf = malloc(cap);
	while ((n = fread(buf + len, 1, cap - len, f)) > 0) {
		len += n;
		if (len == cap)
			buf = realloc(buf, cap *= 2);
	}
	fclose(f);
	/* Only an x86_64 ET_EXEC/ET_DYN binary is in scope. */
	if (len >= 64 && buf[4] == 2 && buf[5] == 1 &&
	    (buf[16] == ET_EXEC || buf[16] == ET_DYN) && buf[17] == 0 &&
	    buf[18] == 62 && buf[19] == 0) {
		CHECK_EQ(elf_parse(buf, len, &img), 0);
		CHECK(img.nsegments > 0);
		int in_exec = 0;
		for (unsigned i = 0; i < img.nsegments; i++)
			if ((img.seg[i].prot & TS_PROT_EXEC) &&
			    img.entry >= img.seg[i].vaddr &&
			    img.entry < img.seg[i].vaddr + img.seg[i].memsz)
				in_exec = 1;
		CHECK(in_exec);
	}
	free(buf);
}
