/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>

#include "wf-fuzz.h"

/* Feeds every file named on the command line, or found in a directory named
 * on it, to LLVMFuzzerTestOneInput(): the corpus and crash reproducers run
 * without libFuzzer, under gcc and valgrind. */

static gboolean
wf_fuzz_run_file(const gchar *path, guint *count)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *data = NULL;
	gsize len = 0;

	if (!g_file_get_contents(path, &data, &len, &error)) {
		g_printerr("%s\n", error->message);
		return FALSE;
	}
	LLVMFuzzerTestOneInput((const uint8_t *)data, len);
	(*count)++;
	return TRUE;
}

static gint
wf_fuzz_cmp(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const gchar *const *)a, *(const gchar *const *)b);
}

static gboolean
wf_fuzz_run_dir(const gchar *path, guint *count)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GDir) dir = g_dir_open(path, 0, &error);
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	const gchar *name;

	if (dir == NULL) {
		g_printerr("%s\n", error->message);
		return FALSE;
	}
	while ((name = g_dir_read_name(dir)) != NULL)
		g_ptr_array_add(names, g_build_filename(path, name, NULL));
	/* a stable order makes a failure reproducible from the log */
	g_ptr_array_sort(names, wf_fuzz_cmp);
	for (guint i = 0; i < names->len; i++) {
		if (!wf_fuzz_run_file(g_ptr_array_index(names, i), count))
			return FALSE;
	}
	return TRUE;
}

int
main(int argc, char **argv)
{
	guint count = 0;

	wf_fuzz_init();
	if (argc < 2) {
		g_printerr("usage: %s FILE|DIR…\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		gboolean ok = g_file_test(argv[i], G_FILE_TEST_IS_DIR)
				      ? wf_fuzz_run_dir(argv[i], &count)
				      : wf_fuzz_run_file(argv[i], &count);
		if (!ok)
			return 1;
	}
	if (count == 0) {
		g_printerr("no input files\n");
		return 1;
	}
	g_print("%u inputs ran without a crash\n", count);
	return 0;
}
