// SPDX-License-Identifier: GPL-2.0-only
/*
 * The machine description shared by `cvmm boot` and `cvmm measure`:
 * --memory, --cpu, --console/--debugcon, --debug-exit, --fw-cfg, --coco,
 * --hypervisor and the cross-option checks, with the exact one-line
 * errors users see.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "machine/config.h"
#include "util/log.h"
#include "stderr_capture.h"

enum { OPT_FIRST_LONG = 0x100 };

/* The id of a long option's row in config_opts[]. */
static int opt_id(const char *name)
{
	unsigned int i;

	for (i = 0; config_opts[i].name; i++)
		if (!strcmp(config_opts[i].name, name))
			return config_opts[i].id;
	fail_msg("no option --%s", name);
	return -1;
}

/* Apply --@name=@arg; return the result and what was printed. */
static int apply(struct vm_config *cfg, const char *name, const char *arg,
		 struct capture *cap)
{
	int ret;

	capture_start(cap);
	ret = config_parse_option(cfg, opt_id(name), arg);
	capture_stop(cap);
	return ret;
}

/* config_finish() must fail with exactly @msg. */
static void capture_config_finish(struct vm_config *cfg, int err, const char *msg)
{
	struct capture cap;
	int ret;

	capture_start(&cap);
	ret = config_finish(cfg);
	capture_stop(&cap);
	assert_int_equal(ret, err);
	assert_string_equal(cap.text, msg);
}

/* The option must be accepted silently. */
static void ok(struct vm_config *cfg, const char *name, const char *arg)
{
	struct capture cap;

	assert_int_equal(apply(cfg, name, arg, &cap), 1);
	assert_string_equal(cap.text, "");
}

/* The option must be refused with exactly @msg. */
static void bad(struct vm_config *cfg, const char *name, const char *arg,
		int err, const char *msg)
{
	struct capture cap;

	assert_int_equal(apply(cfg, name, arg, &cap), err);
	assert_string_equal(cap.text, msg);
}

static void test_defaults(void **state)
{
	struct vm_config cfg;

	config_init(&cfg);
	assert_int_equal(cfg.mem.size, 512ULL << 20);
	assert_int_equal(cfg.mem.backend, MEM_BACKEND_ANON);
	assert_false(cfg.mem.shared);
	assert_int_equal(cfg.cpu.count, 1);
	assert_int_equal(cfg.cpu.nr_features, 0);
	assert_int_equal(cfg.console.kind, CONSOLE_STDIO);
	assert_null(cfg.console.path);
	assert_int_equal(cfg.debugcon.kind, CONSOLE_NONE);
	assert_false(cfg.debug_exit);
	assert_int_equal(cfg.debug_exit_port, 0xf4);
	assert_false(cfg.no_reboot);
	assert_int_equal(cfg.coco.type, COCO_NONE);
	assert_null(cfg.kernel);
	assert_null(cfg.cmdline);
	assert_int_equal(cfg.nr_fw_cfg, 0);
	assert_int_equal(config_finish(&cfg), 0);
	config_free(&cfg);
}

static void test_option_table(void **state)
{
	char *help = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&help, &len);
	unsigned int i;

	const struct arg_group groups[] = { { "machine", config_opts }, { NULL, NULL } };

	for (i = 0; config_opts[i].name; i++)
		;
	assert_true(i >= 15);
	assert_int_equal(opt_id("memory"), 'm');
	assert_int_equal(opt_id("cpu"), 'p');
	assert_int_equal(opt_id("kernel"), 'k');
	assert_int_equal(opt_id("initramfs"), 'i');
	assert_int_equal(opt_id("cmdline"), 'c');
	assert_int_equal(opt_id("cmd-line"), 'c');
	assert_int_equal(opt_id("firmware"), 'f');
	assert_true(opt_id("pvh") >= OPT_FIRST_LONG);
	assert_int_equal(args_find(groups, "memory")->short_name, 'm');
	assert_int_equal(args_find(groups, "kernel")->short_name, 'k');
	/* every option but the hidden alias is documented in --help */
	assert_non_null(f);
	args_print_help(f, groups);
	fclose(f);
	for (i = 0; config_opts[i].name; i++) {
		char want[64];

		snprintf(want, sizeof(want), "--%s", config_opts[i].name);
		if (!strcmp(config_opts[i].name, "cmd-line")) {
			assert_true(config_opts[i].flags & ARG_HIDDEN);
			continue;
		}
		if (!strstr(help, want))
			fail_msg("--help does not mention %s", want);
	}
	free(help);
	/* unknown ids are not ours */
	{
		struct vm_config cfg;

		config_init(&cfg);
		assert_int_equal(config_parse_option(&cfg, 'z', "x"), 0);
		assert_int_equal(config_parse_option(&cfg, 0x1ff, "x"), 0);
		config_free(&cfg);
	}
}

