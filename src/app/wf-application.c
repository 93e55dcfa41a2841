/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-application.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wf-preferences-window.h"
#include "wf-window.h"

struct _WfApplication {
	AdwApplication parent_instance;
	GSettings *settings;
};

G_DEFINE_FINAL_TYPE(WfApplication, wf_application, ADW_TYPE_APPLICATION)

/**
 * wf_application_dup_backup_folder:
 * @settings: the application's settings
 *
 * Returns: the folder backups go to: the "backup-folder" setting, or
 *   `$XDG_DATA_HOME/wristflash/backups`
 */
gchar *
wf_application_dup_backup_folder(GSettings *settings)
{
	g_autofree gchar *folder = g_settings_get_string(settings, "backup-folder");

	if (folder[0] != '\0')
		return g_steal_pointer(&folder);
	return g_build_filename(g_get_user_data_dir(), "wristflash", "backups", NULL);
}

/**
 * wf_application_dup_virtual_watch_path:
 *
 * Returns: the virtual watch's flash file; it persists between runs
 */
gchar *
wf_application_dup_virtual_watch_path(void)
{
	return g_build_filename(
		g_get_user_data_dir(), "wristflash", "virtual-watch", "flash.bin", NULL);
}

/**
 * wf_application_display_path:
 * @path: (nullable): an absolute path
 *
 * Returns: @path the way people write it: "~/Backups" for a folder in the
 *   home folder, the path itself otherwise
 */
gchar *
wf_application_display_path(const gchar *path)
{
	const gchar *home = g_get_home_dir();
	gsize len = strlen(home);

	if (path == NULL)
		return g_strdup("");
	if (len > 1 && strncmp(path, home, len) == 0 && path[len] == '/')
		return g_strconcat("~", path + len, NULL);
	return g_strdup(path);
}

GSettings *
wf_application_get_settings(WfApplication *self)
{
	g_return_val_if_fail(WF_IS_APPLICATION(self), NULL);
	return self->settings;
}

static WfWindow *
wf_application_ensure_window(WfApplication *self)
{
	GtkWindow *window = gtk_application_get_active_window(GTK_APPLICATION(self));

	if (window == NULL)
		window = GTK_WINDOW(wf_window_new(self));
	return WF_WINDOW(window);
}

void
wf_application_show_about(WfApplication *self)
{
	GtkWindow *parent = gtk_application_get_active_window(GTK_APPLICATION(self));
	const gchar *developers[] = {_("The Wristflash developers"), NULL};
	GtkWidget *about;

	g_return_if_fail(WF_IS_APPLICATION(self));
	about = g_object_new(ADW_TYPE_ABOUT_WINDOW,
			     "transient-for",
			     parent,
			     "modal",
			     parent != NULL,
			     "application-name",
			     _("Wristflash"),
			     "application-icon",
			     APPLICATION_ID,
			     "version",
			     PACKAGE_VERSION,
			     "developer-name",
			     _("The Wristflash developers"),
			     "developers",
			     developers,
			     "comments",
			     _("Back up, flash and rescue MediaTek MT6261 and MT6260 smartwatches "
			       "over their USB cable."),
			     "website",
			     "https://github.com/wristflash/wristflash",
			     "issue-url",
			     "https://github.com/wristflash/wristflash/issues",
			     "copyright",
			     "© 2026 The Wristflash developers",
			     "license-type",
			     GTK_LICENSE_GPL_3_0,
			     /* TRANSLATORS: put your name here, one per line */
			     "translator-credits",
			     _("translator-credits"),
			     NULL);
	gtk_window_present(GTK_WINDOW(about));
}

void
wf_application_show_preferences(WfApplication *self)
{
	GtkWindow *parent = gtk_application_get_active_window(GTK_APPLICATION(self));
	GtkWidget *prefs;

	g_return_if_fail(WF_IS_APPLICATION(self));
	prefs = wf_preferences_window_new(parent, self->settings);
	gtk_window_present(GTK_WINDOW(prefs));
}

static void
wf_application_about_action(GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
	wf_application_show_about(WF_APPLICATION(user_data));
}

static void
wf_application_preferences_action(GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
	wf_application_show_preferences(WF_APPLICATION(user_data));
}

static void
wf_application_quit_action(GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
	WfApplication *self = WF_APPLICATION(user_data);
	GList *windows = gtk_application_get_windows(GTK_APPLICATION(self));

	/* closing goes through each window's close-request, which asks first
	 * while a backup or write is running */
	for (GList *l = windows; l != NULL; l = l->next) {
		if (WF_IS_WINDOW(l->data)) {
			gtk_window_close(GTK_WINDOW(l->data));
			return;
		}
	}
	g_application_quit(G_APPLICATION(self));
}

