/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "wf-da-file.h"
#include "wf-error.h"
#include "wf-test-da.h"

/* three chips, as a real all-in-one file mixes them */
static const WfTestDaEntry three_chips[] = {
	{.hw_code = 0x6260,
	 .hw_sub_code = 0x8000,
	 .hw_version = 0xCA00,
	 .stage1_len = 0x200,
	 .stage2_len = 0x800,
	 .stage1_sig_len = 0x100,
	 .stage2_sig_len = 0x100,
	 .n_records = 3},
	{.hw_code = 0x6261,
	 .hw_sub_code = 0x8000,
	 .hw_version = 0xCB01,
	 .sw_version = 0x0001,
	 .region_index = 1,
	 .stage1_len = 0x434,
	 .stage2_len = 0x1000,
	 .stage1_sig_len = 0x100,
	 .stage2_sig_len = 0x100,
	 .n_records = 5},
	{.hw_code = 0x2523,
	 .hw_version = 0xCA00,
	 .stage1_len = 0x100,
	 .stage2_len = 0x200,
	 .n_records = 2},
};

static WfDaFile *
parse_ok(GBytes *blob)
{
	g_autoptr(GError) error = NULL;
	WfDaFile *file = wf_da_file_new_from_bytes(blob, NULL, &error);

	g_assert_no_error(error);
	g_assert_nonnull(file);
	return file;
}

static void
check_region_bytes(WfDaFile *file, const WfDaRegion *region, guint32 seed)
{
	g_autoptr(GBytes) got = wf_da_file_get_region_bytes(file, region);
	g_autoptr(GBytes) want = wf_test_da_random_bytes(region->length, seed);

	g_assert_nonnull(got);
	g_assert_true(g_bytes_equal(got, want));
}