static void test_memory(void **state)
{
	struct vm_config cfg;

	config_init(&cfg);
	ok(&cfg, "memory", "size=1G");
	assert_int_equal(cfg.mem.size, 1ULL << 30);
	assert_int_equal(cfg.mem.backend, MEM_BACKEND_ANON);
	ok(&cfg, "memory", "size=2048M,backend=memfd,shared=on");
	assert_int_equal(cfg.mem.size, 2ULL << 30);
	assert_int_equal(cfg.mem.backend, MEM_BACKEND_MEMFD);
	assert_true(cfg.mem.shared);
	ok(&cfg, "memory", "shared=off,backend=anon");
	assert_int_equal(cfg.mem.size, 2ULL << 30);	/* kept */
	assert_int_equal(cfg.mem.backend, MEM_BACKEND_ANON);
	assert_false(cfg.mem.shared);
	ok(&cfg, "memory", "size=0x100000000");
	assert_int_equal(cfg.mem.size, 1ULL << 32);
	ok(&cfg, "memory", "size=2M");
	assert_int_equal(cfg.mem.size, 2ULL << 20);
	ok(&cfg, "memory", "size=5GiB");
	assert_int_equal(cfg.mem.size, 5ULL << 30);
	ok(&cfg, "memory", "size=64T");
	assert_int_equal(cfg.mem.size, 1ULL << 46);
	config_free(&cfg);
}

static void test_memory_errors(void **state)
{
	struct vm_config cfg;

	config_init(&cfg);
	bad(&cfg, "memory", "size=abc", -EINVAL,
	    "cvmm: --memory: size=abc: not a size (use e.g. 512M, 2G, 0x1000)\n");
	bad(&cfg, "memory", "size=1.5G", -EINVAL,
	    "cvmm: --memory: size=1.5G: not a size (use e.g. 512M, 2G, 0x1000)\n");
	bad(&cfg, "memory", "size=-1G", -EINVAL,
	    "cvmm: --memory: size=-1G: not a size (use e.g. 512M, 2G, 0x1000)\n");
	bad(&cfg, "memory", "size=", -EINVAL,
	    "cvmm: --memory: size=: not a size (use e.g. 512M, 2G, 0x1000)\n");
	bad(&cfg, "memory", "size=99999999999999999999", -ERANGE,
	    "cvmm: --memory: size=99999999999999999999: size too large\n");
	bad(&cfg, "memory", "size=20000000T", -ERANGE,
	    "cvmm: --memory: size=20000000T: size too large\n");
	bad(&cfg, "memory", "size=1M", -EINVAL,
	    "cvmm: --memory: size must be a multiple of 4K and at least 2M\n");
	bad(&cfg, "memory", "size=0", -EINVAL,
	    "cvmm: --memory: size must be a multiple of 4K and at least 2M\n");
	bad(&cfg, "memory", "size=4097K", -EINVAL,
	    "cvmm: --memory: size must be a multiple of 4K and at least 2M\n");
	bad(&cfg, "memory", "size=65T", -EINVAL,
	    "cvmm: --memory: size larger than 64T is not supported\n");
	bad(&cfg, "memory", "size=1G,backend=hugetlb", -EINVAL,
	    "cvmm: --memory: backend=hugetlb: expected anon or memfd\n");
	bad(&cfg, "memory", "shared=maybe", -EINVAL,
	    "cvmm: --memory: shared=maybe: expected on or off\n");
	bad(&cfg, "memory", "size=1G,bogus=1", -EINVAL,
	    "cvmm: --memory: unknown option 'bogus'\n");
	/* issue 12: QEMU's "-m 512M" gets a hint, not "unexpected" */
	bad(&cfg, "memory", "1G", -EINVAL, "cvmm: --memory: '1G': use --memory size=1G\n");
	bad(&cfg, "memory", "512M,backend=memfd", -EINVAL,
	    "cvmm: --memory: '512M': use --memory size=512M\n");
	bad(&cfg, "memory", "lots", -EINVAL, "cvmm: --memory: unexpected 'lots'\n");
	bad(&cfg, "memory", ",size=1G", -EINVAL,
	    "cvmm: --memory: empty option in ',size=1G'\n");
	bad(&cfg, "memory", "size=1G,", -EINVAL,
	    "cvmm: --memory: empty option in 'size=1G,'\n");
	bad(&cfg, "memory", "=1G", -EINVAL, "cvmm: --memory: empty option in '=1G'\n");
	config_free(&cfg);
}

static void test_cpu(void **state)
{
	struct vm_config cfg;
	struct capture cap;

	config_init(&cfg);
	ok(&cfg, "cpu", "count=4");
	assert_int_equal(cfg.cpu.count, 4);
	assert_int_equal(cfg.cpu.nr_features, 0);
	ok(&cfg, "cpu", "count=0x10,-cx16,+xsaveerptr");
	assert_int_equal(cfg.cpu.count, 16);
	assert_int_equal(cfg.cpu.nr_features, 2);
	assert_string_equal(cfg.cpu.features[0], "-cx16");
	assert_string_equal(cfg.cpu.features[1], "+xsaveerptr");
	/* a second --cpu keeps the count and adds features, in order */
	ok(&cfg, "cpu", "-smap,+tsc-deadline");
	assert_int_equal(cfg.cpu.count, 16);
	assert_int_equal(cfg.cpu.nr_features, 4);
	assert_string_equal(cfg.cpu.features[2], "-smap");
	assert_string_equal(cfg.cpu.features[3], "+tsc-deadline");
	ok(&cfg, "cpu", "count=1");
	ok(&cfg, "cpu", "count=64");
	assert_int_equal(cfg.cpu.count, 64);
	/* a repeated key: warned about, the last wins */
	assert_int_equal(apply(&cfg, "cpu", "count=2,count=3", &cap), 1);
	assert_string_equal(cap.text,
			    "cvmm: warning: --cpu: 'count' given more than once; using the last\n");
	assert_int_equal(cfg.cpu.count, 3);
	config_free(&cfg);
}

