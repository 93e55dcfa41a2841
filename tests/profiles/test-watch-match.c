/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "wf-error.h"
#include "wf-profiles-test.h"
#include "wf-watch-match.h"

#define MIB (1024u * 1024u)

static WfWatchFacts *
facts_from_backup(WfProfileDb *db, const gchar *dir)
{
	g_autoptr(GError) error = NULL;
	WfWatchFacts *facts =
		wf_watch_facts_new_from_path(dir, wf_profile_db_get_components(db), &error);
	g_assert_no_error(error);
	g_assert_nonnull(facts);
	return facts;
}

static void
assert_ranked(WfWatchMatch *match)
{
	GPtrArray *candidates = wf_watch_match_get_candidates(match);
	for (guint i = 1; i < candidates->len; i++) {
		const WfWatchCandidate *a = g_ptr_array_index(candidates, i - 1);
		const WfWatchCandidate *b = g_ptr_array_index(candidates, i);
		g_assert_cmpint(a->score, >=, b->score);
	}
	for (guint i = 0; i < candidates->len; i++) {
		const WfWatchCandidate *c = g_ptr_array_index(candidates, i);
		g_assert_cmpint(c->score, >, 0);
		g_assert_cmpuint(c->evidence->len, >, 0);
	}
}

static void
dump_candidates(WfWatchMatch *match)
{
	GPtrArray *candidates = wf_watch_match_get_candidates(match);
	for (guint i = 0; i < candidates->len; i++) {
		const WfWatchCandidate *c = g_ptr_array_index(candidates, i);
		g_test_message("%s %d", c->model->entry.id, c->score);
		for (guint k = 0; k < c->evidence->len; k++)
			g_test_message("  + %s", (const gchar *)g_ptr_array_index(c->evidence, k));
		for (guint k = 0; k < c->conflicts->len; k++)
			g_test_message("  - %s", (const gchar *)g_ptr_array_index(c->conflicts, k));
	}
}

/* the virtual watch's default build: a DZ09 on the K91 board */
static void
test_dz09_backup(void)
{
	g_autoptr(WfProfileDb) db = wf_test_load_db();
	g_autoptr(WfWatchFacts) watch = NULL;
	g_autoptr(WfWatchMatch) match = NULL;
	g_autofree gchar *dir = NULL;
	const WfWatchCandidate *best;
	WfSimImageSpec spec;

	wf_test_spec_init(&spec, 8 * MIB, 0xC86017);
	dir = wf_test_make_backup("dz09", &spec, &wf_test_chip_mt6261);
	watch = facts_from_backup(db, dir);
	g_assert_cmpstr(watch->chip, ==, "MT6261DA");
	g_assert_cmpint(watch->hw_code, ==, 0x6261);
	g_assert_cmpint(watch->efuse_version, ==, 0x35C0);
	g_assert_cmpint(watch->jedec, ==, 0xC86017);
	g_assert_cmpuint(watch->flash_size, ==, 8 * MIB);
	g_assert_nonnull(watch->firmware);
	g_assert_cmpstr(watch->firmware->project, ==, "GPLUS61A_11C_NX9");

	match = wf_watch_match_new(db, watch);
	dump_candidates(match);
	assert_ranked(match);
	g_assert_cmpstr(wf_watch_match_get_soc(match)->entry.id, ==, "mt6261");
	g_assert_cmpstr(wf_watch_match_get_flash_part(match)->entry.id, ==, "c86017");
	best = wf_watch_match_get_best(match);
	g_assert_nonnull(best);
	g_assert_cmpstr(best->model->entry.id, ==, "dz09-k91");
	g_assert_cmpint(best->confidence, ==, WF_CONFIDENCE_HIGH);
	g_assert_true(wf_test_strv_has(best->evidence, "base project GPLUS61A_11C_NX9 matches"));
	g_assert_true(
		wf_test_strv_has(best->evidence, "flash C8 60 17 is one of this board's parts"));
	g_assert_true(wf_test_strv_has(best->evidence, "model token DZ09 in the version string"));
	g_assert_true(wf_test_strv_has(best->evidence, "touch IC FT6236 is this board's"));
	g_assert_true(wf_test_strv_has(best->evidence, "chip MT6261DA is this model's SoC"));
	/* the VERNO names an ST7789 panel; the open firmware drives an ILI9341 */
	g_assert_true(
		wf_test_strv_has(best->conflicts, "LCD 7789HSD (ST7789) is not this board's"));
	/* same base project, but another flash size and touch IC */
	{
		const WfWatchCandidate *qw = wf_watch_match_find_candidate(match, "qw09-mjw-m10");
		g_assert_nonnull(qw);
		g_assert_cmpint(qw->score, <, best->score);
		g_assert_true(wf_test_strv_has(qw->conflicts, "flash size 8.0"));
		g_assert_true(
			wf_test_strv_has(qw->conflicts, "touch IC FT6236 is not this board's"));
	}
	/* a flash-id list of a module that lacks C8 60 17 does not make it a candidate */
	g_assert_null(wf_watch_match_find_candidate(match, "simcom-sim868"));
	g_assert_null(wf_watch_match_find_candidate(match, "v8"));
}

