/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "wf-component-hints.h"

static WfKnowledgeTable *table = NULL;

/* "text:category[:value]" for each token, joined with '|' */
static gchar *
render_tokens(GPtrArray *tokens)
{
	g_autoptr(GString) str = g_string_new(NULL);
	for (guint i = 0; i < tokens->len; i++) {
		const WfComponentToken *token = g_ptr_array_index(tokens, i);
		if (i > 0)
			g_string_append_c(str, '|');
		g_string_append_printf(str, "%s:%s", token->text, token->category);
		if (token->value != NULL)
			g_string_append_printf(str, ":%s", token->value);
	}
	return g_string_free(g_steal_pointer(&str), FALSE);
}

static gchar *
decode(const gchar *text)
{
	g_autoptr(WfComponentHints) hints = wf_component_hints_new(table);
	wf_component_hints_add_string(hints, "test", text);
	return render_tokens(wf_component_hints_get_tokens(hints));
}

static void
assert_decodes(const gchar *text, const gchar *expected)
{
	g_autofree gchar *got = decode(text);
	g_assert_cmpstr(got, ==, expected);
}

static gchar *
testdata_path(const gchar *dir, const gchar *name)
{
	return g_build_filename(g_getenv("WF_TESTDATA_DIR"), dir, name, NULL);
}

typedef struct {
	const gchar *text;
	const gchar *expected;
} WfExpect;

/* every real name of listings/maui_firmware_name_samples.tsv */
static const WfExpect listing_names[] = {
	{"GPLUS61A_11C_NX9_PCB01_gprs_MT6261_S00.NX9_V2_1_YJLNS1_64_T1_L3_C4_G4_B_20151212",
	 "GPLUS61A:project:GPLUS61A|11C:maui-branch:11C|NX9:project:NX9|PCB01:board|"
	 "gprs:build-type:gprs|MT6261:platform:MT6261|S00:chip-version|NX9:project:NX9|"
	 "V2_1:version:V2.1|YJLNS1:unknown|64:unknown|T1:unknown|L3:unknown|C4:unknown|"
	 "G4:unknown|B:unknown|20151212:build-date:2015-12-12"},
	{"SIM868M32_EAT_PCB01_gprs_MT6261_S00.1418B01SIM868M32_EAT.bin",
	 "SIM868M32:module:SIM868|EAT:build-type:EmbeddedAT|PCB01:board|gprs:build-type:gprs|"
	 "MT6261:platform:MT6261|S00:chip-version|1418B01SIM868M32:unknown|"
	 "EAT:build-type:EmbeddedAT|bin:file-extension:bin"},
	{"SIM868M32_EAT_BOOTLOADER.bin",
	 "SIM868M32:module:SIM868|EAT:build-type:EmbeddedAT|BOOTLOADER:image-part:BOOTLOADER|"
	 "bin:file-extension:bin"},
	{"BPLGUInfoCustomAppSrcP_MT6261_S00_1418B01SIM868M32_EAT",
	 "BPLGUInfoCustomAppSrcP:image-part:trace database|MT6261:platform:MT6261|"
	 "S00:chip-version|1418B01SIM868M32:unknown|EAT:build-type:EmbeddedAT"},
	{"SIM868M32_EAT.cfg",
	 "SIM868M32:module:SIM868|EAT:build-type:EmbeddedAT|cfg:file-extension:cfg"},
	{"GINWAVE60A_11B_PCB01_gprs_MT6260_S00.T31_ZX_PH05_DCAMGC032ABF20A6_60A_V48_20231030.bin",
	 "GINWAVE60A:project:GINWAVE60A|11B:maui-branch:11B|PCB01:board|gprs:build-type:gprs|"
	 "MT6260:platform:MT6260|S00:chip-version|T31:unknown|ZX:unknown|PH05:model:PH05|"
	 "DCAMGC032ABF20A6:unknown|60A:unknown|V48:version:V48|20231030:build-date:2023-10-30|"
	 "bin:file-extension:bin"},
	{"DL188_GX1882_NIKITI_PCB01_gsm_MT6261_S00.ALTICE_F2_DS_V02_1_181023_MP.bin",
	 "DL188_GX1882_NIKITI:project:DL188_GX1882_NIKITI|PCB01:board|gsm:build-type:gsm|"
	 "MT6261:platform:MT6261|S00:chip-version|ALTICE_F2:model:Altice F2|DS:unknown|"
	 "V02_1:version:V02.1|181023:build-date:2018-10-23|MP:branch-tag:MP|"
	 "bin:file-extension:bin"},
	{"ALTICE_F2_DS_V02.1_181023_MP.cfg",
	 "ALTICE_F2:model:Altice F2|DS:unknown|V02.1:version:V02.1|181023:build-date:2018-10-23|"
	 "MP:branch-tag:MP|cfg:file-extension:cfg"},
	{"GXQ03D_M2M_11C_PCB01_gprs_MT6261_S00.MAUI_11C_W14_18_IOT_MP_V4_F6.bin",
	 "GXQ03D:project:GXQ03D|M2M:unknown|11C:maui-branch:11C|PCB01:board|gprs:build-type:gprs|"
	 "MT6261:platform:MT6261|S00:chip-version|MAUI:software:MAUI|11C:maui-branch:11C|"
	 "W14_18:maui-week:W14.18|IOT:branch-tag:IOT|MP:branch-tag:MP|V4:version:V4|F6:unknown|"
	 "bin:file-extension:bin"},
	{"MAUI.11C.W14.18.IOT.MP.V1.F12",
	 "MAUI:software:MAUI|11C:maui-branch:11C|W14.18:maui-week:W14.18|IOT:branch-tag:IOT|"
	 "MP:branch-tag:MP|V1:version:V1|F12:unknown"},
	{"11CW1418IOTMP GXQ03D_M2M_11C",
	 "11C:maui-branch:11C|W1418:maui-week:W14.18|IOT:branch-tag:IOT|MP:branch-tag:MP|"
	 "GXQ03D:project:GXQ03D|M2M:unknown|11C:maui-branch:11C"},
	{"GXQ03D_M2M_11C_HW", "GXQ03D:project:GXQ03D|M2M:unknown|11C:maui-branch:11C|HW:hw-marker"},
};

