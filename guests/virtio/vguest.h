/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A small virtio 1.x PCI driver for cvmm's freestanding test guests: PCI
 * enumeration through ports 0xcf8/0xcfc, the modern virtio capabilities,
 * split virtqueues, MSI-X or INTx interrupts (IDT, local APIC, IOAPIC).
 * Written from the virtio and PCI specifications, independently of the
 * device side in src/devices: the guest checks the device, not itself.
 */
#ifndef VGUEST_H
#define VGUEST_H

#include "guest.h"

/* ---- guest memory ---- */
void *valloc(uint64_t size, uint64_t align);	/* fresh (zero) RAM, never freed */
void valloc_init(const struct guest_boot *boot);
uint64_t valloc_ram_end(void);

/* ---- MMIO ---- */
static inline uint8_t rd8(uint64_t a) { return *(volatile uint8_t *)a; }
static inline uint16_t rd16(uint64_t a) { return *(volatile uint16_t *)a; }
static inline uint32_t rd32(uint64_t a) { return *(volatile uint32_t *)a; }
static inline void wr8(uint64_t a, uint8_t v) { *(volatile uint8_t *)a = v; }
static inline void wr16(uint64_t a, uint16_t v) { *(volatile uint16_t *)a = v; }
static inline void wr32(uint64_t a, uint32_t v) { *(volatile uint32_t *)a = v; }
static inline void wr64(uint64_t a, uint64_t v)
{
	wr32(a, (uint32_t)v);
	wr32(a + 4, (uint32_t)(v >> 32));
}
static inline void mb(void) { __asm__ volatile("mfence" ::: "memory"); }
static inline void barrier(void) { __asm__ volatile("" ::: "memory"); }
static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}
static inline uint16_t inw(uint16_t port)
{
	uint16_t v;

	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
static inline uint32_t inl(uint16_t port)
{
	uint32_t v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* ---- PCI (bus 0, mechanism #1) ---- */
uint32_t pci_read32(unsigned int slot, unsigned int off);
uint16_t pci_read16(unsigned int slot, unsigned int off);
uint8_t pci_read8(unsigned int slot, unsigned int off);
void pci_write32(unsigned int slot, unsigned int off, uint32_t v);
void pci_write16(unsigned int slot, unsigned int off, uint16_t v);
void pci_write8(unsigned int slot, unsigned int off, uint8_t v);
/* Base address of BAR @bar (64-bit BARs combined), 0 if none. */
uint64_t pci_bar(unsigned int slot, unsigned int bar);
/* Offset of the first capability @id after @from (0: start), 0 if none. */
unsigned int pci_find_cap(unsigned int slot, uint8_t id, unsigned int from);

/* ---- interrupts ---- */
#define VEC_BASE	0x40
extern volatile uint32_t irq_count[256];
void irq_init(void);			/* IDT, LAPIC on, PIC masked */
void irq_route_ioapic(unsigned int pin, uint8_t vector);
uint8_t lapic_id(void);
/* INTx handler hook: called from the vector's handler */
extern void (*intx_hook)(void);
/* sleep (interrupts on) until *@counter != @old, at most about @ms ms */
int irq_wait(volatile uint32_t *counter, uint32_t old, unsigned int ms);
/* sti; hlt; cli until *@p != @old, or @spins rounds pass (0: forever) */
int wait_change16(volatile uint16_t *p, uint16_t old, unsigned long spins);

/* ---- virtio ---- */
#define VIRTIO_VENDOR		0x1af4
#define VIRTIO_ID_NET		1
#define VIRTIO_ID_BLOCK		2
#define VIRTIO_ID_CONSOLE	3
#define VIRTIO_ID_RNG		4
#define VIRTIO_ID_VSOCK		19

#define S_ACK		1
#define S_DRIVER	2
#define S_DRIVER_OK	4
#define S_FEATURES_OK	8
#define S_NEEDS_RESET	0x40
#define S_FAILED	0x80

#define F_INDIRECT	28
#define F_EVENT_IDX	29
#define F_VERSION_1	32
#define F_ACCESS_PLATFORM 33

#define D_NEXT		1
#define D_WRITE		2
#define D_INDIRECT	4

struct vdesc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct vq {
	unsigned int index;
	uint16_t size;
	struct vdesc *desc;
	volatile uint16_t *avail;	/* flags, idx, ring[size], used_event */
	volatile uint8_t *used;		/* flags, idx, {id, len}[size], avail_event */
	uint16_t free_head, num_free;
	uint16_t avail_idx, last_used;
	uint64_t notify;		/* notify address */
	uint16_t vector;
};

#define VQ_MAX	4

struct vdev {
	unsigned int slot;
	uint16_t id;
	uint64_t common, isr, device, notify_base;
	uint32_t notify_mult;
	unsigned int msix_cap;
	uint64_t msix_table;
	unsigned int msix_nr;
	uint64_t features;
	struct vq vqs[VQ_MAX];
	unsigned int nvq;
	int use_msix;
	uint8_t vec_base;
	uint8_t intx_line;
};

/* common config offsets */
#define C_DFSELECT	0x00
#define C_DF		0x04
#define C_GFSELECT	0x08
#define C_GF		0x0c
#define C_MSIX		0x10
#define C_NUMQ		0x12
#define C_STATUS	0x14
#define C_CFGGEN	0x15
#define C_QSELECT	0x16
#define C_QSIZE		0x18
#define C_QMSIX		0x1a
#define C_QENABLE	0x1c
#define C_QNOFF		0x1e
#define C_QDESC		0x20
#define C_QAVAIL	0x28
#define C_QUSED		0x30

/* Find the @n-th (0-based) virtio device of type @id: slot, or -1. */
int vdev_find(uint16_t id, int n);
/* Parse the capabilities of @slot into @d.  0 or -1. */
int vdev_probe(struct vdev *d, unsigned int slot);
/*
 * Reset, negotiate (@want & offered, VERSION_1 required), set up @nvq
 * queues of at most @qsize entries, interrupts (MSI-X unless @intx), and
 * DRIVER_OK.  0, or -1 after printing why.
 */
int vdev_init(struct vdev *d, uint64_t want, unsigned int nvq, uint16_t qsize,
	      int intx);
void vdev_reset(struct vdev *d);
uint8_t vdev_status(struct vdev *d);
uint64_t vdev_offered(struct vdev *d);
static inline int vdev_has(struct vdev *d, unsigned int bit)
{
	return (int)(d->features >> bit & 1);
}

struct vbuf {
	void *addr;
	uint32_t len;
	int write;
};

/* Queue one chain (indirect if @indirect and negotiated); head or -1. */
int vq_add(struct vq *q, const struct vbuf *b, unsigned int n, int indirect);
void vq_kick(struct vdev *d, struct vq *q);
/* Wait for the next used element; returns its id, *len its length;
 * -1 after @spins rounds without one (0: wait forever). */
int vq_wait(struct vdev *d, struct vq *q, uint32_t *len, unsigned long spins);
/* The next used element if there is one (its id), else -1; no waiting. */
int vq_poll(struct vq *q, uint32_t *len);
/* One chain, kick, wait: the used length, or -1 on timeout. */
int vq_xfer(struct vdev *d, struct vq *q, const struct vbuf *b, unsigned int n,
	    int indirect, uint32_t *len);
uint16_t vq_used_idx(struct vq *q);

/* ---- reporting ---- */
extern int failures;
#define CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		printf("FAIL %s:%d: ", __FILE__, __LINE__);		\
		printf(__VA_ARGS__);					\
		printf("\n");						\
		failures++;						\
	}								\
} while (0)

/* cmdline "key=value": value as a number, or @def */
uint64_t cmdline_num(const char *cmdline, const char *key, uint64_t def);
int cmdline_flag(const char *cmdline, const char *word);

#endif
