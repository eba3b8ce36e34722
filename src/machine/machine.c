// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include "arch/x86/e820.h"
#include "arch/x86/layout.h"
#include "boot/builtin.h"
#include "boot/firmware.h"
#include "machine/coco.h"
#include "machine/devices.h"
#include "machine/exit_status.h"
#include "machine/limits.h"
#include "machine/machine.h"
#include "machine/vcpu.h"
#include "machine/vm.h"
#include "util/file.h"
#include "util/log.h"
#include "util/num.h"

#define DEFAULT_CMDLINE		"console=ttyS0"

static int read_image(const char *path, const char *what, uint64_t max,
		      bool allow_empty, uint8_t **data, size_t *len)
{
	int ret = file_read_flags(path, max, FILE_REGULAR, data, len);

	if (ret == -ESPIPE) {
		/* a stream (/dev/zero) would be read up to the limit */
		log_err(path, "the %s must be a regular file, not a pipe or device", what);
		return ret;
	}
	if (ret == -EFBIG) {
		char size[32];

		size_format(max, size, sizeof(size));
		log_err(path, "%s is larger than %s (%s)", what,
			max == FIRMWARE_MAX_SIZE ? "a firmware ROM can be" : "guest RAM", size);
		return ret;
	}
	if (ret) {
		log_err(path, "cannot read %s: %s", what, strerror(-ret));
		return ret;
	}
	if (!*len && !allow_empty) {
		log_err(path, "%s is empty", what);
		return -EINVAL;
	}
	return 0;
}

static int machine_load_images(struct machine *m)
{
	const struct vm_config *cfg = m->cfg;
	const char *kernel = cfg->pvh ? cfg->pvh : cfg->kernel;
	const char *why;
	int ret;

	if (cfg->firmware) {
		ret = read_image(cfg->firmware, "firmware", FIRMWARE_MAX_SIZE, false,
				 &m->firmware, &m->firmware_len);
		if (ret)
			return ret;
		ret = firmware_check(m->firmware_len, &why);
		if (ret) {
			log_err(cfg->firmware, "%s", why);
			return ret;
		}
	}
	if (kernel) {
		ret = read_image(kernel, "kernel", cfg->mem.size, false,
				 &m->kernel, &m->kernel_len);
		if (ret)
			return ret;
	} else if (!cfg->firmware) {
		m->builtin = true;
		m->kernel = (uint8_t *)builtin_guest_image(&m->kernel_len);
	}
	if (cfg->initramfs) {
		ret = read_image(cfg->initramfs, "initramfs", cfg->mem.size, true,
				 &m->initrd, &m->initrd_len);
		if (ret)
			return ret;
	}
	/*
	 * Without --cmdline: "console=ttyS0" for direct boots; nothing for
	 * the built-in guest and for firmware boots, as QEMU, so that kernel
	 * hashes of a confidential launch match QEMU's golden values (and
	 * `cvmm measure`, which hashes the same default).
	 */
	if (cfg->cmdline)
		m->cmdline = cfg->cmdline;
	else
		m->cmdline = (m->builtin || cfg->firmware) ? "" : DEFAULT_CMDLINE;
	return 0;
}

static void machine_free(struct machine *m)
{
	machine_coco_close(m);		/* before the vsock socket it serves on */
	machine_free_inputs(m);
	if (!m->builtin)
		free(m->kernel);
	free(m->initrd);
	free(m->firmware);
	vm_devices_host_close(m);	/* the locked disk images, the vsock socket */
	console_close(&m->console);
	if (m->debugcon_fd >= 0 && m->debugcon_fd != STDOUT_FILENO)
		close(m->debugcon_fd);
	cmos_destroy(&m->cmos);
	kvm_sys_close(&m->kvm);
}

static int open_debugcon(const struct console_config *dc)
{
	int fd;

	switch (dc->kind) {
	case CONSOLE_STDIO:
		return STDOUT_FILENO;
	case CONSOLE_FILE:
		fd = open(dc->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd < 0)
			log_err(dc->path, "cannot open debug console file: %s",
				strerror(errno));
		return fd;
	case CONSOLE_NONE:
	case CONSOLE_VIRTIO:
		break;
	}
	return -1;
}

