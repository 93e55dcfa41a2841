/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "wf-compat.h"
#include "wf-error.h"
#include "wf-profiles-test.h"

#define MIB (1024u * 1024u)

/* every test compares against this watch: the virtual watch's default
 * DZ09 build on an 8 MiB GD25LQ64 */
typedef struct {
	WfProfileDb *db;
	gchar *watch_dir;
	WfWatchFacts *watch;
} Fixture;

static void
fixture_setup(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	WfSimImageSpec spec;

	fx->db = wf_test_load_db();
	wf_test_spec_init(&spec, 8 * MIB, 0xC86017);
	fx->watch_dir = wf_test_make_backup("watch", &spec, &wf_test_chip_mt6261);
	fx->watch = wf_watch_facts_new_from_backup(
		fx->watch_dir, wf_profile_db_get_components(fx->db), &error);
	g_assert_no_error(error);
}

static void
fixture_teardown(Fixture *fx, gconstpointer user_data)
{
	wf_watch_facts_free(fx->watch);
	g_free(fx->watch_dir);
	g_object_unref(fx->db);
}

static void
spec_default(WfSimImageSpec *spec)
{
	wf_test_spec_init(spec, 8 * MIB, 0xC86017);
}

static WfFirmwareFacts *
facts_from(Fixture *fx, const gchar *path, const gchar *cfg_path)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(WfFirmwareFacts) fw =
		wf_firmware_facts_new_from_file(path, wf_profile_db_get_components(fx->db), &error);
	g_assert_no_error(error);
	if (cfg_path != NULL) {
		g_autoptr(WfCfg) cfg = wf_cfg_new_from_file(cfg_path, &error);
		g_assert_no_error(error);
		wf_firmware_facts_add_cfg(fw, cfg);
	}
	return g_steal_pointer(&fw);
}

/* the verdict for a ROM (or dump) built from @spec */
static WfCompat *
check_spec(Fixture *fx, const WfSimImageSpec *spec, gboolean dump, const gchar *cfg_path)
{
	g_autofree gchar *path =
		dump ? wf_test_make_dump("fw.bin", spec) : wf_test_make_rom("ROM", spec);
	g_autoptr(WfFirmwareFacts) fw = facts_from(fx, path, cfg_path);
	WfCompat *compat = wf_compat_check(fx->db, fw, fx->watch);
	GPtrArray *reasons = wf_compat_get_reasons(compat);

	g_test_message("verdict %s", wf_compat_verdict_to_string(wf_compat_get_verdict(compat)));
	for (guint i = 0; i < reasons->len; i++) {
		const WfCompatReason *r = g_ptr_array_index(reasons, i);
		g_test_message(
			"  %s %s: %s", wf_compat_level_to_string(r->level), r->code, r->message);
	}
	return compat;
}

/* a reason with @code is there with @level, and its message says @text */
static void
assert_reason(WfCompat *compat, const gchar *code, WfCompatLevel level, const gchar *text)
{
	GPtrArray *reasons = wf_compat_get_reasons(compat);
	g_assert_nonnull(wf_compat_find_reason(compat, code));
	for (guint i = 0; i < reasons->len; i++) {
		const WfCompatReason *r = g_ptr_array_index(reasons, i);
		if (g_strcmp0(r->code, code) != 0 || r->level != level)
			continue;
		if (text == NULL || strstr(r->message, text) != NULL)
			return;
	}
	g_error("no %s reason at level %s saying “%s”",
		code,
		wf_compat_level_to_string(level),
		text != NULL ? text : "");
}

static guint
count_level(WfCompat *compat, WfCompatLevel level)
{
	GPtrArray *reasons = wf_compat_get_reasons(compat);
	guint n = 0;
	for (guint i = 0; i < reasons->len; i++) {
		const WfCompatReason *r = g_ptr_array_index(reasons, i);
		if (r->level == level)
			n++;
	}
	return n;
}

