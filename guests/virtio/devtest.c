// SPDX-License-Identifier: GPL-2.0-only
/*
 * Drives every virtio device it finds through the real PCI transport and
 * checks the data end to end (the test harness tests/virtio/run_virtio.py
 * prepares the disk images and plays the host side of net and vsock):
 *
 *   pci      host bridge by conf1 and ECAM, BAR sizing, BAR moved by the
 *            guest (the device must follow, kicks included)
 *   blk      capacity, read of known contents (direct and indirect
 *            chains), write + read back, flush, get-id, discard,
 *            write-zeroes, out-of-range read; read-only disk refuses writes
 *   rng      two reads, not zero, different
 *   net      receives the host's frame, answers it
 *   vsock    guest -> host connect + echo, host -> guest connect, refused
 *            port
 *   console  output, emergency write, input (with --console virtio)
 *
 * Options on the command line: blk_sectors=N (expected capacity),
 * ro_sectors=N, mac=0x..., intx (INTx instead of MSI-X), console.
 * Passes through the debug-exit port (exit status 65), fails with 67.
 */
#include "vguest.h"

#define SECTOR		512
#define T_IN		0
#define T_OUT		1
#define T_FLUSH		4
#define T_GET_ID	8
#define T_DISCARD	11
#define T_WZ		13

static const char *cmdline;
static int use_intx;

/* ------------------------------------------------------------------ */
/* console output through virtio-console too, once it is up */

static struct vdev con;
static int con_up;

static void con_write(const char *s, uint32_t n)
{
	char *b;
	struct vbuf vb;
	uint32_t len;

	if (!con_up || !n)
		return;
	b = valloc(n, 1);
	memcpy(b, s, n);
	vb = (struct vbuf){ b, n, 0 };
	vq_xfer(&con, &con.vqs[1], &vb, 1, 0, &len);
}

static void say(const char *s)
{
	printf("%s", s);
	con_write(s, (uint32_t)strlen(s));
}

/* ------------------------------------------------------------------ */
/* pci */

static void test_pci(void)
{
	uint32_t id = pci_read32(0, 0), ecam;
	int slot;

	CHECK(id == 0x00081b36, "host bridge id 0x%x", id);
	CHECK(pci_read16(0, 0x0a) == 0x0600, "host bridge class 0x%x",
	      pci_read16(0, 0x0a));
	ecam = rd32(0xe0000000ULL);
	CHECK(ecam == id, "ECAM 00:00.0 reads 0x%x, conf1 0x%x", ecam, id);
	slot = vdev_find(VIRTIO_ID_BLOCK, 0);
	if (slot > 0) {
		CHECK(rd32(0xe0000000ULL + ((uint64_t)slot << 15)) == pci_read32(slot, 0),
		      "ECAM and conf1 disagree on slot %d", slot);
		CHECK(pci_read8(slot, 0x08) >= 1, "virtio revision %u", pci_read8(slot, 8));
	}
	CHECK(pci_read32(31, 0) == 0xffffffff, "empty slot reads 0x%x", pci_read32(31, 0));
	printf("pci: host bridge ok\n");
}

/* BAR sizing the way firmware does it, then move the BAR. */
static uint64_t bar_move(unsigned int slot, uint32_t to)
{
	uint16_t cmd = pci_read16(slot, 4);
	uint32_t old = pci_read32(slot, 0x10), size;

	pci_write16(slot, 4, cmd & ~2);		/* decoding off while sizing */
	pci_write32(slot, 0x10, 0xffffffff);
	size = ~(pci_read32(slot, 0x10) & ~0xfu) + 1;
	CHECK(size == 0x8000, "BAR0 of slot %u sizes to 0x%x", slot, size);
	CHECK(rd32(old & ~0xfu) == 0xffffffff, "undecoded BAR still answers");
	pci_write32(slot, 0x10, to);
	pci_write16(slot, 4, cmd | 2);
	CHECK((pci_read32(slot, 0x10) & ~0xfu) == to, "BAR0 reads 0x%x after moving to 0x%x",
	      pci_read32(slot, 0x10), to);
	return old & ~0xfu;
}

/* ------------------------------------------------------------------ */
/* blk */

