/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "wf-error.h"
#include "wf-sim-faults.h"
#include "wf-sim-test-util.h"

/* Every fault of the grammar in docs/simulator.md does what it says. */

static WfSimWatch *
watch_with_faults(const gchar *faults)
{
	WfSimConfig config;
	WfSimWatch *watch;

	wf_sim_test_config_init_fast(&config);
	config.faults = g_strdup(faults);
	config.reappear_gap_ms = 10;
	watch = wf_sim_test_watch_new(&config);
	wf_sim_config_clear(&config);
	return watch;
}

static void
assert_lost(WfTransport *port)
{
	g_autoptr(GError) error = NULL;
	guint8 b;
	gsize got = 0;

	g_assert_false(wf_transport_read(port, &b, 1, &got, 2000, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_DEVICE_LOST);
}

static void
test_parse(void)
{
	const gchar *good[] = {
		"drop:out:3",
		"corrupt:in:0",
		"corrupt:in:0x10:0x01",
		"stall:out:5:100",
		"disconnect:in:1000",
		"bad-handshake",
		"bad-handshake:3",
		"no-handshake",
		"slow:20",
		"flaky-read:0x1000",
		"unstable-read:4096",
		"drop:out:1, corrupt:in:2;slow:1 no-handshake",
	};
	const gchar *bad[] = {
		"drop",
		"drop:sideways:1",
		"drop:out:x",
		"drop:out:1:2",
		"corrupt:in:1:0",
		"corrupt:in:1:0x100",
		"stall:out:1",
		"slow",
		"flaky-read",
		"flaky-read:0x100000000",
		"explode",
	};

	for (guint i = 0; i < G_N_ELEMENTS(good); i++) {
		g_autoptr(WfSimFaults) faults = wf_sim_faults_new();
		g_autoptr(GError) error = NULL;
		g_assert_true(wf_sim_faults_parse(faults, good[i], &error));
		g_assert_no_error(error);
		g_assert_cmpuint(wf_sim_faults_get_count(faults), >, 0);
	}
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(WfSimFaults) faults = wf_sim_faults_new();
		g_autoptr(GError) error = NULL;
		g_assert_false(wf_sim_faults_parse(faults, bad[i], &error));
		g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_DATA);
	}
	/* a watch refuses a bad spec */
	{
		g_autoptr(GError) error = NULL;
		g_autoptr(WfSimWatch) watch = NULL;
		WfSimConfig config;
		wf_sim_test_config_init_fast(&config);
		config.faults = g_strdup("nonsense:1");
		watch = wf_sim_watch_new(&config, &error);
		g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_DATA);
		g_assert_null(watch);
		wf_sim_config_clear(&config);
	}
}

static void
test_drop(void)
{
	g_autoptr(WfSimWatch) watch = watch_with_faults("drop:out:1,drop:in:2");
	g_autoptr(WfTransport) port = NULL;

	wf_sim_watch_plug_in(watch);
	port = wf_sim_test_wait_port(watch);
	wf_sim_test_exchange(port, "A0", "5F");
	/* out byte 1 (0x0A) never arrives */
	wf_sim_test_send(port, "0A");
	wf_sim_test_expect_silence(port, 50);
	/* in byte 1 arrives, in byte 2 (AF) is dropped */
	wf_sim_test_exchange(port, "0A", "F5");
	wf_sim_test_send(port, "50");
	wf_sim_test_expect_silence(port, 50);
	wf_sim_test_exchange(port, "05", "FA");
	/* each fault fires once */
	wf_sim_test_exchange(port, "FF", "05");
}

static void
test_corrupt(void)
{
	g_autoptr(WfSimWatch) watch = watch_with_faults("corrupt:in:0,corrupt:out:1:0x01");
	g_autoptr(WfTransport) port = NULL;

	wf_sim_watch_plug_in(watch);
	port = wf_sim_test_wait_port(watch);
	/* the watch's 5F arrives as A0 */
	wf_sim_test_exchange(port, "A0", "A0");
	/* the host's next A0 arrives as A1: a mismatch, answered A2 */
	wf_sim_test_exchange(port, "A0", "A2");
	wf_sim_test_handshake(port);
}

