/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <lzma.h>
#include <string.h>

#include "wf-error.h"
#include "wf-lzma.h"
#include "wf-secret-codes.h"

static WfKnowledgeTable *
load_codes_table(void)
{
	g_autoptr(WfKnowledgeTable) table = wf_knowledge_table_new(WF_KNOWLEDGE_TABLE_KIND_CODES);
	g_autoptr(GError) error = NULL;
	g_assert_true(wf_knowledge_table_load_default(table, &error));
	g_assert_no_error(error);
	return g_steal_pointer(&table);
}

/* the distinct codes found, in order, joined with spaces */
static gchar *
codes_found(WfSecretCodes *codes)
{
	GPtrArray *found = wf_secret_codes_get_codes(codes);
	g_autoptr(GString) str = g_string_new(NULL);
	for (guint i = 0; i < found->len; i++) {
		const WfSecretCode *code = g_ptr_array_index(found, i);
		if (str->len > 0)
			g_string_append_c(str, ' ');
		g_string_append(str, code->code);
	}
	return g_string_free(g_steal_pointer(&str), FALSE);
}

static gchar *
scan_string(const gchar *text, gsize len, WfSecretCodesScanFlags flags)
{
	g_autoptr(WfSecretCodes) codes = wf_secret_codes_new(NULL);
	wf_secret_codes_scan(codes, "test", (const guint8 *)text, len, flags);
	return codes_found(codes);
}

#define SCAN(lit) scan_string(lit, sizeof(lit) - 1, WF_SECRET_CODES_SCAN_ASCII)

