/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "wf-brom.h"
#include "wf-device-info.h"
#include "wf-error.h"
#include "wf-sfi.h"
#include "wf-sim-watch.h"

/*
 * The client against the virtual watch, in process. The watch is written
 * from protocol.md by someone else and shares no protocol code with us, so
 * agreement here is agreement between two readings of the spec.
 */

#define TEST_FLASH_SIZE (4 * 1024 * 1024)

typedef struct {
	WfSimWatch *watch;
	WfTransport *transport;
	WfBrom *brom;
} Fixture;

/* @data: a link rate in bytes/s to model a real link, or NULL for an
 * unthrottled one */
static void
fixture_setup(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	WfBromHandshakeResult result = 99;
	WfSimConfig config;

	wf_sim_config_init(&config);
	config.flash_size = TEST_FLASH_SIZE;
	config.rate = GPOINTER_TO_UINT(data);
	if (data == NULL)
		config.turnaround_us = 0;
	config.lifetime_ms = 0;
	config.fast_nor = TRUE;
	f->watch = wf_sim_watch_new(&config, &error);
	wf_sim_config_clear(&config);
	g_assert_no_error(error);
	g_assert_nonnull(f->watch);
	wf_sim_watch_plug_in(f->watch);
	f->transport = wf_sim_watch_wait_port(f->watch, 5000, NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(f->transport);
	f->brom = wf_brom_new(f->transport);
	g_assert_true(wf_brom_handshake(f->brom, 2000, &result, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpint(result, ==, WF_BROM_HANDSHAKE_DONE);
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
	g_clear_object(&f->brom);
	if (f->transport != NULL)
		wf_transport_close(f->transport, NULL);
	g_clear_object(&f->transport);
	if (f->watch != NULL)
		wf_sim_watch_shutdown(f->watch);
	g_clear_object(&f->watch);
}

static void
prepare_for_reading(Fixture *f)
{
	g_autoptr(GError) error = NULL;

	g_assert_true(wf_brom_disable_watchdog(f->brom, NULL, &error));
	g_assert_no_error(error);
	g_assert_true(wf_brom_extend_charger_wdt(f->brom, NULL, &error));
	g_assert_no_error(error);
	g_assert_true(wf_brom_remap_flash(f->brom, NULL, &error));
	g_assert_no_error(error);
}

static void
test_identify(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(WfDeviceInfo) info = NULL;
	const guint8 *jedec = wf_sim_watch_get_jedec(f->watch);

	g_assert_true(wf_device_info_identify(f->brom, 0, &info, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(wf_device_info_get_chip(info), ==, "MT6261DA");
	g_assert_cmphex(wf_device_info_get_hw_code(info), ==, 0x6261);
	g_assert_cmpuint(wf_device_info_get_brom_version(info), ==, 0x05);
	g_assert_cmpuint(wf_device_info_get_bl_version(info), ==, 0xFE);
	g_assert_cmpmem(wf_device_info_get_me_id(info), 16, wf_sim_watch_get_me_id(f->watch), 16);
	g_assert_true(wf_device_info_has_jedec_id(info));
	g_assert_cmpmem(wf_device_info_get_jedec_id(info), 3, jedec, 3);
	g_assert_cmpuint(
		wf_device_info_get_flash_size(info), ==, wf_sim_watch_get_flash_size(f->watch));
	g_assert_cmpstr(wf_device_info_get_flash_size_method(info), ==, "jedec");
}

static void
test_identify_override(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(WfDeviceInfo) info = NULL;

	g_assert_true(wf_device_info_identify(f->brom, 2 * 1024 * 1024, &info, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(wf_device_info_get_flash_size(info), ==, 2 * 1024 * 1024);
	g_assert_cmpstr(wf_device_info_get_flash_size_method(info), ==, "override");
	/* the id is read all the same */
	g_assert_true(wf_device_info_has_jedec_id(info));
}

static void
test_sfi_status(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(WfSfi) sfi = wf_sfi_new(f->brom);
	guint8 status = 0xFF;

	g_assert_true(wf_sfi_read_status(sfi, &status, NULL, &error));
	g_assert_no_error(error);
	/* idle: no write in progress, write enable latch clear */
	g_assert_cmpuint(status & 0x03, ==, 0);
}

static void
read_and_compare(Fixture *f, gsize chunk_size, guint depth, gsize len)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) flash = wf_sim_watch_dup_flash(f->watch);
	g_autofree guint8 *buf = g_malloc0(len);
	gint64 start = g_get_monotonic_time();
	gdouble secs;

	g_assert_cmpuint(g_bytes_get_size(flash), >=, len);
	g_assert_true(wf_brom_read_memory(
		f->brom, 0, buf, len, chunk_size, depth, NULL, NULL, NULL, &error));
	g_assert_no_error(error);
	secs = (g_get_monotonic_time() - start) / 1e6;
	g_assert_cmpmem(buf, len, g_bytes_get_data(flash, NULL), len);
	g_test_message("read %" G_GSIZE_FORMAT " KiB, chunk %" G_GSIZE_FORMAT
		       ", depth %u: %.3f s, %.0f KiB/s",
		       len / 1024,
		       chunk_size,
		       depth,
		       secs,
		       len / 1024.0 / secs);
	g_printerr("read %" G_GSIZE_FORMAT " KiB, chunk %" G_GSIZE_FORMAT
		   ", depth %u: %.3f s, %.0f KiB/s\n",
		   len / 1024,
		   chunk_size,
		   depth,
		   secs,
		   len / 1024.0 / secs);
}

static void
test_read_whole_flash(Fixture *f, gconstpointer data)
{
	prepare_for_reading(f);
	/* the defaults: 64 KiB commands, two in flight */
	read_and_compare(f, 0, 0, TEST_FLASH_SIZE);
}

static void
test_read_depths(Fixture *f, gconstpointer data)
{
	prepare_for_reading(f);
	read_and_compare(f, 4096, 1, 256 * 1024);
	read_and_compare(f, 4096, 2, 256 * 1024);
	read_and_compare(f, 1024, 8, 256 * 1024);
	/* odd sizes: a tail chunk shorter than the others */
	read_and_compare(f, 12 * 1024, 3, 100 * 1024 + 4);
}

/* the link model (1 MB/s, 1 ms turnaround): pipelining must pay off */
static void
test_read_pipelining_pays(Fixture *f, gconstpointer data)
{
	const gsize len = 128 * 1024;
	gint64 t0;
	gint64 t1;
	gint64 t2;

	prepare_for_reading(f);
	t0 = g_get_monotonic_time();
	read_and_compare(f, 1024, 1, len);
	t1 = g_get_monotonic_time();
	read_and_compare(f, 1024, 2, len);
	t2 = g_get_monotonic_time();
	g_printerr("1 KiB commands: depth 1 %.0f ms, depth 2 %.0f ms\n",
		   (t1 - t0) / 1e3,
		   (t2 - t1) / 1e3);
	/* 128 round trips of ~1 ms hidden behind the data: clearly faster */
	g_assert_cmpint(t2 - t1, <, (t1 - t0) * 9 / 10);
	/* for the record: the defaults on this link */
	read_and_compare(f, 0, 0, 1024 * 1024);
}

static void
test_errors_and_recovery(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	guint32 word = 0;
	guint16 half = 0;
	guint8 version = 0;

	/* the BootROM itself is refused */
	g_assert_false(wf_brom_read32(f->brom, 0xFFF00000, &word, 1, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_DEVICE_STATUS);
	g_assert_nonnull(strstr(error->message, "0x1D08"));
	g_clear_error(&error);
	/* misaligned */
	g_assert_false(wf_brom_read32(f->brom, 0x80000002, &word, 1, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_DEVICE_STATUS);
	g_assert_nonnull(strstr(error->message, "0x1D07"));
	g_clear_error(&error);
	/* and the line is clean afterwards */
	g_assert_true(wf_brom_read16_legacy(f->brom, 0x80000008, &half, 1, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmphex(half, ==, 0x6261);
	g_assert_true(wf_brom_get_version(f->brom, &version, NULL, &error));
	g_assert_cmpuint(version, ==, 5);
}

static void
test_handshake_again(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	WfBromHandshakeResult result = 99;

	g_assert_true(wf_brom_handshake(f->brom, 1000, &result, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpint(result, ==, WF_BROM_HANDSHAKE_ALREADY_DONE);
}

static void
test_send_da_and_jump(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	const gsize len = 0x434;
	g_autofree guint8 *da = g_malloc(len);

	for (gsize i = 0; i < len; i++)
		da[i] = (guint8)(i * 13 + 7);
	/* the watch computes the XOR16 on its own; send_da compares */
	g_assert_true(wf_brom_send_da(f->brom, 0x70007000, da, len, 0x100, NULL, &error));
	g_assert_no_error(error);
	g_assert_true(wf_brom_jump_da(f->brom, 0x70007000, NULL, &error));
	g_assert_no_error(error);
}

static void
test_jump_da_fatal(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	guint8 version = 0;

	/* nothing loaded: the boot ROM refuses and goes silent for good */
	g_assert_false(wf_brom_jump_da(f->brom, 0x70007000, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_DEVICE_STATUS);
	g_assert_nonnull(strstr(error->message, "0x1D16"));
	g_assert_true(wf_brom_is_halted(f->brom));
	g_clear_error(&error);
	g_assert_false(wf_brom_get_version(f->brom, &version, NULL, &error));
	g_assert_nonnull(strstr(error->message, "plug it in again"));
}

static void
test_reset(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	guint8 version = 0;

	g_assert_true(wf_brom_reset(f->brom, NULL, &error));
	g_assert_no_error(error);
	/* the port is gone */
	g_assert_false(wf_brom_get_version(f->brom, &version, NULL, &error));
	g_assert_true(g_error_matches(error, WF_ERROR, WF_ERROR_DEVICE_LOST) ||
		      g_error_matches(error, WF_ERROR, WF_ERROR_TIMED_OUT));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, rate, fn)                                                                        \
	g_test_add(path, Fixture, GUINT_TO_POINTER(rate), fixture_setup, fn, fixture_teardown)
	ADD("/brom-sim/identify", 0, test_identify);
	ADD("/brom-sim/identify/override", 0, test_identify_override);
	ADD("/brom-sim/sfi-status", 0, test_sfi_status);
	ADD("/brom-sim/read/whole-flash", 0, test_read_whole_flash);
	ADD("/brom-sim/read/depths", 0, test_read_depths);
	ADD("/brom-sim/read/pipelining-pays", 1000000, test_read_pipelining_pays);
	ADD("/brom-sim/errors-and-recovery", 0, test_errors_and_recovery);
	ADD("/brom-sim/handshake-again", 0, test_handshake_again);
	ADD("/brom-sim/send-da-and-jump", 0, test_send_da_and_jump);
	ADD("/brom-sim/jump-da-fatal", 0, test_jump_da_fatal);
	ADD("/brom-sim/reset", 0, test_reset);
#undef ADD
	return g_test_run();
}
