// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-blk benchmark guest (bench/blk.sh): the same freestanding guest
 * runs under cvmm and under QEMU (PVH entry, any firmware-assigned BARs,
 * MSI-X), so the two VMMs serve the identical request stream.
 *
 * Four phases of 4 KiB requests: sequential read, sequential write,
 * random read, random write; @qd requests in flight (qd=N on the command
 * line, default 32), @ops requests per phase (ops=N, default 4096).  Each
 * phase is framed by lines the host timestamps:
 *   BENCH begin <phase>
 *   BENCH end <phase> ops=<n> tsc=<cycles> errors=<n>
 * then "BENCH done" and the debug-exit port (status 65).
 */
#include "vguest.h"

#define REQ_SIZE	4096
#define MAX_QD		64

struct slot {
	struct {
		uint32_t type, ioprio;
		uint64_t sector;
	} *hdr;
	uint8_t *data;
	volatile uint8_t *status;
	int head;
};

static struct vdev d;
static struct slot slots[MAX_QD];
static int head_slot[1024];
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t xorshift(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void issue(struct slot *s, uint32_t type, uint64_t sector)
{
	struct vbuf b[3] = {
		{ s->hdr, 16, 0 },
		{ s->data, REQ_SIZE, type == 0 },
		{ (void *)s->status, 1, 1 },
	};

	s->hdr->type = type;
	s->hdr->sector = sector;
	*s->status = 0xff;
	s->head = vq_add(&d.vqs[0], b, 3, 0);
	if (s->head >= 0 && s->head < 1024)
		head_slot[s->head] = (int)(s - slots);
}

static void phase(const char *name, uint32_t type, int random, unsigned int qd,
		  unsigned int ops, uint64_t blocks)
{
	struct vq *q = &d.vqs[0];
	unsigned int issued = 0, done = 0, errors = 0, i;
	uint64_t seq = 0, t0;

	printf("BENCH begin %s\n", name);
	t0 = rdtsc();
	for (i = 0; i < qd && issued < ops; i++, issued++) {
		issue(&slots[i], type, (random ? xorshift() % blocks : seq++ % blocks) * 8);
	}
	vq_kick(&d, q);
	while (done < ops) {
		uint32_t len;
		int id = vq_wait(&d, q, &len, 0), more = 0;

		while (id >= 0) {
			struct slot *s = &slots[id < 1024 ? head_slot[id] : 0];

			done++;
			if (*s->status)
				errors++;
			if (issued < ops) {
				issue(s, type, (random ? xorshift() % blocks : seq++ % blocks) * 8);
				issued++;
				more = 1;
			}
			id = vq_poll(q, &len);
		}
		if (more)
			vq_kick(&d, q);
	}
	printf("BENCH end %s ops=%u tsc=%llu errors=%u\n", name, ops,
	       (unsigned long long)(rdtsc() - t0), errors);
}

void guest_main(const struct guest_boot *boot)
{
	unsigned int qd = (unsigned int)cmdline_num(boot->cmdline, "qd", 32);
	unsigned int ops = (unsigned int)cmdline_num(boot->cmdline, "ops", 4096);
	uint64_t sectors, blocks;
	unsigned int i;
	int slot;

	valloc_init(boot);
	irq_init();
	if (qd < 1 || qd > MAX_QD)
		qd = 32;
	slot = vdev_find(VIRTIO_ID_BLOCK, 0);
	if (slot < 0 || vdev_probe(&d, (unsigned int)slot) ||
	    vdev_init(&d, 0, 1, 128, 0)) {
		printf("BENCH error: no usable virtio-blk\n");
		guest_exit(GUEST_FAIL);
	}
	sectors = (uint64_t)rd32(d.device) | (uint64_t)rd32(d.device + 4) << 32;
	blocks = sectors / 8;
	if (blocks < 16) {
		printf("BENCH error: disk too small\n");
		guest_exit(GUEST_FAIL);
	}
	for (i = 0; i < qd; i++) {
		slots[i].hdr = valloc(16, 16);
		slots[i].status = valloc(1, 1);
		slots[i].data = valloc(REQ_SIZE, 4096);
	}
	printf("BENCH disk %llu sectors, qd %u, %u ops of %u bytes per phase, %s\n",
	       (unsigned long long)sectors, qd, ops, REQ_SIZE,
	       d.use_msix ? "msi-x" : "intx");
	phase("warmup", 0, 0, qd, (unsigned int)(blocks < ops ? blocks : ops), blocks);
	phase("seq-read", 0, 0, qd, ops, blocks);
	phase("seq-write", 1, 0, qd, ops, blocks);
	phase("rand-read", 0, 1, qd, ops, blocks);
	phase("rand-write", 1, 1, qd, ops, blocks);
	printf("BENCH done\n");
	guest_exit(GUEST_PASS);
}
