/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-secret-codes.h"

#include "wf-error.h"
#include "wf-lzma.h"

/*
 * The listing rule (firmware-formats §3.5): the regex
 * [*#]{1,3}[0-9][0-9*#]{1,20}# bounded by non-alphanumerics. It is matched by
 * hand rather than with GRegex because images are binary, and the same
 * matcher then serves 8-bit and UTF-16LE text. A match never starts inside a
 * longer run of '*' and '#', so "abc*#06#" does not yield "#06#".
 */
#define WF_SECRET_CODES_PREFIX_MAX 3
#define WF_SECRET_CODES_TAIL_MAX   21 /* [0-9*#]{1,20} then '#' */
#define WF_SECRET_CODES_WARNING	   "compressed parts present, codes may be hidden"

typedef enum {
	WF_SECRET_CODES_PART_NOT_SCANNED,
	WF_SECRET_CODES_PART_PARTIAL,
	WF_SECRET_CODES_PART_SCANNED,
} WfSecretCodesPartState;

typedef struct {
	gchar *name;
	gchar *format;
	WfSecretCodesPartState state;
	gsize output_size;
} WfSecretCodesPart;

typedef struct {
	const gchar *name;
	gsize size;
	WfSecretCodesScanFlags flags;
} WfSecretCodesRegion;

struct _WfSecretCodes {
	GObject parent_instance;
	WfKnowledgeTable *table; /* nullable */
	GStringChunk *strings;	 /* region names */
	GPtrArray *codes;	 /* WfSecretCode, discovery order */
	GHashTable *by_code;	 /* code -> WfSecretCode, borrowed */
	GArray *regions;	 /* WfSecretCodesRegion */
	GPtrArray *parts;	 /* WfSecretCodesPart */
	GPtrArray *warnings;	 /* gchar*, rebuilt on demand */
	gboolean truncated;
};

G_DEFINE_FINAL_TYPE(WfSecretCodes, wf_secret_codes, G_TYPE_OBJECT)

/* a view of a buffer as a string of 8-bit or UTF-16LE characters */
typedef struct {
	const guint8 *buf;
	gsize base;   /* byte offset of character 0 */
	gsize len;    /* in characters */
	guint stride; /* bytes per character */
} WfSecretCodesView;

static inline guint8
wf_secret_codes_view_char(const WfSecretCodesView *v, gsize i)
{
	const guint8 *p = v->buf + v->base + i * v->stride;
	/* a UTF-16 unit above 0xFF is no ASCII character: it only bounds a code */
	if (v->stride == 2 && p[1] != 0)
		return 0x80;
	return p[0];
}

static inline gboolean
wf_secret_codes_is_mark(guint8 c)
{
	return c == '*' || c == '#';
}

static inline gboolean
wf_secret_codes_is_alnum(guint8 c)
{
	return c < 0x80 && g_ascii_isalnum(c);
}

/* length of the code starting at character i, or 0 */
static gsize
wf_secret_codes_match_at(const WfSecretCodesView *v, gsize i)
{
	gsize j = i;
	gsize run = 0;

	if (i > 0) {
		guint8 prev = wf_secret_codes_view_char(v, i - 1);
		if (wf_secret_codes_is_alnum(prev) || wf_secret_codes_is_mark(prev))
			return 0;
	}
	while (j < v->len && j - i < WF_SECRET_CODES_PREFIX_MAX &&
	       wf_secret_codes_is_mark(wf_secret_codes_view_char(v, j)))
		j++;
	if (j == i || j >= v->len || !g_ascii_isdigit(wf_secret_codes_view_char(v, j)))
		return 0;
	j++;
	while (j + run < v->len && run < WF_SECRET_CODES_TAIL_MAX) {
		guint8 c = wf_secret_codes_view_char(v, j + run);
		if (!g_ascii_isdigit(c) && !wf_secret_codes_is_mark(c))
			break;
		run++;
	}
	/* greedy, like the regex: the longest tail that ends in '#' at a boundary */
	for (gsize k = run; k >= 2; k--) {
		gsize end = j + k;
		if (wf_secret_codes_view_char(v, end - 1) != '#')
			continue;
		if (end < v->len && wf_secret_codes_is_alnum(wf_secret_codes_view_char(v, end)))
			continue;
		return end - i;
	}
	return 0;
}

