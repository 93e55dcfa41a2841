/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>

#include "wf-backup.h"
#include "wf-brom.h"
#include "wf-catcher.h"
#include "wf-device-info.h"
#include "wf-sim-config.h"
#include "wf-sim-watch.h"
#include "wf-transport-factory.h"

/*
 * Prints the figures issue 2 asks for; asserts nothing about speed, because
 * a loaded machine must not fail a build:
 *   - an 8 MiB verified backup on the default link model (1 000 000 B/s,
 *     1 ms turnaround): total time, and one-pass efficiency =
 *     (bytes / link rate) / time of one read pass (target >= 0.90);
 *   - unthrottled BROM READ32 throughput over a real pty against
 *     wristflash-sim (target >= 20 MB/s: no per-byte system calls).
 */

#define BENCH_FLASH_SIZE (8 * 1024 * 1024)

static WfTransport *
bench_open_port(gpointer user_data, GError **error)
{
	return wf_sim_watch_open_port(WF_SIM_WATCH(user_data), error);
}

static gboolean
bench_backup_default_link(const gchar *tmpdir, GError **error)
{
	WfSimConfig config;
	g_autoptr(WfSimWatch) watch = NULL;
	g_autoptr(WfCatcher) catcher = wf_catcher_new();
	g_autoptr(WfBrom) brom = NULL;
	g_autoptr(WfDeviceInfo) info = NULL;
	g_autoptr(WfBackup) backup = NULL;
	g_autofree gchar *dest = g_build_filename(tmpdir, "backup", NULL);
	JsonObject *link;
	gdouble seconds, first_pass, floor_s;

	wf_sim_config_init(&config);
	config.flash_path = g_build_filename(tmpdir, "watch.bin", NULL);
	config.flash_size = BENCH_FLASH_SIZE;
	watch = wf_sim_watch_new(&config, error);
	wf_sim_config_clear(&config);
	if (watch == NULL)
		return FALSE;
	wf_catcher_set_opener(catcher, bench_open_port, g_object_ref(watch), g_object_unref);
	wf_sim_watch_plug_in(watch);
	brom = wf_catcher_catch(catcher, 10000, NULL, error);
	if (brom == NULL)
		return FALSE;
	if (!wf_device_info_identify(brom, 0, &info, NULL, error))
		return FALSE;
	backup = wf_backup_create(brom, info, dest, WF_BACKUP_FLAG_NONE, NULL, NULL, error);
	if (backup == NULL)
		return FALSE;
	link = json_object_get_object_member(wf_backup_get_record(backup), "link");
	seconds = json_object_get_double_member(link, "seconds");
	first_pass = json_object_get_double_member(link, "first_pass_seconds");
	floor_s = BENCH_FLASH_SIZE / (gdouble)WF_SIM_DEFAULT_RATE;
	g_print("backup 8 MiB, default link (%u B/s, %u us turnaround):\n",
		WF_SIM_DEFAULT_RATE,
		WF_SIM_DEFAULT_TURNAROUND_US);
	g_print("  total time (two verified passes): %.2f s\n", seconds);
	g_print("  one read pass:                    %.2f s (link floor %.2f s)\n", first_pass, floor_s);
	g_print("  one-pass efficiency:              %.3f (target >= 0.90)\n", floor_s / first_pass);
	g_print("  whole backup vs two-pass floor:   %.3f\n", 2 * floor_s / seconds);
	g_print("  first handshake byte after port:  %.2f ms (requirement: < 20 ms)\n",
		wf_catcher_get_first_write_delay_us(catcher) / 1000.0);
	wf_sim_watch_shutdown(watch);
	return TRUE;
}

/* Starts wristflash-sim behind a pty with an unthrottled link and reads the
 * whole flash through it. */
static gboolean
bench_pty_unthrottled(const gchar *tmpdir, GError **error)
{
	const gchar *sim = g_getenv("WF_SIM_PROGRAM");
	g_autofree gchar *link = g_build_filename(tmpdir, "pty-watch", NULL);
	g_autofree gchar *flash = g_build_filename(tmpdir, "pty-watch.bin", NULL);
	g_autoptr(GSubprocess) proc = NULL;
	g_autoptr(GDataInputStream) out = NULL;
	g_autofree gchar *ready = NULL;
	g_autoptr(WfCatcher) catcher = wf_catcher_new();
	g_autoptr(WfBrom) brom = NULL;
	g_autofree guint8 *buf = g_malloc(BENCH_FLASH_SIZE);
	gint64 t0;
	gdouble seconds;

	if (sim == NULL) {
		g_print("pty throughput: skipped (WF_SIM_PROGRAM not set)\n");
		return TRUE;
	}
	proc = g_subprocess_new(G_SUBPROCESS_FLAGS_STDOUT_PIPE,
				error,
				sim,
				"--link",
				link,
				"--flash-file",
				flash,
				"--size",
				"8M",
				"--rate",
				"0",
				"--turnaround-ms",
				"0",
				NULL);
	if (proc == NULL)
		return FALSE;
	out = g_data_input_stream_new(g_subprocess_get_stdout_pipe(proc));
	ready = g_data_input_stream_read_line(out, NULL, NULL, error);
	if (ready == NULL)
		return FALSE;
	wf_catcher_set_path(catcher, link);
	brom = wf_catcher_catch(catcher, 10000, NULL, error);
	if (brom == NULL)
		return FALSE;
	if (!wf_brom_remap_flash(brom, NULL, error))
		return FALSE;
	t0 = g_get_monotonic_time();
	if (!wf_brom_read_memory(brom, 0, buf, BENCH_FLASH_SIZE, 0, 0, NULL, NULL, NULL, error))
		return FALSE;
	seconds = (g_get_monotonic_time() - t0) / 1e6;
	g_print("pty, unthrottled link, BROM READ32 of 8 MiB: %.3f s = %.1f MB/s (target >= 20 MB/s)\n",
		seconds,
		BENCH_FLASH_SIZE / seconds / 1e6);
	wf_transport_close(wf_brom_get_transport(brom), NULL);
	g_subprocess_send_signal(proc, SIGTERM);
	return g_subprocess_wait(proc, NULL, error);
}

int
main(int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *tmpdir = g_dir_make_tmp("wf-bench-XXXXXX", &error);

	if (tmpdir == NULL || !bench_backup_default_link(tmpdir, &error) ||
	    !bench_pty_unthrottled(tmpdir, &error)) {
		g_printerr("benchmark failed: %s\n", error->message);
		return 1;
	}
	g_autofree gchar *cmd = g_strdup_printf("rm -rf '%s'", tmpdir);
	(void)system(cmd);
	return 0;
}
