/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "wf-cfg.h"
#include "wf-error.h"
#include "wf-formats-test.h"

static const guint8 sim868_ids[6][3] = {
	{0xC2, 0x25, 0x36},
	{0xEF, 0x40, 0x16},
	{0xC2, 0x20, 0x16},
	{0xEF, 0x70, 0x16},
	{0xC8, 0x60, 0x16},
	{0xC2, 0x25, 0x38},
};

static WfCfg *
parse_sample(const gchar *name)
{
	g_autoptr(GBytes) blob = wf_test_load("cfg", name);
	g_autoptr(GError) error = NULL;
	WfCfg *cfg = wf_cfg_new_from_bytes(blob, &error);
	g_assert_no_error(error);
	g_assert_nonnull(cfg);
	return cfg;
}

static WfCfg *
parse_text(const gchar *text, GError **error)
{
	g_autoptr(GBytes) blob = wf_test_bytes_from_string(text);
	return wf_cfg_new_from_bytes(blob, error);
}

static void
assert_files(WfCfg *cfg, WfCfgRegion region, const gchar *const *expected)
{
	GPtrArray *files = wf_cfg_get_files(cfg, region);
	g_assert_cmpuint(files->len, ==, g_strv_length((gchar **)expected));
	for (guint i = 0; i < files->len; i++)
		g_assert_cmpstr(g_ptr_array_index(files, i), ==, expected[i]);
}

static void
assert_sim868_emis(WfCfg *cfg)
{
	GPtrArray *emis = wf_cfg_get_emis(cfg);

	g_assert_true(wf_cfg_has_external_memory(cfg));
	g_assert_cmpstr(wf_cfg_get_parameters_version(cfg), ==, "v1");
	g_assert_cmpuint(emis->len, ==, G_N_ELEMENTS(sim868_ids));
	for (guint i = 0; i < emis->len; i++) {
		WfCfgEmi *emi = g_ptr_array_index(emis, i);
		g_assert_cmpstr(emi->flash_type, ==, "SF");
		g_assert_cmpuint(emi->id_length, ==, 3);
		g_assert_cmpmem(emi->flash_id, 3, sim868_ids[i], 3);
		for (guint j = 3; j < 8; j++)
			g_assert_cmpuint(emi->flash_id[j], ==, 0);
		g_assert_cmpstr(emi->memory_type, ==, "PSRAM_130MHz");
		g_assert_cmpstr(emi->emi_setting, ==, "");
		g_assert_cmpuint(emi->extra->len, ==, 0);
	}
}

static void
test_cfg_sim868(void)
{
	g_autoptr(WfCfg) cfg = parse_sample("mt6261_simcom_SIM868M32_EAT.cfg");
	const gchar *boot[] = {"SIM868M32_EAT_BOOTLOADER.bin", "EXT_BOOTLOADER", NULL};
	const gchar *main_files[] = {"ROM", "COREAPI", "VIVA", "app", NULL};
	const gchar *gps[] = {"MT3333.bin", NULL};
	const gchar *none[] = {NULL};

	g_assert_cmpstr(wf_cfg_get_config_version(cfg), ==, "alpha");
	g_assert_cmpstr(wf_cfg_get_platform(cfg), ==, "MT6261");
	g_assert_true(wf_cfg_has_region(cfg, WF_CFG_REGION_BOOT));
	g_assert_cmpstr(wf_cfg_get_alignment(cfg, WF_CFG_REGION_BOOT), ==, "block");
	assert_files(cfg, WF_CFG_REGION_BOOT, boot);
	g_assert_true(wf_cfg_has_region(cfg, WF_CFG_REGION_CONTROL_BLOCK));
	assert_files(cfg, WF_CFG_REGION_CONTROL_BLOCK, none);
	g_assert_cmpstr(wf_cfg_get_alignment(cfg, WF_CFG_REGION_MAIN), ==, "block");
	assert_files(cfg, WF_CFG_REGION_MAIN, main_files);
	g_assert_true(wf_cfg_has_region(cfg, WF_CFG_REGION_GPS_MODULE));
	assert_files(cfg, WF_CFG_REGION_GPS_MODULE, gps);
	g_assert_true(wf_cfg_has_region(cfg, WF_CFG_REGION_FILE_SYSTEM));
	assert_files(cfg, WF_CFG_REGION_FILE_SYSTEM, none);
	g_assert_null(wf_cfg_get_alignment(cfg, WF_CFG_REGION_FILE_SYSTEM));
	assert_sim868_emis(cfg);
	g_assert_cmpuint(wf_cfg_get_extra_sections(cfg)->len, ==, 0);
}