static void
test_stall(void)
{
	g_autoptr(WfSimWatch) watch = watch_with_faults("stall:in:4:150");
	g_autoptr(WfTransport) port = NULL;
	gint64 start;

	port = wf_sim_test_connect(watch);
	start = g_get_monotonic_time();
	wf_sim_test_exchange(port, "FF", "05");
	g_assert_cmpint(g_get_monotonic_time() - start, >=, 150000);
	start = g_get_monotonic_time();
	wf_sim_test_exchange(port, "FF", "05");
	g_assert_cmpint(g_get_monotonic_time() - start, <, 100000);
}

static void
test_disconnect_in(void)
{
	g_autoptr(WfSimWatch) watch = watch_with_faults("disconnect:in:6");
	g_autoptr(WfTransport) port = NULL;
	g_autoptr(WfTransport) port2 = NULL;

	port = wf_sim_test_connect(watch);
	/* 4 handshake bytes + FF's 05 + D8's echo make 6; then the port goes */
	wf_sim_test_exchange(port, "FF", "05");
	wf_sim_test_exchange(port, "D8", "D8");
	assert_lost(port);
	/* it re-enumerates */
	port2 = wf_sim_test_wait_port(watch);
	g_assert_cmpuint(wf_sim_watch_get_generation(watch), ==, 2);
	wf_sim_test_handshake(port2);
}

static void
test_disconnect_out(void)
{
	g_autoptr(WfSimWatch) watch = watch_with_faults("disconnect:out:5");
	g_autoptr(WfTransport) port = NULL;

	/* the handshake's 4 bytes cross; the port vanishes once the 5th has */
	port = wf_sim_test_connect(watch);
	wf_sim_test_send(port, "FF");
	assert_lost(port);
	g_assert_false(wf_sim_watch_has_port(watch) && wf_sim_watch_get_generation(watch) == 1);
}

static void
test_bad_handshake(void)
{
	g_autoptr(WfSimWatch) watch = watch_with_faults("bad-handshake:2");
	g_autoptr(WfTransport) port = NULL;

	wf_sim_watch_plug_in(watch);
	port = wf_sim_test_wait_port(watch);
	/* two wrong replies (neither the complement nor b + 1) */
	wf_sim_test_exchange(port, "A0", "5E");
	wf_sim_test_exchange(port, "A0", "5E");
	wf_sim_test_handshake(port);
	wf_sim_test_exchange(port, "FF", "05");
}

static void
test_bad_handshake_forever(void)
{
	g_autoptr(WfSimWatch) watch = watch_with_faults("bad-handshake");
	g_autoptr(WfTransport) port = NULL;

	wf_sim_watch_plug_in(watch);
	port = wf_sim_test_wait_port(watch);
	for (guint i = 0; i < 10; i++)
		wf_sim_test_exchange(port, "A0", "5E");
}

static void
test_no_handshake(void)
{
	g_autoptr(WfSimWatch) watch = NULL;
	g_autoptr(WfTransport) port = NULL;
	WfSimConfig config;

	wf_sim_test_config_init_fast(&config);
	config.faults = g_strdup("no-handshake");
	config.lifetime_ms = 100;
	config.reappear_gap_ms = 10;
	watch = wf_sim_test_watch_new(&config);
	wf_sim_config_clear(&config);
	wf_sim_watch_plug_in(watch);
	port = wf_sim_test_wait_port(watch);
	wf_sim_test_send(port, "A0");
	wf_sim_test_expect_silence(port, 50);
	/* the port still comes and goes */
	assert_lost(port);
	g_clear_object(&port);
	port = wf_sim_test_wait_port(watch);
	g_assert_cmpuint(wf_sim_watch_get_generation(watch), >=, 2);
	wf_sim_test_send(port, "A0");
	wf_sim_test_expect_silence(port, 30);
}

static void
test_slow(void)
{
	g_autoptr(WfSimWatch) watch = watch_with_faults("slow:60");
	g_autoptr(WfTransport) port = NULL;
	gint64 start;

	port = wf_sim_test_connect(watch);
	start = g_get_monotonic_time();
	wf_sim_test_exchange(port, "FF", "05");
	wf_sim_test_exchange(port, "FE", "FE");
	g_assert_cmpint(g_get_monotonic_time() - start, >=, 120000);
}

static guint32
read_flash_word(WfTransport *port, guint32 addr)
{
	return wf_sim_test_read32(port, addr);
}

