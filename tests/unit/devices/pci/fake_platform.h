/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_TESTS_FAKE_PLATFORM_H
#define CVMM_TESTS_FAKE_PLATFORM_H

/*
 * A struct platform for unit tests: records ioeventfds, MSI routes and
 * signals and INTx levels, and runs fd watches synchronously from
 * fake_platform_run() instead of an event loop thread.
 */
#include <stdbool.h>
#include <stdint.h>

#include "devices/platform.h"

#define FAKE_MAX	64

struct fake_watch {
	int fd;
	uint32_t events;
	platform_fd_fn fn;
	void *opaque;
	bool active;
};

struct fake_platform {
	struct platform plat;
	struct fake_watch w[FAKE_MAX];
	/* ioeventfds currently assigned */
	uint64_t io_addr[FAKE_MAX];
	int io_fd[FAKE_MAX];
	bool io_active[FAKE_MAX];
	int ioeventfd_ret;		/* what ioeventfd_add returns */
	/* MSI routes: index = route handle */
	struct msi_msg route_msg[FAKE_MAX];
	int route_fd[FAKE_MAX];
	bool route_active[FAKE_MAX];
	int route_ret;			/* what msi_route_add returns when < 0 */
	unsigned int route_updates;
	unsigned int signals;
	struct msi_msg last_signal;
	/* INTx */
	int level[32];
	unsigned int irq_sets;
	unsigned int rising[32];	/* 0 -> 1 transitions per GSI */
};

void fake_platform_init(struct fake_platform *fp);
/* Call the callbacks of ready watches until none is ready; returns calls. */
int fake_platform_run(struct fake_platform *fp);
/* Interrupts delivered through route @route's eventfd since last asked. */
uint64_t fake_route_fired(struct fake_platform *fp, int route);
/* Number of active ioeventfds at @addr. */
unsigned int fake_ioeventfds_at(const struct fake_platform *fp, uint64_t addr);
unsigned int fake_ioeventfds(const struct fake_platform *fp);

#endif
