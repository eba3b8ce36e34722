// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
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
#include "machine/igvm_boot.h"
#include "machine/coco.h"
#include "machine/devices.h"
#include "machine/exit_status.h"
#include "machine/limits.h"
#include "machine/machine_internal.h"
#include "machine/machine_sandbox.h"
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

	if (cfg->igvm) {
		ret = igvm_boot_read(m);
		if (ret)
			return ret;
	} else if (cfg->firmware) {
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
	} else if (!cfg->firmware && !cfg->igvm) {
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
		m->cmdline = (m->builtin || cfg->firmware || cfg->igvm) ? "" : DEFAULT_CMDLINE;
	return 0;
}

/* Undo machine_setup(): the images, inputs, host ends, console, KVM. */
void machine_release(struct machine *m)
{
	machine_coco_close(m);		/* before the vsock socket it serves on */
	machine_free_inputs(m);
	if (!m->builtin)
		free(m->kernel);
	free(m->initrd);
	free(m->firmware);
	igvm_boot_free(m->igvm);
	m->igvm = NULL;
	m->kernel = m->initrd = m->firmware = NULL;
	m->kernel_len = m->initrd_len = m->firmware_len = 0;
	m->builtin = false;
	vm_devices_host_close(m);	/* the locked disk images, the vsock socket */
	if (console_poll_fd(&m->console) >= 0 && m->epfd >= 0)
		epoll_ctl(m->epfd, EPOLL_CTL_DEL, console_poll_fd(&m->console), NULL);
	console_close(&m->console);
	m->console.out_fd = m->console.in_fd = -1;
	if (m->debugcon_fd >= 0 && m->debugcon_fd != STDOUT_FILENO)
		close(m->debugcon_fd);
	m->debugcon_fd = -1;
	if (m->set_up)
		cmos_destroy(&m->cmos);
	kvm_sys_close(&m->kvm);
	m->kvm.fd = -1;
	m->set_up = false;
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
	default:	/* none; the others are --console's only */
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
static int machine_wait_init(struct machine *m)
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
	m->sigfd = signalfd(-1, &sigs, SFD_CLOEXEC);
	m->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (m->sigfd < 0 || m->epfd < 0 || epoll_add(m->epfd, m->sigfd)) {
		log_err("epoll", "%s", strerror(errno));
		return -EINVAL;
	}
	return 0;
}

/* What a VM that runs needs besides its inputs: checks, debug console, console. */
static int machine_setup_run(struct machine *m)
{
	const struct vm_config *cfg = m->cfg;
	int ret;

	if (kvm_check_extension(&m->kvm, KVM_CAP_IMMEDIATE_EXIT) <= 0) {
		log_err("/dev/kvm", "KVM lacks KVM_CAP_IMMEDIATE_EXIT (Linux 4.11 or later needed)");
		return -ENOTSUP;
	}
	ret = machine_check_memory(m);
	if (ret)
		return ret;
	m->debugcon_fd = open_debugcon(&cfg->debugcon);
	if (cfg->debugcon.kind == CONSOLE_FILE && m->debugcon_fd < 0)
		return -EIO;
	ret = console_open(&m->console, &cfg->console);
	if (!ret && console_poll_fd(&m->console) >= 0)
		epoll_add(m->epfd, console_poll_fd(&m->console));
	return ret;
}

/* What boots need, once: images, inputs, host ends, KVM (or the simulator), console. */
int machine_setup(struct machine *m)
{
	const struct vm_config *cfg = m->cfg;
	uint64_t low, high;
	const char *why = "";
	int ret;

	e820_ram_split(cfg->mem.size, &low, &high);
	cmos_init(&m->cmos, low, high, cfg->cpu.count);
	m->set_up = true;
	ret = machine_load_images(m);
	if (!ret)
		ret = machine_read_inputs(m);
	if (!ret)
		ret = vm_devices_host_open(m);
	if (!ret)
		ret = machine_open_taps(m);
	if (!ret && !cfg->dry_run)
		ret = machine_coco_open(m);	/* certs=, platform=sim */
	if (!ret && cfg->dry_run) {
		ret = machine_coco_dry_run_open(m);
	} else if (!ret) {
		ret = kvm_sys_open(&m->kvm, cfg->dev_kvm, &why);
		if (ret)
			log_err(cfg->dev_kvm ? cfg->dev_kvm : "/dev/kvm", "%s", why);
	}
	/* a dry run executes nothing: no guest RAM to check, no console to open */
	if (!ret && !cfg->dry_run)
		ret = machine_setup_run(m);
	if (ret)
		machine_release(m);
	return ret ? ret : 0;
}

