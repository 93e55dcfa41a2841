/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/*
 * Every write to a watch, remembered per watch (users.md §5 rule 9,
 * "provenance"): what was written, from which files with which SHA-256,
 * when, how (SFI or the Download Agent, and why), and how it ended. One JSON
 * file per watch, named after its ME ID, in $XDG_DATA_HOME/wristflash/history/;
 * it is rewritten atomically on every append, so a crash never leaves half
 * a history.
 */

#define WF_TYPE_FLASH_HISTORY (wf_flash_history_get_type())
G_DECLARE_FINAL_TYPE(WfFlashHistory, wf_flash_history, WF, FLASH_HISTORY, GObject)

#define WF_FLASH_HISTORY_FORMAT 1

/* WfFlashHistoryEntry.operation */
#define WF_FLASH_HISTORY_OP_RESTORE "restore"
#define WF_FLASH_HISTORY_OP_FLASH   "flash"
#define WF_FLASH_HISTORY_OP_ERASE   "erase"

/* WfFlashHistoryEntry.result */
#define WF_FLASH_HISTORY_RESULT_OK	      "ok"	      /* written and verified */
#define WF_FLASH_HISTORY_RESULT_FAILED	      "failed"	      /* stopped before writing */
#define WF_FLASH_HISTORY_RESULT_INTERRUPTED   "interrupted"   /* stopped part-way */
#define WF_FLASH_HISTORY_RESULT_CANCELLED     "cancelled"     /* the user stopped it */
#define WF_FLASH_HISTORY_RESULT_VERIFY_FAILED "verify-failed" /* read back differs */

/* WfFlashHistoryRegion.state */
#define WF_FLASH_HISTORY_REGION_VERIFIED    "verified"
#define WF_FLASH_HISTORY_REGION_WRITTEN	    "written" /* not (or not successfully) verified */
#define WF_FLASH_HISTORY_REGION_NOT_WRITTEN "not-written"

/* one input file, for provenance */
typedef struct {
	gchar *path;
	gchar *sha256;
	guint64 size;
} WfFlashHistorySource;

/* one region of the plan and what became of it */
typedef struct {
	gchar *name;
	guint32 offset;
	guint32 length;
	gchar *sha256; /* of the bytes meant for it */
	gchar *state;
} WfFlashHistoryRegion;

typedef struct {
	gchar *operation;
	gchar *method;	      /* "sfi" or "da" */
	gchar *method_reason; /* why that method */
	gchar *result;
	gchar *error; /* (nullable) what stopped it */
	GDateTime *started;
	gdouble seconds;
	gchar *me_id; /* the watch: 32 hex digits */
	gchar *jedec_id;
	gchar *chip;
	gchar *backup_dir;    /* (nullable) the backup that protected (or was) the write */
	gchar *backup_sha256; /* (nullable) */
	GPtrArray *sources;   /* (element-type WfFlashHistorySource) */
	GPtrArray *regions;   /* (element-type WfFlashHistoryRegion) */
	guint64 bytes_written;
	gchar *tool;
} WfFlashHistoryEntry;

WfFlashHistoryEntry *
wf_flash_history_entry_new(const gchar *operation, const gchar *me_id);
void
wf_flash_history_entry_free(WfFlashHistoryEntry *entry);
void
wf_flash_history_entry_add_source(WfFlashHistoryEntry *entry,
				  const gchar *path,
				  const gchar *sha256,
				  guint64 size);
void
wf_flash_history_entry_add_region(WfFlashHistoryEntry *entry,
				  const gchar *name,
				  guint32 offset,
				  guint32 length,
				  const gchar *sha256,
				  const gchar *state);
JsonNode *
wf_flash_history_entry_to_json(const WfFlashHistoryEntry *entry);
WfFlashHistoryEntry *
wf_flash_history_entry_from_json(JsonObject *object, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(WfFlashHistoryEntry, wf_flash_history_entry_free)

WfFlashHistory *
wf_flash_history_new(const gchar *dir);
const gchar *
wf_flash_history_get_dir(WfFlashHistory *self);
gchar *
wf_flash_history_get_path(WfFlashHistory *self, const gchar *me_id);
gboolean
wf_flash_history_append(WfFlashHistory *self, const WfFlashHistoryEntry *entry, GError **error);
GPtrArray *
wf_flash_history_load(WfFlashHistory *self, const gchar *me_id, GError **error);
gchar **
wf_flash_history_list_watches(WfFlashHistory *self, GError **error);

G_END_DECLS
