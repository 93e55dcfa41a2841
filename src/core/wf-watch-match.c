/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-watch-match.h"

#include <glib/gstdio.h>
#include <string.h>

#include "wf-backup.h"
#include "wf-error.h"

/*
 * Scoring follows firmware-formats.md §6, strongest key first: the base
 * project and <project>_HW string name a board family; firmware-name
 * patterns and model tokens name a model; the flash part, LCD and touch
 * tokens narrow it to a board variant; the SoC and flash size only rule
 * out. A model needs at least one specific line to be a candidate at all,
 * so that "it is an MT6261" does not list every MT6261 watch.
 */
#define WF_SCORE_PROJECT      40
#define WF_SCORE_HW_STRING    30
#define WF_SCORE_VERSION      30
#define WF_SCORE_MODEL_TOKEN  20
#define WF_SCORE_FLASH_PART   15
#define WF_SCORE_SOC	      10
#define WF_SCORE_COMPONENT    10
#define WF_SCORE_IMAGE_DRIVER 5
#define WF_SCORE_PANEL	      5
#define WF_SCORE_BRANCH	      5
#define WF_SCORE_FLASH_SIZE   5
#define WF_PENALTY_SOC	      40
#define WF_PENALTY_FLASH_SIZE 20
#define WF_PENALTY_FLASH_LIST 20
#define WF_PENALTY_PROJECT    15
#define WF_PENALTY_FLASH_PART 10
#define WF_PENALTY_COMPONENT  5

struct _WfWatchMatch {
	GObject parent_instance;
	WfProfileDb *db;
	const WfProfileSoc *soc;
	const WfProfileFlashPart *flash_part;
	GPtrArray *candidates; /* WfWatchCandidate, best first */
};

G_DEFINE_FINAL_TYPE(WfWatchMatch, wf_watch_match, G_TYPE_OBJECT)

/* ---- watch facts ------------------------------------------------------------------------- */

/**
 * wf_watch_facts_new:
 * @origin: (nullable): where the facts come from
 *
 * Returns: (transfer full): facts with everything unknown
 */
WfWatchFacts *
wf_watch_facts_new(const gchar *origin)
{
	WfWatchFacts *self = g_new0(WfWatchFacts, 1);
	self->origin = g_strdup(origin);
	self->hw_code = WF_PROFILE_UNKNOWN;
	self->hw_version = WF_PROFILE_UNKNOWN;
	self->hw_subcode = WF_PROFILE_UNKNOWN;
	self->efuse_version = WF_PROFILE_UNKNOWN;
	self->jedec = WF_PROFILE_UNKNOWN;
	self->warnings = g_ptr_array_new_with_free_func(g_free);
	return self;
}

void
wf_watch_facts_free(WfWatchFacts *self)
{
	if (self == NULL)
		return;
	g_free(self->origin);
	g_free(self->chip);
	g_free(self->me_id);
	wf_firmware_facts_free(self->firmware);
	g_ptr_array_unref(self->warnings);
	g_free(self);
}

/* "0x6261" in backup.json's device record */
static gint32
wf_watch_facts_read_hex16(JsonObject *device, const gchar *member)
{
	const gchar *s = json_object_get_string_member_with_default(device, member, NULL);
	guint64 value = 0;
	if (s == NULL || !g_str_has_prefix(s, "0x") ||
	    !g_ascii_string_to_unsigned(s + 2, 16, 0, 0xFFFF, &value, NULL))
		return WF_PROFILE_UNKNOWN;
	return (gint32)value;
}

/* what the flash holds; an erased or foreign flash is a warning, not an error */
static gboolean
wf_watch_facts_read_image(WfWatchFacts *self,
			  const gchar *path,
			  WfKnowledgeTable *components,
			  GError **error)
{
	g_autoptr(GError) error_local = NULL;

	self->firmware = wf_firmware_facts_new_from_file(path, components, &error_local);
	if (self->firmware != NULL)
		return TRUE;
	if (g_error_matches(error_local, WF_ERROR, WF_ERROR_NOT_FOUND)) {
		g_ptr_array_add(self->warnings,
				g_strdup_printf("no firmware identity in the flash image: %s",
						error_local->message));
		return TRUE;
	}
	g_propagate_error(error, g_steal_pointer(&error_local));
	return FALSE;
}