static const WfExpect *
find_expect(const WfExpect *list, gsize n, const gchar *text)
{
	for (gsize i = 0; i < n; i++) {
		if (g_strcmp0(list[i].text, text) == 0)
			return &list[i];
	}
	return NULL;
}

static void
test_component_hints_listing(void)
{
	g_autofree gchar *fn = testdata_path("listings", "maui_firmware_name_samples.tsv");
	g_autofree gchar *contents = NULL;
	g_auto(GStrv) lines = NULL;
	g_autoptr(GError) error = NULL;
	guint checked = 0;

	g_assert_true(g_file_get_contents(fn, &contents, NULL, &error));
	g_assert_no_error(error);
	lines = g_strsplit(contents, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		g_auto(GStrv) cols = g_strsplit(lines[i], "\t", -1);
		const WfExpect *expect;
		g_autofree gchar *got = NULL;

		/* comments, blank lines and <PLACEHOLDER> patterns are not names */
		if (lines[i][0] == '#' || lines[i][0] == '\0' || strchr(cols[0], '<') != NULL)
			continue;
		expect = find_expect(listing_names, G_N_ELEMENTS(listing_names), cols[0]);
		g_test_message("name %s", cols[0]);
		g_assert_nonnull(expect);
		got = decode(cols[0]);
		g_assert_cmpstr(got, ==, expect->expected);
		checked++;
	}
	g_assert_cmpuint(checked, ==, G_N_ELEMENTS(listing_names));
}

/* "Key: value" or "Key = value" lines of the strings/ samples */
static GHashTable *
load_key_values(const gchar *name)
{
	g_autofree gchar *fn = testdata_path("strings", name);
	g_autofree gchar *contents = NULL;
	g_auto(GStrv) lines = NULL;
	g_autoptr(GError) error = NULL;
	GHashTable *kv = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);

	g_assert_true(g_file_get_contents(fn, &contents, NULL, &error));
	g_assert_no_error(error);
	lines = g_strsplit(contents, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		const gchar *sep = strstr(lines[i], " = ");
		gsize seplen = 3;
		if (sep == NULL) {
			sep = strchr(lines[i], ':');
			seplen = 1;
		}
		if (sep == NULL)
			continue;
		g_hash_table_insert(kv,
				    g_strstrip(g_strndup(lines[i], sep - lines[i])),
				    g_strstrip(g_strdup(sep + seplen)));
	}
	return kv;
}

