/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <lzma.h>
#include <string.h>

#include "wf-error.h"
#include "wf-sim-image.h"

/*
 * Byte-level checks of the generated flash image, written from
 * docs/firmware-formats.md (§2.2–§2.4) and docs/simulator.md, not by calling
 * any parser of the project: offsets and values are read here directly.
 */

#define MIB (1024u * 1024u)

static const guint8 test_jedec[3] = {0xC8, 0x60, 0x16};
static const guint8 test_me_id_a[16] = {0x10,
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
static const guint8 test_me_id_b[16] = {0xA5,
					0x5A,
					0x00,
					0x11,
					0x22,
					0x33,
					0x44,
					0x55,
					0x66,
					0x77,
					0x88,
					0x99,
					0xAA,
					0xBB,
					0xCC,
					0xDD};

static guint16
rd16(const guint8 *p)
{
	return p[0] | p[1] << 8;
}

static guint32
rd32(const guint8 *p)
{
	return (guint32)p[0] | (guint32)p[1] << 8 | (guint32)p[2] << 16 | (guint32)p[3] << 24;
}

static guint64
rd64(const guint8 *p)
{
	return (guint64)rd32(p) | (guint64)rd32(p + 4) << 32;
}

static gboolean
all_ff(const guint8 *p, gsize len)
{
	for (gsize i = 0; i < len; i++) {
		if (p[i] != 0xFF)
			return FALSE;
	}
	return TRUE;
}

/* a NUL-terminated string that starts right after a NUL (or at @start) */
static gboolean
has_cstr(const guint8 *p, gsize len, const gchar *s)
{
	gsize slen = strlen(s) + 1;
	for (gsize i = 0; i + slen <= len; i++) {
		if (memcmp(p + i, s, slen) == 0 && (i == 0 || p[i - 1] == '\0'))
			return TRUE;
	}
	return FALSE;
}

static const guint8 *
find_bytes(const guint8 *p, gsize len, const void *needle, gsize nlen)
{
	for (gsize i = 0; i + nlen <= len; i++) {
		if (memcmp(p + i, needle, nlen) == 0)
			return p + i;
	}
	return NULL;
}

static gboolean
has_bytes(const guint8 *p, gsize len, const void *needle, gsize nlen)
{
	return find_bytes(p, len, needle, nlen) != NULL;
}

static GBytes *
build_ok(const WfSimImageSpec *spec)
{
	g_autoptr(GError) error = NULL;
	GBytes *img = wf_sim_image_build(spec, &error);
	g_assert_no_error(error);
	g_assert_nonnull(img);
	g_assert_cmpuint(g_bytes_get_size(img), ==, spec->flash_size);
	return img;
}

static void
layout_ok(const WfSimImageSpec *spec, WfSimImageLayout *layout)
{
	g_autoptr(GError) error = NULL;
	g_assert_true(wf_sim_image_get_layout(spec, layout, &error));
	g_assert_no_error(error);
}

/* walks the MMM records from @p and returns the chain length; types go to @types */
static guint32
gfh_walk(const guint8 *p, guint16 *types, guint max_types, guint *n_types)
{
	guint32 off = 0;
	*n_types = 0;
	while (memcmp(p + off, "MMM", 3) == 0) {
		guint16 size = rd16(p + off + 4);
		g_assert_cmpuint(size, >=, 8);
		g_assert_cmpuint(size % 4, ==, 0);
		if (*n_types < max_types)
			types[*n_types] = rd16(p + off + 6);
		(*n_types)++;
		off += size;
	}
	return off;
}

/* finds a GFH record of @type in the chain at @p, which has @len readable bytes */
static const guint8 *
gfh_find(const guint8 *p, gsize len, guint16 type)
{
	gsize off = 0;
	while (off + 8 <= len && memcmp(p + off, "MMM", 3) == 0) {
		if (rd16(p + off + 6) == type)
			return p + off;
		off += rd16(p + off + 4);
	}
	return NULL;
}

static void
check_file_info(const guint8 *p,
		guint16 file_type,
		guint8 sig_type,
		guint32 load,
		guint32 file_len,
		guint32 sig_len,
		guint32 attr)
{
	g_assert_cmpmem(p, 4, "MMM\x01", 4);
	g_assert_cmpuint(rd16(p + 4), ==, 0x38);
	g_assert_cmpuint(rd16(p + 6), ==, 0x0000);
	g_assert_cmpmem(p + 8, 12, "FILE_INFO\0\0\0", 12);
	g_assert_cmpuint(rd32(p + 0x14), ==, 1);
	g_assert_cmpuint(rd16(p + 0x18), ==, file_type);
	g_assert_cmpuint(p[0x1A], ==, 7);
	g_assert_cmpuint(p[0x1B], ==, sig_type);
	g_assert_cmpuint(rd32(p + 0x1C), ==, load);
	g_assert_cmpuint(rd32(p + 0x20), ==, file_len);
	g_assert_cmpuint(rd32(p + 0x24), ==, 0xFFFFFFFF);
	g_assert_cmpuint(rd32(p + 0x2C), ==, sig_len);
	g_assert_cmpuint(rd32(p + 0x34), ==, attr);
}

static void
test_header_block(void)
{
	WfSimImageSpec spec;
	WfSimImageLayout l;
	g_autoptr(GBytes) img = NULL;
	const guint8 *p;
	const guint8 *brlyt;

	wf_sim_image_spec_init(&spec, 4 * MIB, test_jedec, test_me_id_a);
	img = build_ok(&spec);
	layout_ok(&spec, &l);
	p = g_bytes_get_data(img, NULL);

	/* SF header */
	g_assert_cmpmem(p, 8, "SF_BOOT\0", 8);
	g_assert_cmpuint(rd32(p + 0x08), ==, 0);
	g_assert_cmpuint(rd32(p + 0x0C), ==, 1);
	g_assert_cmpuint(rd32(p + 0x10), ==, 0x200);
	g_assert_true(all_ff(p + 0x14, 0x200 - 0x14));

	/* BRLYT at the offset the SF header names */
	brlyt = p + rd32(p + 0x10);
	g_assert_cmpmem(brlyt, 8, "BRLYT\0\0\0", 8);
	g_assert_cmpuint(rd32(brlyt + 0x08), ==, 1);
	g_assert_cmpuint(rd32(brlyt + 0x0C), ==, 0x800);
	g_assert_cmpuint(rd32(brlyt + 0x10), ==, 0xB000);
	for (guint i = 0; i < 2; i++) {
		const guint8 *d = brlyt + 0x14 + 20 * i;
		guint32 begin = i == 0 ? 0x800 : 0x2400;
		g_assert_cmpuint(rd32(d), ==, 0x42424242);
		g_assert_cmpuint(d[4], ==, 7);
		g_assert_cmpuint(rd16(d + 6), ==, i + 1);
		g_assert_cmpuint(rd32(d + 8), ==, begin);
		/* boundary = begin + the file_len in the bootloader's own FILE_INFO */
		g_assert_cmpuint(rd32(d + 12), ==, begin + rd32(p + begin + 0x20));
		g_assert_cmpuint(rd32(d + 16), ==, 1);
	}
	g_assert_cmpuint(rd32(brlyt + 0x14 + 12), ==, l.bl_offset + l.bl_len);
	g_assert_cmpuint(rd32(brlyt + 0x14 + 20 + 12), ==, l.ext_bl_offset + l.ext_bl_len);
	/* six unused descriptor slots, then nothing up to the bootloader */
	g_assert_true(all_ff(brlyt + 0x14 + 40, 6 * 20));
	g_assert_cmpuint(0x14 + 8 * 20, ==, 180);
	g_assert_true(all_ff(brlyt + 180, 0x800 - 0x200 - 180));
}

static void
check_signed_body(const guint8 *p, guint32 file_len, guint32 content_offset)
{
	g_autoptr(GChecksum) sha1 = g_checksum_new(G_CHECKSUM_SHA1);
	guint8 digest[20];
	gsize digest_len = sizeof(digest);
	static const guint8 zero[12] = {0};

	/* mtk_sign trailer: "\0DNE", then SHA-1 of everything before the signature */
	g_assert_cmpmem(p + file_len - 0x24, 4, "\0DNE", 4);
	g_checksum_update(sha1, p, file_len - 0x20);
	g_checksum_get_digest(sha1, digest, &digest_len);
	g_assert_cmpmem(p + file_len - 0x20, 20, digest, 20);
	g_assert_cmpmem(p + file_len - 0x0C, 12, zero, 12);
	/* code body: never looks erased, not even one byte of it */
	g_assert_null(memchr(p + content_offset, 0xFF, file_len - 0x24 - content_offset));
}

static void
test_bootloaders(void)
{
	WfSimImageSpec spec;
	WfSimImageLayout l;
	g_autoptr(GBytes) img = NULL;
	const guint8 *p;
	const guint8 *bl;
	const guint8 *ext;
	guint16 types[8];
	guint n_types = 0;
	static const guint16 bl_types[] = {0x0000, 0x0007, 0x0001, 0x0209, 0x0101, 0x0008};
	static const guint16 ext_types[] = {0x0000, 0x0001, 0x0209};

	wf_sim_image_spec_init(&spec, 4 * MIB, test_jedec, test_me_id_a);
	img = build_ok(&spec);
	layout_ok(&spec, &l);
	p = g_bytes_get_data(img, NULL);

	bl = p + 0x800;
	g_assert_cmpuint(l.bl_offset, ==, 0x800);
	check_file_info(bl, 0x0001, 1, 0x70006000, l.bl_len, 0x20, 1);
	g_assert_cmpuint(gfh_walk(bl, types, G_N_ELEMENTS(types), &n_types), ==, 0x140);
	g_assert_cmpmem(types, n_types * 2, bl_types, sizeof(bl_types));
	g_assert_cmpuint(rd32(bl + 0x28), ==, 0x140);
	g_assert_cmpuint(rd32(bl + 0x30), ==, 0x140);
	g_assert_cmpuint(l.bl_len, <=, 0x2400 - 0x800);
	check_signed_body(bl, l.bl_len, 0x140);

	ext = p + 0x2400;
	g_assert_cmpuint(l.ext_bl_offset, ==, 0x2400);
	check_file_info(ext, 0x0002, 1, 0x10002400, l.ext_bl_len, 0x20, 3);
	g_assert_cmpuint(gfh_walk(ext, types, G_N_ELEMENTS(types), &n_types), ==, 0x60);
	g_assert_cmpmem(types, n_types * 2, ext_types, sizeof(ext_types));
	g_assert_cmpuint(rd32(ext + 0x28), ==, 0x60);
	g_assert_cmpuint(rd32(ext + 0x30), ==, 0x60);
	check_signed_body(ext, l.ext_bl_len, 0x60);

	/* erased between the regions */
	g_assert_true(all_ff(p + 0x800 + l.bl_len, 0x2400 - 0x800 - l.bl_len));
	g_assert_true(all_ff(p + 0x2400 + l.ext_bl_len, 0xB000 - 0x2400 - l.ext_bl_len));
}

static gboolean
cmem_has(const guint8 *cmem, const guint8 id[3])
{
	guint32 count = rd32(cmem + 12);
	for (guint32 i = 0; i < count; i++) {
		const guint8 *e = cmem + 16 + 10 * i;
		if (memcmp(e + 2, id, 3) == 0)
			return TRUE;
	}
	return FALSE;
}

static void
test_rom(void)
{
	WfSimImageSpec spec;
	WfSimImageLayout l;
	g_autoptr(GBytes) img = NULL;
	const guint8 *p;
	const guint8 *rom;
	const guint8 *rec;
	const guint8 *rominfo;
	guint16 types[8];
	guint n_types = 0;
	guint32 chain;
	static const guint8 real_ids[][3] = {{0xC2, 0x25, 0x36},
					     {0xEF, 0x40, 0x16},
					     {0xC2, 0x20, 0x16},
					     {0xEF, 0x70, 0x16},
					     {0xC8, 0x60, 0x16},
					     {0xC2, 0x25, 0x38}};
	static const gchar *strings[] = {"VW_DZ09_V1.0_COB_7789HSD_FT6236_EU_IPS_20250301",
					 "11CW1352MP GPLUS61A_11C_NX9",
					 "GPLUS61A_11C_NX9_HW",
					 "2025/03/01 10:00",
					 "MT6261",
					 "MT6261PRO",
					 "PLUTO_MMI",
					 "*#8375#",
					 "*#3646633#",
					 "*#66*#",
					 "*#87#",
					 "*#06#",
					 "*#1234#",
					 "ST7789",
					 "FT6236"};
	const gchar *bin_name = "GPLUS61A_11C_NX9_PCB01_gprs_MT6261_S00."
				"VW_DZ09_V1_0_COB_7789HSD_FT6236_EU_IPS_20250301.bin";
	g_autofree gchar *bin_upper = g_ascii_strup(bin_name, -1);

	wf_sim_image_spec_init(&spec, 4 * MIB, test_jedec, test_me_id_a);
	img = build_ok(&spec);
	layout_ok(&spec, &l);
	p = g_bytes_get_data(img, NULL);
	rom = p + 0xB000;

	g_assert_cmpuint(l.rom_offset, ==, 0xB000);
	check_file_info(rom, 0x0100, 0, 0x1000B000, l.rom_len, 0, 3);
	chain = gfh_walk(rom, types, G_N_ELEMENTS(types), &n_types);
	g_assert_cmpuint(rd32(rom + 0x28), ==, chain);
	g_assert_cmpuint(rd32(rom + 0x30), ==, chain);
	g_assert_cmpuint(types[1], ==, 0x0200);

	/* MAUI_INFO right after FILE_INFO: bin name at +0x08, VERNO at +0x88 */
	rec = rom + 0x38;
	g_assert_cmpuint(rd16(rec + 6), ==, 0x0200);
	g_assert_cmpstr((const gchar *)rec + 0x08, ==, bin_name);
	g_assert_cmpstr((const gchar *)rec + 0x88, ==, spec.verno);

	/* FLASH_INFO: the chip id and the FS base/size of a 4 MiB part */
	rec = gfh_find(rom, l.rom_len, 0x0207);
	g_assert_nonnull(rec);
	g_assert_cmpuint(rd16(rec + 0x14), ==, 0xC8);
	g_assert_cmpuint(rd16(rec + 0x16), ==, 0x60);
	g_assert_cmpuint(rd16(rec + 0x18), ==, 0x16);
	g_assert_cmpuint(rd32(rec + 0x1C), ==, 0x380000);
	g_assert_cmpuint(rd32(rec + 0x20), ==, 0x7E000);

	/* CMEM_ID_INFO: the watch's id plus the real ids, {type 3, len 3, id[8]} */
	rec = gfh_find(rom, l.rom_len, 0x0102);
	g_assert_nonnull(rec);
	g_assert_cmpuint(rd32(rec + 8), ==, 1);
	g_assert_cmpuint(rd32(rec + 12), ==, 6); /* C8 60 16 is one of the six */
	g_assert_cmpuint(rd16(rec + 4), >=, 16 + 10 * 6);
	for (guint i = 0; i < 6; i++) {
		const guint8 *e = rec + 16 + 10 * i;
		static const guint8 zero[5] = {0};
		g_assert_cmpuint(e[0], ==, 3);
		g_assert_cmpuint(e[1], ==, 3);
		g_assert_cmpmem(e + 5, 5, zero, 5);
		g_assert_true(cmem_has(rec, real_ids[i]));
	}
	g_assert_true(cmem_has(rec, test_jedec));

	/* ROMINFO block with the upper-case name and the VERNO */
	rominfo = find_bytes(rom, l.rom_len, "MTK_ROMINFO_v09", 16);
	g_assert_nonnull(rominfo);
	g_assert_cmpstr((const gchar *)rominfo + 0x10, ==, bin_upper);
	g_assert_cmpstr((const gchar *)rominfo + 0x90, ==, spec.verno);

	for (guint i = 0; i < G_N_ELEMENTS(strings); i++) {
		if (!has_cstr(rom + chain, l.rom_len - chain, strings[i]))
			g_error("string %s not in the ROM body", strings[i]);
	}
	/* the ROM ends where its FILE_INFO says; then erased up to VIVA */
	g_assert_true(all_ff(p + 0xB000 + l.rom_len, l.viva_offset - 0xB000 - l.rom_len));
}

static void
test_extra_flash_ids(void)
{
	WfSimImageSpec spec;
	g_autoptr(GBytes) img = NULL;
	const guint8 *rom;
	const guint8 *rec;
	static const guint8 jedec[3] = {0xC8, 0x60, 0x17};
	static const guint8 extra[][3] = {{0xEF, 0x60, 0x18}, {0xC2, 0x25, 0x36}};

	wf_sim_image_spec_init(&spec, 8 * MIB, jedec, test_me_id_a);
	spec.extra_flash_ids = extra;
	spec.n_extra_flash_ids = G_N_ELEMENTS(extra);
	img = build_ok(&spec);
	rom = (const guint8 *)g_bytes_get_data(img, NULL) + 0xB000;
	rec = gfh_find(rom, 0x4000, 0x0102);
	g_assert_nonnull(rec);
	/* own id + six real ones + one new extra; the duplicate extra is dropped */
	g_assert_cmpuint(rd32(rec + 12), ==, 8);
	g_assert_cmpuint(rd16(rec + 4), ==, (16 + 80 + 3) & ~3u);
	g_assert_true(cmem_has(rec, jedec));
	g_assert_true(cmem_has(rec, extra[0]));
	/* the watch's own id comes first, as the chip FLASH_INFO names */
	g_assert_cmpmem(rec + 16 + 2, 3, jedec, 3);
}

static guint8 *
lzma_alone_decode(const guint8 *src, gsize src_len, gsize expected_len)
{
	lzma_stream strm = LZMA_STREAM_INIT;
	guint8 *out = g_malloc(expected_len + 16);
	lzma_ret ret;

	g_assert_cmpint(lzma_alone_decoder(&strm, UINT64_MAX), ==, LZMA_OK);
	strm.next_in = src;
	strm.avail_in = src_len;
	strm.next_out = out;
	strm.avail_out = expected_len + 16;
	ret = lzma_code(&strm, LZMA_FINISH);
	g_assert_cmpint(ret, ==, LZMA_STREAM_END);
	g_assert_cmpuint(strm.total_out, ==, expected_len);
	g_assert_cmpuint(strm.total_in, ==, src_len);
	lzma_end(&strm);
	return out;
}

/* checks the VIVA container and returns the decoded ZIMAGE partition */
static guint8 *
check_viva(const guint8 *p, const WfSimImageLayout *l, gsize *payload_len)
{
	const guint8 *viva = p + l->viva_offset;
	const guint8 *zimage;
	guint32 base = 0x10000000 + l->viva_offset;
	guint32 src_off, src_len, dst_len;

	/* +0x400 after the 4-aligned end of the ROM */
	g_assert_cmpuint(l->viva_offset, ==, ((l->rom_offset + l->rom_len + 3) & ~3u) + 0x400);
	check_file_info(viva, 0x0108, 0, base, l->viva_len, 0, 3);
	g_assert_cmpuint(rd32(viva + 0x28), ==, 0x38);
	g_assert_cmpuint(rd32(viva + 0x30), ==, 0);
	g_assert_cmpuint(viva[0x38], !=, 'M');

	/* VIVAInfo: viva, zimage, boot_zimage, dcm, alice */
	g_assert_cmpuint(rd32(viva + 0x38), ==, base);
	g_assert_cmpuint(rd32(viva + 0x3C), ==, base + 0x4C);
	g_assert_cmpuint(rd32(viva + 0x40), ==, 0);
	g_assert_cmpuint(rd32(viva + 0x44), ==, 0);
	g_assert_cmpuint(rd32(viva + 0x48), ==, 0);

	zimage = viva + (rd32(viva + 0x3C) - base);
	g_assert_cmpuint(rd32(zimage), ==, 1);
	src_off = rd32(zimage + 8);
	src_len = rd32(zimage + 12);
	dst_len = rd32(zimage + 20);
	g_assert_cmpuint(src_off, ==, 0x18);
	g_assert_cmpuint(rd32(zimage + 16), ==, 0);
	/* the partition is the end of the VIVA file */
	g_assert_cmpuint(0x4C + src_off + src_len, ==, l->viva_len);

	/* LZMA-alone header as in SIM868: props 0x5C, 4 MiB dictionary, real size */
	g_assert_cmpuint(zimage[src_off], ==, 0x5C);
	g_assert_cmpuint(rd32(zimage + src_off + 1), ==, 0x00400000);
	g_assert_cmpuint(rd64(zimage + src_off + 5), ==, dst_len);

	g_assert_true(all_ff(p + l->viva_offset + l->viva_len,
			     l->fs_offset - l->viva_offset - l->viva_len));
	*payload_len = dst_len;
	return lzma_alone_decode(zimage + src_off, src_len, dst_len);
}

static void
test_viva(void)
{
	WfSimImageSpec spec;
	WfSimImageLayout l;
	g_autoptr(GBytes) img = NULL;
	g_autoptr(GBytes) expected = NULL;
	g_autofree guint8 *payload = NULL;
	gsize payload_len = 0;

	wf_sim_image_spec_init(&spec, 4 * MIB, test_jedec, test_me_id_a);
	img = build_ok(&spec);
	layout_ok(&spec, &l);
	payload = check_viva(g_bytes_get_data(img, NULL), &l, &payload_len);

	expected = wf_sim_image_get_zimage_payload(&spec);
	g_assert_cmpmem(
		payload, payload_len, g_bytes_get_data(expected, NULL), g_bytes_get_size(expected));
	/* readable resource strings, not the secret codes (those are plain in ROM) */
	g_assert_true(has_cstr(payload, payload_len, "STR_EN_000 Bluetooth"));
	g_assert_true(has_cstr(payload, payload_len, "STR_RU_023 Factory reset"));
	g_assert_true(has_cstr(payload, payload_len, "ZIMAGE_END"));
	g_assert_false(has_bytes(payload, payload_len, "*#8375#", 7));
	g_assert_cmpuint(payload[payload_len - 1], ==, '\0');
}

static void
test_compressed_codes(void)
{
	WfSimImageSpec spec;
	WfSimImageLayout l;
	g_autoptr(GBytes) img = NULL;
	g_autofree guint8 *payload = NULL;
	gsize payload_len = 0;
	gsize img_len = 0;
	const guint8 *p;
	static const gchar *codes[] = {"*#8375#", "*#3646633#", "*#66*#", "*#06#", "*#1234#"};

	wf_sim_image_spec_init(&spec, 4 * MIB, test_jedec, test_me_id_a);
	spec.compress_codes = TRUE;
	img = build_ok(&spec);
	layout_ok(&spec, &l);
	p = g_bytes_get_data(img, &img_len);
	payload = check_viva(p, &l, &payload_len);
	for (guint i = 0; i < G_N_ELEMENTS(codes); i++) {
		g_assert_false(has_bytes(p, img_len, codes[i], strlen(codes[i])));
		g_assert_true(has_cstr(payload, payload_len, codes[i]));
	}
	/* identity strings stay plain */
	g_assert_true(has_cstr(p + l.rom_offset, l.rom_len, "PLUTO_MMI"));
}

static guint
luhn_sum(const gchar *digits, guint n)
{
	guint sum = 0;
	/* from the right: the check digit counts once, its left neighbour twice, ... */
	for (guint i = 0; i < n; i++) {
		guint d = digits[n - 1 - i] - '0';
		if (i % 2 == 1)
			d = d * 2 > 9 ? d * 2 - 9 : d * 2;
		sum += d;
	}
	return sum;
}

/* the IMEI is the NUL-terminated 15-digit string in the first FS sector */
static gchar *
find_imei(const guint8 *fs)
{
	for (guint i = 1; i + 16 <= 0x1000; i++) {
		guint k = 0;
		while (k < 15 && g_ascii_isdigit(fs[i + k]))
			k++;
		if (k == 15 && fs[i + 15] == '\0' && !g_ascii_isdigit(fs[i - 1]))
			return g_strndup((const gchar *)fs + i, 15);
	}
	return NULL;
}

static void
test_fs_tail(void)
{
	WfSimImageSpec spec;
	WfSimImageLayout l;
	g_autoptr(GBytes) img_a = NULL;
	g_autoptr(GBytes) img_b = NULL;
	const guint8 *a;
	const guint8 *b;
	g_autofree gchar *imei_a = NULL;
	g_autofree gchar *imei_b = NULL;
	g_autofree gchar *imei_api = NULL;
	guint8 bt[6];

	wf_sim_image_spec_init(&spec, 4 * MIB, test_jedec, test_me_id_a);
	img_a = build_ok(&spec);
	layout_ok(&spec, &l);
	wf_sim_image_spec_init(&spec, 4 * MIB, test_jedec, test_me_id_b);
	img_b = build_ok(&spec);
	a = g_bytes_get_data(img_a, NULL);
	b = g_bytes_get_data(img_b, NULL);

	g_assert_cmpuint(l.fs_offset, ==, 0x380000);
	g_assert_cmpuint(l.fs_len, ==, 0x7E000);
	/* only the tail depends on the ME_ID */
	g_assert_cmpmem(a, l.fs_offset, b, l.fs_offset);
	g_assert_true(memcmp(a + l.fs_offset, b + l.fs_offset, 0x1000) != 0);

	g_assert_cmpmem(a + l.fs_offset, 8, "NVRAM_FS", 8);
	g_assert_cmpuint(rd32(a + l.fs_offset + 0x10), ==, l.fs_len);
	/* records fit in the first 4 KiB sector; the rest and the last 8 KiB are erased */
	g_assert_true(all_ff(a + l.fs_offset + 0x1000, 4 * MIB - l.fs_offset - 0x1000));

	imei_a = find_imei(a + l.fs_offset);
	imei_b = find_imei(b + l.fs_offset);
	g_assert_nonnull(imei_a);
	g_assert_nonnull(imei_b);
	g_assert_cmpstr(imei_a, !=, imei_b);
	g_assert_cmpuint(luhn_sum(imei_a, 15) % 10, ==, 0);
	g_assert_cmpuint(luhn_sum(imei_b, 15) % 10, ==, 0);
	imei_api = wf_sim_image_dup_imei(test_me_id_a);
	g_assert_cmpstr(imei_api, ==, imei_a);

	wf_sim_image_get_bt_addr(test_me_id_a, bt);
	g_assert_true(has_bytes(a + l.fs_offset, 0x1000, bt, 6));
	g_assert_false(has_bytes(b + l.fs_offset, 0x1000, bt, 6));
}

static void
test_luhn_known(void)
{
	/* a widely published example IMEI, to prove luhn_sum() itself */
	g_assert_cmpuint(luhn_sum("490154203237518", 15) % 10, ==, 0);
	g_assert_cmpuint(luhn_sum("490154203237517", 15) % 10, !=, 0);
}

static void
test_no_fs(void)
{
	WfSimImageSpec spec;
	WfSimImageLayout l;
	g_autoptr(GBytes) img = NULL;
	const guint8 *p;

	wf_sim_image_spec_init(&spec, 4 * MIB, test_jedec, test_me_id_a);
	spec.include_fs = FALSE;
	img = build_ok(&spec);
	layout_ok(&spec, &l);
	p = g_bytes_get_data(img, NULL);
	g_assert_true(all_ff(p + l.fs_offset, 4 * MIB - l.fs_offset));
}

static void
test_determinism(void)
{
	WfSimImageSpec spec;
	g_autoptr(GBytes) one = NULL;
	g_autoptr(GBytes) two = NULL;
	g_autoptr(GBytes) three = NULL;
	g_autoptr(GError) error = NULL;

	wf_sim_image_spec_init(&spec, 4 * MIB, test_jedec, test_me_id_a);
	one = build_ok(&spec);
	two = wf_sim_image_build_default(4 * MIB, test_jedec, test_me_id_a, &error);
	g_assert_no_error(error);
	g_assert_true(g_bytes_equal(one, two));

	/* and the output does depend on the build identity */
	spec.verno = "VW_DZ09_V1.1_COB_7789HSD_FT6236_EU_IPS_20250402";
	three = build_ok(&spec);
	g_assert_false(g_bytes_equal(one, three));
}

static void
test_sizes(void)
{
	static const struct {
		gsize size;
		guint32 fs_offset;
		guint32 fs_len;
	} cases[] = {
		{4 * MIB, 0x380000, 0x7E000},
		{8 * MIB, 0x700000, 0xFE000},
		{16 * MIB, 0xE00000, 0x1FE000},
	};
	static const gsize bad[] = {0, 2 * MIB, 3 * MIB, 4 * MIB + 1, 32 * MIB};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		WfSimImageSpec spec;
		WfSimImageLayout l;
		g_autoptr(GBytes) img = NULL;
		const guint8 *p;
		const guint8 *rec;

		wf_sim_image_spec_init(&spec, cases[i].size, test_jedec, test_me_id_a);
		img = build_ok(&spec);
		layout_ok(&spec, &l);
		p = g_bytes_get_data(img, NULL);
		rec = gfh_find(p + 0xB000, l.rom_len, 0x0207);
		g_assert_nonnull(rec);
		g_assert_cmpuint(rd32(rec + 0x1C), ==, cases[i].fs_offset);
		g_assert_cmpuint(rd32(rec + 0x20), ==, cases[i].fs_len);
		g_assert_cmpuint(l.fs_offset, ==, cases[i].fs_offset);
		g_assert_cmpuint(l.fs_len, ==, cases[i].fs_len);
		g_assert_cmpmem(p + cases[i].fs_offset, 8, "NVRAM_FS", 8);
		g_assert_true(all_ff(p + cases[i].size - 0x2000, 0x2000));
	}
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) img =
			wf_sim_image_build_default(bad[i], test_jedec, test_me_id_a, &error);
		g_assert_error(error, WF_ERROR, WF_ERROR_NOT_SUPPORTED);
		g_assert_null(img);
	}
}

