/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-a11y.h"

#include <string.h>

/*
 * GTK 4.8 names a text button twice to assistive technology: once from
 * its label property, mnemonic underscore included ("_Back Up"), and once
 * from the label inside it (a labelled-by relation), so a screen reader
 * says "underscore Back Up Back Up". Later GTK versions fixed this; until
 * then each text button gets its clean label as its only name.
 */

/**
 * wf_a11y_strip_mnemonic:
 * @label: a label with mnemonic underscores, e.g. "_Back Up"
 *
 * Returns: the label as read aloud, e.g. "Back Up"; "__" stays one "_"
 */
gchar *
wf_a11y_strip_mnemonic(const gchar *label)
{
	GString *str;

	g_return_val_if_fail(label != NULL, NULL);
	str = g_string_sized_new(strlen(label));
	for (const gchar *p = label; *p != '\0'; p++) {
		/* "_x" reads "x"; "__" reads "_" */
		if (*p == '_') {
			p++;
			if (*p == '\0')
				break;
		}
		g_string_append_c(str, *p);
	}
	return g_string_free(str, FALSE);
}

/**
 * wf_a11y_fix_button:
 * @button: a button showing a text label
 *
 * Call again after every gtk_button_set_label().
 */
void
wf_a11y_fix_button(GtkButton *button)
{
	const gchar *label;
	g_autofree gchar *plain = NULL;

	g_return_if_fail(GTK_IS_BUTTON(button));
	label = gtk_button_get_label(button);
	if (label == NULL)
		return;
	plain = gtk_button_get_use_underline(button) ? wf_a11y_strip_mnemonic(label)
						     : g_strdup(label);
	gtk_accessible_update_property(
		GTK_ACCESSIBLE(button), GTK_ACCESSIBLE_PROPERTY_LABEL, plain, -1);
	/* the button is also "labelled by" its inner label: drop that, the
	 * label property alone names it */
	gtk_accessible_reset_relation(GTK_ACCESSIBLE(button), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
}

/**
 * wf_a11y_fix_buttons:
 * @root: a widget; every text button inside it is fixed
 */
void
wf_a11y_fix_buttons(GtkWidget *root)
{
	g_return_if_fail(GTK_IS_WIDGET(root));
	if (GTK_IS_BUTTON(root) && gtk_button_get_label(GTK_BUTTON(root)) != NULL)
		wf_a11y_fix_button(GTK_BUTTON(root));
	for (GtkWidget *child = gtk_widget_get_first_child(root); child != NULL;
	     child = gtk_widget_get_next_sibling(child))
		wf_a11y_fix_buttons(child);
}
