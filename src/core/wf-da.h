/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "wf-brom.h"
#include "wf-da-file.h"
#include "wf-progress.h"
#include "wf-transport.h"

G_BEGIN_DECLS

/*
 * Host side of the feature-phone Download Agent (DA v3.2 "SV5", protocol.md
 * §5): upload through the boot ROM, the start-up handshake and flash-table
 * negotiation, then readback, write, format and the small commands.
 * Synchronous; call it from one worker thread. Every read has a timeout.
 * Long transfers check the cancellable between packets only: cancelling lets
 * the packet in flight finish, after which the DA session cannot continue
 * (the DA has no abort for a read) and the watch must be reconnected.
 */

#define WF_TYPE_DA (wf_da_get_type())
G_DECLARE_FINAL_TYPE(WfDa, wf_da, WF, DA, GObject)

#define WF_DA_ACK      0x5A
#define WF_DA_NACK     0xA5
#define WF_DA_CONT     0x69
#define WF_DA_SYNC     0xC0
#define WF_DA_SOC_OK   0xC1
#define WF_DA_SOC_FAIL 0xCF

#define WF_DA_CMD_FORMAT	  0xD4
#define WF_DA_CMD_MEM		  0xD3
#define WF_DA_CMD_WRITE		  0xD5
#define WF_DA_CMD_READ		  0xD6
#define WF_DA_CMD_FINISH	  0xD9
#define WF_DA_CMD_ENABLE_WATCHDOG 0xDB
#define WF_DA_CMD_CLEAR_POWERKEY  0xB9
#define WF_DA_CMD_GET_PROJECT_ID  0xEF
#define WF_DA_CMD_GET_FAT_INFO	  0xF0

#define WF_DA_MARKER		  0x00000CA2
#define WF_DA_PARAM_BLOCK_SIZE	  15
#define WF_DA_REPORT_SIZE_SPFT	  174
#define WF_DA_REPORT_SIZE_WIZ	  198
#define WF_DA_REPORT_EXTRA_WORDS  6
#define WF_DA_PROJECT_ID_SIZE	  64
#define WF_DA_FAT_INFO_SIZE	  28
#define WF_DA_DEFAULT_PACKET_SIZE 0x1000
#define WF_DA_MAX_PACKET_SIZE	  0x10000
#define WF_DA_DEFAULT_TIMEOUT_MS  3000
#define WF_DA_DEFAULT_RETRIES	  3

/* set to 0 to read back with one ACK per packet (wf_da_set_read_ack_ahead()) */
#define WF_DA_ACK_AHEAD_ENV "WF_DA_ACK_AHEAD"

/* which DA build runs on the watch; decides the report layout */
typedef enum {
	WF_DA_PROFILE_AUTO, /* from the uploaded stages; unknown builds: look at the report */
	WF_DA_PROFILE_SPFT, /* SP Flash Tool build: 174-byte report */
	WF_DA_PROFILE_WIZ,  /* pymtkflasher / Wiz-IO build: 198-byte report */
} WfDaProfile;

/* the start-up report (protocol.md §5.3 step 7), plus what the handshake showed */
typedef struct {
	guint8 da_major;
	guint8 da_minor;
	guint8 bbchip;
	guint matched_record; /* index of the flash-table record the DA took */
	guint32 matched_record_id;
	gboolean extra_cont; /* the build sent 69 after the match (WIZ builds) */
	/* NOR */
	guint32 nor_ret;
	guint16 nor_chip_select;
	guint16 flash_id; /* the matching record's id */
	guint32 flash_size;
	guint32 flash_size_die1;
	guint16 device_code[4]; /* JEDEC words, e.g. 00C2 0020 0016 0000 */
	guint32 otp_status;
	guint32 otp_size;
	guint16 die2_id;
	guint32 die2_size;
	guint16 die2_device_code[4];
	guint32 die2_otp_status;
	guint32 die2_otp_size;
	/* NAND, eMMC: only their status matters on a watch */
	guint32 nand_ret;
	guint32 emmc_ret;
	/* memory */
	guint32 int_sram_ret;
	guint32 int_sram_size;
	guint32 ext_ram_ret;
	guint8 ext_ram_type;
	guint8 ext_ram_chip_select;
	guint32 ext_ram_size;
	guint8 jedec_candidates[12]; /* raw JEDEC bytes the DA read */
	gboolean has_extra;	     /* the 24 extra bytes of WIZ builds */
	guint32 extra[WF_DA_REPORT_EXTRA_WORDS];
	/* tail */
	guint32 download_status; /* 0, or e.g. S_DA_BLANK_FLASH on a bricked watch */
	guint32 boot_style;	 /* 0x400 | device, 0x407 = serial flash */
	guint8 soc;		 /* WF_DA_SOC_OK or WF_DA_SOC_FAIL */
	guint report_size;
} WfDaReport;