static gsize
wf_secret_codes_view_next(const WfSecretCodesView *v, gsize pos, gsize *start)
{
	for (gsize i = pos; i < v->len; i++) {
		gsize n;
		if (!wf_secret_codes_is_mark(wf_secret_codes_view_char(v, i)))
			continue;
		n = wf_secret_codes_match_at(v, i);
		if (n > 0) {
			*start = i;
			return n;
		}
	}
	return 0;
}

/**
 * wf_secret_codes_match:
 * @buf: 8-bit text or binary data
 * @bufsz: size of @buf
 * @pos: where to start looking
 * @start: (out): where the code starts
 *
 * Finds the next dial code at or after @pos in 8-bit data.
 *
 * Returns: its length, or 0 if there is none
 */
gsize
wf_secret_codes_match(const guint8 *buf, gsize bufsz, gsize pos, gsize *start)
{
	WfSecretCodesView v = {buf, 0, bufsz, 1};
	g_return_val_if_fail(buf != NULL || bufsz == 0, 0);
	g_return_val_if_fail(start != NULL, 0);
	return wf_secret_codes_view_next(&v, pos, start);
}

const gchar *
wf_secret_code_get_meaning(const WfSecretCode *code)
{
	g_return_val_if_fail(code != NULL, NULL);
	return code->entry != NULL ? wf_knowledge_entry_get_string(code->entry, "meaning") : NULL;
}

const gchar *
wf_secret_code_get_name(const WfSecretCode *code)
{
	g_return_val_if_fail(code != NULL, NULL);
	return code->entry != NULL ? wf_knowledge_entry_get_string(code->entry, "name") : NULL;
}

/**
 * wf_secret_code_get_category:
 *
 * Returns: the table's category ("info", "factory", "network-string", …) or
 * "unknown" for a code no table knows
 */
const gchar *
wf_secret_code_get_category(const WfSecretCode *code)
{
	const gchar *category = NULL;
	g_return_val_if_fail(code != NULL, NULL);
	if (code->entry != NULL)
		category = wf_knowledge_entry_get_string(code->entry, "category");
	return category != NULL ? category : "unknown";
}

WfConfidence
wf_secret_code_get_confidence(const WfSecretCode *code)
{
	g_return_val_if_fail(code != NULL, WF_CONFIDENCE_UNKNOWN);
	if (code->entry == NULL)
		return WF_CONFIDENCE_UNKNOWN;
	return wf_knowledge_entry_get_confidence(code->entry);
}

/**
 * wf_secret_code_is_network_string:
 *
 * Returns: %TRUE for dial strings such as "*99#" that match the pattern but
 * are network strings, i.e. likely false positives
 */
gboolean
wf_secret_code_is_network_string(const WfSecretCode *code)
{
	g_return_val_if_fail(code != NULL, FALSE);
	return g_strcmp0(wf_secret_code_get_category(code), "network-string") == 0;
}

static void
wf_secret_code_free(gpointer data)
{
	WfSecretCode *code = data;
	g_free(code->code);
	g_array_unref(code->occurrences);
	g_free(code);
}

static void
wf_secret_codes_part_free(gpointer data)
{
	WfSecretCodesPart *part = data;
	g_free(part->name);
	g_free(part->format);
	g_free(part);
}

