/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-dump.h"
#include "wf-formats2-test.h"

/* the regions tile the image: contiguous, no overlap, nothing left out */
static void
assert_tiling(WfDump *dump)
{
	GPtrArray *regions = wf_dump_get_regions(dump);
	guint64 pos = 0;

	for (guint i = 0; i < regions->len; i++) {
		WfDumpRegion *r = g_ptr_array_index(regions, i);
		g_assert_cmpuint(r->offset, ==, pos);
		g_assert_cmpuint(r->length, >, 0);
		pos += r->length;
	}
	g_assert_cmpuint(pos, ==, g_bytes_get_size(wf_dump_get_bytes(dump)));
}

static const WfDumpRegion *
find_region(WfDump *dump, const gchar *name)
{
	GPtrArray *regions = wf_dump_get_regions(dump);
	for (guint i = 0; i < regions->len; i++) {
		WfDumpRegion *r = g_ptr_array_index(regions, i);
		if (g_strcmp0(r->name, name) == 0)
			return r;
	}
	return NULL;
}

static void
test_dump_identify(void)
{
	WfSimImageSpec spec;
	WfSimImageLayout layout;
	g_autoptr(GBytes) img = NULL;
	g_autoptr(GBytes) payload = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(WfDump) dump = NULL;
	WfFirmwareIdentity *id;
	GPtrArray *ids;
	GPtrArray *parts;
	WfDumpCompressedPart *zimage;
	const WfDumpRegion *r;
	guint32 base = 0, size = 0;

	wf_test_spec_init(&spec, 4);
	img = wf_test_build(&spec);
	g_assert_true(wf_sim_image_get_layout(&spec, &layout, NULL));
	dump = wf_dump_new_from_bytes(img, &error);
	g_assert_no_error(error);
	g_assert_cmpint(wf_dump_get_kind(dump), ==, WF_DUMP_KIND_FULL);
	g_assert_cmpint(wf_dump_get_header_block_state(dump), ==, WF_BOOT_HEADER_STATE_VALID);
	assert_tiling(dump);

	r = wf_dump_get_region(dump, WF_DUMP_REGION_HEADER_BLOCK);
	g_assert_cmpuint(r->offset, ==, 0);
	g_assert_cmpuint(r->length, ==, 0x800);
	r = wf_dump_get_region(dump, WF_DUMP_REGION_BOOTLOADER);
	g_assert_cmpstr(r->name, ==, "BOOTLOADER");
	g_assert_cmpuint(r->offset, ==, layout.bl_offset);
	g_assert_cmpuint(r->length, ==, layout.bl_len);
	r = wf_dump_get_region(dump, WF_DUMP_REGION_EXT_BOOTLOADER);
	g_assert_cmpuint(r->offset, ==, layout.ext_bl_offset);
	g_assert_cmpuint(r->length, ==, layout.ext_bl_len);
	r = wf_dump_get_region(dump, WF_DUMP_REGION_ROM);
	g_assert_cmpuint(r->offset, ==, layout.rom_offset);
	g_assert_cmpuint(r->length, ==, layout.rom_len);
	g_assert_cmpuint(r->load_addr, ==, 0x10000000 + layout.rom_offset);
	r = wf_dump_get_region(dump, WF_DUMP_REGION_VIVA);
	g_assert_cmpuint(r->offset, ==, layout.viva_offset);
	g_assert_cmpuint(r->length, ==, layout.viva_len);
	g_assert_true(wf_dump_get_fs_region(dump, &base, &size));
	g_assert_cmpuint(base, ==, 0x380000);
	g_assert_cmpuint(size, ==, 0x7E000);
	r = wf_dump_get_region(dump, WF_DUMP_REGION_FS);
	g_assert_false(r->erased);
	/* no stray bytes in a generated image: everything else is erased */
	g_assert_null(wf_dump_get_region(dump, WF_DUMP_REGION_OTHER));
	g_assert_cmpuint(wf_dump_get_free_bytes(dump),
			 ==,
			 4 * WF_SIM_IMAGE_MIB - 0x800 - layout.bl_len - layout.ext_bl_len -
				 layout.rom_len - layout.viva_len - layout.fs_len);

	id = wf_dump_get_identity(dump);
	g_assert_cmpint(wf_firmware_identity_get_kind(id), ==, WF_FIRMWARE_IDENTITY_KIND_DUMP);
	g_assert_cmpstr(wf_firmware_identity_get_platform(id), ==, "MT6261");
	g_assert_cmpstr(wf_firmware_identity_get(id, WF_ROM_IDENTITY_FIELD_VERNO), ==, spec.verno);
	g_assert_cmpstr(
		wf_firmware_identity_get(id, WF_ROM_IDENTITY_FIELD_BRANCH), ==, "11CW1352MP");
	g_assert_cmpstr(wf_firmware_identity_get(id, WF_ROM_IDENTITY_FIELD_PROJECT),
			==,
			"GPLUS61A_11C_NX9");
	g_assert_cmpstr(wf_firmware_identity_get(id, WF_ROM_IDENTITY_FIELD_HW_VER),
			==,
			"GPLUS61A_11C_NX9_HW");
	g_assert_cmpstr(wf_firmware_identity_get(id, WF_ROM_IDENTITY_FIELD_BUILD_DATE),
			==,
			spec.build_date);
	ids = wf_firmware_identity_get_flash_ids(id);
	g_assert_cmpuint(ids->len, ==, 7);
	g_assert_cmpstr(g_ptr_array_index(ids, 0), ==, "C8 60 17");
	g_assert_cmpstr(g_ptr_array_index(ids, 1), ==, "C2 25 36");
	g_assert_true(wf_firmware_identity_get_offset(id, "rom", &base));
	g_assert_cmpuint(base, ==, layout.rom_offset);
	g_assert_false(wf_firmware_identity_has_alice(id));

	/* the ZIMAGE partition is decoded to exactly what the generator packed */
	payload = wf_sim_image_get_zimage_payload(&spec);
	parts = wf_dump_get_compressed_parts(dump);
	g_assert_cmpuint(parts->len, ==, 1);
	zimage = g_ptr_array_index(parts, 0);
	g_assert_cmpstr(zimage->name, ==, "ZIMAGE partition 0");
	g_assert_cmpstr(zimage->format, ==, "LZMA");
	g_assert_true(zimage->decoded);
	g_assert_cmpint(zimage->status, ==, WF_LZMA_STATUS_COMPLETE);
	g_assert_true(g_bytes_equal(zimage->output, payload));
	g_assert_cmpuint(zimage->unpacked_size, ==, g_bytes_get_size(payload));
}

