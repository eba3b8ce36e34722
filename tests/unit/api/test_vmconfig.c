// SPDX-License-Identifier: GPL-2.0-only
/*
 * Cloud Hypervisor's VmConfig onto struct vm_config and back
 * (src/api/vmconfig*.c): Kata's body with every default the generated
 * client sends, each refusal naming its field, ids, the way back.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "api/vmconfig.h"
#include "machine/config.h"
#include "util/log.h"
#include "../machine/stderr_capture.h"

/* What Kata's clh driver sends for a confidential guest, defaults included. */
static const char kata_body[] =
	"{\"payload\": {\"kernel\": \"/k/vmlinux\", \"firmware\": \"/k/td.fd\","
	"  \"cmdline\": \"console=hvc0 quiet\", \"initramfs\": \"/k/initrd\"},"
	" \"cpus\": {\"boot_vcpus\": 2, \"max_vcpus\": 8, \"kvm_hyperv\": false,"
	"  \"nested\": true, \"core_scheduling\": \"Vm\","
	"  \"topology\": {\"threads_per_core\": 1, \"cores_per_die\": 8,"
	"   \"dies_per_package\": 1, \"packages\": 1}},"
	" \"memory\": {\"size\": 2147483648, \"shared\": true, \"hugepages\": false,"
	"  \"mergeable\": false, \"hotplug_method\": \"Acpi\", \"prefault\": false,"
	"  \"reserve\": false, \"thp\": true},"
	" \"disks\": [{\"path\": \"/k/rootfs.img\", \"readonly\": true, \"direct\": false,"
	"  \"iommu\": false, \"num_queues\": 1, \"queue_size\": 128, \"vhost_user\": false,"
	"  \"backing_files\": false, \"sparse\": true, \"lock_granularity\": \"ByteRange\"}],"
	" \"rng\": {\"src\": \"/dev/urandom\", \"iommu\": false},"
	" \"serial\": {\"mode\": \"Off\"}, \"console\": {\"mode\": \"Off\", \"iommu\": false},"
	" \"vsock\": {\"cid\": 3, \"socket\": \"/run/vc/vm/x/clh.sock\", \"iommu\": false},"
	" \"platform\": {\"tdx\": true, \"sev_snp\": false, \"iommufd\": false,"
	"  \"vfio_p2p_dma\": true},"
	" \"iommu\": false, \"watchdog\": false, \"pvpanic\": false, \"landlock_enable\": false}";

static int parse(const char *text, struct vm_config *cfg, char *why)
{
	json_error_t e;
	json_t *doc = json_loads(text, 0, &e);
	int ret;

	if (!doc)
		fail_msg("test JSON does not parse: %s: %s", e.text, text);
	config_init(cfg);
	ret = vmconfig_parse(doc, cfg, why, VMCONFIG_WHY_LEN);
	json_decref(doc);
	return ret;
}

static void test_kata_body(void **state)
{
	char why[VMCONFIG_WHY_LEN];
	struct vm_config cfg;

	assert_int_equal(parse(kata_body, &cfg, why), 0);
	assert_string_equal(cfg.kernel, "/k/vmlinux");
	assert_string_equal(cfg.firmware, "/k/td.fd");
	assert_string_equal(cfg.cmdline, "console=hvc0 quiet");
	assert_string_equal(cfg.initramfs, "/k/initrd");
	assert_int_equal(cfg.cpu.count, 2);
	assert_int_equal(cfg.cpu.max_count, 8);
	assert_int_equal(cfg.cpu.nr_features, 0);
	assert_int_equal(cfg.mem.size, 2ULL << 30);
	assert_true(cfg.mem.shared);
	assert_int_equal(cfg.nr_blk, 1);
	assert_string_equal(cfg.blk[0].path, "/k/rootfs.img");
	assert_true(cfg.blk[0].readonly);
	assert_false(cfg.blk[0].direct);
	assert_true(cfg.entropy);
	assert_true(cfg.vsock.enabled);
	assert_int_equal(cfg.vsock.cid, 3);
	assert_string_equal(cfg.vsock.uds, "/run/vc/vm/x/clh.sock");
	assert_int_equal(cfg.console.kind, CONSOLE_NONE);
	assert_int_equal(cfg.coco.type, COCO_TDX);
	assert_int_equal(cfg.coco.tdx_attr, 0x10000000);
	assert_true(cfg.pci_bus);
	/* ids as Cloud Hypervisor numbers them */
	assert_string_equal(cfg.blk[0].id, "_disk0");
	assert_string_equal(cfg.rng_id, "_rng1");
	assert_string_equal(cfg.vsock.id, "_vsock2");
	config_free(&cfg);
}

