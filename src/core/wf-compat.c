/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-compat.h"

#include <string.h>

/*
 * The rules come from users.md §2.4-2.5 and §5 rule 3 and firmware-formats.md
 * §3.4 and §6: refuse another chip, a flash the firmware cannot drive, an
 * image larger than the flash or made for another flash size, and a layout
 * the watch's boot header does not describe; warn when the display or
 * touch drivers, the base project or the build age differ, and whenever a
 * check cannot be made. Every check adds a line, so the user sees what was
 * compared, not only what failed.
 */

struct _WfCompat {
	GObject parent_instance;
	WfCompatVerdict verdict;
	GPtrArray *reasons; /* WfCompatReason */
};

G_DEFINE_FINAL_TYPE(WfCompat, wf_compat, G_TYPE_OBJECT)

typedef struct {
	WfCompat *self;
	WfProfileDb *db; /* nullable */
	const WfFirmwareFacts *fw;
	const WfWatchFacts *watch;
	const WfFirmwareFacts *wfw; /* the watch's own firmware, nullable */
} WfCheck;

const gchar *
wf_compat_verdict_to_string(WfCompatVerdict verdict)
{
	switch (verdict) {
	case WF_COMPAT_VERDICT_COMPATIBLE:
		return "compatible";
	case WF_COMPAT_VERDICT_RISKY:
		return "risky";
	case WF_COMPAT_VERDICT_INCOMPATIBLE:
	default:
		return "incompatible";
	}
}

const gchar *
wf_compat_level_to_string(WfCompatLevel level)
{
	switch (level) {
	case WF_COMPAT_LEVEL_OK:
		return "ok";
	case WF_COMPAT_LEVEL_NOTE:
		return "note";
	case WF_COMPAT_LEVEL_RISKY:
		return "risky";
	case WF_COMPAT_LEVEL_INCOMPATIBLE:
	default:
		return "incompatible";
	}
}

static void
wf_compat_reason_free(gpointer data)
{
	WfCompatReason *reason = data;
	g_free(reason->message);
	g_free(reason);
}

static void
wf_compat_add(WfCheck *ck, WfCompatLevel level, const gchar *code, const gchar *format, ...)
	G_GNUC_PRINTF(4, 5);

static void
wf_compat_add(WfCheck *ck, WfCompatLevel level, const gchar *code, const gchar *format, ...)
{
	WfCompatReason *reason = g_new0(WfCompatReason, 1);
	va_list args;

	va_start(args, format);
	reason->message = g_strdup_vprintf(format, args);
	va_end(args);
	reason->level = level;
	reason->code = code;
	g_ptr_array_add(ck->self->reasons, reason);
	if (level == WF_COMPAT_LEVEL_INCOMPATIBLE)
		ck->self->verdict = WF_COMPAT_VERDICT_INCOMPATIBLE;
	else if (level == WF_COMPAT_LEVEL_RISKY &&
		 ck->self->verdict == WF_COMPAT_VERDICT_COMPATIBLE)
		ck->self->verdict = WF_COMPAT_VERDICT_RISKY;
}

static gchar *
wf_compat_size(guint64 size)
{
	return g_format_size_full(size, G_FORMAT_SIZE_IEC_UNITS);
}

/* ---- chip --------------------------------------------------------------------------------- */