/* a V8 (MT6260, HONGYU60M) with its firmware-name form */
static void
test_v8_backup(void)
{
	g_autoptr(WfProfileDb) db = wf_test_load_db();
	g_autoptr(WfWatchFacts) watch = NULL;
	g_autoptr(WfWatchMatch) match = NULL;
	g_autofree gchar *dir = NULL;
	const WfWatchCandidate *best;
	const WfWatchCandidate *dz09;
	WfSimImageSpec spec;

	wf_test_spec_init(&spec, 4 * MIB, 0xEF4016);
	spec.platform = "MT6260";
	spec.branch = "11BW1308MP";
	spec.project = "HONGYU60M_BT_11B";
	spec.verno = "MX6XD-COB-V8-7789HSD-JJT-6113-JZTX-V02.38-20190801";
	spec.touch_driver = NULL;
	dir = wf_test_make_backup("v8", &spec, &wf_test_chip_mt6260);
	watch = facts_from_backup(db, dir);
	match = wf_watch_match_new(db, watch);
	dump_candidates(match);
	assert_ranked(match);
	g_assert_cmpstr(wf_watch_match_get_soc(match)->entry.id, ==, "mt6260");
	best = wf_watch_match_get_best(match);
	g_assert_cmpstr(best->model->entry.id, ==, "v8");
	g_assert_cmpint(best->confidence, ==, WF_CONFIDENCE_HIGH);
	g_assert_true(wf_test_strv_has(best->evidence, "HW string HONGYU60M_BT_11B_HW matches"));
	g_assert_true(wf_test_strv_has(
		best->evidence,
		"version MX6XD-COB-V8-7789HSD-JJT-6113-JZTX-V02.38-20190801 has the form"));
	g_assert_true(wf_test_strv_has(best->evidence, "model token V8 in the version string"));
	g_assert_true(wf_test_strv_has(best->evidence, "touch IC 6113 is this board's"));
	g_assert_true(wf_test_strv_has(best->evidence, "LCD 7789HSD (ST7789) is this board's"));
	g_assert_cmpuint(best->conflicts->len, ==, 0);
	/* an MT6261 model is not this watch */
	dz09 = wf_watch_match_find_candidate(match, "dz09-k91");
	g_assert_null(dz09);
}

/* a SIM868 module: the flash is one of the stock firmware's list */
static void
test_sim868_backup(void)
{
	g_autoptr(WfProfileDb) db = wf_test_load_db();
	g_autoptr(WfWatchFacts) watch = NULL;
	g_autoptr(WfWatchMatch) match = NULL;
	g_autofree gchar *dir = NULL;
	const WfWatchCandidate *best;
	WfSimImageSpec spec;

	wf_test_spec_init(&spec, 4 * MIB, 0xC22016);
	spec.branch = "11C";
	spec.project = "SIM868M32_EAT";
	spec.verno = "1418B01SIM868M32_EAT";
	spec.build_date = "2017/01/10 10:05";
	spec.lcd_driver = NULL;
	spec.touch_driver = NULL;
	dir = wf_test_make_backup("sim868", &spec, &wf_test_chip_mt6261);
	watch = facts_from_backup(db, dir);
	match = wf_watch_match_new(db, watch);
	dump_candidates(match);
	best = wf_watch_match_get_best(match);
	g_assert_cmpstr(best->model->entry.id, ==, "simcom-sim868");
	g_assert_true(wf_test_strv_has(best->evidence, "base project SIM868M32_EAT matches"));
	g_assert_true(
		wf_test_strv_has(best->evidence, "flash C2 20 16 is one of this board's parts"));
	g_assert_true(wf_test_strv_has(best->evidence, "MAUI branch 11C matches"));
	g_assert_true(wf_test_strv_has(best->evidence, "has the form of this model's firmware"));
	g_assert_cmpstr(wf_watch_match_get_flash_part(match)->part, ==, "MX25L32");
}

