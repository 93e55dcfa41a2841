/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * "How did it go?": what the user saw on the watch after a flash, kept next
 * to the per-watch flash history (one JSON file per watch, feedback-ME_ID.json
 * in the history folder) and keyed by the history entry's start time. The
 * history itself belongs to the core and is not touched. No GTK here.
 */

#define WF_TYPE_FLASH_FEEDBACK (wf_flash_feedback_get_type())
G_DECLARE_FINAL_TYPE(WfFlashFeedback, wf_flash_feedback, WF, FLASH_FEEDBACK, GObject)

/* the answers */
#define WF_FLASH_FEEDBACK_WORKS		"works"
#define WF_FLASH_FEEDBACK_TOUCH_DEAD	"touch-dead"
#define WF_FLASH_FEEDBACK_DISPLAY_WRONG "display-wrong"
#define WF_FLASH_FEEDBACK_NO_BOOT	"no-boot"
#define WF_FLASH_FEEDBACK_OTHER		"other"

gboolean
wf_flash_feedback_answer_is_valid(const gchar *answer);
const gchar *
wf_flash_feedback_answer_to_label(const gchar *answer);

WfFlashFeedback *
wf_flash_feedback_new(const gchar *dir);
gboolean
wf_flash_feedback_set(WfFlashFeedback *self,
		      const gchar *me_id,
		      GDateTime *started,
		      const gchar *answer,
		      const gchar *note,
		      GError **error);
gboolean
wf_flash_feedback_get(WfFlashFeedback *self,
		      const gchar *me_id,
		      GDateTime *started,
		      gchar **answer,
		      gchar **note);

G_END_DECLS
