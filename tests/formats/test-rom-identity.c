/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "wf-error.h"
#include "wf-formats-test.h"
#include "wf-rom-identity.h"
#include "wf-sim-image.h"

/* code-like filler that never forms printable runs of 6 or more */
static void
append_filler(GByteArray *buf, gsize len)
{
	for (gsize i = 0; i < len; i++) {
		guint8 b = (guint8)((i * 37 + 11) & 0xFF);
		if (i % 4 == 3)
			b = 0x00;
		g_byte_array_append(buf, &b, 1);
	}
}

static void
append_strings(GByteArray *buf, const gchar *const *strv)
{
	guint8 nul[4] = {0};
	g_byte_array_append(buf, nul, 4);
	for (guint i = 0; strv[i] != NULL; i++)
		g_byte_array_append(buf, (const guint8 *)strv[i], strlen(strv[i]) + 1);
	g_byte_array_append(buf, nul, 4);
}

/* lines of the "strings -n 8 ROM" sample */
static gchar **
load_sim868_strings(void)
{
	g_autofree gchar *text =
		wf_test_load_text("strings", "mt6261_sim868_rom_identity_strings.txt");
	g_strchomp(text);
	return g_strsplit(text, "\n", -1);
}

/* a ROM as SIM868's is laid out: GFH chain, code, ROMINFO at 0x8C0, code,
 * the identity strings, code */
static GBytes *
build_sim868_rom(const guint8 *gfh, gsize gfh_len)
{
	g_autoptr(GBytes) rominfo =
		wf_test_load("headers", "mt6261_sim868_ROM_mtk_rominfo_v09.bin");
	g_auto(GStrv) strv = load_sim868_strings();
	g_autoptr(GByteArray) buf = g_byte_array_new();

	g_byte_array_append(buf, gfh, gfh_len);
	append_filler(buf, 0x8C0 - buf->len);
	g_byte_array_append(buf, g_bytes_get_data(rominfo, NULL), g_bytes_get_size(rominfo));
	append_filler(buf, 0x4000);
	append_strings(buf, (const gchar *const *)strv);
	append_filler(buf, 0x1000);
	return g_bytes_new(buf->data, buf->len);
}

static GBytes *
build_sim868_rom_default(void)
{
	g_autoptr(GBytes) gfh = wf_test_load("headers", "mt6261_sim868_ROM_gfh.bin");
	return build_sim868_rom(g_bytes_get_data(gfh, NULL), g_bytes_get_size(gfh));
}

