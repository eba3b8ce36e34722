// SPDX-License-Identifier: GPL-2.0-only
/* The virtio-pci transport: capabilities, registers, status, queues,
 * notifications, interrupts, ioeventfds, the config-space window. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vrig.h"

#define C(x)		(VIRTIO_OFF_COMMON + VIRTIO_PCI_COMMON_##x)
#define ST_ALL		(VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | \
			 VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK)
#define TEST_FEATURE	5

struct tdev {
	struct virtio_dev vd;
	uint8_t cfg[8];
	unsigned int activated, resets, notified[2], processed;
	int features_ret;
	int chain_ret;
};

static int t_chain(struct virtio_dev *vd, struct vq_chain *c, void *ctx)
{
	struct tdev *t = (struct tdev *)vd;

	t->processed++;
	return t->chain_ret;
}

static void t_notify(struct virtio_dev *vd, unsigned int q)
{
	struct tdev *t = (struct tdev *)vd;

	t->notified[q]++;
	virtio_process(vd, q, t_chain, NULL);
}

static void t_cfg_read(struct virtio_dev *vd, uint32_t off, uint8_t *data, uint32_t len)
{
	memcpy(data, ((struct tdev *)vd)->cfg + off, len);
}

static void t_cfg_write(struct virtio_dev *vd, uint32_t off, const uint8_t *data,
			uint32_t len)
{
	memcpy(((struct tdev *)vd)->cfg + off, data, len);
	virtio_config_changed(vd);
}

static int t_features_ok(struct virtio_dev *vd, uint64_t f)
{
	return ((struct tdev *)vd)->features_ret;
}

static void t_activate(struct virtio_dev *vd)
{
	((struct tdev *)vd)->activated++;
}

static void t_reset(struct virtio_dev *vd)
{
	((struct tdev *)vd)->resets++;
}

static const struct virtio_dev_ops t_ops = {
	.cfg_read = t_cfg_read,
	.cfg_write = t_cfg_write,
	.features_ok = t_features_ok,
	.activate = t_activate,
	.queue_notify = t_notify,
	.reset = t_reset,
};

struct rig {
	struct vrig r;
	struct tdev t;
	struct pci_host h;
	struct io_bus pio, mmio;
	struct dq q[2];
};

static struct rig *rig_new(bool coco)
{
	struct rig *g = calloc(1, sizeof(*g));
	struct virtio_dev_info info = {
		.name = "test", .id = VIRTIO_ID_RNG, .pci_class = 0x00ff00,
		.nr_queues = 2, .queue_max = 16, .cfg_size = 8,
		.features = 1ULL << TEST_FEATURE, .access_platform = coco, .ops = &t_ops,
	};
	struct pci_host_config hc = {
		.mmio_start = 0xc0000000, .mmio_end = 0xd0000000,
		.intx_gsi = { 10, 11, 5, 15 }, .intx_edge = true,
	};

	vrig_init(&g->r);
	assert_int_equal(virtio_dev_init(&g->t.vd, &info, &g->r.mem, &g->r.fp.plat), 0);
	memcpy(g->t.cfg, "ABCDEFGH", 8);
	g->t.chain_ret = 7;
	assert_int_equal(pci_host_init(&g->h, &hc, &g->r.fp.plat), 0);
	assert_int_equal(pci_host_add_dev(&g->h, &g->t.vd.pci, 0), 1);
	assert_int_equal(pci_host_register(&g->h, &g->pio, &g->mmio), 0);
	dq_init(&g->q[0], &g->r, 16, 0x10000);
	dq_init(&g->q[1], &g->r, 8, 0x20000);
	return g;
}

static void rig_free(struct rig *g)
{
	virtio_dev_destroy(&g->t.vd);
	pci_host_destroy(&g->h);
	io_bus_free(&g->pio);
	io_bus_free(&g->mmio);
	vrig_free(&g->r);
	free(g);
}

static uint8_t status(struct rig *g)
{
	return (uint8_t)bar_r(&g->t.vd, C(STATUS), 1);
}

static void test_identity_and_caps(void **state)
{
	struct rig *g = rig_new(false);
	struct pci_dev *d = &g->t.vd.pci;
	unsigned int cap, seen = 0;

	assert_int_equal(pci_get16(&d->cfg[0]), 0x1af4);
	assert_int_equal(pci_get16(&d->cfg[2]), 0x1040 + VIRTIO_ID_RNG);
	assert_int_equal(d->cfg[PCI_REVISION_ID], 1);
	assert_int_equal(d->cfg[PCI_INTERRUPT_PIN], 1);
	assert_int_equal(d->bars[0].size, VIRTIO_BAR_SIZE);
	for (cap = d->cfg[PCI_CAPABILITY_LIST]; cap; cap = d->cfg[cap + 1]) {
		const uint8_t *c = &d->cfg[cap];

		if (c[0] == PCI_CAP_ID_MSIX) {
			assert_int_equal(pci_get16(c + 2) & 0x7ff, 2);	/* 3 vectors */
			assert_int_equal(pci_get32(c + 4), VIRTIO_OFF_MSIX_TABLE);
			assert_int_equal(pci_get32(c + 8), VIRTIO_OFF_MSIX_PBA);
			continue;
		}
		assert_int_equal(c[0], PCI_CAP_ID_VNDR);
		seen |= 1u << c[3];
		assert_int_equal(c[4], 0);			/* BAR 0 */
		switch (c[3]) {
		case VIRTIO_PCI_CAP_COMMON_CFG:
			assert_int_equal(pci_get32(c + 8), VIRTIO_OFF_COMMON);
			assert_true(pci_get32(c + 12) >= 0x38);
			break;
		case VIRTIO_PCI_CAP_NOTIFY_CFG:
			assert_int_equal(c[2], 20);
			assert_int_equal(pci_get32(c + 8), VIRTIO_OFF_NOTIFY);
			assert_int_equal(pci_get32(c + 16), VIRTIO_NOTIFY_MULT);
			break;
		case VIRTIO_PCI_CAP_ISR_CFG:
			assert_int_equal(pci_get32(c + 8), VIRTIO_OFF_ISR);
			break;
		case VIRTIO_PCI_CAP_DEVICE_CFG:
			assert_int_equal(pci_get32(c + 8), VIRTIO_OFF_DEVICE);
			assert_int_equal(pci_get32(c + 12), 8);
			break;
		}
	}
	assert_int_equal(seen, 0x3e);	/* types 1..5 */
	assert_int_equal(bar_r(&g->t.vd, C(NUMQ), 2), 2);
	rig_free(g);
}

