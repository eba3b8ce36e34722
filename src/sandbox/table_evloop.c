// SPDX-License-Identifier: GPL-2.0-only
/*
 * The device event loops (virtio-blk0, virtio-net0, virtio-rng,
 * virtio-vsock, virtio-con): queue kicks arrive as eventfds, the device
 * serves them from guest memory against its host end -- a disk image, a
 * tap, getrandom(), AF_UNIX sockets, stdout -- and raises interrupts
 * through irqfds or, for INTx, the irqchip.  Host ends are opened before
 * the loop starts; the loop itself opens nothing, except vsock's
 * connections to the sockets next to its own (uds=PATH -> PATH_<port>).
 */
#include <linux/falloc.h>
#include <fcntl.h>
#include <sys/socket.h>

#include "kvm/uapi.h"
#include "sandbox/table.h"

static const struct sandbox_rule rules[] = {
	/* the loop */
	SB(epoll_wait, "the loop waits for kicks, host I/O and its stop event"),
	SB(epoll_ctl, "host fds watched, changed and dropped (vsock, tap receive)"),
	SB(read, "eventfds (kicks, stop), a tap's frames, a socket's bytes"),
	/* write: table_common.c (interrupt eventfds, console output, sockets) */
	SB(close, "a vsock connection or a dropped tap"),
	/* interrupts */
	SB_IOCTL(KVM_IRQ_LINE, "INTx (a guest without MSI-X)"),
	SB_IOCTL(KVM_SIGNAL_MSI, "INTx through the split irqchip's userspace IOAPIC"),
	SB_IOCTL(KVM_SET_GSI_ROUTING, "a masked MSI-X vector's pending interrupt"),
	/* virtio-blk */
	SB_IF(SANDBOX_NEED_BLK, preadv, "reads straight into guest memory"),
	SB_IF(SANDBOX_NEED_BLK, pwritev, "writes straight from guest memory"),
	SB_IF(SANDBOX_NEED_BLK, pwrite64, "WRITE_ZEROES without fallocate support"),
	SB_IF(SANDBOX_NEED_BLK, fdatasync, "FLUSH"),
	SB_ARG_IF(SANDBOX_NEED_BLK, fallocate, 1, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
		  "DISCARD, WRITE_ZEROES with UNMAP"),
	SB_ARG_IF(SANDBOX_NEED_BLK, fallocate, 1, FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE,
		  "WRITE_ZEROES"),
	/* virtio-net */
	SB_IF(SANDBOX_NEED_NET | SANDBOX_NEED_VSOCK, readv,
	      "a frame from the tap into guest buffers; vsock: host bytes for the guest"),
	SB_IF(SANDBOX_NEED_NET, writev, "a frame from guest buffers to the tap"),
	/* virtio-rng */
	SB_ARG_IF(SANDBOX_NEED_RNG, getrandom, 2, 0, "entropy for the guest (flags 0)"),
	/* virtio-console */
	SB(poll, "virtio-console: is stdout writable"),
	/* virtio-vsock */
	SB_ARG_IF(SANDBOX_NEED_VSOCK, socket, 0, AF_UNIX,
		  "a guest connection to the host: an AF_UNIX socket"),
	SB_IF(SANDBOX_NEED_VSOCK, connect, "... to PATH_<port> (Landlock bounds where)"),
	SB_IF(SANDBOX_NEED_VSOCK, accept4, "a host connection on the vsock socket"),
	SB_IF(SANDBOX_NEED_VSOCK, sendmsg, "guest bytes to the host socket"),
	SB_IF(SANDBOX_NEED_VSOCK, sendto, "the OK <port> answer (send())"),
	SB_IF(SANDBOX_NEED_VSOCK, recvfrom, "host bytes and the CONNECT line (recv())"),
	SB_IF(SANDBOX_NEED_VSOCK, shutdown, "a half-close from the guest"),
	/* platform=sim with vsock: the simulated firmware's report service on vsock port
	 * 4051 runs in-process; the vsock loop starts a worker per connection, which
	 * inherits this filter (vsock_service.c, sim_tee.c).  Only such runs: a sim
	 * launch without vsock, or a plain VM's loops, start no thread. */
	SB_ARG_IF(SANDBOX_NEED_VSOCK_SERVICE, socketpair, 0, AF_UNIX,
		  "a guest connection to an in-process port: the worker's end"),
	SB_ARG_IF(SANDBOX_NEED_VSOCK_SERVICE, fcntl, 1, F_GETFL,
		  "... the device's end made non-blocking"),
	SB_ARG_IF(SANDBOX_NEED_VSOCK_SERVICE, fcntl, 1, F_SETFL, "... (O_NONBLOCK)"),
	SB_THREAD_IF(SANDBOX_NEED_VSOCK_SERVICE, "... its worker thread: clone3() says ENOSYS",
		     "... so pthread_create() uses clone(CLONE_THREAD)"),
	SB_IF(SANDBOX_NEED_VSOCK_SERVICE, set_robust_list, "... the worker's first calls (glibc)"),
	SB_IF(SANDBOX_NEED_VSOCK_SERVICE, rseq, "... registers its restartable sequence"),
	SB_ARG_IF(SANDBOX_NEED_VSOCK_SERVICE, getrandom, 2, 0,
		  "... signs the simulated report (OpenSSL's random generator)"),
};

SANDBOX_TABLE_IF(evloop, SANDBOX_NEED_DEVICES, "evloop", "device event loops (virtio-*)", rules);
