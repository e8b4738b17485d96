/*
 * The server's state after init, put back after every input, so that each
 * input runs against the same server (a crash file replays alone): its heap
 * (heap.c) and its static data, which the build moves into sections of its
 * own (objcopy: .data to hostfuzz_data, .bss to hostfuzz_bss; see the
 * Makefile). A section's whole pages are made a private mapping of a copy
 * of themselves, so that putting them back is dropping the pages the input
 * wrote (several MiB of tables, of which an input writes a few pages); the
 * bytes before and after those pages are copied back.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include "shim.h"

#define PAGE 4096u

extern char __start_hostfuzz_data[], __stop_hostfuzz_data[];
extern char __start_hostfuzz_bss[], __stop_hostfuzz_bss[];

struct section {
	char *start, *stop;
	char *pages, *pages_end;    /* the whole pages in it, mapped from the copy */
	char *saved;                /* its contents after init */
};

static struct section sections[] = {
	{ .start = __start_hostfuzz_data, .stop = __stop_hostfuzz_data },
	{ .start = __start_hostfuzz_bss, .stop = __stop_hostfuzz_bss },
};
static bool taken;

/* Copy static data, redzones between the variables included (their
 * poisoning does not change), hence unchecked and word by word. */
__attribute__((no_sanitize("address"), no_builtin("memcpy")))
static void copy_words(void *dst, const void *src, size_t len)
{
	uint64_t *d = dst;
	const uint64_t *s = src;

	for (size_t i = 0; i < len / 8; i++)
		d[i] = s[i];
}

/* s's whole pages become a private mapping of a file holding their copy. */
static void map_copy(struct section *s)
{
	size_t len = s->pages_end - s->pages;
	const char *from = s->saved + (s->pages - s->start);
	int fd = memfd_create("hostfuzz", 0);

	for (size_t done = 0; fd >= 0 && done < len;) {
		ssize_t n = write(fd, from + done, len - done);
		if (n <= 0)
			abort();
		done += n;
	}
	if (fd < 0 || mmap(s->pages, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, fd, 0)
		      != s->pages)
		abort();
	close(fd);
}

static void section_take(struct section *s)
{
	s->saved = malloc(s->stop - s->start);
	if (!s->saved)
		abort();
	copy_words(s->saved, s->start, s->stop - s->start);
	s->pages = (char *)ALIGN_UP((uintptr_t)s->start, PAGE);
	s->pages_end = (char *)ALIGN_DOWN((uintptr_t)s->stop, PAGE);
	if (s->pages < s->pages_end)
		map_copy(s);
	else
		s->pages = s->pages_end = s->stop;
}

static void section_restore(const struct section *s)
{
	copy_words(s->start, s->saved, s->pages - s->start);
	copy_words(s->pages_end, s->saved + (s->pages_end - s->start), s->stop - s->pages_end);
	if (s->pages < s->pages_end && madvise(s->pages, s->pages_end - s->pages, MADV_DONTNEED))
		abort();
}

void snapshot_take(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(sections); i++)
		section_take(&sections[i]);
	heap_take();
	taken = true;
}

void snapshot_restore(void)
{
	if (!taken)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(sections); i++)
		section_restore(&sections[i]);
	heap_restore();
}