static void
test_same_build(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(WfCompat) compat = NULL;
	WfSimImageSpec spec;

	spec_default(&spec);
	compat = check_spec(fx, &spec, FALSE, NULL);
	g_assert_cmpint(wf_compat_get_verdict(compat), ==, WF_COMPAT_VERDICT_COMPATIBLE);
	assert_reason(compat, WF_COMPAT_PLATFORM_MATCH, WF_COMPAT_LEVEL_OK, "MT6261DA");
	assert_reason(compat,
		      WF_COMPAT_FLASH_ID_LISTED,
		      WF_COMPAT_LEVEL_OK,
		      "C8 60 17 (GigaDevice GD25LQ64) is in the ROM's flash list");
	assert_reason(compat, WF_COMPAT_SIZE_FITS, WF_COMPAT_LEVEL_OK, NULL);
	assert_reason(compat, WF_COMPAT_LAYOUT_MATCH, WF_COMPAT_LEVEL_OK, "0xB000");
	assert_reason(compat, WF_COMPAT_LCD_MATCH, WF_COMPAT_LEVEL_OK, "ST7789 (7789HSD)");
	assert_reason(compat, WF_COMPAT_TOUCH_MATCH, WF_COMPAT_LEVEL_OK, "FT6236");
	assert_reason(compat, WF_COMPAT_PANEL_MATCH, WF_COMPAT_LEVEL_OK, NULL);
	assert_reason(compat, WF_COMPAT_PROJECT_MATCH, WF_COMPAT_LEVEL_OK, "GPLUS61A_11C_NX9");
	assert_reason(compat, WF_COMPAT_BUILD_SAME, WF_COMPAT_LEVEL_OK, NULL);
	g_assert_cmpuint(count_level(compat, WF_COMPAT_LEVEL_RISKY), ==, 0);
	g_assert_cmpuint(count_level(compat, WF_COMPAT_LEVEL_INCOMPATIBLE), ==, 0);
	/* a ROM file is not a dump: nothing about another watch's tail */
	g_assert_null(wf_compat_find_reason(compat, WF_COMPAT_DUMP_TAIL));
}

static void
test_newer_build(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(WfCompat) compat = NULL;
	WfSimImageSpec spec;

	spec_default(&spec);
	spec.verno = "VW_DZ09_V1.1_COB_7789HSD_FT6236_EU_IPS_20250601";
	spec.build_date = "2025/06/01 09:00";
	compat = check_spec(fx, &spec, FALSE, NULL);
	g_assert_cmpint(wf_compat_get_verdict(compat), ==, WF_COMPAT_VERDICT_COMPATIBLE);
	assert_reason(compat, WF_COMPAT_BUILD_NEWER, WF_COMPAT_LEVEL_OK, "2025-06-01 09:00");
}

static void
test_other_chip(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(WfCompat) compat = NULL;
	WfSimImageSpec spec;

	spec_default(&spec);
	spec.platform = "MT6260";
	compat = check_spec(fx, &spec, FALSE, NULL);
	g_assert_cmpint(wf_compat_get_verdict(compat), ==, WF_COMPAT_VERDICT_INCOMPATIBLE);
	assert_reason(compat,
		      WF_COMPAT_PLATFORM_MISMATCH,
		      WF_COMPAT_LEVEL_INCOMPATIBLE,
		      "the firmware is for MT6260, the watch is an MT6261DA");
}

static void
test_flash_not_listed(Fixture *fx, gconstpointer user_data)
{
	g_autofree gchar *cfg = wf_test_data_path("cfg", "mt6261_simcom_SIM868M32_EAT.cfg");
	g_autoptr(WfCompat) compat = NULL;
	g_autoptr(WfCompat) compat2 = NULL;
	GPtrArray *reasons;
	guint n_not_listed = 0;
	WfSimImageSpec spec;

	/* a ROM whose CMEM list lacks C8 60 17, and a cfg that lacks it too */
	wf_test_spec_init(&spec, 8 * MIB, 0xC22536);
	compat = check_spec(fx, &spec, FALSE, cfg);
	g_assert_cmpint(wf_compat_get_verdict(compat), ==, WF_COMPAT_VERDICT_INCOMPATIBLE);
	assert_reason(compat,
		      WF_COMPAT_FLASH_ID_NOT_LISTED,
		      WF_COMPAT_LEVEL_INCOMPATIBLE,
		      "C8 60 17 (GigaDevice GD25LQ64) is not in the ROM's flash list "
		      "(CMEM_ID_INFO): C2 25 36, ");
	reasons = wf_compat_get_reasons(compat);
	for (guint i = 0; i < reasons->len; i++) {
		const WfCompatReason *r = g_ptr_array_index(reasons, i);
		if (g_strcmp0(r->code, WF_COMPAT_FLASH_ID_NOT_LISTED) == 0) {
			n_not_listed++;
			g_assert_nonnull(strstr(r->message, "cannot drive this flash chip"));
		}
	}
	g_assert_cmpuint(n_not_listed, ==, 2);

	/* the ROM supports it, the cfg does not: the cfg alone decides */
	spec_default(&spec);
	compat2 = check_spec(fx, &spec, FALSE, cfg);
	g_assert_cmpint(wf_compat_get_verdict(compat2), ==, WF_COMPAT_VERDICT_INCOMPATIBLE);
	assert_reason(
		compat2, WF_COMPAT_FLASH_ID_LISTED, WF_COMPAT_LEVEL_OK, "the ROM's flash list");
	assert_reason(compat2,
		      WF_COMPAT_FLASH_ID_NOT_LISTED,
		      WF_COMPAT_LEVEL_INCOMPATIBLE,
		      "not in the cfg's flash list");
}