static void test_cpu_errors(void **state)
{
	struct vm_config cfg;

	config_init(&cfg);
	bad(&cfg, "cpu", "count=0", -EINVAL, "cvmm: --cpu: count=0: must be 1 to 64\n");
	bad(&cfg, "cpu", "count=65", -EINVAL, "cvmm: --cpu: count=65: must be 1 to 64\n");
	bad(&cfg, "cpu", "count=x", -EINVAL, "cvmm: --cpu: count=x: not a number\n");
	bad(&cfg, "cpu", "count=2x", -EINVAL, "cvmm: --cpu: count=2x: not a number\n");
	bad(&cfg, "cpu", "count=99999999999999999999", -ERANGE,
	    "cvmm: --cpu: count=99999999999999999999: number too large\n");
	bad(&cfg, "cpu", "count=18446744073709551617", -ERANGE,
	    "cvmm: --cpu: count=18446744073709551617: number too large\n");
	bad(&cfg, "cpu", "count=4294967297", -EINVAL,
	    "cvmm: --cpu: count=4294967297: must be 1 to 64\n");
	bad(&cfg, "cpu", "+", -EINVAL,
	    "cvmm: --cpu: '+': expected count=N, model=NAME, sig=0xHEX, +feature or -feature\n");
	bad(&cfg, "cpu", "cx16", -EINVAL,
	    "cvmm: --cpu: 'cx16': expected count=N, model=NAME, sig=0xHEX, +feature or -feature\n");
	bad(&cfg, "cpu", "2", -EINVAL, "cvmm: --cpu: '2': use --cpu count=2\n");
	bad(&cfg, "cpu", "4,+x2apic", -EINVAL, "cvmm: --cpu: '4': use --cpu count=4\n");
	bad(&cfg, "cpu", "count=2,threads=2", -EINVAL,
	    "cvmm: --cpu: unknown option 'threads'\n");
	bad(&cfg, "cpu", "count=2,cont=2", -EINVAL,
	    "cvmm: --cpu: unknown option 'cont'; did you mean 'count'?\n");
	/* feature names are checked here, with a suggestion */
	bad(&cfg, "cpu", "+warp-drive", -EINVAL,
	    "cvmm: --cpu: unknown CPU feature 'warp-drive' (cvmm boot --help lists them)\n");
	bad(&cfg, "cpu", "-avx22", -EINVAL,
	    "cvmm: --cpu: unknown CPU feature 'avx22'; did you mean '-avx2'?\n");
	assert_int_equal(cfg.cpu.nr_features, 0);
	config_free(&cfg);
}

/* --cpu model=NAME|host / sig=0xHEX: the one source of the vCPU signature */
static void test_cpu_identity(void **state)
{
	struct vm_config cfg;

	config_init(&cfg);
	assert_false(cfg.cpu.have_sig);
	ok(&cfg, "cpu", "count=2,model=EPYC-Milan");
	assert_true(cfg.cpu.have_sig);
	assert_int_equal(cfg.cpu.sig, 0xa00f11);
	assert_string_equal(cfg.cpu.model, "EPYC-Milan");
	ok(&cfg, "cpu", "model=epyc-v4");		/* as QEMU: any case */
	assert_int_equal(cfg.cpu.sig, 0x800f12);
	assert_int_equal(cfg.cpu.count, 2);		/* kept */
	ok(&cfg, "cpu", "model=host");
	assert_false(cfg.cpu.have_sig);
	assert_string_equal(cfg.cpu.model, "host");
	ok(&cfg, "cpu", "sig=0xa10f11");
	assert_true(cfg.cpu.have_sig);
	assert_int_equal(cfg.cpu.sig, 0xa10f11);
	bad(&cfg, "cpu", "model=EPYC-Milam", -EINVAL,
	    "cvmm: --cpu: unknown CPU model 'EPYC-Milam'; did you mean EPYC-Milan?\n");
	bad(&cfg, "cpu", "model=Skylake", -EINVAL,
	    "cvmm: --cpu: unknown CPU model 'Skylake' (e.g. EPYC-v4, EPYC-Milan, EPYC-Genoa, "
	    "host; cvmm measure --help lists them)\n");
	bad(&cfg, "cpu", "sig=0x1ffffffff", -EINVAL,
	    "cvmm: --cpu: sig=0x1ffffffff: a CPUID signature is 32 bits, not zero\n");
	bad(&cfg, "cpu", "model=EPYC,sig=0x800f12", -EINVAL,
	    "cvmm: --cpu: give model=NAME or sig=0x800f12, not both\n");
	/* a TD's signature is the TDX module's */
	ok(&cfg, "firmware", "fw.rom");
	ok(&cfg, "coco", "tdx");
	ok(&cfg, "cpu", "model=EPYC-Milan");
	capture_config_finish(&cfg, -EINVAL, "cvmm: --cpu: a TD's CPUID signature is the TDX "
			      "module's: model= and sig= are for SEV guests\n");
	ok(&cfg, "cpu", "model=host");
	assert_int_equal(config_finish(&cfg), 0);
	config_free(&cfg);
}

