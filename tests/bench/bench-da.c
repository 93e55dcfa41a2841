/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "wf-backup.h"
#include "wf-brom.h"
#include "wf-catcher.h"
#include "wf-da.h"
#include "wf-device-info.h"
#include "wf-flash-job.h"
#include "wf-sim-config.h"
#include "wf-sim-watch.h"
#include "wf-test-da.h"

/*
 * Prints the figures of the restore/flash work; asserts nothing about
 * speed, because a loaded machine must not fail a build:
 *   - Download Agent readback and write efficiency on the default link
 *     model (1 000 000 B/s each way, 1 ms turnaround), with fast NOR so the
 *     link is what is measured: (bytes / link rate) / time
 *     (targets: readback >= 0.80, write >= 0.70); readback both with one
 *     5A per packet and with ACK-ahead (the default);
 *   - a differential restore after a 64 KiB change as a fraction of a full
 *     restore of the same 4 MiB watch, default link and datasheet NOR
 *     timings (target <= 0.10), through the DA and through SFI.
 * The DA is a synthetic container (tests/da/wf-test-da.c), never MediaTek's.
 */

#define BENCH_FLASH_SIZE (4 * 1024 * 1024)
#define BENCH_READ_SIZE	 (2 * 1024 * 1024)
#define BENCH_WRITE_SIZE (1024 * 1024)
#define BENCH_CHANGE_AT	 0x20000 /* a block of the default image's MAUI ROM */

typedef struct {
	gchar *tmpdir;
	WfSimWatch *watch;
	WfCatcher *catcher;
	WfBrom *brom;
	WfDeviceInfo *info;
} Bench;

static WfTransport *
bench_open_port(gpointer user_data, GError **error)
{
	return wf_sim_watch_open_port(WF_SIM_WATCH(user_data), error);
}

static gboolean
bench_catch(Bench *b, GError **error)
{
	if (b->brom != NULL)
		wf_transport_close(wf_brom_get_transport(b->brom), NULL);
	g_clear_object(&b->brom);
	g_clear_object(&b->info);
	b->brom = wf_catcher_catch(b->catcher, 10000, NULL, error);
	if (b->brom == NULL)
		return FALSE;
	return wf_device_info_identify(b->brom, 0, &b->info, NULL, error);
}

static gboolean
bench_start_watch(Bench *b, const gchar *name, gboolean fast_nor, GError **error)
{
	WfSimConfig config;

	wf_sim_config_init(&config);
	config.flash_path = g_build_filename(b->tmpdir, name, NULL);
	config.flash_size = BENCH_FLASH_SIZE;
	config.fast_nor = fast_nor;
	config.lifetime_ms = 0;
	b->watch = wf_sim_watch_new(&config, error);
	wf_sim_config_clear(&config);
	if (b->watch == NULL)
		return FALSE;
	b->catcher = wf_catcher_new();
	wf_catcher_set_opener(b->catcher, bench_open_port, g_object_ref(b->watch), g_object_unref);
	wf_sim_watch_plug_in(b->watch);
	return bench_catch(b, error);
}

static void
bench_stop_watch(Bench *b)
{
	if (b->brom != NULL)
		wf_transport_close(wf_brom_get_transport(b->brom), NULL);
	g_clear_object(&b->brom);
	g_clear_object(&b->info);
	g_clear_object(&b->catcher);
	if (b->watch != NULL)
		wf_sim_watch_shutdown(b->watch);
	g_clear_object(&b->watch);
}

/* a synthetic all-in-one container whose flash table knows C2 20 16 */
static GBytes *
bench_da_blob(void)
{
	WfTestDaEntry entry = {
		.hw_code = 0x6261, .stage1_len = 0x434, .stage2_len = 0x1B4A8, .n_records = 8};
	return wf_test_da_container(&entry, 1, FALSE);
}

static gdouble
bench_efficiency(gsize bytes, gdouble seconds)
{
	return bytes / (gdouble)WF_SIM_DEFAULT_RATE / seconds;
}

/* one 2 MiB D6 readback, timed; what it read must be the flash */
static gboolean
bench_da_read(Bench *b, WfDa *da, guint8 *buf, guint32 packet_size, GError **error)
{
	g_autoptr(GBytes) flash = NULL;
	gint64 t0;
	gdouble seconds;

	wf_da_set_packet_size(da, packet_size);
	t0 = g_get_monotonic_time();
	if (!wf_da_read_flash(da, 0, buf, BENCH_READ_SIZE, NULL, NULL, error))
		return FALSE;
	seconds = (g_get_monotonic_time() - t0) / 1e6;
	g_print("  D6 readback of 2 MiB, 0x%05X-byte packets, %-12s %.2f s, efficiency %.3f%s\n",
		packet_size,
		wf_da_get_read_ack_ahead(da) ? "ACK-ahead:" : "ACK/packet:",
		seconds,
		bench_efficiency(BENCH_READ_SIZE, seconds),
		packet_size == WF_DA_DEFAULT_PACKET_SIZE && wf_da_get_read_ack_ahead(da)
			? " (target >= 0.80)"
			: "");
	flash = wf_sim_watch_dup_flash(b->watch);
	if (memcmp(buf, g_bytes_get_data(flash, NULL), BENCH_READ_SIZE) != 0) {
		g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_FAILED, "DA readback read wrong");
		return FALSE;
	}
	return TRUE;
}