static void
test_cfg_sim868_variants(void)
{
	g_autoptr(WfCfg) cfg1 = parse_sample("mt6261_simcom_1418B01SIM868M32_EAT.cfg");
	g_autoptr(WfCfg) cfg2 = parse_sample("mt6261_simcom_SIM868M32_EAT_core_only.cfg");
	const gchar *main1[] = {"ROM", "COREAPI", "VIVA", NULL};
	const gchar *main2[] = {"ROM", "COREAPI", "VIVA", "appnull", NULL};

	/* the gps_module_region is commented out in both */
	g_assert_false(wf_cfg_has_region(cfg1, WF_CFG_REGION_GPS_MODULE));
	g_assert_false(wf_cfg_has_region(cfg2, WF_CFG_REGION_GPS_MODULE));
	assert_files(cfg1, WF_CFG_REGION_MAIN, main1);
	assert_files(cfg2, WF_CFG_REGION_MAIN, main2);
	assert_sim868_emis(cfg1);
	assert_sim868_emis(cfg2);
}

static void
test_cfg_template_with_linux_region(void)
{
	g_autoptr(WfCfg) cfg = parse_sample("mt6261_ruslanzs_scatter_sample.cfg");
	const gchar *boot[] = {"ARM_BL", "EXT_BOOTLOADER", NULL};
	const gchar *main_files[] = {"ROM", "VIVA", NULL};
	GPtrArray *extra = wf_cfg_get_extra_sections(cfg);
	const gchar *linux_text;

	g_assert_cmpstr(wf_cfg_get_platform(cfg), ==, "MT6261");
	/* trailing "# (ARM_BOOT)" comments are not part of the names */
	assert_files(cfg, WF_CFG_REGION_BOOT, boot);
	assert_files(cfg, WF_CFG_REGION_MAIN, main_files);
	g_assert_false(wf_cfg_has_external_memory(cfg));
	g_assert_cmpuint(wf_cfg_get_emis(cfg)->len, ==, 0);
	g_assert_cmpuint(extra->len, ==, 1);
	linux_text = g_ptr_array_index(extra, 0);
	g_assert_true(g_str_has_prefix(linux_text, "linux_region:"));
	g_assert_nonnull(strstr(linux_text, "name: UBOOT"));
	g_assert_nonnull(strstr(linux_text, "file: userdata.img"));
	g_assert_null(strstr(linux_text, "#raw"));
}

/* an MT6260A readback cfg in the style of PH05: whitespace-only lines,
 * odd indentation, paths with folders, CRLF */
static const gchar *ph05_style =
	"general:\r\n"
	"    config_version : alpha\r\n"
	"    platform: MT6260A\r\n"
	" \r\n"
	"boot_region:\r\n"
	"  alignment: block\r\n"
	"  rom:\r\n"
	"    - file: firmware_dump/INT_BOOTLOADER\r\n"
	"    - file: firmware_dump/EXT_BOOTLOADER\r\n"
	" \r\n"
	"control_block_region:\r\n"
	"  rom:\r\n"
	" \r\n"
	"main_region:\r\n"
	"  alignment: block\r\n"
	"  rom:\r\n"
	"    - file: firmware_dump/MAUI\r\n"
	"    - file: firmware_dump/VIVA\r\n"
	" \r\n"
	"external_memory: \r\n"
	"    parameters_version: v1\r\n"
	"    parameters: \r\n"
	"       # EMI 1\r\n"
	"     - flash_info:\r\n"
	"           flash_type: SF\r\n"
	"           id_length: 3\r\n"
	"           flash_id:  [0xEF, 0x60, 0x18, 0x00, 0x00, 0x00, 0x00, 0x00]\r\n"
	"       memory_type: PSRAM_166MHz\r\n"
	"       EMI_Setting:\r\n"
	" \r\n"
	"     - flash_info:\r\n"
	"           flash_type: SF\r\n"
	"           id_length: 3\r\n"
	"           flash_id:  [0xC8, 0x60, 0x18, 0x00, 0x00, 0x00, 0x00, 0x00]\r\n"
	"       memory_type: PSRAM_166MHz\r\n"
	"       EMI_Setting:\r\n";

