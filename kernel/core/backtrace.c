/* Symbolized backtraces by walking the frame-pointer chain. */
#include <log.h>
#include <mm.h>
#include <panic.h>

__attribute__((weak)) const struct ksym ksyms[1];
__attribute__((weak)) const unsigned nksyms;

const char *ksym_lookup(uint64_t addr, uint64_t *offset)
{
	unsigned lo = 0, hi = nksyms;

	/* last symbol with ksyms[i].addr <= addr */
	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		if (ksyms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0) {
		*offset = addr;
		return "?";
	}
	*offset = addr - ksyms[lo - 1].addr;
	return ksyms[lo - 1].name;
}

static bool plausible_frame(uint64_t rbp)
{
	return (rbp & 7) == 0 && rbp >= PHYSMAP_BASE && rbp < ~0ull - 16;
}

void print_backtrace(uint64_t rbp)
{
	klog("backtrace:");
	for (int depth = 0; depth < 32 && plausible_frame(rbp); depth++) {
		uint64_t *frame = (uint64_t *)rbp;
		uint64_t ret = frame[1], off;
		if (!ret)
			break;
		const char *fn = ksym_lookup(ret, &off);
		klog("  #%d %016lx %s+%#lx", depth, ret, fn, off);
		rbp = frame[0];
	}
}
