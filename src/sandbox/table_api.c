// SPDX-License-Identifier: GPL-2.0-only
/*
 * The control API's thread (api): one epoll loop over the listening
 * socket and its connections; it parses requests and hands each command
 * to the main thread (an eventfd and a condition variable).  Tap fds
 * passed with vm.add-net are checked and trimmed here (net_tap_adopt()).
 * The socket was bound before the thread started.
 */
#include <fcntl.h>
#include <linux/if_tun.h>
#include <sys/ioctl.h>

#include "sandbox/table.h"

static const struct sandbox_rule rules[] = {
	SB(epoll_wait, "the loop"),
	SB(epoll_ctl, "connections watched and dropped"),
	SB(accept4, "a new connection"),
	SB(recvmsg, "request bytes and SCM_RIGHTS fds"),
	SB(sendto, "answers (send())"),
	SB(read, "the stop eventfd"),
	/* write: table_common.c (the command eventfd of machine_ctl_call()) */
	SB(close, "a connection, fds passed to an endpoint that takes none"),
	SB_ARG(getrandom, 2, 0, "vm.create: a device id"),
	/* vm.add-net: the passed tap (net_tap_adopt()) */
	SB_IOCTL(TUNGETIFF, "vm.add-net: is the fd a tap, and its name"),
	SB_IOCTL(TUNSETOFFLOAD, "vm.add-net: no offloads on a vnet-header tap"),
	SB_IOCTL(TUNSETVNETHDRSZ, "vm.add-net: a 12-byte vnet header"),
	SB_IOCTL(TUNSETQUEUE, "vm.add-net: extra queues detached"),
	SB_ARG(fcntl, 1, F_GETFL, "vm.add-net: the tap's flags"),
	SB_ARG(fcntl, 1, F_SETFL, "vm.add-net: the tap made non-blocking"),
};

SANDBOX_TABLE_IF(api, SANDBOX_NEED_API, "api", "the control API's thread (api)", rules);