static void test_console(void **state)
{
	struct vm_config cfg;

	config_init(&cfg);
	ok(&cfg, "console", "none");
	assert_int_equal(cfg.console.kind, CONSOLE_NONE);
	ok(&cfg, "console", "file,path=/tmp/console.log");
	assert_int_equal(cfg.console.kind, CONSOLE_FILE);
	assert_string_equal(cfg.console.path, "/tmp/console.log");
	ok(&cfg, "console", "log,path=a,,b");		/* ",," is a comma */
	assert_int_equal(cfg.console.kind, CONSOLE_FILE);
	assert_string_equal(cfg.console.path, "a,b");
	ok(&cfg, "console", "stdio");
	assert_int_equal(cfg.console.kind, CONSOLE_STDIO);
	assert_null(cfg.console.path);
	ok(&cfg, "debugcon", "file,path=fw.log");
	assert_int_equal(cfg.debugcon.kind, CONSOLE_FILE);
	assert_string_equal(cfg.debugcon.path, "fw.log");
	assert_int_equal(cfg.console.kind, CONSOLE_STDIO);

	bad(&cfg, "console", "file", -EINVAL, "cvmm: --console: file needs path=PATH\n");
	bad(&cfg, "console", "file,path=", -EINVAL,
	    "cvmm: --console: file needs path=PATH\n");
	bad(&cfg, "console", "serial", -EINVAL,
	    "cvmm: --console: unknown console 'serial' (expected stdio, file, socket, pty, none or virtio)\n");
	bad(&cfg, "console", "path=x", -EINVAL,
	    "cvmm: --console: expected stdio, file,path=PATH, socket,path=PATH, pty, none or virtio\n");
	bad(&cfg, "console", "", -EINVAL,
	    "cvmm: --console: expected stdio, file,path=PATH, socket,path=PATH, pty, none or virtio\n");
	bad(&cfg, "console", "stdio,path=x", -EINVAL,
	    "cvmm: --console: unknown option 'path'\n");
	bad(&cfg, "console", "stdio,raw", -EINVAL, "cvmm: --console: unexpected 'raw'\n");
	bad(&cfg, "debugcon", "tcp", -EINVAL,
	    "cvmm: --debugcon: unknown console 'tcp' (expected stdio, file, none)\n");
	/* virtio is for the guest console only */
	bad(&cfg, "debugcon", "virtio", -EINVAL,
	    "cvmm: --debugcon: unknown console 'virtio' (expected stdio, file, none)\n");
	ok(&cfg, "console", "virtio");
	assert_int_equal(cfg.console.kind, CONSOLE_VIRTIO);
	assert_null(cfg.console.path);
	config_free(&cfg);
}

static void test_debug_exit(void **state)
{
	struct vm_config cfg;

	config_init(&cfg);
	ok(&cfg, "debug-exit", NULL);
	assert_true(cfg.debug_exit);
	assert_int_equal(cfg.debug_exit_port, 0xf4);
	ok(&cfg, "debug-exit", "iobase=0x501");
	assert_int_equal(cfg.debug_exit_port, 0x501);
	ok(&cfg, "debug-exit", "iobase=0xffff");
	assert_int_equal(cfg.debug_exit_port, 0xffff);
	ok(&cfg, "debug-exit", "");
	assert_int_equal(cfg.debug_exit_port, 0xffff);

	bad(&cfg, "debug-exit", "iobase=0x10000", -EINVAL,
	    "cvmm: --debug-exit: iobase=0x10000: not an I/O port\n");
	bad(&cfg, "debug-exit", "iobase=port", -EINVAL,
	    "cvmm: --debug-exit: iobase=port: not a number\n");
	bad(&cfg, "debug-exit", "iosize=1", -EINVAL,
	    "cvmm: --debug-exit: unknown option 'iosize'\n");
	/* the port is only changed by a valid value */
	assert_int_equal(cfg.debug_exit_port, 0xffff);
	config_free(&cfg);
}

static void test_fw_cfg(void **state)
{
	struct vm_config cfg;
	char name[80];

	config_init(&cfg);
	ok(&cfg, "fw-cfg", "name=opt/org.example/greeting,string=hello,, world");
	ok(&cfg, "fw-cfg", "file=/etc/hostname,name=opt/host");
	assert_int_equal(cfg.nr_fw_cfg, 2);
	assert_string_equal(cfg.fw_cfg[0].name, "opt/org.example/greeting");
	assert_string_equal(cfg.fw_cfg[0].string, "hello, world");
	assert_null(cfg.fw_cfg[0].file);
	assert_string_equal(cfg.fw_cfg[1].name, "opt/host");
	assert_string_equal(cfg.fw_cfg[1].file, "/etc/hostname");
	assert_null(cfg.fw_cfg[1].string);
	ok(&cfg, "fw-cfg", "name=opt/empty,string=");
	assert_string_equal(cfg.fw_cfg[2].string, "");

	/* 55 bytes is the longest name (56 with the NUL) */
	memset(name, 'n', sizeof(name));
	memcpy(name, "name=", 5);
	strcpy(name + 5 + 55, ",string=x");
	ok(&cfg, "fw-cfg", name);
	assert_int_equal(strlen(cfg.fw_cfg[3].name), 55);
	memset(name, 'n', sizeof(name));
	memcpy(name, "name=", 5);
	strcpy(name + 5 + 56, ",string=x");
	{
		char msg[128];

		snprintf(msg, sizeof(msg),
			 "cvmm: --fw-cfg: name '%.56s' is longer than 55 bytes\n", name + 5);
		bad(&cfg, "fw-cfg", name, -EINVAL, msg);
	}

	bad(&cfg, "fw-cfg", "string=x", -EINVAL,
	    "cvmm: --fw-cfg: expected name=NAME and one of file=PATH or string=STR\n");
	bad(&cfg, "fw-cfg", "name=,string=x", -EINVAL,
	    "cvmm: --fw-cfg: expected name=NAME and one of file=PATH or string=STR\n");
	bad(&cfg, "fw-cfg", "name=a", -EINVAL,
	    "cvmm: --fw-cfg: expected name=NAME and one of file=PATH or string=STR\n");
	bad(&cfg, "fw-cfg", "name=a,file=b,string=c", -EINVAL,
	    "cvmm: --fw-cfg: expected name=NAME and one of file=PATH or string=STR\n");
	bad(&cfg, "fw-cfg", "name=a,string=b,type=c", -EINVAL,
	    "cvmm: --fw-cfg: unknown option 'type'\n");
	assert_int_equal(cfg.nr_fw_cfg, 4);
	config_free(&cfg);
	assert_int_equal(cfg.nr_fw_cfg, 0);
	assert_null(cfg.fw_cfg);
}

