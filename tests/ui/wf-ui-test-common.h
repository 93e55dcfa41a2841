/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "wf-application.h"
#include "wf-window.h"

G_BEGIN_DECLS

/* Set up the environment, GTK and GLib's test framework. Returns FALSE
 * when there is no display (the caller then exits with 77 = skipped). */
gboolean
wf_ui_test_init(int *argc, char ***argv);
/* the process's registered application, its settings reset to defaults */
WfApplication *
wf_ui_test_application_new(void);
/* iterate the default main context until @cond or @timeout_ms passed */
gboolean
wf_ui_test_wait(gboolean (*cond)(gpointer), gpointer data, guint timeout_ms);
void
wf_ui_test_spin(guint ms);
/* close and destroy @window, letting every worker and idle finish */
void
wf_ui_test_destroy_window(GtkWindow *window);
gpointer
wf_ui_test_child(gpointer widget, GType template_type, const gchar *name);

G_END_DECLS