static void
test_sizes(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(WfCompat) large = NULL;
	g_autoptr(WfCompat) small = NULL;
	g_autoptr(WfCompat) fs = NULL;
	g_autoptr(WfCompat) region = NULL;
	WfSimImageSpec spec;

	/* a 16 MiB dump on an 8 MiB flash */
	wf_test_spec_init(&spec, 16 * MIB, 0xC86017);
	large = check_spec(fx, &spec, TRUE, NULL);
	g_assert_cmpint(wf_compat_get_verdict(large), ==, WF_COMPAT_VERDICT_INCOMPATIBLE);
	assert_reason(large,
		      WF_COMPAT_IMAGE_TOO_LARGE,
		      WF_COMPAT_LEVEL_INCOMPATIBLE,
		      "up to flash offset 0x1000000");
	assert_reason(large, WF_COMPAT_FS_BEYOND_FLASH, WF_COMPAT_LEVEL_INCOMPATIBLE, "0xE00000");
	g_assert_null(wf_compat_find_reason(large, WF_COMPAT_SIZE_FITS));

	/* a 4 MiB dump: made for another flash size */
	wf_test_spec_init(&spec, 4 * MIB, 0xC86017);
	small = check_spec(fx, &spec, TRUE, NULL);
	g_assert_cmpint(wf_compat_get_verdict(small), ==, WF_COMPAT_VERDICT_INCOMPATIBLE);
	assert_reason(small,
		      WF_COMPAT_FLASH_SIZE_MISMATCH,
		      WF_COMPAT_LEVEL_INCOMPATIBLE,
		      "a dump of a 4.0");
	assert_reason(small, WF_COMPAT_DUMP_TAIL, WF_COMPAT_LEVEL_NOTE, "IMEI");

	/* a ROM small enough, but linked for a 16 MiB flash's file system */
	wf_test_spec_init(&spec, 16 * MIB, 0xC86017);
	fs = check_spec(fx, &spec, FALSE, NULL);
	g_assert_cmpint(wf_compat_get_verdict(fs), ==, WF_COMPAT_VERDICT_INCOMPATIBLE);
	assert_reason(fs, WF_COMPAT_FS_BEYOND_FLASH, WF_COMPAT_LEVEL_INCOMPATIBLE, "larger flash");
	g_assert_null(wf_compat_find_reason(fs, WF_COMPAT_IMAGE_TOO_LARGE));

	/* a ROM for a 4 MiB flash fits, but looks for NVRAM elsewhere */
	wf_test_spec_init(&spec, 4 * MIB, 0xC86017);
	region = check_spec(fx, &spec, FALSE, NULL);
	g_assert_cmpint(wf_compat_get_verdict(region), ==, WF_COMPAT_VERDICT_RISKY);
	assert_reason(region, WF_COMPAT_SIZE_FITS, WF_COMPAT_LEVEL_OK, NULL);
	assert_reason(region,
		      WF_COMPAT_FS_REGION_DIFFERS,
		      WF_COMPAT_LEVEL_RISKY,
		      "at 0x380000 (0x7E000 bytes), the watch at 0x700000");
}

static void
test_layout(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(WfCompat) rom = NULL;
	g_autoptr(WfCompat) bl = NULL;
	WfSimImageSpec spec;

	/* the ROM linked one block lower than the watch's boot header says */
	spec_default(&spec);
	spec.rom_offset = 0xA000;
	rom = check_spec(fx, &spec, FALSE, NULL);
	g_assert_cmpint(wf_compat_get_verdict(rom), ==, WF_COMPAT_VERDICT_INCOMPATIBLE);
	assert_reason(rom,
		      WF_COMPAT_ROM_OFFSET_MISMATCH,
		      WF_COMPAT_LEVEL_INCOMPATIBLE,
		      "linked for flash offset 0xA000, the watch's boot header starts the main "
		      "region at 0xB000");

	/* a full image whose EXT_BOOTLOADER lies elsewhere */
	spec_default(&spec);
	spec.ext_bl_offset = 0x2800;
	bl = check_spec(fx, &spec, TRUE, NULL);
	g_assert_cmpint(wf_compat_get_verdict(bl), ==, WF_COMPAT_VERDICT_INCOMPATIBLE);
	assert_reason(bl,
		      WF_COMPAT_BOOTLOADER_MISMATCH,
		      WF_COMPAT_LEVEL_INCOMPATIBLE,
		      "0x800/0x2800, the watch's boot header has them at 0x800/0x2400");
	assert_reason(bl, WF_COMPAT_DUMP_TAIL, WF_COMPAT_LEVEL_NOTE, NULL);
}