static void
check_key_values(const gchar *file, const WfExpect *expects, gsize n)
{
	g_autoptr(GHashTable) kv = load_key_values(file);
	for (gsize i = 0; i < n; i++) {
		const gchar *value = g_hash_table_lookup(kv, expects[i].text);
		g_autofree gchar *got = NULL;
		g_test_message("%s: %s", file, expects[i].text);
		g_assert_nonnull(value);
		got = decode(value);
		g_assert_cmpstr(got, ==, expects[i].expected);
	}
}

static void
test_component_hints_strings_altice(void)
{
	/* key -> expected tokens of its value */
	const WfExpect expects[] = {
		{"Build",
		 "ALTICE_F2:model:Altice F2|DS:unknown|V02.1:version:V02.1|"
		 "181023:build-date:2018-10-23|MP:branch-tag:MP"},
		{"Bin name", listing_names[6].expected},
		{"Service cfg name", listing_names[7].expected},
		{"HW string", "SAGETEL61M:project:SAGETEL61M|11C:maui-branch:11C|HW:hw-marker"},
		{"Project string", "DL188_GX1882_NIKITI:project:DL188_GX1882_NIKITI"},
		{"Build time", "2018/10/23:build-date:2018-10-23|09:22:build-time:09:22"},
		{"Regulatory SW version (FCC QPN-NIKITI)",
		 "ELKI:unknown|DS:unknown|L:unknown|V01.2:version:V01.2|181106:build-date:2018-11-"
		 "06|"
		 "MP:branch-tag:MP"},
	};
	check_key_values("altice_f2_mt6261_identity.txt", expects, G_N_ELEMENTS(expects));
}

static void
test_component_hints_strings_dz09(void)
{
	const WfExpect expects[] = {
		{"Platform", "MT6261D:platform:MT6261"},
		{"RAM", "4MiB:unknown"},
		{"ROM", "8MiB:unknown|GD25LQ64:flash:GD25LQ64"},
		{"PCB", "K91:board:K91|V1.1:version:V1.1"},
		{"Original firmware", listing_names[0].expected},
	};
	check_key_values("dz09_mediatekinfo_readme.txt", expects, G_N_ELEMENTS(expects));
}

static void
test_component_hints_strings_ssc_info(void)
{
	const WfExpect expects[] = {
		{"Model", "QW:unknown|MJW:vendor-code|M10:unknown|MB:unknown|V:unknown"},
		{"Os", "MTK60D:platform"},
		{"Company", "F066:vendor-code"},
		{"Build Date", "20180108:build-date:2018-01-08"},
		{"Build Time", "2018/01/08:build-date:2018-01-08|21:03:build-time:21:03"},
	};
	check_key_values("ssc_info_qw09_gokulnc_2018.txt", expects, G_N_ELEMENTS(expects));
}

