/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-test-da.h"

#include <string.h>

static void
put_le16(GByteArray *buf, guint16 value)
{
	guint8 b[2] = {value & 0xFF, value >> 8};
	g_byte_array_append(buf, b, sizeof(b));
}

static void
put_le32(GByteArray *buf, guint32 value)
{
	guint8 b[4] = {value & 0xFF, (value >> 8) & 0xFF, (value >> 16) & 0xFF, value >> 24};
	g_byte_array_append(buf, b, sizeof(b));
}

static void
set_le32(GByteArray *buf, gsize offset, guint32 value)
{
	buf->data[offset] = value & 0xFF;
	buf->data[offset + 1] = (value >> 8) & 0xFF;
	buf->data[offset + 2] = (value >> 16) & 0xFF;
	buf->data[offset + 3] = value >> 24;
}

static void
set_be16(guint8 *p, guint16 value)
{
	p[0] = value >> 8;
	p[1] = value & 0xFF;
}

static void
set_be32(guint8 *p, guint32 value)
{
	p[0] = value >> 24;
	p[1] = (value >> 16) & 0xFF;
	p[2] = (value >> 8) & 0xFF;
	p[3] = value & 0xFF;
}

/* a small xorshift generator, so every run builds the same bytes */
GBytes *
wf_test_da_random_bytes(gsize len, guint32 seed)
{
	guint8 *data = g_malloc(len);
	guint32 x = seed != 0 ? seed : 0x12345678;

	for (gsize i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		data[i] = x & 0xFF;
	}
	return g_bytes_new_take(data, len);
}

/* records with ids 0xD2.., a die count of 1 and JEDEC words C2 20 (0x10+i) */
GBytes *
wf_test_da_flash_table(guint n_records, gboolean terminator)
{
	g_autoptr(GByteArray) buf = g_byte_array_new();

	for (guint i = 0; i < n_records; i++) {
		put_le32(buf, 0xD2 + i);
		put_le32(buf, 0x10030000 + i * 0x10);
		put_le32(buf, 0x10030004 + i * 0x10);
		put_le32(buf, 0x10030008 + i * 0x10);
		put_le16(buf, 1);
		put_le16(buf, 0x00C2);
		put_le16(buf, 0x0020);
		put_le16(buf, 0x0010 + i);
		put_le16(buf, 0x0000);
		put_le16(buf, 0);
		put_le32(buf, 0);
		put_le32(buf, 0);
	}
	if (terminator) {
		put_le32(buf, 0x0000FFFF);
		for (guint i = 0; i < 32; i++) {
			guint8 zero = 0;
			g_byte_array_append(buf, &zero, 1);
		}
	}
	g_assert_cmpuint(buf->len, ==, (n_records + (terminator ? 1 : 0)) * 36);
	return g_byte_array_free_to_bytes(g_steal_pointer(&buf));
}

/* header 0x6C, entries, then each entry's stage 1, stage 2 and table */
GBytes *
wf_test_da_container(const WfTestDaEntry *entries, guint n_entries, gboolean old_format)
{
	g_autoptr(GByteArray) buf = g_byte_array_new();
	gsize entry_size = old_format ? 0xD8 : 0xDC;
	gsize data_pos;
	guint8 header[0x6C] = {0};

	memcpy(header, "MTK_DOWNLOAD_AGENT", 18);
	memcpy(header + 0x20, "MTK_AllInOne_DA_v3.3001.00.00", 29);
	header[0x60] = 4;
	g_byte_array_append(buf, header, sizeof(header));
	set_le32(buf, 0x64, 0x22668899);
	set_le32(buf, 0x68, n_entries);
	g_byte_array_set_size(buf, 0x6C + n_entries * entry_size);
	memset(buf->data + 0x6C, 0, n_entries * entry_size);
	data_pos = buf->len;
	for (guint i = 0; i < n_entries; i++) {
		const WfTestDaEntry *e = &entries[i];
		gsize p = 0x6C + i * entry_size;
		gsize shift = old_format ? 4 : 0;
		gsize regions = p + 0x14 - shift;
		g_autoptr(GBytes) stage1 = wf_test_da_random_bytes(e->stage1_len, 0x1000 + i);
		g_autoptr(GBytes) stage2 = wf_test_da_random_bytes(e->stage2_len, 0x2000 + i);
		g_autoptr(GBytes) table = wf_test_da_flash_table(e->n_records, FALSE);
		GBytes *parts[3] = {stage1, stage2, table};
		guint32 addrs[3] = {0x70007000, 0x10020000, 0};
		guint32 sigs[3] = {e->stage1_sig_len, e->stage2_sig_len, 0};

		buf->data[p] = 0xDA;
		buf->data[p + 1] = 0xDA;
		buf->data[p + 2] = e->hw_code & 0xFF;
		buf->data[p + 3] = e->hw_code >> 8;
		buf->data[p + 4] = e->hw_sub_code & 0xFF;
		buf->data[p + 5] = e->hw_sub_code >> 8;
		buf->data[p + 6] = e->hw_version & 0xFF;
		buf->data[p + 7] = e->hw_version >> 8;
		if (!old_format) {
			buf->data[p + 8] = e->sw_version & 0xFF;
			buf->data[p + 9] = e->sw_version >> 8;
		}
		buf->data[p + 0x0C - shift] = 0x00; /* page size 0x200 */
		buf->data[p + 0x0D - shift] = 0x02;
		buf->data[p + 0x10 - shift] = e->region_index & 0xFF;
		buf->data[p + 0x12 - shift] = (e->region_index + 3) & 0xFF;
		/* a dummy region before stage 1 when region_index > 0 */
		for (guint r = 0; r < e->region_index; r++) {
			set_le32(buf, regions + r * 20 + 0, 0);
			set_le32(buf, regions + r * 20 + 4, 0x10);
			set_le32(buf, regions + r * 20 + 8, 0x12345678);
		}
		for (guint k = 0; k < 3; k++) {
			gsize r = regions + (e->region_index + k) * 20;
			gsize len = g_bytes_get_size(parts[k]);
			gsize at = buf->len;

			g_byte_array_append(buf, g_bytes_get_data(parts[k], NULL), len);
			set_le32(buf, r + 0, at);
			set_le32(buf, r + 4, len);
			set_le32(buf, r + 8, addrs[k]);
			set_le32(buf, r + 12, 0);
			set_le32(buf, r + 16, sigs[k]);
		}
	}
	g_assert_cmpuint(data_pos, <=, buf->len);
	return g_byte_array_free_to_bytes(g_steal_pointer(&buf));
}

