/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "wf-error.h"
#include "wf-formats-test.h"
#include "wf-gfh.h"

/* -- builders for synthetic chains ------------------------------------------------ */

static void
append_record(GByteArray *buf, guint8 version, guint16 type, const guint8 *body, gsize body_len)
{
	guint8 hdr[8] = {'M', 'M', 'M', version};
	wf_test_put16(hdr + 4, (guint16)(8 + body_len));
	wf_test_put16(hdr + 6, type);
	g_byte_array_append(buf, hdr, sizeof(hdr));
	if (body_len > 0)
		g_byte_array_append(buf, body, body_len);
}

static void
append_file_info(GByteArray *buf,
		 guint16 file_type,
		 guint32 load_addr,
		 guint32 file_len,
		 guint32 content_offset)
{
	guint8 body[0x30] = {0};
	memcpy(body, "FILE_INFO", 9);
	wf_test_put32(body + 0x0C, 1);
	wf_test_put16(body + 0x10, file_type);
	body[0x12] = 7;
	body[0x13] = 0;
	wf_test_put32(body + 0x14, load_addr);
	wf_test_put32(body + 0x18, file_len);
	wf_test_put32(body + 0x1C, 0xFFFFFFFF);
	wf_test_put32(body + 0x20, content_offset);
	wf_test_put32(body + 0x28, content_offset);
	wf_test_put32(body + 0x2C, 3);
	append_record(buf, 1, WF_GFH_TYPE_FILE_INFO, body, sizeof(body));
}

static WfGfh *
parse_array(GByteArray *buf, gsize offset, GError **error)
{
	g_autoptr(GBytes) blob = g_bytes_new(buf->data, buf->len);
	return wf_gfh_new_from_bytes(blob, offset, error);
}

static WfGfh *
parse_sample(const gchar *name, GBytes **blob_out)
{
	g_autoptr(GBytes) blob = wf_test_load("headers", name);
	g_autoptr(GError) error = NULL;
	WfGfh *gfh = wf_gfh_new_from_bytes(blob, 0, &error);
	g_assert_no_error(error);
	g_assert_nonnull(gfh);
	if (blob_out != NULL)
		*blob_out = g_bytes_ref(blob);
	return gfh;
}

static void
assert_record_types(WfGfh *gfh, const guint16 *types, guint n)
{
	GPtrArray *records = wf_gfh_get_records(gfh);
	g_assert_cmpuint(records->len, ==, n);
	for (guint i = 0; i < n; i++) {
		WfGfhRecord *rec = g_ptr_array_index(records, i);
		g_assert_cmphex(rec->type, ==, types[i]);
		g_assert_cmpuint(g_bytes_get_size(rec->data), ==, rec->size);
	}
}

/* -- the real samples ---------------------------------------------------------------- */

static void
test_gfh_rom(void)
{
	g_autoptr(WfGfh) gfh = parse_sample("mt6261_sim868_ROM_gfh.bin", NULL);
	const guint16 types[] = {0x0000, 0x0200, 0x0207, 0x020E, 0x020F, 0x0102, 0x0103};
	const guint8 ids[6][3] = {{0xC2, 0x25, 0x36},
				  {0xEF, 0x40, 0x16},
				  {0xC2, 0x20, 0x16},
				  {0xEF, 0x70, 0x16},
				  {0xC8, 0x60, 0x16},
				  {0xC2, 0x25, 0x38}};
	const WfGfhFileInfo *fi = wf_gfh_get_file_info(gfh);
	GArray *cmem = wf_gfh_get_cmem_ids(gfh);
	GArray *nor = wf_gfh_get_cmem_nor(gfh);
	GArray *devs = wf_gfh_get_flash_devs(gfh);
	WfGfhFlashDev *dev;
	guint32 fs_base = 0;
	guint32 fs_size = 0;

	assert_record_types(gfh, types, G_N_ELEMENTS(types));
	g_assert_cmpuint(wf_gfh_get_chain_size(gfh), ==, 0x5B0);
	g_assert_cmpuint(wf_gfh_get_warnings(gfh)->len, ==, 0);
	g_assert_cmpstr(fi->identifier, ==, "FILE_INFO");
	g_assert_cmpuint(fi->file_ver, ==, 1);
	g_assert_cmphex(fi->file_type, ==, WF_GFH_FILE_PRIMARY_MAUI);
	g_assert_cmpuint(fi->flash_dev, ==, WF_GFH_FLASH_DEV_SF);
	g_assert_cmpuint(fi->sig_type, ==, WF_GFH_SIG_NONE);
	g_assert_cmphex(fi->load_addr, ==, 0x1000B000);
	g_assert_cmphex(fi->file_len, ==, 0x6640C);
	g_assert_cmphex(fi->max_size, ==, 0xFFFFFFFF);
	g_assert_cmphex(fi->content_offset, ==, 0x5B0);
	g_assert_cmphex(fi->sig_len, ==, 0);
	g_assert_cmphex(fi->jump_offset, ==, 0x5B0);
	g_assert_cmphex(fi->attr, ==, WF_GFH_ATTR_POST_BUILD_DONE | WF_GFH_ATTR_XIP);

	g_assert_cmpstr(wf_gfh_get_bin_name(gfh),
			==,
			"SIM868M32_EAT_PCB01_gprs_MT6261_S00.1418B01SIM868M32_EAT.bin");
	g_assert_cmpstr(wf_gfh_get_verno(gfh), ==, "1418B01SIM868M32_EAT");
	g_assert_cmpuint(wf_gfh_get_record(gfh, WF_GFH_TYPE_MAUI_INFO)->version, ==, 2);
	g_assert_cmpuint(wf_gfh_get_record(gfh, WF_GFH_TYPE_MAUI_INFO)->offset, ==, 0x38);

	/* FLASH_INFO: NOR entry first, with the FS the DA's F0 command reports */
	g_assert_true(wf_gfh_get_fs_region(gfh, &fs_base, &fs_size));
	g_assert_cmphex(fs_base, ==, 0x00380000);
	g_assert_cmphex(fs_size, ==, 0x0007E000);
	g_assert_cmpuint(devs->len, ==, 3);
	dev = &g_array_index(devs, WfGfhFlashDev, 0);
	g_assert_cmphex(dev->manu_id, ==, 0xC2);
	g_assert_cmphex(dev->dev_id, ==, 0x25);
	g_assert_cmphex(dev->ext_dev_id1, ==, 0x36);
	g_assert_cmphex(g_array_index(devs, WfGfhFlashDev, 1).fat_length, ==, 0);
	g_assert_cmphex(g_array_index(devs, WfGfhFlashDev, 2).fat_begin, ==, 0);

	g_assert_cmpuint(cmem->len, ==, 6);
	for (guint i = 0; i < cmem->len; i++) {
		WfGfhCmemId *id = &g_array_index(cmem, WfGfhCmemId, i);
		g_assert_cmpuint(id->mem_type, ==, 3);
		g_assert_cmpuint(id->id_len, ==, 3);
		g_assert_cmpmem(id->id, 3, ids[i], 3);
	}
	g_assert_cmpuint(nor->len, ==, 6);
	for (guint i = 0; i < nor->len; i++) {
		g_assert_cmphex(g_array_index(nor, WfGfhCmemNor, i).total_size, ==, 0x400000);
		g_assert_cmphex(g_array_index(nor, WfGfhCmemNor, i).sector_size, ==, 0x1000);
	}
}