static void test_coco(void **state)
{
	struct vm_config cfg;
	static const char hd[] =
		"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
	char spec[256];

	config_init(&cfg);
	ok(&cfg, "coco", "sev,policy=0x1");
	assert_int_equal(cfg.coco.type, COCO_SEV);
	assert_int_equal(cfg.coco.policy, 1);
	ok(&cfg, "coco", "sev,policy=0x5");
	assert_int_equal(cfg.coco.type, COCO_SEV_ES);
	assert_int_equal(cfg.coco.policy, 5);
	ok(&cfg, "coco", "sev");
	assert_int_equal(cfg.coco.type, COCO_SEV);
	assert_int_equal(cfg.coco.policy, 0);

	ok(&cfg, "coco", "snp");
	assert_int_equal(cfg.coco.type, COCO_SNP);
	assert_int_equal(cfg.coco.policy, 0x30000);
	assert_int_equal(cfg.coco.sev_features, 0x1);	/* SNPActive: what boot used */
	assert_false(cfg.coco.have_sev_features);
	assert_false(cfg.coco.have_host_data);
	ok(&cfg, "coco", "snp,sev-features=0x21");
	assert_int_equal(cfg.coco.sev_features, 0x21);
	assert_true(cfg.coco.have_sev_features);
	snprintf(spec, sizeof(spec),
		 "sev-snp,policy=0xb0000,host-data=%s,id-block=ib.bin,id-auth=ia.bin", hd);
	ok(&cfg, "coco", spec);
	assert_int_equal(cfg.coco.type, COCO_SNP);
	assert_int_equal(cfg.coco.policy, 0xb0000);
	assert_true(cfg.coco.have_host_data);
	assert_int_equal(cfg.coco.host_data[0], 0x00);
	assert_int_equal(cfg.coco.host_data[1], 0x11);
	assert_int_equal(cfg.coco.host_data[31], 0xff);
	assert_string_equal(cfg.coco.id_block_path, "ib.bin");
	assert_string_equal(cfg.coco.id_auth_path, "ia.bin");

	/* a later --coco replaces the earlier one completely */
	ok(&cfg, "coco", "tdx");
	assert_int_equal(cfg.coco.type, COCO_TDX);
	assert_int_equal(cfg.coco.tdx_attr, 0x10000000);
	assert_null(cfg.coco.id_block_path);
	assert_false(cfg.coco.have_host_data);
	ok(&cfg, "coco", "tdx,attr=0x0,qgs=/run/qgs.sock");
	assert_int_equal(cfg.coco.tdx_attr, 0);
	assert_string_equal(cfg.coco.qgs_path, "/run/qgs.sock");

	assert_string_equal(coco_type_name(COCO_NONE), "none");
	assert_string_equal(coco_type_name(COCO_SEV), "sev");
	assert_string_equal(coco_type_name(COCO_SEV_ES), "sev-es");
	assert_string_equal(coco_type_name(COCO_SNP), "snp");
	assert_string_equal(coco_type_name(COCO_TDX), "tdx");
	config_free(&cfg);
}

