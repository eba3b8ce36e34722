/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_MACHINE_IGVM_BOOT_H
#define CVMM_MACHINE_IGVM_BOOT_H

#include "coco/plan/plan.h"
#include "igvm/load.h"

struct machine;
struct vm;

/*
 * `cvmm boot --igvm FILE`: the file's pages as the machine's images.
 *
 * igvm_boot_read() (once, from machine_load_images()) reads and checks the
 * file, chooses its platform as QEMU does (the strongest this launch can
 * use: SEV-SNP with --coco snp, else native) and prints the choice, and
 * builds the platform's load with cvmm's host values (the RAM map of this
 * machine, the vCPU count, --cmdline).  The pages in the firmware window
 * [4 GiB - 16 MiB, 4 GiB) become m->firmware, a ROM image ending at 4 GiB
 * (the lowest such page to 4 GiB, zeros between pages), so the firmware
 * boot path maps it (read-only, or for a confidential launch as private
 * RAM the launch plan fills; one empty page when the file has none there
 * but a VP context starts vCPU 0); every other page must lie in guest RAM.
 *
 * igvm_boot_load() (each boot, after the firmware is mapped) writes the
 * pages in RAM and the filled parameter areas, and gives vCPU 0 the
 * file's native VP context if it has one (else the reset vector).  For
 * SEV-SNP the launch plan (coco/plan/plan_igvm.h, m->igvm's load) puts
 * the pages instead.  Both print "cvmm: FILE: why" and return negative
 * errno.
 */
struct igvm_boot {
	char *path;
	uint8_t *buf;
	size_t len;
	struct igvm_file *file;
	const struct igvm_platform *platform;
	struct igvm_load *load;
	struct igvm_mem_entry mem[2];
	char reason[256];
};

int igvm_boot_read(struct machine *m);
/* --coco snp: the launch plan of the file's SEV-SNP load (coco/plan/plan_igvm.h). */
int igvm_boot_plan(struct vm *vm, struct launch_plan **plan, struct err_msg *err);
int igvm_boot_load(struct vm *vm);
void igvm_boot_free(struct igvm_boot *b);

#endif