static void
test_bricked(void)
{
	WfSimImageSpec spec;
	g_autoptr(GBytes) img = NULL;
	const guint8 *p;

	wf_sim_image_spec_init(&spec, 4 * MIB, test_jedec, test_me_id_a);
	spec.include_header_block = FALSE;
	img = build_ok(&spec);
	p = g_bytes_get_data(img, NULL);
	g_assert_true(all_ff(p, 0x800));
	g_assert_cmpmem(p + 0x800, 4, "MMM\x01", 4);
	g_assert_cmpmem(p + 0xB000, 4, "MMM\x01", 4);
}

static void
test_other_offsets(void)
{
	WfSimImageSpec spec;
	WfSimImageLayout l;
	g_autoptr(GBytes) img = NULL;
	const guint8 *p;

	/* an MT6260A-like arrangement: EXT_BOOTLOADER 0x4400, ROM 0x10000 */
	wf_sim_image_spec_init(&spec, 8 * MIB, test_jedec, test_me_id_a);
	spec.bl_len = 0x20E4;
	spec.ext_bl_offset = 0x4400;
	spec.rom_offset = 0x10000;
	img = build_ok(&spec);
	layout_ok(&spec, &l);
	p = g_bytes_get_data(img, NULL);

	g_assert_cmpuint(rd32(p + 0x200 + 0x0C), ==, 0x800);
	g_assert_cmpuint(rd32(p + 0x200 + 0x10), ==, 0x10000);
	g_assert_cmpuint(rd32(p + 0x200 + 0x14 + 12), ==, 0x800 + 0x20E4);
	g_assert_cmpuint(rd32(p + 0x200 + 0x14 + 20 + 8), ==, 0x4400);
	check_file_info(p + 0x800, 0x0001, 1, 0x70006000, 0x20E4, 0x20, 1);
	check_file_info(p + 0x4400, 0x0002, 1, 0x10004400, l.ext_bl_len, 0x20, 3);
	check_file_info(p + 0x10000, 0x0100, 0, 0x10010000, l.rom_len, 0, 3);
	check_signed_body(p + 0x800, 0x20E4, 0x140);
	g_assert_cmpuint(l.viva_offset, ==, ((0x10000 + l.rom_len + 3) & ~3u) + 0x400);
}

