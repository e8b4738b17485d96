/* printf-style formatting: %d %i %u %x %X %p %s %c %%, with l/ll/z, field
 * width, '0', '-' and '#' flags, and precision for %s. */
#include <common.h>

struct out {
	char *buf;
	size_t size, len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void pad(struct out *o, int n, char c)
{
	while (n-- > 0)
		put(o, c);
}

struct spec {
	int width, prec;
	bool left, zero, alt;
};

static void put_str(struct out *o, const char *s, const struct spec *sp)
{
	size_t n = sp->prec >= 0 ? strnlen(s, sp->prec) : strlen(s);

	if (!sp->left)
		pad(o, sp->width - (int)n, ' ');
	for (size_t i = 0; i < n; i++)
		put(o, s[i]);
	if (sp->left)
		pad(o, sp->width - (int)n, ' ');
}

static void put_num(struct out *o, uint64_t v, bool neg, unsigned base,
		    bool upper, const struct spec *sp)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	int len = n + neg;
	if (sp->left) {
		if (neg)
			put(o, '-');
		while (n)
			put(o, tmp[--n]);
		pad(o, sp->width - len, ' ');
		return;
	}
	if (sp->zero) {
		if (neg)
			put(o, '-');
		pad(o, sp->width - len, '0');
	} else {
		pad(o, sp->width - len, ' ');
		if (neg)
			put(o, '-');
	}
	while (n)
		put(o, tmp[--n]);
}

static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	*sp = (struct spec){ .prec = -1 };
	for (;; f++) {
		if (*f == '-')
			sp->left = true;
		else if (*f == '#')
			sp->alt = true;
		else if (*f == '0')
			sp->zero = true;
		else
			break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		f++;
	}
	while (*f >= '0' && *f <= '9')
		sp->width = sp->width * 10 + (*f++ - '0');
	if (*f == '.') {
		f++;
		sp->prec = 0;
		if (*f == '*') {
			sp->prec = va_arg(*ap, int);
			f++;
		}
		while (*f >= '0' && *f <= '9')
			sp->prec = sp->prec * 10 + (*f++ - '0');
	}
	return f;
}

static void convert(struct out *o, char c, int lng, const struct spec *sp, va_list *ap)
{
	uint64_t u;
	int64_t s;

	switch (c) {
	case 'd': case 'i':
		s = lng ? va_arg(*ap, int64_t) : va_arg(*ap, int);
		put_num(o, s < 0 ? -(uint64_t)s : (uint64_t)s, s < 0, 10, false, sp);
		return;
	case 'u': case 'x': case 'X':
		u = lng ? va_arg(*ap, uint64_t) : va_arg(*ap, unsigned);
		if (sp->alt && c != 'u' && u) {
			put(o, '0');
			put(o, 'x');
		}
		put_num(o, u, false, c == 'u' ? 10 : 16, c == 'X', sp);
		return;
	case 'p':
		put(o, '0');
		put(o, 'x');
		put_num(o, (uintptr_t)va_arg(*ap, void *), false, 16, false, sp);
		return;
	case 's': {
		const char *str = va_arg(*ap, const char *);
		put_str(o, str ? str : "(null)", sp);
		return;
	}
	case 'c':
		put(o, (char)va_arg(*ap, int));
		return;
	default:
		put(o, '%');
		put(o, c);
	}
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };
	va_list aq;

	va_copy(aq, ap);
	for (const char *f = fmt; *f; f++) {
		if (*f != '%') {
			put(&o, *f);
			continue;
		}
		if (f[1] == '%') {
			put(&o, '%');
			f++;
			continue;
		}
		struct spec sp;
		f = parse_spec(f + 1, &sp, &aq);
		int lng = 0;
		while (*f == 'l' || *f == 'z')
			lng = 1, f++;
		if (!*f)
			break;
		convert(&o, *f, lng, &sp, &aq);
	}
	va_end(aq);
	if (size)
		buf[o.len < size ? o.len : size - 1] = 0;
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
