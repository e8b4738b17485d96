/* The kernel log and panic(): every console, one timestamped line each. */
#include <arch/cpu.h>
#include <arch/platform.h>
#include <arch/trapframe.h>
#include <log.h>
#include <panic.h>

static bool vga_ready;

void console_write(const char *s, size_t n)
{
	serial_write(s, n);
	if (vga_ready)
		vga_write(s, n);
}

void console_enable_vga(void);
void console_enable_vga(void)
{
	vga_init();
	vga_ready = true;
}

static void vklog(const char *fmt, va_list ap)
{
	char line[256];
	uint64_t ns = time_ns();
	int n = snprintf(line, sizeof line, "[%5u.%06u] ", (unsigned)(ns / 1000000000),
			 (unsigned)(ns / 1000 % 1000000));
	int m = vsnprintf(line + n, sizeof line - n, fmt, ap);
	size_t len = MIN((size_t)(n + m), sizeof line - 2);

	if (len == 0 || line[len - 1] != '\n')
		line[len++] = '\n';
	console_write(line, len);
}

void klog(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vklog(fmt, ap);
	va_end(ap);
}

void panic(const char *fmt, ...)
{
	va_list ap;
	uint64_t rbp;

	irq_disable();
	vga_reclaim();
	va_start(ap, fmt);
	klog("KERNEL PANIC:");
	vklog(fmt, ap);
	va_end(ap);
	__asm__ volatile("mov %%rbp, %0" : "=r"(rbp));
	print_backtrace(rbp);
	qemu_exit(PANIC_EXIT_CODE);
}

void panic_frame(const struct trap_frame *f, const char *why)
{
	irq_disable();
	vga_reclaim();
	klog("KERNEL PANIC: %s (vector %lu, error %#lx) cr2=%016lx", why,
	     f->vector, f->error, read_cr2());
	klog("rip=%016lx cs=%04lx rflags=%016lx rsp=%016lx ss=%04lx",
	     f->rip, f->cs, f->rflags, f->rsp, f->ss);
	klog("rax=%016lx rbx=%016lx rcx=%016lx rdx=%016lx", f->rax, f->rbx, f->rcx, f->rdx);
	klog("rsi=%016lx rdi=%016lx rbp=%016lx r8 =%016lx", f->rsi, f->rdi, f->rbp, f->r8);
	klog("r9 =%016lx r10=%016lx r11=%016lx r12=%016lx", f->r9, f->r10, f->r11, f->r12);
	klog("r13=%016lx r14=%016lx r15=%016lx cr3=%016lx", f->r13, f->r14, f->r15, read_cr3());
	uint64_t off;
	const char *fn = ksym_lookup(f->rip, &off);
	klog("  at %016lx %s+%#lx", f->rip, fn, off);
	print_backtrace(f->rbp);
	qemu_exit(PANIC_EXIT_CODE);
}
