// SPDX-License-Identifier: GPL-2.0-only
/* Storage backends by URI scheme (see store.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "broker/store.h"
#include "util/err.h"

int store_open(const char *uri, struct store **out, struct err_msg *why)
{
	const struct store_ops *ops = store_sqlite_ops();
	const char *loc = uri;
	int ret;

	*out = NULL;
	if (!strncmp(uri, "sqlite:", 7)) {
		loc = uri + 7;
	} else if (strstr(uri, "://")) {
		err_set(why, "unknown store scheme (expected sqlite:PATH)");
		return -EINVAL;
	}
	if (!*loc) {
		err_set(why, "empty store location");
		return -EINVAL;
	}
	ret = ops->open(loc, out, why);
	if (!ret)
		(*out)->ops = ops;
	return ret;
}

void store_close(struct store *s)
{
	if (s)
		s->ops->close(s);
}
