// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "devices/ucall.h"
#include "coco/coco_policy.h"
#include "machine/config.h"
#include "machine/config_internal.h"
#include "util/log.h"
#include "util/num.h"
#include "util/opts.h"
#include "util/suggest.h"

enum {
	OPT_PVH = 0x100,
	OPT_CONSOLE,
	OPT_DEBUGCON,
	OPT_NO_REBOOT,
	OPT_DEBUG_EXIT,
	OPT_COCO,
	OPT_FW_CFG,
	OPT_HYPERVISOR,
	OPT_BLK,
	OPT_NET,
	OPT_VSOCK,
	OPT_ENTROPY,
	OPT_UCALL,
	OPT_MACHINE,
	OPT_IGVM,
};

/*
 * The machine flags (one row each; see util/args.h).  ARG_BOOT_ONLY: a
 * device or run-time choice that is not part of a launch measurement, so
 * `cvmm measure` refuses it instead of ignoring it.
 */
const struct arg_opt config_opts[] = {
	{ "memory", 'm', ARG_REQUIRED, 'm', "size=N[K|M|G][,backend=anon|memfd][,shared=on|off]",
	  "guest RAM (default 512M, anonymous, private)", 0 },
	{ "cpu", 'p', ARG_REQUIRED, 'p',
	  "count=N[,model=NAME|sig=0xHEX][,+feature][,-feature]...",
	  "vCPUs (default 1); the CPUID signature (RDX in\n"
	  "every SEV-ES/SNP VMSA): model= a QEMU CPU model\n"
	  "(EPYC-v4, EPYC-Milan, EPYC-Genoa, ...) or host (this\n"
	  "host's, boot's default), sig= the value; add or hide\n"
	  "CPUID features by name", 0 },
	{ "kernel", 'k', ARG_REQUIRED, 'k', "PATH",
	  "Linux bzImage, or an ELF vmlinux with a PVH note", 0 },
	{ "pvh", 0, ARG_REQUIRED, OPT_PVH, "PATH", "ELF kernel booted through its PVH entry point", 0 },
	{ "initramfs", 'i', ARG_REQUIRED, 'i', "PATH", "initial ramdisk", 0 },
	{ "cmdline", 'c', ARG_REQUIRED, 'c', "STRING", "kernel command line", 0 },
	{ "cmd-line", 0, ARG_REQUIRED, 'c', "STRING", "the same as --cmdline", ARG_HIDDEN },
	{ "firmware", 'f', ARG_REQUIRED, 'f', "PATH", "firmware ROM mapped to end at 4 GiB", 0 },
	{ "igvm", 0, ARG_REQUIRED, OPT_IGVM, "PATH",
	  "an IGVM file (pages, initial vCPU state, policy, ID block)\n"
	  "instead of --firmware: its SEV-SNP platform with --coco snp,\n"
	  "else its native one (docs/igvm.md)", 0 },
	{ "machine", 0, ARG_REQUIRED, OPT_MACHINE, "q35|cvmm",
	  "the chipset: q35 (QEMU's, what OVMF expects; the default\n"
	  "with --firmware) or cvmm's own (the default for direct\n"
	  "kernel boots)", ARG_BOOT_ONLY },
	{ "coco", 0, ARG_REQUIRED, OPT_COCO,
	  "sev,policy=P|snp,policy=P[,...]|tdx,attr=A[,qgs=PATH]",
	  "a confidential guest: SEV (policy bit 2: SEV-ES), SEV-SNP (with\n"
	  "sev-features=0xHEX, the VMSA's SEV_FEATURES, default 0x1; id-block=F,\n"
	  "id-auth=F, host-data=HEX; certs=DIR, the VCEK/ASK/ARK for guests'\n"
	  "report requests; platform=sim[,sim-ca=DIR]: a simulated launch, the\n"
	  "guest on plain KVM, NOT encrypted) or TDX", 0 },
	{ "console", 0, ARG_REQUIRED, OPT_CONSOLE,
	  "stdio|file,path=PATH|socket,path=PATH|pty|none|virtio",
	  "where COM1 goes (default stdio); socket: a UNIX\n"
	  "socket one client at a time attaches to; pty: a\n"
	  "pseudo-terminal (its name is printed); virtio: a\n"
	  "virtio-console on stdio instead of COM1", ARG_BOOT_ONLY },
	{ "blk", 0, ARG_REQUIRED, OPT_BLK, "path=FILE[,readonly=on][,direct=on]",
	  "virtio-blk disk from a raw image (repeatable)", ARG_BOOT_ONLY },
	{ "net", 0, ARG_REQUIRED, OPT_NET, "tap=NAME[,mac=XX:XX:XX:XX:XX:XX][,mtu=N]",
	  "virtio-net on a tap device (repeatable)", ARG_BOOT_ONLY },
	{ "vsock", 0, ARG_REQUIRED, OPT_VSOCK, "cid=N,uds=PATH",
	  "virtio-vsock bridged to host AF_UNIX sockets", ARG_BOOT_ONLY },
	{ "entropy", 0, ARG_NONE, OPT_ENTROPY, NULL, "virtio-rng fed from getrandom()",
	  ARG_BOOT_ONLY },
	{ "debugcon", 0, ARG_REQUIRED, OPT_DEBUGCON, "file,path=PATH|stdio",
	  "firmware debug console on port 0x402", ARG_BOOT_ONLY },
	{ "fw-cfg", 0, ARG_REQUIRED, OPT_FW_CFG, "name=NAME,file=PATH|string=STR",
	  "add a fw_cfg file (repeatable)", ARG_BOOT_ONLY },
	{ "hypervisor", 0, ARG_REQUIRED, OPT_HYPERVISOR, "kvm[,dev_kvm=PATH][,dev_sev=PATH]",
	  "KVM device nodes (default /dev/kvm, /dev/sev)", ARG_BOOT_ONLY },
	{ "no-reboot", 0, ARG_NONE, OPT_NO_REBOOT, NULL,
	  "exit when the guest resets instead of rebooting it", ARG_BOOT_ONLY },
	{ "debug-exit", 0, ARG_OPTIONAL, OPT_DEBUG_EXIT, "iobase=PORT",
	  "exit device (default port 0xf4): a guest write of V\n"
	  "ends cvmm with status (V << 1) | 1, as QEMU's isa-debug-exit", ARG_BOOT_ONLY },
	{ "ucall", 0, ARG_OPTIONAL, OPT_UCALL, "iobase=PORT",
	  "test guests' assert channel (default port 0x1000): the\n"
	  "guest's GUEST_DONE() ends cvmm with status 36, a failed\n"
	  "GUEST_ASSERT() with 35 and its file:line", ARG_BOOT_ONLY },
	ARG_END,
};

