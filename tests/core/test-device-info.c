/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "wf-device-info.h"
#include "wf-error.h"
#include "wf-test-script.h"

typedef struct {
	WfTestScript *script;
	WfBrom *brom;
} Fixture;

typedef struct {
	guint16 hw_version;
	guint16 hw_code;
	guint32 efuse;
} ChipIds;

static const ChipIds mt6261da = {0xCB01, 0x6261, 0x35C00000};

static void
fixture_setup(Fixture *f, gconstpointer data)
{
	f->script = wf_test_script_new();
	f->brom = wf_brom_new(WF_TRANSPORT(f->script));
	wf_brom_set_timeout(f->brom, 40);
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
	g_object_unref(f->brom);
	g_object_unref(f->script);
}

/* the boot-ROM half of identification, in the order it is done */
static void
script_ids(Fixture *f, const ChipIds *ids)
{
	wf_test_script_brom_read16_legacy(f->script, 0x80000000, ids->hw_version);
	wf_test_script_brom_read16_legacy(f->script, 0x80000004, 0x0001);
	wf_test_script_brom_read16_legacy(f->script, 0x80000008, ids->hw_code);
	wf_test_script_brom_read16_legacy(f->script, 0x8000000C, 0x8000);
	wf_test_script_brom_read32(f->script, 0xA01C0108, ids->efuse);
	wf_test_script_expect(f->script, "FF");
	wf_test_script_reply(f->script, "05");
	wf_test_script_echo(f->script, "FE");
	wf_test_script_echo(f->script, "D8");
	wf_test_script_reply(f->script, "00000000 0000");
	wf_test_script_echo(f->script, "E1");
	wf_test_script_reply(f->script, "00000010 f81da2153082cc5e21ac5236876844c2 0000");
}

/* a 9F RDID through SFI answering @id */
static void
script_jedec(Fixture *f, const guint8 id[3])
{
	const guint32 tx = 0x9F;
	const guint32 lens[] = {1, 3};
	const guint32 start = 0x0C;
	const guint32 stop = 0x02;

	wf_test_script_brom_write32(f->script, 0xA0140800, &tx, 1);
	wf_test_script_brom_write32(f->script, 0xA0140010, lens, 2);
	wf_test_script_brom_read32(f->script, 0xA0140008, 0x100);
	wf_test_script_brom_read32(f->script, 0xA0140000, 0x00);
	wf_test_script_brom_write32(f->script, 0xA0140000, &start, 1);
	wf_test_script_brom_read32(f->script, 0xA0140000, 0x0E);
	wf_test_script_brom_read32(f->script, 0xA0140000, 0x0E);
	wf_test_script_brom_write32(f->script, 0xA0140000, &stop, 1);
	wf_test_script_brom_read32(f->script,
				   0xA0140800,
				   0x9F | (guint32)id[0] << 8 | (guint32)id[1] << 16 |
					   (guint32)id[2] << 24);
}

/* SFI refused at its first register write */
static void
script_jedec_refused(Fixture *f)
{
	wf_test_script_echo(f->script, "D4 A0140800 00000001");
	wf_test_script_reply(f->script, "1D02");
}

static WfDeviceInfo *
identify_ok(Fixture *f, guint32 override)
{
	g_autoptr(GError) error = NULL;
	WfDeviceInfo *info = NULL;

	g_assert_true(wf_device_info_identify(f->brom, override, &info, NULL, &error));
	g_assert_no_error(error);
	g_assert_nonnull(info);
	wf_test_script_assert_finished(f->script);
	return info;
}

