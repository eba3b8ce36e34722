// SPDX-License-Identifier: GPL-2.0-only
#include <stdarg.h>
#include <stdio.h>

#include "devices/dev_err.h"

void dev_err_set(struct dev_err *err, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
}

void dev_warn(struct dev_err *err, const char *fmt, ...)
{
	va_list ap;
	unsigned int i;

	if (!err)
		return;
	i = err->nr_warn < DEV_ERR_MAX_WARN ? err->nr_warn++ : DEV_ERR_MAX_WARN - 1;
	va_start(ap, fmt);
	vsnprintf(err->warn[i], sizeof(err->warn[i]), fmt, ap);
	va_end(ap);
}