static void
test_rom_identity_sim868(void)
{
	g_autoptr(GBytes) rom = build_sim868_rom_default();
	g_autoptr(GError) error = NULL;
	g_autoptr(WfRomIdentity) id = wf_rom_identity_new_from_bytes(rom, &error);
	g_autoptr(JsonNode) json = NULL;
	g_autofree gchar *json_str = NULL;
	WfGfh *gfh;

	g_assert_no_error(error);
	g_assert_cmpstr(wf_rom_identity_get_bin_name(id),
			==,
			"SIM868M32_EAT_PCB01_gprs_MT6261_S00.1418B01SIM868M32_EAT.bin");
	g_assert_cmpint(wf_rom_identity_get_source(id, WF_ROM_IDENTITY_FIELD_BIN_NAME),
			==,
			WF_ROM_IDENTITY_SOURCE_GFH);
	g_assert_cmpstr(wf_rom_identity_get_verno(id), ==, "1418B01SIM868M32_EAT");
	g_assert_cmpint(wf_rom_identity_get_source(id, WF_ROM_IDENTITY_FIELD_VERNO),
			==,
			WF_ROM_IDENTITY_SOURCE_GFH);
	g_assert_cmpstr(wf_rom_identity_get_platform(id), ==, "MT6261");
	g_assert_cmpstr(
		wf_rom_identity_get(id, WF_ROM_IDENTITY_FIELD_PLATFORM_TAG), ==, "MT6261PRO");
	g_assert_cmpstr(wf_rom_identity_get_hw_ver(id), ==, "SIMCOM03D_MOD_11C_HW");
	g_assert_cmpstr(wf_rom_identity_get_build_date(id), ==, "2017/01/10 10:05");
	g_assert_cmpstr(wf_rom_identity_get_branch(id), ==, "11C");
	g_assert_cmpstr(wf_rom_identity_get_project(id), ==, "SIM868M32_EAT");
	g_assert_cmpstr(wf_rom_identity_get(id, WF_ROM_IDENTITY_FIELD_MMI_BASE), ==, "PLUTO_MMI");
	g_assert_cmpint(wf_rom_identity_get_source(id, WF_ROM_IDENTITY_FIELD_HW_VER),
			==,
			WF_ROM_IDENTITY_SOURCE_STRINGS);
	g_assert_cmpuint(wf_rom_identity_get_rom_offset(id), ==, 0);
	g_assert_cmpuint(wf_rom_identity_get_rominfo_offset(id), ==, 0x8C0);
	g_assert_cmpstr(wf_rom_identity_get_rominfo_version(id), ==, "v09");
	g_assert_null(wf_rom_identity_get_boot_header(id));
	/* GFH and ROMINFO agree (the bin names differ in case only) */
	g_assert_cmpuint(wf_rom_identity_get_warnings(id)->len, ==, 0);
	gfh = wf_rom_identity_get_rom_gfh(id);
	g_assert_nonnull(gfh);
	g_assert_cmpuint(wf_gfh_get_cmem_ids(gfh)->len, ==, 6);

	json = wf_rom_identity_to_json(id);
	json_str = wf_test_json_to_string(json);
	g_assert_nonnull(strstr(json_str, "\"hw_ver\" : \"strings\""));
	g_assert_nonnull(strstr(json_str, "\"platform\" : \"bin-name\""));
	g_assert_nonnull(strstr(json_str, "\"offset\" : \"0x8C0\""));
	g_assert_nonnull(strstr(json_str, "\"jedec_id\" : \"C8 60 16\""));
}

static void
test_rom_identity_rominfo_only(void)
{
	/* the ROMINFO block alone: upper-case bin name */
	g_autoptr(GBytes) blob = wf_test_load("headers", "mt6261_sim868_ROM_mtk_rominfo_v09.bin");
	g_autoptr(GError) error = NULL;
	g_autoptr(WfRomIdentity) id = wf_rom_identity_new_from_bytes(blob, &error);

	g_assert_no_error(error);
	g_assert_cmpuint(wf_rom_identity_get_rom_offset(id), ==, G_MAXSIZE);
	g_assert_cmpuint(wf_rom_identity_get_rominfo_offset(id), ==, 0);
	g_assert_cmpstr(wf_rom_identity_get_bin_name(id),
			==,
			"SIM868M32_EAT_PCB01_GPRS_MT6261_S00.1418B01SIM868M32_EAT.BIN");
	g_assert_cmpint(wf_rom_identity_get_source(id, WF_ROM_IDENTITY_FIELD_BIN_NAME),
			==,
			WF_ROM_IDENTITY_SOURCE_ROMINFO);
	g_assert_cmpstr(wf_rom_identity_get_verno(id), ==, "1418B01SIM868M32_EAT");
	g_assert_cmpstr(wf_rom_identity_get_platform(id), ==, "MT6261");
	/* the block is the only thing in there: no warnings, no header block */
	g_assert_cmpuint(wf_rom_identity_get_warnings(id)->len, ==, 0);
	g_assert_nonnull(wf_rom_identity_get_boot_header(id));
	g_assert_cmpint(wf_boot_header_get_state(wf_rom_identity_get_boot_header(id)),
			==,
			WF_BOOT_HEADER_STATE_NONE);
}