static void
test_no_viva(void)
{
	WfSimImageSpec spec;
	WfSimImageLayout l;
	g_autoptr(GBytes) img = NULL;
	const guint8 *p;

	wf_sim_image_spec_init(&spec, 4 * MIB, test_jedec, test_me_id_a);
	spec.include_viva = FALSE;
	img = build_ok(&spec);
	layout_ok(&spec, &l);
	p = g_bytes_get_data(img, NULL);
	g_assert_cmpuint(l.viva_offset, ==, 0);
	g_assert_cmpuint(l.viva_len, ==, 0);
	g_assert_true(all_ff(p + l.rom_offset + l.rom_len, l.fs_offset - l.rom_offset - l.rom_len));
	g_assert_true(has_cstr(p + l.rom_offset, l.rom_len, "*#8375#"));
}

static GBytes *
load_sample(const gchar *name)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path = g_test_build_filename(G_TEST_DIST, "data", "headers", name, NULL);
	gchar *data = NULL;
	gsize len = 0;
	g_assert_true(g_file_get_contents(path, &data, &len, &error));
	g_assert_no_error(error);
	return g_bytes_new_take(data, len);
}

static void
cmp_record(const guint8 *chain, const guint8 *sample_chain, gsize sample_len, guint16 type)
{
	const guint8 *rec = gfh_find(chain, 0x4000, type);
	const guint8 *ref = gfh_find(sample_chain, sample_len, type);
	g_assert_nonnull(rec);
	g_assert_nonnull(ref);
	g_assert_cmpmem(rec, rd16(rec + 4), ref, rd16(ref + 4));
}

