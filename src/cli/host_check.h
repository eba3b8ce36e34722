/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_CLI_HOST_CHECK_H
#define CVMM_CLI_HOST_CHECK_H

/*
 * cvmm host-check: what a confidential launch on this host needs, one
 * check per line with the fix when it fails (host_probe.c probes, and
 * host_check.c prints and concludes).  Reads only: opens /dev/kvm and
 * /dev/sev, creates no VM.
 */
#include <stdbool.h>
#include <stdint.h>

enum hc_status { HC_OK, HC_FAIL, HC_WARN, HC_SKIP, HC_INFO };

#define HC_MAX		24
#define HC_TEXT		320

struct hc_check {
	const char *name;
	enum hc_status status;
	char detail[HC_TEXT];
	char fix[HC_TEXT];
};

/* What the probes found, for the conclusions. */
struct hc_host {
	bool kvm;			/* /dev/kvm opens */
	const char *kvm_module;		/* kvm_amd, kvm_intel, kvm_pvm, ... or NULL */
	uint64_t vm_types;		/* KVM_CAP_VM_TYPES (bit 0 = default) */
	bool nested;			/* CPUID's hypervisor bit */
	bool amd, intel;
	bool cpu_sev, cpu_sev_es, cpu_snp;	/* CPUID 0x8000001f as this kernel sees it */
	bool sev_dev;			/* /dev/sev opens */
	bool snp_fw_ok;			/* SNP_PLATFORM_STATUS: API >= 1.55 */
	bool gmem;			/* guest_memfd and private memory attributes */
	bool split_irqchip;
	bool tdx_module;		/* /sys/firmware/tdx */

	struct hc_check checks[HC_MAX];
	unsigned int n;
};

/* Run every probe into @h; @qgs: a QGS socket to try (NULL: none). */
void hc_probe(struct hc_host *h, const char *qgs);

/* Add a check (printf-style detail; fix may be NULL). */
struct hc_check *hc_add(struct hc_host *h, const char *name, enum hc_status st,
			const char *fix, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#endif
