/*
 * What each process has mapped (regions.h), kept by the main thread as it
 * maps, unmaps and protects, and read by the info thread for
 * /proc/<pid>/maps. The two share one pool of nodes; the main thread
 * changes a list only between two increments of the process's info_seq,
 * and the reader copies again when the count moved meanwhile. A node it
 * follows meanwhile is still a node of the pool, so it never leaves the
 * pool's memory, and it walks at most as many as the pool has. The pool
 * grows from memory, REGION_CHUNK nodes at a time, as processes map more
 * (no system-wide table one user's mappings fill), and a chunk whose
 * nodes are all free again goes back after a grace period (retire.c), so
 * that the reader never follows a node into freed memory.
 */
#include <malloc.h>
#include "pm.h"
#include <proto/vfs_client.h>

#define REGION_CHUNK 4096

struct chunk {
	struct chunk *next;
	struct retired retired;
	unsigned nfree;             /* give_back's count */
	struct region nodes[REGION_CHUNK];
};

static struct region_pool pool;
static struct chunk *chunks;
static unsigned pool_nodes;         /* all there are, free or not */
static unsigned freed;              /* nodes freed since give_back last looked */

/* At least need free nodes, if memory allows */
static bool room_for(unsigned need)
{
	while (pool.nfree < need) {
		struct chunk *c = malloc(sizeof *c);
		if (!c)
			return false;
		c->next = chunks;
		chunks = c;
		region_pool_add(&pool, c->nodes, REGION_CHUNK);
		pool_nodes += REGION_CHUNK;
	}
	return true;
}

static bool in_chunk(const struct chunk *c, const struct region *r)
{
	return r >= c->nodes && r < c->nodes + REGION_CHUNK;
}

/* A chunk whose nodes are all free, or NULL */
static struct chunk *all_free_chunk(void)
{
	for (struct chunk *c = chunks; c; c = c->next)
		c->nfree = 0;
	for (struct region *r = pool.free; r; r = r->next)
		for (struct chunk *c = chunks; c; c = c->next)
			if (in_chunk(c, r)) {
				c->nfree++;
				break;
			}
	for (struct chunk *c = chunks; c; c = c->next)
		if (c->nfree == REGION_CHUNK)
			return c;
	return NULL;
}

static void give_back(struct chunk *c)
{
	struct chunk **l = &chunks;

	for (struct region **r = &pool.free; *r;)
		if (in_chunk(c, *r))
			*r = (*r)->next;
		else
			r = &(*r)->next;
	pool.nfree -= REGION_CHUNK;
	pool_nodes -= REGION_CHUNK;
	while (*l != c)
		l = &(*l)->next;
	*l = c->next;
	info_retire(&c->retired, c);
}

/* More than two chunks' worth free: chunks all free go back. Looked for
 * only after a quarter chunk more was freed, not at every exit. */
static void shrink(unsigned more_freed)
{
	struct chunk *c;

	freed += more_freed;
	if (pool.nfree < 2 * REGION_CHUNK || freed < REGION_CHUNK / 4)
		return;
	freed = 0;
	while (pool.nfree >= 2 * REGION_CHUNK && (c = all_free_chunk()))
		give_back(c);
}

void vmmap_init(void)
{
	region_pool_init(&pool, NULL, 0);
	room_for(VMMAP_ROOM);
}

bool vmmap_room(void)
{
	return room_for(VMMAP_ROOM);
}

void vmmap_add(struct pproc *p, const struct region *r)
{
	room_for(VMMAP_ROOM);
	info_change_begin(p);
	regions_map(&p->regions, &pool, r);
	info_change_end(p);
}

void vmmap_remove(struct pproc *p, uint64_t start, uint64_t len)
{
	info_change_begin(p);
	regions_unmap(&p->regions, &pool, start, start + len);
	info_change_end(p);
}

void vmmap_protect(struct pproc *p, uint64_t start, uint64_t len, int prot)
{
	info_change_begin(p);
	regions_protect(&p->regions, &pool, start, start + len, (uint8_t)(prot & 7));
	info_change_end(p);
}