static void
test_gfh_bootloaders(void)
{
	g_autoptr(WfGfh) bl = parse_sample("mt6261_sim868_BOOTLOADER_gfh.bin", NULL);
	g_autoptr(WfGfh) ext = parse_sample("mt6261_sim868_EXT_BOOTLOADER_gfh.bin", NULL);
	const guint16 bl_types[] = {0x0000, 0x0007, 0x0001, 0x0209, 0x0101, 0x0008};
	const guint16 ext_types[] = {0x0000, 0x0001, 0x0209};
	const WfGfhFileInfo *fi = wf_gfh_get_file_info(bl);
	WfGfhRecord *emi;

	assert_record_types(bl, bl_types, G_N_ELEMENTS(bl_types));
	g_assert_cmphex(fi->file_type, ==, WF_GFH_FILE_ARM_BL);
	g_assert_cmpuint(fi->sig_type, ==, WF_GFH_SIG_PHASH);
	g_assert_cmphex(fi->sig_len, ==, 0x20);
	g_assert_cmphex(fi->load_addr, ==, 0x70006000);
	g_assert_cmphex(fi->file_len, ==, 0x1BC0);
	g_assert_cmphex(fi->content_offset, ==, 0x140);
	g_assert_cmphex(fi->jump_offset, ==, 0x140);
	g_assert_cmphex(fi->attr, ==, 1);
	g_assert_cmpuint(wf_gfh_get_chain_size(bl), ==, 0x140);
	g_assert_cmpuint(wf_gfh_get_record(bl, WF_GFH_TYPE_BROM_CFG)->version, ==, 3);
	/* BL/EMI records are kept raw, with their names */
	emi = wf_gfh_get_record(bl, WF_GFH_TYPE_EMI_LIST);
	g_assert_nonnull(emi);
	g_assert_cmpuint(emi->version, ==, 5);
	g_assert_cmphex(emi->size, ==, 0x4C);
	g_assert_cmphex(emi->offset, ==, 0xC4);
	g_assert_cmpmem((const guint8 *)g_bytes_get_data(emi->data, NULL) + 0x10, 7, "EMI_INF", 7);
	g_assert_cmpstr(wf_gfh_type_to_string(emi->type), ==, "EMI_LIST");
	g_assert_null(wf_gfh_get_bin_name(bl));
	g_assert_cmpuint(wf_gfh_get_cmem_ids(bl)->len, ==, 0);
	g_assert_false(wf_gfh_get_fs_region(bl, NULL, NULL));

	assert_record_types(ext, ext_types, G_N_ELEMENTS(ext_types));
	fi = wf_gfh_get_file_info(ext);
	g_assert_cmphex(fi->file_type, ==, WF_GFH_FILE_ARM_EXT_BL);
	g_assert_cmphex(fi->load_addr, ==, 0x10002400);
	g_assert_cmphex(fi->file_len, ==, 0x7CFC);
	g_assert_cmphex(fi->content_offset, ==, 0x60);
	g_assert_cmphex(fi->attr, ==, 3);
	g_assert_cmpuint(wf_gfh_get_warnings(ext)->len, ==, 0);
}