static void
wf_compat_check_platform(WfCheck *ck)
{
	const gchar *fw_name = ck->fw->platform;
	const gchar *watch_name = ck->watch->chip;
	const WfProfileSoc *fw_soc = NULL;
	const WfProfileSoc *watch_soc = NULL;
	gboolean same;

	if (watch_name == NULL && ck->wfw != NULL)
		watch_name = ck->wfw->platform;
	if (fw_name == NULL) {
		wf_compat_add(ck,
			      WF_COMPAT_LEVEL_RISKY,
			      WF_COMPAT_PLATFORM_UNKNOWN,
			      "the firmware does not say which chip it is for");
		return;
	}
	if (watch_name == NULL && ck->watch->hw_code < 0) {
		wf_compat_add(ck,
			      WF_COMPAT_LEVEL_RISKY,
			      WF_COMPAT_PLATFORM_UNKNOWN,
			      "the watch's chip is unknown: cannot check the firmware's %s",
			      fw_name);
		return;
	}
	if (ck->db != NULL) {
		fw_soc = wf_profile_db_find_soc(ck->db, fw_name);
		watch_soc = wf_watch_facts_resolve_soc(ck->db, ck->watch);
	}
	if (watch_name == NULL)
		watch_name = watch_soc != NULL ? watch_soc->name : "unknown";
	/* without both SoCs in the database, the "MTxxxx" stems decide */
	if (fw_soc != NULL && watch_soc != NULL)
		same = fw_soc == watch_soc;
	else
		same = g_ascii_strncasecmp(fw_name, watch_name, 6) == 0;
	if (same)
		wf_compat_add(ck,
			      WF_COMPAT_LEVEL_OK,
			      WF_COMPAT_PLATFORM_MATCH,
			      "same chip: the firmware is for %s, the watch is an %s",
			      fw_name,
			      watch_name);
	else
		wf_compat_add(ck,
			      WF_COMPAT_LEVEL_INCOMPATIBLE,
			      WF_COMPAT_PLATFORM_MISMATCH,
			      "other chip: the firmware is for %s, the watch is an %s; it would "
			      "not boot",
			      fw_name,
			      watch_name);
}

/* ---- flash -------------------------------------------------------------------------------- */

static gchar *
wf_compat_id_list(GArray *ids)
{
	GString *str = g_string_new(NULL);
	for (guint i = 0; i < ids->len; i++) {
		g_autofree gchar *s = wf_profile_jedec_to_display(g_array_index(ids, gint64, i));
		if (str->len > 0)
			g_string_append(str, ", ");
		g_string_append(str, s);
	}
	return g_string_free(str, FALSE);
}

static void
wf_compat_check_flash_list(WfCheck *ck, GArray *ids, const gchar *what, const gchar *flash)
{
	g_autofree gchar *list = NULL;

	if (ids->len == 0)
		return;
	if (wf_firmware_facts_has_flash_id(ids, ck->watch->jedec)) {
		wf_compat_add(ck,
			      WF_COMPAT_LEVEL_OK,
			      WF_COMPAT_FLASH_ID_LISTED,
			      "the watch's flash %s is in %s",
			      flash,
			      what);
		return;
	}
	list = wf_compat_id_list(ids);
	wf_compat_add(ck,
		      WF_COMPAT_LEVEL_INCOMPATIBLE,
		      WF_COMPAT_FLASH_ID_NOT_LISTED,
		      "the watch's flash %s is not in %s: %s; the firmware cannot drive this "
		      "flash chip",
		      flash,
		      what,
		      list);
}

static void
wf_compat_check_flash_id(WfCheck *ck)
{
	g_autofree gchar *id = NULL;
	g_autofree gchar *flash = NULL;
	const WfProfileFlashPart *part = NULL;

	if (ck->watch->jedec < 0) {
		wf_compat_add(
			ck,
			WF_COMPAT_LEVEL_RISKY,
			WF_COMPAT_FLASH_ID_UNKNOWN,
			"the watch's flash JEDEC id is unknown: cannot check that the firmware "
			"supports its flash chip");
		return;
	}
	id = wf_profile_jedec_to_display(ck->watch->jedec);
	if (ck->db != NULL)
		part = wf_profile_db_find_flash_part(ck->db, ck->watch->jedec);
	if (part != NULL) {
		g_autofree gchar *title = wf_profile_entry_get_title(&part->entry);
		flash = g_strdup_printf("%s (%s)", id, title);
	} else {
		flash = g_strdup(id);
	}
	if (ck->fw->flash_ids->len == 0 && ck->fw->cfg_flash_ids->len == 0) {
		wf_compat_add(ck,
			      WF_COMPAT_LEVEL_RISKY,
			      WF_COMPAT_FLASH_IDS_UNKNOWN,
			      "the firmware lists no supported flash chips (no CMEM_ID_INFO, no "
			      "cfg): cannot check the watch's flash %s",
			      flash);
		return;
	}
	wf_compat_check_flash_list(
		ck, ck->fw->flash_ids, "the ROM's flash list (CMEM_ID_INFO)", flash);
	wf_compat_check_flash_list(ck, ck->fw->cfg_flash_ids, "the cfg's flash list", flash);
}

