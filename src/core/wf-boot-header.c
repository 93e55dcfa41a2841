/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-boot-header.h"

#include <string.h>

#include "wf-common.h"
#include "wf-error.h"

/* a BRLYT further away than this is not a layout pointer but garbage */
#define WF_BOOT_HEADER_MAX_RW_UNIT 0x10000

/* BRLYT field offsets */
#define BRLYT_VERSION	0x08
#define BRLYT_BOOT_ADDR 0x0C
#define BRLYT_MAIN_ADDR 0x10
#define BRLYT_BL_DESCS	0x14
#define BL_DESC_SIZE	20

struct _WfBootHeader {
	GObject parent_instance;
	WfBootHeaderState state;
	guint32 sf_version;
	guint32 dev_rw_unit;
	guint32 brlyt_version;
	guint32 boot_region_addr;
	guint32 main_region_addr;
	GArray *bls;	     /* (element-type WfBootHeaderBl) */
	GPtrArray *warnings; /* (element-type utf8) */
};

G_DEFINE_FINAL_TYPE(WfBootHeader, wf_boot_header, G_TYPE_OBJECT)

static void
wf_boot_header_finalize(GObject *object)
{
	WfBootHeader *self = WF_BOOT_HEADER(object);
	g_array_unref(self->bls);
	g_ptr_array_unref(self->warnings);
	G_OBJECT_CLASS(wf_boot_header_parent_class)->finalize(object);
}

static void
wf_boot_header_class_init(WfBootHeaderClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = wf_boot_header_finalize;
}

static void
wf_boot_header_init(WfBootHeader *self)
{
	self->bls = g_array_new(FALSE, TRUE, sizeof(WfBootHeaderBl));
	self->warnings = g_ptr_array_new_with_free_func(g_free);
}

/**
 * wf_boot_header_new:
 *
 * Returns: (transfer full): an unparsed header block
 */
WfBootHeader *
wf_boot_header_new(void)
{
	return g_object_new(WF_TYPE_BOOT_HEADER, NULL);
}

/**
 * wf_boot_header_state_to_string:
 * @state: a #WfBootHeaderState
 *
 * Returns: a stable name for JSON output
 */
const gchar *
wf_boot_header_state_to_string(WfBootHeaderState state)
{
	switch (state) {
	case WF_BOOT_HEADER_STATE_VALID:
		return "valid";
	case WF_BOOT_HEADER_STATE_ERASED:
		return "erased";
	case WF_BOOT_HEADER_STATE_NONE:
		return "none";
	case WF_BOOT_HEADER_STATE_DAMAGED:
		return "damaged";
	case WF_BOOT_HEADER_STATE_UNKNOWN:
	default:
		return "unknown";
	}
}

static void
wf_boot_header_write32(guint8 *p, guint32 v)
{
	p[0] = v & 0xFF;
	p[1] = (v >> 8) & 0xFF;
	p[2] = (v >> 16) & 0xFF;
	p[3] = (v >> 24) & 0xFF;
}

static void
wf_boot_header_warn(WfBootHeader *self, const gchar *format, ...) G_GNUC_PRINTF(2, 3);

static void
wf_boot_header_warn(WfBootHeader *self, const gchar *format, ...)
{
	va_list args;
	va_start(args, format);
	g_ptr_array_add(self->warnings, g_strdup_vprintf(format, args));
	va_end(args);
}

static gboolean
wf_boot_header_is_erased(const guint8 *p, gsize len)
{
	for (gsize i = 0; i < len; i++) {
		if (p[i] != 0xFF)
			return FALSE;
	}
	return TRUE;
}

/* cross-checks of the descriptors: all of them are warnings, because only
 * the DA's own parser is authoritative and it accepted this layout [X] */