void config_init(struct vm_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->mem.size = CONFIG_DEFAULT_MEM;
	cfg->mem.backend = MEM_BACKEND_ANON;
	cfg->cpu.count = 1;
	cfg->console.kind = CONSOLE_STDIO;
	cfg->debugcon.kind = CONSOLE_NONE;
	cfg->debug_exit_port = 0xf4;
	cfg->ucall_port = UCALL_DEFAULT_PORT;
}

static int set_string(char **dst, const char *src)
{
	char *s = strdup(src);

	if (!s)
		return -ENOMEM;
	free(*dst);
	*dst = s;
	return 1;
}

static int parse_memory(struct mem_config *mem, const char *arg)
{
	uint64_t bare;
	struct opts o;
	const char *backend;
	int ret;

	ret = opts_parse(&o, "--memory", arg);
	if (ret)
		return ret;
	/* "-m 512M", as QEMU takes it */
	if (o.n && !o.items[0].val && !size_parse(o.items[0].key, &bare)) {
		log_err("--memory", "'%s': use --memory size=%s", o.items[0].key,
			o.items[0].key);
		ret = -EINVAL;
		goto out;
	}
	ret = opts_get_size(&o, "size", &mem->size);
	if (ret < 0)
		goto out;
	backend = opts_get(&o, "backend");
	if (backend) {
		if (!strcmp(backend, "anon")) {
			mem->backend = MEM_BACKEND_ANON;
		} else if (!strcmp(backend, "memfd")) {
			mem->backend = MEM_BACKEND_MEMFD;
		} else {
			log_err("--memory", "backend=%s: expected anon or memfd", backend);
			ret = -EINVAL;
			goto out;
		}
	}
	ret = opts_get_bool(&o, "shared", &mem->shared);
	if (ret < 0)
		goto out;
	ret = opts_finish(&o);
	if (ret)
		goto out;
	if (mem->size < (2ULL << 20) || mem->size % 4096) {
		log_err("--memory", "size must be a multiple of 4K and at least 2M");
		ret = -EINVAL;
		goto out;
	}
	if (mem->size > (1ULL << 46)) {
		log_err("--memory", "size larger than 64T is not supported");
		ret = -EINVAL;
	}
out:
	opts_free(&o);
	return ret < 0 ? ret : 1;
}

