/* Capabilities of the current process: the kernel objects they name and
 * the syscalls that create, copy and delete them. */
#ifndef CAP_H
#define CAP_H

#include <captable.h>
#include <stdbool.h>

struct process;

/* Does the range capability c cover [base, base+len)? */
static inline bool cap_covers(const struct cap *c, uint64_t base, uint64_t len)
{
	return len && base >= c->base && len <= c->len && base - c->base <= c->len - len;
}

/* captable hooks: keep object reference counts right. */
void cap_retain(struct cap *c);
void cap_release(struct cap *c);
/* Look up a slot of the current process (see captable_lookup). */
int cap_get(uint64_t slot, int type, unsigned rights, struct cap **out);
/* Does the current process hold a range capability of type covering
 * value? And the end of the highest range it holds of that type (0: none). */
bool cap_held_covers(int type, uint64_t value);
uint64_t cap_held_top(int type);
/* Put c in a free slot of p; returns the slot or -errno. */
int cap_install(struct process *p, const struct cap *c);

long sys_ep_create(void);
long sys_cap_mint(uint64_t slot, uint64_t rights, uint64_t badge);
long sys_cap_delete(uint64_t slot);
long sys_cap_narrow(uint64_t slot, uint64_t base, uint64_t len);
long sys_cap_give(uint64_t proc_slot, uint64_t slot, uint64_t rights, uint64_t badge);

#endif
