/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <lzma.h>
#include <string.h>

#include "wf-error.h"
#include "wf-lzma.h"

/* text-like data that compresses well but is not trivial */
static GByteArray *
make_payload(gsize size, guint32 seed)
{
	GByteArray *buf = g_byte_array_sized_new(size);
	GRand *rand = g_rand_new_with_seed(seed);
	const gchar *words[] = {"ST7789 ", "*#8375# ", "MAUI ", "11C ", "lcd_init ", "\0\0\0"};
	while (buf->len < size) {
		const gchar *w = words[g_rand_int_range(rand, 0, G_N_ELEMENTS(words))];
		gsize n = MIN(strlen(w) > 0 ? strlen(w) : 3, size - buf->len);
		g_byte_array_append(buf, (const guint8 *)w, n);
		if (g_rand_int_range(rand, 0, 8) == 0) {
			guint8 b = (guint8)g_rand_int(rand);
			if (buf->len < size)
				g_byte_array_append(buf, &b, 1);
		}
	}
	g_rand_free(rand);
	return buf;
}

/* .lzma with unknown size and an end marker, as `xz --format=lzma` writes */
static GByteArray *
encode_alone(const guint8 *data, gsize len)
{
	lzma_stream strm = LZMA_STREAM_INIT;
	lzma_options_lzma opt;
	GByteArray *out = g_byte_array_new();
	lzma_ret ret;

	g_assert_false(lzma_lzma_preset(&opt, 6));
	opt.dict_size = 1 << 20;
	g_assert_cmpint(lzma_alone_encoder(&strm, &opt), ==, LZMA_OK);
	g_byte_array_set_size(out, len + len / 2 + 1024);
	strm.next_in = data;
	strm.avail_in = len;
	strm.next_out = out->data;
	strm.avail_out = out->len;
	ret = lzma_code(&strm, LZMA_FINISH);
	g_assert_cmpint(ret, ==, LZMA_STREAM_END);
	g_byte_array_set_size(out, out->len - strm.avail_out);
	lzma_end(&strm);
	return out;
}

/* header with a known size and raw LZMA1 without an end marker (MediaTek's ZIMAGE
 * shape); with @preset the encoder starts from that dictionary */
static GByteArray *
encode_known_size(const guint8 *data, gsize len, GBytes *preset)
{
	lzma_stream strm = LZMA_STREAM_INIT;
	lzma_options_lzma opt;
	lzma_filter filters[2];
	GByteArray *out = g_byte_array_new();
	guint8 hdr[WF_LZMA_ALONE_HEADER_SIZE];
	guint32 dict = GUINT32_TO_LE(4 * 1024 * 1024);
	guint64 size = GUINT64_TO_LE((guint64)len);
	gsize payload;

	g_assert_false(lzma_lzma_preset(&opt, 6));
	opt.dict_size = 4 * 1024 * 1024;
	opt.lc = 2;
	opt.lp = 0;
	opt.pb = 2;
	opt.ext_flags = 0;
	if (preset != NULL) {
		opt.preset_dict = g_bytes_get_data(preset, NULL);
		opt.preset_dict_size = g_bytes_get_size(preset);
	}
	filters[0].id = LZMA_FILTER_LZMA1EXT;
	filters[0].options = &opt;
	filters[1].id = LZMA_VLI_UNKNOWN;
	g_assert_cmpint(lzma_raw_encoder(&strm, filters), ==, LZMA_OK);

	/* SIM868 ZIMAGE: props 0x5C = lc2 lp0 pb2, dictionary 4 MiB */
	hdr[0] = (2 * 5 + 0) * 9 + 2;
	g_assert_cmpint(hdr[0], ==, 0x5C);
	memcpy(hdr + 1, &dict, 4);
	memcpy(hdr + 5, &size, 8);
	g_byte_array_append(out, hdr, sizeof(hdr));
	g_byte_array_set_size(out, sizeof(hdr) + len + len / 2 + 1024);
	strm.next_in = data;
	strm.avail_in = len;
	strm.next_out = out->data + sizeof(hdr);
	strm.avail_out = out->len - sizeof(hdr);
	g_assert_cmpint(lzma_code(&strm, LZMA_FINISH), ==, LZMA_STREAM_END);
	payload = out->len - sizeof(hdr) - strm.avail_out;
	g_byte_array_set_size(out, sizeof(hdr) + payload);
	lzma_end(&strm);
	return out;
}