static void
wf_secret_codes_finalize(GObject *object)
{
	WfSecretCodes *self = WF_SECRET_CODES(object);
	g_clear_object(&self->table);
	g_hash_table_unref(self->by_code);
	g_ptr_array_unref(self->codes);
	g_array_unref(self->regions);
	g_ptr_array_unref(self->parts);
	g_ptr_array_unref(self->warnings);
	g_string_chunk_free(self->strings);
	G_OBJECT_CLASS(wf_secret_codes_parent_class)->finalize(object);
}

static void
wf_secret_codes_class_init(WfSecretCodesClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = wf_secret_codes_finalize;
}

static void
wf_secret_codes_init(WfSecretCodes *self)
{
	self->strings = g_string_chunk_new(256);
	self->codes = g_ptr_array_new_with_free_func(wf_secret_code_free);
	self->by_code = g_hash_table_new(g_str_hash, g_str_equal);
	self->regions = g_array_new(FALSE, TRUE, sizeof(WfSecretCodesRegion));
	self->parts = g_ptr_array_new_with_free_func(wf_secret_codes_part_free);
	self->warnings = g_ptr_array_new_with_free_func(g_free);
}

/**
 * wf_secret_codes_new:
 * @table: (nullable): a loaded "codes" #WfKnowledgeTable for meanings
 *
 * Returns: (transfer full): an empty scan result; feed it regions
 */
WfSecretCodes *
wf_secret_codes_new(WfKnowledgeTable *table)
{
	WfSecretCodes *self;
	g_return_val_if_fail(table == NULL || WF_IS_KNOWLEDGE_TABLE(table), NULL);
	g_return_val_if_fail(table == NULL || g_strcmp0(wf_knowledge_table_get_kind(table),
							WF_KNOWLEDGE_TABLE_KIND_CODES) == 0,
			     NULL);
	self = g_object_new(WF_TYPE_SECRET_CODES, NULL);
	if (table != NULL)
		self->table = g_object_ref(table);
	return self;
}

static void
wf_secret_codes_add_hit(WfSecretCodes *self,
			const WfSecretCodesView *v,
			const gchar *region,
			gsize start,
			gsize len)
{
	gchar text[WF_SECRET_CODES_PREFIX_MAX + 1 + WF_SECRET_CODES_TAIL_MAX + 1];
	WfSecretCodeOccurrence occ;
	WfSecretCode *code;

	for (gsize i = 0; i < len; i++)
		text[i] = (gchar)wf_secret_codes_view_char(v, start + i);
	text[len] = '\0';
	code = g_hash_table_lookup(self->by_code, text);
	if (code == NULL) {
		if (self->codes->len >= WF_SECRET_CODES_MAX_CODES) {
			self->truncated = TRUE;
			return;
		}
		code = g_new0(WfSecretCode, 1);
		code->code = g_strdup(text);
		code->occurrences = g_array_new(FALSE, TRUE, sizeof(WfSecretCodeOccurrence));
		if (self->table != NULL)
			code->entry = wf_knowledge_table_lookup(self->table, text);
		g_ptr_array_add(self->codes, code);
		g_hash_table_insert(self->by_code, code->code, code);
	}
	code->count++;
	if (code->occurrences->len >= WF_SECRET_CODES_MAX_OCCURRENCES)
		return;
	occ.region = region;
	occ.offset = v->base + start * v->stride;
	occ.utf16 = v->stride == 2;
	g_array_append_val(code->occurrences, occ);
}

static void
wf_secret_codes_scan_view(WfSecretCodes *self, const WfSecretCodesView *v, const gchar *region)
{
	gsize pos = 0;
	for (;;) {
		gsize start = 0;
		gsize len = wf_secret_codes_view_next(v, pos, &start);
		if (len == 0)
			break;
		wf_secret_codes_add_hit(self, v, region, start, len);
		pos = start + len;
	}
}

