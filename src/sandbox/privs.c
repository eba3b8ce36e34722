// SPDX-License-Identifier: GPL-2.0-only
/*
 * Privileges after set-up: --user's UID and GID (and no other group), no
 * capability at all -- in the effective, permitted, inheritable and
 * ambient sets and, when cvmm may change it, the bounding set -- except
 * CAP_IPC_LOCK where SEV pins guest RAM at each boot.  CAP_NET_ADMIN was
 * only needed to create taps, which set-up did.  Runs while the main
 * thread is cvmm's only thread (glibc's set*id() then changes just it).
 */
#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sandbox/sandbox_internal.h"
#include "util/log.h"

static int caps_get(struct __user_cap_data_struct d[2])
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };

	memset(d, 0, 2 * sizeof(*d));
	return syscall(SYS_capget, &h, d) < 0 ? -errno : 0;
}

static int caps_set(struct __user_cap_data_struct d[2])
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };

	return syscall(SYS_capset, &h, d) < 0 ? -errno : 0;
}

static bool cap_has(const struct __user_cap_data_struct d[2], unsigned int cap)
{
	return d[cap / 32].effective & (1u << (cap % 32));
}

/* Empty the bounding set (but @keep), when cvmm holds CAP_SETPCAP. */
static int drop_bounding(int keep)
{
	unsigned int cap;

	/* one call per capability (each runs the LSMs' prctl hooks): no read first */
	for (cap = 0; cap < 64; cap++) {
		if ((int)cap == keep)
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
			return errno == EINVAL ? 0 : -errno;	/* EINVAL: past the last one */
	}
	return 0;
}

static int become_user(const struct sandbox_opts *o, bool keep_caps)
{
	if (setgroups(1, &o->gid) < 0 || setresgid(o->gid, o->gid, o->gid) < 0)
		return -errno;
	if (keep_caps && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return -errno;
	if (setresuid(o->uid, o->uid, o->uid) < 0)
		return -errno;
	/* no way back */
	if (o->uid && (setuid(0) == 0 || seteuid(0) == 0))
		return -EPERM;
#ifdef CVMM_SANITIZER
	/* the new user's cvmm is not dumpable: LeakSanitizer could not read /proc/self */
	prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
#endif
	return 0;
}

int sandbox_privs_drop(const struct sandbox_opts *o, bool keep_ipc_lock)
{
	struct __user_cap_data_struct d[2];
	int keep = keep_ipc_lock ? CAP_IPC_LOCK : -1;
	bool had_ipc_lock;
	int ret;

	ret = caps_get(d);
	if (ret)
		goto fail;
	had_ipc_lock = cap_has(d, CAP_IPC_LOCK);
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL) {
		ret = -errno;
		goto fail;
	}
	if (cap_has(d, CAP_SETPCAP)) {
		ret = drop_bounding(keep);
		if (ret)
			goto fail;
	}
	if (o->have_user) {
		ret = become_user(o, keep >= 0);
		if (ret) {
			log_err("--user", "cannot become %u:%u: %s%s", (unsigned int)o->uid,
				(unsigned int)o->gid, strerror(-ret),
				ret == -EPERM ? " (only root can change its user)" : "");
			return ret;
		}
	}
	memset(d, 0, sizeof(d));
	if (keep >= 0 && had_ipc_lock) {
		d[0].effective = d[0].permitted = 1u << CAP_IPC_LOCK;
	}
	ret = caps_set(d);
	if (ret)
		goto fail;
	return 0;
fail:
	log_err("sandbox", "cannot drop privileges: %s", strerror(-ret));
	return ret;
}
