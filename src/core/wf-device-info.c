/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-device-info.h"

#include <string.h>

#include "wf-error.h"
#include "wf-sfi.h"

/* protocol.md §3.6 */
#define WF_HW_CODE_MT6261     0x6261
#define WF_HW_CODE_MT6260     0x6260
#define WF_HW_VERSION_DA      0xCB01
#define WF_EFUSE_MT2503	      0x3600
#define WF_EFUSE_MT2503DV     0x7640
#define WF_BL_VERSION_IS_BROM 0xFE

/* JEDEC capacity codes that make sense for a watch: 64 KiB … 64 MiB */
#define WF_JEDEC_CAPACITY_MIN 0x10
#define WF_JEDEC_CAPACITY_MAX 0x1A

/* Mirror detection compares this many bytes at 0 with the same bytes at
 * each power of two from 1 MiB up to 32 MiB in the remapped window. */
#define WF_MIRROR_SAMPLE   256
#define WF_MIRROR_MIN_SIZE (1u << 20)
#define WF_MIRROR_MAX_SIZE (32u << 20)

#define WF_ME_ID_LEN 16

struct _WfDeviceInfo {
	GObject parent_instance;
	gchar *chip;
	gboolean chip_known;
	guint16 hw_code;
	guint16 hw_version;
	guint16 sw_version;
	guint16 hw_subcode;
	guint16 efuse_version;
	guint8 brom_version;
	guint8 bl_version;
	guint32 target_config;
	guint8 me_id[WF_ME_ID_LEN];
	gchar *me_id_str;
	gboolean has_jedec;
	guint8 jedec[3];
	gchar *jedec_str;
	gchar *jedec_error; /* why SFI gave no id, for the record */
	guint32 flash_size;
	const gchar *flash_size_method;
};

G_DEFINE_FINAL_TYPE(WfDeviceInfo, wf_device_info, G_TYPE_OBJECT)

typedef struct {
	guint8 id[3];
	const gchar *part;
} WfJedecPart;

/* Flash ids seen in watch firmware and captures (protocol.md §3.8, §3.11;
 * firmware-formats.md §5). Names follow the JEDEC id, not a datasheet
 * check of every variant. */
static const WfJedecPart wf_jedec_parts[] = {
	{{0xC2, 0x20, 0x16}, "MX25L3233"},
	{{0xC2, 0x25, 0x36}, "MX25U3235"},
	{{0xC2, 0x25, 0x37}, "KH25U6439F"},
	{{0xC2, 0x25, 0x38}, "MX25U12835"},
	{{0xC8, 0x60, 0x16}, "GD25LQ32"},
	{{0xC8, 0x60, 0x17}, "GD25LQ64"},
	{{0xC8, 0x60, 0x18}, "GD25LQ128"},
	{{0xEF, 0x40, 0x16}, "W25Q32"},
	{{0xEF, 0x40, 0x18}, "W25Q128"},
	{{0xEF, 0x60, 0x18}, "W25Q128FW"},
	{{0xEF, 0x70, 0x16}, "W25Q32JV"},
};

/**
 * wf_device_info_flash_part_for_jedec:
 * @id: a JEDEC id
 *
 * Returns: (nullable): the part name, or %NULL when unknown
 */
const gchar *
wf_device_info_flash_part_for_jedec(const guint8 id[3])
{
	g_return_val_if_fail(id != NULL, NULL);
	for (guint i = 0; i < G_N_ELEMENTS(wf_jedec_parts); i++) {
		if (memcmp(wf_jedec_parts[i].id, id, 3) == 0)
			return wf_jedec_parts[i].part;
	}
	return NULL;
}

/**
 * wf_device_info_flash_size_for_jedec:
 * @id: a JEDEC id
 *
 * Returns: the size in bytes from the capacity code, or 0 when the id is
 *   not plausible
 */
guint32
wf_device_info_flash_size_for_jedec(const guint8 id[3])
{
	g_return_val_if_fail(id != NULL, 0);
	/* a floating or absent bus reads as all zeroes or all ones */
	if (id[0] == 0x00 || id[0] == 0xFF)
		return 0;
	if (id[2] >= WF_JEDEC_CAPACITY_MIN && id[2] <= WF_JEDEC_CAPACITY_MAX)
		return 1u << id[2];
	/* Macronix's 1.8 V parts (memory type 0x25: MX25U, KH25U) count from
	 * 0x20: C2 25 36 is 32 Mbit, C2 25 37 (KH25U6439F) 64 Mbit,
	 * C2 25 38 128 Mbit — ids seen in real cfgs (firmware-formats.md §5) */
	if (id[0] == 0xC2 && id[1] == 0x25 && id[2] >= WF_JEDEC_CAPACITY_MIN + 0x20 &&
	    id[2] <= WF_JEDEC_CAPACITY_MAX + 0x20)
		return 1u << (id[2] - 0x20);
	return 0;
}

