// SPDX-License-Identifier: GPL-2.0-only
/*
 * Cloud Hypervisor's VmConfig onto cvmm's struct vm_config (see
 * api/vmconfig.h; docs/api.md has the field-by-field table).  The devices
 * are vmconfig_dev.c's, the way back (vm.info) vmconfig_render.c's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/vmconfig.h"
#include "api/server.h"
#include "api/vmconfig_internal.h"
#include "util/file.h"
#include "util/log.h"
#include "util/num.h"

#define MAX_VCPUS_BOUND		4096

static int parse_payload(struct jctx *j, const json_t *o, struct vm_config *cfg)
{
	static const char *const keys[] = { "firmware", "kernel", "cmdline", "initramfs",
		"igvm", "host_data", NULL };
	const char *hd;
	int ret;

	if (!o)
		return jfail(j, "payload", "required (an empty object boots the built-in guest)");
	j->path = "payload";
	ret = jkeys(j, o, keys);
	if (!ret)
		ret = jabsent(j, o, "igvm", "cvmm does not boot IGVM files");
	if (!ret)
		ret = jstrdup(j, o, "firmware", &cfg->firmware);
	if (!ret)
		ret = jstrdup(j, o, "kernel", &cfg->kernel);
	if (!ret)
		ret = jstrdup(j, o, "initramfs", &cfg->initramfs);
	if (!ret && jget(o, "cmdline") && !json_is_string(jget(o, "cmdline")))
		ret = jfail(j, "cmdline", "expected a string");
	if (!ret && jget(o, "cmdline")) {
		cfg->cmdline = strdup(json_string_value(jget(o, "cmdline")));
		ret = cfg->cmdline ? 0 : -ENOMEM;
	}
	if (!ret)
		ret = jstr(j, o, "host_data", &hd);
	if (!ret && hd) {
		if (strlen(hd) != 64 || hex_decode(hd, cfg->coco.host_data, 32))
			ret = jfail(j, "host_data", "expected 64 hex digits (32 bytes)");
		cfg->coco.have_host_data = true;
	}
	j->path = "";
	return ret;
}

static int parse_topology(struct jctx *j, const json_t *o)
{
	static const char *const keys[] = { "threads_per_core", "cores_per_die",
		"dies_per_package", "packages", NULL };
	static const char one_socket[] = "cvmm presents one socket of single-thread cores";
	int ret;

	if (!o)
		return 0;
	j->path = "cpus.topology";
	ret = jkeys(j, o, keys);
	if (!ret)
		ret = jonly_int(j, o, "threads_per_core", 1, one_socket);
	if (!ret)
		ret = jonly_int(j, o, "dies_per_package", 1, one_socket);
	if (!ret)
		ret = jonly_int(j, o, "packages", 1, one_socket);
	if (!ret)
		ret = jhint_int(j, o, "cores_per_die", 1, MAX_VCPUS_BOUND);
	j->path = "cpus";
	return ret;
}

static int add_feature(struct cpu_config *cpu, const char *f)
{
	char **nf = realloc(cpu->features, (cpu->nr_features + 1) * sizeof(*nf));

	if (!nf)
		return -ENOMEM;
	cpu->features = nf;
	nf[cpu->nr_features] = strdup(f);
	if (!nf[cpu->nr_features])
		return -ENOMEM;
	cpu->nr_features++;
	return 0;
}

static int cpus_unsupported(struct jctx *j, const json_t *o)
{
	static const char *const sched[] = { "Vm", "Off", NULL };
	static const char *const feat_keys[] = { "amx", NULL };
	int ret;

	ret = jonly_bool(j, o, "kvm_hyperv", false, "cvmm offers no Hyper-V enlightenments");
	if (!ret)
		ret = jabsent(j, o, "max_phys_bits",
			      "cvmm gives the guest the host's physical address width");
	if (!ret)
		ret = jabsent(j, o, "affinity",
			      "cvmm does not pin vCPUs (pin the threads named vcpuN)");
	if (!ret)
		ret = jonly_str(j, o, "core_scheduling", sched,
				"cvmm does not set up core scheduling per vCPU");
	if (!ret && jget(o, "features")) {
		j->path = "cpus.features";
		ret = jkeys(j, jget(o, "features"), feat_keys);
		if (!ret)
			ret = jonly_bool(j, jget(o, "features"), "amx", false,
					 "cvmm does not enable AMX");
		j->path = "cpus";
	}
	return ret;
}

static int parse_cpus(struct jctx *j, const json_t *o, struct cpu_config *cpu)
{
	static const char *const keys[] = { "boot_vcpus", "max_vcpus", "topology", "kvm_hyperv",
		"max_phys_bits", "nested", "affinity", "features", "core_scheduling", NULL };
	int64_t boot = 1, max = 0;
	bool have_boot = false, have_max = false, nested = true;
	int ret;

	if (!o)
		return 0;
	j->path = "cpus";
	ret = jkeys(j, o, keys);
	if (!ret)
		ret = jint(j, o, "boot_vcpus", 1, CONFIG_MAX_VCPUS, &boot, &have_boot);
	if (!ret)
		ret = jint(j, o, "max_vcpus", 1, MAX_VCPUS_BOUND, &max, &have_max);
	if (!ret && (!have_boot || !have_max))
		ret = jfail(j, have_boot ? "max_vcpus" : "boot_vcpus", "required");
	if (!ret && max < boot)
		ret = jfail(j, "max_vcpus", "less than boot_vcpus");
	if (!ret)
		ret = parse_topology(j, jget(o, "topology"));
	if (!ret)
		ret = cpus_unsupported(j, o);
	if (!ret)
		ret = jbool(j, o, "nested", &nested);
	/* nested: false hides the virtualization extensions */
	if (!ret && !nested)
		ret = add_feature(cpu, "-vmx");
	if (!ret && !nested)
		ret = add_feature(cpu, "-svm");
	if (!ret) {
		cpu->count = (unsigned int)boot;
		cpu->max_count = (unsigned int)max;
	}
	j->path = "";
	return ret;
}

