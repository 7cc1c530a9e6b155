// SPDX-License-Identifier: Apache-2.0
/*
 * test_container.c — container ids from cgroup paths (runtime/container.c)
 * for docker (systemd and cgroupfs drivers), containerd and CRI-O, from full
 * paths, from the BPF cgroup name alone, and from /proc/PID/cgroup text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "container.h"

#define ID64 "9ec39b91f3d70e1beff50a308f77067065ea6be0d91a3378375056cd4422cf3d"
#define ID31 "9ec39b91f3d70e1beff50a308f77067"

static const char *cid(const char *path, bool truncated)
{
	static char out[CONTAINER_ID_LEN + 1];

	memset(out, 0, sizeof(out));
	if (!container_id(path, strlen(path), truncated, out))
		return "";
	return out;
}

static void test_runtimes(void **state)
{
	(void)state;
	assert_int_equal(strlen(ID31), 31);
	/* docker, systemd cgroup driver */
	assert_string_equal(cid("/system.slice/docker-" ID64 ".scope", false), ID31);
	assert_string_equal(cid("docker-" ID64 ".scope", true), ID31);
	/* docker, cgroupfs driver */
	assert_string_equal(cid("/docker/" ID64, false), ID31);
	assert_string_equal(cid(ID64, true), ID31);
	/* containerd CRI under kubelet's systemd slices */
	assert_string_equal(cid("/kubepods.slice/kubepods-besteffort.slice/"
				"kubepods-besteffort-pod0d2ab2b5_0f5c_4b6b_9c3c_1f2f4a8b9d10.slice/"
				"cri-containerd-" ID64 ".scope",
				false),
			    ID31);
	assert_string_equal(cid("cri-containerd-" ID64 ".scope", true), ID31);
	/* CRI-O */
	assert_string_equal(cid("/kubepods.slice/kubepods-pod1.slice/crio-" ID64 ".scope", false),
			    ID31);
	assert_string_equal(cid("crio-" ID64 ".scope", true), ID31);
	/* kubelet cgroupfs driver */
	assert_string_equal(cid("/kubepods/besteffort/pod0d2ab2b5-0f5c/" ID64, false), ID31);
	/* runc's "slice:prefix:name" cgroupsPath form */
	assert_string_equal(cid("system.slice:docker:" ID64, false), ID31);
}

static void test_not_containers(void **state)
{
	char out[CONTAINER_ID_LEN + 1];

	(void)state;
	assert_string_equal(cid("/", false), "");
	assert_string_equal(cid("", false), "");
	assert_string_equal(cid("/user.slice/user-0.slice/session-1.scope", false), "");
	assert_string_equal(cid("init.scope", true), "");
	assert_string_equal(cid("/system.slice/docker.service", false), "");
	/* a long systemd service name is not an id */
	assert_string_equal(cid("/system.slice/a-very-long-service-name-that-goes-on-and-on-and-"
				"on-forever-and-ever.service",
				false),
			    "");
	/* a short id is accepted only from a cut BPF name of 127+ bytes */
	assert_string_equal(cid("docker-" "0123456789abcdef0123456789abcdef", true), "");
	assert_int_equal(container_id("x", 0, false, out), 0);
}

static void test_truncated_bpf_name(void **state)
{
	char name[128];

	(void)state;
	/*
	 * 127 bytes (the BPF buffer was full): a 46-character tail after the
	 * last '-' is accepted only because the name may have been cut.
	 */
	memset(name, 'x', sizeof(name));
	name[80] = '-';
	memcpy(name + 81, "0123456789abcdef0123456789abcdef", 32);
	name[127] = '\0';
	assert_string_equal(cid(name, true), "0123456789abcdef0123456789abcde");
	assert_string_equal(cid(name, false), "");
	name[126] = '\0'; /* 126 bytes: not full, so not cut */
	assert_string_equal(cid(name, true), "");
	/* NUL padding after the name is ignored */
	{
		char padded[128] = "docker-" ID64 ".scope";
		char out[CONTAINER_ID_LEN + 1];

		assert_int_equal(container_id(padded, sizeof(padded), true, out), 31);
		assert_string_equal(out, ID31);
	}
}

static void test_proc_cgroup_text(void **state)
{
	static const char v1[] = "12:pids:/system.slice/docker-" ID64 ".scope\n"
				 "11:memory:/system.slice/docker-" ID64 ".scope\n"
				 "1:name=systemd:/system.slice/docker-" ID64 ".scope\n"
				 "0::/system.slice/docker-" ID64 ".scope\n";
	static const char host[] = "12:pids:/user.slice\n"
				   "0::/user.slice/user-0.slice/session-3.scope\n";
	static const char k8s[] = "0::/kubepods.slice/kubepods-burstable.slice/"
				  "kubepods-burstable-podabc.slice/cri-containerd-" ID64 ".scope";
	char out[CONTAINER_ID_LEN + 1];

	(void)state;
	assert_int_equal(container_id_from_proc(v1, sizeof(v1) - 1, out), 31);
	assert_string_equal(out, ID31);
	assert_int_equal(container_id_from_proc(host, sizeof(host) - 1, out), 0);
	assert_int_equal(container_id_from_proc(k8s, sizeof(k8s) - 1, out), 31);
	assert_string_equal(out, ID31);
	assert_int_equal(container_id_from_proc("", 0, out), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_runtimes),
		cmocka_unit_test(test_not_containers),
		cmocka_unit_test(test_truncated_bpf_name),
		cmocka_unit_test(test_proc_cgroup_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
