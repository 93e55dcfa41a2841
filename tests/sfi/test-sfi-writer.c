/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "wf-backup.h"
#include "wf-device-info.h"
#include "wf-error.h"
#include "wf-flash-plan.h"
#include "wf-sfi-test-sim.h"
#include "wf-sfi-writer.h"
#include "wf-sim-image.h"

/*
 * Writing and restoring through SFI on the virtual watch: a backup is taken
 * with wf_backup_create(), the watch is damaged behind the client's back, and
 * the restore must put it back byte for byte, touching only what differs —
 * or refuse, and then the watch must not have changed at all.
 */

#define TEST_SIZE (4 * 1024 * 1024)

typedef struct {
	WfSfiTestSim sim;
	WfDeviceInfo *info;
	WfBackup *backup;
	guint8 *original; /* the flash when the backup was taken */
} Fixture;

static void
identify(Fixture *f)
{
	g_autoptr(GError) error = NULL;

	g_clear_object(&f->info);
	g_assert_true(wf_device_info_identify(f->sim.brom, 0, &f->info, NULL, &error));
	g_assert_no_error(error);
}

static void
fixture_setup(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) flash = NULL;
	g_autofree gchar *dir = g_build_filename(g_get_user_data_dir(), "backup", NULL);
	WfSimConfig config;

	wf_sfi_test_sim_config_fast(&config);
	wf_sfi_test_sim_start(&f->sim, &config);
	wf_sim_config_clear(&config);
	identify(f);
	f->backup = wf_backup_create(
		f->sim.brom, f->info, dir, WF_BACKUP_FLAG_NONE, NULL, NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(f->backup);
	flash = wf_sfi_test_sim_dup_flash(&f->sim);
	f->original = g_memdup2(g_bytes_get_data(flash, NULL), TEST_SIZE);
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
	g_clear_object(&f->backup);
	g_clear_object(&f->info);
	wf_sfi_test_sim_stop(&f->sim);
	g_free(f->original);
}

static guint8 *
flash_copy(Fixture *f)
{
	g_autoptr(GBytes) now = wf_sfi_test_sim_dup_flash(&f->sim);
	return g_memdup2(g_bytes_get_data(now, NULL), TEST_SIZE);
}

static void
assert_flash(Fixture *f, const guint8 *want)
{
	g_autoptr(GBytes) now = wf_sfi_test_sim_dup_flash(&f->sim);
	const guint8 *got = g_bytes_get_data(now, NULL);

	for (gsize i = 0; i < TEST_SIZE; i++) {
		if (got[i] != want[i])
			g_error("flash differs at 0x%06zx: 0x%02x, want 0x%02x",
				i,
				got[i],
				want[i]);
	}
}

static guint
count_pages(const guint8 *buf, gsize len)
{
	guint n = 0;

	for (gsize p = 0; p < len; p += 256) {
		for (gsize i = 0; i < 256; i++) {
			if (buf[p + i] != 0xFF) {
				n++;
				break;
			}
		}
	}
	return n;
}

static WfSfiWriter *
restore(Fixture *f, WfSfiRestoreFlags flags, GError **error)
{
	WfSfiWriter *writer = NULL;

	wf_sfi_restore_backup(f->sim.brom, f->info, f->backup, flags, NULL, &writer, NULL, error);
	return writer;
}

static void
log_stats(const WfSfiWriterStats *stats)
{
	g_test_message("sectors %u: unchanged %u, program-only %u; erases 4K %u 64K %u; pages "
		       "%u (+%u blank), retries %u; compared %" G_GUINT64_FORMAT
		       " verified %" G_GUINT64_FORMAT,
		       stats->sectors_total,
		       stats->sectors_unchanged,
		       stats->sectors_program_only,
		       stats->sectors_erased,
		       stats->blocks_erased,
		       stats->pages_programmed,
		       stats->pages_skipped,
		       stats->page_retries,
		       stats->bytes_compared,
		       stats->bytes_verified);
}

