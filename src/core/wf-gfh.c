/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-gfh.h"

#include <string.h>

#include "wf-common.h"
#include "wf-error.h"

/* offsets inside records, from the real SIM868 samples (§2.3) */
#define MAUI_INFO_BIN_NAME  0x08
#define MAUI_INFO_BIN_LEN   0x80
#define MAUI_INFO_VERNO	    0x88
#define MAUI_INFO_VERNO_LEN 0x40
#define CMEM_ID_ENTRY_SIZE  10
#define CMEM_NOR_ENTRY_SIZE 0x88
#define FLASH_INFO_DEVS	    0x14
#define FLASH_INFO_DEV_SIZE 16
#define FLASH_INFO_MAX_DEVS 6
#define VIVA_INFO_SIZE	    20
#define LZMA_ALONE_HDR_SIZE 13

struct _WfGfh {
	GObject parent_instance;
	gsize offset;
	gsize chain_size;
	GPtrArray *records;  /* (element-type WfGfhRecord) */
	GPtrArray *warnings; /* (element-type utf8) */
	gboolean has_file_info;
	WfGfhFileInfo file_info;
	gchar *bin_name;
	gchar *verno;
	GArray *cmem_ids;   /* (element-type WfGfhCmemId) */
	GArray *cmem_nor;   /* (element-type WfGfhCmemNor) */
	GArray *flash_devs; /* (element-type WfGfhFlashDev) */
	gboolean has_viva_info;
	WfGfhVivaInfo viva_info;
	GArray *zimage;	     /* (element-type WfGfhZimagePartition) */
	GArray *boot_zimage; /* (element-type WfGfhZimagePartition) */
	WfGfhDcm *dcm;
	gboolean has_alice;
	WfGfhAlice alice;
};

G_DEFINE_FINAL_TYPE(WfGfh, wf_gfh, G_TYPE_OBJECT)

static void
wf_gfh_record_free(gpointer data)
{
	WfGfhRecord *rec = data;
	g_bytes_unref(rec->data);
	g_free(rec);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(WfGfhRecord, wf_gfh_record_free)

static void
wf_gfh_clear_viva(WfGfh *self)
{
	self->has_viva_info = FALSE;
	memset(&self->viva_info, 0, sizeof(self->viva_info));
	g_clear_pointer(&self->zimage, g_array_unref);
	g_clear_pointer(&self->boot_zimage, g_array_unref);
	g_clear_pointer(&self->dcm, wf_gfh_dcm_free);
	self->has_alice = FALSE;
	memset(&self->alice, 0, sizeof(self->alice));
}

static void
wf_gfh_reset(WfGfh *self)
{
	self->offset = 0;
	self->chain_size = 0;
	g_ptr_array_set_size(self->records, 0);
	g_ptr_array_set_size(self->warnings, 0);
	self->has_file_info = FALSE;
	memset(&self->file_info, 0, sizeof(self->file_info));
	g_clear_pointer(&self->bin_name, g_free);
	g_clear_pointer(&self->verno, g_free);
	g_array_set_size(self->cmem_ids, 0);
	g_array_set_size(self->cmem_nor, 0);
	g_array_set_size(self->flash_devs, 0);
	wf_gfh_clear_viva(self);
}

static void
wf_gfh_finalize(GObject *object)
{
	WfGfh *self = WF_GFH(object);
	wf_gfh_clear_viva(self);
	g_ptr_array_unref(self->records);
	g_ptr_array_unref(self->warnings);
	g_free(self->bin_name);
	g_free(self->verno);
	g_array_unref(self->cmem_ids);
	g_array_unref(self->cmem_nor);
	g_array_unref(self->flash_devs);
	G_OBJECT_CLASS(wf_gfh_parent_class)->finalize(object);
}

static void
wf_gfh_class_init(WfGfhClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = wf_gfh_finalize;
}

static void
wf_gfh_init(WfGfh *self)
{
	self->records = g_ptr_array_new_with_free_func(wf_gfh_record_free);
	self->warnings = g_ptr_array_new_with_free_func(g_free);
	self->cmem_ids = g_array_new(FALSE, TRUE, sizeof(WfGfhCmemId));
	self->cmem_nor = g_array_new(FALSE, TRUE, sizeof(WfGfhCmemNor));
	self->flash_devs = g_array_new(FALSE, TRUE, sizeof(WfGfhFlashDev));
}

/**
 * wf_gfh_new:
 *
 * Returns: (transfer full): an empty chain
 */
WfGfh *
wf_gfh_new(void)
{
	return g_object_new(WF_TYPE_GFH, NULL);
}

/* -- names ------------------------------------------------------------------- */

/**
 * wf_gfh_type_to_string:
 * @type: a GFH record type
 *
 * Returns: (nullable): e.g. "MAUI_INFO", %NULL if unknown
 */
const gchar *
wf_gfh_type_to_string(guint16 type)
{
	switch (type) {
	case WF_GFH_TYPE_FILE_INFO:
		return "FILE_INFO";
	case WF_GFH_TYPE_BL_INFO:
		return "BL_INFO";
	case WF_GFH_TYPE_ANTI_CLONE:
		return "ANTI_CLONE";
	case WF_GFH_TYPE_BL_SEC_KEY:
		return "BL_SEC_KEY";
	case WF_GFH_TYPE_SCTRL_CERT:
		return "SCTRL_CERT";
	case WF_GFH_TYPE_TOOL_AUTH:
		return "TOOL_AUTH";
	case WF_GFH_TYPE_MTK_RESERVED1:
		return "MTK_RESERVED1";
	case WF_GFH_TYPE_BROM_CFG:
		return "BROM_CFG";
	case WF_GFH_TYPE_BROM_SEC_CFG:
		return "BROM_SEC_CFG";
	case WF_GFH_TYPE_MTK_RESERVED2:
		return "MTK_RESERVED2";
	case WF_GFH_TYPE_MTK_RESERVED3:
		return "MTK_RESERVED3";
	case WF_GFH_TYPE_ROOT_CERT:
		return "ROOT_CERT";
	case WF_GFH_TYPE_EXP_CHK:
		return "EXP_CHK";
	case WF_GFH_TYPE_EPP_PARAM:
		return "EPP_PARAM";
	case WF_GFH_TYPE_CHIP_VER:
		return "CHIP_VER";
	case WF_GFH_TYPE_MTK_RESERVED4:
		return "MTK_RESERVED4";
	case WF_GFH_TYPE_MD_SEC_CFG:
		return "MD_SEC_CFG";
	case WF_GFH_TYPE_EPP_INFO:
		return "EPP_INFO";
	case WF_GFH_TYPE_EMI_LIST:
		return "EMI_LIST";
	case WF_GFH_TYPE_CMEM_ID_INFO:
		return "CMEM_ID_INFO";
	case WF_GFH_TYPE_CMEM_NOR_INFO:
		return "CMEM_NOR_INFO";
	case WF_GFH_TYPE_DSP_INFO:
		return "DSP_INFO";
	case WF_GFH_TYPE_MAUI_INFO:
		return "MAUI_INFO";
	case WF_GFH_TYPE_MAUI_SEC:
		return "MAUI_SEC";
	case WF_GFH_TYPE_MAUI_CODE_KEY:
		return "MAUI_CODE_KEY";
	case WF_GFH_TYPE_MAUI_SECURE_RO_KEY:
		return "MAUI_SECURE_RO_KEY";
	case WF_GFH_TYPE_MAUI_RESOURCE_KEY:
		return "MAUI_RESOURCE_KEY";
	case WF_GFH_TYPE_SECURE_RO_INFO:
		return "SECURE_RO_INFO";
	case WF_GFH_TYPE_DL_PACKAGE_INFO:
		return "DL_PACKAGE_INFO";
	case WF_GFH_TYPE_FLASH_INFO:
		return "FLASH_INFO";
	case WF_GFH_TYPE_MACR_INFO:
		return "MACR_INFO";
	case WF_GFH_TYPE_ARM_BL_INFO:
		return "ARM_BL_INFO";
	case WF_GFH_TYPE_EMMC_BOOTING_INFO:
		return "EMMC_BOOTING_INFO";
	case WF_GFH_TYPE_FOTA_INFO:
		return "FOTA_INFO";
	case WF_GFH_TYPE_CBR_RECORD_INFO:
		return "CBR_RECORD_INFO";
	case WF_GFH_TYPE_CONFIDENTIAL_BIN_INFO:
		return "CONFIDENTIAL_BIN_INFO";
	case WF_GFH_TYPE_CBR_INFO:
		return "CBR_INFO";
	case WF_GFH_TYPE_MBA_INFO:
		return "MBA_INFO";
	case WF_GFH_TYPE_BINARY_LOCATION:
		return "BINARY_LOCATION";
	case WF_GFH_TYPE_BOOT_CERT_CTRL_CONTENT:
		return "BOOT_CERT_CTRL_CONTENT";
	default:
		return NULL;
	}
}

/**
 * wf_gfh_file_type_to_string:
 * @file_type: a FILE_INFO file type
 *
 * Returns: (nullable): e.g. "PRIMARY_MAUI", "CUSTOMER_BIN2" (0x7001),
 * %NULL if unknown
 */
const gchar *
wf_gfh_file_type_to_string(guint16 file_type)
{
	switch (file_type) {
	case WF_GFH_FILE_ARM_BL:
		return "ARM_BL";
	case WF_GFH_FILE_ARM_EXT_BL:
		return "ARM_EXT_BL";
	case WF_GFH_FILE_PRIMARY_MAUI:
		return "PRIMARY_MAUI";
	case WF_GFH_FILE_SECONDARY_MAUI:
		return "SECONDARY_MAUI";
	case WF_GFH_FILE_ON_DEMAND_PAGING:
		return "ON_DEMAND_PAGING";
	case WF_GFH_FILE_THIRD_ROM:
		return "THIRD_ROM";
	case WF_GFH_FILE_VIVA:
		return "VIVA";
	case WF_GFH_FILE_CUSTOM_PACK:
		return "CUSTOM_PACK";
	case WF_GFH_FILE_LANGUAGE_PACK:
		return "LANGUAGE_PACK";
	case WF_GFH_FILE_JUMP_TABLE:
		return "JUMP_TABLE";
	case WF_GFH_FILE_FOTA_UE:
		return "FOTA_UE";
	case WF_GFH_FILE_FILE_SYSTEM:
		return "FILE_SYSTEM";
	default:
		break;
	}
	if (file_type >= WF_GFH_FILE_CUSTOMER_BIN_FIRST &&
	    file_type <= WF_GFH_FILE_CUSTOMER_BIN_LAST) {
		/* at most 256 distinct strings, so interning is bounded */
		g_autofree gchar *name = g_strdup_printf(
			"CUSTOMER_BIN%u", (guint)(file_type - WF_GFH_FILE_CUSTOMER_BIN_FIRST + 1));
		return g_intern_string(name);
	}
	return NULL;
}

/**
 * wf_gfh_flash_dev_to_string:
 * @flash_dev: the FILE_INFO flash_dev byte
 *
 * Returns: (nullable): e.g. "SERIAL_FLASH"
 */
const gchar *
wf_gfh_flash_dev_to_string(guint8 flash_dev)
{
	switch (flash_dev) {
	case 1:
		return "NOR";
	case 4:
		return "NAND";
	case WF_GFH_FLASH_DEV_SF:
		return "SERIAL_FLASH";
	default:
		return NULL;
	}
}

static gchar *
wf_gfh_type_describe(guint16 type)
{
	const gchar *name = wf_gfh_type_to_string(type);
	if (name != NULL)
		return g_strdup_printf("0x%04X (%s)", type, name);
	return g_strdup_printf("0x%04X", type);
}

/* -- little helpers on bounded buffers ------------------------------------------ */

static guint64
wf_gfh_read64(const guint8 *p)
{
	return (guint64)wf_common_read_le32(p) | ((guint64)wf_common_read_le32(p + 4) << 32);
}

static gboolean
wf_gfh_fits(gsize bufsz, gsize offset, gsize len)
{
	return offset <= bufsz && len <= bufsz - offset;
}

/* a NUL-padded text field: printable ASCII only, because these names end
 * up in file names, JSON and the UI */
static gchar *
wf_gfh_read_text(const guint8 *p, gsize maxlen, const gchar *what, gsize offset, GError **error)
{
	gsize len = 0;
	while (len < maxlen && p[len] != '\0')
		len++;
	for (gsize i = 0; i < len; i++) {
		if (p[i] < 0x20 || p[i] > 0x7E) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_DATA,
				    "offset 0x%" G_GSIZE_MODIFIER "x: %s contains byte 0x%02X, "
				    "expected printable text",
				    offset + i,
				    what,
				    p[i]);
			return NULL;
		}
	}
	return g_strndup((const gchar *)p, len);
}

