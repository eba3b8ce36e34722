/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_MEASURE_VCPU_TYPES_H
#define CVMM_MEASURE_VCPU_TYPES_H

#include <stdint.h>

/*
 * CPUID Fn0000_0001_EAX signatures of the AMD vCPU models QEMU knows.
 * The signature is what the VMM puts in RDX at reset, so it is part of
 * every SEV-ES/SNP VMSA and therefore of the launch measurement.
 */
uint32_t vcpu_sig_compute(unsigned int family, unsigned int model,
			  unsigned int stepping);

/* Signature of a QEMU CPU model name ("EPYC-v4", "EPYC-Milan", ...). */
int vcpu_sig_lookup(const char *name, uint32_t *sig);

/* The model a signature is (EPYC-v4 for QEMU's EPYC..EPYC-v4), or NULL. */
const char *vcpu_type_of_sig(uint32_t sig);

/* Iterate the known names: NULL after the last. */
const char *vcpu_type_name(unsigned int idx);

#endif