static void
assert_output(WfLzma *lzma, const guint8 *data, gsize len)
{
	GBytes *out = wf_lzma_get_output(lzma);
	g_assert_nonnull(out);
	g_assert_cmpmem(g_bytes_get_data(out, NULL), g_bytes_get_size(out), data, len);
}

static void
test_lzma_round_trip_unknown_size(void)
{
	g_autoptr(GByteArray) data = make_payload(300000, 1);
	g_autoptr(GByteArray) enc = encode_alone(data->data, data->len);
	g_autoptr(WfLzma) lzma = wf_lzma_new();
	g_autoptr(GError) error = NULL;

	/* xz writes an unknown size: all 0xFF */
	for (guint i = 5; i < 13; i++)
		g_assert_cmpint(enc->data[i], ==, 0xFF);
	g_assert_true(wf_lzma_decode(lzma, enc->data, enc->len, &error));
	g_assert_no_error(error);
	g_assert_cmpint(wf_lzma_get_status(lzma), ==, WF_LZMA_STATUS_COMPLETE);
	assert_output(lzma, data->data, data->len);
	g_assert_cmpuint(wf_lzma_get_unpacked_size(lzma), ==, WF_LZMA_SIZE_UNKNOWN);
	g_assert_cmpuint(wf_lzma_get_dict_size(lzma), ==, 1 << 20);
	g_assert_cmpuint(wf_lzma_get_input_consumed(lzma), ==, enc->len);
}

static void
test_lzma_round_trip_known_size(void)
{
	g_autoptr(GByteArray) data = make_payload(200000, 2);
	g_autoptr(GByteArray) enc = encode_known_size(data->data, data->len, NULL);
	g_autoptr(WfLzma) lzma = wf_lzma_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) json = NULL;
	JsonObject *obj;
	gsize stream_len = enc->len;

	/* a partition is larger than its stream: trailing bytes are not consumed */
	g_byte_array_append(enc, (const guint8 *)"\xff\xff\xff\xff", 4);
	g_assert_true(wf_lzma_decode(lzma, enc->data, enc->len, &error));
	g_assert_no_error(error);
	assert_output(lzma, data->data, data->len);
	g_assert_cmpuint(wf_lzma_get_unpacked_size(lzma), ==, data->len);
	g_assert_cmpuint(wf_lzma_get_props(lzma), ==, 0x5C);
	g_assert_cmpuint(wf_lzma_get_input_consumed(lzma), ==, stream_len);

	json = wf_lzma_to_json(lzma);
	obj = json_node_get_object(json);
	g_assert_cmpstr(json_object_get_string_member(obj, "format"), ==, "lzma-alone");
	g_assert_cmpstr(json_object_get_string_member(obj, "status"), ==, "complete");
	g_assert_cmpint(json_object_get_int_member(obj, "lc"), ==, 2);
	g_assert_cmpint(json_object_get_int_member(obj, "lp"), ==, 0);
	g_assert_cmpint(json_object_get_int_member(obj, "pb"), ==, 2);
	g_assert_cmpint(json_object_get_int_member(obj, "dict_size"), ==, 4 * 1024 * 1024);
	g_assert_cmpint(json_object_get_int_member(obj, "unpacked_size"), ==, data->len);
	g_assert_cmpint(json_object_get_int_member(obj, "output_size"), ==, data->len);
	g_assert_false(json_object_has_member(obj, "error"));
}

static void
test_lzma_known_size_with_end_marker(void)
{
	g_autoptr(GByteArray) data = make_payload(5000, 3);
	g_autoptr(GByteArray) enc = encode_alone(data->data, data->len);
	g_autoptr(WfLzma) lzma = wf_lzma_new();
	g_autoptr(GError) error = NULL;
	guint64 size = GUINT64_TO_LE((guint64)data->len);

	/* a known size and an end marker after it is valid .lzma */
	memcpy(enc->data + 5, &size, 8);
	g_assert_true(wf_lzma_decode(lzma, enc->data, enc->len, &error));
	g_assert_no_error(error);
	assert_output(lzma, data->data, data->len);
}

