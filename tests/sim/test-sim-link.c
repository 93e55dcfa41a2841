/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "wf-error.h"
#include "wf-sim-channel.h"
#include "wf-sim-test-util.h"

/*
 * The link model: timestamped channels, rate and latency, flow control,
 * closing. Rate checks are functional (is throttling applied?), with loose
 * bounds, not benchmarks.
 */

static void
test_channel_basics(void)
{
	g_autoptr(WfSimChannel) ch = wf_sim_channel_new(0, 0, 0);
	g_autoptr(GError) error = NULL;
	guint8 buf[8];
	gsize got = 0;

	g_assert_cmpint(wf_sim_channel_get_first_arrival(ch), ==, -1);
	/* nothing there: times out */
	g_assert_false(wf_sim_channel_read(
		ch, buf, sizeof(buf), &got, g_get_monotonic_time() + 10000, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_TIMED_OUT);
	g_clear_error(&error);
	/* bytes from several writes come back in order, as much as fits */
	g_assert_true(
		wf_sim_channel_write(ch, (const guint8 *)"abc", 3, WF_SIM_FOREVER, NULL, NULL));
	g_assert_true(
		wf_sim_channel_write(ch, (const guint8 *)"defg", 4, WF_SIM_FOREVER, NULL, NULL));
	g_assert_cmpint(wf_sim_channel_get_first_arrival(ch), >, 0);
	g_assert_true(wf_sim_channel_read(ch, buf, 5, &got, WF_SIM_FOREVER, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpmem(buf, got, "abcde", 5);
	/* discarding drops what has arrived */
	g_assert_cmpuint(wf_sim_channel_discard(ch), ==, 2);
	g_assert_cmpuint(wf_sim_channel_get_bytes_written(ch), ==, 7);
	/* after a close the bytes that arrived before it are still readable */
	g_assert_true(
		wf_sim_channel_write(ch, (const guint8 *)"xy", 2, WF_SIM_FOREVER, NULL, NULL));
	wf_sim_channel_close(ch, g_get_monotonic_time());
	g_assert_true(wf_sim_channel_is_closed(ch));
	g_assert_true(
		wf_sim_channel_read(ch, buf, sizeof(buf), &got, WF_SIM_FOREVER, NULL, &error));
	g_assert_cmpmem(buf, got, "xy", 2);
	g_assert_false(
		wf_sim_channel_read(ch, buf, sizeof(buf), &got, WF_SIM_FOREVER, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_DEVICE_LOST);
	g_clear_error(&error);
	g_assert_false(wf_sim_channel_write(ch, buf, 1, WF_SIM_FOREVER, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_DEVICE_LOST);
}

static void
test_channel_timing(void)
{
	/* 10 kB/s, 20 ms latency: 100 bytes take 10 ms on the wire + 20 ms */
	g_autoptr(WfSimChannel) ch = wf_sim_channel_new(10000, 20000, 0);
	g_autoptr(GError) error = NULL;
	guint8 data[100] = {0};
	guint8 buf[100];
	gsize done = 0;
	gint64 start = g_get_monotonic_time(), first = 0, elapsed;

	g_assert_true(wf_sim_channel_write(ch, data, sizeof(data), WF_SIM_FOREVER, NULL, NULL));
	while (done < sizeof(data)) {
		gsize got = 0;
		g_assert_true(wf_sim_channel_read(
			ch, buf, sizeof(buf), &got, start + 1000000, NULL, &error));
		g_assert_no_error(error);
		if (done == 0)
			first = g_get_monotonic_time() - start;
		done += got;
	}
	elapsed = g_get_monotonic_time() - start;
	g_assert_cmpint(first, >=, 20000);
	g_assert_cmpint(elapsed, >=, 30000);
	g_assert_cmpint(elapsed, <, 500000);
	/* a stall delays what follows */
	start = g_get_monotonic_time();
	wf_sim_channel_stall(ch, 50000);
	g_assert_true(wf_sim_channel_write(ch, data, 1, WF_SIM_FOREVER, NULL, NULL));
	g_assert_true(wf_sim_channel_read(ch, buf, 1, NULL, start + 1000000, NULL, &error));
	g_assert_cmpint(g_get_monotonic_time() - start, >=, 70000);
}

static void
test_channel_flow_control(void)
{
	g_autoptr(WfSimChannel) ch = wf_sim_channel_new(0, 0, 16);
	g_autoptr(GError) error = NULL;
	guint8 data[10] = {0};
	guint8 buf[32];
	gsize got = 0;

	/* the first write always fits; the second would pass the limit */
	g_assert_true(wf_sim_channel_write(ch, data, 10, WF_SIM_FOREVER, NULL, NULL));
	g_assert_false(
		wf_sim_channel_write(ch, data, 10, g_get_monotonic_time() + 20000, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_TIMED_OUT);
	g_clear_error(&error);
	g_assert_true(wf_sim_channel_read(ch, buf, sizeof(buf), &got, WF_SIM_FOREVER, NULL, NULL));
	g_assert_cmpuint(got, ==, 10);
	g_assert_true(
		wf_sim_channel_write(ch, data, 10, g_get_monotonic_time() + 20000, NULL, &error));
	g_assert_no_error(error);
}

static gboolean
cancel_cb(gpointer data)
{
	g_cancellable_cancel(data);
	return G_SOURCE_REMOVE;
}

static gpointer
cancel_thread(gpointer data)
{
	g_usleep(30000);
	cancel_cb(data);
	return NULL;
}

static void
test_channel_cancel(void)
{
	g_autoptr(WfSimChannel) ch = wf_sim_channel_new(0, 0, 0);
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autoptr(GError) error = NULL;
	GThread *thread = g_thread_new("cancel", cancel_thread, cancellable);
	guint8 buf[4];
	gint64 start = g_get_monotonic_time();

	g_assert_false(wf_sim_channel_read(
		ch, buf, sizeof(buf), NULL, WF_SIM_FOREVER, cancellable, &error));
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	g_assert_cmpint(g_get_monotonic_time() - start, <, 1000000);
	g_thread_join(thread);
}

/* READ32 of @words words; returns bytes/s of the data part */
static gdouble
measure_read_rate(WfTransport *port, guint32 words)
{
	g_autofree gchar *cmd = g_strdup_printf("D1 00000000 %08X", words);
	g_autofree guint8 *buf = g_malloc((gsize)words * 4);
	guint8 first[4];
	gint64 start, elapsed;

	wf_sim_test_exchange(port, cmd, cmd);
	wf_sim_test_expect(port, "0000");
	/* time from the first data byte to the last: pure wire rate */
	wf_sim_test_read(port, first, 4);
	start = g_get_monotonic_time();
	wf_sim_test_read(port, buf, (gsize)words * 4 - 4);
	elapsed = g_get_monotonic_time() - start;
	wf_sim_test_expect(port, "0000");
	return ((gdouble)words * 4 - 4) * G_USEC_PER_SEC / (gdouble)MAX(elapsed, 1);
}

static void
test_rate(void)
{
	g_autoptr(WfSimWatch) watch = NULL;
	g_autoptr(WfTransport) port = NULL;
	WfSimConfig config;
	gdouble rate;

	wf_sim_test_config_init_fast(&config);
	config.rate = 1000000;
	config.turnaround_us = 1000;
	watch = wf_sim_test_watch_new(&config);
	port = wf_sim_test_connect(watch);
	wf_sim_test_write32(port, 0xA0510000, 2);
	/* 512 KiB at 1 MB/s: about half a second of data */
	rate = measure_read_rate(port, 0x20000);
	g_test_message("measured %.0f B/s at 1000000 B/s configured", rate);
	g_assert_cmpfloat(rate, >, 0.7 * config.rate);
	g_assert_cmpfloat(rate, <, 1.3 * config.rate);
}

static void
test_turnaround(void)
{
	g_autoptr(WfSimWatch) watch = NULL;
	g_autoptr(WfTransport) port = NULL;
	WfSimConfig config;
	gint64 start, per_trip;

	wf_sim_test_config_init_fast(&config);
	config.rate = 1000000;
	config.turnaround_us = 5000;
	watch = wf_sim_test_watch_new(&config);
	port = wf_sim_test_connect(watch);
	start = g_get_monotonic_time();
	for (guint i = 0; i < 20; i++)
		wf_sim_test_exchange(port, "FF", "05");
	per_trip = (g_get_monotonic_time() - start) / 20;
	g_test_message("round trip %" G_GINT64_FORMAT " µs at 5000 µs configured", per_trip);
	g_assert_cmpint(per_trip, >=, 5000);
	g_assert_cmpint(per_trip, <, 50000);
}

static void
test_unthrottled(void)
{
	g_autoptr(WfSimWatch) watch = NULL;
	g_autoptr(WfTransport) port = NULL;
	WfSimConfig config;
	gdouble rate;

	wf_sim_test_config_init_fast(&config);
	watch = wf_sim_test_watch_new(&config);
	port = wf_sim_test_connect(watch);
	wf_sim_test_write32(port, 0xA0510000, 2);
	/* the whole 4 MiB flash in one command */
	rate = measure_read_rate(port, 0x100000);
	g_test_message("unthrottled in-process: %.1f MB/s", rate / 1e6);
	g_assert_cmpfloat(rate, >, 5e6); /* loose: valgrind runs this too */
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_test_add_func("/sim/link/channel-basics", test_channel_basics);
	g_test_add_func("/sim/link/channel-timing", test_channel_timing);
	g_test_add_func("/sim/link/channel-flow-control", test_channel_flow_control);
	g_test_add_func("/sim/link/channel-cancel", test_channel_cancel);
	g_test_add_func("/sim/link/rate", test_rate);
	g_test_add_func("/sim/link/turnaround", test_turnaround);
	g_test_add_func("/sim/link/unthrottled", test_unthrottled);
	return g_test_run();
}