static void
test_component_hints_strings_sim868(void)
{
	const WfExpect expects[] = {
		{"SIM868M32_EAT_PCB01_gprs_MT6261_S00.1418B01SIM868M32_EAT.bin",
		 listing_names[1].expected},
		{"1418B01SIM868M32_EAT", "1418B01SIM868M32:unknown|EAT:build-type:EmbeddedAT"},
		{"SIM868M32_EAT_PCB01_GPRS_MT6261_S00.1418B01SIM868M32_EAT.BIN",
		 "SIM868M32:module:SIM868|EAT:build-type:EmbeddedAT|PCB01:board|GPRS:build-type:"
		 "gprs|"
		 "MT6261:platform:MT6261|S00:chip-version|1418B01SIM868M32:unknown|"
		 "EAT:build-type:EmbeddedAT|BIN:file-extension:bin"},
		{"MT6261PRO", "MT6261PRO:platform:MT6261"},
		{"SIMCOM03D_MOD_11C_HW",
		 "SIMCOM03D:project:SIMCOM03D|MOD:unknown|11C:maui-branch:11C|HW:hw-marker"},
		{"2017/01/10 10:05", "2017/01/10:build-date:2017-01-10|10:05:build-time:10:05"},
		{"11C SIM868M32_EAT",
		 "11C:maui-branch:11C|SIM868M32:module:SIM868|EAT:build-type:EmbeddedAT"},
		{"SIM868_V1.02", "SIM868:module:SIM868|V1.02:version:V1.02"},
		{"SIMCOM_SIM868", "SIMCOM:vendor:SIMCom|SIM868:module:SIM868"},
		{"PLUTO_MMI", "PLUTO_MMI:software:PLUTO_MMI"},
	};
	g_autofree gchar *fn = testdata_path("strings", "mt6261_sim868_rom_identity_strings.txt");
	g_autofree gchar *contents = NULL;
	g_auto(GStrv) lines = NULL;
	g_autoptr(GError) error = NULL;
	guint checked = 0;

	g_assert_true(g_file_get_contents(fn, &contents, NULL, &error));
	g_assert_no_error(error);
	lines = g_strsplit(contents, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		const WfExpect *expect;
		g_autofree gchar *got = NULL;
		if (lines[i][0] == '\0')
			continue;
		expect = find_expect(expects, G_N_ELEMENTS(expects), lines[i]);
		g_test_message("line %s", lines[i]);
		g_assert_nonnull(expect);
		got = decode(lines[i]);
		g_assert_cmpstr(got, ==, expect->expected);
		checked++;
	}
	g_assert_cmpuint(checked, ==, G_N_ELEMENTS(expects));
}

/* the watch VERNOs of firmware-formats §3.3 */
static void
test_component_hints_vernos(void)
{
	const WfExpect expects[] = {
		{"MX6X-COB-DZ09-7789HSD-YDT6153-JZTX-V02.91-20190917",
		 "MX6X:firmware-house|COB:board:COB|DZ09:model:DZ09|7789HSD:lcd:ST7789|YDT6153:"
		 "touch|"
		 "JZTX:vendor-code|V02.91:version:V02.91|20190917:build-date:2019-09-17"},
		{"MX6XD-COB-V8-7789HSD-JJT-6113-JZTX-V02.38-20190801",
		 "MX6XD:firmware-house|COB:board:COB|V8:model:V8|7789HSD:lcd:ST7789|JJT:vendor-"
		 "code|"
		 "6113:touch|JZTX:vendor-code|V02.38:version:V02.38|20190801:build-date:2019-08-"
		 "01"},
		{"MX6XM-V8-9307HSD-JJT-GL6113-HSJZ-V12.195-20191107",
		 "MX6XM:firmware-house|V8:model:V8|9307HSD:lcd:GC9307/"
		 "ILI9307-class|JJT:vendor-code|"
		 "GL6113:touch|HSJZ:vendor-code|V12.195:version:V12.195|20191107:build-date:2019-"
		 "11-07"},
		{"MX6XM-COB-Q18-9340-WKD-6113-HYBR-V06.740-20200910",
		 "MX6XM:firmware-house|COB:board:COB|Q18:model:Q18|9340:lcd:ILI9340|WKD:vendor-"
		 "code|"
		 "6113:touch|HYBR:vendor-code|V06.740:version:V06.740|20200910:build-date:2020-09-"
		 "10"},
		{"QW_MJW_M10_MB_V2.1_COB_CST016SE_GMSA_A1_EU_IPS_20180108",
		 "QW:unknown|MJW:vendor-code|M10:unknown|MB:unknown|V2.1:version:V2.1|COB:board:"
		 "COB|"
		 "CST016SE:touch:CST016SE|GMSA:vendor-code|A1:unknown|EU:region:EU|IPS:panel:IPS|"
		 "20180108:build-date:2018-01-08"},
		{"11CW1352MP GPLUS61A_11C_NX9",
		 "11C:maui-branch:11C|W1352:maui-week:W13.52|MP:branch-tag:MP|GPLUS61A:project:"
		 "GPLUS61A|"
		 "11C:maui-branch:11C|NX9:project:NX9"},
		{"HONGYU60M_BT_11B_HW",
		 "HONGYU60M:project:HONGYU60M|BT:unknown|11B:maui-branch:11B|HW:hw-marker"},
	};
	for (guint i = 0; i < G_N_ELEMENTS(expects); i++) {
		g_autofree gchar *got = decode(expects[i].text);
		g_assert_cmpstr(got, ==, expects[i].expected);
	}
}

