/*
 * ELF64 executable parsing: validates an image in memory and describes its
 * loadable segments. It maps nothing itself, so it is unit-tested on the
 * host; the kernel's loader (and later the process manager) does the mapping.
 */
#ifndef ELF_H
#define ELF_H

#include <stdint.h>
#include <stddef.h>

#define ELF_MAX_SEGMENTS 16
#define ELF_USER_TOP 0x0000800000000000ull   /* first non-user address */

struct elf_segment {
	uint64_t vaddr;      /* p_vaddr */
	uint64_t memsz;      /* bytes in memory (>= filesz, rest zero) */
	uint64_t offset;     /* file offset of the data */
	uint64_t filesz;
	uint32_t prot;       /* TS_PROT_* from include/tessera/abi.h */
};

struct elf_image {
	uint64_t entry;
	unsigned nsegments;
	struct elf_segment seg[ELF_MAX_SEGMENTS];
	/* Program headers as loaded in memory, if a PT_PHDR or the first
	 * PT_LOAD covers them (for AT_PHDR); 0 if not. */
	uint64_t phdr_vaddr;
	uint16_t phent, phnum;
	uint64_t interp_offset, interp_len; /* PT_INTERP, 0 if none */
};

/*
 * Parse an ELF64 little-endian x86_64 ET_EXEC (or ET_DYN at its link
 * addresses) image of len bytes. Returns 0 or a negative errno: -ENOEXEC
 * for anything malformed: bad magic/class/machine, headers or segment data
 * outside the file, filesz > memsz, segments outside user space, address
 * overflow, overlapping segments, too many segments, entry not inside an
 * executable segment.
 */
int elf_parse(const void *image, size_t len, struct elf_image *out);

#endif
