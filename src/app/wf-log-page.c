/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-log-page.h"

#include <glib/gi18n.h>

#include "wf-a11y.h"

/* the text view shows the end of the wire log: enough for the last few
 * exchanges without making GTK lay out megabytes of hex */
#define WF_LOG_PAGE_WIRE_TAIL (64 * 1024)

struct _WfLogPage {
	AdwBin parent_instance;
	GtkListBox *activity_list;
	GtkExpander *details_expander;
	GtkTextView *wire_view;
	WfActivityLog *log;
	guint n_rows;
};

G_DEFINE_FINAL_TYPE(WfLogPage, wf_log_page, ADW_TYPE_BIN)

static GtkWidget *
wf_log_page_make_row(const WfActivityEntry *entry)
{
	GtkWidget *row = adw_action_row_new();
	g_autofree gchar *stamp = g_date_time_format(entry->time, "%H:%M:%S");
	GtkWidget *time_label = gtk_label_new(stamp);
	g_autofree gchar *escaped = g_markup_escape_text(entry->text, -1);

	adw_preferences_row_set_title(ADW_PREFERENCES_ROW(row), escaped);
	adw_action_row_set_title_lines(ADW_ACTION_ROW(row), 0);
	gtk_widget_add_css_class(time_label, "dim-label");
	gtk_widget_add_css_class(time_label, "numeric");
	adw_action_row_add_prefix(ADW_ACTION_ROW(row), time_label);
	if (entry->kind != WF_ACTIVITY_KIND_INFO) {
		GtkWidget *icon = gtk_image_new_from_icon_name(
			entry->kind == WF_ACTIVITY_KIND_PROBLEM ? "dialog-warning-symbolic"
								: "emblem-ok-symbolic");
		gtk_widget_add_css_class(
			icon, entry->kind == WF_ACTIVITY_KIND_PROBLEM ? "warning" : "success");
		gtk_accessible_update_property(
			GTK_ACCESSIBLE(icon),
			GTK_ACCESSIBLE_PROPERTY_LABEL,
			entry->kind == WF_ACTIVITY_KIND_PROBLEM ? _("Problem") : _("Success"),
			-1);
		adw_action_row_add_suffix(ADW_ACTION_ROW(row), icon);
	}
	return row;
}

static void
wf_log_page_added_cb(WfActivityLog *log, guint idx, gpointer user_data)
{
	WfLogPage *self = WF_LOG_PAGE(user_data);

	gtk_list_box_append(self->activity_list,
			    wf_log_page_make_row(wf_activity_log_get_entry(log, idx)));
	self->n_rows++;
	gtk_widget_set_visible(GTK_WIDGET(self->activity_list), TRUE);
	if (gtk_expander_get_expanded(self->details_expander))
		wf_log_page_refresh_wire_log(self);
}

/**
 * wf_log_page_refresh_wire_log:
 *
 * Reads the end of the wire log into the Details view.
 */
void
wf_log_page_refresh_wire_log(WfLogPage *self)
{
	g_autofree gchar *text = NULL;
	GtkTextBuffer *buffer;

	g_return_if_fail(WF_IS_LOG_PAGE(self));
	buffer = gtk_text_view_get_buffer(self->wire_view);
	if (self->log != NULL)
		text = wf_activity_log_read_wire_log_tail(self->log, WF_LOG_PAGE_WIRE_TAIL);
	gtk_text_buffer_set_text(
		buffer, text != NULL ? text : _("Nothing has crossed the wire yet."), -1);
}

static void
wf_log_page_details_expanded_cb(WfLogPage *self)
{
	if (gtk_expander_get_expanded(self->details_expander))
		wf_log_page_refresh_wire_log(self);
}

void
wf_log_page_set_log(WfLogPage *self, WfActivityLog *log)
{
	GtkWidget *child;

	g_return_if_fail(WF_IS_LOG_PAGE(self));
	if (self->log != NULL)
		g_signal_handlers_disconnect_by_data(self->log, self);
	g_set_object(&self->log, log);
	while ((child = gtk_widget_get_first_child(GTK_WIDGET(self->activity_list))) != NULL)
		gtk_list_box_remove(self->activity_list, child);
	self->n_rows = 0;
	gtk_widget_set_visible(GTK_WIDGET(self->activity_list), FALSE);
	if (log == NULL)
		return;
	for (guint i = 0; i < wf_activity_log_get_n_entries(log); i++)
		wf_log_page_added_cb(log, i, self);
	g_signal_connect(log, "added", G_CALLBACK(wf_log_page_added_cb), self);
}

guint
wf_log_page_get_n_rows(WfLogPage *self)
{
	g_return_val_if_fail(WF_IS_LOG_PAGE(self), 0);
	return self->n_rows;
}

static void
wf_log_page_dispose(GObject *object)
{
	WfLogPage *self = WF_LOG_PAGE(object);

	if (self->log != NULL) {
		g_signal_handlers_disconnect_by_data(self->log, self);
		g_clear_object(&self->log);
	}
	/* AdwBin keeps its own pointer to the template's root: drop it
	 * first, or its dispose unparents a widget that is already gone */
	adw_bin_set_child(ADW_BIN(self), NULL);
	gtk_widget_dispose_template(GTK_WIDGET(self), WF_TYPE_LOG_PAGE);
	G_OBJECT_CLASS(wf_log_page_parent_class)->dispose(object);
}

static void
wf_log_page_class_init(WfLogPageClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);

	object_class->dispose = wf_log_page_dispose;
	gtk_widget_class_set_template_from_resource(
		widget_class, "/io/github/wristflash/Wristflash/wf-log-page.ui");
	gtk_widget_class_bind_template_child(widget_class, WfLogPage, activity_list);
	gtk_widget_class_bind_template_child(widget_class, WfLogPage, details_expander);
	gtk_widget_class_bind_template_child(widget_class, WfLogPage, wire_view);
	gtk_widget_class_bind_template_callback(widget_class, wf_log_page_details_expanded_cb);
}

static void
wf_log_page_init(WfLogPage *self)
{
	gtk_widget_init_template(GTK_WIDGET(self));
	wf_a11y_fix_buttons(GTK_WIDGET(self));
	gtk_widget_set_visible(GTK_WIDGET(self->activity_list), FALSE);
}

GtkWidget *
wf_log_page_new(void)
{
	return g_object_new(WF_TYPE_LOG_PAGE, NULL);
}
