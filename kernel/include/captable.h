/*
 * A process's capability table: up to TS_CAP_SLOTS slots, each naming a
 * kernel object with a type, rights and a badge, made CAP_CHUNK at a time
 * as they are needed (the process manager holds one per POSIX process; most
 * processes hold a few). Pure data structure (objects are opaque pointers,
 * reference counting is the caller's job through the release hook; chunks
 * come from captable_chunk_alloc), so it is unit-tested on the host.
 */
#ifndef CAPTABLE_H
#define CAPTABLE_H

#include <stddef.h>
#include <stdint.h>
#include <tessera/abi.h>

struct cap {
	uint8_t type;        /* enum ts_cap_type; TS_CAP_NULL = empty slot */
	uint8_t rights;      /* TS_RIGHT_* */
	uint16_t _pad;
	uint32_t _pad2;
	uint64_t badge;
	void *obj;           /* the kernel object (endpoint, process, module…) */
	uint64_t base, len;  /* ranges: I/O ports, MMIO physical range, IRQ number */
};

/* The bit for capability type t in captable.held. */
#define CAP_BIT(t) (1u << (t))

#define CAP_CHUNK  256
#define CAP_CHUNKS (TS_CAP_SLOTS / CAP_CHUNK)

struct captable {
	struct cap *chunk[CAP_CHUNKS];  /* slots i * CAP_CHUNK on; NULL: not made */
	/* How many slots hold each type, and one bit per type held at all:
	 * the authority the table confers, tested with one AND per syscall. */
	uint16_t count[TS_CAP_TYPES];
	uint32_t held;
	/* Called when a capability leaves a slot (delete or table teardown). */
	void (*release)(struct cap *c);
	/* Called when a capability is copied into a slot (mint, give). */
	void (*retain)(struct cap *c);
};

/* CAP_CHUNK zeroed slots (NULL: no memory), and back: the kernel's heap,
 * or the host's in unit tests */
struct cap *captable_chunk_alloc(void);
void captable_chunk_free(struct cap *chunk);

/* The slot at index i, empty or not; NULL if it was never made. */
static inline struct cap *captable_at(const struct captable *t, uint64_t i)
{
	return i < TS_CAP_SLOTS && t->chunk[i / CAP_CHUNK] ? &t->chunk[i / CAP_CHUNK][i % CAP_CHUNK]
							    : NULL;
}

void captable_init(struct captable *t, void (*retain)(struct cap *),
		   void (*release)(struct cap *));
/* Release every slot and give back the chunks (the table is unused after). */
void captable_destroy(struct captable *t);
/* Install *c in the lowest free slot; returns the slot, or -ENOSPC when
 * all TS_CAP_SLOTS are full, -ENOMEM when no chunk can be made. Calls retain. */
int captable_insert(struct captable *t, const struct cap *c);
/* Look up slot: -EBADF if out of range, empty, or not of type `type`
 * (TS_CAP_NULL accepts any type); -EPERM if it lacks any of `rights`. */
int captable_lookup(struct captable *t, uint64_t slot, int type,
		    unsigned rights, struct cap **out);
/* Copy slot from src into a free slot of dst with rights reduced to
 * rights & original; a new badge needs TS_RIGHT_MINT on the original
 * (badge 0 keeps the original badge). Returns the new slot or -errno. */
int captable_mint(struct captable *src, uint64_t slot, struct captable *dst,
		  unsigned rights, uint64_t badge);
/* Empty a slot (calls release); -EBADF if it was empty or out of range. */
int captable_delete(struct captable *t, uint64_t slot);
/* Release every slot. */
void captable_clear(struct captable *t);

#endif
