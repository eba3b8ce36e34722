/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_DEVICES_DEV_ERR_H
#define CVMM_DEVICES_DEV_ERR_H

#include "util/compiler.h"

/*
 * Why a device (or a device's host end) could not be set up, as one
 * clause ("an interface of that name exists and is not a tap device"),
 * and what it set up with a warning.  Devices print nothing and never
 * name a command-line option: the machine, which knows which option a
 * device came from, prints "cvmm: --net: tap=NAME: <msg>" and each
 * warning.  @err may be NULL.
 */

#define DEV_ERR_MAX_WARN	2

struct dev_err {
	char msg[256];
	char warn[DEV_ERR_MAX_WARN][200];
	unsigned int nr_warn;
};

void dev_err_set(struct dev_err *err, const char *fmt, ...) __printf(2, 3);
/* Add a warning (beyond DEV_ERR_MAX_WARN, the last is replaced). */
void dev_warn(struct dev_err *err, const char *fmt, ...) __printf(2, 3);

#endif
