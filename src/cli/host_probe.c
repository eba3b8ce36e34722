// SPDX-License-Identifier: GPL-2.0-only
/*
 * The probes of cvmm host-check (see host_check.h): KVM and its VM types,
 * the CPU's SEV bits, kvm_amd's parameters, /dev/sev and the SNP firmware
 * (SNP_PLATFORM_STATUS), SEV-ES ASIDs, guest_memfd, KVM's SEV attributes
 * (VMSA features, certificate requests), TDX, the split irqchip, a QGS.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <linux/psp-sev.h>

#include "cli/host_check.h"
#include "kvm/uapi.h"

/* linux/psp-sev.h of Linux 6.11+: Debian 12's lacks SNP_PLATFORM_STATUS */
#define HC_SNP_PLATFORM_STATUS	9
#define HC_SNP_MIN_API		((1 << 8) | 55)		/* 1.55 */

struct hc_snp_status {			/* struct sev_user_data_snp_status */
	uint8_t api_major, api_minor, state, flags;
	uint32_t build_id;
	uint8_t rest[24];
} __attribute__((packed));

struct hc_check *hc_add(struct hc_host *h, const char *name, enum hc_status st,
			const char *fix, const char *fmt, ...)
{
	struct hc_check *c;
	va_list ap;

	if (h->n >= HC_MAX)
		return NULL;
	c = &h->checks[h->n++];
	c->name = name;
	c->status = st;
	va_start(ap, fmt);
	vsnprintf(c->detail, sizeof(c->detail), fmt, ap);
	va_end(ap);
	snprintf(c->fix, sizeof(c->fix), "%s", fix ? fix : "");
	return c;
}

static void cpuid(uint32_t leaf, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(0));
}

/* The first line of a small sysfs file, without its newline; "" if absent. */
static const char *sysfs(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");

	buf[0] = 0;
	if (f) {
		if (fgets(buf, (int)len, f))
			buf[strcspn(buf, "\n")] = 0;
		fclose(f);
	}
	return buf;
}

static bool yes(const char *v)
{
	return !strcmp(v, "Y") || !strcmp(v, "1") || !strcmp(v, "y");
}

static bool exists(const char *path)
{
	struct stat st;

	return !stat(path, &st);
}

static int probe_kvm(struct hc_host *h)
{
	static const char *const mods[] = { "kvm_amd", "kvm_intel", "kvm_pvm" };
	char path[64];
	unsigned int i;
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC), api;

	for (i = 0; i < 3 && !h->kvm_module; i++) {
		snprintf(path, sizeof(path), "/sys/module/%s", mods[i]);
		if (exists(path))
			h->kvm_module = mods[i];
	}
	if (fd < 0) {
		hc_add(h, "kvm", HC_FAIL, "load kvm_amd (AMD) or kvm_intel (Intel) and give this "
		       "user read and write access to /dev/kvm (group kvm)",
		       "cannot open /dev/kvm: %s", strerror(errno));
		return -1;
	}
	h->kvm = true;
	api = ioctl(fd, KVM_GET_API_VERSION, 0);
	if (h->kvm_module && !strcmp(h->kvm_module, "kvm_pvm"))
		hc_add(h, "kvm", HC_WARN, "a confidential host runs KVM on the hardware: "
		       "kvm_amd (SVM) or kvm_intel (VMX)",
		       "/dev/kvm (API %d) is kvm_pvm: PVM runs guests without hardware "
		       "virtualization (no AMD SVM, no Intel VMX), so without SEV or TDX", api);
	else
		hc_add(h, "kvm", HC_OK, NULL, "/dev/kvm (API %d)%s%s", api,
		       h->kvm_module ? " from " : "", h->kvm_module ? h->kvm_module : "");
	return fd;
}