static void
wf_boot_header_check_bls(WfBootHeader *self)
{
	guint32 prev_boundary = WF_BOOT_HEADER_DEV_RW_UNIT + WF_BOOT_HEADER_BRLYT_SIZE;

	for (guint i = 0; i < self->bls->len; i++) {
		WfBootHeaderBl *bl = &g_array_index(self->bls, WfBootHeaderBl, i);
		if (bl->device != WF_BOOT_HEADER_DEVICE_SF)
			wf_boot_header_warn(self,
					    "bootloader %u: device %u, expected 7 (serial flash)",
					    i,
					    bl->device);
		if (bl->file_type != i + 1)
			wf_boot_header_warn(self,
					    "bootloader %u: file type %u, expected %u (%s)",
					    i,
					    bl->file_type,
					    i + 1,
					    i == 0 ? "ARM_BL" : "ARM_EXT_BL");
		if (bl->boundary <= bl->begin)
			wf_boot_header_warn(self,
					    "bootloader %u: boundary 0x%x is not after begin 0x%x",
					    i,
					    bl->boundary,
					    bl->begin);
		if (bl->begin < prev_boundary)
			wf_boot_header_warn(
				self,
				"bootloader %u: begins at 0x%x, inside the header block "
				"or the previous bootloader (ends 0x%x)",
				i,
				bl->begin,
				prev_boundary);
		if (bl->attribute != 1)
			wf_boot_header_warn(self,
					    "bootloader %u: attribute 0x%x, expected 1",
					    i,
					    bl->attribute);
		prev_boundary = MAX(prev_boundary, bl->boundary);
	}
	if (self->bls->len > 0) {
		WfBootHeaderBl *first = &g_array_index(self->bls, WfBootHeaderBl, 0);
		if (first->begin != self->boot_region_addr)
			wf_boot_header_warn(self,
					    "boot_region_dev_addr 0x%x differs from the first "
					    "bootloader's begin 0x%x",
					    self->boot_region_addr,
					    first->begin);
		if (self->main_region_addr < prev_boundary)
			wf_boot_header_warn(self,
					    "main_region_dev_addr 0x%x is inside the boot region "
					    "(ends 0x%x)",
					    self->main_region_addr,
					    prev_boundary);
	}
}

static void
wf_boot_header_parse_descriptors(WfBootHeader *self, const guint8 *brlyt)
{
	gboolean seen_gap = FALSE;

	for (guint i = 0; i < WF_BOOT_HEADER_MAX_BL; i++) {
		const guint8 *d = brlyt + BRLYT_BL_DESCS + i * BL_DESC_SIZE;
		guint32 magic = wf_common_read_le32(d);
		WfBootHeaderBl bl = {0};

		if (magic != WF_BOOT_HEADER_BL_MAGIC) {
			if (!wf_boot_header_is_erased(d, BL_DESC_SIZE))
				wf_boot_header_warn(
					self,
					"BL descriptor slot %u: magic 0x%08X is neither "
					"‘BBBB’ nor erased",
					i,
					magic);
			seen_gap = TRUE;
			continue;
		}
		if (seen_gap)
			wf_boot_header_warn(
				self, "BL descriptor slot %u is used after an unused slot", i);
		bl.device = d[4];
		bl.file_type = wf_common_read_le16(d + 6);
		bl.begin = wf_common_read_le32(d + 8);
		bl.boundary = wf_common_read_le32(d + 12);
		bl.attribute = wf_common_read_le32(d + 16);
		g_array_append_val(self->bls, bl);
	}
}

static void
wf_boot_header_reset(WfBootHeader *self)
{
	self->state = WF_BOOT_HEADER_STATE_UNKNOWN;
	self->sf_version = 0;
	self->dev_rw_unit = 0;
	self->brlyt_version = 0;
	self->boot_region_addr = 0;
	self->main_region_addr = 0;
	g_array_set_size(self->bls, 0);
	g_ptr_array_set_size(self->warnings, 0);
}

/**
 * wf_boot_header_parse:
 * @self: a #WfBootHeader
 * @blob: the first bytes of the flash (0x800 are plenty)
 * @error: (nullable): return location
 *
 * Reads whatever is at flash offset 0. A flash without a header block is a
 * state (%WF_BOOT_HEADER_STATE_ERASED or %WF_BOOT_HEADER_STATE_NONE), a
 * header whose layout is unusable is %WF_BOOT_HEADER_STATE_DAMAGED, and
 * doubtful fields are warnings; only a buffer shorter than the SF header
 * is an error.
 *
 * Returns: %TRUE unless @blob is too short to tell
 */
