/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-lzma.h"

#include <lzma.h>
#include <string.h>

#include "wf-error.h"

#define WF_LZMA_GROW_STEP (4 * 1024 * 1024)
#define WF_LZMA_ALICE_MSG "ALICE-compressed code: not decoded (no ALICE decoder)"

struct _WfLzma {
	GObject parent_instance;
	gsize max_output;
	GBytes *preset;
	gboolean raw; /* the caller gave the properties, no header */
	guint8 props;
	guint32 dict_size;
	guint64 unpacked_size;
	WfLzmaStatus status;
	GBytes *output;
	gsize consumed;
	gchar *error_msg;
};

G_DEFINE_FINAL_TYPE(WfLzma, wf_lzma, G_TYPE_OBJECT)

const gchar *
wf_lzma_status_to_string(WfLzmaStatus status)
{
	switch (status) {
	case WF_LZMA_STATUS_COMPLETE:
		return "complete";
	case WF_LZMA_STATUS_TRUNCATED:
		return "truncated";
	case WF_LZMA_STATUS_CORRUPT:
		return "corrupt";
	case WF_LZMA_STATUS_TOO_LARGE:
		return "too-large";
	case WF_LZMA_STATUS_UNSUPPORTED:
		return "unsupported";
	case WF_LZMA_STATUS_NONE:
	default:
		return "none";
	}
}

static void
wf_lzma_reset(WfLzma *self)
{
	g_clear_pointer(&self->output, g_bytes_unref);
	g_clear_pointer(&self->error_msg, g_free);
	self->status = WF_LZMA_STATUS_NONE;
	self->consumed = 0;
	self->raw = FALSE;
	self->props = 0;
	self->dict_size = 0;
	self->unpacked_size = WF_LZMA_SIZE_UNKNOWN;
}

static void
wf_lzma_finalize(GObject *object)
{
	WfLzma *self = WF_LZMA(object);
	wf_lzma_reset(self);
	g_clear_pointer(&self->preset, g_bytes_unref);
	G_OBJECT_CLASS(wf_lzma_parent_class)->finalize(object);
}

static void
wf_lzma_class_init(WfLzmaClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = wf_lzma_finalize;
}

static void
wf_lzma_init(WfLzma *self)
{
	self->max_output = WF_LZMA_DEFAULT_MAX_OUTPUT;
	self->unpacked_size = WF_LZMA_SIZE_UNKNOWN;
}

/**
 * wf_lzma_new:
 *
 * Returns: (transfer full): a decoder with the default output cap
 */
WfLzma *
wf_lzma_new(void)
{
	return g_object_new(WF_TYPE_LZMA, NULL);
}

/**
 * wf_lzma_set_max_output:
 * @self: a #WfLzma
 * @max_output: the most bytes a decode may produce, > 0
 *
 * The header's unpacked size is untrusted, so the cap is the only bound on
 * memory.
 */
void
wf_lzma_set_max_output(WfLzma *self, gsize max_output)
{
	g_return_if_fail(WF_IS_LZMA(self));
	g_return_if_fail(max_output > 0);
	/* one spare byte is needed to notice an overflow */
	self->max_output = MIN(max_output, G_MAXSIZE - 1);
}

gsize
wf_lzma_get_max_output(WfLzma *self)
{
	g_return_val_if_fail(WF_IS_LZMA(self), 0);
	return self->max_output;
}

/**
 * wf_lzma_set_preset_dict:
 * @self: a #WfLzma
 * @preset: (nullable): bytes that precede the stream's output
 *
 * For ZIMAGE partitions of type 3 ("T+P"): the decoder starts with @preset in
 * its dictionary, end-anchored (the last bytes of @preset are the most
 * recent ones), as MediaTek does with the decompressed ALICE image.
 */
void
wf_lzma_set_preset_dict(WfLzma *self, GBytes *preset)
{
	g_return_if_fail(WF_IS_LZMA(self));
	g_clear_pointer(&self->preset, g_bytes_unref);
	if (preset != NULL && g_bytes_get_size(preset) > 0)
		self->preset = g_bytes_ref(preset);
}

static gboolean
wf_lzma_fail(WfLzma *self, WfLzmaStatus status, GError **error, gint code, const gchar *msg)
{
	self->status = status;
	g_free(self->error_msg);
	self->error_msg = g_strdup(msg);
	g_set_error_literal(error, WF_ERROR, code, msg);
	return FALSE;
}

