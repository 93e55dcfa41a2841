/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "wf-brom.h"
#include "wf-device-info.h"
#include "wf-sfi-writer.h"
#include "wf-sim-config.h"
#include "wf-sim-watch.h"

/*
 * Prints the figures issue 7 asks for, on the default link model (1 MB/s
 * each way, 1 ms turnaround) and the virtual watch's realistic NOR timings
 * (W25Q64 typical: 64 KiB erase 150 ms, page program 0.7 ms). Asserts
 * nothing about speed, because a loaded machine must not fail a build:
 *   - full raw restore of 4 MiB through SFI (erase everything, program,
 *     read back): time (target <= 45 s) and ratio to the one-pass read
 *     floor (4 MiB at 1 MB/s), for the default image and for an image
 *     with data in every page;
 *   - differential restore after a 64 KiB change, as a fraction of a full
 *     restore (target <= 0.10), reading the watch to compare, and with the
 *     watch's contents already known.
 */

#define BENCH_SIZE (4 * 1024 * 1024)

typedef struct {
	WfSimWatch *watch;
	WfTransport *transport;
	WfBrom *brom;
	guint32 flash_size;
} Bench;

static gboolean
bench_start(Bench *b, GError **error)
{
	WfSimConfig config;
	g_autoptr(WfDeviceInfo) info = NULL;

	wf_sim_config_init(&config);
	config.flash_size = BENCH_SIZE;
	config.lifetime_ms = 0;
	b->watch = wf_sim_watch_new(&config, error);
	wf_sim_config_clear(&config);
	if (b->watch == NULL)
		return FALSE;
	wf_sim_watch_plug_in(b->watch);
	b->transport = wf_sim_watch_wait_port(b->watch, 5000, NULL, error);
	if (b->transport == NULL)
		return FALSE;
	b->brom = wf_brom_new(b->transport);
	if (!wf_brom_handshake(b->brom, 2000, NULL, NULL, error))
		return FALSE;
	if (!wf_device_info_identify(b->brom, 0, &info, NULL, error))
		return FALSE;
	b->flash_size = wf_device_info_get_flash_size(info);
	return TRUE;
}

static void
bench_stop(Bench *b)
{
	g_clear_object(&b->brom);
	if (b->transport != NULL)
		wf_transport_close(b->transport, NULL);
	g_clear_object(&b->transport);
	if (b->watch != NULL)
		wf_sim_watch_shutdown(b->watch);
	g_clear_object(&b->watch);
}

static gboolean
bench_load(Bench *b, GBytes *image, GError **error)
{
	return wf_sim_flash_load(wf_sim_watch_get_flash(b->watch), image, error);
}

static void
bench_fill(guint8 *buf, gsize len, guint32 seed)
{
	guint32 x = seed * 2654435761u + 1;

	for (gsize i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		buf[i] = (guint8)(x >> 11);
	}
}

/* writes @image; returns the writer for its stats, or NULL */
static WfSfiWriter *
bench_write(Bench *b, GBytes *image, WfSfiWriterMode mode, GBytes *current, GError **error)
{
	g_autoptr(WfSfiWriter) writer = wf_sfi_writer_new(b->brom, b->flash_size);
	g_autoptr(GBytes) after = NULL;

	wf_sfi_writer_set_mode(writer, mode);
	wf_sfi_writer_set_current(writer, current);
	if (!wf_sfi_writer_add_region(writer, "image", 0, image, error))
		return NULL;
	if (!wf_sfi_writer_run(writer, NULL, error))
		return NULL;
	after = wf_sim_watch_dup_flash(b->watch);
	if (!g_bytes_equal(after, image)) {
		g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_FAILED, "the flash differs");
		return NULL;
	}
	return g_steal_pointer(&writer);
}

static void
bench_print(const gchar *what, WfSfiWriter *writer, gdouble floor_s)
{
	const WfSfiWriterStats *s = wf_sfi_writer_get_stats(writer);
	const WfSfiNorStats *nor = wf_sfi_nor_get_stats(wf_sfi_writer_get_nor(writer));

	g_print("%s: %.2f s (%.2f × the read floor)\n",
		what,
		s->seconds_total,
		s->seconds_total / floor_s);
	g_print("    compare %.2f s, erase+program %.2f s, verify %.2f s\n",
		s->seconds_compare,
		s->seconds_write,
		s->seconds_verify);
	g_print("    erases: %u × 64 KiB, %u × 4 KiB; pages programmed %u, blank %u; "
		"retries %u (pacing up to %u)\n",
		s->blocks_erased,
		s->sectors_erased,
		s->pages_programmed,
		s->pages_skipped,
		s->page_retries,
		nor->max_pacing);
	if (s->pages_programmed > 0 && s->seconds_write > 0) {
		gdouble erase_s = s->blocks_erased * 0.150 + s->sectors_erased * 0.045;
		g_print("    per programmed page: %.2f ms (erase time taken out at its typical "
			"value)\n",
			(s->seconds_write - erase_s) * 1000 / s->pages_programmed);
	}
}