long vmmap_fork(const struct pproc *parent, struct pproc *child)
{
	unsigned n = 0;

	for (const struct region *r = parent->regions; r; r = r->next)
		n++;
	if (!room_for(n))
		return -ENOMEM;
	info_change_begin(child);
	long err = regions_copy(&child->regions, parent->regions, &pool);
	info_change_end(child);
	return err;
}

void vmmap_clear(struct pproc *p)
{
	unsigned nfree = pool.nfree;

	info_change_begin(p);
	regions_free(&p->regions, &pool);
	info_change_end(p);
	shrink(pool.nfree - nfree);
}

/* Linux's is_data_mapping: writable, not the stack (nor shared, which a
 * region does not say: a writable MAP_SHARED one counts too) */
static bool is_data(const struct region *r)
{
	return r->prot & TS_PROT_WRITE && r->kind != REGION_STACK;
}

static uint64_t bytes_in(const struct pproc *p, uint64_t start, uint64_t end, bool data)
{
	uint64_t n = 0;

	for (const struct region *r = p->regions; r; r = r->next)
		if (r->start < end && r->end > start && (!data || is_data(r)))
			n += MIN(r->end, end) - MAX(r->start, start);
	return n;
}

uint64_t vmmap_bytes(const struct pproc *p, uint64_t start, uint64_t end)
{
	return bytes_in(p, start, end, false);
}

uint64_t vmmap_data_bytes(const struct pproc *p, uint64_t start, uint64_t end)
{
	return bytes_in(p, start, end, true);
}

/* mapname_intern's sweep: the names some region has */
static void mark_names(bool used[MAPNAMES])
{
	for (struct pproc *p = proc_next(NULL); p; p = proc_next(p))
		for (const struct region *r = p->regions; r; r = r->next)
			if (r->name)
				used[r->name - 1] = true;
}

void vmmap_name_file(struct region *r, int pid, int fd)
{
	char name[PM_MAP_NAME_MAX];
	uint32_t dev = 0;
	uint64_t ino = 0;
	long len = vfs_file_name_call(pm_vfs(), pid, fd, name, sizeof name, &dev, &ino);

	if (len <= 0 || len > (long)sizeof name)
		return;                 /* no name, or too long to keep */
	r->name = mapname_intern(name, mark_names);
	r->dev = dev;
	r->ino = ino;
}

void vmmap_name_image(struct pproc *p)
{
	struct region image = { 0 };

	vmmap_name_file(&image, p->pid, -1);
	info_change_begin(p);
	for (struct region *r = p->regions; r; r = r->next)
		if (r->kind == REGION_FILE) {
			r->name = image.name;
			r->dev = image.dev;
			r->ino = image.ino;
		}
	info_change_end(p);
}

/* As Linux names them: anonymous memory in the break's range (musl's
 * guard page there too) is the heap. */
static void map_of(const struct pproc *p, const struct region *r, struct pm_map *out)
{
	bool heap = r->kind == REGION_ANON && r->start < ALIGN_UP(p->brk, 4096) &&
		    r->end > p->brk_start;

	*out = (struct pm_map){ .start = r->start, .end = r->end, .prot = r->prot,
				.kind = heap ? 'h' : "afs"[r->kind] };
	if (r->kind != REGION_FILE)
		return;
	out->off = r->off;
	out->ino = r->ino;
	out->dev = r->dev;
	strlcpy(out->name, mapname(r->name), sizeof out->name);
}

long vmmap_read(const struct pproc *p, struct pm_map *out)
{
	unsigned seq = p->info_seq, n = 0, steps = 0;

	info_read_barrier();
	if (seq & 1)
		return -EAGAIN;
	for (const struct region *r = p->regions; r && n < PM_MAPS_MAX && steps < pool_nodes;
	     r = r->next, steps++)
		map_of(p, r, &out[n++]);
	info_read_barrier();
	return p->info_seq == seq ? (long)n : -EAGAIN;
}