/**
 * wf_gfh_is_file_info:
 * @buf: a buffer
 * @bufsz: its size
 * @offset: where to look
 *
 * Returns: %TRUE if a GFH FILE_INFO record ("MMM", type 0, "FILE_INFO")
 * starts at @offset and fits in the buffer
 */
gboolean
wf_gfh_is_file_info(const guint8 *buf, gsize bufsz, gsize offset)
{
	g_return_val_if_fail(buf != NULL || bufsz == 0, FALSE);
	if (!wf_gfh_fits(bufsz, offset, WF_GFH_FILE_INFO_SIZE))
		return FALSE;
	buf += offset;
	return memcmp(buf, "MMM", 3) == 0 &&
	       wf_common_read_le16(buf + 6) == WF_GFH_TYPE_FILE_INFO &&
	       wf_common_read_le16(buf + 4) >= WF_GFH_FILE_INFO_SIZE &&
	       memcmp(buf + 8, "FILE_INFO", 10) == 0;
}

/**
 * wf_gfh_scan:
 * @buf: a buffer, e.g. a full flash dump
 * @bufsz: its size
 * @start: first offset to try
 * @step: distance between tries (4 for the 4-byte aligned scan of §2.5)
 * @file_type: the FILE_INFO file type wanted, or 0xFFFF for any
 *
 * Returns: the offset of the first matching FILE_INFO, or %G_MAXSIZE
 */
gsize
wf_gfh_scan(const guint8 *buf, gsize bufsz, gsize start, gsize step, guint16 file_type)
{
	g_return_val_if_fail(buf != NULL || bufsz == 0, G_MAXSIZE);
	g_return_val_if_fail(step > 0, G_MAXSIZE);
	for (gsize off = start; off < bufsz && bufsz - off >= WF_GFH_FILE_INFO_SIZE;) {
		if (buf[off] == 'M' && wf_gfh_is_file_info(buf, bufsz, off) &&
		    (file_type == 0xFFFF || wf_common_read_le16(buf + off + 0x18) == file_type))
			return off;
		/* never let off wrap around */
		if (bufsz - off <= step)
			break;
		off += step;
	}
	return G_MAXSIZE;
}

/* -- typed records ------------------------------------------------------------- */

static gboolean
wf_gfh_check_size(WfGfhRecord *rec, gsize needed, GError **error)
{
	if (rec->size < needed) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_DATA,
			    "offset 0x%" G_GSIZE_MODIFIER "x: %s record is 0x%x bytes, expected "
			    "at least 0x%x",
			    rec->offset,
			    wf_gfh_type_to_string(rec->type),
			    rec->size,
			    (guint)needed);
		return FALSE;
	}
	return TRUE;
}