/**
 * wf_secret_codes_scan:
 * @self: a #WfSecretCodes
 * @region: a name for the data, e.g. "ROM" or "ZIMAGE (decompressed)"
 * @buf: the data, untrusted
 * @bufsz: size of @buf
 * @flags: which encodings to look for
 *
 * Adds every code found in @buf, deduplicated across all regions scanned.
 */
void
wf_secret_codes_scan(WfSecretCodes *self,
		     const gchar *region,
		     const guint8 *buf,
		     gsize bufsz,
		     WfSecretCodesScanFlags flags)
{
	WfSecretCodesRegion r = {0};

	g_return_if_fail(WF_IS_SECRET_CODES(self));
	g_return_if_fail(region != NULL);
	g_return_if_fail(buf != NULL || bufsz == 0);

	r.name = g_string_chunk_insert_const(self->strings, region);
	r.size = bufsz;
	r.flags = flags;
	g_array_append_val(self->regions, r);
	if (flags & WF_SECRET_CODES_SCAN_ASCII) {
		WfSecretCodesView v = {buf, 0, bufsz, 1};
		wf_secret_codes_scan_view(self, &v, r.name);
	}
	if (flags & WF_SECRET_CODES_SCAN_UTF16LE) {
		/* strings may sit at odd offsets inside resource blobs */
		for (gsize align = 0; align < 2 && align < bufsz; align++) {
			WfSecretCodesView v = {buf, align, (bufsz - align) / 2, 2};
			wf_secret_codes_scan_view(self, &v, r.name);
		}
	}
}

static void
wf_secret_codes_add_part(WfSecretCodes *self,
			 const gchar *name,
			 const gchar *format,
			 WfSecretCodesPartState state,
			 gsize output_size)
{
	WfSecretCodesPart *part = g_new0(WfSecretCodesPart, 1);
	part->name = g_strdup(name);
	part->format = g_strdup(format);
	part->state = state;
	part->output_size = output_size;
	g_ptr_array_add(self->parts, part);
}

/**
 * wf_secret_codes_add_compressed_part:
 * @self: a #WfSecretCodes
 * @name: e.g. "VIVA ALICE_2 at 0xB34FC"
 * @format: "ALICE_1", "ALICE_2", "LZMA", …
 * @scanned: %TRUE if the caller decompressed it and scanned the output
 *
 * Tells the scanner the image has compressed code. In "fully aliced" builds
 * the codes are only visible after decompression, so an unscanned part
 * makes the result say that codes may be hidden.
 */
void
wf_secret_codes_add_compressed_part(WfSecretCodes *self,
				    const gchar *name,
				    const gchar *format,
				    gboolean scanned)
{
	g_return_if_fail(WF_IS_SECRET_CODES(self));
	g_return_if_fail(name != NULL);
	g_return_if_fail(format != NULL);
	wf_secret_codes_add_part(self,
				 name,
				 format,
				 scanned ? WF_SECRET_CODES_PART_SCANNED
					 : WF_SECRET_CODES_PART_NOT_SCANNED,
				 0);
}

/**
 * wf_secret_codes_scan_image:
 * @self: a #WfSecretCodes
 * @region: a name for the image
 * @buf: the image
 * @bufsz: size of @buf
 * @flags: which encodings to look for
 *
 * Scans @buf and records every ALICE header in it as a compressed part that
 * was not scanned (there is no ALICE decoder).
 *
 * Returns: the number of ALICE headers found
 */