static void
test_components(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(WfCompat) lcd = NULL;
	g_autoptr(WfCompat) touch = NULL;
	g_autoptr(WfCompat) unverified = NULL;
	g_autoptr(WfCompat) panel = NULL;
	WfSimImageSpec spec;

	spec_default(&spec);
	spec.verno = "VW_DZ09_V1.0_COB_9340_FT6236_EU_IPS_20250301";
	spec.lcd_driver = "ILI9340";
	lcd = check_spec(fx, &spec, FALSE, NULL);
	g_assert_cmpint(wf_compat_get_verdict(lcd), ==, WF_COMPAT_VERDICT_RISKY);
	assert_reason(lcd,
		      WF_COMPAT_LCD_DIFFERS,
		      WF_COMPAT_LEVEL_RISKY,
		      "firmware ILI9340 (9340), watch ST7789 (7789HSD): expect inverted colours, a "
		      "mirrored or upside-down picture");
	assert_reason(lcd, WF_COMPAT_TOUCH_MATCH, WF_COMPAT_LEVEL_OK, NULL);

	spec_default(&spec);
	spec.verno = "VW_DZ09_V1.0_COB_7789HSD_CST016SE_EU_IPS_20250301";
	spec.touch_driver = "CST816";
	touch = check_spec(fx, &spec, FALSE, NULL);
	g_assert_cmpint(wf_compat_get_verdict(touch), ==, WF_COMPAT_VERDICT_RISKY);
	assert_reason(touch,
		      WF_COMPAT_TOUCH_DIFFERS,
		      WF_COMPAT_LEVEL_RISKY,
		      "firmware CST016SE, watch FT6236: the touch screen will most likely not "
		      "respond (dead touch)");
	assert_reason(touch, WF_COMPAT_LCD_MATCH, WF_COMPAT_LEVEL_OK, NULL);

	/* the firmware names no LCD at all: cannot confirm */
	spec_default(&spec);
	spec.verno = "VW_DZ09_V1.0_COB_FT6236_EU_IPS_20250301";
	spec.lcd_driver = NULL;
	unverified = check_spec(fx, &spec, FALSE, NULL);
	g_assert_cmpint(wf_compat_get_verdict(unverified), ==, WF_COMPAT_VERDICT_RISKY);
	assert_reason(unverified,
		      WF_COMPAT_LCD_UNVERIFIED,
		      WF_COMPAT_LEVEL_RISKY,
		      "the watch's firmware names LCD controller ST7789 (7789HSD), the firmware "
		      "names none");

	/* an IPS build against a build that is not marked IPS */
	spec_default(&spec);
	spec.verno = "VW_DZ09_V1.0_COB_7789HSD_FT6236_EU_20250301";
	panel = check_spec(fx, &spec, FALSE, NULL);
	g_assert_cmpint(wf_compat_get_verdict(panel), ==, WF_COMPAT_VERDICT_RISKY);
	assert_reason(panel,
		      WF_COMPAT_PANEL_DIFFERS,
		      WF_COMPAT_LEVEL_RISKY,
		      "the watch's firmware is marked IPS and the firmware is not: the colours may "
		      "be inverted");
}