typedef struct {
	guint32 status;
	guint32 nor_addr; /* where the NOR file system (NVRAM, settings) starts */
	guint32 nor_len;
	guint32 nand_addr;
	guint32 nand_len;
	guint32 emmc_addr;
	guint32 emmc_len;
} WfDaFatInfo;

/* one file of a D3 MEM + D5 WRITE download */
typedef struct {
	const gchar *name;
	guint32 start;	   /* flash offset */
	guint32 file_type; /* GFH file_type, e.g. 0x0100 for the MAUI ROM */
	GBytes *data;
} WfDaWriteFile;

typedef enum {
	WF_DA_ERASE_BEST_EFFORT = 0,
	WF_DA_ERASE_SEQUENTIAL = 1,
} WfDaEraseMode;

typedef enum {
	WF_DA_FORMAT_FLAG_NONE = 0,
	/* D4 FORMAT is only partly understood (docs/download-agent.md): the
	 * caller must say it accepts that */
	WF_DA_FORMAT_FLAG_ADVANCED = 1 << 0,
} WfDaFormatFlags;

WfDa *
wf_da_new(WfTransport *transport);
WfTransport *
wf_da_get_transport(WfDa *self);
void
wf_da_set_timeout(WfDa *self, guint timeout_ms);
void
wf_da_set_profile(WfDa *self, WfDaProfile profile);
WfDaProfile
wf_da_get_profile(WfDa *self);
void
wf_da_set_battery_flag(WfDa *self, guint8 flag);
void
wf_da_set_boot_versions(WfDa *self, guint8 brom_version, guint8 bl_version);
gboolean
wf_da_set_flash_jedec(WfDa *self, const gchar *jedec_hex, GError **error);
void
wf_da_set_max_retries(WfDa *self, guint max_retries);
void
wf_da_set_packet_size(WfDa *self, guint32 packet_size);
void
wf_da_set_read_ack_ahead(WfDa *self, gboolean ack_ahead);
gboolean
wf_da_get_read_ack_ahead(WfDa *self);
guint
wf_da_get_resends(WfDa *self);
gboolean
wf_da_is_usable(WfDa *self, GError **error);

WfDaProfile
wf_da_profile_for_entry(const WfDaEntry *entry);
const gchar *
wf_da_profile_to_string(WfDaProfile profile);

/* start (§4.3, §5.3) */
gboolean
wf_da_upload(WfDa *self,
	     WfBrom *brom,
	     WfDaFile *file,
	     const WfDaEntry *entry,
	     GCancellable *cancellable,
	     GError **error);
gboolean
wf_da_connect(WfDa *self, GBytes *flash_table, GCancellable *cancellable, GError **error);
gboolean
wf_da_start(WfDa *self,
	    WfBrom *brom,
	    WfDaFile *file,
	    const WfDaEntry *entry,
	    GCancellable *cancellable,
	    GError **error);
const WfDaReport *
wf_da_get_report(WfDa *self);

gchar *
wf_da_report_get_jedec_id(const WfDaReport *report);
JsonNode *
wf_da_report_to_json(const WfDaReport *report);

/* operations */
gboolean
wf_da_read_flash(WfDa *self,
		 guint32 addr,
		 guint8 *buf,
		 gsize len,
		 WfProgress *progress,
		 GCancellable *cancellable,
		 GError **error);
gboolean
wf_da_write_files(WfDa *self,
		  const WfDaWriteFile *files,
		  guint n_files,
		  WfDaEraseMode erase_mode,
		  WfProgress *progress,
		  GCancellable *cancellable,
		  GError **error);
gboolean
wf_da_format(WfDa *self,
	     guint32 addr,
	     guint32 len,
	     WfDaFormatFlags flags,
	     WfProgress *progress,
	     GCancellable *cancellable,
	     GError **error);
gchar *
wf_da_get_project_id(WfDa *self, GCancellable *cancellable, GError **error);
gboolean
wf_da_get_fat_info(WfDa *self, WfDaFatInfo *info, GCancellable *cancellable, GError **error);
gboolean
wf_da_clear_powerkey(WfDa *self, GCancellable *cancellable, GError **error);
gboolean
wf_da_finish(WfDa *self, guint32 mode, GCancellable *cancellable, GError **error);
gboolean
wf_da_enable_watchdog(
	WfDa *self, guint16 timeout, guint32 flags, GCancellable *cancellable, GError **error);

guint16
wf_da_sum16(const guint8 *data, gsize len);

G_END_DECLS