/**
 * wf_watch_facts_new_from_backup:
 * @dir: a Wristflash backup folder (backup.json + flash.bin)
 * @components: (nullable): the components table, to decode the firmware's VERNO
 * @error: (nullable): return location
 *
 * Reads the chip ids, JEDEC id and flash size recorded at backup time and
 * identifies the firmware in flash.bin. The image is not hashed here
 * (wf_backup_verify() does that).
 *
 * Returns: (transfer full): the facts, or %NULL
 */
WfWatchFacts *
wf_watch_facts_new_from_backup(const gchar *dir, WfKnowledgeTable *components, GError **error)
{
	g_autoptr(WfBackup) backup = NULL;
	g_autoptr(WfWatchFacts) self = NULL;
	g_autofree gchar *image = NULL;
	JsonObject *record;
	gint64 jedec = WF_PROFILE_UNKNOWN;
	GStatBuf st;

	g_return_val_if_fail(dir != NULL, NULL);
	backup = wf_backup_load(dir, error);
	if (backup == NULL)
		return NULL;
	self = wf_watch_facts_new(wf_backup_get_dir(backup));
	record = wf_backup_get_record(backup);
	self->chip = g_strdup(wf_backup_get_chip(backup));
	if (self->chip != NULL && self->chip[0] == '\0')
		g_clear_pointer(&self->chip, g_free);
	self->me_id = g_strdup(wf_backup_get_me_id(backup));
	self->flash_size = wf_backup_get_flash_size(backup);
	if (wf_profile_jedec_parse(wf_backup_get_jedec_id(backup), &jedec))
		self->jedec = jedec;
	if (json_object_has_member(record, "device") &&
	    JSON_NODE_HOLDS_OBJECT(json_object_get_member(record, "device"))) {
		JsonObject *device = json_object_get_object_member(record, "device");
		self->hw_code = wf_watch_facts_read_hex16(device, "hw_code");
		self->hw_version = wf_watch_facts_read_hex16(device, "hw_version");
		self->hw_subcode = wf_watch_facts_read_hex16(device, "hw_subcode");
		self->efuse_version = wf_watch_facts_read_hex16(device, "efuse_version");
	}
	image = wf_backup_get_image_path(backup);
	if (g_stat(image, &st) != 0) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_NOT_FOUND,
			    "%s has no flash image (%s)",
			    dir,
			    image);
		return NULL;
	}
	if ((guint64)st.st_size != self->flash_size)
		g_ptr_array_add(self->warnings,
				g_strdup_printf("%s has %" G_GUINT64_FORMAT " bytes, the backup "
						"record says %" G_GUINT64_FORMAT,
						image,
						(guint64)st.st_size,
						self->flash_size));
	if (!wf_watch_facts_read_image(self, image, components, error))
		return NULL;
	return g_steal_pointer(&self);
}

/**
 * wf_watch_facts_new_from_dump:
 * @path: a raw full-flash dump (e.g. a readback from another tool)
 * @components: (nullable): the components table
 * @error: (nullable): return location
 *
 * Without a backup record only the flash size (the dump's length) and the
 * firmware are known; chip and JEDEC id stay unknown.
 *
 * Returns: (transfer full): the facts, or %NULL
 */
WfWatchFacts *
wf_watch_facts_new_from_dump(const gchar *path, WfKnowledgeTable *components, GError **error)
{
	g_autoptr(WfWatchFacts) self = NULL;
	GStatBuf st;

	g_return_val_if_fail(path != NULL, NULL);
	if (g_stat(path, &st) != 0) {
		g_set_error(error, WF_ERROR, WF_ERROR_NOT_FOUND, "%s does not exist", path);
		return NULL;
	}
	self = wf_watch_facts_new(path);
	self->flash_size = (guint64)st.st_size;
	if (!wf_watch_facts_read_image(self, path, components, error))
		return NULL;
	if (self->firmware != NULL && self->firmware->kind != WF_FIRMWARE_KIND_DUMP) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "%s is a ROM file, not a dump of a whole flash",
			    path);
		return NULL;
	}
	return g_steal_pointer(&self);
}

/**
 * wf_watch_facts_new_from_path:
 * @path: a backup folder or a dump file
 *
 * Returns: (transfer full): the facts, or %NULL
 */
WfWatchFacts *
wf_watch_facts_new_from_path(const gchar *path, WfKnowledgeTable *components, GError **error)
{
	g_return_val_if_fail(path != NULL, NULL);
	if (g_file_test(path, G_FILE_TEST_IS_DIR))
		return wf_watch_facts_new_from_backup(path, components, error);
	return wf_watch_facts_new_from_dump(path, components, error);
}

