// SPDX-License-Identifier: GPL-2.0-only
/*
 * kvm_floor: the KVM work cvmm asks for to run a minimal PVH guest, and
 * nothing else -- the floor of any VMM's CPU time for that guest on this
 * host (bench/startup.py --only cpu, docs/startup.md).
 *
 *   kvm_floor GUEST.elf
 *
 * Issues the KVM calls of `cvmm boot --memory size=512M --debug-exit --pvh
 * GUEST.elf` in cvmm's order: supported CPUID; a VM with cvmm's TSS and
 * identity-map addresses, in-kernel irqchip and PIT; one 512 MiB anonymous
 * memslot; vCPU 0 with that CPUID, cvmm's MSR, LAPIC LINT and FPU set-up;
 * the PVH boot state (32-bit flat protected mode, EBX = hvm_start_info
 * with cvmm's memory map and command line).  The vCPU runs on its own
 * thread, as cvmm's does, until the guest writes port 0xf4; then it tears
 * everything down in cvmm's order and exits 0.  Left out: the user-space
 * devices, the event loop, the sandbox, ACPI and MP tables, and the
 * KVM_CHECK_EXTENSION queries (the guest needs none of them).
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define MEM_SIZE		(512ULL << 20)
#define HIMEM_START		0x100000ULL
#define TSS_ADDR		0xfeffd000ULL
#define IDENTITY_MAP_ADDR	0xfeffc000ULL
#define GDT_ADDR		0x500ULL
#define START_INFO_ADDR		0x7000ULL
#define MEMMAP_ADDR		0x8000ULL
#define CMDLINE_ADDR		0x20000ULL
#define CMDLINE			"console=ttyS0"	/* cvmm's default for direct boots */
#define DEBUG_EXIT_PORT		0xf4
#define GUEST_PASS		0x20		/* guests/lib/guest.h */
#define XEN_ELFNOTE_PHYS32_ENTRY 18
#define HVM_START_MAGIC		0x336ec578
#define MSR_IA32_MISC_ENABLE	0x1a0
#define APIC_LVT0		0x350
#define APIC_LVT1		0x360
#define MAX_PHDRS		64
#define MAX_NOTES		4096

struct hvm_start_info {
	uint32_t magic, version, flags, nr_modules;
	uint64_t modlist_paddr, cmdline_paddr, rsdp_paddr, memmap_paddr;
	uint32_t memmap_entries, reserved;
};

struct hvm_memmap_entry {
	uint64_t addr, size;
	uint32_t type, reserved;
};

struct floor {
	int kvm, vm, vcpu;
	size_t run_size;
	struct kvm_run *run;
	uint8_t *mem;
	uint32_t entry;
	const char *what, *why;		/* the vCPU thread's failure */
};

static int fail(const char *what, const char *why)
{
	fprintf(stderr, "kvm_floor: %s: %s\n", what, why);
	return -1;
}

/* ioctl(2) on a KVM fd: its result, or -1 after the error line naming @what */
static int kvm_ioctl(int fd, unsigned long req, void *arg, const char *what)
{
	int ret = ioctl(fd, req, arg);

	if (ret < 0)
		fail(what, strerror(errno));
	return ret;
}

#define KVM(fd, req, arg)	kvm_ioctl(fd, req, (void *)(arg), #req)