static void test_features(void **state)
{
	struct rig *g = rig_new(false);
	struct virtio_dev *vd = &g->t.vd;

	bar_w(vd, C(DFSELECT), 0, 4);
	assert_int_equal(bar_r(vd, C(DF), 4), 1u << TEST_FEATURE |
			 1u << VIRTIO_F_INDIRECT_DESC | 1u << VIRTIO_F_EVENT_IDX);
	bar_w(vd, C(DFSELECT), 1, 4);
	assert_int_equal(bar_r(vd, C(DF), 4), 1);	/* VERSION_1 */
	bar_w(vd, C(DFSELECT), 2, 4);
	assert_int_equal(bar_r(vd, C(DF), 4), 0);
	/* FEATURES_OK: refused without VERSION_1 */
	bar_w(vd, C(STATUS), VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER, 1);
	bar_w(vd, C(STATUS), 0xb, 1);
	assert_int_equal(status(g), 0x3);
	/* refused for a bit never offered */
	bar_w(vd, C(GFSELECT), 1, 4);
	bar_w(vd, C(GF), 0x3, 4);			/* VERSION_1 + ACCESS_PLATFORM */
	bar_w(vd, C(STATUS), 0xb, 1);
	assert_int_equal(status(g), 0x3);
	/* refused when the device says no */
	bar_w(vd, C(GF), 0x1, 4);
	g->t.features_ret = -EINVAL;
	bar_w(vd, C(STATUS), 0xb, 1);
	assert_int_equal(status(g), 0x3);
	g->t.features_ret = 0;
	bar_w(vd, C(GFSELECT), 0, 4);
	bar_w(vd, C(GF), 1u << TEST_FEATURE, 4);
	bar_w(vd, C(STATUS), 0xb, 1);
	assert_int_equal(status(g), 0xb);
	assert_true(virtio_has(vd, TEST_FEATURE));
	assert_true(virtio_has(vd, VIRTIO_F_VERSION_1));
	/* features are frozen once accepted */
	bar_w(vd, C(GF), 0, 4);
	assert_int_equal(bar_r(vd, C(GF), 4), 1u << TEST_FEATURE);
	/* DRIVER_OK without FEATURES_OK does not make the device live */
	bar_w(vd, C(STATUS), 0, 1);
	bar_w(vd, C(STATUS), 0x7, 1);
	assert_int_equal(status(g), 0x3);
	assert_int_equal(g->t.activated, 0);
	rig_free(g);
}