static void test_coco_errors(void **state)
{
	struct vm_config cfg;

	config_init(&cfg);
	bad(&cfg, "coco", "", -EINVAL,
	    "cvmm: --coco: expected sev, snp or tdx first, e.g. snp,policy=0x30000\n");
	bad(&cfg, "coco", "policy=1", -EINVAL,
	    "cvmm: --coco: expected sev, snp or tdx first, e.g. snp,policy=0x30000\n");
	bad(&cfg, "coco", "sgx", -EINVAL,
	    "cvmm: --coco: unknown type 'sgx' (expected sev, snp or tdx)\n");
	bad(&cfg, "coco", "sev,policy=x", -EINVAL,
	    "cvmm: --coco: policy=x: not a number\n");
	bad(&cfg, "coco", "snp,host-data=00", -EINVAL,
	    "cvmm: --coco: host-data: expected 64 hex digits\n");
	bad(&cfg, "coco", "snp,host-data=zz112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
	    -EINVAL, "cvmm: --coco: host-data: expected 64 hex digits\n");
	bad(&cfg, "coco", "tdx,policy=1", -EINVAL, "cvmm: --coco: unknown option 'policy'\n");
	bad(&cfg, "coco", "sev,host-data=00", -EINVAL,
	    "cvmm: --coco: unknown option 'host-data'\n");
	bad(&cfg, "coco", "snp,tdx", -EINVAL, "cvmm: --coco: unexpected 'tdx'\n");
	bad(&cfg, "coco", "snpp", -EINVAL,
	    "cvmm: --coco: unknown type 'snpp' (expected sev, snp or tdx); did you mean snp?\n");
	bad(&cfg, "coco", "snp,polcy=0x30000", -EINVAL,
	    "cvmm: --coco: unknown option 'polcy'; did you mean 'policy'?\n");
	/* what no host launches is refused up front, for boot and measure alike */
	bad(&cfg, "coco", "snp,policy=0x1", -EINVAL,
	    "cvmm: --coco: policy=0x1: SNP policy bit 17 is reserved and must be set; "
	    "e.g. policy=0x30000 (SMT allowed) or 0x20001\n");
	bad(&cfg, "coco", "snp,policy=0x4030000", -EINVAL,
	    "cvmm: --coco: policy=0x4030000: bits 0x4000000 are reserved in an SNP policy "
	    "(bits 26-63 must be zero)\n");
	bad(&cfg, "coco", "snp,sev-features=0x20", -EINVAL,
	    "cvmm: --coco: sev-features=0x20 (DebugSwap): an SNP VMSA has bit 0 (SNPActive) "
	    "set; did you mean sev-features=0x21?\n");
	bad(&cfg, "coco", "sev,policy=0x100", -EINVAL,
	    "cvmm: --coco: policy=0x100: an SEV policy is 32 bits with bits 6-15 reserved "
	    "(bit 0 NODBG, 1 NOKS, 2 ES, 3 NOSEND, 4 DOMAIN, 5 SEV, 16-31 the minimum API "
	    "version); e.g. policy=0x1 (SEV) or 0x5 (SEV-ES)\n");
	bad(&cfg, "coco", "tdx,attr=0x2", -EINVAL,
	    "cvmm: --coco: attr=0x2: bits 0x2 are reserved TD attributes (known: 0 DEBUG, "
	    "27 LASS, 28 SEPT_VE_DISABLE, 29 MIGRATABLE, 30 PKS, 31 KL, 62 TPA, 63 PERFMON); "
	    "e.g. attr=0x10000000\n");
	bad(&cfg, "coco", "sev,policy=0x5,sev-features=0x21", -EINVAL,
	    "cvmm: --coco: unknown option 'sev-features'\n");
	/* a failed --coco leaves no confidential guest behind */
	assert_int_equal(cfg.coco.type, COCO_NONE);
	assert_null(cfg.coco.id_block_path);
	config_free(&cfg);
}

static void test_hypervisor_and_paths(void **state)
{
	struct vm_config cfg;

	config_init(&cfg);
	ok(&cfg, "hypervisor", "kvm");
	assert_null(cfg.dev_kvm);
	ok(&cfg, "hypervisor", "kvm,dev_kvm=/dev/kvm2,dev_sev=/dev/sev2");
	assert_string_equal(cfg.dev_kvm, "/dev/kvm2");
	assert_string_equal(cfg.dev_sev, "/dev/sev2");
	bad(&cfg, "hypervisor", "xen", -EINVAL, "cvmm: --hypervisor: only 'kvm' is supported\n");
	bad(&cfg, "hypervisor", "dev_kvm=/x", -EINVAL,
	    "cvmm: --hypervisor: only 'kvm' is supported\n");
	bad(&cfg, "hypervisor", "kvm,dev_tdx=/x", -EINVAL,
	    "cvmm: --hypervisor: unknown option 'dev_tdx'\n");

	ok(&cfg, "kernel", "a");
	ok(&cfg, "kernel", "bzImage");
	assert_string_equal(cfg.kernel, "bzImage");
	ok(&cfg, "pvh", "vmlinux");
	assert_string_equal(cfg.pvh, "vmlinux");
	ok(&cfg, "initramfs", "initrd.cpio");
	assert_string_equal(cfg.initramfs, "initrd.cpio");
	ok(&cfg, "cmd-line", "console=ttyS0,115200 quiet");
	assert_string_equal(cfg.cmdline, "console=ttyS0,115200 quiet");
	ok(&cfg, "cmdline", "");
	assert_string_equal(cfg.cmdline, "");
	ok(&cfg, "firmware", "OVMF.fd");
	assert_string_equal(cfg.firmware, "OVMF.fd");
	ok(&cfg, "no-reboot", NULL);
	assert_true(cfg.no_reboot);
	config_free(&cfg);
	assert_null(cfg.kernel);
	assert_null(cfg.dev_kvm);
}

