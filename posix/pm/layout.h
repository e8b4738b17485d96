/*
 * How an executable's PT_LOAD segments become pages: runs of consecutive
 * pages with one protection, each either file-backed (it holds bytes of the
 * file: they come from the image's page copy, shared copy-on-write) or
 * anonymous (bss past the last file page: demand-zero). A page two
 * segments share gets the union of their protections, and is file-backed
 * if either puts file bytes on it. The file-backed runs are packed one after
 * the other in the page copy, each file byte at its vaddr's page offset,
 * the rest zero. Pure, so it is unit-tested on the host.
 */
#ifndef PM_LAYOUT_H
#define PM_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>
#include <elf.h>

/* each segment adds at most three page boundaries */
#define LAYOUT_MAX_RUNS (3 * ELF_MAX_SEGMENTS)

struct layout_run {
	uint64_t va, len;       /* page-aligned */
	uint32_t prot;          /* TS_PROT_* */
	bool file;
	uint64_t off;           /* file-backed: where its pages start in the copy */
};

struct layout {
	unsigned n;
	struct layout_run run[LAYOUT_MAX_RUNS];  /* ascending, disjoint */
	uint64_t file_bytes;    /* size of the page copy */
	uint64_t end;           /* end of the highest page: where brk starts */
};

void layout_plan(const struct elf_image *elf, struct layout *l);

/* Fill a zeroed page copy: copy(ctx, offset in the copy, offset in the
 * file, len) for each piece of file bytes; stops at the first nonzero
 * return and returns it. */
typedef long layout_copy_fn(void *ctx, uint64_t to, uint64_t from, uint64_t len);
long layout_fill(const struct layout *l, const struct elf_image *elf, layout_copy_fn *copy,
		 void *ctx);

#endif
