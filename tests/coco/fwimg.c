// SPDX-License-Identifier: GPL-2.0-only
/*
 * Write one of the synthetic firmware images of tests/unit/coco/fwgen.c
 * (Oak stage0-shaped for SEV or TDX, OVMF-shaped) to a file, for the
 * command-line checks of tests/coco.
 *   coco_fwimg stage0-sev|stage0-tdx|ovmf OUT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fwgen.h"
#include "util/file.h"

int main(int argc, char **argv)
{
	struct fwgen g;
	uint8_t *img;
	int ret;

	if (argc != 3) {
		fprintf(stderr, "usage: coco_fwimg stage0-sev|stage0-tdx|ovmf OUT\n");
		return 2;
	}
	if (!strcmp(argv[1], "stage0-sev"))
		fwgen_stage0_sev(&g);
	else if (!strcmp(argv[1], "stage0-tdx"))
		fwgen_stage0_tdx(&g);
	else if (!strcmp(argv[1], "ovmf"))
		fwgen_ovmf(&g);
	else
		return 2;
	img = fwgen_build(&g);
	if (!img)
		return 1;
	ret = file_write_atomic(argv[2], img, g.size);
	free(img);
	return ret ? 1 : 0;
}
