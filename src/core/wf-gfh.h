/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define WF_TYPE_GFH (wf_gfh_get_type())
G_DECLARE_FINAL_TYPE(WfGfh, wf_gfh, WF, GFH, GObject)

/*
 * The GFH ("MMM") header chain at the start of every MediaTek MAUI binary
 * (firmware-formats.md §2.3), plus the VIVA container parts that follow a
 * VIVA file's chain (§2.4: VIVAInfo, ZIMAGE/BOOT_ZIMAGE partition tables,
 * DCM, ALICE). Everything here reads untrusted bytes: every length is
 * checked against the record and the buffer before use.
 */

/* a chain is a few hundred bytes (0x5B0 for a MAUI ROM); anything longer
 * than this is not a GFH chain */
#define WF_GFH_MAX_CHAIN_SIZE 0x10000
#define WF_GFH_MAX_RECORDS    256
#define WF_GFH_FILE_INFO_SIZE 0x38

/* record types (GFH_TYPE) */
typedef enum {
	WF_GFH_TYPE_FILE_INFO = 0x0000,
	WF_GFH_TYPE_BL_INFO = 0x0001,
	WF_GFH_TYPE_ANTI_CLONE = 0x0002,
	WF_GFH_TYPE_BL_SEC_KEY = 0x0003,
	WF_GFH_TYPE_SCTRL_CERT = 0x0004,
	WF_GFH_TYPE_TOOL_AUTH = 0x0005,
	WF_GFH_TYPE_MTK_RESERVED1 = 0x0006,
	WF_GFH_TYPE_BROM_CFG = 0x0007,
	WF_GFH_TYPE_BROM_SEC_CFG = 0x0008,
	WF_GFH_TYPE_MTK_RESERVED2 = 0x0009,
	WF_GFH_TYPE_MTK_RESERVED3 = 0x000A,
	WF_GFH_TYPE_ROOT_CERT = 0x000B,
	WF_GFH_TYPE_EXP_CHK = 0x000C,
	WF_GFH_TYPE_EPP_PARAM = 0x000D,
	WF_GFH_TYPE_CHIP_VER = 0x000E,
	WF_GFH_TYPE_MTK_RESERVED4 = 0x000F,
	WF_GFH_TYPE_MD_SEC_CFG = 0x0010,
	WF_GFH_TYPE_EPP_INFO = 0x0100,
	WF_GFH_TYPE_EMI_LIST = 0x0101,
	WF_GFH_TYPE_CMEM_ID_INFO = 0x0102,
	WF_GFH_TYPE_CMEM_NOR_INFO = 0x0103,
	WF_GFH_TYPE_DSP_INFO = 0x0104,
	WF_GFH_TYPE_MAUI_INFO = 0x0200,
	WF_GFH_TYPE_MAUI_SEC = 0x0201,
	WF_GFH_TYPE_MAUI_CODE_KEY = 0x0202,
	WF_GFH_TYPE_MAUI_SECURE_RO_KEY = 0x0203,
	WF_GFH_TYPE_MAUI_RESOURCE_KEY = 0x0204,
	WF_GFH_TYPE_SECURE_RO_INFO = 0x0205,
	WF_GFH_TYPE_DL_PACKAGE_INFO = 0x0206,
	WF_GFH_TYPE_FLASH_INFO = 0x0207,
	WF_GFH_TYPE_MACR_INFO = 0x0208,
	WF_GFH_TYPE_ARM_BL_INFO = 0x0209,
	WF_GFH_TYPE_EMMC_BOOTING_INFO = 0x020A,
	WF_GFH_TYPE_FOTA_INFO = 0x020B,
	WF_GFH_TYPE_CBR_RECORD_INFO = 0x020C,
	WF_GFH_TYPE_CONFIDENTIAL_BIN_INFO = 0x020D,
	WF_GFH_TYPE_CBR_INFO = 0x020E,
	WF_GFH_TYPE_MBA_INFO = 0x020F,
	WF_GFH_TYPE_BINARY_LOCATION = 0x0210,
	WF_GFH_TYPE_BOOT_CERT_CTRL_CONTENT = 0x0300,
} WfGfhType;

