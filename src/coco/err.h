/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_COCO_ERR_H
#define CVMM_COCO_ERR_H

#include "util/compiler.h"

/*
 * Why a firmware image or a launch plan was rejected, as one human-readable
 * clause ("SEV metadata section 3 is not page aligned").  Library code fills
 * it; the CLI prints it as "cvmm: <what>: <msg>".  @err may be NULL.
 */
struct coco_err {
	char msg[256];
};

void coco_err_set(struct coco_err *err, const char *fmt, ...) __printf(2, 3);

#endif