static void
wf_compat_check_size(WfCheck *ck)
{
	guint64 flash = ck->watch->flash_size;
	g_autofree gchar *flash_str = NULL;
	gboolean bad = FALSE;

	if (flash == 0) {
		wf_compat_add(ck,
			      WF_COMPAT_LEVEL_RISKY,
			      WF_COMPAT_FLASH_SIZE_UNKNOWN,
			      "the watch's flash size is unknown: cannot check that the firmware "
			      "fits");
		return;
	}
	flash_str = wf_compat_size(flash);
	if (ck->fw->image_end > 0 && (guint64)ck->fw->image_end > flash) {
		g_autofree gchar *need = wf_compat_size(ck->fw->image_end);
		wf_compat_add(ck,
			      WF_COMPAT_LEVEL_INCOMPATIBLE,
			      WF_COMPAT_IMAGE_TOO_LARGE,
			      "the firmware needs %s (up to flash offset 0x%" G_GINT64_MODIFIER
			      "X), the watch's flash holds %s",
			      need,
			      ck->fw->image_end,
			      flash_str);
		bad = TRUE;
	} else if (ck->fw->kind == WF_FIRMWARE_KIND_DUMP && ck->fw->size != flash) {
		g_autofree gchar *dump = wf_compat_size(ck->fw->size);
		wf_compat_add(ck,
			      WF_COMPAT_LEVEL_INCOMPATIBLE,
			      WF_COMPAT_FLASH_SIZE_MISMATCH,
			      "the firmware is a dump of a %s flash, the watch has %s: its layout "
			      "and file system were made for another flash size",
			      dump,
			      flash_str);
		bad = TRUE;
	}
	if (ck->fw->fs_base >= 0 && ck->fw->fs_size >= 0 &&
	    (guint64)(ck->fw->fs_base + ck->fw->fs_size) > flash) {
		wf_compat_add(ck,
			      WF_COMPAT_LEVEL_INCOMPATIBLE,
			      WF_COMPAT_FS_BEYOND_FLASH,
			      "the firmware keeps its file system at 0x%" G_GINT64_MODIFIER
			      "X-0x%" G_GINT64_MODIFIER
			      "X, beyond the end of the watch's %s flash: "
			      "it was built for a larger flash",
			      ck->fw->fs_base,
			      ck->fw->fs_base + ck->fw->fs_size,
			      flash_str);
		bad = TRUE;
	}
	if (!bad)
		wf_compat_add(ck,
			      WF_COMPAT_LEVEL_OK,
			      WF_COMPAT_SIZE_FITS,
			      "the firmware fits the watch's %s flash",
			      flash_str);
	if (!bad && ck->wfw != NULL && ck->fw->fs_base >= 0 && ck->wfw->fs_base >= 0 &&
	    (ck->fw->fs_base != ck->wfw->fs_base || ck->fw->fs_size != ck->wfw->fs_size))
		wf_compat_add(
			ck,
			WF_COMPAT_LEVEL_RISKY,
			WF_COMPAT_FS_REGION_DIFFERS,
			"the firmware keeps NVRAM and the file system at 0x%" G_GINT64_MODIFIER
			"X (0x%" G_GINT64_MODIFIER "X bytes), the watch at 0x%" G_GINT64_MODIFIER
			"X (0x%" G_GINT64_MODIFIER "X bytes): IMEI, calibration and user data "
			"would not be found and the file system may be formatted",
			ck->fw->fs_base,
			ck->fw->fs_size,
			ck->wfw->fs_base,
			ck->wfw->fs_size);
}

/* ---- layout ------------------------------------------------------------------------------- */

static gboolean
wf_compat_offset_differs(gint64 a, gint64 b)
{
	return a >= 0 && b >= 0 && a != b;
}