static int memory_unsupported(struct jctx *j, const json_t *o)
{
	static const char *const methods[] = { "Acpi", "VirtioMem", NULL };
	int ret;

	ret = jonly_int(j, o, "hotplug_size", 0, "cvmm has no memory hotplug");
	if (!ret)
		ret = jonly_int(j, o, "hotplugged_size", 0, "cvmm has no memory hotplug");
	if (!ret)
		ret = jonly_str(j, o, "hotplug_method", methods, "expected Acpi or VirtioMem");
	if (!ret)
		ret = jonly_bool(j, o, "mergeable", false, "cvmm does not give guest RAM to KSM");
	if (!ret)
		ret = jonly_bool(j, o, "hugepages", false, "cvmm does not back RAM with hugetlbfs");
	if (!ret)
		ret = jabsent(j, o, "hugepage_size", "cvmm does not back RAM with hugetlbfs");
	if (!ret)
		ret = jonly_bool(j, o, "prefault", false,
				 "cvmm allocates guest RAM as the guest touches it");
	if (!ret)
		ret = jonly_bool(j, o, "reserve", false, "cvmm does not reserve swap for RAM");
	if (!ret)
		ret = jonly_bool(j, o, "thp", true,
				 "cvmm leaves transparent huge pages to the host's policy");
	if (!ret)
		ret = jabsent(j, o, "zones", "cvmm has one memory zone");
	return ret;
}

static int parse_memory(struct jctx *j, const json_t *o, struct mem_config *mem)
{
	static const char *const keys[] = { "size", "hotplug_size", "hotplugged_size",
		"mergeable", "hotplug_method", "shared", "hugepages", "hugepage_size", "prefault",
		"reserve", "thp", "zones", NULL };
	int64_t size = (int64_t)mem->size;
	bool have = false;
	int ret;

	if (!o)
		return 0;
	j->path = "memory";
	ret = jkeys(j, o, keys);
	if (!ret)
		ret = jint(j, o, "size", 2LL << 20, 1LL << 46, &size, &have);
	if (!ret && !have)
		ret = jfail(j, "size", "required (bytes)");
	if (!ret && size % 4096)
		ret = jfail(j, "size", "not a multiple of 4096");
	if (!ret)
		ret = memory_unsupported(j, o);
	if (!ret)
		ret = jbool(j, o, "shared", &mem->shared);
	if (!ret)
		mem->size = (uint64_t)size;
	j->path = "";
	return ret;
}