/* DA readback and write on the default link model, fast NOR */
static gboolean
bench_da_link(Bench *b, GError **error)
{
	g_autoptr(GBytes) blob = bench_da_blob();
	g_autoptr(WfDaFile) file = NULL;
	g_autoptr(WfDa) da = NULL;
	g_autoptr(GBytes) data = wf_test_da_random_bytes(BENCH_WRITE_SIZE, 42);
	g_autofree guint8 *buf = g_malloc(BENCH_READ_SIZE);
	const WfDaEntry *entry;
	WfDaWriteFile wfile = {
		.name = "bench", .start = 0x100000, .file_type = 0x0100, .data = data};
	const guint32 packet_sizes[] = {0x1000, 0x10000};
	gint64 t0;
	gdouble seconds;

	if (!bench_start_watch(b, "link.bin", TRUE, error))
		return FALSE;
	file = wf_da_file_new_from_bytes(blob, NULL, error);
	if (file == NULL)
		return FALSE;
	entry = wf_da_file_select(file,
				  wf_device_info_get_hw_code(b->info),
				  wf_device_info_get_hw_subcode(b->info),
				  wf_device_info_get_hw_version(b->info),
				  wf_device_info_get_sw_version(b->info),
				  error);
	if (entry == NULL)
		return FALSE;
	if (!wf_brom_disable_watchdog(b->brom, NULL, error) ||
	    !wf_brom_extend_charger_wdt(b->brom, NULL, error))
		return FALSE;
	da = wf_da_new(wf_brom_get_transport(b->brom));
	t0 = g_get_monotonic_time();
	if (!wf_da_start(da, b->brom, file, entry, NULL, error))
		return FALSE;
	seconds = (g_get_monotonic_time() - t0) / 1e6;
	g_print("Download Agent, default link (%u B/s, %u us turnaround), fast NOR:\n",
		WF_SIM_DEFAULT_RATE,
		WF_SIM_DEFAULT_TURNAROUND_US);
	g_print("  start (upload 0x%X + 0x%X bytes, handshake, report): %.2f s\n",
		0x434,
		0x1B4A8,
		seconds);
	/* one 5A after each packet, then ACK-ahead (the default) */
	for (guint ahead = 0; ahead < 2; ahead++) {
		wf_da_set_read_ack_ahead(da, ahead);
		for (guint i = 0; i < G_N_ELEMENTS(packet_sizes); i++) {
			if (!bench_da_read(b, da, buf, packet_sizes[i], error))
				return FALSE;
		}
	}
	for (guint i = 0; i < G_N_ELEMENTS(packet_sizes); i++) {
		wf_da_set_packet_size(da, packet_sizes[i]);
		t0 = g_get_monotonic_time();
		if (!wf_da_write_files(da, &wfile, 1, WF_DA_ERASE_BEST_EFFORT, NULL, NULL, error))
			return FALSE;
		seconds = (g_get_monotonic_time() - t0) / 1e6;
		g_print("  D3+D5 write of 1 MiB, 0x%05X-byte packets: %.2f s, efficiency %.3f%s\n",
			packet_sizes[i],
			seconds,
			bench_efficiency(BENCH_WRITE_SIZE, seconds),
			packet_sizes[i] == WF_DA_DEFAULT_PACKET_SIZE ? " (target >= 0.70)" : "");
	}
	/* what was written is what reads back */
	wf_da_set_packet_size(da, WF_DA_DEFAULT_PACKET_SIZE);
	if (!wf_da_read_flash(da, 0x100000, buf, BENCH_WRITE_SIZE, NULL, NULL, error))
		return FALSE;
	if (memcmp(buf, g_bytes_get_data(data, NULL), BENCH_WRITE_SIZE) != 0) {
		g_set_error_literal(
			error, G_IO_ERROR, G_IO_ERROR_FAILED, "DA write read back wrong");
		return FALSE;
	}
	bench_stop_watch(b);
	return TRUE;
}

/* changes 64 KiB of the watch behind the client's back */
static gboolean
bench_change_block(Bench *b, guint8 xor_value, GError **error)
{
	g_autoptr(GBytes) now = wf_sim_watch_dup_flash(b->watch);
	guint8 *buf = g_memdup2(g_bytes_get_data(now, NULL), BENCH_FLASH_SIZE);
	g_autoptr(GBytes) changed = NULL;

	for (guint i = 0; i < 0x10000; i++)
		buf[BENCH_CHANGE_AT + i] ^= xor_value;
	changed = g_bytes_new_take(buf, BENCH_FLASH_SIZE);
	return wf_sim_flash_load(wf_sim_watch_get_flash(b->watch), changed, error);
}

