/*
 * Slab allocator: eight power-of-two size classes, 16..2048 bytes, each a
 * cache of one-page slabs.
 *
 * Every page handed out starts with a struct slab, so slab_free finds the
 * header of any pointer by rounding it down to its page. Objects sit at
 * multiples of their size after the header, which gives them natural
 * alignment at no cost in objects per page. A large allocation is a run
 * of pages with the same header as a prefix, recording the page count.
 *
 * Full slabs are on no list; partial ones are on their cache's list. One
 * empty slab per cache is kept as a spare so an alloc/free loop at a page
 * boundary does not go to the page source every time.
 */
#include <stdbool.h>
#include <slab.h>

#define SLAB_MAGIC  0x51ab51abu
#define MIN_SHIFT   4
#define MAX_SHIFT   11
#define NCLASSES    (MAX_SHIFT - MIN_SHIFT + 1)
#define CLS_LARGE   0xffff
#define HDR_SIZE    32

struct slab {
	union {
		struct {
			struct slab *next, *prev;	/* partial list */
			void *free;	/* free objects, linked by first word */
		};
		size_t npages;		/* CLS_LARGE */
	};
	uint32_t magic;
	uint16_t cls;
	uint16_t inuse;
};
_Static_assert(sizeof(struct slab) <= HDR_SIZE, "slab header too big");

struct cache {
	struct slab *partial;
	struct slab *spare;
};

static struct page_source src;
static struct cache caches[NCLASSES];
static struct slab_stats stats;

static inline size_t cls_size(unsigned cls)
{
	return (size_t)1 << (cls + MIN_SHIFT);
}

static inline size_t first_off(unsigned cls)
{
	return cls_size(cls) < HDR_SIZE ? HDR_SIZE : cls_size(cls);
}

static inline size_t cls_objs(unsigned cls)
{
	return (SLAB_PAGE_SIZE - first_off(cls)) / cls_size(cls);
}

static inline unsigned size_cls(size_t size)
{
	if (size <= cls_size(0))
		return 0;
	return 64 - __builtin_clzll(size - 1) - MIN_SHIFT;
}

static inline struct slab *slab_of(const void *p)
{
	return (struct slab *)((uintptr_t)p & ~(uintptr_t)(SLAB_PAGE_SIZE - 1));
}

void slab_init(const struct page_source *s)
{
	src = *s;
	for (unsigned i = 0; i < NCLASSES; i++)
		caches[i] = (struct cache){ 0 };
	stats = (struct slab_stats){ 0 };
}

static void list_push(struct cache *c, struct slab *s)
{
	s->prev = NULL;
	s->next = c->partial;
	if (c->partial)
		c->partial->prev = s;
	c->partial = s;
}

static void list_del(struct cache *c, struct slab *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		c->partial = s->next;
	if (s->next)
		s->next->prev = s->prev;
}

static struct slab *new_slab(unsigned cls)
{
	struct slab *s = src.alloc_pages(1, src.ctx);

	if (!s)
		return NULL;
	s->magic = SLAB_MAGIC;
	s->cls = cls;
	s->inuse = 0;
	s->free = NULL;
	/* Push backwards so objects go out in address order. */
	char *base = (char *)s + first_off(cls);
	for (size_t i = cls_objs(cls); i-- > 0; ) {
		void **obj = (void **)(base + i * cls_size(cls));
		*obj = s->free;
		s->free = obj;
	}
	stats.pages_in_use++;
	return s;
}

static void *alloc_small(unsigned cls)
{
	struct cache *c = &caches[cls];
	struct slab *s = c->partial;

	if (!s) {
		s = c->spare ? c->spare : new_slab(cls);
		if (!s)
			return NULL;
		c->spare = NULL;
		list_push(c, s);
	}
	void **obj = s->free;
	s->free = *obj;
	if (++s->inuse == cls_objs(cls))
		list_del(c, s);
	stats.objects_in_use++;
	return obj;
}

static void *alloc_large(size_t size)
{
	if (size > SIZE_MAX - HDR_SIZE - SLAB_PAGE_SIZE)
		return NULL;
	size_t n = (size + HDR_SIZE + SLAB_PAGE_SIZE - 1) / SLAB_PAGE_SIZE;
	struct slab *s = src.alloc_pages(n, src.ctx);

	if (!s)
		return NULL;
	s->magic = SLAB_MAGIC;
	s->cls = CLS_LARGE;
	s->npages = n;
	stats.pages_in_use += n;
	stats.objects_in_use++;
	return (char *)s + HDR_SIZE;
}

void *slab_alloc(size_t size)
{
	if (size == 0)
		return NULL;
	if (size > cls_size(NCLASSES - 1))
		return alloc_large(size);
	return alloc_small(size_cls(size));
}

void *slab_zalloc(size_t size)
{
	uint64_t *p = slab_alloc(size);

	/* Every object size is a multiple of 8, so whole words are safe. */
	if (p)
		for (size_t i = 0; i < (size + 7) / 8; i++)
			p[i] = 0;
	return p;
}

static bool valid_ptr(const struct slab *s, size_t off)
{
	if (s->magic != SLAB_MAGIC)
		return false;
	if (s->cls == CLS_LARGE)
		return off == HDR_SIZE;
	return s->cls < NCLASSES && off >= first_off(s->cls) &&
	       !(off & (cls_size(s->cls) - 1));
}

/* Trap on a pointer no allocation of ours could have returned: the
 * alternative is silently corrupting a free list. */
static struct slab *checked_slab(const void *p)
{
	struct slab *s = slab_of(p);

	if (!valid_ptr(s, (uintptr_t)p - (uintptr_t)s))
		__builtin_trap();
	return s;
}

static void retire(struct cache *c, struct slab *s)
{
	if (!c->spare) {
		c->spare = s;
		return;
	}
	s->magic = 0;
	src.free_pages(s, 1, src.ctx);
	stats.pages_in_use--;
}

void slab_free(void *p)
{
	if (!p)
		return;
	struct slab *s = checked_slab(p);

	stats.objects_in_use--;
	if (s->cls == CLS_LARGE) {
		size_t n = s->npages;
		s->magic = 0;
		src.free_pages(s, n, src.ctx);
		stats.pages_in_use -= n;
		return;
	}
	if (s->inuse == 0)
		__builtin_trap();	/* double free into an empty slab */
	struct cache *c = &caches[s->cls];
	bool was_full = s->inuse == cls_objs(s->cls);

	*(void **)p = s->free;
	s->free = p;
	if (--s->inuse == 0) {
		if (!was_full)
			list_del(c, s);
		retire(c, s);
	} else if (was_full) {
		list_push(c, s);
	}
}

size_t slab_size(const void *p)
{
	const struct slab *s = checked_slab(p);

	if (s->cls == CLS_LARGE)
		return s->npages * SLAB_PAGE_SIZE - HDR_SIZE;
	return cls_size(s->cls);
}

void slab_get_stats(struct slab_stats *st)
{
	*st = stats;
}