static void probe_cpu(struct hc_host *h)
{
	uint32_t r[4], v[4], max;
	char vendor[13];

	cpuid(0, v);
	memcpy(vendor, &v[1], 4);
	memcpy(vendor + 4, &v[3], 4);
	memcpy(vendor + 8, &v[2], 4);
	vendor[12] = 0;
	h->amd = !strcmp(vendor, "AuthenticAMD");
	h->intel = !strcmp(vendor, "GenuineIntel");
	cpuid(1, r);
	h->nested = r[2] >> 31 & 1;
	cpuid(0x80000000, r);
	max = r[0];
	if (h->amd && max >= 0x8000001f) {
		cpuid(0x8000001f, r);
		h->cpu_sev = r[0] >> 1 & 1;
		h->cpu_sev_es = r[0] >> 3 & 1;
		h->cpu_snp = r[0] >> 4 & 1;
	}
	if (!h->amd) {
		hc_add(h, "cpu", h->intel ? HC_INFO : HC_SKIP, NULL, "%s%s: SEV is AMD's (TDX: "
		       "see the tdx check)", vendor, h->nested ? ", under a hypervisor" : "");
		return;
	}
	if (h->cpu_snp)
		hc_add(h, "cpu", HC_OK, NULL, "AMD with SEV%s%s (CPUID 0x8000001f)",
		       h->cpu_sev_es ? ", SEV-ES" : "", ", SEV-SNP");
	else
		hc_add(h, "cpu", HC_FAIL, h->nested ? "run cvmm on the host itself: a nested "
		       "hypervisor gets no SEV-SNP from the one below it" :
		       "enable SEV-SNP in the BIOS (SMEE, SEV-SNP, SNP memory coverage, "
		       "SEV-ES ASID space limit > 0) on an EPYC 7003 (Milan) or newer",
		       "AMD%s, CPUID 0x8000001f reports %s%s", h->nested ?
		       " under a hypervisor" : "", h->cpu_sev ? "SEV" : "no SEV",
		       h->cpu_sev ? (h->cpu_sev_es ? ", SEV-ES, no SEV-SNP" : ", no SEV-ES or SEV-SNP") :
		       ", SEV-ES or SEV-SNP");
}

static void probe_vm_types(struct hc_host *h, int kvm)
{
	static const char *const names[] = { "default", "sw-protected", "SEV", "SEV-ES", "SNP",
					     "TDX" };
	char list[128] = "";
	int t = kvm >= 0 ? ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_VM_TYPES) : -1;
	unsigned int i;
	size_t n = 0;

	if (kvm < 0)
		return;
	if (t <= 0) {
		hc_add(h, "vm-types", HC_FAIL, "Linux 6.11 or later (SEV-SNP), 6.16 or later (TDX)",
		       "KVM has no KVM_CAP_VM_TYPES (Linux before 6.8): no SNP or TDX VM types");
		return;
	}
	h->vm_types = (uint64_t)t;
	for (i = 0; i < 6; i++)
		if (t & (1 << i))
			n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s", n ? ", " : "",
					      names[i]);
	hc_add(h, "vm-types", (t & (1 << KVM_X86_SNP_VM | 1 << KVM_X86_TDX_VM)) ? HC_OK : HC_FAIL,
	       "a KVM on SEV-SNP or TDX hardware (Linux 6.11+ for SNP, 6.16+ for TDX) offers "
	       "them", "KVM_CAP_VM_TYPES 0x%x: %s%s", t, list,
	       (t & (1 << KVM_X86_SNP_VM | 1 << KVM_X86_TDX_VM)) ? "" : " (no SNP, no TDX)");
}

static void probe_kvm_amd(struct hc_host *h)
{
	char sev[8], es[8], snp[8];

	if (!exists("/sys/module/kvm_amd/parameters")) {
		hc_add(h, "kvm_amd", h->amd ? HC_FAIL : HC_SKIP, h->amd ?
		       "modprobe kvm_amd sev=1 sev_es=1 sev_snp=1 (or kvm_amd.sev_snp=1 on the "
		       "kernel command line)" : NULL, "kvm_amd is not loaded%s",
		       h->amd ? "" : " (not an AMD host)");
		return;
	}
	sysfs("/sys/module/kvm_amd/parameters/sev", sev, sizeof(sev));
	sysfs("/sys/module/kvm_amd/parameters/sev_es", es, sizeof(es));
	sysfs("/sys/module/kvm_amd/parameters/sev_snp", snp, sizeof(snp));
	hc_add(h, "kvm_amd", yes(snp) ? HC_OK : HC_FAIL, "kvm_amd.sev=1 kvm_amd.sev_es=1 "
	       "kvm_amd.sev_snp=1 on the kernel command line (the BIOS must enable SNP first)",
	       "parameters sev=%s sev_es=%s sev_snp=%s", sev[0] ? sev : "?", es[0] ? es : "?",
	       snp[0] ? snp : "(absent: Linux before 6.11)");
}

