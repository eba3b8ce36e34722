/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_DEVICES_VIRTIO_VSOCK_INTERNAL_H
#define CVMM_DEVICES_VIRTIO_VSOCK_INTERNAL_H

/*
 * Between the parts of the virtio-vsock device: vsock.c (connections,
 * the guest's packets, host events, the device), vsock_rx.c (packets
 * to the guest) and vsock_service.c (the host end of a guest's
 * connection).  All with the device lock held, on its event loop.
 */
#include <stdint.h>

#include "devices/virtio/vsock.h"

/* Close the host socket, unlink and free @c (listening resumes if paused). */
void vsock_conn_free(struct vsock_conn *c);
/* Bytes the guest's advertised buffer space still lets us send on @c. */
uint32_t vsock_peer_credit(const struct vsock_conn *c);
/* Watch each host socket for what its connection can use now. */
void vsock_update_all_watches(struct vsock_dev *v);
/*
 * Send what waits for the guest (RSTs, control packets, host data) as
 * far as receive buffers and credit allow, then update the watches.
 */
void vsock_rx_flush(struct vsock_dev *v);
/*
 * The host end of a guest connection to CID 2, h->dst_port: the socket of
 * the in-process service of that port, else "<uds>_<port>" connected.
 * A non-blocking fd, or -1 (the guest gets RST).
 */
int vsock_open_host(struct vsock_dev *v, const struct vsock_hdr *h);

#endif
