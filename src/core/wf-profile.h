/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "wf-knowledge-table.h"

G_BEGIN_DECLS

/*
 * The entries of the device-profile database (docs/profiles.md): SoC
 * families, serial-flash parts, LCD controllers, touch ICs and watch
 * models. They are plain structs owned by a #WfProfileDb; each starts with
 * a #WfProfileEntry, so a `WfProfileEntry *` can be cast to its kind's
 * struct after checking @kind. Unknown values stay unknown: -1 for numbers,
 * %NULL for strings, 0 for sizes.
 */

#define WF_PROFILE_SCHEMA_VERSION 1
#define WF_PROFILE_UNKNOWN	  (-1)

typedef enum {
	WF_PROFILE_KIND_SOC,
	WF_PROFILE_KIND_FLASH_PART,
	WF_PROFILE_KIND_LCD,
	WF_PROFILE_KIND_TOUCH,
	WF_PROFILE_KIND_MODEL,
	WF_PROFILE_KIND_LAST
} WfProfileKind;

/* one thing wrong with a profile file; @entry and @field may be NULL */
typedef struct {
	gchar *file;
	gchar *entry; /* "models[3] (dz09-k91)" */
	gchar *field;
	gchar *message;
	gboolean user; /* the file is the user's own */
} WfProfileProblem;

typedef struct {
	WfProfileKind kind;
	gchar *id;
	gchar *file;
	gboolean user;
	gchar *overrides; /* (nullable): the file of the shipped entry this one replaced */
	gchar *notes;	  /* (nullable) */
	WfConfidence confidence;
	GPtrArray *sources; /* (element-type utf8): "TAG" or "TAG: detail" */
	JsonObject *json;   /* the validated entry as written */
} WfProfileEntry;

/* a register value the boot ROM reports and the name it stands for */
typedef struct {
	guint16 value;
	gchar *name; /* (nullable) */
} WfProfileHwValue;

typedef struct {
	WfProfileEntry entry;
	gchar *name;
	GPtrArray *aliases;
	gint32 hw_code; /* WF_PROFILE_UNKNOWN if not known */
	gint32 hw_subcode;
	gint32 sw_version;
	gint32 brom_version;
	GPtrArray *hw_versions;	   /* (element-type WfProfileHwValue) */
	GPtrArray *efuse_versions; /* (element-type WfProfileHwValue) */
	GPtrArray *maui_branches;  /* "11C" */
	GPtrArray *quirks;
} WfProfileSoc;

typedef struct {
	WfProfileEntry entry;
	gint64 jedec; /* 0xC86017, WF_PROFILE_UNKNOWN if not known */
	gchar *vendor;
	gchar *part;
	gchar *series;
	gchar *voltage;
	guint64 size; /* bytes, 0 if not known */
	GPtrArray *seen_in;
} WfProfileFlashPart;

/* an LCD controller (kind LCD) or a touch IC (kind TOUCH) */
typedef struct {
	WfProfileEntry entry;
	gchar *part;
	gchar *vendor;
	GPtrArray *tokens; /* VERNO tokens and driver names, keys of data/components */
	gint32 i2c_address;
	gint32 chip_id_register;
	gchar *lcd_id;
} WfProfileController;

/* flash offsets, WF_PROFILE_UNKNOWN where not known */
typedef struct {
	gint64 header_block;
	gint64 bootloader;
	gint64 ext_bootloader;
	gint64 rom;
	gint64 fs_base;
	gint64 fs_size;
	gint64 mutable_from;
} WfProfileLayout;

typedef struct {
	WfProfileEntry entry;
	gchar *name;
	gchar *variant;
	GPtrArray *aliases;
	gchar *device_type; /* "watch", "phone", "module", "tracker" */
	GPtrArray *socs;    /* SoC ids */
	gchar *soc_note;
	GPtrArray *flash_parts; /* flash-part ids */
	GArray *flash_sizes;	/* (element-type guint64) */
	guint64 ram_size;
	GPtrArray *lcd;		 /* LCD controller ids */
	GPtrArray *touch;	 /* touch IC ids */
	GPtrArray *panel_tokens; /* "IPS" */
	GPtrArray *model_tokens; /* "DZ09" */
	GPtrArray *base_projects;
	GPtrArray *maui_branches;
	GPtrArray *hw_strings;
	GPtrArray *version_patterns;
	GPtrArray *version_examples;
	gboolean has_layout;
	WfProfileLayout layout;
	gchar *resolution;
	GPtrArray *version_regexes; /* (element-type GRegex): compiled version_patterns */
} WfProfileModel;

const gchar *
wf_profile_kind_to_string(WfProfileKind kind);
const gchar *
wf_profile_kind_to_section(WfProfileKind kind);
gboolean
wf_profile_kind_from_section(const gchar *section, WfProfileKind *kind);

WfProfileProblem *
wf_profile_problem_new(const gchar *file,
		       const gchar *entry,
		       const gchar *field,
		       gboolean user,
		       const gchar *message);
void
wf_profile_problem_free(WfProfileProblem *problem);
gchar *
wf_profile_problem_to_string(const WfProfileProblem *problem);
JsonNode *
wf_profile_problem_to_json(const WfProfileProblem *problem);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(WfProfileProblem, wf_profile_problem_free)

WfProfileEntry *
wf_profile_entry_parse(WfProfileKind kind,
		       JsonObject *object,
		       const gchar *file,
		       gboolean user,
		       guint index,
		       JsonObject *file_sources,
		       GPtrArray *problems);
void
wf_profile_entry_free(WfProfileEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(WfProfileEntry, wf_profile_entry_free)
gchar *
wf_profile_entry_get_title(const WfProfileEntry *entry);
JsonNode *
wf_profile_entry_to_json(const WfProfileEntry *entry);

gboolean
wf_profile_model_match_version(const WfProfileModel *model, const gchar *text);
gboolean
wf_profile_model_has_flash_size(const WfProfileModel *model, guint64 size);
gboolean
wf_profile_soc_matches_name(const WfProfileSoc *soc, const gchar *name);
gboolean
wf_profile_controller_has_token(const WfProfileController *controller, const gchar *token);

gchar *
wf_profile_jedec_to_string(gint64 jedec);
gchar *
wf_profile_jedec_to_display(gint64 jedec);
gboolean
wf_profile_jedec_parse(const gchar *text, gint64 *jedec);
gboolean
wf_profile_strv_contains(GPtrArray *array, const gchar *text);

G_END_DECLS