static gboolean
wf_gfh_parse_file_info(WfGfh *self, WfGfhRecord *rec, const guint8 *p, GError **error)
{
	WfGfhFileInfo *fi = &self->file_info;

	if (!wf_gfh_check_size(rec, WF_GFH_FILE_INFO_SIZE, error))
		return FALSE;
	memcpy(fi->identifier, p + 0x08, 12);
	fi->identifier[12] = '\0';
	for (guint i = 0; i < 12 && fi->identifier[i] != '\0'; i++) {
		if (!g_ascii_isprint(fi->identifier[i]))
			fi->identifier[i] = '?';
	}
	if (g_strcmp0(fi->identifier, "FILE_INFO") != 0)
		g_ptr_array_add(self->warnings,
				g_strdup_printf("offset 0x%" G_GSIZE_MODIFIER "x: FILE_INFO "
						"identifier is ‘%s’",
						rec->offset,
						fi->identifier));
	fi->file_ver = wf_common_read_le32(p + 0x14);
	fi->file_type = wf_common_read_le16(p + 0x18);
	fi->flash_dev = p[0x1A];
	fi->sig_type = p[0x1B];
	fi->load_addr = wf_common_read_le32(p + 0x1C);
	fi->file_len = wf_common_read_le32(p + 0x20);
	fi->max_size = wf_common_read_le32(p + 0x24);
	fi->content_offset = wf_common_read_le32(p + 0x28);
	fi->sig_len = wf_common_read_le32(p + 0x2C);
	fi->jump_offset = wf_common_read_le32(p + 0x30);
	fi->attr = wf_common_read_le32(p + 0x34);
	self->has_file_info = TRUE;
	if (fi->content_offset > fi->file_len)
		g_ptr_array_add(
			self->warnings,
			g_strdup_printf("FILE_INFO content_offset 0x%x is past file_len 0x%x",
					fi->content_offset,
					fi->file_len));
	return TRUE;
}

static gboolean
wf_gfh_parse_maui_info(WfGfh *self, WfGfhRecord *rec, const guint8 *p, GError **error)
{
	if (!wf_gfh_check_size(rec, MAUI_INFO_VERNO + MAUI_INFO_VERNO_LEN, error))
		return FALSE;
	g_free(self->bin_name);
	self->bin_name = wf_gfh_read_text(p + MAUI_INFO_BIN_NAME,
					  MAUI_INFO_BIN_LEN,
					  "MAUI_INFO bin name",
					  rec->offset + MAUI_INFO_BIN_NAME,
					  error);
	if (self->bin_name == NULL)
		return FALSE;
	g_free(self->verno);
	self->verno = wf_gfh_read_text(p + MAUI_INFO_VERNO,
				       MAUI_INFO_VERNO_LEN,
				       "MAUI_INFO VERNO",
				       rec->offset + MAUI_INFO_VERNO,
				       error);
	return self->verno != NULL;
}

static gboolean
wf_gfh_parse_counted(
	WfGfhRecord *rec, const guint8 *p, gsize entry_size, guint32 *count, GError **error)
{
	if (!wf_gfh_check_size(rec, 0x10, error))
		return FALSE;
	*count = wf_common_read_le32(p + 0x0C);
	/* the division keeps a hostile count from overflowing */
	if (*count > (gsize)(rec->size - 0x10) / entry_size) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_DATA,
			    "offset 0x%" G_GSIZE_MODIFIER "x: %s lists %u entries of 0x%x bytes "
			    "but the record has room for %u",
			    rec->offset,
			    wf_gfh_type_to_string(rec->type),
			    *count,
			    (guint)entry_size,
			    (guint)((rec->size - 0x10) / entry_size));
		return FALSE;
	}
	return TRUE;
}

static gboolean
wf_gfh_parse_cmem_id(WfGfh *self, WfGfhRecord *rec, const guint8 *p, GError **error)
{
	guint32 count = 0;
	if (!wf_gfh_parse_counted(rec, p, CMEM_ID_ENTRY_SIZE, &count, error))
		return FALSE;
	for (guint i = 0; i < count; i++) {
		const guint8 *e = p + 0x10 + i * CMEM_ID_ENTRY_SIZE;
		WfGfhCmemId id = {.mem_type = e[0], .id_len = e[1]};
		if (id.id_len > sizeof(id.id)) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_DATA,
				    "offset 0x%" G_GSIZE_MODIFIER "x: CMEM_ID_INFO entry %u has "
				    "id_len %u, at most 8 allowed",
				    rec->offset + 0x10 + i * CMEM_ID_ENTRY_SIZE,
				    i,
				    id.id_len);
			return FALSE;
		}
		memcpy(id.id, e + 2, sizeof(id.id));
		g_array_append_val(self->cmem_ids, id);
	}
	return TRUE;
}

static gboolean
wf_gfh_parse_cmem_nor(WfGfh *self, WfGfhRecord *rec, const guint8 *p, GError **error)
{
	guint32 count = 0;
	if (!wf_gfh_parse_counted(rec, p, CMEM_NOR_ENTRY_SIZE, &count, error))
		return FALSE;
	for (guint i = 0; i < count; i++) {
		const guint8 *e = p + 0x10 + i * CMEM_NOR_ENTRY_SIZE;
		WfGfhCmemNor nor = {
			.total_size = wf_common_read_le32(e),
			.sector_size = wf_common_read_le32(e + 0x0C),
		};
		g_array_append_val(self->cmem_nor, nor);
	}
	return TRUE;
}

/* FLASH_INFO v1, as laid out in the SIM868 ROM: 8 bytes of FDM/DAL version
 * text (NAND builds only, zero here), a u32 (3 in the sample: the device
 * count), then one 16-byte entry per device class – NOR, NAND, eMMC – with
 * the file-system base and length. The Download Agent's F0 command reports
 * the same three pairs (protocol.md §5.12). */
static gboolean
wf_gfh_parse_flash_info(WfGfh *self, WfGfhRecord *rec, const guint8 *p, GError **error)
{
	guint32 count;
	guint room;

	if (!wf_gfh_check_size(rec, FLASH_INFO_DEVS, error))
		return FALSE;
	count = wf_common_read_le32(p + 0x10);
	room = (rec->size - FLASH_INFO_DEVS) / FLASH_INFO_DEV_SIZE;
	if (count > room || count > FLASH_INFO_MAX_DEVS) {
		g_ptr_array_add(self->warnings,
				g_strdup_printf("offset 0x%" G_GSIZE_MODIFIER "x: FLASH_INFO "
						"device count %u, reading %u",
						rec->offset,
						count,
						MIN(room, (guint)FLASH_INFO_MAX_DEVS)));
		count = MIN(room, (guint)FLASH_INFO_MAX_DEVS);
	}
	for (guint i = 0; i < count; i++) {
		const guint8 *e = p + FLASH_INFO_DEVS + i * FLASH_INFO_DEV_SIZE;
		WfGfhFlashDev dev = {
			.manu_id = wf_common_read_le16(e),
			.dev_id = wf_common_read_le16(e + 2),
			.ext_dev_id1 = wf_common_read_le16(e + 4),
			.ext_dev_id2 = wf_common_read_le16(e + 6),
			.fat_begin = wf_common_read_le32(e + 8),
			.fat_length = wf_common_read_le32(e + 12),
		};
		g_array_append_val(self->flash_devs, dev);
	}
	return TRUE;
}

static gboolean
wf_gfh_parse_typed(WfGfh *self, WfGfhRecord *rec, GError **error)
{
	const guint8 *p = g_bytes_get_data(rec->data, NULL);

	switch (rec->type) {
	case WF_GFH_TYPE_FILE_INFO:
		return wf_gfh_parse_file_info(self, rec, p, error);
	case WF_GFH_TYPE_MAUI_INFO:
		return wf_gfh_parse_maui_info(self, rec, p, error);
	case WF_GFH_TYPE_CMEM_ID_INFO:
		return wf_gfh_parse_cmem_id(self, rec, p, error);
	case WF_GFH_TYPE_CMEM_NOR_INFO:
		return wf_gfh_parse_cmem_nor(self, rec, p, error);
	case WF_GFH_TYPE_FLASH_INFO:
		return wf_gfh_parse_flash_info(self, rec, p, error);
	default:
		/* BL_INFO, ARM_BL_INFO, EMI_LIST, BROM_CFG, CBR_INFO …: kept raw */
		return TRUE;
	}
}