/**
 * wf_watch_facts_set_device_info:
 * @self: facts
 * @info: what the boot ROM and SFI reported for a connected watch
 *
 * Fills chip ids, JEDEC id and flash size from a live identification.
 */
void
wf_watch_facts_set_device_info(WfWatchFacts *self, WfDeviceInfo *info)
{
	const guint8 *jedec;

	g_return_if_fail(self != NULL);
	g_return_if_fail(WF_IS_DEVICE_INFO(info));
	g_free(self->chip);
	self->chip = g_strdup(wf_device_info_get_chip(info));
	self->hw_code = wf_device_info_get_hw_code(info);
	self->hw_version = wf_device_info_get_hw_version(info);
	self->hw_subcode = wf_device_info_get_hw_subcode(info);
	self->efuse_version = wf_device_info_get_efuse_version(info);
	jedec = wf_device_info_get_jedec_id(info);
	if (wf_device_info_has_jedec_id(info) && jedec != NULL)
		self->jedec = ((gint64)jedec[0] << 16) | ((gint64)jedec[1] << 8) | jedec[2];
	if (wf_device_info_get_flash_size(info) > 0)
		self->flash_size = wf_device_info_get_flash_size(info);
	g_free(self->me_id);
	self->me_id = g_strdup(wf_device_info_get_me_id_string(info));
}

static void
wf_json_set_hex(JsonObject *obj, const gchar *member, gint32 value)
{
	g_autofree gchar *s = NULL;
	if (value < 0) {
		json_object_set_null_member(obj, member);
		return;
	}
	s = g_strdup_printf("0x%04X", (guint)value);
	json_object_set_string_member(obj, member, s);
}

static void
wf_json_set_nullable(JsonObject *obj, const gchar *member, const gchar *value)
{
	if (value != NULL)
		json_object_set_string_member(obj, member, value);
	else
		json_object_set_null_member(obj, member);
}

/**
 * wf_watch_facts_to_json:
 *
 * Returns: (transfer full): the facts, null where unknown
 */
JsonNode *
wf_watch_facts_to_json(const WfWatchFacts *self)
{
	JsonObject *obj = json_object_new();
	JsonNode *node = json_node_new(JSON_NODE_OBJECT);
	JsonArray *warnings = json_array_new();
	g_autofree gchar *jedec = NULL;

	g_return_val_if_fail(self != NULL, NULL);
	wf_json_set_nullable(obj, "origin", self->origin);
	wf_json_set_nullable(obj, "chip", self->chip);
	wf_json_set_hex(obj, "hw_code", self->hw_code);
	wf_json_set_hex(obj, "hw_version", self->hw_version);
	wf_json_set_hex(obj, "hw_subcode", self->hw_subcode);
	wf_json_set_hex(obj, "efuse_version", self->efuse_version);
	if (self->jedec >= 0)
		jedec = wf_profile_jedec_to_string(self->jedec);
	wf_json_set_nullable(obj, "jedec_id", jedec);
	if (self->flash_size > 0)
		json_object_set_int_member(obj, "flash_size", (gint64)self->flash_size);
	else
		json_object_set_null_member(obj, "flash_size");
	wf_json_set_nullable(obj, "me_id", self->me_id);
	if (self->firmware != NULL)
		json_object_set_member(obj, "firmware", wf_firmware_facts_to_json(self->firmware));
	else
		json_object_set_null_member(obj, "firmware");
	for (guint i = 0; i < self->warnings->len; i++)
		json_array_add_string_element(warnings, g_ptr_array_index(self->warnings, i));
	json_object_set_array_member(obj, "warnings", warnings);
	json_node_take_object(node, obj);
	return node;
}

/**
 * wf_watch_facts_resolve_soc:
 * @db: the database
 * @watch: facts
 *
 * Chip ids first (they come from the boot ROM), then the chip name, then
 * the platform the watch's own firmware was built for.
 *
 * Returns: (transfer none) (nullable): the watch's SoC
 */
const WfProfileSoc *
wf_watch_facts_resolve_soc(WfProfileDb *db, const WfWatchFacts *watch)
{
	const WfProfileSoc *soc;

	g_return_val_if_fail(WF_IS_PROFILE_DB(db), NULL);
	g_return_val_if_fail(watch != NULL, NULL);
	soc = wf_profile_db_find_soc_for_ids(
		db, watch->hw_code, watch->hw_version, watch->efuse_version);
	if (soc == NULL)
		soc = wf_profile_db_find_soc(db, watch->chip);
	if (soc == NULL && watch->firmware != NULL)
		soc = wf_profile_db_find_soc(db, watch->firmware->platform);
	return soc;
}