static void
wf_compat_check_layout(WfCheck *ck)
{
	const WfFirmwareFacts *fw = ck->fw;
	const WfFirmwareFacts *wfw = ck->wfw;

	if (wfw == NULL || wfw->header_state != WF_BOOT_HEADER_STATE_VALID) {
		wf_compat_add(ck,
			      WF_COMPAT_LEVEL_RISKY,
			      WF_COMPAT_WATCH_HEADER_MISSING,
			      "the watch's backup has no valid header block (%s): the bootloader "
			      "layout cannot be checked against it",
			      wfw != NULL ? wf_boot_header_state_to_string(wfw->header_state)
					  : "no firmware found");
		return;
	}
	if (fw->rom_offset < 0) {
		wf_compat_add(ck,
			      WF_COMPAT_LEVEL_RISKY,
			      WF_COMPAT_LAYOUT_UNKNOWN,
			      "the firmware's ROM address is unknown: cannot check it against the "
			      "watch's boot header");
		return;
	}
	if (wf_compat_offset_differs(fw->rom_offset, wfw->main_region)) {
		wf_compat_add(
			ck,
			WF_COMPAT_LEVEL_INCOMPATIBLE,
			WF_COMPAT_ROM_OFFSET_MISMATCH,
			"the firmware's ROM is linked for flash offset 0x%" G_GINT64_MODIFIER
			"X, the watch's boot header starts the main region at 0x%" G_GINT64_MODIFIER
			"X: the bootloader would not find it",
			fw->rom_offset,
			wfw->main_region);
		return;
	}
	if (wf_compat_offset_differs(fw->bl_offset, wfw->bl_offset) ||
	    wf_compat_offset_differs(fw->ext_bl_offset, wfw->ext_bl_offset)) {
		wf_compat_add(ck,
			      WF_COMPAT_LEVEL_INCOMPATIBLE,
			      WF_COMPAT_BOOTLOADER_MISMATCH,
			      "the firmware's bootloaders are at 0x%" G_GINT64_MODIFIER
			      "X/0x%" G_GINT64_MODIFIER "X, the watch's boot header has them at "
			      "0x%" G_GINT64_MODIFIER "X/0x%" G_GINT64_MODIFIER "X",
			      fw->bl_offset,
			      fw->ext_bl_offset,
			      wfw->bl_offset,
			      wfw->ext_bl_offset);
		return;
	}
	wf_compat_add(ck,
		      WF_COMPAT_LEVEL_OK,
		      WF_COMPAT_LAYOUT_MATCH,
		      "the layout matches the watch's boot header (ROM at 0x%" G_GINT64_MODIFIER
		      "X)",
		      fw->rom_offset);
}

/* ---- display and touch -------------------------------------------------------------------- */

/* the distinct controller keys a firmware names, and a label of each */
static GPtrArray *
wf_compat_component_keys(WfCheck *ck,
			 const WfFirmwareFacts *facts,
			 WfProfileKind kind,
			 const gchar *category,
			 GString *labels)
{
	g_autoptr(GPtrArray) components = NULL;
	GPtrArray *keys = g_ptr_array_new_with_free_func(g_free);

	if (facts == NULL)
		return keys;
	components = wf_firmware_facts_get_components(facts, category);
	for (guint i = 0; i < components->len; i++) {
		const WfFirmwareComponent *c = g_ptr_array_index(components, i);
		gchar *key = wf_profile_component_key(ck->db, kind, c);
		const WfProfileController *controller =
			ck->db != NULL ? (const WfProfileController *)wf_profile_db_lookup(
						 ck->db, kind, key)
				       : NULL;
		const gchar *name = controller != NULL && controller->part != NULL
					    ? controller->part
				    : c->part != NULL ? c->part
						      : c->token;
		if (wf_profile_strv_contains(keys, key)) {
			g_free(key);
			continue;
		}
		g_ptr_array_add(keys, key);
		if (labels->len > 0)
			g_string_append(labels, ", ");
		if (g_ascii_strcasecmp(name, c->token) != 0)
			g_string_append_printf(labels, "%s (%s)", name, c->token);
		else
			g_string_append(labels, name);
	}
	return keys;
}

static gboolean
wf_compat_keys_intersect(GPtrArray *a, GPtrArray *b)
{
	for (guint i = 0; i < a->len; i++) {
		if (wf_profile_strv_contains(b, g_ptr_array_index(a, i)))
			return TRUE;
	}
	return FALSE;
}

