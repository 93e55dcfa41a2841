/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

gchar *
wf_a11y_strip_mnemonic(const gchar *label);
void
wf_a11y_fix_button(GtkButton *button);
void
wf_a11y_fix_buttons(GtkWidget *root);

G_END_DECLS