static void
test_cfg_lenient(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(WfCfg) cfg = parse_text(ph05_style, &error);
	const gchar *boot[] = {
		"firmware_dump/INT_BOOTLOADER", "firmware_dump/EXT_BOOTLOADER", NULL};
	WfCfgEmi *emi;

	g_assert_no_error(error);
	g_assert_cmpstr(wf_cfg_get_platform(cfg), ==, "MT6260A");
	assert_files(cfg, WF_CFG_REGION_BOOT, boot);
	g_assert_cmpuint(wf_cfg_get_files(cfg, WF_CFG_REGION_MAIN)->len, ==, 2);
	g_assert_false(wf_cfg_has_region(cfg, WF_CFG_REGION_FILE_SYSTEM));
	g_assert_cmpuint(wf_cfg_get_emis(cfg)->len, ==, 2);
	emi = g_ptr_array_index(wf_cfg_get_emis(cfg), 1);
	g_assert_cmpuint(emi->flash_id[0], ==, 0xC8);
	g_assert_cmpuint(emi->flash_id[2], ==, 0x18);
	g_assert_cmpstr(emi->memory_type, ==, "PSRAM_166MHz");
}

static void
test_cfg_minimal_windows(void)
{
	/* DZ09 open-firmware style: only general + boot_region, backslash
	 * paths, no newline at the end */
	const gchar *text = "general:\n"
			    "    config_version : alpha\n"
			    "    platform: MT6260\n"
			    "boot_region:\n"
			    "  alignment: block\n"
			    "  rom:\n"
			    "    - file: bootloader\\BOOTLOADER\n"
			    "    - file: bin\\Release\\DZ09.bin";
	g_autoptr(GError) error = NULL;
	g_autoptr(WfCfg) cfg = parse_text(text, &error);
	g_autofree gchar *unix_path = NULL;
	GPtrArray *files;

	g_assert_no_error(error);
	g_assert_cmpstr(wf_cfg_get_platform(cfg), ==, "MT6260");
	g_assert_false(wf_cfg_has_region(cfg, WF_CFG_REGION_MAIN));
	g_assert_false(wf_cfg_has_external_memory(cfg));
	files = wf_cfg_get_files(cfg, WF_CFG_REGION_BOOT);
	g_assert_cmpuint(files->len, ==, 2);
	g_assert_cmpstr(g_ptr_array_index(files, 1), ==, "bin\\Release\\DZ09.bin");
	unix_path = wf_cfg_file_to_unix_path(g_ptr_array_index(files, 1));
	g_assert_cmpstr(unix_path, ==, "bin/Release/DZ09.bin");
}

static void
test_cfg_sloppy_sections(void)
{
	/* a section indented like a key still starts a section; keys we do not
	 * know are kept and written back */
	const gchar *text = "\xEF\xBB\xBFgeneral:\n"
			    "  config_version:alpha\n"
			    "  platform :MT6261\n"
			    "  vendor_note: made by hand\n"
			    "  boot_region:\n"
			    "\trom:\n"
			    "\t  - file: BL#1.bin\n"
			    "  main_region:\n"
			    "    alignment:# block\n"
			    "    rom:\n"
			    "      -   file:   ROM   # the MAUI\n"
			    "    checksum: none\n"
			    "external_memory:\n"
			    "  parameters:\n"
			    "    - flash_info:\n"
			    "        flash_id: [0xC8, 0x60, 0x17,]\n"
			    "      EMI_Setting: 0x1\n"
			    "        0x2\n"
			    "      flash_frequency: 104MHz\n";
	g_autoptr(GError) error = NULL;
	g_autoptr(WfCfg) cfg = parse_text(text, &error);
	const gchar *boot[] = {"BL#1.bin", NULL};
	const gchar *main_files[] = {"ROM", NULL};
	WfCfgEmi *emi;

	g_assert_no_error(error);
	g_assert_cmpstr(wf_cfg_get_config_version(cfg), ==, "alpha");
	g_assert_cmpstr(wf_cfg_get_platform(cfg), ==, "MT6261");
	assert_files(cfg, WF_CFG_REGION_BOOT, boot);
	assert_files(cfg, WF_CFG_REGION_MAIN, main_files);
	emi = g_ptr_array_index(wf_cfg_get_emis(cfg), 0);
	g_assert_null(emi->flash_type);
	/* no id_length: up to the last non-zero byte */
	g_assert_cmpuint(emi->id_length, ==, 3);
	g_assert_cmpuint(emi->flash_id[2], ==, 0x17);
	g_assert_cmpstr(emi->emi_setting, ==, "0x1\n0x2");
	g_assert_cmpuint(emi->extra->len, ==, 1);
	g_assert_cmpstr(g_ptr_array_index(emi->extra, 0), ==, "flash_frequency: 104MHz");
	/* "key:# note": a comment, as it would be after the writer adds a space */
	g_assert_cmpstr(wf_cfg_get_alignment(cfg, WF_CFG_REGION_MAIN), ==, "");
}

