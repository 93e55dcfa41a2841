/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-da-status.h"

#include "wf-error.h"

typedef struct {
	guint32 code;
	const gchar *name;
	const gchar *text; /* what happened, in plain words */
	const gchar *hint; /* the likely cause and what to do; NULL if nothing useful */
} WfDaStatusInfo;

#define HINT_HARDWARE                                                                              \
	"this usually points at the watch's hardware or a poor connection: try another cable "     \
	"and a charged battery"
#define HINT_RANGE "a bug in Wristflash or a damaged plan: the watch was not changed"
#define HINT_FLASH_TABLE                                                                           \
	"the watch has a flash chip this Download Agent does not list; try the "                   \
	"MTK_AllInOne_DA.bin from a newer firmware pack or SP Flash Tool"

/* sorted by code, so the lookup can bisect */
static const WfDaStatusInfo wf_da_status_table[] = {
	{0, "S_DONE", "success", NULL},
	{3000,
	 "S_DA_INT_RAM_ERROR",
	 "the Download Agent found a fault in the chip's internal RAM",
	 HINT_HARDWARE},
	{3001,
	 "S_DA_EXT_RAM_ERROR",
	 "the Download Agent could not use the watch's external RAM (PSRAM)",
	 HINT_HARDWARE},
	{3002,
	 "S_DA_SETUP_DRAM_FAIL",
	 "the Download Agent could not set up the external RAM",
	 NULL},
	{3003, "S_DA_SETUP_PLL_ERR", "the Download Agent could not set up the chip's clocks", NULL},
	{3004, "S_DA_DRAM_NOT_SUPPORT", "the watch's RAM type is not supported", NULL},
	{3005, "S_DA_RAM_FLOARTING", "the watch's RAM lines read as floating", HINT_HARDWARE},
	{3006, "S_DA_RAM_UNACCESSABLE", "the watch's RAM cannot be accessed", HINT_HARDWARE},
	{3007, "S_DA_RAM_ERROR", "the watch's RAM failed a check", HINT_HARDWARE},
	{3008,
	 "S_DA_DEVICE_NOT_FOUND",
	 "the Download Agent found no memory device it could use",
	 HINT_HARDWARE},
	{3009,
	 "S_DA_NOR_UNSUPPORTED_DEV_ID",
	 "the watch's flash chip is not in the Download Agent's flash table",
	 HINT_FLASH_TABLE},
	{3010, "S_DA_NAND_UNSUPPORTED_DEV_ID", "the NAND flash chip is not supported", NULL},
	{3011,
	 "S_DA_NOR_FLASH_NOT_FOUND",
	 "the Download Agent found no serial flash chip",
	 "either the flash is not in the Download Agent's table or it does not "
	 "answer; " HINT_FLASH_TABLE},
	{3012, "S_DA_NAND_FLASH_NOT_FOUND", "no NAND flash was found (normal for a watch)", NULL},
	{3013,
	 "S_DA_SOC_CHECK_FAIL",
	 "the Download Agent's chip self-check failed",
	 "the Download Agent was probably built for another chip"},
	{3014,
	 "S_DA_NOR_PROGRAM_FAILED",
	 "writing to the flash chip failed",
	 "the flash may be write-protected or worn out; the region may now be half written, so "
	 "restore the backup before unplugging"},
	{3015,
	 "S_DA_NOR_ERASE_FAILED",
	 "erasing the flash chip failed",
	 "the flash may be write-protected or worn out; restore the backup before unplugging"},
	{3016, "S_DA_NAND_PAGE_PROGRAM_FAILED", "programming a NAND page failed", NULL},
	{3019, "S_DA_NAND_ERASE_FAILED", "erasing a NAND block failed", NULL},
	{3020,
	 "S_DA_TIMEOUT",
	 "the Download Agent gave up waiting for the flash or for the computer",
	 "a slow or interrupted USB link; try again with another cable or port"},
	{3021, "S_DA_IN_PROGRESS", "the Download Agent is still working", NULL},
	{3029, "S_DA_NOR_CMD_SEQUENCE_ERR", "the flash chip rejected a command sequence", NULL},
	{3030,
	 "S_DA_NOR_BLOCK_IS_LOCKED",
	 "a flash block is locked against writing",
	 "the flash chip's block protection is on"},
	{3033,
	 "S_DA_NOR_BLOCK_DATA_UNSTABLE",
	 "a flash block did not keep its data after erase or program",
	 HINT_HARDWARE},
	{3034,
	 "S_DA_NOR_VPP_RANGE_ERR",
	 "the flash chip's programming voltage is out of range",
	 HINT_HARDWARE},
	{3035, "S_DA_INVALID_BEGIN_ADDR", "the start address is not valid", HINT_RANGE},
	{3036,
	 "S_DA_NOR_INVALID_ERASE_BEGIN_ADDR",
	 "the erase start address is not valid",
	 HINT_RANGE},
	{3037,
	 "S_DA_NOR_INVALID_READ_BEGIN_ADDR",
	 "the read start address is not valid",
	 HINT_RANGE},
	{3038,
	 "S_DA_NOR_INVALID_PROGRAM_BEGIN_ADDR",
	 "the write start address is not valid",
	 HINT_RANGE},
	{3039,
	 "S_DA_INVALID_RANGE",
	 "the requested range is outside the flash",
	 "the address must be a flash offset (0 = start of flash) and end inside the "
	 "chip; " HINT_RANGE},
	{3040,
	 "S_DA_NOR_PROGRAM_AT_ODD_ADDR",
	 "a write was asked to start at an odd address",
	 HINT_RANGE},
	{3041,
	 "S_DA_NOR_PROGRAM_WITH_ODD_LENGTH",
	 "a write was asked with an odd length",
	 HINT_RANGE},
	{3042,
	 "S_DA_NOR_BUFPGM_NO_SUPPORT",
	 "the flash chip does not support buffered programming",
	 NULL},
	{3051,
	 "S_DA_NFI_NOT_SUPPORT",
	 "the chip has no NAND controller (normal for a watch)",
	 NULL},
	{3054, "S_DA_NFB_BOOTLOADER_NOT_EXIST", "no bootloader was found on the NAND flash", NULL},
	{3061,
	 "S_DA_UART_GET_DATA_TIMEOUT",
	 "the Download Agent waited too long for data from the computer",
	 "the USB link stalled"},
	{3062,
	 "S_DA_UART_GET_CHKSUM_LSB_TIMEOUT",
	 "a checksum byte did not arrive in time",
	 "the USB link stalled"},
	{3063,
	 "S_DA_UART_GET_CHKSUM_MSB_TIMEOUT",
	 "a checksum byte did not arrive in time",
	 "the USB link stalled"},
	{3064,
	 "S_DA_UART_DATA_CKSUM_ERROR",
	 "a data packet arrived damaged",
	 "a noisy USB link; Wristflash resends the packet, so seeing this means it kept failing"},
	{3065, "S_DA_UART_RX_BUF_FULL", "the Download Agent's receive buffer overflowed", NULL},
	{3069,
	 "S_DA_HANDSET_ROM_INFO_NOT_FOUND",
	 "the firmware on the watch has no ROM information",
	 NULL},
	{3070,
	 "S_DA_HANDSET_FAT_INFO_NOT_FOUND",
	 "the firmware on the watch does not say where its file system is",
	 NULL},
	{3073,
	 "S_DA_NOR_OTP_NOT_SUPPORT",
	 "the flash chip has no one-time-programmable area",
	 NULL},
	{3074, "S_DA_NOR_OTP_EXIST", "the flash chip has a one-time-programmable area", NULL},
	{3075,
	 "S_DA_NOR_OTP_LOCKED",
	 "the flash chip's one-time-programmable area is locked",
	 NULL},
	{3081,
	 "S_DA_BLANK_FLASH",
	 "the flash holds no bootable firmware (no valid header block)",
	 "the watch is bricked or was erased: it can still be backed up, and the boot region must "
	 "be written again (restore a backup of this watch)"},
	{3082,
	 "S_DA_CODE_AREA_IS_BLANK",
	 "the flash holds no firmware code",
	 "write the firmware again"},
	{3083, "S_DA_SEC_RO_AREA_IS_BLANK", "the flash has no SEC_RO area", NULL},
	{3085,
	 "S_DA_UNSUPPORTED_BBCHIP",
	 "the Download Agent does not support this chip",
	 "use a Download Agent made for this chip"},
	{3086, "S_DA_FAT_NOT_EXIST", "the watch has no file system area", NULL},
	{3087, "S_DA_EXT_SRAM_NOT_FOUND", "no external SRAM was found", HINT_HARDWARE},
	{3088, "S_DA_EXT_DRAM_NOT_FOUND", "no external DRAM was found", HINT_HARDWARE},
	{3141, "S_DA_FLASH_NOT_FOUND", "the Download Agent found no flash chip", HINT_FLASH_TABLE},
	{3144,
	 "S_DA_DOWNLOAD_BOOTLOADER_FLASH_DEV_IS_NONE",
	 "the bootloader does not say which flash device it is for",
	 NULL},
	{3145,
	 "S_DA_DOWNLOAD_BOOTLOADER_FLASH_DEV_IS_NOT_SUPPORTED",
	 "the bootloader is for a flash device this watch does not have",
	 NULL},
	{3146,
	 "S_DA_DOWNLOAD_BOOTLOADER_BEGIN_ADDR_OVERLAPS_WITH_PREVIOUS_BOUNDARY",
	 "the bootloader would overlap the previous boot file",
	 NULL},
	{3147,
	 "S_DA_UPDATE_BOOTLOADER_EXIST_MAGIC_NOT_MATCHED",
	 "the bootloader on the watch does not look like the one being replaced",
	 NULL},
	{3148,
	 "S_DA_UPDATE_BOOTLOADER_FILE_TYPE_NOT_MATCHED",
	 "the bootloader file type does not match the one on the watch",
	 NULL},
	{3149,
	 "S_DA_UPDATE_BOOTLOADER_FILE_SIZE_EXCEEDS_BOUNDARY_ADDR",
	 "the bootloader is larger than its slot",
	 NULL},
	{3150,
	 "S_DA_UPDATE_BOOTLOADER_BEGIN_ADDR_NOT_MATCHED",
	 "the bootloader start address differs from the watch's layout",
	 NULL},
	{3170,
	 "S_DA_HEADER_BLOCK_NOT_EXIST",
	 "the flash has no valid header block (SF_BOOT/BRLYT at offset 0), so the Download Agent "
	 "refuses to write firmware files",
	 "the start of the flash is damaged or erased: the watch is bricked; writing main-region "
	 "files is impossible until the boot region is restored (from this watch's backup)"},
	{3173, "S_DA_S_FLASH_INFO_NOT_EXIST", "the firmware has no FLASH_INFO header", NULL},
	{3174, "S_DA_S_MAUI_INFO_NOT_EXIST", "the firmware has no MAUI_INFO header", NULL},
	{3176,
	 "S_DA_GFH_FILE_INFO_RETREIVAL_FAIL",
	 "a firmware file's FILE_INFO header could not be read",
	 "the file is damaged or not a MediaTek firmware file"},
	{3179, "S_DA_EMMC_FLASH_NOT_FOUND", "no eMMC was found (normal for a watch)", NULL},
	{3187,
	 "S_DA_UNSUPPORTED_OPERATION",
	 "the Download Agent does not support this operation",
	 NULL},
	{3202,
	 "S_DA_INVALID_PARAMETER_FROM_PC",
	 "the Download Agent rejected a parameter from the computer",
	 HINT_RANGE},
	{3207,
	 "S_DA_MAUI_GFH_FLASH_ID_NOT_MATCH_WITH_TARGET",
	 "the firmware was built for a different flash chip",
	 "this firmware does not list the watch's flash chip: pick firmware for this board"},
	{3208,
	 "S_DA_FLASH_ERASE_SIZE_NOT_SUPPORT",
	 "the flash chip's erase size is not supported",
	 NULL},
	{3235,
	 "S_DA_NOR_PROGRAM_REGION_IS_OVERLAP",
	 "two files of the write would overlap on the flash",
	 HINT_RANGE},
	{6011,
	 "S_SECURITY_SF_CODE_DOWNLOAD_FORBIDDEN",
	 "this watch forbids writing its code area",
	 "the watch has secure download enabled"},
	{6012,
	 "S_SECURITY_SF_CODE_READBACK_FORBIDDEN",
	 "this watch forbids reading its code area",
	 "the watch has secure download enabled; a backup through the boot ROM may still work"},
	{6013,
	 "S_SECURITY_SF_CODE_FORMAT_FORBIDDEN",
	 "this watch forbids formatting its code area",
	 NULL},
	{6017,
	 "S_SECURITY_SF_FAT_DOWNLOAD_FORBIDDEN",
	 "this watch forbids writing its file system",
	 NULL},
	{6018,
	 "S_SECURITY_SF_FAT_READBACK_FORBIDDEN",
	 "this watch forbids reading its file system",
	 NULL},
	{6019,
	 "S_SECURITY_SF_FAT_FORMAT_FORBIDDEN",
	 "this watch forbids formatting its file system",
	 NULL},
	{6020,
	 "S_SECURITY_SF_RESTRICTED_AREA_ACCESS_FORBIDDEN",
	 "this watch forbids access to a restricted area",
	 NULL},
};

