/* Native syscall handlers not declared with their subsystem. */
#ifndef SYSCALL_H
#define SYSCALL_H

#include <stdint.h>
#include <vm.h>

struct trap_frame;

void syscall_dispatch(struct trap_frame *f);
/* Linux x86_64 syscall numbers: forwarded to POSIX servers once the
 * personality is installed, -ENOSYS (with a log line) until then. */
long linux_syscall(struct trap_frame *f);

long sys_log(uint64_t ubuf, uint64_t len);
long sys_exit(uint64_t status);
long sys_yield(void);
long sys_sleep(uint64_t ns);
long sys_clock(void);
long sys_vm_map(uint64_t proc, uint64_t addr, uint64_t len, uint64_t prot);
long sys_vm_unmap(uint64_t proc, uint64_t addr, uint64_t len);
long sys_vm_protect(uint64_t proc, uint64_t addr, uint64_t len, uint64_t prot);
long sys_vm_write(uint64_t proc, uint64_t dst, uint64_t src, uint64_t len);
long sys_vm_read(uint64_t proc, uint64_t src, uint64_t dst, uint64_t len);
long sys_vm_share(uint64_t proc, uint64_t dst, uint64_t src, uint64_t len, uint64_t prot);
long sys_proc_create(uint64_t uargs);
long sys_proc_fork(uint64_t reply, uint64_t uargs);
long sys_module_map(uint64_t module_slot, uint64_t addr);
long sys_linux_route(uint64_t system_slot, uint64_t ep_slot, uint64_t first, uint64_t count);
long sys_proc_spawn(uint64_t module_slot, uint64_t uargs);
long sys_proc_start(uint64_t proc_slot, uint64_t arg);
long sys_proc_wait(uint64_t proc_slot, uint64_t nohang);
long sys_proc_watch(uint64_t proc_slot, uint64_t ep_slot, uint64_t bit);
long sys_proc_kill(uint64_t proc_slot);
long sys_thread_create(uint64_t proc, uint64_t entry, uint64_t stack_top, uint64_t arg);
long sys_ioport_enable(uint64_t slot);
long sys_mmio_map(uint64_t slot, uint64_t phys, uint64_t len, uint64_t vaddr);
long sys_dma_alloc(uint64_t slot, uint64_t len, uint64_t vaddr);
long sys_poweroff(uint64_t slot, uint64_t status);
long sys_reboot(uint64_t slot);
long sys_stats(uint64_t ubuf);
long sys_proc_stats(uint64_t proc_slot, uint64_t ubuf);
long sys_thread_regs(uint64_t proc_slot, uint64_t ltid, uint64_t write, uint64_t uregs);
long sys_proc_signal(uint64_t proc_slot, uint64_t ltid);
long sys_thread_clone(uint64_t reply, uint64_t ltid, uint64_t stack, uint64_t tls,
		      uint64_t ctid, uint64_t settls);
long sys_thread_kill(uint64_t proc_slot, uint64_t ltid);
/* signal.c: the thread ltid of a POSIX process the caller controls */
int posix_thread(uint64_t slot, uint64_t ltid, struct thread **out);
long sys_proc_set_ppid(uint64_t proc_slot, uint64_t ppid);

/* The process a capability names, with the rights asked for. */
struct process;
int proc_cap(uint64_t slot, unsigned rights, struct process **p);

/* A process killed for a fault in user mode. */
__attribute__((noreturn)) void user_fault(struct trap_frame *f, const char *what);
/* A POSIX process's fault, handed to the process manager (which sends the
 * signal it stands for, or kills for memory); false if there is no one to
 * hand it to. pf: the page fault's vm_fault result. */
bool linux_fault(struct trap_frame *f, enum vm_fault pf);

#endif
