// SPDX-License-Identifier: GPL-2.0-only
/* MSI-X: capability, table, PBA, masking and delivery through routes. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "devices/pci/msix.h"
#include "fake_platform.h"

struct rig {
	struct fake_platform fp;
	struct pci_dev d;
	struct pci_msix m;
};

static void rig_init(struct rig *r, unsigned int nr)
{
	memset(r, 0, sizeof(*r));
	fake_platform_init(&r->fp);
	pci_dev_init(&r->d, 1, 2, 0, 0, 0, 0, false, NULL, NULL);
	assert_int_equal(pci_dev_add_bar(&r->d, 0, 0x4000, false), 0);
	assert_int_equal(msix_init(&r->m, &r->d, &r->fp.plat, nr, 0, 0x1000, 0x2000), 0);
}

static void tbl_w(struct rig *r, unsigned int vec, unsigned int reg, uint32_t v)
{
	uint8_t b[4];

	pci_put32(b, v);
	msix_table_io(&r->m, 16ULL * vec + reg, b, 4, true);
}

static uint32_t tbl_r(struct rig *r, uint64_t off, uint32_t len)
{
	uint8_t b[8] = { 0 };

	msix_table_io(&r->m, off, b, len, false);
	return pci_get32(b);
}

static void ctrl_w(struct rig *r, uint16_t v)
{
	uint8_t b[2];

	pci_put16(b, v);
	pci_dev_cfg_write(&r->d, r->m.cap + 2, b, 2);
	msix_cfg_write(&r->m, r->m.cap + 2, 2);
}

static uint64_t pba(struct rig *r)
{
	uint8_t b[8];

	msix_pba_io(&r->m, 0, b, 8, false);
	return (uint64_t)pci_get32(b + 4) << 32 | pci_get32(b);
}

static void program(struct rig *r, unsigned int vec, uint32_t data)
{
	tbl_w(r, vec, 0, 0xfee00000);
	tbl_w(r, vec, 4, 0);
	tbl_w(r, vec, 8, data);
}

static void test_capability(void **state)
{
	struct rig r;

	rig_init(&r, 3);
	assert_int_equal(r.m.cap, 0x40);
	assert_int_equal(r.d.cfg[0x40], PCI_CAP_ID_MSIX);
	assert_int_equal(pci_get16(&r.d.cfg[0x42]), 2);		/* table size - 1 */
	assert_int_equal(pci_get32(&r.d.cfg[0x44]), 0x1000);	/* BIR 0 */
	assert_int_equal(pci_get32(&r.d.cfg[0x48]), 0x2000);
	/* only enable and function mask are writable */
	ctrl_w(&r, 0xffff);
	assert_int_equal(pci_get16(&r.d.cfg[0x42]), 0xc002);
	assert_true(msix_enabled(&r.m));
	ctrl_w(&r, 0);
	assert_false(msix_enabled(&r.m));
	assert_int_equal(msix_table_size(3), 48);
	assert_int_equal(msix_pba_size(3), 8);
	assert_int_equal(msix_pba_size(65), 16);
	msix_destroy(&r.m);

	assert_int_equal(msix_init(&r.m, &r.d, NULL, 0, 0, 0, 0), -EINVAL);
	assert_int_equal(msix_init(&r.m, &r.d, NULL, 4, 6, 0, 0), -EINVAL);
	assert_int_equal(msix_init(&r.m, &r.d, NULL, 4, 0, 4, 0), -EINVAL);
	assert_int_equal(msix_init(&r.m, &r.d, NULL, 4096, 0, 0, 0), -EINVAL);
}

