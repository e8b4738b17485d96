/* Name service protocol (labels 0x100-0x1ff): servers register an endpoint
 * under a name; clients look names up and receive a send capability. */
#ifndef TESSERA_PROTO_NAMES_H
#define TESSERA_PROTO_NAMES_H

#include <stdint.h>
#include <tessera/abi.h>
#include <tessera/errno.h>

#define NAMES_NAME_MAX 16    /* bytes, NUL-padded, packed into word[0..1] */

enum names_label {
	/* -> word[0..1] name, cap = endpoint (send rights are what is shared)
	 * <- label 0 or -errno: -EEXIST, -EINVAL (no cap), -ENOSPC */
	NAMES_REGISTER = 0x100,
	/* -> word[0..1] name, word[2] = 1 to wait until it is registered
	 * <- label 0 and cap = a send capability, or -ENOENT */
	NAMES_LOOKUP,
};

/* Marshalling, shared by client and server. A name is 1..15 bytes. */
static inline int names_pack(struct ts_msg *m, const char *name)
{
	unsigned n = 0;

	while (name[n] && n < NAMES_NAME_MAX)
		n++;
	if (n == 0 || n >= NAMES_NAME_MAX)
		return -EINVAL;
	char *dst = (char *)&m->word[0];
	for (unsigned i = 0; i < NAMES_NAME_MAX; i++)
		dst[i] = i < n ? name[i] : 0;
	return 0;
}

/* Always NUL-terminated, whatever the words hold. */
static inline void names_unpack(const struct ts_msg *m, char out[NAMES_NAME_MAX])
{
	const char *src = (const char *)&m->word[0];

	for (unsigned i = 0; i < NAMES_NAME_MAX; i++)
		out[i] = src[i];
	out[NAMES_NAME_MAX - 1] = 0;
}

#endif
