/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_MACHINE_CONFIG_INTERNAL_H
#define CVMM_MACHINE_CONFIG_INTERNAL_H

#include "machine/config.h"

/* --cpu (config_cpu.c): 1, or negative errno after one line. */
int config_parse_cpu(struct cpu_config *cpu, const char *arg);

#endif