static gboolean
wf_lzma_check_props(WfLzma *self, guint8 props, lzma_options_lzma *opt, GError **error)
{
	guint lc, lp, pb;

	if (props >= 9 * 5 * 5) {
		g_autofree gchar *msg =
			g_strdup_printf("LZMA header invalid: properties byte 0x%02x", props);
		return wf_lzma_fail(
			self, WF_LZMA_STATUS_UNSUPPORTED, error, WF_ERROR_INVALID_FILE, msg);
	}
	pb = props / 45;
	lp = (props % 45) / 9;
	lc = props % 9;
	if (lc + lp > LZMA_LCLP_MAX) {
		g_autofree gchar *msg =
			g_strdup_printf("LZMA properties lc=%u lp=%u are not supported", lc, lp);
		return wf_lzma_fail(
			self, WF_LZMA_STATUS_UNSUPPORTED, error, WF_ERROR_NOT_SUPPORTED, msg);
	}
	opt->lc = lc;
	opt->lp = lp;
	opt->pb = pb;
	return TRUE;
}

static gboolean
wf_lzma_check_sizes(WfLzma *self, guint32 dict_size, guint64 unpacked_size, GError **error)
{
	if (dict_size > WF_LZMA_MAX_DICT_SIZE) {
		g_autofree gchar *msg = g_strdup_printf(
			"LZMA dictionary of %u bytes is larger than the %u-byte limit",
			dict_size,
			(guint)WF_LZMA_MAX_DICT_SIZE);
		return wf_lzma_fail(self, WF_LZMA_STATUS_TOO_LARGE, error, WF_ERROR_REFUSED, msg);
	}
	if (unpacked_size != WF_LZMA_SIZE_UNKNOWN && unpacked_size > self->max_output) {
		g_autofree gchar *msg =
			g_strdup_printf("LZMA stream would expand to %" G_GUINT64_FORMAT
					" bytes, more than the %" G_GSIZE_FORMAT "-byte limit",
					unpacked_size,
					self->max_output);
		return wf_lzma_fail(self, WF_LZMA_STATUS_TOO_LARGE, error, WF_ERROR_REFUSED, msg);
	}
	if (self->preset != NULL && g_bytes_get_size(self->preset) > WF_LZMA_MAX_PRESET_SIZE) {
		g_autofree gchar *msg = g_strdup_printf("LZMA preset dictionary of %" G_GSIZE_FORMAT
							" bytes is larger than the %u-byte limit",
							g_bytes_get_size(self->preset),
							(guint)WF_LZMA_MAX_PRESET_SIZE);
		return wf_lzma_fail(self, WF_LZMA_STATUS_TOO_LARGE, error, WF_ERROR_REFUSED, msg);
	}
	return TRUE;
}

/* maps a liblzma failure to a status and an error; keeps partial output */
static gboolean
wf_lzma_fail_ret(WfLzma *self, lzma_ret ret, gsize produced, GError **error)
{
	g_autofree gchar *msg = NULL;

	switch (ret) {
	case LZMA_BUF_ERROR:
		msg = g_strdup_printf("LZMA stream truncated: input ended after %" G_GSIZE_FORMAT
				      " bytes of output",
				      produced);
		return wf_lzma_fail(
			self, WF_LZMA_STATUS_TRUNCATED, error, WF_ERROR_INVALID_FILE, msg);
	case LZMA_DATA_ERROR:
		msg = g_strdup_printf("LZMA data corrupt after %" G_GSIZE_FORMAT " bytes of output",
				      produced);
		return wf_lzma_fail(
			self, WF_LZMA_STATUS_CORRUPT, error, WF_ERROR_INVALID_DATA, msg);
	case LZMA_MEM_ERROR:
	case LZMA_MEMLIMIT_ERROR:
		return wf_lzma_fail(self,
				    WF_LZMA_STATUS_TOO_LARGE,
				    error,
				    WF_ERROR_REFUSED,
				    "LZMA decoder could not allocate its dictionary");
	case LZMA_OPTIONS_ERROR:
		return wf_lzma_fail(self,
				    WF_LZMA_STATUS_UNSUPPORTED,
				    error,
				    WF_ERROR_NOT_SUPPORTED,
				    "LZMA options not supported by liblzma");
	default:
		msg = g_strdup_printf("LZMA decoder failed (liblzma code %d)", (gint)ret);
		return wf_lzma_fail(self, WF_LZMA_STATUS_CORRUPT, error, WF_ERROR_INTERNAL, msg);
	}
}

