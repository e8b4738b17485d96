/* init's helpers. */
#ifndef INIT_H
#define INIT_H

#include <tessera.h>

/* Give process p the hardware capabilities its args name, in this order
 * (after the name service in slot 0): irq, ioport, mmio, dma; init then
 * adds system and the POSIX programs (see init.c). */
long give_module_caps(const struct ts_bootinfo *bi, uint32_t p, const char *args);

#endif
