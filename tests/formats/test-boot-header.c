/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "wf-boot-header.h"
#include "wf-error.h"
#include "wf-formats-test.h"

/* the SIM868 layout: BOOTLOADER 0x1BC0 bytes at 0x800, EXT_BOOTLOADER
 * 0x7CFC bytes at 0x2400, ROM at 0xB000 (firmware-formats.md §2.3) */
static const WfBootHeaderBl sim868_bls[] = {
	{.device = 7, .file_type = 1, .begin = 0x800, .boundary = 0x800 + 0x1BC0, .attribute = 1},
	{.device = 7, .file_type = 2, .begin = 0x2400, .boundary = 0x2400 + 0x7CFC, .attribute = 1},
};

static GBytes *
build_sim868(void)
{
	g_autoptr(GError) error = NULL;
	GBytes *blob = wf_boot_header_build(0xB000, sim868_bls, 2, &error);
	g_assert_no_error(error);
	g_assert_nonnull(blob);
	return blob;
}

static WfBootHeader *
parse_copy(const guint8 *buf, gsize size)
{
	g_autoptr(GBytes) blob = g_bytes_new(buf, size);
	g_autoptr(GError) error = NULL;
	WfBootHeader *hdr = wf_boot_header_new_from_bytes(blob, &error);
	g_assert_no_error(error);
	return hdr;
}

static gboolean
warnings_contain(WfBootHeader *hdr, const gchar *needle)
{
	GPtrArray *warnings = wf_boot_header_get_warnings(hdr);
	for (guint i = 0; i < warnings->len; i++) {
		if (strstr(g_ptr_array_index(warnings, i), needle) != NULL)
			return TRUE;
	}
	return FALSE;
}

static void
test_boot_header_build_layout(void)
{
	g_autoptr(GBytes) blob = build_sim868();
	gsize size = 0;
	const guint8 *buf = g_bytes_get_data(blob, &size);
	const guint8 *brlyt = buf + 0x200;

	/* byte by byte, the layout the DA accepted [X] */
	g_assert_cmpuint(size, ==, 0x800);
	g_assert_cmpmem(buf, 8, "SF_BOOT\0", 8);
	g_assert_cmpmem(buf + 8, 12, "\0\0\0\0\x01\0\0\0\0\x02\0\0", 12);
	g_assert_cmpuint(buf[0x14], ==, 0xFF);
	g_assert_cmpuint(buf[0x1FF], ==, 0xFF);
	g_assert_cmpmem(brlyt, 8, "BRLYT\0\0\0", 8);
	g_assert_cmpmem(brlyt + 8, 12, "\x01\0\0\0\0\x08\0\0\0\xB0\0\0", 12);
	/* descriptor 0: BBBB, dev 7, pad, type 1, 0x800, 0x23C0, attr 1 */
	g_assert_cmpmem(brlyt + 0x14,
			20,
			"BBBB\x07\x00\x01\x00\x00\x08\x00\x00\xC0\x23\x00\x00\x01\x00\x00\x00",
			20);
	g_assert_cmpmem(brlyt + 0x28, 8, "BBBB\x07\x00\x02\x00", 8);
	/* six unused slots, erased */
	for (guint i = 0x3C; i < 0xB4; i++)
		g_assert_cmpuint(brlyt[i], ==, 0xFF);
	g_assert_cmpuint(buf[0x2B4], ==, 0xFF);
	g_assert_cmpuint(buf[0x7FF], ==, 0xFF);
}

