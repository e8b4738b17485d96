/* Per-process quotas of kernel objects: counts against limits, and the
 * kernel memory behind them. */
#include <ipc.h>
#include <quota.h>
#include <tessera/errno.h>

const struct quota quota_unlimited = {
	.max_threads = UINT32_MAX, .max_endpoints = UINT32_MAX, .max_kmem = UINT64_MAX,
};

/* What one object costs in kernel memory. */
static const uint64_t object_kmem[] = {
	[QUOTA_THREAD] = sizeof(struct thread) + KSTACK_SIZE,
	[QUOTA_ENDPOINT] = sizeof(struct endpoint),
};

static uint64_t lower(uint64_t asked, uint64_t own)
{
	return asked && asked < own ? asked : own;
}

void quota_init(struct quota *q, const struct quota *own, const struct ts_spawn_args *a)
{
	*q = (struct quota){
		.max_threads = lower(a->max_threads, own->max_threads),
		.max_endpoints = lower(a->max_endpoints, own->max_endpoints),
		.max_kmem = lower(a->max_kmem, own->max_kmem),
	};
}

int quota_kmem_take(struct quota *q, uint64_t bytes)
{
	if (bytes > q->max_kmem - q->kmem)
		return -ENOMEM;
	q->kmem += bytes;
	return 0;
}

void quota_kmem_put(struct quota *q, uint64_t bytes)
{
	q->kmem -= bytes;
}

static uint32_t *count_of(struct quota *q, enum quota_object o, uint32_t *max)
{
	*max = o == QUOTA_THREAD ? q->max_threads : q->max_endpoints;
	return o == QUOTA_THREAD ? &q->threads : &q->endpoints;
}

int quota_take(struct quota *q, enum quota_object o)
{
	uint32_t max, *n = count_of(q, o, &max);

	if (*n >= max)
		return -EAGAIN;
	int err = quota_kmem_take(q, object_kmem[o]);
	if (!err)
		++*n;
	return err;
}

void quota_put(struct quota *q, enum quota_object o)
{
	uint32_t max, *n = count_of(q, o, &max);

	--*n;
	quota_kmem_put(q, object_kmem[o]);
}
