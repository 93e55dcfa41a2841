/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define WF_TYPE_PREFERENCES_WINDOW (wf_preferences_window_get_type())
G_DECLARE_FINAL_TYPE(
	WfPreferencesWindow, wf_preferences_window, WF, PREFERENCES_WINDOW, AdwPreferencesWindow)

GtkWidget *
wf_preferences_window_new(GtkWindow *parent, GSettings *settings);

/* the virtual watch link speeds offered, in bytes per second (0 = unthrottled) */
guint
wf_preferences_link_speed_to_index(guint rate);
guint
wf_preferences_link_speed_from_index(guint idx);

G_END_DECLS
