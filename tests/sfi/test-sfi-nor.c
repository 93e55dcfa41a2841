/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "wf-error.h"
#include "wf-sfi-nor.h"
#include "wf-sfi-test-sim.h"

/*
 * Serial-NOR operations through the SFI controller of the virtual watch,
 * checked against the simulated flash array itself: the watch's NOR model
 * (WEL, WIP, block protection, page wrap) was written from protocol.md by
 * someone else, so agreement here is agreement between two readings.
 */

#define TEST_SIZE (4 * 1024 * 1024)

typedef struct {
	WfSfiTestSim sim;
	WfSfiNor *nor;
} Fixture;

static void
fixture_start(Fixture *f, const WfSimConfig *config)
{
	wf_sfi_test_sim_start(&f->sim, config);
	wf_sfi_test_sim_prepare(&f->sim);
	f->nor = wf_sfi_nor_new(f->sim.brom);
}

static void
fixture_setup(Fixture *f, gconstpointer data)
{
	WfSimConfig config;

	wf_sfi_test_sim_config_fast(&config);
	fixture_start(f, &config);
	wf_sim_config_clear(&config);
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
	g_clear_object(&f->nor);
	wf_sfi_test_sim_stop(&f->sim);
}

static guint8 *
flash_copy(Fixture *f)
{
	g_autoptr(GBytes) now = wf_sfi_test_sim_dup_flash(&f->sim);
	return g_memdup2(g_bytes_get_data(now, NULL), g_bytes_get_size(now));
}

static void
assert_flash(Fixture *f, const guint8 *want)
{
	g_autoptr(GBytes) now = wf_sfi_test_sim_dup_flash(&f->sim);
	const guint8 *got = g_bytes_get_data(now, NULL);

	g_assert_cmpuint(g_bytes_get_size(now), ==, TEST_SIZE);
	for (gsize i = 0; i < TEST_SIZE; i++) {
		if (got[i] != want[i])
			g_error("flash differs at 0x%06zx: 0x%02x, want 0x%02x",
				i,
				got[i],
				want[i]);
	}
}

