/* init's helpers: module-line arguments and the capabilities they ask for. */
#ifndef INIT_H
#define INIT_H

#include <tessera.h>

/* Is word a whitespace-separated word (or "word=…") of args? */
bool arg_flag(const char *args, const char *word);
/* The number after "key=" in args (decimal or 0x hex), or def. */
long arg_number(const char *args, const char *key, long def);
/* Give process p the hardware capabilities its args name. */
long give_module_caps(const struct ts_bootinfo *bi, uint32_t p, const char *args);

#endif