/* stage 1, stage 2, table with terminator, then @trailing bytes of padding */
GBytes *
wf_test_da_flat(guint32 stage1_len, guint32 stage2_len, guint n_records, gsize trailing)
{
	g_autoptr(GByteArray) buf = g_byte_array_new();
	g_autoptr(GBytes) stage1 = wf_test_da_random_bytes(stage1_len, 0x3001);
	g_autoptr(GBytes) stage2 = wf_test_da_random_bytes(stage2_len, 0x3002);
	g_autoptr(GBytes) table = wf_test_da_flash_table(n_records, TRUE);
	g_autoptr(GBytes) tail = wf_test_da_random_bytes(trailing + 1, 0x3003);

	g_byte_array_append(buf, g_bytes_get_data(stage1, NULL), stage1_len);
	g_byte_array_append(buf, g_bytes_get_data(stage2, NULL), stage2_len);
	g_byte_array_append(buf, g_bytes_get_data(table, NULL), g_bytes_get_size(table));
	g_byte_array_append(buf, g_bytes_get_data(tail, NULL), trailing);
	return g_byte_array_free_to_bytes(g_steal_pointer(&buf));
}

/* the report after 00000CA2, laid out as protocol.md §5.3 step 7 */
GBytes *
wf_test_da_report(const WfTestDaReport *spec)
{
	gsize size = spec->extra ? 198 : 174;
	guint8 *r = g_malloc0(size);
	gsize tail = spec->extra ? 187 : 163;

	set_be32(r + 0, spec->nor_ret);
	set_be16(r + 4, 0x0008);
	set_be16(r + 6, spec->flash_id);
	set_be32(r + 8, spec->flash_size);
	set_be32(r + 12, spec->flash_size);
	for (guint i = 0; i < 4; i++)
		set_be16(r + 16 + 2 * i, spec->device_code[i]);
	set_be32(r + 24, 0x00000C02);
	set_be32(r + 28, 0x000001C0);
	set_be16(r + 32, 0xFFFF);
	set_be32(r + 46, 0x00000C01);
	set_be32(r + 54, 0x00000BEB);
	set_be16(r + 59, 0xFFFF);
	set_be32(r + 89, 0x00000C6B);
	set_be32(r + 137, 0x0000D000);
	r[145] = 1;
	r[146] = 1;
	set_be32(r + 147, 0x00400000);
	r[151] = 0xFF;
	r[152] = 0xFF;
	r[153] = 0xFF;
	r[154] = spec->device_code[0] & 0xFF;
	r[155] = spec->device_code[1] & 0xFF;
	r[156] = spec->device_code[2] & 0xFF;
	if (spec->extra) {
		for (guint i = 0; i < 6; i++)
			set_be32(r + 163 + 4 * i, 0xE0000000 + i);
	}
	r[tail] = 0x5A;
	r[tail + 1] = 0x5A;
	set_be32(r + tail + 2, spec->download_status);
	set_be32(r + tail + 6, spec->boot_style);
	r[tail + 10] = spec->soc;
	return g_bytes_new_take(r, size);
}

/* XOR of the little-endian 16-bit words; an odd last byte counts as low byte */
guint16
wf_test_da_xor16(const guint8 *data, gsize len)
{
	guint16 x = 0;

	for (gsize i = 0; i + 1 < len; i += 2)
		x ^= (guint16)(data[i] | (data[i + 1] << 8));
	if (len % 2 != 0)
		x ^= data[len - 1];
	return x;
}

guint16
wf_test_da_sum16(const guint8 *data, gsize len)
{
	guint16 sum = 0;

	for (gsize i = 0; i < len; i++)
		sum += data[i];
	return sum;
}

gchar *
wf_test_da_hex(const guint8 *data, gsize len)
{
	GString *str = g_string_new(NULL);

	for (gsize i = 0; i < len; i++)
		g_string_append_printf(str, "%02X", data[i]);
	return g_string_free(str, FALSE);
}
