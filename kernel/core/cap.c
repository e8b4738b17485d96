/* Capability syscalls and the reference counting behind the cap tables. */
#include <cap.h>
#include <ipc.h>
#include <log.h>
#include <mm.h>
#include <proc.h>
#include <tessera/errno.h>

struct cap *captable_chunk_alloc(void)
{
	return kzalloc(CAP_CHUNK * sizeof(struct cap));
}

void captable_chunk_free(struct cap *chunk)
{
	kfree(chunk);
}

void cap_retain(struct cap *c)
{
	switch (c->type) {
	case TS_CAP_ENDPOINT:
		endpoint_retain(c->obj, c->rights);
		break;
	case TS_CAP_PROCESS:
		proc_get(c->obj);
		break;
	}
}

void cap_release(struct cap *c)
{
	switch (c->type) {
	case TS_CAP_ENDPOINT:
		endpoint_release(c->obj, c->rights);
		break;
	case TS_CAP_PROCESS:
		proc_put(c->obj);
		break;
	}
}

int cap_get(uint64_t slot, int type, unsigned rights, struct cap **out)
{
	return captable_lookup(current_proc()->caps, slot, type, rights, out);
}

bool cap_held_covers(int type, uint64_t value)
{
	struct captable *t = current_proc()->caps;

	for (int i = 0; t->held & CAP_BIT(type) && i < TS_CAP_SLOTS; i++) {
		const struct cap *c = captable_at(t, (uint64_t)i);
		if (c && c->type == type && cap_covers(c, value, 1))
			return true;
	}
	return false;
}

uint64_t cap_held_top(int type)
{
	struct captable *t = current_proc()->caps;
	uint64_t top = 0;

	for (int i = 0; t->held & CAP_BIT(type) && i < TS_CAP_SLOTS; i++) {
		const struct cap *c = captable_at(t, (uint64_t)i);
		if (c && c->type == type)
			top = MAX(top, c->base + c->len);
	}
	return top;
}

int cap_install(struct process *p, const struct cap *c)
{
	return captable_insert(p->caps, c);
}

long sys_ep_create(void)
{
	int err;
	struct endpoint *ep = endpoint_create(current_proc(), &err);

	if (!ep)
		return err;
	struct cap c = { .type = TS_CAP_ENDPOINT, .rights = TS_RIGHTS_ALL, .obj = ep };
	int slot = cap_install(current_proc(), &c);
	if (slot < 0)
		endpoint_destroy(ep);       /* no capability ever named it */
	return slot;
}

long sys_cap_mint(uint64_t slot, uint64_t rights, uint64_t badge)
{
	struct captable *t = current_proc()->caps;

	return captable_mint(t, slot, t, rights, badge);
}

long sys_cap_delete(uint64_t slot)
{
	return captable_delete(current_proc()->caps, slot);
}

long sys_cap_give(uint64_t proc_slot, uint64_t slot, uint64_t rights, uint64_t badge)
{
	struct cap *pc;
	int err = cap_get(proc_slot, TS_CAP_PROCESS, TS_RIGHT_CTRL, &pc);

	if (err)
		return err;
	struct process *target = pc->obj;
	if (target->exited)
		return -ESRCH;
	return captable_mint(current_proc()->caps, slot, target->caps, rights, badge);
}

long sys_cap_narrow(uint64_t slot, uint64_t base, uint64_t len)
{
	struct cap *c;
	int err = cap_get(slot, TS_CAP_NULL, 0, &c);

	if (err)
		return err;
	if (c->type != TS_CAP_IOPORT && c->type != TS_CAP_MMIO && c->type != TS_CAP_SPAWN)
		return -EINVAL;
	if (!cap_covers(c, base, len))
		return -EPERM;
	struct cap narrow = *c;
	narrow.base = base;
	narrow.len = len;
	return cap_install(current_proc(), &narrow);
}