/* file,path=P / socket,path=P: the path, required. */
static int console_path(struct console_config *con, struct opts *o, const char *flag,
			const char *kind)
{
	const char *path = opts_get(o, "path");

	if (!path || !*path) {
		log_err(flag, "%s needs path=PATH", kind);
		return -EINVAL;
	}
	con->path = strdup(path);
	return con->path ? 0 : -ENOMEM;
}

static int parse_console(struct console_config *con, const char *flag,
			 const char *arg)
{
	static const char *const kinds[] = { "stdio", "file", "none", "socket", "pty", "virtio" };
	bool com1 = !strcmp(flag, "--console");
	struct suggest sg;
	struct opts o;
	const char *kind;
	unsigned int i;
	int ret;

	ret = opts_parse(&o, flag, arg);
	if (ret)
		return ret;
	kind = opts_kind(&o);
	if (!kind) {
		log_err(flag, com1 ? "expected stdio, file,path=PATH, socket,path=PATH, pty, none "
			"or virtio" : "expected stdio, file,path=PATH or none");
		ret = -EINVAL;
		goto out;
	}
	free(con->path);
	con->path = NULL;
	if (!strcmp(kind, "stdio")) {
		con->kind = CONSOLE_STDIO;
	} else if (!strcmp(kind, "none")) {
		con->kind = CONSOLE_NONE;
	} else if (!strcmp(kind, "virtio") && com1) {
		con->kind = CONSOLE_VIRTIO;
	} else if (!strcmp(kind, "pty") && com1) {
		con->kind = CONSOLE_PTY;
	} else if (!strcmp(kind, "socket") && com1) {
		con->kind = CONSOLE_SOCKET;
		ret = console_path(con, &o, flag, kind);
	} else if (!strcmp(kind, "file") || !strcmp(kind, "log")) {
		con->kind = CONSOLE_FILE;
		ret = console_path(con, &o, flag, "file");
	} else {
		suggest_init(&sg, kind);
		for (i = 0; i < (com1 ? 6 : 3); i++)	/* --debugcon: the first three */
			suggest_add(&sg, kinds[i]);
		if (suggest_best(&sg))
			log_err(flag, "unknown console '%s'; did you mean %s?", kind,
				suggest_best(&sg));
		else
			log_err(flag, "unknown console '%s' (expected stdio, file, %snone%s)", kind,
				com1 ? "socket, pty, " : "", com1 ? " or virtio" : "");
		ret = -EINVAL;
	}
	if (!ret)
		ret = opts_finish(&o);
out:
	opts_free(&o);
	return ret < 0 ? ret : 1;
}

/* A device on one I/O port, opt-in: @flag[=iobase=PORT] (--debug-exit, --ucall). */
static int parse_port_device(const char *flag, const char *arg, bool *on, uint16_t *iobase)
{
	struct opts o;
	uint64_t port = *iobase;
	int ret;

	*on = true;
	if (!arg)
		return 1;
	ret = opts_parse(&o, flag, arg);
	if (ret)
		return ret;
	ret = opts_get_u64(&o, "iobase", &port);
	if (ret >= 0 && port > 0xffff) {
		log_err(flag, "iobase=0x%llx: not an I/O port", (unsigned long long)port);
		ret = -EINVAL;
	}
	if (ret >= 0)
		ret = opts_finish(&o);
	opts_free(&o);
	if (ret < 0)
		return ret;
	*iobase = (uint16_t)port;
	return 1;
}

static int parse_hypervisor(struct vm_config *cfg, const char *arg)
{
	const char *kind, *v;
	struct opts o;
	int ret;

	ret = opts_parse(&o, "--hypervisor", arg);
	if (ret)
		return ret;
	kind = opts_kind(&o);
	if (!kind || strcmp(kind, "kvm")) {
		log_err("--hypervisor", "only 'kvm' is supported");
		ret = -EINVAL;
		goto out;
	}
	v = opts_get(&o, "dev_kvm");
	if (v && (ret = set_string(&cfg->dev_kvm, v)) < 0)
		goto out;
	v = opts_get(&o, "dev_sev");
	if (v && (ret = set_string(&cfg->dev_sev, v)) < 0)
		goto out;
	ret = opts_finish(&o);
out:
	opts_free(&o);
	return ret < 0 ? ret : 1;
}

