// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "helpers.h"
#include "agent/config.h"

static char why[300];

static int cmdline(struct agent_config *c, const char *s)
{
	why[0] = 0;
	return agent_config_parse_cmdline(c, s, strlen(s), why, sizeof(why));
}

static int file(struct agent_config *c, const char *s)
{
	why[0] = 0;
	return agent_config_parse_file(c, s, strlen(s), why, sizeof(why));
}

static void test_defaults(void **state)
{
	struct agent_config c;

	agent_config_init(&c);
	assert_string_equal(c.name, "cvmm-data");
	assert_string_equal(c.fstype, "ext4");
	assert_string_equal(c.key_type, "P-256");
	assert_int_equal(c.tee, AGENT_TEE_AUTO);
	assert_int_equal(c.sim.kind, ADDR_VSOCK);
	assert_int_equal(c.sim.cid, 2);
	assert_int_equal(c.sim.port, 4051);
	assert_int_equal(c.timeout, 300);
	assert_false(c.format_empty);
	assert_false(c.has_connect);
	assert_int_equal(c.given, 0);
}

static const char *const PIN = "sha256//YhKJKSzoTt2b5FP18fvpHo7fJYqQCjAa3HWY3tvRMwE=";

static void test_cmdline(void **state)
{
	struct agent_config c;
	char s[1024];

	agent_config_init(&c);
	snprintf(s, sizeof(s), "BOOT_IMAGE=/vmlinuz root=/dev/vda1 cvmm.agent.url=https://kbs.example:8443/ "
		 "\"cvmm.agent.resource=default/key/root\" cvmm.agent.pin=%s "
		 "cvmm.agent.connect=vsock:2:8443 cvmm.agent.mount=\"/mnt/my data\" quiet "
		 "cvmm.agentx=1 cvmm.agent.timeout=30 cvmm.agent.tee=sim "
		 "cvmm.agent.sim=unix:/run/sim.sock cvmm.agent.format-empty=yes "
		 "cvmm.agent.keyslots-size=256\n", PIN);
	assert_int_equal(cmdline(&c, s), 0);
	assert_string_equal(c.url, "https://kbs.example:8443/");
	assert_string_equal(c.resource, "default/key/root");
	assert_string_equal(c.pin, PIN);
	assert_true(c.has_connect);
	assert_int_equal(c.connect.kind, ADDR_VSOCK);
	assert_int_equal(c.connect.cid, 2);
	assert_int_equal(c.connect.port, 8443);
	assert_string_equal(c.mount, "/mnt/my data");
	assert_int_equal(c.timeout, 30);
	assert_int_equal(c.tee, AGENT_TEE_SIM);
	assert_int_equal(c.sim.kind, ADDR_UNIX);
	assert_string_equal(c.sim.path, "/run/sim.sock");
	assert_true(c.format_empty);
	assert_int_equal(c.keyslots_kib, 256);
}

static void test_cmdline_errors(void **state)
{
	static const char *const bad[] = {
		"cvmm.agent.bogus=1",				/* unknown key */
		"cvmm.agent.url=https://a cvmm.agent.url=https://b",	/* twice */
		"cvmm.agent.url",				/* no value */
		"cvmm.agent.url=\"https://a",			/* open quote */
		"cvmm.agent.url=ftp://a",
		"cvmm.agent.url=https://user@host",
		"cvmm.agent.url=https://host/path",
		"cvmm.agent.url=https://",
		"cvmm.agent.pin=sha256//short=",
		"cvmm.agent.pin=md5//YhKJKSzoTt2b5FP18fvpHo7fJYqQCjAa3HWY3tvRMwE=",
		"cvmm.agent.pin=relative/path.pem",
		"cvmm.agent.resource=a/b",
		"cvmm.agent.resource=a/b/c/d",
		"cvmm.agent.resource=a/../c",
		"cvmm.agent.resource=a//c",
		"cvmm.agent.resource=a/b/c/",
		"cvmm.agent.resource=a/b/c$",
		"cvmm.agent.device=vdb",
		"cvmm.agent.device=/dev/../etc/shadow",
		"cvmm.agent.name=a/b",
		"cvmm.agent.name=..",
		"cvmm.agent.mount=relative",
		"cvmm.agent.fstype=xfs",
		"cvmm.agent.tee=sgx",
		"cvmm.agent.connect=vsock:1:80",		/* CID 1 is no peer */
		"cvmm.agent.connect=vsock:2:4294967295",
		"cvmm.agent.connect=vsock:2:",
		"cvmm.agent.connect=tcp:1.2.3.4:80",
		"cvmm.agent.connect=unix:relative",
		"cvmm.agent.report-version=4",
		"cvmm.agent.vmpl=4",
		"cvmm.agent.key-type=P-384",
		"cvmm.agent.timeout=0",
		"cvmm.agent.timeout=86401",
		"cvmm.agent.timeout=010",
		"cvmm.agent.timeout=-1",
		"cvmm.agent.format-empty=maybe",
		"cvmm.agent.keyslots-size=255",
		"cvmm.agent.keyslots-size=258",
		"cvmm.agent.keyslots-size=16388",
	};
	struct agent_config c;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		agent_config_init(&c);
		if (cmdline(&c, bad[i]) != -EINVAL)
			fail_msg("accepted '%s'", bad[i]);
		assert_true(why[0]);
	}
}