/* runs the decoder into a buffer that grows up to max_output + 1 bytes */
static gboolean
wf_lzma_run(WfLzma *self, lzma_stream *strm, const guint8 *in, gsize insz, GError **error)
{
	g_autoptr(GByteArray) out = g_byte_array_new();
	gsize limit = self->max_output + 1;
	gsize used = 0;
	gsize first;
	gboolean ok = FALSE;
	lzma_ret ret;

	/* trust the announced size only as far as the input could plausibly
	 * expand; the buffer grows if the stream really is that good */
	first = MIN(limit, (gsize)WF_LZMA_GROW_STEP);
	if (self->unpacked_size != WF_LZMA_SIZE_UNKNOWN) {
		gsize plausible = insz > G_MAXSIZE / 64 ? G_MAXSIZE : insz * 64;
		first = MIN((gsize)self->unpacked_size + 1, MAX(first, plausible));
	}
	g_byte_array_set_size(out, MIN(first, limit));
	strm->next_in = in;
	strm->avail_in = insz;
	for (;;) {
		if (used == out->len) {
			gsize grow = MIN(MAX(out->len, (gsize)WF_LZMA_GROW_STEP), limit - out->len);
			g_byte_array_set_size(out, out->len + grow);
		}
		strm->next_out = out->data + used;
		strm->avail_out = out->len - used;
		ret = lzma_code(strm, LZMA_FINISH);
		used = out->len - strm->avail_out;
		if (used > self->max_output) {
			g_autofree gchar *msg = g_strdup_printf(
				"LZMA output exceeds the %" G_GSIZE_FORMAT "-byte limit",
				self->max_output);
			used = self->max_output;
			wf_lzma_fail(self, WF_LZMA_STATUS_TOO_LARGE, error, WF_ERROR_REFUSED, msg);
			break;
		}
		if (ret == LZMA_STREAM_END) {
			self->status = WF_LZMA_STATUS_COMPLETE;
			ok = TRUE;
			break;
		}
		if (ret != LZMA_OK) {
			wf_lzma_fail_ret(self, ret, used, error);
			break;
		}
	}
	self->consumed += insz - strm->avail_in;
	g_byte_array_set_size(out, used);
	self->output = g_byte_array_free_to_bytes(g_steal_pointer(&out));
	return ok;
}

/**
 * wf_lzma_decode_raw:
 * @self: a #WfLzma
 * @buf: raw LZMA1 data (no header)
 * @bufsz: size of @buf
 * @props: the lc/lp/pb properties byte
 * @dict_size: dictionary size
 * @unpacked_size: output size, or %WF_LZMA_SIZE_UNKNOWN if an end marker ends the stream
 * @error: (nullable): return location for a #GError
 *
 * Decodes raw LZMA1, with the preset dictionary if one was set. An end marker
 * after @unpacked_size bytes is accepted.
 *
 * Returns: %TRUE if the whole stream was decoded
 */
