/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "wf-error.h"
#include "wf-flash-plan.h"
#include "wf-test-da.h"

#define FLASH_SIZE 0x400000
#define FS_OFFSET  0x380000
#define FS_LENGTH  0x7E000
#define ME_ID	   "f81da2153082cc5e21ac5236876844c2"
#define OTHER_ME   "00112233445566778899aabbccddeeff"
#define JEDEC	   "C22016"

/* a plan for this watch, with a verified backup of it and its FS known */
static WfFlashPlan *
plan_for_watch(void)
{
	WfFlashPlan *plan = wf_flash_plan_new();

	wf_flash_plan_set_watch(plan, 0x6261, ME_ID, JEDEC, FLASH_SIZE);
	wf_flash_plan_set_target_chip(plan, 0x6261);
	/* spelled differently on purpose: ids compare without case or spaces */
	wf_flash_plan_set_backup(
		plan, "F81DA215 3082CC5E 21AC5236 876844C2", "c2 20 16", NULL, TRUE);
	wf_flash_plan_set_fs_region(plan, FS_OFFSET, FS_LENGTH, "F0");
	return plan;
}

static void
add_file(WfFlashPlan *plan, const gchar *name, guint16 type, guint32 load_addr, guint32 len)
{
	g_autoptr(GBytes) data = wf_test_da_random_bytes(len, load_addr ^ type);
	g_autoptr(GError) error = NULL;
	WfFlashPlanFile file = {
		.name = name,
		.data = data,
		.file_type = type,
		.load_addr = load_addr,
		.file_len = len,
	};

	g_assert_true(wf_flash_plan_add_file(plan, &file, &error));
	g_assert_no_error(error);
}

static const WfFlashRegion *
region_at(WfFlashPlan *plan, guint idx)
{
	GPtrArray *regions = wf_flash_plan_get_regions(plan);
	g_assert_cmpuint(idx, <, regions->len);
	return g_ptr_array_index(regions, idx);
}