static void test_minimal_and_defaults(void **state)
{
	char why[VMCONFIG_WHY_LEN];
	struct vm_config cfg;

	/* an empty payload boots the built-in guest with cvmm's defaults */
	assert_int_equal(parse("{\"payload\": {}}", &cfg, why), 0);
	assert_null(cfg.kernel);
	assert_int_equal(cfg.cpu.count, 1);
	assert_int_equal(cfg.mem.size, CONFIG_DEFAULT_MEM);
	assert_int_equal(cfg.console.kind, CONSOLE_STDIO);
	config_free(&cfg);

	/* console Tty without a serial member: the virtio console on stdio */
	assert_int_equal(parse("{\"payload\": {}, \"console\": {\"mode\": \"Tty\"}}", &cfg, why), 0);
	assert_int_equal(cfg.console.kind, CONSOLE_VIRTIO);
	assert_string_equal(cfg.console_id, "_console0");
	config_free(&cfg);

	/* nested: false hides VMX and SVM; a serial file */
	assert_int_equal(parse("{\"payload\": {}, \"cpus\": {\"boot_vcpus\": 1, \"max_vcpus\": 1,"
			       " \"nested\": false}, \"serial\": {\"mode\": \"File\","
			       " \"file\": \"/tmp/x\"}}", &cfg, why), 0);
	assert_int_equal(cfg.cpu.nr_features, 2);
	assert_string_equal(cfg.cpu.features[0], "-vmx");
	assert_string_equal(cfg.cpu.features[1], "-svm");
	assert_int_equal(cfg.console.kind, CONSOLE_FILE);
	assert_string_equal(cfg.console.path, "/tmp/x");
	config_free(&cfg);
}

static void test_coco(void **state)
{
	char why[VMCONFIG_WHY_LEN];
	struct vm_config cfg;

	assert_int_equal(parse("{\"payload\": {\"firmware\": \"/f\", \"host_data\":"
			       " \"0102030405060708091011121314151617181920212223242526272829303132\"},"
			       " \"platform\": {\"sev_snp\": true}}", &cfg, why), 0);
	assert_int_equal(cfg.coco.type, COCO_SNP);
	assert_int_equal(cfg.coco.policy, 0x30000);
	assert_true(cfg.coco.have_host_data);
	assert_int_equal(cfg.coco.host_data[0], 1);
	assert_int_equal(cfg.coco.host_data[31], 0x32);
	config_free(&cfg);

	assert_int_equal(parse("{\"payload\": {\"firmware\": \"/f\"},"
			       " \"cvmm\": {\"coco\": \"sev,policy=0x5\"}}", &cfg, why), 0);
	assert_int_equal(cfg.coco.type, COCO_SEV_ES);
	assert_int_equal(cfg.coco.policy, 5);
	config_free(&cfg);
}

