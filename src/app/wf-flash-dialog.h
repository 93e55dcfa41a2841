/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "wf-connection.h"
#include "wf-flash-feedback.h"
#include "wf-flash-history.h"
#include "wf-flash-job.h"

G_BEGIN_DECLS

/*
 * One restore or flash, from the plan to the result (users.md §5 rule 5):
 * compare with the watch, show what is written and kept, which backup
 * protects the watch and which method is used and why; refuse what the
 * safety rules refuse; write only after one explicit confirmation (and a
 * second one for a risky firmware); show progress, then the result with
 * "Revert to My Backup" and, after a flash, "How did it go?".
 */

#define WF_TYPE_FLASH_DIALOG (wf_flash_dialog_get_type())
G_DECLARE_FINAL_TYPE(WfFlashDialog, wf_flash_dialog, WF, FLASH_DIALOG, AdwWindow)

WfFlashDialog *
wf_flash_dialog_new(GtkWindow *parent,
		    WfConnection *connection,
		    WfFlashJob *flash_job,
		    WfFlashHistory *history,
		    WfFlashFeedback *feedback,
		    const gchar *title);
void
wf_flash_dialog_start(WfFlashDialog *self);
void
wf_flash_dialog_refuse(WfFlashDialog *self,
		       const gchar *title,
		       const gchar *description,
		       gboolean offer_backup);
gboolean
wf_flash_dialog_write(WfFlashDialog *self);
gboolean
wf_flash_dialog_save_answer(WfFlashDialog *self,
			    const gchar *answer,
			    const gchar *note,
			    GError **error);

const gchar *
wf_flash_dialog_get_view(WfFlashDialog *self);
WfFlashJob *
wf_flash_dialog_get_flash_job(WfFlashDialog *self);
guint
wf_flash_dialog_get_n_written_rows(WfFlashDialog *self);
guint
wf_flash_dialog_get_n_kept_rows(WfFlashDialog *self);
const gchar *
wf_flash_dialog_get_backup_text(WfFlashDialog *self);
const gchar *
wf_flash_dialog_get_message(WfFlashDialog *self);
gboolean
wf_flash_dialog_can_write(WfFlashDialog *self);
void
wf_flash_dialog_set_risk_accepted(WfFlashDialog *self, gboolean accepted);

G_END_DECLS
