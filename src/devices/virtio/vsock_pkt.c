// SPDX-License-Identifier: GPL-2.0-only
/* virtio-vsock: the packet header and the parser of the guest's packets. */
#include <errno.h>

#include "devices/virtio/vsock.h"

static void put64(uint8_t *p, uint64_t v)
{
	pci_put32(p, (uint32_t)v);
	pci_put32(p + 4, (uint32_t)(v >> 32));
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)pci_get32(p + 4) << 32 | pci_get32(p);
}

void vsock_hdr_encode(const struct vsock_hdr *h, uint8_t out[VSOCK_HDR_LEN])
{
	put64(out + 0, h->src_cid);
	put64(out + 8, h->dst_cid);
	pci_put32(out + 16, h->src_port);
	pci_put32(out + 20, h->dst_port);
	pci_put32(out + 24, h->len);
	pci_put16(out + 28, h->type);
	pci_put16(out + 30, h->op);
	pci_put32(out + 32, h->flags);
	pci_put32(out + 36, h->buf_alloc);
	pci_put32(out + 40, h->fwd_cnt);
}

void vsock_hdr_decode(const uint8_t in[VSOCK_HDR_LEN], struct vsock_hdr *h)
{
	h->src_cid = get64(in + 0);
	h->dst_cid = get64(in + 8);
	h->src_port = pci_get32(in + 16);
	h->dst_port = pci_get32(in + 20);
	h->len = pci_get32(in + 24);
	h->type = pci_get16(in + 28);
	h->op = pci_get16(in + 30);
	h->flags = pci_get32(in + 32);
	h->buf_alloc = pci_get32(in + 36);
	h->fwd_cnt = pci_get32(in + 40);
}

int vsock_pkt_parse(const struct vq_chain *c, struct vsock_hdr *h,
		    struct vq_iter *payload)
{
	uint8_t raw[VSOCK_HDR_LEN];

	if (c->out_len < VSOCK_HDR_LEN)
		return -EINVAL;
	vq_iter_out(payload, c);
	if (vq_iter_read(payload, raw, sizeof(raw)))
		return -EINVAL;
	vsock_hdr_decode(raw, h);
	if (h->len > VSOCK_BUF_ALLOC || h->len > c->out_len - VSOCK_HDR_LEN)
		return -EINVAL;
	if (h->op != VSOCK_OP_RW && h->len)
		return -EINVAL;		/* only RW carries data */
	return 0;
}