static void
test_jedec(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	guint8 id[3] = {0};

	g_assert_true(wf_sfi_nor_read_jedec_id(f->nor, id, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpmem(id, 3, wf_sim_watch_get_jedec(f->sim.watch), 3);
}

static void
test_erase(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree guint8 *want = flash_copy(f);

	/* the ROM region of the default image is full of code */
	g_assert_cmpuint(want[0x00B000 + 0x1000 + 17], !=, 0xFF);
	g_assert_true(wf_sfi_nor_erase_sector(f->nor, 0x00C000, NULL, &error));
	g_assert_no_error(error);
	memset(want + 0x00C000, 0xFF, 0x1000);
	assert_flash(f, want);

	g_assert_true(wf_sfi_nor_erase_block(f->nor, 0x020000, NULL, &error));
	g_assert_no_error(error);
	memset(want + 0x020000, 0xFF, 0x10000);
	assert_flash(f, want);
	g_assert_cmpuint(wf_sfi_nor_get_stats(f->nor)->sector_erases, ==, 1);
	g_assert_cmpuint(wf_sfi_nor_get_stats(f->nor)->block_erases, ==, 1);
}

static void
test_program(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree guint8 *want = flash_copy(f);
	guint8 *data_buf = g_malloc(0x10000);
	guint skipped = 0;

	wf_sfi_test_fill(data_buf, 0x10000, 7);
	/* blank pages are left alone, wherever they are */
	for (guint p = 0; p < 256; p += 9) {
		memset(data_buf + p * 256, 0xFF, 256);
		skipped++;
	}
	g_assert_true(wf_sfi_nor_erase_block(f->nor, 0x030000, NULL, &error));
	g_assert_no_error(error);
	g_assert_true(
		wf_sfi_nor_program(f->nor, 0x030000, data_buf, 0x10000, NULL, NULL, NULL, &error));
	g_assert_no_error(error);
	memcpy(want + 0x030000, data_buf, 0x10000);
	assert_flash(f, want);
	g_assert_cmpuint(wf_sfi_nor_get_stats(f->nor)->pages_programmed, ==, 256 - skipped);
	g_assert_cmpuint(wf_sfi_nor_get_stats(f->nor)->pages_skipped, ==, skipped);
	g_free(data_buf);
}

typedef struct {
	guint programmed;
	guint skipped;
	gsize bytes;
} PageCount;

static void
count_page_cb(guint32 addr, gsize len, gboolean programmed, gpointer user_data)
{
	PageCount *count = user_data;

	if (programmed)
		count->programmed++;
	else
		count->skipped++;
	count->bytes += len;
}

/* a span that starts and ends mid-page, onto erased flash */
static void
test_program_unaligned(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree guint8 *want = flash_copy(f);
	guint8 buf[1000];
	PageCount count = {0};

	wf_sfi_test_fill(buf, sizeof(buf), 3);
	/* 0x3F0000.. is erased in the default image */
	g_assert_cmpuint(want[0x3F0123], ==, 0xFF);
	g_assert_true(wf_sfi_nor_program(
		f->nor, 0x3F0123, buf, sizeof(buf), count_page_cb, &count, NULL, &error));
	g_assert_no_error(error);
	memcpy(want + 0x3F0123, buf, sizeof(buf));
	assert_flash(f, want);
	/* 0x123–0x1FF, three whole pages, 0x400–0x50A */
	g_assert_cmpuint(count.programmed, ==, 5);
	g_assert_cmpuint(count.bytes, ==, sizeof(buf));

	g_assert_true(wf_sfi_nor_program_page(f->nor, 0x3F2010, buf, 16, NULL, &error));
	g_assert_no_error(error);
	memcpy(want + 0x3F2010, buf, 16);
	assert_flash(f, want);
}

static void
test_read(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree guint8 *want = flash_copy(f);
	g_autofree guint8 *buf = g_malloc(5000);

	g_assert_true(wf_sfi_nor_read(f->nor, 0x00B123, buf, 5000, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpmem(buf, 5000, want + 0x00B123, 5000);
}

static void
test_wel(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	WfSimFlash *flash = wf_sim_watch_get_flash(f->sim.watch);

	g_assert_true(wf_sfi_nor_write_enable(f->nor, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmphex(wf_sim_flash_get_status(flash) & WF_SFI_NOR_SR_WEL, ==, WF_SFI_NOR_SR_WEL);
	g_assert_true(wf_sfi_nor_write_disable(f->nor, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmphex(wf_sim_flash_get_status(flash) & WF_SFI_NOR_SR_WEL, ==, 0);
}

static void
test_protection(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *note = NULL;
	g_autofree guint8 *want = flash_copy(f);
	WfSimFlash *flash = wf_sim_watch_get_flash(f->sim.watch);
	guint8 old = 0;
	gsize start = 0, len = 0;

	/* BP = 7: the whole array is protected (WRSR goes through WREN) */
	g_assert_true(wf_sfi_nor_write_status(f->nor, 0x1C, NULL, &error));
	g_assert_no_error(error);
	g_assert_true(wf_sim_flash_get_protected_range(flash, &start, &len));
	g_assert_cmpuint(len, ==, TEST_SIZE);

	/* the flash ignores an erase of a protected block */
	g_assert_true(wf_sfi_nor_erase_sector(f->nor, 0x00B000, NULL, &error));
	g_assert_no_error(error);
	assert_flash(f, want);

	/* detected and cleared, with a note saying so */
	g_assert_true(wf_sfi_nor_clear_protection(f->nor, &old, &note, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmphex(old, ==, 0x1C);
	g_assert_nonnull(note);
	g_assert_nonnull(strstr(note, "block protection"));
	g_assert_nonnull(strstr(note, "0x1C"));
	g_assert_false(wf_sim_flash_get_protected_range(flash, NULL, NULL));
	g_assert_true(wf_sfi_nor_erase_sector(f->nor, 0x00B000, NULL, &error));
	g_assert_no_error(error);
	memset(want + 0x00B000, 0xFF, 0x1000);
	assert_flash(f, want);

	/* nothing to clear: no note */
	g_clear_pointer(&note, g_free);
	g_assert_true(wf_sfi_nor_clear_protection(f->nor, &old, &note, NULL, &error));
	g_assert_no_error(error);
	g_assert_null(note);
}

static void
test_wip_timeout(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	WfSimFlashTiming timing = {0};
	guint8 sr = 0xFF;

	/* a block erase that takes far longer than allowed */
	timing.erase_64k_us = 600000;
	wf_sim_flash_set_timing(wf_sim_watch_get_flash(f->sim.watch), &timing);
	wf_sfi_nor_set_timeout(f->nor, WF_SFI_NOR_OP_BLOCK_ERASE, 100);
	g_assert_false(wf_sfi_nor_erase_block(f->nor, 0x120000, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_TIMED_OUT);
	g_assert_nonnull(
		strstr(error->message, "block erase at 0x00120000 did not finish in 100 ms"));
	/* and then waited for it, so the flash is left idle and write-disabled */
	g_assert_nonnull(strstr(error->message, "idle and write-disabled"));
	g_clear_error(&error);
	g_assert_true(wf_sfi_nor_read_status(f->nor, &sr, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmphex(sr & (WF_SFI_NOR_SR_WIP | WF_SFI_NOR_SR_WEL), ==, 0);
}

/* realistic part timings on a 1 MB/s link: the flash is often still busy
 * when the next page's write enable arrives, and that must cost time only */
static void
test_realistic_timing(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	WfSimConfig config;
	g_autofree guint8 *want = NULL;
	g_autofree guint8 *buf = g_malloc(0x8000);
	const WfSfiNorStats *stats;

	fixture_teardown(f, NULL);
	wf_sim_config_init(&config);
	config.flash_size = TEST_SIZE;
	config.lifetime_ms = 0;
	fixture_start(f, &config);
	wf_sim_config_clear(&config);

	want = flash_copy(f);
	wf_sfi_test_fill(buf, 0x8000, 11);
	g_assert_true(wf_sfi_nor_erase_block(f->nor, 0x200000, NULL, &error));
	g_assert_no_error(error);
	g_assert_true(wf_sfi_nor_program(f->nor, 0x200000, buf, 0x8000, NULL, NULL, NULL, &error));
	g_assert_no_error(error);
	memset(want + 0x200000, 0xFF, 0x10000);
	memcpy(want + 0x200000, buf, 0x8000);
	assert_flash(f, want);
	stats = wf_sfi_nor_get_stats(f->nor);
	g_assert_cmpuint(stats->pages_programmed, ==, 128);
	g_test_message("128 pages: %u retries, pacing up to %u, %u status polls",
		       stats->page_retries,
		       stats->max_pacing,
		       stats->status_polls);
}

/* runs what the echo test does, up to the program call */
static void
echo_test_program(Fixture *f, const guint8 *buf, gsize len, GError **error)
{
	/* the control register is read once, before anything is counted */
	guint8 sr;
	g_assert_true(wf_sfi_nor_read_status(f->nor, &sr, NULL, NULL));
	wf_sfi_nor_program(f->nor, 0x3E0000, buf, len, NULL, NULL, NULL, error);
}

/* a reply byte corrupted in the middle of pipelined page batches */
static void
test_echo_mismatch(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *faults = NULL;
	g_autofree guint8 *want = NULL;
	guint8 buf[0x1000];
	WfSimConfig config;
	guint64 before, after, page;
	guint8 sr = 0xFF;

	wf_sfi_test_fill(buf, sizeof(buf), 5);
	/* a clean run first, to know where the page batches' replies are */
	before = wf_sfi_test_sim_bytes_in(&f->sim) + 142 /* RDSR */ + 17 /* control read */;
	echo_test_program(f, buf, sizeof(buf), &error);
	g_assert_no_error(error);
	after = wf_sfi_test_sim_bytes_in(&f->sim);
	/* the first status read, 16 page batches and a status read */
	page = (after - before - 142 - 142) / 16;
	g_assert_cmpuint(after - before, ==, 142 + 16 * page + 142);

	/* the same on a watch whose 6th reply byte of page 3's batch is damaged:
	 * inside the echo of the batch's first command */
	fixture_teardown(f, NULL);
	wf_sfi_test_sim_config_fast(&config);
	faults = g_strdup_printf("corrupt:in:%" G_GUINT64_FORMAT ":0x40",
				 before + 142 + 3 * page + 5);
	config.faults = g_strdup(faults);
	fixture_start(f, &config);
	wf_sim_config_clear(&config);
	want = flash_copy(f);
	echo_test_program(f, buf, sizeof(buf), &error);
	g_assert_error(error, WF_ERROR, WF_ERROR_PROTOCOL);
	g_test_message("%s", error->message);
	g_assert_nonnull(strstr(error->message, "page program at 0x003E0300"));
	g_assert_nonnull(strstr(error->message, "echoed"));
	g_assert_nonnull(strstr(error->message, "idle and write-disabled"));
	g_clear_error(&error);

	/* restorable: the flash is idle, WEL clear, and the same write works */
	g_assert_true(wf_sfi_nor_read_status(f->nor, &sr, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmphex(sr & (WF_SFI_NOR_SR_WIP | WF_SFI_NOR_SR_WEL), ==, 0);
	g_assert_true(
		wf_sfi_nor_program(f->nor, 0x3E0000, buf, sizeof(buf), NULL, NULL, NULL, &error));
	g_assert_no_error(error);
	memcpy(want + 0x3E0000, buf, sizeof(buf));
	assert_flash(f, want);
}

static void
cancel_after_cb(guint32 addr, gsize len, gboolean programmed, gpointer user_data)
{
	if (addr >= 0x3D0400)
		g_cancellable_cancel(G_CANCELLABLE(user_data));
}

static void
test_cancel(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autofree guint8 *before = flash_copy(f);
	g_autoptr(GBytes) after = NULL;
	const guint8 *now;
	guint8 buf[0x1000];
	gsize done = 0;

	wf_sfi_test_fill(buf, sizeof(buf), 9);
	g_assert_false(wf_sfi_nor_program(f->nor,
					  0x3D0000,
					  buf,
					  sizeof(buf),
					  cancel_after_cb,
					  cancellable,
					  cancellable,
					  &error));
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	g_assert_nonnull(strstr(error->message, "of the 16 pages at 0x003D0000–0x003D0FFF"));
	/* whole pages only: each is either programmed or untouched */
	after = wf_sfi_test_sim_dup_flash(&f->sim);
	now = g_bytes_get_data(after, NULL);
	for (gsize p = 0; p < 16; p++) {
		if (memcmp(now + 0x3D0000 + p * 256, buf + p * 256, 256) == 0)
			done++;
		else
			g_assert_cmpmem(
				now + 0x3D0000 + p * 256, 256, before + 0x3D0000 + p * 256, 256);
	}
	g_assert_cmpuint(done, >=, 5);
	g_assert_cmpuint(done, <, 16);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
#define ADD(path, fn) g_test_add(path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
	ADD("/sfi/nor/jedec", test_jedec);
	ADD("/sfi/nor/erase", test_erase);
	ADD("/sfi/nor/program", test_program);
	ADD("/sfi/nor/program-unaligned", test_program_unaligned);
	ADD("/sfi/nor/read", test_read);
	ADD("/sfi/nor/wel", test_wel);
	ADD("/sfi/nor/protection", test_protection);
	ADD("/sfi/nor/wip-timeout", test_wip_timeout);
	ADD("/sfi/nor/realistic-timing", test_realistic_timing);
	ADD("/sfi/nor/echo-mismatch", test_echo_mismatch);
	ADD("/sfi/nor/cancel", test_cancel);
#undef ADD
	return g_test_run();
}