static void
test_flaky_read(void)
{
	g_autoptr(WfSimWatch) watch = watch_with_faults("flaky-read:0x1002");
	g_autoptr(WfTransport) port = NULL;
	g_autoptr(GBytes) flash = wf_sim_watch_dup_flash(watch);
	const guint8 *f = g_bytes_get_data(flash, NULL);
	guint32 truth = (guint32)f[0x1000] | ((guint32)f[0x1001] << 8) |
			((guint32)f[0x1002] << 16) | ((guint32)f[0x1003] << 24);
	guint8 block[0x40];

	port = wf_sim_test_connect(watch);
	wf_sim_test_write32(port, 0xA0510000, 2);
	/* a read that does not cover the address is unaffected */
	g_assert_cmpuint(read_flash_word(port, 0x1004),
			 ==,
			 (guint32)f[0x1004] | ((guint32)f[0x1005] << 8) |
				 ((guint32)f[0x1006] << 16) | ((guint32)f[0x1007] << 24));
	/* the first read covering it: one wrong word, the rest right */
	wf_sim_test_exchange(port, "D1 00000FE0 00000010", "D1 00000FE0 00000010 0000");
	wf_sim_test_read(port, block, sizeof(block));
	wf_sim_test_expect(port, "0000");
	for (guint i = 0; i < 0x10; i++) {
		guint32 got = ((guint32)block[4 * i] << 24) | ((guint32)block[4 * i + 1] << 16) |
			      ((guint32)block[4 * i + 2] << 8) | block[4 * i + 3];
		guint32 want = (guint32)f[0xFE0 + 4 * i] | ((guint32)f[0xFE1 + 4 * i] << 8) |
			       ((guint32)f[0xFE2 + 4 * i] << 16) |
			       ((guint32)f[0xFE3 + 4 * i] << 24);
		if (0xFE0 + 4 * i == 0x1000)
			g_assert_cmpuint(got, !=, want);
		else
			g_assert_cmpuint(got, ==, want);
	}
	/* later reads are right */
	g_assert_cmpuint(read_flash_word(port, 0x1000), ==, truth);
	g_assert_cmpuint(read_flash_word(port, 0x1000), ==, truth);
}

static void
test_unstable_read(void)
{
	g_autoptr(WfSimWatch) watch = watch_with_faults("unstable-read:0x2000");
	g_autoptr(WfTransport) port = NULL;
	g_autoptr(GBytes) flash = wf_sim_watch_dup_flash(watch);
	const guint8 *f = g_bytes_get_data(flash, NULL);
	guint32 truth = (guint32)f[0x2000] | ((guint32)f[0x2001] << 8) |
			((guint32)f[0x2002] << 16) | ((guint32)f[0x2003] << 24);
	guint32 seen[6];

	port = wf_sim_test_connect(watch);
	wf_sim_test_write32(port, 0xA0510000, 2);
	for (guint i = 0; i < G_N_ELEMENTS(seen); i++) {
		seen[i] = read_flash_word(port, 0x2000);
		g_assert_cmpuint(seen[i], !=, truth);
		for (guint j = 0; j < i; j++)
			g_assert_cmpuint(seen[i], !=, seen[j]);
	}
	/* READ16 of the same word is unstable too */
	g_assert_cmpuint(wf_sim_test_read16(port, 0x2000), !=, truth & 0xFFFF);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_test_add_func("/sim/faults/parse", test_parse);
	g_test_add_func("/sim/faults/drop", test_drop);
	g_test_add_func("/sim/faults/corrupt", test_corrupt);
	g_test_add_func("/sim/faults/stall", test_stall);
	g_test_add_func("/sim/faults/disconnect-in", test_disconnect_in);
	g_test_add_func("/sim/faults/disconnect-out", test_disconnect_out);
	g_test_add_func("/sim/faults/bad-handshake", test_bad_handshake);
	g_test_add_func("/sim/faults/bad-handshake-forever", test_bad_handshake_forever);
	g_test_add_func("/sim/faults/no-handshake", test_no_handshake);
	g_test_add_func("/sim/faults/slow", test_slow);
	g_test_add_func("/sim/faults/flaky-read", test_flaky_read);
	g_test_add_func("/sim/faults/unstable-read", test_unstable_read);
	return g_test_run();
}