static void
test_identify_jedec(Fixture *f, gconstpointer data)
{
	const guint8 id[3] = {0xC2, 0x20, 0x16};
	g_autoptr(WfDeviceInfo) info = NULL;
	g_autoptr(JsonNode) node = NULL;
	const gchar *me_id;
	const gchar *jedec;
	JsonObject *obj;
	JsonObject *flash;

	script_ids(f, &mt6261da);
	script_jedec(f, id);
	info = identify_ok(f, 0);

	g_assert_cmpstr(wf_device_info_get_chip(info), ==, "MT6261DA");
	g_assert_true(wf_device_info_get_chip_known(info));
	g_assert_cmphex(wf_device_info_get_hw_code(info), ==, 0x6261);
	g_assert_cmphex(wf_device_info_get_hw_version(info), ==, 0xCB01);
	g_assert_cmphex(wf_device_info_get_sw_version(info), ==, 0x0001);
	g_assert_cmphex(wf_device_info_get_hw_subcode(info), ==, 0x8000);
	g_assert_cmphex(wf_device_info_get_efuse_version(info), ==, 0x35C0);
	g_assert_cmpuint(wf_device_info_get_brom_version(info), ==, 5);
	g_assert_cmpuint(wf_device_info_get_bl_version(info), ==, 0xFE);
	me_id = wf_device_info_get_me_id_string(info);
	g_assert_cmpstr(me_id, ==, "f81da2153082cc5e21ac5236876844c2");
	jedec = wf_device_info_get_jedec_id_string(info);
	g_assert_cmpstr(jedec, ==, "C22016");
	g_assert_cmpstr(wf_device_info_get_flash_part(info), ==, "MX25L3233");
	g_assert_cmpuint(wf_device_info_get_flash_size(info), ==, 4 * 1024 * 1024);
	g_assert_cmpstr(wf_device_info_get_flash_size_method(info), ==, "jedec");

	node = wf_device_info_to_json(info);
	obj = json_node_get_object(node);
	g_assert_cmpstr(json_object_get_string_member(obj, "chip"), ==, "MT6261DA");
	g_assert_cmpstr(json_object_get_string_member(obj, "hw_code"), ==, "0x6261");
	g_assert_cmpstr(json_object_get_string_member(obj, "me_id"),
			==,
			"f81da2153082cc5e21ac5236876844c2");
	g_assert_true(json_object_get_boolean_member(obj, "in_boot_rom"));
	flash = json_object_get_object_member(obj, "flash");
	g_assert_cmpstr(json_object_get_string_member(flash, "jedec_id"), ==, "C22016");
	g_assert_cmpstr(json_object_get_string_member(flash, "part"), ==, "MX25L3233");
	g_assert_cmpint(json_object_get_int_member(flash, "size"), ==, 4 * 1024 * 1024);
	g_assert_cmpstr(json_object_get_string_member(flash, "size_method"), ==, "jedec");
}

static void
test_identify_chips(Fixture *f, gconstpointer data)
{
	const struct {
		ChipIds ids;
		const gchar *chip;
		gboolean known;
	} cases[] = {
		{{0xCB01, 0x6261, 0x35C00000}, "MT6261DA", TRUE},
		{{0xCA02, 0x6261, 0x35C00000}, "MT6261MA", TRUE},
		{{0xCB01, 0x6261, 0x36000000}, "MT2503", TRUE},
		{{0xCB01, 0x6261, 0x76400000}, "MT2503DV", TRUE},
		{{0x8A00, 0x6260, 0x00000000}, "MT6260", TRUE},
		{{0xCA00, 0x6572, 0x00000000}, "unknown chip 0x6572", FALSE},
	};
	const guint8 id[3] = {0xC8, 0x60, 0x17};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(WfDeviceInfo) info = NULL;

		script_ids(f, &cases[i].ids);
		script_jedec(f, id);
		info = identify_ok(f, 0);
		g_assert_cmpstr(wf_device_info_get_chip(info), ==, cases[i].chip);
		g_assert_cmpint(wf_device_info_get_chip_known(info), ==, cases[i].known);
		g_assert_cmpuint(wf_device_info_get_flash_size(info), ==, 8 * 1024 * 1024);
		g_assert_cmpstr(wf_device_info_get_flash_part(info), ==, "GD25LQ64");
	}
}

static void
test_identify_override(Fixture *f, gconstpointer data)
{
	const guint8 id[3] = {0xEF, 0x40, 0x16};
	g_autoptr(WfDeviceInfo) info = NULL;
	const gchar *jedec;

	script_ids(f, &mt6261da);
	script_jedec(f, id);
	info = identify_ok(f, 8 * 1024 * 1024);
	/* the user wins, the id is still recorded */
	g_assert_cmpuint(wf_device_info_get_flash_size(info), ==, 8 * 1024 * 1024);
	g_assert_cmpstr(wf_device_info_get_flash_size_method(info), ==, "override");
	jedec = wf_device_info_get_jedec_id_string(info);
	g_assert_cmpstr(jedec, ==, "EF4016");
	g_assert_cmpstr(wf_device_info_get_flash_part(info), ==, "W25Q32");
}