gboolean
wf_lzma_decode_raw(WfLzma *self,
		   const guint8 *buf,
		   gsize bufsz,
		   guint8 props,
		   guint32 dict_size,
		   guint64 unpacked_size,
		   GError **error)
{
	lzma_stream strm = LZMA_STREAM_INIT;
	lzma_options_lzma opt = {0};
	lzma_filter filters[2];
	lzma_ret ret;
	gboolean ok;

	g_return_val_if_fail(WF_IS_LZMA(self), FALSE);
	g_return_val_if_fail(buf != NULL || bufsz == 0, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	wf_lzma_reset(self);
	self->raw = TRUE;
	self->props = props;
	self->dict_size = dict_size;
	self->unpacked_size = unpacked_size;
	if (!wf_lzma_check_props(self, props, &opt, error))
		return FALSE;
	if (!wf_lzma_check_sizes(self, dict_size, unpacked_size, error))
		return FALSE;

	/* liblzma rounds tiny dictionaries up the same way the .lzma decoder does */
	opt.dict_size = MAX(dict_size, (guint32)LZMA_DICT_SIZE_MIN);
	if (self->preset != NULL) {
		opt.preset_dict = g_bytes_get_data(self->preset, NULL);
		opt.preset_dict_size = (guint32)g_bytes_get_size(self->preset);
	}
	opt.ext_flags = LZMA_LZMA1EXT_ALLOW_EOPM;
	lzma_set_ext_size(opt, unpacked_size);
	filters[0].id = LZMA_FILTER_LZMA1EXT;
	filters[0].options = &opt;
	filters[1].id = LZMA_VLI_UNKNOWN;
	filters[1].options = NULL;

	ret = lzma_raw_decoder(&strm, filters);
	if (ret != LZMA_OK)
		return wf_lzma_fail_ret(self, ret, 0, error);
	ok = wf_lzma_run(self, &strm, buf, bufsz, error);
	lzma_end(&strm);
	return ok;
}

/**
 * wf_lzma_decode:
 * @self: a #WfLzma
 * @buf: an LZMA-alone stream: 13-byte header then raw LZMA1
 * @bufsz: size of @buf; bytes after the stream's end are ignored
 * @error: (nullable): return location for a #GError
 *
 * Decodes a ZIMAGE/BOOT_ZIMAGE partition or any `.lzma` stream, with the
 * preset dictionary if one was set. ALICE data is recognised and refused
 * with %WF_ERROR_NOT_SUPPORTED.
 *
 * Returns: %TRUE if the whole stream was decoded
 */
gboolean
wf_lzma_decode(WfLzma *self, const guint8 *buf, gsize bufsz, GError **error)
{
	guint8 props;
	guint32 dict_size;
	guint64 unpacked_size;

	g_return_val_if_fail(WF_IS_LZMA(self), FALSE);
	g_return_val_if_fail(buf != NULL || bufsz == 0, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	wf_lzma_reset(self);
	if (wf_lzma_is_alice(buf, bufsz)) {
		return wf_lzma_fail(self,
				    WF_LZMA_STATUS_UNSUPPORTED,
				    error,
				    WF_ERROR_NOT_SUPPORTED,
				    WF_LZMA_ALICE_MSG);
	}
	if (bufsz < WF_LZMA_ALONE_HEADER_SIZE) {
		g_autofree gchar *msg =
			g_strdup_printf("LZMA header truncated: %" G_GSIZE_FORMAT " of %u bytes",
					bufsz,
					(guint)WF_LZMA_ALONE_HEADER_SIZE);
		return wf_lzma_fail(
			self, WF_LZMA_STATUS_TRUNCATED, error, WF_ERROR_INVALID_FILE, msg);
	}
	props = buf[0];
	memcpy(&dict_size, buf + 1, sizeof(dict_size));
	memcpy(&unpacked_size, buf + 5, sizeof(unpacked_size));
	dict_size = GUINT32_FROM_LE(dict_size);
	unpacked_size = GUINT64_FROM_LE(unpacked_size);
	if (!wf_lzma_decode_raw(self,
				buf + WF_LZMA_ALONE_HEADER_SIZE,
				bufsz - WF_LZMA_ALONE_HEADER_SIZE,
				props,
				dict_size,
				unpacked_size,
				error)) {
		self->raw = FALSE;
		self->consumed += WF_LZMA_ALONE_HEADER_SIZE;
		return FALSE;
	}
	self->raw = FALSE;
	self->consumed += WF_LZMA_ALONE_HEADER_SIZE;
	return TRUE;
}

WfLzmaStatus
wf_lzma_get_status(WfLzma *self)
{
	g_return_val_if_fail(WF_IS_LZMA(self), WF_LZMA_STATUS_NONE);
	return self->status;
}

/**
 * wf_lzma_get_output:
 * @self: a #WfLzma
 *
 * Returns: (transfer none) (nullable): everything decoded, complete or not;
 * %NULL if decoding never started (bad header, ALICE, size over the cap)
 */
GBytes *
wf_lzma_get_output(WfLzma *self)
{
	g_return_val_if_fail(WF_IS_LZMA(self), NULL);
	return self->output;
}

/**
 * wf_lzma_get_input_consumed:
 *
 * Returns: compressed bytes used, header included; tells where a stream
 * ended inside a larger partition
 */
gsize
wf_lzma_get_input_consumed(WfLzma *self)
{
	g_return_val_if_fail(WF_IS_LZMA(self), 0);
	return self->consumed;
}

guint8
wf_lzma_get_props(WfLzma *self)
{
	g_return_val_if_fail(WF_IS_LZMA(self), 0);
	return self->props;
}

guint32
wf_lzma_get_dict_size(WfLzma *self)
{
	g_return_val_if_fail(WF_IS_LZMA(self), 0);
	return self->dict_size;
}

/**
 * wf_lzma_get_unpacked_size:
 *
 * Returns: the size the header announced, or %WF_LZMA_SIZE_UNKNOWN
 */
guint64
wf_lzma_get_unpacked_size(WfLzma *self)
{
	g_return_val_if_fail(WF_IS_LZMA(self), WF_LZMA_SIZE_UNKNOWN);
	return self->unpacked_size;
}

/**
 * wf_lzma_to_json:
 * @self: a #WfLzma
 *
 * Returns: (transfer full): the header fields and the outcome of the decode
 */
JsonNode *
wf_lzma_to_json(WfLzma *self)
{
	g_autoptr(JsonBuilder) b = json_builder_new();

	g_return_val_if_fail(WF_IS_LZMA(self), NULL);
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "format");
	json_builder_add_string_value(b, self->raw ? "lzma-raw" : "lzma-alone");
	json_builder_set_member_name(b, "status");
	json_builder_add_string_value(b, wf_lzma_status_to_string(self->status));
	if (self->status != WF_LZMA_STATUS_NONE && self->props < 9 * 5 * 5) {
		json_builder_set_member_name(b, "lc");
		json_builder_add_int_value(b, self->props % 9);
		json_builder_set_member_name(b, "lp");
		json_builder_add_int_value(b, (self->props % 45) / 9);
		json_builder_set_member_name(b, "pb");
		json_builder_add_int_value(b, self->props / 45);
	}
	json_builder_set_member_name(b, "dict_size");
	json_builder_add_int_value(b, self->dict_size);
	json_builder_set_member_name(b, "unpacked_size");
	if (self->unpacked_size == WF_LZMA_SIZE_UNKNOWN || self->unpacked_size > G_MAXINT64)
		json_builder_add_null_value(b);
	else
		json_builder_add_int_value(b, (gint64)self->unpacked_size);
	json_builder_set_member_name(b, "preset_dict_size");
	json_builder_add_int_value(b, self->preset != NULL ? g_bytes_get_size(self->preset) : 0);
	json_builder_set_member_name(b, "output_size");
	json_builder_add_int_value(b, self->output != NULL ? g_bytes_get_size(self->output) : 0);
	json_builder_set_member_name(b, "input_consumed");
	json_builder_add_int_value(b, self->consumed);
	json_builder_set_member_name(b, "max_output");
	json_builder_add_int_value(b, self->max_output);
	if (self->error_msg != NULL) {
		json_builder_set_member_name(b, "error");
		json_builder_add_string_value(b, self->error_msg);
	}
	json_builder_end_object(b);
	return json_builder_get_root(b);
}

/**
 * wf_lzma_is_alice:
 * @buf: (nullable): data
 * @bufsz: size of @buf
 *
 * Returns: %TRUE if @buf starts with the "ALICE_1" or "ALICE_2" magic
 */
gboolean
wf_lzma_is_alice(const guint8 *buf, gsize bufsz)
{
	if (buf == NULL || bufsz < 8)
		return FALSE;
	return memcmp(buf, "ALICE_", 6) == 0 && (buf[6] == '1' || buf[6] == '2') && buf[7] == 0;
}

static guint32
wf_lzma_read_u32(const guint8 *p)
{
	return (guint32)p[0] | (guint32)p[1] << 8 | (guint32)p[2] << 16 | (guint32)p[3] << 24;
}

static guint16
wf_lzma_read_u16(const guint8 *p)
{
	return (guint16)(p[0] | p[1] << 8);
}

/**
 * wf_lzma_parse_alice_header:
 * @buf: data starting with an ALICE magic
 * @bufsz: size of @buf
 * @hdr: (out caller-allocates): the header; @hdr->offset is set to 0
 * @error: (nullable): return location for a #GError
 *
 * Layout (little-endian): "ALICE_n\0", u32 base, u32 mapping table,
 * u32 dictionary, 7 x u16 index-class bit widths, u16, u16 block size,
 * u16 0xFFFF; 40 bytes for ALICE_2, ALICE_1 may use 36.
 *
 * Returns: %TRUE if the header is present and plausible
 */
gboolean
wf_lzma_parse_alice_header(const guint8 *buf, gsize bufsz, WfLzmaAliceHeader *hdr, GError **error)
{
	gsize need;

	g_return_val_if_fail(hdr != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	memset(hdr, 0, sizeof(*hdr));
	if (!wf_lzma_is_alice(buf, bufsz)) {
		g_set_error_literal(error, WF_ERROR, WF_ERROR_INVALID_FILE, "no ALICE magic");
		return FALSE;
	}
	hdr->version = buf[6] - '0';
	need = hdr->version == 2 ? WF_LZMA_ALICE_HEADER_SIZE : 36;
	if (bufsz < need) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "ALICE_%u header truncated: %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT
			    " bytes",
			    hdr->version,
			    bufsz,
			    need);
		return FALSE;
	}
	hdr->base = wf_lzma_read_u32(buf + 8);
	hdr->map_addr = wf_lzma_read_u32(buf + 12);
	hdr->dict_addr = wf_lzma_read_u32(buf + 16);
	for (guint i = 0; i < G_N_ELEMENTS(hdr->ranges); i++) {
		hdr->ranges[i] = wf_lzma_read_u16(buf + 20 + 2 * i);
		/* bit widths of dictionary indexes: anything wider is not a header */
		if (hdr->ranges[i] > 16) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_DATA,
				    "ALICE_%u header implausible: index width %u",
				    hdr->version,
				    hdr->ranges[i]);
			return FALSE;
		}
	}
	if (hdr->version == 2)
		hdr->block_size = wf_lzma_read_u16(buf + 36);
	if (hdr->base == 0 || hdr->map_addr == 0 || hdr->dict_addr == 0) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_DATA,
			    "ALICE_%u header implausible: null address",
			    hdr->version);
		return FALSE;
	}
	return TRUE;
}