/**
 * wf_device_info_chip_name:
 * @hw_code: from 0x80000008
 * @hw_version: from 0x80000000
 * @efuse_version: upper half of 0xA01C0108
 *
 * Returns: (nullable): the marketing name, or %NULL for an unknown chip
 */
const gchar *
wf_device_info_chip_name(guint16 hw_code, guint16 hw_version, guint16 efuse_version)
{
	switch (hw_code) {
	case WF_HW_CODE_MT6261:
		/* MT2503 reports the MT6261 code; only the e-fuse tells */
		if (efuse_version == WF_EFUSE_MT2503)
			return "MT2503";
		if (efuse_version == WF_EFUSE_MT2503DV)
			return "MT2503DV";
		return hw_version == WF_HW_VERSION_DA ? "MT6261DA" : "MT6261MA";
	case WF_HW_CODE_MT6260:
		return "MT6260";
	default:
		return NULL;
	}
}

static gboolean
wf_device_info_read_a2(
	WfBrom *brom, guint32 addr, guint16 *value, GCancellable *cancellable, GError **error)
{
	return wf_brom_read16_legacy(brom, addr, value, 1, cancellable, error);
}

/* the boot-ROM part, in SP Flash Tool's order (protocol.md §3.10) */
static gboolean
wf_device_info_read_ids(WfDeviceInfo *self, WfBrom *brom, GCancellable *cancellable, GError **error)
{
	const gchar *name;
	guint32 efuse = 0;

	if (!wf_device_info_read_a2(
		    brom, WF_DEVICE_INFO_REG_HW_VERSION, &self->hw_version, cancellable, error) ||
	    !wf_device_info_read_a2(
		    brom, WF_DEVICE_INFO_REG_SW_VERSION, &self->sw_version, cancellable, error) ||
	    !wf_device_info_read_a2(
		    brom, WF_DEVICE_INFO_REG_HW_CODE, &self->hw_code, cancellable, error) ||
	    !wf_device_info_read_a2(
		    brom, WF_DEVICE_INFO_REG_HW_SUBCODE, &self->hw_subcode, cancellable, error))
		return FALSE;
	if (!wf_brom_read32(brom, WF_DEVICE_INFO_REG_EFUSE, &efuse, 1, cancellable, error))
		return FALSE;
	self->efuse_version = (guint16)(efuse >> 16);
	if (!wf_brom_get_version(brom, &self->brom_version, cancellable, error) ||
	    !wf_brom_get_bl_version(brom, &self->bl_version, cancellable, error) ||
	    !wf_brom_get_target_config(brom, &self->target_config, cancellable, error) ||
	    !wf_brom_get_me_id(brom, self->me_id, cancellable, error))
		return FALSE;

	name = wf_device_info_chip_name(self->hw_code, self->hw_version, self->efuse_version);
	self->chip_known = name != NULL;
	self->chip = name != NULL ? g_strdup(name)
				  : g_strdup_printf("unknown chip 0x%04X", self->hw_code);
	return TRUE;
}

/* errors after which trying something else is pointless */
static gboolean
wf_device_info_error_is_final(const GError *error)
{
	return g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
	       g_error_matches(error, WF_ERROR, WF_ERROR_DEVICE_LOST);
}

static gboolean
wf_device_info_read_jedec(WfDeviceInfo *self,
			  WfBrom *brom,
			  GCancellable *cancellable,
			  GError **error)
{
	g_autoptr(WfSfi) sfi = wf_sfi_new(brom);
	g_autoptr(GError) error_local = NULL;
	guint8 id[3] = {0};

	if (!wf_sfi_read_jedec_id(sfi, id, cancellable, &error_local)) {
		if (wf_device_info_error_is_final(error_local)) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return FALSE;
		}
		g_debug("no JEDEC id: %s", error_local->message);
		self->jedec_error = g_strdup(error_local->message);
		return TRUE;
	}
	if (wf_device_info_flash_size_for_jedec(id) == 0) {
		self->jedec_error = g_strdup_printf(
			"the flash answered an implausible id %02X %02X %02X", id[0], id[1], id[2]);
		g_debug("%s", self->jedec_error);
		return TRUE;
	}
	memcpy(self->jedec, id, 3);
	self->has_jedec = TRUE;
	return TRUE;
}