/**
 * wf_profile_component_key:
 * @db: (nullable): the database
 * @kind: %WF_PROFILE_KIND_LCD or %WF_PROFILE_KIND_TOUCH
 * @c: a component token
 *
 * What two tokens are compared by: the controller id when the database
 * knows the token or its part ("7789HSD" and "ST7789" are both st7789),
 * else the part, else the token, upper-cased.
 *
 * Returns: (transfer full): the key
 */
gchar *
wf_profile_component_key(WfProfileDb *db, WfProfileKind kind, const WfFirmwareComponent *c)
{
	const WfProfileController *controller = NULL;

	g_return_val_if_fail(c != NULL, NULL);
	if (db != NULL) {
		controller = wf_profile_db_find_controller(db, kind, c->token);
		if (controller == NULL && c->part != NULL)
			controller = wf_profile_db_find_controller(db, kind, c->part);
	}
	if (controller != NULL)
		return g_strdup(controller->entry.id);
	return g_ascii_strup(c->part != NULL ? c->part : c->token, -1);
}

/* ---- scoring ----------------------------------------------------------------------------- */

static void
wf_watch_candidate_free(gpointer data)
{
	WfWatchCandidate *candidate = data;
	g_ptr_array_unref(candidate->evidence);
	g_ptr_array_unref(candidate->conflicts);
	g_free(candidate);
}

/* what one candidate is scored against */
typedef struct {
	WfProfileDb *db;
	const WfProfileSoc *soc;
	const gchar *chip_name; /* how the input named its chip */
	gint64 jedec;
	guint64 flash_size;
	const WfFirmwareFacts *firmware; /* nullable */
	gboolean firmware_only;		 /* (b): no watch, only a firmware */
} WfScoreInput;

typedef struct {
	WfWatchCandidate *candidate;
	gboolean specific; /* a line that names this model rather than a class */
} WfScoreState;

static void
wf_score_for(WfScoreState *st, gint points, gboolean specific, const gchar *format, ...)
	G_GNUC_PRINTF(4, 5);

static void
wf_score_for(WfScoreState *st, gint points, gboolean specific, const gchar *format, ...)
{
	va_list args;
	va_start(args, format);
	g_ptr_array_add(st->candidate->evidence, g_strdup_vprintf(format, args));
	va_end(args);
	st->candidate->score += points;
	if (specific)
		st->specific = TRUE;
}

static void
wf_score_against(WfScoreState *st, gint points, const gchar *format, ...) G_GNUC_PRINTF(3, 4);

static void
wf_score_against(WfScoreState *st, gint points, const gchar *format, ...)
{
	va_list args;
	va_start(args, format);
	g_ptr_array_add(st->candidate->conflicts, g_strdup_vprintf(format, args));
	va_end(args);
	st->candidate->score -= points;
}

static gchar *
wf_join_names(WfProfileDb *db, WfProfileKind kind, GPtrArray *ids)
{
	GString *str = g_string_new(NULL);
	for (guint i = 0; i < ids->len; i++) {
		WfProfileEntry *entry = wf_profile_db_lookup(db, kind, g_ptr_array_index(ids, i));
		g_autofree gchar *title = entry != NULL ? wf_profile_entry_get_title(entry) : NULL;
		if (str->len > 0)
			g_string_append(str, ", ");
		g_string_append(str, title != NULL ? title : g_ptr_array_index(ids, i));
	}
	return g_string_free(str, FALSE);
}

static gchar *
wf_join_strv(GPtrArray *array)
{
	GString *str = g_string_new(NULL);
	for (guint i = 0; i < array->len; i++) {
		if (str->len > 0)
			g_string_append(str, ", ");
		g_string_append(str, g_ptr_array_index(array, i));
	}
	return g_string_free(str, FALSE);
}

static void
wf_score_soc(WfScoreState *st, const WfScoreInput *in, const WfProfileModel *model)
{
	g_autofree gchar *names = NULL;

	if (in->soc == NULL || model->socs->len == 0)
		return;
	if (wf_profile_strv_contains(model->socs, in->soc->entry.id)) {
		wf_score_for(st,
			     WF_SCORE_SOC,
			     FALSE,
			     "chip %s is this model's SoC (%s)",
			     in->chip_name,
			     in->soc->name);
		return;
	}
	names = wf_join_names(in->db, WF_PROFILE_KIND_SOC, model->socs);
	wf_score_against(
		st, WF_PENALTY_SOC, "chip %s is not this model's SoC (%s)", in->chip_name, names);
}