static void
test_secret_codes_pattern(void)
{
	struct {
		const gchar *input;
		const gchar *expected;
	} cases[] = {
		/* NUL-terminated strings, as in the MAUI SSC table */
		{"*#8375#", "*#8375#"},
		{"*#66*#", "*#66*#"},
		{"###765*02#", "###765*02#"},
		{"*7525#", "*7525#"},
		{"#7525#", "#7525#"},
		{"*99#", "*99#"},
		{"code: *#06# ok", "*#06#"},
		{"(*#1234#)", "*#1234#"},
		/* bounded by non-alphanumerics: not inside words or numbers */
		{"abc*#06#", ""},
		{"*#06#abc", ""},
		{"x#73#", ""},
		{"1*#123#", ""},
		{"*#123#4", ""},
		{"tel*99#x", ""},
		/* the regex shape */
		{"*#06", ""},	      /* no closing '#' */
		{"*#0#", ""},	      /* [0-9][0-9*#]{1,20}# needs two characters after the mark */
		{"*##06#", "*##06#"}, /* up to three marks */
		{"####123#", ""},     /* four marks: never starts inside the run */
		{"*#a1#", ""},
		{"#*", ""},
		{"**", ""},
		/* 21 characters after the first digit is the most */
		{"*#1234567890123456789012#", ""},
		{"*#12345678901234567890#", "*#12345678901234567890#"},
		/* greedy like the regex: the longest tail ending in '#' */
		{"*#06#*#", "*#06#*#"},
		{"*#06## x", "*#06##"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree gchar *found = scan_string(
			cases[i].input, strlen(cases[i].input), WF_SECRET_CODES_SCAN_ASCII);
		g_test_message("input %s", cases[i].input);
		g_assert_cmpstr(found, ==, cases[i].expected);
	}
}

static void
test_secret_codes_buffer(void)
{
	/* a slice of an SSC string table: pointers, NUL-terminated strings, padding */
	static const gchar buf[] = "\x10\x20\x30\x40*#8375#\0\0\0*#357#\0*#3646633#\0\x88\x99"
				   "*#66*#\0*#87#\0\xff\xff\xff\xff"
				   "AT+CGDCONT\0*99#\0VERSION*#1#\0*#8375#\0"
				   "###765*02#\0*#7525*01#\0\x01\x02*#06#\x80";
	g_autofree gchar *found = scan_string(buf, sizeof(buf) - 1, WF_SECRET_CODES_SCAN_ASCII);
	gsize start = 0;
	gsize len;

	g_assert_cmpstr(found,
			==,
			"*#8375# *#357# *#3646633# *#66*# *#87# *99# ###765*02# *#7525*01# *#06#");

	/* the low-level matcher walks the same buffer */
	len = wf_secret_codes_match((const guint8 *)buf, sizeof(buf) - 1, 0, &start);
	g_assert_cmpuint(start, ==, 4);
	g_assert_cmpuint(len, ==, 7);
	len = wf_secret_codes_match((const guint8 *)buf, sizeof(buf) - 1, start + len, &start);
	g_assert_cmpuint(len, ==, 6);
	g_assert_cmpmem(buf + start, len, "*#357#", 6);
}

static void
test_secret_codes_dedupe(void)
{
	g_autoptr(WfSecretCodes) codes = wf_secret_codes_new(NULL);
	static const gchar rom[] = "*#06#\0..*#06#\0*#8375#\0*#06#";
	static const gchar viva[] = "xx\0*#8375#";
	const WfSecretCode *code;
	WfSecretCodeOccurrence *occ;

	wf_secret_codes_scan(
		codes, "ROM", (const guint8 *)rom, sizeof(rom) - 1, WF_SECRET_CODES_SCAN_ASCII);
	wf_secret_codes_scan(
		codes, "VIVA", (const guint8 *)viva, sizeof(viva) - 1, WF_SECRET_CODES_SCAN_ASCII);
	g_assert_cmpuint(wf_secret_codes_get_codes(codes)->len, ==, 2);

	code = wf_secret_codes_lookup(codes, "*#06#");
	g_assert_nonnull(code);
	g_assert_cmpuint(code->count, ==, 3);
	g_assert_cmpuint(code->occurrences->len, ==, 3);
	g_assert_cmpuint(g_array_index(code->occurrences, WfSecretCodeOccurrence, 0).offset, ==, 0);
	g_assert_cmpuint(g_array_index(code->occurrences, WfSecretCodeOccurrence, 1).offset, ==, 8);
	g_assert_cmpuint(
		g_array_index(code->occurrences, WfSecretCodeOccurrence, 2).offset, ==, 22);

	code = wf_secret_codes_lookup(codes, "*#8375#");
	g_assert_cmpuint(code->count, ==, 2);
	occ = &g_array_index(code->occurrences, WfSecretCodeOccurrence, 1);
	g_assert_cmpstr(occ->region, ==, "VIVA");
	g_assert_cmpuint(occ->offset, ==, 3);
	g_assert_false(occ->utf16);

	/* without a table nothing is explained, but everything is shown */
	g_assert_null(code->entry);
	g_assert_cmpstr(wf_secret_code_get_category(code), ==, "unknown");
	g_assert_null(wf_secret_code_get_meaning(code));
	g_assert_cmpint(wf_secret_code_get_confidence(code), ==, WF_CONFIDENCE_UNKNOWN);
}

static GByteArray *
utf16le(const gchar *ascii, gsize len)
{
	GByteArray *buf = g_byte_array_new();
	for (gsize i = 0; i < len; i++) {
		guint8 pair[2] = {(guint8)ascii[i], 0};
		g_byte_array_append(buf, pair, 2);
	}
	return buf;
}

static void
test_secret_codes_utf16(void)
{
	g_autoptr(GByteArray) buf = g_byte_array_new();
	g_autoptr(GByteArray) even = utf16le("Dial *#8375# now", 16);
	g_autoptr(GByteArray) odd = utf16le("*#06#", 5);
	g_autoptr(GByteArray) word = utf16le("abc*#1234#", 10);
	g_autoptr(WfSecretCodes) codes = wf_secret_codes_new(NULL);
	const guint8 cjk[] = {0x4B, 0x62}; /* U+624B, a letter outside ASCII */
	const WfSecretCode *code;
	WfSecretCodeOccurrence *occ;
	g_autofree gchar *ascii_only = NULL;

	g_byte_array_append(buf, even->data, even->len); /* at 0 */
	g_byte_array_append(buf, (const guint8 *)"\0\0\0", 3);
	g_byte_array_append(buf, odd->data, odd->len); /* at 35: odd alignment */
	g_byte_array_append(buf, (const guint8 *)"\0", 1);
	g_byte_array_append(buf, word->data, word->len); /* embedded in a word */
	g_byte_array_append(buf, (const guint8 *)"\0\0", 2);
	g_byte_array_append(buf, cjk, 2);
	g_byte_array_append(buf, odd->data, odd->len); /* after a non-ASCII character */

	ascii_only = scan_string((const gchar *)buf->data, buf->len, WF_SECRET_CODES_SCAN_ASCII);
	g_assert_cmpstr(ascii_only, ==, "");

	wf_secret_codes_scan(codes, "RES", buf->data, buf->len, WF_SECRET_CODES_SCAN_DEFAULT);
	g_assert_cmpuint(wf_secret_codes_get_codes(codes)->len, ==, 2);
	code = wf_secret_codes_lookup(codes, "*#8375#");
	g_assert_nonnull(code);
	occ = &g_array_index(code->occurrences, WfSecretCodeOccurrence, 0);
	g_assert_true(occ->utf16);
	g_assert_cmpuint(occ->offset, ==, 10);
	code = wf_secret_codes_lookup(codes, "*#06#");
	g_assert_nonnull(code);
	g_assert_cmpuint(code->count, ==, 2);
	/* the even alignment is scanned first */
	g_assert_cmpuint(
		g_array_index(code->occurrences, WfSecretCodeOccurrence, 0).offset, ==, 70);
	g_assert_cmpuint(
		g_array_index(code->occurrences, WfSecretCodeOccurrence, 1).offset, ==, 35);
	g_assert_null(wf_secret_codes_lookup(codes, "*#1234#"));
}

static void
test_secret_codes_annotate(void)
{
	g_autoptr(WfKnowledgeTable) table = load_codes_table();
	g_autoptr(WfSecretCodes) codes = wf_secret_codes_new(table);
	static const gchar rom[] = "*#8375#\0*#357#\0*#4321#\0*99#\0*#6810#\0*#63342835#";
	const WfSecretCode *code;

	wf_secret_codes_scan(
		codes, "ROM", (const guint8 *)rom, sizeof(rom) - 1, WF_SECRET_CODES_SCAN_DEFAULT);

	code = wf_secret_codes_lookup(codes, "*#8375#");
	g_assert_nonnull(code->entry);
	g_assert_cmpstr(wf_secret_code_get_name(code), ==, "SSC_SW_VERSION");
	g_assert_cmpstr(wf_secret_code_get_category(code), ==, "info");
	g_assert_nonnull(strstr(wf_secret_code_get_meaning(code), "software version"));
	g_assert_cmpint(wf_secret_code_get_confidence(code), ==, WF_CONFIDENCE_HIGH);
	g_assert_false(wf_secret_code_is_network_string(code));

	code = wf_secret_codes_lookup(codes, "*#357#");
	g_assert_cmpstr(wf_knowledge_entry_get_string(code->entry, "condition"),
			==,
			"only in builds with __MMI_HW_VERSION__");

	/* unknown stays unknown */
	code = wf_secret_codes_lookup(codes, "*#4321#");
	g_assert_null(code->entry);
	g_assert_null(wf_secret_code_get_meaning(code));

	/* a known code whose effect nobody documented */
	code = wf_secret_codes_lookup(codes, "*#6810#");
	g_assert_nonnull(code->entry);
	g_assert_cmpstr(wf_secret_code_get_name(code), ==, "SSC_DISABLE_FOR_SHIPMENT");
	g_assert_null(wf_secret_code_get_meaning(code));

	code = wf_secret_codes_lookup(codes, "*99#");
	g_assert_true(wf_secret_code_is_network_string(code));

	code = wf_secret_codes_lookup(codes, "*#63342835#");
	g_assert_cmpstr(wf_secret_code_get_name(code), ==, "*#mediatek#");
	g_assert_cmpuint(wf_secret_codes_get_warnings(codes)->len, ==, 0);
}

static void
test_secret_codes_json(void)
{
	g_autoptr(WfKnowledgeTable) table = load_codes_table();
	g_autoptr(WfSecretCodes) codes = wf_secret_codes_new(table);
	static const gchar rom[] = "*#8375#\0*#4321#\0*99#";
	g_autoptr(JsonNode) json = NULL;
	JsonObject *root;
	JsonArray *arr;
	JsonObject *obj;
	JsonArray *sources;
	JsonObject *occ;

	wf_secret_codes_scan(
		codes, "ROM", (const guint8 *)rom, sizeof(rom) - 1, WF_SECRET_CODES_SCAN_ASCII);
	json = wf_secret_codes_to_json(codes);
	root = json_node_get_object(json);
	arr = json_object_get_array_member(root, "codes");
	g_assert_cmpuint(json_array_get_length(arr), ==, 3);

	obj = json_array_get_object_element(arr, 0);
	g_assert_cmpstr(json_object_get_string_member(obj, "code"), ==, "*#8375#");
	g_assert_true(json_object_get_boolean_member(obj, "known"));
	g_assert_cmpstr(json_object_get_string_member(obj, "name"), ==, "SSC_SW_VERSION");
	g_assert_cmpstr(json_object_get_string_member(obj, "confidence"), ==, "high");
	sources = json_object_get_array_member(obj, "sources");
	g_assert_cmpuint(json_array_get_length(sources), >=, 1);
	g_assert_cmpstr(
		json_object_get_string_member(json_array_get_object_element(sources, 0), "tag"),
		==,
		"SDK");
	g_assert_cmpstr(
		json_object_get_string_member(json_array_get_object_element(sources, 0), "url"),
		==,
		"https://github.com/bringupmre/MT2503_SDK");
	occ = json_array_get_object_element(json_object_get_array_member(obj, "occurrences"), 0);
	g_assert_cmpstr(json_object_get_string_member(occ, "region"), ==, "ROM");
	g_assert_cmpint(json_object_get_int_member(occ, "offset"), ==, 0);
	g_assert_cmpstr(json_object_get_string_member(occ, "encoding"), ==, "ascii");

	obj = json_array_get_object_element(arr, 1);
	g_assert_false(json_object_get_boolean_member(obj, "known"));
	g_assert_true(json_object_get_null_member(obj, "meaning"));
	g_assert_cmpstr(json_object_get_string_member(obj, "confidence"), ==, "unknown");
	g_assert_false(json_object_has_member(obj, "sources"));

	obj = json_array_get_object_element(arr, 2);
	g_assert_true(json_object_get_boolean_member(obj, "likely_false_positive"));

	g_assert_cmpuint(
		json_array_get_length(json_object_get_array_member(root, "regions")), ==, 1);
	g_assert_cmpuint(
		json_array_get_length(json_object_get_array_member(root, "warnings")), ==, 0);
	g_assert_false(json_object_get_boolean_member(root, "truncated"));
}

static const guint8 alice2[WF_LZMA_ALICE_HEADER_SIZE] = {
	'A',  'L',  'I',  'C',	'E',  '_',  '2',  0x00, 0xa0, 0x50, 0x12, 0x10, 0x5c, 0xf6,
	0x2a, 0x10, 0xd4, 0xf0, 0x2b, 0x10, 0x04, 0x00, 0x06, 0x00, 0x07, 0x00, 0x09, 0x00,
	0x0a, 0x00, 0x0b, 0x00, 0x0c, 0x00, 0x09, 0x01, 0x40, 0x00, 0xff, 0xff};

static gboolean
has_warning(WfSecretCodes *codes, const gchar *text)
{
	GPtrArray *warnings = wf_secret_codes_get_warnings(codes);
	for (guint i = 0; i < warnings->len; i++) {
		if (strstr(g_ptr_array_index(warnings, i), text) != NULL)
			return TRUE;
	}
	return FALSE;
}

static void
test_secret_codes_compressed_parts(void)
{
	g_autoptr(WfSecretCodes) codes = wf_secret_codes_new(NULL);
	g_autoptr(WfSecretCodes) codes2 = wf_secret_codes_new(NULL);
	g_autoptr(GByteArray) image = g_byte_array_new();
	g_autoptr(JsonNode) json = NULL;
	JsonArray *parts;

	g_byte_array_append(image, (const guint8 *)"*#06#\0\0\0", 8);
	g_byte_array_append(image, alice2, sizeof(alice2));
	g_byte_array_append(image, (const guint8 *)"\0\0\0\0", 4);
	g_assert_cmpuint(
		wf_secret_codes_scan_image(
			codes, "VIVA", image->data, image->len, WF_SECRET_CODES_SCAN_ASCII),
		==,
		1);
	g_assert_nonnull(wf_secret_codes_lookup(codes, "*#06#"));
	g_assert_true(has_warning(codes, "compressed parts present, codes may be hidden"));
	g_assert_true(
		has_warning(codes, "VIVA ALICE_2 at 0x8: ALICE-compressed code: not decoded"));
	json = wf_secret_codes_to_json(codes);
	parts = json_object_get_array_member(json_node_get_object(json), "compressed_parts");
	g_assert_cmpuint(json_array_get_length(parts), ==, 1);
	g_assert_cmpstr(
		json_object_get_string_member(json_array_get_object_element(parts, 0), "scanned"),
		==,
		"no");

	/* the caller decoded and scanned its compressed part: nothing hidden */
	wf_secret_codes_add_compressed_part(codes2, "ZIMAGE", "LZMA", TRUE);
	g_assert_false(has_warning(codes2, "codes may be hidden"));
	wf_secret_codes_add_compressed_part(codes2, "DCM", "LZMA", FALSE);
	g_assert_true(has_warning(codes2, "codes may be hidden"));
	g_assert_true(has_warning(codes2, "DCM: LZMA part not decoded"));
}

static GByteArray *
lzma_alone(const guint8 *data, gsize len)
{
	lzma_stream strm = LZMA_STREAM_INIT;
	lzma_options_lzma opt;
	GByteArray *out = g_byte_array_new();
	g_assert_false(lzma_lzma_preset(&opt, 6));
	g_assert_cmpint(lzma_alone_encoder(&strm, &opt), ==, LZMA_OK);
	g_byte_array_set_size(out, len + 1024);
	strm.next_in = data;
	strm.avail_in = len;
	strm.next_out = out->data;
	strm.avail_out = out->len;
	g_assert_cmpint(lzma_code(&strm, LZMA_FINISH), ==, LZMA_STREAM_END);
	g_byte_array_set_size(out, out->len - strm.avail_out);
	lzma_end(&strm);
	return out;
}

static void
test_secret_codes_lzma(void)
{
	g_autoptr(WfSecretCodes) codes = wf_secret_codes_new(NULL);
	g_autoptr(WfSecretCodes) partial = wf_secret_codes_new(NULL);
	g_autoptr(WfSecretCodes) alice = wf_secret_codes_new(NULL);
	g_autoptr(GByteArray) plain = g_byte_array_new();
	g_autoptr(GByteArray) enc = NULL;
	g_autoptr(GError) error = NULL;
	GRand *rand = g_rand_new_with_seed(9);
	const WfSecretCode *code;

	/* codes at both ends of an incompressible part */
	g_byte_array_append(plain, (const guint8 *)"\0*#3366*#\0", 10);
	for (guint i = 0; i < 200000; i++) {
		guint8 b = (guint8)g_rand_int_range(rand, 'a', 'z' + 1);
		g_byte_array_append(plain, &b, 1);
	}
	g_byte_array_append(plain, (const guint8 *)"\0*#87285*#\0", 11);
	g_rand_free(rand);
	enc = lzma_alone(plain->data, plain->len);

	/* the compressed bytes themselves hold no code */
	g_assert_true(wf_secret_codes_scan_lzma(
		codes, "ZIMAGE", enc->data, enc->len, NULL, 0, WF_SECRET_CODES_SCAN_ASCII, &error));
	g_assert_no_error(error);
	code = wf_secret_codes_lookup(codes, "*#87285*#");
	g_assert_nonnull(code);
	g_assert_cmpstr(g_array_index(code->occurrences, WfSecretCodeOccurrence, 0).region,
			==,
			"ZIMAGE (decompressed)");
	g_assert_cmpuint(
		g_array_index(code->occurrences, WfSecretCodeOccurrence, 0).offset, ==, 200011);
	g_assert_nonnull(wf_secret_codes_lookup(codes, "*#3366*#"));
	g_assert_cmpuint(wf_secret_codes_get_warnings(codes)->len, ==, 0);

	/* truncated: the first code is still found, the part is partial */
	g_assert_false(wf_secret_codes_scan_lzma(partial,
						 "ZIMAGE",
						 enc->data,
						 enc->len / 2,
						 NULL,
						 0,
						 WF_SECRET_CODES_SCAN_ASCII,
						 &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_FILE);
	g_clear_error(&error);
	g_assert_nonnull(wf_secret_codes_lookup(partial, "*#3366*#"));
	g_assert_null(wf_secret_codes_lookup(partial, "*#87285*#"));
	g_assert_true(has_warning(partial, "codes may be hidden"));
	g_assert_true(has_warning(partial, "ZIMAGE: decoded only partly"));

	/* the output cap applies */
	g_assert_false(wf_secret_codes_scan_lzma(partial,
						 "ZIMAGE2",
						 enc->data,
						 enc->len,
						 NULL,
						 100,
						 WF_SECRET_CODES_SCAN_ASCII,
						 &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_REFUSED);
	g_clear_error(&error);

	/* handed an ALICE part: said so */
	g_assert_false(wf_secret_codes_scan_lzma(alice,
						 "VIVA",
						 alice2,
						 sizeof(alice2),
						 NULL,
						 0,
						 WF_SECRET_CODES_SCAN_ASCII,
						 &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_NOT_SUPPORTED);
	g_assert_true(has_warning(alice, "VIVA: ALICE-compressed code: not decoded"));
}

static void
test_secret_codes_limits(void)
{
	g_autoptr(WfSecretCodes) codes = wf_secret_codes_new(NULL);
	g_autoptr(GString) buf = g_string_new(NULL);
	const WfSecretCode *code;

	for (guint i = 0; i < WF_SECRET_CODES_MAX_CODES + 100; i++)
		g_string_append_printf(buf, "*#%u# ", 10000 + i);
	for (guint i = 0; i < 100; i++)
		g_string_append(buf, "*#10000# ");
	wf_secret_codes_scan(
		codes, "ROM", (const guint8 *)buf->str, buf->len, WF_SECRET_CODES_SCAN_ASCII);
	g_assert_cmpuint(wf_secret_codes_get_codes(codes)->len, ==, WF_SECRET_CODES_MAX_CODES);
	g_assert_true(wf_secret_codes_get_truncated(codes));
	g_assert_true(has_warning(codes, "the rest were dropped"));
	code = wf_secret_codes_lookup(codes, "*#10000#");
	g_assert_cmpuint(code->count, ==, 101);
	g_assert_cmpuint(code->occurrences->len, ==, WF_SECRET_CODES_MAX_OCCURRENCES);
	g_assert_nonnull(wf_secret_codes_lookup(codes, "*#14095#"));
	g_assert_null(wf_secret_codes_lookup(codes, "*#14100#"));
}

/* every code of the shipped tables and of the samples must be listable */
static void
test_secret_codes_tables_scannable(void)
{
	g_autoptr(WfKnowledgeTable) table = load_codes_table();
	GPtrArray *entries = wf_knowledge_table_get_entries(table);

	for (guint i = 0; i < entries->len; i++) {
		const gchar *code =
			wf_knowledge_entry_get_string(g_ptr_array_index(entries, i), "code");
		g_autofree gchar *padded = g_strdup_printf("\x01%s", code);
		g_autofree gchar *found =
			scan_string(padded, strlen(padded) + 1, WF_SECRET_CODES_SCAN_ASCII);
		g_assert_cmpstr(found, ==, code);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_test_add_func("/secret-codes/pattern", test_secret_codes_pattern);
	g_test_add_func("/secret-codes/buffer", test_secret_codes_buffer);
	g_test_add_func("/secret-codes/dedupe", test_secret_codes_dedupe);
	g_test_add_func("/secret-codes/utf16", test_secret_codes_utf16);
	g_test_add_func("/secret-codes/annotate", test_secret_codes_annotate);
	g_test_add_func("/secret-codes/json", test_secret_codes_json);
	g_test_add_func("/secret-codes/compressed-parts", test_secret_codes_compressed_parts);
	g_test_add_func("/secret-codes/lzma", test_secret_codes_lzma);
	g_test_add_func("/secret-codes/limits", test_secret_codes_limits);
	g_test_add_func("/secret-codes/tables-scannable", test_secret_codes_tables_scannable);
	return g_test_run();
}
