// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Q35 probe ROM: what OVMF's SEC (AcpiTimerLib), PlatformPei and BDS
 * do to a Q35 chipset, in their order, each result printed on COM1 as one
 * "q35probe: " line; then power-off with SLP_TYP 0 as OVMF's ResetSystem.
 * See q35probe.h and tests/firmware/q35-check.sh.
 */
#include "fw_cfg.h"
#include "q35probe.h"

void fw_main(void);
void fw_exception(const uint64_t *frame);

#define IDT_ENTRIES	32
#define PM_TMR_HZ	3579545u
#define PIT_HZ		1193182u
#define RATE_MS		50

extern const uint8_t exception_stubs[];
static uint8_t idt[IDT_ENTRIES * 16] __attribute__((aligned(16)));
static uint16_t pm_base;

static void probe_idt(void)
{
	struct __attribute__((packed)) {
		uint16_t limit;
		uint64_t base;
	} idtr = { sizeof(idt) - 1, (uint64_t)(uintptr_t)idt };
	unsigned int i;

	for (i = 0; i < IDT_ENTRIES; i++) {
		uint64_t h = (uint64_t)(uintptr_t)exception_stubs + i * 16;
		uint8_t *g = idt + i * 16;

		put_le16(g, (uint16_t)h);
		put_le16(g + 2, 0x10);
		g[4] = 0;
		g[5] = 0x8e;
		put_le16(g + 6, (uint16_t)(h >> 16));
		put_le32(g + 8, (uint32_t)(h >> 32));
		put_le32(g + 12, 0);
	}
	__asm__ volatile("lidt %0" : : "m"(idtr));
}

void fw_exception(const uint64_t *frame)
{
	fatal(FAIL_EXCEPTION, "CPU exception %llu (error 0x%llx) at rip 0x%llx",
	      (unsigned long long)frame[0], (unsigned long long)frame[1],
	      (unsigned long long)frame[2]);
}

static uint8_t cmos_read(uint8_t index)
{
	outb(0x70, (uint8_t)(index | 0x80));	/* NMI off, as OVMF */
	return inb(0x71);
}

/* ---- the machine as fw_cfg and CMOS describe it ---------------------- */

/* Prints the RAM entries of etc/e820; returns the top of RAM below 4 GiB. */
static uint64_t probe_memory(void)
{
	struct fw_cfg_file f;
	uint8_t e[20];
	uint64_t low = 0;
	uint32_t i;

	printf(PR "fw_cfg ram 0x%llx, cpus %u, max cpus %u\n",
	       (unsigned long long)((uint64_t)fw_cfg_read_u32(0x03)), fw_cfg_read_u16(0x05),
	       fw_cfg_read_u16(0x0f));
	if (!fw_cfg_find("etc/e820", &f))
		fatal(FAIL_E820, "no etc/e820");
	fw_cfg_select(f.key);
	for (i = 0; i + sizeof(e) <= f.size; i += sizeof(e)) {
		uint64_t addr, size;

		fw_cfg_read_bytes(e, sizeof(e));
		addr = get_le64(e);
		size = get_le64(e + 8);
		if (get_le32(e + 16) != E820_RAM)
			continue;	/* QEMU reserves KVM's identity map, not TCG */
		printf(PR "e820 RAM [0x%llx, 0x%llx)\n", (unsigned long long)addr,
		       (unsigned long long)(addr + size));
		if (addr < 0x100000000ULL && addr + size > low)
			low = addr + size;
	}
	printf(PR "cmos 15-18 %02x%02x %02x%02x, 30-31 %02x%02x, 34-35 %02x%02x, "
	       "5b-5d %02x%02x%02x, 5f %02x\n", cmos_read(0x16), cmos_read(0x15),
	       cmos_read(0x18), cmos_read(0x17), cmos_read(0x31), cmos_read(0x30),
	       cmos_read(0x35), cmos_read(0x34), cmos_read(0x5d), cmos_read(0x5c),
	       cmos_read(0x5b), cmos_read(0x5f));
	return low;
}

/* ---- SEC: AcpiTimerLib's constructor ---------------------------------- */

