// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "util/num.h"
#include "util/opts.h"
#include "util/suggest.h"

/* Split at single commas; ",," is a literal comma.  Returns item count. */
static int split_items(const char *s, char ***out)
{
	size_t len = strlen(s), n = 0, cap = 4;
	char **items, *cur, *w;
	size_t i;

	items = calloc(cap, sizeof(*items));
	cur = malloc(len + 1);
	if (!items || !cur)
		goto nomem;
	w = cur;
	for (i = 0; i <= len; i++) {
		if (s[i] == ',' && s[i + 1] == ',') {
			*w++ = ',';
			i++;
			continue;
		}
		if (s[i] != ',' && s[i] != 0) {
			*w++ = s[i];
			continue;
		}
		*w = 0;
		if (n + 1 >= cap) {
			char **ni = realloc(items, 2 * cap * sizeof(*items));

			if (!ni)
				goto nomem;
			items = ni;
			cap *= 2;
		}
		items[n] = strdup(cur);
		if (!items[n])
			goto nomem;
		n++;
		w = cur;
	}
	free(cur);
	*out = items;
	return (int)n;
nomem:
	if (items)
		for (i = 0; i < n; i++)
			free(items[i]);
	free(items);
	free(cur);
	return -ENOMEM;
}

int opts_parse(struct opts *o, const char *flag, const char *s)
{
	char **raw = NULL;
	int n, i, ret = 0;

	memset(o, 0, sizeof(*o));
	o->flag = flag;
	if (!s || !*s)
		return 0;
	n = split_items(s, &raw);
	if (n < 0)
		return log_errno(flag, n);
	o->items = calloc((size_t)n, sizeof(*o->items));
	if (!o->items) {
		ret = log_errno(flag, -ENOMEM);
		goto out;
	}
	for (i = 0; i < n; i++) {
		char *eq = strchr(raw[i], '=');

		if (!raw[i][0] || eq == raw[i]) {
			log_err(flag, "empty option in '%s'", s);
			ret = -EINVAL;
			goto out;
		}
		o->items[i].key = raw[i];
		raw[i] = NULL;
		if (eq) {
			*eq = 0;
			o->items[i].val = eq + 1;
		}
		o->n++;
	}
out:
	for (i = 0; i < n; i++)
		free(raw[i]);
	free(raw);
	if (ret)
		opts_free(o);
	return ret;
}

void opts_free(struct opts *o)
{
	size_t i;

	for (i = 0; i < o->n; i++)
		free(o->items[i].key);
	free(o->items);
	o->items = NULL;
	o->n = 0;
}

const char *opts_get(struct opts *o, const char *key)
{
	const char *val = NULL;
	int count = 0;
	size_t i;

	if (o->nr_asked < OPTS_MAX_ASKED)
		o->asked[o->nr_asked++] = key;
	for (i = 0; i < o->n; i++) {
		struct opt_item *it = &o->items[i];

		if (!it->val || strcmp(it->key, key))
			continue;
		it->used = true;
		val = it->val;
		count++;
	}
	if (count > 1)
		log_warn(o->flag, "'%s' given more than once; using the last", key);
	return val;
}

const char *opts_kind(struct opts *o)
{
	if (!o->n || o->items[0].val)
		return NULL;
	o->items[0].used = true;
	return o->items[0].key;
}

const char *opts_next_word(struct opts *o)
{
	size_t i;

	for (i = 0; i < o->n; i++) {
		if (!o->items[i].val && !o->items[i].used) {
			o->items[i].used = true;
			return o->items[i].key;
		}
	}
	return NULL;
}

int opts_get_u64(struct opts *o, const char *key, uint64_t *out)
{
	const char *v = opts_get(o, key);
	int ret;

	if (!v)
		return 0;
	ret = num_parse_u64(v, out);
	if (ret) {
		log_err(o->flag, "%s=%s: %s", key, v,
			ret == -ERANGE ? "number too large" : "not a number");
		return ret;
	}
	return 1;
}

int opts_get_size(struct opts *o, const char *key, uint64_t *out)
{
	const char *v = opts_get(o, key);
	int ret;

	if (!v)
		return 0;
	ret = size_parse(v, out);
	if (ret) {
		log_err(o->flag, "%s=%s: %s", key, v,
			ret == -ERANGE ? "size too large" :
			"not a size (use e.g. 512M, 2G, 0x1000)");
		return ret;
	}
	return 1;
}

int opts_get_bool(struct opts *o, const char *key, bool *out)
{
	const char *v = opts_get(o, key);

	if (!v)
		return 0;
	if (bool_parse(v, out)) {
		log_err(o->flag, "%s=%s: expected on or off", key, v);
		return -EINVAL;
	}
	return 1;
}

int opts_get_hex(struct opts *o, const char *key, uint8_t *out, size_t len)
{
	const char *v = opts_get(o, key);

	if (!v)
		return 0;
	if (hex_decode(v, out, len)) {
		log_err(o->flag, "%s: expected %zu hex digits", key, 2 * len);
		return -EINVAL;
	}
	return 1;
}

int opts_finish(struct opts *o)
{
	struct suggest sg;
	unsigned int k;
	size_t i;

	for (i = 0; i < o->n; i++) {
		struct opt_item *it = &o->items[i];

		if (it->used)
			continue;
		suggest_init(&sg, it->key);
		for (k = 0; k < o->nr_asked; k++)
			suggest_add(&sg, o->asked[k]);
		if (it->val && suggest_best(&sg))
			log_err(o->flag, "unknown option '%s'; did you mean '%s'?", it->key,
				suggest_best(&sg));
		else if (it->val)
			log_err(o->flag, "unknown option '%s'", it->key);
		else if (suggest_best(&sg))
			log_err(o->flag, "unexpected '%s'; did you mean '%s=...'?", it->key,
				suggest_best(&sg));
		else
			log_err(o->flag, "unexpected '%s'", it->key);
		return -EINVAL;
	}
	return 0;
}
