/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_DEVICES_VIRTIO_VSOCK_H
#define CVMM_DEVICES_VIRTIO_VSOCK_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/uio.h>

#include "devices/virtio/virtio.h"
#include "devices/virtio/vsock_listener.h"

/*
 * virtio-vsock (5.10), stream sockets only, implemented in cvmm and
 * bridged to host AF_UNIX stream sockets the way Firecracker's "hybrid
 * vsock" does:
 *
 *   - host -> guest: a host program connects to the socket at @uds and
 *     writes "CONNECT <port>\n"; cvmm opens a guest connection to that
 *     port from a fresh host port H and answers "OK <H>\n" once the guest
 *     accepted (or closes the socket if it refused);
 *   - guest -> host: a guest connection to CID 2, port P is connected to
 *     the host socket "<uds>_<P>" (RST if nothing listens there), or, for
 *     a port the listener serves in-process (vsock_listener_add_service()),
 *     to the socket that service's connect() returns.
 *
 * Flow control follows the spec's credit scheme in both directions: the
 * guest may send at most VSOCK_BUF_ALLOC bytes that cvmm has not yet
 * written to the host socket (a guest that sends more is reset), and
 * cvmm sends the guest no more than the buffer space it advertised.
 * Everything runs on the device's event loop thread.
 */

#define VSOCK_HOST_CID		2
#define VSOCK_HDR_LEN		44
#define VSOCK_TYPE_STREAM	1
#define VSOCK_OP_REQUEST	1
#define VSOCK_OP_RESPONSE	2
#define VSOCK_OP_RST		3
#define VSOCK_OP_SHUTDOWN	4
#define VSOCK_OP_RW		5
#define VSOCK_OP_CREDIT_UPDATE	6
#define VSOCK_OP_CREDIT_REQUEST	7
#define VSOCK_SHUTDOWN_RCV	1
#define VSOCK_SHUTDOWN_SEND	2

#define VSOCK_BUF_ALLOC		(64u * 1024)	/* per connection, guest -> host */
#define VSOCK_MAX_PAYLOAD	(64u * 1024)	/* one packet to the guest */
#define VSOCK_MAX_CONNS		1024
#define VSOCK_MIN_CONNS		16
/* descriptors left for everything else when capping connections */
#define VSOCK_FD_RESERVE	256
#define VSOCK_MAX_ORPHAN_RST	64
#define VSOCK_QUEUE_SIZE	256
#define VSOCK_CFG_SIZE		8
#define VSOCK_RXQ		0
#define VSOCK_TXQ		1
#define VSOCK_EVQ		2
#define VSOCK_HOST_PORT_BASE	(1u << 30)
#define VSOCK_LINE_MAX		32

struct vsock_hdr {
	uint64_t src_cid, dst_cid;
	uint32_t src_port, dst_port;
	uint32_t len;
	uint16_t type, op;
	uint32_t flags, buf_alloc, fwd_cnt;
};

void vsock_hdr_encode(const struct vsock_hdr *h, uint8_t out[VSOCK_HDR_LEN]);
void vsock_hdr_decode(const uint8_t in[VSOCK_HDR_LEN], struct vsock_hdr *h);

/*
 * Parse a packet from the guest's transmit queue: header and payload
 * (positioned in @payload).  -EINVAL for a chain shorter than the header,
 * a length field larger than the payload the chain carries or than
 * VSOCK_BUF_ALLOC, or a length on a packet other than RW.  Readable bytes
 * past the header's length are ignored.
 */
int vsock_pkt_parse(const struct vq_chain *c, struct vsock_hdr *h,
		    struct vq_iter *payload);

enum vsock_conn_state {
	VSOCK_HANDSHAKE,	/* host side: reading "CONNECT <port>\n" */
	VSOCK_CONNECTING,	/* host side: REQUEST sent, awaiting RESPONSE */
	VSOCK_ESTABLISHED,
	VSOCK_CLOSING,		/* guest shut both ways: flushing, then RST */
};

/* pending control packets */
#define VSOCK_PEND_REQUEST	0x01
#define VSOCK_PEND_RESPONSE	0x02
#define VSOCK_PEND_CREDIT	0x04
#define VSOCK_PEND_SHUTDOWN	0x08
#define VSOCK_PEND_RST		0x10

struct vsock_conn {
	struct vsock_dev *dev;
	struct vsock_conn *next;
	int fd;				/* host AF_UNIX socket */
	enum vsock_conn_state state;
	uint32_t local_port;		/* host side (CID 2) */
	uint32_t peer_port;		/* guest side */
	unsigned int pending;		/* VSOCK_PEND_* */
	uint32_t watch_events;
	bool watched;			/* in the event loop */
	/* guest -> host: bytes received, not yet written to fd */
	uint8_t *buf;
	uint32_t buf_head, buf_len;
	uint32_t fwd_cnt, fwd_cnt_sent;
	/* host -> guest */
	uint32_t peer_buf_alloc, peer_fwd_cnt, rx_cnt;
	bool host_eof, host_hup, guest_no_send, guest_no_rcv;
	char line[VSOCK_LINE_MAX];
	uint32_t line_len;
};

struct vsock_dev {
	struct virtio_dev vd;
	uint64_t guest_cid;
	const char *uds;		/* host socket path (the listener's) */
	const struct vsock_listener *listener;	/* in-process ports; may be NULL */
	int listen_fd;			/* the listener's, borrowed */
	int ctl_fd;			/* eventfd: reset cleanup, rx retry */
	struct vsock_conn *conns;
	unsigned int nr_conns;
	/*
	 * VSOCK_MAX_CONNS, or fewer when the descriptor limit (less what is
	 * open and VSOCK_FD_RESERVE) allows fewer; at least VSOCK_MIN_CONNS.
	 */
	unsigned int max_conns;
	/* accept() ran out of descriptors: not listening until a close */
	bool listen_paused;
	uint32_t next_host_port;
	bool rx_buffers;		/* the guest offered receive buffers */
	bool reset_pending;
	struct vsock_hdr orphan_rst[VSOCK_MAX_ORPHAN_RST];
	unsigned int nr_orphan_rst;
	struct iovec iov[VQ_MAX_CHAIN];
	uint64_t rx_pkts, tx_pkts, bad_pkts;	/* statistics */
};

/*
 * A device serving host connections from @l (open, and outliving the
 * device) and connecting guest connections to "<l->path>_<port>";
 * virtio_dev_free() destroys it.  0 or -errno (-EINVAL: a CID below 3 or
 * above 32 bits).  @l may be NULL (tests): no host listener, and guest
 * connections are refused.
 */
int vsock_dev_create(uint64_t guest_cid, const struct vsock_listener *l,
		     const struct virtio_dev_env *env, struct virtio_dev **out);

static inline struct vsock_dev *vsock_of(struct virtio_dev *vd)
{
	return (struct vsock_dev *)vd;	/* vd is its first member */
}

/* Handle one packet from the guest (tests, fuzzing; lock held). */
void vsock_handle_tx(struct vsock_dev *v, struct vq_chain *c);

#endif