static void
test_identify_override_without_sfi(Fixture *f, gconstpointer data)
{
	g_autoptr(WfDeviceInfo) info = NULL;
	g_autoptr(JsonNode) node = NULL;
	JsonObject *flash;

	script_ids(f, &mt6261da);
	script_jedec_refused(f);
	info = identify_ok(f, 4 * 1024 * 1024);
	g_assert_cmpstr(wf_device_info_get_flash_size_method(info), ==, "override");
	g_assert_false(wf_device_info_has_jedec_id(info));
	g_assert_null(wf_device_info_get_jedec_id(info));
	node = wf_device_info_to_json(info);
	flash = json_object_get_object_member(json_node_get_object(node), "flash");
	g_assert_true(json_object_get_null_member(flash, "jedec_id"));
	g_assert_true(json_object_get_null_member(flash, "part"));
	g_assert_nonnull(strstr(json_object_get_string_member(flash, "jedec_error"), "0x1D02"));
}

static void
fill_header(guint8 *buf, gsize len)
{
	for (gsize i = 0; i < len; i++)
		buf[i] = (guint8)(0x4D + i * 3);
}

static void
script_remap(Fixture *f)
{
	const guint32 two = 2;

	wf_test_script_brom_read32(f->script, 0xA0510000, 0);
	wf_test_script_brom_write32(f->script, 0xA0510000, &two, 1);
}

static void
test_identify_mirror(Fixture *f, gconstpointer data)
{
	g_autoptr(WfDeviceInfo) info = NULL;
	guint8 header[256];
	guint8 other[256];

	fill_header(header, sizeof(header));
	memset(other, 0xFF, sizeof(other));
	script_ids(f, &mt6261da);
	script_jedec_refused(f);
	script_remap(f);
	wf_test_script_brom_read_memory(f->script, 0x000000, header, sizeof(header));
	/* 1 and 2 MiB hold other data, at 4 MiB the chip starts over */
	wf_test_script_brom_read_memory(f->script, 0x100000, other, sizeof(other));
	wf_test_script_brom_read_memory(f->script, 0x200000, other, sizeof(other));
	wf_test_script_brom_read_memory(f->script, 0x400000, header, sizeof(header));
	info = identify_ok(f, 0);
	g_assert_cmpuint(wf_device_info_get_flash_size(info), ==, 4 * 1024 * 1024);
	g_assert_cmpstr(wf_device_info_get_flash_size_method(info), ==, "mirror");
	g_assert_false(wf_device_info_has_jedec_id(info));
}

static void
test_identify_mirror_bad_jedec(Fixture *f, gconstpointer data)
{
	const guint8 floating[3] = {0xFF, 0xFF, 0xFF};
	g_autoptr(WfDeviceInfo) info = NULL;
	guint8 header[256];
	guint8 other[256];

	/* a floating bus reads FF FF FF: not an id, so the mirror decides */
	fill_header(header, sizeof(header));
	memset(other, 0x00, sizeof(other));
	script_ids(f, &mt6261da);
	script_jedec(f, floating);
	script_remap(f);
	wf_test_script_brom_read_memory(f->script, 0x000000, header, sizeof(header));
	wf_test_script_brom_read_memory(f->script, 0x100000, other, sizeof(other));
	wf_test_script_brom_read_memory(f->script, 0x200000, other, sizeof(other));
	wf_test_script_brom_read_memory(f->script, 0x400000, other, sizeof(other));
	wf_test_script_brom_read_memory(f->script, 0x800000, header, sizeof(header));
	info = identify_ok(f, 0);
	g_assert_cmpuint(wf_device_info_get_flash_size(info), ==, 8 * 1024 * 1024);
	g_assert_cmpstr(wf_device_info_get_flash_size_method(info), ==, "mirror");
}