static void test_virtio_devices(void **state)
{
	struct vm_config cfg;
	unsigned int i;

	config_init(&cfg);
	ok(&cfg, "blk", "path=disk.img");
	ok(&cfg, "blk", "path=ro.img,readonly=on,direct=on");
	assert_int_equal(cfg.nr_blk, 2);
	assert_string_equal(cfg.blk[0].path, "disk.img");
	assert_false(cfg.blk[0].readonly);
	assert_false(cfg.blk[0].direct);
	assert_string_equal(cfg.blk[1].path, "ro.img");
	assert_true(cfg.blk[1].readonly);
	assert_true(cfg.blk[1].direct);
	bad(&cfg, "blk", "readonly=on", -EINVAL, "cvmm: --blk: expected path=FILE\n");
	bad(&cfg, "blk", "path=", -EINVAL, "cvmm: --blk: expected path=FILE\n");
	bad(&cfg, "blk", "path=a,readonly=perhaps", -EINVAL,
	    "cvmm: --blk: readonly=perhaps: expected on or off\n");
	bad(&cfg, "blk", "path=a,cache=none", -EINVAL, "cvmm: --blk: unknown option 'cache'\n");
	assert_int_equal(cfg.nr_blk, 2);
	for (i = 2; i < CONFIG_MAX_BLK; i++)
		ok(&cfg, "blk", "path=x");
	bad(&cfg, "blk", "path=y", -EINVAL, "cvmm: --blk: at most 16 disks\n");

	ok(&cfg, "net", "tap=tap0");
	assert_int_equal(cfg.nr_net, 1);
	assert_string_equal(cfg.net[0].tap, "tap0");
	assert_false(cfg.net[0].have_mac);
	assert_int_equal(cfg.net[0].mtu, 0);
	ok(&cfg, "net", "tap=cvmm-tap-12345,mac=52:54:00:Ab:cD:ef,mtu=9000");
	assert_string_equal(cfg.net[1].tap, "cvmm-tap-12345");
	assert_true(cfg.net[1].have_mac);
	assert_memory_equal(cfg.net[1].mac, "\x52\x54\x00\xab\xcd\xef", 6);
	assert_int_equal(cfg.net[1].mtu, 9000);
	bad(&cfg, "net", "mac=52:54:00:12:34:56", -EINVAL,
	    "cvmm: --net: expected tap=NAME (at most 15 characters)\n");
	bad(&cfg, "net", "tap=0123456789abcdef", -EINVAL,
	    "cvmm: --net: expected tap=NAME (at most 15 characters)\n");
	{
		static const char *const macs[] = {
			"52:54:00:12:34", "52:54:00:12:34:5", "52:54:00:12:34:567",
			"52-54-00-12-34-56", "52:54:00:12:34:5g", "", "5", ":::::",
			"525400123456",
		};
		char arg[64], msg[128];

		for (i = 0; i < sizeof(macs) / sizeof(macs[0]); i++) {
			snprintf(arg, sizeof(arg), "tap=t,mac=%s", macs[i]);
			snprintf(msg, sizeof(msg), "cvmm: --net: mac=%s: expected six hex "
				 "pairs like 52:54:00:12:34:56\n", macs[i]);
			bad(&cfg, "net", arg, -EINVAL, msg);
		}
	}
	bad(&cfg, "net", "tap=t,mtu=67", -EINVAL, "cvmm: --net: mtu=67: must be 68 to 65535\n");
	bad(&cfg, "net", "tap=t,mtu=65536", -EINVAL,
	    "cvmm: --net: mtu=65536: must be 68 to 65535\n");
	ok(&cfg, "net", "tap=t,mtu=68");
	assert_int_equal(cfg.nr_net, 3);

	ok(&cfg, "vsock", "cid=3,uds=/tmp/v.sock");
	assert_true(cfg.vsock.enabled);
	assert_int_equal(cfg.vsock.cid, 3);
	assert_string_equal(cfg.vsock.uds, "/tmp/v.sock");
	/* issue 12: a second --vsock is refused, not silently the one used */
	bad(&cfg, "vsock", "cid=4294967294,uds=/tmp/w.sock", -EINVAL,
	    "cvmm: --vsock: given twice: a machine has one vsock device\n");
	assert_int_equal(cfg.vsock.cid, 3);
	assert_string_equal(cfg.vsock.uds, "/tmp/v.sock");
	config_free(&cfg);
	config_init(&cfg);
	ok(&cfg, "vsock", "cid=4294967294,uds=/tmp/w.sock");
	assert_int_equal(cfg.vsock.cid, 0xfffffffe);
	assert_string_equal(cfg.vsock.uds, "/tmp/w.sock");
	config_free(&cfg);
	config_init(&cfg);
	bad(&cfg, "vsock", "uds=/x", -EINVAL,
	    "cvmm: --vsock: cid=N is required and must be 3 to 4294967294\n");
	bad(&cfg, "vsock", "cid=2,uds=/x", -EINVAL,
	    "cvmm: --vsock: cid=N is required and must be 3 to 4294967294\n");
	/* VMADDR_CID_ANY is reserved */
	bad(&cfg, "vsock", "cid=0xffffffff,uds=/x", -EINVAL,
	    "cvmm: --vsock: cid=N is required and must be 3 to 4294967294\n");
	bad(&cfg, "vsock", "cid=0x100000003,uds=/x", -EINVAL,
	    "cvmm: --vsock: cid=N is required and must be 3 to 4294967294\n");
	bad(&cfg, "vsock", "cid=5", -EINVAL,
	    "cvmm: --vsock: expected uds=PATH (the host socket)\n");
	bad(&cfg, "vsock", "cid=5,uds=/x,port=1", -EINVAL,
	    "cvmm: --vsock: unknown option 'port'\n");
	assert_false(cfg.vsock.enabled);	/* refused ones leave nothing */

	assert_false(cfg.entropy);
	ok(&cfg, "entropy", NULL);
	assert_true(cfg.entropy);
	config_free(&cfg);
	assert_int_equal(cfg.nr_blk, 0);
	assert_int_equal(cfg.nr_net, 0);
	assert_null(cfg.vsock.uds);
}

static void finish_bad(struct vm_config *cfg, const char *msg)
{
	struct capture cap;
	int ret;

	capture_start(&cap);
	ret = config_finish(cfg);
	capture_stop(&cap);
	assert_int_equal(ret, -EINVAL);
	assert_string_equal(cap.text, msg);
}