static void
test_component_hints_dz09_summary(void)
{
	g_autoptr(WfComponentHints) hints = wf_component_hints_new(table);
	g_autoptr(JsonNode) json = NULL;
	const WfComponentToken *token;
	JsonObject *summary;
	JsonObject *lcd;
	JsonArray *tokens;
	JsonObject *first;
	WfConfidence conf = WF_CONFIDENCE_HIGH;

	wf_component_hints_add_string(
		hints, "verno", "MX6X-COB-DZ09-7789HSD-YDT6153-JZTX-V02.91-20190917");
	token = wf_component_hints_get_best(hints, "lcd");
	g_assert_nonnull(token);
	g_assert_cmpstr(token->value, ==, "ST7789");
	g_assert_cmpint(token->confidence, ==, WF_CONFIDENCE_MEDIUM);
	g_assert_cmpstr(wf_knowledge_entry_get_string(token->entry, "glass"), ==, "HannStar (HSD)");
	g_assert_cmpuint(token->offset, ==, 14);
	g_assert_cmpstr(token->origin, ==, "verno");

	token = wf_component_hints_get_best(hints, "version");
	g_assert_cmpstr(token->value, ==, "V02.91");
	g_assert_cmpint(token->confidence, ==, WF_CONFIDENCE_HIGH);
	token = wf_component_hints_get_best(hints, "build-date");
	g_assert_cmpstr(token->value, ==, "2019-09-17");
	g_assert_cmpint(token->confidence, ==, WF_CONFIDENCE_HIGH);
	token = wf_component_hints_get_best(hints, "touch");
	g_assert_cmpstr(token->text, ==, "YDT6153");
	g_assert_null(token->value);
	g_assert_cmpint(token->confidence, ==, WF_CONFIDENCE_LOW);

	/* JZTX: a vendor code nobody explained, low at most */
	for (guint i = 0; i < wf_component_hints_get_tokens(hints)->len; i++) {
		token = g_ptr_array_index(wf_component_hints_get_tokens(hints), i);
		if (g_strcmp0(token->text, "JZTX") == 0)
			break;
	}
	g_assert_cmpstr(token->text, ==, "JZTX");
	g_assert_cmpint(token->confidence, <=, WF_CONFIDENCE_LOW);
	g_assert_null(wf_component_hints_get_best(hints, "panel"));
	g_assert_null(wf_component_hints_get_platform(hints, &conf));
	g_assert_cmpint(conf, ==, WF_CONFIDENCE_UNKNOWN);

	json = wf_component_hints_to_json(hints);
	summary = json_object_get_object_member(json_node_get_object(json), "summary");
	lcd = json_object_get_object_member(summary, "lcd");
	g_assert_cmpstr(json_object_get_string_member(lcd, "value"), ==, "ST7789");
	g_assert_cmpstr(json_object_get_string_member(lcd, "token"), ==, "7789HSD");
	g_assert_cmpstr(json_object_get_string_member(lcd, "confidence"), ==, "medium");
	g_assert_cmpstr(json_object_get_string_member(
				json_object_get_object_member(summary, "touch"), "value"),
			==,
			"YDT6153");
	g_assert_true(json_object_get_null_member(summary, "panel"));
	g_assert_true(json_object_get_null_member(summary, "platform"));
	tokens = json_object_get_array_member(json_node_get_object(json), "tokens");
	g_assert_cmpuint(json_array_get_length(tokens), ==, 8);
	first = json_array_get_object_element(tokens, 0);
	g_assert_cmpstr(json_object_get_string_member(first, "text"), ==, "MX6X");
	g_assert_cmpstr(json_object_get_string_member(first, "confidence"), ==, "low");
	g_assert_nonnull(json_object_get_array_member(first, "sources"));
	g_assert_cmpstr(
		json_object_get_string_member(
			json_array_get_object_element(
				json_object_get_array_member(json_node_get_object(json), "strings"),
				0),
			"origin"),
		==,
		"verno");
}