/* "Key: value" lines of the Altice F2 identity notes */
static gchar *
altice_value(const gchar *text, const gchar *key)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		if (g_str_has_prefix(lines[i], key) && lines[i][strlen(key)] == ':')
			return g_strstrip(g_strdup(lines[i] + strlen(key) + 1));
	}
	g_error("no %s in the Altice notes", key);
	return NULL;
}

static void
test_rom_identity_strings_only(void)
{
	g_autofree gchar *text = wf_test_load_text("strings", "altice_f2_mt6261_identity.txt");
	g_autofree gchar *bin_name = altice_value(text, "Bin name");
	g_autofree gchar *hw = altice_value(text, "HW string");
	g_autofree gchar *date = altice_value(text, "Build time");
	const gchar *strv[] = {"some other text", bin_name, hw, "not 2018/10/23", date, NULL};
	g_autoptr(GByteArray) buf = g_byte_array_new();
	g_autoptr(GBytes) blob = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(WfRomIdentity) id = NULL;

	append_filler(buf, 0x3000);
	append_strings(buf, strv);
	append_filler(buf, 0x100);
	blob = g_bytes_new(buf->data, buf->len);
	id = wf_rom_identity_new_from_bytes(blob, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(wf_rom_identity_get_rom_offset(id), ==, G_MAXSIZE);
	g_assert_null(wf_rom_identity_get_rom_gfh(id));
	g_assert_cmpstr(
		wf_rom_identity_get_bin_name(id),
		==,
		"DL188_GX1882_NIKITI_PCB01_gsm_MT6261_S00.ALTICE_F2_DS_V02_1_181023_MP.bin");
	g_assert_cmpint(wf_rom_identity_get_source(id, WF_ROM_IDENTITY_FIELD_BIN_NAME),
			==,
			WF_ROM_IDENTITY_SOURCE_STRINGS);
	g_assert_cmpstr(wf_rom_identity_get_platform(id), ==, "MT6261");
	g_assert_cmpstr(wf_rom_identity_get_verno(id), ==, "ALTICE_F2_DS_V02_1_181023_MP");
	g_assert_cmpint(wf_rom_identity_get_source(id, WF_ROM_IDENTITY_FIELD_VERNO),
			==,
			WF_ROM_IDENTITY_SOURCE_BIN_NAME);
	g_assert_cmpstr(wf_rom_identity_get_hw_ver(id), ==, "SAGETEL61M_11C_HW");
	g_assert_cmpstr(wf_rom_identity_get_build_date(id), ==, "2018/10/23 09:22");
	g_assert_null(wf_rom_identity_get_branch(id));
}

static void
test_rom_identity_branch_strings(void)
{
	const gchar *strv[] = {"11CW1418IOTMP GXQ03D_M2M_11C",
			       "GXQ03D_M2M_11C_HW",
			       "MAUI.11C.W14.18.IOT.MP.V1.F12",
			       "MT6261",
			       "COSMOS_MMI_X",
			       "2099/13/01 10:00",
			       NULL};
	g_autoptr(GByteArray) buf = g_byte_array_new();
	g_autoptr(GBytes) blob = NULL;
	g_autoptr(WfRomIdentity) id = NULL;

	append_filler(buf, 0x100);
	append_strings(buf, strv);
	blob = g_bytes_new(buf->data, buf->len);
	id = wf_rom_identity_new_from_bytes(blob, NULL);
	g_assert_nonnull(id);
	g_assert_cmpstr(wf_rom_identity_get_branch(id), ==, "11CW1418IOTMP");
	g_assert_cmpstr(wf_rom_identity_get_project(id), ==, "GXQ03D_M2M_11C");
	g_assert_cmpstr(wf_rom_identity_get_hw_ver(id), ==, "GXQ03D_M2M_11C_HW");
	g_assert_cmpstr(wf_rom_identity_get_platform(id), ==, "MT6261");
	/* "COSMOS_MMI_X" is not an MMI base, month 13 is not a date */
	g_assert_null(wf_rom_identity_get(id, WF_ROM_IDENTITY_FIELD_MMI_BASE));
	g_assert_null(wf_rom_identity_get_build_date(id));
	g_assert_null(wf_rom_identity_get_bin_name(id));
}

static void
test_rom_identity_bin_names(void)
{
	g_autofree gchar *readme = wf_test_load_text("strings", "dz09_mediatekinfo_readme.txt");
	g_autofree gchar *listing = wf_test_load_text("listings", "maui_firmware_name_samples.tsv");
	g_auto(GStrv) lines = g_strsplit(listing, "\n", -1);
	const gchar *stock = strstr(readme, "GPLUS61A_11C_NX9_PCB01");
	g_autofree gchar *stock_name = NULL;
	g_autofree gchar *platform = NULL;
	g_autofree gchar *verno = NULL;
	guint n_maui = 0;

	g_assert_nonnull(stock);
	stock_name = g_strstrip(g_strndup(stock, strcspn(stock, "\r\n")));
	g_assert_true(wf_rom_identity_split_bin_name(stock_name, &platform, &verno));
	g_assert_cmpstr(platform, ==, "MT6261");
	g_assert_cmpstr(verno, ==, "NX9_V2_1_YJLNS1_64_T1_L3_C4_G4_B_20151212");

	/* every concrete MAUI bin name in the listing splits */
	for (guint i = 0; lines[i] != NULL; i++) {
		g_auto(GStrv) cols = g_strsplit(lines[i], "\t", -1);
		g_autofree gchar *p = NULL;
		g_autofree gchar *v = NULL;
		if (g_strv_length(cols) < 2 || !g_str_has_prefix(cols[1], "MAUI bin"))
			continue;
		if (strchr(cols[0], '<') != NULL)
			continue;
		g_assert_true(wf_rom_identity_split_bin_name(cols[0], &p, &v));
		g_assert_true(g_str_has_prefix(p, "MT626"));
		g_assert_false(g_str_has_suffix(v, ".bin"));
		n_maui++;
		if (g_str_has_prefix(cols[0], "GINWAVE60A")) {
			g_assert_cmpstr(p, ==, "MT6260");
			g_assert_cmpstr(v, ==, "T31_ZX_PH05_DCAMGC032ABF20A6_60A_V48_20231030");
		}
	}
	g_assert_cmpuint(n_maui, >=, 4);

	/* shapes that are not bin names */
	g_assert_false(wf_rom_identity_split_bin_name("SIM868M32_EAT_BOOTLOADER.bin", NULL, NULL));
	g_assert_false(wf_rom_identity_split_bin_name("X_gprs_MT62_S00.V.bin", NULL, NULL));
	g_assert_false(wf_rom_identity_split_bin_name("X_gprs_MT6261_S00.bin", NULL, NULL));
	g_assert_false(wf_rom_identity_split_bin_name("X_gprs_MT6261_.V", NULL, NULL));
	g_assert_false(wf_rom_identity_split_bin_name("X_gprs_MT6261S00.V", NULL, NULL));
	g_assert_false(wf_rom_identity_split_bin_name("a b_gprs_MT6261_S00.V", NULL, NULL));
	g_assert_false(wf_rom_identity_split_bin_name("X_gprs_MT6261_S00", NULL, NULL));
}

static void
test_rom_identity_broken_gfh(void)
{
	g_autoptr(GBytes) gfh = wf_test_load("headers", "mt6261_sim868_ROM_gfh.bin");
	g_autofree guint8 *copy = g_memdup2(g_bytes_get_data(gfh, NULL), g_bytes_get_size(gfh));
	g_autoptr(GBytes) rom = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(WfRomIdentity) id = NULL;

	/* MAUI_INFO with size 0: the chain is unusable, the strings are not */
	wf_test_put16(copy + 0x3C, 0);
	rom = build_sim868_rom(copy, g_bytes_get_size(gfh));
	id = wf_rom_identity_new_from_bytes(rom, &error);
	g_assert_no_error(error);
	g_assert_null(wf_rom_identity_get_rom_gfh(id));
	g_assert_true(g_str_has_prefix(g_ptr_array_index(wf_rom_identity_get_warnings(id), 0),
				       "ROM GFH: offset 0x38"));
	/* ROMINFO now gives the (upper-case) bin name */
	g_assert_cmpint(wf_rom_identity_get_source(id, WF_ROM_IDENTITY_FIELD_BIN_NAME),
			==,
			WF_ROM_IDENTITY_SOURCE_ROMINFO);
	g_assert_cmpstr(wf_rom_identity_get_hw_ver(id), ==, "SIMCOM03D_MOD_11C_HW");
}

static void
test_rom_identity_disagreement(void)
{
	g_autoptr(GBytes) gfh = wf_test_load("headers", "mt6261_sim868_ROM_gfh.bin");
	g_autofree guint8 *copy = g_memdup2(g_bytes_get_data(gfh, NULL), g_bytes_get_size(gfh));
	g_autoptr(GBytes) rom = NULL;
	g_autoptr(WfRomIdentity) id = NULL;
	GPtrArray *warnings;

	/* a patched MAUI_INFO VERNO ("1418B01…" → "2418B01…") */
	copy[0xC0] = '2';
	rom = build_sim868_rom(copy, g_bytes_get_size(gfh));
	id = wf_rom_identity_new_from_bytes(rom, NULL);
	g_assert_nonnull(id);
	g_assert_cmpstr(wf_rom_identity_get_verno(id), ==, "2418B01SIM868M32_EAT");
	warnings = wf_rom_identity_get_warnings(id);
	g_assert_cmpuint(warnings->len, ==, 1);
	g_assert_nonnull(strstr(g_ptr_array_index(warnings, 0),
				"MAUI_INFO VERNO ‘2418B01SIM868M32_EAT’ differs from MTK_ROMINFO"));
}

static void
test_rom_identity_nothing(void)
{
	g_autoptr(GByteArray) buf = g_byte_array_new();
	g_autoptr(GBytes) blob = NULL;
	g_autoptr(GBytes) empty = g_bytes_new_static("", 0);
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) error2 = NULL;
	g_autoptr(WfRomIdentity) id = wf_rom_identity_new();

	append_filler(buf, 0x10000);
	blob = g_bytes_new(buf->data, buf->len);
	g_assert_false(wf_rom_identity_parse(id, blob, &error));
	wf_test_assert_error(error, WF_ERROR, WF_ERROR_NOT_FOUND, "no MAUI build identity found");
	g_assert_null(wf_rom_identity_get_platform(id));
	g_assert_false(wf_rom_identity_parse(id, empty, &error2));
	g_assert_error(error2, WF_ERROR, WF_ERROR_NOT_FOUND);
}