static void test_finish(void **state)
{
	struct vm_config cfg;

	config_init(&cfg);
	ok(&cfg, "kernel", "k");
	ok(&cfg, "pvh", "p");
	finish_bad(&cfg, "cvmm: --pvh: give either --kernel or --pvh, not both\n");
	config_free(&cfg);

	config_init(&cfg);
	ok(&cfg, "initramfs", "i");
	finish_bad(&cfg, "cvmm: --initramfs: needs --kernel, --pvh or --firmware\n");
	ok(&cfg, "pvh", "p");
	assert_int_equal(config_finish(&cfg), 0);
	config_free(&cfg);

	config_init(&cfg);
	ok(&cfg, "cmdline", "quiet");
	finish_bad(&cfg, "cvmm: --cmdline: needs --kernel, --pvh or --firmware\n");
	ok(&cfg, "firmware", "fw");
	assert_int_equal(config_finish(&cfg), 0);
	config_free(&cfg);

	config_init(&cfg);
	ok(&cfg, "coco", "snp");
	ok(&cfg, "kernel", "k");
	finish_bad(&cfg, "cvmm: --coco: a confidential guest boots through firmware: add --firmware\n");
	ok(&cfg, "firmware", "fw");
	assert_int_equal(config_finish(&cfg), 0);
	config_free(&cfg);
}

static int apply_opt(void *ctx, const struct arg_opt *o, const char *value)
{
	int ret = config_parse_option(ctx, o->id, value);

	assert_int_equal(ret, 1);
	return 0;
}

/* Through args_parse(), as the commands use the table. */
static void test_getopt(void **state)
{
	char *argv[] = {
		(char *)"cvmm", (char *)"-m", (char *)"size=1G", (char *)"--cpu=count=2",
		(char *)"--debug-exit=iobase=0x501", (char *)"--no-reboot",
		(char *)"-c", (char *)"root=/dev/vda", (char *)"--console", (char *)"none",
		(char *)"-k", (char *)"bz", NULL,
	};
	int argc = sizeof(argv) / sizeof(argv[0]) - 1;
	const struct arg_group groups[] = { { "machine", config_opts }, { NULL, NULL } };
	struct vm_config cfg;
	struct args_parser p = { .cmd = "test", .groups = groups, .option = apply_opt,
				 .ctx = &cfg };

	config_init(&cfg);
	assert_int_equal(args_parse(&p, argc, argv), 0);
	log_usage_end();
	assert_int_equal(cfg.mem.size, 1ULL << 30);
	assert_int_equal(cfg.cpu.count, 2);
	assert_true(cfg.debug_exit);
	assert_int_equal(cfg.debug_exit_port, 0x501);
	assert_true(cfg.no_reboot);
	assert_string_equal(cfg.cmdline, "root=/dev/vda");
	assert_int_equal(cfg.console.kind, CONSOLE_NONE);
	assert_string_equal(cfg.kernel, "bz");
	assert_int_equal(config_finish(&cfg), 0);
	config_free(&cfg);
}

static const char *value_of(const char *name, const char *a1, const char *a2, const char *a3)
{
	char *argv[] = { (char *)"cvmm", (char *)a1, (char *)a2, (char *)a3, NULL };
	const struct arg_group groups[] = { { "machine", config_opts }, { NULL, NULL } };
	int argc = 1 + !!a1 + !!a2 + !!a3;

	return args_value(groups, argc, argv, name);
}

/* args_value(): what args_parse() would take as the option's value, silently. */
static void test_args_value(void **state)
{
	struct capture cap;

	capture_start(&cap);
	assert_string_equal(value_of("kernel", "--kernel", "a", NULL), "a");
	assert_string_equal(value_of("kernel", "-k", "a", "--kernel=b"), "b");	/* the last */
	assert_string_equal(value_of("kernel", "-kz", NULL, NULL), "z");
	assert_string_equal(value_of("kernel", "x", "--kernel=", NULL), "");
	/* another option's value is not an option */
	assert_null(value_of("kernel", "--cmdline", "--kernel=a", NULL));
	assert_null(value_of("kernel", "-c", "--kernel", "a"));
	assert_null(value_of("kernel", "--", "--kernel=a", NULL));
	/* what args_parse() refuses: no value */
	assert_null(value_of("kernel", "--kernel", NULL, NULL));
	assert_null(value_of("kernel", "--kernl", "x", "--kernel=a"));
	assert_null(value_of("kernel", "--memory", NULL, NULL));
	assert_null(value_of("kernel", "--cmdline", "x", NULL));
	capture_stop(&cap);
	assert_string_equal(cap.text, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_option_table),
		cmocka_unit_test(test_memory),
		cmocka_unit_test(test_memory_errors),
		cmocka_unit_test(test_cpu),
		cmocka_unit_test(test_cpu_errors),
		cmocka_unit_test(test_cpu_identity),
		cmocka_unit_test(test_console),
		cmocka_unit_test(test_debug_exit),
		cmocka_unit_test(test_fw_cfg),
		cmocka_unit_test(test_coco),
		cmocka_unit_test(test_coco_errors),
		cmocka_unit_test(test_hypervisor_and_paths),
		cmocka_unit_test(test_virtio_devices),
		cmocka_unit_test(test_finish),
		cmocka_unit_test(test_getopt),
		cmocka_unit_test(test_args_value),
	};

	log_level = LOG_NORMAL;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