static void
wf_score_identity(WfScoreState *st, const WfScoreInput *in, const WfProfileModel *model)
{
	const WfFirmwareFacts *fw = in->firmware;

	if (fw == NULL)
		return;
	if (fw->project != NULL && model->base_projects->len > 0) {
		if (wf_profile_strv_contains(model->base_projects, fw->project)) {
			wf_score_for(
				st, WF_SCORE_PROJECT, TRUE, "base project %s matches", fw->project);
		} else {
			g_autofree gchar *list = wf_join_strv(model->base_projects);
			wf_score_against(st,
					 WF_PENALTY_PROJECT,
					 "base project %s is not this model's (%s)",
					 fw->project,
					 list);
		}
	}
	if (fw->hw_ver != NULL && wf_profile_strv_contains(model->hw_strings, fw->hw_ver))
		wf_score_for(st, WF_SCORE_HW_STRING, TRUE, "HW string %s matches", fw->hw_ver);
	if (fw->branch != NULL && wf_profile_strv_contains(model->maui_branches, fw->branch))
		wf_score_for(st, WF_SCORE_BRANCH, FALSE, "MAUI branch %s matches", fw->branch);
	if (wf_profile_model_match_version(model, fw->verno))
		wf_score_for(st,
			     WF_SCORE_VERSION,
			     TRUE,
			     "version %s has the form of this model's firmware",
			     fw->verno);
	else if (wf_profile_model_match_version(model, fw->bin_name))
		wf_score_for(st,
			     WF_SCORE_VERSION,
			     TRUE,
			     "bin name %s has the form of this model's firmware",
			     fw->bin_name);
}

static gboolean
wf_model_has_jedec(WfProfileDb *db, const WfProfileModel *model, gint64 jedec, gboolean *any_known)
{
	gboolean found = FALSE;
	*any_known = FALSE;
	for (guint i = 0; i < model->flash_parts->len; i++) {
		const WfProfileFlashPart *part = (const WfProfileFlashPart *)wf_profile_db_lookup(
			db, WF_PROFILE_KIND_FLASH_PART, g_ptr_array_index(model->flash_parts, i));
		if (part == NULL || part->jedec < 0)
			continue;
		*any_known = TRUE;
		if (part->jedec == jedec)
			found = TRUE;
	}
	return found;
}

static gchar *
wf_model_jedec_list(WfProfileDb *db, const WfProfileModel *model)
{
	GString *str = g_string_new(NULL);
	for (guint i = 0; i < model->flash_parts->len; i++) {
		const WfProfileFlashPart *part = (const WfProfileFlashPart *)wf_profile_db_lookup(
			db, WF_PROFILE_KIND_FLASH_PART, g_ptr_array_index(model->flash_parts, i));
		g_autofree gchar *s = NULL;
		if (part == NULL || part->jedec < 0)
			continue;
		s = wf_profile_jedec_to_display(part->jedec);
		if (str->len > 0)
			g_string_append(str, ", ");
		g_string_append(str, s);
	}
	return g_string_free(str, FALSE);
}

static void
wf_score_flash(WfScoreState *st, const WfScoreInput *in, const WfProfileModel *model)
{
	gboolean any_known = FALSE;

	if (in->jedec >= 0) {
		g_autofree gchar *id = wf_profile_jedec_to_display(in->jedec);
		if (wf_model_has_jedec(in->db, model, in->jedec, &any_known)) {
			wf_score_for(st,
				     WF_SCORE_FLASH_PART,
				     TRUE,
				     "flash %s is one of this board's parts",
				     id);
		} else if (any_known) {
			g_autofree gchar *list = wf_model_jedec_list(in->db, model);
			wf_score_against(st,
					 WF_PENALTY_FLASH_PART,
					 "flash %s is not among this board's parts (%s)",
					 id,
					 list);
		}
	} else if (in->firmware_only && in->firmware != NULL && in->firmware->flash_ids->len > 0) {
		/* (b): the firmware must support one of the board's parts */
		gboolean supported = FALSE;
		for (guint i = 0; i < in->firmware->flash_ids->len && !supported; i++) {
			gint64 jedec = g_array_index(in->firmware->flash_ids, gint64, i);
			supported = wf_model_has_jedec(in->db, model, jedec, &any_known);
		}
		if (supported)
			wf_score_for(st,
				     WF_SCORE_FLASH_PART,
				     FALSE,
				     "the firmware supports a flash part of this board");
		else if (any_known)
			wf_score_against(st,
					 WF_PENALTY_FLASH_LIST,
					 "the firmware supports none of this board's flash parts");
	}
	if (in->flash_size > 0 && model->flash_sizes->len > 0) {
		g_autofree gchar *size =
			g_format_size_full(in->flash_size, G_FORMAT_SIZE_IEC_UNITS);
		if (wf_profile_model_has_flash_size(model, in->flash_size))
			wf_score_for(st,
				     WF_SCORE_FLASH_SIZE,
				     FALSE,
				     "flash size %s fits this board",
				     size);
		else
			wf_score_against(st,
					 WF_PENALTY_FLASH_SIZE,
					 "flash size %s is not this board's",
					 size);
	}
}

