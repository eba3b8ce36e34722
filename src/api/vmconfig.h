/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_API_VMCONFIG_H
#define CVMM_API_VMCONFIG_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "machine/config.h"

/*
 * Cloud Hypervisor's VmConfig -- the body of PUT /api/v1/vm.create and
 * the file of `cvmm boot --config FILE` -- mapped onto cvmm's struct
 * vm_config, and back (vm.info).  docs/api.md has the field-by-field
 * table.  The rules:
 *
 *   - a field cvmm implements is mapped onto the option that does the same
 *     (payload.kernel -> --kernel, memory.size -> --memory size=, disks[]
 *     -> --blk, ...);
 *   - a field at Cloud Hypervisor's default value is accepted: it asks for
 *     nothing (the generated clients, Kata's among them, send every
 *     default); so are the few hints that change nothing a guest relies on
 *     (queue counts and sizes, offloads -- cvmm offers none);
 *   - any other field, an unknown one, or a value cvmm cannot honour is
 *     refused: the reason names the field ("disks[0].vhost_user: cvmm has
 *     no vhost-user devices") and the API answers 400.
 *
 * An object "cvmm" carries what Cloud Hypervisor's schema cannot say (the
 * schema allows extra members): {"coco": "<a --coco spec>"}.
 *
 * Nothing here prints (but vmconfig_load_file()): the reason is written
 * to @why (at most @len bytes).
 */

#define VMCONFIG_WHY_LEN	320

/* The whole VmConfig onto @cfg (config_init()ed); device ids assigned as CH does. */
int vmconfig_parse(const json_t *doc, struct vm_config *cfg, char *why, size_t len);

/*
 * One device (the body of vm.add-disk / vm.add-net / vm.add-vsock) onto a
 * zeroed config entry; @path prefixes the reason ("disks[0]", or "" for a
 * request body).  vm.add-net: @have_fd says a tap fd came with the body
 * (then "tap" may be absent); the caller adopts the fd.
 */
int vmconfig_parse_disk(const json_t *o, const char *path, struct blk_config *b,
			char *why, size_t len);
int vmconfig_parse_net(const json_t *o, const char *path, bool have_fd, struct net_config *n,
		       char *why, size_t len);
int vmconfig_parse_vsock(const json_t *o, const char *path, struct vsock_config *v,
			 char *why, size_t len);

/*
 * Device ids: a device without one gets "_disk<N>", "_net<N>", "_vsock<N>",
 * "_rng<N>" or "_console<N>" (N counting every device, as CH numbers
 * them).  vmconfig_id_taken(): is @id used by any device of @cfg?
 */
int vmconfig_assign_ids(struct vm_config *cfg);
bool vmconfig_id_taken(const struct vm_config *cfg, const char *id);
/* A fresh id for a new device of @kind ("disk", "net", "vsock"); malloc'ed. */
char *vmconfig_new_id(const struct vm_config *cfg, const char *kind);

/* The VmConfig that describes @cfg (vm.info's "config"); NULL on ENOMEM. */
json_t *vmconfig_render(const struct vm_config *cfg);

/* Read FILE and parse it (cvmm boot --config); prints "cvmm: FILE: <why>". */
int vmconfig_load_file(const char *path, struct vm_config *cfg);

#endif