static void
test_new_format(void)
{
	g_autoptr(GBytes) blob = wf_test_da_container(three_chips, 3, FALSE);
	g_autoptr(WfDaFile) file = parse_ok(blob);
	g_autoptr(GError) error = NULL;
	const WfDaEntry *entry;

	g_assert_cmpint(wf_da_file_get_kind(file), ==, WF_DA_FILE_KIND_ALL_IN_ONE);
	g_assert_cmpuint(wf_da_file_get_entry_size(file), ==, WF_DA_FILE_ENTRY_SIZE_NEW);
	g_assert_cmpuint(wf_da_file_get_n_entries(file), ==, 3);
	g_assert_cmpstr(wf_da_file_get_identifier(file), ==, "MTK_DOWNLOAD_AGENT");
	g_assert_cmpstr(wf_da_file_get_build(file), ==, "MTK_AllInOne_DA_v3.3001.00.00");

	entry = wf_da_file_select(file, 0x6261, 0x8000, 0xCB01, 0x0001, &error);
	g_assert_no_error(error);
	g_assert_nonnull(entry);
	g_assert_cmpuint(entry->index, ==, 1);
	g_assert_cmphex(entry->hw_code, ==, 0x6261);
	g_assert_cmphex(entry->hw_version, ==, 0xCB01);
	g_assert_cmphex(entry->sw_version, ==, 0x0001);
	g_assert_cmpuint(entry->page_size, ==, 0x200);
	g_assert_null(entry->problem);
	/* region_index 1: stage 1 is regions[1], not regions[0] */
	g_assert_cmpuint(entry->region_index, ==, 1);
	g_assert_cmphex(wf_da_entry_get_stage1(entry)->load_addr, ==, 0x70007000);
	g_assert_cmpuint(wf_da_entry_get_stage1(entry)->length, ==, 0x434);
	g_assert_cmpuint(wf_da_entry_get_stage1(entry)->sig_len, ==, 0x100);
	g_assert_cmphex(wf_da_entry_get_stage2(entry)->load_addr, ==, 0x10020000);
	g_assert_cmpuint(wf_da_entry_get_stage2(entry)->length, ==, 0x1000);
	g_assert_cmpuint(wf_da_file_get_n_flash_records(file, entry), ==, 5);
	check_region_bytes(file, wf_da_entry_get_stage1(entry), 0x1001);
	check_region_bytes(file, wf_da_entry_get_stage2(entry), 0x2001);

	/* the MT6260 entry's stages are its own */
	entry = wf_da_file_select(file, 0x6260, 0x8000, 0xCA01, 0x0000, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(entry->index, ==, 0);
	check_region_bytes(file, wf_da_entry_get_stage2(entry), 0x2000);
}

static void
test_old_format(void)
{
	g_autoptr(GBytes) blob = wf_test_da_container(three_chips, 3, TRUE);
	g_autoptr(WfDaFile) file = parse_ok(blob);
	g_autoptr(GError) error = NULL;
	const WfDaEntry *entry;

	g_assert_cmpuint(wf_da_file_get_entry_size(file), ==, WF_DA_FILE_ENTRY_SIZE_OLD);
	g_assert_cmpuint(wf_da_file_get_n_entries(file), ==, 3);
	entry = wf_da_file_get_entry(file, 1);
	g_assert_cmphex(entry->hw_code, ==, 0x6261);
	g_assert_cmphex(entry->hw_sub_code, ==, 0x8000);
	g_assert_cmphex(entry->hw_version, ==, 0xCB01);
	/* the old format has no sw_version */
	g_assert_cmphex(entry->sw_version, ==, 0);
	g_assert_cmpuint(entry->page_size, ==, 0x200);
	g_assert_cmpuint(entry->region_index, ==, 1);
	g_assert_cmpuint(wf_da_entry_get_stage1(entry)->length, ==, 0x434);
	g_assert_cmpuint(wf_da_file_get_n_flash_records(file, entry), ==, 5);
	check_region_bytes(file, wf_da_entry_get_stage1(entry), 0x1001);

	entry = wf_da_file_select(file, 0x6261, 0x8000, 0xCB01, 0x0001, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(entry->index, ==, 1);
}

static void
test_no_match(void)
{
	/* only MT6260 and MT2523 */
	WfTestDaEntry entries[] = {three_chips[0], three_chips[2]};
	g_autoptr(GBytes) blob = wf_test_da_container(entries, 2, FALSE);
	g_autoptr(WfDaFile) file = parse_ok(blob);
	g_autoptr(GError) error = NULL;
	const WfDaEntry *entry;

	entry = wf_da_file_select(file, 0x6261, 0x8000, 0xCB01, 0x0001, &error);
	g_assert_null(entry);
	g_assert_error(error, WF_ERROR, WF_ERROR_NOT_SUPPORTED);
	g_assert_nonnull(
		strstr(error->message,
		       "this Download Agent file supports MT6260 (0x6260), MT2523 (0x2523)"));
	g_assert_nonnull(strstr(error->message, "the watch is MT6261 hw 0xCB01"));
}

static void
test_version_rules(void)
{
	WfTestDaEntry entries[] = {three_chips[1], three_chips[1], three_chips[1]};
	g_autoptr(GBytes) blob = NULL;
	g_autoptr(WfDaFile) file = NULL;
	g_autoptr(GError) error = NULL;
	const WfDaEntry *entry;

	entries[0].hw_version = 0xCB02; /* newer silicon than the watch */
	entries[1].hw_sub_code = 0x8001;
	entries[2].hw_version = 0xCA00; /* older: fits */
	blob = wf_test_da_container(entries, 3, FALSE);
	file = parse_ok(blob);

	entry = wf_da_file_select(file, 0x6261, 0x8000, 0xCB01, 0x0001, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(entry->index, ==, 2);

	/* the sub code only counts when both sides have one */
	entry = wf_da_file_select(file, 0x6261, 0x8001, 0xCB01, 0x0001, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(entry->index, ==, 1);
	entry = wf_da_file_select(file, 0x6261, 0x0000, 0xCB01, 0x0001, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(entry->index, ==, 1);

	/* an older chip matches nothing, and the error shows the versions */
	entry = wf_da_file_select(file, 0x6261, 0x8000, 0xC000, 0x0001, &error);
	g_assert_null(entry);
	g_assert_error(error, WF_ERROR, WF_ERROR_NOT_SUPPORTED);
	g_assert_nonnull(strstr(error->message, "MT6261 (0x6261) hw 0xCB02"));
	g_assert_nonnull(strstr(error->message, "the watch is MT6261 hw 0xC000"));
	g_clear_error(&error);

	/* sw_version above the chip's */
	entries[2].sw_version = 0x0002;
	g_clear_object(&file);
	g_bytes_unref(blob);
	blob = wf_test_da_container(&entries[2], 1, FALSE);
	file = parse_ok(blob);
	entry = wf_da_file_select(file, 0x6261, 0x8000, 0xCB01, 0x0001, &error);
	g_assert_null(entry);
	g_assert_error(error, WF_ERROR, WF_ERROR_NOT_SUPPORTED);
}

static void
test_truncated(void)
{
	g_autoptr(GBytes) blob = wf_test_da_container(three_chips, 3, FALSE);
	gsize size = g_bytes_get_size(blob);
	const WfDaEntry *entry;

	/* cut inside the entry table: the file is refused */
	{
		g_autoptr(GBytes) cut = g_bytes_new_from_bytes(blob, 0, 0x6C + 0xDC + 10);
		g_autoptr(GError) error = NULL;
		g_autoptr(WfDaFile) file = wf_da_file_new_from_bytes(cut, NULL, &error);
		g_assert_null(file);
		g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_FILE);
		g_assert_nonnull(strstr(error->message, "truncated"));
	}
	/* cut inside the last entry's data: parsed, but that entry is damaged
	 * and selecting it says why */
	{
		g_autoptr(GBytes) cut = g_bytes_new_from_bytes(blob, 0, size - 100);
		g_autoptr(GError) error = NULL;
		g_autoptr(WfDaFile) file = parse_ok(cut);

		entry = wf_da_file_get_entry(file, 2);
		g_assert_nonnull(entry->problem);
		g_assert_null(wf_da_file_get_entry(file, 1)->problem);
		entry = wf_da_file_select(file, 0x2523, 0, 0xCA00, 0, &error);
		g_assert_null(entry);
		g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_FILE);
		g_assert_nonnull(strstr(error->message, "truncated"));
	}
	/* every prefix parses or fails cleanly, never reads out of bounds */
	for (gsize len = 0; len < size; len += (len < 0x300 ? 1 : 97)) {
		g_autoptr(GBytes) cut = g_bytes_new_from_bytes(blob, 0, len);
		g_autoptr(GError) error = NULL;
		g_autoptr(WfDaFile) file = wf_da_file_new_from_bytes(cut, NULL, &error);

		if (file == NULL) {
			g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_FILE);
			continue;
		}
		for (guint i = 0; i < wf_da_file_get_n_entries(file); i++) {
			entry = wf_da_file_get_entry(file, i);
			if (entry->problem == NULL) {
				g_autoptr(GBytes) stage = wf_da_file_get_region_bytes(
					file, wf_da_entry_get_stage2(entry));
				g_assert_nonnull(stage);
			}
		}
	}
}

static void
test_bad_header(void)
{
	g_autoptr(GBytes) blob = wf_test_da_container(three_chips, 1, FALSE);
	gsize size = 0;
	const guint8 *data = g_bytes_get_data(blob, &size);
	struct {
		gsize offset;
		guint8 value;
		const gchar *message;
	} cases[] = {
		{0x00, 'X', "does not start with"},
		{0x64, 0x00, "magic"},
		{0x68, 0x00, "claims 0 entries"},
		{0x6C, 0x00, "0xDADA"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree guint8 *copy = g_memdup2(data, size);
		g_autoptr(GBytes) bad = NULL;
		g_autoptr(GError) error = NULL;
		g_autoptr(WfDaFile) file = NULL;

		copy[cases[i].offset] = cases[i].value;
		bad = g_bytes_new(copy, size);
		file = wf_da_file_new_from_bytes(bad, NULL, &error);
		g_assert_null(file);
		g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_FILE);
		g_assert_nonnull(strstr(error->message, cases[i].message));
	}
}

static void
test_flat(void)
{
	WfDaFlatLayout layout = {0};
	g_autoptr(GBytes) blob = wf_test_da_flat(0x100, 0x300, 4, 500);
	g_autoptr(GError) error = NULL;
	g_autoptr(WfDaFile) file = NULL;
	g_autoptr(GBytes) table = NULL;
	const WfDaEntry *entry;

	g_assert_true(wf_da_flat_layout_parse(
		"stage1=0x100, stage2=768,sig1=0x40,sig2=0x80,hw=0x6261", &layout, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(layout.stage2_len, ==, 768);
	g_assert_cmpuint(layout.table_offset, ==, 0);
	file = wf_da_file_new_from_bytes(blob, &layout, &error);
	g_assert_no_error(error);
	g_assert_cmpint(wf_da_file_get_kind(file), ==, WF_DA_FILE_KIND_FLAT);
	g_assert_cmpuint(wf_da_file_get_n_entries(file), ==, 1);

	entry = wf_da_file_select(file, 0x6261, 0x8000, 0xCB01, 0x0001, &error);
	g_assert_no_error(error);
	g_assert_null(entry->problem);
	g_assert_cmphex(wf_da_entry_get_stage1(entry)->load_addr, ==, WF_DA_STAGE1_ADDR);
	g_assert_cmpuint(wf_da_entry_get_stage1(entry)->sig_len, ==, 0x40);
	g_assert_cmphex(wf_da_entry_get_stage2(entry)->load_addr, ==, WF_DA_STAGE2_ADDR);
	g_assert_cmpuint(wf_da_entry_get_stage2(entry)->offset, ==, 0x100);
	check_region_bytes(file, wf_da_entry_get_stage1(entry), 0x3001);
	check_region_bytes(file, wf_da_entry_get_stage2(entry), 0x3002);
	/* the table stops at its terminator (counted), not at the padding */
	g_assert_cmpuint(wf_da_file_get_n_flash_records(file, entry), ==, 5);
	table = wf_da_file_get_region_bytes(file, wf_da_entry_get_flash_table(entry));
	g_assert_cmpuint(g_bytes_get_size(table), ==, 5 * 36);

	/* the layout names its chip, so another chip is refused */
	entry = wf_da_file_select(file, 0x6260, 0, 0xCA00, 0, &error);
	g_assert_null(entry);
	g_assert_error(error, WF_ERROR, WF_ERROR_NOT_SUPPORTED);
}

static void
test_flat_layouts(void)
{
	WfDaFlatLayout layout = {0};
	g_autoptr(GError) error = NULL;
	const WfDaFlatLayout *wiz = wf_da_flat_layout_get_wiz();

	g_assert_true(wf_da_flat_layout_parse("wiz", &layout, &error));
	g_assert_no_error(error);
	g_assert_cmphex(layout.stage1_len, ==, 0x718);
	g_assert_cmphex(layout.stage2_len, ==, 0x1E5C8);
	g_assert_cmphex(layout.table_offset, ==, 0x1ECE0);
	g_assert_cmpmem(&layout, sizeof(layout), wiz, sizeof(*wiz));

	g_assert_false(wf_da_flat_layout_parse("stage1=0x100,color=red", &layout, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_DATA);
	g_clear_error(&error);
	g_assert_false(wf_da_flat_layout_parse("stage1=0x100", &layout, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_DATA);
	g_clear_error(&error);
	g_assert_false(wf_da_flat_layout_parse("stage1=lots,stage2=1", &layout, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_DATA);
	g_clear_error(&error);

	/* a layout bigger than the file */
	{
		g_autoptr(GBytes) blob = wf_test_da_flat(0x100, 0x300, 4, 0);
		g_autoptr(WfDaFile) file = wf_da_file_new_from_bytes(blob, wiz, &error);
		g_assert_null(file);
		g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_FILE);
	}
}

static void
write_file(const gchar *path, GBytes *blob)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = g_path_get_dirname(path);

	g_assert_cmpint(g_mkdir_with_parents(dir, 0700), ==, 0);
	g_file_set_contents(path, g_bytes_get_data(blob, NULL), g_bytes_get_size(blob), &error);
	g_assert_no_error(error);
}

static void
test_find(void)
{
	g_autoptr(GBytes) blob = wf_test_da_container(three_chips, 1, FALSE);
	g_autoptr(GBytes) junk = wf_test_da_random_bytes(100, 7);
	g_autofree gchar *base = g_build_filename(g_get_user_cache_dir(), "find", NULL);
	g_autofree gchar *pack = g_build_filename(base, "pack", "firmware", NULL);
	g_autofree gchar *cfg = g_build_filename(pack, "MT6261.cfg", NULL);
	g_autofree gchar *user_dir =
		g_build_filename(g_get_user_data_dir(), "wristflash", "da", NULL);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *found = NULL;

	/* nothing anywhere: the error says where to get one */
	g_assert_cmpint(g_mkdir_with_parents(pack, 0700), ==, 0);
	found = wf_da_file_find(cfg, &error);
	g_assert_null(found);
	g_assert_error(error, WF_ERROR, WF_ERROR_NOT_FOUND);
	g_assert_nonnull(strstr(error->message, "every firmware pack"));
	g_assert_nonnull(strstr(error->message, "SP Flash Tool"));
	g_assert_nonnull(strstr(error->message, user_dir));
	g_clear_error(&error);

	/* the user's folder: a container under another name is found by its
	 * magic; a .bin that is not one is not */
	{
		g_autofree gchar *other = g_build_filename(user_dir, "a-not-a-da.bin", NULL);
		g_autofree gchar *mine = g_build_filename(user_dir, "my_da.bin", NULL);
		write_file(other, junk);
		write_file(mine, blob);
		found = wf_da_file_find(cfg, &error);
		g_assert_no_error(error);
		g_assert_cmpstr(found, ==, mine);
		g_clear_pointer(&found, g_free);
	}

	/* one level above the file (the pack's top folder), any letter case */
	{
		g_autofree gchar *up = g_build_filename(base, "pack", "mtk_allinone_da.BIN", NULL);
		write_file(up, blob);
		found = wf_da_file_find(cfg, &error);
		g_assert_no_error(error);
		g_assert_cmpstr(found, ==, up);
		g_clear_pointer(&found, g_free);
	}

	/* right next to it wins */
	{
		g_autofree gchar *next = g_build_filename(pack, "MTK_AllInOne_DA.bin", NULL);
		write_file(next, blob);
		found = wf_da_file_find(cfg, &error);
		g_assert_no_error(error);
		g_assert_cmpstr(found, ==, next);
		g_clear_pointer(&found, g_free);
		/* and the path of a folder works as well as a file in it */
		found = wf_da_file_find(pack, &error);
		g_assert_no_error(error);
		g_assert_cmpstr(found, ==, next);
		g_clear_pointer(&found, g_free);
	}
}

/* a Download Agent named once is found the next time without being named */
static void
test_remember_choice(void)
{
	g_autoptr(GBytes) blob = wf_test_da_container(three_chips, 1, FALSE);
	g_autofree gchar *chosen = g_build_filename(g_get_user_cache_dir(), "dl", "spft.bin", NULL);
	g_autofree gchar *other = g_build_filename(g_get_user_cache_dir(), "dl", "other.bin", NULL);
	g_autofree gchar *link = g_build_filename(
		g_get_user_data_dir(), "wristflash", "da", "MTK_AllInOne_DA.bin", NULL);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *found = NULL;
	g_autofree gchar *target = NULL;

	write_file(chosen, blob);
	write_file(other, blob);
	g_assert_true(wf_da_file_remember_choice(chosen, &error));
	g_assert_no_error(error);
	found = wf_da_file_find(NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(found, ==, link);
	target = g_file_read_link(link, NULL);
	g_assert_cmpstr(target, ==, chosen);
	g_clear_pointer(&target, g_free);

	/* a newer choice replaces the remembered one */
	g_assert_true(wf_da_file_remember_choice(other, &error));
	g_assert_no_error(error);
	target = g_file_read_link(link, NULL);
	g_assert_cmpstr(target, ==, other);
	g_clear_pointer(&target, g_free);

	/* a real file the user copied there is never replaced */
	g_assert_cmpint(g_unlink(link), ==, 0);
	write_file(link, blob);
	g_assert_true(wf_da_file_remember_choice(chosen, &error));
	g_assert_no_error(error);
	g_assert_false(g_file_test(link, G_FILE_TEST_IS_SYMLINK));
}

static void
test_from_path(void)
{
	g_autoptr(GBytes) blob = wf_test_da_container(three_chips, 3, FALSE);
	g_autofree gchar *path =
		g_build_filename(g_get_user_cache_dir(), "MTK_AllInOne_DA.bin", NULL);
	g_autofree gchar *missing = g_build_filename(g_get_user_cache_dir(), "nope.bin", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(WfDaFile) file = NULL;

	write_file(path, blob);
	file = wf_da_file_new_from_path(path, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(wf_da_file_get_path(file), ==, path);
	g_assert_cmpuint(wf_da_file_get_n_entries(file), ==, 3);

	g_assert_null(wf_da_file_new_from_path(missing, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_NOT_FOUND);
}

static void
test_json(void)
{
	g_autoptr(GBytes) blob = wf_test_da_container(three_chips, 3, FALSE);
	g_autoptr(WfDaFile) file = parse_ok(blob);
	g_autoptr(JsonNode) node = wf_da_file_to_json(file);
	JsonObject *root = json_node_get_object(node);
	JsonArray *entries = json_object_get_array_member(root, "entries");
	JsonObject *e1;
	JsonArray *regions;

	g_assert_cmpstr(json_object_get_string_member(root, "kind"), ==, "all-in-one");
	g_assert_cmpint(json_object_get_int_member(root, "entry_size"), ==, 0xDC);
	g_assert_cmpint(json_object_get_int_member(root, "size"), ==, g_bytes_get_size(blob));
	g_assert_cmpuint(json_array_get_length(entries), ==, 3);
	e1 = json_array_get_object_element(entries, 1);
	g_assert_cmpstr(json_object_get_string_member(e1, "chip"), ==, "MT6261");
	g_assert_cmpstr(json_object_get_string_member(e1, "hw_version"), ==, "0xCB01");
	g_assert_true(json_object_get_boolean_member(e1, "feature_phone_usable"));
	g_assert_cmpint(json_object_get_int_member(e1, "flash_table_records"), ==, 5);
	regions = json_object_get_array_member(e1, "regions");
	/* the dummy region 0, stage 1, stage 2, table */
	g_assert_cmpuint(json_array_get_length(regions), ==, 4);
	g_assert_cmpstr(json_object_get_string_member(json_array_get_object_element(regions, 1),
						      "load_address"),
			==,
			"0x70007000");
	g_assert_cmpint(
		json_object_get_int_member(json_array_get_object_element(regions, 2), "length"),
		==,
		0x1000);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_test_add_func("/da-file/new-format", test_new_format);
	g_test_add_func("/da-file/old-format", test_old_format);
	g_test_add_func("/da-file/no-match", test_no_match);
	g_test_add_func("/da-file/version-rules", test_version_rules);
	g_test_add_func("/da-file/truncated", test_truncated);
	g_test_add_func("/da-file/bad-header", test_bad_header);
	g_test_add_func("/da-file/flat", test_flat);
	g_test_add_func("/da-file/flat-layouts", test_flat_layouts);
	g_test_add_func("/da-file/find", test_find);
	g_test_add_func("/da-file/remember-choice", test_remember_choice);
	g_test_add_func("/da-file/from-path", test_from_path);
	g_test_add_func("/da-file/json", test_json);
	return g_test_run();
}
