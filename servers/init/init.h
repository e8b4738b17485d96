/* init's helpers. */
#ifndef INIT_H
#define INIT_H

#include <tessera.h>

/* Give process p the hardware capabilities its args name, in this order
 * (after the name service in slot 0): irq, ioport, mmio, dma; then the
 * authority they name: system, spawn, log (ts_given_caps finds them there);
 * init then adds the POSIX programs (see init.c). */
long give_module_caps(const struct ts_bootinfo *bi, uint32_t p, const char *args);
long give_authority(const struct ts_bootinfo *bi, uint32_t p, const char *args);

#endif