static gchar *
wf_component_label(const WfFirmwareComponent *c)
{
	if (c->part != NULL && g_ascii_strcasecmp(c->part, c->token) != 0)
		return g_strdup_printf("%s (%s)", c->token, c->part);
	return g_strdup(c->token);
}

static void
wf_score_controllers(WfScoreState *st,
		     const WfScoreInput *in,
		     WfProfileKind kind,
		     GPtrArray *model_ids)
{
	g_autoptr(GPtrArray) components = NULL;
	const gchar *what = kind == WF_PROFILE_KIND_LCD ? "LCD" : "touch IC";
	gboolean matched = FALSE;
	gboolean from_strings = FALSE;

	components = wf_firmware_facts_get_components(
		in->firmware, kind == WF_PROFILE_KIND_LCD ? "lcd" : "touch");
	for (guint i = 0; i < components->len; i++) {
		const WfFirmwareComponent *c = g_ptr_array_index(components, i);
		g_autofree gchar *key = wf_profile_component_key(in->db, kind, c);
		g_autofree gchar *label = wf_component_label(c);
		gboolean image = g_str_has_prefix(c->origin, "image:");

		from_strings |= !image;
		if (!wf_profile_strv_contains(model_ids, key))
			continue;
		matched = TRUE;
		wf_score_for(st,
			     image ? WF_SCORE_IMAGE_DRIVER : WF_SCORE_COMPONENT,
			     TRUE,
			     image ? "%s driver %s in the firmware is this board's"
				   : "%s %s is this board's",
			     what,
			     label);
	}
	/* only a version-string token says what the build is for: a driver
	 * name in the image may be one of several */
	if (!matched && from_strings && model_ids->len > 0) {
		const WfFirmwareComponent *c = g_ptr_array_index(components, 0);
		g_autofree gchar *label = wf_component_label(c);
		g_autofree gchar *names = wf_join_names(in->db, kind, model_ids);
		wf_score_against(st,
				 WF_PENALTY_COMPONENT,
				 "%s %s is not this board's (%s)",
				 what,
				 label,
				 names);
	}
}

static void
wf_score_components(WfScoreState *st, const WfScoreInput *in, const WfProfileModel *model)
{
	if (in->firmware == NULL)
		return;
	wf_score_controllers(st, in, WF_PROFILE_KIND_LCD, model->lcd);
	wf_score_controllers(st, in, WF_PROFILE_KIND_TOUCH, model->touch);
	for (guint i = 0; i < in->firmware->components->len; i++) {
		const WfFirmwareComponent *c = g_ptr_array_index(in->firmware->components, i);
		if (g_str_has_prefix(c->origin, "image:"))
			continue;
		if (g_strcmp0(c->category, "panel") == 0 &&
		    wf_profile_strv_contains(model->panel_tokens, c->token))
			wf_score_for(st, WF_SCORE_PANEL, FALSE, "panel %s matches", c->token);
		if (g_strcmp0(c->category, "panel") != 0 &&
		    wf_profile_strv_contains(model->model_tokens, c->token))
			wf_score_for(st,
				     WF_SCORE_MODEL_TOKEN,
				     TRUE,
				     "model token %s in the version string",
				     c->token);
	}
}

