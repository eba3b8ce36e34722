/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_UTIL_OPTS_H
#define CVMM_UTIL_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Sub-option syntax shared by every flag: a comma-separated list of items,
 * each either "key=value" or a bare word, e.g.
 *
 *	--memory size=1G,backend=memfd,shared=on
 *	--coco snp,policy=0x30000,host-data=00ff...
 *	--cpu count=2,-cx16,+xsaveerptr
 *
 * A literal comma inside a value is written ",," (as in QEMU).  Every
 * accessor marks what it read; opts_finish() then reports the first item
 * nobody asked for, so typos never pass silently.
 */
struct opt_item {
	char *key;		/* the word itself for bare items */
	char *val;		/* NULL for bare items */
	bool used;
};

#define OPTS_MAX_ASKED	24

struct opts {
	const char *flag;	/* "--memory", for messages */
	struct opt_item *items;
	size_t n;
	/* the keys asked for (by opts_get()): the "did you mean" of opts_finish() */
	const char *asked[OPTS_MAX_ASKED];
	unsigned int nr_asked;
};

int opts_parse(struct opts *o, const char *flag, const char *s);
void opts_free(struct opts *o);

/* The value of key=..., or NULL. Reports duplicate keys as errors. */
const char *opts_get(struct opts *o, const char *key);
/*
 * The first bare word if it is the first item (the "kind" in "sev,policy=1"),
 * or NULL.
 */
const char *opts_kind(struct opts *o);

/*
 * Typed getters: 0 when absent (out untouched), 1 when present and valid,
 * negative errno (after printing "cvmm: <flag>: ...") when malformed.
 */
int opts_get_u64(struct opts *o, const char *key, uint64_t *out);
int opts_get_size(struct opts *o, const char *key, uint64_t *out);
int opts_get_bool(struct opts *o, const char *key, bool *out);
int opts_get_hex(struct opts *o, const char *key, uint8_t *out, size_t len);

/* Iterate unused bare words (e.g. "+feature"): returns the next or NULL. */
const char *opts_next_word(struct opts *o);

/*
 * Error for the first unused item ("unknown option 'sise'; did you mean
 * 'size'?", from the keys asked for); 0 when everything was consumed.
 */
int opts_finish(struct opts *o);

#endif