static void test_table_access(void **state)
{
	struct rig r;
	uint8_t b[8];

	rig_init(&r, 2);
	/* entries start masked */
	assert_int_equal(tbl_r(&r, 12, 4), MSIX_VECTOR_MASKED);
	program(&r, 1, 0x41);
	assert_int_equal(tbl_r(&r, 16, 4), 0xfee00000);
	assert_int_equal(tbl_r(&r, 24, 4), 0x41);
	/* reserved control bits stay zero */
	tbl_w(&r, 1, 12, 0xfffffffe);
	assert_int_equal(tbl_r(&r, 28, 4), 0);
	/* a qword access */
	pci_put32(b, 0x12345678);
	pci_put32(b + 4, 0x9abcdef0);
	msix_table_io(&r.m, 0, b, 8, true);
	assert_int_equal(tbl_r(&r, 0, 4), 0x12345678);
	assert_int_equal(tbl_r(&r, 4, 4), 0x9abcdef0);
	/* out of range, odd sizes, misaligned: ignored, reads all ones */
	assert_int_equal(tbl_r(&r, 32, 4), 0xffffffff);
	assert_int_equal(tbl_r(&r, 2, 4), 0xffffffff);
	assert_int_equal(tbl_r(&r, 0, 2) & 0xffff, 0xffff);
	b[0] = 0;
	msix_table_io(&r.m, 24, b, 1, true);
	assert_int_equal(tbl_r(&r, 24, 4), 0x41);
	/* the PBA is read-only */
	memset(b, 0xff, 8);
	msix_pba_io(&r.m, 0, b, 8, true);
	assert_int_equal(pba(&r), 0);
	msix_pba_io(&r.m, 8, b, 4, false);
	assert_int_equal(pci_get32(b), 0xffffffff);
	msix_destroy(&r.m);
}

static void test_delivery(void **state)
{
	struct rig r;
	int route;

	rig_init(&r, 2);
	/* MSI-X off: the caller must use INTx */
	assert_int_equal(msix_notify(&r.m, 0), -ENOENT);
	program(&r, 0, 0x40);
	program(&r, 1, 0x41);
	ctrl_w(&r, MSIX_CTRL_ENABLE);
	/* masked: pending, nothing delivered */
	assert_int_equal(msix_notify(&r.m, 1), 0);
	assert_true(msix_pending(&r.m, 1));
	assert_int_equal(pba(&r), 2);
	assert_int_equal(r.m.delivered, 0);
	/* unmasking delivers the pending interrupt through a new route */
	tbl_w(&r, 1, 12, 0);
	assert_false(msix_pending(&r.m, 1));
	route = r.m.vec[1].route;
	assert_true(route >= 0);
	assert_int_equal(r.fp.route_msg[route].data, 0x41);
	assert_int_equal(fake_route_fired(&r.fp, route), 1);
	/* and later ones directly */
	assert_int_equal(msix_notify(&r.m, 1), 0);
	assert_int_equal(msix_notify(&r.m, 1), 0);
	assert_int_equal(fake_route_fired(&r.fp, route), 2);
	/* a new message updates the route */
	tbl_w(&r, 1, 8, 0x51);
	assert_int_equal(msix_notify(&r.m, 1), 0);
	assert_int_equal(r.fp.route_msg[route].data, 0x51);
	assert_int_equal(fake_route_fired(&r.fp, route), 1);
	/* function mask holds everything back */
	ctrl_w(&r, MSIX_CTRL_ENABLE | MSIX_CTRL_MASKALL);
	assert_int_equal(msix_notify(&r.m, 1), 0);
	assert_int_equal(fake_route_fired(&r.fp, route), 0);
	assert_true(msix_pending(&r.m, 1));
	ctrl_w(&r, MSIX_CTRL_ENABLE);
	assert_int_equal(fake_route_fired(&r.fp, route), 1);
	/* vectors the table does not have */
	assert_int_equal(msix_notify(&r.m, 2), -EINVAL);
	assert_int_equal(msix_notify(&r.m, 0xffff), -EINVAL);
	msix_destroy(&r.m);
}

static void test_no_route_signals(void **state)
{
	struct rig r;

	rig_init(&r, 1);
	r.fp.route_ret = -ENOSPC;
	program(&r, 0, 0x61);
	tbl_w(&r, 0, 12, 0);
	ctrl_w(&r, MSIX_CTRL_ENABLE);
	assert_int_equal(msix_notify(&r.m, 0), 0);
	assert_int_equal(r.fp.signals, 1);
	assert_int_equal(r.fp.last_signal.data, 0x61);
	assert_int_equal(r.fp.last_signal.addr, 0xfee00000);
	msix_destroy(&r.m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_capability),
		cmocka_unit_test(test_table_access),
		cmocka_unit_test(test_delivery),
		cmocka_unit_test(test_no_route_signals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