static gboolean
wf_device_info_sample_is_blank(const guint8 *buf, gsize len)
{
	for (gsize i = 1; i < len; i++) {
		if (buf[i] != buf[0])
			return FALSE;
	}
	return TRUE;
}

/*
 * Without an id, the remapped window tells the size: past the end of the
 * chip it repeats the chip (protocol.md §3.8), so the first power of two
 * whose bytes equal those at 0 is the size. Blank bytes at 0 would match
 * everywhere, so they are refused instead of guessed from.
 */
static gboolean
wf_device_info_detect_mirror(WfDeviceInfo *self,
			     WfBrom *brom,
			     GCancellable *cancellable,
			     GError **error)
{
	guint8 first[WF_MIRROR_SAMPLE];
	guint8 other[WF_MIRROR_SAMPLE];

	if (!wf_brom_remap_flash(brom, cancellable, error))
		return FALSE;
	if (!wf_brom_read_memory(
		    brom, 0, first, sizeof(first), 0, 1, NULL, NULL, cancellable, error))
		return FALSE;
	if (wf_device_info_sample_is_blank(first, sizeof(first))) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_NOT_SUPPORTED,
			    "cannot tell the flash size: the flash id could not be read (%s) and "
			    "the start of the flash is blank; give the size explicitly",
			    self->jedec_error != NULL ? self->jedec_error : "no answer");
		return FALSE;
	}
	for (guint32 size = WF_MIRROR_MIN_SIZE; size <= WF_MIRROR_MAX_SIZE; size <<= 1) {
		if (!wf_brom_read_memory(
			    brom, size, other, sizeof(other), 0, 1, NULL, NULL, cancellable, error))
			return FALSE;
		if (memcmp(first, other, sizeof(first)) == 0) {
			self->flash_size = size;
			self->flash_size_method = WF_DEVICE_INFO_SIZE_METHOD_MIRROR;
			return TRUE;
		}
	}
	g_set_error(error,
		    WF_ERROR,
		    WF_ERROR_NOT_SUPPORTED,
		    "cannot tell the flash size: the flash id could not be read (%s) and the "
		    "flash does not repeat within %u MiB; give the size explicitly",
		    self->jedec_error != NULL ? self->jedec_error : "no answer",
		    WF_MIRROR_MAX_SIZE >> 20);
	return FALSE;
}

static gboolean
wf_device_info_read_flash(WfDeviceInfo *self,
			  WfBrom *brom,
			  guint32 flash_size_override,
			  GCancellable *cancellable,
			  GError **error)
{
	/* the id is worth recording even when the user gives the size */
	if (!wf_device_info_read_jedec(self, brom, cancellable, error))
		return FALSE;
	if (flash_size_override != 0) {
		self->flash_size = flash_size_override;
		self->flash_size_method = WF_DEVICE_INFO_SIZE_METHOD_OVERRIDE;
		return TRUE;
	}
	if (self->has_jedec) {
		self->flash_size = wf_device_info_flash_size_for_jedec(self->jedec);
		self->flash_size_method = WF_DEVICE_INFO_SIZE_METHOD_JEDEC;
		return TRUE;
	}
	return wf_device_info_detect_mirror(self, brom, cancellable, error);
}

/**
 * wf_device_info_identify:
 * @brom: a handshaken #WfBrom
 * @flash_size_override: the flash size the user gave, or 0 to detect it
 * @out: (out) (transfer full): the result
 * @cancellable: a #GCancellable, or %NULL
 * @error: (out): return location
 *
 * Reads the chip id block, e-fuse, boot-ROM version, target config and ME
 * ID, then the flash JEDEC id through SFI. The flash size comes from the
 * override, else the JEDEC capacity code, else mirror detection in the
 * remapped window (which leaves the flash remapped to 0x00000000).
 *
 * Returns: %TRUE on success
 */
gboolean
wf_device_info_identify(WfBrom *brom,
			guint32 flash_size_override,
			WfDeviceInfo **out,
			GCancellable *cancellable,
			GError **error)
{
	g_autoptr(WfDeviceInfo) self = NULL;

	g_return_val_if_fail(WF_IS_BROM(brom), FALSE);
	g_return_val_if_fail(out != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (flash_size_override % 4 != 0) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_DATA,
			    "a flash size of %u bytes is not a multiple of 4",
			    flash_size_override);
		return FALSE;
	}
	self = wf_device_info_new();
	if (!wf_device_info_read_ids(self, brom, cancellable, error))
		return FALSE;
	if (!wf_device_info_read_flash(self, brom, flash_size_override, cancellable, error))
		return FALSE;
	/* fill the string caches now: the record is read from other threads
	 * later and must not change under them */
	(void)wf_device_info_get_me_id_string(self);
	(void)wf_device_info_get_jedec_id_string(self);
	*out = g_steal_pointer(&self);
	return TRUE;
}