/* the first sectors trashed: header block, bootloader, part of the next */
static void
test_bricked(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(WfSfiWriter) writer = NULL;
	g_autofree guint8 *damaged = flash_copy(f);
	const WfSfiWriterStats *stats;

	wf_sfi_test_fill(damaged, 0x2800, 1);
	wf_sfi_test_sim_load(&f->sim, damaged);
	writer = restore(f, WF_SFI_RESTORE_FLAG_NONE, &error);
	g_assert_no_error(error);
	assert_flash(f, f->original);
	stats = wf_sfi_writer_get_stats(writer);
	log_stats(stats);
	g_assert_cmpuint(stats->sectors_total, ==, TEST_SIZE / 4096);
	g_assert_cmpuint(stats->sectors_unchanged, ==, TEST_SIZE / 4096 - 3);
	g_assert_cmpuint(stats->sectors_erased + 16 * stats->blocks_erased, >=, 3);
	g_assert_cmpuint(stats->bytes_compared, ==, TEST_SIZE);
	g_assert_cmpstr(
		wf_sfi_writer_get_readback_sha256(writer, 0), ==, wf_backup_get_sha256(f->backup));
}

/* a watch whose header block is gone (the DA path cannot write to it):
 * restoring it only clears bits, so nothing is erased */
static void
test_no_header_block(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(WfSfiWriter) writer = NULL;
	g_autofree guint8 *damaged = flash_copy(f);
	const WfSfiWriterStats *stats;

	memset(damaged, 0xFF, 0x800);
	wf_sfi_test_sim_load(&f->sim, damaged);
	writer = restore(f, WF_SFI_RESTORE_FLAG_NONE, &error);
	g_assert_no_error(error);
	assert_flash(f, f->original);
	stats = wf_sfi_writer_get_stats(writer);
	log_stats(stats);
	g_assert_cmpuint(stats->sectors_program_only, ==, 1);
	g_assert_cmpuint(stats->sectors_erased, ==, 0);
	g_assert_cmpuint(stats->blocks_erased, ==, 0);
	g_assert_cmpuint(stats->pages_programmed, ==, count_pages(f->original, 0x800));
}

/* the same with the simulator's own image builder, which leaves the header
 * block out */
static void
test_image_without_header(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(WfSfiWriter) writer = NULL;
	g_autoptr(GBytes) image = NULL;
	WfSimImageSpec spec;

	wf_sim_image_spec_init(&spec,
			       TEST_SIZE,
			       wf_sim_watch_get_jedec(f->sim.watch),
			       wf_sim_watch_get_me_id(f->sim.watch));
	spec.include_header_block = FALSE;
	image = wf_sim_image_build(&spec, &error);
	g_assert_no_error(error);
	/* the same watch, header block gone: only the first 2 KiB differ */
	g_assert_cmpmem((const guint8 *)g_bytes_get_data(image, NULL) + 0x800,
			TEST_SIZE - 0x800,
			f->original + 0x800,
			TEST_SIZE - 0x800);
	wf_sfi_test_sim_load(&f->sim, g_bytes_get_data(image, NULL));
	writer = restore(f, WF_SFI_RESTORE_FLAG_NONE, &error);
	g_assert_no_error(error);
	assert_flash(f, f->original);
	g_assert_cmpuint(wf_sfi_writer_get_stats(writer)->sectors_program_only, ==, 1);
}

static void
test_full(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(WfSfiWriter) writer = NULL;
	g_autofree guint8 *damaged = flash_copy(f);
	const WfSfiWriterStats *stats;

	wf_sfi_test_fill(damaged, TEST_SIZE, 2);
	wf_sfi_test_sim_load(&f->sim, damaged);
	writer = restore(f, WF_SFI_RESTORE_FLAG_FULL, &error);
	g_assert_no_error(error);
	assert_flash(f, f->original);
	stats = wf_sfi_writer_get_stats(writer);
	log_stats(stats);
	g_assert_cmpuint(stats->blocks_erased, ==, TEST_SIZE / 0x10000);
	g_assert_cmpuint(stats->sectors_erased, ==, 0);
	g_assert_cmpuint(stats->bytes_compared, ==, 0);
	g_assert_cmpuint(stats->bytes_verified, ==, TEST_SIZE);
	g_assert_cmpuint(stats->pages_programmed, ==, count_pages(f->original, TEST_SIZE));
	g_assert_cmpuint(stats->pages_programmed + stats->pages_skipped, ==, TEST_SIZE / 256);
}