static void
wf_compat_check_controllers(WfCheck *ck, WfProfileKind kind)
{
	gboolean lcd = kind == WF_PROFILE_KIND_LCD;
	const gchar *category = lcd ? "lcd" : "touch";
	const gchar *what = lcd ? "LCD controller" : "touch IC";
	g_autoptr(GString) fw_labels = g_string_new(NULL);
	g_autoptr(GString) watch_labels = g_string_new(NULL);
	g_autoptr(GPtrArray) fw_keys =
		wf_compat_component_keys(ck, ck->fw, kind, category, fw_labels);
	g_autoptr(GPtrArray) watch_keys =
		wf_compat_component_keys(ck, ck->wfw, kind, category, watch_labels);

	if (fw_keys->len == 0 && watch_keys->len == 0) {
		wf_compat_add(ck,
			      WF_COMPAT_LEVEL_NOTE,
			      lcd ? WF_COMPAT_LCD_UNKNOWN : WF_COMPAT_TOUCH_UNKNOWN,
			      "neither the firmware nor the watch's firmware names a %s",
			      what);
		return;
	}
	if (fw_keys->len == 0 || watch_keys->len == 0) {
		wf_compat_add(ck,
			      WF_COMPAT_LEVEL_RISKY,
			      lcd ? WF_COMPAT_LCD_UNVERIFIED : WF_COMPAT_TOUCH_UNVERIFIED,
			      "%s names %s %s, %s names none: cannot confirm the %s will work",
			      fw_keys->len > 0 ? "the firmware" : "the watch's firmware",
			      what,
			      fw_keys->len > 0 ? fw_labels->str : watch_labels->str,
			      fw_keys->len > 0 ? "the watch's firmware" : "the firmware",
			      lcd ? "display" : "touch screen");
		return;
	}
	if (wf_compat_keys_intersect(fw_keys, watch_keys)) {
		wf_compat_add(ck,
			      WF_COMPAT_LEVEL_OK,
			      lcd ? WF_COMPAT_LCD_MATCH : WF_COMPAT_TOUCH_MATCH,
			      "same %s: firmware %s, watch %s",
			      what,
			      fw_labels->str,
			      watch_labels->str);
		return;
	}
	if (lcd)
		wf_compat_add(ck,
			      WF_COMPAT_LEVEL_RISKY,
			      WF_COMPAT_LCD_DIFFERS,
			      "different LCD controller: firmware %s, watch %s: expect inverted "
			      "colours, a mirrored or upside-down picture, or a white screen",
			      fw_labels->str,
			      watch_labels->str);
	else
		wf_compat_add(ck,
			      WF_COMPAT_LEVEL_RISKY,
			      WF_COMPAT_TOUCH_DIFFERS,
			      "different touch IC: firmware %s, watch %s: the touch screen will "
			      "most likely not respond (dead touch)",
			      fw_labels->str,
			      watch_labels->str);
}

static gboolean
wf_compat_has_token(const WfFirmwareFacts *facts, const gchar *category, const gchar *token)
{
	for (guint i = 0; facts != NULL && i < facts->components->len; i++) {
		const WfFirmwareComponent *c = g_ptr_array_index(facts->components, i);
		if (g_strcmp0(c->category, category) == 0 &&
		    g_ascii_strcasecmp(c->token, token) == 0)
			return TRUE;
	}
	return FALSE;
}

/* an IPS build on a TN panel, or the reverse, shows negative colours
 * (firmware-formats.md §3.4); only VERNOs say which a build is for */
static void
wf_compat_check_panel(WfCheck *ck)
{
	gboolean fw_ips, watch_ips;

	if (ck->fw->verno == NULL || ck->wfw == NULL || ck->wfw->verno == NULL)
		return;
	fw_ips = wf_compat_has_token(ck->fw, "panel", "IPS");
	watch_ips = wf_compat_has_token(ck->wfw, "panel", "IPS");
	if (fw_ips && watch_ips)
		wf_compat_add(ck,
			      WF_COMPAT_LEVEL_OK,
			      WF_COMPAT_PANEL_MATCH,
			      "both are built for an IPS panel");
	else if (fw_ips != watch_ips)
		wf_compat_add(ck,
			      WF_COMPAT_LEVEL_RISKY,
			      WF_COMPAT_PANEL_DIFFERS,
			      "%s is marked IPS and %s is not: the colours may be inverted "
			      "(negative)",
			      fw_ips ? "the firmware" : "the watch's firmware",
			      fw_ips ? "the watch's firmware" : "the firmware");
}