static void probe_ids(void)
{
	printf(PR "00:00.0 device id 0x%04x (conf1, 16-bit)\n", conf1_read16(0, 2));
	printf(PR "00:00.0 id 0x%08x class/rev 0x%08x header 0x%02x subsystem 0x%08x\n",
	       conf1_read32(0, 0), conf1_read32(0, 8), conf1_read8(0, 0x0e),
	       conf1_read32(0, 0x2c));
	printf(PR "00:1f.0 id 0x%08x class/rev 0x%08x header 0x%02x subsystem 0x%08x\n",
	       conf1_read32(LPC_DEV, 0), conf1_read32(LPC_DEV, 8), conf1_read8(LPC_DEV, 0x0e),
	       conf1_read32(LPC_DEV, 0x2c));
}

/* Both functions' configuration space at reset, 16 bytes a line. */
static void probe_cfg_dump(void)
{
	unsigned int dev, off;

	for (dev = 0; dev < 32; dev += LPC_DEV) {
		for (off = 0; off < 256; off += 16)
			printf(PR "00:%02x.0 cfg %02x: %08x %08x %08x %08x\n", dev, off,
			       conf1_read32(dev, off), conf1_read32(dev, off + 4),
			       conf1_read32(dev, off + 8), conf1_read32(dev, off + 12));
	}
}

/* Which bits the guest can write: all ones in, what reads back, restored. */
static void wmask32(unsigned int dev, unsigned int off, uint32_t ones)
{
	uint32_t saved = conf1_read32(dev, off);

	conf1_write32(dev, off, ones);
	printf(PR "00:%02x.0 %02x <- 0x%08x: reads 0x%08x\n", dev, off, ones,
	       conf1_read32(dev, off));
	conf1_write32(dev, off, saved);
}

static void probe_wmasks(void)
{
	/* OVMF's PciBusDxe sizes BARs 0x10-0x24 and the ROM BAR 0x30 of both */
	static const uint8_t mch[] = { 0x04, 0x0c, 0x10, 0x14, 0x18, 0x1c, 0x20, 0x24, 0x30,
				       0x3c, 0x40, 0x64, 0x90, 0x94, 0xc0, 0xfc };
	static const uint8_t lpc[] = { 0x04, 0x0c, 0x10, 0x14, 0x18, 0x1c, 0x20, 0x24, 0x30,
				       0x3c, 0x40, 0x48, 0x60, 0x68, 0x80, 0xa0, 0xa4, 0xfc };
	unsigned int i;

	for (i = 0; i < sizeof(mch); i++)
		wmask32(0, mch[i], 0xffffffff);
	/* PCIEXBAR low dword: everything but the enable bit and length 3 */
	wmask32(0, MCH_PCIEXBAR, 0xfffffffa);
	/* the extended-TSEG size query: 0xffff reads back QEMU's 16 MiB */
	conf1_write16(0, 0x50, 0xffff);
	printf(PR "00:00.0 50 <- 0xffff: reads 0x%04x\n", conf1_read16(0, 0x50));
	for (i = 0; i < sizeof(lpc); i++)
		wmask32(LPC_DEV, lpc[i], 0xffffffff);
	/* ACPI_CNTL without ACPI_EN, RCBA without EN */
	wmask32(LPC_DEV, LPC_ACPI_CNTL, 0xffffff7f);
	wmask32(LPC_DEV, LPC_RCBA, 0xfffffffe);
}

static uint32_t pm_timer(void)
{
	return inl((uint16_t)(pm_base + PM_TMR));
}

uint32_t probe_pm_now(void)
{
	return pm_timer();
}

static void wait_ticks(uint32_t ticks)
{
	uint32_t prev = pm_timer(), t, done = 0;
	long same = 0;

	/* a timer that does not move (no PM block) ends it too */
	while (done < ticks && same < 100000) {
		t = pm_timer();
		same = t == prev ? same + 1 : 0;
		done += (t - prev) & 0xffffff;
		prev = t;
	}
}

