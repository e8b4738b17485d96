/*
 * Loading a static ELF executable into a POSIX process and building the
 * initial stack exactly as Linux lays it out (from the top: the executable's
 * name, environment and argument strings, 16 random bytes, then, 16-byte
 * aligned, argc, argv[], NULL, envp[], NULL, auxv pairs, AT_NULL).
 */
#include <elf.h>
#include "layout.h"
#include "pm.h"

#define MAX_ARGS    EXEC_STRINGS
#define AUXV_WORDS  32
/* argc, argv, envp and auxv; they and the strings (AT_EXECFN's too) are the
 * part of the stack we write */
#define VECTOR_WORDS (1 + MAX_ARGS + 1 + MAX_ARGS + 1 + AUXV_WORDS)
#define STACK_BUILD (2 * EXEC_ARG_BYTES + VECTOR_WORDS * 8 + 64)
_Static_assert(STACK_BUILD < STACK_MIN, "no room left on the stack for the program");

struct stack {
	uint8_t bytes[STACK_BUILD];
	size_t used;               /* bytes used, from the top down */
};

static uint64_t stack_addr(const struct stack *st) { return STACK_TOP - st->used; }

static long push(struct stack *st, const void *data, size_t n)
{
	if (n > STACK_BUILD - st->used)
		return -E2BIG;
	st->used += n;
	memcpy(st->bytes + STACK_BUILD - st->used, data, n);
	return 0;
}

static long push_string(struct stack *st, const char *s, uint64_t *addr)
{
	long err = push(st, s, strlen(s) + 1);

	*addr = stack_addr(st);
	return err;
}

static uint64_t random64(void)
{
	static uint64_t x;

	x ^= ts_rdtsc() + 0x9E3779B97F4A7C15ull;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return x;
}

/* The image's page runs: file-backed ones shared copy-on-write from its
 * page copy, the others demand-zero. */
static long load_segments(uint32_t proc, const struct exec_file *f, const struct elf_image *elf,
			  const struct layout *l)
{
	uint64_t copy;
	long err = image_copy_get(f, elf, l, &copy);

	for (unsigned i = 0; !err && i < l->n; i++) {
		const struct layout_run *r = &l->run[i];
		err = r->file ? ts_vm_share(proc, r->va, (const void *)(copy + r->off), r->len, r->prot)
			      : ts_vm_map(proc, r->va, r->len, r->prot);
	}
	image_copy_done();
	return err;
}

/* Where the file bytes of the page at va start in the file (Linux's
 * offset of a segment's mapping). */
static uint64_t file_offset(const struct elf_image *elf, uint64_t va)
{
	for (unsigned i = 0; i < elf->nsegments; i++) {
		const struct elf_segment *s = &elf->seg[i];
		uint64_t page = ALIGN_DOWN(s->vaddr, 4096);
		if (s->filesz && va >= page && va < s->vaddr + s->filesz)
			return ALIGN_DOWN(s->offset, 4096) + (va - page);
	}
	return 0;
}

/* The new image's regions replace the old's (named after VFS_EXEC). */
static void image_regions(struct pproc *p, const struct elf_image *elf, const struct layout *l)
{
	vmmap_clear(p);
	for (unsigned i = 0; i < l->n; i++) {
		const struct layout_run *r = &l->run[i];
		struct region g = { .start = r->va, .end = r->va + r->len, .prot = (uint8_t)r->prot,
				    .kind = r->file ? REGION_FILE : REGION_ANON,
				    .off = r->file ? file_offset(elf, r->va) : 0 };
		vmmap_add(p, &g);
	}
	struct region stack = { .start = STACK_TOP - p->stack_size, .end = STACK_TOP,
				.prot = TS_PROT_READ | TS_PROT_WRITE, .kind = REGION_STACK };
	vmmap_add(p, &stack);
}

static long push_strings(struct stack *st, char *const v[], uint64_t out[], int *n)
{
	for (*n = 0; v && v[*n]; (*n)++) {
		if (*n == MAX_ARGS)
			return -E2BIG;
		long err = push_string(st, v[*n], &out[*n]);
		if (err)
			return err;
	}
	return 0;
}

static long build_stack(struct stack *st, const struct elf_image *elf, const char *path,
			const struct exec_ids *ids, char *const argv[], char *const envp[],
			uint64_t *rsp)
{
	static uint64_t argp[MAX_ARGS], envpp[MAX_ARGS], words[VECTOR_WORDS];
	uint64_t execfn, random_at, rnd[2] = { random64(), random64() };
	int argc, envc;
	long err = push_string(st, path, &execfn);

	if (!err)
		err = push_strings(st, envp, envpp, &envc);
	if (!err)
		err = push_strings(st, argv, argp, &argc);
	if (!err)
		err = push(st, rnd, sizeof rnd);
	if (err)
		return err;
	random_at = stack_addr(st);
	const uint32_t *uid = ids->cred.uid, *gid = ids->cred.gid;
	uint64_t auxv[] = {
		AT_PHDR, elf->phdr_vaddr, AT_PHENT, elf->phent, AT_PHNUM, elf->phnum,
		AT_PAGESZ, 4096, AT_ENTRY, elf->entry, AT_UID, uid[ID_REAL],
		AT_EUID, uid[ID_EFFECTIVE], AT_GID, gid[ID_REAL], AT_EGID, gid[ID_EFFECTIVE],
		AT_SECURE, ids->secure, AT_HWCAP, 0, AT_CLKTCK, 100, AT_RANDOM, random_at,
		AT_EXECFN, execfn, AT_NULL, 0,
	};
	_Static_assert(sizeof auxv <= AUXV_WORDS * 8, "auxv outgrew AUXV_WORDS");
	size_t n = 0;
	words[n++] = argc;
	for (int i = 0; i < argc; i++)
		words[n++] = argp[i];
	words[n++] = 0;
	for (int i = 0; i < envc; i++)
		words[n++] = envpp[i];
	words[n++] = 0;
	memcpy(&words[n], auxv, sizeof auxv);
	n += sizeof auxv / 8;
	/* argc must end up 16-byte aligned */
	st->used = ALIGN_UP(st->used + n * 8, 16) - n * 8;
	err = push(st, words, n * 8);
	*rsp = stack_addr(st);
	return err;
}

long pm_exec(struct pproc *p, const char *path, const struct exec_file *f,
	     const struct exec_ids *ids, char *const argv[], char *const envp[])
{
	static struct stack st;
	static struct layout l;
	struct elf_image elf;
	uint64_t rsp;
	long err = elf_parse(f->bytes, f->size, &elf);

	if (!err) {
		layout_plan(&elf, &l);
		err = load_segments(p->slot, f, &elf, &l);
	}
	p->stack_size = rlimit_stack_size(p);
	if (!err)
		err = ts_vm_map(p->slot, STACK_TOP - p->stack_size, p->stack_size,
				TS_PROT_READ | TS_PROT_WRITE);
	st.used = 0;
	if (!err)
		err = build_stack(&st, &elf, path, ids, argv, envp, &rsp);
	if (!err)
		err = ts_vm_write(p->slot, stack_addr(&st), st.bytes + STACK_BUILD - st.used, st.used);
	if (err)
		return err;
	p->brk_start = p->brk = l.end;
	p->image_start = l.run[0].va;
	if (ts_thread_start(p->slot, elf.entry, rsp) < 0)
		return -ENOMEM;
	image_regions(p, &elf, &l);
	return 0;
}