static uint8_t pattern(uint64_t sector, unsigned int j)
{
	return (uint8_t)((sector * 31) ^ j ^ (j >> 8) ^ (sector >> 8));
}

static uint8_t pattern_b(uint64_t sector, unsigned int j)
{
	return (uint8_t)(sector * 17 + j * 3 + 0x5a);
}

struct blk_hdr {
	uint32_t type, ioprio;
	uint64_t sector;
};

static int blk_req(struct vdev *d, uint32_t type, uint64_t sector, void *data,
		   uint32_t len, int indirect, uint32_t *used)
{
	struct blk_hdr *h = valloc(sizeof(*h), 16);
	volatile uint8_t *st = valloc(1, 1);
	struct vbuf b[3];
	unsigned int n = 0;
	uint32_t ulen = 0;

	h->type = type;
	h->sector = sector;
	*st = 0xee;
	b[n++] = (struct vbuf){ h, sizeof(*h), 0 };
	if (len)
		b[n++] = (struct vbuf){ data, len, type == T_IN || type == T_GET_ID };
	b[n++] = (struct vbuf){ (void *)st, 1, 1 };
	if (vq_xfer(d, &d->vqs[0], b, n, indirect, &ulen))
		return -1;
	if (used)
		*used = ulen;
	return *st;
}