/* Each refusal names the field and says why. */
static void test_refusals(void **state)
{
	static const struct {
		const char *body, *why;
	} t[] = {
		{ "[]", "expected a JSON object" },
		{ "{}", "payload: required" },
		{ "{\"payload\": {}, \"bogus\": 1}", "bogus: unknown field" },
		{ "{\"payload\": {\"igvm\": \"/x\"}}", "payload.igvm: cvmm does not boot IGVM" },
		{ "{\"payload\": {\"kernel\": 5}}", "payload.kernel: expected a string" },
		{ "{\"payload\": {\"kernel\": \"\"}}", "payload.kernel: expected a non-empty" },
		{ "{\"payload\": {}, \"pmem\": [{\"file\": \"/x\"}]}", "pmem: cvmm has no virtio-pmem" },
		{ "{\"payload\": {}, \"fs\": [{\"tag\": \"a\"}]}", "fs: cvmm has no virtio-fs" },
		{ "{\"payload\": {}, \"watchdog\": true}", "watchdog: cvmm has no watchdog" },
		{ "{\"payload\": {}, \"cpus\": {\"boot_vcpus\": 2}}", "cpus.max_vcpus: required" },
		{ "{\"payload\": {}, \"cpus\": {\"boot_vcpus\": 4, \"max_vcpus\": 2}}",
		  "cpus.max_vcpus: less than boot_vcpus" },
		{ "{\"payload\": {}, \"cpus\": {\"boot_vcpus\": 65, \"max_vcpus\": 65}}",
		  "cpus.boot_vcpus: 65 is out of range" },
		{ "{\"payload\": {}, \"cpus\": {\"boot_vcpus\": 1, \"max_vcpus\": 1, \"kvm_hyperv\": true}}",
		  "cpus.kvm_hyperv: cvmm offers no Hyper-V" },
		{ "{\"payload\": {}, \"cpus\": {\"boot_vcpus\": 2, \"max_vcpus\": 2,"
		  " \"topology\": {\"threads_per_core\": 2}}}", "cpus.topology.threads_per_core" },
		{ "{\"payload\": {}, \"memory\": {\"size\": 1000}}", "memory.size: 1000 is out of range" },
		{ "{\"payload\": {}, \"memory\": {\"size\": 4194305}}", "memory.size: not a multiple" },
		{ "{\"payload\": {}, \"memory\": {\"size\": 4194304, \"hotplug_size\": 4194304}}",
		  "memory.hotplug_size: cvmm has no memory hotplug" },
		{ "{\"payload\": {}, \"memory\": {\"size\": 4194304, \"hugepages\": true}}",
		  "memory.hugepages" },
		{ "{\"payload\": {}, \"disks\": [{\"readonly\": true}]}", "disks[0].path: required" },
		{ "{\"payload\": {}, \"disks\": [{\"path\": \"/a\"}, {\"path\": \"/b\","
		  " \"vhost_user\": true}]}", "disks[1].vhost_user: cvmm has no vhost-user" },
		{ "{\"payload\": {}, \"disks\": [{\"path\": \"/a\", \"image_type\": \"Qcow2\"}]}",
		  "disks[0].image_type: \"Qcow2\": cvmm opens raw images only" },
		{ "{\"payload\": {}, \"disks\": [{\"path\": \"/a\", \"rate_limiter_config\":"
		  " {\"ops\": {\"size\": 1, \"refill_time\": 1}}}]}",
		  "disks[0].rate_limiter_config: cvmm has no I/O rate limiting" },
		{ "{\"payload\": {}, \"disks\": [{\"path\": \"/a\", \"pci_segment\": 1}]}",
		  "disks[0].pci_segment" },
		{ "{\"payload\": {}, \"net\": [{\"mac\": \"52:54:00:00:00:01\"}]}", "net[0].tap: required" },
		{ "{\"payload\": {}, \"net\": [{\"tap\": \"t0\", \"num_queues\": 4}]}",
		  "net[0].num_queues: cvmm's virtio-net has one queue pair" },
		{ "{\"payload\": {}, \"net\": [{\"tap\": \"t0\", \"ip\": \"10.0.0.1\"}]}",
		  "net[0].ip: \"10.0.0.1\": cvmm does not configure" },
		{ "{\"payload\": {}, \"net\": [{\"tap\": \"t0\", \"mac\": \"52:54:00:00:00\"}]}",
		  "net[0].mac" },
		{ "{\"payload\": {}, \"net\": [{\"tap\": \"0123456789abcdefg\"}]}", "net[0].tap: an interface" },
		{ "{\"payload\": {}, \"rng\": {\"src\": \"/dev/hwrng\"}}", "rng.src: \"/dev/hwrng\"" },
		{ "{\"payload\": {}, \"vsock\": {\"cid\": 2, \"socket\": \"/s\"}}", "vsock.cid: 2 is out" },
		{ "{\"payload\": {}, \"vsock\": {\"cid\": 3}}", "vsock.socket: required" },
		{ "{\"payload\": {}, \"serial\": {\"mode\": \"Pty\"}}", "serial.mode: \"Pty\"" },
		{ "{\"payload\": {}, \"serial\": {\"mode\": \"File\"}}", "serial.file: required" },
		{ "{\"payload\": {}, \"serial\": {\"mode\": \"Tty\"}, \"console\": {\"mode\": \"Tty\"}}",
		  "console.mode: Tty needs serial mode Off" },
		{ "{\"payload\": {}, \"platform\": {\"tdx\": true, \"sev_snp\": true}}",
		  "platform.tdx: and sev_snp" },
		{ "{\"payload\": {}, \"platform\": {\"uuid\": \"x\"}}", "platform.uuid: cvmm has no SMBIOS" },
		{ "{\"payload\": {\"firmware\": \"/f\", \"host_data\": \"00\"}, \"platform\":"
		  " {\"sev_snp\": true}}", "payload.host_data: expected 64 hex digits" },
		{ "{\"payload\": {\"firmware\": \"/f\", \"host_data\": \"" 
		  "0000000000000000000000000000000000000000000000000000000000000000\"}}",
		  "payload.host_data: is for SEV-SNP guests only" },
		{ "{\"payload\": {\"firmware\": \"/f\"}, \"platform\": {\"tdx\": true},"
		  " \"cvmm\": {\"coco\": \"snp\"}}", "cvmm.coco: names another platform" },
		{ "{\"payload\": {\"firmware\": \"/f\"}, \"cvmm\": {\"coco\": \"bogus\"}}",
		  "cvmm.coco: --coco: unknown type" },
		{ "{\"payload\": {}, \"platform\": {\"sev_snp\": true}}",
		  "--coco: a confidential guest boots through firmware" },
		{ "{\"payload\": {\"cmdline\": \"x\"}}", "--cmdline: needs --kernel" },
		{ "{\"payload\": {}, \"disks\": [{\"path\": \"/a\", \"id\": \"x\"}, {\"path\": \"/b\","
		  " \"id\": \"x\"}]}", "the id \"x\" is given to two devices" },
	};
	char why[VMCONFIG_WHY_LEN];
	struct vm_config cfg;
	unsigned int i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int ret = parse(t[i].body, &cfg, why);

		config_free(&cfg);
		if (!ret)
			fail_msg("case %u accepted: %s", i, t[i].body);
		if (!strstr(why, t[i].why))
			fail_msg("case %u: \"%s\", expected \"%s\"", i, why, t[i].why);
	}
}