static void
test_lzma_empty(void)
{
	g_autoptr(GByteArray) enc = encode_known_size((const guint8 *)"", 0, NULL);
	g_autoptr(WfLzma) lzma = wf_lzma_new();
	g_autoptr(GError) error = NULL;

	g_assert_true(wf_lzma_decode(lzma, enc->data, enc->len, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(g_bytes_get_size(wf_lzma_get_output(lzma)), ==, 0);
}

static void
test_lzma_truncated(void)
{
	g_autoptr(GByteArray) data = make_payload(400000, 4);
	g_autoptr(GByteArray) enc = encode_known_size(data->data, data->len, NULL);
	g_autoptr(WfLzma) lzma = wf_lzma_new();
	g_autoptr(GError) error = NULL;
	GBytes *out;

	g_assert_false(wf_lzma_decode(lzma, enc->data, enc->len / 2, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_FILE);
	g_assert_nonnull(strstr(error->message, "truncated"));
	g_assert_cmpint(wf_lzma_get_status(lzma), ==, WF_LZMA_STATUS_TRUNCATED);

	/* what was decoded is kept and is a correct prefix */
	out = wf_lzma_get_output(lzma);
	g_assert_nonnull(out);
	g_assert_cmpuint(g_bytes_get_size(out), >, 1000);
	g_assert_cmpuint(g_bytes_get_size(out), <, data->len);
	g_assert_cmpmem(g_bytes_get_data(out, NULL),
			g_bytes_get_size(out),
			data->data,
			g_bytes_get_size(out));
	g_assert_cmpuint(wf_lzma_get_input_consumed(lzma), ==, enc->len / 2);

	/* also without an announced size */
	g_clear_error(&error);
	g_byte_array_unref(enc);
	enc = encode_alone(data->data, data->len);
	g_assert_false(wf_lzma_decode(lzma, enc->data, enc->len - 1, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_FILE);
	g_assert_cmpint(wf_lzma_get_status(lzma), ==, WF_LZMA_STATUS_TRUNCATED);
}

static void
test_lzma_header_errors(void)
{
	g_autoptr(WfLzma) lzma = wf_lzma_new();
	g_autoptr(GError) error = NULL;
	guint8 hdr[WF_LZMA_ALONE_HEADER_SIZE + 8] = {0x5D, 0, 0, 0x10, 0};
	guint32 dict;

	/* shorter than the header */
	g_assert_false(wf_lzma_decode(lzma, hdr, 12, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_FILE);
	g_assert_nonnull(strstr(error->message, "header truncated"));
	g_assert_null(wf_lzma_get_output(lzma));
	g_clear_error(&error);

	/* properties byte out of range */
	hdr[0] = 225;
	g_assert_false(wf_lzma_decode(lzma, hdr, sizeof(hdr), &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_FILE);
	g_assert_cmpint(wf_lzma_get_status(lzma), ==, WF_LZMA_STATUS_UNSUPPORTED);
	g_clear_error(&error);

	/* lc=4 lp=1 is valid LZMA but not for liblzma */
	hdr[0] = (0 * 5 + 1) * 9 + 4;
	g_assert_false(wf_lzma_decode(lzma, hdr, sizeof(hdr), &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_NOT_SUPPORTED);
	g_clear_error(&error);

	/* a 1 GiB dictionary would be allocated up front: refused */
	hdr[0] = 0x5D;
	dict = GUINT32_TO_LE(1u << 30);
	memcpy(hdr + 1, &dict, 4);
	g_assert_false(wf_lzma_decode(lzma, hdr, sizeof(hdr), &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_REFUSED);
	g_assert_nonnull(strstr(error->message, "dictionary"));
	g_assert_cmpint(wf_lzma_get_status(lzma), ==, WF_LZMA_STATUS_TOO_LARGE);
}

static void
test_lzma_corrupt(void)
{
	g_autoptr(GByteArray) data = make_payload(50000, 5);
	g_autoptr(GByteArray) enc = encode_known_size(data->data, data->len, NULL);
	g_autoptr(WfLzma) lzma = wf_lzma_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) json = NULL;

	/* the range coder's first byte is always 0 */
	g_assert_cmpint(enc->data[WF_LZMA_ALONE_HEADER_SIZE], ==, 0);
	enc->data[WF_LZMA_ALONE_HEADER_SIZE] = 0x55;
	g_assert_false(wf_lzma_decode(lzma, enc->data, enc->len, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_DATA);
	g_assert_nonnull(strstr(error->message, "corrupt"));
	g_assert_cmpint(wf_lzma_get_status(lzma), ==, WF_LZMA_STATUS_CORRUPT);
	json = wf_lzma_to_json(lzma);
	g_assert_cmpstr(
		json_object_get_string_member(json_node_get_object(json), "status"), ==, "corrupt");
	g_assert_cmpstr(json_object_get_string_member(json_node_get_object(json), "error"),
			==,
			error->message);
}

static void
test_lzma_output_cap(void)
{
	g_autoptr(GByteArray) data = make_payload(100000, 6);
	g_autoptr(GByteArray) known = encode_known_size(data->data, data->len, NULL);
	g_autoptr(GByteArray) unknown = encode_alone(data->data, data->len);
	g_autoptr(WfLzma) lzma = wf_lzma_new();
	g_autoptr(GError) error = NULL;
	GBytes *out;

	g_assert_cmpuint(wf_lzma_get_max_output(lzma), ==, WF_LZMA_DEFAULT_MAX_OUTPUT);
	wf_lzma_set_max_output(lzma, 1000);

	/* an announced size over the cap is refused before decoding */
	g_assert_false(wf_lzma_decode(lzma, known->data, known->len, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_REFUSED);
	g_assert_nonnull(strstr(error->message, "1000-byte limit"));
	g_assert_null(wf_lzma_get_output(lzma));
	g_clear_error(&error);

	/* an unknown size stops at the cap, keeping exactly the cap */
	g_assert_false(wf_lzma_decode(lzma, unknown->data, unknown->len, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_REFUSED);
	g_assert_cmpint(wf_lzma_get_status(lzma), ==, WF_LZMA_STATUS_TOO_LARGE);
	out = wf_lzma_get_output(lzma);
	g_assert_cmpmem(g_bytes_get_data(out, NULL), g_bytes_get_size(out), data->data, 1000);
	g_clear_error(&error);

	/* exactly the cap is fine */
	wf_lzma_set_max_output(lzma, data->len);
	g_assert_true(wf_lzma_decode(lzma, unknown->data, unknown->len, &error));
	g_assert_no_error(error);
	g_assert_true(wf_lzma_decode(lzma, known->data, known->len, &error));
	g_assert_no_error(error);
	assert_output(lzma, data->data, data->len);
}

static void
test_lzma_preset_dict(void)
{
	g_autoptr(GByteArray) preset_buf = make_payload(64 * 1024, 7);
	g_autoptr(GBytes) preset = NULL;
	g_autoptr(GByteArray) data = g_byte_array_new();
	g_autoptr(GByteArray) enc = NULL;
	g_autoptr(WfLzma) lzma = wf_lzma_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) wrong = NULL;
	g_autoptr(GByteArray) wrong_buf = NULL;

	/* the stream repeats pieces of the preset, as ZIMAGE code repeats ALICE code */
	for (guint i = 0; i < 64; i++)
		g_byte_array_append(data, preset_buf->data + (i * 997) % 60000, 700);
	preset = g_bytes_new(preset_buf->data, preset_buf->len);
	enc = encode_known_size(data->data, data->len, preset);

	/* without the preset the stream refers to bytes that are not there */
	g_assert_false(wf_lzma_decode(lzma, enc->data, enc->len, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_DATA);
	g_clear_error(&error);

	wf_lzma_set_preset_dict(lzma, preset);
	g_assert_true(wf_lzma_decode(lzma, enc->data, enc->len, &error));
	g_assert_no_error(error);
	assert_output(lzma, data->data, data->len);

	/* the preset is end-anchored: extra bytes in front do not matter, extra
	 * bytes behind shift every distance */
	wrong_buf = g_byte_array_new();
	g_byte_array_append(wrong_buf, (const guint8 *)"0123456789", 10);
	g_byte_array_append(wrong_buf, preset_buf->data, preset_buf->len);
	wrong = g_bytes_new(wrong_buf->data, wrong_buf->len);
	wf_lzma_set_preset_dict(lzma, wrong);
	g_assert_true(wf_lzma_decode(lzma, enc->data, enc->len, &error));
	g_assert_no_error(error);
	assert_output(lzma, data->data, data->len);
	g_byte_array_append(wrong_buf, (const guint8 *)"0123456789", 10);
	g_clear_pointer(&wrong, g_bytes_unref);
	wrong = g_bytes_new(wrong_buf->data + 10, wrong_buf->len - 10);
	wf_lzma_set_preset_dict(lzma, wrong);
	if (wf_lzma_decode(lzma, enc->data, enc->len, &error)) {
		GBytes *out = wf_lzma_get_output(lzma);
		g_assert_true(memcmp(g_bytes_get_data(out, NULL), data->data, data->len) != 0);
	}
	g_clear_error(&error);
}

static void
test_lzma_raw(void)
{
	g_autoptr(GByteArray) data = make_payload(30000, 8);
	g_autoptr(GByteArray) enc = encode_known_size(data->data, data->len, NULL);
	g_autoptr(WfLzma) lzma = wf_lzma_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) json = NULL;

	g_assert_true(wf_lzma_decode_raw(lzma,
					 enc->data + WF_LZMA_ALONE_HEADER_SIZE,
					 enc->len - WF_LZMA_ALONE_HEADER_SIZE,
					 0x5C,
					 1 << 22,
					 data->len,
					 &error));
	g_assert_no_error(error);
	assert_output(lzma, data->data, data->len);
	json = wf_lzma_to_json(lzma);
	g_assert_cmpstr(json_object_get_string_member(json_node_get_object(json), "format"),
			==,
			"lzma-raw");
}

/* the 40 bytes of the SIM868 VIVA ALICE_2 header, per firmware-formats §4.1 */
static const guint8 alice2_sim868[WF_LZMA_ALICE_HEADER_SIZE] = {
	'A',  'L',  'I',  'C',	'E',  '_',  '2',  0x00, 0xa0, 0x50, 0x12, 0x10, 0x5c, 0xf6,
	0x2a, 0x10, 0xd4, 0xf0, 0x2b, 0x10, 0x04, 0x00, 0x06, 0x00, 0x07, 0x00, 0x09, 0x00,
	0x0a, 0x00, 0x0b, 0x00, 0x0c, 0x00, 0x09, 0x01, 0x40, 0x00, 0xff, 0xff};

static void
assert_sim868_alice(const WfLzmaAliceHeader *hdr)
{
	const guint16 ranges[] = {4, 6, 7, 9, 10, 11, 12};
	g_assert_cmpuint(hdr->version, ==, 2);
	g_assert_cmphex(hdr->base, ==, 0x101250A0);
	g_assert_cmphex(hdr->map_addr, ==, 0x102AF65C);
	g_assert_cmphex(hdr->dict_addr, ==, 0x102BF0D4);
	g_assert_cmpmem(hdr->ranges, sizeof(hdr->ranges), ranges, sizeof(ranges));
	g_assert_cmpuint(hdr->block_size, ==, 0x40);
}

static void
test_lzma_alice(void)
{
	g_autoptr(WfLzma) lzma = wf_lzma_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(GArray) hits = NULL;
	g_autoptr(JsonNode) json = NULL;
	g_autofree guint8 *image = g_malloc0(4096);
	WfLzmaAliceHeader hdr;
	JsonObject *obj;

	/* decoding ALICE data says what it is instead of "corrupt LZMA" */
	g_assert_true(wf_lzma_is_alice(alice2_sim868, sizeof(alice2_sim868)));
	g_assert_false(wf_lzma_decode(lzma, alice2_sim868, sizeof(alice2_sim868), &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_NOT_SUPPORTED);
	g_assert_cmpstr(
		error->message, ==, "ALICE-compressed code: not decoded (no ALICE decoder)");
	g_assert_cmpint(wf_lzma_get_status(lzma), ==, WF_LZMA_STATUS_UNSUPPORTED);
	g_clear_error(&error);

	g_assert_true(
		wf_lzma_parse_alice_header(alice2_sim868, sizeof(alice2_sim868), &hdr, &error));
	g_assert_no_error(error);
	assert_sim868_alice(&hdr);

	/* truncated header */
	g_assert_false(wf_lzma_parse_alice_header(alice2_sim868, 30, &hdr, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_FILE);
	g_clear_error(&error);

	/* a string "ALICE_2" in trace text is not a header */
	memcpy(image + 100,
	       "ALICE_2\0ALICE_2 is here \xff\xff\xff\xff\xff\xff\xff\xff\xff\xff",
	       35);
	memcpy(image + 3000, alice2_sim868, sizeof(alice2_sim868));
	memcpy(image + 4096 - 20, alice2_sim868, 20); /* cut by the end of the image */
	hits = wf_lzma_find_alice(image, 4096, 16);
	g_assert_cmpuint(hits->len, ==, 1);
	g_assert_cmpuint(g_array_index(hits, WfLzmaAliceHeader, 0).offset, ==, 3000);
	assert_sim868_alice(&g_array_index(hits, WfLzmaAliceHeader, 0));

	json = wf_lzma_alice_header_to_json(&g_array_index(hits, WfLzmaAliceHeader, 0));
	obj = json_node_get_object(json);
	g_assert_cmpstr(json_object_get_string_member(obj, "format"), ==, "ALICE_2");
	g_assert_cmpint(json_object_get_int_member(obj, "offset"), ==, 3000);
	g_assert_cmpint(json_object_get_int_member(obj, "base"), ==, 0x101250A0);
	g_assert_false(json_object_get_boolean_member(obj, "decoded"));
	g_assert_cmpstr(json_object_get_string_member(obj, "note"),
			==,
			"ALICE-compressed code: not decoded (no ALICE decoder)");
}

/* the real slice, when the headers samples are in the tree */
static void
test_lzma_alice_sample(void)
{
	g_autofree gchar *fn = g_build_filename(
		g_getenv("WF_TESTDATA_DIR"), "headers", "mt6261_sim868_ALICE2_header.bin", NULL);
	g_autofree gchar *buf = NULL;
	g_autoptr(GError) error = NULL;
	WfLzmaAliceHeader hdr;
	gsize len = 0;

	if (!g_file_test(fn, G_FILE_TEST_EXISTS)) {
		g_test_skip("headers sample not present");
		return;
	}
	g_assert_true(g_file_get_contents(fn, &buf, &len, &error));
	g_assert_no_error(error);
	g_assert_cmpmem(buf, len, alice2_sim868, sizeof(alice2_sim868));
	g_assert_true(wf_lzma_parse_alice_header((const guint8 *)buf, len, &hdr, &error));
	assert_sim868_alice(&hdr);
}

/* random headers and bodies: never crash, never exceed the cap */
static void
test_lzma_garbage(void)
{
	g_autoptr(WfLzma) lzma = wf_lzma_new();
	GRand *rand = g_rand_new_with_seed(42);

	wf_lzma_set_max_output(lzma, 256 * 1024);
	for (guint i = 0; i < 300; i++) {
		guint8 buf[600];
		gsize len = g_rand_int_range(rand, 0, sizeof(buf));
		g_autoptr(GError) error = NULL;
		GBytes *out;

		for (gsize k = 0; k < len; k++)
			buf[k] = (guint8)g_rand_int(rand);
		if (len > 13 && (i & 1)) {
			/* plausible header so the body reaches the decoder */
			buf[0] = 0x5D;
			buf[3] = 0x01;
			buf[4] = 0x00;
			memset(buf + 5, i & 2 ? 0xFF : 0x00, 8);
			if (!(i & 2))
				buf[6] = 0x10;
			buf[13] = 0;
		}
		if (wf_lzma_decode(lzma, buf, len, &error)) {
			g_assert_no_error(error);
		} else {
			g_assert_nonnull(error);
			g_assert_true(error->domain == WF_ERROR);
		}
		out = wf_lzma_get_output(lzma);
		if (out != NULL)
			g_assert_cmpuint(g_bytes_get_size(out), <=, 256 * 1024);
		g_assert_cmpuint(wf_lzma_get_input_consumed(lzma), <=, len);
	}
	g_rand_free(rand);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_test_add_func("/lzma/round-trip-unknown-size", test_lzma_round_trip_unknown_size);
	g_test_add_func("/lzma/round-trip-known-size", test_lzma_round_trip_known_size);
	g_test_add_func("/lzma/known-size-end-marker", test_lzma_known_size_with_end_marker);
	g_test_add_func("/lzma/empty", test_lzma_empty);
	g_test_add_func("/lzma/truncated", test_lzma_truncated);
	g_test_add_func("/lzma/header-errors", test_lzma_header_errors);
	g_test_add_func("/lzma/corrupt", test_lzma_corrupt);
	g_test_add_func("/lzma/output-cap", test_lzma_output_cap);
	g_test_add_func("/lzma/preset-dict", test_lzma_preset_dict);
	g_test_add_func("/lzma/raw", test_lzma_raw);
	g_test_add_func("/lzma/alice", test_lzma_alice);
	g_test_add_func("/lzma/alice-sample", test_lzma_alice_sample);
	g_test_add_func("/lzma/garbage", test_lzma_garbage);
	return g_test_run();
}
