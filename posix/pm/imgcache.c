/*
 * Page copies of executables (layout.h), which exec shares into each new
 * process copy-on-write, so that a program's pages are copied once rather
 * than at every exec, and the pages it never writes never again, as Linux
 * maps the page cache. A copy of an image from the initramfs (immutable
 * boot-module memory) is kept, keyed by where the image lies; when every
 * slot is taken, the least recently used copy gives way (processes sharing
 * its frames keep them). A file written at run time gets a copy for one
 * exec only: it may change before the next. Copies are read-only here, so
 * nothing the process manager does changes a page a process shares, and a
 * process writing one gets a copy of its own.
 */
#include "pm.h"
#include "layout.h"

#define COPIES_AT  0x1000000000ull     /* one slot after the other */
#define SLOT_SPAN  (1ull << 30)        /* the largest copy */
#define KEPT       8                   /* slots for initramfs images; the
                                          one after them is the one-shot */

struct copy {
	const uint8_t *key;     /* the image in the initramfs, or NULL */
	uint64_t size;          /* its bytes */
	uint64_t len;           /* bytes of the copy mapped */
	uint64_t used;          /* when last used, in execs */
};

static struct copy copies[KEPT + 1];
static uint64_t execs;

static uint64_t slot_at(unsigned i) { return COPIES_AT + i * SLOT_SPAN; }

static void drop(unsigned i)
{
	if (copies[i].len)
		ts_vm_unmap(TS_SELF, slot_at(i), copies[i].len);
	copies[i] = (struct copy){ 0 };
}

struct fill {
	const uint8_t *image;
	uint64_t at;
};

/* Through the kernel: it fills the demand-zero pages without a fault each,
 * and fails cleanly when memory is out. */
static long copy_in(void *ctx, uint64_t to, uint64_t from, uint64_t len)
{
	const struct fill *f = ctx;

	return ts_vm_write(TS_SELF, f->at + to, f->image + from, len);
}

static long build(unsigned i, const struct exec_file *f, const struct elf_image *elf,
		  const struct layout *l)
{
	struct fill fill = { f->bytes, slot_at(i) };

	if (l->file_bytes > SLOT_SPAN)
		return -ENOMEM;
	if (!l->file_bytes)
		return 0;
	if (ts_vm_map(TS_SELF, fill.at, l->file_bytes, TS_PROT_READ | TS_PROT_WRITE))
		return -ENOMEM;
	copies[i].len = l->file_bytes;
	if (layout_fill(l, elf, copy_in, &fill) ||
	    ts_vm_protect(TS_SELF, fill.at, l->file_bytes, TS_PROT_READ)) {
		drop(i);
		return -ENOMEM;
	}
	return 0;
}

/* The slot for a new kept copy: a free one, or the least recently used. */
static unsigned victim(void)
{
	unsigned v = 0;

	for (unsigned i = 0; i < KEPT; i++) {
		if (!copies[i].key)
			return i;
		if (copies[i].used < copies[v].used)
			v = i;
	}
	drop(v);
	return v;
}

long image_copy_get(const struct exec_file *f, const struct elf_image *elf,
		    const struct layout *l, uint64_t *at)
{
	unsigned i;

	execs++;
	for (i = 0; f->immutable && i < KEPT; i++)
		if (copies[i].key == f->bytes && copies[i].size == f->size)
			break;
	if (!f->immutable || i == KEPT) {
		i = f->immutable ? victim() : KEPT;
		long err = build(i, f, elf, l);
		if (err)
			return err;
		copies[i].key = f->immutable ? f->bytes : NULL;
		copies[i].size = f->size;
	}
	copies[i].used = execs;
	*at = slot_at(i);
	return 0;
}

void image_copy_done(void)
{
	drop(KEPT);
}