/* parse → write → parse must give the same fields (the JSON has them all),
 * and writing again must give the same text */
static void
assert_round_trip(WfCfg *cfg)
{
	g_autofree gchar *text1 = wf_cfg_to_string(cfg);
	g_autoptr(GError) error = NULL;
	g_autoptr(WfCfg) cfg2 = parse_text(text1, &error);
	g_autoptr(JsonNode) json1 = NULL;
	g_autoptr(JsonNode) json2 = NULL;
	g_autofree gchar *str1 = NULL;
	g_autofree gchar *str2 = NULL;
	g_autofree gchar *text2 = NULL;

	g_assert_no_error(error);
	json1 = wf_cfg_to_json(cfg);
	json2 = wf_cfg_to_json(cfg2);
	str1 = wf_test_json_to_string(json1);
	str2 = wf_test_json_to_string(json2);
	g_assert_cmpstr(str1, ==, str2);
	text2 = wf_cfg_to_string(cfg2);
	g_assert_cmpstr(text1, ==, text2);
}

static void
test_cfg_round_trip(void)
{
	const gchar *samples[] = {
		"mt6261_simcom_SIM868M32_EAT.cfg",
		"mt6261_simcom_1418B01SIM868M32_EAT.cfg",
		"mt6261_simcom_SIM868M32_EAT_core_only.cfg",
		"mt6261_ruslanzs_scatter_sample.cfg",
	};
	for (guint i = 0; i < G_N_ELEMENTS(samples); i++) {
		g_autoptr(WfCfg) cfg = parse_sample(samples[i]);
		assert_round_trip(cfg);
	}
	{
		g_autoptr(WfCfg) cfg = parse_text(ph05_style, NULL);
		g_assert_nonnull(cfg);
		assert_round_trip(cfg);
	}
}

static void
test_cfg_no_config_version(void)
{
	/* a missing key stays missing: the round trip must not invent fields */
	g_autoptr(GError) error = NULL;
	g_autoptr(WfCfg) cfg = parse_text("general:\n  platform: MT6261\n", &error);
	g_autofree gchar *text = NULL;

	g_assert_no_error(error);
	g_assert_null(wf_cfg_get_config_version(cfg));
	text = wf_cfg_to_string(cfg);
	g_assert_null(strstr(text, "config_version"));
	assert_round_trip(cfg);
}

