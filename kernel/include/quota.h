/* Per-process quotas of kernel objects (struct quota in proc.h): each
 * object made for a process counts against its limits and its kernel
 * memory until it is freed. */
#ifndef QUOTA_H
#define QUOTA_H

#include <proc.h>

enum quota_object { QUOTA_THREAD, QUOTA_ENDPOINT };

/* The limits of init, the first process; every other process's are its
 * creator's or lower. */
extern const struct quota quota_unlimited;

/* q: the limits a creator with quota `own` asks for (0: its own), no
 * higher than its own, nothing charged yet. */
void quota_init(struct quota *q, const struct quota *own, const struct ts_spawn_args *a);
/* Charge one object: -EAGAIN past its count, -ENOMEM past kernel memory. */
int quota_take(struct quota *q, enum quota_object o);
void quota_put(struct quota *q, enum quota_object o);
/* Charge bytes of kernel memory (-ENOMEM past the limit), and return them. */
int quota_kmem_take(struct quota *q, uint64_t bytes);
void quota_kmem_put(struct quota *q, uint64_t bytes);

#endif
