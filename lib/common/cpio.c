/* newc cpio: a 110-byte header of "070701" and 13 eight-digit hex fields,
 * the name (NUL-terminated, padded to 4 bytes with the header), the data
 * (padded to 4). The archive ends with an entry named "TRAILER!!!". */
#include <cpio.h>
#include <tessera/errno.h>

#define HEADER 110

static int hex_field(const uint8_t *p, uint64_t *out)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++) {
		uint8_t c = p[i];
		int d = c >= '0' && c <= '9' ? c - '0' :
			c >= 'a' && c <= 'f' ? c - 'a' + 10 :
			c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return -EINVAL;
		v = v << 4 | (unsigned)d;
	}
	*out = v;
	return 0;
}

static size_t pad4(size_t n) { return (n + 3) & ~(size_t)3; }

static bool is_trailer(const struct cpio_entry *e)
{
	static const char t[] = "TRAILER!!!";

	if (e->namelen != sizeof t - 1)
		return false;
	for (size_t i = 0; i < e->namelen; i++)
		if (e->name[i] != t[i])
			return false;
	return true;
}

int cpio_next(const uint8_t *a, size_t len, size_t *offset, struct cpio_entry *e)
{
	static const char magic[] = "070701";
	size_t off = *offset;
	uint64_t f[13];

	if (off > len || len - off < HEADER)
		return -EINVAL;
	for (int i = 0; i < 6; i++)
		if (a[off + i] != magic[i])
			return -EINVAL;
	for (int i = 0; i < 13; i++)
		if (hex_field(a + off + 6 + 8 * i, &f[i]))
			return -EINVAL;
	uint64_t namesize = f[11], size = f[6];
	if (namesize == 0 || namesize > len - off - HEADER)
		return -EINVAL;
	size_t data = pad4(off + HEADER + namesize);
	if (data > len || size > len - data)
		return -EINVAL;
	*e = (struct cpio_entry){
		.name = (const char *)a + off + HEADER, .namelen = namesize - 1,
		.ino = f[0], .mode = f[1], .uid = f[2], .gid = f[3], .nlink = f[4],
		.mtime = f[5], .data = a + data, .size = size,
	};
	if (is_trailer(e))
		return 0;
	*offset = pad4(data + size);
	return 1;
}