static void
test_cfg_write_new(void)
{
	g_autoptr(WfCfg) cfg = wf_cfg_new();
	g_autoptr(WfCfgEmi) emi = wf_cfg_emi_new();
	g_autoptr(WfCfg) back = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *text = NULL;
	const gchar *boot[] = {"BOOTLOADER", "EXT_BOOTLOADER", NULL};
	const gchar *main_files[] = {"ROM", "VIVA", NULL};
	WfCfgEmi *got;

	wf_cfg_set_platform(cfg, "MT6261");
	wf_cfg_set_alignment(cfg, WF_CFG_REGION_BOOT, "block");
	wf_cfg_add_file(cfg, WF_CFG_REGION_BOOT, "BOOTLOADER");
	wf_cfg_add_file(cfg, WF_CFG_REGION_BOOT, "EXT_BOOTLOADER");
	wf_cfg_add_file(cfg, WF_CFG_REGION_MAIN, "ROM");
	wf_cfg_add_file(cfg, WF_CFG_REGION_MAIN, "VIVA");
	wf_cfg_set_parameters_version(cfg, "v1");
	emi->flash_type = g_strdup("SF");
	emi->id_length = 3;
	emi->flash_id[0] = 0xC8;
	emi->flash_id[1] = 0x60;
	emi->flash_id[2] = 0x17;
	emi->memory_type = g_strdup("PSRAM_130MHz");
	emi->emi_setting = g_strdup("");
	wf_cfg_add_emi(cfg, emi);

	text = wf_cfg_to_string(cfg);
	/* SP Flash Tool's own spelling of the first key */
	g_assert_nonnull(strstr(text, "    config_version : alpha\n"));
	g_assert_nonnull(
		strstr(text, "flash_id:  [0xC8, 0x60, 0x17, 0x00, 0x00, 0x00, 0x00, 0x00]"));
	g_assert_null(strstr(text, "gps_module_region"));
	back = parse_text(text, &error);
	g_assert_no_error(error);
	assert_files(back, WF_CFG_REGION_BOOT, boot);
	assert_files(back, WF_CFG_REGION_MAIN, main_files);
	g_assert_false(wf_cfg_has_region(back, WF_CFG_REGION_CONTROL_BLOCK));
	got = g_ptr_array_index(wf_cfg_get_emis(back), 0);
	g_assert_cmpmem(got->flash_id, 8, emi->flash_id, 8);
	g_assert_cmpstr(got->memory_type, ==, "PSRAM_130MHz");

	/* clearing works and is reflected in the output */
	wf_cfg_clear_files(cfg, WF_CFG_REGION_MAIN);
	wf_cfg_clear_emis(cfg);
	g_clear_pointer(&text, g_free);
	text = wf_cfg_to_string(cfg);
	g_assert_null(strstr(text, "- file: ROM"));
	g_assert_null(strstr(text, "flash_info"));
}

static void
test_cfg_json(void)
{
	g_autoptr(WfCfg) cfg = parse_sample("mt6261_simcom_SIM868M32_EAT.cfg");
	g_autoptr(JsonNode) node = wf_cfg_to_json(cfg);
	JsonObject *obj = json_node_get_object(node);
	JsonObject *regions = json_object_get_object_member(obj, "regions");
	JsonObject *em = json_object_get_object_member(obj, "external_memory");
	JsonArray *params = json_object_get_array_member(em, "parameters");
	JsonArray *files = json_object_get_array_member(
		json_object_get_object_member(regions, "main_region"), "files");

	g_assert_cmpstr(json_object_get_string_member(obj, "platform"), ==, "MT6261");
	g_assert_cmpuint(json_array_get_length(files), ==, 4);
	g_assert_cmpstr(json_array_get_string_element(files, 1), ==, "COREAPI");
	g_assert_cmpuint(json_array_get_length(params), ==, 6);
	g_assert_cmpstr(
		json_object_get_string_member(json_array_get_object_element(params, 4), "jedec_id"),
		==,
		"C8 60 16");
}

typedef struct {
	const gchar *text;
	gint code;
	const gchar *needle;
} BadCfg;