static void test_blk(void)
{
	uint64_t sectors = cmdline_num(cmdline, "blk_sectors", 0), cap, off;
	struct vdev d;
	uint8_t *buf = valloc(8 * SECTOR, 4096);
	uint32_t used, j, k;
	char id[21];
	int slot = vdev_find(VIRTIO_ID_BLOCK, 0), st;

	if (slot < 0) {
		CHECK(!sectors, "no virtio-blk device");
		return;
	}
	if (vdev_probe(&d, (unsigned int)slot) ||
	    vdev_init(&d, 1ULL << F_INDIRECT | 1ULL << 9 /* FLUSH */ | 1ULL << 6 |
		      1ULL << 13 | 1ULL << 14 | 1ULL << 5, 1, 128, use_intx)) {
		failures++;
		return;
	}
	cap = (uint64_t)rd32(d.device) | (uint64_t)rd32(d.device + 4) << 32;
	CHECK(cap == sectors, "capacity %llu, expected %llu", (unsigned long long)cap,
	      (unsigned long long)sectors);
	CHECK(!vdev_has(&d, 5), "writable disk offers RO");
	CHECK(vdev_has(&d, 9) && vdev_has(&d, 13) && vdev_has(&d, 14),
	      "FLUSH/DISCARD/WRITE_ZEROES missing: 0x%llx", (unsigned long long)d.features);
	CHECK(rd32(d.device + 20) == 512, "blk_size %u", rd32(d.device + 20));

	/* read sectors 0..7 (direct chain) */
	st = blk_req(&d, T_IN, 0, buf, 8 * SECTOR, 0, &used);
	CHECK(st == 0 && used == 8 * SECTOR + 1, "read: status %d used %u", st, used);
	for (k = 0; k < 8; k++)
		for (j = 0; j < SECTOR; j++)
			if (buf[k * SECTOR + j] != pattern(k, j)) {
				CHECK(0, "sector %u byte %u: 0x%x", k, j, buf[k * SECTOR + j]);
				k = 8;
				break;
			}
	/* read sectors 100..103 through an indirect table */
	CHECK(vdev_has(&d, F_INDIRECT), "INDIRECT_DESC not offered");
	st = blk_req(&d, T_IN, 100, buf, 4 * SECTOR, 1, &used);
	CHECK(st == 0, "indirect read: status %d", st);
	CHECK(buf[0] == pattern(100, 0) && buf[3 * SECTOR + 511] == pattern(103, 511),
	      "indirect read data");
	/* write 8..15, read it back */
	for (k = 0; k < 8; k++)
		for (j = 0; j < SECTOR; j++)
			buf[k * SECTOR + j] = pattern_b(8 + k, j);
	st = blk_req(&d, T_OUT, 8, buf, 8 * SECTOR, 0, &used);
	CHECK(st == 0 && used == 1, "write: status %d used %u", st, used);
	memset(buf, 0, 8 * SECTOR);
	st = blk_req(&d, T_IN, 8, buf, 8 * SECTOR, 0, NULL);
	CHECK(st == 0 && buf[0] == pattern_b(8, 0) && buf[4095] == pattern_b(15, 511),
	      "read back after write: status %d", st);
	st = blk_req(&d, T_FLUSH, 0, NULL, 0, 0, NULL);
	CHECK(st == 0, "flush: status %d", st);
	/* get-id */
	memset(id, 0, sizeof(id));
	st = blk_req(&d, T_GET_ID, 0, id, 20, 0, &used);
	CHECK(st == 0 && used >= 2, "get-id: status %d used %u", st, used);
	printf("blk: id '%s'\n", id);
	/* discard 16..23 and write zeroes over 24..31 */
	{
		struct { uint64_t sector; uint32_t num, flags; } *seg = valloc(16, 16);

		seg->sector = 16;
		seg->num = 8;
		st = blk_req(&d, T_DISCARD, 0, seg, 16, 0, NULL);
		CHECK(st == 0, "discard: status %d", st);
		seg->sector = 24;
		seg->num = 8;
		st = blk_req(&d, T_WZ, 0, seg, 16, 0, NULL);
		CHECK(st == 0, "write zeroes: status %d", st);
		memset(buf, 0xaa, 8 * SECTOR);
		st = blk_req(&d, T_IN, 24, buf, 8 * SECTOR, 0, NULL);
		for (off = 0; off < 8 * SECTOR && !buf[off]; off++)
			;
		CHECK(st == 0 && off == 8 * SECTOR, "zeroed sectors read back non-zero at %llu",
		      (unsigned long long)off);
		seg->sector = sectors;	/* past the end */
		seg->num = 1;
		st = blk_req(&d, T_DISCARD, 0, seg, 16, 0, NULL);
		CHECK(st == 1, "discard past the end: status %d", st);
	}
	/* past the end, odd lengths, unknown requests */
	st = blk_req(&d, T_IN, sectors, buf, SECTOR, 0, NULL);
	CHECK(st == 1, "read past the end: status %d", st);
	st = blk_req(&d, T_IN, sectors - 1, buf, 2 * SECTOR, 0, NULL);
	CHECK(st == 1, "read across the end: status %d", st);
	st = blk_req(&d, T_IN, 0, buf, 100, 0, NULL);
	CHECK(st == 1, "read of 100 bytes: status %d", st);
	st = blk_req(&d, 99, 0, NULL, 0, 0, NULL);
	CHECK(st == 2, "unknown request: status %d", st);
	CHECK(!(vdev_status(&d) & S_NEEDS_RESET), "device needs reset");
	if (d.use_msix)
		CHECK(irq_count[d.vec_base + 1] > 0, "no MSI-X interrupt for the queue");
	else
		CHECK(irq_count[d.vec_base] > 0, "no INTx interrupt");
	printf("blk: ok (%s, %u interrupts)\n", d.use_msix ? "msi-x" : "intx",
	       d.use_msix ? irq_count[d.vec_base + 1] : irq_count[d.vec_base]);

	/* the read-only disk */
	slot = vdev_find(VIRTIO_ID_BLOCK, 1);
	if (slot < 0)
		return;
	if (vdev_probe(&d, (unsigned int)slot) || vdev_init(&d, 1ULL << 5, 1, 64, use_intx)) {
		failures++;
		return;
	}
	CHECK(vdev_has(&d, 5), "read-only disk does not offer RO");
	cap = (uint64_t)rd32(d.device) | (uint64_t)rd32(d.device + 4) << 32;
	CHECK(cap == cmdline_num(cmdline, "ro_sectors", 0), "ro capacity %llu",
	      (unsigned long long)cap);
	st = blk_req(&d, T_IN, 0, buf, SECTOR, 0, NULL);
	CHECK(st == 0 && buf[5] == pattern(0, 5), "ro read: status %d", st);
	st = blk_req(&d, T_OUT, 0, buf, SECTOR, 0, NULL);
	CHECK(st == 1, "write to a read-only disk: status %d", st);
	printf("blk: read-only ok\n");
}

/* ------------------------------------------------------------------ */
/* rng */

static void rng_read(struct vdev *d, uint8_t *b, uint32_t n)
{
	struct vbuf vb = { b, n, 1 };
	uint32_t len = 0;

	CHECK(!vq_xfer(d, &d->vqs[0], &vb, 1, 0, &len) && len == n,
	      "rng: got %u of %u bytes", len, n);
}

