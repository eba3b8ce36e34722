// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "attest/rfc3339.h"

/* Days from 1970-01-01 to year-mon-day (H. Hinnant's civil algorithm). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

int64_t rfc3339_from_civil(int64_t year, unsigned mon, unsigned day,
			   unsigned hour, unsigned min, unsigned sec)
{
	return days_from_civil(year, mon, day) * 86400 +
	       (int64_t)hour * 3600 + (int64_t)min * 60 + sec;
}

static bool is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned days_in_month(int64_t y, unsigned m)
{
	static const unsigned dim[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/* Read exactly @n decimal digits. */
static int digits(const char *s, size_t len, size_t *pos, unsigned n,
		  unsigned *out)
{
	unsigned v = 0, i;

	if (*pos + n > len)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		char c = s[*pos + i];

		if (c < '0' || c > '9')
			return -EINVAL;
		v = v * 10 + (unsigned)(c - '0');
	}
	*pos += n;
	*out = v;
	return 0;
}

static int expect(const char *s, size_t len, size_t *pos, const char *set)
{
	if (*pos >= len || !s[*pos] || !strchr(set, s[*pos]))
		return -EINVAL;
	(*pos)++;
	return 0;
}

static int parse_n(const char *s, size_t len, int64_t *out)
{
	unsigned y, mo, d, h, mi, sec, oh, om;
	size_t pos = 0;
	int64_t t, off = 0;

	if (digits(s, len, &pos, 4, &y) || expect(s, len, &pos, "-") ||
	    digits(s, len, &pos, 2, &mo) || expect(s, len, &pos, "-") ||
	    digits(s, len, &pos, 2, &d) || expect(s, len, &pos, "Tt ") ||
	    digits(s, len, &pos, 2, &h) || expect(s, len, &pos, ":") ||
	    digits(s, len, &pos, 2, &mi) || expect(s, len, &pos, ":") ||
	    digits(s, len, &pos, 2, &sec))
		return -EINVAL;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) ||
	    h > 23 || mi > 59 || sec > 60)
		return -EINVAL;
	if (sec == 60)		/* a leap second: the instant before the next minute */
		sec = 59;
	if (pos < len && s[pos] == '.') {
		size_t start = ++pos;

		while (pos < len && s[pos] >= '0' && s[pos] <= '9')
			pos++;
		if (pos == start)
			return -EINVAL;
	}
	if (pos < len && (s[pos] == 'Z' || s[pos] == 'z')) {
		pos++;
	} else if (pos < len && (s[pos] == '+' || s[pos] == '-')) {
		int sign = s[pos] == '-' ? -1 : 1;

		pos++;
		if (digits(s, len, &pos, 2, &oh) || expect(s, len, &pos, ":") ||
		    digits(s, len, &pos, 2, &om) || oh > 23 || om > 59)
			return -EINVAL;
		off = sign * ((int64_t)oh * 3600 + (int64_t)om * 60);
	} else {
		return -EINVAL;
	}
	if (pos != len)
		return -EINVAL;
	t = rfc3339_from_civil(y, mo, d, h, mi, sec);
	*out = t - off;
	return 0;
}

int rfc3339_parse(const char *s, int64_t *out)
{
	if (!s)
		return -EINVAL;
	return parse_n(s, strlen(s), out);
}

void rfc3339_format(int64_t t, char out[RFC3339_LEN])
{
	const int64_t min = -62167219200LL;	/* 0000-01-01T00:00:00Z */
	const int64_t max = 253402300799LL;	/* 9999-12-31T23:59:59Z */
	int64_t days, secs, y;
	unsigned m, d;

	if (t < min)
		t = min;
	if (t > max)
		t = max;
	days = t / 86400;
	secs = t % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	civil_from_days(days, &y, &m, &d);
	snprintf(out, RFC3339_LEN, "%04u-%02u-%02uT%02u:%02u:%02uZ",
		 (unsigned)y, m, d, (unsigned)(secs / 3600),
		 (unsigned)(secs / 60 % 60), (unsigned)(secs % 60));
}