/*
 * Given the SIM868 identity, every GFH record the generator writes (other
 * than FILE_INFO lengths) must equal the real SIM868 bytes in tests/data.
 */
static void
test_sim868_fidelity(void)
{
	WfSimImageSpec spec;
	g_autoptr(GBytes) img = NULL;
	g_autoptr(GBytes) bl = load_sample("mt6261_sim868_BOOTLOADER_gfh.bin");
	g_autoptr(GBytes) ext = load_sample("mt6261_sim868_EXT_BOOTLOADER_gfh.bin");
	g_autoptr(GBytes) rom = load_sample("mt6261_sim868_ROM_gfh.bin");
	g_autoptr(GBytes) rominfo = load_sample("mt6261_sim868_ROM_mtk_rominfo_v09.bin");
	static const guint8 jedec[3] = {0xC2, 0x25, 0x36};
	const guint8 *p;
	const guint8 *ref;
	gsize ref_len = 0;

	wf_sim_image_spec_init(&spec, 4 * MIB, jedec, test_me_id_a);
	spec.project = "SIM868M32_EAT";
	spec.verno = "1418B01SIM868M32_EAT";
	spec.bl_len = 0x1BC0;
	spec.ext_bl_len = 0x7CFC;
	img = build_ok(&spec);
	p = g_bytes_get_data(img, NULL);

	ref = g_bytes_get_data(bl, &ref_len);
	g_assert_cmpuint(ref_len, ==, 0x140);
	g_assert_cmpmem(p + 0x800, 0x140, ref, ref_len);
	ref = g_bytes_get_data(ext, &ref_len);
	g_assert_cmpuint(ref_len, ==, 0x60);
	g_assert_cmpmem(p + 0x2400, 0x60, ref, ref_len);

	ref = g_bytes_get_data(rom, &ref_len);
	g_assert_cmpuint(ref_len, ==, 0x5B0);
	/* same FILE_INFO apart from length and chain size (no CMEM_NOR_INFO here) */
	g_assert_cmpmem(p + 0xB000, 0x20, ref, 0x20);
	g_assert_cmpmem(p + 0xB000 + 0x34, 4, ref + 0x34, 4);
	for (guint16 type = 0x0200; type <= 0x020F; type++) {
		if (gfh_find(ref, ref_len, type) != NULL)
			cmp_record(p + 0xB000, ref, ref_len, type);
	}
	cmp_record(p + 0xB000, ref, ref_len, 0x0102);
	ref = g_bytes_get_data(rominfo, &ref_len);
	g_assert_cmpmem(p + 0xB000 + 0x8C0, 0x100, ref, ref_len);
}