/* a watch and firmware that name no touch IC: a note, still compatible */
static void
test_no_touch_anywhere(void)
{
	g_autoptr(WfProfileDb) db = wf_test_load_db();
	g_autoptr(WfWatchFacts) watch = NULL;
	g_autoptr(WfFirmwareFacts) fw = NULL;
	g_autoptr(WfCompat) compat = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = NULL;
	g_autofree gchar *rom = NULL;
	WfSimImageSpec spec;

	spec_default(&spec);
	spec.verno = "VW_DZ09_V1.0_COB_7789HSD_EU_IPS_20250301";
	spec.touch_driver = NULL;
	dir = wf_test_make_backup("watch", &spec, &wf_test_chip_mt6261);
	rom = wf_test_make_rom("ROM", &spec);
	watch = wf_watch_facts_new_from_backup(dir, wf_profile_db_get_components(db), &error);
	g_assert_no_error(error);
	fw = wf_firmware_facts_new_from_file(rom, wf_profile_db_get_components(db), &error);
	g_assert_no_error(error);
	compat = wf_compat_check(db, fw, watch);
	g_assert_cmpint(wf_compat_get_verdict(compat), ==, WF_COMPAT_VERDICT_COMPATIBLE);
	assert_reason(compat, WF_COMPAT_TOUCH_UNKNOWN, WF_COMPAT_LEVEL_NOTE, "names a touch IC");
	assert_reason(compat, WF_COMPAT_LCD_MATCH, WF_COMPAT_LEVEL_OK, NULL);
}

static void
test_build(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(WfCompat) project = NULL;
	g_autoptr(WfCompat) older = NULL;
	WfSimImageSpec spec;

	spec_default(&spec);
	spec.project = "SAGETEL61M_11C";
	project = check_spec(fx, &spec, FALSE, NULL);
	g_assert_cmpint(wf_compat_get_verdict(project), ==, WF_COMPAT_VERDICT_RISKY);
	assert_reason(project,
		      WF_COMPAT_PROJECT_DIFFERS,
		      WF_COMPAT_LEVEL_RISKY,
		      "firmware SAGETEL61M_11C, watch GPLUS61A_11C_NX9");
	/* build age only means something within one project */
	g_assert_null(wf_compat_find_reason(project, WF_COMPAT_BUILD_SAME));

	spec_default(&spec);
	spec.verno = "VW_DZ09_V0.9_COB_7789HSD_FT6236_EU_IPS_20240101";
	spec.build_date = "2024/01/01 08:00";
	older = check_spec(fx, &spec, FALSE, NULL);
	g_assert_cmpint(wf_compat_get_verdict(older), ==, WF_COMPAT_VERDICT_RISKY);
	assert_reason(older,
		      WF_COMPAT_BUILD_OLDER,
		      WF_COMPAT_LEVEL_RISKY,
		      "an older build of the same project (2024-01-01 08:00, the watch has "
		      "2025-03-01 10:00)");
	assert_reason(older, WF_COMPAT_PROJECT_MATCH, WF_COMPAT_LEVEL_OK, NULL);
}

/* a watch whose header block is gone (a brick) */
static void
test_watch_without_header(void)
{
	g_autoptr(WfProfileDb) db = wf_test_load_db();
	g_autoptr(WfWatchFacts) watch = NULL;
	g_autoptr(WfFirmwareFacts) fw = NULL;
	g_autoptr(WfCompat) compat = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = NULL;
	g_autofree gchar *rom = NULL;
	WfSimImageSpec spec;

	spec_default(&spec);
	rom = wf_test_make_rom("ROM", &spec);
	spec.include_header_block = FALSE;
	dir = wf_test_make_backup("bricked", &spec, &wf_test_chip_mt6261);
	watch = wf_watch_facts_new_from_backup(dir, wf_profile_db_get_components(db), &error);
	g_assert_no_error(error);
	g_assert_cmpint(watch->firmware->header_state, ==, WF_BOOT_HEADER_STATE_ERASED);
	fw = wf_firmware_facts_new_from_file(rom, wf_profile_db_get_components(db), &error);
	g_assert_no_error(error);
	compat = wf_compat_check(db, fw, watch);
	g_assert_cmpint(wf_compat_get_verdict(compat), ==, WF_COMPAT_VERDICT_RISKY);
	assert_reason(compat,
		      WF_COMPAT_WATCH_HEADER_MISSING,
		      WF_COMPAT_LEVEL_RISKY,
		      "no valid header block (erased)");
	g_assert_null(wf_compat_find_reason(compat, WF_COMPAT_LAYOUT_MATCH));
}