static void
test_boot_header_round_trip(void)
{
	g_autoptr(GBytes) blob = build_sim868();
	g_autoptr(WfBootHeader) hdr =
		parse_copy(g_bytes_get_data(blob, NULL), g_bytes_get_size(blob));
	g_autoptr(GBytes) again = NULL;
	GArray *bls = wf_boot_header_get_bls(hdr);
	g_autoptr(JsonNode) json = NULL;
	g_autofree gchar *json_str = NULL;

	g_assert_cmpint(wf_boot_header_get_state(hdr), ==, WF_BOOT_HEADER_STATE_VALID);
	g_assert_cmpuint(wf_boot_header_get_warnings(hdr)->len, ==, 0);
	g_assert_cmpuint(wf_boot_header_get_sf_version(hdr), ==, 1);
	g_assert_cmphex(wf_boot_header_get_dev_rw_unit(hdr), ==, 0x200);
	g_assert_cmpuint(wf_boot_header_get_brlyt_version(hdr), ==, 1);
	g_assert_cmphex(wf_boot_header_get_boot_region_addr(hdr), ==, 0x800);
	g_assert_cmphex(wf_boot_header_get_main_region_addr(hdr), ==, 0xB000);
	g_assert_cmphex(wf_boot_header_get_boot_style(hdr), ==, 0x407);
	g_assert_cmpuint(bls->len, ==, 2);
	for (guint i = 0; i < 2; i++) {
		WfBootHeaderBl *bl = &g_array_index(bls, WfBootHeaderBl, i);
		g_assert_cmpuint(bl->device, ==, sim868_bls[i].device);
		g_assert_cmpuint(bl->file_type, ==, sim868_bls[i].file_type);
		g_assert_cmphex(bl->begin, ==, sim868_bls[i].begin);
		g_assert_cmphex(bl->boundary, ==, sim868_bls[i].boundary);
		g_assert_cmpuint(bl->attribute, ==, sim868_bls[i].attribute);
	}
	/* build(parse(build(x))) == build(x) */
	again = wf_boot_header_build(wf_boot_header_get_main_region_addr(hdr),
				     (const WfBootHeaderBl *)bls->data,
				     bls->len,
				     NULL);
	g_assert_true(g_bytes_equal(blob, again));

	json = wf_boot_header_to_json(hdr);
	json_str = wf_test_json_to_string(json);
	g_assert_nonnull(strstr(json_str, "\"state\" : \"valid\""));
	g_assert_nonnull(strstr(json_str, "\"boot_style\" : \"0x407\""));
	g_assert_nonnull(strstr(json_str, "\"main_region_dev_addr\" : \"0xB000\""));
}

static void
test_boot_header_no_header(void)
{
	guint8 buf[0x800];
	g_autoptr(WfBootHeader) erased = NULL;
	g_autoptr(WfBootHeader) zeros = NULL;
	g_autoptr(WfBootHeader) rom = NULL;
	g_autoptr(WfBootHeader) short_erased = NULL;
	g_autoptr(GBytes) rom_blob = wf_test_load("headers", "mt6261_sim868_ROM_gfh.bin");
	g_autoptr(GBytes) tiny = g_bytes_new_static("SF_BOOT", 7);
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) json = NULL;
	g_autofree gchar *json_str = NULL;

	memset(buf, 0xFF, sizeof(buf));
	erased = parse_copy(buf, sizeof(buf));
	g_assert_cmpint(wf_boot_header_get_state(erased), ==, WF_BOOT_HEADER_STATE_ERASED);
	g_assert_cmpuint(wf_boot_header_get_boot_style(erased), ==, 0);
	short_erased = parse_copy(buf, 0x20);
	g_assert_cmpint(wf_boot_header_get_state(short_erased), ==, WF_BOOT_HEADER_STATE_ERASED);
	/* 0xFF up to the BRLYT end, then data: still a blank header area */
	buf[0x2B4] = 0x00;
	g_clear_object(&erased);
	erased = parse_copy(buf, sizeof(buf));
	g_assert_cmpint(wf_boot_header_get_state(erased), ==, WF_BOOT_HEADER_STATE_ERASED);
	buf[0x100] = 0x00;
	g_clear_object(&erased);
	erased = parse_copy(buf, sizeof(buf));
	g_assert_cmpint(wf_boot_header_get_state(erased), ==, WF_BOOT_HEADER_STATE_NONE);

	memset(buf, 0, sizeof(buf));
	zeros = parse_copy(buf, sizeof(buf));
	g_assert_cmpint(wf_boot_header_get_state(zeros), ==, WF_BOOT_HEADER_STATE_NONE);
	json = wf_boot_header_to_json(zeros);
	json_str = wf_test_json_to_string(json);
	g_assert_nonnull(strstr(json_str, "\"state\" : \"none\""));
	g_assert_null(strstr(json_str, "bootloaders"));

	/* a bare ROM file is not a dump */
	rom = wf_boot_header_new_from_bytes(rom_blob, NULL);
	g_assert_cmpint(wf_boot_header_get_state(rom), ==, WF_BOOT_HEADER_STATE_NONE);

	g_assert_null(wf_boot_header_new_from_bytes(tiny, &error));
	wf_test_assert_error(error, WF_ERROR, WF_ERROR_INVALID_FILE, "0x7 bytes is too short");
}