/* vm.info's config, parsed again, describes the same machine. */
static void test_render_round_trip(void **state)
{
	char why[VMCONFIG_WHY_LEN], *text;
	struct vm_config a, b;
	json_t *r;

	assert_int_equal(parse(kata_body, &a, why), 0);
	a.net[0].tap = strdup("tap0");	/* as vm.add-net would append it */
	a.net[0].id = strdup("_net3");
	a.net[0].have_mac = true;
	memcpy(a.net[0].mac, "\x52\x54\x00\xab\xcd\xef", 6);
	a.net[0].mtu = 1400;
	a.nr_net = 1;
	r = vmconfig_render(&a);
	assert_non_null(r);
	text = json_dumps(r, 0);
	json_decref(r);
	assert_int_equal(parse(text, &b, why), 0);
	assert_string_equal(b.kernel, a.kernel);
	assert_string_equal(b.firmware, a.firmware);
	assert_string_equal(b.cmdline, a.cmdline);
	assert_int_equal(b.cpu.count, a.cpu.count);
	assert_int_equal(b.cpu.max_count, a.cpu.max_count);
	assert_int_equal(b.mem.size, a.mem.size);
	assert_int_equal(b.mem.shared, a.mem.shared);
	assert_string_equal(b.blk[0].path, a.blk[0].path);
	assert_string_equal(b.blk[0].id, a.blk[0].id);
	assert_string_equal(b.net[0].tap, "tap0");
	assert_string_equal(b.net[0].id, "_net3");
	assert_memory_equal(b.net[0].mac, a.net[0].mac, 6);
	assert_int_equal(b.net[0].mtu, 1400);
	assert_int_equal(b.vsock.cid, a.vsock.cid);
	assert_int_equal(b.coco.type, COCO_TDX);
	assert_int_equal(b.console.kind, CONSOLE_NONE);
	free(text);
	config_free(&a);
	config_free(&b);
}