/* Every member that names something cvmm does not have. */
static int vm_unsupported(struct jctx *j, const json_t *doc)
{
	static const struct {
		const char *key, *why;
	} none[] = {
		{ "rate_limit_groups", "cvmm has no I/O rate limiting" },
		{ "balloon", "cvmm has no memory balloon" },
		{ "fs", "cvmm has no virtio-fs (share files through a disk or vsock)" },
		{ "generic_vhost_user", "cvmm has no vhost-user devices" },
		{ "pmem", "cvmm has no virtio-pmem (give the image as a disk)" },
		{ "devices", "cvmm has no VFIO passthrough" },
		{ "user_devices", "cvmm has no vfio-user devices" },
		{ "vdpa", "cvmm has no vDPA devices" },
		{ "numa", "cvmm presents one NUMA node" },
		{ "rtc", "cvmm has the CMOS RTC only" },
		{ "pci_segments", "cvmm has one PCI segment" },
		{ "tpm", "cvmm has no TPM" },
		{ "landlock_rules", "cvmm does not sandbox itself with Landlock" },
	};
	unsigned int i;
	int ret = 0;

	for (i = 0; !ret && i < sizeof(none) / sizeof(none[0]); i++)
		ret = jabsent(j, doc, none[i].key, none[i].why);
	if (!ret)
		ret = jonly_bool(j, doc, "iommu", false, "cvmm has no virtual IOMMU");
	if (!ret)
		ret = jonly_bool(j, doc, "watchdog", false, "cvmm has no watchdog device");
	if (!ret)
		ret = jonly_bool(j, doc, "pvpanic", false, "cvmm has no pvpanic device");
	if (!ret)
		ret = jonly_bool(j, doc, "landlock_enable", false,
				 "cvmm does not sandbox itself with Landlock");
	return ret;
}

static int parse_devices(struct jctx *j, const json_t *doc, struct vm_config *cfg)
{
	const json_t *a;
	char path[32];
	size_t i;
	int ret = 0;

	a = jget(doc, "disks");
	if (a && (!json_is_array(a) || json_array_size(a) > CONFIG_MAX_BLK))
		return jfail(j, "disks", "expected an array of at most %d disks", CONFIG_MAX_BLK);
	for (i = 0; a && !ret && i < json_array_size(a); i++) {
		snprintf(path, sizeof(path), "disks[%zu]", i);
		ret = vmconfig_parse_disk(json_array_get(a, i), path, &cfg->blk[i], j->why, j->len);
		cfg->nr_blk = (unsigned int)i + 1;
	}
	a = jget(doc, "net");
	if (!ret && a && (!json_is_array(a) || json_array_size(a) > CONFIG_MAX_NET))
		return jfail(j, "net", "expected an array of at most %d devices", CONFIG_MAX_NET);
	for (i = 0; a && !ret && i < json_array_size(a); i++) {
		snprintf(path, sizeof(path), "net[%zu]", i);
		ret = vmconfig_parse_net(json_array_get(a, i), path, false, &cfg->net[i],
					 j->why, j->len);
		cfg->nr_net = (unsigned int)i + 1;
	}
	if (!ret && jget(doc, "vsock"))
		ret = vmconfig_parse_vsock(jget(doc, "vsock"), "vsock", &cfg->vsock,
					   j->why, j->len);
	return ret;
}

static int parse_rng(struct jctx *j, const json_t *o, struct vm_config *cfg)
{
	static const char *const keys[] = { "src", "iommu", "id", "pci_segment",
		"pci_device_id", NULL };
	static const char *const srcs[] = { "/dev/urandom", "/dev/random", NULL };
	const char *src;
	int ret;

	if (!o)
		return 0;
	j->path = "rng";
	ret = jkeys(j, o, keys);
	if (!ret)
		ret = jstr(j, o, "src", &src);
	if (!ret && !src)
		ret = jfail(j, "src", "required");
	if (!ret)
		ret = jonly_str(j, o, "src", srcs, "cvmm fills virtio-rng from getrandom(): "
				"expected /dev/urandom or /dev/random");
	if (!ret)
		ret = jpci_fields(j, o);
	if (!ret)
		ret = jstrdup(j, o, "id", &cfg->rng_id);
	cfg->entropy = true;
	j->path = "";
	return ret;
}