/* the MT2503 reports the MT6261 hw code: the e-fuse tells, and MT6261
 * models get a line against them */
static void
test_mt2503_efuse(void)
{
	g_autoptr(WfProfileDb) db = wf_test_load_db();
	g_autoptr(WfWatchFacts) watch = NULL;
	g_autoptr(WfWatchMatch) match = NULL;
	g_autofree gchar *dir = NULL;
	const WfWatchCandidate *dz09;
	WfSimImageSpec spec;

	wf_test_spec_init(&spec, 8 * MIB, 0xC86017);
	dir = wf_test_make_backup("mt2503", &spec, &wf_test_chip_mt2503);
	watch = facts_from_backup(db, dir);
	match = wf_watch_match_new(db, watch);
	dump_candidates(match);
	g_assert_cmpstr(wf_watch_match_get_soc(match)->entry.id, ==, "mt2503");
	dz09 = wf_watch_match_find_candidate(match, "dz09-k91");
	g_assert_nonnull(dz09);
	g_assert_true(
		wf_test_strv_has(dz09->conflicts, "chip MT2503 is not this model's SoC (MT6261)"));
	g_assert_false(wf_test_strv_has(dz09->evidence, "is this model's SoC"));
}

/* a raw dump from another tool: no chip, no JEDEC id; the firmware still tells */
static void
test_raw_dump(void)
{
	g_autoptr(WfProfileDb) db = wf_test_load_db();
	g_autoptr(WfWatchFacts) watch = NULL;
	g_autoptr(WfWatchMatch) match = NULL;
	g_autofree gchar *path = NULL;
	g_autofree gchar *rom = NULL;
	g_autoptr(GError) error = NULL;
	const WfWatchCandidate *best;
	WfSimImageSpec spec;

	wf_test_spec_init(&spec, 8 * MIB, 0xC86017);
	path = wf_test_make_dump("ROM_0", &spec);
	watch = facts_from_backup(db, path);
	g_assert_null(watch->chip);
	g_assert_cmpint(watch->jedec, ==, WF_PROFILE_UNKNOWN);
	g_assert_cmpuint(watch->flash_size, ==, 8 * MIB);
	match = wf_watch_match_new(db, watch);
	g_assert_cmpstr(wf_watch_match_get_soc(match)->entry.id, ==, "mt6261");
	g_assert_null(wf_watch_match_get_flash_part(match));
	best = wf_watch_match_get_best(match);
	g_assert_cmpstr(best->model->entry.id, ==, "dz09-k91");
	g_assert_false(wf_test_strv_has(best->evidence, "flash C8 60 17"));
	g_assert_true(wf_test_strv_has(best->evidence, "chip MT6261 is this model's SoC"));

	/* a ROM file is not a watch's dump */
	rom = wf_test_make_rom("ROM", &spec);
	g_assert_null(wf_watch_facts_new_from_path(rom, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_FILE);
}

/* nothing specific: no candidate rather than every MT6261 model */
static void
test_no_candidates(void)
{
	g_autoptr(WfProfileDb) db = wf_test_load_db();
	g_autoptr(WfWatchFacts) watch = NULL;
	g_autoptr(WfWatchMatch) match = NULL;
	g_autofree gchar *dir = NULL;
	WfSimImageSpec spec;

	wf_test_spec_init(&spec, 8 * MIB, 0xEF4017);
	spec.project = "ZZTOP61A_11C";
	spec.verno = "ZZ_W1_V1.0_20200101";
	spec.lcd_driver = NULL;
	spec.touch_driver = NULL;
	dir = wf_test_make_backup("unknown", &spec, &wf_test_chip_mt6261);
	watch = facts_from_backup(db, dir);
	match = wf_watch_match_new(db, watch);
	dump_candidates(match);
	g_assert_cmpstr(wf_watch_match_get_soc(match)->entry.id, ==, "mt6261");
	g_assert_null(wf_watch_match_get_flash_part(match));
	g_assert_cmpuint(wf_watch_match_get_candidates(match)->len, ==, 0);
	g_assert_null(wf_watch_match_get_best(match));
}

/* the user's own profile makes their watch known */
static void
test_user_profile_match(void)
{
	g_autofree gchar *profile = wf_test_write_user_profile(
		"zz.json",
		"{\"schema_version\": 1, \"sources\": {\"ME\": {\"title\": \"my watch\"}}, "
		"\"flash_parts\": [{\"id\": \"ef4017\", \"jedec_id\": \"EF4017\", \"vendor\": "
		"\"Winbond\", \"size\": 8388608, \"sources\": [\"ME\"]}], "
		"\"models\": [{\"id\": \"zz-watch\", \"name\": \"ZZ watch\", \"socs\": "
		"[\"mt6261\"], "
		"\"flash_parts\": [\"ef4017\"], \"base_projects\": [\"ZZTOP61A_11C\"], "
		"\"sources\": [\"ME: *#8375# screen\"]}]}");
	g_autoptr(WfProfileDb) db = wf_test_load_db();
	g_autoptr(WfWatchFacts) watch = NULL;
	g_autoptr(WfWatchMatch) match = NULL;
	g_autofree gchar *dir = NULL;
	const WfWatchCandidate *best;
	WfSimImageSpec spec;

	wf_test_spec_init(&spec, 8 * MIB, 0xEF4017);
	spec.project = "ZZTOP61A_11C";
	spec.verno = "ZZ_W1_V1.0_20200101";
	dir = wf_test_make_backup("zz", &spec, &wf_test_chip_mt6261);
	watch = facts_from_backup(db, dir);
	match = wf_watch_match_new(db, watch);
	best = wf_watch_match_get_best(match);
	g_assert_nonnull(best);
	g_assert_cmpstr(best->model->entry.id, ==, "zz-watch");
	g_assert_true(best->model->entry.user);
	g_assert_true(wf_test_strv_has(best->evidence, "base project ZZTOP61A_11C matches"));
	g_assert_true(
		wf_test_strv_has(best->evidence, "flash EF 40 17 is one of this board's parts"));
	g_assert_cmpstr(wf_watch_match_get_flash_part(match)->vendor, ==, "Winbond");
}

/* firmware facts of a bare ROM file */
static void
test_rom_facts(void)
{
	g_autoptr(WfProfileDb) db = wf_test_load_db();
	g_autoptr(WfFirmwareFacts) fw = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path = NULL;
	g_autoptr(GPtrArray) lcd = NULL;
	g_autoptr(GPtrArray) touch = NULL;
	WfSimImageLayout layout;
	WfSimImageSpec spec;

	wf_test_spec_init(&spec, 8 * MIB, 0xC86017);
	g_assert_true(wf_sim_image_get_layout(&spec, &layout, NULL));
	path = wf_test_make_rom("ROM", &spec);
	fw = wf_firmware_facts_new_from_file(path, wf_profile_db_get_components(db), &error);
	g_assert_no_error(error);
	g_assert_cmpint(fw->kind, ==, WF_FIRMWARE_KIND_ROM);
	g_assert_cmpstr(fw->platform, ==, "MT6261");
	g_assert_cmpstr(fw->project, ==, "GPLUS61A_11C_NX9");
	g_assert_cmpstr(fw->project_source, ==, "branch");
	g_assert_cmpstr(fw->branch, ==, "11CW1352MP");
	g_assert_cmpstr(fw->hw_ver, ==, "GPLUS61A_11C_NX9_HW");
	g_assert_cmpstr(fw->verno, ==, spec.verno);
	g_assert_cmpstr(fw->build_date, ==, "2025/03/01 10:00");
	g_assert_cmpuint(fw->flash_ids->len, ==, 7);
	g_assert_cmpint(g_array_index(fw->flash_ids, gint64, 0), ==, 0xC86017);
	g_assert_true(wf_firmware_facts_has_flash_id(fw->flash_ids, 0xC22536));
	g_assert_cmpuint(fw->cfg_flash_ids->len, ==, 0);
	g_assert_cmpint(fw->rom_offset, ==, layout.rom_offset);
	g_assert_cmpint(fw->rom_len, ==, layout.rom_len);
	g_assert_cmpint(fw->image_end, ==, (gint64)layout.rom_offset + layout.rom_len);
	g_assert_cmpint(fw->fs_base, ==, layout.fs_offset);
	g_assert_cmpint(fw->fs_size, ==, layout.fs_len);
	g_assert_cmpint(fw->header_state, ==, WF_BOOT_HEADER_STATE_UNKNOWN);
	g_assert_cmpint(fw->bl_offset, ==, WF_FIRMWARE_FACTS_UNKNOWN);
	/* the VERNO says what the build is for; the driver names in the ROM
	 * are only a fallback */
	lcd = wf_firmware_facts_get_components(fw, "lcd");
	g_assert_cmpuint(lcd->len, ==, 1);
	g_assert_cmpstr(((WfFirmwareComponent *)g_ptr_array_index(lcd, 0))->token, ==, "7789HSD");
	g_assert_cmpstr(((WfFirmwareComponent *)g_ptr_array_index(lcd, 0))->part, ==, "ST7789");
	g_assert_cmpstr(((WfFirmwareComponent *)g_ptr_array_index(lcd, 0))->origin, ==, "verno");
	touch = wf_firmware_facts_get_components(fw, "touch");
	g_assert_cmpuint(touch->len, ==, 1);
	g_assert_cmpstr(((WfFirmwareComponent *)g_ptr_array_index(touch, 0))->token, ==, "FT6236");
	g_assert_cmpstr(((WfFirmwareComponent *)g_ptr_array_index(touch, 0))->origin, ==, "verno");
}

/* without LCD/touch tokens in the VERNO the ROM's driver names are used */
static void
test_rom_image_drivers(void)
{
	g_autoptr(WfProfileDb) db = wf_test_load_db();
	g_autoptr(WfFirmwareFacts) fw = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path = NULL;
	g_autoptr(GPtrArray) lcd = NULL;
	WfSimImageSpec spec;

	wf_test_spec_init(&spec, 8 * MIB, 0xC86017);
	spec.verno = "NX9_V2_1_YJLNS1_64_T1_L3_C4_G4_B_20151212";
	spec.lcd_driver = "ILI9341";
	path = wf_test_make_rom("ROM", &spec);
	fw = wf_firmware_facts_new_from_file(path, wf_profile_db_get_components(db), &error);
	g_assert_no_error(error);
	lcd = wf_firmware_facts_get_components(fw, "lcd");
	g_assert_cmpuint(lcd->len, ==, 1);
	g_assert_cmpstr(((WfFirmwareComponent *)g_ptr_array_index(lcd, 0))->token, ==, "ILI9341");
	g_assert_cmpstr(
		((WfFirmwareComponent *)g_ptr_array_index(lcd, 0))->origin, ==, "image:ROM");
}

/* (b) which profile fits a firmware: ROM identity plus its cfg */
static void
test_firmware_profile(void)
{
	g_autoptr(WfProfileDb) db = wf_test_load_db();
	g_autoptr(WfFirmwareFacts) fw = NULL;
	g_autoptr(WfFirmwareFacts) fw2 = NULL;
	g_autoptr(WfWatchMatch) match = NULL;
	g_autoptr(WfWatchMatch) match2 = NULL;
	g_autoptr(WfCfg) cfg = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *rom = NULL;
	g_autofree gchar *rom2 = NULL;
	g_autofree gchar *cfg_path = wf_test_data_path("cfg", "mt6261_simcom_SIM868M32_EAT.cfg");
	const WfWatchCandidate *best;
	WfSimImageSpec spec;

	/* a V8 build */
	wf_test_spec_init(&spec, 4 * MIB, 0xEF4016);
	spec.platform = "MT6260";
	spec.branch = "11BW1308MP";
	spec.project = "HONGYU60M_BT_11B";
	spec.verno = "MX6XM-V8-9307HSD-JJT-GL6113-HSJZ-V12.195-20191107";
	rom = wf_test_make_rom("V8_ROM", &spec);
	fw = wf_firmware_facts_new_from_file(rom, wf_profile_db_get_components(db), &error);
	g_assert_no_error(error);
	match = wf_watch_match_new_for_firmware(db, fw);
	dump_candidates(match);
	best = wf_watch_match_get_best(match);
	g_assert_cmpstr(best->model->entry.id, ==, "v8");
	g_assert_true(wf_test_strv_has(best->evidence,
				       "LCD 9307HSD (GC9307/ILI9307-class) is this board's"));
	g_assert_true(wf_test_strv_has(best->evidence, "touch IC GL6113 is this board's"));
	g_assert_true(wf_test_strv_has(best->evidence, "chip MT6260 is this model's SoC"));

	/* a SIM868 ROM with its cfg: the cfg's flash list is kept apart */
	wf_test_spec_init(&spec, 4 * MIB, 0xC22536);
	spec.branch = "11C";
	spec.project = "SIM868M32_EAT";
	spec.verno = "1418B01SIM868M32_EAT";
	spec.lcd_driver = NULL;
	spec.touch_driver = NULL;
	rom2 = wf_test_make_rom("SIM868_ROM", &spec);
	fw2 = wf_firmware_facts_new_from_file(rom2, wf_profile_db_get_components(db), &error);
	g_assert_no_error(error);
	cfg = wf_cfg_new_from_file(cfg_path, &error);
	g_assert_no_error(error);
	wf_firmware_facts_add_cfg(fw2, cfg);
	g_assert_cmpuint(fw2->cfg_flash_ids->len, ==, 6);
	g_assert_true(wf_firmware_facts_has_flash_id(fw2->cfg_flash_ids, 0xC86016));
	g_assert_cmpuint(fw2->warnings->len, ==, 0);
	match2 = wf_watch_match_new_for_firmware(db, fw2);
	dump_candidates(match2);
	best = wf_watch_match_get_best(match2);
	g_assert_cmpstr(best->model->entry.id, ==, "simcom-sim868");
	g_assert_true(wf_test_strv_has(best->evidence,
				       "the firmware supports a flash part of this board"));
	/* a board whose parts the firmware does not list */
	g_assert_null(wf_watch_match_find_candidate(match2, "ph05"));
}

/* what firmware input is read: packages go to the package reader */
static void
test_firmware_inputs(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = wf_test_tmp_path("package");
	g_autofree gchar *zip = wf_test_write_file("fw.zip", "PK\x03\x04 not really");
	g_autofree gchar *junk = wf_test_write_file("junk.bin", "nothing to see here");
	g_autoptr(WfFirmwareFacts) manual =
		wf_firmware_facts_new("by hand", WF_FIRMWARE_KIND_PACKAGE);

	/* a folder without a cfg, a broken archive: the package reader says why */
	g_assert_cmpint(g_mkdir_with_parents(dir, 0700), ==, 0);
	g_assert_null(wf_firmware_facts_new_from_file(dir, NULL, &error));
	g_assert_nonnull(error);
	g_assert_nonnull(strstr(error->message, ".cfg"));
	g_clear_error(&error);
	g_assert_null(wf_firmware_facts_new_from_file(zip, NULL, &error));
	g_assert_nonnull(error);
	g_clear_error(&error);
	g_assert_null(wf_firmware_facts_new_from_file(junk, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_NOT_FOUND);
	g_clear_error(&error);

	/* a producer fills the struct itself */
	g_assert_cmpint(manual->rom_offset, ==, WF_FIRMWARE_FACTS_UNKNOWN);
	g_assert_cmpstr(wf_firmware_kind_to_string(manual->kind), ==, "package");
	wf_firmware_facts_add_component(manual, "lcd", "ST7789", "ST7789", "package");
	wf_firmware_facts_add_component(manual, "lcd", "st7789", "ST7789", "package");
	g_assert_cmpuint(manual->components->len, ==, 1);
}

/* a package folder, as `wristflash-cli split` writes it */
static void
test_package_facts(void)
{
	g_autoptr(WfProfileDb) db = wf_test_load_db();
	g_autoptr(WfFirmwareFacts) fw = NULL;
	g_autoptr(WfWatchMatch) match = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = NULL;
	WfSimImageLayout layout;
	WfSimImageSpec spec;

	wf_test_spec_init(&spec, 8 * MIB, 0xC86017);
	g_assert_true(wf_sim_image_get_layout(&spec, &layout, NULL));
	dir = wf_test_make_package("package", &spec);
	fw = wf_firmware_facts_new_from_file(dir, wf_profile_db_get_components(db), &error);
	g_assert_no_error(error);
	g_assert_cmpint(fw->kind, ==, WF_FIRMWARE_KIND_PACKAGE);
	g_assert_cmpstr(fw->origin, ==, dir);
	g_assert_cmpstr(fw->project, ==, "GPLUS61A_11C_NX9");
	g_assert_cmpstr(fw->platform, ==, "MT6261");
	g_assert_cmpint(fw->bl_offset, ==, layout.bl_offset);
	g_assert_cmpint(fw->ext_bl_offset, ==, layout.ext_bl_offset);
	g_assert_cmpint(fw->rom_offset, ==, layout.rom_offset);
	g_assert_cmpint(fw->rom_len, ==, layout.rom_len);
	/* the package ends after VIVA; the file-system tail is not written */
	g_assert_cmpint(fw->image_end, ==, (gint64)layout.viva_offset + layout.viva_len);
	g_assert_cmpint(fw->header_state, ==, WF_BOOT_HEADER_STATE_UNKNOWN);
	g_assert_true(wf_firmware_facts_has_flash_id(fw->flash_ids, 0xC86017));
	g_assert_true(wf_firmware_facts_has_flash_id(fw->cfg_flash_ids, 0xC86017));
	match = wf_watch_match_new_for_firmware(db, fw);
	g_assert_cmpstr(wf_watch_match_get_best(match)->model->entry.id, ==, "dz09-k91");
}

static void
test_json(void)
{
	g_autoptr(WfProfileDb) db = wf_test_load_db();
	g_autoptr(WfWatchFacts) watch = NULL;
	g_autoptr(WfWatchMatch) match = NULL;
	g_autoptr(JsonNode) node = NULL;
	g_autoptr(JsonNode) facts = NULL;
	g_autofree gchar *dir = NULL;
	JsonObject *obj;
	JsonObject *first;
	WfSimImageSpec spec;

	wf_test_spec_init(&spec, 8 * MIB, 0xC86017);
	dir = wf_test_make_backup("dz09", &spec, &wf_test_chip_mt6261);
	watch = facts_from_backup(db, dir);
	match = wf_watch_match_new(db, watch);
	node = wf_watch_match_to_json(match);
	obj = json_node_get_object(node);
	g_assert_cmpstr(json_object_get_string_member(obj, "soc"), ==, "mt6261");
	g_assert_cmpstr(json_object_get_string_member(obj, "flash_part"), ==, "c86017");
	first = json_array_get_object_element(json_object_get_array_member(obj, "candidates"), 0);
	g_assert_cmpstr(json_object_get_string_member(first, "id"), ==, "dz09-k91");
	g_assert_cmpstr(json_object_get_string_member(first, "confidence"), ==, "high");
	g_assert_cmpuint(
		json_array_get_length(json_object_get_array_member(first, "evidence")), >, 3);

	facts = wf_watch_facts_to_json(watch);
	obj = json_node_get_object(facts);
	g_assert_cmpstr(json_object_get_string_member(obj, "jedec_id"), ==, "C86017");
	g_assert_cmpstr(json_object_get_string_member(obj, "hw_code"), ==, "0x6261");
	obj = json_object_get_object_member(obj, "firmware");
	g_assert_cmpstr(json_object_get_string_member(obj, "kind"), ==, "dump");
	g_assert_cmpint(json_object_get_int_member(json_object_get_object_member(obj, "layout"),
						   "main_region"),
			==,
			0xB000);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_test_add_func("/profiles/match/dz09-backup", test_dz09_backup);
	g_test_add_func("/profiles/match/v8-backup", test_v8_backup);
	g_test_add_func("/profiles/match/sim868-backup", test_sim868_backup);
	g_test_add_func("/profiles/match/mt2503-efuse", test_mt2503_efuse);
	g_test_add_func("/profiles/match/raw-dump", test_raw_dump);
	g_test_add_func("/profiles/match/no-candidates", test_no_candidates);
	g_test_add_func("/profiles/match/user-profile", test_user_profile_match);
	g_test_add_func("/profiles/match/rom-facts", test_rom_facts);
	g_test_add_func("/profiles/match/rom-image-drivers", test_rom_image_drivers);
	g_test_add_func("/profiles/match/firmware-profile", test_firmware_profile);
	g_test_add_func("/profiles/match/firmware-inputs", test_firmware_inputs);
	g_test_add_func("/profiles/match/package-facts", test_package_facts);
	g_test_add_func("/profiles/match/json", test_json);
	return g_test_run();
}