static void test_new_ids(void **state)
{
	char why[VMCONFIG_WHY_LEN], *id;
	struct vm_config cfg;

	assert_int_equal(parse("{\"payload\": {}, \"disks\": [{\"path\": \"/a\"},"
			       " {\"path\": \"/b\", \"id\": \"_disk2\"}]}", &cfg, why), 0);
	assert_string_equal(cfg.blk[0].id, "_disk0");
	assert_true(vmconfig_id_taken(&cfg, "_disk2"));
	assert_false(vmconfig_id_taken(&cfg, "_disk1"));
	id = vmconfig_new_id(&cfg, "disk");
	assert_string_equal(id, "_disk3");	/* _disk2 is taken */
	free(id);
	config_free(&cfg);
}

/* cvmm boot --config FILE: one line for a file that cannot be read, is too large or not JSON. */
static void test_load_file(void **state)
{
	char path[] = "/tmp/cvmm-test-vmconfig-XXXXXX";
	struct vm_config cfg;
	struct capture cap;
	FILE *f;
	int fd, ret, i;

	config_init(&cfg);
	capture_start(&cap);
	ret = vmconfig_load_file("/nonexistent/vm.json", &cfg);
	capture_stop(&cap);
	assert_int_equal(ret, -ENOENT);
	assert_string_equal(cap.text, "cvmm: /nonexistent/vm.json: cannot read the VM "
			    "configuration: No such file or directory\n");
	capture_start(&cap);
	ret = vmconfig_load_file("/dev/zero", &cfg);	/* endless: refused, not read on */
	capture_stop(&cap);
	assert_int_equal(ret, -EFBIG);
	assert_string_equal(cap.text, "cvmm: /dev/zero: cannot read the VM configuration: "
			    "file too large\n");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs("{\"payload\": {}, \"cpus\": {\"boot_vcpus\": 2, \"max_vcpus\": 2}}", f);
	for (i = 0; i < 1000; i++)	/* ~ 1 KiB short of the API's body limit: read */
		fprintf(f, "%126s", "");
	fclose(f);
	assert_int_equal(vmconfig_load_file(path, &cfg), 0);
	assert_int_equal(cfg.cpu.count, 2);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("{\"cpus\": ", f);
	fclose(f);
	capture_start(&cap);
	ret = vmconfig_load_file(path, &cfg);
	capture_stop(&cap);
	assert_int_equal(ret, -EINVAL);
	assert_non_null(strstr(cap.text, ": not a JSON VM configuration: "));
	unlink(path);
	config_free(&cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kata_body),
		cmocka_unit_test(test_minimal_and_defaults),
		cmocka_unit_test(test_coco),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_render_round_trip),
		cmocka_unit_test(test_new_ids),
		cmocka_unit_test(test_load_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
