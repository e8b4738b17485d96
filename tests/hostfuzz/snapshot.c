/*
 * The server's state after init, put back after every input, so that each
 * input runs against the same server (a crash file replays alone). The
 * state is the server's static data, which the build moves into sections
 * of its own (objcopy: .data to hostfuzz_data, .bss to hostfuzz_bss; see
 * the Makefile), and its heap: its malloc is this file's, over the host's
 * (so that the address sanitizer checks it), which keeps a list of blocks.
 * Blocks from init are kept and their contents put back; blocks an input
 * allocates are freed. A block from init the input frees stays poisoned
 * until then, so that using it is still reported.
 */
#include <sanitizer/asan_interface.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shim.h"

extern char __start_hostfuzz_data[], __stop_hostfuzz_data[];
extern char __start_hostfuzz_bss[], __stop_hostfuzz_bss[];

/* Before each block, poisoned: an underflow into it is reported. */
struct block {
	struct block *prev, *next;
	size_t size;
	void *saved;                /* init's contents, for a block from init */
	bool freed;                 /* a block from init the input freed */
	char pad[7];
};

static struct block *blocks;
/* one allocation for init's blocks' contents, the headers' pointers into it
 * being hidden from the leak checker by their poisoning */
static char *saved_data, *saved_bss, *saved_heap;
static bool taken;

/* A block's header is poisoned but while the heap looks at it. */
static struct block *unseal(struct block *b)
{
	ASAN_UNPOISON_MEMORY_REGION(b, sizeof *b);
	return b;
}

static void seal(struct block *b)
{
	ASAN_POISON_MEMORY_REGION(b, sizeof *b);
}

static struct block *header_of(const void *p)
{
	return unseal((struct block *)p - 1);
}

static void link_block(struct block *b)
{
	b->prev = NULL;
	b->next = blocks;
	if (blocks) {
		unseal(blocks)->prev = b;
		seal(blocks);
	}
	blocks = b;
}

/* b is unsealed */
static void unlink_block(struct block *b)
{
	if (b->prev) {
		unseal(b->prev)->next = b->next;
		seal(b->prev);
	} else {
		blocks = b->next;
	}
	if (b->next) {
		unseal(b->next)->prev = b->prev;
		seal(b->next);
	}
}

void *hf_malloc(size_t size)
{
	struct block *b = size > TS_GRANT_MAX * 64ull ? NULL : malloc(sizeof *b + size);

	if (!b)
		return NULL;
	*b = (struct block){ .size = size };
	link_block(b);
	seal(b);
	return b + 1;
}

void hf_free(void *p)
{
	if (!p)
		return;
	struct block *b = header_of(p);
	if (b->freed) {
		fprintf(stderr, "hostfuzz: the server frees a block twice\n");
		abort();
	}
	if (b->saved) {
		b->freed = true;
		ASAN_POISON_MEMORY_REGION(p, b->size);
		seal(b);
		return;
	}
	unlink_block(b);
	free(b);
}

void *hf_calloc(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	void *p = hf_malloc(n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

size_t hf_malloc_usable_size(const void *p)
{
	if (!p)
		return 0;
	struct block *b = header_of(p);
	size_t size = b->size;
	seal(b);
	return size;
}

void *hf_realloc(void *p, size_t size)
{
	size_t old = hf_malloc_usable_size(p);
	void *q = hf_malloc(size);

	if (q && p) {
		memcpy(q, p, MIN(old, size));
		hf_free(p);
	}
	return q;
}

/* Copy static data, redzones between the variables included (their
 * poisoning does not change), hence unchecked and word by word. */
__attribute__((no_sanitize("address")))
static void copy_words(void *dst, const void *src, size_t len)
{
	volatile uint64_t *d = dst;
	const volatile uint64_t *s = src;

	for (size_t i = 0; i < len / 8; i++)
		d[i] = s[i];
}

static void *saved_copy(const char *start, const char *stop)
{
	void *copy = malloc(stop - start);

	if (!copy)
		abort();
	copy_words(copy, start, stop - start);
	return copy;
}

void snapshot_take(void)
{
	saved_data = saved_copy(__start_hostfuzz_data, __stop_hostfuzz_data);
	saved_bss = saved_copy(__start_hostfuzz_bss, __stop_hostfuzz_bss);
	size_t total = 0;
	for (struct block *b = blocks, *next; b; b = next) {
		next = unseal(b)->next;
		total += b->size + 1;
		seal(b);
	}
	saved_heap = malloc(total);
	if (!saved_heap)
		abort();
	char *at = saved_heap;
	for (struct block *b = blocks, *next; b; b = next) {
		next = unseal(b)->next;
		b->saved = memcpy(at, b + 1, b->size);
		at += b->size + 1;
		seal(b);
	}
	taken = true;
}

void snapshot_restore(void)
{
	if (!taken)
		return;
	copy_words(__start_hostfuzz_data, saved_data, __stop_hostfuzz_data - __start_hostfuzz_data);
	copy_words(__start_hostfuzz_bss, saved_bss, __stop_hostfuzz_bss - __start_hostfuzz_bss);
	for (struct block *b = blocks, *next; b; b = next) {
		next = unseal(b)->next;
		if (!b->saved) {
			unlink_block(b);
			free(b);
			continue;
		}
		ASAN_UNPOISON_MEMORY_REGION(b + 1, b->size);
		memcpy(b + 1, b->saved, b->size);
		b->freed = false;
		seal(b);
	}
}
