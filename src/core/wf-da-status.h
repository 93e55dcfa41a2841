/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Status codes the feature-phone Download Agent sends as `A5 <u32>` and puts
 * in its start-up report (protocol.md §5.1, §5.3, §6). Numbers follow
 * MediaTek's decimal S_DA_* numbering (3000 = 0xBB8 upward, S_SECURITY_*
 * from 6000); see docs/download-agent.md for why the hex values quoted in
 * some notes are off.
 */

#define WF_DA_STATUS_OK				0
#define WF_DA_STATUS_NOR_UNSUPPORTED_DEV_ID	3009
#define WF_DA_STATUS_NOR_FLASH_NOT_FOUND	3011
#define WF_DA_STATUS_SOC_CHECK_FAIL		3013
#define WF_DA_STATUS_NOR_PROGRAM_FAILED		3014
#define WF_DA_STATUS_NOR_ERASE_FAILED		3015
#define WF_DA_STATUS_TIMEOUT			3020
#define WF_DA_STATUS_IN_PROGRESS		3021
#define WF_DA_STATUS_INVALID_RANGE		3039
#define WF_DA_STATUS_NFI_NOT_SUPPORT		3051
#define WF_DA_STATUS_UART_DATA_CKSUM_ERROR	3064
#define WF_DA_STATUS_NOR_OTP_NOT_SUPPORT	3073
#define WF_DA_STATUS_NOR_OTP_EXIST		3074
#define WF_DA_STATUS_BLANK_FLASH		3081 /* 0xC09 */
#define WF_DA_STATUS_HEADER_BLOCK_NOT_EXIST	3170 /* 0xC62 */
#define WF_DA_STATUS_EMMC_FLASH_NOT_FOUND	3179
#define WF_DA_STATUS_SF_CODE_DOWNLOAD_FORBIDDEN 6011
#define WF_DA_STATUS_SF_CODE_READBACK_FORBIDDEN 6012

const gchar *
wf_da_status_get_name(guint32 code);
const gchar *
wf_da_status_to_string(guint32 code);
const gchar *
wf_da_status_get_hint(guint32 code);
gchar *
wf_da_status_describe(guint32 code);
void
wf_da_status_set_error(GError **error, guint32 code, const gchar *format, ...) G_GNUC_PRINTF(3, 4);

G_END_DECLS
