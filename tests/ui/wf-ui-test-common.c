/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-ui-test-common.h"

gboolean
wf_ui_test_init(int *argc, char ***argv)
{
	/* settings in memory, the schema from the build tree */
	g_setenv("GSETTINGS_BACKEND", "memory", TRUE);
	g_setenv("GSETTINGS_SCHEMA_DIR", WF_BUILD_SCHEMA_DIR, TRUE);
	/* the same look everywhere: no desktop settings leak in */
	g_setenv("GDK_DEBUG", "default-settings", TRUE);
	g_setenv("GTK_A11Y", "test", TRUE);
	/* Xvfb has no GPU: GL through llvmpipe spends 40-300 ms on a frame,
	 * which would measure the software rasterizer instead of the app */
	g_setenv("GSK_RENDERER", "cairo", FALSE);
	/* before g_test_init(): isolated dirs move XDG_RUNTIME_DIR */
	if (!gtk_init_check())
		return FALSE;
	adw_init();
	/* GIO reads the MIME database once, from the XDG_DATA_DIRS of its
	 * first use; isolated dirs have none, and gdk-pixbuf then cannot tell
	 * an SVG icon from noise. Load it while the real dirs are set. */
	g_free(g_content_type_guess(NULL, (const guchar *)"<svg", 4, NULL));
	g_test_init(argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	return TRUE;
}

/* One application per process, as in the real program: a registered
 * GtkApplication is only released by g_application_run(), so each test
 * borrows this one and gets its settings back to the defaults. */
WfApplication *
wf_ui_test_application_new(void)
{
	static WfApplication *app = NULL;
	GSettings *settings;
	g_autoptr(GSettingsSchema) schema = NULL;
	g_auto(GStrv) keys = NULL;

	if (app == NULL) {
		g_autoptr(GError) error = NULL;

		app = wf_application_new();
		g_application_set_flags(G_APPLICATION(app),
					G_APPLICATION_HANDLES_COMMAND_LINE |
						G_APPLICATION_NON_UNIQUE);
		g_application_register(G_APPLICATION(app), NULL, &error);
		g_assert_no_error(error);
	}
	settings = wf_application_get_settings(app);
	g_object_get(settings, "settings-schema", &schema, NULL);
	keys = g_settings_schema_list_keys(schema);
	for (guint i = 0; keys[i] != NULL; i++)
		g_settings_reset(settings, keys[i]);
	return g_object_ref(app);
}

gboolean
wf_ui_test_wait(gboolean (*cond)(gpointer), gpointer data, guint timeout_ms)
{
	gint64 end = g_get_monotonic_time() + (gint64)timeout_ms * 1000;

	while (!cond(data)) {
		if (g_get_monotonic_time() > end)
			return FALSE;
		g_main_context_iteration(NULL, FALSE);
		g_usleep(1000);
	}
	return TRUE;
}

void
wf_ui_test_spin(guint ms)
{
	gint64 end = g_get_monotonic_time() + (gint64)ms * 1000;

	while (g_get_monotonic_time() < end) {
		g_main_context_iteration(NULL, FALSE);
		g_usleep(1000);
	}
}

void
wf_ui_test_destroy_window(GtkWindow *window)
{
	GWeakRef weak;

	g_weak_ref_init(&weak, window);
	gtk_window_destroy(window);
	/* workers drop their last references shortly after they return */
	for (guint i = 0; i < 3000; i++) {
		g_autoptr(GObject) obj = g_weak_ref_get(&weak);
		if (obj == NULL)
			break;
		g_main_context_iteration(NULL, FALSE);
		g_usleep(1000);
	}
	wf_ui_test_spin(50);
	g_weak_ref_clear(&weak);
}

gpointer
wf_ui_test_child(gpointer widget, GType template_type, const gchar *name)
{
	GObject *child = gtk_widget_get_template_child(GTK_WIDGET(widget), template_type, name);

	g_assert_nonnull(child);
	return child;
}