static void probe_pmbase(void)
{
	uint8_t cntl = conf1_read8(LPC_DEV, LPC_ACPI_CNTL);
	uint32_t pmbase = conf1_read32(LPC_DEV, LPC_PMBASE);

	printf(PR "acpi_cntl 0x%02x, pmbase 0x%08x at reset\n", cntl, pmbase);
	printf(PR "port 0x608 before ACPI_EN: 0x%08x\n", inl(PM_BASE_OVMF + PM_TMR));
	if (!(cntl & LPC_ACPI_EN)) {
		/* AcpiTimerLib: PciAndThenOr32 (PMBASE, ~0xff80, 0x600) */
		conf1_write32(LPC_DEV, LPC_PMBASE, (pmbase & ~0xff80u) | PM_BASE_OVMF);
		conf1_write8(LPC_DEV, LPC_ACPI_CNTL, (uint8_t)(cntl | LPC_ACPI_EN));
	}
	pm_base = conf1_read16(LPC_DEV, LPC_PMBASE) & 0xff80;
	printf(PR "pmbase reads 0x%08x, acpi_cntl 0x%02x after OVMF's writes\n",
	       conf1_read32(LPC_DEV, LPC_PMBASE), conf1_read8(LPC_DEV, LPC_ACPI_CNTL));
	/* PM1_STS bit 0 (TMR_STS) depends on the time: masked */
	printf(PR "pm1 sts 0x%04x (TMR_STS masked) en 0x%04x cnt 0x%04x\n",
	       inw(pm_base) & ~1u, inw(pm_base + 2), inw((uint16_t)(pm_base + PM1_CNT)));
}

/* PM timer ticks while PIT channel 2 counts @ms milliseconds down. */
static uint32_t ticks_per_pit(unsigned int ms)
{
	uint32_t latch = PIT_HZ * ms / 1000, t0, t1;
	uint8_t v = inb(0x61);
	long spins;

	outb(0x61, (uint8_t)((v & ~0x02) | 0x01));	/* gate 2 high, speaker off */
	outb(0x43, 0xb0);				/* channel 2, mode 0, binary */
	outb(0x42, (uint8_t)latch);
	outb(0x42, (uint8_t)(latch >> 8));
	t0 = pm_timer();
	for (spins = 0; spins < 100000000 && !(inb(0x61) & 0x20); spins++)
		;
	t1 = pm_timer();
	outb(0x61, v);
	return (t1 - t0) & 0xffffff;
}

static void probe_timer(void)
{
	uint32_t prev = pm_timer(), t, high = 0, expect = PM_TMR_HZ / 1000 * RATE_MS;
	unsigned int i, back = 0, tries;

	for (i = 0; i < 1000; i++) {
		t = pm_timer();
		high |= t & 0xff000000;
		if (((t - prev) & 0xffffff) >= 0x800000)
			back++;
		prev = t;
	}
	printf(PR "pm timer at pmbase+8: bits 31-24 %s, %s over 1000 reads\n",
	       high ? "SET" : "zero", back ? "WENT BACKWARDS" : "monotonic");
	/* preemption only lengthens a measurement: retry a few times */
	for (tries = 0; tries < 4; tries++) {
		t = ticks_per_pit(RATE_MS);
		if (t >= expect * 3 / 4 && t <= expect * 3 / 2)
			break;
	}
	printf(PR "pm timer rate %s: ~%u ticks in %u ms of PIT time (3.579545 MHz: %u)\n",
	       tries < 4 ? "ok" : "WRONG", t, RATE_MS, expect);
}

/* Not OVMF: PMBASE really moves the block (and ACPI_EN really gates it). */
static void probe_pm_move(void)
{
	uint32_t saved = conf1_read32(LPC_DEV, LPC_PMBASE), t0, t1;

	unsigned int i;

	conf1_write32(LPC_DEV, LPC_PMBASE, 0xb001);
	t0 = inl(0xb008);
	for (i = 0, t1 = t0; i < 100000 && t1 == t0; i++)
		t1 = inl(0xb008);
	printf(PR "pmbase 0xb001: timer at 0xb008 %s, port 0x608 reads 0x%08x\n",
	       t0 != 0xffffffff && t1 != t0 ? "counts" : "DOES NOT COUNT",
	       inl(PM_BASE_OVMF + PM_TMR));
	conf1_write8(LPC_DEV, LPC_ACPI_CNTL, 0);
	printf(PR "ACPI_EN off: port 0xb008 reads 0x%08x\n", inl(0xb008));
	conf1_write32(LPC_DEV, LPC_PMBASE, saved);
	conf1_write8(LPC_DEV, LPC_ACPI_CNTL, LPC_ACPI_EN);
}