static const WfDaStatusInfo *
wf_da_status_lookup(guint32 code)
{
	gsize lo = 0;
	gsize hi = G_N_ELEMENTS(wf_da_status_table);

	while (lo < hi) {
		gsize mid = lo + (hi - lo) / 2;
		if (wf_da_status_table[mid].code == code)
			return &wf_da_status_table[mid];
		if (wf_da_status_table[mid].code < code)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/**
 * wf_da_status_get_name:
 * @code: a status the Download Agent sent
 *
 * Returns: MediaTek's name for @code, e.g. "S_DA_BLANK_FLASH", or %NULL
 */
const gchar *
wf_da_status_get_name(guint32 code)
{
	const WfDaStatusInfo *info = wf_da_status_lookup(code);
	return info != NULL ? info->name : NULL;
}

/**
 * wf_da_status_to_string:
 * @code: a status the Download Agent sent
 *
 * Returns: what @code means, in plain language; never %NULL
 */
const gchar *
wf_da_status_to_string(guint32 code)
{
	const WfDaStatusInfo *info = wf_da_status_lookup(code);

	if (info != NULL)
		return info->text;
	if (code >= 3000 && code < 4000)
		return "the Download Agent reported an error Wristflash does not know";
	if (code >= 6000 && code < 7000)
		return "the watch refused the operation for a security reason";
	return "the Download Agent sent a status Wristflash does not know";
}

/**
 * wf_da_status_get_hint:
 * @code: a status the Download Agent sent
 *
 * Returns: the likely cause of @code and what to do, or %NULL
 */
const gchar *
wf_da_status_get_hint(guint32 code)
{
	const WfDaStatusInfo *info = wf_da_status_lookup(code);
	return info != NULL ? info->hint : NULL;
}

/**
 * wf_da_status_describe:
 * @code: a status the Download Agent sent
 *
 * Returns: (transfer full): one line for a user: meaning, likely cause and
 * the number, e.g. "the flash holds no bootable firmware … (S_DA_BLANK_FLASH,
 * 3081 = 0xC09)"
 */
gchar *
wf_da_status_describe(guint32 code)
{
	const gchar *name = wf_da_status_get_name(code);
	const gchar *hint = wf_da_status_get_hint(code);
	g_autofree gchar *number = NULL;

	if (name != NULL)
		number = g_strdup_printf("%s, %u = 0x%X", name, code, code);
	else
		number = g_strdup_printf("status %u = 0x%X", code, code);
	if (hint != NULL)
		return g_strdup_printf("%s: %s (%s)", wf_da_status_to_string(code), hint, number);
	return g_strdup_printf("%s (%s)", wf_da_status_to_string(code), number);
}

/**
 * wf_da_status_set_error:
 * @error: (out): return location
 * @code: the status the Download Agent sent after `A5`
 * @format: what Wristflash was doing, printf-style
 *
 * Sets a %WF_ERROR_DEVICE_STATUS error "<what>: <description>".
 */
void
wf_da_status_set_error(GError **error, guint32 code, const gchar *format, ...)
{
	g_autofree gchar *what = NULL;
	g_autofree gchar *description = wf_da_status_describe(code);
	va_list args;

	va_start(args, format);
	what = g_strdup_vprintf(format, args);
	va_end(args);
	g_set_error(error, WF_ERROR, WF_ERROR_DEVICE_STATUS, "%s: %s", what, description);
}