static void test_rng(void)
{
	uint8_t *a = valloc(64, 8), *b = valloc(64, 8);
	unsigned int i, zeros = 0;
	struct vdev d;
	int slot = vdev_find(VIRTIO_ID_RNG, 0);

	if (slot < 0)
		return;
	/* move the BAR first: the device must follow it */
	bar_move((unsigned int)slot, 0xdff00000u);
	if (vdev_probe(&d, (unsigned int)slot) || vdev_init(&d, 0, 1, 16, use_intx)) {
		failures++;
		return;
	}
	CHECK(d.common == 0xdff00000ULL, "common config at 0x%llx after the move",
	      (unsigned long long)d.common);
	rng_read(&d, a, 64);
	rng_read(&d, b, 64);
	for (i = 0; i < 64; i++)
		zeros += !a[i];
	CHECK(zeros < 8, "rng: %u zero bytes of 64", zeros);
	CHECK(memcmp(a, b, 64), "rng: two reads are equal");
	printf("rng: ok (BAR moved to 0xdff00000)\n");
}

/* ------------------------------------------------------------------ */
/* net */

static void test_net(void)
{
	uint64_t want_mac = cmdline_num(cmdline, "mac", 0);
	uint8_t mac[6], *rx[16], *tx;
	struct vdev d;
	struct vbuf vb;
	uint32_t len = 0;
	unsigned int i;
	int slot = vdev_find(VIRTIO_ID_NET, 0), id;

	if (slot < 0)
		return;
	if (vdev_probe(&d, (unsigned int)slot) ||
	    vdev_init(&d, 1ULL << 5 | 1ULL << 16 | 1ULL << 3, 2, 64, use_intx)) {
		failures++;
		return;
	}
	for (i = 0; i < 6; i++)
		mac[i] = rd8(d.device + i);
	if (want_mac)
		for (i = 0; i < 6; i++)
			CHECK(mac[i] == (uint8_t)(want_mac >> (8 * (5 - i))), "mac byte %u", i);
	CHECK(rd16(d.device + 6) & 1, "link down");
	for (i = 0; i < 16; i++) {
		rx[i] = valloc(12 + 1536, 64);
		vb = (struct vbuf){ rx[i], 12 + 1536, 1 };
		vq_add(&d.vqs[0], &vb, 1, 0);
	}
	vq_kick(&d, &d.vqs[0]);
	printf("net: ready\n");
	for (;;) {
		id = vq_wait(&d, &d.vqs[0], &len, 0);
		if (id < 0 || id >= 16) {
			CHECK(0, "net: bad receive id %d", id);
			return;
		}
		/* ours: ethertype 0x88b5 and our payload */
		if (len >= 12 + 14 + 13 && rx[id][12 + 12] == 0x88 && rx[id][12 + 13] == 0xb5 &&
		    !memcmp(rx[id] + 12 + 14, "cvmm-net-ping", 13))
			break;
		vb = (struct vbuf){ rx[id], 12 + 1536, 1 };
		vq_add(&d.vqs[0], &vb, 1, 0);
		vq_kick(&d, &d.vqs[0]);
	}
	CHECK(rx[id][10] == 1 && rx[id][11] == 0, "num_buffers %u", rx[id][10]);
	tx = valloc(12 + 64, 64);
	memcpy(tx + 12, rx[id] + 12 + 6, 6);	/* to the sender */
	memcpy(tx + 12 + 6, mac, 6);
	tx[12 + 12] = 0x88;
	tx[12 + 13] = 0xb5;
	memcpy(tx + 12 + 14, "cvmm-net-pong", 13);
	printf("net: frame of %u bytes received\n", len - 12);
	vb = (struct vbuf){ tx, 12 + 60, 0 };
	CHECK(!vq_xfer(&d, &d.vqs[1], &vb, 1, 0, &len), "net: transmit");
	printf("net: ok\n");
}

/* ------------------------------------------------------------------ */
/* vsock */

struct vs_hdr {
	uint64_t src_cid, dst_cid;
	uint32_t src_port, dst_port, len;
	uint16_t type, op;
	uint32_t flags, buf_alloc, fwd_cnt;
} __attribute__((packed));