/* the component hints of the VERNO, when the table is there */
static void
test_dump_component_hints(void)
{
	WfSimImageSpec spec;
	g_autoptr(GBytes) img = NULL;
	g_autoptr(WfDump) dump = NULL;
	g_autoptr(JsonNode) json = NULL;
	g_autofree gchar *text = NULL;
	WfComponentHints *hints;
	const WfComponentToken *lcd;
	const WfComponentToken *touch;

	wf_test_spec_init(&spec, 4);
	img = wf_test_build(&spec);
	dump = wf_dump_new_from_bytes(img, NULL);
	g_assert_nonnull(dump);
	hints = wf_firmware_identity_get_hints(wf_dump_get_identity(dump));
	g_assert_nonnull(hints);
	lcd = wf_component_hints_get_best(hints, "lcd");
	g_assert_nonnull(lcd);
	g_assert_cmpstr(lcd->value, ==, "ST7789");
	touch = wf_component_hints_get_best(hints, "touch");
	g_assert_nonnull(touch);
	g_assert_cmpstr(touch->value, ==, "FT6236");
	text = wf_firmware_identity_to_text(wf_dump_get_identity(dump));
	g_assert_nonnull(strstr(text, "LCD:"));
	g_assert_nonnull(strstr(text, "ST7789"));
	g_assert_nonnull(strstr(text, "Flash ids (ROM): C8 60 17, C2 25 36"));
	json = wf_firmware_identity_to_json(wf_dump_get_identity(dump));
	g_assert_cmpstr(
		json_object_get_string_member(json_node_get_object(json), "verno"), ==, spec.verno);
	g_assert_cmpstr(json_object_get_string_member(
				json_object_get_object_member(json_node_get_object(json), "layout"),
				"header_block"),
			==,
			"valid");
}

