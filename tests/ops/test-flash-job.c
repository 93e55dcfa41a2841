/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "wf-backup.h"
#include "wf-catcher.h"
#include "wf-da.h"
#include "wf-device-info.h"
#include "wf-error.h"
#include "wf-flash-job.h"
#include "wf-sim-image.h"
#include "wf-sim-watch.h"
#include "wf-test-da.h"

/*
 * The write operations against the in-process virtual watch (fast NOR,
 * unthrottled link): a backup is taken first, the watch is changed behind
 * the client's back, and the job has to put it back byte for byte — or
 * refuse, and then the watch must not have changed at all.
 */

#define TEST_FLASH_SIZE (4 * 1024 * 1024)
#define TEST_ROM_OFFSET 0xB000	 /* the default image's MAUI ROM */
#define TEST_FS_OFFSET	0x380000 /* its file system (FLASH_INFO) */
#define TEST_FS_LENGTH	0x7E000

typedef struct {
	WfSimWatch *watch;
	WfCatcher *catcher;
	WfBrom *brom;
	WfDeviceInfo *info;
	gchar *backups;	   /* the default backups folder */
	gchar *backup_dir; /* a verified backup of this watch in it */
	GBytes *original;  /* the flash when the backup was taken */
} Fixture;

static WfTransport *
open_port_cb(gpointer user_data, GError **error)
{
	return wf_sim_watch_open_port(WF_SIM_WATCH(user_data), error);
}