/* FILE_INFO file types */
typedef enum {
	WF_GFH_FILE_ARM_BL = 0x0001,
	WF_GFH_FILE_ARM_EXT_BL = 0x0002,
	WF_GFH_FILE_PRIMARY_MAUI = 0x0100,
	WF_GFH_FILE_SECONDARY_MAUI = 0x0101,
	WF_GFH_FILE_ON_DEMAND_PAGING = 0x0102,
	WF_GFH_FILE_THIRD_ROM = 0x0103,
	WF_GFH_FILE_VIVA = 0x0108,
	WF_GFH_FILE_CUSTOM_PACK = 0x0180,
	WF_GFH_FILE_LANGUAGE_PACK = 0x0181,
	WF_GFH_FILE_JUMP_TABLE = 0x0182,
	WF_GFH_FILE_FOTA_UE = 0x0200,
	WF_GFH_FILE_FILE_SYSTEM = 0x0480,
	WF_GFH_FILE_CUSTOMER_BIN_FIRST = 0x7000,
	WF_GFH_FILE_CUSTOMER_BIN_LAST = 0x70FF,
} WfGfhFileType;

#define WF_GFH_FLASH_DEV_SF	    7 /* serial flash */
#define WF_GFH_SIG_NONE		    0
#define WF_GFH_SIG_PHASH	    1 /* SHA-1 */
#define WF_GFH_ATTR_POST_BUILD_DONE (1u << 0)
#define WF_GFH_ATTR_XIP		    (1u << 1)

typedef struct {
	gsize offset; /* of the "MMM" in the buffer handed to the parser */
	guint8 version;
	guint16 size; /* whole record, header included */
	guint16 type;
	GBytes *data; /* the whole record */
} WfGfhRecord;

typedef struct {
	gchar identifier[13]; /* "FILE_INFO" */
	guint32 file_ver;
	guint16 file_type;
	guint8 flash_dev;
	guint8 sig_type;
	guint32 load_addr;
	guint32 file_len; /* whole file incl. headers and signature */
	guint32 max_size;
	guint32 content_offset; /* = size of the chain */
	guint32 sig_len;
	guint32 jump_offset;
	guint32 attr;
} WfGfhFileInfo;

/* one CMEM_ID_INFO entry: a serial-flash chip the firmware supports */
typedef struct {
	guint8 mem_type; /* 3 = serial NOR */
	guint8 id_len;
	guint8 id[8];
} WfGfhCmemId;

/* one CMEM_NOR_INFO entry (0x88 bytes; only these two fields are known) */
typedef struct {
	guint32 total_size;  /* +0x00, e.g. 0x00400000 */
	guint32 sector_size; /* +0x0C, e.g. 0x1000 */
} WfGfhCmemNor;

/* one FLASH_INFO device entry; index 0 NOR/serial flash, 1 NAND, 2 eMMC */
typedef struct {
	guint16 manu_id;
	guint16 dev_id;
	guint16 ext_dev_id1;
	guint16 ext_dev_id2;
	guint32 fat_begin; /* flash offset of the file system (NVRAM, user data) */
	guint32 fat_length;
} WfGfhFlashDev;

/* VIVA (§2.4) */
typedef struct {
	guint32 viva_base;
	guint32 zimage_base;
	guint32 boot_zimage_base;
	guint32 dcmcmp_base;
	guint32 alice_base;
} WfGfhVivaInfo;

typedef struct {
	guint32 type;	    /* 0..3, see firmware-formats.md §4.2 */
	guint32 src_offset; /* from the ZIMAGE header */
	guint32 src_size;   /* includes the 13-byte LZMA header */
	guint32 dst_offset;
	guint32 dst_size;
	gboolean has_lzma; /* the LZMA-alone header was inside the buffer */
	guint8 lzma_props;
	guint32 lzma_dict_size;
	guint64 lzma_unpacked_size;
} WfGfhZimagePartition;