static int parse_mac(const char *s, uint8_t mac[6])
{
	unsigned int i;

	for (i = 0; i < 6; i++) {
		int hi, lo;

		hi = s[0] >= '0' && s[0] <= '9' ? s[0] - '0' :
		     (s[0] | 0x20) >= 'a' && (s[0] | 0x20) <= 'f' ? (s[0] | 0x20) - 'a' + 10 : -1;
		lo = !s[0] ? -1 : s[1] >= '0' && s[1] <= '9' ? s[1] - '0' :
		     (s[1] | 0x20) >= 'a' && (s[1] | 0x20) <= 'f' ? (s[1] | 0x20) - 'a' + 10 : -1;
		if (hi < 0 || lo < 0)
			return -EINVAL;
		mac[i] = (uint8_t)(hi << 4 | lo);
		s += 2;
		if (i < 5 && *s++ != ':')
			return -EINVAL;
	}
	return *s ? -EINVAL : 0;
}

static int parse_blk(struct vm_config *cfg, const char *arg)
{
	struct blk_config *b;
	const char *path;
	struct opts o;
	int ret;

	if (cfg->nr_blk == CONFIG_MAX_BLK) {
		log_err("--blk", "at most %d disks", CONFIG_MAX_BLK);
		return -EINVAL;
	}
	b = &cfg->blk[cfg->nr_blk];
	ret = opts_parse(&o, "--blk", arg);
	if (ret)
		return ret;
	path = opts_get(&o, "path");
	if (!path || !*path) {
		log_err("--blk", "expected path=FILE");
		ret = -EINVAL;
		goto out;
	}
	ret = opts_get_bool(&o, "readonly", &b->readonly);
	if (ret >= 0)
		ret = opts_get_bool(&o, "direct", &b->direct);
	if (ret >= 0)
		ret = opts_finish(&o);
	if (ret < 0)
		goto out;
	b->path = strdup(path);
	if (!b->path) {
		ret = -ENOMEM;
		goto out;
	}
	cfg->nr_blk++;
	ret = 1;
out:
	opts_free(&o);
	return ret;
}

static int parse_net(struct vm_config *cfg, const char *arg)
{
	struct net_config *n;
	const char *tap, *mac;
	uint64_t mtu = 0;
	struct opts o;
	int ret;

	if (cfg->nr_net == CONFIG_MAX_NET) {
		log_err("--net", "at most %d network devices", CONFIG_MAX_NET);
		return -EINVAL;
	}
	n = &cfg->net[cfg->nr_net];
	memset(n, 0, sizeof(*n));
	ret = opts_parse(&o, "--net", arg);
	if (ret)
		return ret;
	tap = opts_get(&o, "tap");
	mac = opts_get(&o, "mac");
	ret = opts_get_u64(&o, "mtu", &mtu);
	if (ret >= 0)
		ret = opts_finish(&o);
	if (ret < 0)
		goto out;
	if (!tap || !*tap || strlen(tap) >= 16) {
		log_err("--net", "expected tap=NAME (at most 15 characters)");
		ret = -EINVAL;
		goto out;
	}
	if (mac) {
		if (parse_mac(mac, n->mac)) {
			log_err("--net", "mac=%s: expected six hex pairs like 52:54:00:12:34:56", mac);
			ret = -EINVAL;
			goto out;
		}
		n->have_mac = true;
	}
	if (mtu && (mtu < 68 || mtu > 65535)) {
		log_err("--net", "mtu=%llu: must be 68 to 65535", (unsigned long long)mtu);
		ret = -EINVAL;
		goto out;
	}
	n->mtu = (uint16_t)mtu;
	n->tap = strdup(tap);
	if (!n->tap) {
		ret = -ENOMEM;
		goto out;
	}
	cfg->nr_net++;
	ret = 1;
out:
	opts_free(&o);
	return ret;
}