typedef struct {
	gsize offset;
	guint32 value;
	WfBootHeaderState state;
	const gchar *needle;
} Damage;

static void
test_boot_header_damaged(void)
{
	g_autoptr(GBytes) good = build_sim868();
	const Damage cases[] = {
		{0x10, 0, WF_BOOT_HEADER_STATE_DAMAGED, "dev_rw_unit 0x0 is not a plausible"},
		{0x10,
		 0x20000,
		 WF_BOOT_HEADER_STATE_DAMAGED,
		 "dev_rw_unit 0x20000 is not a plausible"},
		{0x10, 0x7C0, WF_BOOT_HEADER_STATE_DAMAGED, "BRLYT at 0x7c0 runs past the end"},
		{0x10, 0x400, WF_BOOT_HEADER_STATE_DAMAGED, "no ‘BRLYT’ record at 0x400"},
		{0x200, 0x594C5243, WF_BOOT_HEADER_STATE_DAMAGED, "no ‘BRLYT’ record at 0x200"},
		{0x214,
		 0xFFFFFFFF,
		 WF_BOOT_HEADER_STATE_VALID,
		 "slot 1 is used after an unused slot"},
		{0x0C, 2, WF_BOOT_HEADER_STATE_VALID, "SF header version 2, expected 1"},
		{0x08,
		 0x12345678,
		 WF_BOOT_HEADER_STATE_VALID,
		 "SF header bytes 8..11 are 0x12345678"},
		{0x208, 3, WF_BOOT_HEADER_STATE_VALID, "BRLYT version 3, expected 1"},
		{0x20C, 0x1000, WF_BOOT_HEADER_STATE_VALID, "boot_region_dev_addr 0x1000 differs"},
		{0x210,
		 0x3000,
		 WF_BOOT_HEADER_STATE_VALID,
		 "main_region_dev_addr 0x3000 is inside"},
		{0x218,
		 0x00010003,
		 WF_BOOT_HEADER_STATE_VALID,
		 "bootloader 0: device 3, expected 7"},
		{0x218,
		 0x00020007,
		 WF_BOOT_HEADER_STATE_VALID,
		 "bootloader 0: file type 2, expected 1"},
		{0x220,
		 0x700,
		 WF_BOOT_HEADER_STATE_VALID,
		 "bootloader 0: boundary 0x700 is not after"},
		{0x230, 0x800, WF_BOOT_HEADER_STATE_VALID, "bootloader 1: begins at 0x800, inside"},
		{0x224, 0, WF_BOOT_HEADER_STATE_VALID, "bootloader 0: attribute 0x0, expected 1"},
		{0x23C, 0x12345678, WF_BOOT_HEADER_STATE_VALID, "slot 2: magic 0x12345678"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree guint8 *copy = g_memdup2(g_bytes_get_data(good, NULL), 0x800);
		g_autoptr(WfBootHeader) hdr = NULL;
		g_test_message("case %u", i);
		wf_test_put32(copy + cases[i].offset, cases[i].value);
		hdr = parse_copy(copy, 0x800);
		g_assert_cmpint(wf_boot_header_get_state(hdr), ==, cases[i].state);
		if (!warnings_contain(hdr, cases[i].needle))
			g_error("no warning with ‘%s’", cases[i].needle);
	}
}

static void
test_boot_header_no_descriptor(void)
{
	g_autoptr(GBytes) good = build_sim868();
	g_autofree guint8 *copy = g_memdup2(g_bytes_get_data(good, NULL), 0x800);
	g_autoptr(WfBootHeader) hdr = NULL;
	g_autoptr(WfBootHeader) cut = NULL;

	memset(copy + 0x214, 0xFF, 8 * 20);
	hdr = parse_copy(copy, 0x800);
	g_assert_cmpint(wf_boot_header_get_state(hdr), ==, WF_BOOT_HEADER_STATE_DAMAGED);
	g_assert_true(warnings_contain(hdr, "BRLYT lists no bootloader"));
	g_assert_cmpuint(wf_boot_header_get_boot_style(hdr), ==, 0);

	/* SF header present, the dump cut before the layout ends */
	cut = parse_copy(g_bytes_get_data(good, NULL), 0x250);
	g_assert_cmpint(wf_boot_header_get_state(cut), ==, WF_BOOT_HEADER_STATE_DAMAGED);
	g_assert_true(warnings_contain(cut, "runs past the end of the data (0x250 bytes)"));
}

static void
test_boot_header_build_errors(void)
{
	WfBootHeaderBl bls[9];
	struct {
		guint n;
		guint32 main;
		guint32 begin0;
		guint32 boundary0;
		const gchar *needle;
	} cases[] = {
		{0, 0xB000, 0x800, 0x1000, "holds 1 to 8 bootloaders, not 0"},
		{9, 0xB000, 0x800, 0x1000, "holds 1 to 8 bootloaders, not 9"},
		{1, 0xB000, 0x100, 0x1000, "bootloader 0: 0x100..0x1000 overlaps the header block"},
		{1, 0xB000, 0x800, 0x800, "bootloader 0: 0x800..0x800 overlaps"},
		{1, 0x900, 0x800, 0x1000, "main region 0x900 starts inside the boot region"},
		{1, 0xF0000000, 0x20000, 0x30000, "header block would be larger than 0x10000"},
		{2, 0xB000, 0x800, 0x3000, "bootloader 1: 0x2400..0xa0fc overlaps"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) blob = NULL;
		memset(bls, 0, sizeof(bls));
		for (guint j = 0; j < G_N_ELEMENTS(bls); j++) {
			bls[j].device = 7;
			bls[j].file_type = j + 1;
			bls[j].begin = 0x10000 + j * 0x1000;
			bls[j].boundary = bls[j].begin + 0x800;
			bls[j].attribute = 1;
		}
		bls[0].begin = cases[i].begin0;
		bls[0].boundary = cases[i].boundary0;
		if (cases[i].n == 2)
			bls[1] = sim868_bls[1];
		g_test_message("case %u", i);
		blob = wf_boot_header_build(cases[i].main, bls, cases[i].n, &error);
		g_assert_null(blob);
		wf_test_assert_error(error, WF_ERROR, WF_ERROR_INVALID_DATA, cases[i].needle);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_test_add_func("/formats/boot-header/build-layout", test_boot_header_build_layout);
	g_test_add_func("/formats/boot-header/round-trip", test_boot_header_round_trip);
	g_test_add_func("/formats/boot-header/no-header", test_boot_header_no_header);
	g_test_add_func("/formats/boot-header/damaged", test_boot_header_damaged);
	g_test_add_func("/formats/boot-header/no-descriptor", test_boot_header_no_descriptor);
	g_test_add_func("/formats/boot-header/build-errors", test_boot_header_build_errors);
	return g_test_run();
}