static void
test_gfh_customer_files(void)
{
	g_autoptr(WfGfh) core = parse_sample("mt6261_sim868_COREAPI_fileinfo.bin", NULL);
	g_autoptr(WfGfh) app = parse_sample("mt6261_sim868_app_fileinfo.bin", NULL);
	const WfGfhFileInfo *fi = wf_gfh_get_file_info(core);

	g_assert_cmphex(fi->file_type, ==, WF_GFH_FILE_THIRD_ROM);
	g_assert_cmpstr(wf_gfh_file_type_to_string(fi->file_type), ==, "THIRD_ROM");
	g_assert_cmphex(fi->load_addr, ==, 0x1007140C);
	g_assert_cmphex(fi->file_len, ==, 0x370);
	g_assert_cmpuint(wf_gfh_get_records(core)->len, ==, 1);
	fi = wf_gfh_get_file_info(app);
	g_assert_cmphex(fi->file_type, ==, 0x7001);
	g_assert_cmpstr(wf_gfh_file_type_to_string(fi->file_type), ==, "CUSTOMER_BIN2");
	g_assert_cmphex(fi->load_addr, ==, 0x90300000);
	g_assert_cmphex(fi->file_len, ==, 0x103C);
	g_assert_cmpstr(wf_gfh_file_type_to_string(0x0100), ==, "PRIMARY_MAUI");
	g_assert_null(wf_gfh_file_type_to_string(0x4444));
	g_assert_cmpstr(wf_gfh_flash_dev_to_string(7), ==, "SERIAL_FLASH");
}

static void
test_gfh_viva_sample(void)
{
	g_autoptr(GBytes) blob = NULL;
	g_autoptr(WfGfh) gfh = parse_sample("mt6261_sim868_VIVA_head.bin", &blob);
	g_autoptr(GError) error = NULL;
	const WfGfhFileInfo *fi = wf_gfh_get_file_info(gfh);
	const WfGfhVivaInfo *viva;
	WfGfhZimagePartition *part;

	g_assert_cmphex(fi->file_type, ==, WF_GFH_FILE_VIVA);
	g_assert_cmphex(fi->load_addr, ==, 0x10071B7C);
	g_assert_cmphex(fi->file_len, ==, 0x2512F8);
	g_assert_cmphex(fi->content_offset, ==, 0x38);
	g_assert_cmphex(fi->jump_offset, ==, 0);
	/* the chain stops at content_offset although VIVAInfo follows */
	g_assert_cmpuint(wf_gfh_get_records(gfh)->len, ==, 1);

	g_assert_true(wf_gfh_parse_viva(gfh, blob, &error));
	g_assert_no_error(error);
	viva = wf_gfh_get_viva_info(gfh);
	g_assert_cmphex(viva->viva_base, ==, 0x10071B7C);
	g_assert_cmphex(viva->zimage_base, ==, 0x10071BC8);
	g_assert_cmphex(viva->boot_zimage_base, ==, 0);
	g_assert_cmphex(viva->dcmcmp_base, ==, 0);
	g_assert_cmphex(viva->alice_base, ==, 0x10125078);
	g_assert_nonnull(wf_gfh_get_zimage(gfh));
	g_assert_cmpuint(wf_gfh_get_zimage(gfh)->len, ==, 1);
	part = &g_array_index(wf_gfh_get_zimage(gfh), WfGfhZimagePartition, 0);
	g_assert_cmpuint(part->type, ==, 3);
	g_assert_cmphex(part->src_offset, ==, 0x18);
	g_assert_cmphex(part->src_size, ==, 0xB3497);
	g_assert_cmphex(part->dst_offset, ==, 0);
	g_assert_cmphex(part->dst_size, ==, 0x150EFC);
	g_assert_true(part->has_lzma);
	g_assert_cmphex(part->lzma_props, ==, 0x5C);
	g_assert_cmphex(part->lzma_dict_size, ==, 0x00400000);
	g_assert_cmphex(part->lzma_unpacked_size, ==, 0x150EFC);
	g_assert_null(wf_gfh_get_boot_zimage(gfh));
	g_assert_null(wf_gfh_get_dcm(gfh));
	/* ALICE lies at file offset 0xB34FC, beyond this 113-byte slice */
	g_assert_null(wf_gfh_get_alice(gfh));
	g_assert_cmpuint(wf_gfh_get_warnings(gfh)->len, ==, 1);
	g_assert_nonnull(strstr(g_ptr_array_index(wf_gfh_get_warnings(gfh), 0), "0xb34fc"));
}