static void
test_invalid(void)
{
	WfSimImageSpec spec;
	WfSimImageLayout l;
	gchar long_verno[80];

	memset(long_verno, 'V', sizeof(long_verno) - 1);
	long_verno[sizeof(long_verno) - 1] = '\0';

	for (guint i = 0; i < 7; i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) img = NULL;
		wf_sim_image_spec_init(&spec, 4 * MIB, test_jedec, test_me_id_a);
		switch (i) {
		case 0: /* EXT_BOOTLOADER inside BOOTLOADER */
			spec.ext_bl_offset = 0x1000;
			break;
		case 1: /* codes must live somewhere */
			spec.include_viva = FALSE;
			spec.compress_codes = TRUE;
			break;
		case 2:
			spec.rom_offset = 0xB002;
			break;
		case 3:
			spec.verno = long_verno;
			break;
		case 4: /* the ROM runs into the file system */
			spec.rom_len = 0x380000;
			break;
		case 5: /* a length whose end does not fit in 32 bits */
			spec.rom_len = 0xFFFFF000;
			break;
		default:
			spec.bl_offset = 0x400;
			break;
		}
		img = wf_sim_image_build(&spec, &error);
		g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_DATA);
		g_assert_null(img);
		g_clear_error(&error);
		g_assert_false(wf_sim_image_get_layout(&spec, &l, &error));
		g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_DATA);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_test_add_func("/sim/image/header-block", test_header_block);
	g_test_add_func("/sim/image/bootloaders", test_bootloaders);
	g_test_add_func("/sim/image/rom", test_rom);
	g_test_add_func("/sim/image/extra-flash-ids", test_extra_flash_ids);
	g_test_add_func("/sim/image/viva", test_viva);
	g_test_add_func("/sim/image/compressed-codes", test_compressed_codes);
	g_test_add_func("/sim/image/luhn", test_luhn_known);
	g_test_add_func("/sim/image/fs-tail", test_fs_tail);
	g_test_add_func("/sim/image/no-fs", test_no_fs);
	g_test_add_func("/sim/image/determinism", test_determinism);
	g_test_add_func("/sim/image/sizes", test_sizes);
	g_test_add_func("/sim/image/bricked", test_bricked);
	g_test_add_func("/sim/image/other-offsets", test_other_offsets);
	g_test_add_func("/sim/image/no-viva", test_no_viva);
	g_test_add_func("/sim/image/invalid", test_invalid);
	g_test_add_func("/sim/image/sim868-fidelity", test_sim868_fidelity);
	return g_test_run();
}