/* ---- PEI: PlatformPei ------------------------------------------------- */

/* MaxCpuCountInitialization: QEMU's CPU hotplug block at 0xcd8 */
static void probe_cpu_hotplug(unsigned int boot_cpus, unsigned int max_cpus)
{
	unsigned int present = 0, sel;
	uint32_t data2;

	outl(0xcd8, 0);
	outl(0xcd8, 0);
	outb(0xcd8 + 5, 0);
	data2 = inl(0xcd8);
	if (data2) {
		present = boot_cpus;	/* no modern interface: the boot CPUs */
	} else {
		for (sel = 0; sel < max_cpus; sel++) {
			outl(0xcd8, sel);
			present += inb(0xcd8 + 4) & 1;
		}
	}
	printf(PR "cpu count as OVMF derives it: %u (%s)\n", present,
	       present ? "never 0" : "ZERO: edk2 >= 202302 would hang");
}

static void probe_misc(void)
{
	uint8_t cmos_f = cmos_read(0x0f), p92 = inb(0x92);

	/* PlatformMiscInitialization: A20 through port 0x92 */
	outb(0x92, (uint8_t)(p92 | 0x02));
	printf(PR "port 0x92 reads 0x%02x, after |= 2 0x%02x\n", p92, inb(0x92));
	outb(0x70, 0x8f);
	outb(0x71, 0);
	printf(PR "cmos 0x0f 0x%02x (0xfe would be S3 resume), then 0x%02x\n", cmos_f,
	       cmos_read(0x0f));
	conf1_write32(LPC_DEV, LPC_RCBA, 0xfed1c001);
	printf(PR "rcba <- 0xfed1c001: reads 0x%08x\n", conf1_read32(LPC_DEV, LPC_RCBA));
	outb(0xcf9, 0x02);
	printf(PR "rst_cnt 0xcf9 <- 0x02: reads 0x%02x\n", inb(0xcf9));
	outb(0xcf9, 0x00);
}

static void probe_ecam(uint32_t base)
{
	printf(PR "ecam 0x%x: 00:00.0 0x%08x, 00:1f.0 0x%08x, 00:1e.0 0x%08x, "
	       "lpc pmbase 0x%08x\n", base, mmio_read32(ecam_addr(base, 0, 0)),
	       mmio_read32(ecam_addr(base, LPC_DEV, 0)), mmio_read32(ecam_addr(base, 30, 0)),
	       mmio_read32(ecam_addr(base, LPC_DEV, LPC_PMBASE)));
	/* a write through the ECAM, read back through conf1 */
	mmio_write8(ecam_addr(base, LPC_DEV, LPC_PIRQE + 3), 0x85);
	printf(PR "ecam write pirqh 0x85: conf1 reads 0x%02x\n",
	       conf1_read8(LPC_DEV, LPC_PIRQE + 3));
	conf1_write8(LPC_DEV, LPC_PIRQE + 3, 0x80);
}

static void pciexbar_set(uint32_t base)
{
	/* PlatformPei: high dword, low dword 0, then base | enable */
	conf1_write32(0, MCH_PCIEXBAR + 4, 0);
	conf1_write32(0, MCH_PCIEXBAR, 0);
	conf1_write32(0, MCH_PCIEXBAR, base | 1);
	printf(PR "pciexbar <- 0x%x | 1: reads 0x%08x%08x\n", base,
	       conf1_read32(0, MCH_PCIEXBAR + 4), conf1_read32(0, MCH_PCIEXBAR));
}