#define OP_REQUEST	1
#define OP_RESPONSE	2
#define OP_RST		3
#define OP_SHUTDOWN	4
#define OP_RW		5
#define OP_CREDIT_UPDATE 6
#define VS_RXBUF	(44 + 4096)

static struct vdev vs;
static uint64_t vs_cid;
static uint8_t *vs_rx[16];
static uint32_t vs_fwd;

static void vs_post(int i)
{
	struct vbuf vb = { vs_rx[i], VS_RXBUF, 1 };

	vq_add(&vs.vqs[0], &vb, 1, 0);
}

static void vs_send(uint16_t op, uint32_t sport, uint32_t dport, uint32_t flags,
		    const char *payload)
{
	struct vs_hdr *h = valloc(sizeof(*h), 8);
	uint32_t n = payload ? (uint32_t)strlen(payload) : 0;
	struct vbuf b[2];
	uint32_t len;

	*h = (struct vs_hdr){
		.src_cid = vs_cid, .dst_cid = 2, .src_port = sport, .dst_port = dport,
		.len = n, .type = 1, .op = op, .flags = flags, .buf_alloc = 65536,
		.fwd_cnt = vs_fwd,
	};
	b[0] = (struct vbuf){ h, sizeof(*h), 0 };
	if (n) {
		char *p = valloc(n, 1);

		memcpy(p, payload, n);
		b[1] = (struct vbuf){ p, n, 0 };
	}
	CHECK(!vq_xfer(&vs, &vs.vqs[1], b, n ? 2 : 1, 0, &len), "vsock: transmit");
}

/* Next packet that is not a credit update; payload copied to @buf. */
static int vs_recv(struct vs_hdr *out, char *buf, uint32_t max)
{
	uint32_t len;
	int id;

	for (;;) {
		id = vq_wait(&vs, &vs.vqs[0], &len, 0);
		if (id < 0 || id >= 16 || len < 44) {
			CHECK(0, "vsock: bad receive id %d len %u", id, len);
			return -1;
		}
		memcpy(out, vs_rx[id], sizeof(*out));
		if (buf) {
			uint32_t n = out->len < max - 1 ? out->len : max - 1;

			memcpy(buf, vs_rx[id] + 44, n);
			buf[n] = 0;
		}
		vs_fwd += out->len;
		vs_post(id);
		vq_kick(&vs, &vs.vqs[0]);
		CHECK(out->src_cid == 2 && out->dst_cid == vs_cid,
		      "vsock: packet from cid %llu to %llu", (unsigned long long)out->src_cid,
		      (unsigned long long)out->dst_cid);
		if (out->op != OP_CREDIT_UPDATE)
			return 0;
	}
}