/* Build the VM of one boot and start its vCPUs; on failure nothing is left. */
int machine_vm_start(struct machine *m)
{
	struct vm *vm = calloc(1, sizeof(*vm));
	int ret;

	if (!vm)
		return log_errno("vm", -ENOMEM);
	ret = machine_coco_boot(m);	/* platform=sim: this boot's launch */
	if (ret) {
		free(vm);
		return ret;
	}
	ret = vm_create(vm, m);
	if (!ret) {
		m->boots++;
		ret = epoll_add(m->epfd, vm->event_fd);
	}
	if (!ret) {
		vcpu_gate_reset(&m->gate);
		m->vm = vm;
		ret = vm_start(vm);
		if (ret)
			m->vm = NULL;
	}
	if (ret) {
		vcpu_gate_resume(&m->gate);	/* none may wait on it */
		vm_destroy(vm);
		free(vm);
		return ret;
	}
	return 0;
}

/* Stop the vCPU threads, parked ones too, and join them. */
static void machine_vm_join(struct machine *m)
{
	atomic_store(&m->vm->stopping, true);
	vcpu_gate_resume(&m->gate);	/* parked vCPUs wake, see stopping and end */
	vm_join(m->vm);
}

/* Stop the vCPUs, leave the VM's outcome in *@out, tear it down. */
void machine_vm_end(struct machine *m, struct vm *out)
{
	struct vm *vm = m->vm;

	if (!vm)
		return;
	machine_vm_join(m);
	epoll_ctl(m->epfd, EPOLL_CTL_DEL, vm->event_fd, NULL);
	if (out) {
		out->outcome = vm->outcome;
		out->status = vm->status;
		memcpy(out->message, vm->message, sizeof(out->message));
	}
	vm_destroy(vm);
	free(vm);
	m->vm = NULL;
}

/* Where the vCPUs were, for a VM stopped from outside (info level). */
static void machine_log_vcpus(struct machine *m)
{
	unsigned int i;

	if (log_level < LOG_INFO)
		return;
	machine_vm_join(m);
	for (i = 0; i < m->vm->nr_vcpus; i++)
		vcpu_log_state(&m->vm->vcpus[i]);
}

/*
 * The VM stopped by itself (or was stopped by a signal): a reset builds it
 * again, anything else ends the machine with its exit status.
 */
static void machine_vm_stopped(struct machine *m)
{
	struct vm res;
	bool again = false;

	if (m->vm->outcome == VM_EXIT_STATUS && m->vm->status > EXIT_SIGNAL_BASE)
		machine_log_vcpus(m);
	machine_vm_end(m, &res);
	m->exit_now = true;
	switch (res.outcome) {
	case VM_POWEROFF:
		log_info("guest powered off");
		m->exit_status = EXIT_POWEROFF;
		break;
	case VM_RESET:
		if (m->cfg->no_reboot) {
			log_info("guest reset; --no-reboot: exiting");
			m->exit_status = EXIT_RESET;
		} else {
			log_info("guest reset: rebuilding the VM (boot %u)", m->boots + 1);
			again = true;
		}
		break;
	case VM_EXIT_STATUS:
		m->exit_status = res.status;
		break;
	case VM_RUNNING:
	case VM_TRIPLE_FAULT:
	case VM_KVM_ERROR:
	case VM_GUEST_FATAL:
	case VM_HOST_ERROR:
		log_err(NULL, "%s", res.message[0] ? res.message : "the VM stopped");
		m->exit_status = res.status ? res.status : EXIT_ERROR;
		break;
	}
	if (again) {
		m->exit_now = machine_vm_start(m) != 0;
		m->exit_status = EXIT_ERROR;
		m->state = MACHINE_RUNNING;
	}
}

/* Console input for the guest, clients, relays; Ctrl-A x stops it. */
static void machine_console_input(struct machine *m)
{
	enum console_action act;

	console_dispatch(&m->console, m->vm ? m->vm->dev.console.input : NULL,
			 m->vm ? m->vm->dev.console.opaque : NULL, &act);
	if (act == CONSOLE_QUIT)
		machine_stop_signal(m, SIGINT);
}

/* A signal (or Ctrl-A x) ends the machine with status 128 + N. */
void machine_stop_signal(struct machine *m, int sig)
{
	if (m->vm) {
		vm_stop(m->vm, VM_EXIT_STATUS, EXIT_SIGNAL_BASE + sig, NULL);
		return;		/* the VM's stop event ends the loop */
	}
	m->exit_now = true;
	m->exit_status = EXIT_SIGNAL_BASE + sig;
}

/*
 * The main thread: signals, console input, the VM's stop event, the
 * control API's commands, until the machine ends.
 */