static const GActionEntry wf_application_actions[] = {
	{"about", wf_application_about_action, NULL, NULL, NULL, {0}},
	{"preferences", wf_application_preferences_action, NULL, NULL, NULL, {0}},
	{"quit", wf_application_quit_action, NULL, NULL, NULL, {0}},
};

static void
wf_application_startup(GApplication *app)
{
	WfApplication *self = WF_APPLICATION(app);
	const gchar *quit_accels[] = {"<Control>q", NULL};
	const gchar *prefs_accels[] = {"<Control>comma", NULL};
	const gchar *backup_accels[] = {"<Control>b", NULL};
	const gchar *cancel_accels[] = {"<Control>period", NULL};
	const gchar *export_accels[] = {"<Control>e", NULL};
	const gchar *simulate_accels[] = {"<Control><Shift>v", NULL};
	const gchar *page_names[] = {"watch", "backups", "firmware", "inspect", "log"};

	G_APPLICATION_CLASS(wf_application_parent_class)->startup(app);
	g_action_map_add_action_entries(G_ACTION_MAP(self),
					wf_application_actions,
					G_N_ELEMENTS(wf_application_actions),
					self);
	gtk_application_set_accels_for_action(GTK_APPLICATION(self), "app.quit", quit_accels);
	gtk_application_set_accels_for_action(
		GTK_APPLICATION(self), "app.preferences", prefs_accels);
	gtk_application_set_accels_for_action(GTK_APPLICATION(self), "win.backup", backup_accels);
	gtk_application_set_accels_for_action(
		GTK_APPLICATION(self), "win.cancel-job", cancel_accels);
	gtk_application_set_accels_for_action(
		GTK_APPLICATION(self), "win.export-report", export_accels);
	gtk_application_set_accels_for_action(
		GTK_APPLICATION(self), "win.simulate", simulate_accels);
	for (guint i = 0; i < G_N_ELEMENTS(page_names); i++) {
		g_autofree gchar *accel = g_strdup_printf("<Alt>%u", i + 1);
		g_autofree gchar *detailed = g_strdup_printf("win.show-page::%s", page_names[i]);
		const gchar *accels[] = {accel, NULL};

		gtk_application_set_accels_for_action(GTK_APPLICATION(self), detailed, accels);
	}
}

static void
wf_application_activate(GApplication *app)
{
	gtk_window_present(GTK_WINDOW(wf_application_ensure_window(WF_APPLICATION(app))));
}

static gint
wf_application_command_line(GApplication *app, GApplicationCommandLine *cmdline)
{
	WfApplication *self = WF_APPLICATION(app);
	GVariantDict *options = g_application_command_line_get_options_dict(cmdline);
	WfWindow *window;

	g_application_activate(app);
	window = wf_application_ensure_window(self);
	if (g_variant_dict_contains(options, "simulate"))
		wf_window_start_virtual_watch(window);
	return EXIT_SUCCESS;
}

static void
wf_application_dispose(GObject *object)
{
	WfApplication *self = WF_APPLICATION(object);

	g_clear_object(&self->settings);
	G_OBJECT_CLASS(wf_application_parent_class)->dispose(object);
}

static void
wf_application_class_init(WfApplicationClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GApplicationClass *app_class = G_APPLICATION_CLASS(klass);

	object_class->dispose = wf_application_dispose;
	app_class->startup = wf_application_startup;
	app_class->activate = wf_application_activate;
	app_class->command_line = wf_application_command_line;
}

static void
wf_application_init(WfApplication *self)
{
	const GOptionEntry entries[] = {
		{"simulate",
		 's',
		 G_OPTION_FLAG_NONE,
		 G_OPTION_ARG_NONE,
		 NULL,
		 N_("Connect the virtual watch at start"),
		 NULL},
		{NULL, 0, 0, 0, NULL, NULL, NULL},
	};

	self->settings = g_settings_new(APPLICATION_ID);
	g_application_add_main_option_entries(G_APPLICATION(self), entries);
}

WfApplication *
wf_application_new(void)
{
	return g_object_new(WF_TYPE_APPLICATION,
			    "application-id",
			    APPLICATION_ID,
			    "flags",
			    G_APPLICATION_HANDLES_COMMAND_LINE,
			    "resource-base-path",
			    "/io/github/wristflash/Wristflash",
			    NULL);
}