/* -- the chain ---------------------------------------------------------------- */

static gboolean
wf_gfh_parse_chain(WfGfh *self, GBytes *blob, const guint8 *buf, gsize end, GError **error)
{
	gsize pos = self->offset;

	while (pos < end) {
		g_autoptr(WfGfhRecord) rec = NULL;
		g_autofree gchar *what = NULL;
		guint16 size;
		guint16 type;

		if (buf[pos] != 'M')
			break;
		if (end - pos < 8 || memcmp(buf + pos, "MMM", 3) != 0) {
			if (self->records->len == 0) {
				g_set_error(error,
					    WF_ERROR,
					    WF_ERROR_INVALID_FILE,
					    "offset 0x%" G_GSIZE_MODIFIER
					    "x: no GFH header (expected "
					    "‘MMM’ and 8 bytes)",
					    pos);
				return FALSE;
			}
			break;
		}
		size = wf_common_read_le16(buf + pos + 4);
		type = wf_common_read_le16(buf + pos + 6);
		what = wf_gfh_type_describe(type);
		/* a record shorter than its header would never advance */
		if (size < 8) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_DATA,
				    "offset 0x%" G_GSIZE_MODIFIER "x: GFH record %s has size %u, "
				    "smaller than its 8-byte header",
				    pos,
				    what,
				    size);
			return FALSE;
		}
		if (size > end - pos) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_DATA,
				    "offset 0x%" G_GSIZE_MODIFIER "x: GFH record %s of 0x%x bytes "
				    "runs past the end of the chain (0x%" G_GSIZE_MODIFIER
				    "x bytes left)",
				    pos,
				    what,
				    size,
				    end - pos);
			return FALSE;
		}
		if (self->records->len == 0 && type != WF_GFH_TYPE_FILE_INFO) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_FILE,
				    "offset 0x%" G_GSIZE_MODIFIER "x: first GFH record is %s, "
				    "expected FILE_INFO",
				    pos,
				    what);
			return FALSE;
		}
		if (self->records->len >= WF_GFH_MAX_RECORDS) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_DATA,
				    "offset 0x%" G_GSIZE_MODIFIER "x: more than %u GFH records",
				    pos,
				    (guint)WF_GFH_MAX_RECORDS);
			return FALSE;
		}
		rec = g_new0(WfGfhRecord, 1);
		rec->offset = pos;
		rec->version = buf[pos + 3];
		rec->size = size;
		rec->type = type;
		rec->data = g_bytes_new_from_bytes(blob, pos, size);
		if (!wf_gfh_parse_typed(self, rec, error))
			return FALSE;
		g_ptr_array_add(self->records, g_steal_pointer(&rec));
		pos += size;

		/* FILE_INFO says where the chain ends; the bytes after it are
		 * content and may well start with 'M' */
		if (self->has_file_info &&
		    self->file_info.content_offset >= WF_GFH_FILE_INFO_SIZE &&
		    self->file_info.content_offset <= end - self->offset) {
			gsize content = self->offset + self->file_info.content_offset;
			if (pos == content)
				break;
			if (pos > content) {
				g_set_error(error,
					    WF_ERROR,
					    WF_ERROR_INVALID_DATA,
					    "offset 0x%" G_GSIZE_MODIFIER
					    "x: GFH record %s crosses "
					    "the chain end 0x%x declared by FILE_INFO",
					    pos - size,
					    what,
					    self->file_info.content_offset);
				return FALSE;
			}
		}
	}
	self->chain_size = pos - self->offset;
	return TRUE;
}

/**
 * wf_gfh_parse:
 * @self: a #WfGfh
 * @blob: a buffer, e.g. a ROM file or a full flash dump
 * @offset: where the chain starts in @blob
 * @limit: the most bytes the chain may span, 0 for %WF_GFH_MAX_CHAIN_SIZE
 * @error: (nullable): return location
 *
 * Reads records until the first byte that is not 'M', the FILE_INFO
 * content_offset, the end of @blob or @limit. The first record must be
 * FILE_INFO. Known records are decoded; every record is kept raw.
 *
 * Returns: %TRUE on success; on failure @self is left empty
 */
gboolean
wf_gfh_parse(WfGfh *self, GBytes *blob, gsize offset, gsize limit, GError **error)
{
	gsize bufsz = 0;
	const guint8 *buf;
	gsize end;

	g_return_val_if_fail(WF_IS_GFH(self), FALSE);
	g_return_val_if_fail(blob != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	wf_gfh_reset(self);
	buf = g_bytes_get_data(blob, &bufsz);
	if (offset >= bufsz) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "offset 0x%" G_GSIZE_MODIFIER
			    "x: past the end of the data (0x%" G_GSIZE_MODIFIER "x bytes)",
			    offset,
			    bufsz);
		return FALSE;
	}
	if (limit == 0 || limit > WF_GFH_MAX_CHAIN_SIZE)
		limit = WF_GFH_MAX_CHAIN_SIZE;
	end = offset + MIN(limit, bufsz - offset);
	self->offset = offset;
	if (!wf_gfh_parse_chain(self, blob, buf, end, error)) {
		wf_gfh_reset(self);
		return FALSE;
	}
	if (self->records->len == 0) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "offset 0x%" G_GSIZE_MODIFIER "x: no GFH header (expected ‘MMM’)",
			    offset);
		wf_gfh_reset(self);
		return FALSE;
	}
	if (self->chain_size != self->file_info.content_offset)
		g_ptr_array_add(self->warnings,
				g_strdup_printf("the chain is 0x%" G_GSIZE_MODIFIER "x bytes but "
						"FILE_INFO content_offset says 0x%x",
						self->chain_size,
						self->file_info.content_offset));
	return TRUE;
}

/**
 * wf_gfh_new_from_bytes:
 * @blob: a buffer
 * @offset: where the chain starts
 * @error: (nullable): return location
 *
 * Returns: (transfer full): the parsed chain, or %NULL
 */
WfGfh *
wf_gfh_new_from_bytes(GBytes *blob, gsize offset, GError **error)
{
	g_autoptr(WfGfh) self = wf_gfh_new();
	g_return_val_if_fail(blob != NULL, NULL);
	if (!wf_gfh_parse(self, blob, offset, 0, error))
		return NULL;
	return g_steal_pointer(&self);
}

/* -- getters --------------------------------------------------------------------- */

/**
 * wf_gfh_get_offset:
 * @self: a #WfGfh
 *
 * Returns: where the chain starts in the parsed buffer
 */
gsize
wf_gfh_get_offset(WfGfh *self)
{
	g_return_val_if_fail(WF_IS_GFH(self), 0);
	return self->offset;
}

/**
 * wf_gfh_get_chain_size:
 * @self: a #WfGfh
 *
 * Returns: bytes covered by the records (normally FILE_INFO content_offset)
 */
gsize
wf_gfh_get_chain_size(WfGfh *self)
{
	g_return_val_if_fail(WF_IS_GFH(self), 0);
	return self->chain_size;
}

/**
 * wf_gfh_get_records:
 * @self: a #WfGfh
 *
 * Returns: (transfer none) (element-type WfGfhRecord): every record, in order
 */
GPtrArray *
wf_gfh_get_records(WfGfh *self)
{
	g_return_val_if_fail(WF_IS_GFH(self), NULL);
	return self->records;
}

/**
 * wf_gfh_get_record:
 * @self: a #WfGfh
 * @type: a #WfGfhType
 *
 * Returns: (transfer none) (nullable): the first record of that type
 */