static gchar *
wf_device_info_hex16(guint16 value)
{
	return g_strdup_printf("0x%04X", value);
}

static void
wf_device_info_add_hex(JsonBuilder *builder, const gchar *key, guint16 value)
{
	g_autofree gchar *str = wf_device_info_hex16(value);

	json_builder_set_member_name(builder, key);
	json_builder_add_string_value(builder, str);
}

static void
wf_device_info_add_flash_json(WfDeviceInfo *self, JsonBuilder *builder)
{
	const gchar *jedec = wf_device_info_get_jedec_id_string(self);
	const gchar *part = wf_device_info_get_flash_part(self);

	json_builder_set_member_name(builder, "flash");
	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "jedec_id");
	if (jedec != NULL)
		json_builder_add_string_value(builder, jedec);
	else
		json_builder_add_null_value(builder);
	json_builder_set_member_name(builder, "part");
	if (part != NULL)
		json_builder_add_string_value(builder, part);
	else
		json_builder_add_null_value(builder);
	json_builder_set_member_name(builder, "size");
	json_builder_add_int_value(builder, self->flash_size);
	json_builder_set_member_name(builder, "size_method");
	if (self->flash_size_method != NULL)
		json_builder_add_string_value(builder, self->flash_size_method);
	else
		json_builder_add_null_value(builder);
	if (self->jedec_error != NULL) {
		json_builder_set_member_name(builder, "jedec_error");
		json_builder_add_string_value(builder, self->jedec_error);
	}
	json_builder_end_object(builder);
}

/**
 * wf_device_info_to_json:
 * @self: a #WfDeviceInfo
 *
 * Returns: (transfer full): an object for `--json` output and backup.json
 */
JsonNode *
wf_device_info_to_json(WfDeviceInfo *self)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();
	const gchar *me_id;
	g_autofree gchar *config = NULL;

	g_return_val_if_fail(WF_IS_DEVICE_INFO(self), NULL);

	me_id = wf_device_info_get_me_id_string(self);
	config = g_strdup_printf("0x%08X", self->target_config);
	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "chip");
	json_builder_add_string_value(builder, self->chip != NULL ? self->chip : "");
	json_builder_set_member_name(builder, "chip_known");
	json_builder_add_boolean_value(builder, self->chip_known);
	wf_device_info_add_hex(builder, "hw_code", self->hw_code);
	wf_device_info_add_hex(builder, "hw_version", self->hw_version);
	wf_device_info_add_hex(builder, "sw_version", self->sw_version);
	wf_device_info_add_hex(builder, "hw_subcode", self->hw_subcode);
	wf_device_info_add_hex(builder, "efuse_version", self->efuse_version);
	json_builder_set_member_name(builder, "brom_version");
	json_builder_add_int_value(builder, self->brom_version);
	json_builder_set_member_name(builder, "in_boot_rom");
	json_builder_add_boolean_value(builder, self->bl_version == WF_BL_VERSION_IS_BROM);
	json_builder_set_member_name(builder, "target_config");
	json_builder_add_string_value(builder, config);
	json_builder_set_member_name(builder, "me_id");
	json_builder_add_string_value(builder, me_id);
	wf_device_info_add_flash_json(self, builder);
	json_builder_end_object(builder);
	return json_builder_get_root(builder);
}

/* accessors */

const gchar *
wf_device_info_get_chip(WfDeviceInfo *self)
{
	g_return_val_if_fail(WF_IS_DEVICE_INFO(self), NULL);
	return self->chip;
}

gboolean
wf_device_info_get_chip_known(WfDeviceInfo *self)
{
	g_return_val_if_fail(WF_IS_DEVICE_INFO(self), FALSE);
	return self->chip_known;
}

guint16
wf_device_info_get_hw_code(WfDeviceInfo *self)
{
	g_return_val_if_fail(WF_IS_DEVICE_INFO(self), 0);
	return self->hw_code;
}

guint16
wf_device_info_get_hw_version(WfDeviceInfo *self)
{
	g_return_val_if_fail(WF_IS_DEVICE_INFO(self), 0);
	return self->hw_version;
}