static gboolean
bench_run(GError **error)
{
	Bench b = {0};
	const gdouble floor_s = BENCH_SIZE / (gdouble)WF_SIM_DEFAULT_RATE;
	g_autoptr(GBytes) image_default = NULL;
	g_autoptr(GBytes) image_full = NULL;
	g_autoptr(GBytes) garbage = NULL;
	g_autoptr(GBytes) changed = NULL;
	g_autoptr(WfSfiWriter) full_default = NULL;
	g_autoptr(WfSfiWriter) full_dense = NULL;
	g_autoptr(WfSfiWriter) diff_read = NULL;
	g_autoptr(WfSfiWriter) diff_known = NULL;
	guint8 *buf;
	gdouble t_default, t_dense;

	if (!bench_start(&b, error))
		return FALSE;
	g_print("SFI restore of %u MiB, default link (%u B/s, %u us turnaround), realistic NOR "
		"timings; one-pass read floor %.2f s\n",
		BENCH_SIZE >> 20,
		WF_SIM_DEFAULT_RATE,
		WF_SIM_DEFAULT_TURNAROUND_US,
		floor_s);

	/* the watch's own image, onto a flash full of garbage */
	image_default = wf_sim_watch_dup_flash(b.watch);
	buf = g_malloc(BENCH_SIZE);
	bench_fill(buf, BENCH_SIZE, 1);
	garbage = g_bytes_new_take(buf, BENCH_SIZE);
	if (!bench_load(&b, garbage, error))
		goto out;
	full_default = bench_write(&b, image_default, WF_SFI_WRITER_MODE_FULL, NULL, error);
	if (full_default == NULL)
		goto out;
	bench_print("full raw restore, default image (target <= 45 s)", full_default, floor_s);

	/* data in every page: the worst case */
	buf = g_malloc(BENCH_SIZE);
	bench_fill(buf, BENCH_SIZE, 2);
	image_full = g_bytes_new_take(buf, BENCH_SIZE);
	full_dense = bench_write(&b, image_full, WF_SFI_WRITER_MODE_FULL, NULL, error);
	if (full_dense == NULL)
		goto out;
	bench_print(
		"full raw restore, every page holds data (target <= 45 s)", full_dense, floor_s);

	/* one 64 KiB block changed behind our back */
	buf = g_memdup2(g_bytes_get_data(image_full, NULL), BENCH_SIZE);
	for (gsize i = 0x120000; i < 0x130000; i++)
		buf[i] ^= 0xA5;
	changed = g_bytes_new_take(buf, BENCH_SIZE);
	if (!bench_load(&b, changed, error))
		goto out;
	diff_read = bench_write(&b, image_full, WF_SFI_WRITER_MODE_DIFF, NULL, error);
	if (diff_read == NULL)
		goto out;
	bench_print("differential restore after a 64 KiB change, reading the watch to compare",
		    diff_read,
		    floor_s);
	if (!bench_load(&b, changed, error))
		goto out;
	diff_known = bench_write(&b, image_full, WF_SFI_WRITER_MODE_DIFF, changed, error);
	if (diff_known == NULL)
		goto out;
	bench_print("differential restore after a 64 KiB change, contents already known",
		    diff_known,
		    floor_s);

	t_default = wf_sfi_writer_get_stats(full_default)->seconds_total;
	t_dense = wf_sfi_writer_get_stats(full_dense)->seconds_total;
	g_print("differential (compare by reading) / full restore: %.3f of the dense image's, "
		"%.3f of the default image's (target <= 0.10)\n",
		wf_sfi_writer_get_stats(diff_read)->seconds_total / t_dense,
		wf_sfi_writer_get_stats(diff_read)->seconds_total / t_default);
	g_print("differential (contents known) / full restore: %.3f of the dense image's, "
		"%.3f of the default image's (target <= 0.10)\n",
		wf_sfi_writer_get_stats(diff_known)->seconds_total / t_dense,
		wf_sfi_writer_get_stats(diff_known)->seconds_total / t_default);
out:
	bench_stop(&b);
	return error == NULL || *error == NULL;
}

int
main(int argc, char **argv)
{
	g_autoptr(GError) error = NULL;

	if (!bench_run(&error)) {
		g_printerr("benchmark failed: %s\n", error->message);
		return 1;
	}
	return 0;
}
