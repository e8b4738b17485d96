/* Memory syscalls on the caller's address space or, with the capability
 * to control it, another process's (how the process manager builds a
 * POSIX process's image). */
#include <cap.h>
#include <mm.h>
#include <proc.h>
#include <syscall.h>
#include <vm.h>
#include <tessera/errno.h>

#define COPY_MAX (16ull << 20)

/* The address space a process slot (or TS_SELF) names. */
static int target_vm(uint64_t slot, struct vm_space **vm)
{
	struct cap *c;

	if (slot == TS_SELF) {
		*vm = current_proc()->vm;
		return 0;
	}
	int err = cap_get(slot, TS_CAP_PROCESS, TS_RIGHT_CTRL, &c);
	if (err)
		return err;
	struct process *p = c->obj;
	if (p->exited)
		return -ESRCH;
	*vm = p->vm;
	return 0;
}

static bool prot_ok(uint64_t prot)
{
	return !(prot & ~(uint64_t)(TS_PROT_READ | TS_PROT_WRITE | TS_PROT_EXEC));
}

long sys_vm_map(uint64_t proc, uint64_t addr, uint64_t len, uint64_t prot)
{
	struct vm_space *vm;
	int err = target_vm(proc, &vm);

	if (err)
		return err;
	if (!prot_ok(prot & ~(uint64_t)TS_MAP_POPULATE))
		return -EINVAL;
	err = vm_map_anon(vm, addr, len, prot & ~TS_MAP_POPULATE);
	return err || !(prot & TS_MAP_POPULATE) ? err : vm_populate(vm, addr, len);
}

long sys_vm_unmap(uint64_t proc, uint64_t addr, uint64_t len)
{
	struct vm_space *vm;
	int err = target_vm(proc, &vm);

	if (err)
		return err;
	if ((addr | len) & (PAGE_SIZE - 1) || !user_range_ok(addr, len))
		return -EINVAL;
	return vm_unmap_range(vm, addr, len);
}

long sys_vm_protect(uint64_t proc, uint64_t addr, uint64_t len, uint64_t prot)
{
	struct vm_space *vm;
	int err = target_vm(proc, &vm);

	if (err)
		return err;
	return prot_ok(prot) ? vm_protect_range(vm, addr, len, prot) : -EINVAL;
}

/* Pages of the caller at src, len bytes, shared into the target at dst
 * copy-on-write (how the process manager maps an executable's image). */
long sys_vm_share(uint64_t proc, uint64_t dst, uint64_t src, uint64_t len, uint64_t prot)
{
	struct vm_space *vm;
	int err = target_vm(proc, &vm);

	if (err)
		return err;
	return prot_ok(prot) ? vm_share_range(vm, dst, current_proc()->vm, src, len, prot)
			     : -EINVAL;
}

/* Copy len bytes between the caller's memory (local) and the target's
 * (remote), either way. The target's pages must be mapped writable for
 * VM_WRITE. */
static long copy_with(uint64_t proc, uint64_t remote, uint64_t local, uint64_t len,
		      bool to_remote)
{
	struct vm_space *vm, *mine = current_proc()->vm;
	int err = target_vm(proc, &vm);

	if (err)
		return err;
	if (len > COPY_MAX)
		return -EINVAL;
	return to_remote ? copy_user_to_user(vm, remote, mine, local, len)
			 : copy_user_to_user(mine, local, vm, remote, len);
}

long sys_vm_write(uint64_t proc, uint64_t dst, uint64_t src, uint64_t len)
{
	return copy_with(proc, dst, src, len, true);
}

long sys_vm_read(uint64_t proc, uint64_t src, uint64_t dst, uint64_t len)
{
	return copy_with(proc, src, dst, len, false);
}
