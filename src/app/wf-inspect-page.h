/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define WF_TYPE_INSPECT_PAGE (wf_inspect_page_get_type())
G_DECLARE_FINAL_TYPE(WfInspectPage, wf_inspect_page, WF, INSPECT_PAGE, AdwBin)

gboolean
wf_inspect_page_open(WfInspectPage *self, const gchar *path, GError **error);
const gchar *
wf_inspect_page_get_view(WfInspectPage *self);
guint
wf_inspect_page_get_n_codes(WfInspectPage *self);
guint
wf_inspect_page_get_n_layout_rows(WfInspectPage *self);

G_END_DECLS