static void
test_rom_identity_too_large(void)
{
	gsize size = WF_ROM_IDENTITY_MAX_SIZE + 1;
	/* calloc'd pages are never touched: the size check comes first */
	g_autoptr(GBytes) blob = g_bytes_new_take(g_malloc0(size), size);
	g_autoptr(GError) error = NULL;
	g_autoptr(WfRomIdentity) id = wf_rom_identity_new_from_bytes(blob, &error);
	g_assert_null(id);
	wf_test_assert_error(error, WF_ERROR, WF_ERROR_INVALID_FILE, "larger than any watch flash");
}

/* -- cross-check against the simulator's independent image writer ------------------------ */

static void
assert_sim_dump(const WfSimImageSpec *spec, GBytes *img, gboolean header_expected)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(WfRomIdentity) id = wf_rom_identity_new_from_bytes(img, &error);
	WfSimImageLayout layout;
	WfGfh *gfh;
	GArray *ids;
	gboolean own_id = FALSE;
	guint32 fs_base = 0;
	guint32 fs_size = 0;
	g_autofree gchar *hw = g_strdup_printf("%s_HW", spec->project);

	g_assert_no_error(error);
	g_assert_true(wf_sim_image_get_layout(spec, &layout, NULL));
	g_assert_cmpuint(wf_rom_identity_get_rom_offset(id), ==, layout.rom_offset);
	g_assert_cmpstr(wf_rom_identity_get_platform(id), ==, spec->platform);
	g_assert_cmpstr(wf_rom_identity_get_verno(id), ==, spec->verno);
	g_assert_cmpint(wf_rom_identity_get_source(id, WF_ROM_IDENTITY_FIELD_VERNO),
			==,
			WF_ROM_IDENTITY_SOURCE_GFH);
	g_assert_cmpstr(wf_rom_identity_get_branch(id), ==, spec->branch);
	g_assert_cmpstr(wf_rom_identity_get_project(id), ==, spec->project);
	g_assert_cmpstr(wf_rom_identity_get_hw_ver(id), ==, hw);
	g_assert_cmpstr(wf_rom_identity_get_build_date(id), ==, spec->build_date);
	g_assert_cmpstr(wf_rom_identity_get(id, WF_ROM_IDENTITY_FIELD_MMI_BASE), ==, "PLUTO_MMI");
	g_assert_cmpuint(wf_rom_identity_get_rominfo_offset(id), ==, layout.rom_offset + 0x8C0);
	g_assert_cmpuint(wf_rom_identity_get_warnings(id)->len, ==, 0);

	gfh = wf_rom_identity_get_rom_gfh(id);
	g_assert_cmphex(wf_gfh_get_file_info(gfh)->load_addr, ==, 0x10000000 + layout.rom_offset);
	g_assert_cmphex(wf_gfh_get_file_info(gfh)->file_len, ==, layout.rom_len);
	g_assert_true(wf_gfh_get_fs_region(gfh, &fs_base, &fs_size));
	g_assert_cmphex(fs_base, ==, layout.fs_offset);
	g_assert_cmphex(fs_size, ==, layout.fs_len);
	ids = wf_gfh_get_cmem_ids(gfh);
	for (guint i = 0; i < ids->len; i++) {
		if (memcmp(g_array_index(ids, WfGfhCmemId, i).id, spec->jedec, 3) == 0)
			own_id = TRUE;
	}
	g_assert_true(own_id);

	if (header_expected) {
		WfBootHeader *hdr = wf_rom_identity_get_boot_header(id);
		GArray *bls = wf_boot_header_get_bls(hdr);
		g_assert_cmpint(wf_boot_header_get_state(hdr), ==, WF_BOOT_HEADER_STATE_VALID);
		g_assert_cmpuint(wf_boot_header_get_warnings(hdr)->len, ==, 0);
		g_assert_cmphex(wf_boot_header_get_boot_style(hdr), ==, 0x407);
		g_assert_cmphex(wf_boot_header_get_main_region_addr(hdr), ==, layout.rom_offset);
		g_assert_cmpuint(bls->len, ==, 2);
		g_assert_cmphex(g_array_index(bls, WfBootHeaderBl, 0).begin, ==, layout.bl_offset);
		g_assert_cmphex(g_array_index(bls, WfBootHeaderBl, 0).boundary,
				==,
				layout.bl_offset + layout.bl_len);
		g_assert_cmphex(
			g_array_index(bls, WfBootHeaderBl, 1).begin, ==, layout.ext_bl_offset);
	} else {
		g_assert_cmpint(wf_boot_header_get_state(wf_rom_identity_get_boot_header(id)),
				==,
				WF_BOOT_HEADER_STATE_ERASED);
	}
}