/* a watch whose flash holds nothing identifiable: only chip, flash and size */
static void
test_watch_erased(void)
{
	g_autoptr(WfProfileDb) db = wf_test_load_db();
	g_autoptr(WfWatchFacts) watch = NULL;
	g_autoptr(WfFirmwareFacts) fw = NULL;
	g_autoptr(WfCompat) compat = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = NULL;
	g_autofree gchar *rom = NULL;
	g_autofree gchar *image = NULL;
	g_autofree guint8 *erased = g_malloc(8 * MIB);
	WfSimImageSpec spec;

	spec_default(&spec);
	rom = wf_test_make_rom("ROM", &spec);
	dir = wf_test_make_backup("erased", &spec, &wf_test_chip_mt6261);
	image = g_build_filename(dir, "flash.bin", NULL);
	memset(erased, 0xFF, 8 * MIB);
	g_assert_true(g_file_set_contents(image, (const gchar *)erased, 8 * MIB, NULL));
	watch = wf_watch_facts_new_from_backup(dir, wf_profile_db_get_components(db), &error);
	g_assert_no_error(error);
	g_assert_null(watch->firmware);
	g_assert_true(wf_test_strv_has(watch->warnings, "no firmware identity"));
	fw = wf_firmware_facts_new_from_file(rom, wf_profile_db_get_components(db), &error);
	g_assert_no_error(error);
	compat = wf_compat_check(db, fw, watch);
	g_assert_cmpint(wf_compat_get_verdict(compat), ==, WF_COMPAT_VERDICT_RISKY);
	assert_reason(compat, WF_COMPAT_PLATFORM_MATCH, WF_COMPAT_LEVEL_OK, NULL);
	assert_reason(compat, WF_COMPAT_FLASH_ID_LISTED, WF_COMPAT_LEVEL_OK, NULL);
	assert_reason(compat, WF_COMPAT_WATCH_HEADER_MISSING, WF_COMPAT_LEVEL_RISKY, NULL);
	assert_reason(compat, WF_COMPAT_PROJECT_UNKNOWN, WF_COMPAT_LEVEL_RISKY, "the watch's");
	assert_reason(compat, WF_COMPAT_WATCH_FIRMWARE_UNKNOWN, WF_COMPAT_LEVEL_NOTE, NULL);
	assert_reason(compat, WF_COMPAT_LCD_UNVERIFIED, WF_COMPAT_LEVEL_RISKY, NULL);
}

/* a raw dump as the watch: no JEDEC id, the chip from its firmware */
static void
test_watch_raw_dump(void)
{
	g_autoptr(WfProfileDb) db = wf_test_load_db();
	g_autoptr(WfWatchFacts) watch = NULL;
	g_autoptr(WfFirmwareFacts) fw = NULL;
	g_autoptr(WfCompat) compat = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dump = NULL;
	g_autofree gchar *rom = NULL;
	WfSimImageSpec spec;

	spec_default(&spec);
	dump = wf_test_make_dump("ROM_0", &spec);
	rom = wf_test_make_rom("ROM", &spec);
	watch = wf_watch_facts_new_from_path(dump, wf_profile_db_get_components(db), &error);
	g_assert_no_error(error);
	fw = wf_firmware_facts_new_from_file(rom, wf_profile_db_get_components(db), &error);
	g_assert_no_error(error);
	compat = wf_compat_check(db, fw, watch);
	g_assert_cmpint(wf_compat_get_verdict(compat), ==, WF_COMPAT_VERDICT_RISKY);
	assert_reason(
		compat, WF_COMPAT_FLASH_ID_UNKNOWN, WF_COMPAT_LEVEL_RISKY, "JEDEC id is unknown");
	assert_reason(
		compat, WF_COMPAT_PLATFORM_MATCH, WF_COMPAT_LEVEL_OK, "the watch is an MT6261");
	assert_reason(compat, WF_COMPAT_LAYOUT_MATCH, WF_COMPAT_LEVEL_OK, NULL);
	assert_reason(compat, WF_COMPAT_BUILD_SAME, WF_COMPAT_LEVEL_OK, NULL);
}

/* facts filled by another producer (the package reader): unknowns are risky,
 * never silently compatible */