static void probe_sev_dev(struct hc_host *h)
{
	struct sev_user_data_status st;
	struct hc_snp_status snp;
	struct sev_issue_cmd cmd;
	int fd = open("/dev/sev", O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		hc_add(h, "sev-firmware", h->amd ? HC_FAIL : HC_SKIP, h->amd ? "the ccp driver "
		       "creates /dev/sev when the PSP has SEV firmware: enable SEV in the BIOS, "
		       "modprobe ccp" : NULL, "cannot open /dev/sev: %s", strerror(errno));
		return;
	}
	h->sev_dev = true;
	memset(&st, 0, sizeof(st));
	memset(&snp, 0, sizeof(snp));
	cmd = (struct sev_issue_cmd){ .cmd = SEV_PLATFORM_STATUS, .data = (uintptr_t)&st };
	if (ioctl(fd, SEV_ISSUE_CMD, &cmd) < 0)
		st.api_major = st.api_minor = 0;
	cmd = (struct sev_issue_cmd){ .cmd = HC_SNP_PLATFORM_STATUS, .data = (uintptr_t)&snp };
	if (ioctl(fd, SEV_ISSUE_CMD, &cmd) < 0) {
		hc_add(h, "sev-firmware", HC_FAIL, "Linux 6.11 or later with SNP firmware on the "
		       "PSP", "SEV API %u.%u; SNP_PLATFORM_STATUS failed: %s (no SNP firmware, or "
		       "a kernel without SNP host support)", st.api_major, st.api_minor,
		       strerror(errno));
		close(fd);
		return;
	}
	close(fd);
	h->snp_fw_ok = (snp.api_major << 8 | snp.api_minor) >= HC_SNP_MIN_API;
	hc_add(h, "sev-firmware", h->snp_fw_ok ? HC_OK : HC_FAIL, "update the SEV firmware to "
	       "API 1.55 or later (a BIOS update, or amd_sev_fam19h_model*.sbin in "
	       "/lib/firmware/amd, loaded by ccp)", "/dev/sev: SNP firmware API %u.%u build %u"
	       " (1.55 or later needed), platform %s, RMP %s", snp.api_major, snp.api_minor,
	       snp.build_id, snp.state ? "initialized" : "not initialized",
	       snp.flags & 1 ? "initialized" : "not initialized");
}

static void probe_asids(struct hc_host *h)
{
	char line[128];
	long sev = -1, es = -1;
	uint32_t r[4];
	FILE *f;

	if (!h->amd || !h->cpu_sev) {
		hc_add(h, "sev-es-asids", HC_SKIP, NULL, "no SEV on this CPU");
		return;
	}
	f = fopen("/sys/fs/cgroup/misc.capacity", "re");
	while (f && fgets(line, sizeof(line), f)) {
		sscanf(line, "sev %ld", &sev);
		sscanf(line, "sev_es %ld", &es);
	}
	if (f)
		fclose(f);
	if (es < 0) {		/* ASIDs 1 .. min SEV ASID - 1 are SEV-ES's */
		cpuid(0x8000001f, r);
		es = r[3] ? (long)r[3] - 1 : 0;
	}
	hc_add(h, "sev-es-asids", es > 0 ? HC_OK : HC_FAIL, "set the BIOS option 'SEV-ES ASID "
	       "Space Limit' above 1 (SEV-ES and SNP guests need these ASIDs)",
	       "%ld SEV-ES/SNP ASIDs%s", es, sev >= 0 ? " (misc cgroup)" : " (CPUID 0x8000001f)");
}

static void probe_gmem(struct hc_host *h, int kvm)
{
	int gmem = ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_GUEST_MEMFD);
	int attrs = ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_MEMORY_ATTRIBUTES);

	h->gmem = gmem > 0 && attrs > 0 && (attrs & KVM_MEMORY_ATTRIBUTE_PRIVATE);
	hc_add(h, "guest-memfd", h->gmem ? HC_OK : HC_FAIL, "Linux 6.8 or later built with "
	       "KVM's private memory (it comes with SEV-SNP and TDX host support)",
	       "KVM_CAP_GUEST_MEMFD %d, KVM_CAP_MEMORY_ATTRIBUTES 0x%x (private: %s)",
	       gmem < 0 ? 0 : gmem, attrs < 0 ? 0 : attrs,
	       attrs > 0 && (attrs & KVM_MEMORY_ATTRIBUTE_PRIVATE) ? "yes" : "no");
}

static int sev_attr(int kvm, uint64_t attr, uint64_t *v)
{
	struct kvm_device_attr a = { .group = KVM_X86_GRP_SEV, .attr = attr,
				     .addr = (uint64_t)(uintptr_t)v };

	*v = 0;
	return ioctl(kvm, KVM_GET_DEVICE_ATTR, &a) < 0 ? -errno : 0;
}

