/*
 * What the code scripts/idlgen.py generates from a protocol's interface file
 * (include/tessera/proto/NAME.idl -> build/gen/proto/NAME*.h) uses: message
 * words filled and read byte by byte, and the range checks of a word against
 * the type it carries. Pure: no kernel calls, so host tests include it too.
 */
#ifndef TESSERA_IDL_H
#define TESSERA_IDL_H

#include <stdbool.h>
#include <stdint.h>
#include <tessera/abi.h>
#include <tessera/errno.h>

/* What a server's request handler returns when it answers later (it kept
 * the reply handle): a value no syscall or protocol call ever returns. */
#define TS_NO_REPLY (-0x7fffffffffffffffL - 1)

#define IDL_WORDS(bytes) (((bytes) + 7) / 8)
#define IDL_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* An empty message: no capability, no grant, every word 0. */
static inline void idl_msg_init(struct ts_msg *m, uint64_t label)
{
	*m = (struct ts_msg){ .label = label, .cap = TS_NOCAP };
}

static inline uint8_t *idl_word_bytes(struct ts_msg *m, unsigned word)
{
	return (uint8_t *)&m->word[word];
}

/* The string s (shorter than size) from word on, NUL-padded to size:
 * 0, or -1 if it does not fit. */
static inline int idl_put_chars(struct ts_msg *m, unsigned word, const char *s, unsigned size)
{
	uint8_t *dst = idl_word_bytes(m, word);
	unsigned n = 0;

	while (n < size && s[n])
		n++;
	if (n == size)
		return -1;
	for (unsigned i = 0; i < size; i++)
		dst[i] = i < n ? (uint8_t)s[i] : 0;
	return 0;
}

/* size bytes from word on into out, NUL-terminated whatever they hold:
 * 0, or -1 if they held no NUL. */
static inline int idl_get_chars(const struct ts_msg *m, unsigned word, char *out, unsigned size)
{
	const uint8_t *src = (const uint8_t *)&m->word[word];
	int nul = -1;

	for (unsigned i = 0; i < size; i++) {
		out[i] = (char)src[i];
		if (!src[i])
			nul = 0;
	}
	out[size - 1] = 0;
	return nul;
}

static inline void idl_put_bytes(struct ts_msg *m, unsigned word, const void *p, uint64_t n)
{
	uint8_t *dst = idl_word_bytes(m, word);

	for (uint64_t i = 0; i < n; i++)
		dst[i] = ((const uint8_t *)p)[i];
}

static inline void idl_get_bytes(const struct ts_msg *m, unsigned word, void *out, uint64_t n)
{
	const uint8_t *src = (const uint8_t *)&m->word[word];

	for (uint64_t i = 0; i < n; i++)
		((uint8_t *)out)[i] = src[i];
}

static inline void idl_put_grant(struct ts_msg *m, const void *buf, uint64_t len, uint64_t flags)
{
	m->buf = (uint64_t)(uintptr_t)buf;
	m->buf_len = len;
	m->buf_flags = len ? flags : 0;
}

/* Whether a word holds a value of the type: unsigned ones zero-extended,
 * signed ones sign-extended, as the stubs pack them (64-bit ones always). */
static inline bool idl_fits_u8(uint64_t w) { return w <= UINT8_MAX; }
static inline bool idl_fits_u16(uint64_t w) { return w <= UINT16_MAX; }
static inline bool idl_fits_u32(uint64_t w) { return w <= UINT32_MAX; }
static inline bool idl_fits_bool(uint64_t w) { return w <= 1; }
static inline bool idl_fits_i8(uint64_t w)
{
	return (int64_t)w >= INT8_MIN && (int64_t)w <= INT8_MAX;
}
static inline bool idl_fits_i16(uint64_t w)
{
	return (int64_t)w >= INT16_MIN && (int64_t)w <= INT16_MAX;
}
static inline bool idl_fits_i32(uint64_t w)
{
	return (int64_t)w >= INT32_MIN && (int64_t)w <= INT32_MAX;
}

#endif