WfGfhRecord *
wf_gfh_get_record(WfGfh *self, guint16 type)
{
	g_return_val_if_fail(WF_IS_GFH(self), NULL);
	for (guint i = 0; i < self->records->len; i++) {
		WfGfhRecord *rec = g_ptr_array_index(self->records, i);
		if (rec->type == type)
			return rec;
	}
	return NULL;
}

/**
 * wf_gfh_get_warnings:
 * @self: a #WfGfh
 *
 * Returns: (transfer none) (element-type utf8): inconsistencies that did not
 * stop the parse
 */
GPtrArray *
wf_gfh_get_warnings(WfGfh *self)
{
	g_return_val_if_fail(WF_IS_GFH(self), NULL);
	return self->warnings;
}

/**
 * wf_gfh_get_file_info:
 * @self: a #WfGfh
 *
 * Returns: (nullable): the FILE_INFO record, %NULL before a successful parse
 */
const WfGfhFileInfo *
wf_gfh_get_file_info(WfGfh *self)
{
	g_return_val_if_fail(WF_IS_GFH(self), NULL);
	return self->has_file_info ? &self->file_info : NULL;
}

/**
 * wf_gfh_get_bin_name:
 * @self: a #WfGfh
 *
 * Returns: (nullable): the MAUI_INFO bin name, e.g.
 * "SIM868M32_EAT_PCB01_gprs_MT6261_S00.1418B01SIM868M32_EAT.bin"
 */
const gchar *
wf_gfh_get_bin_name(WfGfh *self)
{
	g_return_val_if_fail(WF_IS_GFH(self), NULL);
	return self->bin_name;
}

/**
 * wf_gfh_get_verno:
 * @self: a #WfGfh
 *
 * Returns: (nullable): the MAUI_INFO VERNO, e.g. "1418B01SIM868M32_EAT"
 */
const gchar *
wf_gfh_get_verno(WfGfh *self)
{
	g_return_val_if_fail(WF_IS_GFH(self), NULL);
	return self->verno;
}

/**
 * wf_gfh_get_cmem_ids:
 * @self: a #WfGfh
 *
 * Returns: (transfer none) (element-type WfGfhCmemId): the supported flash
 * chips from CMEM_ID_INFO, empty if there is none
 */
GArray *
wf_gfh_get_cmem_ids(WfGfh *self)
{
	g_return_val_if_fail(WF_IS_GFH(self), NULL);
	return self->cmem_ids;
}

/**
 * wf_gfh_get_cmem_nor:
 * @self: a #WfGfh
 *
 * Returns: (transfer none) (element-type WfGfhCmemNor): CMEM_NOR_INFO entries
 */
GArray *
wf_gfh_get_cmem_nor(WfGfh *self)
{
	g_return_val_if_fail(WF_IS_GFH(self), NULL);
	return self->cmem_nor;
}

/**
 * wf_gfh_get_flash_devs:
 * @self: a #WfGfh
 *
 * Returns: (transfer none) (element-type WfGfhFlashDev): FLASH_INFO entries
 */
GArray *
wf_gfh_get_flash_devs(WfGfh *self)
{
	g_return_val_if_fail(WF_IS_GFH(self), NULL);
	return self->flash_devs;
}

/**
 * wf_gfh_get_fs_region:
 * @self: a #WfGfh
 * @base: (out) (optional): flash offset of the file system
 * @size: (out) (optional): its length
 *
 * The NOR/serial-flash file system (NVRAM, IMEI, calibration, pairings)
 * from FLASH_INFO entry 0.
 *
 * Returns: %TRUE if the chain has a non-empty one
 */
gboolean
wf_gfh_get_fs_region(WfGfh *self, guint32 *base, guint32 *size)
{
	WfGfhFlashDev *dev;
	g_return_val_if_fail(WF_IS_GFH(self), FALSE);
	if (self->flash_devs->len == 0)
		return FALSE;
	dev = &g_array_index(self->flash_devs, WfGfhFlashDev, 0);
	if (dev->fat_length == 0 || dev->fat_length == 0xFFFFFFFF)
		return FALSE;
	if (base != NULL)
		*base = dev->fat_begin;
	if (size != NULL)
		*size = dev->fat_length;
	return TRUE;
}

/* -- VIVA parts -------------------------------------------------------------------- */

/**
 * wf_gfh_zimage_parse:
 * @buf: a buffer
 * @bufsz: its size
 * @offset: where the ZIMAGE (or BOOT_ZIMAGE) header starts
 * @error: (nullable): return location
 *
 * Reads the partition table: u32 count, then per partition type, source
 * offset (from the header), source size, destination offset and size. The
 * 13-byte LZMA-alone header of each partition is decoded when it is inside
 * @buf.
 *
 * Returns: (transfer full) (element-type WfGfhZimagePartition): the partitions
 */
GArray *
wf_gfh_zimage_parse(const guint8 *buf, gsize bufsz, gsize offset, GError **error)
{
	g_autoptr(GArray) parts = g_array_new(FALSE, TRUE, sizeof(WfGfhZimagePartition));
	guint32 count;

	g_return_val_if_fail(buf != NULL || bufsz == 0, NULL);

	if (!wf_gfh_fits(bufsz, offset, 4)) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_DATA,
			    "offset 0x%" G_GSIZE_MODIFIER "x: ZIMAGE header is past the end of the "
			    "data",
			    offset);
		return NULL;
	}
	count = wf_common_read_le32(buf + offset);
	if (count == 0 || count > WF_GFH_ZIMAGE_MAX_PARTS) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_DATA,
			    "offset 0x%" G_GSIZE_MODIFIER "x: ZIMAGE partition count %u, expected "
			    "1 to %u",
			    offset,
			    count,
			    (guint)WF_GFH_ZIMAGE_MAX_PARTS);
		return NULL;
	}
	if (!wf_gfh_fits(bufsz, offset + 4, (gsize)count * 20)) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_DATA,
			    "offset 0x%" G_GSIZE_MODIFIER "x: ZIMAGE table of %u partitions runs "
			    "past the end of the data",
			    offset,
			    count);
		return NULL;
	}
	for (guint i = 0; i < count; i++) {
		const guint8 *e = buf + offset + 4 + i * 20;
		WfGfhZimagePartition part = {
			.type = wf_common_read_le32(e),
			.src_offset = wf_common_read_le32(e + 4),
			.src_size = wf_common_read_le32(e + 8),
			.dst_offset = wf_common_read_le32(e + 12),
			.dst_size = wf_common_read_le32(e + 16),
		};
		if (part.src_size < LZMA_ALONE_HDR_SIZE) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_DATA,
				    "offset 0x%" G_GSIZE_MODIFIER "x: ZIMAGE partition %u has "
				    "source size %u, smaller than an LZMA header",
				    offset + 4 + i * 20,
				    i,
				    part.src_size);
			return NULL;
		}
		if ((gsize)part.src_offset <= G_MAXSIZE - offset &&
		    wf_gfh_fits(bufsz, offset + part.src_offset, LZMA_ALONE_HDR_SIZE)) {
			const guint8 *l = buf + offset + part.src_offset;
			part.has_lzma = TRUE;
			part.lzma_props = l[0];
			part.lzma_dict_size = wf_common_read_le32(l + 1);
			part.lzma_unpacked_size = wf_gfh_read64(l + 5);
		}
		g_array_append_val(parts, part);
	}
	return g_steal_pointer(&parts);
}

void
wf_gfh_dcm_free(WfGfhDcm *dcm)
{
	if (dcm == NULL)
		return;
	if (dcm->images != NULL)
		g_array_unref(dcm->images);
	g_free(dcm);
}