gboolean
wf_boot_header_parse(WfBootHeader *self, GBytes *blob, GError **error)
{
	gsize bufsz = 0;
	const guint8 *buf;
	const guint8 *brlyt;

	g_return_val_if_fail(WF_IS_BOOT_HEADER(self), FALSE);
	g_return_val_if_fail(blob != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	wf_boot_header_reset(self);
	buf = g_bytes_get_data(blob, &bufsz);
	if (bufsz < WF_BOOT_HEADER_SF_SIZE) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "0x%" G_GSIZE_MODIFIER "x bytes is too short to hold a header block "
			    "(the SF_BOOT header alone is 0x%x)",
			    bufsz,
			    (guint)WF_BOOT_HEADER_SF_SIZE);
		return FALSE;
	}
	if (memcmp(buf, "SF_BOOT\0", 8) != 0) {
		gsize n = MIN(bufsz, (gsize)WF_BOOT_HEADER_MIN_SIZE);
		self->state = wf_boot_header_is_erased(buf, n) ? WF_BOOT_HEADER_STATE_ERASED
							       : WF_BOOT_HEADER_STATE_NONE;
		return TRUE;
	}

	if (wf_common_read_le32(buf + 8) != 0)
		wf_boot_header_warn(self,
				    "SF header bytes 8..11 are 0x%08X, expected 0",
				    wf_common_read_le32(buf + 8));
	self->sf_version = wf_common_read_le32(buf + 0x0C);
	if (self->sf_version != 1)
		wf_boot_header_warn(self, "SF header version %u, expected 1", self->sf_version);
	self->dev_rw_unit = wf_common_read_le32(buf + 0x10);
	if (self->dev_rw_unit < WF_BOOT_HEADER_SF_SIZE ||
	    self->dev_rw_unit > WF_BOOT_HEADER_MAX_RW_UNIT) {
		wf_boot_header_warn(self,
				    "dev_rw_unit 0x%x is not a plausible BRLYT offset",
				    self->dev_rw_unit);
		self->state = WF_BOOT_HEADER_STATE_DAMAGED;
		return TRUE;
	}
	if (self->dev_rw_unit != WF_BOOT_HEADER_DEV_RW_UNIT)
		wf_boot_header_warn(
			self, "dev_rw_unit 0x%x, the verified layout has 0x200", self->dev_rw_unit);
	if (self->dev_rw_unit > bufsz || bufsz - self->dev_rw_unit < WF_BOOT_HEADER_BRLYT_SIZE) {
		wf_boot_header_warn(
			self,
			"BRLYT at 0x%x runs past the end of the data (0x%" G_GSIZE_MODIFIER
			"x bytes)",
			self->dev_rw_unit,
			bufsz);
		self->state = WF_BOOT_HEADER_STATE_DAMAGED;
		return TRUE;
	}
	brlyt = buf + self->dev_rw_unit;
	if (memcmp(brlyt, "BRLYT\0\0\0", 8) != 0) {
		wf_boot_header_warn(self, "no ‘BRLYT’ record at 0x%x", self->dev_rw_unit);
		self->state = WF_BOOT_HEADER_STATE_DAMAGED;
		return TRUE;
	}
	self->brlyt_version = wf_common_read_le32(brlyt + BRLYT_VERSION);
	if (self->brlyt_version != 1)
		wf_boot_header_warn(self, "BRLYT version %u, expected 1", self->brlyt_version);
	self->boot_region_addr = wf_common_read_le32(brlyt + BRLYT_BOOT_ADDR);
	self->main_region_addr = wf_common_read_le32(brlyt + BRLYT_MAIN_ADDR);
	wf_boot_header_parse_descriptors(self, brlyt);
	if (self->bls->len == 0) {
		wf_boot_header_warn(self, "BRLYT lists no bootloader");
		self->state = WF_BOOT_HEADER_STATE_DAMAGED;
		return TRUE;
	}
	wf_boot_header_check_bls(self);
	self->state = WF_BOOT_HEADER_STATE_VALID;
	return TRUE;
}

/**
 * wf_boot_header_new_from_bytes:
 * @blob: the start of the flash
 * @error: (nullable): return location
 *
 * Returns: (transfer full): the parsed header block, or %NULL
 */
WfBootHeader *
wf_boot_header_new_from_bytes(GBytes *blob, GError **error)
{
	g_autoptr(WfBootHeader) self = wf_boot_header_new();
	g_return_val_if_fail(blob != NULL, NULL);
	if (!wf_boot_header_parse(self, blob, error))
		return NULL;
	return g_steal_pointer(&self);
}

/**
 * wf_boot_header_get_state:
 * @self: a #WfBootHeader
 *
 * Returns: what was found at offset 0
 */
WfBootHeaderState
wf_boot_header_get_state(WfBootHeader *self)
{
	g_return_val_if_fail(WF_IS_BOOT_HEADER(self), WF_BOOT_HEADER_STATE_UNKNOWN);
	return self->state;
}

guint32
wf_boot_header_get_sf_version(WfBootHeader *self)
{
	g_return_val_if_fail(WF_IS_BOOT_HEADER(self), 0);
	return self->sf_version;
}

guint32
wf_boot_header_get_dev_rw_unit(WfBootHeader *self)
{
	g_return_val_if_fail(WF_IS_BOOT_HEADER(self), 0);
	return self->dev_rw_unit;
}

guint32
wf_boot_header_get_brlyt_version(WfBootHeader *self)
{
	g_return_val_if_fail(WF_IS_BOOT_HEADER(self), 0);
	return self->brlyt_version;
}

