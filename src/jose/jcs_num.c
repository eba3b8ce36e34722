// SPDX-License-Identifier: GPL-2.0-only
/*
 * ECMAScript Number::toString for IEEE doubles (ES2015 §7.1.12.1), the
 * number form of RFC 8785 §3.2.2.3.
 *
 * The digits are the shortest decimal that reads back as the same double,
 * the closest such one when several exist.  glibc's printf rounds exactly,
 * so "%.*e" with p digits gives the p-digit decimal nearest to d; if it
 * does not read back, the only other p-digit candidate that can is its
 * neighbour on the other side of d (the rounding interval of a double is
 * convex and contains d, and is asymmetric at powers of two).
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jose/jcs.h"

struct dec {
	uint64_t m;	/* p significant digits */
	int p;
	int e;		/* value = m * 10^e */
};

static double dec_value(const struct dec *x)
{
	char buf[48];

	snprintf(buf, sizeof(buf), "%" PRIu64 "e%d", x->m, x->e);
	return strtod(buf, NULL);
}

/* Nearest p-digit decimal of d > 0 from printf. */
static void dec_nearest(double d, int p, struct dec *x)
{
	char buf[48], *q, *w;
	uint64_t m = 0;
	int exp10;

	snprintf(buf, sizeof(buf), "%.*e", p - 1, d);
	q = strchr(buf, 'e');
	exp10 = atoi(q + 1);
	for (w = buf; w < q; w++)
		if (*w >= '0' && *w <= '9')
			m = m * 10 + (uint64_t)(*w - '0');
	x->m = m;
	x->p = p;
	x->e = exp10 - (p - 1);
}

static uint64_t pow10u(int p)
{
	uint64_t v = 1;

	while (p-- > 0)
		v *= 10;
	return v;
}

/* The p-digit decimal one step above (dir > 0) or below x. */
static void dec_step(const struct dec *x, int dir, struct dec *y)
{
	*y = *x;
	if (dir > 0) {
		y->m++;
		if (y->m == pow10u(x->p)) {
			y->m = pow10u(x->p - 1);
			y->e++;
		}
	} else {
		y->m--;
		if (y->m < pow10u(x->p - 1)) {
			y->m = pow10u(x->p) - 1;
			y->e--;
		}
	}
}

static void dec_shortest(double d, struct dec *x)
{
	int p;

	for (p = 1; p <= 17; p++) {
		struct dec y;

		dec_nearest(d, p, x);
		if (dec_value(x) == d)
			break;
		dec_step(x, dec_value(x) < d ? 1 : -1, &y);
		if (dec_value(&y) == d) {
			*x = y;
			break;
		}
	}
	/* 17 digits always read back; drop trailing zeros */
	while (x->p > 1 && x->m % 10 == 0) {
		x->m /= 10;
		x->p--;
		x->e++;
	}
}

/* ES2015 7.1.12.1 steps 6-10 with digits s (k of them) and exponent n. */
static int es_layout(const char *s, int k, int n, char *o)
{
	char *p = o;
	int i;

	if (k <= n && n <= 21) {
		p += sprintf(p, "%s", s);
		for (i = 0; i < n - k; i++)
			*p++ = '0';
	} else if (0 < n && n <= 21) {
		p += sprintf(p, "%.*s.%s", n, s, s + n);
	} else if (-6 < n && n <= 0) {
		p += sprintf(p, "0.");
		for (i = 0; i < -n; i++)
			*p++ = '0';
		p += sprintf(p, "%s", s);
	} else {
		*p++ = s[0];
		if (k > 1)
			p += sprintf(p, ".%s", s + 1);
		p += sprintf(p, "e%c%d", n - 1 < 0 ? '-' : '+', abs(n - 1));
	}
	*p = '\0';
	return (int)(p - o);
}

int jcs_format_double(double d, char *buf, size_t buflen)
{
	char digits[24];
	struct dec x;
	int neg = 0;

	if (buflen < JCS_NUM_MAX)
		return -ENOSPC;
	if (!isfinite(d))
		return -EINVAL;
	if (d == 0) {
		strcpy(buf, "0");
		return 1;
	}
	if (d < 0) {
		neg = 1;
		d = -d;
		buf[0] = '-';
	}
	dec_shortest(d, &x);
	snprintf(digits, sizeof(digits), "%" PRIu64, x.m);
	/* value = 0.digits * 10^n */
	return neg + es_layout(digits, x.p, x.e + x.p, buf + neg);
}