static void
test_component_hints_platform(void)
{
	g_autoptr(WfComponentHints) hints = wf_component_hints_new(table);
	g_autoptr(WfComponentHints) hints2 = wf_component_hints_new(table);
	WfConfidence conf = WF_CONFIDENCE_UNKNOWN;

	/* a branch string implies the platform, with at most medium confidence */
	wf_component_hints_add_string(hints, "branch", "11CW1352MP GPLUS61A_11C_NX9");
	g_assert_cmpstr(wf_component_hints_get_platform(hints, &conf), ==, "MT6261");
	g_assert_cmpint(conf, ==, WF_CONFIDENCE_MEDIUM);

	/* an explicit platform token wins */
	wf_component_hints_add_string(hints2, "hw", "HONGYU60M_BT_11B_HW");
	g_assert_cmpstr(wf_component_hints_get_platform(hints2, NULL), ==, "MT6260");
	wf_component_hints_add_string(hints2, "bin-name", "X_PCB01_gprs_MT6261_S00.V1.bin");
	g_assert_cmpstr(wf_component_hints_get_platform(hints2, &conf), ==, "MT6261");
	g_assert_cmpint(conf, ==, WF_CONFIDENCE_HIGH);

	/* the naming rule for unknown projects is only a low hint */
	assert_decodes("FOOBAR61M_11C_HW", "FOOBAR61M:project|11C:maui-branch:11C|HW:hw-marker");
}

static void
test_component_hints_unknown(void)
{
	g_autoptr(WfComponentHints) hints = wf_component_hints_new(table);
	g_autoptr(WfComponentHints) bare = wf_component_hints_new(NULL);
	g_autofree gchar *got = NULL;
	const WfComponentToken *token;

	/* unknown tokens are shown, never dropped; bad dates are not dates */
	assert_decodes("ZZTOP-20191341-V3-991231",
		       "ZZTOP:unknown|20191341:unknown|V3:version:V3|991231:unknown");
	assert_decodes("--__..", "");
	assert_decodes("", "");
	assert_decodes("25:61 12:30", "25:61:unknown|12:30:build-time:12:30");
	/* a model name is not a version, but V8.1 is */
	assert_decodes("Q18-V8-V8.1", "Q18:model:Q18|V8:model:V8|V8.1:version:V8.1");

	/* without a table only syntax is decoded */
	wf_component_hints_add_string(bare, "verno", "MX6X-COB-DZ09-7789HSD-V02.91-20190917");
	got = render_tokens(wf_component_hints_get_tokens(bare));
	g_assert_cmpstr(
		got,
		==,
		"MX6X:unknown|COB:unknown|DZ09:unknown|7789HSD:unknown|V02.91:version:V02.91|"
		"20190917:build-date:2019-09-17");

	/* invalid UTF-8 and control bytes separate tokens and stay out of the JSON */
	wf_component_hints_add_string(hints,
				      "verno",
				      "AB\xff\xfe"
				      "7789HSD\x01IPS");
	token = g_ptr_array_index(wf_component_hints_get_tokens(hints), 1);
	g_assert_cmpstr(token->value, ==, "ST7789");
	g_assert_cmpuint(token->offset, ==, 4);
	{
		g_autoptr(JsonNode) json = wf_component_hints_to_json(hints);
		g_autofree gchar *text = json_to_string(json, FALSE);
		g_assert_true(g_utf8_validate(text, -1, NULL));
	}
}

