/* Where an event is signalled: bits OR-ed into an endpoint (interrupt
 * lines, process exits). The functions are in ipc.h. */
#ifndef NOTIFY_H
#define NOTIFY_H

#include <stdint.h>

struct endpoint;

struct notify_target {
	struct endpoint *ep;        /* holds a reference while set */
	uint64_t bits;
};

#endif