static void
wf_gfh_copy_id(gchar *dst, const guint8 *src, gsize len)
{
	/* ids are for display only: replace what is not printable */
	for (gsize i = 0; i < len; i++) {
		if (src[i] == '\0') {
			dst[i] = '\0';
			return;
		}
		dst[i] = g_ascii_isprint(src[i]) ? (gchar)src[i] : '?';
	}
	dst[len] = '\0';
}

/**
 * wf_gfh_dcm_parse:
 * @buf: a buffer
 * @bufsz: its size
 * @offset: where the "DCMG" "BODY" header starts
 * @error: (nullable): return location
 *
 * Returns: (transfer full): the DCM (dynamic code manager) header and its
 * image table, or %NULL
 */
WfGfhDcm *
wf_gfh_dcm_parse(const guint8 *buf, gsize bufsz, gsize offset, GError **error)
{
	g_autoptr(WfGfhDcm) dcm = NULL;
	const guint8 *p;
	guint32 count;

	g_return_val_if_fail(buf != NULL || bufsz == 0, NULL);

	if (!wf_gfh_fits(bufsz, offset, WF_GFH_DCM_HEADER_SIZE)) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_DATA,
			    "offset 0x%" G_GSIZE_MODIFIER
			    "x: DCM header (0x%x bytes) runs past the "
			    "end of the data",
			    offset,
			    (guint)WF_GFH_DCM_HEADER_SIZE);
		return NULL;
	}
	p = buf + offset;
	if (memcmp(p, "DCMGBODY", 8) != 0) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_DATA,
			    "offset 0x%" G_GSIZE_MODIFIER "x: expected the DCM magic ‘DCMGBODY’",
			    offset);
		return NULL;
	}
	count = wf_common_read_le32(p + 0x88);
	if (count > WF_GFH_DCM_MAX_IMAGES ||
	    !wf_gfh_fits(bufsz, offset + WF_GFH_DCM_HEADER_SIZE, (gsize)count * 20)) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_DATA,
			    "offset 0x%" G_GSIZE_MODIFIER "x: DCM image count %u does not fit in "
			    "the data (at most %u)",
			    offset + 0x88,
			    count,
			    (guint)WF_GFH_DCM_MAX_IMAGES);
		return NULL;
	}
	dcm = g_new0(WfGfhDcm, 1);
	wf_gfh_copy_id(dcm->project_id, p + 0x08, 64);
	wf_gfh_copy_id(dcm->platform_id, p + 0x48, 64);
	dcm->images = g_array_new(FALSE, TRUE, sizeof(WfGfhDcmImage));
	for (guint i = 0; i < count; i++) {
		const guint8 *e = p + WF_GFH_DCM_HEADER_SIZE + i * 20;
		WfGfhDcmImage img = {
			.image_id = wf_common_read_le16(e),
			.pool = e[2],
			.group = e[3],
			.exec_base = wf_common_read_le32(e + 4),
			.decompressed_size = wf_common_read_le32(e + 8),
			.compressed_size = wf_common_read_le32(e + 12),
			.file_position = wf_common_read_le32(e + 16),
		};
		g_array_append_val(dcm->images, img);
	}
	return g_steal_pointer(&dcm);
}

/**
 * wf_gfh_alice_parse:
 * @buf: a buffer
 * @bufsz: its size
 * @offset: where "ALICE_1"/"ALICE_2" starts
 * @alice: (out caller-allocates): the header
 * @error: (nullable): return location
 *
 * Returns: %TRUE if an ALICE header was decoded
 */
gboolean
wf_gfh_alice_parse(const guint8 *buf, gsize bufsz, gsize offset, WfGfhAlice *alice, GError **error)
{
	const guint8 *p;
	gsize avail;

	g_return_val_if_fail(buf != NULL || bufsz == 0, FALSE);
	g_return_val_if_fail(alice != NULL, FALSE);

	memset(alice, 0, sizeof(*alice));
	if (!wf_gfh_fits(bufsz, offset, 36)) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_DATA,
			    "offset 0x%" G_GSIZE_MODIFIER "x: ALICE header (36 or 40 bytes) runs "
			    "past the end of the data",
			    offset);
		return FALSE;
	}
	p = buf + offset;
	avail = bufsz - offset;
	if (memcmp(p, "ALICE_", 6) != 0 || (p[6] != '1' && p[6] != '2') || p[7] != '\0') {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_DATA,
			    "offset 0x%" G_GSIZE_MODIFIER "x: expected ‘ALICE_1’ or ‘ALICE_2’",
			    offset);
		return FALSE;
	}
	alice->version = p[6] - '0';
	alice->base = wf_common_read_le32(p + 8);
	alice->map_addr = wf_common_read_le32(p + 12);
	alice->dict_addr = wf_common_read_le32(p + 16);
	for (guint i = 0; i < G_N_ELEMENTS(alice->ranges); i++)
		alice->ranges[i] = wf_common_read_le16(p + 20 + i * 2);
	alice->reserved = wf_common_read_le16(p + 34);
	alice->header_size = 36;
	/* ALICE_2 always carries block size and terminator; ALICE_1 may not */
	if (avail >= WF_GFH_ALICE_HEADER_SIZE &&
	    (alice->version == 2 || wf_common_read_le16(p + 38) == 0xFFFF)) {
		alice->block_size = wf_common_read_le16(p + 36);
		alice->terminator = wf_common_read_le16(p + 38);
		alice->header_size = WF_GFH_ALICE_HEADER_SIZE;
	} else if (alice->version == 2) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_DATA,
			    "offset 0x%" G_GSIZE_MODIFIER "x: ALICE_2 header needs 40 bytes, "
			    "0x%" G_GSIZE_MODIFIER "x left",
			    offset,
			    avail);
		return FALSE;
	}
	for (guint i = 0; i < G_N_ELEMENTS(alice->ranges); i++) {
		/* bit widths of dictionary indexes; a wider one means garbage */
		if (alice->ranges[i] > 16) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_DATA,
				    "offset 0x%" G_GSIZE_MODIFIER "x: ALICE range register %u is "
				    "%u bits, at most 16 expected",
				    offset + 20 + i * 2,
				    i,
				    alice->ranges[i]);
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean
wf_gfh_viva_part_offset(WfGfh *self, guint32 addr, const gchar *what, gsize bufsz, gsize *offset)
{
	guint32 rel;
	if (addr == 0)
		return FALSE;
	if (addr < self->viva_info.viva_base ||
	    addr - self->viva_info.viva_base >= self->file_info.file_len) {
		g_ptr_array_add(self->warnings,
				g_strdup_printf("VIVA %s address 0x%08X is outside the VIVA file "
						"(0x%08X + 0x%x)",
						what,
						addr,
						self->viva_info.viva_base,
						self->file_info.file_len));
		return FALSE;
	}
	rel = addr - self->viva_info.viva_base;
	if ((gsize)rel >= bufsz - self->offset) {
		/* a header slice or a partial file: not an error */
		g_ptr_array_add(self->warnings,
				g_strdup_printf("VIVA %s at file offset 0x%x is not in the data",
						what,
						rel));
		return FALSE;
	}
	*offset = self->offset + rel;
	return TRUE;
}

/**
 * wf_gfh_parse_viva:
 * @self: a #WfGfh parsed from @blob with a VIVA FILE_INFO
 * @blob: the same buffer given to wf_gfh_parse()
 * @error: (nullable): return location
 *
 * Decodes VIVAInfo (five addresses) at content_offset, then those of the
 * ZIMAGE, BOOT_ZIMAGE, DCM and ALICE headers that lie inside @blob. A part
 * outside @blob is a warning, a malformed part an error.
 *
 * Returns: %TRUE on success
 */