static void
assert_sim_viva(const WfSimImageSpec *spec, GBytes *img)
{
	WfSimImageLayout layout;
	g_autoptr(GError) error = NULL;
	g_autoptr(WfGfh) gfh = NULL;
	g_autoptr(GBytes) payload = wf_sim_image_get_zimage_payload(spec);
	GArray *parts;
	WfGfhZimagePartition *part;

	g_assert_true(wf_sim_image_get_layout(spec, &layout, NULL));
	g_assert_cmpuint(wf_gfh_scan(g_bytes_get_data(img, NULL),
				     g_bytes_get_size(img),
				     layout.rom_offset,
				     4,
				     WF_GFH_FILE_VIVA),
			 ==,
			 layout.viva_offset);
	gfh = wf_gfh_new_from_bytes(img, layout.viva_offset, &error);
	g_assert_no_error(error);
	g_assert_true(wf_gfh_parse_viva(gfh, img, &error));
	g_assert_no_error(error);
	g_assert_cmphex(wf_gfh_get_viva_info(gfh)->viva_base, ==, 0x10000000 + layout.viva_offset);
	parts = wf_gfh_get_zimage(gfh);
	g_assert_nonnull(parts);
	g_assert_cmpuint(parts->len, >=, 1);
	part = &g_array_index(parts, WfGfhZimagePartition, 0);
	g_assert_true(part->has_lzma);
	g_assert_cmpuint(part->lzma_unpacked_size, ==, g_bytes_get_size(payload));
}

