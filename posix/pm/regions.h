/*
 * What a process has mapped, as Linux's VMAs say it (/proc/<pid>/maps):
 * a list of regions in address order, each a run of pages with one
 * protection and one origin. Neighbours that are alike are merged, as
 * Linux merges VMAs, so musl's many small anonymous mmaps (placed one
 * below the other) stay one region. The nodes come from a pool the
 * caller gives; an operation that would need more nodes than the pool
 * has left changes nothing and fails with -ENOMEM (Linux's limit is
 * vm.max_map_count, met the same way). Pure, so it is unit-tested on
 * the host.
 */
#ifndef PM_REGIONS_H
#define PM_REGIONS_H

#include <stdbool.h>
#include <stdint.h>

enum region_kind { REGION_ANON, REGION_FILE, REGION_STACK };

struct region {
	uint64_t start, end;        /* page-aligned, start < end */
	uint64_t off;               /* REGION_FILE: the file offset at start */
	uint64_t ino;               /* REGION_FILE: the file's inode and device */
	uint32_t dev;
	uint16_t name;              /* REGION_FILE: its name (mapnames.c), 0: none */
	uint8_t prot;               /* TS_PROT_* */
	uint8_t kind;               /* enum region_kind */
	struct region *next;
};

struct region_pool {
	struct region *free;
	unsigned nfree;
};

void region_pool_init(struct region_pool *pool, struct region *nodes, unsigned n);
/* n more nodes for the pool */
void region_pool_add(struct region_pool *pool, struct region *nodes, unsigned n);

/* r's pages replace whatever list had there (mmap, MAP_FIXED too). */
long regions_map(struct region **list, struct region_pool *pool, const struct region *r);
/* Nothing is mapped in [start, end) any more (munmap: may split one). */
long regions_unmap(struct region **list, struct region_pool *pool, uint64_t start,
		   uint64_t end);
/* What is mapped in [start, end) gets prot (mprotect: may split). */
long regions_protect(struct region **list, struct region_pool *pool, uint64_t start,
		     uint64_t end, uint8_t prot);
/* *dst (empty) becomes a copy of src (fork). */
long regions_copy(struct region **dst, const struct region *src, struct region_pool *pool);
/* All of list back to the pool (exec, exit). */
void regions_free(struct region **list, struct region_pool *pool);

#endif
