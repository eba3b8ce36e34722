/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_MACHINE_CONFIG_H
#define CVMM_MACHINE_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "coco/coco_config.h"
#include "util/args.h"

/*
 * The machine description shared by `cvmm boot` and `cvmm measure`: both
 * accept the same flags for what is launched, so a golden measurement is
 * computed from exactly the options the VMM will be given.
 */

#define CONFIG_DEFAULT_MEM	(512ULL << 20)
#define CONFIG_MAX_VCPUS	64

enum mem_backend {
	MEM_BACKEND_ANON,
	MEM_BACKEND_MEMFD,
};

struct mem_config {
	uint64_t size;
	enum mem_backend backend;
	bool shared;
};

struct cpu_config {
	unsigned int count;
	unsigned int max_count;	/* the API's max_vcpus (0: count); never more are added */
	/* "+name" adds a CPUID feature, "-name" hides it, in order given. */
	char **features;
	unsigned int nr_features;
	/*
	 * The vCPU's CPUID signature (leaf 1 EAX; RDX at reset, so part of
	 * every SEV-ES/SNP VMSA): model=NAME or sig=0xHEX set have_sig;
	 * model=host (or nothing) leaves it to the host's, which `cvmm boot`
	 * reads from KVM and `cvmm measure` from this CPU.
	 */
	bool have_sig;
	uint32_t sig;
	char *model;		/* model= as given, or NULL */
};

enum console_kind {
	CONSOLE_STDIO,
	CONSOLE_FILE,
	CONSOLE_NONE,
	CONSOLE_VIRTIO,		/* virtio-console on stdio instead of COM1 */
	CONSOLE_SOCKET,		/* a UNIX socket at path, one client at a time */
	CONSOLE_PTY,		/* a pseudo-terminal; its name is printed */
};

struct console_config {
	enum console_kind kind;
	char *path;
};

struct fw_cfg_item_config {
	char *name;
	char *file;		/* exactly one of file/string */
	char *string;
};

#define CONFIG_MAX_BLK		16
#define CONFIG_MAX_NET		8

struct blk_config {
	char *path;
	bool readonly;
	bool direct;		/* O_DIRECT */
	char *id;		/* the API's device id (NULL on the command line) */
};

struct net_config {
	char *tap;		/* interface name; created if absent */
	bool have_mac;
	uint8_t mac[6];
	uint16_t mtu;		/* 0: the tap's */
	char *id;		/* the API's device id (NULL on the command line) */
	/*
	 * A tap opened by the API's client and passed over the socket
	 * (SCM_RIGHTS): each boot's device gets a dup() of it.  vnet_hdr: it
	 * was opened with IFF_VNET_HDR (net_tap_adopt()).
	 */
	bool have_fd;
	int fd;
	bool vnet_hdr;
};

struct vsock_config {
	bool enabled;
	uint64_t cid;
	char *uds;		/* host AF_UNIX socket path (hybrid vsock) */
	char *id;		/* the API's device id (NULL on the command line) */
};

/*
 * The machine the guest sees (--machine): cvmm's own (PCI host 1b36:0008,
 * ACPI PM at fixed ports) or the Q35 persona (devices/q35: what OVMF
 * expects of QEMU's -M q35).  Without the option: q35 with --firmware,
 * cvmm for direct kernel boots.
 */
enum machine_kind {
	MACHINE_AUTO = 0,
	MACHINE_CVMM,
	MACHINE_Q35,
};

struct vm_config {
	char *dev_kvm;		/* --hypervisor kvm,dev_kvm= (default /dev/kvm) */
	char *dev_sev;		/* --hypervisor kvm,dev_sev= (default /dev/sev) */
	struct mem_config mem;
	struct cpu_config cpu;
	char *kernel;		/* bzImage, or ELF with a PVH note */
	char *pvh;		/* ELF with a PVH note (forces the PVH path) */
	char *initramfs;
	char *cmdline;		/* NULL: the default command line */
	char *firmware;
	char *igvm;		/* --igvm: an IGVM file, the whole guest image */
	struct console_config console;
	struct console_config debugcon;	/* port 0x402 */
	bool no_reboot;
	bool dry_run;		/* boot: run the launch on the simulated platform only */
	bool json;		/* boot --dry-run --json: the launch report as JSON */
	bool debug_exit;
	uint16_t debug_exit_port;
	bool ucall;		/* test guests' assert channel (devices/ucall.h) */
	uint16_t ucall_port;
	struct coco_config coco;
	struct fw_cfg_item_config *fw_cfg;
	unsigned int nr_fw_cfg;
	struct blk_config blk[CONFIG_MAX_BLK];
	unsigned int nr_blk;
	struct net_config net[CONFIG_MAX_NET];
	unsigned int nr_net;
	struct vsock_config vsock;
	bool entropy;		/* virtio-rng */
	enum machine_kind machine;	/* --machine */
	char *rng_id;		/* the API's id of the virtio-rng */
	char *console_id;	/* the API's id of the virtio-console */
	/* a PCI bus even without a virtio device: the API may add devices later */
	bool pci_bus;
};

/*
 * The machine options (util/args.h rows) understood by
 * config_parse_option(): the arg_opt's id and the value.  A new machine
 * option is one row here and one case there.
 */
extern const struct arg_opt config_opts[];

/* Does this configuration boot the Q35 persona? */
static inline bool config_q35(const struct vm_config *cfg)
{
	return cfg->machine == MACHINE_Q35 ||
	       (cfg->machine == MACHINE_AUTO && (cfg->firmware || cfg->igvm));
}

/*
 * Is guest RAM split as QEMU's q35 (e820_ram_split_q35())?  The Q35
 * persona's, except for a confidential launch (platform=sim's too), whose
 * plan measured cvmm's split (e820_ram_split()).
 */
static inline bool config_q35_ram(const struct vm_config *cfg)
{
	return config_q35(cfg) && coco_layout_type(&cfg->coco) == COCO_NONE;
}

/*
 * The CPUID signature of QEMU CPU model @name (not "host"); else one line
 * "<flag>: unknown CPU model ...; did you mean ...?" and -EINVAL.
 */
int config_vcpu_model(const char *name, const char *flag, uint32_t *sig);

/* The CPU feature names --cpu +NAME / -NAME accepts. */
void config_print_cpu_features(FILE *f);

void config_init(struct vm_config *cfg);
/*
 * Apply one parsed option (its arg_opt id and value).
 * Returns 1 if the option was one of ours, 0 if not, negative errno (after
 * printing one line) if its value is invalid.
 */
int config_parse_option(struct vm_config *cfg, int id, const char *arg);
/* Cross-option checks after all options were seen (prints the error). */
int config_finish(struct vm_config *cfg);
void config_free(struct vm_config *cfg);

#endif