static void
test_unknown_facts(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(WfFirmwareFacts) fw = wf_firmware_facts_new("package", WF_FIRMWARE_KIND_PACKAGE);
	g_autoptr(WfWatchFacts) watch = wf_watch_facts_new("somewhere");
	g_autoptr(WfCompat) compat = NULL;
	g_autoptr(WfCompat) compat2 = NULL;

	compat = wf_compat_check(fx->db, fw, fx->watch);
	g_assert_cmpint(wf_compat_get_verdict(compat), ==, WF_COMPAT_VERDICT_RISKY);
	assert_reason(compat, WF_COMPAT_PLATFORM_UNKNOWN, WF_COMPAT_LEVEL_RISKY, NULL);
	assert_reason(compat, WF_COMPAT_FLASH_IDS_UNKNOWN, WF_COMPAT_LEVEL_RISKY, "C8 60 17");
	assert_reason(compat, WF_COMPAT_LAYOUT_UNKNOWN, WF_COMPAT_LEVEL_RISKY, NULL);
	assert_reason(compat, WF_COMPAT_PROJECT_UNKNOWN, WF_COMPAT_LEVEL_RISKY, "the firmware's");
	assert_reason(compat, WF_COMPAT_SIZE_FITS, WF_COMPAT_LEVEL_OK, NULL);
	g_assert_cmpuint(count_level(compat, WF_COMPAT_LEVEL_INCOMPATIBLE), ==, 0);

	/* the producer fills in what it knows */
	fw->platform = g_strdup("MT6261");
	fw->project = g_strdup("GPLUS61A_11C_NX9");
	fw->build_date = g_strdup("2025/03/01 10:00");
	fw->rom_offset = 0xB000;
	fw->image_end = 0x100000;
	g_array_append_val(fw->cfg_flash_ids, fx->watch->jedec);
	wf_firmware_facts_add_component(fw, "lcd", "7789HSD", "ST7789", "package");
	wf_firmware_facts_add_component(fw, "touch", "FT6236", "FT6236", "package");
	g_clear_object(&compat);
	compat = wf_compat_check(fx->db, fw, fx->watch);
	assert_reason(compat, WF_COMPAT_PLATFORM_MATCH, WF_COMPAT_LEVEL_OK, NULL);
	assert_reason(
		compat, WF_COMPAT_FLASH_ID_LISTED, WF_COMPAT_LEVEL_OK, "the cfg's flash list");
	assert_reason(compat, WF_COMPAT_LAYOUT_MATCH, WF_COMPAT_LEVEL_OK, NULL);
	assert_reason(compat, WF_COMPAT_LCD_MATCH, WF_COMPAT_LEVEL_OK, NULL);
	assert_reason(compat, WF_COMPAT_BUILD_NEWER, WF_COMPAT_LEVEL_OK, NULL);
	g_assert_cmpint(wf_compat_get_verdict(compat), ==, WF_COMPAT_VERDICT_COMPATIBLE);

	/* a watch nobody identified */
	compat2 = wf_compat_check(fx->db, fw, watch);
	g_assert_cmpint(wf_compat_get_verdict(compat2), ==, WF_COMPAT_VERDICT_RISKY);
	assert_reason(compat2, WF_COMPAT_PLATFORM_UNKNOWN, WF_COMPAT_LEVEL_RISKY, "watch's chip");
	assert_reason(compat2, WF_COMPAT_FLASH_ID_UNKNOWN, WF_COMPAT_LEVEL_RISKY, NULL);
	assert_reason(compat2, WF_COMPAT_FLASH_SIZE_UNKNOWN, WF_COMPAT_LEVEL_RISKY, NULL);
	assert_reason(compat2, WF_COMPAT_WATCH_HEADER_MISSING, WF_COMPAT_LEVEL_RISKY, NULL);
	assert_reason(compat2, WF_COMPAT_WATCH_FIRMWARE_UNKNOWN, WF_COMPAT_LEVEL_NOTE, NULL);
}

/* a cfg for another platform than the ROM's is passed on as a note */
static void
test_firmware_warning(Fixture *fx, gconstpointer user_data)
{
	g_autofree gchar *cfg = wf_test_write_file("MT6260.cfg",
						   "general:\n"
						   "  config_version : alpha\n"
						   "  platform: MT6260\n"
						   "boot_region:\n"
						   "  alignment: block\n"
						   "  rom:\n"
						   "    - file: BOOTLOADER.bin\n");
	g_autoptr(WfCompat) compat = NULL;
	WfSimImageSpec spec;

	spec_default(&spec);
	compat = check_spec(fx, &spec, FALSE, cfg);
	assert_reason(compat,
		      WF_COMPAT_FIRMWARE_WARNING,
		      WF_COMPAT_LEVEL_NOTE,
		      "the cfg says platform MT6260, the ROM says MT6261");
	/* no external_memory in that cfg: the ROM's list still decides */
	assert_reason(compat, WF_COMPAT_FLASH_ID_LISTED, WF_COMPAT_LEVEL_OK, NULL);
	g_assert_cmpint(wf_compat_get_verdict(compat), ==, WF_COMPAT_VERDICT_COMPATIBLE);
}