/* serial (COM1) and console (virtio-console): cvmm puts one of them on stdio. */
static int parse_serial(struct jctx *j, const json_t *o, struct console_config *con)
{
	/* iommu: Kata's older generated clients send a ConsoleConfig here */
	static const char *const keys[] = { "file", "socket", "mode", "iommu", NULL };
	static const char *const modes[] = { "Off", "Null", "Tty", "File", NULL };
	const char *mode;
	int ret;

	if (!o)
		return 0;
	j->path = "serial";
	ret = jkeys(j, o, keys);
	if (!ret)
		ret = jonly_bool(j, o, "iommu", false, "cvmm has no virtual IOMMU");
	if (!ret)
		ret = jstr(j, o, "mode", &mode);
	if (!ret && !mode)
		ret = jfail(j, "mode", "required");
	if (!ret)
		ret = jonly_str(j, o, "mode", modes, "cvmm's serial port goes to stdout, "
				"a file or nowhere (Tty, File, Off, Null)");
	if (!ret)
		ret = jabsent(j, o, "socket", "cvmm's serial port goes to stdout or a file");
	if (!ret && !strcmp(mode, "File")) {
		ret = jstrdup(j, o, "file", &con->path);
		if (!ret && !con->path)
			ret = jfail(j, "file", "required with mode File");
		con->kind = CONSOLE_FILE;
	} else if (!ret) {
		ret = jabsent(j, o, "file", "only with mode File");
		con->kind = !strcmp(mode, "Tty") ? CONSOLE_STDIO : CONSOLE_NONE;
	}
	j->path = "";
	return ret;
}

static int parse_console(struct jctx *j, const json_t *o, bool serial_given,
			 struct vm_config *cfg)
{
	static const char *const keys[] = { "file", "socket", "mode", "iommu", "id",
		"pci_segment", "pci_device_id", NULL };
	static const char *const modes[] = { "Off", "Null", "Tty", NULL };
	const char *mode;
	int ret;

	if (!o)
		return 0;
	j->path = "console";
	ret = jkeys(j, o, keys);
	if (!ret)
		ret = jstr(j, o, "mode", &mode);
	if (!ret && !mode)
		ret = jfail(j, "mode", "required");
	if (!ret)
		ret = jonly_str(j, o, "mode", modes,
				"cvmm's virtio-console is on stdio (Tty) or absent (Off, Null)");
	if (!ret)
		ret = jabsent(j, o, "file", "cvmm's virtio-console is on stdio");
	if (!ret)
		ret = jabsent(j, o, "socket", "cvmm's virtio-console is on stdio");
	if (!ret)
		ret = jpci_fields(j, o);
	if (!ret)
		ret = jstrdup(j, o, "id", &cfg->console_id);
	if (!ret && !strcmp(mode, "Tty")) {
		if (serial_given && cfg->console.kind != CONSOLE_NONE)
			ret = jfail(j, "mode", "Tty needs serial mode Off or Null: cvmm puts one "
				    "console on stdio, COM1 or the virtio-console");
		cfg->console.kind = CONSOLE_VIRTIO;
	}
	j->path = "";
	return ret;
}

static int parse_debug_console(struct jctx *j, const json_t *o, struct console_config *dc)
{
	static const char *const keys[] = { "file", "mode", "iobase", NULL };
	static const char *const modes[] = { "Off", "Null", "Tty", "File", NULL };
	const char *mode;
	int ret;

	if (!o)
		return 0;
	j->path = "debug_console";
	ret = jkeys(j, o, keys);
	if (!ret)
		ret = jstr(j, o, "mode", &mode);
	if (!ret && !mode)
		ret = jfail(j, "mode", "required");
	if (!ret)
		ret = jonly_str(j, o, "mode", modes, "expected Off, Null, Tty or File");
	if (!ret)
		ret = jonly_int(j, o, "iobase", 0x402, "cvmm's debug console is at port 0x402");
	if (!ret && !strcmp(mode, "File")) {
		ret = jstrdup(j, o, "file", &dc->path);
		if (!ret && !dc->path)
			ret = jfail(j, "file", "required with mode File");
		dc->kind = CONSOLE_FILE;
	} else if (!ret) {
		dc->kind = !strcmp(mode, "Tty") ? CONSOLE_STDIO : CONSOLE_NONE;
	}
	j->path = "";
	return ret;
}