static WfWatchCandidate *
wf_watch_match_score(const WfScoreInput *in, const WfProfileModel *model)
{
	WfWatchCandidate *candidate = g_new0(WfWatchCandidate, 1);
	WfScoreState st = {candidate, FALSE};

	candidate->model = model;
	candidate->evidence = g_ptr_array_new_with_free_func(g_free);
	candidate->conflicts = g_ptr_array_new_with_free_func(g_free);
	wf_score_identity(&st, in, model);
	wf_score_soc(&st, in, model);
	wf_score_flash(&st, in, model);
	wf_score_components(&st, in, model);
	if (!st.specific || candidate->score <= 0) {
		wf_watch_candidate_free(candidate);
		return NULL;
	}
	if (candidate->score >= WF_WATCH_MATCH_SCORE_HIGH)
		candidate->confidence = WF_CONFIDENCE_HIGH;
	else if (candidate->score >= WF_WATCH_MATCH_SCORE_MEDIUM)
		candidate->confidence = WF_CONFIDENCE_MEDIUM;
	else
		candidate->confidence = WF_CONFIDENCE_LOW;
	return candidate;
}

static gint
wf_watch_candidate_compare(gconstpointer a, gconstpointer b)
{
	const WfWatchCandidate *ca = *(const WfWatchCandidate *const *)a;
	const WfWatchCandidate *cb = *(const WfWatchCandidate *const *)b;
	return cb->score - ca->score;
}

static void
wf_watch_match_run(WfWatchMatch *self, const WfScoreInput *in)
{
	GPtrArray *models = wf_profile_db_get_entries(self->db, WF_PROFILE_KIND_MODEL);
	for (guint i = 0; i < models->len; i++) {
		WfWatchCandidate *candidate =
			wf_watch_match_score(in, g_ptr_array_index(models, i));
		if (candidate != NULL)
			g_ptr_array_add(self->candidates, candidate);
	}
	/* a stable sort keeps file order among equal scores */
	g_ptr_array_sort(self->candidates, wf_watch_candidate_compare);
}

/* ---- the object -------------------------------------------------------------------------- */

static void
wf_watch_match_finalize(GObject *object)
{
	WfWatchMatch *self = WF_WATCH_MATCH(object);
	g_ptr_array_unref(self->candidates);
	g_clear_object(&self->db);
	G_OBJECT_CLASS(wf_watch_match_parent_class)->finalize(object);
}

static void
wf_watch_match_class_init(WfWatchMatchClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = wf_watch_match_finalize;
}

static void
wf_watch_match_init(WfWatchMatch *self)
{
	self->candidates = g_ptr_array_new_with_free_func(wf_watch_candidate_free);
}

/**
 * wf_watch_match_new:
 * @db: a loaded database
 * @watch: what is known about the watch
 *
 * (a) Which watch is this: ranks every model against the watch's chip,
 * flash and firmware.
 *
 * Returns: (transfer full): the result
 */
WfWatchMatch *
wf_watch_match_new(WfProfileDb *db, const WfWatchFacts *watch)
{
	WfWatchMatch *self;
	WfScoreInput in = {0};

	g_return_val_if_fail(WF_IS_PROFILE_DB(db), NULL);
	g_return_val_if_fail(watch != NULL, NULL);
	self = g_object_new(WF_TYPE_WATCH_MATCH, NULL);
	self->db = g_object_ref(db);
	self->soc = wf_watch_facts_resolve_soc(db, watch);
	self->flash_part = wf_profile_db_find_flash_part(db, watch->jedec);
	in.db = db;
	in.soc = self->soc;
	in.chip_name = watch->chip != NULL ? watch->chip
		       : self->soc != NULL ? self->soc->name
					   : NULL;
	if (in.chip_name == NULL && watch->firmware != NULL)
		in.chip_name = watch->firmware->platform;
	in.jedec = watch->jedec;
	in.flash_size = watch->flash_size;
	in.firmware = watch->firmware;
	wf_watch_match_run(self, &in);
	return self;
}

/**
 * wf_watch_match_new_for_firmware:
 * @db: a loaded database
 * @firmware: a firmware's facts (ROM identity, cfg flash ids …)
 *
 * (b) Which profile fits this firmware: the same scoring with the
 * firmware's platform as the chip and its flash-id list instead of a JEDEC
 * id. A full dump also gives the flash size.
 *
 * Returns: (transfer full): the result
 */
WfWatchMatch *
wf_watch_match_new_for_firmware(WfProfileDb *db, const WfFirmwareFacts *firmware)
{
	WfWatchMatch *self;
	WfScoreInput in = {0};

	g_return_val_if_fail(WF_IS_PROFILE_DB(db), NULL);
	g_return_val_if_fail(firmware != NULL, NULL);
	self = g_object_new(WF_TYPE_WATCH_MATCH, NULL);
	self->db = g_object_ref(db);
	self->soc = wf_profile_db_find_soc(db, firmware->platform);
	in.db = db;
	in.soc = self->soc;
	in.chip_name = firmware->platform;
	in.jedec = WF_PROFILE_UNKNOWN;
	in.flash_size = firmware->kind == WF_FIRMWARE_KIND_DUMP ? firmware->size : 0;
	in.firmware = firmware;
	in.firmware_only = TRUE;
	wf_watch_match_run(self, &in);
	return self;
}