gboolean
wf_gfh_parse_viva(WfGfh *self, GBytes *blob, GError **error)
{
	gsize bufsz = 0;
	const guint8 *buf;
	gsize info_off;
	gsize off = 0;

	g_return_val_if_fail(WF_IS_GFH(self), FALSE);
	g_return_val_if_fail(blob != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	wf_gfh_clear_viva(self);
	buf = g_bytes_get_data(blob, &bufsz);
	if (!self->has_file_info || self->file_info.file_type != WF_GFH_FILE_VIVA) {
		g_set_error_literal(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_FILE,
				    "not a VIVA file: FILE_INFO file_type is not 0x0108");
		return FALSE;
	}
	info_off = self->offset + self->file_info.content_offset;
	if (self->offset > bufsz || !wf_gfh_fits(bufsz, info_off, VIVA_INFO_SIZE)) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_DATA,
			    "offset 0x%" G_GSIZE_MODIFIER
			    "x: VIVAInfo (20 bytes) runs past the end "
			    "of the data",
			    info_off);
		return FALSE;
	}
	self->viva_info.viva_base = wf_common_read_le32(buf + info_off);
	self->viva_info.zimage_base = wf_common_read_le32(buf + info_off + 4);
	self->viva_info.boot_zimage_base = wf_common_read_le32(buf + info_off + 8);
	self->viva_info.dcmcmp_base = wf_common_read_le32(buf + info_off + 12);
	self->viva_info.alice_base = wf_common_read_le32(buf + info_off + 16);
	self->has_viva_info = TRUE;
	if (self->viva_info.viva_base != self->file_info.load_addr)
		g_ptr_array_add(self->warnings,
				g_strdup_printf("VIVAInfo viva_base 0x%08X differs from the "
						"FILE_INFO load address 0x%08X",
						self->viva_info.viva_base,
						self->file_info.load_addr));

	if (wf_gfh_viva_part_offset(self, self->viva_info.zimage_base, "ZIMAGE", bufsz, &off)) {
		self->zimage = wf_gfh_zimage_parse(buf, bufsz, off, error);
		if (self->zimage == NULL)
			return FALSE;
	}
	if (wf_gfh_viva_part_offset(
		    self, self->viva_info.boot_zimage_base, "BOOT_ZIMAGE", bufsz, &off)) {
		self->boot_zimage = wf_gfh_zimage_parse(buf, bufsz, off, error);
		if (self->boot_zimage == NULL)
			return FALSE;
	}
	if (wf_gfh_viva_part_offset(self, self->viva_info.dcmcmp_base, "DCM", bufsz, &off)) {
		self->dcm = wf_gfh_dcm_parse(buf, bufsz, off, error);
		if (self->dcm == NULL)
			return FALSE;
	}
	if (wf_gfh_viva_part_offset(self, self->viva_info.alice_base, "ALICE", bufsz, &off)) {
		if (!wf_gfh_alice_parse(buf, bufsz, off, &self->alice, error))
			return FALSE;
		self->has_alice = TRUE;
		if (self->alice.base != self->viva_info.alice_base + self->alice.header_size)
			g_ptr_array_add(
				self->warnings,
				g_strdup_printf("ALICE stream base 0x%08X is not right after its "
						"header (0x%08X)",
						self->alice.base,
						self->viva_info.alice_base +
							self->alice.header_size));
	}
	return TRUE;
}

/**
 * wf_gfh_get_viva_info:
 * @self: a #WfGfh
 *
 * Returns: (nullable): VIVAInfo after wf_gfh_parse_viva()
 */
const WfGfhVivaInfo *
wf_gfh_get_viva_info(WfGfh *self)
{
	g_return_val_if_fail(WF_IS_GFH(self), NULL);
	return self->has_viva_info ? &self->viva_info : NULL;
}

/**
 * wf_gfh_get_zimage:
 * @self: a #WfGfh
 *
 * Returns: (transfer none) (nullable) (element-type WfGfhZimagePartition):
 * ZIMAGE partitions, %NULL if absent or outside the data
 */
GArray *
wf_gfh_get_zimage(WfGfh *self)
{
	g_return_val_if_fail(WF_IS_GFH(self), NULL);
	return self->zimage;
}

/**
 * wf_gfh_get_boot_zimage:
 * @self: a #WfGfh
 *
 * Returns: (transfer none) (nullable) (element-type WfGfhZimagePartition):
 * BOOT_ZIMAGE partitions
 */
GArray *
wf_gfh_get_boot_zimage(WfGfh *self)
{
	g_return_val_if_fail(WF_IS_GFH(self), NULL);
	return self->boot_zimage;
}

/**
 * wf_gfh_get_dcm:
 * @self: a #WfGfh
 *
 * Returns: (nullable): the DCM header
 */
const WfGfhDcm *
wf_gfh_get_dcm(WfGfh *self)
{
	g_return_val_if_fail(WF_IS_GFH(self), NULL);
	return self->dcm;
}

/**
 * wf_gfh_get_alice:
 * @self: a #WfGfh
 *
 * Returns: (nullable): the ALICE header
 */
const WfGfhAlice *
wf_gfh_get_alice(WfGfh *self)
{
	g_return_val_if_fail(WF_IS_GFH(self), NULL);
	return self->has_alice ? &self->alice : NULL;
}

/* -- JSON --------------------------------------------------------------------------- */

static void
wf_gfh_json_hex(JsonBuilder *builder, const gchar *name, guint64 value, guint width)
{
	g_autofree gchar *hex = g_strdup_printf("0x%0*" G_GINT64_MODIFIER "X", (int)width, value);
	json_builder_set_member_name(builder, name);
	json_builder_add_string_value(builder, hex);
}

static void
wf_gfh_json_string(JsonBuilder *builder, const gchar *name, const gchar *value)
{
	if (value == NULL)
		return;
	json_builder_set_member_name(builder, name);
	json_builder_add_string_value(builder, value);
}

static void
wf_gfh_json_file_info(JsonBuilder *builder, const WfGfhFileInfo *fi)
{
	json_builder_begin_object(builder);
	wf_gfh_json_string(builder, "identifier", fi->identifier);
	json_builder_set_member_name(builder, "file_ver");
	json_builder_add_int_value(builder, fi->file_ver);
	wf_gfh_json_hex(builder, "file_type", fi->file_type, 4);
	wf_gfh_json_string(builder, "file_type_name", wf_gfh_file_type_to_string(fi->file_type));
	json_builder_set_member_name(builder, "flash_dev");
	json_builder_add_int_value(builder, fi->flash_dev);
	wf_gfh_json_string(builder, "flash_dev_name", wf_gfh_flash_dev_to_string(fi->flash_dev));
	json_builder_set_member_name(builder, "sig_type");
	json_builder_add_int_value(builder, fi->sig_type);
	wf_gfh_json_hex(builder, "load_addr", fi->load_addr, 8);
	wf_gfh_json_hex(builder, "file_len", fi->file_len, 1);
	wf_gfh_json_hex(builder, "max_size", fi->max_size, 8);
	wf_gfh_json_hex(builder, "content_offset", fi->content_offset, 1);
	wf_gfh_json_hex(builder, "sig_len", fi->sig_len, 1);
	wf_gfh_json_hex(builder, "jump_offset", fi->jump_offset, 1);
	wf_gfh_json_hex(builder, "attr", fi->attr, 1);
	json_builder_end_object(builder);
}

/**
 * wf_gfh_file_info_to_json:
 * @info: a FILE_INFO
 *
 * Returns: (transfer full): the fields as a JSON object
 */
JsonNode *
wf_gfh_file_info_to_json(const WfGfhFileInfo *info)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();
	g_return_val_if_fail(info != NULL, NULL);
	wf_gfh_json_file_info(builder, info);
	return json_builder_get_root(builder);
}

static gchar *
wf_gfh_hex_bytes(const guint8 *p, gsize len)
{
	GString *str = g_string_sized_new(len * 3);
	for (gsize i = 0; i < len; i++)
		g_string_append_printf(str, "%s%02X", i > 0 ? " " : "", p[i]);
	return g_string_free(str, FALSE);
}

