/*
 * Loading a static ELF executable into a POSIX process and building the
 * initial stack exactly as Linux lays it out (from the top: the executable's
 * name, environment and argument strings, 16 random bytes, then, 16-byte
 * aligned, argc, argv[], NULL, envp[], NULL, auxv pairs, AT_NULL).
 */
#include <elf.h>
#include "pm.h"

#define STACK_BUILD 16384      /* the part of the stack we write */
#define MAX_ARGS    64

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

/* Map the pages every segment touches, copy the file bytes, then give each
 * page the union of the protections of the segments on it. */
static long load_segments(uint32_t proc, const uint8_t *image, const struct elf_image *elf,
			  uint64_t *end)
{
	*end = 0;
	for (unsigned i = 0; i < elf->nsegments; i++) {
		const struct elf_segment *s = &elf->seg[i];
		uint64_t lo = ALIGN_DOWN(s->vaddr, 4096), hi = ALIGN_UP(s->vaddr + s->memsz, 4096);
		for (uint64_t va = lo; va < hi; va += 4096) {
			long err = ts_vm_map(proc, va, 4096, TS_PROT_READ | TS_PROT_WRITE);
			if (err && err != -EEXIST)
				return err;
		}
		long err = ts_vm_write(proc, s->vaddr, image + s->offset, s->filesz);
		if (err)
			return err;
		*end = MAX(*end, hi);
	}
	for (unsigned i = 0; i < elf->nsegments; i++) {
		const struct elf_segment *s = &elf->seg[i];
		uint64_t lo = ALIGN_DOWN(s->vaddr, 4096), hi = ALIGN_UP(s->vaddr + s->memsz, 4096);
		for (uint64_t va = lo; va < hi; va += 4096) {
			unsigned prot = 0;
			for (unsigned j = 0; j < elf->nsegments; j++) {
				const struct elf_segment *o = &elf->seg[j];
				if (va < ALIGN_UP(o->vaddr + o->memsz, 4096) && va + 4096 > o->vaddr)
					prot |= o->prot;
			}
			ts_vm_protect(proc, va, 4096, prot);
		}
	}
	return 0;
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

static long build_stack(struct stack *st, const struct elf_image *elf, char *const argv[],
			char *const envp[], uint64_t *rsp)
{
	uint64_t argp[MAX_ARGS], envpp[MAX_ARGS], execfn, random_at, rnd[2] = { random64(), random64() };
	int argc, envc;
	long err = push_string(st, argv[0], &execfn);

	if (!err)
		err = push_strings(st, envp, envpp, &envc);
	if (!err)
		err = push_strings(st, argv, argp, &argc);
	if (!err)
		err = push(st, rnd, sizeof rnd);
	if (err)
		return err;
	random_at = stack_addr(st);
	uint64_t auxv[] = {
		AT_PHDR, elf->phdr_vaddr, AT_PHENT, elf->phent, AT_PHNUM, elf->phnum,
		AT_PAGESZ, 4096, AT_ENTRY, elf->entry, AT_UID, 0, AT_EUID, 0, AT_GID, 0,
		AT_EGID, 0, AT_SECURE, 0, AT_HWCAP, 0, AT_CLKTCK, 100, AT_RANDOM, random_at,
		AT_EXECFN, execfn, AT_NULL, 0,
	};
	uint64_t words[1 + MAX_ARGS + 1 + MAX_ARGS + 1 + sizeof auxv / 8];
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

long pm_exec(struct pproc *p, const void *image, size_t size, char *const argv[],
	     char *const envp[])
{
	static struct stack st;
	struct elf_image elf;
	uint64_t end, rsp;
	long err = elf_parse(image, size, &elf);

	if (!err)
		err = load_segments(p->slot, image, &elf, &end);
	if (!err)
		err = ts_vm_map(p->slot, STACK_TOP - STACK_SIZE, STACK_SIZE,
				TS_PROT_READ | TS_PROT_WRITE);
	st.used = 0;
	if (!err)
		err = build_stack(&st, &elf, argv, envp, &rsp);
	if (!err)
		err = ts_vm_write(p->slot, stack_addr(&st), st.bytes + STACK_BUILD - st.used, st.used);
	if (err)
		return err;
	p->brk_start = p->brk = end;
	p->image_start = ALIGN_DOWN(elf.seg[0].vaddr, 4096);    /* PT_LOADs ascend */
	return ts_thread_start(p->slot, elf.entry, rsp) < 0 ? -ENOMEM : 0;
}