/**
 * wf_boot_header_get_boot_region_addr:
 * @self: a #WfBootHeader
 *
 * Returns: flash offset of the first bootloader (0x800)
 */
guint32
wf_boot_header_get_boot_region_addr(WfBootHeader *self)
{
	g_return_val_if_fail(WF_IS_BOOT_HEADER(self), 0);
	return self->boot_region_addr;
}

/**
 * wf_boot_header_get_main_region_addr:
 * @self: a #WfBootHeader
 *
 * Returns: flash offset of the MAUI ROM (0xB000 for SIM868)
 */
guint32
wf_boot_header_get_main_region_addr(WfBootHeader *self)
{
	g_return_val_if_fail(WF_IS_BOOT_HEADER(self), 0);
	return self->main_region_addr;
}

/**
 * wf_boot_header_get_bls:
 * @self: a #WfBootHeader
 *
 * Returns: (transfer none) (element-type WfBootHeaderBl): the used
 * descriptors in slot order
 */
GArray *
wf_boot_header_get_bls(WfBootHeader *self)
{
	g_return_val_if_fail(WF_IS_BOOT_HEADER(self), NULL);
	return self->bls;
}

/**
 * wf_boot_header_get_boot_style:
 * @self: a #WfBootHeader
 *
 * Returns: what the DA would report as m_boot_style: 0x400 | device
 * (0x407 for serial flash), 0 without a valid layout
 */
guint32
wf_boot_header_get_boot_style(WfBootHeader *self)
{
	g_return_val_if_fail(WF_IS_BOOT_HEADER(self), 0);
	if (self->state != WF_BOOT_HEADER_STATE_VALID)
		return 0;
	return 0x400 | g_array_index(self->bls, WfBootHeaderBl, 0).device;
}

/**
 * wf_boot_header_get_warnings:
 * @self: a #WfBootHeader
 *
 * Returns: (transfer none) (element-type utf8): doubtful fields
 */
GPtrArray *
wf_boot_header_get_warnings(WfBootHeader *self)
{
	g_return_val_if_fail(WF_IS_BOOT_HEADER(self), NULL);
	return self->warnings;
}

static void
wf_boot_header_json_hex(JsonBuilder *builder, const gchar *name, guint32 value)
{
	g_autofree gchar *hex = g_strdup_printf("0x%X", value);
	json_builder_set_member_name(builder, name);
	json_builder_add_string_value(builder, hex);
}

/**
 * wf_boot_header_to_json:
 * @self: a #WfBootHeader
 *
 * Returns: (transfer full): state, fields, descriptors and warnings
 */
JsonNode *
wf_boot_header_to_json(WfBootHeader *self)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();

	g_return_val_if_fail(WF_IS_BOOT_HEADER(self), NULL);

	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "state");
	json_builder_add_string_value(builder, wf_boot_header_state_to_string(self->state));
	if (self->state == WF_BOOT_HEADER_STATE_VALID ||
	    self->state == WF_BOOT_HEADER_STATE_DAMAGED) {
		json_builder_set_member_name(builder, "sf_version");
		json_builder_add_int_value(builder, self->sf_version);
		wf_boot_header_json_hex(builder, "dev_rw_unit", self->dev_rw_unit);
		json_builder_set_member_name(builder, "brlyt_version");
		json_builder_add_int_value(builder, self->brlyt_version);
		wf_boot_header_json_hex(builder, "boot_region_dev_addr", self->boot_region_addr);
		wf_boot_header_json_hex(builder, "main_region_dev_addr", self->main_region_addr);
		wf_boot_header_json_hex(builder, "boot_style", wf_boot_header_get_boot_style(self));
		json_builder_set_member_name(builder, "bootloaders");
		json_builder_begin_array(builder);
		for (guint i = 0; i < self->bls->len; i++) {
			WfBootHeaderBl *bl = &g_array_index(self->bls, WfBootHeaderBl, i);
			json_builder_begin_object(builder);
			json_builder_set_member_name(builder, "device");
			json_builder_add_int_value(builder, bl->device);
			json_builder_set_member_name(builder, "file_type");
			json_builder_add_int_value(builder, bl->file_type);
			wf_boot_header_json_hex(builder, "begin", bl->begin);
			wf_boot_header_json_hex(builder, "boundary", bl->boundary);
			wf_boot_header_json_hex(builder, "attribute", bl->attribute);
			json_builder_end_object(builder);
		}
		json_builder_end_array(builder);
	}
	json_builder_set_member_name(builder, "warnings");
	json_builder_begin_array(builder);
	for (guint i = 0; i < self->warnings->len; i++)
		json_builder_add_string_value(builder, g_ptr_array_index(self->warnings, i));
	json_builder_end_array(builder);
	json_builder_end_object(builder);
	return json_builder_get_root(builder);
}