/* Can this host hold the guest's RAM?  Says why not, up front. */
static int machine_check_memory(struct machine *m)
{
	const struct kvm_cpuid2 *cpuid;
	struct mem_limits l = { 0 };
	struct sysinfo si;
	unsigned int i;

	if (!kvm_get_supported_cpuid(&m->kvm, &cpuid))
		for (i = 0; i < cpuid->nent; i++)
			if (cpuid->entries[i].function == 0x80000008)
				l.phys_bits = cpuid->entries[i].eax & 0xff;
	l.nr_memslots = kvm_check_extension(&m->kvm, KVM_CAP_NR_MEMSLOTS);
	if (!sysinfo(&si))
		l.host_mem = ((uint64_t)si.totalram + si.totalswap) * si.mem_unit;
	return limits_check_memory(m->cfg->mem.size, &l);
}

struct wait_ctx {
	int epfd;
	int sigfd;
};

/*
 * Wait until the VM stops by itself, a signal arrives, or the user types
 * Ctrl-A x.  Console input is passed to COM1 meanwhile.
 */
static void machine_wait(struct machine *m, struct vm *vm, struct wait_ctx *w)
{
	struct epoll_event ev[4];
	int n, i;

	for (;;) {
		n = epoll_wait(w->epfd, ev, 4, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			vm_stop(vm, VM_HOST_ERROR, EXIT_ERROR, "epoll_wait: %s",
				strerror(errno));
			return;
		}
		for (i = 0; i < n; i++) {
			int fd = ev[i].data.fd;

			if (fd == vm->event_fd) {
				return;
			} else if (fd == w->sigfd) {
				struct signalfd_siginfo si;

				if (read(w->sigfd, &si, sizeof(si)) == sizeof(si)) {
					vm_stop(vm, VM_EXIT_STATUS,
						EXIT_SIGNAL_BASE + (int)si.ssi_signo, NULL);
					return;
				}
			} else if (fd == m->console.in_fd) {
				uint8_t in[256], out[256];
				enum console_action act;
				ssize_t r = read(fd, in, sizeof(in));
				size_t k;

				if (r <= 0) {
					/* stdin closed: stop reading it */
					epoll_ctl(w->epfd, EPOLL_CTL_DEL, fd, NULL);
					continue;
				}
				k = console_filter(&m->console, in, (size_t)r, out, &act);
				if (k && vm->dev.console.input)
					vm->dev.console.input(vm->dev.console.opaque, out, k);
				if (act == CONSOLE_QUIT) {
					vm_stop(vm, VM_EXIT_STATUS,
						EXIT_SIGNAL_BASE + SIGINT, NULL);
					return;
				}
			}
		}
	}
}

static int epoll_add(int epfd, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

	return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0 ? -errno : 0;
}

/*
 * Signals: SIGINT/SIGTERM/SIGHUP/SIGQUIT arrive through a signalfd only,
 * so the terminal is restored whichever stops cvmm; SIGPIPE is ignored
 * (main.c).  The main thread waits on them with epoll.
 */
static int machine_wait_init(struct wait_ctx *w)
{
	sigset_t sigs;

	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGHUP);
	sigaddset(&sigs, SIGQUIT);
	sigaddset(&sigs, SIG_VCPU_KICK);	/* unblocked in vCPU threads */
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	sigdelset(&sigs, SIG_VCPU_KICK);
	if (vcpu_signals_init()) {
		log_err("signals", "cannot install the vCPU kick handler");
		return -EINVAL;
	}
	w->sigfd = signalfd(-1, &sigs, SFD_CLOEXEC);
	w->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (w->sigfd < 0 || w->epfd < 0 || epoll_add(w->epfd, w->sigfd)) {
		log_err("epoll", "%s", strerror(errno));
		return -EINVAL;
	}
	return 0;
}