static void
test_cfg_malformed(void)
{
	const BadCfg cases[] = {
		{"general:\n  platform: MT6261\nboot_region:\n  rom:\n    file: ROM\n",
		 WF_ERROR_INVALID_FILE,
		 "line 5: expected ‘- file:’ under ‘rom:’"},
		{"general:\n  platform: MT6261\nmain_region:\n  rom:\n    - name: ROM\n",
		 WF_ERROR_INVALID_FILE,
		 "line 5: expected ‘- file:’ under ‘rom:’"},
		{"general:\n  platform: MT6261\nmain_region:\n  rom:\n    - file:\n",
		 WF_ERROR_INVALID_FILE,
		 "line 5: ‘- file:’ without a file name"},
		{"general:\n  platform: MT\xff\x36\x32\x36\x31\n",
		 WF_ERROR_INVALID_FILE,
		 "line 2: not valid UTF-8"},
		{"general: yes\n  platform: MT6261\n",
		 WF_ERROR_INVALID_FILE,
		 "line 1: ‘general:’ takes no value"},
		{"general:\n  platform: MT6261\n  platform: MT6260\n",
		 WF_ERROR_INVALID_FILE,
		 "line 3: second ‘platform:’"},
		{"general:\n  platform: MT6261\nboot_region:\n  rom:\nboot_region:\n",
		 WF_ERROR_INVALID_FILE,
		 "line 5: second ‘boot_region:’ section"},
		{"boot_region:\n  rom:\n    - file: ROM\n",
		 WF_ERROR_INVALID_FILE,
		 "no ‘general:’ section"},
		{"general:\n  config_version : alpha\n", WF_ERROR_INVALID_FILE, "no ‘platform:’"},
		{"", WF_ERROR_INVALID_FILE, "no ‘general:’ section"},
		{"just some words\n", WF_ERROR_INVALID_FILE, "line 1: expected a section"},
		{"general:\n  platform: MT6261\nexternal_memory:\n  parameters:\n    - "
		 "flash_info:\n"
		 "        flash_id: [0xC2, 0x1FF]\n",
		 WF_ERROR_INVALID_FILE,
		 "line 6: flash_id byte 2 ‘0x1FF’"},
		{"general:\n  platform: MT6261\nexternal_memory:\n  parameters:\n    - "
		 "flash_info:\n"
		 "        flash_id: [1,2,3,4,5,6,7,8,9]\n",
		 WF_ERROR_INVALID_FILE,
		 "line 6: flash_id has more than 8 bytes"},
		{"general:\n  platform: MT6261\nexternal_memory:\n  parameters:\n    - "
		 "flash_info:\n"
		 "        flash_id: 0xC2\n",
		 WF_ERROR_INVALID_FILE,
		 "line 6: expected ‘flash_id: [0x.., …]’"},
		{"general:\n  platform: MT6261\nexternal_memory:\n  parameters:\n    - "
		 "flash_info:\n"
		 "        id_length: 9\n        flash_id: [0xC2]\n",
		 WF_ERROR_INVALID_FILE,
		 "line 6: id_length ‘9’"},
		{"general:\n  platform: MT6261\nexternal_memory:\n  parameters:\n    - "
		 "flash_info:\n"
		 "        flash_type: SF\n",
		 WF_ERROR_INVALID_FILE,
		 "line 5: ‘flash_info:’ without ‘flash_id:’"},
		{"general:\n  platform: MT6261\nexternal_memory:\n  parameters:\n    - memory: x\n",
		 WF_ERROR_INVALID_FILE,
		 "line 5: expected ‘- flash_info:’ under ‘parameters:’"},
		{"general:\n  platform: MT6261\nexternal_memory:\n  parameters:\n    - "
		 "flash_info:\n"
		 "        flash_id: [0x01]\n        speed: 1\n",
		 WF_ERROR_NOT_SUPPORTED,
		 "line 7: unknown key ‘speed:’"},
		{"general:\n  platform: MT62\x15\x36\x31\n",
		 WF_ERROR_INVALID_FILE,
		 "line 2: contains control character 0x15"},
		{"general:\n  platform: MT6261\x00\n",
		 WF_ERROR_INVALID_FILE,
		 "line 2: contains a NUL"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(WfCfg) cfg = NULL;
		/* the NUL case needs its real length */
		g_autoptr(GBytes) blob =
			i == G_N_ELEMENTS(cases) - 1
				? g_bytes_new(cases[i].text, strlen(cases[i].text) + 2)
				: wf_test_bytes_from_string(cases[i].text);
		g_test_message("case %u", i);
		cfg = wf_cfg_new_from_bytes(blob, &error);
		g_assert_null(cfg);
		wf_test_assert_error(error, WF_ERROR, cases[i].code, cases[i].needle);
	}
}

static void
test_cfg_limits(void)
{
	g_autoptr(GString) deep = g_string_new("general:\n  platform: MT6261\nx:\n");
	g_autoptr(GString) wide = g_string_new("general:\n  platform: MT6261\n");
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) error2 = NULL;
	g_autoptr(GError) error3 = NULL;
	g_autoptr(WfCfg) cfg = wf_cfg_new();
	g_autoptr(GBytes) blob1 = NULL;
	g_autoptr(GBytes) blob2 = NULL;
	g_autoptr(GBytes) blob3 = NULL;
	g_autofree gchar *huge = NULL;

	for (guint i = 1; i < 40; i++)
		g_string_append_printf(deep, "%*sk%u:\n", i * 2, "", i);
	blob1 = g_bytes_new(deep->str, deep->len);
	g_assert_false(wf_cfg_parse(cfg, blob1, &error));
	wf_test_assert_error(error, WF_ERROR, WF_ERROR_INVALID_FILE, "nested deeper than");

	g_string_append_printf(wide, "%*sfoo: 1\n", 5000, "");
	blob2 = g_bytes_new(wide->str, wide->len);
	g_assert_false(wf_cfg_parse(cfg, blob2, &error2));
	wf_test_assert_error(error2, WF_ERROR, WF_ERROR_INVALID_FILE, "line 3: indented by 5000");

	huge = g_malloc0(WF_CFG_MAX_SIZE + 1);
	memset(huge, '#', WF_CFG_MAX_SIZE);
	blob3 = g_bytes_new_static(huge, WF_CFG_MAX_SIZE + 1);
	g_assert_false(wf_cfg_parse(cfg, blob3, &error3));
	wf_test_assert_error(error3, WF_ERROR, WF_ERROR_INVALID_FILE, "too large");
	/* a failed parse leaves nothing behind */
	g_assert_null(wf_cfg_get_platform(cfg));
}