guint
wf_secret_codes_scan_image(WfSecretCodes *self,
			   const gchar *region,
			   const guint8 *buf,
			   gsize bufsz,
			   WfSecretCodesScanFlags flags)
{
	g_autoptr(GArray) alice = NULL;

	g_return_val_if_fail(WF_IS_SECRET_CODES(self), 0);
	g_return_val_if_fail(region != NULL, 0);
	g_return_val_if_fail(buf != NULL || bufsz == 0, 0);

	wf_secret_codes_scan(self, region, buf, bufsz, flags);
	alice = wf_lzma_find_alice(buf, bufsz, 16);
	for (guint i = 0; i < alice->len; i++) {
		WfLzmaAliceHeader *hdr = &g_array_index(alice, WfLzmaAliceHeader, i);
		g_autofree gchar *name = g_strdup_printf("%s ALICE_%u at 0x%" G_GSIZE_MODIFIER "x",
							 region,
							 hdr->version,
							 hdr->offset);
		g_autofree gchar *format = g_strdup_printf("ALICE_%u", hdr->version);
		wf_secret_codes_add_part(self, name, format, WF_SECRET_CODES_PART_NOT_SCANNED, 0);
	}
	return alice->len;
}

/**
 * wf_secret_codes_scan_lzma:
 * @self: a #WfSecretCodes
 * @region: a name for the compressed part, e.g. "ZIMAGE"
 * @buf: an LZMA-alone stream (a ZIMAGE partition)
 * @bufsz: size of @buf
 * @preset: (nullable): preset dictionary (type-3 ZIMAGE: the decompressed ALICE)
 * @max_output: output cap, 0 for %WF_LZMA_DEFAULT_MAX_OUTPUT
 * @flags: which encodings to look for
 * @error: (nullable): return location for a #GError
 *
 * Decompresses @buf and scans the output. When decoding stops early the bytes
 * decoded so far are still scanned and the part is reported as partial.
 *
 * Returns: %TRUE if the whole stream was decoded and scanned
 */
