/* Heap memory for native servers (lib/rt/malloc.c). */
#ifndef TESSERA_MALLOC_H
#define TESSERA_MALLOC_H

#include <stddef.h>

void *malloc(size_t size);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t size);
void free(void *p);
/* How many bytes p can hold (at least what was asked for). */
size_t malloc_usable_size(const void *p);

#endif