static void
test_cfg_android_refused(void)
{
	const gchar *text = "############\n"
			    "- general: MTK_PLATFORM_CFG\n"
			    "  info:\n"
			    "    - config_version: V1.1.2\n"
			    "      platform: MT6261\n";
	g_autoptr(GError) error = NULL;
	g_autoptr(WfCfg) cfg = parse_text(text, &error);
	g_assert_null(cfg);
	wf_test_assert_error(error, WF_ERROR, WF_ERROR_NOT_SUPPORTED, "Android scatter file");
	g_assert_nonnull(strstr(error->message, "SV5 .cfg"));
}

static void
test_cfg_from_file(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path = g_build_filename(
		g_getenv("WF_TESTDATA_DIR"), "cfg", "mt6261_simcom_SIM868M32_EAT.cfg", NULL);
	g_autoptr(WfCfg) cfg = wf_cfg_new_from_file(path, &error);
	g_autoptr(WfCfg) missing = NULL;

	g_assert_no_error(error);
	g_assert_cmpstr(wf_cfg_get_platform(cfg), ==, "MT6261");
	missing = wf_cfg_new_from_file("/nonexistent/x.cfg", &error);
	g_assert_null(missing);
	g_assert_error(error, WF_ERROR, WF_ERROR_NOT_FOUND);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_test_add_func("/formats/cfg/sim868", test_cfg_sim868);
	g_test_add_func("/formats/cfg/sim868-variants", test_cfg_sim868_variants);
	g_test_add_func("/formats/cfg/template-linux-region", test_cfg_template_with_linux_region);
	g_test_add_func("/formats/cfg/lenient", test_cfg_lenient);
	g_test_add_func("/formats/cfg/minimal-windows", test_cfg_minimal_windows);
	g_test_add_func("/formats/cfg/sloppy-sections", test_cfg_sloppy_sections);
	g_test_add_func("/formats/cfg/round-trip", test_cfg_round_trip);
	g_test_add_func("/formats/cfg/no-config-version", test_cfg_no_config_version);
	g_test_add_func("/formats/cfg/write-new", test_cfg_write_new);
	g_test_add_func("/formats/cfg/json", test_cfg_json);
	g_test_add_func("/formats/cfg/malformed", test_cfg_malformed);
	g_test_add_func("/formats/cfg/limits", test_cfg_limits);
	g_test_add_func("/formats/cfg/android-refused", test_cfg_android_refused);
	g_test_add_func("/formats/cfg/from-file", test_cfg_from_file);
	return g_test_run();
}