static void
test_rom_identity_sim_image(void)
{
	const guint8 jedec[3] = {0xC8, 0x60, 0x17};
	const guint8 me_id[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
	WfSimImageSpec spec;
	g_autoptr(GBytes) img = NULL;
	g_autoptr(GBytes) bricked = NULL;
	g_autoptr(GError) error = NULL;

	wf_sim_image_spec_init(&spec, 8 * WF_SIM_IMAGE_MIB, jedec, me_id);
	spec.branch = "11BW1308MP";
	spec.project = "GINWAVE60A_11B";
	spec.platform = "MT6260";
	spec.verno = "T31_ZX_PH05_V48_20231030";
	spec.build_date = "2023/10/30 12:34";
	img = wf_sim_image_build(&spec, &error);
	g_assert_no_error(error);
	assert_sim_dump(&spec, img, TRUE);
	assert_sim_viva(&spec, img);

	/* a "bricked" watch: no header block, the ROM is found by scanning */
	spec.include_header_block = FALSE;
	bricked = wf_sim_image_build(&spec, &error);
	g_assert_no_error(error);
	assert_sim_dump(&spec, bricked, FALSE);
}

static void
test_rom_identity_sim_default(void)
{
	const guint8 jedec[3] = {0xEF, 0x40, 0x16};
	const guint8 me_id[16] = {0};
	WfSimImageSpec spec;
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) img =
		wf_sim_image_build_default(4 * WF_SIM_IMAGE_MIB, jedec, me_id, &error);

	g_assert_no_error(error);
	wf_sim_image_spec_init(&spec, 4 * WF_SIM_IMAGE_MIB, jedec, me_id);
	assert_sim_dump(&spec, img, TRUE);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_test_add_func("/formats/rom-identity/sim868", test_rom_identity_sim868);
	g_test_add_func("/formats/rom-identity/rominfo-only", test_rom_identity_rominfo_only);
	g_test_add_func("/formats/rom-identity/strings-only", test_rom_identity_strings_only);
	g_test_add_func("/formats/rom-identity/branch-strings", test_rom_identity_branch_strings);
	g_test_add_func("/formats/rom-identity/bin-names", test_rom_identity_bin_names);
	g_test_add_func("/formats/rom-identity/broken-gfh", test_rom_identity_broken_gfh);
	g_test_add_func("/formats/rom-identity/disagreement", test_rom_identity_disagreement);
	g_test_add_func("/formats/rom-identity/nothing", test_rom_identity_nothing);
	g_test_add_func("/formats/rom-identity/too-large", test_rom_identity_too_large);
	g_test_add_func("/formats/rom-identity/sim-image", test_rom_identity_sim_image);
	g_test_add_func("/formats/rom-identity/sim-default", test_rom_identity_sim_default);
	return g_test_run();
}
