// SPDX-License-Identifier: GPL-2.0-only
/*
 * The sandbox's command-line options, taken out of argv by main.c before
 * the VMM commands (boot, api) parse theirs: --seccomp on|log|off,
 * --landlock on|off, --user UID:GID.
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

const char sandbox_opts_help[] =
	"      --seccomp on|log|off  per-thread system call filters (default on: a refused\n"
	"                          call ends cvmm, exit status 38; log: the kernel logs\n"
	"                          it and lets it through; docs/sandbox.md)\n"
	"      --landlock on|off   after set-up reach only the given paths (default on\n"
	"                          without a control API)\n"
	"      --user UID:GID      run as UID:GID after set-up (names or numbers; needs root)\n";

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

static int parse_one(const char *name, const char *v)
{
	if (!strcmp(name, "--seccomp")) {
		if (!strcmp(v, "on"))
			sandbox_opts.seccomp = SANDBOX_SECCOMP_ON;
		else if (!strcmp(v, "log"))
			sandbox_opts.seccomp = SANDBOX_SECCOMP_LOG;
		else if (!strcmp(v, "off"))
			sandbox_opts.seccomp = SANDBOX_SECCOMP_OFF;
		else
			goto bad;
		return 0;
	}
	if (!strcmp(name, "--landlock")) {
		if (strcmp(v, "on") && strcmp(v, "off"))
			goto bad;
		sandbox_opts.landlock = !strcmp(v, "on");
		sandbox_opts.landlock_set = true;
		return 0;
	}
	return parse_user(v);
bad:
	log_err(name, "'%s': expected %s", v, !strcmp(name, "--seccomp") ? "on, log or off" :
		"on or off");
	return -EINVAL;
}

int sandbox_opts_take(int *argc, char **argv)
{
	static const char *const names[] = { "--seccomp", "--landlock", "--user" };
	int i, out = 1, k;

	sandbox_opts.enabled = true;

	for (i = 1; i < *argc; i++) {
		const char *a = argv[i], *v = NULL;
		size_t n;

		if (!strcmp(a, "--")) {
			while (i < *argc)
				argv[out++] = argv[i++];
			break;
		}
		for (k = 0; k < 3; k++) {
			n = strlen(names[k]);
			if (strncmp(a, names[k], n))
				continue;
			if (a[n] == '=')
				v = a + n + 1;
			else if (!a[n] && i + 1 < *argc)
				v = argv[++i];
			else if (!a[n])
				v = "";
			else
				continue;
			break;
		}
		if (k == 3) {
			argv[out++] = argv[i];
			continue;
		}
		if (parse_one(names[k], v))
			return -EINVAL;
	}
	argv[out] = NULL;
	*argc = out;
	return 0;
}