static void
test_files(void)
{
	g_autoptr(WfFlashPlan) plan = plan_for_watch();
	g_autoptr(GBytes) short_data = wf_test_da_random_bytes(0x100, 1);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *sha = NULL;
	g_autoptr(GBytes) rom = NULL;
	const WfFlashRegion *r;
	WfFlashPlanFile bad = {.name = "ROM", .file_type = 0x100, .load_addr = 0x1000B000};

	/* the SIM868 layout: BL runs from SRAM, the rest are flash addresses */
	add_file(plan, "ROM", 0x0100, 0x1000B000, 0x2000);
	add_file(plan, "BOOTLOADER", 0x0001, 0x70006000, 0x1BC0);
	add_file(plan, "EXT_BOOTLOADER", 0x0002, 0x10002400, 0x7CFC);
	add_file(plan, "app", 0x7001, 0x00300000, 0x400);

	g_assert_cmpuint(wf_flash_plan_get_regions(plan)->len, ==, 4);
	r = region_at(plan, 0);
	g_assert_cmpstr(r->name, ==, "BOOTLOADER");
	g_assert_cmphex(r->offset, ==, WF_FLASH_PLAN_BOOTLOADER_OFFSET);
	g_assert_cmpint(r->kind, ==, WF_FLASH_REGION_KIND_BOOTLOADER);
	r = region_at(plan, 1);
	g_assert_cmphex(r->offset, ==, 0x2400);
	g_assert_cmpuint(r->length, ==, 0x7CFC);
	g_assert_cmpint(r->kind, ==, WF_FLASH_REGION_KIND_BOOTLOADER);
	r = region_at(plan, 2);
	g_assert_cmpstr(r->name, ==, "ROM");
	g_assert_cmphex(r->offset, ==, 0xB000);
	g_assert_cmpint(r->kind, ==, WF_FLASH_REGION_KIND_MAIN);
	g_assert_cmphex(r->file_type, ==, 0x100);
	g_assert_false(r->from_backup);
	rom = wf_test_da_random_bytes(0x2000, 0x1000B000 ^ 0x100);
	sha = g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, rom);
	g_assert_cmpstr(r->sha256, ==, sha);
	g_assert_true(g_bytes_equal(r->data, rom));
	g_assert_cmphex(region_at(plan, 3)->offset, ==, 0x300000);
	g_assert_cmpuint(wf_flash_plan_get_write_size(plan), ==, 0x2000 + 0x1BC0 + 0x7CFC + 0x400);
	g_assert_true(wf_flash_plan_check(plan, &error));
	g_assert_no_error(error);

	/* a load address outside the flash window */
	bad.load_addr = 0x20000000;
	bad.file_len = 0x100;
	bad.data = short_data;
	g_assert_false(wf_flash_plan_add_file(plan, &bad, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_FILE);
	g_clear_error(&error);
	/* a file shorter than its FILE_INFO says */
	bad.load_addr = 0x10200000;
	bad.file_len = 0x200;
	g_assert_false(wf_flash_plan_add_file(plan, &bad, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_FILE);
	g_assert_nonnull(strstr(error->message, "truncated"));
	g_clear_error(&error);
	g_assert_cmpuint(wf_flash_plan_get_regions(plan)->len, ==, 4);
}

static void
test_file_from_path(void)
{
	g_autoptr(WfFlashPlan) plan = plan_for_watch();
	g_autoptr(GBytes) data = wf_test_da_random_bytes(0x900, 2);
	g_autofree gchar *path = g_build_filename(g_get_user_cache_dir(), "VIVA.bin", NULL);
	g_autoptr(GError) error = NULL;
	WfFlashPlanFile file = {
		.name = "VIVA",
		.path = path,
		.file_type = 0x0108,
		.load_addr = 0x10071B7C,
		.file_len = 0x800, /* the file carries padding after its end */
	};

	g_assert_cmpint(g_mkdir_with_parents(g_get_user_cache_dir(), 0700), ==, 0);
	g_assert_true(g_file_set_contents(path, g_bytes_get_data(data, NULL), 0x900, &error));
	g_assert_true(wf_flash_plan_add_file(plan, &file, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(region_at(plan, 0)->source, ==, path);
	g_assert_cmphex(region_at(plan, 0)->offset, ==, 0x71B7C);
	g_assert_cmpuint(region_at(plan, 0)->length, ==, 0x800);
	g_assert_cmpmem(g_bytes_get_data(region_at(plan, 0)->data, NULL),
			0x800,
			g_bytes_get_data(data, NULL),
			0x800);

	file.path = "/nonexistent/VIVA.bin";
	g_assert_false(wf_flash_plan_add_file(plan, &file, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_READ);
}

static void
test_overlaps(void)
{
	g_autoptr(WfFlashPlan) good = plan_for_watch();
	g_autoptr(WfFlashPlan) bad = plan_for_watch();
	g_autoptr(GError) error = NULL;

	/* back to back is fine */
	add_file(good, "ROM", 0x100, 0x1000B000, 0x6640C);
	add_file(good, "COREAPI", 0x103, 0x1007140C, 0x770);
	g_assert_cmphex(region_at(good, 0)->offset + region_at(good, 0)->length, <=, 0x7140C);
	g_assert_true(wf_flash_plan_check_overlaps(good, &error));
	g_assert_no_error(error);

	add_file(bad, "ROM", 0x100, 0x1000B000, 0x66500);
	add_file(bad, "COREAPI", 0x103, 0x1007140C, 0x770);
	g_assert_false(wf_flash_plan_check_overlaps(bad, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_REFUSED);
	g_assert_nonnull(strstr(error->message, "ROM (0x0000B000"));
	g_assert_nonnull(strstr(error->message, "overlaps COREAPI (0x0007140C"));
	g_clear_error(&error);
	g_assert_false(wf_flash_plan_check(bad, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_REFUSED);
}

static void
test_flash_end(void)
{
	g_autoptr(WfFlashPlan) plan = plan_for_watch();
	g_autoptr(GError) error = NULL;

	add_file(plan, "app", 0x7001, 0x10300000, 0x10000);
	g_assert_true(wf_flash_plan_check_flash_end(plan, &error));
	g_assert_no_error(error);

	/* the same file on a 2 MiB part */
	wf_flash_plan_set_watch(plan, 0x6261, ME_ID, JEDEC, 0x200000);
	g_assert_false(wf_flash_plan_check_flash_end(plan, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_REFUSED);
	g_assert_nonnull(strstr(error->message, "past the end"));
	g_assert_nonnull(strstr(error->message, "2048 KiB"));
	g_clear_error(&error);

	/* an unknown size is not a pass */
	wf_flash_plan_set_watch(plan, 0x6261, ME_ID, JEDEC, 0);
	g_assert_false(wf_flash_plan_check_flash_end(plan, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_REFUSED);
}

static void
test_chip(void)
{
	g_autoptr(WfFlashPlan) plan = plan_for_watch();
	g_autoptr(GError) error = NULL;

	add_file(plan, "ROM", 0x100, 0x1000B000, 0x1000);
	g_assert_true(wf_flash_plan_check_chip(plan, &error));
	g_assert_no_error(error);

	wf_flash_plan_set_target_chip(plan, 0x6260);
	g_assert_false(wf_flash_plan_check_chip(plan, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_REFUSED);
	g_assert_nonnull(strstr(error->message, "for MT6260 but the watch is MT6261"));
	g_clear_error(&error);
	g_assert_false(wf_flash_plan_check(plan, &error));
	g_clear_error(&error);

	wf_flash_plan_set_target_chip(plan, 0);
	g_assert_false(wf_flash_plan_check_chip(plan, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_REFUSED);
}

static void
test_fs_tail_files(void)
{
	g_autoptr(WfFlashPlan) plan = plan_for_watch();
	g_autoptr(WfFlashPlan) unknown = plan_for_watch();
	g_autoptr(GError) error = NULL;

	/* a file that stops short of the FS passes */
	add_file(plan, "app", 0x7001, 0x10300000, FS_OFFSET - 0x300000);
	g_assert_true(wf_flash_plan_check_fs_tail(plan, &error));
	g_assert_no_error(error);

	/* a package's file-system image would wipe IMEI and pairings */
	add_file(plan, "FS", 0x0480, 0x10000000 + FS_OFFSET, 0x1000);
	g_assert_cmpint(region_at(plan, 1)->kind, ==, WF_FLASH_REGION_KIND_FS_TAIL);
	g_assert_false(wf_flash_plan_check_fs_tail(plan, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_REFUSED);
	g_assert_nonnull(strstr(error->message, "IMEI"));
	g_assert_nonnull(strstr(error->message, "0x00380000"));
	g_clear_error(&error);
	/* only the expert override lets it through */
	wf_flash_plan_set_overrides(plan, WF_FLASH_PLAN_OVERRIDE_ERASE_FS);
	g_assert_true(wf_flash_plan_check_fs_tail(plan, &error));
	g_assert_no_error(error);

	/* not knowing where the FS is, is not a pass */
	wf_flash_plan_set_fs_region(unknown, 0, 0, NULL);
	add_file(unknown, "ROM", 0x100, 0x1000B000, 0x1000);
	g_assert_false(wf_flash_plan_check_fs_tail(unknown, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_REFUSED);
	g_clear_error(&error);
	wf_flash_plan_set_overrides(unknown, WF_FLASH_PLAN_OVERRIDE_ERASE_FS);
	g_assert_true(wf_flash_plan_check_fs_tail(unknown, &error));
	g_assert_no_error(error);
}

static GBytes *
make_image(void)
{
	return wf_test_da_random_bytes(FLASH_SIZE, 77);
}

static void
test_restore_full(void)
{
	g_autoptr(WfFlashPlan) plan = plan_for_watch();
	g_autoptr(GBytes) image = make_image();
	g_autoptr(GError) error = NULL;
	g_autofree gchar *sha = g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, image);
	g_autofree gchar *block0 = NULL;
	const WfFlashRegion *r;

	wf_flash_plan_set_backup(plan, ME_ID, JEDEC, sha, TRUE);
	g_assert_true(
		wf_flash_plan_add_restore(plan, image, "backup/flash.bin", NULL, NULL, &error));
	g_assert_no_error(error);
	/* boot block, the firmware blocks, the FS blocks (0x380000–0x3FFFFF) */
	g_assert_cmpuint(wf_flash_plan_get_regions(plan)->len, ==, 3);
	r = region_at(plan, 0);
	g_assert_cmpint(r->kind, ==, WF_FLASH_REGION_KIND_BOOT_HEADER);
	g_assert_cmphex(r->offset, ==, 0);
	g_assert_cmphex(r->length, ==, 0x10000);
	g_assert_true(r->from_backup);
	block0 = g_compute_checksum_for_data(
		G_CHECKSUM_SHA256, g_bytes_get_data(image, NULL), 0x10000);
	g_assert_cmpstr(r->sha256, ==, block0);
	r = region_at(plan, 1);
	g_assert_cmpint(r->kind, ==, WF_FLASH_REGION_KIND_MAIN);
	g_assert_cmphex(r->offset, ==, 0x10000);
	g_assert_cmphex(r->length, ==, FS_OFFSET - 0x10000);
	r = region_at(plan, 2);
	g_assert_cmpint(r->kind, ==, WF_FLASH_REGION_KIND_FS_TAIL);
	g_assert_cmphex(r->offset, ==, FS_OFFSET);
	g_assert_cmphex(r->length, ==, FLASH_SIZE - FS_OFFSET);
	g_assert_cmpstr(r->source, ==, "backup/flash.bin");
	g_assert_cmpuint(wf_flash_plan_get_write_size(plan), ==, FLASH_SIZE);
	/* this watch's own backup may rewrite its own NVRAM */
	g_assert_true(wf_flash_plan_check(plan, &error));
	g_assert_no_error(error);
}

static void
test_restore_differential(void)
{
	g_autoptr(GBytes) image = make_image();
	g_autofree guint8 *now = g_memdup2(g_bytes_get_data(image, NULL), FLASH_SIZE);
	g_autoptr(GBytes) current = NULL;
	g_autoptr(GError) error = NULL;
	g_auto(GStrv) sums = g_new0(gchar *, FLASH_SIZE / 0x10000 + 1);

	/* the watch differs from its backup in blocks 2, 3 and 0x39 */
	now[0x20010] ^= 1;
	now[0x3FFFF] ^= 1;
	now[0x390000] ^= 1;
	current = g_bytes_new(now, FLASH_SIZE);
	for (guint i = 0; i < FLASH_SIZE / 0x10000; i++)
		sums[i] =
			g_compute_checksum_for_data(G_CHECKSUM_SHA256, now + i * 0x10000, 0x10000);

	for (guint way = 0; way < 2; way++) {
		g_autoptr(WfFlashPlan) plan = plan_for_watch();

		g_assert_true(
			wf_flash_plan_add_restore(plan,
						  image,
						  "flash.bin",
						  way == 0 ? current : NULL,
						  way == 1 ? (const gchar *const *)sums : NULL,
						  &error));
		g_assert_no_error(error);
		g_assert_cmpuint(wf_flash_plan_get_regions(plan)->len, ==, 2);
		g_assert_cmphex(region_at(plan, 0)->offset, ==, 0x20000);
		g_assert_cmphex(region_at(plan, 0)->length, ==, 0x20000);
		g_assert_cmpint(region_at(plan, 0)->kind, ==, WF_FLASH_REGION_KIND_MAIN);
		g_assert_cmphex(region_at(plan, 1)->offset, ==, 0x390000);
		g_assert_cmphex(region_at(plan, 1)->length, ==, 0x10000);
		g_assert_cmpint(region_at(plan, 1)->kind, ==, WF_FLASH_REGION_KIND_FS_TAIL);
		g_assert_cmpuint(wf_flash_plan_get_write_size(plan), ==, 0x30000);
		g_assert_true(wf_flash_plan_check(plan, &error));
		g_assert_no_error(error);
	}

	/* identical: nothing to write, and check() says so */
	{
		g_autoptr(WfFlashPlan) plan = plan_for_watch();
		g_assert_true(wf_flash_plan_add_restore(plan, image, NULL, image, NULL, &error));
		g_assert_cmpuint(wf_flash_plan_get_regions(plan)->len, ==, 0);
		g_assert_false(wf_flash_plan_check(plan, &error));
		g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_DATA);
		g_clear_error(&error);
	}
	/* inputs that do not fit */
	{
		g_autoptr(WfFlashPlan) plan = plan_for_watch();
		g_autoptr(GBytes) half = g_bytes_new_from_bytes(image, 0, FLASH_SIZE / 2);
		g_autoptr(GBytes) odd = g_bytes_new_from_bytes(image, 0, 0x12345);
		const gchar *few[] = {"00", NULL};

		g_assert_false(wf_flash_plan_add_restore(plan, image, NULL, half, NULL, &error));
		g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_DATA);
		g_clear_error(&error);
		g_assert_false(wf_flash_plan_add_restore(plan, image, NULL, NULL, few, &error));
		g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_DATA);
		g_clear_error(&error);
		g_assert_false(wf_flash_plan_add_restore(plan, odd, NULL, NULL, NULL, &error));
		g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_FILE);
		g_clear_error(&error);
	}
}

/* another watch's backup never lands on this one's NVRAM, override or not */
static void
test_restore_other_watch(void)
{
	g_autoptr(WfFlashPlan) plan = plan_for_watch();
	g_autoptr(GBytes) image = make_image();
	g_autoptr(GError) error = NULL;

	wf_flash_plan_set_backup(plan, OTHER_ME, JEDEC, NULL, TRUE);
	wf_flash_plan_set_overrides(
		plan, WF_FLASH_PLAN_OVERRIDE_ERASE_FS | WF_FLASH_PLAN_OVERRIDE_NO_BACKUP);
	g_assert_true(wf_flash_plan_add_restore(plan, image, NULL, NULL, NULL, &error));
	g_assert_false(wf_flash_plan_check_fs_tail(plan, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_REFUSED);
	g_assert_nonnull(strstr(error->message, "another watch's backup"));
	g_clear_error(&error);

	/* its firmware blocks alone (the FS kept) are a cross-flash the other
	 * rules judge; the FS rule lets them pass */
	{
		g_autoptr(WfFlashPlan) partial = plan_for_watch();
		g_autoptr(GBytes) current = NULL;
		g_autofree guint8 *now = g_memdup2(g_bytes_get_data(image, NULL), FLASH_SIZE);

		now[0x50000] ^= 0xFF;
		current = g_bytes_new(now, FLASH_SIZE);
		wf_flash_plan_set_backup(partial, OTHER_ME, JEDEC, NULL, TRUE);
		g_assert_true(
			wf_flash_plan_add_restore(partial, image, NULL, current, NULL, &error));
		g_assert_true(wf_flash_plan_check_fs_tail(partial, &error));
		g_assert_no_error(error);
		g_assert_false(wf_flash_plan_check_backup(partial, &error));
		g_assert_error(error, WF_ERROR, WF_ERROR_REFUSED);
	}
}

static void
test_backup_rules(void)
{
	g_autoptr(GError) error = NULL;

	/* the passing case: a verified backup of this watch */
	{
		g_autoptr(WfFlashPlan) plan = plan_for_watch();
		add_file(plan, "ROM", 0x100, 0x1000B000, 0x1000);
		g_assert_true(wf_flash_plan_check_backup(plan, &error));
		g_assert_no_error(error);
	}
	/* no backup at all, then the named override */
	{
		g_autoptr(WfFlashPlan) plan = plan_for_watch();
		wf_flash_plan_set_backup(plan, NULL, NULL, NULL, FALSE);
		add_file(plan, "ROM", 0x100, 0x1000B000, 0x1000);
		g_assert_false(wf_flash_plan_check_backup(plan, &error));
		g_assert_error(error, WF_ERROR, WF_ERROR_REFUSED);
		g_assert_nonnull(strstr(error->message, "no backup of this watch"));
		g_clear_error(&error);
		wf_flash_plan_set_overrides(plan, WF_FLASH_PLAN_OVERRIDE_NO_BACKUP);
		g_assert_true(wf_flash_plan_check_backup(plan, &error));
		g_assert_no_error(error);
	}
	/* a backup of another watch, or of another flash chip */
	{
		g_autoptr(WfFlashPlan) plan = plan_for_watch();
		wf_flash_plan_set_backup(plan, OTHER_ME, JEDEC, NULL, TRUE);
		g_assert_false(wf_flash_plan_check_backup(plan, &error));
		g_assert_error(error, WF_ERROR, WF_ERROR_REFUSED);
		g_assert_nonnull(strstr(error->message, "another watch"));
		g_clear_error(&error);
		wf_flash_plan_set_backup(plan, ME_ID, "C86017", NULL, TRUE);
		g_assert_false(wf_flash_plan_check_backup(plan, &error));
		g_assert_error(error, WF_ERROR, WF_ERROR_REFUSED);
		g_clear_error(&error);
	}
	/* not verified */
	{
		g_autoptr(WfFlashPlan) plan = plan_for_watch();
		wf_flash_plan_set_backup(plan, ME_ID, JEDEC, NULL, FALSE);
		g_assert_false(wf_flash_plan_check_backup(plan, &error));
		g_assert_error(error, WF_ERROR, WF_ERROR_REFUSED);
		g_assert_nonnull(strstr(error->message, "not been verified"));
		g_clear_error(&error);
	}
	/* the watch's identity unknown */
	{
		g_autoptr(WfFlashPlan) plan = plan_for_watch();
		wf_flash_plan_set_watch(plan, 0x6261, NULL, JEDEC, FLASH_SIZE);
		g_assert_false(wf_flash_plan_check_backup(plan, &error));
		g_assert_error(error, WF_ERROR, WF_ERROR_REFUSED);
		g_clear_error(&error);
	}
	/* a restore image that is not what the backup recorded: never */
	{
		g_autoptr(WfFlashPlan) plan = plan_for_watch();
		g_autoptr(GBytes) image = make_image();
		wf_flash_plan_set_backup(plan, ME_ID, JEDEC, "00ff", TRUE);
		wf_flash_plan_set_overrides(plan, WF_FLASH_PLAN_OVERRIDE_NO_BACKUP);
		g_assert_true(wf_flash_plan_add_restore(plan, image, NULL, NULL, NULL, &error));
		g_assert_false(wf_flash_plan_check_backup(plan, &error));
		g_assert_error(error, WF_ERROR, WF_ERROR_VERIFY_FAILED);
		g_clear_error(&error);
	}
}

static void
test_text_and_json(void)
{
	g_autoptr(WfFlashPlan) plan = plan_for_watch();
	g_autoptr(GPtrArray) kept = NULL;
	g_autofree gchar *text = NULL;
	g_autoptr(JsonNode) node = NULL;
	JsonObject *root;
	const WfFlashRegion *k;

	add_file(plan, "EXT_BOOTLOADER", 0x0002, 0x10002400, 0x7CFC);
	add_file(plan, "ROM", 0x0100, 0x1000B000, 0x66400);

	/* kept: before the first file, the gaps, the FS on its own, the end */
	kept = wf_flash_plan_get_kept(plan);
	g_assert_cmpuint(kept->len, ==, 5);
	k = g_ptr_array_index(kept, 0);
	g_assert_cmphex(k->offset, ==, 0);
	g_assert_cmphex(k->length, ==, 0x2400);
	k = g_ptr_array_index(kept, 3);
	g_assert_cmpint(k->kind, ==, WF_FLASH_REGION_KIND_FS_TAIL);
	g_assert_cmphex(k->offset, ==, FS_OFFSET);
	g_assert_cmphex(k->length, ==, FS_LENGTH);
	k = g_ptr_array_index(kept, 4);
	g_assert_cmphex(k->offset, ==, FS_OFFSET + FS_LENGTH);
	g_assert_cmphex(k->offset + k->length, ==, FLASH_SIZE);

	text = wf_flash_plan_to_text(plan);
	g_assert_nonnull(strstr(text, "Watch: MT6261, ME ID F81DA2153082CC5E21AC5236876844C2"));
	g_assert_nonnull(strstr(text, "flash C22016 (4 MiB)"));
	g_assert_nonnull(strstr(text, "Backup: this watch, verified"));
	g_assert_nonnull(strstr(text, "Will write 2 regions"));
	g_assert_nonnull(strstr(text, "0x0000B000–0x000713FF"));
	g_assert_nonnull(strstr(text, "Will keep:"));
	g_assert_nonnull(strstr(text, "0x00380000–0x003FDFFF"));
	g_assert_nonnull(strstr(text, "(from F0)"));

	node = wf_flash_plan_to_json(plan);
	root = json_node_get_object(node);
	g_assert_cmpint(json_array_get_length(json_object_get_array_member(root, "write")), ==, 2);
	g_assert_cmpint(json_array_get_length(json_object_get_array_member(root, "keep")), ==, 5);
	g_assert_cmpint(json_object_get_int_member(root, "write_size"), ==, 0x7CFC + 0x66400);
	g_assert_cmpstr(json_object_get_string_member(root, "check"), ==, "ok");
	g_assert_true(json_object_get_boolean_member(json_object_get_object_member(root, "backup"),
						     "this_watch"));

	/* a plan that breaks a rule carries the reason */
	wf_flash_plan_set_target_chip(plan, 0x6260);
	g_clear_pointer(&node, json_node_unref);
	node = wf_flash_plan_to_json(plan);
	g_assert_nonnull(strstr(json_object_get_string_member(json_node_get_object(node), "check"),
				"MT6260"));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_test_add_func("/flash-plan/files", test_files);
	g_test_add_func("/flash-plan/file-from-path", test_file_from_path);
	g_test_add_func("/flash-plan/overlaps", test_overlaps);
	g_test_add_func("/flash-plan/flash-end", test_flash_end);
	g_test_add_func("/flash-plan/chip", test_chip);
	g_test_add_func("/flash-plan/fs-tail-files", test_fs_tail_files);
	g_test_add_func("/flash-plan/restore-full", test_restore_full);
	g_test_add_func("/flash-plan/restore-differential", test_restore_differential);
	g_test_add_func("/flash-plan/restore-other-watch", test_restore_other_watch);
	g_test_add_func("/flash-plan/backup-rules", test_backup_rules);
	g_test_add_func("/flash-plan/text-and-json", test_text_and_json);
	return g_test_run();
}