/**
 * wf_lzma_find_alice:
 * @buf: an image
 * @bufsz: size of @buf
 * @max_hits: stop after this many headers
 *
 * Returns: (transfer full) (element-type WfLzmaAliceHeader): plausible
 * ALICE headers with their offsets
 */
GArray *
wf_lzma_find_alice(const guint8 *buf, gsize bufsz, guint max_hits)
{
	GArray *hits = g_array_new(FALSE, TRUE, sizeof(WfLzmaAliceHeader));
	gsize pos = 0;

	g_return_val_if_fail(buf != NULL || bufsz == 0, hits);
	while (pos + 8 <= bufsz && hits->len < max_hits) {
		const guint8 *p = memchr(buf + pos, 'A', bufsz - pos);
		WfLzmaAliceHeader hdr;
		gsize off;

		if (p == NULL)
			break;
		off = (gsize)(p - buf);
		if (wf_lzma_parse_alice_header(p, bufsz - off, &hdr, NULL)) {
			hdr.offset = off;
			g_array_append_val(hits, hdr);
		}
		pos = off + 1;
	}
	return hits;
}

/**
 * wf_lzma_alice_header_to_json:
 * @hdr: a header
 *
 * Returns: (transfer full): the header, flagged as not decoded
 */
JsonNode *
wf_lzma_alice_header_to_json(const WfLzmaAliceHeader *hdr)
{
	g_autoptr(JsonBuilder) b = json_builder_new();

	g_return_val_if_fail(hdr != NULL, NULL);
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "format");
	json_builder_add_string_value(b, hdr->version == 2 ? "ALICE_2" : "ALICE_1");
	json_builder_set_member_name(b, "offset");
	json_builder_add_int_value(b, hdr->offset);
	json_builder_set_member_name(b, "base");
	json_builder_add_int_value(b, hdr->base);
	json_builder_set_member_name(b, "map_addr");
	json_builder_add_int_value(b, hdr->map_addr);
	json_builder_set_member_name(b, "dict_addr");
	json_builder_add_int_value(b, hdr->dict_addr);
	json_builder_set_member_name(b, "ranges");
	json_builder_begin_array(b);
	for (guint i = 0; i < G_N_ELEMENTS(hdr->ranges); i++)
		json_builder_add_int_value(b, hdr->ranges[i]);
	json_builder_end_array(b);
	if (hdr->version == 2) {
		json_builder_set_member_name(b, "block_size");
		json_builder_add_int_value(b, hdr->block_size);
	}
	json_builder_set_member_name(b, "decoded");
	json_builder_add_boolean_value(b, FALSE);
	json_builder_set_member_name(b, "note");
	json_builder_add_string_value(b, WF_LZMA_ALICE_MSG);
	json_builder_end_object(b);
	return json_builder_get_root(b);
}