static gboolean
wf_boot_header_check_build(guint32 main_region_addr,
			   const WfBootHeaderBl *bls,
			   guint n_bls,
			   GError **error)
{
	guint32 prev = WF_BOOT_HEADER_MIN_SIZE;

	if (n_bls == 0 || n_bls > WF_BOOT_HEADER_MAX_BL) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_DATA,
			    "a header block holds 1 to %u bootloaders, not %u",
			    (guint)WF_BOOT_HEADER_MAX_BL,
			    n_bls);
		return FALSE;
	}
	for (guint i = 0; i < n_bls; i++) {
		if (bls[i].begin < prev || bls[i].boundary <= bls[i].begin) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_DATA,
				    "bootloader %u: 0x%x..0x%x overlaps the header block or the "
				    "previous bootloader (free from 0x%x)",
				    i,
				    bls[i].begin,
				    bls[i].boundary,
				    prev);
			return FALSE;
		}
		prev = bls[i].boundary;
	}
	if (main_region_addr < prev) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_DATA,
			    "main region 0x%x starts inside the boot region (ends 0x%x)",
			    main_region_addr,
			    prev);
		return FALSE;
	}
	/* the block is as long as the gap before the first bootloader; refuse
	 * to make a huge one from a bogus begin */
	if (bls[0].begin > WF_BOOT_HEADER_MAX_RW_UNIT) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_DATA,
			    "first bootloader at 0x%x: the header block would be larger than "
			    "0x%x",
			    bls[0].begin,
			    (guint)WF_BOOT_HEADER_MAX_RW_UNIT);
		return FALSE;
	}
	return TRUE;
}

/**
 * wf_boot_header_build:
 * @main_region_addr: flash offset of the MAUI ROM
 * @bls: (array length=n_bls): bootloaders in flash order, e.g. BOOTLOADER
 *   at 0x800 and EXT_BOOTLOADER at 0x2400
 * @n_bls: 1 to 8
 * @error: (nullable): return location
 *
 * Writes the header block in the layout the Download Agent accepted [X]:
 * SF_BOOT at 0, BRLYT at 0x200, unused descriptor slots and the rest of
 * the block erased (0xFF). The block runs up to the first bootloader.
 *
 * Returns: (transfer full): bls[0].begin bytes, or %NULL
 */
GBytes *
wf_boot_header_build(guint32 main_region_addr,
		     const WfBootHeaderBl *bls,
		     guint n_bls,
		     GError **error)
{
	g_autofree guint8 *buf = NULL;
	guint8 *brlyt;
	gsize size;

	g_return_val_if_fail(bls != NULL || n_bls == 0, NULL);

	if (!wf_boot_header_check_build(main_region_addr, bls, n_bls, error))
		return NULL;
	size = bls[0].begin;
	buf = g_malloc(size);
	memset(buf, 0xFF, size);

	memcpy(buf, "SF_BOOT\0", 8);
	wf_boot_header_write32(buf + 0x08, 0);
	wf_boot_header_write32(buf + 0x0C, 1);
	wf_boot_header_write32(buf + 0x10, WF_BOOT_HEADER_DEV_RW_UNIT);

	brlyt = buf + WF_BOOT_HEADER_DEV_RW_UNIT;
	memcpy(brlyt, "BRLYT\0\0\0", 8);
	wf_boot_header_write32(brlyt + BRLYT_VERSION, 1);
	wf_boot_header_write32(brlyt + BRLYT_BOOT_ADDR, bls[0].begin);
	wf_boot_header_write32(brlyt + BRLYT_MAIN_ADDR, main_region_addr);
	for (guint i = 0; i < n_bls; i++) {
		guint8 *d = brlyt + BRLYT_BL_DESCS + i * BL_DESC_SIZE;
		wf_boot_header_write32(d, WF_BOOT_HEADER_BL_MAGIC);
		d[4] = bls[i].device;
		d[5] = 0;
		d[6] = bls[i].file_type & 0xFF;
		d[7] = (bls[i].file_type >> 8) & 0xFF;
		wf_boot_header_write32(d + 8, bls[i].begin);
		wf_boot_header_write32(d + 12, bls[i].boundary);
		wf_boot_header_write32(d + 16, bls[i].attribute);
	}
	return g_bytes_new_take(g_steal_pointer(&buf), size);
}