/* one restore job from catching to the reset; returns its time */
static gboolean
bench_restore(Bench *b,
	      const gchar *backup_dir,
	      const gchar *da_path,
	      WfFlashMethod method,
	      WfFlashJobFlags flags,
	      gdouble *seconds,
	      GError **error)
{
	g_autoptr(WfFlashJob) job = wf_flash_job_new(WF_FLASH_JOB_KIND_RESTORE);
	g_autoptr(GBytes) now = NULL;
	g_autofree gchar *image_path = g_build_filename(backup_dir, "flash.bin", NULL);
	g_autofree gchar *image = NULL;
	gsize image_len = 0;
	gint64 t0;

	if (!bench_catch(b, error))
		return FALSE;
	t0 = g_get_monotonic_time();
	wf_flash_job_set_device(job, b->brom, b->info);
	wf_flash_job_set_backup_dir(job, backup_dir);
	wf_flash_job_set_method(job, method);
	wf_flash_job_set_flags(job, flags);
	wf_flash_job_set_da_file(job, da_path, NULL);
	wf_flash_job_set_history(job, NULL);
	if (!wf_flash_job_prepare(job, NULL, NULL, error) ||
	    !wf_flash_job_run(job, NULL, NULL, error))
		return FALSE;
	*seconds = (g_get_monotonic_time() - t0) / 1e6;
	g_print("    %-34s %7.2f s  (%s: %s)\n",
		(flags & WF_FLASH_JOB_FLAG_FULL) ? "full restore" : "differential restore",
		*seconds,
		wf_flash_method_to_string(wf_flash_job_get_method(job)),
		wf_flash_job_get_method_reason(job));
	/* it must have worked */
	now = wf_sim_watch_dup_flash(b->watch);
	if (!g_file_get_contents(image_path, &image, &image_len, error))
		return FALSE;
	if (image_len != g_bytes_get_size(now) ||
	    memcmp(image, g_bytes_get_data(now, NULL), image_len) != 0) {
		g_set_error_literal(error,
				    G_IO_ERROR,
				    G_IO_ERROR_FAILED,
				    "the restore did not give back the backup");
		return FALSE;
	}
	return TRUE;
}

static gboolean
bench_restore_fraction(Bench *b, GError **error)
{
	g_autofree gchar *backup_dir = g_build_filename(b->tmpdir, "backup", NULL);
	g_autofree gchar *da_path = g_build_filename(b->tmpdir, "MTK_AllInOne_DA.bin", NULL);
	g_autoptr(GBytes) blob = bench_da_blob();
	g_autoptr(WfBackup) backup = NULL;
	gdouble diff_da = 0, diff_sfi = 0, full = 0;

	if (!g_file_set_contents(
		    da_path, g_bytes_get_data(blob, NULL), (gssize)g_bytes_get_size(blob), error))
		return FALSE;
	if (!bench_start_watch(b, "restore.bin", FALSE, error))
		return FALSE;
	backup = wf_backup_create(
		b->brom, b->info, backup_dir, WF_BACKUP_FLAG_NONE, NULL, NULL, error);
	if (backup == NULL)
		return FALSE;
	g_print("Restore of a 4 MiB watch, default link, datasheet NOR timings, 64 KiB changed:\n");
	if (!bench_change_block(b, 0x3C, error) ||
	    !bench_restore(b, backup_dir, da_path, WF_FLASH_METHOD_AUTO, 0, &diff_da, error))
		return FALSE;
	if (!bench_change_block(b, 0x5A, error) ||
	    !bench_restore(b, backup_dir, NULL, WF_FLASH_METHOD_SFI, 0, &diff_sfi, error))
		return FALSE;
	if (!bench_change_block(b, 0x69, error) || !bench_restore(b,
								  backup_dir,
								  NULL,
								  WF_FLASH_METHOD_AUTO,
								  WF_FLASH_JOB_FLAG_FULL,
								  &full,
								  error))
		return FALSE;
	g_print("  differential / full, through the DA: %.3f (target <= 0.10)\n", diff_da / full);
	g_print("  differential / full, through SFI:    %.3f (target <= 0.10)\n", diff_sfi / full);
	g_print("  (a differential restore reads the whole flash once to compare: %.2f s of it is "
		"the 4 MiB / 1 MB/s read floor)\n",
		BENCH_FLASH_SIZE / (gdouble)WF_SIM_DEFAULT_RATE);
	bench_stop_watch(b);
	return TRUE;
}

int
main(int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	Bench b = {0};
	g_autofree gchar *cmd = NULL;
	int status = 0;

	b.tmpdir = g_dir_make_tmp("wf-bench-da-XXXXXX", &error);
	if (b.tmpdir == NULL || !bench_da_link(&b, &error) || !bench_restore_fraction(&b, &error)) {
		g_printerr("benchmark failed: %s\n", error->message);
		status = 1;
	}
	bench_stop_watch(&b);
	if (b.tmpdir != NULL) {
		cmd = g_strdup_printf("rm -rf '%s'", b.tmpdir);
		(void)system(cmd);
	}
	g_free(b.tmpdir);
	return status;
}