static void test_access_platform(void **state)
{
	struct rig *g = rig_new(true);
	struct virtio_dev *vd = &g->t.vd;

	bar_w(vd, C(DFSELECT), 1, 4);
	assert_int_equal(bar_r(vd, C(DF), 4), 0x3);
	/* a confidential guest must accept it */
	bar_w(vd, C(STATUS), 0x3, 1);
	bar_w(vd, C(GFSELECT), 1, 4);
	bar_w(vd, C(GF), 0x1, 4);
	bar_w(vd, C(STATUS), 0xb, 1);
	assert_int_equal(status(g), 0x3);
	bar_w(vd, C(GF), 0x3, 4);
	bar_w(vd, C(STATUS), 0xb, 1);
	assert_int_equal(status(g), 0xb);
	rig_free(g);
}

static void test_status_and_reset(void **state)
{
	struct rig *g = rig_new(false);
	struct virtio_dev *vd = &g->t.vd;

	assert_int_equal(drv_start(vd, 0, g->q, 2, false), ST_ALL);
	assert_int_equal(g->t.activated, 1);
	/* the driver cannot set NEEDS_RESET, nor take bits away */
	bar_w(vd, C(STATUS), ST_ALL | VIRTIO_STATUS_NEEDS_RESET, 1);
	assert_int_equal(status(g), ST_ALL);
	/* reset: everything back to its initial state */
	bar_w(vd, C(Q_SELECT), 1, 2);
	bar_w(vd, C(STATUS), 0, 1);
	assert_int_equal(g->t.resets, 2);	/* drv_start resets too */
	assert_int_equal(status(g), 0);
	assert_int_equal(bar_r(vd, C(Q_SELECT), 2), 0);
	assert_int_equal(bar_r(vd, C(Q_ENABLE), 2), 0);
	assert_int_equal(bar_r(vd, C(Q_SIZE), 2), 16);
	assert_int_equal(bar_r(vd, C(Q_DESCLO), 8), 0);
	assert_int_equal(bar_r(vd, C(MSIX), 2), VIRTIO_MSI_NO_VECTOR);
	bar_w(vd, C(GFSELECT), 0, 4);
	assert_int_equal(bar_r(vd, C(GF), 4), 0);
	rig_free(g);
}

static void test_queue_registers(void **state)
{
	struct rig *g = rig_new(false);
	struct virtio_dev *vd = &g->t.vd;

	bar_w(vd, C(Q_SELECT), 1, 2);
	assert_int_equal(bar_r(vd, C(Q_SIZE), 2), 16);
	assert_int_equal(bar_r(vd, C(Q_NOFF), 2), 1);
	bar_w(vd, C(Q_SIZE), 12, 2);			/* not a power of two */
	assert_int_equal(bar_r(vd, C(Q_SIZE), 2), 16);
	bar_w(vd, C(Q_SIZE), 32, 2);			/* above the maximum */
	assert_int_equal(bar_r(vd, C(Q_SIZE), 2), 16);
	bar_w(vd, C(Q_SIZE), 4, 2);
	assert_int_equal(bar_r(vd, C(Q_SIZE), 2), 4);
	/* 64-bit addresses in halves or whole */
	bar_w(vd, C(Q_DESCLO), 0x11223344, 4);
	bar_w(vd, C(Q_DESCHI), 0x55667788, 4);
	assert_int_equal(bar_r(vd, C(Q_DESCLO), 8), 0x5566778811223344ULL);
	bar_w(vd, C(Q_AVAILLO), 0x123456789aULL, 8);
	assert_int_equal(bar_r(vd, C(Q_AVAILHI), 4), 0x12);
	/* a queue that does not exist reads as zero and ignores writes */
	bar_w(vd, C(Q_SELECT), 5, 2);
	assert_int_equal(bar_r(vd, C(Q_SIZE), 2), 0);
	bar_w(vd, C(Q_ENABLE), 1, 2);
	assert_int_equal(bar_r(vd, C(Q_ENABLE), 2), 0);
	/* vectors beyond the table read back NO_VECTOR */
	bar_w(vd, C(MSIX), 3, 2);
	assert_int_equal(bar_r(vd, C(MSIX), 2), VIRTIO_MSI_NO_VECTOR);
	bar_w(vd, C(MSIX), 2, 2);
	assert_int_equal(bar_r(vd, C(MSIX), 2), 2);
	/* wrong widths are ignored */
	bar_w(vd, C(Q_SELECT), 0, 4);
	assert_int_equal(bar_r(vd, C(Q_SELECT), 2), 5);
	/* past the common structure, and the device config bounds */
	assert_int_equal(bar_r(vd, VIRTIO_OFF_COMMON + 0x40, 4), 0xffffffff);
	assert_int_equal(bar_r(vd, VIRTIO_OFF_DEVICE + 4, 4), 0x48474645);
	assert_int_equal(bar_r(vd, VIRTIO_OFF_DEVICE + 6, 4), 0xffffffff);
	assert_int_equal(bar_r(vd, VIRTIO_OFF_MSIX_TABLE + 48, 4), 0xffffffff);
	rig_free(g);
}