static void probe_sev_attrs(struct hc_host *h, int kvm)
{
	uint64_t feat, bits, certs;

	if (sev_attr(kvm, KVM_X86_SEV_VMSA_FEATURES, &feat)) {
		hc_add(h, "sev-attributes", h->amd ? HC_FAIL : HC_SKIP, h->amd ? "kvm_amd with "
		       "sev=1 (see the kvm_amd check)" : NULL, "KVM has no SEV attributes "
		       "(KVM_X86_SEV_VMSA_FEATURES, certificate requests): no SEV in this KVM");
		return;
	}
	hc_add(h, "vmsa-features", HC_INFO, NULL, "--coco snp,sev-features= may add 0x%" PRIx64
	       " (KVM_X86_SEV_VMSA_FEATURES)", feat);
	if (!sev_attr(kvm, KVM_X86_SNP_POLICY_BITS, &bits))
		hc_add(h, "snp-policy-bits", HC_INFO, NULL, "SNP policies may set 0x%" PRIx64
		       " (KVM_X86_SNP_POLICY_BITS)", bits);
	if (sev_attr(kvm, KVM_X86_SEV_SNP_REQ_CERTS, &certs) || !certs)
		hc_add(h, "snp-certs", HC_WARN, "Linux 7.0 or later serves the certificates "
		       "(KVM_EXIT_SNP_REQ_CERTS); until then the guest fetches its VCEK from AMD",
		       "no certificate requests (KVM_X86_SEV_SNP_REQ_CERTS): the host cannot "
		       "hand the guest its VCEK chain with the report");
	else
		hc_add(h, "snp-certs", HC_OK, NULL, "certificate requests "
		       "(KVM_SEV_SNP_ENABLE_REQ_CERTS, KVM_EXIT_SNP_REQ_CERTS)");
}

static void probe_tdx(struct hc_host *h)
{
	char tdx[8];

	h->tdx_module = exists("/sys/firmware/tdx");
	sysfs("/sys/module/kvm_intel/parameters/tdx", tdx, sizeof(tdx));
	if (!h->intel) {
		hc_add(h, "tdx", HC_SKIP, NULL, "not an Intel CPU: TDX is Intel's");
		return;
	}
	hc_add(h, "tdx", h->tdx_module && yes(tdx) ? HC_OK : HC_FAIL, "enable TME-MT, the SEAM "
	       "loader and TDX in the BIOS; Linux 6.16 or later with kvm_intel.tdx=1",
	       "TDX module %s (/sys/firmware/tdx), kvm_intel.tdx=%s",
	       h->tdx_module ? "present" : "absent", tdx[0] ? tdx : "(absent)");
}

static void probe_irqchip(struct hc_host *h, int kvm)
{
	int r = ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_SPLIT_IRQCHIP);

	h->split_irqchip = r > 0;
	hc_add(h, "split-irqchip", h->split_irqchip ? HC_OK : (h->intel ? HC_FAIL : HC_INFO),
	       "Linux 4.5 or later (KVM_CAP_SPLIT_IRQCHIP)", "KVM_CAP_SPLIT_IRQCHIP %s (TDX "
	       "needs it: LAPICs in KVM, cvmm's IOAPIC)", h->split_irqchip ? "yes" : "no");
}

static void probe_qgs(struct hc_host *h, const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd, ret = -ENAMETOOLONG;

	if (strlen(path) < sizeof(a.sun_path)) {
		memcpy(a.sun_path, path, strlen(path) + 1);
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		ret = fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) ? -errno : 0;
		if (fd >= 0)
			close(fd);
	}
	hc_add(h, "qgs", ret ? HC_FAIL : HC_OK, "start Intel's quote generation service (qgsd) "
	       "and give its socket path as tdx,qgs=PATH", ret ? "%s: cannot connect: %s" :
	       "%s: the quote generation service accepts connections%s", path,
	       ret ? strerror(-ret) : "");
}

void hc_probe(struct hc_host *h, const char *qgs)
{
	int kvm;

	memset(h, 0, sizeof(*h));
	kvm = probe_kvm(h);
	probe_cpu(h);
	probe_vm_types(h, kvm);
	probe_kvm_amd(h);
	probe_sev_dev(h);
	probe_asids(h);
	if (kvm >= 0) {
		probe_gmem(h, kvm);
		probe_sev_attrs(h, kvm);
	}
	probe_tdx(h);
	if (kvm >= 0)
		probe_irqchip(h, kvm);
	if (qgs)
		probe_qgs(h, qgs);
	if (kvm >= 0)
		close(kvm);
}
