/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-profiles-test.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "wf-dump.h"

const WfTestChip wf_test_chip_mt6261 = {"MT6261DA", 0x6261, 0xCB01, 0x35C0};
const WfTestChip wf_test_chip_mt6260 = {"MT6260", 0x6260, 0x0000, 0x0000};
const WfTestChip wf_test_chip_mt2503 = {"MT2503", 0x6261, 0xCB01, 0x3600};

/**
 * wf_test_spec_init:
 * @jedec: 0xC86017
 *
 * The virtual watch's default DZ09-style build on a flash of @flash_size.
 */
void
wf_test_spec_init(WfSimImageSpec *spec, gsize flash_size, guint32 jedec)
{
	const guint8 id[3] = {(jedec >> 16) & 0xFF, (jedec >> 8) & 0xFF, jedec & 0xFF};
	const guint8 me_id[16] = {0x10,
				  0x32,
				  0x54,
				  0x76,
				  0x98,
				  0xBA,
				  0xDC,
				  0xFE,
				  0x01,
				  0x23,
				  0x45,
				  0x67,
				  0x89,
				  0xAB,
				  0xCD,
				  0xEF};
	wf_sim_image_spec_init(spec, flash_size, id, me_id);
}

/* under the per-test isolated cache dir, which GLib removes afterwards */
gchar *
wf_test_tmp_path(const gchar *name)
{
	g_autofree gchar *dir = g_build_filename(g_get_user_cache_dir(), "profiles-test", NULL);
	g_assert_cmpint(g_mkdir_with_parents(dir, 0700), ==, 0);
	return g_build_filename(dir, name, NULL);
}

static GBytes *
wf_test_build(const WfSimImageSpec *spec)
{
	g_autoptr(GError) error = NULL;
	GBytes *image = wf_sim_image_build(spec, &error);
	g_assert_no_error(error);
	g_assert_nonnull(image);
	return image;
}

static void
wf_test_write_bytes(const gchar *path, GBytes *bytes)
{
	g_autoptr(GError) error = NULL;
	g_file_set_contents(
		path, g_bytes_get_data(bytes, NULL), (gssize)g_bytes_get_size(bytes), &error);
	g_assert_no_error(error);
}

/**
 * wf_test_make_backup:
 * @name: folder name
 * @spec: the watch's flash
 * @chip: (nullable): what the boot ROM reported; %NULL records no chip
 *
 * Returns: (transfer full): the backup folder
 */
gchar *
wf_test_make_backup(const gchar *name, const WfSimImageSpec *spec, const WfTestChip *chip)
{
	g_autofree gchar *dir = wf_test_tmp_path(name);
	g_autofree gchar *image_path = g_build_filename(dir, "flash.bin", NULL);
	g_autofree gchar *record_path = g_build_filename(dir, "backup.json", NULL);
	g_autofree gchar *sha256 = NULL;
	g_autofree gchar *jedec = NULL;
	g_autofree gchar *text = NULL;
	g_autoptr(GBytes) image = wf_test_build(spec);
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonGenerator) gen = json_generator_new();
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(GError) error = NULL;

	g_assert_cmpint(g_mkdir_with_parents(dir, 0700), ==, 0);
	wf_test_write_bytes(image_path, image);
	sha256 = g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, image);
	jedec = g_strdup_printf("%02X%02X%02X", spec->jedec[0], spec->jedec[1], spec->jedec[2]);

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "format");
	json_builder_add_int_value(b, 1);
	json_builder_set_member_name(b, "tool");
	json_builder_add_string_value(b, "profile tests");
	json_builder_set_member_name(b, "image");
	json_builder_add_string_value(b, "flash.bin");
	json_builder_set_member_name(b, "sha256");
	json_builder_add_string_value(b, sha256);
	json_builder_set_member_name(b, "flash_size");
	json_builder_add_int_value(b, (gint64)spec->flash_size);
	json_builder_set_member_name(b, "me_id");
	json_builder_add_string_value(b, "1032547698badcfe0123456789abcdef");
	json_builder_set_member_name(b, "jedec_id");
	json_builder_add_string_value(b, jedec);
	json_builder_set_member_name(b, "chip");
	json_builder_add_string_value(b, chip != NULL && chip->chip != NULL ? chip->chip : "");
	if (chip != NULL && chip->hw_code >= 0) {
		g_autofree gchar *code = g_strdup_printf("0x%04X", (guint)chip->hw_code);
		g_autofree gchar *ver = g_strdup_printf("0x%04X", (guint)chip->hw_version);
		g_autofree gchar *efuse = g_strdup_printf("0x%04X", (guint)chip->efuse_version);
		json_builder_set_member_name(b, "device");
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "hw_code");
		json_builder_add_string_value(b, code);
		json_builder_set_member_name(b, "hw_version");
		json_builder_add_string_value(b, ver);
		json_builder_set_member_name(b, "efuse_version");
		json_builder_add_string_value(b, efuse);
		json_builder_end_object(b);
	}
	json_builder_set_member_name(b, "method");
	json_builder_add_string_value(b, "brom-read32");
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	json_generator_set_root(gen, root);
	text = json_generator_to_data(gen, NULL);
	g_file_set_contents(record_path, text, -1, &error);
	g_assert_no_error(error);
	return g_steal_pointer(&dir);
}