static void
wf_gfh_json_records(JsonBuilder *builder, WfGfh *self)
{
	json_builder_set_member_name(builder, "records");
	json_builder_begin_array(builder);
	for (guint i = 0; i < self->records->len; i++) {
		WfGfhRecord *rec = g_ptr_array_index(self->records, i);
		json_builder_begin_object(builder);
		wf_gfh_json_hex(builder, "offset", rec->offset, 1);
		wf_gfh_json_hex(builder, "type", rec->type, 4);
		wf_gfh_json_string(builder, "type_name", wf_gfh_type_to_string(rec->type));
		json_builder_set_member_name(builder, "version");
		json_builder_add_int_value(builder, rec->version);
		wf_gfh_json_hex(builder, "size", rec->size, 1);
		json_builder_end_object(builder);
	}
	json_builder_end_array(builder);
}

static void
wf_gfh_json_ids(JsonBuilder *builder, WfGfh *self)
{
	json_builder_set_member_name(builder, "cmem_ids");
	json_builder_begin_array(builder);
	for (guint i = 0; i < self->cmem_ids->len; i++) {
		WfGfhCmemId *id = &g_array_index(self->cmem_ids, WfGfhCmemId, i);
		g_autofree gchar *hex = wf_gfh_hex_bytes(id->id, id->id_len);
		json_builder_begin_object(builder);
		json_builder_set_member_name(builder, "mem_type");
		json_builder_add_int_value(builder, id->mem_type);
		json_builder_set_member_name(builder, "id_len");
		json_builder_add_int_value(builder, id->id_len);
		wf_gfh_json_string(builder, "jedec_id", hex);
		json_builder_end_object(builder);
	}
	json_builder_end_array(builder);
	json_builder_set_member_name(builder, "cmem_nor");
	json_builder_begin_array(builder);
	for (guint i = 0; i < self->cmem_nor->len; i++) {
		WfGfhCmemNor *nor = &g_array_index(self->cmem_nor, WfGfhCmemNor, i);
		json_builder_begin_object(builder);
		wf_gfh_json_hex(builder, "total_size", nor->total_size, 1);
		wf_gfh_json_hex(builder, "sector_size", nor->sector_size, 1);
		json_builder_end_object(builder);
	}
	json_builder_end_array(builder);
}

static void
wf_gfh_json_zimage(JsonBuilder *builder, const gchar *name, GArray *parts)
{
	if (parts == NULL)
		return;
	json_builder_set_member_name(builder, name);
	json_builder_begin_array(builder);
	for (guint i = 0; i < parts->len; i++) {
		WfGfhZimagePartition *p = &g_array_index(parts, WfGfhZimagePartition, i);
		json_builder_begin_object(builder);
		json_builder_set_member_name(builder, "type");
		json_builder_add_int_value(builder, p->type);
		wf_gfh_json_hex(builder, "src_offset", p->src_offset, 1);
		wf_gfh_json_hex(builder, "src_size", p->src_size, 1);
		wf_gfh_json_hex(builder, "dst_offset", p->dst_offset, 1);
		wf_gfh_json_hex(builder, "dst_size", p->dst_size, 1);
		if (p->has_lzma) {
			wf_gfh_json_hex(builder, "lzma_props", p->lzma_props, 2);
			wf_gfh_json_hex(builder, "lzma_dict_size", p->lzma_dict_size, 1);
			wf_gfh_json_hex(builder, "lzma_unpacked_size", p->lzma_unpacked_size, 1);
		}
		json_builder_end_object(builder);
	}
	json_builder_end_array(builder);
}

static void
wf_gfh_json_alice(JsonBuilder *builder, const WfGfhAlice *alice)
{
	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "version");
	json_builder_add_int_value(builder, alice->version);
	json_builder_set_member_name(builder, "header_size");
	json_builder_add_int_value(builder, alice->header_size);
	wf_gfh_json_hex(builder, "base", alice->base, 8);
	wf_gfh_json_hex(builder, "map_addr", alice->map_addr, 8);
	wf_gfh_json_hex(builder, "dict_addr", alice->dict_addr, 8);
	json_builder_set_member_name(builder, "ranges");
	json_builder_begin_array(builder);
	for (guint i = 0; i < G_N_ELEMENTS(alice->ranges); i++)
		json_builder_add_int_value(builder, alice->ranges[i]);
	json_builder_end_array(builder);
	wf_gfh_json_hex(builder, "block_size", alice->block_size, 1);
	json_builder_end_object(builder);
}

/**
 * wf_gfh_alice_to_json:
 * @alice: an ALICE header
 *
 * Returns: (transfer full): the fields as a JSON object
 */
JsonNode *
wf_gfh_alice_to_json(const WfGfhAlice *alice)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();
	g_return_val_if_fail(alice != NULL, NULL);
	wf_gfh_json_alice(builder, alice);
	return json_builder_get_root(builder);
}

static void
wf_gfh_json_viva(JsonBuilder *builder, WfGfh *self)
{
	if (!self->has_viva_info)
		return;
	json_builder_set_member_name(builder, "viva");
	json_builder_begin_object(builder);
	wf_gfh_json_hex(builder, "viva_base", self->viva_info.viva_base, 8);
	wf_gfh_json_hex(builder, "zimage_base", self->viva_info.zimage_base, 8);
	wf_gfh_json_hex(builder, "boot_zimage_base", self->viva_info.boot_zimage_base, 8);
	wf_gfh_json_hex(builder, "dcmcmp_base", self->viva_info.dcmcmp_base, 8);
	wf_gfh_json_hex(builder, "alice_base", self->viva_info.alice_base, 8);
	wf_gfh_json_zimage(builder, "zimage", self->zimage);
	wf_gfh_json_zimage(builder, "boot_zimage", self->boot_zimage);
	if (self->dcm != NULL) {
		json_builder_set_member_name(builder, "dcm");
		json_builder_begin_object(builder);
		wf_gfh_json_string(builder, "project_id", self->dcm->project_id);
		wf_gfh_json_string(builder, "platform_id", self->dcm->platform_id);
		json_builder_set_member_name(builder, "image_count");
		json_builder_add_int_value(builder, self->dcm->images->len);
		json_builder_end_object(builder);
	}
	if (self->has_alice) {
		json_builder_set_member_name(builder, "alice");
		wf_gfh_json_alice(builder, &self->alice);
	}
	json_builder_end_object(builder);
}

/**
 * wf_gfh_to_json:
 * @self: a #WfGfh
 *
 * Returns: (transfer full): the chain, decoded records and VIVA parts
 */
JsonNode *
wf_gfh_to_json(WfGfh *self)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();
	guint32 fs_base = 0;
	guint32 fs_size = 0;

	g_return_val_if_fail(WF_IS_GFH(self), NULL);

	json_builder_begin_object(builder);
	wf_gfh_json_hex(builder, "offset", self->offset, 1);
	wf_gfh_json_hex(builder, "chain_size", self->chain_size, 1);
	if (self->has_file_info) {
		json_builder_set_member_name(builder, "file_info");
		wf_gfh_json_file_info(builder, &self->file_info);
	}
	wf_gfh_json_string(builder, "bin_name", self->bin_name);
	wf_gfh_json_string(builder, "verno", self->verno);
	if (wf_gfh_get_fs_region(self, &fs_base, &fs_size)) {
		wf_gfh_json_hex(builder, "fs_base", fs_base, 8);
		wf_gfh_json_hex(builder, "fs_size", fs_size, 8);
	}
	wf_gfh_json_ids(builder, self);
	wf_gfh_json_records(builder, self);
	wf_gfh_json_viva(builder, self);
	json_builder_set_member_name(builder, "warnings");
	json_builder_begin_array(builder);
	for (guint i = 0; i < self->warnings->len; i++)
		json_builder_add_string_value(builder, g_ptr_array_index(self->warnings, i));
	json_builder_end_array(builder);
	json_builder_end_object(builder);
	return json_builder_get_root(builder);
}