static int parse_platform(struct jctx *j, const json_t *o, bool *tdx, bool *snp)
{
	static const char *const keys[] = { "num_pci_segments", "iommu_segments",
		"iommu_address_width_bits", "system_serial_number", "serial_number", "system_uuid",
		"uuid", "oem_strings", "system_manufacturer", "system_product_name",
		"system_version", "system_family", "system_sku_number", "chassis_asset_tag", "tdx",
		"sev_snp", "iommufd", "vfio_p2p_dma", NULL };
	static const char no_smbios[] = "cvmm has no SMBIOS tables";
	unsigned int i;
	int ret;

	if (!o)
		return 0;
	j->path = "platform";
	ret = jkeys(j, o, keys);
	if (!ret)
		ret = jonly_int(j, o, "num_pci_segments", 1, "cvmm has one PCI segment");
	if (!ret)
		ret = jabsent(j, o, "iommu_segments", "cvmm has no virtual IOMMU");
	if (!ret)
		ret = jabsent(j, o, "iommu_address_width_bits", "cvmm has no virtual IOMMU");
	for (i = 3; !ret && i <= 13; i++)
		ret = jabsent(j, o, keys[i], no_smbios);
	if (!ret)
		ret = jonly_bool(j, o, "iommufd", false, "cvmm has no VFIO passthrough");
	if (!ret)
		ret = jhint_bool(j, o, "vfio_p2p_dma");
	if (!ret)
		ret = jbool(j, o, "tdx", tdx);
	if (!ret)
		ret = jbool(j, o, "sev_snp", snp);
	if (!ret && *tdx && *snp)
		ret = jfail(j, "tdx", "and sev_snp: one confidential platform at a time");
	j->path = "";
	return ret;
}

/*
 * The confidential platform: platform.tdx / platform.sev_snp (with cvmm's
 * defaults: TD attributes 0x10000000, SNP policy 0x30000), or the "cvmm"
 * object's "coco" (a --coco spec), which must agree with them.
 */
static int parse_coco(struct jctx *j, const json_t *doc, struct vm_config *cfg)
{
	static const char *const keys[] = { "coco", NULL };
	const json_t *ext = jget(doc, "cvmm");
	bool tdx = false, snp = false, hd = cfg->coco.have_host_data;
	uint8_t host_data[32];
	char msg[VMCONFIG_WHY_LEN];
	const char *spec = NULL;
	int ret;

	memcpy(host_data, cfg->coco.host_data, 32);
	ret = parse_platform(j, jget(doc, "platform"), &tdx, &snp);
	j->path = "cvmm";
	if (!ret)
		ret = jkeys(j, ext, keys);
	if (!ret)
		ret = jstr(j, ext, "coco", &spec);
	j->path = "";
	if (ret)
		return ret;
	if (!spec)
		spec = tdx ? "tdx" : snp ? "snp" : NULL;
	if (spec) {
		log_capture_begin(msg, sizeof(msg), true);
		ret = coco_config_parse(&cfg->coco, spec);
		log_capture_end();
		if (ret)
			return jfail(j, "cvmm.coco", "%s", msg);
	}
	if ((tdx && cfg->coco.type != COCO_TDX) || (snp && cfg->coco.type != COCO_SNP))
		return jfail(j, "cvmm.coco", "names another platform than platform.%s",
			     tdx ? "tdx" : "sev_snp");
	if (hd && cfg->coco.type != COCO_SNP)
		return jfail(j, "payload.host_data", "is for SEV-SNP guests only");
	if (hd && cfg->coco.have_host_data && memcmp(host_data, cfg->coco.host_data, 32))
		return jfail(j, "payload.host_data", "differs from cvmm.coco's host-data");
	if (hd) {
		memcpy(cfg->coco.host_data, host_data, 32);
		cfg->coco.have_host_data = true;
	}
	return 0;
}