/* (re)catches the watch, e.g. after a job reset it */
static void
catch_watch(Fixture *f)
{
	g_autoptr(GError) error = NULL;

	if (f->brom != NULL)
		wf_transport_close(wf_brom_get_transport(f->brom), NULL);
	g_clear_object(&f->brom);
	g_clear_object(&f->info);
	f->brom = wf_catcher_catch(f->catcher, 10000, NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(f->brom);
	g_assert_true(wf_device_info_identify(f->brom, 0, &f->info, NULL, &error));
	g_assert_no_error(error);
}

static void
fixture_setup(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(WfBackup) backup = NULL;
	WfSimConfig config;

	wf_sim_config_init(&config);
	config.flash_size = TEST_FLASH_SIZE;
	config.rate = 0;
	config.turnaround_us = 0;
	config.lifetime_ms = 0;
	config.fast_nor = TRUE;
	config.reset_delay_ms = 5;
	config.reappear_gap_ms = 5;
	f->watch = wf_sim_watch_new(&config, &error);
	wf_sim_config_clear(&config);
	g_assert_no_error(error);
	f->catcher = wf_catcher_new();
	wf_catcher_set_opener(f->catcher, open_port_cb, g_object_ref(f->watch), g_object_unref);
	wf_sim_watch_plug_in(f->watch);
	catch_watch(f);

	f->backups = wf_flash_job_get_default_backups_folder();
	f->backup_dir = g_build_filename(f->backups, "watch", NULL);
	backup = wf_backup_create(
		f->brom, f->info, f->backup_dir, WF_BACKUP_FLAG_NONE, NULL, NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(backup);
	f->original = wf_sim_watch_dup_flash(f->watch);
	g_assert_cmpuint(g_bytes_get_size(f->original), ==, TEST_FLASH_SIZE);
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
	if (f->brom != NULL)
		wf_transport_close(wf_brom_get_transport(f->brom), NULL);
	g_clear_object(&f->brom);
	g_clear_object(&f->info);
	g_clear_object(&f->catcher);
	if (f->watch != NULL)
		wf_sim_watch_shutdown(f->watch);
	g_clear_object(&f->watch);
	g_clear_pointer(&f->original, g_bytes_unref);
	g_free(f->backups);
	g_free(f->backup_dir);
}

/* ---- helpers ----------------------------------------------------------------------------------
 */

static GBytes *
watch_flash(Fixture *f)
{
	return wf_sim_watch_dup_flash(f->watch);
}

/* changes the watch's flash behind the client's back (as the watch's own
 * firmware, or a failed write, would) */
static void
damage_flash(Fixture *f, guint32 offset, guint32 len, guint8 xor_value)
{
	g_autoptr(GBytes) now = watch_flash(f);
	g_autoptr(GBytes) changed = NULL;
	g_autoptr(GError) error = NULL;
	guint8 *buf = g_memdup2(g_bytes_get_data(now, NULL), TEST_FLASH_SIZE);

	for (guint32 i = 0; i < len; i++)
		buf[offset + i] ^= xor_value;
	changed = g_bytes_new_take(buf, TEST_FLASH_SIZE);
	g_assert_true(wf_sim_flash_load(wf_sim_watch_get_flash(f->watch), changed, &error));
	g_assert_no_error(error);
}

static void
assert_flash_is_original(Fixture *f)
{
	g_autoptr(GBytes) now = watch_flash(f);
	g_assert_true(g_bytes_equal(now, f->original));
}

#define assert_prepared(job)                                                                       \
	do {                                                                                       \
		GError *error_ = NULL;                                                             \
		gboolean ok_ = wf_flash_job_prepare(job, NULL, NULL, &error_);                     \
		g_assert_no_error(error_);                                                         \
		g_assert_true(ok_);                                                                \
	} while (0)

static WfFlashJob *
new_job(Fixture *f, WfFlashJobKind kind)
{
	WfFlashJob *job = wf_flash_job_new(kind);
	wf_flash_job_set_device(job, f->brom, f->info);
	return job;
}

static WfFlashJob *
new_restore(Fixture *f, WfFlashJobFlags flags)
{
	WfFlashJob *job = new_job(f, WF_FLASH_JOB_KIND_RESTORE);
	wf_flash_job_set_backup_dir(job, f->backup_dir);
	wf_flash_job_set_flags(job, flags);
	return job;
}

/* runs a prepared job; FALSE (test skipped) where this build cannot write through SFI yet */
static gboolean
run_job(WfFlashJob *job, GCancellable *cancellable, GError **error)
{
	return wf_flash_job_run(job, NULL, cancellable, error);
}

static guint64
writes_total(WfFlashJob *job)
{
	return wf_flash_job_get_write_size(job);
}

static gchar *
write_file(const gchar *dir, const gchar *name, const guint8 *data, gsize len)
{
	g_autoptr(GError) error = NULL;
	gchar *path = g_build_filename(dir, name, NULL);

	g_assert_cmpint(g_mkdir_with_parents(dir, 0755), ==, 0);
	g_assert_true(g_file_set_contents(path, (const gchar *)data, (gssize)len, &error));
	g_assert_no_error(error);
	return path;
}

/* a minimal GFH file: one FILE_INFO record (firmware-formats.md §2.3), then data */
static GBytes *
make_gfh_file(guint16 file_type, guint32 load_addr, gsize len, guint8 fill)
{
	guint8 *buf = g_malloc(len);

	g_assert_cmpuint(len, >=, 0x38);
	memset(buf, fill, len);
	memset(buf, 0, 0x38);
	memcpy(buf, "MMM\x01", 4);
	buf[4] = 0x38;
	memcpy(buf + 0x08, "FILE_INFO", 9);
	buf[0x14] = 1;
	buf[0x18] = file_type & 0xFF;
	buf[0x19] = file_type >> 8;
	buf[0x1A] = 7;
	for (guint i = 0; i < 4; i++) {
		buf[0x1C + i] = (load_addr >> (8 * i)) & 0xFF;
		buf[0x20 + i] = ((guint32)len >> (8 * i)) & 0xFF;
		buf[0x24 + i] = 0xFF;
	}
	buf[0x28] = 0x38;
	buf[0x34] = 3;
	return g_bytes_new_take(buf, len);
}

/* the watch's own MAUI ROM file, cut from its flash, with @n bytes of its
 * body changed: "new firmware" for the same watch */
static GBytes *
changed_rom(Fixture *f, gsize body_offset, gsize n)
{
	const guint8 *flash = g_bytes_get_data(f->original, NULL);
	const guint8 *fi = flash + TEST_ROM_OFFSET;
	guint32 len = fi[0x20] | fi[0x21] << 8 | fi[0x22] << 16 | (guint32)fi[0x23] << 24;
	guint8 *rom;

	g_assert_cmpmem(fi, 3, "MMM", 3);
	g_assert_cmpuint(len, >, body_offset + n);
	rom = g_memdup2(fi, len);
	for (gsize i = 0; i < n; i++)
		rom[body_offset + i] ^= 0x5A;
	return g_bytes_new_take(rom, len);
}

static gchar *
package_dir(const gchar *name)
{
	return g_build_filename(g_get_user_cache_dir(), name, NULL);
}

/* ---- restore -----------------------------------------------------------------------------------
 */

/* a watch changed in many places is put back byte-exact, through SFI */
static void
test_restore_sfi_byte_exact(Fixture *f, gconstpointer data)
{
	g_autoptr(WfFlashJob) job = NULL;
	g_autoptr(GError) error = NULL;

	damage_flash(f, 0x0, 0x200, 0xFF);	      /* header block gone: bricked */
	damage_flash(f, 0x20000, 0x30000, 0x11);      /* three blocks of firmware */
	damage_flash(f, TEST_FS_OFFSET, 0x100, 0x22); /* NVRAM */
	job = new_restore(f, WF_FLASH_JOB_FLAG_NONE);
	assert_prepared(job);
	/* the header block is damaged: only SFI can write there */
	g_assert_cmpint(wf_flash_job_get_method(job), ==, WF_FLASH_METHOD_SFI);
	g_assert_nonnull(strstr(wf_flash_job_get_method_reason(job), "first sectors"));
	/* the three changed places, nothing else: 4 KiB + 192 KiB + 4 KiB */
	g_assert_cmpuint(writes_total(job), ==, 0x1000 + 0x30000 + 0x1000);
	if (!run_job(job, NULL, &error)) {
		if (g_error_matches(error, WF_ERROR, WF_ERROR_NOT_SUPPORTED)) {
			g_test_skip(error->message);
			return;
		}
		g_assert_no_error(error);
	}
	g_assert_cmpstr(wf_flash_job_get_result(job), ==, WF_FLASH_HISTORY_RESULT_OK);
	for (guint i = 0; i < wf_flash_job_get_writes(job)->len; i++) {
		const WfFlashWrite *write = g_ptr_array_index(wf_flash_job_get_writes(job), i);
		g_assert_cmpint(write->state, ==, WF_FLASH_WRITE_STATE_VERIFIED);
	}
	assert_flash_is_original(f);
}

/* one changed 64 KiB block: the plan and the writes cover that block only */
static void
test_restore_differential_one_block(Fixture *f, gconstpointer data)
{
	g_autoptr(WfFlashJob) job = NULL;
	g_autoptr(GError) error = NULL;
	GPtrArray *regions;
	const WfFlashRegion *region;

	damage_flash(f, 0x100000, 0x10000, 0xA5);
	job = new_restore(f, WF_FLASH_JOB_FLAG_NONE);
	assert_prepared(job);
	regions = wf_flash_plan_get_regions(wf_flash_job_get_plan(job));
	g_assert_cmpuint(regions->len, ==, 1);
	region = g_ptr_array_index(regions, 0);
	g_assert_cmphex(region->offset, ==, 0x100000);
	g_assert_cmphex(region->length, ==, 0x10000);
	g_assert_cmpuint(writes_total(job), ==, 0x10000);
	g_assert_cmpuint(wf_flash_job_get_writes(job)->len, ==, 1);
	if (!run_job(job, NULL, &error)) {
		if (g_error_matches(error, WF_ERROR, WF_ERROR_NOT_SUPPORTED)) {
			g_test_skip(error->message);
			return;
		}
		g_assert_no_error(error);
	}
	assert_flash_is_original(f);
}

/* a --full restore writes every block, and through SFI (a raw image) */
static void
test_restore_full(Fixture *f, gconstpointer data)
{
	g_autoptr(WfFlashJob) job = new_restore(f, WF_FLASH_JOB_FLAG_FULL);
	g_autoptr(GError) error = NULL;

	assert_prepared(job);
	g_assert_cmpuint(writes_total(job), ==, TEST_FLASH_SIZE);
	g_assert_cmpint(wf_flash_job_get_method(job), ==, WF_FLASH_METHOD_SFI);
	g_assert_nonnull(strstr(wf_flash_job_get_method_reason(job), "full-image"));
}

/* nothing changed: nothing to write, and the job says so */
static void
test_restore_up_to_date(Fixture *f, gconstpointer data)
{
	g_autoptr(WfFlashJob) job = new_restore(f, WF_FLASH_JOB_FLAG_NONE);
	g_autoptr(GError) error = NULL;

	assert_prepared(job);
	g_assert_true(wf_flash_job_is_up_to_date(job));
	g_assert_cmpuint(writes_total(job), ==, 0);
	g_assert_true(run_job(job, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(wf_flash_job_get_result(job), ==, WF_FLASH_HISTORY_RESULT_OK);
	assert_flash_is_original(f);
}

static void
test_restore_dry_run(Fixture *f, gconstpointer data)
{
	g_autoptr(WfFlashJob) job = new_restore(f, WF_FLASH_JOB_FLAG_DRY_RUN);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) before = NULL;

	damage_flash(f, 0x200000, 0x1000, 0x01);
	before = watch_flash(f);
	assert_prepared(job);
	g_assert_cmpuint(writes_total(job), ==, 0x1000);
	g_assert_false(run_job(job, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_REFUSED);
	{
		g_autoptr(GBytes) after = watch_flash(f);
		g_assert_true(g_bytes_equal(before, after));
	}
}

/* the backup says another ME ID: refused unless explicitly overridden */
static void
rewrite_backup_record(const gchar *dir, const gchar *key, const gchar *value)
{
	g_autofree gchar *path = g_build_filename(dir, "backup.json", NULL);
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(JsonGenerator) generator = json_generator_new();
	g_autoptr(GError) error = NULL;
	JsonObject *record;

	g_assert_true(json_parser_load_from_file(parser, path, &error));
	g_assert_no_error(error);
	record = json_node_get_object(json_parser_get_root(parser));
	json_object_set_string_member(record, key, value);
	json_generator_set_root(generator, json_parser_get_root(parser));
	g_assert_true(json_generator_to_file(generator, path, &error));
	g_assert_no_error(error);
}

static gchar *
copy_backup(Fixture *f, const gchar *name)
{
	g_autofree gchar *dest = g_build_filename(g_get_user_cache_dir(), name, NULL);
	g_autofree gchar *cmd = g_strdup_printf("cp -r '%s' '%s'", f->backup_dir, dest);
	g_assert_cmpint(g_mkdir_with_parents(g_get_user_cache_dir(), 0755), ==, 0);
	g_assert_cmpint(system(cmd), ==, 0);
	return g_steal_pointer(&dest);
}

static void
test_restore_refuses_other_watch(Fixture *f, gconstpointer data)
{
	g_autofree gchar *other = copy_backup(f, "other-watch");
	g_autoptr(WfFlashJob) job = NULL;
	g_autoptr(GError) error = NULL;

	rewrite_backup_record(other, "me_id", "00112233445566778899aabbccddeeff");
	damage_flash(f, 0x100000, 0x1000, 0x01);
	job = new_job(f, WF_FLASH_JOB_KIND_RESTORE);
	wf_flash_job_set_backup_dir(job, other);
	g_assert_false(wf_flash_job_prepare(job, NULL, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_REFUSED);
	g_assert_nonnull(strstr(error->message, "ANOTHER watch"));
	g_assert_nonnull(strstr(error->message, "--i-understand-this-is-another-watch"));
}

/* with the override, this watch's file system stays and its own backup must exist */
static void
test_restore_other_watch_keeps_fs(Fixture *f, gconstpointer data)
{
	g_autofree gchar *other = copy_backup(f, "other-watch-2");
	g_autofree gchar *image_path = g_build_filename(other, "flash.bin", NULL);
	g_autofree gchar *image = NULL;
	g_autofree gchar *sha256 = NULL;
	g_autoptr(WfFlashJob) job = NULL;
	g_autoptr(GError) error = NULL;
	gsize len = 0;

	/* the other watch: different firmware bytes AND different NVRAM */
	g_assert_true(g_file_get_contents(image_path, &image, &len, NULL));
	image[0x120000] ^= 0x01;
	image[TEST_FS_OFFSET + 0x40] ^= 0x01;
	g_assert_true(g_file_set_contents(image_path, image, (gssize)len, NULL));
	sha256 = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)image, len);
	rewrite_backup_record(other, "sha256", sha256);
	rewrite_backup_record(other, "me_id", "00112233445566778899aabbccddeeff");

	job = new_job(f, WF_FLASH_JOB_KIND_RESTORE);
	wf_flash_job_set_backup_dir(job, other);
	wf_flash_job_set_flags(job, WF_FLASH_JOB_FLAG_OTHER_WATCH);
	assert_prepared(job);
	/* the firmware sector only: the NVRAM difference is kept as it is */
	g_assert_cmpuint(writes_total(job), ==, 0x1000);
	g_assert_cmphex(
		((WfFlashWrite *)g_ptr_array_index(wf_flash_job_get_writes(job), 0))->offset,
		==,
		0x120000);

	/* no backup of this watch any more: refused */
	{
		g_autofree gchar *cmd = g_strdup_printf("rm -rf '%s'", f->backup_dir);
		g_autoptr(WfFlashJob) job2 = new_job(f, WF_FLASH_JOB_KIND_RESTORE);
		g_assert_cmpint(system(cmd), ==, 0);
		wf_flash_job_set_backup_dir(job2, other);
		wf_flash_job_set_flags(job2, WF_FLASH_JOB_FLAG_OTHER_WATCH);
		g_assert_false(wf_flash_job_prepare(job2, NULL, NULL, &error));
		g_assert_error(error, WF_ERROR, WF_ERROR_REFUSED);
		g_assert_nonnull(strstr(error->message, "no verified backup of this watch"));
	}
}

/* the library lookup: this watch's newest backup whose image still matches
 * its SHA-256; a newer damaged one and other watches' are passed over */
static void
test_find_backup(Fixture *f, gconstpointer data)
{
	g_autofree gchar *damaged = g_build_filename(f->backups, "newer-but-damaged", NULL);
	g_autofree gchar *other = g_build_filename(f->backups, "other-watch", NULL);
	g_autofree gchar *cmd = g_strdup_printf(
		"cp -r '%s' '%s' && cp -r '%s' '%s'", f->backup_dir, damaged, f->backup_dir, other);
	g_autofree gchar *image_path = g_build_filename(damaged, "flash.bin", NULL);
	g_autofree gchar *image = NULL;
	g_autoptr(WfBackup) found = NULL;
	g_autoptr(GError) error = NULL;
	const gchar *me_id = wf_device_info_get_me_id_string(f->info);
	const gchar *jedec = wf_device_info_get_jedec_id_string(f->info);
	gsize len = 0;

	g_assert_cmpint(system(cmd), ==, 0);
	rewrite_backup_record(damaged, "started", "2099-01-01T00:00:00Z");
	g_assert_true(g_file_get_contents(image_path, &image, &len, NULL));
	image[0x100] ^= 0x01;
	g_assert_true(g_file_set_contents(image_path, image, (gssize)len, NULL));
	rewrite_backup_record(other, "started", "2099-02-01T00:00:00Z");
	rewrite_backup_record(other, "me_id", "00112233445566778899aabbccddeeff");

	found = wf_flash_job_find_backup(NULL, me_id, jedec, NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(found);
	g_assert_cmpstr(wf_backup_get_dir(found), ==, f->backup_dir);

	/* nothing for an unknown watch */
	g_clear_object(&found);
	found = wf_flash_job_find_backup(
		NULL, "ffffffffffffffffffffffffffffffff", jedec, NULL, &error);
	g_assert_null(found);
	g_assert_error(error, WF_ERROR, WF_ERROR_NOT_FOUND);
}

/* a backup whose image no longer matches its SHA-256 is never written */
static void
test_restore_refuses_damaged_backup(Fixture *f, gconstpointer data)
{
	g_autofree gchar *damaged = copy_backup(f, "damaged-backup");
	g_autofree gchar *image_path = g_build_filename(damaged, "flash.bin", NULL);
	g_autofree gchar *image = NULL;
	g_autoptr(WfFlashJob) job = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) before = NULL;
	gsize len = 0;

	g_assert_true(g_file_get_contents(image_path, &image, &len, NULL));
	image[0x1234] ^= 0x80;
	g_assert_true(g_file_set_contents(image_path, image, (gssize)len, NULL));
	damage_flash(f, 0x100000, 0x1000, 0x01);
	before = watch_flash(f);
	job = new_job(f, WF_FLASH_JOB_KIND_RESTORE);
	wf_flash_job_set_backup_dir(job, damaged);
	g_assert_false(wf_flash_job_prepare(job, NULL, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_VERIFY_FAILED);
	g_assert_nonnull(strstr(error->message, "nothing was written"));
	{
		g_autoptr(GBytes) after = watch_flash(f);
		g_assert_true(g_bytes_equal(before, after));
	}
}

/* the flash size of the backup and the watch must agree */
static void
test_restore_refuses_other_size(Fixture *f, gconstpointer data)
{
	g_autofree gchar *other = copy_backup(f, "other-size");
	g_autofree gchar *record_path = g_build_filename(other, "backup.json", NULL);
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(JsonGenerator) generator = json_generator_new();
	g_autoptr(WfFlashJob) job = NULL;
	g_autoptr(GError) error = NULL;

	g_assert_true(json_parser_load_from_file(parser, record_path, NULL));
	json_object_set_int_member(json_node_get_object(json_parser_get_root(parser)),
				   "flash_size",
				   2 * TEST_FLASH_SIZE);
	json_generator_set_root(generator, json_parser_get_root(parser));
	g_assert_true(json_generator_to_file(generator, record_path, NULL));
	job = new_job(f, WF_FLASH_JOB_KIND_RESTORE);
	wf_flash_job_set_backup_dir(job, other);
	g_assert_false(wf_flash_job_prepare(job, NULL, NULL, &error));
	/* the image is 4 MiB but the record says 8: damaged */
	g_assert_error(error, WF_ERROR, WF_ERROR_VERIFY_FAILED);
}

/* cancelled after the first block: exactly what was written is reported, and
 * a restore afterwards repairs the watch */
static void
cancel_after_first_block_cb(WfProgress *progress, gpointer user_data)
{
	if (wf_progress_get_bytes_done(progress) > 0)
		g_cancellable_cancel(G_CANCELLABLE(user_data));
}

static void
test_interrupted_then_restored(Fixture *f, gconstpointer data)
{
	g_autoptr(WfFlashJob) job = NULL;
	g_autoptr(WfFlashJob) repair = NULL;
	g_autoptr(WfProgress) progress = wf_progress_new();
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autoptr(GError) error = NULL;
	g_autofree gchar *outcome = NULL;
	g_autoptr(GBytes) fw = changed_rom(f, 0x1000, 0x30000);
	g_autofree gchar *dir = package_dir("interrupted-fw");
	g_autofree gchar *path = NULL;
	guint verified = 0;
	guint pending = 0;

	path = write_file(dir, "ROM", g_bytes_get_data(fw, NULL), g_bytes_get_size(fw));
	job = new_job(f, WF_FLASH_JOB_KIND_FLASH);
	wf_flash_job_set_package(job, dir);
	assert_prepared(job);
	g_assert_cmpuint(wf_flash_job_get_writes(job)->len, >, 2);
	g_signal_connect(progress, "changed", G_CALLBACK(cancel_after_first_block_cb), cancellable);
	g_assert_false(wf_flash_job_run(job, progress, cancellable, &error));
	if (g_error_matches(error, WF_ERROR, WF_ERROR_NOT_SUPPORTED)) {
		g_test_skip(error->message);
		return;
	}
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	g_assert_cmpstr(wf_flash_job_get_result(job), ==, WF_FLASH_HISTORY_RESULT_CANCELLED);
	for (guint i = 0; i < wf_flash_job_get_writes(job)->len; i++) {
		const WfFlashWrite *write = g_ptr_array_index(wf_flash_job_get_writes(job), i);
		if (write->state == WF_FLASH_WRITE_STATE_VERIFIED)
			verified++;
		else if (write->state == WF_FLASH_WRITE_STATE_PENDING)
			pending++;
	}
	/* the block being written when the cancel came was finished and checked */
	g_assert_cmpuint(verified, ==, 1);
	g_assert_cmpuint(pending, ==, wf_flash_job_get_writes(job)->len - 1);
	outcome = wf_flash_job_get_outcome_text(job);
	g_assert_nonnull(outcome);
	g_assert_nonnull(strstr(outcome, "written and verified"));
	g_assert_nonnull(strstr(outcome, "not written"));
	g_assert_nonnull(strstr(outcome, "wristflash-cli restore"));
	g_assert_nonnull(strstr(outcome, f->backup_dir));
	{
		g_autoptr(GBytes) now = watch_flash(f);
		g_assert_false(g_bytes_equal(f->original, now));
	}

	/* the watch was not reset: the same boot-ROM session repairs it */
	g_clear_error(&error);
	repair = new_restore(f, WF_FLASH_JOB_FLAG_NONE);
	assert_prepared(repair);
	g_assert_cmpuint(writes_total(repair), >, 0);
	g_assert_true(wf_flash_job_run(repair, NULL, NULL, &error));
	g_assert_no_error(error);
	assert_flash_is_original(f);
}

/* every run is in the watch's history, with the sources' hashes */
static void
test_history_recorded(Fixture *f, gconstpointer data)
{
	g_autoptr(WfFlashJob) job = NULL;
	g_autoptr(WfFlashHistory) history = wf_flash_history_new(NULL);
	g_autoptr(GPtrArray) entries = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(WfBackup) backup = NULL;
	WfFlashHistoryEntry *entry;
	WfFlashHistorySource *source;

	damage_flash(f, 0x180000, 0x2000, 0x0F);
	job = new_restore(f, WF_FLASH_JOB_FLAG_NONE);
	assert_prepared(job);
	if (!run_job(job, NULL, &error)) {
		if (g_error_matches(error, WF_ERROR, WF_ERROR_NOT_SUPPORTED)) {
			g_test_skip(error->message);
			return;
		}
		g_assert_no_error(error);
	}
	entries = wf_flash_history_load(history, wf_device_info_get_me_id_string(f->info), &error);
	g_assert_no_error(error);
	g_assert_cmpuint(entries->len, ==, 1);
	entry = g_ptr_array_index(entries, 0);
	g_assert_cmpstr(entry->operation, ==, WF_FLASH_HISTORY_OP_RESTORE);
	g_assert_cmpstr(entry->result, ==, WF_FLASH_HISTORY_RESULT_OK);
	g_assert_cmpstr(entry->method, ==, "sfi");
	g_assert_nonnull(entry->method_reason);
	g_assert_cmpuint(entry->bytes_written, ==, 0x2000);
	g_assert_cmpuint(entry->sources->len, ==, 1);
	source = g_ptr_array_index(entry->sources, 0);
	backup = wf_backup_load(f->backup_dir, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(source->sha256, ==, wf_backup_get_sha256(backup));
	g_assert_cmpstr(entry->backup_sha256, ==, wf_backup_get_sha256(backup));
	g_assert_cmpuint(entry->regions->len, ==, 1);
	g_assert_cmpstr(((WfFlashHistoryRegion *)g_ptr_array_index(entry->regions, 0))->state,
			==,
			WF_FLASH_HISTORY_REGION_VERIFIED);
}

/* ---- the Download Agent path ---- */

/* a synthetic MTK_AllInOne_DA.bin (never a real DA) where wf_da_file_find()
 * looks: the user's DA folder; its flash table knows C2 20 16 */
static void
write_da_file(void)
{
	WfTestDaEntry entry = {
		.hw_code = 0x6261, .stage1_len = 0x434, .stage2_len = 0x1B4A8, .n_records = 8};
	g_autoptr(GBytes) blob = wf_test_da_container(&entry, 1, FALSE);
	g_autofree gchar *dir = g_build_filename(g_get_user_data_dir(), "wristflash", "da", NULL);
	g_autofree gchar *path = write_file(
		dir, "MTK_AllInOne_DA.bin", g_bytes_get_data(blob, NULL), g_bytes_get_size(blob));
}

/* the header block is intact and only main-region blocks differ: the DA
 * writes them (D3 + D5) and reads them back (D6) */
static void
test_restore_da(Fixture *f, gconstpointer data)
{
	g_autoptr(WfFlashJob) job = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(WfFlashHistory) history = wf_flash_history_new(NULL);
	g_autoptr(GPtrArray) entries = NULL;

	write_da_file();
	damage_flash(f, 0x100000, 0x10000, 0x3C);
	damage_flash(f, 0x2F0000, 0x800, 0x01);
	job = new_restore(f, WF_FLASH_JOB_FLAG_NONE);
	assert_prepared(job);
	g_assert_cmpint(wf_flash_job_get_method(job), ==, WF_FLASH_METHOD_DA);
	g_assert_nonnull(strstr(wf_flash_job_get_method_reason(job), "main region"));
	g_assert_cmpuint(writes_total(job), ==, 0x10000 + 0x1000);
	g_assert_true(run_job(job, NULL, &error));
	g_assert_no_error(error);
	for (guint i = 0; i < wf_flash_job_get_writes(job)->len; i++) {
		const WfFlashWrite *write = g_ptr_array_index(wf_flash_job_get_writes(job), i);
		g_assert_cmpint(write->state, ==, WF_FLASH_WRITE_STATE_VERIFIED);
	}
	assert_flash_is_original(f);
	entries = wf_flash_history_load(history, wf_device_info_get_me_id_string(f->info), &error);
	g_assert_no_error(error);
	g_assert_cmpuint(entries->len, ==, 1);
	g_assert_cmpstr(((WfFlashHistoryEntry *)g_ptr_array_index(entries, 0))->method, ==, "da");
}

/* --method da where only SFI can write is refused before anything is sent */
static void
test_restore_da_refuses_boot_region(Fixture *f, gconstpointer data)
{
	g_autoptr(WfFlashJob) job = NULL;
	g_autoptr(GError) error = NULL;

	write_da_file();
	damage_flash(f, 0x800, 0x100, 0x01); /* the first bootloader */
	job = new_restore(f, WF_FLASH_JOB_FLAG_NONE);
	wf_flash_job_set_method(job, WF_FLASH_METHOD_DA);
	g_assert_false(wf_flash_job_prepare(job, NULL, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_NOT_SUPPORTED);
	g_assert_nonnull(strstr(error->message, "--method sfi"));
}

static WfBrom *
reconnect_cb(gpointer user_data, GCancellable *cancellable, GError **error)
{
	Fixture *f = user_data;
	catch_watch(f);
	return g_object_ref(f->brom);
}

/* the DA reports a blank flash (the header went bad after the plan was
 * made): the watch is reset through the DA, caught again, and the job goes
 * on through SFI */
static void
test_restore_da_blank_falls_back_to_sfi(Fixture *f, gconstpointer data)
{
	g_autoptr(WfFlashJob) job = NULL;
	g_autoptr(GError) error = NULL;

	write_da_file();
	damage_flash(f, 0x100000, 0x1000, 0x3C);
	job = new_restore(f, WF_FLASH_JOB_FLAG_NONE);
	wf_flash_job_set_reconnect_func(job, reconnect_cb, f, NULL);
	assert_prepared(job);
	g_assert_cmpint(wf_flash_job_get_method(job), ==, WF_FLASH_METHOD_DA);
	damage_flash(f, 0x0, 0x200, 0xFF);
	if (!run_job(job, NULL, &error) &&
	    g_error_matches(error, WF_ERROR, WF_ERROR_NOT_SUPPORTED)) {
		g_test_skip(error->message);
		return;
	}
	g_assert_no_error(error);
	g_assert_cmpint(wf_flash_job_get_method(job), ==, WF_FLASH_METHOD_SFI);
	g_assert_nonnull(strstr(wf_flash_job_get_method_reason(job), "S_DA_BLANK_FLASH"));
	{
		g_autoptr(GBytes) now = watch_flash(f);
		g_assert_cmpmem((const guint8 *)g_bytes_get_data(now, NULL) + 0x100000,
				0x1000,
				(const guint8 *)g_bytes_get_data(f->original, NULL) + 0x100000,
				0x1000);
	}
}

/* the same without a way to catch the watch again: a clear error, nothing written */
static void
test_restore_da_blank_without_reconnect(Fixture *f, gconstpointer data)
{
	g_autoptr(WfFlashJob) job = NULL;
	g_autoptr(GError) error = NULL;

	write_da_file();
	damage_flash(f, 0x100000, 0x1000, 0x3C);
	job = new_restore(f, WF_FLASH_JOB_FLAG_NONE);
	assert_prepared(job);
	damage_flash(f, 0x0, 0x200, 0xFF);
	g_assert_false(run_job(job, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_NOT_SUPPORTED);
	g_assert_nonnull(strstr(error->message, "--method sfi"));
	g_assert_cmpstr(wf_flash_job_get_result(job), ==, WF_FLASH_HISTORY_RESULT_FAILED);
}

/* ---- flash -------------------------------------------------------------------------------------
 */

static void
test_flash_rom_differential(Fixture *f, gconstpointer data)
{
	g_autoptr(GBytes) fw = changed_rom(f, 0x2000, 0x10);
	g_autofree gchar *dir = package_dir("fw-small-change");
	g_autofree gchar *path = NULL;
	g_autoptr(WfFlashJob) job = NULL;
	g_autoptr(GError) error = NULL;
	const WfFlashWrite *write;

	path = write_file(dir, "ROM", g_bytes_get_data(fw, NULL), g_bytes_get_size(fw));
	job = new_job(f, WF_FLASH_JOB_KIND_FLASH);
	wf_flash_job_set_package(job, dir);
	assert_prepared(job);
	/* the whole ROM is in the plan, one sector differs */
	g_assert_cmpuint(wf_flash_plan_get_regions(wf_flash_job_get_plan(job))->len, ==, 1);
	g_assert_cmpuint(wf_flash_job_get_writes(job)->len, ==, 1);
	write = g_ptr_array_index(wf_flash_job_get_writes(job), 0);
	g_assert_cmphex(write->offset, ==, TEST_ROM_OFFSET + 0x2000);
	g_assert_cmphex(write->length, ==, 0x1000);
	g_assert_nonnull(wf_flash_job_get_backup(job));
	if (!run_job(job, NULL, &error)) {
		if (g_error_matches(error, WF_ERROR, WF_ERROR_NOT_SUPPORTED)) {
			g_test_skip(error->message);
			return;
		}
		g_assert_no_error(error);
	}
	{
		g_autoptr(GBytes) now = watch_flash(f);
		const guint8 *buf = g_bytes_get_data(now, NULL);
		g_assert_cmpmem(buf + TEST_ROM_OFFSET,
				g_bytes_get_size(fw),
				g_bytes_get_data(fw, NULL),
				g_bytes_get_size(fw));
	}
}

/* an SP Flash Tool package (a .cfg and the files it names) goes through the
 * package reader; sources in the history carry the files' hashes */
static void
test_flash_cfg_package(Fixture *f, gconstpointer data)
{
	g_autoptr(GBytes) fw = changed_rom(f, 0x3000, 0x20);
	g_autofree gchar *dir = package_dir("fw-cfg-package");
	g_autofree gchar *p1 = NULL;
	g_autofree gchar *p2 = NULL;
	g_autofree gchar *sha256 = g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, fw);
	const gchar *cfg = "general:\n"
			   "    config_version : alpha\n"
			   "    platform: MT6261\n"
			   "boot_region:\n"
			   "  alignment: block\n"
			   "  rom:\n"
			   "main_region:\n"
			   "  alignment: block\n"
			   "  rom:\n"
			   "    - file: ROM\n";
	g_autoptr(WfFlashJob) job = NULL;
	g_autoptr(WfFlashHistory) history = wf_flash_history_new(NULL);
	g_autoptr(GPtrArray) entries = NULL;
	g_autoptr(GError) error = NULL;
	WfFlashHistoryEntry *entry;

	p1 = write_file(dir, "ROM", g_bytes_get_data(fw, NULL), g_bytes_get_size(fw));
	p2 = write_file(dir, "WATCH.cfg", (const guint8 *)cfg, strlen(cfg));
	job = new_job(f, WF_FLASH_JOB_KIND_FLASH);
	wf_flash_job_set_package(job, dir);
	assert_prepared(job);
	g_assert_cmpuint(writes_total(job), ==, 0x1000);
	g_assert_true(run_job(job, NULL, &error));
	g_assert_no_error(error);
	entries = wf_flash_history_load(history, wf_device_info_get_me_id_string(f->info), &error);
	g_assert_no_error(error);
	g_assert_cmpuint(entries->len, ==, 1);
	entry = g_ptr_array_index(entries, 0);
	g_assert_cmpstr(entry->operation, ==, WF_FLASH_HISTORY_OP_FLASH);
	g_assert_cmpuint(entry->sources->len, ==, 1);
	g_assert_cmpstr(
		((WfFlashHistorySource *)g_ptr_array_index(entry->sources, 0))->sha256, ==, sha256);
	{
		g_autoptr(GBytes) now = watch_flash(f);
		g_assert_cmpmem((const guint8 *)g_bytes_get_data(now, NULL) + TEST_ROM_OFFSET,
				g_bytes_get_size(fw),
				g_bytes_get_data(fw, NULL),
				g_bytes_get_size(fw));
	}
}

static void
test_flash_refuses_without_backup(Fixture *f, gconstpointer data)
{
	g_autoptr(GBytes) fw = changed_rom(f, 0x2000, 0x10);
	g_autofree gchar *dir = package_dir("fw-no-backup");
	g_autofree gchar *path = NULL;
	g_autofree gchar *cmd = g_strdup_printf("rm -rf '%s'", f->backup_dir);
	g_autoptr(WfFlashJob) job = NULL;
	g_autoptr(WfFlashJob) job2 = NULL;
	g_autoptr(GError) error = NULL;

	path = write_file(dir, "ROM", g_bytes_get_data(fw, NULL), g_bytes_get_size(fw));
	g_assert_cmpint(system(cmd), ==, 0);
	job = new_job(f, WF_FLASH_JOB_KIND_FLASH);
	wf_flash_job_set_package(job, dir);
	g_assert_false(wf_flash_job_prepare(job, NULL, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_REFUSED);
	g_assert_nonnull(strstr(error->message, "no verified backup of this watch"));
	g_clear_error(&error);

	/* the explicit expert flag: the plan goes through (the FS range then comes
	 * from the watch's own firmware) */
	job2 = new_job(f, WF_FLASH_JOB_KIND_FLASH);
	wf_flash_job_set_package(job2, dir);
	wf_flash_job_set_flags(job2, WF_FLASH_JOB_FLAG_NO_BACKUP | WF_FLASH_JOB_FLAG_DRY_RUN);
	assert_prepared(job2);
	g_assert_null(wf_flash_job_get_backup(job2));
}

static void
test_flash_refuses_overlap(Fixture *f, gconstpointer data)
{
	g_autoptr(GBytes) fw = changed_rom(f, 0x2000, 0x10);
	g_autoptr(GBytes) extra =
		make_gfh_file(0x7001, 0x10000000 + TEST_ROM_OFFSET + 0x1000, 0x800, 0x33);
	g_autofree gchar *dir = package_dir("fw-overlap");
	g_autofree gchar *p1 = NULL;
	g_autofree gchar *p2 = NULL;
	g_autoptr(WfFlashJob) job = NULL;
	g_autoptr(GError) error = NULL;

	p1 = write_file(dir, "ROM.bin", g_bytes_get_data(fw, NULL), g_bytes_get_size(fw));
	p2 = write_file(dir, "APP.bin", g_bytes_get_data(extra, NULL), g_bytes_get_size(extra));
	job = new_job(f, WF_FLASH_JOB_KIND_FLASH);
	wf_flash_job_set_package(job, dir);
	g_assert_false(wf_flash_job_prepare(job, NULL, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_REFUSED);
	g_assert_nonnull(strstr(error->message, "overlaps"));
	assert_flash_is_original(f);
}

static void
test_flash_refuses_past_end(Fixture *f, gconstpointer data)
{
	g_autoptr(GBytes) fw = changed_rom(f, 0x2000, 0x10);
	g_autoptr(GBytes) big =
		make_gfh_file(0x7001, 0x10000000 + TEST_FLASH_SIZE - 0x800, 0x1000, 0x44);
	g_autofree gchar *dir = package_dir("fw-past-end");
	g_autofree gchar *p1 = NULL;
	g_autofree gchar *p2 = NULL;
	g_autoptr(WfFlashJob) job = NULL;
	g_autoptr(GError) error = NULL;

	p1 = write_file(dir, "ROM.bin", g_bytes_get_data(fw, NULL), g_bytes_get_size(fw));
	p2 = write_file(dir, "APP.bin", g_bytes_get_data(big, NULL), g_bytes_get_size(big));
	job = new_job(f, WF_FLASH_JOB_KIND_FLASH);
	wf_flash_job_set_package(job, dir);
	g_assert_false(wf_flash_job_prepare(job, NULL, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_REFUSED);
	g_assert_nonnull(strstr(error->message, "past the end"));
}

static void
test_flash_refuses_nvram_tail(Fixture *f, gconstpointer data)
{
	g_autoptr(GBytes) fw = changed_rom(f, 0x2000, 0x10);
	g_autoptr(GBytes) nv =
		make_gfh_file(0x7001, 0x10000000 + TEST_FS_OFFSET + 0x1000, 0x1000, 0x55);
	g_autofree gchar *dir = package_dir("fw-nvram");
	g_autofree gchar *p1 = NULL;
	g_autofree gchar *p2 = NULL;
	g_autoptr(WfFlashJob) job = NULL;
	g_autoptr(GError) error = NULL;

	p1 = write_file(dir, "ROM.bin", g_bytes_get_data(fw, NULL), g_bytes_get_size(fw));
	p2 = write_file(dir, "NV.bin", g_bytes_get_data(nv, NULL), g_bytes_get_size(nv));
	job = new_job(f, WF_FLASH_JOB_KIND_FLASH);
	wf_flash_job_set_package(job, dir);
	g_assert_false(wf_flash_job_prepare(job, NULL, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_REFUSED);
	g_assert_nonnull(strstr(error->message, "IMEI"));
	assert_flash_is_original(f);
}

static void
test_flash_refuses_other_chip(Fixture *f, gconstpointer data)
{
	g_autoptr(GBytes) app = make_gfh_file(0x7001, 0x10000000 + 0x300000, 0x1000, 0x66);
	g_autofree gchar *dir = package_dir("fw-mt6260");
	g_autofree gchar *p1 = NULL;
	g_autofree gchar *p2 = NULL;
	const gchar *cfg = "general:\n"
			   "    config_version : alpha\n"
			   "    platform: MT6260\n"
			   "boot_region:\n"
			   "  alignment: block\n"
			   "  rom:\n"
			   "main_region:\n"
			   "  alignment: block\n"
			   "  rom:\n"
			   "    - file: APP.bin\n";
	g_autoptr(WfFlashJob) job = NULL;
	g_autoptr(GError) error = NULL;

	p1 = write_file(dir, "APP.bin", g_bytes_get_data(app, NULL), g_bytes_get_size(app));
	p2 = write_file(dir, "MT6260.cfg", (const guint8 *)cfg, strlen(cfg));
	job = new_job(f, WF_FLASH_JOB_KIND_FLASH);
	wf_flash_job_set_package(job, dir);
	g_assert_false(wf_flash_job_prepare(job, NULL, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_REFUSED);
	g_assert_nonnull(strstr(error->message, "MT6260"));
}

/* a MAUI ROM built like the watch's, for another flash size or LCD, cut from
 * a whole image the virtual watch's generator makes */
static GBytes *
rom_from_spec(Fixture *f, gsize image_size, const gchar *lcd_driver)
{
	WfSimImageSpec spec;
	WfSimImageLayout layout;
	g_autoptr(GBytes) image = NULL;
	g_autoptr(GError) error = NULL;

	wf_sim_image_spec_init(&spec,
			       image_size,
			       wf_sim_watch_get_jedec(f->watch),
			       wf_sim_watch_get_me_id(f->watch));
	if (lcd_driver != NULL) {
		/* in the image and in the version string, where the check looks */
		spec.lcd_driver = lcd_driver;
		spec.verno = "VW_DZ09_V1.0_COB_9307HSD_FT6236_EU_IPS_20250301";
	}
	image = wf_sim_image_build(&spec, &error);
	g_assert_no_error(error);
	g_assert_true(wf_sim_image_get_layout(&spec, &layout, &error));
	g_assert_no_error(error);
	return g_bytes_new_from_bytes(image, layout.rom_offset, layout.rom_len);
}

/* another LCD controller: risky, so nothing is written without a confirmation */
static void
test_flash_risky_needs_confirmation(Fixture *f, gconstpointer data)
{
	g_autoptr(GBytes) fw = rom_from_spec(f, TEST_FLASH_SIZE, "GC9307");
	g_autofree gchar *dir = package_dir("fw-risky");
	g_autofree gchar *path = NULL;
	g_autoptr(WfFlashJob) job = NULL;
	g_autoptr(GError) error = NULL;

	if (g_getenv("WF_PROFILES_DIR") == NULL) {
		g_test_skip("WF_PROFILES_DIR is not set: run through meson test");
		return;
	}
	path = write_file(dir, "ROM", g_bytes_get_data(fw, NULL), g_bytes_get_size(fw));
	job = new_job(f, WF_FLASH_JOB_KIND_FLASH);
	wf_flash_job_set_package(job, dir);
	assert_prepared(job);
	g_assert_nonnull(wf_flash_job_get_compat(job));
	g_assert_cmpint(
		wf_compat_get_verdict(wf_flash_job_get_compat(job)), ==, WF_COMPAT_VERDICT_RISKY);
	g_assert_nonnull(
		wf_compat_find_reason(wf_flash_job_get_compat(job), WF_COMPAT_LCD_DIFFERS));
	g_assert_false(run_job(job, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_REFUSED);
	g_assert_nonnull(strstr(error->message, "RISKY"));
	assert_flash_is_original(f);
}

/* a ROM built for an 8 MiB flash keeps its file system past this watch's end */
static void
test_flash_refuses_incompatible(Fixture *f, gconstpointer data)
{
	g_autoptr(GBytes) fw = rom_from_spec(f, 2 * TEST_FLASH_SIZE, NULL);
	g_autofree gchar *dir = package_dir("fw-incompatible");
	g_autofree gchar *path = NULL;
	g_autoptr(WfFlashJob) job = NULL;
	g_autoptr(GError) error = NULL;

	if (g_getenv("WF_PROFILES_DIR") == NULL) {
		g_test_skip("WF_PROFILES_DIR is not set: run through meson test");
		return;
	}
	path = write_file(dir, "ROM", g_bytes_get_data(fw, NULL), g_bytes_get_size(fw));
	job = new_job(f, WF_FLASH_JOB_KIND_FLASH);
	wf_flash_job_set_package(job, dir);
	g_assert_false(wf_flash_job_prepare(job, NULL, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_REFUSED);
	g_assert_nonnull(strstr(error->message, "will not work on this watch"));
	assert_flash_is_original(f);
}

/* ---- erase -------------------------------------------------------------------------------------
 */

static void
test_erase(Fixture *f, gconstpointer data)
{
	g_autoptr(WfFlashJob) job = new_job(f, WF_FLASH_JOB_KIND_ERASE);
	g_autoptr(GError) error = NULL;

	/* three sectors inside the MAUI ROM: they hold data */
	wf_flash_job_set_erase_range(job, 0x20000, 0x3000);
	assert_prepared(job);
	g_assert_cmpuint(writes_total(job), ==, 0x3000);
	if (!run_job(job, NULL, &error)) {
		if (g_error_matches(error, WF_ERROR, WF_ERROR_NOT_SUPPORTED)) {
			g_test_skip(error->message);
			return;
		}
		g_assert_no_error(error);
	}
	{
		g_autoptr(GBytes) now = watch_flash(f);
		const guint8 *buf = g_bytes_get_data(now, NULL);
		const guint8 *orig = g_bytes_get_data(f->original, NULL);
		for (guint i = 0; i < 0x3000; i++)
			g_assert_cmphex(buf[0x20000 + i], ==, 0xFF);
		/* nothing around it changed */
		g_assert_cmpmem(buf, 0x20000, orig, 0x20000);
		g_assert_cmpmem(buf + 0x23000,
				TEST_FLASH_SIZE - 0x23000,
				orig + 0x23000,
				TEST_FLASH_SIZE - 0x23000);
	}
}

static void
test_erase_refusals(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *cmd = g_strdup_printf("rm -rf '%s'", f->backup_dir);

	/* the NVRAM tail needs its own flag */
	{
		g_autoptr(WfFlashJob) job = new_job(f, WF_FLASH_JOB_KIND_ERASE);
		wf_flash_job_set_erase_range(job, TEST_FS_OFFSET, 0x1000);
		g_assert_false(wf_flash_job_prepare(job, NULL, NULL, &error));
		g_assert_error(error, WF_ERROR, WF_ERROR_REFUSED);
		g_assert_nonnull(strstr(error->message, "--include-nvram-tail"));
		g_clear_error(&error);
	}
	{
		g_autoptr(WfFlashJob) job = new_job(f, WF_FLASH_JOB_KIND_ERASE);
		wf_flash_job_set_erase_range(job, TEST_FS_OFFSET, 0x1000);
		wf_flash_job_set_flags(job,
				       WF_FLASH_JOB_FLAG_INCLUDE_FS | WF_FLASH_JOB_FLAG_DRY_RUN);
		g_assert_true(wf_flash_job_prepare(job, NULL, NULL, &error));
		g_assert_no_error(error);
	}
	/* sectors only */
	{
		g_autoptr(WfFlashJob) job = new_job(f, WF_FLASH_JOB_KIND_ERASE);
		wf_flash_job_set_erase_range(job, 0x200100, 0x1000);
		g_assert_false(wf_flash_job_prepare(job, NULL, NULL, &error));
		g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_DATA);
		g_clear_error(&error);
	}
	/* no backup: refused */
	g_assert_cmpint(system(cmd), ==, 0);
	{
		g_autoptr(WfFlashJob) job = new_job(f, WF_FLASH_JOB_KIND_ERASE);
		wf_flash_job_set_erase_range(job, 0x200000, 0x1000);
		g_assert_false(wf_flash_job_prepare(job, NULL, NULL, &error));
		g_assert_error(error, WF_ERROR, WF_ERROR_REFUSED);
	}
	assert_flash_is_original(f);
}

/* ---- Download Agent readback against the virtual watch ---- */

typedef struct {
	WfSimWatch *watch;
	WfCatcher *catcher;
	WfBrom *brom;
	WfDa *da;
} DaReadback;

/* a watch with @faults, caught, with the synthetic DA running on it */
static void
da_readback_start(DaReadback *r, const gchar *faults)
{
	WfTestDaEntry spec = {
		.hw_code = 0x6261, .stage1_len = 0x434, .stage2_len = 0x1B4A8, .n_records = 8};
	g_autoptr(GBytes) blob = wf_test_da_container(&spec, 1, FALSE);
	g_autoptr(WfDaFile) file = NULL;
	g_autoptr(WfDeviceInfo) info = NULL;
	g_autoptr(GError) error = NULL;
	const WfDaEntry *entry;
	WfSimConfig config;

	wf_sim_config_init(&config);
	config.flash_size = TEST_FLASH_SIZE;
	config.rate = 0;
	config.turnaround_us = 0;
	config.lifetime_ms = 0;
	config.fast_nor = TRUE;
	config.faults = g_strdup(faults);
	r->watch = wf_sim_watch_new(&config, &error);
	wf_sim_config_clear(&config);
	g_assert_no_error(error);
	r->catcher = wf_catcher_new();
	wf_catcher_set_opener(r->catcher, open_port_cb, g_object_ref(r->watch), g_object_unref);
	wf_sim_watch_plug_in(r->watch);
	r->brom = wf_catcher_catch(r->catcher, 10000, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(wf_device_info_identify(r->brom, 0, &info, NULL, &error));
	g_assert_no_error(error);
	file = wf_da_file_new_from_bytes(blob, NULL, &error);
	g_assert_no_error(error);
	entry = wf_da_file_select(file,
				  wf_device_info_get_hw_code(info),
				  wf_device_info_get_hw_subcode(info),
				  wf_device_info_get_hw_version(info),
				  wf_device_info_get_sw_version(info),
				  &error);
	g_assert_no_error(error);
	g_assert_true(wf_brom_disable_watchdog(r->brom, NULL, &error));
	g_assert_no_error(error);
	r->da = wf_da_new(wf_brom_get_transport(r->brom));
	g_assert_true(wf_da_start(r->da, r->brom, file, entry, NULL, &error));
	g_assert_no_error(error);
}

static void
da_readback_stop(DaReadback *r)
{
	g_clear_object(&r->da);
	if (r->brom != NULL)
		wf_transport_close(wf_brom_get_transport(r->brom), NULL);
	g_clear_object(&r->brom);
	g_clear_object(&r->catcher);
	wf_sim_watch_shutdown(r->watch);
	g_clear_object(&r->watch);
}

/* reads @len bytes at @offset and compares them with the watch's flash */
static void
da_readback_check(DaReadback *r, guint32 offset, gsize len)
{
	g_autoptr(GBytes) flash = wf_sim_watch_dup_flash(r->watch);
	g_autoptr(GError) error = NULL;
	g_autofree guint8 *buf = g_malloc0(len);
	const guint8 *f = g_bytes_get_data(flash, NULL);

	g_assert_true(wf_da_read_flash(r->da, offset, buf, len, NULL, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpmem(buf, len, f + offset, len);
	g_assert_true(wf_da_is_usable(r->da, NULL));
}

/* ACK-ahead (the default) and the acknowledged mode read the same bytes,
 * the short last packet included, one after the other in one session */
static void
test_da_readback_modes(void)
{
	DaReadback r = {0};

	da_readback_start(&r, NULL);
	g_assert_true(wf_da_get_read_ack_ahead(r.da));
	da_readback_check(&r, 0, 0x40000);
	da_readback_check(&r, 0x2F0000, 0x10A02);
	wf_da_set_read_ack_ahead(r.da, FALSE);
	da_readback_check(&r, 0x100000, 0x10A02);
	wf_da_set_read_ack_ahead(r.da, TRUE);
	da_readback_check(&r, TEST_FLASH_SIZE - 0x8000, 0x8000);
	g_assert_cmpuint(wf_da_get_resends(r.da), ==, 0);
	da_readback_stop(&r);
}

/* da-bad-read:N damages readback packet N once. With ACK-ahead it has been
 * acknowledged by the time it fails its checksum: it is read again with a
 * new D6, and the result is still exact; so it is in the acknowledged mode */
static void
test_da_readback_bad_packet(gconstpointer data)
{
	gboolean ack_ahead = GPOINTER_TO_INT(data);
	DaReadback r = {0};

	da_readback_start(&r, "da-bad-read:5");
	wf_da_set_read_ack_ahead(r.da, ack_ahead);
	/* packets 0-4, then the last one (5), short, is the damaged one */
	da_readback_check(&r, 0x10000, 0x5800);
	g_assert_cmpuint(wf_da_get_resends(r.da), ==, 1);
	/* the session goes on */
	da_readback_check(&r, 0x200000, 0x20000);
	g_assert_cmpuint(wf_da_get_resends(r.da), ==, 1);
	da_readback_stop(&r);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
#define ADD(name, func)                                                                            \
	g_test_add("/flash-job/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)
	ADD("restore/sfi-byte-exact", test_restore_sfi_byte_exact);
	ADD("restore/differential-one-block", test_restore_differential_one_block);
	ADD("restore/full", test_restore_full);
	ADD("restore/up-to-date", test_restore_up_to_date);
	ADD("restore/dry-run", test_restore_dry_run);
	ADD("restore/refuses-other-watch", test_restore_refuses_other_watch);
	ADD("restore/other-watch-keeps-fs", test_restore_other_watch_keeps_fs);
	ADD("restore/refuses-damaged-backup", test_restore_refuses_damaged_backup);
	ADD("restore/refuses-other-size", test_restore_refuses_other_size);
	ADD("restore/da", test_restore_da);
	ADD("restore/da-refuses-boot-region", test_restore_da_refuses_boot_region);
	ADD("restore/da-blank-falls-back-to-sfi", test_restore_da_blank_falls_back_to_sfi);
	ADD("restore/da-blank-without-reconnect", test_restore_da_blank_without_reconnect);
	ADD("find-backup", test_find_backup);
	ADD("interrupted-then-restored", test_interrupted_then_restored);
	ADD("history-recorded", test_history_recorded);
	ADD("flash/rom-differential", test_flash_rom_differential);
	ADD("flash/cfg-package", test_flash_cfg_package);
	ADD("flash/refuses-without-backup", test_flash_refuses_without_backup);
	ADD("flash/refuses-overlap", test_flash_refuses_overlap);
	ADD("flash/refuses-past-end", test_flash_refuses_past_end);
	ADD("flash/refuses-nvram-tail", test_flash_refuses_nvram_tail);
	ADD("flash/refuses-other-chip", test_flash_refuses_other_chip);
	ADD("flash/risky-needs-confirmation", test_flash_risky_needs_confirmation);
	ADD("flash/refuses-incompatible", test_flash_refuses_incompatible);
	ADD("erase/sectors", test_erase);
	ADD("erase/refusals", test_erase_refusals);
#undef ADD
	g_test_add_func("/flash-job/da-readback/modes", test_da_readback_modes);
	g_test_add_data_func("/flash-job/da-readback/bad-packet-ack-ahead",
			     GINT_TO_POINTER(TRUE),
			     test_da_readback_bad_packet);
	g_test_add_data_func("/flash-job/da-readback/bad-packet-acked",
			     GINT_TO_POINTER(FALSE),
			     test_da_readback_bad_packet);
	return g_test_run();
}