/**
 * wf_test_make_dump:
 *
 * Returns: (transfer full): a raw full-flash image file
 */
gchar *
wf_test_make_dump(const gchar *name, const WfSimImageSpec *spec)
{
	gchar *path = wf_test_tmp_path(name);
	g_autoptr(GBytes) image = wf_test_build(spec);
	wf_test_write_bytes(path, image);
	return path;
}

/**
 * wf_test_make_rom:
 *
 * Returns: (transfer full): the MAUI ROM file of @spec's image
 */
gchar *
wf_test_make_rom(const gchar *name, const WfSimImageSpec *spec)
{
	gchar *path = wf_test_tmp_path(name);
	g_autoptr(GBytes) image = wf_test_build(spec);
	g_autoptr(GBytes) rom = NULL;
	g_autoptr(GError) error = NULL;
	WfSimImageLayout layout;

	g_assert_true(wf_sim_image_get_layout(spec, &layout, &error));
	g_assert_no_error(error);
	rom = g_bytes_new_from_bytes(image, layout.rom_offset, layout.rom_len);
	wf_test_write_bytes(path, rom);
	return path;
}

/**
 * wf_test_make_package:
 *
 * Returns: (transfer full): a package folder split from @spec's image
 */
gchar *
wf_test_make_package(const gchar *name, const WfSimImageSpec *spec)
{
	gchar *dir = wf_test_tmp_path(name);
	g_autoptr(GBytes) image = wf_test_build(spec);
	g_autoptr(WfDump) dump = NULL;
	g_autoptr(GError) error = NULL;

	dump = wf_dump_new_from_bytes(image, &error);
	g_assert_no_error(error);
	g_assert_true(wf_dump_split(dump, dir, &error));
	g_assert_no_error(error);
	return dir;
}

gchar *
wf_test_write_file(const gchar *name, const gchar *contents)
{
	gchar *path = wf_test_tmp_path(name);
	g_autoptr(GError) error = NULL;
	g_file_set_contents(path, contents, -1, &error);
	g_assert_no_error(error);
	return path;
}

/**
 * wf_test_write_user_profile:
 *
 * Returns: (transfer full): @name written into $XDG_DATA_HOME/wristflash/profiles
 */
gchar *
wf_test_write_user_profile(const gchar *name, const gchar *json)
{
	g_autofree gchar *dir = wf_profile_db_get_user_dir();
	gchar *path = g_build_filename(dir, name, NULL);
	g_autoptr(GError) error = NULL;

	g_assert_cmpint(g_mkdir_with_parents(dir, 0700), ==, 0);
	g_file_set_contents(path, json, -1, &error);
	g_assert_no_error(error);
	return path;
}

/* the shipped profiles plus the user's, as the CLI loads them */
WfProfileDb *
wf_test_load_db(void)
{
	g_autoptr(WfProfileDb) db = wf_profile_db_new();
	g_autoptr(GError) error = NULL;
	g_assert_true(wf_profile_db_load_default(db, &error));
	g_assert_no_error(error);
	return g_steal_pointer(&db);
}

gboolean
wf_test_strv_has(GPtrArray *lines, const gchar *needle)
{
	for (guint i = 0; i < lines->len; i++) {
		if (strstr(g_ptr_array_index(lines, i), needle) != NULL)
			return TRUE;
	}
	return FALSE;
}

gchar *
wf_test_data_path(const gchar *subdir, const gchar *name)
{
	const gchar *dir = g_getenv("WF_TESTDATA_DIR");
	g_assert_nonnull(dir);
	return g_build_filename(dir, subdir, name, NULL);
}