/* @len bytes at @off of @fd, all of them */
static int pread_all(int fd, void *buf, uint64_t len, uint64_t off)
{
	ssize_t n;

	while (len) {
		n = pread(fd, buf, len, (off_t)off);
		if (n <= 0)
			return -1;
		buf = (uint8_t *)buf + n;
		len -= (uint64_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

/* cvmm's pvh_parse(): the PVH note, 4- or 8-byte entry address */
static int scan_notes(const uint8_t *p, uint64_t size, uint32_t *entry)
{
	uint64_t off = 0, name_len, desc_len, desc_off, v = 0;
	Elf64_Nhdr nh;

	while (size - off >= sizeof(nh)) {
		memcpy(&nh, p + off, sizeof(nh));
		name_len = ((uint64_t)nh.n_namesz + 3) & ~3ULL;
		desc_len = ((uint64_t)nh.n_descsz + 3) & ~3ULL;
		desc_off = off + sizeof(nh) + name_len;
		if (desc_off > size || desc_len > size - desc_off)
			return -1;
		if (nh.n_type == XEN_ELFNOTE_PHYS32_ENTRY && nh.n_namesz == 4 &&
		    !memcmp(p + off + sizeof(nh), "Xen", 4)) {
			if (nh.n_descsz != 4 && nh.n_descsz != 8)
				return -1;
			memcpy(&v, p + desc_off, nh.n_descsz);
			if (v > UINT32_MAX)
				return -1;
			*entry = (uint32_t)v;
		}
		off = desc_off + desc_len;
	}
	return 0;
}

/* One program header: the note is scanned, a load segment read into RAM. */
static int load_phdr(struct floor *f, int fd, const Elf64_Phdr *ph)
{
	uint8_t notes[MAX_NOTES];

	if (ph->p_type == PT_NOTE) {
		if (ph->p_filesz > sizeof(notes) || pread_all(fd, notes, ph->p_filesz, ph->p_offset) ||
		    scan_notes(notes, ph->p_filesz, &f->entry))
			return fail("guest", "malformed ELF note");
		return 0;
	}
	if (ph->p_type != PT_LOAD || !ph->p_memsz)
		return 0;
	if (ph->p_filesz > ph->p_memsz || ph->p_paddr < HIMEM_START ||
	    ph->p_paddr > MEM_SIZE || ph->p_memsz > MEM_SIZE - ph->p_paddr)
		return fail("guest", "ELF load segment outside guest RAM above 1 MiB");
	/* fresh anonymous memory is zero: nothing to clear past p_filesz */
	if (pread_all(fd, f->mem + ph->p_paddr, ph->p_filesz, ph->p_offset))
		return fail("guest", "cannot read an ELF load segment");
	return 1;
}

/* The ELF64 PT_LOAD segments at their physical addresses; f->entry from the note. */
static int load_elf(struct floor *f, const char *path)
{
	Elf64_Phdr ph[MAX_PHDRS];
	int fd, ret = -1, loaded = 0, r;
	Elf64_Ehdr eh;
	struct stat st;
	unsigned int i;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(path, strerror(errno));
	if (fstat(fd, &st) || pread_all(fd, &eh, sizeof(eh), 0) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_ident[EI_DATA] != ELFDATA2LSB || eh.e_machine != EM_X86_64) {
		fail(path, "not a 64-bit little-endian x86-64 ELF file");
		goto out;
	}
	if (eh.e_phentsize != sizeof(Elf64_Phdr) || !eh.e_phnum || eh.e_phnum > MAX_PHDRS ||
	    pread_all(fd, ph, eh.e_phnum * sizeof(ph[0]), eh.e_phoff)) {
		fail(path, "malformed ELF program headers");
		goto out;
	}
	f->entry = 0;
	for (i = 0; i < eh.e_phnum; i++) {
		if (ph[i].p_offset > (uint64_t)st.st_size ||
		    ph[i].p_filesz > (uint64_t)st.st_size - ph[i].p_offset) {
			fail(path, "ELF segment runs past the end of the file");
			goto out;
		}
		r = load_phdr(f, fd, &ph[i]);
		if (r < 0)
			goto out;
		loaded += r;
	}
	if (!f->entry || !loaded)
		fail(path, !f->entry ? "no PVH entry point (XEN_ELFNOTE_PHYS32_ENTRY)" :
		     "ELF file has nothing to load");
	else
		ret = 0;
out:
	close(fd);
	return ret;
}

/* cvmm's PVH boot structures: GDT, command line, memory map, start info */
static void write_boot_info(struct floor *f)
{
	const uint64_t gdt[] = {
		0, 0,
		0x00cf9b000000ffffULL,	/* 0x10: 32-bit code */
		0x00cf93000000ffffULL,	/* 0x18: data */
		0x00008b0000000067ULL,	/* 0x20: busy TSS */
	};
	const struct hvm_memmap_entry mm[] = {	/* cvmm's e820_build_direct() */
		{ 0, 0x9fc00, 1, 0 },
		{ 0x9fc00, 0x400, 2, 0 },
		{ 0xe0000, 0x20000, 2, 0 },
		{ HIMEM_START, MEM_SIZE - HIMEM_START, 1, 0 },
	};
	const struct hvm_start_info si = {
		.magic = HVM_START_MAGIC, .version = 1,
		.cmdline_paddr = CMDLINE_ADDR, .memmap_paddr = MEMMAP_ADDR,
		.memmap_entries = sizeof(mm) / sizeof(mm[0]),
	};

	memcpy(f->mem + GDT_ADDR, gdt, sizeof(gdt));
	memcpy(f->mem + CMDLINE_ADDR, CMDLINE, sizeof(CMDLINE));
	memcpy(f->mem + MEMMAP_ADDR, mm, sizeof(mm));
	memcpy(f->mem + START_INFO_ADDR, &si, sizeof(si));
}

static int vm_create(struct floor *f)
{
	struct kvm_userspace_memory_region r = { .slot = 0, .memory_size = MEM_SIZE };
	struct kvm_pit_config pit = { .flags = KVM_PIT_SPEAKER_DUMMY };
	uint64_t idmap = IDENTITY_MAP_ADDR;

	f->vm = KVM(f->kvm, KVM_CREATE_VM, 0);
	if (f->vm < 0 || KVM(f->vm, KVM_SET_TSS_ADDR, TSS_ADDR) < 0 ||
	    KVM(f->vm, KVM_SET_IDENTITY_MAP_ADDR, &idmap) < 0 ||
	    KVM(f->vm, KVM_CREATE_IRQCHIP, 0) < 0 || KVM(f->vm, KVM_CREATE_PIT2, &pit) < 0)
		return -1;
	f->mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (f->mem == MAP_FAILED) {
		f->mem = NULL;
		return fail("guest RAM", strerror(errno));
	}
	r.userspace_addr = (uintptr_t)f->mem;
	return KVM(f->vm, KVM_SET_USER_MEMORY_REGION, &r) < 0 ? -1 : 0;
}

/* cvmm's vcpu_create(): CPUID, IA32_MISC_ENABLE, LINT0/1, FPU */
static int vcpu_create(struct floor *f, struct kvm_cpuid2 *cpuid)
{
	struct { struct kvm_msrs hdr; struct kvm_msr_entry e; } msrs = {
		.hdr.nmsrs = 1, .e = { .index = MSR_IA32_MISC_ENABLE, .data = 1 },
	};
	struct kvm_fpu fpu = { .fcw = 0x37f, .mxcsr = 0x1f80 };
	struct kvm_lapic_state lapic;
	uint32_t v;
	int n;

	f->vcpu = KVM(f->vm, KVM_CREATE_VCPU, 0);
	if (f->vcpu < 0)
		return -1;
	f->run = mmap(NULL, f->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, f->vcpu, 0);
	if (f->run == MAP_FAILED) {
		f->run = NULL;
		return fail("kvm_run", strerror(errno));
	}
	if (KVM(f->vcpu, KVM_SET_CPUID2, cpuid) < 0)
		return -1;
	n = KVM(f->vcpu, KVM_SET_MSRS, &msrs);	/* the number of MSRs KVM took */
	if (n != 1)
		return n < 0 ? -1 : fail("KVM_SET_MSRS", "IA32_MISC_ENABLE refused");
	if (KVM(f->vcpu, KVM_GET_LAPIC, &lapic) < 0)
		return -1;
	memcpy(&v, &lapic.regs[APIC_LVT0], 4);
	v = (v & ~0x700U) | 7U << 8;		/* ExtINT */
	memcpy(&lapic.regs[APIC_LVT0], &v, 4);
	memcpy(&v, &lapic.regs[APIC_LVT1], 4);
	v = (v & ~0x700U) | 4U << 8;		/* NMI */
	memcpy(&lapic.regs[APIC_LVT1], &v, 4);
	return KVM(f->vcpu, KVM_SET_LAPIC, &lapic) < 0 ||
	       KVM(f->vcpu, KVM_SET_FPU, &fpu) < 0 ? -1 : 0;
}

/* PVH entry: 32-bit flat protected mode, paging off, EBX = start info */
static int vcpu_set_boot_state(struct floor *f)
{
	struct kvm_segment code = {
		.limit = 0xffffffff, .selector = 0x10, .type = 0xb, .present = 1,
		.db = 1, .s = 1, .g = 1,
	};
	struct kvm_regs regs = { .rip = f->entry, .rbx = START_INFO_ADDR, .rflags = 2 };
	struct kvm_sregs sr;

	if (KVM(f->vcpu, KVM_GET_SREGS, &sr) < 0)
		return -1;
	sr.cs = code;
	sr.ds = code;
	sr.ds.selector = 0x18;
	sr.ds.type = 0x3;
	sr.es = sr.fs = sr.gs = sr.ss = sr.ds;
	sr.tr = (struct kvm_segment){ .limit = 0x67, .selector = 0x20, .type = 0xb,
				      .present = 1 };
	sr.ldt = (struct kvm_segment){ .type = 0x2, .present = 1, .unusable = 1 };
	sr.gdt = (struct kvm_dtable){ .base = GDT_ADDR, .limit = 5 * 8 - 1 };
	sr.idt = (struct kvm_dtable){ .base = 0x540, .limit = 0 };
	sr.cr0 = 0x11;				/* PE | ET */
	sr.cr3 = sr.cr4 = sr.efer = 0;
	return KVM(f->vcpu, KVM_SET_SREGS, &sr) < 0 ||
	       KVM(f->vcpu, KVM_SET_REGS, &regs) < 0 ? -1 : 0;
}

/* The vCPU thread: run until the guest writes the debug-exit port. */
static void *vcpu_thread(void *arg)
{
	struct floor *f = arg;

	for (;;) {
		if (ioctl(f->vcpu, KVM_RUN, 0) < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			f->what = "KVM_RUN";
			f->why = strerror(errno);
			return NULL;
		}
		if (f->run->exit_reason != KVM_EXIT_IO) {
			f->what = "KVM_RUN";
			f->why = "the guest stopped before it wrote port 0xf4";
			return NULL;
		}
		if (f->run->io.port != DEBUG_EXIT_PORT || f->run->io.direction != KVM_EXIT_IO_OUT)
			continue;
		if (f->run->io.data_offset >= f->run_size ||
		    ((uint8_t *)f->run)[f->run->io.data_offset] != GUEST_PASS) {
			f->what = "guest";
			f->why = "wrote port 0xf4, but not its pass value 0x20";
		}
		return NULL;
	}
}

static struct kvm_cpuid2 *get_supported_cpuid(int kvm)
{
	struct kvm_cpuid2 *c;
	uint32_t nent;

	for (nent = 128; nent <= 4096; nent *= 2) {
		c = calloc(1, sizeof(*c) + nent * sizeof(c->entries[0]));
		if (!c)
			break;
		c->nent = nent;
		if (!ioctl(kvm, KVM_GET_SUPPORTED_CPUID, c))
			return c;
		free(c);
		if (errno != E2BIG)
			break;
	}
	fail("KVM_GET_SUPPORTED_CPUID", strerror(errno));
	return NULL;
}

int main(int argc, char **argv)
{
	struct floor f = { .kvm = -1, .vm = -1, .vcpu = -1 };
	struct kvm_cpuid2 *cpuid = NULL;
	pthread_t thread;
	int ret = 1, err;

	if (argc != 2) {
		fprintf(stderr, "usage: kvm_floor GUEST.elf\n");
		return 1;
	}
	f.kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (f.kvm < 0) {
		fail("/dev/kvm", strerror(errno));
		goto out;
	}
	if (ioctl(f.kvm, KVM_GET_API_VERSION, 0) != KVM_API_VERSION) {
		fail("/dev/kvm", "unsupported KVM API version");
		goto out;
	}
	err = ioctl(f.kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (err < (int)sizeof(struct kvm_run)) {
		fail("KVM_GET_VCPU_MMAP_SIZE", "too small");
		goto out;
	}
	f.run_size = (size_t)err;
	cpuid = get_supported_cpuid(f.kvm);
	if (!cpuid || vm_create(&f) || vcpu_create(&f, cpuid) || load_elf(&f, argv[1]))
		goto out;
	write_boot_info(&f);
	if (vcpu_set_boot_state(&f))
		goto out;
	err = pthread_create(&thread, NULL, vcpu_thread, &f);
	if (err) {
		fail("pthread_create", strerror(err));
		goto out;
	}
	pthread_join(thread, NULL);
	if (f.what)
		fail(f.what, f.why);
	else
		ret = 0;
out:
	if (f.run)
		munmap(f.run, f.run_size);
	if (f.vcpu >= 0)
		close(f.vcpu);
	if (f.vm >= 0)
		close(f.vm);
	if (f.mem)
		munmap(f.mem, MEM_SIZE);
	if (f.kvm >= 0)
		close(f.kvm);
	free(cpuid);
	return ret;
}