gboolean
wf_secret_codes_scan_lzma(WfSecretCodes *self,
			  const gchar *region,
			  const guint8 *buf,
			  gsize bufsz,
			  GBytes *preset,
			  gsize max_output,
			  WfSecretCodesScanFlags flags,
			  GError **error)
{
	g_autoptr(WfLzma) lzma = wf_lzma_new();
	g_autofree gchar *scan_name = NULL;
	gboolean ok;
	GBytes *out;
	gsize outsz = 0;

	g_return_val_if_fail(WF_IS_SECRET_CODES(self), FALSE);
	g_return_val_if_fail(region != NULL, FALSE);
	g_return_val_if_fail(buf != NULL || bufsz == 0, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (max_output > 0)
		wf_lzma_set_max_output(lzma, max_output);
	wf_lzma_set_preset_dict(lzma, preset);
	ok = wf_lzma_decode(lzma, buf, bufsz, error);
	out = wf_lzma_get_output(lzma);
	if (out != NULL && g_bytes_get_size(out) > 0) {
		const guint8 *data = g_bytes_get_data(out, &outsz);
		scan_name = g_strdup_printf("%s (decompressed)", region);
		wf_secret_codes_scan(self, scan_name, data, outsz, flags);
	}
	wf_secret_codes_add_part(self,
				 region,
				 wf_lzma_is_alice(buf, bufsz) ? "ALICE" : "LZMA",
				 ok	     ? WF_SECRET_CODES_PART_SCANNED
				 : outsz > 0 ? WF_SECRET_CODES_PART_PARTIAL
					     : WF_SECRET_CODES_PART_NOT_SCANNED,
				 outsz);
	return ok;
}

/**
 * wf_secret_codes_get_codes:
 *
 * Returns: (transfer none) (element-type WfSecretCode): distinct codes in
 * the order they were first found
 */
GPtrArray *
wf_secret_codes_get_codes(WfSecretCodes *self)
{
	g_return_val_if_fail(WF_IS_SECRET_CODES(self), NULL);
	return self->codes;
}

/**
 * wf_secret_codes_lookup:
 *
 * Returns: (transfer none) (nullable): the code if it was found
 */
const WfSecretCode *
wf_secret_codes_lookup(WfSecretCodes *self, const gchar *code)
{
	g_return_val_if_fail(WF_IS_SECRET_CODES(self), NULL);
	g_return_val_if_fail(code != NULL, NULL);
	return g_hash_table_lookup(self->by_code, code);
}

/**
 * wf_secret_codes_get_truncated:
 *
 * Returns: %TRUE if more than %WF_SECRET_CODES_MAX_CODES distinct codes were
 * found and the rest dropped
 */
gboolean
wf_secret_codes_get_truncated(WfSecretCodes *self)
{
	g_return_val_if_fail(WF_IS_SECRET_CODES(self), FALSE);
	return self->truncated;
}

/**
 * wf_secret_codes_get_warnings:
 *
 * Returns: (transfer none) (element-type utf8): what the user must know about
 * the completeness of the list
 */
GPtrArray *
wf_secret_codes_get_warnings(WfSecretCodes *self)
{
	gboolean hidden = FALSE;

	g_return_val_if_fail(WF_IS_SECRET_CODES(self), NULL);
	g_ptr_array_set_size(self->warnings, 0);
	for (guint i = 0; i < self->parts->len; i++) {
		WfSecretCodesPart *part = g_ptr_array_index(self->parts, i);
		if (part->state != WF_SECRET_CODES_PART_SCANNED)
			hidden = TRUE;
	}
	if (hidden)
		g_ptr_array_add(self->warnings, g_strdup(WF_SECRET_CODES_WARNING));
	for (guint i = 0; i < self->parts->len; i++) {
		WfSecretCodesPart *part = g_ptr_array_index(self->parts, i);
		if (part->state == WF_SECRET_CODES_PART_NOT_SCANNED &&
		    g_str_has_prefix(part->format, "ALICE")) {
			g_ptr_array_add(self->warnings,
					g_strdup_printf("%s: ALICE-compressed code: not decoded",
							part->name));
		} else if (part->state == WF_SECRET_CODES_PART_NOT_SCANNED) {
			g_ptr_array_add(self->warnings,
					g_strdup_printf("%s: %s part not decoded",
							part->name,
							part->format));
		} else if (part->state == WF_SECRET_CODES_PART_PARTIAL) {
			g_ptr_array_add(self->warnings,
					g_strdup_printf("%s: decoded only partly (%" G_GSIZE_FORMAT
							" bytes), later codes may be missing",
							part->name,
							part->output_size));
		}
	}
	if (self->truncated) {
		g_ptr_array_add(
			self->warnings,
			g_strdup_printf("more than %u distinct codes: the rest were dropped",
					(guint)WF_SECRET_CODES_MAX_CODES));
	}
	return self->warnings;
}

static const gchar *
wf_secret_codes_part_state_to_string(WfSecretCodesPartState state)
{
	switch (state) {
	case WF_SECRET_CODES_PART_SCANNED:
		return "yes";
	case WF_SECRET_CODES_PART_PARTIAL:
		return "partial";
	case WF_SECRET_CODES_PART_NOT_SCANNED:
	default:
		return "no";
	}
}

static void
wf_secret_codes_code_to_json(WfSecretCodes *self, JsonBuilder *b, const WfSecretCode *code)
{
	const gchar *members[] = {"name", "condition", "notes"};
	const gchar *meaning = wf_secret_code_get_meaning(code);

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "code");
	json_builder_add_string_value(b, code->code);
	json_builder_set_member_name(b, "known");
	json_builder_add_boolean_value(b, code->entry != NULL);
	json_builder_set_member_name(b, "category");
	json_builder_add_string_value(b, wf_secret_code_get_category(code));
	json_builder_set_member_name(b, "meaning");
	if (meaning != NULL)
		json_builder_add_string_value(b, meaning);
	else
		json_builder_add_null_value(b);
	json_builder_set_member_name(b, "confidence");
	json_builder_add_string_value(b,
				      wf_confidence_to_string(wf_secret_code_get_confidence(code)));
	json_builder_set_member_name(b, "likely_false_positive");
	json_builder_add_boolean_value(b, wf_secret_code_is_network_string(code));
	for (guint i = 0; i < G_N_ELEMENTS(members) && code->entry != NULL; i++) {
		const gchar *value = wf_knowledge_entry_get_string(code->entry, members[i]);
		if (value == NULL)
			continue;
		json_builder_set_member_name(b, members[i]);
		json_builder_add_string_value(b, value);
	}
	if (code->entry != NULL && self->table != NULL) {
		JsonNode *node = json_node_new(JSON_NODE_ARRAY);
		json_node_take_array(
			node, wf_knowledge_table_dup_entry_sources(self->table, code->entry));
		json_builder_set_member_name(b, "sources");
		json_builder_add_value(b, node);
	}
	json_builder_set_member_name(b, "count");
	json_builder_add_int_value(b, code->count);
	json_builder_set_member_name(b, "occurrences");
	json_builder_begin_array(b);
	for (guint i = 0; i < code->occurrences->len; i++) {
		WfSecretCodeOccurrence *occ =
			&g_array_index(code->occurrences, WfSecretCodeOccurrence, i);
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "region");
		json_builder_add_string_value(b, occ->region);
		json_builder_set_member_name(b, "offset");
		json_builder_add_int_value(b, occ->offset);
		json_builder_set_member_name(b, "encoding");
		json_builder_add_string_value(b, occ->utf16 ? "utf-16le" : "ascii");
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
}

