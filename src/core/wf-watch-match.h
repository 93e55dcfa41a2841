/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "wf-device-info.h"
#include "wf-firmware-facts.h"
#include "wf-profile-db.h"

G_BEGIN_DECLS

/*
 * "Which watch is this?" (docs/profiles.md, Matching): the facts of one
 * watch (chip ids, flash JEDEC id and size, and the firmware found in its
 * flash) scored against every model of a #WfProfileDb, giving ranked
 * candidates with one evidence line per reason. The same scoring answers
 * "which profile fits this firmware?" from firmware facts alone.
 */

/* what is known about one watch; unknown numbers are WF_PROFILE_UNKNOWN */
typedef struct {
	gchar *origin; /* backup folder or dump file */
	gchar *chip;   /* "MT6261DA" */
	gint32 hw_code;
	gint32 hw_version;
	gint32 hw_subcode;
	gint32 efuse_version;
	gint64 jedec;	    /* 0xC86017 */
	guint64 flash_size; /* bytes, 0 if not known */
	gchar *me_id;
	WfFirmwareFacts *firmware; /* (nullable): what its flash holds */
	GPtrArray *warnings;	   /* (element-type utf8) */
} WfWatchFacts;

WfWatchFacts *
wf_watch_facts_new(const gchar *origin);
WfWatchFacts *
wf_watch_facts_new_from_backup(const gchar *dir, WfKnowledgeTable *components, GError **error);
WfWatchFacts *
wf_watch_facts_new_from_dump(const gchar *path, WfKnowledgeTable *components, GError **error);
WfWatchFacts *
wf_watch_facts_new_from_path(const gchar *path, WfKnowledgeTable *components, GError **error);
void
wf_watch_facts_set_device_info(WfWatchFacts *self, WfDeviceInfo *info);
void
wf_watch_facts_free(WfWatchFacts *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(WfWatchFacts, wf_watch_facts_free)
JsonNode *
wf_watch_facts_to_json(const WfWatchFacts *self);

/* one model that fits, with why and why not */
typedef struct {
	const WfProfileModel *model; /* owned by the match's database */
	gint score;
	WfConfidence confidence;
	GPtrArray *evidence;  /* (element-type utf8): lines for this model */
	GPtrArray *conflicts; /* (element-type utf8): lines against it */
} WfWatchCandidate;

#define WF_TYPE_WATCH_MATCH (wf_watch_match_get_type())
G_DECLARE_FINAL_TYPE(WfWatchMatch, wf_watch_match, WF, WATCH_MATCH, GObject)

/* scores at or above these give high / medium confidence */
#define WF_WATCH_MATCH_SCORE_HIGH   60
#define WF_WATCH_MATCH_SCORE_MEDIUM 30

WfWatchMatch *
wf_watch_match_new(WfProfileDb *db, const WfWatchFacts *watch);
WfWatchMatch *
wf_watch_match_new_for_firmware(WfProfileDb *db, const WfFirmwareFacts *firmware);

const WfProfileSoc *
wf_watch_match_get_soc(WfWatchMatch *self);
const WfProfileFlashPart *
wf_watch_match_get_flash_part(WfWatchMatch *self);
GPtrArray *
wf_watch_match_get_candidates(WfWatchMatch *self);
const WfWatchCandidate *
wf_watch_match_get_best(WfWatchMatch *self);
const WfWatchCandidate *
wf_watch_match_find_candidate(WfWatchMatch *self, const gchar *model_id);
JsonNode *
wf_watch_match_to_json(WfWatchMatch *self);

const WfProfileSoc *
wf_watch_facts_resolve_soc(WfProfileDb *db, const WfWatchFacts *watch);
gchar *
wf_profile_component_key(WfProfileDb *db, WfProfileKind kind, const WfFirmwareComponent *c);

G_END_DECLS