static void
test_gfh_alice_sample(void)
{
	g_autoptr(GBytes) blob = wf_test_load("headers", "mt6261_sim868_ALICE2_header.bin");
	g_autoptr(GError) error = NULL;
	const guint16 ranges[] = {4, 6, 7, 9, 10, 11, 12};
	WfGfhAlice alice;
	gsize size = 0;
	const guint8 *buf = g_bytes_get_data(blob, &size);

	g_assert_true(wf_gfh_alice_parse(buf, size, 0, &alice, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(alice.version, ==, 2);
	g_assert_cmpuint(alice.header_size, ==, 40);
	g_assert_cmphex(alice.base, ==, 0x101250A0);
	g_assert_cmphex(alice.map_addr, ==, 0x102AF65C);
	g_assert_cmphex(alice.dict_addr, ==, 0x102BF0D4);
	for (guint i = 0; i < G_N_ELEMENTS(ranges); i++)
		g_assert_cmpuint(alice.ranges[i], ==, ranges[i]);
	g_assert_cmphex(alice.reserved, ==, 0x0109);
	g_assert_cmphex(alice.block_size, ==, 0x40);
	g_assert_cmphex(alice.terminator, ==, 0xFFFF);
	/* the stream starts right after the header, which sits at VIVA's
	 * alice_base 0x10125078 */
	g_assert_cmphex(alice.base, ==, 0x10125078 + alice.header_size);

	/* cut short: one byte missing */
	g_assert_false(wf_gfh_alice_parse(buf, 39, 0, &alice, &error));
	wf_test_assert_error(
		error, WF_ERROR, WF_ERROR_INVALID_DATA, "ALICE_2 header needs 40 bytes");
}

/* -- synthetic chains ------------------------------------------------------------------ */

static void
test_gfh_every_record_type(void)
{
	const guint16 types[] = {
		0x0001, 0x0002, 0x0003, 0x0004, 0x0005, 0x0006, 0x0007, 0x0008, 0x0009, 0x000A,
		0x000B, 0x000C, 0x000D, 0x000E, 0x000F, 0x0010, 0x0100, 0x0101, 0x0102, 0x0103,
		0x0104, 0x0200, 0x0201, 0x0202, 0x0203, 0x0204, 0x0205, 0x0206, 0x0207, 0x0208,
		0x0209, 0x020A, 0x020B, 0x020C, 0x020D, 0x020E, 0x020F, 0x0210, 0x0300, 0x7777,
	};
	g_autoptr(GByteArray) buf = g_byte_array_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(WfGfh) gfh = NULL;
	g_autoptr(JsonNode) json = NULL;
	g_autofree gchar *json_str = NULL;
	guint8 body[0xC0];
	gsize total = 0x38;

	/* body sizes: MAUI_INFO needs 0xC0, counted records 8, others 4 */
	for (guint i = 0; i < G_N_ELEMENTS(types); i++)
		total += 8 + (types[i] == 0x0200			 ? 0xC0
			      : types[i] == 0x0102 || types[i] == 0x0103 ? 8
			      : types[i] == 0x0207			 ? 0x0C
									 : 4);
	append_file_info(buf, WF_GFH_FILE_PRIMARY_MAUI, 0x1000B000, 0x10000, total);
	for (guint i = 0; i < G_N_ELEMENTS(types); i++) {
		gsize len = 4;
		memset(body, 0, sizeof(body));
		if (types[i] == 0x0200) {
			memcpy(body, "X_PCB01_gprs_MT6261_S00.V1.bin", 30);
			memcpy(body + 0x80, "V1", 2);
			len = 0xC0;
		} else if (types[i] == 0x0102 || types[i] == 0x0103) {
			len = 8;
		} else if (types[i] == 0x0207) {
			len = 0x0C;
		} else {
			wf_test_put32(body, 0xA5A50000 | types[i]);
		}
		append_record(buf, (guint8)(i % 5 + 1), types[i], body, len);
	}
	gfh = parse_array(buf, 0, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(wf_gfh_get_records(gfh)->len, ==, G_N_ELEMENTS(types) + 1);
	g_assert_cmpuint(wf_gfh_get_chain_size(gfh), ==, total);
	for (guint i = 0; i < G_N_ELEMENTS(types); i++) {
		WfGfhRecord *rec = g_ptr_array_index(wf_gfh_get_records(gfh), i + 1);
		const guint8 *raw = g_bytes_get_data(rec->data, NULL);
		g_assert_cmphex(rec->type, ==, types[i]);
		g_assert_cmpuint(rec->version, ==, i % 5 + 1);
		g_assert_cmpmem(raw, 3, "MMM", 3);
		if (types[i] == 0x7777)
			g_assert_null(wf_gfh_type_to_string(rec->type));
		else
			g_assert_nonnull(wf_gfh_type_to_string(rec->type));
	}
	g_assert_cmpstr(wf_gfh_type_to_string(0x0104), ==, "DSP_INFO");
	g_assert_cmpstr(wf_gfh_type_to_string(0x0300), ==, "BOOT_CERT_CTRL_CONTENT");
	g_assert_cmpstr(wf_gfh_get_verno(gfh), ==, "V1");
	g_assert_cmpuint(wf_gfh_get_cmem_ids(gfh)->len, ==, 0);
	g_assert_cmpuint(wf_gfh_get_flash_devs(gfh)->len, ==, 0);

	json = wf_gfh_to_json(gfh);
	json_str = wf_test_json_to_string(json);
	g_assert_nonnull(strstr(json_str, "\"type_name\" : \"MD_SEC_CFG\""));
	g_assert_nonnull(strstr(json_str, "\"file_type_name\" : \"PRIMARY_MAUI\""));
	g_assert_nonnull(strstr(json_str, "\"load_addr\" : \"0x1000B000\""));
}

static void
test_gfh_at_offset_and_scan(void)
{
	g_autoptr(GByteArray) buf = g_byte_array_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(WfGfh) gfh = NULL;
	guint8 filler[0x1000];

	/* "M" bytes and a FILE_INFO of the wrong type before the one wanted */
	memset(filler, 'M', sizeof(filler));
	g_byte_array_append(buf, filler, sizeof(filler));
	append_file_info(buf, WF_GFH_FILE_ARM_EXT_BL, 0x10002400, 0x100, 0x38);
	memset(filler, 0xFF, sizeof(filler));
	g_byte_array_append(buf, filler, 0x200 - 0x38);
	append_file_info(buf, WF_GFH_FILE_PRIMARY_MAUI, 0x1000B000, 0x1000, 0x38);
	g_byte_array_append(buf, filler, 0x100);

	g_assert_cmpuint(wf_gfh_scan(buf->data, buf->len, 0, 4, 0xFFFF), ==, 0x1000);
	g_assert_cmpuint(
		wf_gfh_scan(buf->data, buf->len, 0, 4, WF_GFH_FILE_PRIMARY_MAUI), ==, 0x1200);
	g_assert_cmpuint(wf_gfh_scan(buf->data, buf->len, 0x1204, 4, 0xFFFF), ==, G_MAXSIZE);
	g_assert_cmpuint(wf_gfh_scan(buf->data, buf->len, 2, 4, 0xFFFF), ==, G_MAXSIZE);
	g_assert_cmpuint(wf_gfh_scan(buf->data, buf->len, 0, G_MAXSIZE, 0xFFFF), ==, G_MAXSIZE);
	g_assert_false(wf_gfh_is_file_info(buf->data, buf->len, buf->len - 0x10));

	gfh = parse_array(buf, 0x1200, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(wf_gfh_get_offset(gfh), ==, 0x1200);
	g_assert_cmpuint(wf_gfh_get_record(gfh, 0)->offset, ==, 0x1200);
	g_assert_cmphex(wf_gfh_get_file_info(gfh)->load_addr, ==, 0x1000B000);
}

static GBytes *
build_viva(void)
{
	const guint32 base = 0x10100000;
	g_autoptr(GByteArray) buf = g_byte_array_new();
	guint8 block[0x400] = {0};
	guint8 *p;

	append_file_info(buf, WF_GFH_FILE_VIVA, base, 0x1000, 0x38);
	/* VIVAInfo at 0x38, ZIMAGE at 0x100, BOOT_ZIMAGE at 0x180, DCM at
	 * 0x200, ALICE_1 (short header) at 0x300 */
	p = block;
	wf_test_put32(p, base);
	wf_test_put32(p + 4, base + 0x100);
	wf_test_put32(p + 8, base + 0x180);
	wf_test_put32(p + 12, base + 0x200);
	wf_test_put32(p + 16, base + 0x300);
	p = block + 0x100 - 0x38;
	wf_test_put32(p, 2);
	wf_test_put32(p + 4, 0);
	wf_test_put32(p + 8, 0x40);
	wf_test_put32(p + 12, 0x20);
	wf_test_put32(p + 16, 0xF0000000);
	wf_test_put32(p + 20, 0x1000);
	wf_test_put32(p + 24, 1);
	wf_test_put32(p + 28, 0x1000); /* outside the data: no LZMA header read */
	wf_test_put32(p + 32, 0x30);
	wf_test_put32(p + 36, 0xF0001000);
	wf_test_put32(p + 40, 0x800);
	p = block + 0x140 - 0x38;
	p[0] = 0x5D;
	wf_test_put32(p + 1, 0x10000);
	wf_test_put32(p + 5, 0x1000);
	p = block + 0x180 - 0x38;
	wf_test_put32(p, 1);
	wf_test_put32(p + 4, 3);
	wf_test_put32(p + 8, 0x18);
	wf_test_put32(p + 12, 0x10);
	wf_test_put32(p + 16, 0);
	wf_test_put32(p + 20, 0x100);
	p = block + 0x200 - 0x38;
	memcpy(p, "DCMGBODY", 8);
	memcpy(p + 8, "PROJ_X", 6);
	memcpy(p + 0x48, "MT6261", 6);
	wf_test_put32(p + 0x88, 2);
	wf_test_put16(p + 0x8C, 7);
	p[0x8E] = 1;
	p[0x8F] = 2;
	wf_test_put32(p + 0x90, 0xF0100000);
	wf_test_put32(p + 0x94, 0x2000);
	wf_test_put32(p + 0x98, 0x800);
	wf_test_put32(p + 0x9C, 0x1234);
	wf_test_put16(p + 0xA0, 8);
	p = block + 0x300 - 0x38;
	memcpy(p, "ALICE_1", 8);
	wf_test_put32(p + 8, base + 0x300 + 36);
	wf_test_put32(p + 12, base + 0x400);
	wf_test_put32(p + 16, base + 0x500);
	for (guint i = 0; i < 7; i++)
		wf_test_put16(p + 20 + i * 2, 3 + i);
	wf_test_put16(p + 34, 0);
	wf_test_put16(p + 36, 0x1234); /* not a 0xFFFF terminator: short header */
	g_byte_array_append(buf, block, sizeof(block));
	return g_bytes_new(buf->data, buf->len);
}

static void
test_gfh_viva_synthetic(void)
{
	g_autoptr(GBytes) blob = build_viva();
	g_autoptr(GError) error = NULL;
	g_autoptr(WfGfh) gfh = wf_gfh_new_from_bytes(blob, 0, &error);
	g_autoptr(JsonNode) json = NULL;
	g_autofree gchar *json_str = NULL;
	GArray *zimage;
	GArray *boot;
	const WfGfhDcm *dcm;
	const WfGfhAlice *alice;
	WfGfhDcmImage *img;

	g_assert_no_error(error);
	g_assert_true(wf_gfh_parse_viva(gfh, blob, &error));
	g_assert_no_error(error);
	zimage = wf_gfh_get_zimage(gfh);
	g_assert_cmpuint(zimage->len, ==, 2);
	g_assert_true(g_array_index(zimage, WfGfhZimagePartition, 0).has_lzma);
	g_assert_cmphex(g_array_index(zimage, WfGfhZimagePartition, 0).lzma_props, ==, 0x5D);
	g_assert_cmphex(g_array_index(zimage, WfGfhZimagePartition, 0).lzma_dict_size, ==, 0x10000);
	g_assert_cmphex(
		g_array_index(zimage, WfGfhZimagePartition, 0).lzma_unpacked_size, ==, 0x1000);
	g_assert_false(g_array_index(zimage, WfGfhZimagePartition, 1).has_lzma);
	g_assert_cmphex(g_array_index(zimage, WfGfhZimagePartition, 1).dst_offset, ==, 0xF0001000);
	boot = wf_gfh_get_boot_zimage(gfh);
	g_assert_cmpuint(boot->len, ==, 1);
	g_assert_cmpuint(g_array_index(boot, WfGfhZimagePartition, 0).type, ==, 3);

	dcm = wf_gfh_get_dcm(gfh);
	g_assert_nonnull(dcm);
	g_assert_cmpstr(dcm->project_id, ==, "PROJ_X");
	g_assert_cmpstr(dcm->platform_id, ==, "MT6261");
	g_assert_cmpuint(dcm->images->len, ==, 2);
	img = &g_array_index(dcm->images, WfGfhDcmImage, 0);
	g_assert_cmpuint(img->image_id, ==, 7);
	g_assert_cmpuint(img->pool, ==, 1);
	g_assert_cmpuint(img->group, ==, 2);
	g_assert_cmphex(img->exec_base, ==, 0xF0100000);
	g_assert_cmphex(img->decompressed_size, ==, 0x2000);
	g_assert_cmphex(img->compressed_size, ==, 0x800);
	g_assert_cmphex(img->file_position, ==, 0x1234);
	g_assert_cmpuint(g_array_index(dcm->images, WfGfhDcmImage, 1).image_id, ==, 8);

	alice = wf_gfh_get_alice(gfh);
	g_assert_nonnull(alice);
	g_assert_cmpuint(alice->version, ==, 1);
	g_assert_cmpuint(alice->header_size, ==, 36);
	g_assert_cmpuint(alice->block_size, ==, 0);
	g_assert_cmpuint(alice->ranges[6], ==, 9);
	/* base = header + 36: consistent, so no warning at all */
	g_assert_cmpuint(wf_gfh_get_warnings(gfh)->len, ==, 0);

	json = wf_gfh_to_json(gfh);
	json_str = wf_test_json_to_string(json);
	g_assert_nonnull(strstr(json_str, "\"boot_zimage\""));
	g_assert_nonnull(strstr(json_str, "\"project_id\" : \"PROJ_X\""));
}

static void
test_gfh_viva_errors(void)
{
	g_autoptr(GBytes) blob = build_viva();
	gsize size = 0;
	const guint8 *orig = g_bytes_get_data(blob, &size);
	struct {
		gsize offset;
		guint32 value;
		const gchar *needle;
	} cases[] = {
		{0x100, 0, "ZIMAGE partition count 0"},
		{0x100, 0xFFFFFFFF, "ZIMAGE partition count 4294967295"},
		{0x100, 60, "ZIMAGE table of 60 partitions runs past"},
		{0x10C, 5, "has source size 5, smaller than an LZMA header"},
		{0x200, 0x12345678, "expected the DCM magic"},
		{0x288, 0x7FFFFFFF, "DCM image count 2147483647 does not fit"},
		{0x300, 0x4C494C41, "expected ‘ALICE_1’ or ‘ALICE_2’"},
		{0x314, 0x00110011, "ALICE range register 0 is 17 bits"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree guint8 *copy = g_memdup2(orig, size);
		g_autoptr(GBytes) bad = NULL;
		g_autoptr(GError) error = NULL;
		g_autoptr(WfGfh) gfh = NULL;
		g_test_message("case %u", i);
		wf_test_put32(copy + cases[i].offset, cases[i].value);
		bad = g_bytes_new(copy, size);
		gfh = wf_gfh_new_from_bytes(bad, 0, &error);
		g_assert_no_error(error);
		g_assert_false(wf_gfh_parse_viva(gfh, bad, &error));
		wf_test_assert_error(error, WF_ERROR, WF_ERROR_INVALID_DATA, cases[i].needle);
	}

	/* not a VIVA file at all */
	{
		g_autoptr(GBytes) rom = wf_test_load("headers", "mt6261_sim868_ROM_gfh.bin");
		g_autoptr(GError) error = NULL;
		g_autoptr(WfGfh) gfh = wf_gfh_new_from_bytes(rom, 0, NULL);
		g_assert_false(wf_gfh_parse_viva(gfh, rom, &error));
		wf_test_assert_error(error, WF_ERROR, WF_ERROR_INVALID_FILE, "not a VIVA file");
	}
	/* a part address outside the file is a warning */
	{
		g_autofree guint8 *copy = g_memdup2(orig, size);
		g_autoptr(GBytes) bad = NULL;
		g_autoptr(GError) error = NULL;
		g_autoptr(WfGfh) gfh = NULL;
		wf_test_put32(copy + 0x38 + 12, 0x20000000);
		bad = g_bytes_new(copy, size);
		gfh = wf_gfh_new_from_bytes(bad, 0, NULL);
		g_assert_true(wf_gfh_parse_viva(gfh, bad, &error));
		g_assert_null(wf_gfh_get_dcm(gfh));
		g_assert_nonnull(strstr(g_ptr_array_index(wf_gfh_get_warnings(gfh), 0),
					"outside the VIVA file"));
	}
}

typedef struct {
	gsize offset; /* patched at this offset of the ROM sample (u32, or u16 if wide = FALSE) */
	guint32 value;
	gboolean wide;
	gint code;
	const gchar *needle;
} BadGfh;

static void
test_gfh_malformed_rom(void)
{
	g_autoptr(GBytes) rom = wf_test_load("headers", "mt6261_sim868_ROM_gfh.bin");
	gsize size = 0;
	const guint8 *orig = g_bytes_get_data(rom, &size);
	const BadGfh cases[] = {
		/* a zero size would make the chain loop on itself */
		{0x3C,
		 0x0000,
		 FALSE,
		 WF_ERROR_INVALID_DATA,
		 "offset 0x38: GFH record 0x0200 (MAUI_INFO) has size 0"},
		{0x3C, 0x0004, FALSE, WF_ERROR_INVALID_DATA, "smaller than its 8-byte header"},
		{0x3C, 0xFFFF, FALSE, WF_ERROR_INVALID_DATA, "runs past the end of the chain"},
		{0x06,
		 0x0200,
		 FALSE,
		 WF_ERROR_INVALID_FILE,
		 "first GFH record is 0x0200 (MAUI_INFO), expected FILE_INFO"},
		{0x04,
		 0x0020,
		 FALSE,
		 WF_ERROR_INVALID_DATA,
		 "FILE_INFO record is 0x20 bytes, expected at least 0x38"},
		{0x3C, 0x0030, FALSE, WF_ERROR_INVALID_DATA, "MAUI_INFO record is 0x30 bytes"},
		{0x40,
		 0x00FF4953,
		 TRUE,
		 WF_ERROR_INVALID_DATA,
		 "offset 0x42: MAUI_INFO bin name contains byte 0xFF"},
		{0xC0,
		 0x0A0D3431,
		 TRUE,
		 WF_ERROR_INVALID_DATA,
		 "MAUI_INFO VERNO contains byte 0x0D"},
		{0x230,
		 0xFFFFFFFF,
		 TRUE,
		 WF_ERROR_INVALID_DATA,
		 "CMEM_ID_INFO lists 4294967295 entries"},
		{0x230,
		 7,
		 TRUE,
		 WF_ERROR_INVALID_DATA,
		 "CMEM_ID_INFO lists 7 entries of 0xa bytes but the record has room for 6"},
		{0x235, 0x0909, FALSE, WF_ERROR_INVALID_DATA, "CMEM_ID_INFO entry 0 has id_len 9"},
		{0x27C,
		 0x00100000,
		 TRUE,
		 WF_ERROR_INVALID_DATA,
		 "CMEM_NOR_INFO lists 1048576 entries"},
		/* the chain claims to end in the middle of CMEM_NOR_INFO */
		{0x28, 0x300, TRUE, WF_ERROR_INVALID_DATA, "crosses the chain end 0x300"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree guint8 *copy = g_memdup2(orig, size);
		g_autoptr(GBytes) bad = NULL;
		g_autoptr(GError) error = NULL;
		g_autoptr(WfGfh) gfh = wf_gfh_new();
		g_test_message("case %u", i);
		if (cases[i].wide)
			wf_test_put32(copy + cases[i].offset, cases[i].value);
		else
			wf_test_put16(copy + cases[i].offset, (guint16)cases[i].value);
		bad = g_bytes_new(copy, size);
		g_assert_false(wf_gfh_parse(gfh, bad, 0, 0, &error));
		wf_test_assert_error(error, WF_ERROR, cases[i].code, cases[i].needle);
		/* nothing half-parsed is left behind */
		g_assert_null(wf_gfh_get_file_info(gfh));
		g_assert_cmpuint(wf_gfh_get_records(gfh)->len, ==, 0);
	}
}

static void
test_gfh_truncated_and_limits(void)
{
	g_autoptr(GBytes) rom = wf_test_load("headers", "mt6261_sim868_ROM_gfh.bin");
	g_autoptr(GBytes) head = g_bytes_new_from_bytes(rom, 0, 0x20);
	g_autoptr(GBytes) mid = g_bytes_new_from_bytes(rom, 0, 0x300);
	g_autoptr(GBytes) zeros = g_bytes_new_static("\0\0\0\0\0\0\0\0", 8);
	g_autoptr(GBytes) mm = g_bytes_new_static("MM", 2);
	g_autoptr(GError) e1 = NULL;
	g_autoptr(GError) e2 = NULL;
	g_autoptr(GError) e3 = NULL;
	g_autoptr(GError) e4 = NULL;
	g_autoptr(GError) e5 = NULL;
	g_autoptr(GError) e6 = NULL;
	g_autoptr(WfGfh) gfh = wf_gfh_new();
	g_autoptr(GByteArray) many = g_byte_array_new();
	g_autoptr(GBytes) many_blob = NULL;

	g_assert_false(wf_gfh_parse(gfh, head, 0, 0, &e1));
	wf_test_assert_error(
		e1, WF_ERROR, WF_ERROR_INVALID_DATA, "FILE_INFO) of 0x38 bytes runs past");
	/* the ROM chain cut inside CMEM_ID_INFO */
	g_assert_false(wf_gfh_parse(gfh, mid, 0, 0, &e2));
	wf_test_assert_error(
		e2, WF_ERROR, WF_ERROR_INVALID_DATA, "offset 0x270: GFH record 0x0103");
	g_assert_false(wf_gfh_parse(gfh, zeros, 0, 0, &e3));
	wf_test_assert_error(e3, WF_ERROR, WF_ERROR_INVALID_FILE, "offset 0x0: no GFH header");
	g_assert_false(wf_gfh_parse(gfh, mm, 0, 0, &e4));
	wf_test_assert_error(e4, WF_ERROR, WF_ERROR_INVALID_FILE, "no GFH header (expected ‘MMM’");
	g_assert_false(wf_gfh_parse(gfh, rom, 0x10000, 0, &e5));
	wf_test_assert_error(e5, WF_ERROR, WF_ERROR_INVALID_FILE, "past the end of the data");

	/* a limit stops a chain early: the record crossing it is an overrun */
	{
		g_autoptr(GError) e = NULL;
		g_assert_false(wf_gfh_parse(gfh, rom, 0, 0x100, &e));
		wf_test_assert_error(
			e, WF_ERROR, WF_ERROR_INVALID_DATA, "runs past the end of the chain");
	}

	/* a huge chain of minimal records */
	append_file_info(many, WF_GFH_FILE_PRIMARY_MAUI, 0, 0x10000, 0);
	for (guint i = 0; i < 300; i++)
		append_record(many, 1, WF_GFH_TYPE_BL_INFO, (const guint8 *)"\0\0\0\0", 4);
	many_blob = g_bytes_new(many->data, many->len);
	g_assert_false(wf_gfh_parse(gfh, many_blob, 0, 0, &e6));
	wf_test_assert_error(e6, WF_ERROR, WF_ERROR_INVALID_DATA, "more than 256 GFH records");
}

static void
test_gfh_part_parsers(void)
{
	guint8 buf[0x40] = {0};
	g_autoptr(GError) e1 = NULL;
	g_autoptr(GError) e2 = NULL;
	g_autoptr(GError) e3 = NULL;
	g_autoptr(GError) e4 = NULL;
	g_autoptr(GArray) parts = NULL;
	WfGfhAlice alice;

	g_assert_null(wf_gfh_zimage_parse(buf, sizeof(buf), 0x3E, &e1));
	wf_test_assert_error(e1, WF_ERROR, WF_ERROR_INVALID_DATA, "ZIMAGE header is past the end");
	g_assert_null(wf_gfh_dcm_parse(buf, sizeof(buf), 0, &e2));
	wf_test_assert_error(
		e2, WF_ERROR, WF_ERROR_INVALID_DATA, "DCM header (0x8c bytes) runs past");
	g_assert_false(wf_gfh_alice_parse(buf, sizeof(buf), 0x20, &alice, &e3));
	wf_test_assert_error(
		e3, WF_ERROR, WF_ERROR_INVALID_DATA, "ALICE header (36 or 40 bytes) runs past");
	/* offsets near G_MAXSIZE must not wrap */
	g_assert_null(wf_gfh_zimage_parse(buf, sizeof(buf), G_MAXSIZE - 1, &e4));
	g_assert_error(e4, WF_ERROR, WF_ERROR_INVALID_DATA);

	/* one partition whose LZMA header offset points far away */
	wf_test_put32(buf, 1);
	wf_test_put32(buf + 4, 0);
	wf_test_put32(buf + 8, 0xFFFFFFF0);
	wf_test_put32(buf + 12, 0x20);
	parts = wf_gfh_zimage_parse(buf, sizeof(buf), 0, NULL);
	g_assert_nonnull(parts);
	g_assert_false(g_array_index(parts, WfGfhZimagePartition, 0).has_lzma);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_test_add_func("/formats/gfh/rom", test_gfh_rom);
	g_test_add_func("/formats/gfh/bootloaders", test_gfh_bootloaders);
	g_test_add_func("/formats/gfh/customer-files", test_gfh_customer_files);
	g_test_add_func("/formats/gfh/viva-sample", test_gfh_viva_sample);
	g_test_add_func("/formats/gfh/alice-sample", test_gfh_alice_sample);
	g_test_add_func("/formats/gfh/every-record-type", test_gfh_every_record_type);
	g_test_add_func("/formats/gfh/offset-and-scan", test_gfh_at_offset_and_scan);
	g_test_add_func("/formats/gfh/viva-synthetic", test_gfh_viva_synthetic);
	g_test_add_func("/formats/gfh/viva-errors", test_gfh_viva_errors);
	g_test_add_func("/formats/gfh/malformed-rom", test_gfh_malformed_rom);
	g_test_add_func("/formats/gfh/truncated-and-limits", test_gfh_truncated_and_limits);
	g_test_add_func("/formats/gfh/part-parsers", test_gfh_part_parsers);
	return g_test_run();
}