/**
 * wf_secret_codes_to_json:
 * @self: a #WfSecretCodes
 *
 * Returns: (transfer full): {"codes": […], "regions": […],
 * "compressed_parts": […], "warnings": […], "truncated": bool}
 */
JsonNode *
wf_secret_codes_to_json(WfSecretCodes *self)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	GPtrArray *warnings;

	g_return_val_if_fail(WF_IS_SECRET_CODES(self), NULL);
	warnings = wf_secret_codes_get_warnings(self);
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "codes");
	json_builder_begin_array(b);
	for (guint i = 0; i < self->codes->len; i++)
		wf_secret_codes_code_to_json(self, b, g_ptr_array_index(self->codes, i));
	json_builder_end_array(b);

	json_builder_set_member_name(b, "regions");
	json_builder_begin_array(b);
	for (guint i = 0; i < self->regions->len; i++) {
		WfSecretCodesRegion *r = &g_array_index(self->regions, WfSecretCodesRegion, i);
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "name");
		json_builder_add_string_value(b, r->name);
		json_builder_set_member_name(b, "size");
		json_builder_add_int_value(b, r->size);
		json_builder_set_member_name(b, "ascii");
		json_builder_add_boolean_value(b, (r->flags & WF_SECRET_CODES_SCAN_ASCII) != 0);
		json_builder_set_member_name(b, "utf16le");
		json_builder_add_boolean_value(b, (r->flags & WF_SECRET_CODES_SCAN_UTF16LE) != 0);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);

	json_builder_set_member_name(b, "compressed_parts");
	json_builder_begin_array(b);
	for (guint i = 0; i < self->parts->len; i++) {
		WfSecretCodesPart *part = g_ptr_array_index(self->parts, i);
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "name");
		json_builder_add_string_value(b, part->name);
		json_builder_set_member_name(b, "format");
		json_builder_add_string_value(b, part->format);
		json_builder_set_member_name(b, "scanned");
		json_builder_add_string_value(b, wf_secret_codes_part_state_to_string(part->state));
		json_builder_end_object(b);
	}
	json_builder_end_array(b);

	json_builder_set_member_name(b, "warnings");
	json_builder_begin_array(b);
	for (guint i = 0; i < warnings->len; i++)
		json_builder_add_string_value(b, g_ptr_array_index(warnings, i));
	json_builder_end_array(b);
	json_builder_set_member_name(b, "truncated");
	json_builder_add_boolean_value(b, self->truncated);
	json_builder_end_object(b);
	return json_builder_get_root(b);
}