/* split, load the split as a package, rebuild: byte-identical */
static void
assert_round_trip(GBytes *img, const gchar *expect_header_block)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(WfDump) dump = wf_dump_new_from_bytes(img, &error);
	g_autoptr(WfFirmwarePackage) package = NULL;
	g_autoptr(GBytes) rebuilt = NULL;
	g_autofree gchar *tmp = wf_test_mkdtemp();
	g_autofree gchar *dir = g_build_filename(tmp, "split", NULL);

	g_assert_no_error(error);
	assert_tiling(dump);
	wf_dump_split(dump, dir, &error);
	g_assert_no_error(error);
	package = wf_firmware_package_new_from_path(dir, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(wf_firmware_package_get_header_block(package), ==, expect_header_block);
	g_assert_cmpuint(wf_firmware_package_get_flash_size(package), ==, g_bytes_get_size(img));
	rebuilt = wf_dump_rebuild(package, 0, WF_DUMP_REBUILD_FLAG_EXACT, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(g_bytes_get_size(rebuilt), ==, g_bytes_get_size(img));
	g_assert_true(g_bytes_equal(rebuilt, img));
	wf_test_rm_rf(tmp);
}

static void
test_dump_round_trip_specs(void)
{
	const gsize sizes[] = {4, 8, 16};

	for (guint i = 0; i < G_N_ELEMENTS(sizes); i++) {
		for (guint viva = 0; viva < 2; viva++) {
			WfSimImageSpec spec;
			g_autoptr(GBytes) img = NULL;
			wf_test_spec_init(&spec, sizes[i]);
			spec.include_viva = viva == 1;
			img = wf_test_build(&spec);
			assert_round_trip(img, "generated");
		}
	}
}

static void
test_dump_round_trip_variants(void)
{
	WfSimImageSpec spec;
	g_autoptr(GBytes) mt6260 = NULL;
	g_autoptr(GBytes) no_fs = NULL;
	g_autoptr(GBytes) codes = NULL;

	/* the MT6260A arrangement: EXT_BOOTLOADER at 0x4400, ROM at 0x10000 */
	wf_test_spec_init(&spec, 8);
	spec.platform = "MT6260";
	spec.branch = "11BW1308MP";
	spec.project = "GINWAVE60A_11B";
	spec.ext_bl_offset = 0x4400;
	spec.rom_offset = 0x10000;
	mt6260 = wf_test_build(&spec);
	assert_round_trip(mt6260, "generated");

	/* a freshly formatted watch: the tail is erased and no file is written */
	wf_test_spec_init(&spec, 4);
	spec.include_fs = FALSE;
	no_fs = wf_test_build(&spec);
	assert_round_trip(no_fs, "generated");

	wf_test_spec_init(&spec, 16);
	spec.compress_codes = TRUE;
	codes = wf_test_build(&spec);
	assert_round_trip(codes, "generated");
}

static void
test_dump_bricked(void)
{
	WfSimImageSpec spec;
	g_autoptr(GBytes) good = NULL;
	g_autoptr(GBytes) bricked = NULL;
	g_autoptr(GBytes) repaired = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(WfDump) dump = NULL;
	g_autoptr(WfFirmwarePackage) package = NULL;
	g_autofree gchar *tmp = wf_test_mkdtemp();
	g_autofree gchar *dir = g_build_filename(tmp, "split", NULL);
	g_autoptr(WfBootHeader) header = NULL;
	const WfDumpRegion *r;

	wf_test_spec_init(&spec, 4);
	good = wf_test_build(&spec);
	spec.include_header_block = FALSE;
	bricked = wf_test_build(&spec);
	dump = wf_dump_new_from_bytes(bricked, &error);
	g_assert_no_error(error);
	g_assert_cmpint(wf_dump_get_header_block_state(dump), ==, WF_BOOT_HEADER_STATE_ERASED);
	r = wf_dump_get_region(dump, WF_DUMP_REGION_HEADER_BLOCK);
	g_assert_true(r->erased);
	/* the files are found by scanning, without BRLYT */
	r = wf_dump_get_region(dump, WF_DUMP_REGION_BOOTLOADER);
	g_assert_cmpuint(r->offset, ==, 0x800);
	assert_round_trip(bricked, "absent");

	/* without EXACT the rebuild writes a header block: that un-bricks */
	g_assert_true(wf_dump_split(dump, dir, &error));
	package = wf_firmware_package_new_from_path(dir, &error);
	g_assert_no_error(error);
	repaired = wf_dump_rebuild(package, 0, WF_DUMP_REBUILD_FLAG_NONE, &error);
	g_assert_no_error(error);
	header = wf_boot_header_new_from_bytes(repaired, &error);
	g_assert_no_error(error);
	g_assert_cmpint(wf_boot_header_get_state(header), ==, WF_BOOT_HEADER_STATE_VALID);
	g_assert_cmpuint(wf_boot_header_get_main_region_addr(header), ==, 0xB000);
	/* the builder and the simulator write the verified layout alike */
	g_assert_true(g_bytes_equal(repaired, good));
	wf_test_rm_rf(tmp);
}

/* bytes outside every known region and an unusual header block round-trip
 * through raw files */
static void
test_dump_extras(void)
{
	WfSimImageSpec spec;
	g_autoptr(GBytes) img = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(WfDump) dump = NULL;
	g_autoptr(GBytes) patched = NULL;
	guint8 *buf;
	gsize size = 0;
	const WfDumpRegion *r;
	guint n_other = 0;

	wf_test_spec_init(&spec, 4);
	img = wf_test_build(&spec);
	size = g_bytes_get_size(img);
	buf = g_memdup2(g_bytes_get_data(img, NULL), size);
	/* stale data in the erased gap and after the file system, and a
	 * vendor byte inside the header block's erased part */
	memcpy(buf + 0x200000, "left over from an older firmware", 32);
	buf[0x200800] = 0x00;
	memset(buf + 0x3FF000, 0x5A, 0x100);
	buf[0x700] = 0x42;
	patched = g_bytes_new_take(buf, size);
	dump = wf_dump_new_from_bytes(patched, &error);
	g_assert_no_error(error);
	assert_tiling(dump);
	r = find_region(dump, "EXTRA_0x200000");
	g_assert_nonnull(r);
	/* erased runs shorter than 4 KiB do not split "other" data */
	g_assert_cmpuint(r->length, ==, 0x801);
	r = find_region(dump, "EXTRA_0x3FF000");
	g_assert_nonnull(r);
	g_assert_cmpuint(r->length, ==, 0x100);
	for (guint i = 0; i < wf_dump_get_regions(dump)->len; i++) {
		WfDumpRegion *region = g_ptr_array_index(wf_dump_get_regions(dump), i);
		if (region->kind == WF_DUMP_REGION_OTHER)
			n_other++;
	}
	g_assert_cmpuint(n_other, ==, 2);
	assert_round_trip(patched, "file");
}

static void
test_dump_many_extras(void)
{
	WfSimImageSpec spec;
	g_autoptr(GBytes) img = NULL;
	g_autoptr(GBytes) patched = NULL;
	g_autoptr(WfDump) dump = NULL;
	guint8 *buf;
	gsize size = 0;
	guint n_other = 0;

	wf_test_spec_init(&spec, 4);
	img = wf_test_build(&spec);
	size = g_bytes_get_size(img);
	buf = g_memdup2(g_bytes_get_data(img, NULL), size);
	/* 500 scattered bytes: bounded to WF_DUMP_MAX_EXTRAS files */
	for (guint i = 0; i < 500; i++) {
		gsize offset = 0x100000 + (gsize)i * 0x1000;
		g_assert_cmpuint(offset, <, size);
		buf[offset] = (guint8)i;
	}
	patched = g_bytes_new_take(buf, size);
	dump = wf_dump_new_from_bytes(patched, NULL);
	g_assert_nonnull(dump);
	assert_tiling(dump);
	for (guint i = 0; i < wf_dump_get_regions(dump)->len; i++) {
		WfDumpRegion *region = g_ptr_array_index(wf_dump_get_regions(dump), i);
		if (region->kind == WF_DUMP_REGION_OTHER)
			n_other++;
	}
	g_assert_cmpuint(n_other, >=, 1);
	g_assert_cmpuint(n_other, <=, WF_DUMP_MAX_EXTRAS);
	assert_round_trip(patched, "generated");
}

static void
test_dump_split_output(void)
{
	WfSimImageSpec spec;
	g_autoptr(GBytes) img = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(WfDump) dump = NULL;
	g_autoptr(WfCfg) cfg = NULL;
	g_autoptr(WfFirmwarePackage) package = NULL;
	g_autoptr(GArray) plan_files = NULL;
	g_autoptr(WfFlashPlan) plan = wf_flash_plan_new();
	g_autofree gchar *tmp = wf_test_mkdtemp();
	g_autofree gchar *dir = g_build_filename(tmp, "out", "split", NULL);
	g_autofree gchar *cfg_path = NULL;
	GPtrArray *files;
	GPtrArray *emis;
	guint8 extra[][3] = {{0xEF, 0x60, 0x18}};

	wf_test_spec_init(&spec, 8);
	spec.extra_flash_ids = (const guint8(*)[3])extra;
	spec.n_extra_flash_ids = 1;
	img = wf_test_build(&spec);
	dump = wf_dump_new_from_bytes(img, &error);
	g_assert_no_error(error);
	g_assert_true(wf_dump_split(dump, dir, &error));
	g_assert_no_error(error);

	/* the cfg SP Flash Tool reads */
	cfg_path = g_build_filename(dir, "GPLUS61A_11C_NX9_BB.cfg", NULL);
	cfg = wf_cfg_new_from_file(cfg_path, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(wf_cfg_get_platform(cfg), ==, "MT6261");
	files = wf_cfg_get_files(cfg, WF_CFG_REGION_BOOT);
	g_assert_cmpuint(files->len, ==, 2);
	g_assert_cmpstr(g_ptr_array_index(files, 0), ==, "BOOTLOADER");
	g_assert_cmpstr(g_ptr_array_index(files, 1), ==, "EXT_BOOTLOADER");
	files = wf_cfg_get_files(cfg, WF_CFG_REGION_MAIN);
	g_assert_cmpuint(files->len, ==, 2);
	g_assert_cmpstr(g_ptr_array_index(files, 0), ==, "ROM");
	g_assert_cmpstr(g_ptr_array_index(files, 1), ==, "VIVA");
	/* external_memory is the ROM's own CMEM list, the extra id included */
	emis = wf_cfg_get_emis(cfg);
	g_assert_cmpuint(emis->len, ==, 8);
	{
		WfCfgEmi *first = g_ptr_array_index(emis, 0);
		WfCfgEmi *last = g_ptr_array_index(emis, 7);
		g_assert_cmpstr(first->flash_type, ==, "SF");
		g_assert_cmpuint(first->id_length, ==, 3);
		g_assert_cmpmem(first->flash_id, 3, wf_test_jedec, 3);
		g_assert_cmpmem(last->flash_id, 3, extra[0], 3);
		g_assert_cmpstr(first->memory_type, ==, "PSRAM_130MHz");
	}

	/* the same folder as a package, straight into a flash plan */
	package = wf_firmware_package_new_from_path(dir, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(wf_firmware_package_get_container(package), ==, "folder");
	g_assert_cmpuint(wf_firmware_package_get_files(package)->len, ==, 5); /* + FS tail */
	plan_files = wf_firmware_package_get_plan_files(package, WF_FIRMWARE_PACKAGE_PLAN_DEFAULT);
	g_assert_cmpuint(plan_files->len, ==, 4);
	for (guint i = 0; i < plan_files->len; i++) {
		WfFlashPlanFile *pf = &g_array_index(plan_files, WfFlashPlanFile, i);
		g_assert_true(wf_flash_plan_add_file(plan, pf, &error));
		g_assert_no_error(error);
	}
	{
		GPtrArray *regions = wf_flash_plan_get_regions(plan);
		WfFlashRegion *bl = g_ptr_array_index(regions, 0);
		WfFlashRegion *rom = g_ptr_array_index(regions, 2);
		g_assert_cmpuint(regions->len, ==, 4);
		g_assert_cmpuint(bl->offset, ==, 0x800);
		g_assert_cmpint(bl->kind, ==, WF_FLASH_REGION_KIND_BOOTLOADER);
		g_assert_cmpuint(rom->offset, ==, 0xB000);
		g_assert_cmpint(rom->kind, ==, WF_FLASH_REGION_KIND_MAIN);
	}
	g_array_unref(g_steal_pointer(&plan_files));
	plan_files = wf_firmware_package_get_plan_files(package, WF_FIRMWARE_PACKAGE_PLAN_FS_TAIL);
	g_assert_cmpuint(plan_files->len, ==, 5);
	g_assert_cmpuint(g_array_index(plan_files, WfFlashPlanFile, 4).file_type, ==, 0x0480);
	g_assert_cmpuint(g_array_index(plan_files, WfFlashPlanFile, 4).load_addr, ==, 0x700000);

	/* never into an existing folder */
	g_assert_false(wf_dump_split(dump, dir, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_EXISTS);
	wf_test_rm_rf(tmp);
}

static void
test_dump_rom_file(void)
{
	WfSimImageSpec spec;
	WfSimImageLayout layout;
	g_autoptr(GBytes) img = NULL;
	g_autoptr(GBytes) rom = NULL;
	g_autoptr(GBytes) cut = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(WfDump) dump = NULL;
	g_autoptr(WfDump) truncated = NULL;
	g_autofree gchar *tmp = wf_test_mkdtemp();
	g_autofree gchar *dir = g_build_filename(tmp, "split", NULL);
	const WfDumpRegion *r;

	wf_test_spec_init(&spec, 4);
	img = wf_test_build(&spec);
	g_assert_true(wf_sim_image_get_layout(&spec, &layout, NULL));
	rom = g_bytes_new_from_bytes(img, layout.rom_offset, layout.rom_len);
	dump = wf_dump_new_from_bytes(rom, &error);
	g_assert_no_error(error);
	g_assert_cmpint(wf_dump_get_kind(dump), ==, WF_DUMP_KIND_FILE);
	g_assert_cmpint(wf_firmware_identity_get_kind(wf_dump_get_identity(dump)),
			==,
			WF_FIRMWARE_IDENTITY_KIND_ROM);
	g_assert_cmpstr(
		wf_firmware_identity_get(wf_dump_get_identity(dump), WF_ROM_IDENTITY_FIELD_VERNO),
		==,
		spec.verno);
	r = wf_dump_get_region(dump, WF_DUMP_REGION_ROM);
	g_assert_nonnull(r);
	g_assert_cmpuint(r->length, ==, layout.rom_len);
	g_assert_false(wf_dump_split(dump, dir, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_NOT_SUPPORTED);
	g_clear_error(&error);

	/* a truncated ROM is still identified, with a warning */
	cut = g_bytes_new_from_bytes(rom, 0, 0x10000);
	truncated = wf_dump_new_from_bytes(cut, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(wf_dump_get_warnings(truncated)->len, ==, 1);
	g_assert_nonnull(
		strstr(g_ptr_array_index(wf_dump_get_warnings(truncated), 0), "truncated"));
	wf_test_rm_rf(tmp);
}

static void
test_dump_malformed(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) tiny = g_bytes_new_static("MMM\x01", 4);
	g_autoptr(GBytes) blank = NULL;
	g_autoptr(GBytes) noise = NULL;
	g_autoptr(GBytes) huge = NULL;
	g_autoptr(WfDump) dump = wf_dump_new();
	guint8 *buf;

	g_assert_false(wf_dump_parse(dump, tiny, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_FILE);
	g_clear_error(&error);

	buf = g_malloc(0x100000);
	memset(buf, 0xFF, 0x100000);
	blank = g_bytes_new_take(buf, 0x100000);
	g_assert_false(wf_dump_parse(dump, blank, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_NOT_FOUND);
	g_assert_nonnull(strstr(error->message, "blank"));
	g_clear_error(&error);

	/* "MMM" everywhere but no real FILE_INFO */
	buf = g_malloc(0x10000);
	for (guint i = 0; i < 0x10000; i++)
		buf[i] = "MMM\x01"[i % 4];
	noise = g_bytes_new_take(buf, 0x10000);
	g_assert_false(wf_dump_parse(dump, noise, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_NOT_FOUND);
	g_clear_error(&error);

	huge = g_bytes_new_take(g_malloc0(WF_DUMP_MAX_SIZE + 1), WF_DUMP_MAX_SIZE + 1);
	g_assert_false(wf_dump_parse(dump, huge, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_FILE);
	g_assert_null(wf_dump_get_bytes(dump));
}

static void
test_dump_codes(void)
{
	WfSimImageSpec spec;
	g_autoptr(GBytes) plain = NULL;
	g_autoptr(GBytes) hidden = NULL;
	g_autoptr(WfKnowledgeTable) table = wf_knowledge_table_new(WF_KNOWLEDGE_TABLE_KIND_CODES);
	g_autoptr(WfSecretCodes) codes = NULL;
	g_autoptr(WfSecretCodes) codes2 = NULL;
	g_autoptr(WfDump) dump = NULL;
	g_autoptr(WfDump) dump2 = NULL;
	g_autoptr(GError) error = NULL;
	const WfSecretCode *code;
	WfSecretCodeOccurrence *occ;

	g_assert_true(wf_knowledge_table_load_default(table, &error));
	g_assert_no_error(error);
	wf_test_spec_init(&spec, 4);
	plain = wf_test_build(&spec);
	dump = wf_dump_new_from_bytes(plain, NULL);
	codes = wf_secret_codes_new(table);
	wf_dump_scan_codes(dump, codes);
	code = wf_secret_codes_lookup(codes, "*#8375#");
	g_assert_nonnull(code);
	g_assert_nonnull(wf_secret_code_get_meaning(code));
	occ = &g_array_index(code->occurrences, WfSecretCodeOccurrence, 0);
	g_assert_cmpstr(occ->region, ==, "ROM");
	g_assert_nonnull(wf_secret_codes_lookup(codes, "*#00000000#"));
	/* everything compressed was decoded: no warning */
	g_assert_cmpuint(wf_secret_codes_get_warnings(codes)->len, ==, 0);

	/* codes only inside the LZMA part are found after decoding it */
	spec.compress_codes = TRUE;
	hidden = wf_test_build(&spec);
	dump2 = wf_dump_new_from_bytes(hidden, NULL);
	codes2 = wf_secret_codes_new(table);
	wf_dump_scan_codes(dump2, codes2);
	code = wf_secret_codes_lookup(codes2, "*#8375#");
	g_assert_nonnull(code);
	occ = &g_array_index(code->occurrences, WfSecretCodeOccurrence, 0);
	g_assert_cmpstr(occ->region, ==, "ZIMAGE partition 0 (decompressed)");
}

static void
test_dump_alice(void)
{
	WfSimImageSpec spec;
	WfSimImageLayout layout;
	g_autoptr(GBytes) img = NULL;
	g_autoptr(GBytes) alice = NULL;
	g_autoptr(GBytes) patched = NULL;
	g_autoptr(WfKnowledgeTable) table = wf_knowledge_table_new(WF_KNOWLEDGE_TABLE_KIND_CODES);
	g_autoptr(WfSecretCodes) codes = NULL;
	g_autoptr(WfDump) dump = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path = NULL;
	gchar *data = NULL;
	gsize len = 0, size = 0;
	guint8 *buf;
	GPtrArray *parts;
	GPtrArray *warnings;
	gboolean found = FALSE;

	path = g_build_filename(
		g_getenv("WF_TESTDATA_DIR"), "headers", "mt6261_sim868_ALICE2_header.bin", NULL);
	g_assert_true(g_file_get_contents(path, &data, &len, NULL));
	alice = g_bytes_new_take(data, len);
	wf_test_spec_init(&spec, 4);
	img = wf_test_build(&spec);
	g_assert_true(wf_sim_image_get_layout(&spec, &layout, NULL));
	/* an ALICE stream inside the ROM, as in "partially aliced" builds */
	size = g_bytes_get_size(img);
	buf = g_memdup2(g_bytes_get_data(img, NULL), size);
	memcpy(buf + layout.rom_offset + 0x20000, g_bytes_get_data(alice, NULL), len);
	patched = g_bytes_new_take(buf, size);
	dump = wf_dump_new_from_bytes(patched, &error);
	g_assert_no_error(error);
	parts = wf_dump_get_compressed_parts(dump);
	for (guint i = 0; i < parts->len; i++) {
		WfDumpCompressedPart *p = g_ptr_array_index(parts, i);
		if (g_strcmp0(p->format, "ALICE_2") == 0) {
			g_assert_cmpuint(p->offset, ==, layout.rom_offset + 0x20000);
			g_assert_false(p->decoded);
			found = TRUE;
		}
	}
	g_assert_true(found);
	g_assert_true(wf_firmware_identity_has_alice(wf_dump_get_identity(dump)));
	g_assert_true(wf_knowledge_table_load_default(table, NULL));
	codes = wf_secret_codes_new(table);
	wf_dump_scan_codes(dump, codes);
	warnings = wf_secret_codes_get_warnings(codes);
	g_assert_cmpuint(warnings->len, >=, 2);
	g_assert_nonnull(strstr(g_ptr_array_index(warnings, 1), "ALICE"));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_test_add_func("/formats2/dump/identify", test_dump_identify);
	g_test_add_func("/formats2/dump/component-hints", test_dump_component_hints);
	g_test_add_func("/formats2/dump/round-trip-specs", test_dump_round_trip_specs);
	g_test_add_func("/formats2/dump/round-trip-variants", test_dump_round_trip_variants);
	g_test_add_func("/formats2/dump/bricked", test_dump_bricked);
	g_test_add_func("/formats2/dump/extras", test_dump_extras);
	g_test_add_func("/formats2/dump/many-extras", test_dump_many_extras);
	g_test_add_func("/formats2/dump/split-output", test_dump_split_output);
	g_test_add_func("/formats2/dump/rom-file", test_dump_rom_file);
	g_test_add_func("/formats2/dump/malformed", test_dump_malformed);
	g_test_add_func("/formats2/dump/codes", test_dump_codes);
	g_test_add_func("/formats2/dump/alice", test_dump_alice);
	return g_test_run();
}