static void test_vsock(void)
{
	struct vs_hdr h;
	char buf[128];
	uint32_t hport;
	unsigned int i;
	int slot = vdev_find(VIRTIO_ID_VSOCK, 0);

	if (slot < 0)
		return;
	if (vdev_probe(&vs, (unsigned int)slot) || vdev_init(&vs, 0, 3, 64, use_intx)) {
		failures++;
		return;
	}
	vs_cid = (uint64_t)rd32(vs.device) | (uint64_t)rd32(vs.device + 4) << 32;
	CHECK(vs_cid == cmdline_num(cmdline, "cid", 3), "guest cid %llu",
	      (unsigned long long)vs_cid);
	for (i = 0; i < 16; i++) {
		vs_rx[i] = valloc(VS_RXBUF, 64);
		vs_post((int)i);
	}
	vq_kick(&vs, &vs.vqs[0]);

	/* nothing listens on host port 5999 */
	vs_send(OP_REQUEST, 1233, 5999, 0, NULL);
	if (vs_recv(&h, NULL, 0))
		return;
	CHECK(h.op == OP_RST && h.src_port == 5999 && h.dst_port == 1233,
	      "refused connect: op %u", h.op);

	/* guest -> host port 5000 (fwd_cnt counts per connection) */
	vs_fwd = 0;
	vs_send(OP_REQUEST, 1234, 5000, 0, NULL);
	if (vs_recv(&h, NULL, 0))
		return;
	CHECK(h.op == OP_RESPONSE && h.src_port == 5000 && h.dst_port == 1234,
	      "connect to 5000: op %u", h.op);
	vs_send(OP_RW, 1234, 5000, 0, "ping from guest");
	if (vs_recv(&h, buf, sizeof(buf)))
		return;
	CHECK(h.op == OP_RW && !strncmp(buf, "pong from host", 14),
	      "reply: op %u '%s'", h.op, buf);
	vs_send(OP_SHUTDOWN, 1234, 5000, 3, NULL);
	if (vs_recv(&h, NULL, 0))
		return;
	CHECK(h.op == OP_RST, "after shutdown: op %u", h.op);
	printf("vsock: guest->host ok\n");

	/* host -> guest port 6000 */
	printf("vsock: listening on port 6000\n");
	if (vs_recv(&h, NULL, 0))
		return;
	CHECK(h.op == OP_REQUEST && h.dst_port == 6000, "host connect: op %u port %u",
	      h.op, h.dst_port);
	hport = h.src_port;
	vs_fwd = 0;
	vs_send(OP_RESPONSE, 6000, hport, 0, NULL);
	if (vs_recv(&h, buf, sizeof(buf)))
		return;
	CHECK(h.op == OP_RW && !strncmp(buf, "hello guest", 11), "host data: op %u '%s'",
	      h.op, buf);
	vs_send(OP_RW, 6000, hport, 0, "hello host");
	if (vs_recv(&h, NULL, 0))
		return;
	CHECK(h.op == OP_SHUTDOWN, "host close: op %u", h.op);
	vs_send(OP_RST, 6000, hport, 0, NULL);
	printf("vsock: host->guest ok (host port %u)\n", hport);
}

/* ------------------------------------------------------------------ */
/* console */

static void test_console(void)
{
	uint8_t *rx[4];
	struct vbuf vb;
	char line[64];
	unsigned int n = 0, i;
	uint32_t len;
	int slot = vdev_find(VIRTIO_ID_CONSOLE, 0), id;

	if (slot < 0) {
		CHECK(!cmdline_flag(cmdline, "console"), "no virtio-console");
		return;
	}
	if (vdev_probe(&con, (unsigned int)slot) ||
	    vdev_init(&con, 1ULL << 2 /* EMERG_WRITE */, 2, 16, use_intx)) {
		failures++;
		return;
	}
	for (i = 0; i < 4; i++) {
		rx[i] = valloc(64, 8);
		vb = (struct vbuf){ rx[i], 64, 1 };
		vq_add(&con.vqs[0], &vb, 1, 0);
	}
	vq_kick(&con, &con.vqs[0]);
	con_up = 1;
	say("virtio-console: hello from the guest\n");
	if (vdev_has(&con, 2)) {
		wr32(con.device + 8, 'E');
		wr32(con.device + 8, 'W');
		wr32(con.device + 8, '\n');
	}
	say("console: waiting for input\n");
	while (n < sizeof(line) - 1) {
		id = vq_wait(&con, &con.vqs[0], &len, 0);
		if (id < 0 || id >= 4)
			break;
		for (i = 0; i < len && n < sizeof(line) - 1; i++)
			line[n++] = (char)rx[id][i];
		vb = (struct vbuf){ rx[id], 64, 1 };
		vq_add(&con.vqs[0], &vb, 1, 0);
		vq_kick(&con, &con.vqs[0]);
		if (n && (line[n - 1] == 'q' || line[n - 1] == '\r' || line[n - 1] == '\n'))
			break;
	}
	line[n ? n - 1 : 0] = 0;
	say("console: got '");
	say(line);
	say("'\n");
}

void guest_main(const struct guest_boot *boot)
{
	cmdline = boot->cmdline;
	use_intx = cmdline_flag(cmdline, "intx");
	valloc_init(boot);
	irq_init();
	printf("devtest: start (%s)\n", use_intx ? "intx" : "msi-x");
	test_console();
	test_pci();
	test_blk();
	test_rng();
	test_net();
	test_vsock();
	if (failures) {
		printf("devtest: %d failures\n", failures);
		con_write("devtest: FAIL\n", 14);
		guest_exit(GUEST_FAIL);
	}
	say("devtest: PASS\n");
	guest_exit(GUEST_PASS);
}