static void test_bad_queue_breaks_device(void **state)
{
	struct rig *g = rig_new(false);
	struct virtio_dev *vd = &g->t.vd;

	g->q[1].used = VRIG_RAM - 8;			/* outside RAM */
	assert_int_equal(drv_start(vd, 0, g->q, 2, true) & VIRTIO_STATUS_NEEDS_RESET,
			 VIRTIO_STATUS_NEEDS_RESET);
	bar_w(vd, C(Q_SELECT), 1, 2);
	assert_int_equal(bar_r(vd, C(Q_ENABLE), 2), 0);
	/* live? no: kicks do nothing */
	drv_kick(&g->r, vd, 0);
	assert_int_equal(g->t.notified[0], 0);
	/* a reset brings it back */
	dq_init(&g->q[1], &g->r, 8, 0x20000);
	assert_int_equal(drv_start(vd, 0, g->q, 2, true), ST_ALL);
	rig_free(g);
}

static void test_kicks_and_msix(void **state)
{
	struct rig *g = rig_new(false);
	struct virtio_dev *vd = &g->t.vd;
	struct tb b = { 0x100000, 64, true };
	uint32_t id, len;
	int route;

	assert_int_equal(drv_start(vd, 0, g->q, 2, true), ST_ALL);
	dq_chain(&g->q[0], &b, 1);
	drv_kick(&g->r, vd, 0);
	assert_int_equal(g->t.notified[0], 1);
	assert_int_equal(dq_used(&g->q[0], &id, &len), 1);
	assert_int_equal(len, 7);
	route = g->t.vd.msix.vec[1].route;
	assert_true(route >= 0);
	assert_int_equal(fake_route_fired(&g->r.fp, route), 1);
	assert_int_equal(g->r.fp.route_msg[route].data, 0x41);
	/* MSI-X on: the ISR stays quiet and INTx low */
	assert_int_equal(bar_r(vd, VIRTIO_OFF_ISR, 1), 0);
	assert_int_equal(g->r.fp.level[11], 0);
	/* the backend is busy: the chain waits */
	g->t.chain_ret = -EAGAIN;
	dq_chain(&g->q[0], &b, 1);
	drv_kick(&g->r, vd, 0);
	assert_int_equal(dq_used(&g->q[0], &id, &len), 0);
	g->t.chain_ret = 3;
	drv_kick(&g->r, vd, 0);
	assert_int_equal(dq_used(&g->q[0], &id, &len), 1);
	assert_int_equal(len, 3);
	/* a notification for a queue that does not exist: nothing runs */
	bar_w(vd, VIRTIO_OFF_NOTIFY + 4 * 9, 9, 2);
	assert_int_equal(fake_platform_run(&g->r.fp), 0);
	/* config change interrupt on vector 0 */
	bar_w(vd, VIRTIO_OFF_DEVICE, 0x7a, 1);
	assert_int_equal(bar_r(vd, C(CFGGENERATION), 1), 1);
	assert_int_equal(fake_route_fired(&g->r.fp, g->t.vd.msix.vec[0].route), 1);
	rig_free(g);
}