/* One boot: build, run, tear down.  Returns the outcome in *status. */
static bool machine_boot_once(struct machine *m, struct wait_ctx *w, int *status)
{
	struct vm vm;
	bool again = false;
	int ret;

	if (machine_coco_boot(m)) {	/* platform=sim: this boot's launch */
		*status = EXIT_ERROR;
		return false;
	}
	ret = vm_create(&vm, m);
	if (ret) {
		vm_destroy(&vm);
		*status = EXIT_ERROR;
		return false;
	}
	m->boots++;
	ret = epoll_add(w->epfd, vm.event_fd);
	if (!ret)
		ret = vm_start(&vm);
	if (ret) {
		vm_destroy(&vm);
		*status = EXIT_ERROR;
		return false;
	}
	machine_wait(m, &vm, w);
	vm_join(&vm);
	epoll_ctl(w->epfd, EPOLL_CTL_DEL, vm.event_fd, NULL);

	switch (vm.outcome) {
	case VM_POWEROFF:
		log_info("guest powered off");
		*status = EXIT_POWEROFF;
		break;
	case VM_RESET:
		if (m->cfg->no_reboot) {
			log_info("guest reset; --no-reboot: exiting");
			*status = EXIT_RESET;
		} else {
			log_info("guest reset: rebuilding the VM (boot %u)", m->boots + 1);
			again = true;
		}
		break;
	case VM_EXIT_STATUS:
		*status = vm.status;
		if (*status > EXIT_SIGNAL_BASE && log_level >= LOG_INFO) {
			unsigned int i;

			/* stopped from outside: say where the guest was */
			for (i = 0; i < vm.nr_vcpus; i++)
				vcpu_log_state(&vm.vcpus[i]);
		}
		break;
	case VM_RUNNING:
	case VM_TRIPLE_FAULT:
	case VM_KVM_ERROR:
	case VM_GUEST_FATAL:
	case VM_HOST_ERROR:
		log_err(NULL, "%s", vm.message[0] ? vm.message : "the VM stopped");
		*status = vm.status ? vm.status : EXIT_ERROR;
		break;
	}
	vm_destroy(&vm);
	return again;
}

/* Build the VM once on the simulated platform and report; never run it. */
static int machine_dry_run(struct machine *m)
{
	struct vm vm;
	int ret;

	ret = machine_coco_dry_run_open(m);
	if (ret)
		return EXIT_ERROR;
	ret = vm_create(&vm, m);
	if (!ret)
		ret = machine_coco_dry_run_report(&vm);
	vm_destroy(&vm);
	return ret ? EXIT_ERROR : 0;
}

int machine_run(const struct vm_config *cfg)
{
	struct machine m;
	struct wait_ctx w = { .epfd = -1, .sigfd = -1 };
	uint64_t low, high;
	const char *why = "";
	int ret, status = EXIT_ERROR;
	long lim;

	/* every vsock connection holds a descriptor: allow what the host allows */
	lim = fd_limit_raise();
	if (lim < 0)
		log_debug("cannot raise RLIMIT_NOFILE: %s", strerror((int)-lim));
	memset(&m, 0, sizeof(m));
	m.cfg = cfg;
	m.kvm.fd = -1;
	m.debugcon_fd = -1;
	m.console.out_fd = -1;
	m.console.in_fd = -1;
	e820_ram_split(cfg->mem.size, &low, &high);
	cmos_init(&m.cmos, low, high, cfg->cpu.count);

	ret = machine_load_images(&m);
	if (!ret)
		ret = machine_read_inputs(&m);
	if (!ret)
		ret = vm_devices_host_open(&m);
	if (!ret && !cfg->dry_run)
		ret = machine_coco_open(&m);
	if (ret)
		goto out;
	if (cfg->dry_run) {
		status = machine_dry_run(&m);
		goto out;
	}
	ret = kvm_sys_open(&m.kvm, cfg->dev_kvm, &why);
	if (ret) {
		log_err(cfg->dev_kvm ? cfg->dev_kvm : "/dev/kvm", "%s", why);
		goto out;
	}
	if (kvm_check_extension(&m.kvm, KVM_CAP_IMMEDIATE_EXIT) <= 0) {
		log_err("/dev/kvm", "KVM lacks KVM_CAP_IMMEDIATE_EXIT (Linux 4.11 or later needed)");
		goto out;
	}
	if (machine_check_memory(&m))
		goto out;
	m.debugcon_fd = open_debugcon(&cfg->debugcon);
	if (cfg->debugcon.kind == CONSOLE_FILE && m.debugcon_fd < 0)
		goto out;

	if (machine_wait_init(&w))
		goto out;
	ret = console_open(&m.console, &cfg->console);
	if (ret)
		goto out;
	if (m.console.in_fd >= 0)
		epoll_add(w.epfd, m.console.in_fd);

	while (machine_boot_once(&m, &w, &status))
		;
out:
	if (w.sigfd >= 0)
		close(w.sigfd);
	if (w.epfd >= 0)
		close(w.epfd);
	machine_free(&m);
	return status;
}
