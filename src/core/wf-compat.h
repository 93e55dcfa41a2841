/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "wf-firmware-facts.h"
#include "wf-profile-db.h"
#include "wf-watch-match.h"

G_BEGIN_DECLS

/*
 * "Will this firmware work on my watch?" (docs/profiles.md, Verdict): a
 * firmware's facts compared with a watch's backup, giving compatible, risky
 * or incompatible and one reason per line. Incompatible means flashing it
 * would brick the watch or cannot work (other chip, flash not supported,
 * image larger than the flash, bootloader layout not the watch's); risky
 * means it boots but something the user will notice probably breaks
 * (display, touch, NVRAM) or cannot be checked.
 */

typedef enum {
	WF_COMPAT_VERDICT_COMPATIBLE,
	WF_COMPAT_VERDICT_RISKY,
	WF_COMPAT_VERDICT_INCOMPATIBLE,
} WfCompatVerdict;

typedef enum {
	WF_COMPAT_LEVEL_OK,	      /* speaks for the firmware */
	WF_COMPAT_LEVEL_NOTE,	      /* worth knowing, changes nothing */
	WF_COMPAT_LEVEL_RISKY,	      /* makes the verdict at least risky */
	WF_COMPAT_LEVEL_INCOMPATIBLE, /* makes the verdict incompatible */
} WfCompatLevel;

/* reason codes: stable identifiers for scripts and tests */
#define WF_COMPAT_PLATFORM_MATCH	 "platform-match"
#define WF_COMPAT_PLATFORM_MISMATCH	 "platform-mismatch"
#define WF_COMPAT_PLATFORM_UNKNOWN	 "platform-unknown"
#define WF_COMPAT_FLASH_ID_LISTED	 "flash-id-listed"
#define WF_COMPAT_FLASH_ID_NOT_LISTED	 "flash-id-not-listed"
#define WF_COMPAT_FLASH_IDS_UNKNOWN	 "flash-ids-unknown"
#define WF_COMPAT_FLASH_ID_UNKNOWN	 "flash-id-unknown"
#define WF_COMPAT_SIZE_FITS		 "size-fits"
#define WF_COMPAT_IMAGE_TOO_LARGE	 "image-too-large"
#define WF_COMPAT_FLASH_SIZE_MISMATCH	 "flash-size-mismatch"
#define WF_COMPAT_FS_BEYOND_FLASH	 "fs-beyond-flash"
#define WF_COMPAT_FS_REGION_DIFFERS	 "fs-region-differs"
#define WF_COMPAT_FLASH_SIZE_UNKNOWN	 "flash-size-unknown"
#define WF_COMPAT_LAYOUT_MATCH		 "layout-match"
#define WF_COMPAT_ROM_OFFSET_MISMATCH	 "rom-offset-mismatch"
#define WF_COMPAT_BOOTLOADER_MISMATCH	 "bootloader-layout-mismatch"
#define WF_COMPAT_LAYOUT_UNKNOWN	 "layout-unknown"
#define WF_COMPAT_WATCH_HEADER_MISSING	 "watch-header-missing"
#define WF_COMPAT_LCD_MATCH		 "lcd-match"
#define WF_COMPAT_LCD_DIFFERS		 "lcd-differs"
#define WF_COMPAT_LCD_UNVERIFIED	 "lcd-unverified"
#define WF_COMPAT_LCD_UNKNOWN		 "lcd-unknown"
#define WF_COMPAT_TOUCH_MATCH		 "touch-match"
#define WF_COMPAT_TOUCH_DIFFERS		 "touch-differs"
#define WF_COMPAT_TOUCH_UNVERIFIED	 "touch-unverified"
#define WF_COMPAT_TOUCH_UNKNOWN		 "touch-unknown"
#define WF_COMPAT_PANEL_MATCH		 "panel-match"
#define WF_COMPAT_PANEL_DIFFERS		 "panel-differs"
#define WF_COMPAT_PROJECT_MATCH		 "project-match"
#define WF_COMPAT_PROJECT_DIFFERS	 "project-differs"
#define WF_COMPAT_PROJECT_UNKNOWN	 "project-unknown"
#define WF_COMPAT_BUILD_SAME		 "build-same"
#define WF_COMPAT_BUILD_NEWER		 "build-newer"
#define WF_COMPAT_BUILD_OLDER		 "build-older"
#define WF_COMPAT_BUILD_DATE_UNKNOWN	 "build-date-unknown"
#define WF_COMPAT_DUMP_TAIL		 "dump-tail"
#define WF_COMPAT_WATCH_FIRMWARE_UNKNOWN "watch-firmware-unknown"
#define WF_COMPAT_FIRMWARE_WARNING	 "firmware-warning"

typedef struct {
	WfCompatLevel level;
	const gchar *code; /* one of the WF_COMPAT_* codes */
	gchar *message;	   /* one line */
} WfCompatReason;

#define WF_TYPE_COMPAT (wf_compat_get_type())
G_DECLARE_FINAL_TYPE(WfCompat, wf_compat, WF, COMPAT, GObject)

const gchar *
wf_compat_verdict_to_string(WfCompatVerdict verdict);
const gchar *
wf_compat_level_to_string(WfCompatLevel level);

WfCompat *
wf_compat_check(WfProfileDb *db, const WfFirmwareFacts *firmware, const WfWatchFacts *watch);
WfCompatVerdict
wf_compat_get_verdict(WfCompat *self);
GPtrArray *
wf_compat_get_reasons(WfCompat *self);
const WfCompatReason *
wf_compat_find_reason(WfCompat *self, const gchar *code);
JsonNode *
wf_compat_to_json(WfCompat *self);

G_END_DECLS
