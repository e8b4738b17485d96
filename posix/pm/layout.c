/* Page runs of an executable image: see layout.h. */
#include <common.h>
#include "layout.h"

#define PAGE 4096u

struct bounds {
	unsigned n;
	uint64_t at[3 * ELF_MAX_SEGMENTS];
};

static void add_bound(struct bounds *b, uint64_t at)
{
	unsigned i = b->n;

	for (unsigned j = 0; j < b->n; j++)
		if (b->at[j] == at)
			return;
	while (i > 0 && b->at[i - 1] > at) {
		b->at[i] = b->at[i - 1];
		i--;
	}
	b->at[i] = at;
	b->n++;
}

static uint64_t file_end(const struct elf_segment *s) { return ALIGN_UP(s->vaddr + s->filesz, PAGE); }
static uint64_t mem_end(const struct elf_segment *s) { return ALIGN_UP(s->vaddr + s->memsz, PAGE); }

/* What the pages of [a, b), between two adjacent bounds, are: every page
 * of it lies on the same segments, so one look at a answers for all. */
static bool classify(const struct elf_image *elf, uint64_t a, uint32_t *prot, bool *file)
{
	bool mapped = false;

	*prot = 0;
	*file = false;
	for (unsigned i = 0; i < elf->nsegments; i++) {
		const struct elf_segment *s = &elf->seg[i];
		if (a < ALIGN_DOWN(s->vaddr, PAGE) || a >= mem_end(s))
			continue;
		mapped = true;
		*prot |= s->prot;
		*file |= s->filesz && a < file_end(s);
	}
	return mapped;
}

static void add_run(struct layout *l, uint64_t a, uint64_t b, uint32_t prot, bool file)
{
	struct layout_run *r = l->n ? &l->run[l->n - 1] : NULL;

	if (r && r->va + r->len == a && r->prot == prot && r->file == file) {
		r->len += b - a;
	} else {
		r = &l->run[l->n++];
		*r = (struct layout_run){ .va = a, .len = b - a, .prot = prot, .file = file,
					  .off = file ? l->file_bytes : 0 };
	}
	if (file)
		l->file_bytes += b - a;
	l->end = b;
}

void layout_plan(const struct elf_image *elf, struct layout *l)
{
	struct bounds b = { 0 };

	for (unsigned i = 0; i < elf->nsegments; i++) {
		const struct elf_segment *s = &elf->seg[i];
		add_bound(&b, ALIGN_DOWN(s->vaddr, PAGE));
		add_bound(&b, file_end(s));
		add_bound(&b, mem_end(s));
	}
	l->n = 0;
	l->file_bytes = l->end = 0;
	for (unsigned i = 0; i + 1 < b.n; i++) {
		uint32_t prot;
		bool file;
		if (classify(elf, b.at[i], &prot, &file))
			add_run(l, b.at[i], b.at[i + 1], prot, file);
	}
}

long layout_fill(const struct layout *l, const struct elf_image *elf, layout_copy_fn *copy,
		 void *ctx)
{
	for (unsigned i = 0; i < l->n; i++) {
		const struct layout_run *r = &l->run[i];
		for (unsigned j = 0; r->file && j < elf->nsegments; j++) {
			const struct elf_segment *s = &elf->seg[j];
			uint64_t lo = MAX(r->va, s->vaddr), hi = MIN(r->va + r->len, s->vaddr + s->filesz);
			long err = lo < hi ? copy(ctx, r->off + lo - r->va, s->offset + lo - s->vaddr,
						  hi - lo) : 0;
			if (err)
				return err;
		}
	}
	return 0;
}