static int parse_vsock(struct vm_config *cfg, const char *arg)
{
	struct vsock_config *v = &cfg->vsock;
	const char *uds;
	uint64_t cid = 0;
	struct opts o;
	int ret;

	if (v->enabled) {
		log_err("--vsock", "given twice: a machine has one vsock device");
		return -EINVAL;
	}
	ret = opts_parse(&o, "--vsock", arg);
	if (ret)
		return ret;
	ret = opts_get_u64(&o, "cid", &cid);
	uds = opts_get(&o, "uds");
	if (ret >= 0)
		ret = opts_finish(&o);
	if (ret < 0)
		goto out;
	/* 0-2 and 0xffffffff (VMADDR_CID_ANY) are reserved (virtio spec) */
	if (cid < 3 || cid >= 0xffffffffULL) {
		log_err("--vsock", "cid=N is required and must be 3 to 4294967294");
		ret = -EINVAL;
		goto out;
	}
	if (!uds || !*uds) {
		log_err("--vsock", "expected uds=PATH (the host socket)");
		ret = -EINVAL;
		goto out;
	}
	free(v->uds);
	v->uds = strdup(uds);
	if (!v->uds) {
		ret = -ENOMEM;
		goto out;
	}
	v->cid = cid;
	v->enabled = true;
	ret = 1;
out:
	opts_free(&o);
	return ret;
}

static int parse_fw_cfg(struct vm_config *cfg, const char *arg)
{
	struct fw_cfg_item_config *items, it = { 0 };
	const char *name, *file, *string;
	struct opts o;
	int ret;

	ret = opts_parse(&o, "--fw-cfg", arg);
	if (ret)
		return ret;
	name = opts_get(&o, "name");
	file = opts_get(&o, "file");
	string = opts_get(&o, "string");
	ret = opts_finish(&o);
	if (ret)
		goto out;
	if (!name || !*name || (!file == !string)) {
		log_err("--fw-cfg", "expected name=NAME and one of file=PATH or string=STR");
		ret = -EINVAL;
		goto out;
	}
	if (strlen(name) > 55) {
		log_err("--fw-cfg", "name '%s' is longer than 55 bytes", name);
		ret = -EINVAL;
		goto out;
	}
	it.name = strdup(name);
	it.file = file ? strdup(file) : NULL;
	it.string = string ? strdup(string) : NULL;
	items = realloc(cfg->fw_cfg, (cfg->nr_fw_cfg + 1) * sizeof(*items));
	if (!it.name || (file && !it.file) || (string && !it.string) || !items) {
		if (items)
			cfg->fw_cfg = items;
		free(it.name);
		free(it.file);
		free(it.string);
		ret = -ENOMEM;
		goto out;
	}
	cfg->fw_cfg = items;
	items[cfg->nr_fw_cfg++] = it;
	ret = 1;
out:
	opts_free(&o);
	return ret;
}

int config_parse_option(struct vm_config *cfg, int id, const char *arg)
{
	int ret;

	switch (id) {
	case 'm':
		return parse_memory(&cfg->mem, arg);
	case 'p':
		return config_parse_cpu(&cfg->cpu, arg);
	case 'k':
		return set_string(&cfg->kernel, arg);
	case OPT_PVH:
		return set_string(&cfg->pvh, arg);
	case 'i':
		return set_string(&cfg->initramfs, arg);
	case 'c':
		return set_string(&cfg->cmdline, arg);
	case 'f':
		return set_string(&cfg->firmware, arg);
	case OPT_IGVM:
		return set_string(&cfg->igvm, arg);
	case OPT_CONSOLE:
		return parse_console(&cfg->console, "--console", arg);
	case OPT_DEBUGCON:
		return parse_console(&cfg->debugcon, "--debugcon", arg);
	case OPT_NO_REBOOT:
		cfg->no_reboot = true;
		return 1;
	case OPT_DEBUG_EXIT:
		return parse_port_device("--debug-exit", arg, &cfg->debug_exit,
					 &cfg->debug_exit_port);
	case OPT_UCALL:
		return parse_port_device("--ucall", arg, &cfg->ucall, &cfg->ucall_port);
	case OPT_COCO:
		coco_config_free(&cfg->coco);
		ret = coco_config_parse(&cfg->coco, arg);
		if (!ret)
			ret = coco_config_validate(&cfg->coco);
		return ret < 0 ? ret : 1;
	case OPT_FW_CFG:
		return parse_fw_cfg(cfg, arg);
	case OPT_HYPERVISOR:
		return parse_hypervisor(cfg, arg);
	case OPT_BLK:
		return parse_blk(cfg, arg);
	case OPT_NET:
		return parse_net(cfg, arg);
	case OPT_VSOCK:
		return parse_vsock(cfg, arg);
	case OPT_ENTROPY:
		cfg->entropy = true;
		return 1;
	case OPT_MACHINE:
		if (!strcmp(arg, "q35") || !strcmp(arg, "cvmm")) {
			cfg->machine = arg[0] == 'q' ? MACHINE_Q35 : MACHINE_CVMM;
			return 1;
		}
		log_err("--machine", "'%s': expected q35 or cvmm", arg);
		return -EINVAL;
	}
	return 0;
}