/* ---- build -------------------------------------------------------------------------------- */

static void
wf_compat_check_build(WfCheck *ck)
{
	const gchar *fw_project = ck->fw->project;
	const gchar *watch_project = ck->wfw != NULL ? ck->wfw->project : NULL;
	g_autofree gchar *fw_date = NULL;
	g_autofree gchar *watch_date = NULL;
	gint cmp;

	if (fw_project == NULL || watch_project == NULL) {
		wf_compat_add(ck,
			      WF_COMPAT_LEVEL_RISKY,
			      WF_COMPAT_PROJECT_UNKNOWN,
			      "%s base project is unknown: cannot tell whether the firmware was "
			      "built for this board",
			      fw_project == NULL ? "the firmware's" : "the watch's");
		return;
	}
	if (g_ascii_strcasecmp(fw_project, watch_project) != 0) {
		wf_compat_add(ck,
			      WF_COMPAT_LEVEL_RISKY,
			      WF_COMPAT_PROJECT_DIFFERS,
			      "different base project: firmware %s, watch %s: a build for another "
			      "board, whose drivers and pin set-up may not fit",
			      fw_project,
			      watch_project);
		return;
	}
	wf_compat_add(ck,
		      WF_COMPAT_LEVEL_OK,
		      WF_COMPAT_PROJECT_MATCH,
		      "same base project %s",
		      fw_project);
	fw_date = wf_firmware_facts_get_date(ck->fw);
	watch_date = wf_firmware_facts_get_date(ck->wfw);
	if (fw_date == NULL || watch_date == NULL) {
		wf_compat_add(ck,
			      WF_COMPAT_LEVEL_NOTE,
			      WF_COMPAT_BUILD_DATE_UNKNOWN,
			      "%s build date is unknown: cannot tell older from newer",
			      fw_date == NULL ? "the firmware's" : "the watch's");
		return;
	}
	cmp = strcmp(fw_date, watch_date);
	if (cmp < 0)
		wf_compat_add(ck,
			      WF_COMPAT_LEVEL_RISKY,
			      WF_COMPAT_BUILD_OLDER,
			      "an older build of the same project (%s, the watch has %s): "
			      "downgrades may lose features or misread newer settings; prefer the "
			      "same or a newer build",
			      fw_date,
			      watch_date);
	else if (cmp == 0 && g_strcmp0(ck->fw->verno, ck->wfw->verno) == 0)
		wf_compat_add(ck,
			      WF_COMPAT_LEVEL_OK,
			      WF_COMPAT_BUILD_SAME,
			      "the same build as the watch's (%s)",
			      fw_date);
	else
		wf_compat_add(ck,
			      WF_COMPAT_LEVEL_OK,
			      WF_COMPAT_BUILD_NEWER,
			      "a same-age or newer build (%s, the watch has %s)",
			      fw_date,
			      watch_date);
}

static void
wf_compat_add_notes(WfCheck *ck)
{
	if (ck->wfw == NULL)
		wf_compat_add(ck,
			      WF_COMPAT_LEVEL_NOTE,
			      WF_COMPAT_WATCH_FIRMWARE_UNKNOWN,
			      "no firmware was identified in the watch's backup, so only chip, "
			      "flash and size could be compared");
	if (ck->fw->kind == WF_FIRMWARE_KIND_DUMP)
		wf_compat_add(ck,
			      WF_COMPAT_LEVEL_NOTE,
			      WF_COMPAT_DUMP_TAIL,
			      "the firmware is a full dump: write only its bootloaders, ROM and "
			      "VIVA; its file-system tail (IMEI, calibration) belongs to the watch "
			      "it was read from");
	for (guint i = 0; i < ck->fw->warnings->len; i++)
		wf_compat_add(ck,
			      WF_COMPAT_LEVEL_NOTE,
			      WF_COMPAT_FIRMWARE_WARNING,
			      "firmware: %s",
			      (const gchar *)g_ptr_array_index(ck->fw->warnings, i));
}

/* ---- the object --------------------------------------------------------------------------- */