/* without the database the LCD/touch parts are compared by name */
static void
test_without_db(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(WfFirmwareFacts) fw = NULL;
	g_autoptr(WfCompat) compat = NULL;
	g_autofree gchar *rom = NULL;
	WfSimImageSpec spec;

	spec_default(&spec);
	rom = wf_test_make_rom("ROM", &spec);
	fw = facts_from(fx, rom, NULL);
	compat = wf_compat_check(NULL, fw, fx->watch);
	g_assert_cmpint(wf_compat_get_verdict(compat), ==, WF_COMPAT_VERDICT_COMPATIBLE);
	assert_reason(compat, WF_COMPAT_LCD_MATCH, WF_COMPAT_LEVEL_OK, "ST7789");
	assert_reason(
		compat, WF_COMPAT_FLASH_ID_LISTED, WF_COMPAT_LEVEL_OK, "flash C8 60 17 is in");
}

/* a package split from a dump: the plan writes bootloaders, ROM and VIVA */
static void
test_package(Fixture *fx, gconstpointer user_data)
{
	g_autofree gchar *same = NULL;
	g_autofree gchar *big = NULL;
	g_autoptr(WfFirmwareFacts) fw = NULL;
	g_autoptr(WfFirmwareFacts) fw_big = NULL;
	g_autoptr(WfCompat) compat = NULL;
	g_autoptr(WfCompat) compat_big = NULL;
	WfSimImageSpec spec;

	spec_default(&spec);
	same = wf_test_make_package("same", &spec);
	fw = facts_from(fx, same, NULL);
	compat = wf_compat_check(fx->db, fw, fx->watch);
	g_assert_cmpint(wf_compat_get_verdict(compat), ==, WF_COMPAT_VERDICT_COMPATIBLE);
	assert_reason(compat, WF_COMPAT_LAYOUT_MATCH, WF_COMPAT_LEVEL_OK, NULL);
	assert_reason(
		compat, WF_COMPAT_FLASH_ID_LISTED, WF_COMPAT_LEVEL_OK, "the cfg's flash list");
	g_assert_null(wf_compat_find_reason(compat, WF_COMPAT_DUMP_TAIL));

	/* the split of a 16 MiB watch: small enough, but its NVRAM is beyond 8 MiB */
	wf_test_spec_init(&spec, 16 * MIB, 0xC86017);
	big = wf_test_make_package("big", &spec);
	fw_big = facts_from(fx, big, NULL);
	compat_big = wf_compat_check(fx->db, fw_big, fx->watch);
	g_assert_cmpint(wf_compat_get_verdict(compat_big), ==, WF_COMPAT_VERDICT_INCOMPATIBLE);
	assert_reason(compat_big, WF_COMPAT_FS_BEYOND_FLASH, WF_COMPAT_LEVEL_INCOMPATIBLE, NULL);
	g_assert_null(wf_compat_find_reason(compat_big, WF_COMPAT_IMAGE_TOO_LARGE));
}

static void
test_json(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(WfCompat) compat = NULL;
	g_autoptr(JsonNode) node = NULL;
	JsonArray *reasons;
	JsonObject *first;
	WfSimImageSpec spec;

	spec_default(&spec);
	spec.platform = "MT6260";
	compat = check_spec(fx, &spec, FALSE, NULL);
	node = wf_compat_to_json(compat);
	g_assert_cmpstr(json_object_get_string_member(json_node_get_object(node), "verdict"),
			==,
			"incompatible");
	reasons = json_object_get_array_member(json_node_get_object(node), "reasons");
	g_assert_cmpuint(json_array_get_length(reasons), ==, wf_compat_get_reasons(compat)->len);
	first = json_array_get_object_element(reasons, 0);
	g_assert_cmpstr(json_object_get_string_member(first, "level"), ==, "incompatible");
	g_assert_cmpstr(json_object_get_string_member(first, "code"), ==, "platform-mismatch");
}

#define ADD(path, func)                                                                            \
	g_test_add("/profiles/compat/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	ADD("same-build", test_same_build);
	ADD("newer-build", test_newer_build);
	ADD("other-chip", test_other_chip);
	ADD("flash-not-listed", test_flash_not_listed);
	ADD("sizes", test_sizes);
	ADD("layout", test_layout);
	ADD("components", test_components);
	ADD("build", test_build);
	ADD("unknown-facts", test_unknown_facts);
	ADD("firmware-warning", test_firmware_warning);
	ADD("without-db", test_without_db);
	ADD("package", test_package);
	ADD("json", test_json);
	g_test_add_func("/profiles/compat/no-touch-anywhere", test_no_touch_anywhere);
	g_test_add_func("/profiles/compat/watch-without-header", test_watch_without_header);
	g_test_add_func("/profiles/compat/watch-erased", test_watch_erased);
	g_test_add_func("/profiles/compat/watch-raw-dump", test_watch_raw_dump);
	return g_test_run();
}