static void
test_identify_mirror_blank(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(WfDeviceInfo) info = NULL;
	guint8 blank[256];

	memset(blank, 0xFF, sizeof(blank));
	script_ids(f, &mt6261da);
	script_jedec_refused(f);
	script_remap(f);
	wf_test_script_brom_read_memory(f->script, 0x000000, blank, sizeof(blank));
	g_assert_false(wf_device_info_identify(f->brom, 0, &info, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_NOT_SUPPORTED);
	g_assert_nonnull(strstr(error->message, "blank"));
	g_assert_null(info);
	wf_test_script_assert_finished(f->script);
}

static void
test_identify_lost(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(WfDeviceInfo) info = NULL;

	script_ids(f, &mt6261da);
	wf_test_script_expect(f->script, "D4 A0140800 00000001");
	wf_test_script_disconnect(f->script);
	/* an unplugged watch is not a reason to try mirror detection */
	g_assert_false(wf_device_info_identify(f->brom, 0, &info, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_DEVICE_LOST);
	g_assert_null(info);
}

static void
test_identify_silent_a2(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(WfDeviceInfo) info = NULL;

	wf_test_script_echo(f->script, "A2 80000000 00000001");
	g_assert_false(wf_device_info_identify(f->brom, 0, &info, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_TIMED_OUT);
	g_assert_nonnull(strstr(error->message, "0x80000000"));
}

static void
test_jedec_tables(void)
{
	const guint8 mx[3] = {0xC2, 0x20, 0x16};
	const guint8 gd[3] = {0xC8, 0x60, 0x17};
	const guint8 w16m[3] = {0xEF, 0x40, 0x18};
	const guint8 unknown[3] = {0x1F, 0x86, 0x01};
	const guint8 zero[3] = {0x00, 0x00, 0x00};
	const guint8 huge[3] = {0xC2, 0x20, 0x30};
	const guint8 mx25u32[3] = {0xC2, 0x25, 0x36};
	const guint8 kh25u64[3] = {0xC2, 0x25, 0x37};
	const guint8 mx25u128[3] = {0xC2, 0x25, 0x38};
	const guint8 not_macronix[3] = {0xEF, 0x25, 0x36};

	g_assert_cmpuint(wf_device_info_flash_size_for_jedec(mx), ==, 4 << 20);
	g_assert_cmpuint(wf_device_info_flash_size_for_jedec(gd), ==, 8 << 20);
	g_assert_cmpuint(wf_device_info_flash_size_for_jedec(w16m), ==, 16 << 20);
	g_assert_cmpuint(wf_device_info_flash_size_for_jedec(zero), ==, 0);
	g_assert_cmpuint(wf_device_info_flash_size_for_jedec(huge), ==, 0);
	/* Macronix 1.8 V parts count their capacity code from 0x20 */
	g_assert_cmpuint(wf_device_info_flash_size_for_jedec(mx25u32), ==, 4 << 20);
	g_assert_cmpuint(wf_device_info_flash_size_for_jedec(kh25u64), ==, 8 << 20);
	g_assert_cmpuint(wf_device_info_flash_size_for_jedec(mx25u128), ==, 16 << 20);
	g_assert_cmpuint(wf_device_info_flash_size_for_jedec(not_macronix), ==, 0);
	g_assert_cmpstr(wf_device_info_flash_part_for_jedec(mx), ==, "MX25L3233");
	g_assert_cmpstr(wf_device_info_flash_part_for_jedec(gd), ==, "GD25LQ64");
	g_assert_null(wf_device_info_flash_part_for_jedec(unknown));
	g_assert_cmpstr(wf_device_info_chip_name(0x6261, 0xCB01, 0x35C0), ==, "MT6261DA");
	g_assert_null(wf_device_info_chip_name(0x6580, 0xCA00, 0));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, fn) g_test_add(path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
	ADD("/device-info/identify/jedec", test_identify_jedec);
	ADD("/device-info/identify/chips", test_identify_chips);
	ADD("/device-info/identify/override", test_identify_override);
	ADD("/device-info/identify/override-without-sfi", test_identify_override_without_sfi);
	ADD("/device-info/identify/mirror", test_identify_mirror);
	ADD("/device-info/identify/mirror-bad-jedec", test_identify_mirror_bad_jedec);
	ADD("/device-info/identify/mirror-blank", test_identify_mirror_blank);
	ADD("/device-info/identify/lost", test_identify_lost);
	ADD("/device-info/identify/silent-a2", test_identify_silent_a2);
#undef ADD
	g_test_add_func("/device-info/jedec-tables", test_jedec_tables);
	return g_test_run();
}