/* one 64 KiB block changed: that block is rewritten, nothing else */
static void
test_diff_one_block(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(WfSfiWriter) writer = NULL;
	g_autofree guint8 *damaged = flash_copy(f);
	const WfSfiWriterStats *stats;
	g_autofree gchar *written = NULL;

	for (gsize i = 0x50000; i < 0x60000; i++)
		damaged[i] ^= 0x5A;
	wf_sfi_test_sim_load(&f->sim, damaged);
	writer = restore(f, WF_SFI_RESTORE_FLAG_NONE, &error);
	g_assert_no_error(error);
	assert_flash(f, f->original);
	stats = wf_sfi_writer_get_stats(writer);
	log_stats(stats);
	g_assert_cmpuint(stats->blocks_erased, ==, 1);
	g_assert_cmpuint(stats->sectors_erased, ==, 0);
	g_assert_cmpuint(stats->sectors_unchanged, ==, TEST_SIZE / 4096 - 16);
	g_assert_cmpuint(stats->pages_programmed, ==, count_pages(f->original + 0x50000, 0x10000));
	g_assert_cmpuint(stats->bytes_verified, ==, 0x10000);
	written = wf_sfi_writer_describe_written(writer);
	g_assert_cmpstr(written, ==, "0x00050000–0x0005FFFF written and verified");
}

/* nothing differs: nothing is written */
static void
test_nothing_to_do(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(WfSfiWriter) writer = NULL;
	g_autofree gchar *written = NULL;

	writer = restore(f, WF_SFI_RESTORE_FLAG_NONE, &error);
	g_assert_no_error(error);
	assert_flash(f, f->original);
	g_assert_cmpuint(wf_sfi_writer_get_stats(writer)->sectors_unchanged, ==, TEST_SIZE / 4096);
	g_assert_cmpuint(wf_sfi_writer_get_stats(writer)->pages_programmed, ==, 0);
	written = wf_sfi_writer_describe_written(writer);
	g_assert_cmpstr(written, ==, "nothing was written");
}

