/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "wf-knowledge-table.h"
#include "wf-profile.h"

G_BEGIN_DECLS

#define WF_TYPE_PROFILE_DB (wf_profile_db_get_type())
G_DECLARE_FINAL_TYPE(WfProfileDb, wf_profile_db, WF, PROFILE_DB, GObject)

/*
 * The device-profile database (docs/profiles.md): the JSON files shipped in
 * PKGDATADIR/profiles (WF_PROFILES_DIR overrides it) and the user's own in
 * $XDG_DATA_HOME/wristflash/profiles, whose entries extend the shipped ones
 * or replace them by id. Every file is validated completely on load; a file
 * with any problem is left out as a whole and its problems are listed
 * (wf_profile_db_get_problems()), so a broken user file never stops the
 * rest from loading.
 */

/* profile files are small; anything larger is not one */
#define WF_PROFILE_DB_MAX_FILE_SIZE (4 * 1024 * 1024)

WfProfileDb *
wf_profile_db_new(void);
gchar *
wf_profile_db_get_shipped_dir(void);
gchar *
wf_profile_db_get_user_dir(void);

void
wf_profile_db_set_components(WfProfileDb *self, WfKnowledgeTable *components);
WfKnowledgeTable *
wf_profile_db_get_components(WfProfileDb *self);

gboolean
wf_profile_db_load_file(WfProfileDb *self, const gchar *filename, gboolean user, GError **error);
gboolean
wf_profile_db_load_dir(WfProfileDb *self, const gchar *dirname, gboolean user, GError **error);
guint
wf_profile_db_check_references(WfProfileDb *self);
gboolean
wf_profile_db_load_default(WfProfileDb *self, GError **error);

GPtrArray *
wf_profile_db_get_problems(WfProfileDb *self);
GPtrArray *
wf_profile_db_get_files(WfProfileDb *self);
GPtrArray *
wf_profile_db_get_entries(WfProfileDb *self, WfProfileKind kind);
WfProfileEntry *
wf_profile_db_lookup(WfProfileDb *self, WfProfileKind kind, const gchar *id);

const WfProfileSoc *
wf_profile_db_find_soc(WfProfileDb *self, const gchar *name);
const WfProfileSoc *
wf_profile_db_find_soc_for_ids(WfProfileDb *self,
			       gint32 hw_code,
			       gint32 hw_version,
			       gint32 efuse_version);
const WfProfileFlashPart *
wf_profile_db_find_flash_part(WfProfileDb *self, gint64 jedec);
const WfProfileController *
wf_profile_db_find_controller(WfProfileDb *self, WfProfileKind kind, const gchar *token);

JsonNode *
wf_profile_db_to_json(WfProfileDb *self);

G_END_DECLS