static int machine_loop(struct machine *m)
{
	struct epoll_event ev[4];
	int n, i;

	while (!m->exit_now) {
		n = epoll_wait(m->epfd, ev, 4, -1);
		if (n < 0 && errno != EINTR) {
			log_err("epoll_wait", "%s", strerror(errno));
			return EXIT_ERROR;
		}
		for (i = 0; i < n && !m->exit_now; i++) {
			int fd = ev[i].data.fd;

			if (m->vm && fd == m->vm->event_fd) {
				machine_vm_stopped(m);
			} else if (fd == m->sigfd) {
				struct signalfd_siginfo si;

				if (read(m->sigfd, &si, sizeof(si)) == sizeof(si))
					machine_stop_signal(m, (int)si.ssi_signo);
			} else if (fd == console_poll_fd(&m->console)) {
				machine_console_input(m);
			} else if (m->ctl && fd == machine_ctl_fd(m->ctl)) {
				machine_ctl_serve(m);
			}
		}
	}
	return m->exit_status;
}

/* Build the VM once on the simulated platform and report; never run it. */
static int machine_dry_run(struct machine *m)
{
	struct vm vm;
	int ret;

	ret = vm_create(&vm, m);
	if (!ret)
		ret = machine_coco_dry_run_report(&vm);
	vm_destroy(&vm);
	return ret ? EXIT_ERROR : 0;
}

static void machine_init(struct machine *m)
{
	memset(m, 0, sizeof(*m));
	m->kvm.fd = -1;
	m->debugcon_fd = -1;
	m->console.out_fd = -1;
	m->console.in_fd = -1;
	m->epfd = m->sigfd = -1;
	vcpu_gate_init(&m->gate);
}

/* A VM at start: set up, then booted (or, --dry-run without an API, reported). */
static int machine_first_boot(struct machine *m, const struct machine_serve_opts *o)
{
	if (o->cfg->dry_run && !o->ctl_start && o->cfg->coco.type == COCO_NONE) {
		log_err("--dry-run", "runs a confidential launch: add --coco");
		return EXIT_ERROR;
	}
	if (machine_setup(m))
		return EXIT_ERROR;
	/* set up: from here on the sandbox (docs/sandbox.md) */
	if (machine_sandbox_lock(m, o->ctl_start != NULL))
		return EXIT_ERROR;
	if (o->cfg->dry_run && !o->ctl_start) {
		m->exit_now = true;
		return machine_dry_run(m);
	}
	m->state = MACHINE_CREATED;
	if (!o->boot)
		return 0;
	if (machine_vm_start(m))
		return EXIT_ERROR;
	m->state = MACHINE_RUNNING;
	/*
	 * Set-up is over: the heap's top holds pages the VM's build touched
	 * and freed (the bzImage zero page, ACPI table buffers; with vsock,
	 * opendir()'s buffer that counted the open descriptors), which glibc
	 * keeps under its 128 KiB trim threshold.  Given back: 4 KiB of RSS
	 * with the idle guest, 8 KiB with blk+net+rng+vsock (bench/startup.py
	 * --only rss), for 11-18 us (timed around it; not seen in task-clock).
	 */
	malloc_trim(0);
	return 0;
}

int machine_serve(const struct machine_serve_opts *o)
{
	struct machine m;
	int status = EXIT_ERROR;
	long lim;

	/* every vsock connection holds a descriptor: allow what the host allows */
	lim = fd_limit_raise();
	if (lim < 0)
		log_debug("cannot raise RLIMIT_NOFILE: %s", strerror((int)-lim));
	machine_init(&m);
	if (machine_wait_init(&m) || machine_sandbox_arm(o->cfg, o->ctl_start != NULL))
		goto out;
	if (o->ctl_start && machine_ctl_open(&m))
		goto out;
	if (o->cfg) {
		m.cfg = m.cfg_rw = o->cfg;
		m.cfg_owned = o->own;
		status = machine_first_boot(&m, o);
		if (status || m.exit_now)
			goto out;
	} else if (machine_sandbox_lock(&m, true)) {
		goto out;	/* no VM yet: its files come through the API */
	}
	/* after the lock: the API thread inherits it */
	if (o->ctl_start && o->ctl_start(o->opaque, m.ctl)) {
		status = EXIT_ERROR;
		goto out;
	}
	status = machine_loop(&m);
out:
	if (o->ctl_stop && m.ctl) {
		machine_ctl_close(m.ctl);
		o->ctl_stop(o->opaque);
	}
	machine_vm_end(&m, NULL);
	machine_release(&m);
	machine_ctl_free(m.ctl);
	if (m.cfg_owned) {
		config_free(m.cfg_rw);
		free(m.cfg_rw);
	}
	if (m.sigfd >= 0)
		close(m.sigfd);
	if (m.epfd >= 0)
		close(m.epfd);
	vcpu_gate_destroy(&m.gate);
	return status;
}

int machine_run(const struct vm_config *cfg)
{
	struct machine_serve_opts o = { .cfg = (struct vm_config *)cfg, .boot = true };

	return machine_serve(&o);
}