static void test_cmdline_long(void **state)
{
	struct agent_config c;
	char s[4096];

	memset(s, 'a', sizeof(s) - 1);
	s[sizeof(s) - 1] = 0;
	memcpy(s, "cvmm.agent.mount=/", 18);
	agent_config_init(&c);
	assert_int_equal(cmdline(&c, s), -EINVAL);
	/* a long word that is not ours is skipped */
	memcpy(s, "something.else=xx", 17);
	assert_int_equal(cmdline(&c, s), 0);
	assert_int_equal(c.given, 0);
}

static void test_file(void **state)
{
	struct agent_config c;
	char s[512];

	agent_config_init(&c);
	snprintf(s, sizeof(s), "# broker\n\n  url = https://broker  \r\npin=%s\n"
		 "resource=default/key/disk\n\t# comment\nname = data_1", PIN);
	assert_int_equal(file(&c, s), 0);
	assert_string_equal(c.url, "https://broker");
	assert_string_equal(c.pin, PIN);
	assert_string_equal(c.name, "data_1");
	/* the command line overrides the file key by key */
	assert_int_equal(cmdline(&c, "cvmm.agent.name=other"), 0);
	assert_string_equal(c.name, "other");
	assert_string_equal(c.url, "https://broker");
	assert_int_equal(file(&c, "url=https://a\nnoequals\n"), -EINVAL);
	assert_non_null(strstr(why, "line 2"));
	assert_int_equal(file(&c, "name=a\nname=b\n"), -EINVAL);
	assert_non_null(strstr(why, "twice"));
	assert_int_equal(agent_config_parse_file(&c, "url=https://a\0b", 15, why, sizeof(why)), -EINVAL);
}

static void test_check(void **state)
{
	struct agent_config c;

	agent_config_init(&c);
	assert_int_equal(agent_config_check(&c, false, false, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "url"));
	assert_int_equal(cmdline(&c, "cvmm.agent.url=https://b cvmm.agent.resource=a/b/c"), 0);
	assert_int_equal(agent_config_check(&c, false, false, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "pin"));
	agent_config_init(&c);
	assert_int_equal(cmdline(&c, "cvmm.agent.url=http://b cvmm.agent.resource=a/b/c"), 0);
	assert_int_equal(agent_config_check(&c, false, false, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "insecure-http"));
	assert_int_equal(agent_config_check(&c, false, true, why, sizeof(why)), 0);
	assert_int_equal(agent_config_check(&c, true, true, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "device"));
}

static void test_addr(void **state)
{
	struct agent_addr a;
	char buf[128];

	assert_int_equal(agent_addr_parse("vsock:3:1024", &a), 0);
	agent_addr_format(&a, buf, sizeof(buf));
	assert_string_equal(buf, "vsock:3:1024");
	assert_int_equal(agent_addr_parse("unix:/a/b", &a), 0);
	agent_addr_format(&a, buf, sizeof(buf));
	assert_string_equal(buf, "unix:/a/b");
	assert_int_equal(agent_addr_parse("vsock:99999999999:1", &a), -EINVAL);
	assert_int_equal(agent_addr_parse("vsock:2:1x", &a), -EINVAL);
	memset(buf, 'x', sizeof(buf) - 1);
	buf[sizeof(buf) - 1] = 0;
	memcpy(buf, "unix:/", 6);
	assert_int_equal(agent_addr_parse(buf, &a), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_cmdline),
		cmocka_unit_test(test_cmdline_errors),
		cmocka_unit_test(test_cmdline_long),
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_addr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