static void
test_other_watch(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(WfSfiWriter) writer = NULL;
	WfSfiTestSim other = {0};
	g_autoptr(WfDeviceInfo) other_info = NULL;
	g_autoptr(GBytes) before = NULL;
	g_autoptr(GBytes) after = NULL;
	WfSimConfig config;
	GPtrArray *notes;

	wf_sfi_test_sim_config_fast(&config);
	wf_sfi_test_sim_start(&other, &config);
	wf_sim_config_clear(&config);
	g_assert_true(wf_device_info_identify(other.brom, 0, &other_info, NULL, &error));
	g_assert_no_error(error);
	before = wf_sfi_test_sim_dup_flash(&other);

	g_assert_false(wf_sfi_restore_backup(other.brom,
					     other_info,
					     f->backup,
					     WF_SFI_RESTORE_FLAG_NONE,
					     NULL,
					     NULL,
					     NULL,
					     &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_REFUSED);
	g_assert_nonnull(strstr(error->message, "ME ID"));
	g_assert_nonnull(strstr(error->message, "IMEI"));
	g_clear_error(&error);
	after = wf_sfi_test_sim_dup_flash(&other);
	g_assert_true(g_bytes_equal(before, after));

	/* the expert override */
	g_assert_true(wf_sfi_restore_backup(other.brom,
					    other_info,
					    f->backup,
					    WF_SFI_RESTORE_FLAG_ANY_WATCH,
					    NULL,
					    &writer,
					    NULL,
					    &error));
	g_assert_no_error(error);
	g_clear_pointer(&after, g_bytes_unref);
	after = wf_sfi_test_sim_dup_flash(&other);
	g_assert_cmpmem(g_bytes_get_data(after, NULL), TEST_SIZE, f->original, TEST_SIZE);
	notes = wf_sfi_writer_get_notes(writer);
	g_assert_cmpuint(notes->len, >=, 1);
	g_assert_nonnull(strstr(g_ptr_array_index(notes, 0), "another watch"));
	wf_sfi_test_sim_stop(&other);
}

static void
test_damaged_backup(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path = wf_backup_get_image_path(f->backup);
	g_autofree gchar *contents = NULL;
	g_autofree guint8 *damaged = flash_copy(f);
	gsize len = 0;

	g_assert_true(g_file_get_contents(path, &contents, &len, &error));
	g_assert_no_error(error);
	contents[0x1234] ^= 1;
	g_assert_true(g_file_set_contents(path, contents, (gssize)len, &error));
	g_assert_no_error(error);
	damaged[0x10] ^= 0xFF;
	wf_sfi_test_sim_load(&f->sim, damaged);
	g_assert_false(wf_sfi_restore_backup(f->sim.brom,
					     f->info,
					     f->backup,
					     WF_SFI_RESTORE_FLAG_NONE,
					     NULL,
					     NULL,
					     NULL,
					     &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_VERIFY_FAILED);
	g_assert_nonnull(strstr(error->message, "damaged"));
	/* nothing was written */
	assert_flash(f, damaged);
}

static void
test_protected(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(WfSfiWriter) writer = NULL;
	g_autofree guint8 *damaged = flash_copy(f);
	WfSimFlash *flash = wf_sim_watch_get_flash(f->sim.watch);
	GPtrArray *notes;
	gboolean cleared = FALSE, set_back = FALSE;

	/* the NVRAM tail changed, and the top of the flash is protected */
	for (gsize i = 0x380000; i < 0x380100; i++)
		damaged[i] ^= 0xFF;
	wf_sfi_test_sim_load(&f->sim, damaged);
	wf_sim_flash_set_status(flash, 0x18); /* BP = 6: the top 2 MiB */
	g_assert_true(wf_sim_flash_get_protected_range(flash, NULL, NULL));
	writer = restore(f, WF_SFI_RESTORE_FLAG_NONE, &error);
	g_assert_no_error(error);
	assert_flash(f, f->original);
	notes = wf_sfi_writer_get_notes(writer);
	for (guint i = 0; i < notes->len; i++) {
		const gchar *note = g_ptr_array_index(notes, i);
		g_test_message("note: %s", note);
		cleared |= strstr(note, "was cleared") != NULL;
		set_back |= strstr(note, "set back") != NULL;
	}
	g_assert_true(cleared);
	g_assert_true(set_back);
	/* left as it was found */
	g_assert_cmphex(wf_sim_flash_get_status(flash), ==, 0x18);
}

static void
cancel_in_write_cb(WfProgress *progress, gpointer user_data)
{
	if (g_strcmp0(wf_progress_get_step_id(progress), "write") == 0 &&
	    wf_progress_get_bytes_done(progress) >= 0x6000)
		g_cancellable_cancel(G_CANCELLABLE(user_data));
}

static void
test_cancel(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(WfSfiWriter) writer = NULL;
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autoptr(WfProgress) progress = wf_progress_new();
	g_autofree guint8 *damaged = flash_copy(f);

	for (gsize i = 0x10000; i < 0x30000; i++)
		damaged[i] ^= 0x33;
	wf_sfi_test_sim_load(&f->sim, damaged);
	g_signal_connect(progress, "changed", G_CALLBACK(cancel_in_write_cb), cancellable);
	g_assert_false(wf_sfi_restore_backup(f->sim.brom,
					     f->info,
					     f->backup,
					     WF_SFI_RESTORE_FLAG_NONE,
					     progress,
					     &writer,
					     cancellable,
					     &error));
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	g_test_message("%s", error->message);
	/* it says exactly what was written, and how to get out of it */
	g_assert_nonnull(strstr(error->message, "0x00010000–0x0001FFFF"));
	g_assert_nonnull(strstr(error->message, "erased but not completely programmed"));
	g_assert_nonnull(strstr(error->message, "restore"));
	g_clear_error(&error);
	g_clear_object(&writer);

	/* and the watch can be restored right away */
	writer = restore(f, WF_SFI_RESTORE_FLAG_NONE, &error);
	g_assert_no_error(error);
	assert_flash(f, f->original);
}

/* a region that starts and ends inside sectors keeps its neighbours */
static void
test_partial_region(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(WfSfiWriter) writer = wf_sfi_writer_new(f->sim.brom, TEST_SIZE);
	g_autofree guint8 *want = flash_copy(f);
	guint8 buf[300];
	g_autoptr(GBytes) bytes = NULL;

	wf_sfi_test_fill(buf, sizeof(buf), 4);
	bytes = g_bytes_new(buf, sizeof(buf));
	g_assert_true(wf_sfi_writer_add_region(writer, "patch", 0x00B0F0 - 100, bytes, &error));
	g_assert_no_error(error);
	g_assert_true(wf_sfi_writer_run(writer, NULL, &error));
	g_assert_no_error(error);
	memcpy(want + 0x00B0F0 - 100, buf, sizeof(buf));
	assert_flash(f, want);
	/* one sector touched, only it read */
	g_assert_cmpuint(wf_sfi_writer_get_stats(writer)->sectors_total, ==, 1);
	g_assert_cmpuint(wf_sfi_writer_get_stats(writer)->bytes_compared, ==, 4096);
	g_assert_cmpstr(wf_sfi_writer_get_readback_sha256(writer, 0),
			==,
			wf_sfi_writer_get_region_sha256(writer, 0));

	/* a full (raw) write of a partial sector reads just that sector */
	g_clear_object(&writer);
	writer = wf_sfi_writer_new(f->sim.brom, TEST_SIZE);
	wf_sfi_writer_set_mode(writer, WF_SFI_WRITER_MODE_FULL);
	g_assert_true(wf_sfi_writer_add_region(writer, "patch", 0x3F0010, bytes, &error));
	g_assert_true(wf_sfi_writer_run(writer, NULL, &error));
	g_assert_no_error(error);
	memcpy(want + 0x3F0010, buf, sizeof(buf));
	assert_flash(f, want);
	g_assert_cmpuint(wf_sfi_writer_get_stats(writer)->sectors_erased, ==, 1);
}

static void
test_bad_regions(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(WfSfiWriter) writer = wf_sfi_writer_new(f->sim.brom, TEST_SIZE);
	g_autoptr(GBytes) bytes = g_bytes_new_static("0123456789", 10);

	g_assert_false(wf_sfi_writer_add_region(writer, "tail", TEST_SIZE - 4, bytes, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_DATA);
	g_clear_error(&error);
	g_assert_true(wf_sfi_writer_add_region(writer, "a", 0x100, bytes, &error));
	g_assert_true(wf_sfi_writer_add_region(writer, "b", 0x105, bytes, &error));
	g_assert_false(wf_sfi_writer_run(writer, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_DATA);
	g_assert_nonnull(strstr(error->message, "overlap"));
	assert_flash(f, f->original);
}

/* the memory window reads one word wrong every time; the flash itself
 * (SFI 0x03) holds the right bytes: that counts, with a note */
static void
test_window_fault(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(WfSfiWriter) writer = NULL;
	g_autoptr(GBytes) block = NULL;
	WfSfiTestSim sim = {0};
	WfSimConfig config;
	GPtrArray *notes;
	gboolean noted = FALSE;

	wf_sfi_test_sim_config_fast(&config);
	config.faults = g_strdup("unstable-read:0x50010");
	wf_sfi_test_sim_start(&sim, &config);
	wf_sim_config_clear(&config);
	block = g_bytes_new(f->original + 0x50000, 0x10000);
	writer = wf_sfi_writer_new(sim.brom, TEST_SIZE);
	g_assert_true(wf_sfi_writer_add_region(writer, "block", 0x50000, block, &error));
	g_assert_true(wf_sfi_writer_run(writer, NULL, &error));
	g_assert_no_error(error);
	/* the wrong word made its sector look different, so it was written */
	g_assert_cmpuint(wf_sfi_writer_get_stats(writer)->sectors_unchanged, ==, 15);
	g_assert_cmpuint(wf_sfi_writer_get_stats(writer)->window_mismatches, ==, 1);
	notes = wf_sfi_writer_get_notes(writer);
	for (guint i = 0; i < notes->len; i++)
		noted |= strstr(g_ptr_array_index(notes, i), "0x00050010") != NULL;
	g_assert_true(noted);
	g_assert_cmpstr(wf_sfi_writer_get_readback_sha256(writer, 0),
			==,
			wf_sfi_writer_get_region_sha256(writer, 0));
	g_clear_object(&writer);
	{
		g_autoptr(GBytes) now = wf_sfi_test_sim_dup_flash(&sim);
		/* the same default image as the fixture's watch, but its own NVRAM */
		g_assert_cmpmem(g_bytes_get_data(now, NULL), 0x380000, f->original, 0x380000);
	}
	wf_sfi_test_sim_stop(&sim);
}

/* a restore plan made by WfFlashPlan, executed by the writer */
static void
test_plan(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(WfFlashPlan) plan = wf_flash_plan_new();
	g_autoptr(WfSfiWriter) writer = wf_sfi_writer_new(f->sim.brom, TEST_SIZE);
	g_autofree guint8 *damaged = flash_copy(f);
	g_autoptr(GBytes) image = g_bytes_new(f->original, TEST_SIZE);
	g_autoptr(GBytes) current = NULL;

	for (gsize i = 0x200000; i < 0x200010; i++)
		damaged[i] = 0;
	wf_sfi_test_sim_load(&f->sim, damaged);
	current = g_bytes_new(damaged, TEST_SIZE);
	wf_flash_plan_set_watch(plan,
				wf_device_info_get_hw_code(f->info),
				wf_device_info_get_me_id_string(f->info),
				wf_device_info_get_jedec_id_string(f->info),
				TEST_SIZE);
	wf_flash_plan_set_target_chip(plan, wf_device_info_get_hw_code(f->info));
	wf_flash_plan_set_backup(plan,
				 wf_backup_get_me_id(f->backup),
				 wf_backup_get_jedec_id(f->backup),
				 wf_backup_get_sha256(f->backup),
				 TRUE);
	g_assert_true(wf_flash_plan_add_restore(plan, image, "flash.bin", current, NULL, &error));
	g_assert_no_error(error);
	g_assert_true(wf_sfi_writer_add_plan(writer, plan, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(wf_sfi_writer_get_n_regions(writer), ==, 1);
	/* the bytes it just read: no need to read them again */
	wf_sfi_writer_set_current(writer, current);
	g_assert_true(wf_sfi_writer_run(writer, NULL, &error));
	g_assert_no_error(error);
	assert_flash(f, f->original);
	g_assert_cmpuint(wf_sfi_writer_get_stats(writer)->bytes_compared, ==, 0);
	g_assert_cmpuint(wf_sfi_writer_get_stats(writer)->sectors_total, ==, 16);
	g_assert_cmpuint(wf_sfi_writer_get_stats(writer)->sectors_erased, ==, 1);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
#define ADD(path, fn) g_test_add(path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
	ADD("/sfi/writer/bricked", test_bricked);
	ADD("/sfi/writer/no-header-block", test_no_header_block);
	ADD("/sfi/writer/image-without-header", test_image_without_header);
	ADD("/sfi/writer/full", test_full);
	ADD("/sfi/writer/diff-one-block", test_diff_one_block);
	ADD("/sfi/writer/nothing-to-do", test_nothing_to_do);
	ADD("/sfi/writer/other-watch", test_other_watch);
	ADD("/sfi/writer/damaged-backup", test_damaged_backup);
	ADD("/sfi/writer/protected", test_protected);
	ADD("/sfi/writer/cancel", test_cancel);
	ADD("/sfi/writer/partial-region", test_partial_region);
	ADD("/sfi/writer/bad-regions", test_bad_regions);
	ADD("/sfi/writer/window-fault", test_window_fault);
	ADD("/sfi/writer/plan", test_plan);
#undef ADD
	return g_test_run();
}