/**
 * wf_watch_match_get_soc:
 *
 * Returns: (transfer none) (nullable): the SoC the input resolved to
 */
const WfProfileSoc *
wf_watch_match_get_soc(WfWatchMatch *self)
{
	g_return_val_if_fail(WF_IS_WATCH_MATCH(self), NULL);
	return self->soc;
}

/**
 * wf_watch_match_get_flash_part:
 *
 * Returns: (transfer none) (nullable): the flash part of the watch's JEDEC id
 */
const WfProfileFlashPart *
wf_watch_match_get_flash_part(WfWatchMatch *self)
{
	g_return_val_if_fail(WF_IS_WATCH_MATCH(self), NULL);
	return self->flash_part;
}

/**
 * wf_watch_match_get_candidates:
 *
 * Returns: (transfer none) (element-type WfWatchCandidate): best first
 */
GPtrArray *
wf_watch_match_get_candidates(WfWatchMatch *self)
{
	g_return_val_if_fail(WF_IS_WATCH_MATCH(self), NULL);
	return self->candidates;
}

/**
 * wf_watch_match_get_best:
 *
 * Returns: (transfer none) (nullable): the highest-scoring candidate
 */
const WfWatchCandidate *
wf_watch_match_get_best(WfWatchMatch *self)
{
	g_return_val_if_fail(WF_IS_WATCH_MATCH(self), NULL);
	return self->candidates->len > 0 ? g_ptr_array_index(self->candidates, 0) : NULL;
}

/**
 * wf_watch_match_find_candidate:
 *
 * Returns: (transfer none) (nullable): the candidate for @model_id, if it is one
 */
const WfWatchCandidate *
wf_watch_match_find_candidate(WfWatchMatch *self, const gchar *model_id)
{
	g_return_val_if_fail(WF_IS_WATCH_MATCH(self), NULL);
	for (guint i = 0; i < self->candidates->len; i++) {
		const WfWatchCandidate *c = g_ptr_array_index(self->candidates, i);
		if (g_strcmp0(c->model->entry.id, model_id) == 0)
			return c;
	}
	return NULL;
}

static JsonArray *
wf_json_strv(GPtrArray *array)
{
	JsonArray *out = json_array_new();
	for (guint i = 0; i < array->len; i++)
		json_array_add_string_element(out, g_ptr_array_index(array, i));
	return out;
}

/**
 * wf_watch_match_to_json:
 *
 * Returns: (transfer full): {"soc", "flash_part", "candidates": [{"id",
 * "title", "score", "confidence", "evidence", "conflicts"}]}
 */
JsonNode *
wf_watch_match_to_json(WfWatchMatch *self)
{
	JsonObject *obj = json_object_new();
	JsonNode *node = json_node_new(JSON_NODE_OBJECT);
	JsonArray *candidates = json_array_new();

	g_return_val_if_fail(WF_IS_WATCH_MATCH(self), NULL);
	wf_json_set_nullable(obj, "soc", self->soc != NULL ? self->soc->entry.id : NULL);
	wf_json_set_nullable(
		obj, "flash_part", self->flash_part != NULL ? self->flash_part->entry.id : NULL);
	for (guint i = 0; i < self->candidates->len; i++) {
		const WfWatchCandidate *c = g_ptr_array_index(self->candidates, i);
		JsonObject *item = json_object_new();
		g_autofree gchar *title = wf_profile_entry_get_title(&c->model->entry);
		json_object_set_string_member(item, "id", c->model->entry.id);
		json_object_set_string_member(item, "title", title);
		json_object_set_int_member(item, "score", c->score);
		json_object_set_string_member(
			item, "confidence", wf_confidence_to_string(c->confidence));
		json_object_set_array_member(item, "evidence", wf_json_strv(c->evidence));
		json_object_set_array_member(item, "conflicts", wf_json_strv(c->conflicts));
		json_array_add_object_element(candidates, item);
	}
	json_object_set_array_member(obj, "candidates", candidates);
	json_node_take_object(node, obj);
	return node;
}