guint16
wf_device_info_get_sw_version(WfDeviceInfo *self)
{
	g_return_val_if_fail(WF_IS_DEVICE_INFO(self), 0);
	return self->sw_version;
}

guint16
wf_device_info_get_hw_subcode(WfDeviceInfo *self)
{
	g_return_val_if_fail(WF_IS_DEVICE_INFO(self), 0);
	return self->hw_subcode;
}

guint16
wf_device_info_get_efuse_version(WfDeviceInfo *self)
{
	g_return_val_if_fail(WF_IS_DEVICE_INFO(self), 0);
	return self->efuse_version;
}

guint8
wf_device_info_get_brom_version(WfDeviceInfo *self)
{
	g_return_val_if_fail(WF_IS_DEVICE_INFO(self), 0);
	return self->brom_version;
}

guint8
wf_device_info_get_bl_version(WfDeviceInfo *self)
{
	g_return_val_if_fail(WF_IS_DEVICE_INFO(self), 0);
	return self->bl_version;
}

guint32
wf_device_info_get_target_config(WfDeviceInfo *self)
{
	g_return_val_if_fail(WF_IS_DEVICE_INFO(self), 0);
	return self->target_config;
}

const guint8 *
wf_device_info_get_me_id(WfDeviceInfo *self)
{
	g_return_val_if_fail(WF_IS_DEVICE_INFO(self), NULL);
	return self->me_id;
}

const gchar *
wf_device_info_get_me_id_string(WfDeviceInfo *self)
{
	g_return_val_if_fail(WF_IS_DEVICE_INFO(self), NULL);
	if (self->me_id_str == NULL) {
		GString *str = g_string_sized_new(WF_ME_ID_LEN * 2);
		for (guint i = 0; i < WF_ME_ID_LEN; i++)
			g_string_append_printf(str, "%02x", self->me_id[i]);
		self->me_id_str = g_string_free(str, FALSE);
	}
	return self->me_id_str;
}

gboolean
wf_device_info_has_jedec_id(WfDeviceInfo *self)
{
	g_return_val_if_fail(WF_IS_DEVICE_INFO(self), FALSE);
	return self->has_jedec;
}

const guint8 *
wf_device_info_get_jedec_id(WfDeviceInfo *self)
{
	g_return_val_if_fail(WF_IS_DEVICE_INFO(self), NULL);
	return self->has_jedec ? self->jedec : NULL;
}

const gchar *
wf_device_info_get_jedec_id_string(WfDeviceInfo *self)
{
	g_return_val_if_fail(WF_IS_DEVICE_INFO(self), NULL);
	if (!self->has_jedec)
		return NULL;
	if (self->jedec_str == NULL)
		self->jedec_str = g_strdup_printf(
			"%02X%02X%02X", self->jedec[0], self->jedec[1], self->jedec[2]);
	return self->jedec_str;
}

const gchar *
wf_device_info_get_flash_part(WfDeviceInfo *self)
{
	g_return_val_if_fail(WF_IS_DEVICE_INFO(self), NULL);
	if (!self->has_jedec)
		return NULL;
	return wf_device_info_flash_part_for_jedec(self->jedec);
}

guint32
wf_device_info_get_flash_size(WfDeviceInfo *self)
{
	g_return_val_if_fail(WF_IS_DEVICE_INFO(self), 0);
	return self->flash_size;
}

const gchar *
wf_device_info_get_flash_size_method(WfDeviceInfo *self)
{
	g_return_val_if_fail(WF_IS_DEVICE_INFO(self), NULL);
	return self->flash_size_method;
}

static void
wf_device_info_finalize(GObject *object)
{
	WfDeviceInfo *self = WF_DEVICE_INFO(object);

	g_free(self->chip);
	g_free(self->jedec_error);
	g_free(self->me_id_str);
	g_free(self->jedec_str);
	G_OBJECT_CLASS(wf_device_info_parent_class)->finalize(object);
}

static void
wf_device_info_class_init(WfDeviceInfoClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = wf_device_info_finalize;
}

static void
wf_device_info_init(WfDeviceInfo *self)
{
}

/**
 * wf_device_info_new:
 *
 * An empty record; wf_device_info_identify() is how one gets filled.
 *
 * Returns: (transfer full): a #WfDeviceInfo
 */
WfDeviceInfo *
wf_device_info_new(void)
{
	return g_object_new(WF_TYPE_DEVICE_INFO, NULL);
}