/* Uc32Base of edk2 >= 202305: 4 GiB - 2^floor(log2(4 GiB - low RAM)) */
static uint32_t uc32_base(uint64_t low)
{
	uint64_t gap = 0x100000000ULL - low, p = 1;

	while (p * 2 <= gap)
		p *= 2;
	return (uint32_t)(0x100000000ULL - p);
}

static void probe_pcie(uint64_t low)
{
	printf(PR "pciexbar 0x%08x%08x at reset\n", conf1_read32(0, MCH_PCIEXBAR + 4),
	       conf1_read32(0, MCH_PCIEXBAR));
	/* edk2-stable202211 (Debian 12's OVMF) */
	pciexbar_set(ECAM_2022);
	probe_ecam(ECAM_2022);
	pci_scan(ECAM_2022);
	pci_assign_bars(ECAM_2022, ECAM_2022 + 0x10000000, PCI_WINDOW_END, "edk2-stable202211");
	/* edk2-stable202305 and later */
	pciexbar_set(ECAM_2023);
	probe_ecam(ECAM_2023);
	printf(PR "old ecam 0x%x %s the host bridge\n", ECAM_2022,
	       mmio_read32(ecam_addr(ECAM_2022, 0, 0)) == 0x29c08086 ? "STILL DECODES" :
	       "no longer decodes");
	pci_assign_bars(ECAM_2023, uc32_base(low), ECAM_2023, "edk2 >= 202305, Uc32Base");
	pci_pirq(ECAM_2023);
}

/* QemuFlashDetected: CFI commands at the first probe-able byte of the FD. */
static void probe_flash(void)
{
	uint64_t base = 0x100000000ULL - ROM_SIZE, off;
	uint8_t orig, probe;

	for (off = 0; off < ROM_SIZE; off++) {
		uint8_t v = mmio_read8(base + off);

		if (v != 0x00 && v != 0x70 && v != 0x50)
			break;
	}
	orig = mmio_read8(base + off);
	mmio_write8(base + off, 0x50);
	probe = mmio_read8(base + off);
	if (orig != 0x50 && probe == 0x50) {
		printf(PR "flash probe: behaves as RAM\n");
		mmio_write8(base + off, orig);
		return;
	}
	mmio_write8(base + off, 0x70);
	probe = mmio_read8(base + off);
	printf(PR "flash probe: behaves as %s\n", probe == orig ? "ROM" :
	       probe == 0x00 ? "FLASH" : "RAM");
}

void fw_main(void)
{
	unsigned int cpus, max_cpus;
	uint64_t low;
	uint16_t cnt;

	probe_idt();
	fw_cfg_init();
	printf(PR "start\n");
	low = probe_memory();
	probe_kernel_items();
	cpus = fw_cfg_read_u16(0x05);
	max_cpus = fw_cfg_read_u16(0x0f);
	probe_ids();
	probe_cfg_dump();
	probe_wmasks();
	probe_pmbase();
	probe_timer();
	probe_pm_move();
	probe_cpu_hotplug(cpus, max_cpus);
	probe_misc();
	probe_pcie(low);
	probe_acpi();
	/* BDS: SCI_EN */
	cnt = inw((uint16_t)(pm_base + PM1_CNT));
	outw((uint16_t)(pm_base + PM1_CNT), cnt | PM1_SCI_EN);
	printf(PR "pm1_cnt |= SCI_EN: reads 0x%04x\n", inw((uint16_t)(pm_base + PM1_CNT)));
	probe_flash();
	/* ResetShutdown: SLP_TYP <- 0, then SLP_EN */
	cnt = inw((uint16_t)(pm_base + PM1_CNT)) & ~0x3c00;
	outw((uint16_t)(pm_base + PM1_CNT), cnt);
	printf(PR "power-off: pm1_cnt <- 0x%04x (SLP_TYP 0, SLP_EN)\n", cnt | PM1_SLP_EN);
	outw((uint16_t)(pm_base + PM1_CNT), cnt | PM1_SLP_EN);
	/* a VMM may let the vCPU run on a little before it stops it */
	wait_ticks(PM_TMR_HZ * 2);
	fatal(FAIL_INTERNAL, "still running 2 s after SLP_TYP 0 | SLP_EN");
}
