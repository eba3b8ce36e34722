/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_DEVICES_DEV_ALLOC_H
#define CVMM_DEVICES_DEV_ALLOC_H

#include <stddef.h>

/*
 * Zeroed memory for a device's large state: its virtqueues (each holds a
 * VQ_MAX_CHAIN buffer table, 24 KiB) and the structures with iovec arrays
 * (blk, net, vsock).  calloc() clears heap memory that was used before,
 * which makes every page of these tables resident at once, although a
 * device touches only the first entries, and only when the guest drives it.
 * Fresh anonymous pages read as zero without being touched: an idle
 * device costs the pages of its header fields only (docs/startup.md).
 *
 * dev_zalloc() returns NULL when out of memory; dev_zfree() takes the
 * size given to dev_zalloc() (NULL is ignored).  Under AddressSanitizer
 * both are calloc()/free(), so that overflows of these tables stay caught.
 */
void *dev_zalloc(size_t size);
void dev_zfree(void *p, size_t size);

#endif