typedef struct {
	guint16 image_id;
	guint8 pool;
	guint8 group;
	guint32 exec_base;
	guint32 decompressed_size;
	guint32 compressed_size;
	guint32 file_position;
} WfGfhDcmImage;

typedef struct {
	gchar project_id[65];
	gchar platform_id[65];
	GArray *images; /* (element-type WfGfhDcmImage) */
} WfGfhDcm;

typedef struct {
	guint version;	   /* 1 or 2 */
	guint header_size; /* 40, or 36 for a short ALICE_1 header */
	guint32 base;	   /* address of the compressed stream */
	guint32 map_addr;  /* mapping table */
	guint32 dict_addr; /* dictionary */
	guint16 ranges[7]; /* bit widths of the 7 index classes */
	guint16 reserved;
	guint16 block_size; /* 0 when the header is short */
	guint16 terminator; /* 0xFFFF */
} WfGfhAlice;

#define WF_GFH_ALICE_HEADER_SIZE 40
#define WF_GFH_DCM_HEADER_SIZE	 0x8C
#define WF_GFH_ZIMAGE_MAX_PARTS	 64
#define WF_GFH_DCM_MAX_IMAGES	 1024

const gchar *
wf_gfh_type_to_string(guint16 type);
const gchar *
wf_gfh_file_type_to_string(guint16 file_type);
const gchar *
wf_gfh_flash_dev_to_string(guint8 flash_dev);

gboolean
wf_gfh_is_file_info(const guint8 *buf, gsize bufsz, gsize offset);
gsize
wf_gfh_scan(const guint8 *buf, gsize bufsz, gsize start, gsize step, guint16 file_type);

WfGfh *
wf_gfh_new(void);
gboolean
wf_gfh_parse(WfGfh *self, GBytes *blob, gsize offset, gsize limit, GError **error);
WfGfh *
wf_gfh_new_from_bytes(GBytes *blob, gsize offset, GError **error);

gsize
wf_gfh_get_offset(WfGfh *self);
gsize
wf_gfh_get_chain_size(WfGfh *self);
GPtrArray *
wf_gfh_get_records(WfGfh *self);
WfGfhRecord *
wf_gfh_get_record(WfGfh *self, guint16 type);
GPtrArray *
wf_gfh_get_warnings(WfGfh *self);

const WfGfhFileInfo *
wf_gfh_get_file_info(WfGfh *self);
const gchar *
wf_gfh_get_bin_name(WfGfh *self);
const gchar *
wf_gfh_get_verno(WfGfh *self);
GArray *
wf_gfh_get_cmem_ids(WfGfh *self);
GArray *
wf_gfh_get_cmem_nor(WfGfh *self);
GArray *
wf_gfh_get_flash_devs(WfGfh *self);
gboolean
wf_gfh_get_fs_region(WfGfh *self, guint32 *base, guint32 *size);

gboolean
wf_gfh_parse_viva(WfGfh *self, GBytes *blob, GError **error);
const WfGfhVivaInfo *
wf_gfh_get_viva_info(WfGfh *self);
GArray *
wf_gfh_get_zimage(WfGfh *self);
GArray *
wf_gfh_get_boot_zimage(WfGfh *self);
const WfGfhDcm *
wf_gfh_get_dcm(WfGfh *self);
const WfGfhAlice *
wf_gfh_get_alice(WfGfh *self);

GArray *
wf_gfh_zimage_parse(const guint8 *buf, gsize bufsz, gsize offset, GError **error);
WfGfhDcm *
wf_gfh_dcm_parse(const guint8 *buf, gsize bufsz, gsize offset, GError **error);
void
wf_gfh_dcm_free(WfGfhDcm *dcm);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(WfGfhDcm, wf_gfh_dcm_free)
gboolean
wf_gfh_alice_parse(const guint8 *buf, gsize bufsz, gsize offset, WfGfhAlice *alice, GError **error);

JsonNode *
wf_gfh_to_json(WfGfh *self);
JsonNode *
wf_gfh_alice_to_json(const WfGfhAlice *alice);
JsonNode *
wf_gfh_file_info_to_json(const WfGfhFileInfo *info);

G_END_DECLS
