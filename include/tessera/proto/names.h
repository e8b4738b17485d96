/* Name service protocol (labels 0x100-0x1ff): servers register an endpoint
 * under a name; clients look names up and receive a send capability. */
#ifndef TESSERA_PROTO_NAMES_H
#define TESSERA_PROTO_NAMES_H

#include <stdint.h>

#define NAMES_NAME_MAX 16    /* bytes, NUL-padded, packed into word[0..1] */

enum names_label {
	/* -> word[0..1] name, cap = endpoint (send rights are what is shared)
	 * <- label 0 or -errno: -EEXIST, -EINVAL (no cap), -ENOSPC */
	NAMES_REGISTER = 0x100,
	/* -> word[0..1] name, word[2] = 1 to wait until it is registered
	 * <- label 0 and cap = a send capability, or -ENOENT */
	NAMES_LOOKUP,
};

#endif
