/* Kernel log: timestamped lines to every console (serial, VGA). */
#ifndef LOG_H
#define LOG_H

#include <common.h>

/* One log line; a trailing newline is added if missing. */
void klog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Raw text to every console, no timestamp. */
void console_write(const char *s, size_t n);
__attribute__((noreturn, format(printf, 1, 2)))
void panic(const char *fmt, ...);

#endif
