/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "wf-application.h"

/* Run from the build tree, the schema is not installed yet: use the one
 * meson compiled in the build's data/ so `build/src/app/wristflash` just
 * works. This must happen before anything touches GSettings, which reads
 * GSETTINGS_SCHEMA_DIR only once. */
static gboolean
wf_main_schema_installed(void)
{
	const gchar *const *dirs = g_get_system_data_dirs();
	g_autofree gchar *name = g_strdup_printf("%s.gschema.xml", APPLICATION_ID);
	g_autofree gchar *user =
		g_build_filename(g_get_user_data_dir(), "glib-2.0", "schemas", name, NULL);

	if (g_file_test(user, G_FILE_TEST_EXISTS))
		return TRUE;
	for (guint i = 0; dirs[i] != NULL; i++) {
		g_autofree gchar *path =
			g_build_filename(dirs[i], "glib-2.0", "schemas", name, NULL);
		if (g_file_test(path, G_FILE_TEST_EXISTS))
			return TRUE;
	}
	return FALSE;
}

static void
wf_main_ensure_schema(void)
{
	if (g_getenv("GSETTINGS_SCHEMA_DIR") != NULL || wf_main_schema_installed())
		return;
	if (g_file_test(WF_BUILD_SCHEMA_DIR "/gschemas.compiled", G_FILE_TEST_EXISTS))
		g_setenv("GSETTINGS_SCHEMA_DIR", WF_BUILD_SCHEMA_DIR, TRUE);
}

int
main(int argc, char *argv[])
{
	g_autoptr(WfApplication) app = NULL;

	setlocale(LC_ALL, "");
	bindtextdomain(GETTEXT_PACKAGE, LOCALEDIR);
	bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
	textdomain(GETTEXT_PACKAGE);
	g_set_application_name(_("Wristflash"));

	wf_main_ensure_schema();
	app = wf_application_new();
	return g_application_run(G_APPLICATION(app), argc, argv);
}