static void
wf_compat_finalize(GObject *object)
{
	WfCompat *self = WF_COMPAT(object);
	g_ptr_array_unref(self->reasons);
	G_OBJECT_CLASS(wf_compat_parent_class)->finalize(object);
}

static void
wf_compat_class_init(WfCompatClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = wf_compat_finalize;
}

static void
wf_compat_init(WfCompat *self)
{
	self->reasons = g_ptr_array_new_with_free_func(wf_compat_reason_free);
	self->verdict = WF_COMPAT_VERDICT_COMPATIBLE;
}

/**
 * wf_compat_check:
 * @db: (nullable): the profile database, to name parts and to see that
 *   "7789HSD" and "ST7789" are the same LCD controller
 * @firmware: the firmware to flash
 * @watch: the watch, usually from its backup
 *
 * Returns: (transfer full): the verdict and its reasons
 */
WfCompat *
wf_compat_check(WfProfileDb *db, const WfFirmwareFacts *firmware, const WfWatchFacts *watch)
{
	WfCompat *self;
	WfCheck ck = {0};

	g_return_val_if_fail(db == NULL || WF_IS_PROFILE_DB(db), NULL);
	g_return_val_if_fail(firmware != NULL, NULL);
	g_return_val_if_fail(watch != NULL, NULL);

	self = g_object_new(WF_TYPE_COMPAT, NULL);
	ck.self = self;
	ck.db = db;
	ck.fw = firmware;
	ck.watch = watch;
	ck.wfw = watch->firmware;
	wf_compat_check_platform(&ck);
	wf_compat_check_flash_id(&ck);
	wf_compat_check_size(&ck);
	wf_compat_check_layout(&ck);
	wf_compat_check_controllers(&ck, WF_PROFILE_KIND_LCD);
	wf_compat_check_controllers(&ck, WF_PROFILE_KIND_TOUCH);
	wf_compat_check_panel(&ck);
	wf_compat_check_build(&ck);
	wf_compat_add_notes(&ck);
	return self;
}

WfCompatVerdict
wf_compat_get_verdict(WfCompat *self)
{
	g_return_val_if_fail(WF_IS_COMPAT(self), WF_COMPAT_VERDICT_INCOMPATIBLE);
	return self->verdict;
}

/**
 * wf_compat_get_reasons:
 *
 * Returns: (transfer none) (element-type WfCompatReason): one per line, in
 * the order checked
 */
GPtrArray *
wf_compat_get_reasons(WfCompat *self)
{
	g_return_val_if_fail(WF_IS_COMPAT(self), NULL);
	return self->reasons;
}

/**
 * wf_compat_find_reason:
 * @code: a WF_COMPAT_* code
 *
 * Returns: (transfer none) (nullable): the first reason with @code
 */
const WfCompatReason *
wf_compat_find_reason(WfCompat *self, const gchar *code)
{
	g_return_val_if_fail(WF_IS_COMPAT(self), NULL);
	for (guint i = 0; i < self->reasons->len; i++) {
		const WfCompatReason *reason = g_ptr_array_index(self->reasons, i);
		if (g_strcmp0(reason->code, code) == 0)
			return reason;
	}
	return NULL;
}

/**
 * wf_compat_to_json:
 *
 * Returns: (transfer full): {"verdict", "reasons": [{"level", "code", "message"}]}
 */
JsonNode *
wf_compat_to_json(WfCompat *self)
{
	g_autoptr(JsonBuilder) b = json_builder_new();

	g_return_val_if_fail(WF_IS_COMPAT(self), NULL);
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "verdict");
	json_builder_add_string_value(b, wf_compat_verdict_to_string(self->verdict));
	json_builder_set_member_name(b, "reasons");
	json_builder_begin_array(b);
	for (guint i = 0; i < self->reasons->len; i++) {
		const WfCompatReason *reason = g_ptr_array_index(self->reasons, i);
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "level");
		json_builder_add_string_value(b, wf_compat_level_to_string(reason->level));
		json_builder_set_member_name(b, "code");
		json_builder_add_string_value(b, reason->code);
		json_builder_set_member_name(b, "message");
		json_builder_add_string_value(b, reason->message);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
	return json_builder_get_root(b);
}