static void
test_component_hints_long_input(void)
{
	g_autoptr(WfComponentHints) hints = wf_component_hints_new(table);
	g_autoptr(GString) str = g_string_new(NULL);
	GPtrArray *tokens;
	GRand *rand = g_rand_new_with_seed(3);

	for (guint i = 0; i < 10000; i++)
		g_string_append_c(str, (gchar)g_rand_int_range(rand, 1, 256));
	g_rand_free(rand);
	wf_component_hints_add_string(hints, "junk", str->str);
	tokens = wf_component_hints_get_tokens(hints);
	/* cut at the limit: no token starts beyond it */
	for (guint i = 0; i < tokens->len; i++) {
		const WfComponentToken *token = g_ptr_array_index(tokens, i);
		g_assert_cmpuint(token->offset, <, WF_COMPONENT_HINTS_MAX_STRING);
	}
}

static void
test_component_hints_image(void)
{
	g_autoptr(WfComponentHints) hints = wf_component_hints_new(table);
	/* st7789v: found; FT6236: found; ST7789 again: counted; ILI93410: a
	 * longer number; XGC9A01: glued to a word; cst816: at the very end */
	static const gchar img[] = "\0\0lcd_st7789v_init\0[FT6236] probe 0x38\0ST7789 ready\0"
				   "ILI93410\0XGC9A01\0cst816";
	g_autoptr(JsonNode) json = NULL;
	GPtrArray *evidence;
	const WfComponentToken *token;

	wf_component_hints_add_string(hints, "verno", "MX6X-COB-DZ09-7789HSD-V02.91-20190917");
	wf_component_hints_scan_image(hints, "ROM", (const guint8 *)img, sizeof(img) - 1);
	evidence = wf_component_hints_get_image_evidence(hints);
	g_assert_cmpuint(evidence->len, ==, 3);

	token = g_ptr_array_index(evidence, 0);
	g_assert_cmpstr(token->text, ==, "st7789v");
	g_assert_cmpstr(token->value, ==, "ST7789");
	g_assert_cmpstr(token->category, ==, "lcd");
	g_assert_cmpstr(token->origin, ==, "image:ROM");
	g_assert_cmpuint(token->offset, ==, 6);
	g_assert_cmpuint(token->count, ==, 2);
	g_assert_cmpint(token->confidence, ==, WF_CONFIDENCE_LOW);

	token = g_ptr_array_index(evidence, 1);
	g_assert_cmpstr(token->value, ==, "FT6236");
	g_assert_cmpstr(token->category, ==, "touch");
	token = g_ptr_array_index(evidence, 2);
	g_assert_cmpstr(token->value, ==, "CST816");

	/* the VERNO stays the best LCD evidence; the image fills in touch */
	g_assert_cmpstr(wf_component_hints_get_best(hints, "lcd")->origin, ==, "verno");
	g_assert_cmpstr(wf_component_hints_get_best(hints, "touch")->value, ==, "FT6236");

	json = wf_component_hints_to_json(hints);
	g_assert_cmpuint(json_array_get_length(json_object_get_array_member(
				 json_node_get_object(json), "image_evidence")),
			 ==,
			 3);
}

int
main(int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	int rc;

	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	table = wf_knowledge_table_new(WF_KNOWLEDGE_TABLE_KIND_COMPONENTS);
	if (!wf_knowledge_table_load_default(table, &error))
		g_error("components table: %s", error->message);
	g_test_add_func("/component-hints/listing", test_component_hints_listing);
	g_test_add_func("/component-hints/strings-altice", test_component_hints_strings_altice);
	g_test_add_func("/component-hints/strings-dz09", test_component_hints_strings_dz09);
	g_test_add_func("/component-hints/strings-ssc-info", test_component_hints_strings_ssc_info);
	g_test_add_func("/component-hints/strings-sim868", test_component_hints_strings_sim868);
	g_test_add_func("/component-hints/vernos", test_component_hints_vernos);
	g_test_add_func("/component-hints/dz09-summary", test_component_hints_dz09_summary);
	g_test_add_func("/component-hints/platform", test_component_hints_platform);
	g_test_add_func("/component-hints/unknown", test_component_hints_unknown);
	g_test_add_func("/component-hints/long-input", test_component_hints_long_input);
	g_test_add_func("/component-hints/image", test_component_hints_image);
	rc = g_test_run();
	g_clear_object(&table);
	return rc;
}
