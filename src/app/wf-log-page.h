/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "wf-activity-log.h"

G_BEGIN_DECLS

#define WF_TYPE_LOG_PAGE (wf_log_page_get_type())
G_DECLARE_FINAL_TYPE(WfLogPage, wf_log_page, WF, LOG_PAGE, AdwBin)

GtkWidget *
wf_log_page_new(void);
void
wf_log_page_set_log(WfLogPage *self, WfActivityLog *log);
guint
wf_log_page_get_n_rows(WfLogPage *self);
void
wf_log_page_refresh_wire_log(WfLogPage *self);

G_END_DECLS