static void test_budget(void **state)
{
	struct rig *g = rig_new(false);
	struct virtio_dev *vd = &g->t.vd;
	struct tb b = { 0x100000, 64, true };
	uint32_t id, len;
	unsigned int i, n = 0;

	g->q[0].size = 0;				/* queue 0 unused */
	assert_int_equal(drv_start(vd, 0, g->q, 2, false), ST_ALL);
	/* 300 chains through an 8-entry queue, 8 at a time */
	for (i = 0; i < 300 / 8; i++) {
		unsigned int k;

		for (k = 0; k < 8; k++)
			dq_chain(&g->q[1], &b, 1);
		drv_kick(&g->r, vd, 1);
		while (dq_used(&g->q[1], &id, &len))
			n++;
	}
	assert_int_equal(n, 296);
	assert_int_equal(g->t.processed, 296);
	rig_free(g);
}

static void test_intx_isr(void **state)
{
	struct rig *g = rig_new(false);
	struct virtio_dev *vd = &g->t.vd;
	struct tb b = { 0x100000, 64, true };

	assert_int_equal(drv_start(vd, 0, g->q, 2, false), ST_ALL);
	dq_chain(&g->q[0], &b, 1);
	drv_kick(&g->r, vd, 0);
	/* slot 1, INTA: GSI 11 */
	assert_int_equal(g->r.fp.level[11], 1);
	assert_int_equal(bar_r(vd, VIRTIO_OFF_ISR, 1), VIRTIO_PCI_ISR_QUEUE);
	assert_int_equal(g->r.fp.level[11], 0);
	assert_int_equal(bar_r(vd, VIRTIO_OFF_ISR, 1), 0);
	/* a configuration change sets bit 1 */
	bar_w(vd, VIRTIO_OFF_DEVICE, 0x7a, 1);
	assert_int_equal(g->r.fp.level[11], 1);
	assert_int_equal(bar_r(vd, VIRTIO_OFF_ISR, 1), VIRTIO_PCI_ISR_CONFIG);
	/* enabling MSI-X lowers INTx */
	bar_w(vd, VIRTIO_OFF_DEVICE, 0x7b, 1);
	assert_int_equal(g->r.fp.level[11], 1);
	cfg_w16(vd, vd->msix.cap + 2, MSIX_CTRL_ENABLE);
	assert_int_equal(g->r.fp.level[11], 0);
	rig_free(g);
}

static void test_ioeventfds_follow_bar(void **state)
{
	struct rig *g = rig_new(false);
	uint64_t bar = 0xc0000000;
	uint8_t b[4];

	assert_int_equal(fake_ioeventfds(&g->r.fp), 2);
	assert_int_equal(fake_ioeventfds_at(&g->r.fp, bar + VIRTIO_OFF_NOTIFY), 1);
	assert_int_equal(fake_ioeventfds_at(&g->r.fp, bar + VIRTIO_OFF_NOTIFY + 4), 1);
	/* the guest moves the BAR */
	pci_put32(b, 0xc8000000);
	pci_dev_cfg_write(&g->t.vd.pci, 0x10, b, 4);
	assert_int_equal(fake_ioeventfds(&g->r.fp), 2);
	assert_int_equal(fake_ioeventfds_at(&g->r.fp, 0xc8000000 + VIRTIO_OFF_NOTIFY + 4), 1);
	/* decoding off: none */
	pci_put32(b, 0);
	pci_dev_cfg_write(&g->t.vd.pci, PCI_COMMAND, b, 2);
	assert_int_equal(fake_ioeventfds(&g->r.fp), 0);
	rig_free(g);

	/* without ioeventfds the notify register still works */
	g = calloc(1, sizeof(*g));
	vrig_init(&g->r);
	g->r.fp.ioeventfd_ret = -ENOTSUP;
	{
		struct virtio_dev_info info = {
			.name = "t", .id = 4, .nr_queues = 2, .queue_max = 16,
			.cfg_size = 8, .ops = &t_ops,
		};
		struct pci_host_config hc = { .mmio_start = 0xc0000000, .mmio_end = 0xd0000000 };
		struct tb tb = { 0x100000, 64, true };
		uint32_t id, len;

		assert_int_equal(virtio_dev_init(&g->t.vd, &info, &g->r.mem, &g->r.fp.plat), 0);
		assert_int_equal(pci_host_init(&g->h, &hc, &g->r.fp.plat), 0);
		pci_host_add_dev(&g->h, &g->t.vd.pci, 0);
		assert_int_equal(fake_ioeventfds(&g->r.fp), 0);
		dq_init(&g->q[0], &g->r, 16, 0x10000);
		dq_init(&g->q[1], &g->r, 8, 0x20000);
		assert_int_equal(drv_start(&g->t.vd, 0, g->q, 2, false), ST_ALL);
		dq_chain(&g->q[0], &tb, 1);
		drv_kick(&g->r, &g->t.vd, 0);
		assert_int_equal(dq_used(&g->q[0], &id, &len), 1);
	}
	virtio_dev_destroy(&g->t.vd);
	pci_host_destroy(&g->h);
	vrig_free(&g->r);
	free(g);
}