static int check_ids(struct jctx *j, struct vm_config *cfg)
{
	const char *ids[CONFIG_MAX_BLK + CONFIG_MAX_NET + 3];
	unsigned int n = 0, i, k;

	for (i = 0; i < cfg->nr_blk; i++)
		ids[n++] = cfg->blk[i].id;
	for (i = 0; i < cfg->nr_net; i++)
		ids[n++] = cfg->net[i].id;
	ids[n++] = cfg->vsock.id;
	ids[n++] = cfg->rng_id;
	ids[n++] = cfg->console_id;
	for (i = 0; i < n; i++)
		for (k = i + 1; ids[i] && k < n; k++)
			if (ids[k] && !strcmp(ids[i], ids[k]))
				return jfail(j, NULL, "the id \"%s\" is given to two devices", ids[i]);
	return vmconfig_assign_ids(cfg);
}

int vmconfig_parse(const json_t *doc, struct vm_config *cfg, char *why, size_t len)
{
	static const char *const keys[] = { "cpus", "memory", "payload", "rate_limit_groups",
		"disks", "net", "rng", "balloon", "fs", "generic_vhost_user", "pmem", "serial",
		"console", "debug_console", "devices", "user_devices", "vdpa", "vsock", "numa",
		"iommu", "watchdog", "rtc", "pvpanic", "pci_segments", "platform", "tpm",
		"landlock_enable", "landlock_rules", "cvmm", NULL };
	struct jctx j = { why, len, "" };
	char msg[VMCONFIG_WHY_LEN];
	int ret;

	why[0] = '\0';
	if (!json_is_object(doc))
		return jfail(&j, NULL, "expected a JSON object (VmConfig)");
	ret = jkeys(&j, doc, keys);
	if (!ret)
		ret = vm_unsupported(&j, doc);
	if (!ret)
		ret = parse_payload(&j, jget(doc, "payload"), cfg);
	if (!ret)
		ret = parse_cpus(&j, jget(doc, "cpus"), &cfg->cpu);
	if (!ret)
		ret = parse_memory(&j, jget(doc, "memory"), &cfg->mem);
	if (!ret)
		ret = parse_devices(&j, doc, cfg);
	if (!ret)
		ret = parse_rng(&j, jget(doc, "rng"), cfg);
	if (!ret)
		ret = parse_serial(&j, jget(doc, "serial"), &cfg->console);
	if (!ret)
		ret = parse_console(&j, jget(doc, "console"), jget(doc, "serial"), cfg);
	if (!ret)
		ret = parse_debug_console(&j, jget(doc, "debug_console"), &cfg->debugcon);
	if (!ret)
		ret = parse_coco(&j, doc, cfg);
	if (!ret)
		ret = check_ids(&j, cfg);
	if (ret == -ENOMEM)
		snprintf(why, len, "out of memory");
	if (ret)
		return ret;
	cfg->pci_bus = true;	/* devices may be added while it runs */
	log_capture_begin(msg, sizeof(msg), true);
	ret = config_finish(cfg);
	log_capture_end();
	if (ret)
		snprintf(why, len, "%s", msg);
	return ret;
}

int vmconfig_load_file(const char *path, struct vm_config *cfg)
{
	char why[VMCONFIG_WHY_LEN];
	struct err_msg e;
	json_error_t jerr;
	uint8_t *data;
	json_t *doc;
	size_t len;
	int ret;

	/* as large as a vm.create body may be; a pipe (--config <(...)) too */
	ret = file_load(path, "the VM configuration", API_BODY_LIMIT, 0, &data, &len, &e);
	if (ret) {
		log_err(path, "%s", e.msg);
		return ret;
	}
	doc = json_loadb((const char *)data, len, JSON_REJECT_DUPLICATES, &jerr);
	free(data);
	if (!doc) {
		log_err(path, "not a JSON VM configuration: %s (line %d)", jerr.text, jerr.line);
		return -EINVAL;
	}
	ret = vmconfig_parse(doc, cfg, why, sizeof(why));
	json_decref(doc);
	if (ret)
		log_err(path, "%s", why);
	return ret;
}