/* --igvm: the file is the whole guest image; SEV-SNP is its confidential platform. */
static int finish_igvm(const struct vm_config *cfg)
{
	const char *other = cfg->firmware ? "--firmware" : cfg->pvh ? "--pvh" : NULL;

	if (other) {
		log_err("--igvm", "the IGVM file is the whole guest image: leave out %s", other);
		return -EINVAL;
	}
	if ((cfg->kernel || cfg->initramfs) && cfg->coco.type != COCO_NONE) {
		log_err(cfg->kernel ? "--kernel" : "--initramfs", "a confidential IGVM launch "
			"measures the file only: the kernel must be inside it");
		return -EINVAL;
	}
	if (cfg->coco.type != COCO_NONE && cfg->coco.type != COCO_SNP) {
		log_err("--coco", "%s: cvmm launches the SEV-SNP platform of an IGVM file "
			"(--coco snp) or its native one (no --coco)",
			coco_type_name(cfg->coco.type));
		return -EINVAL;
	}
	return 0;
}

int config_finish(struct vm_config *cfg)
{
	if (cfg->igvm)
		return finish_igvm(cfg);
	if (cfg->kernel && cfg->pvh) {
		log_err("--pvh", "give either --kernel or --pvh, not both");
		return -EINVAL;
	}
	if (cfg->initramfs && !cfg->kernel && !cfg->pvh && !cfg->firmware) {
		log_err("--initramfs", "needs --kernel, --pvh or --firmware");
		return -EINVAL;
	}
	if (cfg->cmdline && !cfg->kernel && !cfg->pvh && !cfg->firmware) {
		log_err("--cmdline", "needs --kernel, --pvh or --firmware");
		return -EINVAL;
	}
	if (cfg->coco.type != COCO_NONE && !cfg->firmware) {
		log_err("--coco", "a confidential guest boots through firmware: add --firmware");
		return -EINVAL;
	}
	if (cfg->coco.type == COCO_TDX && (cfg->cpu.have_sig ||
					   (cfg->cpu.model && strcmp(cfg->cpu.model, "host")))) {
		log_err("--cpu", "a TD's CPUID signature is the TDX module's: model= and sig= "
			"are for SEV guests");
		return -EINVAL;
	}
	if (cfg->machine == MACHINE_Q35 && !cfg->firmware) {
		log_err("--machine", "q35 needs --firmware (direct kernel boots use the cvmm machine)");
		return -EINVAL;
	}
	return 0;
}

void config_free(struct vm_config *cfg)
{
	unsigned int i;

	for (i = 0; i < cfg->cpu.nr_features; i++)
		free(cfg->cpu.features[i]);
	free(cfg->cpu.features);
	free(cfg->cpu.model);
	free(cfg->dev_kvm);
	free(cfg->dev_sev);
	free(cfg->kernel);
	free(cfg->pvh);
	free(cfg->initramfs);
	free(cfg->cmdline);
	free(cfg->firmware);
	free(cfg->igvm);
	free(cfg->console.path);
	free(cfg->debugcon.path);
	coco_config_free(&cfg->coco);
	for (i = 0; i < cfg->nr_fw_cfg; i++) {
		free(cfg->fw_cfg[i].name);
		free(cfg->fw_cfg[i].file);
		free(cfg->fw_cfg[i].string);
	}
	free(cfg->fw_cfg);
	for (i = 0; i < cfg->nr_blk; i++) {
		free(cfg->blk[i].path);
		free(cfg->blk[i].id);
	}
	for (i = 0; i < cfg->nr_net; i++) {
		free(cfg->net[i].tap);
		free(cfg->net[i].id);
		if (cfg->net[i].have_fd)
			close(cfg->net[i].fd);
	}
	free(cfg->vsock.uds);
	free(cfg->vsock.id);
	free(cfg->rng_id);
	free(cfg->console_id);
	memset(cfg, 0, sizeof(*cfg));
}
