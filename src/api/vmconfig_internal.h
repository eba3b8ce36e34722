/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_API_VMCONFIG_INTERNAL_H
#define CVMM_API_VMCONFIG_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "util/compiler.h"

/*
 * Reading one JSON object of a VmConfig strictly (vmconfig.c,
 * vmconfig_dev.c): each function returns 0 or -EINVAL with
 * "<path>.<key>: <why>" in the context's buffer.  A member that is null
 * counts as absent.
 */
struct jctx {
	char *why;
	size_t len;
	const char *path;	/* "disks[0]", "payload", or "" */
};

int jfail(struct jctx *j, const char *key, const char *fmt, ...) __printf(3, 4);
/* @o is an object (or NULL: absent) whose members are all in @known (NULL-terminated). */
int jkeys(struct jctx *j, const json_t *o, const char *const *known);
/* The member, or NULL when absent or null. */
const json_t *jget(const json_t *o, const char *key);
int jbool(struct jctx *j, const json_t *o, const char *key, bool *out);
/* An integer in [min, max]; *@present (optional) says it was there. */
int jint(struct jctx *j, const json_t *o, const char *key, int64_t min, int64_t max,
	 int64_t *out, bool *present);
/* A non-empty string without NUL; *@out NULL when absent. */
int jstr(struct jctx *j, const json_t *o, const char *key, const char **out);
/* A string member copied (strdup) into *@out when present. */
int jstrdup(struct jctx *j, const json_t *o, const char *key, char **out);
/* Absent, or exactly @want (what cvmm does); else "@why_not". */
int jonly_bool(struct jctx *j, const json_t *o, const char *key, bool want, const char *why_not);
int jonly_int(struct jctx *j, const json_t *o, const char *key, int64_t want,
	      const char *why_not);
/* Absent, or one of @allowed (NULL-terminated). */
int jonly_str(struct jctx *j, const json_t *o, const char *key, const char *const *allowed,
	      const char *why_not);
/* Absent (null, an empty array or object count as absent). */
int jabsent(struct jctx *j, const json_t *o, const char *key, const char *why_not);
/* A hint cvmm may ignore: absent, or an integer in [min, max]. */
int jhint_int(struct jctx *j, const json_t *o, const char *key, int64_t min, int64_t max);
/* A boolean hint cvmm may ignore. */
int jhint_bool(struct jctx *j, const json_t *o, const char *key);

/* The PCI placement fields every device has: segment 0 only, no fixed slot. */
int jpci_fields(struct jctx *j, const json_t *o);

#endif
