// SPDX-License-Identifier: GPL-2.0-only
/*
 * The sandbox's command-line options, rows the VMM commands (boot, api)
 * add to their tables: --seccomp on|log|off, --landlock on|off, --user
 * UID:GID, and boot's --jail.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox/sandbox.h"
#include "util/log.h"

struct sandbox_opts sandbox_opts = {
#ifdef CVMM_SECCOMP_DEFAULT_LOG
	/* sanitizer builds: ASan and UBSan make calls no table lists (meson.build) */
	.seccomp = SANDBOX_SECCOMP_LOG,
#else
	.seccomp = SANDBOX_SECCOMP_ON,
#endif
	.landlock = true,
};

const struct arg_opt sandbox_arg_opts[] = {
	{ "seccomp", 0, ARG_REQUIRED, SANDBOX_OPT_SECCOMP, "on|log|off",
	  "per-thread system call filters after set-up (default on:\n"
	  "a refused call ends cvmm, exit status 38; log: the kernel\n"
	  "logs it and lets it through; docs/sandbox.md)", 0 },
	{ "landlock", 0, ARG_REQUIRED, SANDBOX_OPT_LANDLOCK, "on|off",
	  "after set-up reach only the paths given (default on;\n"
	  "off with a control API unless said)", 0 },
	{ "user", 0, ARG_REQUIRED, SANDBOX_OPT_USER, "UID:GID",
	  "after set-up run as UID:GID, names or numbers (needs root)", 0 },
	ARG_END,
};

const struct arg_opt sandbox_jail_opts[] = {
	{ "jail", 0, ARG_NONE, SANDBOX_OPT_JAIL, NULL,
	  "after set-up move into a mount namespace whose root holds\n"
	  "only the files and sockets given (needs root)", 0 },
	ARG_END,
};

/* A number, or a name looked up with @lookup. */
static int parse_id(const char *s, bool group, unsigned int *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (*s && !*end && !errno && v < 0xffffffffUL) {
		*out = (unsigned int)v;
		return 0;
	}
	if (group) {
		struct group *g = getgrnam(s);

		if (!g)
			return -ENOENT;
		*out = g->gr_gid;
	} else {
		struct passwd *p = getpwnam(s);

		if (!p)
			return -ENOENT;
		*out = p->pw_uid;
	}
	return 0;
}

static int parse_user(const char *v)
{
	const char *colon = strchr(v, ':');
	char user[256];
	unsigned int uid, gid;

	if (!colon || colon == v || !colon[1] || (size_t)(colon - v) >= sizeof(user)) {
		log_err("--user", "'%s': expected UID:GID (e.g. 1000:1000 or cvmm:kvm)", v);
		return -EINVAL;
	}
	memcpy(user, v, (size_t)(colon - v));
	user[colon - v] = '\0';
	if (parse_id(user, false, &uid)) {
		log_err("--user", "'%s': no such user", user);
		return -EINVAL;
	}
	if (parse_id(colon + 1, true, &gid)) {
		log_err("--user", "'%s': no such group", colon + 1);
		return -EINVAL;
	}
	sandbox_opts.have_user = true;
	sandbox_opts.uid = uid;
	sandbox_opts.gid = gid;
	return 0;
}

int sandbox_opt_apply(int id, const char *v)
{
	switch (id) {
	case SANDBOX_OPT_SECCOMP:
		if (!strcmp(v, "on"))
			sandbox_opts.seccomp = SANDBOX_SECCOMP_ON;
		else if (!strcmp(v, "log"))
			sandbox_opts.seccomp = SANDBOX_SECCOMP_LOG;
		else if (!strcmp(v, "off"))
			sandbox_opts.seccomp = SANDBOX_SECCOMP_OFF;
		else
			break;
		return 0;
	case SANDBOX_OPT_LANDLOCK:
		if (strcmp(v, "on") && strcmp(v, "off"))
			break;
		sandbox_opts.landlock = !strcmp(v, "on");
		sandbox_opts.landlock_set = true;
		return 0;
	case SANDBOX_OPT_USER:
		return parse_user(v);
	case SANDBOX_OPT_JAIL:
		sandbox_opts.jail = true;
		return 0;
	default:
		return -EINVAL;
	}
	log_err(id == SANDBOX_OPT_SECCOMP ? "--seccomp" : "--landlock", "'%s': expected %s", v,
		id == SANDBOX_OPT_SECCOMP ? "on, log or off" : "on or off");
	return -EINVAL;
}

void sandbox_enable(void)
{
	sandbox_opts.enabled = true;
}