static void test_pci_cfg_window(void **state)
{
	struct rig *g = rig_new(false);
	struct pci_dev *d = &g->t.vd.pci;
	unsigned int cap = g->t.vd.cfg_cap;
	uint8_t b[4];

	assert_true(cap >= 0x40);
	/* read num_queues through config space */
	d->cfg[cap + 4] = 0;
	pci_put32(b, VIRTIO_PCI_COMMON_NUMQ);
	pci_dev_cfg_write(d, cap + 8, b, 4);
	pci_put32(b, 2);
	pci_dev_cfg_write(d, cap + 12, b, 4);
	pci_dev_cfg_read(d, cap + 16, b, 4);
	assert_int_equal(pci_get32(b), 2);
	/* write the queue select through it */
	pci_put32(b, VIRTIO_PCI_COMMON_Q_SELECT);
	pci_dev_cfg_write(d, cap + 8, b, 4);
	pci_put32(b, 1);
	pci_dev_cfg_write(d, cap + 16, b, 4);
	assert_int_equal(bar_r(&g->t.vd, C(Q_SELECT), 2), 1);
	/* bad parameters: nothing happens */
	pci_put32(b, 3);
	pci_dev_cfg_write(d, cap + 12, b, 4);		/* length 3 */
	pci_put32(b, 0);
	pci_dev_cfg_write(d, cap + 16, b, 4);
	assert_int_equal(bar_r(&g->t.vd, C(Q_SELECT), 2), 1);
	pci_put32(b, 4);
	pci_dev_cfg_write(d, cap + 12, b, 4);
	pci_put32(b, VIRTIO_BAR_SIZE - 2);		/* runs past the BAR */
	pci_dev_cfg_write(d, cap + 8, b, 4);
	pci_dev_cfg_write(d, cap + 16, b, 4);
	/* refused windows leave pci_cfg_data as the driver wrote it */
	pci_dev_cfg_read(d, cap + 16, b, 4);
	assert_int_equal(pci_get32(b), VIRTIO_BAR_SIZE - 2);
	/* an aligned offset whose end wraps around 2^32 */
	pci_put32(b, 0xfffffffc);
	pci_dev_cfg_write(d, cap + 8, b, 4);
	pci_put32(b, 0x12345678);
	pci_dev_cfg_write(d, cap + 16, b, 4);
	pci_dev_cfg_read(d, cap + 16, b, 4);
	assert_int_equal(pci_get32(b), 0x12345678);
	/* the last dword of the BAR is still reachable (unclaimed: all ones) */
	pci_put32(b, VIRTIO_BAR_SIZE - 4);
	pci_dev_cfg_write(d, cap + 8, b, 4);
	pci_dev_cfg_read(d, cap + 16, b, 4);
	assert_int_equal(pci_get32(b), 0xffffffff);
	rig_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identity_and_caps),
		cmocka_unit_test(test_features),
		cmocka_unit_test(test_access_platform),
		cmocka_unit_test(test_status_and_reset),
		cmocka_unit_test(test_queue_registers),
		cmocka_unit_test(test_bad_queue_breaks_device),
		cmocka_unit_test(test_kicks_and_msix),
		cmocka_unit_test(test_budget),
		cmocka_unit_test(test_intx_isr),
		cmocka_unit_test(test_ioeventfds_follow_bar),
		cmocka_unit_test(test_pci_cfg_window),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
